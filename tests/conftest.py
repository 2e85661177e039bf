"""Shared fixtures: paths, the small harbour scenario, the default scenario."""

from __future__ import annotations

from pathlib import Path

import pytest

from zopa.catalog import load_catalog_scenario
from zopa.formats import load_scenario
from zopa.scenario import Scenario

DATA = Path(__file__).parent / "data"
ROOT = Path(__file__).parent.parent


@pytest.fixture(scope="session")
def harbour_path() -> Path:
    return DATA / "harbour.yaml"


@pytest.fixture(scope="session")
def harbour(harbour_path: Path) -> Scenario:
    return load_scenario(harbour_path)


@pytest.fixture(scope="session")
def ukraine() -> Scenario:
    return load_catalog_scenario("ukraine-2025")
