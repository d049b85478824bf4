"""The clinician report: gather every area's latest results for one runner, render HTML or PDF.

Each area contributes a section through the same workflow functions the CLI and the web app
call. An area that has nothing stored yet gives a section that says so in words; the report
never invents numbers.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from backstride.plan.model import Plan
from backstride.plan.schedule import day_names
from backstride.reports.model import Report, ReportSection
from backstride.units import date_words
from backstride.workflows import activities, form, journal, plans, screening
from backstride.workflows.assessment import Assessment, assess
from backstride.workflows.workspace import Workspace

REPORT_WEEKS = 26
"""Weeks of training load the report shows."""


@dataclass(frozen=True)
class ReportInputs:
    """What every section is built from: the runner's assessment and current plan, read once."""

    ws: Workspace
    assessment: Assessment
    plan: Plan | None = None   # the current plan (possibly a referral)

    @property
    def runner(self) -> str:
        return self.assessment.runner

    @property
    def today(self) -> dt.date:
        return self.assessment.day


SectionBuilder = Callable[[ReportInputs], ReportSection]


def inputs_for(ws: Workspace, runner: str, today: dt.date | None = None, *, weeks: int = REPORT_WEEKS,
               with_plan: bool = True) -> ReportInputs:
    """The inputs of one section shown on its own page (the Activities and Progress pages)."""
    known = assess(ws, runner, today, history_weeks=weeks)
    return ReportInputs(ws, known, plans.current_plan(ws, runner) if with_plan and known.known else None)


def build_report(ws: Workspace, runner: str, *, today: dt.date | None = None,
                 progress: Callable[[float, float, str], None] | None = None) -> Report:
    """Everything the report shows, from one assessment of the runner and their current plan.

    ``progress(done, total, message)`` hears of each section; the last step (rendering) is the caller's.
    """
    day = today or dt.date.today()
    known = assess(ws, runner, day, history_weeks=REPORT_WEEKS)
    if not known.known:
        with ws.transaction() as session:
            ws.runner_id(session, runner, create=False)   # raises the NotFoundError that names the profile
    inputs = ReportInputs(ws, known, plans.current_plan(ws, runner))
    built: list[ReportSection] = []
    total = len(BUILDERS) + 1
    for i, builder in enumerate(BUILDERS):
        if progress is not None:
            progress(i, total, f"Gathering {SECTION_WORDS.get(builder.__name__, 'the report')}")
        built.append(builder(inputs))
    if progress is not None:
        progress(len(BUILDERS), total, "Laying out the pages")
    sections = tuple(built)
    return Report(runner=runner, generated_at=dt.datetime.now(dt.UTC), sections=sections)


def render_html(report: Report, *, for_print: bool = False) -> str:
    from backstride.reports.html import report_html

    return report_html(report, for_print=for_print)


def render_pdf(report: Report) -> bytes:
    from backstride.reports.pdf import html_to_pdf

    return html_to_pdf(render_html(report, for_print=True))


def report_filename(report: Report, fmt: str) -> str:
    safe = "".join(c if c.isalnum() or c in "-_" else "_" for c in report.runner)
    return f"backstride-report-{safe}-{report.generated_at.date().isoformat()}.{fmt}"


# --------------------------------------------------------------------------- sections


def _unavailable(section_id: str, title: str, reason: str) -> ReportSection:
    return ReportSection(id=section_id, title=title, available=False, reason=reason)


def screening_section(inputs: ReportInputs) -> ReportSection:
    """Triage tier, what to do, and every red-flag answer as given."""
    title = "Screening and triage"
    today = inputs.today
    result = inputs.assessment.screening
    if result is None:
        return _unavailable("screening", title, "No screening has been done yet for this profile.")
    qn = screening.questionnaire()
    red_flag_ids = [q.id for q in qn.questions if q.section in ("red_flags", "bone_stress") and q.id != "has_back_pain"]
    answered = [(qn.question(k).prompt, result.answers[k]) for k in red_flag_ids if k in result.answers]
    not_asked = [qn.question(k).prompt for k in red_flag_ids if k not in result.answers]
    decided = result.scores.get("decided_by")
    return ReportSection(id="screening", title=title, available=True, data={
        "result": result, "triage": result.triage, "red_flag_answers": answered,
        "red_flags_not_asked": not_asked, "age_days": (today - result.created_at.date()).days,
        "score_lines": score_lines(result.scores),
        "decided_by": qn.question(str(decided)).prompt if decided in qn else None,
    })


def score_lines(scores: dict[str, Any]) -> list[str]:
    """The screening's scores as sentences with their units ("BMI 21.6 kg/m²"), never as keys."""
    lines: list[str] = []
    if isinstance(scores.get("bmi_kg_m2"), int | float):
        lines.append(f"BMI {scores['bmi_kg_m2']:.1f} kg/m²")
    sb = scores.get("startback")
    if isinstance(sb, dict) and sb.get("total") is not None:
        lines.append(f"STarT Back Screening Tool: {sb['total']} of 9 (psychosocial subscore {sb.get('distress')} of 5), "
                     f"{str(sb.get('risk', '')).replace('_', ' ')} risk")
    ng = scores.get("ng65")
    if isinstance(ng, dict) and ng.get("applicable"):
        count = int(ng.get("count") or 0)
        lines.append(f"Features of inflammatory back pain (NICE NG65 criteria): {count}")
    if scores.get("questionnaire_version") is not None:
        lines.append(f"Questionnaire version {scores['questionnaire_version']}")
    return lines


def findings_section(inputs: ReportInputs) -> ReportSection:
    title = "Findings"
    findings = list(inputs.assessment.findings)
    if not findings:
        return _unavailable("findings", title, "No findings yet: they come from the screening, imported runs and a form video.")
    return ReportSection(id="findings", title=title, available=True, data={"findings": findings})


def plan_section(inputs: ReportInputs) -> ReportSection:
    """The current plan: routines with doses, load advice, form cues, and this and next week."""
    title = "Current plan"
    today = inputs.today
    plan = inputs.plan
    if plan is None:
        return _unavailable("plan", title, "No plan has been made yet for this profile.")
    latest = inputs.assessment.screening
    if latest is not None and latest.triage.tier.refers_now and not plan.is_referral:
        return _unavailable("plan", title, "On hold: the latest screening needs a doctor first, so the exercise "
                            "plan made before it is not shown.")
    upcoming = [w for w in plan.weeks if w.start + dt.timedelta(days=7) > today][:2] or list(plan.weeks[-1:])
    return ReportSection(id="plan", title=title, available=True, data={
        "plan": plan, "weeks_shown": upcoming, "run_days": day_names(plan.options.run_days, empty="no fixed days"),
        "targets": exercise_targets(plan)})


def exercise_targets(plan: Any) -> dict[str, str]:
    """Exercise id -> the titles of the runner's findings it works on (never the finding codes)."""
    titles: dict[str, str] = {}
    for a in plan.addressed:  # most severe first, so a code seen twice keeps its most severe title
        titles.setdefault(a.code, a.title)
    out: dict[str, str] = {}
    for key in ("strength", "pre_run", "post_run", "desk"):
        for e in getattr(plan, key):
            shown = [titles[c] for c in e.addresses if c in titles]
            out[e.exercise_id] = "; ".join(dict.fromkeys(shown))
    return out


# Running-dynamics trends (load/dynamics.py) under the same names and units as their charts.
TREND_LABELS: dict[str, tuple[str, str, float]] = {
    # metric: (label, unit shown, factor from the stored unit)
    "cadence": ("Cadence", "steps/min", 1.0),
    "cadence_at_usual_speed": ("Cadence at your usual speed", "steps/min", 1.0),
    "stance_time": ("Ground contact time", "ms", 1.0),
    "stance_time_balance": ("Ground contact balance (left)", "%", 1.0),
    "vertical_oscillation": ("Vertical oscillation", "cm", 0.1),
    "vertical_ratio": ("Vertical ratio", "%", 1.0),
    "step_length": ("Step length", "m", 0.001),
}


@dataclass(frozen=True)
class TrendRow:
    """One running-dynamics trend as a table shows it: plain label, shown unit, converted values."""

    label: str
    unit: str
    recent: float
    baseline: float
    change_pct: float | None
    persistent: bool
    runs: int
    note: str


def trend_rows(trends: Any) -> list[TrendRow]:
    rows = []
    for t in trends:
        label, unit, factor = TREND_LABELS.get(t.metric, (t.metric.replace("_", " ").capitalize(), t.unit, 1.0))
        change = None if t.change is None else t.change * 100
        rows.append(TrendRow(label, unit, t.recent_median * factor, t.baseline_median * factor, change,
                             t.persistent, t.recent_runs, t.note))
    return rows


LOAD_BASIS_WORDS = {"trimp": "training impulse (TRIMP, from heart rate)",
                    "srpe": "session effort (rated effort times minutes)", "duration": "running time"}


DYNAMICS_METRICS: tuple[tuple[str, str, str, float], ...] = (
    # attribute of DynamicsPoint, label, unit, factor from stored unit to shown unit
    ("cadence_spm", "Cadence", "steps/min", 1.0),
    ("stance_time_ms", "Ground contact time", "ms", 1.0),
    ("vertical_oscillation_mm", "Vertical oscillation", "cm", 0.1),
    ("vertical_ratio_pct", "Vertical ratio", "%", 1.0),
    ("step_length_mm", "Step length", "m", 0.001),
    ("stance_time_balance_pct", "Ground contact balance (left)", "%", 1.0),
)


def load_section(inputs: ReportInputs, *, weeks: int = REPORT_WEEKS, week_link: str | None = None) -> ReportSection:
    """Weekly distance with single-run spikes, the EWMA ratio with its caveat, dynamics, shoes.

    ``week_link`` (web app only) makes each week's bar a link to its runs, with ``{week}`` for its Monday.
    """
    from backstride.reports import plots

    title = "Training load"
    today = inputs.today
    if not inputs.assessment.known:
        return _unavailable("load", title, "No runs imported yet.")
    summary = inputs.assessment.load_summary(weeks)
    if not summary.runs:
        older = activities.list_activities(inputs.ws, inputs.runner, until=today - dt.timedelta(weeks=weeks))
        if older:
            last = max(a.start_time for a in older).date()
            return _unavailable("load", title, f"No runs in the last {weeks} weeks. Your most recent imported "
                                               f"activity is from {date_words(last, today)}; choose a longer period to see it.")
        return _unavailable("load", title, "No runs imported yet: upload files from your watch or a Strava or Garmin export.")
    from backstride.load.summary import load_findings

    shown_from = summary.weeks[0].week_start if summary.weeks else today
    spikes = [sp for sp in summary.spikes if sp.day >= shown_from]
    spike_weeks = sorted({sp.day - dt.timedelta(days=sp.day.weekday()) for sp in spikes})
    charts: list[tuple[str, str]] = [(
        "Running distance per week (Monday to Sunday). A red marker flags a week with a single run "
        "more than 10 % longer than the longest run of the 30 days before it.",
        plots.both(plots.weekly_load_chart, [w.week_start for w in summary.weeks],
                   [w.distance_m / 1000.0 for w in summary.weeks], spike_weeks,
                   longest_run_km=[w.long_run_m / 1000.0 if w.runs else None for w in summary.weeks],
                   week_link=week_link),
    )]
    caveat = " ".join(summary.notes) or plots.EWMA_CAVEAT
    charts.append((f"Acute (7-day) to chronic (28-day) load ratio, exponentially weighted, from {LOAD_BASIS_WORDS.get(summary.load_basis, summary.load_basis)}. {caveat}",
                   plots.both(plots.ewma_ratio_chart, [d.day for d in summary.days], [d.ratio for d in summary.days])))
    dynamics = []
    pts = [p for p in summary.dynamics if p.day >= shown_from]
    for attr, label, unit, factor in DYNAMICS_METRICS:
        values = [getattr(p, attr) for p in pts]
        if sum(v is not None for v in values) >= 2:
            shown = [None if v is None else v * factor for v in values]
            dynamics.append((f"{label} per run ({unit}).",
                             plots.both(plots.trend_chart, [p.day for p in pts], shown, label=label, unit=unit)))
    return ReportSection(id="load", title=title, available=True, charts=tuple(charts), data={
        "summary": summary, "spikes": spikes, "weeks": weeks, "findings": load_findings(summary),
        "caveat": caveat, "dynamics_charts": dynamics, "trend_rows": trend_rows(summary.trends),
        "basis_words": LOAD_BASIS_WORDS.get(summary.load_basis, summary.load_basis), "runs_shown": sum(w.runs for w in summary.weeks),
        "km_shown": sum(w.distance_m for w in summary.weeks) / 1000.0,
    })


def form_section(inputs: ReportInputs) -> ReportSection:
    """The latest video form check: capture quality, checklist and measurements."""
    title = "Running form"
    results = form.list_form_results(inputs.ws, inputs.runner)
    if not results:
        return _unavailable("form", title, "No running video has been analysed yet.")
    latest = max(results, key=lambda r: r.created_at)
    return ReportSection(id="form", title=title, available=True,
                         data={"result": latest, "doc": latest.document, "count": len(results)})


def progress_section(inputs: ReportInputs, *, days: int = 56) -> ReportSection:
    """Pain trend, adherence, load against next-morning pain, self-tests and plan changes."""
    from backstride.reports import plots

    title = "Pain and adherence"
    if not inputs.assessment.known:
        return _unavailable("progress", title, "Nothing logged yet.")
    prog = journal.progress(inputs.ws, inputs.runner, inputs.today, days=days)
    if prog.entries_logged == 0:
        return _unavailable("progress", title, "No check-ins logged yet: each daily check-in adds a point here.")
    charts = [(f"Daily pain over the last {len(prog.pain)} days, with its 7-day average. "
               "The dashed line is the acceptable limit of the pain-monitoring model.",
               plots.both(plots.pain_chart, [p.day for p in prog.pain], [p.pain for p in prog.pain],
                                [p.mean_7d for p in prog.pain]))]
    if prog.adherence:
        charts.append(("Exercise sessions of the plan per week: planned (outline) and done (filled).",
                       plots.both(plots.adherence_chart, [a.week_start for a in prog.adherence],
                                             [a.planned for a in prog.adherence],
                                             [a.done for a in prog.adherence])))
    rel = prog.load_pain
    if rel.pairs:
        charts.append((rel.statement,
                       plots.both(plots.load_pain_chart, [m / 1000.0 for _d, m, _c in rel.pairs], [c for _d, _m, c in rel.pairs],
                                             usual_km=rel.usual_distance_m / 1000.0 if rel.usual_distance_m else None)))
    planned = sum(a.planned for a in prog.adherence)
    done = sum(a.done for a in prog.adherence)
    names: dict[str, str] = {"run": "running"}
    plan = inputs.plan if prog.changes else None
    if plan is not None:
        for key in ("strength", "pre_run", "post_run", "desk"):
            names.update({e.exercise_id: e.name for e in getattr(plan, key)})
    logged = [p.pain for p in prog.pain if p.pain is not None]
    return ReportSection(id="progress", title=title, available=True, charts=tuple(charts), data={
        "progress": prog, "planned": planned, "done": done,
        "adherence_pct": round(100 * done / planned) if planned else None,
        "latest_pain": logged[-1] if logged else None,
        "first_pain": logged[0] if logged else None, "names": names, "change_words": CHANGE_WORDS,
    })


# The journal's dose-change kinds (journal/adapt.py) in words for the plan-change table.
CHANGE_WORDS: dict[str, str] = {
    "advance": "made harder",
    "hold": "kept the same",
    "regress": "made easier",
    "ladder_enter": "switched to run-walk",
    "ladder_regress": "one run-walk stage back",
    "ladder_advance": "one run-walk stage on",
    "ladder_complete": "back to normal runs",
}


SECTION_WORDS = {"screening_section": "the screening", "findings_section": "the findings",
                 "plan_section": "the plan", "load_section": "the training load",
                 "form_section": "the form checks", "progress_section": "pain and adherence"}


BUILDERS: tuple[SectionBuilder, ...] = (screening_section, findings_section, plan_section,
                                        load_section, form_section, progress_section)
