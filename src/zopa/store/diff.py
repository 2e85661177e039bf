"""What changed between two scenarios: parties, issues, options, stances, proposals, sources.

Each difference is one :class:`DiffEntry`: an item added or removed, or one field
of an item changed from one value to another. An uncertain number is compared as a
whole (``0.4`` → ``0.35 [0.3, 0.4]``: a point that became a range is one change),
and its citations, note and judgement flag are compared apart, so that a change of
source shows as such.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Literal

from zopa.scenario import Scenario, content_hash, scenario_to_data

__all__ = ["SECTIONS", "DiffEntry", "ScenarioDiff", "describe", "diff_scenarios"]

SECTIONS: tuple[str, ...] = ("scenario", "sources", "parties", "issues", "options", "stances",
                             "proposals")
_SCENARIO_FIELDS = ("id", "name", "description", "as_of")
_NUMBER_KEYS = ("value", "low", "mode", "high")
_ASIDE = ("source", "note", "judgement")


def describe(value: Any) -> str:
    """Short text for a value in a diff (``-`` for none, ranges as ``mode [low, high]``).

    Examples
    --------
    >>> describe({"low": 0.3, "mode": 0.35, "high": 0.4}), describe(0.4), describe(None)
    ('0.35 [0.3, 0.4]', '0.4', '-')
    """
    if value is None:
        return "-"
    if isinstance(value, dict) and "value" in value:
        return describe(value["value"])
    if isinstance(value, dict) and {"low", "mode", "high"} <= set(value):
        return f"{value['mode']:g} [{value['low']:g}, {value['high']:g}]"
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, list):
        return ", ".join(describe(v) for v in value) or "(none)"
    if isinstance(value, dict):
        for key in ("name", "label", "document"):
            if key in value:
                return str(value[key])
        return ", ".join(f"{k}={describe(v)}" for k, v in value.items())
    return str(value)


@dataclass(frozen=True, slots=True)
class DiffEntry:
    """One difference.

    Attributes
    ----------
    section
        ``scenario``, ``sources``, ``parties``, ``issues``, ``options``,
        ``stances``, ``proposals``, or a context section of the file format
        (``clocks``, ``drifts``, ``areas``, ``ratifiers``, ``costs``, ``funding``).
    item
        The item: a party, issue or proposal id, ``issue/option``, ``party on
        issue`` for a stance, a source key, the scenario's id for its own fields
        (``name``, ``description``, ``as_of``); in other sections the element's id,
        else its first identifying strings (``port/silt`` for a drift).
    field
        The field that changed, dotted for nested ones (``values.OPTION`` for an
        option value, ``groups.GROUP.turnout``; ``FIELD.source`` for citations);
        empty for a whole item added or removed.
    change
        ``added``, ``removed`` or ``changed``.
    before, after
        The values as plain data (``None`` when absent).
    """

    section: str
    item: str
    field: str
    change: Literal["added", "removed", "changed"]
    before: Any
    after: Any

    def as_dict(self) -> dict[str, Any]:
        """Plain data for JSON output."""
        return {"section": self.section, "item": self.item, "field": self.field,
                "change": self.change, "before": self.before, "after": self.after}


@dataclass(frozen=True, slots=True)
class ScenarioDiff:
    """Every difference from one scenario to another, section by section."""

    old: str
    new: str
    entries: tuple[DiffEntry, ...]

    @property
    def empty(self) -> bool:
        """True when the two scenarios have the same content."""
        return not self.entries

    def count(self, section: str) -> int:
        """How many differences fall in ``section``."""
        return sum(1 for e in self.entries if e.section == section)

    def as_dict(self) -> dict[str, Any]:
        """Plain data for JSON output."""
        sections = [*SECTIONS, *dict.fromkeys(e.section for e in self.entries
                                              if e.section not in SECTIONS)]
        return {"old": self.old, "new": self.new,
                "summary": {s: self.count(s) for s in sections},
                "changes": [e.as_dict() for e in self.entries]}


def _without(data: dict[str, Any], *keys: str) -> dict[str, Any]:
    return {k: v for k, v in data.items() if k not in keys}


def _item_key(item: Any, index: int) -> str:
    """How an element of a list section is named: its id, else its identifying strings."""
    if isinstance(item, dict) and isinstance(item.get("id"), str):
        return item["id"]
    if isinstance(item, dict):
        names = [v for v in list(item.values())[:2] if isinstance(v, str)]
        if names:
            return "/".join(names)
    return f"[{index}]"


def _by_key(items: list[Any]) -> dict[str, Any]:
    keyed: dict[str, Any] = {}
    for index, item in enumerate(items):
        key = _item_key(item, index)
        keyed[key if key not in keyed else f"{key}#{index}"] = (
            _without(item, "id") if isinstance(item, dict) else item)
    return keyed


def _keyed(scenario: Scenario) -> dict[str, dict[str, Any]]:
    data = scenario_to_data(scenario)
    issues = data["issues"]
    keyed = {
        "scenario": {k: data.get(k) for k in _SCENARIO_FIELDS},
        "sources": data.get("sources", {}),
        "parties": _by_key(data["parties"]),
        "issues": {i["id"]: _without(i, "id", "options") for i in issues},
        "options": {f"{i['id']}/{o['id']}": _without(o, "id")
                    for i in issues for o in i["options"]},
        "stances": {f"{party} on {issue}": stance
                    for party, by_issue in data.get("stances", {}).items()
                    for issue, stance in by_issue.items()},
        "proposals": _by_key(data.get("proposals", [])),
    }
    for section, value in data.items():  # context sections: clocks, drifts, areas, ...
        if section not in keyed and section not in (*_SCENARIO_FIELDS, "schema_version"):
            keyed[section] = _by_key(value) if isinstance(value, list) else dict(value)
    return keyed


def _is_uncertain(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, int | float):
        return True
    return (isinstance(value, dict) and set(value) <= {*_NUMBER_KEYS, *_ASIDE}
            and ("value" in value or {"low", "high"} <= set(value)))


def _change(before: Any, after: Any) -> Literal["added", "removed", "changed"]:
    return "added" if before is None else "removed" if after is None else "changed"


def _uncertain_changes(section: str, item: str, field: str, old: Any,
                       new: Any) -> Iterator[DiffEntry]:
    before, after = ({"value": u} if isinstance(u, int | float) else dict(u) for u in (old, new))
    numbers = [{k: u[k] for k in _NUMBER_KEYS if k in u} for u in (before, after)]
    if numbers[0] != numbers[1]:
        yield DiffEntry(section, item, field, "changed", numbers[0], numbers[1])
    for aside in _ASIDE:
        old_aside, new_aside = before.get(aside), after.get(aside)
        if old_aside != new_aside:
            yield DiffEntry(section, item, f"{field}.{aside}", _change(old_aside, new_aside),
                            old_aside, new_aside)


def _compare(section: str, item: str, field: str, old: Any, new: Any) -> Iterator[DiffEntry]:
    """Differences inside one item, field by field, down to uncertain numbers."""
    if old == new:
        return
    if old is None or new is None:
        yield DiffEntry(section, item, field, _change(old, new), old, new)
    elif _is_uncertain(old) and _is_uncertain(new):
        yield from _uncertain_changes(section, item, field, old, new)
    elif isinstance(old, dict) and isinstance(new, dict):
        for key in [*old, *(k for k in new if k not in old)]:
            yield from _compare(section, item, f"{field}.{key}" if field else key,
                                old.get(key), new.get(key))
    elif (isinstance(old, list) and isinstance(new, list)
          and all(isinstance(x, dict) for x in [*old, *new])):
        yield from _compare(section, item, field, _by_key(old), _by_key(new))
    else:
        yield DiffEntry(section, item, field, "changed", old, new)


def _section_changes(section: str, old: dict[str, Any],
                     new: dict[str, Any]) -> Iterator[DiffEntry]:
    if section == "scenario":
        yield from (DiffEntry(section, str(new["id"]), key, _change(old[key], new[key]),
                              old[key], new[key]) for key in old if old[key] != new[key])
        return
    for item in [*old, *(k for k in new if k not in old)]:
        if item not in new:
            yield DiffEntry(section, item, "", "removed", old[item], None)
        elif item not in old:
            yield DiffEntry(section, item, "", "added", None, new[item])
        else:
            yield from _compare(section, item, "", old[item], new[item])


def diff_scenarios(old: Scenario, new: Scenario) -> ScenarioDiff:
    """Every difference from ``old`` to ``new``.

    Examples
    --------
    >>> import dataclasses
    >>> from zopa.catalog import load_catalog_scenario
    >>> old = load_catalog_scenario()
    >>> party = old.party("russia")
    >>> lower = dataclasses.replace(party.reservation, low=0.3, mode=0.35, high=0.4)
    >>> new = old.with_party(dataclasses.replace(party, reservation=lower))
    >>> [(e.item, e.field, describe(e.before), describe(e.after))
    ...  for e in diff_scenarios(old, new).entries]
    [('russia', 'reservation', '0.75 [0.7, 0.8]', '0.35 [0.3, 0.4]')]
    """
    before, after = _keyed(old), _keyed(new)
    sections = [*before, *(k for k in after if k not in before)]
    entries = tuple(entry for section in sections
                    for entry in _section_changes(section, before.get(section, {}),
                                                  after.get(section, {})))
    return ScenarioDiff(content_hash(old), content_hash(new), entries)
