"""Write a scenario's package space as a GENIUS domain and one profile per party.

The files follow GENIUS's definition of utility (each issue's evaluations
divided by the largest one, weighted by issue weights that sum to 1) and are
written so that every reader agrees on them: each issue's evaluations already
have a largest value of exactly 1, so GENIUS (which divides by the maximum)
and NegMAS 0.16 (which reads evaluations as they are) compute the same utilities.

GENIUS gives every party's best package utility 1. A zopa party whose best
package is worth ``M < 1`` (because no option reaches value 1 on some issue) is
written on GENIUS's scale: its evaluations are divided by each issue's best
value ``m_i``, its weights are ``w_i * m_i / M`` and its reservation is ``r / M``;
that describes the same preferences. Two extension attributes, which GENIUS
and NegMAS ignore, record ``m_i`` (``zopa_best_value`` on the profile's issue)
and ``M`` (``zopa_best_utility`` on ``<utility_space>``) so that zopa reads its
own 0–1 scale back exactly.

GENIUS has no red lines: options on any party's red lines are left out of the
domain (packages containing them are not deals in zopa either), listed in a
comment at the top of the domain file and logged as a warning.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path

from zopa.errors import ScenarioError
from zopa.formats.genius_read import BEST_UTILITY, BEST_VALUE
from zopa.formats.genius_xml import render_element
from zopa.scenario import Option, Party, Scenario

__all__ = ["DISCOUNT_NOTE", "export_genius"]

logger = logging.getLogger(__name__)

DISCOUNT_NOTE = "GENIUS discount factor:"
_DISCOUNT = re.compile(re.escape(DISCOUNT_NOTE) + r"\s*([0-9][0-9.eE+\-]*)")
_ONE_TOLERANCE = 1e-12
_DISCRETE = {"etype": "discrete", "type": "discrete", "vtype": "discrete"}
_NOT_FILE = re.compile(r"[^A-Za-z0-9_.\-]+")


def _number(value: float) -> str:
    return repr(float(value))


def _discount(description: str) -> float | None:
    """The GENIUS discount factor kept in a party's description by the importer, if any."""
    found = _DISCOUNT.search(description)
    try:
        value = float(found.group(1).rstrip(".")) if found else None
    except ValueError:
        return None
    return value if value is not None and 0.0 <= value <= 1.0 else None


def _distinct_or(preferred: list[str], fallback: list[str]) -> list[str]:
    usable = all(text.strip() for text in preferred) and len(set(preferred)) == len(preferred)
    return preferred if usable else fallback


def _kept_options(scenario: Scenario) -> list[list[Option]]:
    """Per issue, the options no party has on its red lines."""
    kept, dropped = [], []
    for issue in scenario.issues:
        vetoed = {o for p in scenario.party_ids for o in scenario.stance(p, issue.id).red_lines}
        kept.append([option for option in issue.options if option.id not in vetoed])
        dropped += [f"{issue.id}.{option.id}" for option in issue.options
                    if option.id in vetoed]
        if not kept[-1]:
            raise ScenarioError("every option is on some party's red lines; GENIUS cannot say "
                                "that no deal is possible", path=("issues", issue.id))
    if dropped:
        logger.warning("GENIUS has no red lines: left out %s", ", ".join(dropped))
    return kept


def _comment(scenario: Scenario, kept: list[list[Option]]) -> str:
    dropped = [f"{issue.id}.{option.id}" for issue, options in zip(scenario.issues, kept,
                                                                    strict=True)
               for option in issue.options if option not in options]
    text = f"Written by zopa from scenario {scenario.id}."
    if dropped:
        text += " Left out (on some party's red lines): " + ", ".join(dropped) + "."
    return "<!-- " + text.replace("--", "- -") + " -->"


def _domain(scenario: Scenario, kept: list[list[Option]], issue_names: list[str],
            items: list[list[str]]) -> str:
    issues = []
    for k, options in enumerate(kept):
        children = []
        for j, option in enumerate(options):
            attributes = {"index": str(j + 1), "value": items[k][j]}
            if option.description:
                attributes["description"] = option.description
            children += render_element("item", attributes, indent=4)
        issues += render_element("issue", {"index": str(k + 1), **_DISCRETE,
                                           "name": issue_names[k]}, children, indent=3)
    objective = render_element("objective", {"index": "0", "etype": "objective",
                                             "type": "objective", "description": "",
                                             "name": scenario.name}, issues, indent=2)
    space = render_element("utility_space", {"number_of_issues": str(len(kept))}, objective,
                           indent=1)
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', _comment(scenario, kept),
             *render_element("negotiation_template", {}, space)]
    return "\n".join(lines) + "\n"


def _profile(scenario: Scenario, party: Party, kept: list[list[Option]],
             issue_names: list[str], items: list[list[str]]) -> str:
    stances = [scenario.stance(party.id, issue.id) for issue in scenario.issues]
    saliences = [stance.salience.value for stance in stances]
    weights = [s / sum(saliences) for s in saliences]
    values = [[stance.value_of(o) for o in options] for stance, options in zip(stances, kept,
                                                                               strict=True)]
    best = [max(v) for v in values]
    top = sum(w * m for w, m in zip(weights, best, strict=True))
    if top <= 0:
        raise ScenarioError("the party values every package GENIUS can express at 0",
                            path=("parties", party.id))
    scale = 1.0 if abs(top - 1.0) <= _ONE_TOLERANCE else top
    body = []
    for k in range(len(kept)):
        children = []
        for j, value in enumerate(values[k]):
            evaluation = value / best[k] if best[k] > 0 else 1.0
            children += render_element("item", {"index": str(j + 1), "value": items[k][j],
                                                "evaluation": _number(evaluation)}, indent=3)
        attributes = {"index": str(k + 1), **_DISCRETE, "name": issue_names[k]}
        if best[k] != 1.0:
            attributes[BEST_VALUE] = _number(best[k])
        body += render_element("issue", attributes, children, indent=2)
    body += [line for k in range(len(kept)) for line in render_element(
        "weight", {"index": str(k + 1), "value": _number(weights[k] * best[k] / scale)},
        indent=2)]
    objective = render_element("objective", {"index": "0", "etype": "objective",
                                             "type": "objective", "description": "",
                                             "name": scenario.name}, body, indent=1)
    tail = render_element("reservation", {"value": _number(party.reservation.value / scale)},
                          indent=1)
    discount = _discount(party.description)
    if discount is not None:
        tail += render_element("discount_factor", {"value": _number(discount)}, indent=1)
    space = {"number_of_issues": str(len(kept))}
    if scale != 1.0:
        space[BEST_UTILITY] = _number(scale)
    lines = ['<?xml version="1.0" encoding="UTF-8"?>',
             *render_element("utility_space", space, objective + tail)]
    return "\n".join(lines) + "\n"


def _file_names(scenario: Scenario) -> tuple[str, list[str]]:
    def safe(text: str) -> str:
        return _NOT_FILE.sub("_", text).strip("_.") or "x"

    domain = f"{safe(scenario.id)}-domain.xml"
    names: list[str] = []
    for party in scenario.parties:
        name, number = f"{safe(party.id)}.xml", 1
        while name in names or name == domain:
            number += 1
            name = f"{safe(party.id)}-{number}.xml"
        names.append(name)
    return domain, names


def _write_all(files: dict[Path, str]) -> None:
    """Write every file under a temporary name first, then rename them all."""
    temporary = {path: path.with_name(f".{path.name}.tmp") for path in files}
    try:
        for path, text in files.items():
            temporary[path].write_text(text, encoding="utf-8")
        for path in files:
            temporary[path].replace(path)
    finally:
        for path in temporary.values():
            path.unlink(missing_ok=True)


def export_genius(scenario: Scenario, directory: str | Path) -> list[Path]:
    """Write ``DIRECTORY/<scenario id>-domain.xml`` and ``DIRECTORY/<party id>.xml`` per party.

    Issue names and option labels become GENIUS issue names and item values
    (ids are used instead where names or labels are not distinct). Modes of
    uncertain values are written; ranges, sources, positions, capabilities,
    proposals and red lines have no place in GENIUS (see
    docs/explanation/interoperability.md).

    Returns
    -------
    list of Path
        The domain file first, then one profile per party in scenario order.

    Raises
    ------
    ScenarioError
        If an issue has every option on someone's red lines, or a party values
        every exportable package at 0 (GENIUS has no way to say either).
    """
    folder = Path(directory)
    kept = _kept_options(scenario)
    issue_names = _distinct_or([i.name for i in scenario.issues], list(scenario.issue_ids))
    items = [_distinct_or([o.label for o in options], [o.id for o in options])
             for options in kept]
    texts = [_domain(scenario, kept, issue_names, items)]
    texts += [_profile(scenario, party, kept, issue_names, items) for party in scenario.parties]
    domain, profiles = _file_names(scenario)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise ScenarioError(f"cannot create the directory: {error.strerror}",
                            file=str(folder)) from None
    paths = [folder / domain, *(folder / name for name in profiles)]
    _write_all(dict(zip(paths, texts, strict=True)))
    return paths
