"""Import scenarios written for KTAB's Spatial Model of Politics (CSV and XML).

KTAB (the KAPSARC Toolkit for Behavioral Analysis) describes a scenario as
actors with a capability ("Influence" or "Power") and, on each dimension, a
position and a salience, both on 0-100. The importers map

* actors to parties (id = slug of the name, made unique; capability = the
  influence; reservation 0, since the format has none),
* dimensions to issues on the 0-100 scale, whose options are the distinct
  actor positions on that dimension (ids like ``pos_45_5``, labels like
  ``45.5``; the scale ends are added when fewer than two positions differ),
* each actor's entry to a stance: ideal = position, salience = given / 100,

and cite one :class:`~zopa.scenario.Source` naming the file. Both formats give
saliences in percent (the XML schema bounds ``dSal`` to 0-100 and
``dummyData_3Dim.xml`` repeats the CSV's numbers), so both are divided by 100.

XML is parsed with expat, refusing any document type declaration or entity
declaration (no entity expansion is possible), and keeping line numbers so
that every error names the file, the line and the field.
"""

from __future__ import annotations

from pathlib import Path

from zopa.errors import ScenarioError
from zopa.formats.ktab_tables import (
    KtabActor,
    KtabTable,
    csv_table,
    number,
    read_text,
    slug,
    unique_ids,
    xml_table,
)
from zopa.formats.ktab_xml import parse_xml
from zopa.scenario import Issue, Option, Party, Scenario, Source, Stance, Uncertain

__all__ = [
    "import_ktab_csv",
    "import_ktab_xml",
    "read_ktab_xml_ideal_adjustment",
    "read_ktab_xml_parameters",
]

SOURCE_KEY = "ktab-file"
_SLACK = 1e-9


def _label(value: float) -> str:
    return f"{value:.6f}".rstrip("0").rstrip(".")


def _issue(issue_id: str, name: str, positions: list[float]) -> Issue:
    values = sorted({round(v, 6) + 0.0 for v in positions})  # as labelled: 1e-7 is 0, -0.0 is 0
    if len(values) < 2:
        values = sorted(set(values) | {0.0, 100.0})
    options = tuple(Option(f"pos_{_label(v).replace('.', '_')}", _label(v),
                           Uncertain.point(v, sources=(SOURCE_KEY,))) for v in values)
    return Issue(issue_id, name, options, low_label="0", high_label="100")


def _check_actor(actor: KtabActor, file: str) -> None:
    total = sum(actor.salience)
    if total > 100.0 + _SLACK:
        raise ScenarioError(f"saliences add up to {total:g}; KTAB allows at most 100 per actor",
                            path=("actors", actor.name, "salience"), file=file, line=actor.line)
    if total <= 0.0:
        raise ScenarioError("every salience is 0; expected at least one positive salience",
                            path=("actors", actor.name, "salience"), file=file, line=actor.line)
    if actor.capability <= 0.0:
        raise ScenarioError("expected a positive capability (an actor without influence "
                            "cannot be represented)", path=("actors", actor.name, "capability"),
                            file=file, line=actor.line)


def _scenario(table: KtabTable, file: str, kind: str) -> Scenario:
    """Build the zopa scenario from a parsed KTAB table (any error names the file)."""
    try:
        return _build(table, file, kind)
    except ScenarioError as error:
        raise error.located(file=file) from None


def _build(table: KtabTable, file: str, kind: str) -> Scenario:
    for actor in table.actors:
        _check_actor(actor, file)
    cite = (SOURCE_KEY,)
    party_ids = unique_ids([a.name for a in table.actors], "actor")
    issue_ids = unique_ids(list(table.dimensions), "dimension")
    no_reservation = "the KTAB format has no reservation value"
    parties = tuple(
        Party(pid, a.name.strip() or pid, Uncertain.point(a.capability, sources=cite),
              Uncertain.point(0.0, note=no_reservation, judgement=True), a.description)
        for pid, a in zip(party_ids, table.actors, strict=True))
    issues = tuple(_issue(iid, name, [a.position[k] for a in table.actors])
                   for k, (iid, name) in enumerate(zip(issue_ids, table.dimensions, strict=True)))
    stances = tuple(
        Stance(pid, iid, Uncertain.point(a.position[k], sources=cite),
               Uncertain.point(a.salience[k] / 100.0, sources=cite))
        for pid, a in zip(party_ids, table.actors, strict=True)
        for k, iid in enumerate(issue_ids))
    source = Source(SOURCE_KEY, f"KTAB SMP scenario file {Path(file).name}",
                    note=f"imported from {kind}; saliences divided by 100")
    try:
        return Scenario(slug(table.name, "ktab-scenario"), table.name or Path(file).stem,
                        parties, issues, stances, sources=(source,),
                        description=table.description)
    except ScenarioError as error:
        raise error.located(file=file) from None


def import_ktab_csv(path: str | Path) -> Scenario:
    """Read a KTAB SMP scenario from CSV.

    Line 1 is ``name, description, number of actors, number of dimensions`` (further
    fields ignored); line 2 the header ``Actor, Description, Influence, <dim> Position,
    <dim> Salience, ...``; then one line per actor. A trailing comma on each line is
    optional.

    Raises
    ------
    ScenarioError
        Naming the file, the line and the field: wrong column counts, non-numbers,
        positions or saliences outside 0-100, saliences adding up to more than 100,
        fewer than 3 (or more than 250) actors.
    """
    text, file = read_text(path)
    return _scenario(csv_table(text, file), file, "CSV")


def import_ktab_xml(path: str | Path) -> Scenario:
    """Read a KTAB SMP scenario from XML (``smpSchema.xsd``).

    ``<ModelParameters>`` are read by :func:`read_ktab_xml_parameters` and
    ``<IdealAdjustment>`` by :func:`read_ktab_xml_ideal_adjustment`.

    Raises
    ------
    ScenarioError
        Naming the file, the line and the field, e.g. an empty ``<dCoord>``; also for
        any ``<!DOCTYPE`` or ``<!ENTITY`` declaration, which is refused.
    """
    text, file = read_text(path)
    return _scenario(xml_table(parse_xml(text, file), file), file, "XML")


_PARAMETERS: dict[str, tuple[str, dict[str, str]]] = {
    "VictoryProbModel": ("victory_probability", {
        "Linear": "linear", "Square": "square", "Quartic": "quartic", "Octic": "octic",
        "Binary": "binary"}),
    "PCEModel": ("pce", {"Conditional": "conditional", "MarkovIncentive": "markov_incentive",
                         "MarkovUniform": "markov_uniform"}),
    "StateTransitions": ("transitions", {"Deterministic": "deterministic",
                                         "Stochastic": "stochastic"}),
    "VotingRule": ("voting", {"Binary": "binary", "PropBin": "prop_bin", "Proportional": "prop",
                              "Prop": "prop", "PropCbc": "prop_cbc", "Cubic": "cubic",
                              "ASymProsp": "asym_prosp"}),
    "BigRAdjust": ("big_r_adjust", {"Full": "full", "TwoThirds": "two_thirds", "Half": "half",
                                    "OneThird": "one_third", "No": "none"}),
    "BigRRange": ("big_r_range", {"Min": "min", "Mid": "mid", "Max": "max"}),
    "ThirdPartyCommit": ("third_party_commit", {"NoCommit": "none", "SemiCommit": "semi",
                                                "FullCommit": "full"}),
    "InterVecBrgn": ("bargain", {"S1P1": "s1p1", "S2P2": "s2p2", "S2PMax": "s2pmax"}),
    "BargnModel": ("bargain_model", {"InitOnlyInterp": "init_only",
                                     "InitRcvrInterp": "init_rcvr", "PWCompInterp": "pw_comp"}),
}


def read_ktab_xml_parameters(path: str | Path) -> dict[str, str]:
    """The ``<ModelParameters>`` of a KTAB XML file as options of zopa's ``smp`` model.

    Returns an empty dict when the file has none (KTAB then uses its defaults).
    Values zopa's model does not implement (``S2PMax``, ``NoCommit``, ...) are
    mapped too; the model refuses them with a ModelError.

    Examples
    --------
    >>> sorted(_PARAMETERS["PCEModel"][1].values())
    ['conditional', 'markov_incentive', 'markov_uniform']
    """
    text, file = read_text(path)
    block = parse_xml(text, file).find("ModelParameters")
    if block is None:
        return {}
    options: dict[str, str] = {}
    for node in block.children():
        if node.tag not in _PARAMETERS:
            raise ScenarioError(f"unknown model parameter <{node.tag}>; expected one of "
                                f"{list(_PARAMETERS)}", path=("ModelParameters", node.tag),
                                file=file, line=node.line)
        option, values = _PARAMETERS[node.tag]
        value = node.text.strip()
        if value not in values:
            raise ScenarioError(f"unknown value {value!r}; expected one of {list(values)}",
                                path=("ModelParameters", node.tag), file=file, line=node.line)
        options[option] = values[value]
    return options


def read_ktab_xml_ideal_adjustment(path: str | Path) -> tuple[tuple[str, str, float], ...]:
    """The ``<IdealAdjustment>`` pairs as ``(adjusting party id, reference party id, weight)``.

    Party ids are those :func:`import_ktab_xml` gives; the triples can be passed
    as ``ideal_adjustment`` to zopa's ``smp`` model. Empty when the file has none.
    """
    text, file = read_text(path)
    root = parse_xml(text, file)
    block = root.find("IdealAdjustment")
    if block is None:
        return ()
    names = [a.text_of("name", file) for a in root.child("Actors", file).children("Actor")]
    ids = dict(zip(names, unique_ids(names, "actor"), strict=True))
    pairs = []
    for node in block.children("iaPair"):
        ends = []
        for field in ("adjustingIdeal", "referencePos"):
            name = node.text_of(field, file).strip()
            if name not in ids:
                raise ScenarioError(f"unknown actor {name!r}; expected one of {names}",
                                    path=("IdealAdjustment", field), file=file,
                                    line=node.child(field, file).line)
            ends.append(ids[name])
        weight = number(node.text_of("adjust", file), low=-1e6, high=1e6, what="a weight",
                         file=file, line=node.child("adjust", file).line,
                         path=("IdealAdjustment", "adjust"))
        pairs.append((ends[0], ends[1], weight))
    return tuple(pairs)
