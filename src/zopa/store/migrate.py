"""Bring a database to the schema this zopa knows, or refuse one written by a newer zopa.

The schema changes only through the Alembic revisions shipped in
``zopa/store/migrations/versions``. Opening a store reads the database's revision
(the ``alembic_version`` table): the newest known revision means nothing to do; an
older one (or an empty database) is upgraded in one transaction, under a lock so
that two processes opening a new database at once migrate it once; a revision this
code does not know means a newer zopa wrote the database, and it is refused
untouched.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, text
from sqlalchemy.exc import SQLAlchemyError

from zopa.__about__ import __version__
from zopa.errors import StoreError
from zopa.store.engine import display_url, read_transaction, write_transaction
from zopa.store.errors import StoreUnavailableError

__all__ = ["MIGRATIONS", "current_revision", "ensure_schema", "head_revision",
           "known_revisions"]

MIGRATIONS = Path(__file__).parent / "migrations"
_MIGRATION_LOCK = 0x7A6F7061  # "zopa": PostgreSQL advisory lock key held while migrating


def _config(connection: Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


@lru_cache(maxsize=1)
def _script() -> ScriptDirectory:
    return ScriptDirectory.from_config(_config())


def head_revision() -> str:
    """The newest schema revision this zopa knows."""
    head = _script().get_current_head()
    assert head is not None, "no migrations shipped"
    return head


def known_revisions() -> frozenset[str]:
    """Every schema revision this zopa knows."""
    return frozenset(script.revision for script in _script().walk_revisions())


def current_revision(connection: Connection) -> str | None:
    """The database's schema revision, ``None`` for a database zopa never wrote to."""
    return MigrationContext.configure(connection).get_current_revision()


def _refuse_newer(revision: str, url: str) -> StoreError:
    return StoreError(
        f"the database {display_url(url)} has schema revision {revision!r}, which zopa "
        f"{__version__} does not know (its newest is {head_revision()!r}): it was written "
        "by a newer zopa. Upgrade zopa to use it; this zopa leaves it untouched"
    )


def ensure_schema(engine: Engine) -> None:
    """Upgrade the database to :func:`head_revision`, or refuse a newer one.

    Raises
    ------
    StoreError
        If the database's revision is unknown to this zopa (written by a newer
        one), or it cannot be migrated.
    StoreUnavailableError
        If it cannot be reached, or the connection is lost (nothing is migrated).
    """
    url = engine.url.render_as_string(hide_password=False)
    try:
        with read_transaction(engine) as connection:
            found = current_revision(connection)
        if found == head_revision():
            return
        if found is not None and found not in known_revisions():
            raise _refuse_newer(found, url)
        with write_transaction(engine) as connection:
            if connection.dialect.name == "postgresql":
                connection.execute(text("SELECT pg_advisory_xact_lock(:key)"),
                                   {"key": _MIGRATION_LOCK})
            found = current_revision(connection)
            if found is not None and found not in known_revisions():
                raise _refuse_newer(found, url)
            command.upgrade(_config(connection), "head")
    except StoreUnavailableError as error:
        raise StoreUnavailableError(f"cannot open the store: {error}", url=error.url,
                                    reason=error.reason, writing=error.writing,
                                    in_doubt=error.in_doubt) from error.__cause__
    except SQLAlchemyError as error:
        reason = str(error.orig if getattr(error, "orig", None) is not None else error)
        raise StoreError(f"cannot open the store at {display_url(url)}: "
                         f"{reason.strip().splitlines()[0]}") from None
