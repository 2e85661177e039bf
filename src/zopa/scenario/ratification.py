"""Who must ratify a deal: referendums over electorate segments, legislatures, veto players.

Every ratifier is a set of voting groups. A group (an electorate segment, a
parliamentary bloc, a single veto player) weighs the issues with its own stances,
like a party, and votes yes when the deal is worth at least its ``threshold`` to it.
A ratifier approves when the yes votes reach ``majority`` of the votes cast and, for
a referendum, turnout reaches ``quorum``. ``after_ceasefire_days`` records a
sequencing rule (a referendum only after a ceasefire of at least that many days).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from zopa.errors import ScenarioError
from zopa.scenario.preferences import Stance
from zopa.scenario.text import require_text
from zopa.scenario.uncertain import Uncertain

__all__ = ["RATIFIER_KINDS", "Ratifier", "VoterGroup"]

RatifierKind = Literal["referendum", "legislature", "veto"]
RATIFIER_KINDS: tuple[str, ...] = ("referendum", "legislature", "veto")


@dataclass(frozen=True, slots=True)
class VoterGroup:
    """A block of votes with common priorities.

    Parameters
    ----------
    id, name
        Identifier and name.
    share
        Share of the electorate or of the seats (0–1).
    turnout
        Share of the group that votes (referendums); 1 for legislatures and veto players.
    threshold
        Utility (0–1) the deal must reach for the group to vote yes.
    stances
        The group's stances, with ``party`` set to the group id.
    description
        Free text.
    """

    id: str
    name: str
    share: Uncertain
    threshold: Uncertain
    stances: tuple[Stance, ...]
    turnout: Uncertain = Uncertain.point(1.0)
    description: str = ""

    def __post_init__(self) -> None:
        require_text(self.name, "name")
        for field in ("share", "threshold", "turnout"):
            value: Uncertain = getattr(self, field)
            if value.low < 0 or value.high > 1:
                raise ScenarioError(f"expected a {field} between 0 and 1, got "
                                    f"{value.low}..{value.high}", path=(field,))
        if not any(s.salience.value > 0 for s in self.stances):
            raise ScenarioError("expected at least one stance with a positive salience",
                                path=("stances",))

    def stance(self, issue: str) -> Stance | None:
        """The group's stance on an issue, if it has one."""
        return next((s for s in self.stances if s.issue == issue), None)


@dataclass(frozen=True, slots=True)
class Ratifier:
    """A body whose approval a deal needs.

    Parameters
    ----------
    id, name
        Identifier and name.
    kind
        ``"referendum"``, ``"legislature"`` or ``"veto"``.
    party
        The party whose ratification this is.
    groups
        The voting groups; their shares should sum to 1.
    majority
        Share of the votes cast needed to approve (e.g. 0.5; 2/3 for a constitutional change).
    quorum
        Minimum turnout for a referendum to be valid (0 for none).
    after_ceasefire_days
        The vote may only take place after a ceasefire of at least this many days.
    description
        Free text, including the legal basis.
    """

    id: str
    name: str
    kind: RatifierKind
    party: str
    groups: tuple[VoterGroup, ...]
    majority: Uncertain = Uncertain.point(0.5)
    quorum: Uncertain = Uncertain.point(0.0)
    after_ceasefire_days: int | None = None
    description: str = ""

    def __post_init__(self) -> None:
        require_text(self.name, "name")
        if self.kind not in RATIFIER_KINDS:
            raise ScenarioError(f"expected a kind in {list(RATIFIER_KINDS)}, got {self.kind!r}",
                                path=("kind",))
        if not self.groups:
            raise ScenarioError("expected at least one voting group", path=("groups",))
        total = sum(g.share.value for g in self.groups)
        if abs(total - 1) > 0.02:
            raise ScenarioError(f"expected group shares summing to 1, got {total:.3f}",
                                path=("groups",))
        seen: set[str] = set()
        for index, group in enumerate(self.groups):
            if group.id in seen:
                raise ScenarioError(f"duplicate group id {group.id!r}",
                                    path=("groups", index, "id"))
            seen.add(group.id)
