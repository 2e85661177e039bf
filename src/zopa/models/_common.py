"""Small helpers shared by the model modules."""

from __future__ import annotations

from dataclasses import asdict, is_dataclass
from typing import Any

import numpy as np

from zopa._rng import RNGLike, SeedLike
from zopa.analysis.results import Provenance

__all__ = ["model_provenance", "seed_of"]


def seed_of(rng: RNGLike | SeedLike) -> int | None:
    """The integer seed behind ``rng`` when there is one (for provenance)."""
    if isinstance(rng, int | np.integer):
        return int(rng)
    return None


def model_provenance(model: Any, scenario_hash: str, rng: RNGLike | SeedLike = None) -> Provenance:
    """Provenance of a model run: its registry name, its options, the seed, the scenario."""
    options = asdict(model) if is_dataclass(model) else {}
    return Provenance(f"zopa.models.{model.name}", tuple(sorted(options.items())),
                      scenario_hash, seed_of(rng))
