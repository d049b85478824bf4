"""plans: generated plans and referrals, stored whole as JSON

Revision ID: plans_0001
Revises:
Create Date: 2026-11-25
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision: str = "plans_0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = ("plans",)
depends_on: str | Sequence[str] | None = "core_0001"

JSON = sa.JSON().with_variant(JSONB(), "postgresql")


def upgrade() -> None:
    op.create_table(
        "plans",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("runner_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("triage_tier", sa.String(20), nullable=False),
        sa.Column("data", JSON, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_plans"),
        sa.ForeignKeyConstraint(["runner_id"], ["runners.id"], ondelete="CASCADE", name="fk_plans_runner_id_runners"),
    )
    op.create_index("ix_plans_runner_id", "plans", ["runner_id"])


def downgrade() -> None:
    op.drop_index("ix_plans_runner_id", table_name="plans")
    op.drop_table("plans")
