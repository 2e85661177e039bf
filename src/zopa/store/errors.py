"""Errors the store raises, all :class:`~zopa.errors.StoreError` (one line for the user)."""

from __future__ import annotations

from zopa.errors import StoreError

__all__ = ["StoreConflictError", "StoreError", "StoreUnavailableError"]


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


class StoreUnavailableError(StoreError):
    """The database cannot be reached, or the connection to it was lost during the operation.

    The message names the database (password hidden), says whether the failed
    operation saved anything, and that it can be tried again: the condition is
    expected to pass (the server restarts, the network comes back) without
    restarting zopa.

    Attributes
    ----------
    url
        The database URL, password hidden.
    reason
        The driver's first line about the failure (e.g. ``Connection refused``).
    writing
        Whether the failed transaction was one that writes.
    in_doubt
        Whether the connection broke while committing, so that the change may or
        may not have been saved.
    """

    def __init__(self, message: str, *, url: str, reason: str, writing: bool = False,
                 in_doubt: bool = False) -> None:
        super().__init__(message)
        self.url = url
        self.reason = reason
        self.writing = writing
        self.in_doubt = in_doubt
