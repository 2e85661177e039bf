"""Store fixtures: every store test runs on SQLite and on PostgreSQL.

SQLite uses a file in the test's tmp_path. PostgreSQL needs ZOPA_TEST_POSTGRES_URL
(a role allowed to create databases; ``scripts/ci-postgres.sh`` prints one): each
test gets a fresh database, dropped afterwards. Without the variable the
PostgreSQL tests are skipped, except under CI=true, where they fail, so that the
PostgreSQL run cannot silently disappear.
"""

from __future__ import annotations

import dataclasses
import os
import time
import uuid
from collections.abc import Callable, Iterator

import pytest
from sqlalchemy import Engine, create_engine
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from zopa.scenario import Scenario, Uncertain
from zopa.store import Store, open_store, resolve_url

POSTGRES_VARIABLE = "ZOPA_TEST_POSTGRES_URL"
BACKENDS = ["sqlite", "postgresql"]


def _in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


@pytest.fixture(params=BACKENDS)
def db_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory,
           ) -> Iterator[str]:
    """A URL of an empty database on each backend."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path_factory.mktemp('store') / 'zopa.db'}"
        return
    base = os.environ.get(POSTGRES_VARIABLE)
    if not base:
        if _in_ci():
            pytest.fail(f"CI is set but {POSTGRES_VARIABLE} is not: the PostgreSQL store tests "
                        "must run in CI (.ci/run starts PostgreSQL with scripts/ci-postgres.sh)")
        pytest.skip(f"PostgreSQL store tests need {POSTGRES_VARIABLE}, e.g. "
                    "$(bash scripts/ci-postgres.sh)")
    server = make_url(resolve_url(base))
    name = f"zopa_test_{uuid.uuid4().hex[:16]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    try:
        yield server.set(database=name).render_as_string(hide_password=False)
    finally:
        _drop_database(admin, name)
        admin.dispose()


def _drop_database(admin: Engine, name: str) -> None:
    """Drop a test database, waiting out an autovacuum worker the role may not end."""
    for attempt in range(20):
        try:
            with admin.connect() as connection:
                connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            return
        except DBAPIError:
            if attempt == 19:
                raise
            time.sleep(0.5)


@pytest.fixture
def store(db_url: str) -> Iterator[Store]:
    """An open, migrated store on each backend."""
    with open_store(db_url) as opened:
        yield opened


def with_reservation(scenario: Scenario, party: str, reservation: float | Uncertain) -> Scenario:
    """A copy of ``scenario`` in which one party's reservation is changed."""
    value = reservation if isinstance(reservation, Uncertain) else Uncertain.point(reservation)
    return scenario.with_party(dataclasses.replace(scenario.party(party), reservation=value))


@pytest.fixture(scope="session")
def edit() -> Callable[[Scenario, str, float | Uncertain], Scenario]:
    """``edit(scenario, party, reservation)``: a copy with one reservation changed."""
    return with_reservation
