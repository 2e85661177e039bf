"""GENIUS XML: import a domain and its utility profiles as a scenario; export one back.

GENIUS (the negotiation environment of the ANAC competitions, also read by
NegMAS) describes a negotiation in one *domain* file (the issues and their
discrete items) and one *profile* file per party (an evaluation of every item,
a weight per issue, optionally a reservation value and a discount factor). A
party's utility of a package is ``sum_i weight_i * evaluation_i(item) / max
evaluation_i``: each issue's evaluations are divided by the issue's largest one.

Import maps this onto zopa as follows (docs/explanation/interoperability.md):

* every GENIUS issue becomes an issue; its items become options in domain
  order, placed evenly on 0–100 (GENIUS items have no positions);
* a party's stance on an issue gets ``values`` = evaluation / largest evaluation,
  ``salience`` = the issue weight, ``ideal`` = the position of its best item;
* reservation = the GENIUS reservation value (0 when absent); capability 1;
* the discount factor, which zopa does not model, is kept in the party's
  description (``GENIUS discount factor: 0.9``) and written back on export.

Export (:func:`export_genius`) writes the reverse; see
:mod:`zopa.formats.genius_export`.

Examples
--------
>>> import tempfile
>>> from zopa.scenario.synthetic import random_scenario
>>> scenario = random_scenario(2, 3, 3, rng=7)
>>> with tempfile.TemporaryDirectory() as folder:
...     domain, *profiles = export_genius(scenario, folder)
...     back = import_genius(domain, profiles)
>>> [len(issue.options) for issue in back.issues], back.party_ids
([3, 3, 3], ('p1', 'p2'))
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from zopa.errors import ScenarioError
from zopa.formats.genius_export import DISCOUNT_NOTE, export_genius
from zopa.formats.genius_read import DomainIssue, Profile, read_domain, read_profile
from zopa.formats.identifiers import slug
from zopa.scenario import Issue, Option, Party, Scenario, Stance, Uncertain

__all__ = ["export_genius", "import_genius", "import_genius_files"]

_DOMAIN_SUFFIX = re.compile(r"[-_ ]?domain$", re.IGNORECASE)
_PLACEHOLDERS = {"", "root", "any", "objective"}


def _issues(domain: tuple[DomainIssue, ...]) -> tuple[Issue, ...]:
    issue_ids: set[str] = set()
    issues = []
    for issue in domain:
        option_ids: set[str] = set()
        last = len(issue.items) - 1
        options = tuple(
            Option(slug(item.value, option_ids), item.value, Uncertain.point(100.0 * j / last),
                   item.description)
            for j, item in enumerate(issue.items))
        issues.append(Issue(slug(issue.name, issue_ids), issue.name, options,
                            description="GENIUS items carry no positions: placed evenly on "
                                        "0-100 in domain order"))
    return tuple(issues)


def _stance_numbers(profile: Profile) -> tuple[list[list[float]], list[float]]:
    """Per issue, the option values and the salience (on zopa's own scale if marked)."""
    values, saliences = [], []
    for k, evaluations in enumerate(profile.evaluations):
        top = max(evaluations)
        best = profile.best_values[k]
        scale = 1.0 if best is None else best
        values.append([scale * e / top if top > 0 else 0.0 for e in evaluations])
        saliences.append(profile.weights[k] / scale if scale > 0 else 0.0)
    if profile.best_utility is not None:
        # zopa wrote this file: issues worth 0 share the salience their weights lost.
        empty = [k for k, best in enumerate(profile.best_values) if best == 0.0]
        remainder = max(0.0, 1.0 / profile.best_utility - sum(saliences))
        for k in empty:
            saliences[k] = remainder / len(empty)
    return values, saliences


def _party(profile: Profile, party_id: str) -> Party:
    file = str(profile.file)
    scale = 1.0 if profile.best_utility is None else profile.best_utility
    if scale <= 0:
        raise ScenarioError("zopa_best_utility must be above 0", file=file,
                            path=("zopa_best_utility",))
    raw = 0.0 if profile.reservation is None else profile.reservation
    reservation = raw * scale
    if reservation > 1.0:
        raise ScenarioError(f"expected a reservation value between 0 and 1, got {raw:g}",
                            file=file, line=profile.reservation_line, path=("reservation",))
    description = f"From the GENIUS profile {profile.file.name}."
    if profile.discount is not None:
        description += (f" {DISCOUNT_NOTE} {profile.discount!r} (zopa does not discount "
                        "utilities over time).")
    note = "GENIUS reservation value" if profile.reservation is not None else \
        "the GENIUS profile has no reservation value; 0 assumed"
    return Party(party_id, profile.file.stem, Uncertain.point(
        1.0, note="GENIUS profiles carry no capability; every party gets 1"),
        Uncertain.point(reservation, note=note), description)


def _stances(party_id: str, profile: Profile, issues: tuple[Issue, ...]) -> list[Stance]:
    values, saliences = _stance_numbers(profile)
    stances = []
    for issue, issue_values, salience in zip(issues, values, saliences, strict=True):
        best = max(range(len(issue_values)), key=lambda j: (issue_values[j], -j))
        stances.append(Stance(
            party_id, issue.id, issue.options[best].position, Uncertain.point(salience),
            tuple((option.id, Uncertain.point(value))
                  for option, value in zip(issue.options, issue_values, strict=True))))
    return stances


def import_genius(domain: str | Path, profiles: Sequence[str | Path]) -> Scenario:
    """Read a GENIUS domain and one utility profile per party as a scenario.

    Parameters
    ----------
    domain
        The domain file (``<negotiation_template>`` or ``<utility_space>`` with issues).
    profiles
        One profile file per party; the party id is made from the file name.

    Raises
    ------
    ScenarioError
        One line naming the file, the line and the attribute: malformed XML, a
        DTD or entity declaration, a non-discrete issue, a profile that does not
        match the domain (unknown issue or item, missing evaluation or weight,
        weights not summing to 1, a negative evaluation), a reservation outside 0–1.
    """
    domain = Path(domain)
    if not profiles:
        raise ScenarioError("expected at least one profile after the domain file",
                            file=str(domain))
    read_from = read_domain(domain)
    read = [read_profile(Path(path), read_from.issues) for path in profiles]
    issues = _issues(read_from.issues)
    party_ids: set[str] = set()
    parties, stances = [], []
    for profile in read:
        party = _party(profile, slug(profile.file.stem, party_ids))
        parties.append(party)
        stances += _stances(party.id, profile, issues)
    stem = _DOMAIN_SUFFIX.sub("", domain.stem) or domain.stem
    title = read_from.name if read_from.name.lower() not in _PLACEHOLDERS else stem
    names = ", ".join(profile.file.name for profile in read)
    try:
        return Scenario(slug(stem, set()), title, tuple(parties), issues, tuple(stances),
                        description=f"Imported from the GENIUS domain {domain.name} with the "
                                    f"profiles {names}.")
    except ScenarioError as error:
        raise error.located(file=str(domain)) from None


def import_genius_files(paths: Sequence[str | Path]) -> Scenario:
    """``import_genius(paths[0], paths[1:])``: the command line's ``DOMAIN PROFILE...``."""
    if not paths:
        raise ScenarioError("expected a GENIUS domain file followed by one profile per party")
    return import_genius(paths[0], paths[1:])
