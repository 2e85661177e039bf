"""Identifiers made from other tools' names (item values, issue names, file names)."""

from __future__ import annotations

import re

__all__ = ["make_unique", "slug"]

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
    return make_unique(_NOT_ID.sub("_", text.strip()).strip("_.-") or "x", taken)


def make_unique(base: str, taken: set[str]) -> str:
    """``base`` cut to fit an identifier (at most 100 characters with a ``-N`` suffix),
    then suffixed ``-2``, ``-3``, ... until it is not in ``taken`` (which it joins).

    Examples
    --------
    >>> taken = {"a"}
    >>> make_unique("a", taken), len(make_unique("b" * 500, taken))
    ('a-2', 90)
    """
    base = base[:_MAX_ID]
    candidate, number = base, 1
    while candidate in taken:
        number += 1
        candidate = f"{base}-{number}"
    taken.add(candidate)
    return candidate
