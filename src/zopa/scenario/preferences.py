"""What each party wants on each issue: ideal point, salience, option values, red lines.

A party's utility of a package is additive over issues::

    u_p(package) = sum_i  w_pi * v_pi(option chosen on issue i)
    w_pi = salience_pi / sum_k salience_pk

so utilities lie on a 0–1 scale on which the party's reservation value is set.
The value ``v_pi`` of an option defaults to ``1 - |position - ideal| / 100``
(linear loss in distance on the issue's scale) and can be overridden per option.
"""

from __future__ import annotations

from dataclasses import dataclass

from zopa.errors import ScenarioError
from zopa.scenario.issue import SCALE_MAX, Issue, Option
from zopa.scenario.uncertain import Uncertain

__all__ = ["Stance", "default_value"]


def default_value(position: float, ideal: float) -> float:
    """Value of an option at ``position`` to a party whose ideal is ``ideal``.

    Examples
    --------
    >>> default_value(0.0, 100.0), default_value(60.0, 80.0)
    (0.0, 0.8)
    """
    return 1.0 - abs(position - ideal) / SCALE_MAX


@dataclass(frozen=True, slots=True)
class Stance:
    """One party's preferences on one issue.

    Parameters
    ----------
    party, issue
        Ids of the party and the issue.
    ideal
        The party's most preferred position on the issue's 0–100 scale.
    salience
        How much the issue matters to the party, relative to its other issues (>= 0).
    values
        Per-option overrides of the derived value, as ``(option_id, value)`` pairs, values in 0–1.
    red_lines
        Option ids the party rejects outright, whatever else the deal offers.
    note
        The reasoning behind these numbers.
    """

    party: str
    issue: str
    ideal: Uncertain
    salience: Uncertain
    values: tuple[tuple[str, Uncertain], ...] = ()
    red_lines: frozenset[str] = frozenset()
    note: str = ""

    def __post_init__(self) -> None:
        if self.ideal.low < 0 or self.ideal.high > SCALE_MAX:
            raise ScenarioError(
                f"expected an ideal position between 0 and 100, got "
                f"{self.ideal.low}..{self.ideal.high}",
                path=("ideal",),
            )
        if self.salience.low < 0:
            raise ScenarioError(
                f"expected a salience >= 0, got {self.salience.low}", path=("salience",)
            )
        for option_id, value in self.values:
            if value.low < 0 or value.high > 1:
                raise ScenarioError(
                    f"expected an option value between 0 and 1, got {value.low}..{value.high}",
                    path=("values", option_id),
                )

    @classmethod
    def indifferent(cls, party: str, issue: Issue) -> Stance:
        """The stance of a party that does not care about an issue (salience 0)."""
        return cls(party=party, issue=issue.id, ideal=Uncertain.point(50.0),
                   salience=Uncertain.point(0.0))

    def override(self, option_id: str) -> Uncertain | None:
        """The explicit value given to an option, if any."""
        for key, value in self.values:
            if key == option_id:
                return value
        return None

    def value_of(self, option: Option) -> float:
        """Value (0–1) of an option to this party, using modes of uncertain inputs."""
        explicit = self.override(option.id)
        if explicit is not None:
            return explicit.value
        return default_value(option.position.value, self.ideal.value)
