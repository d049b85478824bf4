"""activities: power, where the sport came from, runs held for confirmation, import warnings

Revision ID: activities_0003
Revises: activities_0002
Create Date: 2026-12-04
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision: str = "activities_0003"
down_revision: str | Sequence[str] | None = "activities_0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON = sa.JSON().with_variant(JSONB(), "postgresql")


def upgrade() -> None:
    with op.batch_alter_table("activities") as batch:
        batch.add_column(sa.Column("avg_power_w", sa.Float(), nullable=True))
        batch.add_column(sa.Column("power_source", sa.String(200), nullable=True))
        batch.add_column(sa.Column("sport_source", sa.String(20), nullable=False, server_default="file"))
        batch.add_column(sa.Column("sport_confidence", sa.Float(), nullable=True))
        batch.add_column(sa.Column("needs_sport_confirmation", sa.Boolean(), nullable=False,
                                   server_default=sa.false()))
        batch.add_column(sa.Column("warnings", JSON, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("activities") as batch:
        for name in ("warnings", "needs_sport_confirmation", "sport_confidence", "sport_source", "power_source",
                     "avg_power_w"):
            batch.drop_column(name)
