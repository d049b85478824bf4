"""Comparing two form checks of one runner: metrics side by side with whether each change is
beyond the measurement error, on the CLI (text and --json) and in the web app."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.test_video_input import write_video

from backstride.errors import InputError
from backstride.form.analysis import analyse_track
from backstride.form.compare import DIFFERENCE_FACTOR, compare
from backstride.video.backends import ReplayBackend
from backstride.video.probe import CaptureTiming
from backstride.workflows import form as wf
from backstride.workflows.workspace import Workspace
from support.synthetic_form import SyntheticRunner, make_track

SMALL = {"width_px": 96, "height_px": 160, "leg_px": 70.0, "duration_s": 8.0}


def _doc(**kw: object) -> dict[str, object]:
    spec = SyntheticRunner(**kw)  # type: ignore[arg-type]
    return analyse_track(make_track(spec).track, CaptureTiming(spec.fps, 1.0, "test")).to_dict()


def _change(cmp: object, metric: str) -> object:
    return next(c for c in cmp.changes if c.metric == metric)  # type: ignore[attr-defined]


def test_a_real_change_is_beyond_the_error_and_a_tiny_one_is_not() -> None:
    before = _doc(cadence_spm=160.0, trunk_lean_deg=4.0)
    after = _doc(cadence_spm=172.0, trunk_lean_deg=6.0)
    cmp = compare(before, after, before_id=1, after_id=2)
    cad = _change(cmp, "cadence_spm")
    assert cad.change == pytest.approx(12.0, abs=1.0) and cad.beyond_error is True  # type: ignore[attr-defined]
    lean = _change(cmp, "trunk_lean_deg")
    assert lean.change == pytest.approx(2.0, abs=0.5)  # type: ignore[attr-defined]
    assert lean.beyond_error is False and lean.error == pytest.approx(6.0 * DIFFERENCE_FACTOR)  # type: ignore[attr-defined]
    doc = cmp.to_dict()
    assert doc["n_beyond_error"] >= 1 and doc["first_contact_s"][0] is not None


def test_checks_from_different_camera_positions_are_not_compared() -> None:
    with pytest.raises(InputError) as info:
        compare(_doc(), _doc(view="rear"), before_id=1, after_id=2)
    assert "from behind" in info.value.message and "cannot be compared" in info.value.message


def _store_two(ws: Workspace, tmp_path: Path) -> tuple[int, int]:
    ids = []
    for k, cadence in enumerate((150.0, 170.0)):
        spec = SyntheticRunner(**{**SMALL, "cadence_spm": cadence})  # type: ignore[arg-type]
        track = make_track(spec).track
        video = write_video(tmp_path / f"run{k}.mp4", n_frames=track.n_frames, size=(96, 160))
        r = wf.analyse_video(ws, None, video, wf.FormOptions(backend=ReplayBackend(track), render_png=False))
        ids.append(r.id)
    return ids[0], ids[1]


def test_cli_form_compare_text_and_json(cli: object, workspace: Workspace, tmp_path: Path) -> None:
    a, b = _store_two(workspace, tmp_path)  # the cli fixture reads the same data folder
    doc = cli("form-compare", str(b), str(a), "--json").json()  # type: ignore[operator]
    assert doc["before_id"] == a and doc["after_id"] == b
    cad = next(c for c in doc["changes"] if c["metric"] == "cadence_spm")
    assert cad["change"] == pytest.approx(20.0, abs=2.0) and cad["beyond_error"] is True
    text = cli("form-compare", str(a), str(b))  # type: ignore[operator]
    assert text.exit_code == 0 and "beyond the error" in text.stdout and "cadence" in text.stdout
    same = cli("form-compare", str(a), str(a), "--json")  # type: ignore[operator]
    assert same.exit_code == 1


def test_web_compare_page_plays_both_videos_from_their_first_contact(client: object, tmp_path: Path) -> None:
    from web_helpers import ws_of

    a, b = _store_two(ws_of(client), tmp_path)
    html = client.get(f"/form/{a}").text  # type: ignore[attr-defined]
    assert 'name="b"' in html and f'value="{b}"' in html  # offers the other check of the same view
    page = client.get(f"/form/compare?a={a}&b={b}")  # type: ignore[attr-defined]
    assert page.status_code == 200
    assert page.text.count("data-first-contact=") in (0, 2)  # both players, when the encoder made playable files
    assert "What changed" in page.text and "Cadence" in page.text
    bad = client.get(f"/form/compare?a={a}&b={a}")  # type: ignore[attr-defined]
    assert bad.status_code in (400, 422) and "two different checks" in bad.text
