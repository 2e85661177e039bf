"""Uncertain values: every number in a scenario is a point or a low/mode/high range."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from zopa.errors import ScenarioError

__all__ = ["Uncertain"]


@dataclass(frozen=True, slots=True)
class Uncertain:
    """A number known as a point or as a range, with its provenance.

    The *mode* is the value used by exact analyses; ``low`` and ``high`` bound
    it for Monte Carlo and sensitivity analysis (a triangular distribution by
    default). A point has ``low == mode == high``.

    Parameters
    ----------
    low, mode, high
        Bounds and most likely value, ``low <= mode <= high``.
    sources
        Keys of the scenario's sources that back this number.
    note
        Reasoning or caveats in the analyst's words.
    judgement
        True when the number is an analyst's judgement rather than a sourced figure.

    Examples
    --------
    >>> rate = Uncertain(12.0, 13.2, 17.5, sources=("S41", "S52"))
    >>> rate.value, rate.is_point
    (13.2, False)
    >>> Uncertain.point(2586.0).value
    2586.0
    """

    low: float
    mode: float
    high: float
    sources: tuple[str, ...] = ()
    note: str | None = None
    judgement: bool = False

    def __post_init__(self) -> None:
        for name in ("low", "mode", "high"):
            if not math.isfinite(getattr(self, name)):
                raise ScenarioError(f"expected a finite number, got {getattr(self, name)!r}",
                                    path=(name,))
        if not self.low <= self.mode <= self.high:
            raise ScenarioError(
                f"expected low <= mode <= high, got {self.low} / {self.mode} / {self.high}"
            )

    @classmethod
    def point(
        cls,
        value: float,
        *,
        sources: tuple[str, ...] = (),
        note: str | None = None,
        judgement: bool = False,
    ) -> Uncertain:
        """A value known exactly (as far as the scenario is concerned)."""
        value = float(value)
        return cls(value, value, value, sources=sources, note=note, judgement=judgement)

    @property
    def value(self) -> float:
        """The most likely value, used by exact (non-Monte-Carlo) analyses."""
        return self.mode

    @property
    def is_point(self) -> bool:
        """True when the value carries no range."""
        return self.low == self.high

    def sample(self, rng: np.random.Generator, size: int | None = None) -> np.ndarray:
        """Draws from the triangular distribution on low/mode/high (the value itself for a point).

        The triangular distribution is the documented default for ranges: it needs
        only the three numbers analysts give and puts most weight near the mode.
        """
        if self.is_point:
            return np.full(() if size is None else size, self.mode)
        return rng.triangular(self.low, self.mode, self.high, size)

    def with_value(self, value: float) -> Uncertain:
        """A point at ``value`` that keeps this value's provenance."""
        return Uncertain.point(value, sources=self.sources, note=self.note,
                               judgement=self.judgement)
