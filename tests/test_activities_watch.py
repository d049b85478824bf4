"""The watched folder: `backstride import --watch DIR` and the web app's watch_dir setting."""

from __future__ import annotations

import datetime as dt
import threading
import time
from pathlib import Path

import numpy as np

from backstride.config import Settings
from backstride.demo.synthetic_runs import generate_run
from support.fit_writer import activity_to_fit


def _fit(day: int, minutes: float = 5) -> bytes:
    start = dt.datetime(2026, 2, 1, 7, tzinfo=dt.UTC) + dt.timedelta(days=day)
    return activity_to_fit(generate_run(start, minutes * 60, rng=np.random.default_rng(day)))


def test_a_file_still_being_copied_waits_and_a_settled_one_is_imported_once(workspace, tmp_path: Path) -> None:
    from backstride.workflows.activities import FolderWatch, list_activities

    folder = tmp_path / "GARMIN" / "Activity"
    folder.mkdir(parents=True)
    watch = FolderWatch(workspace, None, tmp_path / "GARMIN")
    data = _fit(1)
    part = folder / "run.fit"
    part.write_bytes(data[: len(data) // 2])
    assert not watch.poll().files            # first look: seen, not yet settled
    part.write_bytes(data)                   # the copy finishes
    assert not watch.poll().files            # changed since the last look: wait once more
    report = watch.poll()
    assert [f.status for f in report.files] == ["imported"]
    assert not watch.poll().files            # unchanged: not imported again
    (folder / "notes.txt").write_text("not an activity")
    assert not watch.poll().files
    [act] = list_activities(workspace, None)
    assert act.sport == "running"


def test_import_watch_picks_up_a_new_file_and_reports_it_as_one_json_document(cli, tmp_path: Path) -> None:
    folder = tmp_path / "sync"
    folder.mkdir()
    (folder / "old.fit").write_bytes(_fit(2))

    def drop() -> None:
        time.sleep(0.6)
        (folder / "new.fit").write_bytes(_fit(3))

    dropper = threading.Thread(target=drop)
    dropper.start()
    result = cli("import", "--watch", str(folder), "--for", "3.5", "--json")
    dropper.join()
    assert result.exit_code == 0
    doc = result.json()
    assert sorted(Path(f["path"]).name for f in doc["files"]) == ["new.fit", "old.fit"]
    assert {f["status"] for f in doc["files"]} == {"imported"}
    missing = cli("import", "--watch", str(tmp_path / "nope"), "--for", "1")
    assert missing.exit_code == 1 and "does not exist" in (missing.stdout + missing.stderr)
    usage = cli("import")
    assert usage.exit_code == 2


def test_the_web_app_watches_its_folder(tmp_path: Path) -> None:
    from fastapi.testclient import TestClient

    from backstride.web.app import create_app
    from backstride.workflows.activities import list_activities

    folder = tmp_path / "watched"
    folder.mkdir()
    settings = Settings(data_dir=tmp_path / "data", watch_dir=folder)
    app = create_app(settings)
    with TestClient(app, base_url="http://127.0.0.1:8421") as client:
        assert "Watched folder" in client.get("/activities").text
        (folder / "run.fit").write_bytes(_fit(4))
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and not list_activities(app.state.workspace, "default"):
            time.sleep(0.1)
        assert len(list_activities(app.state.workspace, "default")) == 1
        page = client.get("/activities").text
        assert "run.fit: imported" in page
