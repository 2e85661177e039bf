"""Who pays: cost items and how each option of a funding issue splits them among payers.

A cost item is a bill (e.g. reconstruction, USD 524 bn in the RDNA4 assessment). A
funding rule says, for one option of one issue, which share of which cost items each
payer bears under that option. A payer is usually a party, but need not be (e.g.
"private investors").
"""

from __future__ import annotations

from dataclasses import dataclass

from zopa.errors import ScenarioError
from zopa.scenario.text import require_text
from zopa.scenario.uncertain import Uncertain

__all__ = ["CostItem", "FundingRule"]


@dataclass(frozen=True, slots=True)
class CostItem:
    """A bill someone has to pay.

    Parameters
    ----------
    id, name
        Identifier and name.
    amount
        The amount, in ``unit``.
    unit
        e.g. ``"USD bn"``.
    description
        Free text.
    """

    id: str
    name: str
    amount: Uncertain
    unit: str = "USD bn"
    description: str = ""

    def __post_init__(self) -> None:
        require_text(self.name, "name")
        require_text(self.unit, "unit")
        if self.amount.low < 0:
            raise ScenarioError("expected an amount >= 0", path=("amount",))


@dataclass(frozen=True, slots=True)
class FundingRule:
    """Under ``option`` of ``issue``, each payer bears these shares of the cost items.

    Parameters
    ----------
    issue, option
        The option this rule applies to.
    shares
        ``(payer, share)`` pairs; shares are fractions of each cost item in ``items``
        and sum to at most 1 (the rest is unfunded).
    items
        Ids of the cost items covered (all items when empty).
    note
        The reasoning.
    """

    issue: str
    option: str
    shares: tuple[tuple[str, Uncertain], ...]
    items: tuple[str, ...] = ()
    note: str = ""

    def __post_init__(self) -> None:
        total = sum(share.value for _, share in self.shares)
        if total > 1.0 + 1e-9:
            raise ScenarioError(f"expected shares summing to at most 1, got {total:.3f}",
                                path=("shares",))
        for payer, share in self.shares:
            if share.low < 0 or share.high > 1:
                raise ScenarioError("expected a share between 0 and 1", path=("shares", payer))
