"""Every mapped table in one list, so export and delete see all of them.

A new storage module with a table is added to the import below; ``tests/test_layers.py``
fails when one is missing.
"""

from __future__ import annotations

from sqlalchemy import Table

from backstride.storage import activities, db, form, journal, plans, runners, screenings

MODULES = (activities, form, journal, plans, runners, screenings)


def all_tables() -> list[Table]:
    """Every mapped table, parents before children."""
    return list(db.Base.metadata.sorted_tables)
