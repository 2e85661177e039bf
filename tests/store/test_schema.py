"""The schema comes only from the migrations, and a newer database is refused untouched."""

from __future__ import annotations

import subprocess
import sys

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine, text

from zopa.errors import StoreError
from zopa.store import open_store
from zopa.store.migrate import head_revision, known_revisions
from zopa.store.tables import Base

FUTURE = "9999_from_a_newer_zopa"


def test_migrations_build_exactly_the_declared_tables(db_url: str) -> None:
    open_store(db_url).close()
    engine = create_engine(db_url)
    with engine.connect() as connection:
        context = MigrationContext.configure(connection)
        assert context.get_current_revision() == head_revision()
        assert compare_metadata(context, Base.metadata) == []
    engine.dispose()


def test_opening_again_changes_nothing(db_url: str) -> None:
    with open_store(db_url) as store:
        first = store.scenarios.head("ukraine-2025")
    with open_store(db_url) as store:
        assert store.scenarios.history("ukraine-2025") == (first,)


def test_a_newer_schema_is_refused_with_a_clear_message(db_url: str) -> None:
    open_store(db_url).close()
    engine = create_engine(db_url)
    with engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = :v"), {"v": FUTURE})
    with pytest.raises(StoreError) as caught:
        open_store(db_url)
    message = str(caught.value)
    assert FUTURE in message and head_revision() in message
    assert "newer zopa" in message and "Upgrade zopa" in message
    with engine.connect() as connection:
        assert connection.execute(text("SELECT version_num FROM alembic_version")).scalar() \
            == FUTURE
    engine.dispose()
    assert FUTURE not in known_revisions()


def test_processes_opening_a_new_database_at_once_migrate_it_once(db_url: str) -> None:
    code = ("import sys; from zopa.store import open_store; "
            "s = open_store(sys.argv[1]); s.scenarios.head('ukraine-2025'); s.close()")
    children = [subprocess.Popen([sys.executable, "-c", code, db_url], stderr=subprocess.PIPE,
                                 text=True) for _ in range(4)]
    errors = [child.communicate(timeout=120)[1] for child in children]
    assert [child.returncode for child in children] == [0] * 4, errors
    with open_store(db_url) as store:
        assert len(store.scenarios.history("ukraine-2025")) == 1
