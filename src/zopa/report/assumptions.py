"""The assumptions behind a brief: every uncertain number, where it sits, and who says so.

Each number a scenario uses is listed with a readable field path (list positions
replaced by the ids they point at), its value or range, whether it is an analyst's
judgement, the analyst's note, and its sources resolved to documents, dates and
links.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from zopa.scenario import Scenario, Source, Uncertain

__all__ = ["Assumption", "collect_assumptions", "describe_path", "value_text"]


@dataclass(frozen=True, slots=True)
class Assumption:
    """One uncertain number of the scenario, ready to be listed.

    Attributes
    ----------
    path
        The field path as :meth:`Scenario.uncertain_values` gives it.
    label
        The same path for readers: positions replaced by ids, e.g.
        ``parties.russia.reservation``.
    section
        The top-level part of the scenario it belongs to (``parties``, ``stances``, ...).
    value
        The number as the scenario states it.
    sources
        The cited sources, resolved (unknown keys cannot occur: scenarios validate them).
    """

    path: tuple[str | int, ...]
    label: str
    section: str
    value: Uncertain
    sources: tuple[Source, ...]

    @property
    def judgement(self) -> bool:
        """True when the number is the analyst's judgement rather than a sourced figure."""
        return self.value.judgement

    @property
    def note(self) -> str:
        """The analyst's note, stripped ('' when there is none)."""
        return (self.value.note or "").strip()


def _label_of(item: Any, index: int) -> str:
    """How to name one element of a list in a path: its id, or what identifies it."""
    for attribute in ("id", "key"):
        found = getattr(item, attribute, None)
        if isinstance(found, str):
            return found
    if hasattr(item, "issue") and hasattr(item, "option"):  # a funding rule
        return f"{item.issue}={item.option}"
    if hasattr(item, "party") and hasattr(item, "clock"):  # a drift
        return f"{item.party}~{item.clock}"
    return str(index)


def describe_path(scenario: Scenario, path: tuple[str | int, ...]) -> str:
    """A field path with list positions replaced by the ids they point at.

    Examples
    --------
    >>> from zopa.scenario.synthetic import random_scenario
    >>> scenario = random_scenario(2, 2, 2, rng=0)
    >>> describe_path(scenario, ("parties", 1, "reservation"))
    'parties.p2.reservation'
    """
    parts: list[str] = []
    current: Any = scenario
    for step in path:
        if isinstance(step, int):
            try:
                current = current[step]
            except (TypeError, IndexError, KeyError):
                parts.append(str(step))
                current = None
                continue
            parts.append(_label_of(current, step))
        else:
            parts.append(step)
            current = getattr(current, step, None) if current is not None else None
    return ".".join(parts)


def value_text(value: Uncertain, digits: int = 4) -> str:
    """A number as the scenario states it: ``13.2`` or ``13.2 (range 12–17.5)``.

    Examples
    --------
    >>> value_text(Uncertain(12.0, 13.2, 17.5))
    '13.2 (range 12–17.5)'
    >>> value_text(Uncertain.point(0.5))
    '0.5'
    """
    def fmt(x: float) -> str:
        return f"{x:.{digits}g}"

    if value.is_point:
        return fmt(value.mode)
    return f"{fmt(value.mode)} (range {fmt(value.low)}–{fmt(value.high)})"


def collect_assumptions(scenario: Scenario) -> tuple[Assumption, ...]:
    """Every uncertain number of the scenario with its readable path and resolved sources.

    Examples
    --------
    >>> from zopa.catalog import load_catalog_scenario
    >>> scenario = load_catalog_scenario()
    >>> len(collect_assumptions(scenario)) == len(scenario.uncertain_values())
    True
    """
    by_key = {s.key: s for s in scenario.sources}
    return tuple(
        Assumption(path, describe_path(scenario, path), str(path[0]), value,
                   tuple(by_key[k] for k in value.sources if k in by_key))
        for path, value in scenario.uncertain_values()
    )
