"""Plan, form and report routes through TestClient."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from backstride.config import Settings
from web_helpers import wait_job, ws_of

screening = pytest.importorskip("backstride.workflows.screening")
plans = pytest.importorskip("backstride.workflows.plans")


def screen(ws: Any, runner: str = "default", *, emergency: bool = False) -> None:
    qn = screening.questionnaire()
    answers: dict[str, Any] = {q.id: False for q in qn.questions if q.section == "red_flags" and q.type == "boolean"}
    answers.update(age_years=36, has_back_pain=True, pain_duration="under_6_weeks", pain_now=3)
    if emergency:
        answers["rf_saddle_numbness"] = True
    screening.run_screening(ws, runner, answers)


def test_plan_page_sends_newcomers_to_the_screening(client: TestClient) -> None:
    html = client.get("/plan").text
    assert "Start the screening" in html
    r = client.post("/plan/generate", data={})
    assert r.status_code == 404
    assert "no screening yet" in r.text


def test_generate_plan_then_show_and_download_it(client: TestClient) -> None:
    screen(ws_of(client))
    assert "Build your plan" in client.get("/plan").text
    r = client.post("/plan/generate", data={"weeks": "4", "minutes": "25", "run_days": ["mon", "wed", "sat"],
                                            "long_run_day": "sat", "equipment_given": "1", "equipment": ["mat", "chair"]})
    assert r.status_code == 200
    html = r.text
    assert "Your plan" in html and "Add to my calendar (.ics)" in html
    assert html.count("<details class=\"card week\"") == 4
    assert 'class="exercise"' in html
    plan = plans.current_plan(ws_of(client), "default")
    assert plan is not None and plan.options.run_days == (0, 2, 5)
    ics = client.get("/plan.ics")
    assert ics.status_code == 200
    assert ics.headers["content-type"].startswith("text/calendar")
    assert ics.content.startswith(b"BEGIN:VCALENDAR")


def test_plan_options_out_of_range_store_nothing(client: TestClient) -> None:
    screen(ws_of(client))
    r = client.post("/plan/generate", data={"weeks": "400", "minutes": "x"})
    assert r.status_code == 400
    assert "weeks" in r.text and "minutes" in r.text
    assert plans.current_plan(ws_of(client), "default") is None


# Sentences that soften or contradict "get help now"; none may appear while the latest screening refers.
SOFTENING = ("easy walk", "gentle part of your plan", "up to 5/10 is acceptable", "is acceptable if",
             "harmless", "Build your plan", "Build my plan", "Check in now", "Today's check-in",
             "Amber", "run shorter", "See a clinician before starting exercises", "Stop and get help if")


def _main(html: str) -> str:
    return html.split('<main id="main"', 1)[1].split("</main>", 1)[0]


@pytest.mark.parametrize("built_before", [False, True])
def test_emergency_screening_replaces_plan_today_and_leads_the_report(client: TestClient, built_before: bool) -> None:
    ws = ws_of(client)
    if built_before:  # a plan from an earlier, harmless screening must not show any more
        screen(ws)
        client.post("/plan/generate", data={})
    screen(ws, emergency=True)
    client.post("/plan/generate", data={})
    for path in ("/plan", "/today"):
        main = _main(client.get(path).text)
        first = main.split("<section", 2)[1]
        assert "triage emergency" in first and 'role="alert"' in first, path
        assert "Emergency: get medical help now" in first and "999" in first, path
        for text in SOFTENING:
            assert text not in main, (path, text)
        assert 'class="exercise"' not in main and "<form" not in main, path
    report = client.get("/report.html").text
    body = report.split("<body>", 1)[1]
    assert body.index("Emergency: seek care now") < body.index("<header>")
    for text in ("easy walk", "up to 5/10 is acceptable", "harmless", "Stop rules given to the runner"):
        assert text not in report, text


def test_urgent_screening_shows_the_urgent_instruction_on_today(client: TestClient) -> None:
    qn = screening.questionnaire()
    answers: dict[str, Any] = {q.id: False for q in qn.questions if q.section == "red_flags" and q.type == "boolean"}
    answers.update(has_back_pain=True, rf_fever=True)
    screening.run_screening(ws_of(client), "default", answers)
    main = _main(client.get("/today").text)
    assert "Urgent: see a doctor today" in main.split("<section", 2)[1]
    for text in SOFTENING:
        assert text not in main, text
    # the journal's own answer (also used by `backstride today`) gives only the instruction
    from backstride.workflows import journal

    decision = journal.decide_today(ws_of(client), "default", dt.date.today())
    assert decision.steps[0].startswith("Contact a doctor today")
    assert not any("walk" in s or "gentle" in s for s in decision.steps)
    assert all(e.skip for e in decision.planned.exercises)


def test_plan_ics_without_a_plan_is_a_clear_404(client: TestClient) -> None:
    r = client.get("/plan.ics")
    assert r.status_code == 404
    assert "no plan yet" in r.text


def test_home_shows_plan_week_after_screening(client: TestClient) -> None:
    screen(ws_of(client))
    client.post("/plan/generate", data={})
    html = client.get("/").text
    assert "Screening" in html and "The whole plan" in html


def test_report_page_html_and_pdf(client: TestClient) -> None:
    assert "nothing stored" in client.get("/report").text
    assert client.get("/report.html").status_code == 404  # no such profile yet: the error page says so
    screen(ws_of(client))
    client.post("/plan/generate", data={})
    page = client.get("/report").text
    assert "Prepare the PDF" in page and "Screening and triage" in page
    doc = client.get("/report.html")
    assert doc.status_code == 200
    assert "This is not a diagnosis." in doc.text
    assert "Red-flag questions and answers" in doc.text
    assert "<link" not in doc.text and "<script" not in doc.text  # self-contained
    download = client.get("/report.html?download=1")
    assert "attachment" in download.headers["content-disposition"]
    pdf = client.get("/report.pdf")
    assert pdf.status_code == 200
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF-")


def test_report_pdf_is_prepared_in_the_background_with_progress(client: TestClient) -> None:
    screen(ws_of(client))
    started = client.post("/report/pdf", follow_redirects=False)
    assert started.status_code == 303 and started.headers["location"].startswith("/jobs/")
    status = wait_job(client, started.headers["location"])
    assert status["state"] == "done", status
    page = client.get(started.headers["location"]).text
    assert "Download the PDF" in page and "Your report is ready" in page
    download = client.get(status["result"]["next_url"])
    assert download.status_code == 200 and download.content.startswith(b"%PDF-")
    assert "attachment" in download.headers["content-disposition"]
    assert ".pdf" in download.headers["content-disposition"]
    # another profile cannot fetch it, and an unknown one is a plain 404 page
    assert client.get("/report/pdf/0123456789ab").status_code == 404


# ---------------------------------------------------------------- form

form = pytest.importorskip("backstride.workflows.form")


def wait_form_job(client: TestClient, url: str, timeout: float = 300) -> dict[str, Any]:
    """Video analysis can take minutes: wait longer and poll less often than for imports."""
    return wait_job(client, url, timeout=timeout, poll=0.2)


def test_form_page_and_bad_uploads(client: TestClient, settings: Settings) -> None:
    html = client.get("/form").text
    assert '<label for="video">' in html and '<label for="view">' in html
    for name, data, expect in (("clip.txt", b"hello", "not a file type"),
                               ("clip.mp4", b"just some text, not a video at all", "is not an MP4"),
                               ("clip.mp4", b"", "is empty")):
        r = client.post("/form/upload", files={"video": (name, data, "video/mp4")})
        assert r.status_code == 400, name
        assert expect in r.text
    r = client.post("/form/upload", files={"video": ("c.mp4", b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 64, "video/mp4")},
                    data={"height_cm": "20"})
    assert r.status_code == 400 and "outside 100 to 230 cm" in r.text
    r = client.post("/form/upload", files={"video": ("c.mp4", b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 64, "video/mp4")},
                    data={"view": "upside-down"})
    assert r.status_code == 400
    uploads = settings.files_dir / "uploads"
    assert not uploads.exists() or not any(uploads.iterdir())
    assert client.get("/form/99").status_code == 404
    assert client.get("/form/99/files/secret").status_code == 404


def test_undecodable_video_fails_in_the_job_and_stores_nothing(client: TestClient, settings: Settings) -> None:
    fake = b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 2000  # right magic bytes, no decodable frames
    r = client.post("/form/upload", files={"video": ("broken.mp4", fake, "video/mp4")}, follow_redirects=False)
    assert r.status_code == 303
    status = wait_form_job(client, r.headers["location"], timeout=60)
    assert status["state"] == "failed"
    assert status["error"]
    assert str(settings.files_dir) not in status["error"]
    assert form.list_form_results(ws_of(client), "default") == []
    uploads = settings.files_dir / "uploads"
    assert not uploads.exists() or not any(uploads.iterdir())


@pytest.mark.parametrize("h264", [True, False], ids=["h264", "mp4v"])
def test_form_result_embeds_a_player_only_for_h264(client: TestClient, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch, h264: bool) -> None:
    from tests.test_video_input import write_video

    from backstride.video import encode
    from backstride.video.backends import ReplayBackend
    from support.synthetic_form import SyntheticRunner, make_track

    if h264 and encode.find_ffmpeg() is None:
        pytest.skip("imageio-ffmpeg (video extra) is not installed")
    if not h264:
        monkeypatch.setattr(encode, "find_ffmpeg", lambda: None)
    track = make_track(SyntheticRunner(width_px=96, height_px=160, leg_px=70.0, duration_s=6.0)).track
    video = write_video(tmp_path / "run.mp4", n_frames=track.n_frames, size=(96, 160))
    result = form.analyse_video(ws_of(client), "default", video, form.FormOptions(backend=ReplayBackend(track)))
    html = client.get(f"/form/{result.id}").text
    url = f"/form/{result.id}/files/annotated_mp4"
    assert f'href="{url}" download=' in html  # the download is always offered
    players = re.findall(r"<video\b[^>]*>", html)
    if h264:
        assert len(players) == 1 and f'src="{url}"' in players[0] and "controls" in players[0]
        assert "format web browsers cannot play" not in html
        body = client.get(url)
        assert body.headers["content-type"] == "video/mp4" and body.content[4:8] == b"ftyp"
        assert b"avc1" in body.content[:65536]  # an H.264 sample entry in the index at the front
        part = client.get(url, headers={"Range": "bytes=0-99"})  # browsers seek with range requests
        assert part.status_code == 206 and len(part.content) == 100
    else:
        assert players == []
        assert "format web browsers cannot play" in html and "VLC" in html


@pytest.mark.slow
@pytest.mark.shared_data
def test_real_video_analysed_in_background(client: TestClient, shared_dir: Path, tmp_path: Path) -> None:
    pytest.importorskip("mediapipe")
    video = shared_dir / "data" / "videos" / "treadmill_sagittal_left_30fps_phone.mp4"
    if not video.exists():
        pytest.skip(f"{video} is missing")
    local = tmp_path / "my run.mp4"
    shutil.copy(video, local)
    r = client.post("/form/upload", files={"video": (local.name, local.read_bytes(), "video/mp4")},
                    follow_redirects=False)
    status = wait_form_job(client, r.headers["location"])
    assert status["state"] == "done", status
    result_url = status["result"]["next_url"]
    html = client.get(result_url).text
    assert "my run.mp4" in html and "Form checklist" in html
    assert re.search(r"Cadence <strong>1[4-9]\d", html)
    video_url = f"{result_url}/files/annotated_mp4"
    assert re.search(rf'<video [^>]*src="{video_url}"', html)  # H.264: played in the page
    assert client.get(video_url).headers["content-type"] == "video/mp4"
    assert client.get(f"{result_url}/files/signals_png").content.startswith(b"\x89PNG")
    assert "Running form" in client.get("/report.html").text


def test_home_puts_an_emergency_triage_first(client: TestClient) -> None:
    screen(ws_of(client), emergency=True)
    main = client.get("/").text.split('<main id="main"', 1)[1]
    first = main.split("<section", 2)[1]
    assert "triage emergency" in first and 'role="alert"' in first
    assert "Run as planned" not in main and "Build my plan" not in main


def test_slow_motion_upload_gets_a_factor_to_enter_then_is_analysed(
        client: TestClient, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An 8x slow-motion clip without the factor: the job says what to enter in the page (not a
    command-line flag); uploaded again with the factor, it is analysed at the real step rate."""
    from dataclasses import replace

    from tests.test_video_input import write_video

    from backstride.video.backends import ReplayBackend
    from support.synthetic_form import SyntheticRunner, make_track

    spec = SyntheticRunner(width_px=96, height_px=160, leg_px=70.0, cadence_spm=168.0, slowmo_factor=8.0,
                           duration_s=30.0)
    track = make_track(spec).track
    video = write_video(tmp_path / "slow.mp4", n_frames=track.n_frames, size=(96, 160)).read_bytes()
    real = form.analyse_video
    seen: list[Any] = []

    def replayed(ws: Any, runner: Any, path: Path, options: Any, progress: Any = None) -> Any:
        seen.append(options.slowmo)
        return real(ws, runner, path, replace(options, backend=ReplayBackend(track), render_video=False), progress)

    monkeypatch.setattr(form, "analyse_video", replayed)
    html = client.get("/form").text
    assert '<label for="slowmo">' in html and 'name="slowmo"' in html
    r = client.post("/form/upload", files={"video": ("slow.mp4", video, "video/mp4")}, follow_redirects=False)
    status = wait_form_job(client, r.headers["location"], timeout=60)
    assert status["state"] == "failed" and "slow motion" in status["error"]
    assert '"How many times slower it plays" set to 8' in status["hint"] and "--slowmo" not in status["hint"]
    r = client.post("/form/upload", files={"video": ("slow.mp4", video, "video/mp4")}, data={"slowmo": "8"},
                    follow_redirects=False)
    status = wait_form_job(client, r.headers["location"], timeout=60)
    assert status["state"] == "done", status
    assert seen == [None, 8.0]
    result = form.get_form_result(ws_of(client), "default", status["result"]["result_id"])
    assert result.cadence_spm == pytest.approx(168.0, abs=1.0)
    r = client.post("/form/upload", files={"video": ("slow.mp4", video, "video/mp4")}, data={"slowmo": "100"})
    assert r.status_code == 400 and "outside 1 to 64" in r.text


def test_missing_video_package_is_explained(client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    def no_mediapipe(*args: Any, **kwargs: Any) -> Any:
        raise ModuleNotFoundError("No module named 'mediapipe'", name="mediapipe")

    monkeypatch.setattr(form, "analyse_video", no_mediapipe)
    video = b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 64
    r = client.post("/form/upload", files={"video": ("run.mp4", video, "video/mp4")}, follow_redirects=False)
    status = wait_form_job(client, r.headers["location"], timeout=30)
    assert status["state"] == "failed"
    assert "'mediapipe', which is not installed" in status["error"]
    assert "scripts/setup.sh" in status["hint"]


def test_unknown_screening_result_is_a_404(client: TestClient) -> None:
    r = client.get("/screening/result/12345")
    assert r.status_code == 404
    assert "does not exist" in r.text


def test_a_refused_slow_motion_clip_can_be_analysed_again_with_the_factor(
        client: TestClient, settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    """The refusal page offers the suggested factor and re-analyses the kept clip with it."""
    from backstride.errors import InputError
    from backstride.web.routes import form as form_routes

    seen: list[Any] = []

    def fake_analyse(ws: Any, runner: Any, video: Path, options: Any, report: Any) -> Any:
        seen.append((video, options.slowmo))
        err = InputError(f"{video.name} looks like slow motion: 21 steps a minute of playback",
                         hint="add --slowmo 8")
        err.suggested_slowmo = 8  # type: ignore[attr-defined]
        raise err

    monkeypatch.setattr(form_routes.flow, "analyse_video", fake_analyse)
    clip = b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 64
    r = client.post("/form/upload", files={"video": ("slow.mp4", clip, "video/mp4")}, follow_redirects=False)
    status = wait_job(client, r.headers["location"])
    assert status["state"] == "failed" and status["retry"]["factor"] == 8
    page = client.get(r.headers["location"]).text
    assert "Analyse it again" in page and 'value="8"' in page and "Back to the form check" in page
    assert "--slowmo" not in page and "8.." not in page
    again = client.post(status["retry"]["url"], data={"slowmo": "8"}, follow_redirects=False)
    assert again.status_code == 303
    wait_job(client, again.headers["location"])
    assert [factor for _video, factor in seen] == [None, 8.0]
    assert seen[0][0] == seen[1][0]            # the same kept clip, not a new upload
    assert client.post("/form/again/" + "0" * 32, data={"slowmo": "8"}).status_code == 404
