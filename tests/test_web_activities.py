"""Uploading activity files: background import to the load chart, and every kind of bad upload."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from backstride.config import Settings
from web_helpers import client_for, wait_job, ws_of

activities = pytest.importorskip("backstride.workflows.activities")


def gpx_run(start: dt.datetime, distance_m: float = 8000.0, speed_mps: float = 3.0) -> bytes:
    """A plausible straight-line run as GPX 1.1 (one point every 5 s)."""
    points = []
    seconds = int(distance_m / speed_mps)
    for t in range(0, seconds + 1, 5):
        lat = 52.0 + (t * speed_mps) / 111_320.0
        stamp = (start + dt.timedelta(seconds=t)).strftime("%Y-%m-%dT%H:%M:%SZ")
        points.append(f'<trkpt lat="{lat:.7f}" lon="13.0000000"><ele>40</ele><time>{stamp}</time></trkpt>')
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            '<gpx version="1.1" creator="backstride-tests" xmlns="http://www.topografix.com/GPX/1/1">'
            f'<trk><name>Test run</name><type>running</type><trkseg>{"".join(points)}</trkseg></trk></gpx>').encode()


def recent(days_ago: int) -> dt.datetime:
    day = dt.date.today() - dt.timedelta(days=days_ago)
    return dt.datetime.combine(day, dt.time(7, 0), tzinfo=dt.UTC)


def stored(client: TestClient) -> list[Any]:
    return activities.list_activities(ws_of(client), "default")


def leftover_uploads(settings: Settings) -> list[Path]:
    root = settings.files_dir / "uploads"
    return list(root.rglob("*")) if root.exists() else []


def test_activities_page_before_any_import(client: TestClient) -> None:
    html = client.get("/activities").text
    assert '<label for="files">' in html
    assert "No runs imported yet" in html


def test_upload_runs_in_background_then_chart_shows_them(client: TestClient, settings: Settings) -> None:
    files = [("files", (f"run{i}.gpx", gpx_run(recent(i * 3), 6000 + 1000 * i), "application/gpx+xml"))
             for i in range(4)]
    r = client.post("/activities/upload", files=files, follow_redirects=False)
    assert r.status_code == 303
    job_url = r.headers["location"]
    assert job_url.startswith("/jobs/")
    page = client.get(job_url)
    assert page.status_code == 200
    status = wait_job(client, job_url)
    assert status["state"] == "done", status
    assert "Imported 4 activities from 4 files" in status["result"]["summary"]
    assert status["result"]["next_url"] == "/activities"
    assert len(stored(client)) == 4
    assert leftover_uploads(settings) == []
    html = client.get("/activities").text
    assert "Distance per week (km)" in html
    assert "Not enough running history for a load ratio yet" in html  # 9 days of runs, no made-up ratio
    assert 'class="caveat"' in html
    assert "4 runs" in html
    done_page = client.get(job_url).text
    assert "Imported 4 activities" in done_page


def test_ratio_chart_with_enough_history(client: TestClient) -> None:
    files = [("files", (f"r{i}.gpx", gpx_run(recent(i * 2), 5000, 4.0), "application/gpx+xml")) for i in range(25)]
    status = wait_job(client, client.post("/activities/upload", files=files, follow_redirects=False).headers["location"])
    assert status["state"] == "done", status
    html = client.get("/activities").text
    assert "Ratio (no unit)" in html
    assert "a convention, not a safe zone" in html


def test_reimport_is_recognised(client: TestClient) -> None:
    data = gpx_run(recent(1))
    wait_job(client, client.post("/activities/upload", files=[("files", ("a.gpx", data, "application/gpx+xml"))],
                                 follow_redirects=False).headers["location"])
    status = wait_job(client, client.post("/activities/upload", files=[("files", ("a.gpx", data, "application/gpx+xml"))],
                                          follow_redirects=False).headers["location"])
    assert status["state"] == "done"
    assert "already imported" in status["result"]["summary"]
    assert len(stored(client)) == 1


def test_wrong_file_type_is_refused_and_nothing_stored(client: TestClient, settings: Settings) -> None:
    r = client.post("/activities/upload", files=[("files", ("notes.txt", b"hello", "text/plain"))])
    assert r.status_code == 400
    assert "not a file type backstride can read" in r.text
    assert "nothing was stored" in r.text
    assert stored(client) == [] and leftover_uploads(settings) == []


def test_content_that_does_not_match_the_name_is_refused(client: TestClient, settings: Settings) -> None:
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 100
    r = client.post("/activities/upload", files=[("files", ("run.fit", png, "application/octet-stream"))])
    assert r.status_code == 400
    assert "does not contain FIT data" in r.text
    assert stored(client) == [] and leftover_uploads(settings) == []


def test_a_cut_off_file_offers_to_recover_what_can_be_read(client: TestClient, settings: Settings) -> None:
    broken = gpx_run(recent(1))[:700]  # cut off in the middle of the track
    r = client.post("/activities/upload", files=[("files", ("cut.gpx", broken, "application/gpx+xml"))],
                    follow_redirects=False)
    status = wait_job(client, r.headers["location"])
    result = status["result"]
    assert status["state"] == "done" and result["imported"] == 0 and result["rejected"] == 1
    problem = result["problems"][0]
    assert problem.startswith("cut.gpx") and "--salvage" not in problem and "/" not in problem
    assert str(settings.files_dir) not in problem  # no private paths in messages
    page = client.get(r.headers["location"]).text
    assert "Nothing was imported yet" in page and "Try to recover what can be read" in page
    assert "card ok" not in page   # never a green "Done" for a file that failed
    assert stored(client) == []
    again = client.post(result["salvage_url"], follow_redirects=False)
    status = wait_job(client, again.headers["location"])
    assert status["state"] == "done" and status["result"]["imported"] == 1, status
    assert any("recovered" in w for w in status["result"]["warnings"])
    assert len(stored(client)) == 1 and leftover_uploads(settings) == []
    assert client.post(result["salvage_url"]).status_code == 404   # the kept files are gone now


def test_an_unreadable_file_fails_the_job_with_a_plain_message(client: TestClient, settings: Settings) -> None:
    bad = b"<gpx><trk><trkseg><trkpt lat='x' lon='y'><time>never</time></trkpt></trkseg></trk></gpx>"
    r = client.post("/activities/upload", files=[("files", ("bad.gpx", bad, "application/gpx+xml"))],
                    follow_redirects=False)
    status = wait_job(client, r.headers["location"])
    assert status["state"] == "failed"
    error = status["error"]
    assert error.startswith("Nothing could be imported. bad.gpx: the GPX file has an invalid value")
    for raw in ("could not convert", "<None>", "'x'", "--", str(settings.files_dir)):
        assert raw not in error
    page = client.get(r.headers["location"]).text
    assert "This did not work" in page and "Nothing from this upload was stored" in page
    assert 'href="/activities">Back to activities</a>' in page   # the way back is to where it started
    assert leftover_uploads(settings) == []


def test_a_batch_with_a_failed_file_is_not_shown_as_done(client: TestClient) -> None:
    good = gpx_run(recent(2))
    r = client.post("/activities/upload", files=[("files", ("good.gpx", good, "application/gpx+xml")),
                                                 ("files", ("also.gpx", gpx_run(recent(3)), "application/gpx+xml")),
                                                 ("files", ("cut.gpx", good[:700], "application/gpx+xml"))],
                    follow_redirects=False)
    status = wait_job(client, r.headers["location"])
    assert status["result"]["imported"] == 2 and status["result"]["rejected"] == 1
    assert status["result"]["summary"].startswith("Imported 2 activities from 2 files. 1 file could not be read; nothing from it")
    page = client.get(r.headers["location"]).text
    assert "Partly done: 1 file could not be read" in page and "card ok" not in page
    one = client.post("/activities/upload", files=[("files", ("one.gpx", gpx_run(recent(5)), "application/gpx+xml"))],
                      follow_redirects=False)
    assert wait_job(client, one.headers["location"])["result"]["summary"] == "Imported 1 activity from 1 file."


def test_empty_file_is_refused(client: TestClient, settings: Settings) -> None:
    r = client.post("/activities/upload", files=[("files", ("empty.gpx", b"", "application/gpx+xml"))])
    assert r.status_code == 400
    assert leftover_uploads(settings) == []


def test_no_file_chosen(client: TestClient) -> None:
    r = client.post("/activities/upload", data={}, headers={"referer": "http://127.0.0.1/activities"})
    assert r.status_code == 400
    assert "no file was chosen" in r.text.lower() and "Field required" not in r.text and "422" not in r.text
    assert 'href="/activities"' in r.text   # the main button goes back to the page
    # a browser sending the empty file field of the form says the same
    r = client.post("/activities/upload", files=[("files", ("", b"", "application/octet-stream"))])
    assert r.status_code == 400 and "no file was chosen" in r.text.lower()


def test_oversized_upload_is_refused_and_nothing_stored(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "data", max_upload_mb=1)
    with client_for(settings) as c:
        big = gpx_run(recent(1), distance_m=200_000, speed_mps=1.0)
        assert len(big) > 1024 * 1024
        r = c.post("/activities/upload", files=[("files", ("long.gpx", big, "application/gpx+xml"))])
        assert r.status_code == 413
        assert "1 MB limit" in r.text
        assert activities.list_activities(ws_of(c), "default") == []
        assert leftover_uploads(settings) == []


def test_folder_upload_keeps_structure_and_skips_other_files(client: TestClient) -> None:
    files = [("files", ("export/activities/one.gpx", gpx_run(recent(2)), "application/gpx+xml")),
             ("files", ("export/readme.txt", b"not an activity", "text/plain"))]
    status = wait_job(client, client.post("/activities/upload", files=files, follow_redirects=False).headers["location"])
    assert status["state"] == "done"
    assert len(stored(client)) == 1


def test_unsafe_names_cannot_escape_the_upload_folder(client: TestClient, settings: Settings) -> None:
    files = [("files", ("../../../evil.gpx", gpx_run(recent(2)), "application/gpx+xml"))]
    status = wait_job(client, client.post("/activities/upload", files=files, follow_redirects=False).headers["location"])
    assert status["state"] == "done"
    assert not (settings.data_dir.parent / "evil.gpx").exists()
    assert not (settings.files_dir / "evil.gpx").exists()


def test_shoes_can_be_added_counted_and_retired(client: TestClient) -> None:
    r = client.post("/activities/shoes", data={"name": "Blue trainers", "retirement_km": "600", "current": "yes"})
    assert r.status_code == 200
    files = [("files", (f"s{i}.gpx", gpx_run(recent(i), 7000), "application/gpx+xml")) for i in range(2)]
    wait_job(client, client.post("/activities/upload", files=files, follow_redirects=False).headers["location"])
    html = client.get("/activities").text
    shoes = html.split('id="shoes"', 1)[1]
    assert "Blue trainers (current)" in shoes and "600 km" in shoes
    r = client.post("/activities/shoes", data={"name": "blue trainers"})
    assert r.status_code == 400 and "already have shoes" in r.text
    r = client.post("/activities/shoes", data={"name": "Red", "retirement_km": "9"})
    assert r.status_code == 400 and "outside 50 to 5000 km" in r.text
    client.post("/activities/shoes/retire", data={"name": "Blue trainers"})
    assert "retired" in client.get("/activities").text.split('id="shoes"', 1)[1]
    r = client.post("/activities/shoes/retire", data={"name": "Nope"})
    assert r.status_code == 404


@pytest.mark.shared_data
def test_real_files_and_an_export_zip(client: TestClient, shared_dir: Path, settings: Settings) -> None:
    folder = shared_dir / "data" / "activities"
    names = ["garmin-fenix-5-run.fit", "GarminFR955v18.zip", "activity-unexpected-eof.fit"]
    if not all((folder / n).exists() for n in names):
        pytest.skip("shared activity files are missing")
    files = [("files", (n, (folder / n).read_bytes(), "application/octet-stream")) for n in names]
    status = wait_job(client, client.post("/activities/upload", files=files, follow_redirects=False).headers["location"])
    assert status["state"] == "done", status
    assert status["result"]["imported"] >= 2
    assert status["result"]["rejected"] == 1
    result = status["result"]
    assert any(p.startswith("activity-unexpected-eof.fit") for p in result["problems"])
    for text in result["problems"] + result["warnings"]:
        assert str(settings.files_dir) not in text and "--salvage" not in text
    assert len(stored(client)) >= 2
    before = len(stored(client))
    # the cut-off FIT file is partly readable: the page offers to keep that part
    assert result["salvage_url"]
    again = wait_job(client, client.post(result["salvage_url"], follow_redirects=False).headers["location"])
    assert again["state"] == "done" and again["result"]["imported"] == 1, again
    assert any("recovered" in w for w in again["result"]["warnings"])
    assert len(stored(client)) == before + 1
    assert leftover_uploads(settings) == []
