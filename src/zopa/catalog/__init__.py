"""Scenarios shipped with zopa, loaded with importlib.resources.

``ukraine-2025`` is the default wherever a scenario is optional.
"""

from __future__ import annotations

from importlib import resources

from zopa.formats import loads_scenario
from zopa.scenario import Scenario

__all__ = ["DEFAULT_SCENARIO", "catalog_names", "load_catalog_scenario"]

DEFAULT_SCENARIO = "ukraine-2025"


def catalog_names() -> list[str]:
    """Names of the shipped scenarios, sorted."""
    files = resources.files(__package__).iterdir()
    return sorted(f.name.removesuffix(".yaml") for f in files if f.name.endswith(".yaml"))


def load_catalog_scenario(name: str = DEFAULT_SCENARIO) -> Scenario:
    """Load a shipped scenario by name.

    Raises
    ------
    KeyError
        If no scenario of that name is shipped.
    """
    if name not in catalog_names():
        raise KeyError(name)
    text = resources.files(__package__).joinpath(f"{name}.yaml").read_text(encoding="utf-8")
    return loads_scenario(text, name=f"catalog:{name}")
