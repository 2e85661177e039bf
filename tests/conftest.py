"""Shared fixtures: paths, the small harbour scenario, the default scenario."""

from __future__ import annotations

import importlib.util
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

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


@pytest.fixture
def postgres_server() -> str:
    """The PostgreSQL server of ``ZOPA_TEST_POSTGRES_URL`` (each user makes its own database).

    Skipped without the variable, except under ``CI=true``, where it fails.
    """
    base = os.environ.get("ZOPA_TEST_POSTGRES_URL")
    if not base:
        if os.environ.get("CI") == "true":
            pytest.fail("CI is set but ZOPA_TEST_POSTGRES_URL is not")
        pytest.skip("needs ZOPA_TEST_POSTGRES_URL, e.g. $(bash scripts/ci-postgres.sh)")
    return base


# -- a real browser: Debian's Chromium driven by Playwright for Python ---------------------------
CHROMIUM = Path(os.environ.get("ZOPA_TEST_CHROMIUM", "/usr/bin/chromium"))  # Debian's
LAUNCH_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
               "--disable-background-networking", "--disable-component-update",
               "--disable-sync"]


def _browser_missing() -> list[str]:
    missing = []
    if not CHROMIUM.exists():
        missing.append(f"{CHROMIUM} is missing (install it with: sudo bash scripts/ci-browser.sh)")
    if importlib.util.find_spec("playwright") is None:
        missing.append("Playwright for Python is missing (pip install -e '.[dev]')")
    return missing


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Chromium, launched once per module; skipped without it, except under CI=true."""
    missing = _browser_missing()
    if missing:
        reason = "browser test needs a browser: " + "; ".join(missing)
        if os.environ.get("CI") == "true":
            pytest.fail(reason + " (CI=true: the browser tests must run in CI)")
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()
