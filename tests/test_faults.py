"""Faults and concurrency: kills at random points, racing processes, concurrent edits, memory budgets.

Every case here was a real failure (issue 13): a killed first start that bricked the data folder,
two processes on a fresh folder, lost check-in answers, a first-writer crash, a small zip that
took gigabytes, orphaned workers, out-of-range ids and form posts without an origin.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import os
import random
import signal
import sqlite3
import subprocess
import sys
import threading
import time
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, text

from backstride.config import Settings
from backstride.errors import EditConflict, StorageError
from backstride.storage import db
from backstride.storage import journal as journal_store
from backstride.workflows import activities as acts_flow
from backstride.workflows import journal
from backstride.workflows.workspace import Workspace

DAY = dt.date(2026, 3, 2)
TODAY = dt.date(2026, 3, 10)
CLI = [sys.executable, "-c", "from backstride.cli.main import run; run()"]
GIB = 1024**3


# ---------------------------------------------------------------- helpers


def _env(database_url: str) -> dict[str, str]:
    env = {**os.environ, "NO_COLOR": "1", "COLUMNS": "120"}
    env.pop("BACKSTRIDE_DATABASE_URL", None)
    if not database_url.startswith("sqlite"):
        env["BACKSTRIDE_DATABASE_URL"] = database_url
    return env


def _spawn(data_dir: Path, database_url: str, *args: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen([*CLI, "--data-dir", str(data_dir), *args], env=_env(database_url),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def _open(data_dir: Path, database_url: str) -> Workspace:
    url = None if database_url.startswith("sqlite") else database_url
    return Workspace.open(Settings(data_dir=data_dir, database_url=url))


def _sqlite_ok(data_dir: Path) -> None:
    path = data_dir / "backstride.db"
    if path.exists():
        with sqlite3.connect(path) as conn:
            assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            assert conn.execute("PRAGMA foreign_key_check").fetchall() == []


def _stored_versions(ws: Workspace) -> set[str]:
    with ws.engine.connect() as conn:
        return {r[0] for r in conn.execute(text("SELECT version_num FROM alembic_version"))}


def _kill_when(proc: subprocess.Popen[bytes], ready: Callable[[], bool], rng: random.Random,
               extra_s: float, timeout_s: float = 60) -> None:
    """SIGKILL ``proc`` a random moment (0..extra_s) after ``ready()`` first holds."""
    deadline = time.monotonic() + timeout_s
    while not ready() and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.005)
    time.sleep(rng.uniform(0, extra_s))
    if proc.poll() is None:
        proc.kill()
    proc.wait(timeout=30)


def _gpx(start: dt.datetime, points: int, *, seed: int = 0) -> bytes:
    rng = random.Random(seed)
    rows = []
    lat, lon = 52.0 + seed * 0.01, 4.0
    for i in range(points):
        lat += 0.00002 + rng.uniform(-1e-6, 1e-6)
        lon += 0.00002
        t = (start + dt.timedelta(seconds=i)).strftime("%Y-%m-%dT%H:%M:%SZ")
        rows.append(f'<trkpt lat="{lat:.7f}" lon="{lon:.7f}"><ele>{10 + (i % 50) * 0.2:.1f}</ele><time>{t}</time>'
                    f'<extensions><gpxtpx:TrackPointExtension><gpxtpx:hr>{140 + i % 9}</gpxtpx:hr>'
                    f'<gpxtpx:cad>{85 + i % 3}</gpxtpx:cad></gpxtpx:TrackPointExtension></extensions></trkpt>')
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<gpx version="1.1" creator="test" '
            'xmlns="http://www.topografix.com/GPX/1/1" '
            'xmlns:gpxtpx="http://www.garmin.com/xmlschemas/TrackPointExtension/v1">'
            f'<trk><name>run {seed}</name><type>running</type><trkseg>{"".join(rows)}</trkseg></trk></gpx>').encode()


def _gpx_folder(folder: Path, n: int, points: int) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    start = dt.datetime(2026, 1, 1, 7, tzinfo=dt.UTC)
    for i in range(n):
        (folder / f"run{i:02d}.gpx").write_bytes(_gpx(start + dt.timedelta(days=i), points, seed=i))
    return folder


def _tree_peak_rss(proc: subprocess.Popen[bytes], timeout_s: float = 600) -> int:
    """Peak of the summed resident memory of ``proc`` and all its descendants while it runs."""
    import psutil

    root = psutil.Process(proc.pid)
    peak = 0
    deadline = time.monotonic() + timeout_s
    while proc.poll() is None and time.monotonic() < deadline:
        total = 0
        try:
            procs = [root, *root.children(recursive=True)]
        except psutil.NoSuchProcess:
            break
        for p in procs:
            with contextlib.suppress(psutil.NoSuchProcess):
                total += p.memory_info().rss
        peak = max(peak, total)
        time.sleep(0.01)
    proc.wait(timeout=30)
    return peak


# ---------------------------------------------------------------- migrations


def test_sigkill_during_a_first_migration_never_bricks_the_store(tmp_path: Path, database_url: str) -> None:
    rng = random.Random(13)
    for trial in range(4):
        data = tmp_path / f"d{trial}"
        url = database_url if not database_url.startswith("sqlite") else f"sqlite:///{data / 'backstride.db'}"
        if not url.startswith("sqlite") and trial:
            # PostgreSQL: start each trial from an empty schema again
            ws = _open(data, url)
            with ws.engine.begin() as conn:
                for table in ("journal_dose_changes", "journal_entry_edits", "journal_entries", "activity_series",
                              "activities", "activity_files", "shoes", "form_results", "plans",
                              "screening_drafts", "screenings", "runners", "alembic_version"):
                    conn.execute(text(f'DROP TABLE IF EXISTS "{table}" CASCADE'))
            ws.close()
        proc = _spawn(data, url, "runners", "--json")
        on_pg = not url.startswith("sqlite")
        _kill_when(proc, lambda d=data, pg=on_pg: pg or (d / "backstride.db").exists(),  # type: ignore[misc]
                   rng, 0.6)
        _sqlite_ok(data)
        ws = _open(data, url)   # the store opens and finishes (or redoes) the upgrade
        try:
            assert _stored_versions(ws) == db.script_heads()
            assert ws.list_runners() == []
        finally:
            ws.close()
        _sqlite_ok(data)
        again = _spawn(data, url, "runners", "--json")
        assert again.wait(timeout=120) == 0, again.stderr.read() if again.stderr else ""  # idempotent rerun


def test_half_made_database_from_an_older_version_is_rebuilt(tmp_path: Path) -> None:
    path = tmp_path / "data" / "backstride.db"
    ws = _open(tmp_path / "data", "sqlite")
    ws.close()
    with sqlite3.connect(path) as conn:   # what a killed old first start left: tables, no version row
        conn.execute("DELETE FROM alembic_version")
        conn.execute("DROP TABLE journal_entry_edits")
    ws = _open(tmp_path / "data", "sqlite")
    try:
        assert _stored_versions(ws) == db.script_heads()
        journal.update_fields(ws, None, DAY, {"pain_now": 2}, today=TODAY)
    finally:
        ws.close()
    _sqlite_ok(tmp_path / "data")


def test_half_made_database_holding_data_is_left_alone_with_a_clear_message(tmp_path: Path) -> None:
    path = tmp_path / "data" / "backstride.db"
    ws = _open(tmp_path / "data", "sqlite")
    journal.update_fields(ws, "Ann", DAY, {"pain_now": 2}, today=TODAY)
    ws.close()
    with sqlite3.connect(path) as conn:
        conn.execute("DELETE FROM alembic_version")
    before = path.read_bytes()
    with pytest.raises(StorageError) as err:
        _open(tmp_path / "data", "sqlite")
    assert "holds data" in err.value.message and "nothing was changed" in err.value.message
    assert "backup" in (err.value.hint or "") and "PostgreSQL" not in str(err.value)
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT name FROM runners").fetchall() == [("Ann",)]
    assert len(path.read_bytes()) == len(before)


def test_a_database_with_data_is_backed_up_before_a_migration(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import shutil

    from test_storage_migrate import NEW_REVISION

    ws = _open(tmp_path / "data", "sqlite")
    journal.update_fields(ws, "Ann", DAY, {"pain_now": 3}, today=TODAY)
    copy = tmp_path / "migrations"
    shutil.copytree(db.migrations_dir(), copy, ignore=shutil.ignore_patterns("__pycache__"))
    (copy / "versions" / "activities_9999_probe.py").write_text(NEW_REVISION, encoding="utf-8")
    monkeypatch.setattr(db, "migrations_dir", lambda: copy)
    db.migrate(ws.engine)
    ws.close()
    backups = sorted((tmp_path / "data").glob("backstride.db.backup-*"))
    assert len(backups) == 1
    with sqlite3.connect(backups[0]) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("SELECT name FROM runners").fetchall() == [("Ann",)]
        assert "activities_9999" not in {r[0] for r in conn.execute("SELECT version_num FROM alembic_version")}


def test_two_processes_on_a_fresh_folder(tmp_path: Path, database_url: str) -> None:
    folder = _gpx_folder(tmp_path / "files", 2, 60)
    data = tmp_path / "data"
    procs = [_spawn(data, database_url, "import", str(folder / f"run0{i}.gpx"), "--json") for i in range(2)]
    for p in procs:
        _out, err = p.communicate(timeout=180)
        assert p.returncode == 0, err.decode()
    _sqlite_ok(data)
    ws = _open(data, database_url)
    try:
        assert len(acts_flow.list_activities(ws, None)) == 2
    finally:
        ws.close()


# ---------------------------------------------------------------- journal writes


def _audit_is_exact(ws: Workspace, runner: str | None, day: dt.date) -> dict[str, Any]:
    """Each audit row holds the version it replaced and names exactly the fields that changed."""
    with ws.transaction() as session:
        runner_id = ws.existing_runner_id(session, runner)
        assert runner_id is not None
        row = journal_store.get_row(session, runner_id, day)
        assert row is not None
        edits = session.scalars(select(journal_store.JournalEditRow)
                                .where(journal_store.JournalEditRow.entry_id == row.id)
                                .order_by(journal_store.JournalEditRow.revision)).all()
        assert [e.revision for e in edits] == list(range(1, row.revision))
        versions = [e.previous for e in edits] + [row.data]
        for edit, after in zip(edits, versions[1:], strict=True):
            assert sorted(edit.changed_fields) == sorted(k for k in edit.previous if edit.previous[k] != after.get(k))
        return dict(row.data)


def test_concurrent_edits_of_one_day_keep_every_field(any_workspace: Workspace) -> None:
    url = any_workspace.engine.url.render_as_string(hide_password=False)
    settings = any_workspace.settings.model_copy(update={"database_url": url})
    journal.update_fields(any_workspace, None, DAY, {"pain_now": 1}, today=TODAY)
    for round_ in range(4):
        changes = [{"pain_morning": round_ + 2}, {"run_distance_m": 9000.0 + round_}, {"stiffness_morning_min": round_}]
        barrier = threading.Barrier(len(changes))
        errors: list[BaseException] = []

        def edit(change: dict[str, Any], barrier: threading.Barrier = barrier,
                 errors: list[BaseException] = errors) -> None:
            ws = Workspace.open(settings)
            try:
                barrier.wait()
                journal.update_fields(ws, None, DAY, change, today=TODAY)
            except BaseException as exc:  # collected and re-raised in the test thread
                errors.append(exc)
            finally:
                ws.close()

        threads = [threading.Thread(target=edit, args=(c,)) for c in changes]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=120)
        assert not errors, errors
        stored = _audit_is_exact(any_workspace, None, DAY)
        assert stored["pain_morning"] == round_ + 2
        assert stored["run_distance_m"] == 9000.0 + round_
        assert stored["stiffness_morning_min"] == round_
        assert stored["pain_now"] == 1


def test_a_form_based_on_an_old_version_merges_or_is_refused(any_workspace: Workspace) -> None:
    ws = any_workspace
    journal.update_fields(ws, None, DAY, {"pain_now": 1, "pain_morning": 2}, today=TODAY)
    shown, revision = journal.get_entry_revision(ws, None, DAY)
    assert shown is not None and revision == 1
    journal.update_fields(ws, None, DAY, {"run_distance_m": 5000.0}, today=TODAY)   # another device meanwhile
    form = {**shown.to_dict(), "pain_now": 4}
    journal.log_entry(ws, None, form, today=TODAY, base_revision=revision)         # different fields: merged
    merged = journal.get_entry(ws, None, DAY)
    assert merged is not None and merged.pain_now == 4 and merged.run_distance_m == 5000.0
    with pytest.raises(EditConflict) as err:                                        # same field, other value
        journal.log_entry(ws, None, {**shown.to_dict(), "run_distance_m": 7000.0}, today=TODAY, base_revision=revision)
    assert err.value.fields == ("run_distance_m",)
    after = journal.get_entry(ws, None, DAY)
    assert after == merged   # nothing of the refused edit was stored
    _audit_is_exact(ws, None, DAY)


def test_a_refused_concurrent_edit_exits_1_with_a_message(cli: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    assert cli("log", "--day", DAY.isoformat(), "--pain-now", "1", "--json").exit_code == 0

    def conflict(*_a: Any, **_k: Any) -> None:
        raise journal._conflict(DAY, ("pain_now",))

    monkeypatch.setattr(journal, "update_fields", conflict)
    r = cli("log", "--day", DAY.isoformat(), "--pain-now", "5", "--json")
    assert r.exit_code == 1
    assert r.json()["error"]["type"] == "EditConflict" and "nothing of this edit was stored" in r.json()["error"]["message"]


def test_concurrent_first_writers_all_succeed(tmp_path: Path, database_url: str) -> None:
    first = _open(tmp_path / "data", database_url)   # migrated; no runner yet
    settings = first.settings
    errors: list[BaseException] = []
    barrier = threading.Barrier(4)

    def write(i: int) -> None:
        ws = Workspace.open(settings)
        try:
            barrier.wait()
            journal.update_fields(ws, "New", DAY - dt.timedelta(days=i), {"pain_now": i}, today=TODAY)
        except BaseException as exc:
            errors.append(exc)
        finally:
            ws.close()

    threads = [threading.Thread(target=write, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not errors, errors
    assert first.list_runners() == ["New"]
    assert len(journal.list_entries(first, "New")) == 4
    first.close()


_CHECKIN_LOOP = """
import datetime as dt, sys
from backstride.config import Settings
from backstride.workflows import journal
from backstride.workflows.workspace import Workspace
ws = Workspace.open(Settings(data_dir=sys.argv[1]))
print("ready", flush=True)
for i in range(100000):
    journal.update_fields(ws, None, dt.date(2026, 3, 2 + i % 3), {"pain_now": i % 11, "notes": "x" * (i % 50)},
                          today=dt.date(2026, 3, 10))
"""


def test_sigkill_during_check_ins_leaves_whole_entries(tmp_path: Path) -> None:
    rng = random.Random(7)
    data = tmp_path / "data"
    for _ in range(3):
        proc = subprocess.Popen([sys.executable, "-c", _CHECKIN_LOOP, str(data)], stdout=subprocess.PIPE,
                                env=_env("sqlite"))
        assert proc.stdout is not None and proc.stdout.readline().strip() == b"ready"
        time.sleep(rng.uniform(0.2, 1.0))
        proc.kill()
        proc.wait(timeout=30)
        _sqlite_ok(data)
        ws = _open(data, "sqlite")
        try:
            for entry in journal.list_entries(ws, None):
                _audit_is_exact(ws, None, entry.day)
        finally:
            ws.close()


# ---------------------------------------------------------------- imports


def _import_state(ws: Workspace) -> tuple[int, int]:
    """(activities, files); every activity has its series and every file row points at stored activities."""
    with ws.transaction() as session:
        n_act = session.execute(text("SELECT COUNT(*) FROM activities")).scalar_one()
        n_series = session.execute(text("SELECT COUNT(*) FROM activity_series")).scalar_one()
        files = session.scalars(select(acts_flow.store.ActivityFileRow)).all()
        ids = {r[0] for r in session.execute(text("SELECT id FROM activities"))}
    assert n_series == n_act
    assert all(set(f.activity_ids) <= ids and f.activity_ids for f in files)
    assert sum(len(f.activity_ids) for f in files) == n_act
    return n_act, len(files)


def test_sigkill_during_an_import_keeps_whole_files_and_a_rerun_completes(tmp_path: Path, database_url: str) -> None:
    folder = _gpx_folder(tmp_path / "files", 8, 1500)
    rng = random.Random(5)
    data = tmp_path / "data"
    seen_partial = False
    for _ in range(3):
        proc = _spawn(data, database_url, "import", str(folder), "--json")
        _kill_when(proc, lambda: (data / "backstride.db").exists() or not database_url.startswith("sqlite"),
                   rng, 3.0)
        _sqlite_ok(data)
        ws = _open(data, database_url)
        try:
            n_act, _ = _import_state(ws)
            seen_partial |= 0 < n_act < 8
        finally:
            ws.close()
    again = _spawn(data, database_url, "import", str(folder), "--json")
    assert again.wait(timeout=300) == 0
    ws = _open(data, database_url)
    try:
        assert _import_state(ws) == (8, 8)
        report = acts_flow.import_paths(ws, None, [folder], workers=1)   # idempotent: all duplicates now
        assert report.count("duplicate") == 8
        assert _import_state(ws) == (8, 8)
    finally:
        ws.close()


def test_workers_die_with_a_killed_import(tmp_path: Path) -> None:
    import psutil

    folder = _gpx_folder(tmp_path / "files", 12, 6000)
    proc = _spawn(tmp_path / "data", "sqlite", "import", str(folder), "--json")
    parent = psutil.Process(proc.pid)
    workers: list[Any] = []
    deadline = time.monotonic() + 120
    while len(workers) < 2 and proc.poll() is None and time.monotonic() < deadline:
        workers = parent.children(recursive=True)
        time.sleep(0.02)
    if proc.poll() is not None:
        pytest.skip("the import finished before its workers could be seen (one CPU?)")
    proc.kill()
    proc.wait(timeout=30)
    _gone, alive = psutil.wait_procs(workers, timeout=10)
    assert not alive, f"{len(alive)} worker(s) outlived the killed import"


def test_sigterm_shuts_an_import_down_cleanly(tmp_path: Path) -> None:
    import psutil

    folder = _gpx_folder(tmp_path / "files", 12, 6000)
    data = tmp_path / "data"
    proc = _spawn(data, "sqlite", "import", str(folder), "--json")
    parent = psutil.Process(proc.pid)
    deadline = time.monotonic() + 120
    workers: list[Any] = []
    while len(workers) < 2 and proc.poll() is None and time.monotonic() < deadline:
        workers = parent.children(recursive=True)
        time.sleep(0.02)
    if proc.poll() is not None:
        pytest.skip("the import finished before it could be stopped")
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 128 + signal.SIGTERM
    assert b"Traceback" not in err
    _, alive = psutil.wait_procs(workers, timeout=10)
    assert not alive
    ws = _open(data, "sqlite")
    try:
        _import_state(ws)
    finally:
        ws.close()


def _bomb_archive(path: Path, inner: int, member_mib: int) -> Path:
    """A small zip of ``inner`` zips, each with one ``member_mib`` MiB member (zeros compress to almost nothing)."""
    block = bytes(1024 * 1024)
    with zipfile.ZipFile(path, "w") as outer:
        for i in range(inner):
            buf = io.BytesIO()
            with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as zf, \
                    zf.open(f"export/act{i}.fit", "w", force_zip64=True) as fh:
                for _ in range(member_mib):
                    fh.write(block)
            outer.writestr(f"garmin/part{i:02d}.zip", buf.getvalue())
    return path


@pytest.mark.parametrize("inner,member_mib", [
    (8, 48),                                          # bounded form for CI
    pytest.param(16, 250, marks=pytest.mark.slow),   # the reported 4 MB zip: 4.7 GB before
])
def test_an_archive_of_many_large_members_stays_under_the_memory_budget(tmp_path: Path, inner: int,
                                                                          member_mib: int) -> None:
    archive = _bomb_archive(tmp_path / "export.zip", inner, member_mib)
    assert archive.stat().st_size < 16 * 1024 * 1024   # a small upload
    proc = _spawn(tmp_path / "data", "sqlite", "import", str(archive), "--json")
    peak = _tree_peak_rss(proc)
    assert proc.returncode == 1   # every member is rejected (zeros are no FIT file), none crashes
    # The whole tree stays under 1 GiB; and since no process holds more than one member at a time,
    # under a base (interpreter, readers, two workers) plus a few members' worth, whatever their number.
    budget = min(GIB, 400 * 2**20 + 3 * member_mib * 2**20)
    print(f"archive {inner} x {member_mib} MiB: tree peak {peak / 2**20:.0f} MiB (budget {budget / 2**20:.0f})")
    assert peak < budget, f"peak {peak / 2**20:.0f} MiB for the whole process tree"


@pytest.mark.parametrize("points", [
    200_000,                                              # bounded form for CI
    pytest.param(1_000_000, marks=pytest.mark.slow),      # the reported file: 150 s and 2.5 GB before
])
def test_a_long_gpx_imports_under_the_memory_budget(tmp_path: Path, points: int) -> None:
    from support.long_gpx import write_long_gpx

    path = write_long_gpx(tmp_path / "long.gpx", points)
    proc = _spawn(tmp_path / "data", "sqlite", "import", str(path), "--json")
    peak = _tree_peak_rss(proc)
    out = proc.stdout.read() if proc.stdout else b""
    assert proc.returncode == 0, proc.stderr.read() if proc.stderr else b""
    import json

    [report] = json.loads(out)["files"]
    assert report["status"] == "imported"
    [act] = report["activities"]
    assert act["sport"] == "running"
    # The whole tree stays under 500 MB for 1 M points (the file alone is about 200 MB of it);
    # the streaming reader keeps about 50 bytes a point, so the bounded form needs far less.
    budget = 500 * 2**20 if points >= 1_000_000 else 320 * 2**20
    print(f"gpx {points} points, {path.stat().st_size / 1e6:.0f} MB: tree peak {peak / 1e6:.0f} MB "
          f"(budget {budget / 1e6:.0f})")
    assert peak < budget, f"peak {peak / 1e6:.0f} MB for the whole process tree"


# ---------------------------------------------------------------- ids and the web edge


@pytest.fixture
def web(settings: Settings) -> Iterator[Any]:
    from web_helpers import client_for

    with client_for(settings) as c:
        yield c


@pytest.mark.parametrize("path", ["/screening/result/99999999999999999999", "/form/99999999999999999999",
                                  "/screening/result/2147483648", "/form/0",
                                  "/form/compare?a=99999999999999999999&b=1"])
def test_out_of_range_ids_are_not_found(web: Any, path: str) -> None:
    r = web.get(path)
    assert r.status_code == 404


def test_an_out_of_range_id_option_is_a_usage_error(cli: Any) -> None:
    r = cli("history", "--show", "99999999999999999999")
    assert r.exit_code == 2
    assert "Traceback" not in r.stdout + r.stderr


def test_state_changing_requests_need_a_same_origin_origin_or_referer(settings: Settings) -> None:
    from fastapi.testclient import TestClient

    from backstride.web.app import create_app
    from web_helpers import LOCAL

    app = create_app(settings)
    with TestClient(app, base_url=LOCAL) as c:   # no Origin header by default
        assert c.post("/runner", data={"new_runner": "Bob"}, follow_redirects=False).status_code == 403
        assert c.post("/runner", data={"new_runner": "Bob"}, headers={"referer": "http://evil.example/x"},
                      follow_redirects=False).status_code == 403
        assert c.post("/runner", data={"new_runner": "Bob"}, headers={"origin": "http://127.0.0.1:9999"},
                      follow_redirects=False).status_code == 403
        ok = c.post("/runner", data={"new_runner": "Bob"}, headers={"referer": f"{LOCAL}/today"},
                    follow_redirects=False)
        assert ok.status_code in (200, 303)
        assert c.get("/today").status_code == 200   # reading needs no origin
    app.state.workspace.close()


def test_too_many_uploads_at_once_are_told_to_wait() -> None:
    import asyncio

    from backstride.web.security import UploadSlots

    entered = asyncio.Event()
    release = asyncio.Event()
    statuses: list[int] = []

    async def slow_app(scope: Any, receive: Any, send: Any) -> None:
        entered.set()
        await release.wait()

    async def refuse(scope: Any, receive: Any, send: Any, status: int, *_: str) -> None:
        statuses.append(status)

    async def run() -> None:
        slots = UploadSlots(slow_app, refuse, limit=1)
        scope = {"type": "http", "method": "POST", "headers": [(b"content-type", b"multipart/form-data; b=x")]}
        first = asyncio.create_task(slots(scope, _NONE, _NONE))
        await entered.wait()
        await slots(scope, _NONE, _NONE)   # the second one while the first is still being read
        release.set()
        await first
        await slots({**scope, "headers": []}, _NONE, _NONE)   # not an upload: never limited

    asyncio.run(run())
    assert statuses == [503]


_NONE: Any = None   # receive/send are never called by these fakes


def test_a_stalled_request_is_closed(tmp_path: Path) -> None:
    import socket

    from backstride.web import serve

    script = (
        "import sys\n"
        "from backstride.web import serve\n"
        "serve.TimedH11Protocol.header_timeout_s = 0.5\n"
        "serve.TimedH11Protocol.body_idle_timeout_s = 0.5\n"
        "async def app(scope, receive, send):\n"
        "    if scope['type'] == 'http':\n"
        "        while (await receive()).get('more_body'): pass\n"
        "        await send({'type': 'http.response.start', 'status': 200, 'headers': []})\n"
        "        await send({'type': 'http.response.body', 'body': b'ok'})\n"
        "serve.run_server(app, host='127.0.0.1', port=int(sys.argv[1]))\n")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen([sys.executable, "-c", script, str(port)], env=_env("sqlite"))
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.1)
        for partial in (b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n",                       # headers never end
                        b"POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 100\r\n\r\nabc"):  # body stalls
            with socket.create_connection(("127.0.0.1", port), timeout=10) as conn:
                conn.sendall(partial)
                started = time.monotonic()
                assert conn.recv(1024) == b""          # closed by the server, not by our 10 s timeout
                assert time.monotonic() - started < 8
        with socket.create_connection(("127.0.0.1", port), timeout=10) as conn:   # a whole request still works
            conn.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
            assert b"200" in conn.recv(1024)
    finally:
        server.terminate()
        server.wait(timeout=30)
    assert serve.HEADER_TIMEOUT_S > 0


def test_a_gpx_with_a_dtd_entity_is_refused_with_a_message_about_entities() -> None:
    from backstride.activities.gpx import read_gpx
    from backstride.errors import ActivityFileError

    data = (b'<?xml version="1.0"?><!DOCTYPE gpx [<!ENTITY up "12.5">]><gpx version="1.1" '
            b'xmlns="http://www.topografix.com/GPX/1/1"><trk><trkseg><trkpt lat="52" lon="4"><ele>&up;</ele>'
            b'<time>2026-01-01T07:00:00Z</time></trkpt></trkseg></trk></gpx>')
    with pytest.raises(ActivityFileError) as err:
        read_gpx(data, "entity.gpx")
    assert "entities (&up;)" in err.value.message and "numbers" not in str(err.value)


@pytest.mark.shared_data
def test_streamed_reading_gives_the_same_bytes_and_hashes_on_the_real_files(shared_dir: Path) -> None:
    """The streaming archive walker reads exactly what reading each file whole did (so stored
    content hashes, and duplicate detection across versions, are unchanged)."""
    import gzip
    import hashlib

    from backstride.activities.sources import content_hash, discover, load_bytes, stream_hash

    folder = shared_dir / "data" / "activities"
    sources, _ = discover([folder])
    assert len(sources) > 20
    checked_members = 0
    for src in sources:
        try:
            data = load_bytes(src)
        except Exception as exc:
            from backstride.errors import ActivityFileError

            assert isinstance(exc, ActivityFileError)
            continue
        assert stream_hash(src) == content_hash(data) == hashlib.sha256(data).hexdigest()
        if src.members:
            checked_members += 1
            with zipfile.ZipFile(src.path) as zf:
                whole = zf.read(src.members[0])
            for name in src.members[1:]:
                with zipfile.ZipFile(io.BytesIO(whole)) as inner:
                    whole = inner.read(name)
        else:
            whole = Path(src.path).read_bytes()
        if src.inner_name.endswith(".gz"):
            whole = gzip.decompress(whole)
        assert data == whole, src.display
    assert checked_members > 0
