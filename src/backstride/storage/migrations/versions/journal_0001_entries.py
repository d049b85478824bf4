"""journal: daily check-ins, their audited edits, and recorded dose changes

Revision ID: journal_0001
Revises:
Create Date: 2026-11-25
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision: str = "journal_0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = ("journal",)
depends_on: str | Sequence[str] | None = "core_0001"

JSON = sa.JSON().with_variant(JSONB(), "postgresql")


def upgrade() -> None:
    op.create_table(
        "journal_entries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("runner_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("data", JSON, nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_journal_entries"),
        sa.ForeignKeyConstraint(["runner_id"], ["runners.id"], ondelete="CASCADE",
                                name="fk_journal_entries_runner_id_runners"),
        sa.UniqueConstraint("runner_id", "day", name="uq_journal_entries_runner_id"),
    )
    op.create_table(
        "journal_entry_edits",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("entry_id", sa.Integer(), nullable=False),
        sa.Column("edited_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("previous", JSON, nullable=False),
        sa.Column("changed_fields", JSON, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_journal_entry_edits"),
        sa.ForeignKeyConstraint(["entry_id"], ["journal_entries.id"], ondelete="CASCADE",
                                name="fk_journal_entry_edits_entry_id_journal_entries"),
    )
    op.create_index("ix_journal_entry_edits_entry_id", "journal_entry_edits", ["entry_id"])
    op.create_table(
        "journal_dose_changes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("runner_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("subject", sa.String(120), nullable=False),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("before", JSON, nullable=False),
        sa.Column("after", JSON, nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("source", sa.String(200), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_journal_dose_changes"),
        sa.ForeignKeyConstraint(["runner_id"], ["runners.id"], ondelete="CASCADE",
                                name="fk_journal_dose_changes_runner_id_runners"),
    )
    op.create_index("ix_journal_dose_changes_runner_id", "journal_dose_changes", ["runner_id", "day"])


def downgrade() -> None:
    op.drop_index("ix_journal_dose_changes_runner_id", table_name="journal_dose_changes")
    op.drop_table("journal_dose_changes")
    op.drop_index("ix_journal_entry_edits_entry_id", table_name="journal_entry_edits")
    op.drop_table("journal_entry_edits")
    op.drop_table("journal_entries")
