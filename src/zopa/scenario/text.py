"""Text fields that must say something (names, labels, units, source titles)."""

from __future__ import annotations

from zopa.errors import ScenarioError

__all__ = ["require_text"]


def require_text(value: str, field: str) -> None:
    """Refuse an empty or blank ``value`` for ``field``.

    A blank name names nothing, and the file format leaves empty text out, so a
    scenario holding one could be written but not read back.

    Examples
    --------
    >>> require_text("Kyiv", "name")
    >>> require_text("  ", "name")
    Traceback (most recent call last):
    ...
    zopa.errors.ScenarioError: name: expected some text, not an empty or blank string
    """
    if not value.strip():
        raise ScenarioError("expected some text, not an empty or blank string", path=(field,))
