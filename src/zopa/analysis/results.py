"""Provenance shared by every analysis result."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from zopa.__about__ import __version__
from zopa.scenario import Scenario, content_hash

__all__ = ["Provenance", "provenance"]


@dataclass(frozen=True, slots=True)
class Provenance:
    """How a result was obtained, so that it can be reproduced.

    Parameters
    ----------
    method
        Dotted name of the function that computed the result.
    parameters
        Its options, as ``(name, value)`` pairs.
    scenario_hash
        :func:`~zopa.scenario.content_hash` of the input scenario.
    seed
        Random seed, for stochastic methods.
    version
        The zopa version that computed it.
    """

    method: str
    parameters: tuple[tuple[str, Any], ...] = ()
    scenario_hash: str = ""
    seed: int | None = None
    version: str = field(default=__version__)

    def as_dict(self) -> dict[str, Any]:
        """Plain data for JSON output."""
        return {
            "method": self.method,
            "parameters": dict(self.parameters),
            "scenario_hash": self.scenario_hash,
            "seed": self.seed,
            "version": self.version,
        }


def provenance(method: str, scenario: Scenario, **parameters: Any) -> Provenance:
    """Provenance for a deterministic analysis of ``scenario``."""
    return Provenance(method, tuple(sorted(parameters.items())), content_hash(scenario))
