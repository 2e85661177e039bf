"""Initial schema: scenario snapshots, versions, their sources, heads and runs.

Revision ID: 0001
Revises:
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

HASH = sa.String(length=64)
NAME = sa.String(length=100)
WHEN = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "scenario_snapshots",
        sa.Column("hash", HASH, nullable=False),
        sa.Column("scenario_id", NAME, nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("created_at", WHEN, nullable=False),
        sa.PrimaryKeyConstraint("hash", name=op.f("pk_scenario_snapshots")),
    )
    op.create_table(
        "scenario_versions",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("name", NAME, nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("snapshot_hash", HASH, nullable=False),
        sa.Column("parent_id", sa.Integer(), nullable=True),
        sa.Column("author", sa.String(length=200), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("created_at", WHEN, nullable=False),
        sa.ForeignKeyConstraint(["parent_id"], ["scenario_versions.id"],
                                name=op.f("fk_scenario_versions_parent_id_scenario_versions")),
        sa.ForeignKeyConstraint(
            ["snapshot_hash"], ["scenario_snapshots.hash"],
            name=op.f("fk_scenario_versions_snapshot_hash_scenario_snapshots")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_scenario_versions")),
        sa.UniqueConstraint("name", "number", name=op.f("uq_scenario_versions_name_number")),
        sa.UniqueConstraint("parent_id", name=op.f("uq_scenario_versions_parent_id")),
    )
    op.create_index(op.f("ix_scenario_versions_name"), "scenario_versions", ["name"])
    op.create_index(op.f("ix_scenario_versions_snapshot_hash"), "scenario_versions",
                    ["snapshot_hash"])
    op.create_table(
        "version_sources",
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["version_id"], ["scenario_versions.id"],
                                name=op.f("fk_version_sources_version_id_scenario_versions")),
        sa.PrimaryKeyConstraint("version_id", "position", name=op.f("pk_version_sources")),
    )
    op.create_table(
        "scenario_heads",
        sa.Column("name", NAME, nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("updated_at", WHEN, nullable=False),
        sa.ForeignKeyConstraint(["version_id"], ["scenario_versions.id"],
                                name=op.f("fk_scenario_heads_version_id_scenario_versions")),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_scenario_heads")),
        sa.UniqueConstraint("version_id", name=op.f("uq_scenario_heads_version_id")),
    )
    op.create_table(
        "runs",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("method", sa.String(length=100), nullable=False),
        sa.Column("scenario_hash", HASH, nullable=False),
        sa.Column("scenario_name", NAME, nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=True),
        sa.Column("parameters", sa.Text(), nullable=False),
        sa.Column("seed", sa.BigInteger(), nullable=True),
        sa.Column("zopa_version", sa.String(length=40), nullable=False),
        sa.Column("author", sa.String(length=200), nullable=False),
        sa.Column("created_at", WHEN, nullable=False),
        sa.Column("result", sa.Text(), nullable=False),
        sa.Column("result_hash", HASH, nullable=False),
        sa.ForeignKeyConstraint(["scenario_hash"], ["scenario_snapshots.hash"],
                                name=op.f("fk_runs_scenario_hash_scenario_snapshots")),
        sa.ForeignKeyConstraint(["version_id"], ["scenario_versions.id"],
                                name=op.f("fk_runs_version_id_scenario_versions")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_runs")),
    )
    for column in ("created_at", "kind", "scenario_hash", "scenario_name"):
        op.create_index(op.f(f"ix_runs_{column}"), "runs", [column])


def downgrade() -> None:
    op.drop_table("runs")
    op.drop_table("scenario_heads")
    op.drop_table("version_sources")
    op.drop_index(op.f("ix_scenario_versions_snapshot_hash"), table_name="scenario_versions")
    op.drop_index(op.f("ix_scenario_versions_name"), table_name="scenario_versions")
    op.drop_table("scenario_versions")
    op.drop_table("scenario_snapshots")
