"""Data page with a filled profile: the export holds every area's records; delete removes only that profile."""

from __future__ import annotations

import csv
import io
import json
import threading
import time
import zipfile
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from backstride.workflows import data as data_flow
from web_helpers import ws_of

demo = pytest.importorskip("backstride.workflows.demo")


def test_export_contains_every_area_as_json_and_csv(client: TestClient) -> None:
    demo.fill_demo(ws_of(client), "demo", years=0.3, seed=2)
    client.post("/runner", data={"runner": "demo"})
    r = client.post("/data/export", data={"runner": "demo", "confirm": "yes"})
    assert r.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(r.content))
    doc = json.loads(archive.read("data.json"))
    tables = {name: rows for name, rows in doc["tables"].items() if rows}
    assert len(tables) >= 4, sorted(tables)  # screening, plan, activities, journal at least
    for name, rows in tables.items():
        reader = list(csv.DictReader(io.StringIO(archive.read(f"csv/{name}.csv").decode())))
        assert len(reader) == len(rows), name
    assert all(row.get("runner_id") in (None, rows[0].get("runner_id")) for rows in tables.values() for row in rows)


def test_delete_removes_one_profile_and_keeps_the_other(client: TestClient) -> None:
    ws = ws_of(client)
    demo.fill_demo(ws, "demo", years=0.2, seed=2)
    demo.fill_demo(ws, "other", years=0.2, seed=3)
    client.post("/runner", data={"runner": "demo"})
    r = client.post("/data/delete", data={"runner": "demo", "confirm_name": "demo"})
    assert r.status_code == 200 and "are gone" in r.text
    assert ws.list_runners() == ["other"]
    with ws.transaction() as session:
        for table in data_flow._load_all_tables():
            if "runner_id" in table.c:
                runner_ids = set(session.scalars(select(table.c.runner_id)))
                assert len(runner_ids) <= 1, table.name  # only "other" is left anywhere
    export = data_flow.export_runner(ws, "other")
    assert sum(export.tables.values()) > 0


def test_job_page_shows_progress_then_the_result(client: TestClient) -> None:
    gate = threading.Event()

    def slow(ws: Any, params: dict[str, Any], progress: Any) -> dict[str, Any]:
        progress(1, 3, "first of three")
        gate.wait(10)
        return {"summary": "All three done.", "next_url": "/activities"}

    jobs = client.app.state.jobs  # type: ignore[attr-defined]
    jobs.register("slow", slow)
    job_id = jobs.submit("slow", {}, runner="default", label="Doing three things")
    deadline = time.monotonic() + 5
    while jobs.get(job_id).message != "first of three" and time.monotonic() < deadline:
        time.sleep(0.01)
    html = client.get(f"/jobs/{job_id}").text
    assert "Doing three things" in html
    assert f'data-job-url="/jobs/{job_id}.json"' in html
    assert '<label for="job-progress">Progress</label>' in html and "first of three" in html
    gate.set()
    while not jobs.get(job_id).state.finished and time.monotonic() < deadline + 5:
        time.sleep(0.01)
    html = client.get(f"/jobs/{job_id}").text
    assert "All three done." in html
    assert 'http-equiv="refresh" content="1;url=/activities"' in html


def test_findings_page_groups_every_area_with_evidence(client: TestClient) -> None:
    from backstride.workflows.assessment import assess

    ws = ws_of(client)
    demo.fill_demo(ws, "demo", years=0.5, seed=4)
    client.post("/runner", data={"runner": "demo"})
    found = assess(ws, "demo").findings
    assert found
    html = client.get("/findings").text
    for origin in {o for o, _ in found}:
        assert f"From your {origin.lower()}" in html
    for _origin, finding in found:
        assert finding.title.replace("'", "&#39;") in html
    assert html.count("Evidence:") == len(found)


def test_export_and_delete_on_both_databases(any_workspace: Any) -> None:
    demo.fill_demo(any_workspace, "a", years=0.1, seed=1)
    demo.fill_demo(any_workspace, "b", years=0.1, seed=2)
    exported = data_flow.export_runner(any_workspace, "a")
    assert sum(exported.tables.values()) > 10
    result = data_flow.delete_runner(any_workspace, "a")
    assert result.existed and sum(result.tables.values()) == sum(exported.tables.values())
    assert any_workspace.list_runners() == ["b"]
    assert data_flow.export_runner(any_workspace, "a").tables == {}
    assert not data_flow.delete_runner(any_workspace, "a").existed


def test_delete_removes_the_profiles_stored_files(workspace: Any) -> None:
    from backstride.storage import form as form_store

    made = {}
    for runner in ("a", "b"):
        folder = workspace.settings.files_dir / "form" / f"uid-{runner}"
        folder.mkdir(parents=True)
        (folder / "annotated.mp4").write_bytes(b"video")
        (folder / "signals.png").write_bytes(b"png")
        made[runner] = folder
        with workspace.transaction() as session:
            runner_id = workspace.runner_id(session, runner)
            form_store.add_result(session, runner_id=runner_id, uid=f"uid-{runner}", video_name="run.mp4",
                                  video_sha256="0" * 64, view="sagittal-left", cadence_spm=170.0, data={},
                                  files={"annotated_mp4": f"form/uid-{runner}/annotated.mp4",
                                         "signals_png": f"form/uid-{runner}/signals.png"})
    result = data_flow.delete_runner(workspace, "a")
    assert result.files_removed == 2
    assert not made["a"].exists()
    assert (made["b"] / "annotated.mp4").is_file()
