"""Alembic environment of the zopa store.

zopa runs migrations itself when it opens a store (see :mod:`zopa.store.migrate`),
passing an open connection in ``config.attributes["connection"]``. To write a new
revision after changing :mod:`zopa.store.tables`, let Alembic compare the tables
with a database at the current head::

    from alembic import command
    from alembic.config import Config
    from zopa.store.migrate import MIGRATIONS

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", "sqlite:///dev.db")  # upgraded to head first
    command.revision(config, "what changed", autogenerate=True, rev_id="0002")

then review the generated file: schema changes reach databases only this way.

Importing this module outside Alembic (e.g. while collecting doctests) does nothing.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from zopa.store.tables import Base


def _migrate(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def _run() -> None:
    config = context.config
    if context.is_offline_mode():
        raise SystemExit("zopa migrations run online only (against a database connection)")
    connection = config.attributes.get("connection")
    if connection is not None:
        _migrate(connection)
        return
    from zopa.store.engine import make_engine

    url = context.get_x_argument(as_dictionary=True).get("url") or config.get_main_option(
        "sqlalchemy.url")
    engine = make_engine(url)
    with engine.connect() as fresh:
        _migrate(fresh)
    engine.dispose()


if hasattr(context, "config"):
    _run()
