"""Identifiers made from other tools' names (item values, issue names, file names)."""

from __future__ import annotations

import re

__all__ = ["slug"]

_NOT_ID = re.compile(r"[^A-Za-z0-9_.\-]+")
_MAX_ID = 90


def slug(text: str, taken: set[str]) -> str:
    """An identifier made from ``text``, unique among ``taken`` (which it joins).

    Examples
    --------
    >>> taken = set()
    >>> slug("Full size", taken), slug("Full_size", taken), slug("Ärger!", taken)
    ('Full_size', 'Full_size-2', 'rger')
    """
    base = _NOT_ID.sub("_", text.strip()).strip("_.-")[:_MAX_ID] or "x"
    candidate, number = base, 1
    while candidate in taken:
        number += 1
        candidate = f"{base}-{number}"
    taken.add(candidate)
    return candidate
