"""screening: stored screening results and per-runner drafts of unfinished answers

Revision ID: screening_0001
Revises:
Create Date: 2026-11-25
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision: str = "screening_0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = ("screening",)
depends_on: str | Sequence[str] | None = "core_0001"

JSON = sa.JSON().with_variant(JSONB(), "postgresql")


def upgrade() -> None:
    op.create_table(
        "screenings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("runner_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("tier", sa.String(20), nullable=False),
        sa.Column("result", JSON, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_screenings"),
        sa.ForeignKeyConstraint(["runner_id"], ["runners.id"], name="fk_screenings_runner_id_runners",
                                ondelete="CASCADE"),
    )
    op.create_index("ix_screenings_runner_id", "screenings", ["runner_id"])
    op.create_table(
        "screening_drafts",
        sa.Column("runner_id", sa.Integer(), nullable=False),
        sa.Column("answers", JSON, nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("runner_id", name="pk_screening_drafts"),
        sa.ForeignKeyConstraint(["runner_id"], ["runners.id"], name="fk_screening_drafts_runner_id_runners",
                                ondelete="CASCADE"),
    )


def downgrade() -> None:
    op.drop_table("screening_drafts")
    op.drop_index("ix_screenings_runner_id", table_name="screenings")
    op.drop_table("screenings")
