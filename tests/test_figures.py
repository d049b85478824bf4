"""Exercise illustrations: the body model, every exercise's poses, the SVG and where it is shown."""

from __future__ import annotations

import math
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from backstride.errors import NotFoundError
from backstride.library.figure import (
    CONTACT_TOLERANCE_M,
    JOINT_ANGLES,
    SEGMENTS,
    Camera,
    Keyframe,
    body_model,
    check_illustration,
    contact_error,
    joints,
    lowest_clearance,
    parse_illustration,
    segment_lengths,
    timeline,
)
from backstride.library.loader import load_library
from backstride.reports.figures import exercise_svg, exercise_svg_by_id, render

SVG = "{http://www.w3.org/2000/svg}"
LIBRARY = load_library()
IDS = sorted(LIBRARY.exercises)


def expected_lengths() -> dict[str, float]:
    b = body_model()
    L = b.lengths_m
    foot = math.hypot(L["foot"], 0.0)
    return {"lower_back": L["trunk"] * 0.4, "upper_back": L["trunk"] * 0.6, "left_collarbone": L["shoulder_width"] / 2,
            "right_collarbone": L["shoulder_width"] / 2,
            "hips": L["hip_width"],
            **{f"{s}_{seg}": L[key] for s in ("left", "right")
               for seg, key in (("upper_arm", "upper_arm"), ("forearm", "forearm"), ("thigh", "thigh"),
                                ("shank", "shank"))},
            **{f"{s}_foot": foot for s in ("left", "right")}}


def test_body_model_matches_winter_proportions() -> None:
    b = body_model()
    L = b.lengths_m
    # standing: ankle height + shank + thigh is the hip height (0.530 H), + trunk the shoulders (0.818 H)
    pts = joints(Keyframe("stand", (0.0, 0.0, 0.0), {}, {}))
    hip_above_sole = pts["pelvis"][1] - pts["left_heel"][1]
    assert hip_above_sole == pytest.approx(0.530 * b.height_m, abs=0.002)
    assert pts["neck"][1] - pts["pelvis"][1] == pytest.approx(0.288 * b.height_m, abs=0.002)
    assert L["thigh"] == pytest.approx(0.245 * 1.75)


@pytest.mark.parametrize("ex_id", IDS)
def test_every_exercise_has_valid_keyframes_and_contacts(ex_id: str) -> None:
    ex = LIBRARY.get(ex_id)
    ill = ex.illustration
    assert ill is not None, f"{ex_id} has no illustration"
    assert 1 <= len(ill.keyframes) <= 4
    problems = check_illustration(ill)
    assert not problems, [f"{p.field}: {p.message}" for p in problems]
    for kf in ill.keyframes:
        assert kf.contacts or ex_id in ("pool_running", "cycling_easy"), f"{ex_id}: {kf.label} rests on nothing"
    for a in ill.arrows:
        assert a.start != a.end
    if len(ill.keyframes) == 1:
        assert not ill.animate


@pytest.mark.parametrize("ex_id", IDS)
def test_segment_lengths_are_constant_and_nothing_goes_through_the_floor(ex_id: str) -> None:
    ill = LIBRARY.get(ex_id).illustration
    assert ill is not None
    want = expected_lengths()
    for frame in timeline(ill):  # keyframes and every in-between pose of the loop
        got = segment_lengths(frame.points)
        for name, length in want.items():
            assert got[name] == pytest.approx(length, abs=1e-9), (ex_id, name)
        if ill.view != "top":
            assert lowest_clearance(frame.points, ill) >= -1e-9, ex_id


angle = st.floats(-120, 120, allow_nan=False)


@settings(max_examples=60, deadline=None)
@given(st.dictionaries(st.sampled_from(sorted(JOINT_ANGLES)), st.tuples(angle, angle, angle), max_size=8),
       st.tuples(st.floats(-2, 2), st.floats(0, 2), st.floats(-1, 1)))
def test_forward_kinematics_never_stretches_a_segment(raw: dict[str, Any], pelvis: tuple[float, float, float]) -> None:
    angles = {k: v[:JOINT_ANGLES[k]] for k, v in raw.items()}
    pts = joints(Keyframe("any", pelvis, angles, {}))
    got = segment_lengths(pts)
    for name, length in expected_lengths().items():
        assert got[name] == pytest.approx(length, abs=1e-9)
    assert {n for n, _, _ in SEGMENTS} == set(got)


def test_contact_check_catches_a_floating_hand() -> None:
    ill = LIBRARY.get("front_plank").illustration
    assert ill is not None
    kf = ill.keyframes[0]
    lifted = Keyframe(kf.label, (kf.pelvis[0], kf.pelvis[1] + 0.2, kf.pelvis[2]), kf.angles, kf.contacts)
    pts = joints(lifted)
    assert contact_error("left_elbow", "floor", pts, ill) == pytest.approx(
        contact_error("left_elbow", "floor", joints(kf), ill) + 0.2)  # type: ignore[operator]
    bad = parse_illustration({"view": "side", "keyframes": [{"pelvis": [0, 1.5, 0], "contacts":
                                                             {"left_toe": "floor"}}]}, lambda *a: None)
    assert bad is not None
    problems = check_illustration(bad)
    assert problems and "cm from it" in problems[0].message
    sunk = parse_illustration({"view": "side", "keyframes": [{"pelvis": [0, 0.3, 0]}]}, lambda *a: None)
    assert sunk is not None and any("through the floor" in p.message for p in check_illustration(sunk))
    assert CONTACT_TOLERANCE_M <= 0.03


def test_bad_illustration_data_is_reported_by_field() -> None:
    problems: list[str] = []
    parse_illustration({"view": "sideways", "keyframes": [{"pelvis": [0, 1], "left_knee": "bent",
                                                           "contacts": {"left_nose": "floor"}}],
                        "props": [{"kind": "trampoline"}], "colour": "red"},
                       lambda field, msg, allowed=None: problems.append(f"{field}: {msg}"))
    text = "\n".join(problems)
    for needle in ("illustration.view", "pelvis", "left_knee", "left_nose", "props[0]", "illustration.colour"):
        assert needle in text


def test_side_view_camera_sees_the_right_side_nearer() -> None:
    pts = joints(Keyframe("stand", (0.0, 1.0, 0.0), {}, {}))
    side, front = Camera.of("side"), Camera.of("front")
    assert side.project(pts["right_hip"])[2] > side.project(pts["left_hip"])[2]
    # seen from the front the runner's right is on the left of the picture
    assert front.project(pts["right_hip"])[0] < front.project(pts["left_hip"])[0]


@pytest.mark.parametrize("ex_id", IDS)
def test_every_figure_renders_to_valid_accessible_svg(ex_id: str) -> None:
    ex = LIBRARY.get(ex_id)
    for animated in (True, False):
        svg = exercise_svg(ex, animated=animated)
        root = etree.fromstring(svg.encode())
        assert root.tag == f"{SVG}svg"
        assert root.get("role") == "img" and ex.name in root.get("aria-label", "")
        assert root[0].tag == f"{SVG}title" and root[0].text and ex.name in root[0].text
        assert root.find(f"{SVG}desc") is not None
        # no script, no event handlers, nothing fetched: it must run under a strict policy
        assert root.find(f".//{SVG}script") is None
        for el in root.iter():
            assert not any(k.startswith("on") for k in el.attrib), ex_id
            assert not any("href" in k for k in el.attrib), ex_id
        anims = root.findall(f".//{SVG}animate")
        ill = ex.illustration
        assert ill is not None
        if animated and ill.animate:
            assert anims, ex_id
            still = root.find(f".//{SVG}g[@class='bsf-still']")
            assert still is not None and still.get("display") == "none"
            assert "prefers-reduced-motion" in (root.find(f"{SVG}style").text or "")  # type: ignore[union-attr]
            for a in anims:
                n = len(a.get("keyTimes", "").split(";"))
                assert len(a.get("values", "").split(";")) == n
        else:
            assert not anims and root.find(f"{SVG}style") is None
            assert len(root.findall(f".//{SVG}g[@class='panel']")) == (len(ill.keyframes) if len(ill.keyframes) > 1
                                                                       else 0)


def test_working_side_is_drawn_in_the_accent_colour() -> None:
    svg = exercise_svg_by_id("bird_dog", animated=False)
    from backstride.reports.figures import ACCENT, FAR_ACCENT

    assert ACCENT in svg and FAR_ACCENT in svg  # near right arm, far left leg
    assert "right arm and the left leg" in svg


def test_svg_by_id_is_cached_and_rejects_unknown_ids() -> None:
    assert exercise_svg_by_id("bird_dog") is exercise_svg_by_id("bird_dog")
    with pytest.raises(NotFoundError):
        exercise_svg_by_id("bird_cat")
    assert render(LIBRARY.get("bird_dog")) == exercise_svg_by_id("bird_dog")


def test_figures_for_the_pdf_are_static_panels_with_labels() -> None:
    svg = exercise_svg_by_id("glute_bridge", animated=False)
    assert "1. Start" in svg and "2. Lift" in svg and "<animate" not in svg


# ---- where the figures are shown

def test_exercise_show_json_carries_the_illustration(cli: Any, tmp_path: Any) -> None:
    import json

    r = cli("exercise", "show", "side_plank", "--json")
    assert r.exit_code == 0
    doc = json.loads(r.stdout)
    root = etree.fromstring(doc["illustration"].encode())
    assert root.get("aria-label", "").startswith("Side plank")
    out = tmp_path / "fig.svg"
    r = cli("exercise", "show", "bird_dog", "--svg", str(out))
    assert r.exit_code == 0 and "Illustration: start, then reach" in r.stdout
    assert out.read_text(encoding="utf-8") == exercise_svg_by_id("bird_dog")
    r = cli("exercise", "show", "bird_dog", "--svg", str(tmp_path / "missing" / "x.svg"), "--json")
    assert r.exit_code == 1 and "could not write" in r.stdout


def test_library_and_exercise_pages_show_every_figure(client: Any) -> None:
    html = client.get("/exercises").text
    assert html.count('class="exercise-figure"') == len(IDS)
    page = client.get("/exercises/kneeling_hip_flexor_stretch")
    assert page.status_code == 200
    assert "Kneeling hip flexor stretch" in page.text and "<animate" in page.text
    assert "Half-kneeling on the right knee" in page.text
    assert client.get("/exercises/no_such_thing").status_code == 404


def test_docs_gallery_is_current() -> None:
    from pathlib import Path

    from backstride.reports.gallery import gallery_files

    folder = Path(__file__).resolve().parents[1] / "docs" / "figures"
    want = gallery_files(LIBRARY)
    have = {p.name for p in folder.glob("*.svg")}
    hint = "regenerate: python -m backstride.reports.gallery docs/figures"
    assert have == set(want), hint
    for name, text in want.items():
        assert (folder / name).read_text(encoding="utf-8") == text, f"{name} is out of date; {hint}"
    catalogue = (folder.parent / "exercises.md").read_text(encoding="utf-8")
    for name in want:
        assert f'src="figures/{name}"' in catalogue


def _screened_plan(ws: Any) -> Any:
    from backstride.workflows import plans, screening

    qn = screening.questionnaire()
    answers: dict[str, Any] = {q.id: False for q in qn.questions if q.section == "red_flags" and q.type == "boolean"}
    answers.update(age_years=36, has_back_pain=True, pain_duration="under_6_weeks", pain_now=3)
    screening.run_screening(ws, "default", answers)
    plans.generate_plan(ws, "default", plans.make_options(weeks=4, minutes=20, strength_sessions=2, run_days=None,
                                                          long_run_day=None, equipment=None))
    return plans.require_current_plan(ws, "default")[1]


def test_plan_page_and_exports_draw_every_exercise(client: Any, tmp_path: Any) -> None:
    from backstride.workflows import plans
    from web_helpers import ws_of

    plan = _screened_plan(ws_of(client))
    ids = {pe.exercise_id for key in ("strength", "pre_run", "post_run", "desk") for pe in getattr(plan, key)}
    html = client.get("/plan").text
    for ex_id in ids:
        assert f'data-exercise="{ex_id}"' in html
    page = plans.plan_to_html(plan)
    assert all(f'data-exercise="{i}"' in page for i in ids) and "<animate" in page
    pdf = plans.plan_to_pdf(plan)
    assert pdf.startswith(b"%PDF")
    path = tmp_path / "plan.pdf"
    path.write_bytes(pdf)
    import shutil
    import subprocess

    if shutil.which("pdftotext") is None:
        pytest.skip("needs pdftotext (poppler-utils) to read the PDF back")
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert "1. Start" in text  # the still panels are drawn (their labels are text in the PDF)


def test_clinician_report_shows_the_exercises_as_drawn(client: Any) -> None:
    from backstride.workflows import reports
    from web_helpers import ws_of

    plan = _screened_plan(ws_of(client))
    html = reports.render_html(reports.build_report(ws_of(client), "default"))
    assert "The exercises as drawn for the runner" in html
    first = plan.strength[0].exercise_id
    assert f'data-exercise="{first}"' in html and "<animate" not in html
