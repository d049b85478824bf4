"""The :class:`Workspace`: settings plus a migrated database, opened once per process."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from backstride.config import Settings
from backstride.errors import ConfigError, NotFoundError
from backstride.storage import db, runners

if TYPE_CHECKING:  # only the commands that read a plan import the plan model
    from backstride.plan.model import Plan


@dataclass
class Workspace:
    settings: Settings
    engine: Engine
    sessions: sessionmaker[Session] = field(repr=False)
    _plans: dict[tuple[int, dt.datetime], Plan] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def open(cls, settings: Settings, *, migrate: bool = True) -> Workspace:
        try:
            settings.data_dir.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise ConfigError(f"data folder {settings.data_dir} cannot be created: {exc.strerror}",
                              hint="pass --data-dir or set BACKSTRIDE_DATA_DIR to a writable folder") from exc
        engine = db.make_engine(settings.resolved_database_url)
        if migrate:
            db.migrate(engine)
        return cls(settings=settings, engine=engine, sessions=db.session_factory(engine))

    @contextmanager
    def transaction(self, *, write: bool = False) -> Iterator[Session]:
        """One unit of work; ``write=True`` for a read-modify-write (see :func:`db.transaction`)."""
        with db.transaction(self.sessions, write=write) as session:
            yield session

    def runner_id(self, session: Session, name: str | None, *, create: bool = True) -> int:
        """Id of the named runner (the default profile when ``name`` is None)."""
        runner_name = name or self.settings.runner
        row = (runners.get_or_create_runner(session, runner_name) if create
               else runners.get_runner(session, runner_name))
        if row is None:
            raise NotFoundError(f"runner {runner_name!r} does not exist",
                                hint="choose one of the existing profiles, or complete a screening to create it",
                                command="backstride runners", page=("/screening", "Start the screening"))
        return row.id

    def existing_runner_id(self, session: Session, name: str | None) -> int | None:
        """Id of the named runner for reading, or None when that profile does not exist (nothing stored yet)."""
        row = runners.get_runner(session, name or self.settings.runner)
        return None if row is None else row.id

    def has_runner(self, name: str | None) -> bool:
        with self.transaction() as session:
            return self.existing_runner_id(session, name) is not None

    def current_plan(self, session: Session, runner_id: int) -> tuple[int, Plan] | None:
        """The runner's newest plan with its id. A stored plan never changes, so each one is
        decoded once per workspace (keyed by id and creation time) and then reused."""
        from backstride.storage import plans

        key = plans.latest_plan_key(session, runner_id)
        if key is None:
            return None
        plan = self._plans.get(key)
        if plan is None:
            row = plans.get_plan(session, key[0])
            if row is None:   # removed since the key was read (same transaction: not expected)
                return None
            plan = self._plans[key] = row.to_plan()
        return key[0], plan

    def list_runners(self) -> list[str]:
        with self.transaction() as session:
            return [r.name for r in runners.list_runners(session)]

    def close(self) -> None:
        self.engine.dispose()
