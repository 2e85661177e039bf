"""Randomness as an argument (SPEC 7): normalise seeds and spawn child seeds.

zopa never touches global random state. Every stochastic function takes
``rng=`` and passes it through :func:`as_generator`; experiments spawn one child
seed per run with :func:`spawn` *before* dispatching work, so results do not
depend on how the runs are scheduled.
"""

from __future__ import annotations

from typing import TypeAlias

import numpy as np

__all__ = ["RNGLike", "SeedLike", "as_generator", "spawn"]

SeedLike: TypeAlias = int | np.random.SeedSequence | None
RNGLike: TypeAlias = np.random.Generator | np.random.BitGenerator


def as_generator(rng: RNGLike | SeedLike = None) -> np.random.Generator:
    """Return a :class:`numpy.random.Generator` for any accepted seed or generator.

    Examples
    --------
    >>> bool(as_generator(7).integers(100) == as_generator(7).integers(100))
    True
    """
    if isinstance(rng, np.random.Generator):
        return rng
    if isinstance(rng, np.random.BitGenerator):
        return np.random.Generator(rng)
    return np.random.default_rng(rng)


def spawn(seed: SeedLike, n: int) -> list[np.random.SeedSequence]:
    """Spawn ``n`` independent child seeds of ``seed`` (deterministic for an int seed).

    Examples
    --------
    >>> [s.entropy for s in spawn(1, 2)] == [s.entropy for s in spawn(1, 2)]
    True
    """
    root = seed if isinstance(seed, np.random.SeedSequence) else np.random.SeedSequence(seed)
    return root.spawn(n)
