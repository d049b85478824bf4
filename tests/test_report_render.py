"""The clinician report: every section from the demo profile, HTML self-contained, PDF renders, CLI."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from backstride.workflows import reports
from backstride.workflows.workspace import Workspace
from web_helpers import identifier_like

demo = pytest.importorskip("backstride.workflows.demo")


@pytest.fixture
def filled(workspace: Workspace) -> Workspace:
    result = demo.fill_demo(workspace, "demo", years=0.5, seed=3)
    assert result.runs > 20 and result.check_ins > 15
    return workspace


def test_report_has_every_section_from_the_demo(filled: Workspace) -> None:
    report = reports.build_report(filled, "demo")
    ids = [s.id for s in report.sections]
    assert ids == ["screening", "findings", "plan", "load", "form", "progress"]
    available = {s.id for s in report.sections if s.available}
    assert {"screening", "findings", "plan", "load", "progress"} <= available
    form = report.section("form")
    if not form.available:
        assert form.reason  # says why in words (no video in the demo)
    load = report.section("load")
    assert any("single run" in caption for caption, _ in load.charts)
    assert report.to_dict()["runner"] == "demo"


def test_html_is_self_contained_and_says_it_is_not_a_diagnosis(filled: Workspace) -> None:
    html = reports.render_html(reports.build_report(filled, "demo"))
    assert "This is not a diagnosis." in html
    assert "Red-flag questions and answers" in html
    assert html.count("<svg") >= 4
    assert not re.search(r'(src|href)="(https?:)?//', html)
    assert "<script" not in html and "<link" not in html
    assert "@media print" in html and "@page" in html
    for title in ("Screening and triage", "Findings", "Current plan", "Training load", "Running form", "Pain and adherence"):
        assert f"<h2>{title}</h2>" in html


def test_plan_and_scores_read_as_words(filled: Workspace) -> None:
    report = reports.build_report(filled, "demo")
    plan = report.section("plan").data
    assert plan["run_days"] in {"Tuesday, Thursday and Sunday"} or " and " in plan["run_days"]
    assert all("." not in t and "_" not in t for t in plan["targets"].values())
    assert reports.day_names([4, 0]) == "Monday and Friday" and reports.day_names([2]) == "Wednesday"
    lines = report.section("screening").data["score_lines"]
    assert any(line.startswith("BMI ") and line.endswith(" kg/m²") for line in lines)
    html = reports.render_html(report)
    assert identifier_like(re.sub(r"<[^>]+>", " ", html.split("</style>", 1)[1])) == []


def test_trend_table_uses_the_charts_names_and_units() -> None:
    from backstride.load.dynamics import Trend

    rows = reports.trend_rows([Trend("vertical_oscillation", "mm", 77.2, 78.0, 5, 0, False, ()),
                               Trend("stance_time", "ms", 273.0, 269.0, 5, 0, False, ())])
    assert [(r.label, r.unit) for r in rows] == [("Vertical oscillation", "cm"), ("Ground contact time", "ms")]
    assert rows[0].recent == pytest.approx(7.72)
    labels = {label for _attr, label, _unit, _f in reports.DYNAMICS_METRICS}
    units = {label: unit for _attr, label, unit, _f in reports.DYNAMICS_METRICS}
    for metric, (label, unit, _factor) in reports.TREND_LABELS.items():
        if label in labels:
            assert units[label] == unit, metric


def test_red_flag_answers_are_listed_as_given(workspace: Workspace) -> None:
    screening = pytest.importorskip("backstride.workflows.screening")
    qn = screening.questionnaire()
    answers = {q.id: False for q in qn.questions if q.section == "red_flags" and not q.ask_if}
    answers.update(age_years=52, has_back_pain=False, rf_bladder_change=True)
    screening.run_screening(workspace, "ann", answers)
    html = reports.render_html(reports.build_report(workspace, "ann"))
    prompt = qn.question("rf_bladder_change").prompt
    table = html.split("Red-flag questions and answers", 1)[1]
    row = table.split(prompt, 1)[1].split("</tr>", 1)[0]
    assert '<span class="yes">yes</span>' in row
    assert "triage emergency" in html or "triage urgent" in html
    # the emergency leads the report, and the stop is named by its question, not its key
    body = html.split("<body>", 1)[1]
    assert body.index("Emergency: seek care now") < body.index("<header>")
    assert f"The screening stopped at:</strong> {prompt}" in html and "rf_bladder_change" not in html


def test_unknown_runner_is_not_found(workspace: Workspace) -> None:
    from backstride.errors import NotFoundError

    with pytest.raises(NotFoundError):
        reports.build_report(workspace, "nobody")


def test_empty_profile_report_says_what_is_missing(workspace: Workspace) -> None:
    with workspace.transaction() as session:
        workspace.runner_id(session, "empty")
    report = reports.build_report(workspace, "empty", today=dt.date(2026, 1, 5))
    assert not any(s.available for s in report.sections)
    assert all(s.reason for s in report.sections)
    assert "<svg" not in reports.render_html(report)


def test_pdf_renders_pages(filled: Workspace, tmp_path: Path) -> None:
    pdf = reports.render_pdf(reports.build_report(filled, "demo"))
    assert pdf.startswith(b"%PDF-")
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf)
    if shutil.which("pdfinfo") is None or shutil.which("pdftoppm") is None:
        pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
        assert pages >= 2
        return
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))  # type: ignore[union-attr]
    assert 2 <= pages <= 30
    subprocess.run(["pdftoppm", "-png", "-r", "40", "-f", "1", "-l", "2", str(path), str(tmp_path / "page")], check=True)
    pngs = sorted(tmp_path.glob("page-*.png"))
    assert len(pngs) == 2
    text = subprocess.run(["pdftotext", "-f", "1", "-l", "1", str(path), "-"], capture_output=True, text=True).stdout
    assert "not a diagnosis" in text
    # every page, as a reader sees it: no internal id, key, citation key, flag or path
    whole = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert identifier_like(whole) == []
    for shown in ("BMI ", "kg/m²", "Works on", "Frandsen"):
        assert shown in whole
    artifacts = Path(__file__).resolve().parents[1] / "test-artifacts"
    artifacts.mkdir(exist_ok=True)
    shutil.copy(pngs[0], artifacts / "report-pdf-page1.png")


def test_cli_report_html_pdf_and_json(cli) -> None:  # type: ignore[no-untyped-def]
    from backstride.config import Settings

    ws = Workspace.open(Settings(data_dir=cli.data_dir))
    demo.fill_demo(ws, "demo", years=0.3, seed=5)
    ws.close()
    out = cli.data_dir.parent / "r.html"
    r = cli("report", "--runner", "demo", "--out", str(out))
    assert r.exit_code == 0, r.stderr
    assert "This is not a diagnosis." in out.read_text(encoding="utf-8")
    pdf = cli.data_dir.parent / "r.pdf"
    r = cli("report", "-r", "demo", "--format", "pdf", "--out", str(pdf), "--json")
    assert r.exit_code == 0
    doc = r.json()
    assert doc["format"] == "pdf" and doc["bytes"] == pdf.stat().st_size
    assert pdf.read_bytes().startswith(b"%PDF-")
    r = cli("report", "--runner", "nobody", "--json")
    assert r.exit_code == 1
    assert "nobody" in r.json()["error"]["message"]


def test_cli_demo_refuses_to_overwrite(cli) -> None:  # type: ignore[no-untyped-def]
    r = cli("demo", "--years", "0.1", "--json")
    assert r.exit_code == 0
    assert r.json()["runner"] == "demo"
    r = cli("demo", "--years", "0.1")
    assert r.exit_code == 1
    assert "--replace" in r.stderr
    r = cli("demo", "--years", "0.1", "--replace", "--json")
    assert r.exit_code == 0


def test_the_identifier_scan_finds_what_a_reader_must_not_see() -> None:
    seen = ("runs on 1, 3, 6 (0 = Monday)", "screen.prolonged_sitting", "[lib_frandsen_2025]", "bmi kg m2: 21.6",
            "(single_leg_bridge_right)", "run the import again with --salvage", "/var/lib/backstride/uploads/x.fit")
    for text in seen:
        assert identifier_like(text), text
    for fine in ("BMI 21.6 kg/m²", "Tuesday, Thursday and Sunday", "data.json and activities.csv",
                 "e.g. a run", "doi:10.1136/bjsports-2024-109380", "3 x 15 s, rest 30 s", "0.8 to 1.3"):
        assert identifier_like(fine) == [], fine
