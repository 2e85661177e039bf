"""The store: scenario versions with provenance, and recorded runs, in SQLite or PostgreSQL.

Open one with :func:`open_store` (SQLite in the user's data directory by default;
``ZOPA_DATABASE_URL`` or an explicit URL for PostgreSQL). The schema is created
and upgraded by the Alembic migrations shipped in ``zopa/store/migrations``.

This package needs the ``store`` extra (SQLAlchemy, Alembic, platformdirs), and
``postgres`` (psycopg 3) for PostgreSQL. Nothing outside it and the command
line imports it.
"""

from zopa.errors import StoreError
from zopa.store.database import Store, open_store, record_run
from zopa.store.diff import SECTIONS, DiffEntry, ScenarioDiff, describe, diff_scenarios
from zopa.store.engine import DATABASE_URL_VARIABLE, default_database_path, resolve_url
from zopa.store.errors import StoreConflictError, StoreUnavailableError
from zopa.store.methods import METHODS, Method, get_method, register_method, result_data
from zopa.store.records import Checkout, Rerun, RunRecord, SaveResult, Version
from zopa.store.repository import AUTHOR_VARIABLE, ScenarioRepository, default_author
from zopa.store.runs import RunRepository

__all__ = [
    "AUTHOR_VARIABLE",
    "DATABASE_URL_VARIABLE",
    "METHODS",
    "SECTIONS",
    "Checkout",
    "DiffEntry",
    "Method",
    "Rerun",
    "RunRecord",
    "RunRepository",
    "SaveResult",
    "ScenarioDiff",
    "ScenarioRepository",
    "Store",
    "StoreConflictError",
    "StoreError",
    "StoreUnavailableError",
    "Version",
    "default_author",
    "default_database_path",
    "describe",
    "diff_scenarios",
    "get_method",
    "open_store",
    "record_run",
    "register_method",
    "resolve_url",
    "result_data",
]
