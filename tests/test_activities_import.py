"""The import use case and commands: per-file transactions, duplicates, re-import, JSON shape."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import numpy as np
import pytest
from sqlalchemy import func, select

from backstride.activities.model import Series
from backstride.demo.synthetic_runs import generate_runs
from backstride.storage import activities as store
from backstride.workflows import activities as wf
from backstride.workflows.workspace import Workspace
from test_activities_readers import START, fit_bytes, gpx_text, gz, strava_export, synthetic_run

ACTIVITY_KEYS = {"id", "sport", "sub_sport", "start_time", "elapsed_s", "timer_s", "distance_m", "laps",
                 "avg_hr_bpm", "avg_cadence_spm", "has_running_dynamics", "avg_power_w", "avg_form_power_w",
                 "sport_source", "sport_confidence", "needs_sport_confirmation", "counts_as_run", "warnings"}


def _counts(ws: Workspace) -> tuple[int, int, int]:
    with ws.transaction() as s:
        return (s.scalar(select(func.count()).select_from(store.ActivityRow)) or 0,
                s.scalar(select(func.count()).select_from(store.ActivitySeriesRow)) or 0,
                s.scalar(select(func.count()).select_from(store.ActivityFileRow)) or 0)


def _folder(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.fit").write_bytes(fit_bytes(START, minutes=5, seed=1))
    (folder / "b.fit.gz").write_bytes(gz(fit_bytes(START + dt.timedelta(days=1), minutes=5, seed=2)))
    (folder / "c.gpx").write_text(gpx_text(START + dt.timedelta(days=2)))
    (folder / "empty.fit").write_bytes(b"")
    return folder


def test_import_reports_each_file_and_stores_nothing_for_rejected_ones(any_workspace: Workspace, tmp_path: Path) -> None:
    report = wf.import_paths(any_workspace, None, [_folder(tmp_path)], workers=1)
    status = {Path(f.path).name: f.status for f in report.files}
    assert status == {"a.fit": "imported", "b.fit.gz": "imported", "c.gpx": "imported", "empty.fit": "rejected"}
    assert report.rejected == 1
    rejected = next(f for f in report.files if f.status == "rejected")
    assert "empty.fit" in (rejected.error or "") and rejected.activities == []
    assert _counts(any_workspace) == (3, 3, 3)
    doc = report.to_dict()
    assert set(doc) == {"files"}
    for f in doc["files"]:
        assert set(f) == {"path", "status", "error", "warnings", "activities"}
        for a in f["activities"]:
            assert set(a) == ACTIVITY_KEYS
    acts = wf.list_activities(any_workspace, None)
    assert [a.start_time for a in acts] == [START, START + dt.timedelta(days=1), START + dt.timedelta(days=2)]
    series = wf.activity_series(any_workspace, acts[0].id)  # type: ignore[arg-type]
    assert series is not None and len(series) == 300 and series.has("stance_time_ms")


def test_reimport_is_recognised_by_content_and_changes_nothing(any_workspace: Workspace, tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    first = wf.import_paths(any_workspace, None, [folder], workers=1)
    before = _counts(any_workspace)
    ids_before = [a.id for a in wf.list_activities(any_workspace, None)]
    again = wf.import_paths(any_workspace, None, [folder], workers=1)
    assert [f.status for f in again.files if not f.path.endswith("empty.fit")] == ["duplicate"] * 3
    assert all("already imported" in f.warnings[0] for f in again.files if f.status == "duplicate")
    assert [a.id for f in again.files for a in f.activities] == [a.id for f in first.files for a in f.activities]
    assert _counts(any_workspace) == before
    assert [a.id for a in wf.list_activities(any_workspace, None)] == ids_before


def test_same_file_twice_in_one_batch(workspace: Workspace, tmp_path: Path) -> None:
    data = fit_bytes(minutes=3)
    (tmp_path / "one.fit").write_bytes(data)
    (tmp_path / "copy.fit.gz").write_bytes(gz(data))
    report = wf.import_paths(workspace, None, [tmp_path / "one.fit", tmp_path / "copy.fit.gz"], workers=1)
    assert [f.status for f in report.files] == ["imported", "duplicate"]
    assert report.files[1].activities[0].id == report.files[0].activities[0].id
    assert _counts(workspace)[0] == 1


def test_same_activity_from_two_sources_keeps_the_richer_record(workspace: Workspace, tmp_path: Path) -> None:
    # The GPX (positions, HR, cadence) arrives first; the FIT with running dynamics is richer.
    (tmp_path / "run.gpx").write_text(gpx_text(START + dt.timedelta(seconds=20), n=200))
    (tmp_path / "run.fit").write_bytes(fit_bytes(START, minutes=4))
    report = wf.import_paths(workspace, None, [tmp_path / "run.gpx", tmp_path / "run.fit"], workers=1)
    assert [f.status for f in report.files] == ["imported", "duplicate"]
    assert "more data" in report.files[1].warnings[-1]
    [act] = wf.list_activities(workspace, None)
    assert act.id == report.files[0].activities[0].id  # the id survives the replacement
    assert act.source_format == "fit" and act.has_running_dynamics
    # and the poorer file arriving later changes nothing
    (tmp_path / "late.gpx").write_text(gpx_text(START + dt.timedelta(seconds=30), n=150))
    late = wf.import_paths(workspace, None, [tmp_path / "late.gpx"], workers=1)
    assert late.files[0].status == "duplicate" and "was kept" in late.files[0].warnings[-1]
    assert wf.list_activities(workspace, None)[0].source_format == "fit"


def test_process_pool_gives_the_same_result_as_inline(workspace: Workspace, tmp_path: Path) -> None:
    folder = tmp_path / "many"
    folder.mkdir()
    for i in range(6):
        (folder / f"r{i}.fit").write_bytes(fit_bytes(START + dt.timedelta(days=i), minutes=2, seed=i))
    calls: list[tuple[int, int]] = []
    report = wf.import_paths(workspace, None, [folder], progress=lambda d, t, _p: calls.append((d, t)), workers=2)
    assert [f.status for f in report.files] == ["imported"] * 6
    assert calls[-1] == (6, 6) and [d for d, _ in calls] == list(range(1, 7))
    starts = [a.start_time for a in wf.list_activities(workspace, None)]
    assert starts == [START + dt.timedelta(days=i) for i in range(6)]


def test_strava_export_import_creates_the_named_shoe(workspace: Workspace, tmp_path: Path) -> None:
    runs = [synthetic_run(START + dt.timedelta(days=i), minutes=3, seed=i) for i in range(2)]
    strava_export(tmp_path / "export_123.zip", runs)
    report = wf.import_paths(workspace, None, [tmp_path / "export_123.zip"], workers=1)
    assert [f.status for f in report.files] == ["imported", "imported"]
    [shoe] = wf.list_shoes(workspace, None, today=START.date() + dt.timedelta(days=3))
    assert shoe.shoe.name == "Blue Pegasus" and shoe.runs == 2
    assert shoe.distance_km == pytest.approx(sum(r.distance_m or 0 for r in runs) / 1000, rel=1e-3)


def test_store_activities_for_the_demo_is_idempotent(workspace: Workspace) -> None:
    runs = generate_runs(dt.date(2026, 1, 5), 21, seed=5)
    ids = wf.store_activities(workspace, "demo", runs)
    assert len(ids) == len(runs) == len(set(ids))
    assert wf.store_activities(workspace, "demo", runs) == ids
    stored = wf.list_activities(workspace, "demo")
    assert [a.distance_m for a in stored] == pytest.approx([r.distance_m for r in runs])
    series = wf.activity_series(workspace, ids[0])
    assert isinstance(series, Series)
    np.testing.assert_allclose(series.get("heart_rate_bpm"), runs[0].series.get("heart_rate_bpm"))  # type: ignore[union-attr]


def test_cli_import_json_and_exit_codes(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    folder = _folder(tmp_path)
    result = cli("import", str(folder), "--json")
    assert result.exit_code == 1  # one file was rejected
    doc = json.loads(result.stdout)
    assert [f["status"] for f in doc["files"]].count("imported") == 3
    ok = cli("import", str(folder / "a.fit"), "--json")
    assert ok.exit_code == 0 and json.loads(ok.stdout)["files"][0]["status"] == "duplicate"
    listed = cli("activities", "--json")
    assert listed.exit_code == 0 and len(json.loads(listed.stdout)["activities"]) == 3
    plain = cli("import", str(folder / "empty.fit"))
    assert plain.exit_code == 1 and "empty" in plain.stderr


def test_cli_salvage_keeps_the_readable_part(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    data = fit_bytes(minutes=5)
    (tmp_path / "cut.fit").write_bytes(data[: len(data) // 2])
    strict = cli("import", str(tmp_path / "cut.fit"), "--json")
    assert strict.exit_code == 1 and "--salvage" in json.loads(strict.stdout)["files"][0]["error"]
    kept = cli("import", "--salvage", str(tmp_path / "cut.fit"), "--json")
    doc = json.loads(kept.stdout)
    assert kept.exit_code == 0 and doc["files"][0]["status"] == "imported"
    assert any("damaged" in w for w in doc["files"][0]["warnings"])


def test_a_storage_failure_keeps_nothing_of_that_file_and_the_batch_goes_on(
        workspace: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from sqlalchemy.exc import OperationalError

    chained = fit_bytes(START, minutes=2, seed=1) + fit_bytes(START + dt.timedelta(hours=3), minutes=2, seed=2)
    (tmp_path / "a_two_legs.fit").write_bytes(chained)
    (tmp_path / "b_fine.fit").write_bytes(fit_bytes(START + dt.timedelta(days=1), minutes=2, seed=3))
    real_write = wf._write
    calls = {"n": 0}

    def failing_second_leg(*args, **kwargs):  # type: ignore[no-untyped-def]
        calls["n"] += 1
        if calls["n"] == 2:  # the second leg of the first file
            raise OperationalError("INSERT", {}, Exception("disk I/O error"))
        return real_write(*args, **kwargs)

    monkeypatch.setattr(wf, "_write", failing_second_leg)
    report = wf.import_paths(workspace, None, [tmp_path], workers=1)
    assert [f.status for f in report.files] == ["rejected", "imported"]
    assert "could not be stored" in (report.files[0].error or "")
    assert [a.start_time for a in wf.list_activities(workspace, None)] == [START + dt.timedelta(days=1)]
    assert _counts(workspace) == (1, 1, 1)


def test_import_from_a_worker_thread_uses_a_safe_pool(workspace: Workspace, tmp_path: Path) -> None:
    import threading

    for i in range(4):
        (tmp_path / f"t{i}.fit").write_bytes(fit_bytes(START + dt.timedelta(days=i), minutes=1, seed=i))
    out: list[wf.ImportReport] = []
    thread = threading.Thread(target=lambda: out.append(wf.import_paths(workspace, None, [tmp_path], workers=2)))
    thread.start()
    thread.join(timeout=120)
    assert out and [f.status for f in out[0].files] == ["imported"] * 4


def test_a_copy_of_a_rejected_file_is_rejected_too(workspace: Workspace, tmp_path: Path) -> None:
    data = fit_bytes(minutes=2)[:-40]
    (tmp_path / "a.fit").write_bytes(data)
    (tmp_path / "b.fit").write_bytes(data)
    report = wf.import_paths(workspace, None, [tmp_path], workers=1)
    assert [f.status for f in report.files] == ["rejected", "rejected"]
    assert "same content as" in (report.files[1].error or "")
