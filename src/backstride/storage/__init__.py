"""Storage edge: SQLAlchemy 2 tables, repositories and Alembic migrations.

Domain packages never import from here; :mod:`backstride.workflows` is where they meet.
"""
