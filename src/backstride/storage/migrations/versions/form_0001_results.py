"""form: results of video form checks

Revision ID: form_0001
Revises:
Create Date: 2026-11-25
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision: str = "form_0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = ("form",)
depends_on: str | Sequence[str] | None = "core_0001"

JSON = sa.JSON().with_variant(JSONB(), "postgresql")


def upgrade() -> None:
    op.create_table(
        "form_results",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uid", sa.String(32), nullable=False),
        sa.Column("runner_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("video_name", sa.String(255), nullable=False),
        sa.Column("video_sha256", sa.String(64), nullable=False),
        sa.Column("view", sa.String(20), nullable=False),
        sa.Column("cadence_spm", sa.Float(), nullable=False),
        sa.Column("data", JSON, nullable=False),
        sa.Column("files", JSON, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_form_results"),
        sa.ForeignKeyConstraint(["runner_id"], ["runners.id"], ondelete="CASCADE",
                                name="fk_form_results_runner_id_runners"),
        sa.UniqueConstraint("uid", name="uq_form_results_uid"),
    )
    op.create_index("ix_form_results_runner_id", "form_results", ["runner_id"])


def downgrade() -> None:
    op.drop_index("ix_form_results_runner_id", table_name="form_results")
    op.drop_table("form_results")
