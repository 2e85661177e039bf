"""The exceptions zopa raises for problems a user can fix.

Every error meant for a user is a :class:`ZopaError`. Errors about input data
carry *where* the problem is (file, line, field path) so that the command line
can print one precise line and the web API can answer 422 with the same text.
"""

from __future__ import annotations

from collections.abc import Sequence

__all__ = [
    "InfeasibleError",
    "ModelError",
    "ScenarioError",
    "StoreError",
    "ZopaError",
    "format_field_path",
]

FieldPath = Sequence[str | int]


def format_field_path(path: FieldPath) -> str:
    """Render a field path as ``parties[2].capability.low``.

    Examples
    --------
    >>> format_field_path(["parties", 2, "capability", "low"])
    'parties[2].capability.low'
    >>> format_field_path([])
    ''
    """
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text


class ZopaError(Exception):
    """Base class of every error zopa reports to its users."""


class ScenarioError(ZopaError):
    """A scenario (or any input describing one) is invalid.

    Parameters
    ----------
    message
        What is wrong and what was expected.
    path
        Field path inside the scenario, e.g. ``("proposals", 2, "options", "donetsk")``.
    file
        The file the scenario came from, if any.
    line
        1-based line number in that file, if known.
    """

    def __init__(
        self,
        message: str,
        *,
        path: FieldPath = (),
        file: str | None = None,
        line: int | None = None,
    ) -> None:
        self.message = message
        self.path = tuple(path)
        self.file = file
        self.line = line
        super().__init__(self.__str__())

    def located(self, *, file: str | None = None, line: int | None = None) -> ScenarioError:
        """Return a copy of this error that also names the file and line."""
        return ScenarioError(
            self.message,
            path=self.path,
            file=file if file is not None else self.file,
            line=line if line is not None else self.line,
        )

    def __str__(self) -> str:
        where = ""
        if self.file is not None:
            where = self.file if self.line is None else f"{self.file}:{self.line}"
        field = format_field_path(self.path)
        prefix = ": ".join(part for part in (where, field) if part)
        return f"{prefix}: {self.message}" if prefix else self.message


class InfeasibleError(ZopaError):
    """An analysis has no answer for this scenario (e.g. an empty deal space)."""


class ModelError(ZopaError):
    """A forecasting model cannot run on the given input."""


class StoreError(ZopaError):
    """The store refused an operation (conflict, missing version, newer schema)."""
