"""activities: imported activities, their series, source files and shoes

Revision ID: activities_0001
Revises:
Create Date: 2026-11-25
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision: str = "activities_0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = ("activities",)
depends_on: str | Sequence[str] | None = "core_0001"

JSON = sa.JSON().with_variant(JSONB(), "postgresql")


def upgrade() -> None:
    op.create_table(
        "shoes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("runner_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("added_on", sa.Date(), nullable=False),
        sa.Column("retired_on", sa.Date(), nullable=True),
        sa.Column("retirement_km", sa.Float(), nullable=False),
        sa.Column("start_km", sa.Float(), nullable=False),
        sa.Column("is_current", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["runner_id"], ["runners.id"], name="fk_shoes_runner_id_runners", ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name="pk_shoes"),
        sa.UniqueConstraint("runner_id", "name", name="uq_shoes_runner_name"),
    )
    op.create_table(
        "activities",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("runner_id", sa.Integer(), nullable=False),
        sa.Column("sport", sa.String(40), nullable=False),
        sa.Column("sub_sport", sa.String(40), nullable=True),
        sa.Column("start_time", sa.DateTime(timezone=True), nullable=False),
        sa.Column("elapsed_s", sa.Float(), nullable=False),
        sa.Column("timer_s", sa.Float(), nullable=False),
        sa.Column("distance_m", sa.Float(), nullable=True),
        sa.Column("laps", sa.Integer(), nullable=True),
        sa.Column("ascent_m", sa.Float(), nullable=True),
        sa.Column("descent_m", sa.Float(), nullable=True),
        sa.Column("avg_hr_bpm", sa.Float(), nullable=True),
        sa.Column("max_hr_bpm", sa.Float(), nullable=True),
        sa.Column("avg_cadence_spm", sa.Float(), nullable=True),
        sa.Column("avg_speed_mps", sa.Float(), nullable=True),
        sa.Column("downhill_m", sa.Float(), nullable=True),
        sa.Column("dynamics", JSON, nullable=False),
        sa.Column("cadence_speed_fit", JSON, nullable=True),
        sa.Column("has_running_dynamics", sa.Boolean(), nullable=False),
        sa.Column("source_format", sa.String(10), nullable=False),
        sa.Column("source_path", sa.String(1000), nullable=False),
        sa.Column("content_sha256", sa.String(64), nullable=False),
        sa.Column("leg_index", sa.Integer(), nullable=False),
        sa.Column("device", sa.String(200), nullable=True),
        sa.Column("name", sa.String(300), nullable=True),
        sa.Column("gear", sa.String(200), nullable=True),
        sa.Column("richness", JSON, nullable=False),
        sa.Column("shoe_id", sa.Integer(), nullable=True),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["runner_id"], ["runners.id"], name="fk_activities_runner_id_runners", ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["shoe_id"], ["shoes.id"], name="fk_activities_shoe_id_shoes", ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name="pk_activities"),
    )
    op.create_index("ix_activities_runner_start", "activities", ["runner_id", "start_time"])
    op.create_table(
        "activity_series",
        sa.Column("activity_id", sa.Integer(), nullable=False),
        sa.Column("blob", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(["activity_id"], ["activities.id"], name="fk_activity_series_activity_id_activities",
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("activity_id", name="pk_activity_series"),
    )
    op.create_table(
        "activity_files",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("runner_id", sa.Integer(), nullable=False),
        sa.Column("content_sha256", sa.String(64), nullable=False),
        sa.Column("path", sa.String(1000), nullable=False),
        sa.Column("activity_ids", JSON, nullable=False),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["runner_id"], ["runners.id"], name="fk_activity_files_runner_id_runners",
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name="pk_activity_files"),
        sa.UniqueConstraint("runner_id", "content_sha256", name="uq_activity_files_runner_sha"),
    )


def downgrade() -> None:
    op.drop_table("activity_files")
    op.drop_table("activity_series")
    op.drop_index("ix_activities_runner_start", table_name="activities")
    op.drop_table("activities")
    op.drop_table("shoes")
