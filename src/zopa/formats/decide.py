"""Read input files of Decide, Stokman's exchange-model software (``#A/#P/#M/#D`` rows).

Each line is one row of tab-separated fields, optionally quoted with ``'``; the first
field says what the row is:

* ``#A key name comment`` -- an actor;
* ``#P key name comment`` -- an issue;
* ``#M issue value description`` -- a point of the issue's scale (its anchors): the
  lowest and highest values given are the ends of the scale; without ``#M`` rows the
  scale is 0–100;
* ``#D actor issue position salience power`` -- an actor's position on an issue, on the
  issue's scale, with salience and power in [0, 1];
* ``#/ ...`` and ``#0 ...`` -- comments; ``#O title`` -- the title (also a comment
  to Decide's documentation, which writes it ``#0``).

The mapping onto a zopa scenario:

* **Actors** become parties (``id`` = the key, made into an identifier if needed;
  ``name`` = the name; ``description`` = the comment).
* **Power** is Decide's per actor *and issue*. When an actor's power is the same on all
  its issues -- as in every file shipped with Decide -- it is the party's
  ``capability``. When it varies, the capability is the actor's largest power and the
  salience on each issue becomes ``salience x power / capability``, so that capability
  x salience, the weight of every model, is exactly Decide's (a note on the stance
  says so). Decide's exchange model also uses the salience on its own, so its results
  for such an actor will differ from Decide's.
* **Issues** keep their key as ``id`` and their name. Positions are mapped linearly
  from the scale ``[lowest #M, highest #M]`` onto 0–100; the scale is kept in the
  issue's description (read it back with :func:`decide_scale`). When ``#M`` rows name
  their values, those named values are the issue's options and the ends' names are its
  ``low_label`` and ``high_label``; otherwise the options are the distinct positions
  the actors hold and the labels give the ends of the scale.
* **Missing** ``#D`` rows (an actor absent from an issue) become no stance: the party is
  indifferent to that issue (salience 0).
* **Reservations**: the format has none; every party gets 0 (any deal is acceptable
  to it), marked as a judgement with that note.

A malformed file raises :class:`~zopa.errors.ScenarioError` naming the file, the line
and the field.

Examples
--------
>>> text = ("'#A'\\t'a'\\t'Alpha'\\t''\\n'#A'\\t'b'\\t'Beta'\\t''\\n"
...         "'#P'\\t'tax'\\t'Tax rate'\\t''\\n"
...         "'#M'\\t'tax'\\t0\\t'none'\\n'#M'\\t'tax'\\t10\\t'high'\\n"
...         "'#D'\\t'a'\\t'tax'\\t2.5\\t0.8\\t0.6\\n'#D'\\t'b'\\t'tax'\\t10\\t0.4\\t0.4\\n")
>>> scenario = loads_decide(text)
>>> [scenario.stance(p, "tax").ideal.value for p in scenario.party_ids]
[25.0, 100.0]
>>> decide_scale(scenario.issue("tax")), scenario.issue("tax").low_label
((0.0, 10.0), 'none')
"""

from __future__ import annotations

import re
from pathlib import Path

from zopa.errors import ScenarioError
from zopa.formats.decide_rows import (
    DecideFile,
    Definition,
    Row,
    check_values,
    fail,
    number_text,
    read_rows,
    scale_of,
)
from zopa.formats.identifiers import slug
from zopa.formats.reading import STDIN, read_file_bytes, read_stdin
from zopa.scenario import Issue, Option, Party, Scenario, Source, Stance, Uncertain

__all__ = ["decide_scale", "from_decide_scale", "import_decide", "loads_decide",
           "to_decide_scale"]

_SOURCE = "decide"
_SCALE = re.compile(r"Decide scale \[(\S+), (\S+)\]")


def _mapped(value: float, low: float, high: float) -> float:
    return min(100.0, max(0.0, (value - low) / (high - low) * 100.0))


def _options(parsed: DecideFile, issue: Definition, rows: list[Row], low: float,
             high: float) -> tuple[Option, ...]:
    anchors = sorted(parsed.anchors.get(issue.key, []), key=lambda a: a.value)
    if any(a.description for a in anchors):
        named = {a.value: a for a in anchors}
        return tuple(Option(f"m{k + 1}", a.description or number_text(a.value),
                            Uncertain.point(_mapped(a.value, low, high)),
                            description=f"{number_text(a.value)} on the Decide scale")
                     for k, a in enumerate(named.values()))
    held = sorted({r.position for r in rows})
    values = held if len(held) > 1 else sorted({low, *held, high})
    return tuple(Option(f"x{k + 1}", number_text(value), Uncertain.point(_mapped(value, low, high)),
                        description="held by " + ", ".join(r.actor for r in rows
                                                           if r.position == value)
                        if value in held else "end of the scale")
                 for k, value in enumerate(values))


def _issue(parsed: DecideFile, issue: Definition, issue_id: str) -> Issue:
    low, high = scale_of(parsed, issue)
    rows = [r for r in parsed.rows if r.issue == issue.key]
    ends = {a.value: a.description for a in parsed.anchors.get(issue.key, [])}
    note = f"Decide scale [{number_text(low)}, {number_text(high)}] mapped linearly onto 0-100."
    return Issue(issue_id, issue.name, _options(parsed, issue, rows, low, high),
                 low_label=ends.get(low) or f"{number_text(low)} on the Decide scale",
                 high_label=ends.get(high) or f"{number_text(high)} on the Decide scale",
                 description=" ".join(part for part in (issue.comment, note) if part))


def _capabilities(parsed: DecideFile) -> dict[str, float]:
    """Each taking-part actor's capability: its largest power (its only one, in Decide's files).

    Actors without a row of positive salience and power take no part and are left out.
    """
    found: dict[str, float] = {}
    for row in parsed.rows:
        if row.salience * row.power > 0:
            found[row.actor] = max(found.get(row.actor, 0.0), row.power)
    return {key: found[key] for key in parsed.actors if key in found}


def _parties(parsed: DecideFile, capability: dict[str, float]) -> dict[str, Party]:
    taken: set[str] = set()
    return {
        actor.key: Party(
            slug(actor.key, taken), actor.name,
            Uncertain.point(capability[actor.key], sources=(_SOURCE,)),
            Uncertain.point(0.0, note="the Decide format has no reservation values; 0 means "
                                      "any deal is acceptable", judgement=True),
            description=actor.comment)
        for actor in parsed.actors.values() if actor.key in capability}


def _stance(row: Row, party: str, issue: Issue, low: float, high: float,
            capability: float) -> Stance:
    salience = row.salience if row.power == capability else row.salience * row.power / capability
    note = ("" if row.power == capability else
            f"Decide power {row.power:g} on this issue, capability {capability:g}: salience "
            f"{row.salience:g} x {row.power:g} / {capability:g}")
    return Stance(party, issue.id,
                  Uncertain.point(_mapped(row.position, low, high), sources=(_SOURCE,)),
                  Uncertain.point(salience, sources=(_SOURCE,)), note=note)


def _description(parsed: DecideFile, capability: dict[str, float]) -> str:
    varied = sorted({r.actor for r in parsed.rows
                     if r.actor in capability and r.power != capability[r.actor]})
    power = (f"power varies across issues for {varied}: folded into their saliences"
             if varied else "each actor's power is the same on all its issues: capability")
    absent = [key for key in parsed.actors if key not in capability]
    if absent:
        power += f"; left out {absent} (no issue with positive salience and power)"
    return " ".join([*parsed.comments,
                     f"Imported from a Decide input file ({len(parsed.rows)} #D rows); "
                     f"{power}; reservations set to 0 (the format has none)."])


def loads_decide(text: str, *, name: str = "<string>") -> Scenario:
    """Parse Decide input text into a scenario (see the module docstring for the mapping).

    Raises
    ------
    ScenarioError
        Naming ``name``, the line and the field, for a malformed file.
    """
    parsed = read_rows(text, name)
    for what, table in (("actor (#A)", parsed.actors), ("issue (#P)", parsed.issues)):
        if not table:
            raise fail(f"no {what} rows; expected at least one", name, 1)
    if not parsed.rows:
        raise fail("no #D rows; expected positions of actors on issues", name, 1)
    check_values(parsed)
    capability = _capabilities(parsed)
    if not capability:
        raise fail("no #D row has a positive salience and power; expected at least one",
                   name, parsed.rows[0].line, "salience")
    parties = _parties(parsed, capability)
    taken: set[str] = set()
    issues, stances = [], []
    for definition in parsed.issues.values():
        issue = _issue(parsed, definition, slug(definition.key, taken))
        low, high = scale_of(parsed, definition)
        issues.append(issue)
        stances += [_stance(r, parties[r.actor].id, issue, low, high, capability[r.actor])
                    for r in parsed.rows if r.issue == definition.key and r.actor in parties]
    rank = {party.id: k for k, party in enumerate(parties.values())}
    stances.sort(key=lambda s: rank[s.party])
    stem = "decide" if name.startswith("<") else Path(name).stem
    try:
        return Scenario(slug(stem, set()), parsed.title or stem,
                        tuple(parties.values()), tuple(issues), tuple(stances),
                        sources=(Source(_SOURCE, f"Decide input file {name}"),),
                        description=_description(parsed, capability))
    except ScenarioError as error:  # e.g. more actors than the limit: name the file
        raise error.located(file=name) from None


def import_decide(path: str | Path) -> Scenario:
    """Read a Decide input file (or ``-`` for standard input) as a scenario.

    Raises
    ------
    ScenarioError
        Naming the file, the line and the field, for an unreadable or malformed file.
    """
    if str(path) == "-":
        return loads_decide(read_stdin(), name=STDIN)
    name = str(path)
    data = read_file_bytes(path, expected="a Decide input file")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    return loads_decide(text, name=name)


def decide_scale(issue: Issue) -> tuple[float, float]:
    """The ``(low, high)`` Decide scale of an issue imported by this module.

    Raises
    ------
    ScenarioError
        If the issue's description does not carry a Decide scale.
    """
    found = _SCALE.search(issue.description)
    if found is None:
        raise ScenarioError(f"issue {issue.id!r} does not carry a Decide scale in its "
                            "description", path=("issues", issue.id))
    return float(found[1]), float(found[2])


def to_decide_scale(issue: Issue, position: float) -> float:
    """A 0–100 position of an imported issue, back on the file's own scale."""
    low, high = decide_scale(issue)
    return low + position / 100.0 * (high - low)


def from_decide_scale(issue: Issue, value: float) -> float:
    """A value on the file's own scale, on the issue's 0–100 scale."""
    low, high = decide_scale(issue)
    return _mapped(value, low, high)
