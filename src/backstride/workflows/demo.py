"""``backstride demo``: a demo profile filled with generated data so every page has something to show.

Everything is made up and deterministic for a given seed: a screening of a runner with
mild, mechanical low back pain (self-management), a plan that started two weeks ago, runs from
the synthetic generator, and four weeks of journal check-ins consistent with those runs and the
plan. No video is generated: the form check needs a real video of someone running.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from backstride.errors import InputError
from backstride.intake.questionnaire import Questionnaire
from backstride.plan.model import Plan, PrescribedExercise
from backstride.workflows import activities, journal, plans, screening
from backstride.workflows.workspace import Workspace

JOURNAL_DAYS = 28
PLAN_STARTED_DAYS_AGO = 13

# A 38-year-old recreational runner with two months of mild, mechanical low back pain.
DEMO_ANSWERS: dict[str, Any] = {
    "age_years": 38, "sex": "female", "height_cm": 168, "weight_kg": 61, "running_years": 6,
    "weekly_distance_km": 32, "weekly_distance_4wk_ago_km": 24, "longest_run_last_month_km": 16,
    "longest_run_previous_month_km": 12, "surfaces": ["road", "trail"], "hills": "rolling",
    "shoe_pairs": 2, "main_shoe_distance_km": 650, "strength_sessions_per_week": 0,
    "other_exercise_hours_per_week": 1, "sitting_hours_per_day": 9, "sitting_break_every_min": "120",
    "previous_back_pain_episodes": 1, "has_back_pain": True, "pain_location": ["central", "one_side"],
    "pain_side": "right", "pain_quality": ["ache"], "pain_onset": "gradual", "pain_onset_after": "long_run",
    "pain_duration": "under_6_weeks", "pain_now": 3, "pain_worst": 5, "pain_during_run": 3,
    "pain_after_run": 4, "pain_next_morning": 3, "pain_settles_by_morning": "yes",
    "worse_with": ["long_runs", "sitting"], "better_with": ["moving"], "morning_stiffness_min": 10,
    "night_pain": "turning", "limping_when_running": False, "ps_fear_of_movement": 3, "ps_worry": 4,
    "ps_low_mood": 2, "ps_bothersomeness": 4,
}


@dataclass
class DemoResult:
    runner: str
    screening_id: int | None = None
    triage: str | None = None
    plan_id: int | None = None
    runs: int = 0
    run_km: float = 0.0
    check_ins: int = 0
    skipped: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        out = []
        if self.triage:
            out.append(f"a screening (triage: {self.triage.replace('_', ' ')})")
        if self.plan_id is not None:
            out.append(f"a plan that started {PLAN_STARTED_DAYS_AGO} days ago")
        if self.runs:
            out.append(f"{self.runs} generated runs, {self.run_km:.0f} km")
        if self.check_ins:
            out.append(f"{self.check_ins} daily check-ins")
        out.extend(f"not filled: {s}" for s in self.skipped)
        return out

    def to_dict(self) -> dict[str, Any]:
        return {"runner": self.runner, "screening_id": self.screening_id, "triage": self.triage,
                "plan_id": self.plan_id, "runs": self.runs, "run_km": round(self.run_km, 1),
                "check_ins": self.check_ins, "skipped": list(self.skipped)}


def _answers(questionnaire: Questionnaire) -> dict[str, Any]:
    answers = dict(DEMO_ANSWERS)
    for q in questionnaire.questions:
        if q.section == "red_flags" and q.type == "boolean" and q.id != "has_back_pain":
            answers[q.id] = False
    return answers


def fill_demo(ws: Workspace, runner: str = "demo", *, years: float = 1.0, seed: int = 7,
              replace: bool = False, today: dt.date | None = None) -> DemoResult:
    """Fill ``runner`` with generated data. An existing profile is only overwritten with ``replace``."""
    from backstride.workflows import data

    today = today or dt.date.today()
    if runner in ws.list_runners():
        if not replace:
            raise InputError(f"the profile {runner!r} already exists; the demo would mix made-up data into it",
                             hint="pass --replace to delete it and fill it again, or choose another --runner")
        data.delete_runner(ws, runner)
    with ws.transaction() as session:
        ws.runner_id(session, runner)
    result = DemoResult(runner=runner)
    rng = np.random.default_rng(seed)

    when = dt.datetime.combine(today - dt.timedelta(days=PLAN_STARTED_DAYS_AGO + 1), dt.time(19, 0), tzinfo=dt.UTC)
    result.screening_id, screened = screening.run_screening(ws, runner, _answers(screening.questionnaire()),
                                                            now=when, source="demo answers")
    result.triage = screened.triage.tier.value

    from backstride.demo.synthetic_runs import generate_runs

    runs_by_day: dict[dt.date, float] = {}
    days = max(7, round(years * 365))
    runs = generate_runs(today - dt.timedelta(days=days - 1), days, seed=seed, with_series=False)
    runs = [r for r in runs if r.start_time.date() <= today]
    activities.store_activities(ws, runner, runs)
    result.runs = len(runs)
    result.run_km = sum(r.distance_m or 0.0 for r in runs) / 1000.0
    for r in runs:
        day = r.start_time.date()
        runs_by_day[day] = runs_by_day.get(day, 0.0) + (r.distance_m or 0.0)

    options = plans.make_options(start=today - dt.timedelta(days=PLAN_STARTED_DAYS_AGO), weeks=6)
    result.plan_id, plan = plans.generate_plan(ws, runner, options, extra_findings=[])
    result.check_ins = _fill_journal(ws, runner, plan, runs_by_day, today, rng)
    result.skipped.append("form video (needs a real video of someone running; use the Form page)")
    return result


def _fill_journal(ws: Workspace, runner: str, plan: Plan, runs_by_day: dict[dt.date, float],
                  today: dt.date, rng: np.random.Generator) -> int:
    """Four weeks of check-ins: morning pain easing from about 4 to 2, runs as generated,
    about three quarters of the planned exercise sessions done."""
    sessions: dict[dt.date, list[PrescribedExercise]] = {}
    if not plan.is_referral:
        for s in plan.sessions():
            if s.exercises and s.kind.value in ("strength", "pre_run", "post_run"):
                sessions.setdefault(s.date, []).extend(s.exercises)
    count = 0
    for k in range(JOURNAL_DAYS - 1, -1, -1):
        day = today - dt.timedelta(days=k)
        if rng.random() < 0.1 and k > 0:
            continue  # a forgotten check-in now and then
        trend = 4.0 - 2.0 * (JOURNAL_DAYS - 1 - k) / (JOURNAL_DAYS - 1)
        entry: dict[str, Any] = {"day": day.isoformat(),
                                 "pain_morning": int(np.clip(round(trend + rng.normal(0, 0.7)), 0, 10)),
                                 "stiffness_morning_min": int(rng.integers(0, 15))}
        distance = runs_by_day.get(day)
        if distance:
            entry.update(run_distance_m=round(distance), pain_during_run=int(np.clip(round(trend - 1 + rng.normal(0, 1)), 0, 5)),
                         pain_after_run=int(np.clip(round(trend + rng.normal(0, 1)), 0, 5)), run_rpe=int(rng.integers(3, 7)))
        done: list[dict[str, Any]] = []
        for ex in sessions.get(day, []):
            if rng.random() < 0.75 and ex.exercise_id not in {d["exercise_id"] for d in done}:
                item: dict[str, Any] = {"exercise_id": ex.exercise_id, "sets": ex.dose.sets}
                if ex.dose.reps is not None:
                    item["reps"] = ex.dose.reps
                if ex.dose.hold_s is not None:
                    item["hold_s"] = ex.dose.hold_s
                item["pain_during"] = int(rng.integers(0, 3))
                done.append(item)
        entry["exercises"] = done
        journal.log_entry(ws, runner, entry, today=day)
        count += 1
    return count
