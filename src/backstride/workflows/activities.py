"""Use cases for activities, training load and shoes (CLI and web call these).

Import pipeline: discover sources -> read bytes and hash them in this process -> skip files
whose content is already stored (no decoding at all, which is what makes re-import fast)
-> decode the rest in a process pool (both cores) -> store each file in its own transaction,
in the order given, so duplicates resolve the same way every time.
"""

from __future__ import annotations

import datetime as dt
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from backstride.activities.matching import first_same
from backstride.activities.model import Activity, Series
from backstride.errors import ActivityFileError, InputError, NotFoundError, StorageError
from backstride.evidence import threshold
from backstride.findings.model import Finding
from backstride.load.shoes import Shoe, ShoeStatus, shoe_for_run, shoe_statuses
from backstride.load.summary import (
    LoadSummary,
    build_load_summary,
    load_findings,
    longest_run_m,
    spike_band_of_latest,
)
from backstride.storage import activities as store
from backstride.storage import db
from backstride.units import date_words
from backstride.workflows.workspace import Workspace

if TYPE_CHECKING:  # the readers (fitdecode, gpxpy, lxml) load only when something is imported
    from concurrent.futures import Future, ProcessPoolExecutor

    from backstride.activities.reader import Decoded, DecodedActivity
    from backstride.activities.sources import Source

Progress = Callable[[int, int, str], None]

POOL_MIN_FILES = 4  # below this, starting worker processes costs more than it saves


@dataclass
class FileReport:
    path: str
    status: str  # "imported" | "duplicate" | "rejected"
    error: str | None = None
    warnings: list[str] = field(default_factory=list)
    activities: list[Activity] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"path": self.path, "status": self.status, "error": self.error, "warnings": list(self.warnings),
                "activities": [a.summary_dict() for a in self.activities]}


@dataclass
class ImportReport:
    files: list[FileReport] = field(default_factory=list)

    @property
    def rejected(self) -> int:
        return sum(f.status == "rejected" for f in self.files)

    def count(self, status: str) -> int:
        return sum(f.status == status for f in self.files)

    def to_dict(self) -> dict[str, Any]:
        return {"files": [f.to_dict() for f in self.files]}


# ---------------------------------------------------------------- import


def _workers() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


@dataclass
class _Pending:
    display: str
    sha: str = ""
    error: str | None = None
    known_ids: list[int] | None = None
    known_path: str | None = None
    same_as: str | None = None          # an earlier file in this batch with the same content
    future: Future[Decoded] | None = None
    decoded: Decoded | None = None


def import_paths(ws: Workspace, runner: str | None, paths: Iterable[Path | str],
                 progress: Progress | None = None, *, salvage: bool = False,
                 workers: int | None = None) -> ImportReport:
    """Import files, folders and exports. Each file is stored whole or not at all."""
    # Imported here, not at the top: ``load`` and the web pages use this module too.
    from backstride.activities.reader import decode_source
    from backstride.activities.sources import discover, stream_hash

    sources, problems = discover(list(paths))
    report = ImportReport()
    for path, reason in problems:
        report.files.append(FileReport(path=path, status="rejected", error=f"{path}: {reason}"))
    total = len(sources)
    with ws.transaction() as session:
        runner_id = ws.runner_id(session, runner)
    n_workers = workers if workers is not None else _workers()
    pool: ProcessPoolExecutor | None = None
    batch_ids: dict[str, list[int]] = {}
    first_in_batch: dict[str, str] = {}
    queue: deque[_Pending] = deque()
    done = 0
    window = max(4, 4 * n_workers)

    def finish(item: _Pending) -> None:
        nonlocal done
        report.files.append(_store_one(ws, runner_id, item, batch_ids))
        done += 1
        if progress:
            progress(done, total, item.display)

    signals = ExitStack()
    signals.enter_context(_terminate_as_exit())
    try:
        for chunk_start in range(0, total, 64):
            chunk = sources[chunk_start:chunk_start + 64]
            # Only hashes are kept here: each file is read in blocks to hash it, and read again by
            # whoever decodes it, so at most one file's bytes are in any one process at a time.
            hashed: list[tuple[Source, _Pending]] = []
            for src in chunk:
                item = _Pending(display=src.display)
                try:
                    item.sha = stream_hash(src)
                except ActivityFileError as exc:
                    item.error = str(exc)
                hashed.append((src, item))
            with ws.transaction() as session:
                known = store.known_files(session, runner_id, [i.sha for _, i in hashed if i.sha])
            for src, item in hashed:
                if item.error is None and item.sha in known:
                    item.known_ids = list(known[item.sha].activity_ids)
                    item.known_path = known[item.sha].path
                elif item.error is None and item.sha in first_in_batch:
                    item.same_as = first_in_batch[item.sha]
                elif item.error is None:
                    first_in_batch[item.sha] = item.display
                    if pool is None and total >= POOL_MIN_FILES and n_workers > 1:
                        pool = _make_pool(n_workers)
                    if pool is not None:   # the worker gets the small Source pointer, never the bytes
                        item.future = pool.submit(decode_source, src, salvage)
                    else:
                        item.decoded = decode_source(src, salvage)
                queue.append(item)
                while len(queue) > window or (queue and queue[0].future is None):
                    finish(queue.popleft())
        while queue:
            finish(queue.popleft())
    finally:
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)
        signals.close()
    return report


def _make_pool(n_workers: int) -> ProcessPoolExecutor:
    import multiprocessing
    import threading
    from concurrent.futures import ProcessPoolExecutor

    methods = multiprocessing.get_all_start_methods()
    # fork shares the already-imported readers with the workers (no start-up cost), but it is
    # only safe from a single-threaded process: the web app imports from a worker thread,
    # where a forked child could inherit a lock held by another thread. Use forkserver there.
    if "fork" in methods and threading.active_count() == 1:
        method = "fork"
    elif "forkserver" in methods:
        method = "forkserver"
    else:
        method = "spawn"
    return ProcessPoolExecutor(max_workers=n_workers, mp_context=multiprocessing.get_context(method),
                               initializer=_worker_init)


def _worker_init() -> None:
    """Set up a decode worker: it dies with its parent and leaves Ctrl+C to the parent.

    Without the death signal, a killed import (``kill -9``, the OOM killer) left both workers
    running with their memory. SIGINT goes to the whole terminal process group; the parent's
    ``finally`` shuts the pool down cleanly, so the workers ignore it instead of each printing
    a traceback.
    """
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    parent = os.getppid()
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        pr_set_pdeathsig = 1
        libc.prctl(pr_set_pdeathsig, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):  # not Linux: the pool's own broken-pipe check ends the worker later
        return
    if os.getppid() != parent:  # the parent died before the signal was armed
        os._exit(1)


@contextmanager
def _terminate_as_exit() -> Iterator[None]:
    """SIGTERM (``kill``, a service manager) ends an import like Ctrl+C: the pool is shut down and
    each file is either stored whole or not at all. Only the main thread can install handlers."""
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum: int, _frame: Any) -> None:
        raise SystemExit(128 + signum)

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _store_one(ws: Workspace, runner_id: int, item: _Pending, batch_ids: dict[str, list[int]]) -> FileReport:
    if item.error is not None:
        return FileReport(path=item.display, status="rejected", error=item.error)
    if item.same_as is not None and item.sha not in batch_ids:
        # the first copy in this batch was rejected: so is this one, for the same reason
        return FileReport(path=item.display, status="rejected",
                          error=f"{item.display}: same content as {item.same_as}, which was rejected")
    if item.known_ids is not None or item.same_as is not None:
        ids = item.known_ids if item.known_ids is not None else batch_ids.get(item.sha, [])
        origin = item.known_path if item.known_ids is not None else item.same_as
        with ws.transaction() as session:
            acts = store.activities_by_id(session, ids)
        return FileReport(path=item.display, status="duplicate",
                          warnings=[f"the same file (identical content) was already imported from {origin}"],
                          activities=acts)
    decoded = item.decoded
    if decoded is None and item.future is not None:
        try:
            decoded = item.future.result()
        except Exception as exc:  # a worker died (out of memory, killed): report, go on
            return FileReport(path=item.display, status="rejected",
                              error=f"{item.display}: the file could not be decoded ({exc.__class__.__name__}: {exc})")
    assert decoded is not None
    if decoded.error is not None:
        return FileReport(path=item.display, status="rejected", error=decoded.error, warnings=decoded.warnings)
    warnings = list(decoded.warnings)
    try:
        # write=True: the duplicate checks below and the inserts see one state of the database, so
        # two imports of the same file at once store it once (the second finds the first's rows).
        with ws.transaction(write=True) as session:
            known = store.known_files(session, runner_id, [decoded.content_sha256])
            if decoded.content_sha256 in known:   # stored by a concurrent import since we looked
                row = known[decoded.content_sha256]
                return FileReport(path=item.display, status="duplicate",
                                  warnings=[f"the same file (identical content) was already imported from {row.path}"],
                                  activities=store.activities_by_id(session, list(row.activity_ids)))
            new_ids, all_ids = _store_decoded(session, runner_id, decoded, warnings, ws.settings.shoe_retirement_km)
            store.add_file(session, runner_id, decoded.content_sha256, _clip(item.display, 1000), all_ids, _now())
            acts = store.activities_by_id(session, all_ids)
    except (SQLAlchemyError, StorageError) as exc:
        # The transaction rolled back: nothing of this file is stored; the batch goes on.
        cause = exc.__cause__ if isinstance(exc, StorageError) and exc.__cause__ is not None else exc
        return FileReport(path=item.display, status="rejected", warnings=warnings,
                          error=f"{item.display}: the file was read but could not be stored, so nothing of it was "
                                f"kept ({cause.__class__.__name__}: {str(cause).splitlines()[0][:300]})")
    batch_ids[decoded.content_sha256] = all_ids
    return FileReport(path=item.display, status="imported" if new_ids else "duplicate", warnings=warnings,
                      activities=acts)


def _clip(text: str, length: int) -> str:
    """Fit a column: keep the end of a long path (the file name is what identifies it)."""
    return text if len(text) <= length else "..." + text[-(length - 3):]


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _store_decoded(session: Session, runner_id: int, decoded: Decoded, warnings: list[str],
                   retirement_km: float) -> tuple[list[int], list[int]]:
    new_ids: list[int] = []
    all_ids: list[int] = []
    window_s = threshold("load_same_activity_window").value
    for item in decoded.activities:
        act = item.activity
        existing = _find_same(session, runner_id, act, window_s)
        if existing is not None:
            if tuple(item.richness) > tuple(existing.richness or (0, 0, 0)):
                old_path = existing.source_path
                _write(session, existing, item, decoded, runner_id, retirement_km)
                warnings.append(f"same activity as #{existing.id} (from {old_path}); this file has more "
                                "data, so its values replaced the stored ones")
            else:
                warnings.append(f"same activity as #{existing.id} (from {existing.source_path}); "
                                "the stored record is as rich or richer and was kept")
            all_ids.append(existing.id)
            continue
        row = store.ActivityRow(runner_id=runner_id)
        _write(session, row, item, decoded, runner_id, retirement_km)
        new_ids.append(row.id)
        all_ids.append(row.id)
    return new_ids, all_ids


def _find_same(session: Session, runner_id: int, act: Activity, window_s: float) -> store.ActivityRow | None:
    return first_same(act, store.rows_starting_near(session, runner_id, act.start_time, window_s), window_s)


def _write(session: Session, row: store.ActivityRow, item: DecodedActivity, decoded: Decoded, runner_id: int,
           retirement_km: float) -> None:
    act = item.activity
    is_new = row.id is None
    store.fill_row(row, act)
    row.source_path = _clip(decoded.display, 1000)
    row.content_sha256 = decoded.content_sha256
    row.richness = list(item.richness)
    row.imported_at = _now()
    if is_new:
        row.shoe_id = _shoe_for(session, runner_id, act, retirement_km)
        session.add(row)
        session.flush()
    if item.series_blob is not None:
        store.save_series(session, row.id, item.series_blob)


def _shoe_for(session: Session, runner_id: int, act: Activity, retirement_km: float) -> int | None:
    """The pair a new run is counted on (see :func:`backstride.load.shoes.shoe_for_run`)."""
    choice = shoe_for_run(act, [store.to_shoe(s) for s in store.shoe_rows(session, runner_id)])
    if choice.new_pair is not None:
        return store.add_shoe(session, runner_id, name=choice.new_pair, added_on=act.start_date,
                              retirement_km=retirement_km).id
    return choice.shoe_id


# ---------------------------------------------------------------- reading back


def list_activities(ws: Workspace, runner: str | None, since: dt.date | dt.datetime | None = None,
                    until: dt.date | dt.datetime | None = None) -> list[Activity]:
    """Stored activities (without series), oldest first."""
    with ws.transaction() as session:
        runner_id = ws.existing_runner_id(session, runner)   # reading never creates a profile
        if runner_id is None:
            return []
        rows = store.activity_rows(session, runner_id, _as_dt(since), _as_dt(until))
        return [store.to_activity(r) for r in rows]


def has_activities(ws: Workspace, runner: str | None) -> bool:
    """Whether the runner has stored any activity at all (cheap: the activities page asks on every view)."""
    with ws.transaction() as session:
        runner_id = ws.existing_runner_id(session, runner)
        return runner_id is not None and store.has_activities(session, runner_id)


def _as_dt(value: dt.date | dt.datetime | None) -> dt.datetime | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value if value.tzinfo else value.replace(tzinfo=dt.UTC)
    return dt.datetime.combine(value, dt.time(), tzinfo=dt.UTC)


def activity_series(ws: Workspace, activity_id: int) -> Series | None:
    with ws.transaction() as session:
        blob = store.series_blob(session, activity_id) if db.valid_id(activity_id) else None
        return Series.unpack(blob) if blob is not None else None


def store_activities(ws: Workspace, runner: str | None, activities: Iterable[Activity]) -> list[int]:
    """Store generated or already-read activities (the demo uses this). Duplicates by
    sport and start time are skipped; returns the ids of the stored (or matching) ones."""
    import hashlib

    from backstride.activities.reader import Decoded, DecodedActivity

    ids: list[int] = []
    window_s = threshold("load_same_activity_window").value
    with ws.transaction() as session:
        runner_id = ws.runner_id(session, runner)
        for act in activities:
            existing = _find_same(session, runner_id, act, window_s)
            if existing is not None:
                ids.append(existing.id)
                continue
            identity = f"{act.source_format}:{act.start_time.isoformat()}:{act.sport}:{act.distance_m}"
            decoded = Decoded(display=f"generated:{act.start_time.date().isoformat()}",
                              content_sha256=hashlib.sha256(identity.encode()).hexdigest())
            item = DecodedActivity(act.without_series(),
                                   act.series.pack() if act.series is not None and len(act.series) else None,
                                   act.richness())
            row = store.ActivityRow(runner_id=runner_id)
            _write(session, row, item, decoded, runner_id, ws.settings.shoe_retirement_km)
            ids.append(row.id)
    return ids


# ---------------------------------------------------------------- load


def _load_inputs(ws: Workspace, runner: str | None, since: dt.date | None) -> tuple[list[Activity], list[Shoe], dict[int, int | None]]:
    with ws.transaction() as session:
        runner_id = ws.existing_runner_id(session, runner)   # reading never creates a profile
        if runner_id is None:
            return [], [], {}
        rows = store.activity_rows(session, runner_id, _as_dt(since))
        acts = [store.to_activity(r) for r in rows]
        shoe_of = {r.id: r.shoe_id for r in rows}
        shoes = [store.to_shoe(s) for s in store.shoe_rows(session, runner_id)]
    return acts, shoes, shoe_of


def load_summary(ws: Workspace, runner: str | None, weeks: int = 12, today: dt.date | None = None,
                 rpe_by_date: dict[dt.date, float] | None = None) -> LoadSummary:
    """Everything the load table, plots and findings need, as plain data."""
    today = today or dt.datetime.now(dt.UTC).date()
    # EWMA 42-day averages need history before the shown weeks to settle.
    since = today - dt.timedelta(weeks=weeks) - dt.timedelta(days=120)
    acts, shoes, shoe_of = _load_inputs(ws, runner, since)
    statuses = shoe_statuses(shoes, [a for a in acts if a.id is not None], shoe_of, today) if shoes else []
    return build_load_summary(acts, weeks=weeks, today=today, rpe_by_date=rpe_by_date, shoes=statuses)


def latest_load_findings(ws: Workspace, runner: str | None, today: dt.date | None = None,
                         rpe_by_date: dict[dt.date, float] | None = None) -> list[Finding]:
    """Findings for the planner and the daily "run today?" answer."""
    return load_findings(load_summary(ws, runner, weeks=8, today=today, rpe_by_date=rpe_by_date))


def longest_run_last_30_days_m(ws: Workspace, runner: str | None, today: dt.date | None = None) -> float | None:
    """Longest run (metres) in the 30 days before ``today`` (not counting today)."""
    today = today or dt.datetime.now(dt.UTC).date()
    acts = list_activities(ws, runner, since=today - dt.timedelta(days=30), until=today)
    return longest_run_m(acts, today)


def latest_spike_band(ws: Workspace, runner: str | None, today: dt.date | None = None) -> str | None:
    """Spike band of the most recent run: "none", "10-30", "30-100", ">100", or None
    when there is no run or no earlier run to compare with."""
    today = today or dt.datetime.now(dt.UTC).date()
    acts = list_activities(ws, runner, since=today - dt.timedelta(days=60),
                           until=today + dt.timedelta(days=1))
    return spike_band_of_latest(acts)


# ---------------------------------------------------------------- shoes


def _shoe_row(session: Session, runner_id: int, name: str) -> store.ShoeRow:
    row = store.shoe_by_name(session, runner_id, name)
    if row is None:
        raise NotFoundError(f"no shoes called {name!r}", hint="choose one of your pairs",
                            command="backstride shoes list", page=("/activities#shoes", "See your shoes"))
    return row


def add_shoe(ws: Workspace, runner: str | None, name: str, *, retirement_km: float | None = None,
             start_km: float = 0.0, added_on: dt.date | None = None, current: bool = True) -> Shoe:
    name = name.strip()
    if not name:
        raise InputError("a pair of shoes needs a name", hint='e.g. backstride shoes add "Pegasus 40 blue"')
    if start_km < 0 or (retirement_km is not None and retirement_km <= 0):
        raise InputError("distances must be positive", hint="--retire-at-km 800 --start-km 0")
    with ws.transaction(write=True) as session:   # the name check and the insert see one state
        runner_id = ws.runner_id(session, runner)
        if store.shoe_by_name(session, runner_id, name) is not None:
            raise InputError(f"you already have shoes called {name!r}", hint="pick another name")
        if current:
            store.clear_current_shoe(session, runner_id)
        row = store.add_shoe(session, runner_id, name=name, added_on=added_on or dt.datetime.now(dt.UTC).date(),
                             retirement_km=retirement_km or ws.settings.shoe_retirement_km,
                             start_km=start_km, is_current=current)
        return store.to_shoe(row)


def list_shoes(ws: Workspace, runner: str | None, today: dt.date | None = None) -> list[ShoeStatus]:
    today = today or dt.datetime.now(dt.UTC).date()
    with ws.transaction() as session:
        runner_id = ws.runner_id(session, runner)
        shoes = [store.to_shoe(s) for s in store.shoe_rows(session, runner_id)]
        shoe_of = store.shoe_assignments(session, runner_id)
        acts = store.activities_by_id(session, list(shoe_of))
    return shoe_statuses(shoes, acts, dict(shoe_of), today)


def retire_shoe(ws: Workspace, runner: str | None, name: str, on: dt.date | None = None) -> Shoe:
    with ws.transaction() as session:
        runner_id = ws.runner_id(session, runner)
        row = _shoe_row(session, runner_id, name)
        row.retired_on = on or dt.datetime.now(dt.UTC).date()
        row.is_current = False
        session.flush()
        return store.to_shoe(row)


def assign_shoe(ws: Workspace, runner: str | None, name: str, *, activity_ids: list[int] | None = None,
                since: dt.date | None = None, until: dt.date | None = None, make_current: bool = False) -> int:
    """Count runs on a pair: given ids, or every run between two dates. Returns how many."""
    with ws.transaction() as session:
        runner_id = ws.runner_id(session, runner)
        shoe = _shoe_row(session, runner_id, name)
        if not activity_ids and since is None:
            raise InputError("say which runs: --activity ID (repeatable) or --since DATE",
                             hint="backstride shoes assign NAME --since 2026-01-01")
        count = store.assign_runs(session, runner_id, shoe.id, activity_ids=activity_ids or None,
                                  since=None if activity_ids else _as_dt(since),
                                  until=_as_dt(until + dt.timedelta(days=1)) if until is not None and not activity_ids
                                  else None)
        if make_current:
            store.clear_current_shoe(session, runner_id)
            shoe.is_current = True
        return count


# ---------------------------------------------------------------- one activity, and its sport


def get_activity(ws: Workspace, runner: str | None, activity_id: int) -> Activity:
    """One stored activity (without its series); NotFoundError if it is not this runner's."""
    with ws.transaction() as session:
        runner_id = ws.existing_runner_id(session, runner)
        row = session.get(store.ActivityRow, activity_id) if db.valid_id(activity_id) else None
        if row is None or runner_id is None or row.runner_id != runner_id:
            raise NotFoundError(f"there is no activity #{activity_id}", hint="list them with backstride activities",
                                command="backstride activities", page=("/activities/list", "See your activities"))
        return store.to_activity(row)


def set_sport(ws: Workspace, runner: str | None, activity_id: int, sport: str) -> Activity:
    """The runner sets or corrects the sport of an activity; running load follows at once.

    Setting "running" also confirms a run that was held back for its speed. The cadence is
    recomputed from the stored samples (steps for walking and running, none for a ride), and a
    run is counted on the current pair of shoes.
    """
    from backstride.activities.sport import SETTABLE_SPORTS, with_sport

    sport = sport.strip().lower()
    aliases = {"run": "running", "walk": "walking", "hike": "hiking", "ride": "cycling", "bike": "cycling",
               "cycle": "cycling", "swim": "swimming"}
    sport = aliases.get(sport, sport)
    if sport not in SETTABLE_SPORTS:
        raise InputError(f"{sport!r} is not a sport backstride knows",
                         hint="choose one of: " + ", ".join(SETTABLE_SPORTS))
    with ws.transaction(write=True) as session:
        runner_id = ws.existing_runner_id(session, runner)
        row = session.get(store.ActivityRow, activity_id) if db.valid_id(activity_id) else None
        if row is None or runner_id is None or row.runner_id != runner_id:
            raise NotFoundError(f"there is no activity #{activity_id}", hint="list them with backstride activities",
                                command="backstride activities", page=("/activities/list", "See your activities"))
        series_row = session.get(store.ActivitySeriesRow, activity_id)
        act = store.to_activity(row)
        if series_row is not None:
            from dataclasses import replace

            act = replace(act, series=Series.unpack(series_row.blob))
        changed = with_sport(act, sport)
        was_running = row.sport == "running"
        row.sport_source = "file"  # let fill_row write the runner's choice
        store.fill_row(row, changed.without_series())
        row.sport_source = "runner"
        note = f"sport set to {sport} by you on {date_words(_now().date())}"
        row.warnings = [*(row.warnings or []), note][-50:]
        if sport == "running" and not was_running and row.shoe_id is None:
            row.shoe_id = _shoe_for(session, runner_id, changed, ws.settings.shoe_retirement_km)
        elif sport != "running":
            row.shoe_id = None
        session.flush()
        return store.to_activity(row)


# ---------------------------------------------------------------- watched folder


@dataclass
class FolderWatch:
    """Imports new activity files as they appear in a folder (a plugged-in watch's activity
    folder, or one a sync tool fills), each with the same per-file transaction and report.

    Polling, not file-system events: it works the same on every platform and on network and
    USB drives, where events are unreliable. A file is imported once it has looked the same
    (size and modification time) on two looks in a row, so a file still being copied waits.
    Files already there when watching starts are imported too; those imported before are
    recognised by their content and cost no decoding.
    """

    ws: Workspace
    runner: str | None
    folder: Path
    salvage: bool = False
    interval_s: float | None = None
    reports: deque[FileReport] = field(default_factory=lambda: deque(maxlen=200))  # the latest ones
    handled: int = 0                  # files imported, found again or rejected since watching began
    _seen: dict[str, tuple[int, int]] = field(default_factory=dict)
    _waiting: dict[str, tuple[int, int]] = field(default_factory=dict)

    def poll(self) -> ImportReport:
        """Look once; import what has settled. Returns the report for this look (may be empty)."""
        from backstride.activities.sources import _is_candidate

        if not self.folder.is_dir():
            raise InputError(f"the folder {self.folder} does not exist (or is not a folder)",
                             hint="plug the watch in, or give the folder your sync tool fills")
        ready: list[Path] = []
        present: set[str] = set()
        for path in sorted(p for p in self.folder.rglob("*") if p.is_file() and _is_candidate(p.name)):
            key = str(path)
            present.add(key)
            try:
                st = path.stat()
            except OSError:
                continue
            sig = (st.st_size, st.st_mtime_ns)
            if self._seen.get(key) == sig:
                continue
            if self._waiting.get(key) == sig and st.st_size > 0:
                ready.append(path)
                self._waiting.pop(key, None)
            else:
                self._waiting[key] = sig
        for key in list(self._waiting):
            if key not in present:
                del self._waiting[key]
        if not ready:
            return ImportReport()
        report = import_paths(self.ws, self.runner, ready, salvage=self.salvage, workers=1)
        for path in ready:
            try:
                st = path.stat()
                self._seen[str(path)] = (st.st_size, st.st_mtime_ns)
            except OSError:
                pass
        self.reports.extend(report.files)
        self.handled += len(report.files)
        return report

    def run(self, stop: Any, on_report: Callable[[ImportReport], None] | None = None,
            until: float | None = None) -> None:
        """Poll until ``stop`` (a threading.Event) is set or the monotonic time ``until`` passes."""
        import time

        interval = self.interval_s if self.interval_s is not None else threshold("activities_watch_poll_interval").value
        while not stop.is_set() and (until is None or time.monotonic() < until):
            report = self.poll()
            if report.files and on_report is not None:
                on_report(report)
            stop.wait(interval)
