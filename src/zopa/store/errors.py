"""Errors the store raises, all :class:`~zopa.errors.StoreError` (one line for the user)."""

from __future__ import annotations

from zopa.errors import StoreError

__all__ = ["StoreConflictError", "StoreError"]


class StoreConflictError(StoreError):
    """Another writer saved a version on the parent this save expected; nothing was saved.

    Attributes
    ----------
    name
        The scenario name.
    expected
        Content hash of the parent the save expected, ``None`` for a first version.
    found
        Content hash of the latest version found instead, ``None`` if there is none.
    """

    def __init__(self, message: str, *, name: str, expected: str | None,
                 found: str | None) -> None:
        super().__init__(message)
        self.name = name
        self.expected = expected
        self.found = found
