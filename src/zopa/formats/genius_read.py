"""Read and check GENIUS domain and profile files (the raw numbers, before any mapping).

Every problem is reported as a one-line :class:`~zopa.errors.ScenarioError` that
names the file, the line of the offending element and the attribute.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

from zopa.errors import ScenarioError
from zopa.formats.genius_xml import Element, parse_document
from zopa.formats.reading import read_file_bytes

__all__ = ["BEST_UTILITY", "BEST_VALUE", "WEIGHT_SUM_TOLERANCE", "Domain", "DomainIssue",
           "DomainItem", "Profile", "read_domain", "read_profile"]

WEIGHT_SUM_TOLERANCE = 0.02
BEST_VALUE = "zopa_best_value"
BEST_UTILITY = "zopa_best_utility"
_DISCRETE = "discrete"


@dataclass(frozen=True, slots=True)
class DomainItem:
    """One discrete value of an issue: its text and description."""

    value: str
    description: str


@dataclass(frozen=True, slots=True)
class DomainIssue:
    """One discrete issue of a GENIUS domain, items in file order."""

    name: str
    items: tuple[DomainItem, ...]


@dataclass(frozen=True, slots=True)
class Domain:
    """A GENIUS domain: the name of its root objective and its issues."""

    name: str
    issues: tuple[DomainIssue, ...]


@dataclass(frozen=True, slots=True)
class Profile:
    """One party's GENIUS profile, aligned with the domain's issues and items.

    ``best_values`` and ``best_utility`` are zopa's own extension attributes
    (None in files written by other tools).
    """

    file: Path
    weights: tuple[float, ...]
    evaluations: tuple[tuple[float, ...], ...]
    best_values: tuple[float | None, ...]
    reservation: float | None
    reservation_line: int | None
    discount: float | None
    best_utility: float | None


def _fail(message: str, file: str, element: Element | None, field: str = "") -> ScenarioError:
    return ScenarioError(message, file=file, line=element.line if element else None,
                         path=(field,) if field else ())


def _load(path: Path) -> Element:
    return parse_document(read_file_bytes(path, expected="a GENIUS XML file"), str(path))


def _text(element: Element, key: str, file: str) -> str:
    value = element.attributes.get(key)
    if value is None or not value.strip():
        raise _fail(f"<{element.tag}> has no {key!r} attribute", file, element, key)
    return value


def _number(element: Element, key: str, file: str) -> float:
    text = _text(element, key, file)
    try:
        value = float(text)
    except ValueError:
        raise _fail(f"expected a number, got {text!r}", file, element, key) from None
    if not math.isfinite(value):
        raise _fail(f"expected a finite number, got {text!r}", file, element, key)
    return value


def _objective(root: Element, file: str) -> tuple[Element, Element]:
    space = root if root.tag == "utility_space" else root.first("utility_space")
    if space is None:
        raise _fail(f"expected a GENIUS <utility_space>, found <{root.tag}> without one",
                    file, root, "utility_space")
    objective = space.first("objective")
    if objective is None:
        raise _fail("<utility_space> has no <objective>", file, space, "objective")
    nested = objective.first("objective")
    if nested is not None:
        raise _fail("nested objectives are not supported; expected the issues directly "
                    "under the root <objective>", file, nested, "objective")
    return space, objective


def _check_discrete(element: Element, name: str, file: str) -> None:
    for key in ("etype", "type", "vtype"):
        kind = element.attributes.get(key, _DISCRETE)
        if kind != _DISCRETE:
            raise _fail(f"issue {name!r} is {key}={kind!r}; zopa reads discrete issues only",
                        file, element, key)


def _domain_issues(objective: Element, file: str) -> tuple[DomainIssue, ...]:
    issues: list[DomainIssue] = []
    for element in objective.all("issue"):
        name = _text(element, "name", file)
        _check_discrete(element, name, file)
        if any(issue.name == name for issue in issues):
            raise _fail(f"duplicate issue {name!r}; issue names must be unique", file,
                        element, "name")
        items: list[DomainItem] = []
        for item in element.all("item"):
            value = _text(item, "value", file)
            if any(known.value == value for known in items):
                raise _fail(f"duplicate item {value!r} in issue {name!r}", file, item, "value")
            items.append(DomainItem(value, item.attributes.get("description", "").strip()))
        if len(items) < 2:
            raise _fail(f"issue {name!r} has {len(items)} item(s); zopa needs at least 2",
                        file, element, "item")
        issues.append(DomainIssue(name, tuple(items)))
    if not issues:
        raise _fail("the domain has no <issue>", file, objective, "issue")
    return tuple(issues)


def _evaluations(element: Element, issue: DomainIssue, file: str) -> tuple[float, ...]:
    known = {item.value: j for j, item in enumerate(issue.items)}
    found: dict[int, float] = {}
    for item in element.all("item"):
        value = _text(item, "value", file)
        if value not in known:
            raise _fail(f"unknown item {value!r} of issue {issue.name!r}; the domain has "
                        f"{list(known)}", file, item, "value")
        if known[value] in found:
            raise _fail(f"item {value!r} of issue {issue.name!r} is evaluated twice", file,
                        item, "value")
        evaluation = _number(item, "evaluation", file)
        if evaluation < 0:
            raise _fail(f"negative evaluation {evaluation:g} of item {value!r} of issue "
                        f"{issue.name!r}; expected >= 0", file, item, "evaluation")
        found[known[value]] = evaluation
    missing = [item.value for j, item in enumerate(issue.items) if j not in found]
    if missing:
        raise _fail(f"no evaluation for item {missing[0]!r} of issue {issue.name!r}", file,
                    element, "evaluation")
    return tuple(found[j] for j in range(len(issue.items)))


def _ranged(element: Element, key: str, file: str, low: float, high: float) -> float:
    value = _number(element, key, file)
    if not low <= value <= high:
        raise _fail(f"expected {key} between {low:g} and {high:g}, got {value:g}", file,
                    element, key)
    return value


def _optional(element: Element, key: str, file: str, low: float,
              high: float) -> float | None:
    return _ranged(element, key, file, low, high) if key in element.attributes else None


def _weights(objective: Element, index_of: dict[str, int], issues: tuple[DomainIssue, ...],
             file: str) -> tuple[float, ...]:
    found: dict[int, float] = {}
    for element in objective.all("weight"):
        index = element.attributes.get("index", element.attributes.get("issueIndex"))
        if index is None:
            raise _fail("<weight> has no 'index' attribute", file, element, "index")
        if index not in index_of:
            if index == objective.attributes.get("index"):
                continue  # a weight of the root objective itself carries no information
            raise _fail(f"weight for unknown issue index {index}; the profile's issues have "
                        f"indices {sorted(index_of)}", file, element, "index")
        value = _number(element, "value", file)
        if value < 0:
            raise _fail(f"negative weight {value:g}; expected >= 0", file, element, "value")
        found[index_of[index]] = value
    missing = [issue.name for k, issue in enumerate(issues) if k not in found]
    if missing:
        raise _fail(f"no <weight> for issue {missing[0]!r}", file, objective, "weight")
    total = sum(found.values())
    if abs(total - 1.0) > WEIGHT_SUM_TOLERANCE:
        raise _fail(f"the issue weights sum to {total:g}; expected 1", file, objective, "weight")
    return tuple(found[k] for k in range(len(issues)))


def read_domain(path: Path) -> Domain:
    """The discrete issues of a GENIUS domain file, in file order, and its objective's name."""
    file = str(path)
    _, objective = _objective(_load(path), file)
    return Domain(objective.attributes.get("name", "").strip(), _domain_issues(objective, file))


def _extras(space: Element, objective: Element) -> dict[str, Element | None]:
    return {tag: space.first(tag) or objective.first(tag)
            for tag in ("reservation", "discount_factor")}


def read_profile(path: Path, issues: tuple[DomainIssue, ...]) -> Profile:
    """A GENIUS utility profile, checked against the domain's issues and items."""
    file = str(path)
    space, objective = _objective(_load(path), file)
    position = {issue.name: k for k, issue in enumerate(issues)}
    evaluations: dict[int, tuple[float, ...]] = {}
    best: dict[int, float | None] = {}
    index_of: dict[str, int] = {}
    for element in objective.all("issue"):
        name = _text(element, "name", file)
        if name not in position:
            raise _fail(f"unknown issue {name!r}; the domain has {list(position)}", file,
                        element, "name")
        k = position[name]
        if k in evaluations:
            raise _fail(f"issue {name!r} appears twice", file, element, "name")
        if "index" in element.attributes:
            index_of[element.attributes["index"]] = k
        evaluations[k] = _evaluations(element, issues[k], file)
        best[k] = _optional(element, BEST_VALUE, file, 0.0, 1.0)
    missing = [issue.name for k, issue in enumerate(issues) if k not in evaluations]
    if missing:
        raise _fail(f"no evaluations for issue {missing[0]!r} of the domain", file, objective,
                    "issue")
    weights = _weights(objective, index_of, issues, file)
    extras = _extras(space, objective)
    reservation, discount = extras["reservation"], extras["discount_factor"]
    return Profile(
        file=path,
        weights=weights,
        evaluations=tuple(evaluations[k] for k in range(len(issues))),
        best_values=tuple(best[k] for k in range(len(issues))),
        reservation=_ranged(reservation, "value", file, 0.0, math.inf) if reservation else None,
        reservation_line=reservation.line if reservation else None,
        discount=_ranged(discount, "value", file, 0.0, 1.0) if discount else None,
        best_utility=_optional(space, BEST_UTILITY, file, 0.0, 1.0),
    )
