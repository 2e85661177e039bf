"""The store's tables (SQLAlchemy 2 declarative). Changed only through Alembic migrations.

``scenario_snapshots``
    Content-addressed scenario payloads: ``hash`` is the scenario's content hash
    (SHA-256 of its canonical JSON), ``payload`` its JSON in the file format.
    Written once, never updated.
``scenario_versions``
    The history of each scenario name: one row per saved version, numbered 1, 2, …
    per name, pointing at its snapshot and its parent version. A parent has at
    most one child (``uq_scenario_versions_parent_id``), so each name's history is
    a line. Never updated.
``version_sources``
    The sources (URLs or citations) given for the change a version made.
``scenario_heads``
    The latest version of each name; saving moves it with a conditional update.
``runs``
    Recorded analyses, forecasts, negotiations and experiments with everything
    needed to re-run them.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    BigInteger,
    DateTime,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

__all__ = ["Base", "HeadRow", "RunRow", "SnapshotRow", "VersionRow", "VersionSourceRow"]

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
HASH = String(64)
NAME = String(100)


class Base(DeclarativeBase):
    """Declarative base with a naming convention (stable constraint names for migrations)."""

    metadata = MetaData(naming_convention=NAMING)


class SnapshotRow(Base):
    """One scenario content, addressed by its hash."""

    __tablename__ = "scenario_snapshots"

    hash: Mapped[str] = mapped_column(HASH, primary_key=True)
    scenario_id: Mapped[str] = mapped_column(NAME)
    payload: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class VersionRow(Base):
    """One saved version of a named scenario."""

    __tablename__ = "scenario_versions"
    __table_args__ = (UniqueConstraint("name", "number"), UniqueConstraint("parent_id"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(NAME, index=True)
    number: Mapped[int] = mapped_column(Integer)
    snapshot_hash: Mapped[str] = mapped_column(ForeignKey("scenario_snapshots.hash"), index=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("scenario_versions.id"))
    author: Mapped[str] = mapped_column(String(200))
    message: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class VersionSourceRow(Base):
    """A source (URL or citation) behind the change a version made."""

    __tablename__ = "version_sources"

    version_id: Mapped[int] = mapped_column(ForeignKey("scenario_versions.id"),
                                            primary_key=True)
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    source: Mapped[str] = mapped_column(Text)


class HeadRow(Base):
    """The latest version of a scenario name."""

    __tablename__ = "scenario_heads"

    name: Mapped[str] = mapped_column(NAME, primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("scenario_versions.id"), unique=True)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class RunRow(Base):
    """A recorded run: method, inputs and result."""

    __tablename__ = "runs"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    kind: Mapped[str] = mapped_column(String(20), index=True)
    method: Mapped[str] = mapped_column(String(100))
    scenario_hash: Mapped[str] = mapped_column(ForeignKey("scenario_snapshots.hash"),
                                               index=True)
    scenario_name: Mapped[str] = mapped_column(NAME, index=True)
    version_id: Mapped[int | None] = mapped_column(ForeignKey("scenario_versions.id"))
    parameters: Mapped[str] = mapped_column(Text)
    seed: Mapped[int | None] = mapped_column(BigInteger)
    zopa_version: Mapped[str] = mapped_column(String(40))
    author: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), index=True)
    result: Mapped[str] = mapped_column(Text)
    result_hash: Mapped[str] = mapped_column(HASH)
