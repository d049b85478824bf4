"""activities: heart-rate TRIMP summed over the samples at import

Revision ID: activities_0002
Revises: activities_0001
Create Date: 2026-11-25
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "activities_0002"
down_revision: str | Sequence[str] | None = "activities_0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("activities") as batch:
        batch.add_column(sa.Column("hr_trimp", sa.Float(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("activities") as batch:
        batch.drop_column("hr_trimp")
