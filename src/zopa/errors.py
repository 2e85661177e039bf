"""The exceptions zopa raises for problems a user can fix.

Every error meant for a user is a :class:`ZopaError`. Errors about input data
carry *where* the problem is (file, line, field path) so that the command line
can print one precise line and the web API can answer 422 with the same text.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence

__all__ = [
    "InfeasibleError",
    "LimitError",
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
    >>> format_field_path(["actors", "two\\nlines"])  # names from files stay on one line
    "actors.'two\\\\nlines'"
    """
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            name = str(part) if str(part).isprintable() else repr(str(part))
            text += f".{name}" if text else name
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


class LimitError(ScenarioError):
    """An input or a computation is larger than a limit allows (see :mod:`zopa.limits`).

    The message names what was counted, the value found, the limit and the
    environment variable that raises it; file, line and field path work as for
    any :class:`ScenarioError`.

    Examples
    --------
    >>> str(LimitError("parties", value=300, maximum=250, limit="max_parties",
    ...                variable="ZOPA_MAX_PARTIES", path=("parties",), file="big.yaml", line=4))
    'big.yaml:4: parties: 300 parties, above the limit of 250 (max_parties); to allow more, \
set the environment variable ZOPA_MAX_PARTIES=300 or higher'
    """

    def __init__(self, what: str, *, value: int, maximum: int, limit: str, variable: str,
                 path: FieldPath = (), file: str | None = None, line: int | None = None) -> None:
        self.what, self.value, self.maximum = what, value, maximum
        self.limit, self.variable = limit, variable
        super().__init__(f"{value:,} {what}, above the limit of {maximum:,} ({limit}); to allow "
                         f"more, set the environment variable {variable}={value} or higher",
                         path=path, file=file, line=line)

    def _fields(self) -> dict[str, object]:
        return {"value": self.value, "maximum": self.maximum, "limit": self.limit,
                "variable": self.variable, "path": self.path}

    def located(self, *, file: str | None = None, line: int | None = None) -> LimitError:
        """Return a copy of this error that also names the file and line."""
        return LimitError(self.what, **self._fields(),  # type: ignore[arg-type]
                          file=file if file is not None else self.file,
                          line=line if line is not None else self.line)

    def __reduce__(self) -> tuple[object, ...]:
        return (functools.partial(LimitError, **self._fields(), file=self.file, line=self.line),
                (self.what,))


class InfeasibleError(ZopaError):
    """An analysis has no answer for this scenario (e.g. an empty deal space)."""


class ModelError(ZopaError):
    """A forecasting model cannot run on the given input."""


class StoreError(ZopaError):
    """The store refused an operation (conflict, missing version, newer schema)."""
