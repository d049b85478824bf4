"""The day-by-day signals of the pain-monitoring model, read from journal entries alone.

The pain-monitoring model (Silbernagel 2007; Silbernagel and Crossley 2015) was built for
Achilles tendinopathy. Applying it to back pain in runners is an extrapolation, which every
decision states. Its rules: pain during activity up to 5/10 is acceptable, it must settle by
the next morning, and morning pain must not creep up from one week to the next. Limping, new
nerve symptoms and red-flag answers are hard stops on top of it.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from backstride.evidence import threshold
from backstride.journal.entry import JournalEntry
from backstride.journal.questions import red_flag_questions
from backstride.units import date_words

EXTRAPOLATION_NOTE = (
    "These rules come from the pain-monitoring model, which was tested in people with Achilles "
    "tendon pain; using it for back pain is an extrapolation. It guides training, it is not a diagnosis."
)

Entries = Mapping[dt.date, JournalEntry]


class Light(StrEnum):
    GREEN = "green"
    AMBER = "amber"
    RED = "red"

    @property
    def rank(self) -> int:
        return ("green", "amber", "red").index(self.value)


@dataclass(frozen=True)
class Reason:
    """One thing that set today's light, in plain words, with the rule's source."""

    code: str
    light: Light
    message: str
    source: str

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, "light": self.light.value, "message": self.message, "source": self.source}


def tv(name: str) -> float:
    """A journal threshold's value (``journal_<name>`` in data/thresholds/journal.yaml)."""
    return threshold(f"journal_{name}").value


def worst(reasons: list[Reason]) -> Light:
    return max((r.light for r in reasons), key=lambda light: light.rank, default=Light.GREEN)


def baseline_morning(entries: Entries, before: dt.date) -> float | None:
    """The runner's usual morning pain: median of the mornings in the baseline window before ``before``."""
    days = int(tv("baseline_days"))
    values = [e.pain_morning for d in (before - dt.timedelta(days=i) for i in range(1, days + 1))
              if (e := entries.get(d)) is not None and e.pain_morning is not None]
    return float(statistics.median(values)) if values else None


def morning_before(entries: Entries, run_day: dt.date) -> float | None:
    """What next-morning pain is compared with: the morning of the session day, else the usual morning."""
    entry = entries.get(run_day)
    if entry is not None and entry.pain_morning is not None:
        return float(entry.pain_morning)
    return baseline_morning(entries, run_day)


def settled(entries: Entries, session_day: dt.date) -> bool | None:
    """Did pain settle by the morning after ``session_day``? ``None`` when that morning is not logged."""
    after = entries.get(session_day + dt.timedelta(days=1))
    if after is None or after.pain_morning is None:
        return None
    reference = morning_before(entries, session_day)
    if reference is None:
        # Without any earlier morning we can only apply the model's absolute ceiling.
        return after.pain_morning <= tv("pain_acceptable_max")
    return after.pain_morning <= reference + tv("morning_settle_tolerance")


def weekly_morning_means(entries: Entries, day: dt.date) -> tuple[float | None, float | None]:
    """Mean morning pain of the 7 days ending ``day`` and of the 7 days before (None when too few)."""
    need = int(tv("min_days_per_week_for_trend"))

    def mean(start: int) -> float | None:
        values = [e.pain_morning for i in range(start, start + 7)
                  if (e := entries.get(day - dt.timedelta(days=i))) is not None and e.pain_morning is not None]
        return statistics.fmean(values) if len(values) >= need else None

    return mean(0), mean(7)


@dataclass(frozen=True)
class Flare:
    """Pain well above the runner's own baseline on several days, or a new red-flag answer."""

    days: tuple[dt.date, ...]
    baseline_nrs: float | None
    rise_nrs: float
    red_flag: bool

    def message(self) -> str:
        if self.red_flag:
            return "You answered yes to a danger-sign question. Please repeat the screening before training."
        dates = ", ".join(date_words(d) for d in self.days)
        return (f"This looks like a flare: pain was at least {self.rise_nrs:g} points above your usual "
                f"{self.baseline_nrs:g}/10 on {dates}. Repeat the screening so the plan fits how you are now.")

    def to_dict(self) -> dict[str, Any]:
        return {"days": [d.isoformat() for d in self.days], "baseline_nrs": self.baseline_nrs,
                "rise_nrs": self.rise_nrs, "red_flag": self.red_flag, "message": self.message()}


def detect_flare(entries: Entries, day: dt.date) -> Flare | None:
    """Flare on ``day``: pain >= baseline + 2 on 2 of the last 7 days, or a red flag today.

    The baseline is the median day pain of the 14 days before that week, so the flare itself
    does not raise its own yardstick.
    """
    rise = tv("flare_rise")
    today = entries.get(day)
    if today is not None and today.red_flags:
        return Flare(days=(day,), baseline_nrs=None, rise_nrs=rise, red_flag=True)
    window = [day - dt.timedelta(days=i) for i in range(6, -1, -1)]
    base_days = int(tv("baseline_days"))
    base_values = [e.day_pain for i in range(7, 7 + base_days)
                   if (e := entries.get(day - dt.timedelta(days=i))) is not None and e.day_pain is not None]
    if len(base_values) < int(tv("min_days_per_week_for_trend")):
        return None
    baseline = float(statistics.median(base_values))
    raised = tuple(d for d in window
                   if (e := entries.get(d)) is not None and e.day_pain is not None and e.day_pain >= baseline + rise)
    if len(raised) >= int(tv("flare_days")) and day in raised:
        return Flare(days=raised, baseline_nrs=baseline, rise_nrs=rise, red_flag=False)
    return None


def recent_runs(entries: Entries, day: dt.date) -> list[JournalEntry]:
    """Runs recent enough to decide today's light, newest first."""
    span = int(tv("recent_run_days"))
    return [e for i in range(0, span + 1)
            if (e := entries.get(day - dt.timedelta(days=i))) is not None and e.ran]


def journal_reasons(entries: Entries, day: dt.date) -> list[Reason]:
    """Everything the journal alone says about ``day`` (no load data, no screening)."""
    acceptable = int(tv("pain_acceptable_max"))
    safe = int(tv("pain_safe_max"))
    reasons: list[Reason] = []
    today = entries.get(day)
    if today is not None:
        if today.red_flags:
            questions = red_flag_questions()
            asked = "; ".join(questions[c].question.rstrip("?") if c in questions else c for c in today.red_flags)
            reasons.append(Reason("journal.red_flag", Light.RED,
                                  f"You answered yes to a danger-sign question ({asked}). That needs the "
                                  "screening again before any training.", "nice_cks_lbp"))
        if today.nerve_symptoms:
            reasons.append(Reason("journal.nerve_symptoms", Light.RED,
                                  "New tingling, numbness or weakness: running waits until it has settled "
                                  "or a clinician has checked it.", "nice_ng59"))
        if today.limping:
            reasons.append(Reason("journal.limping", Light.RED,
                                  "You are limping: your body is not coping with the load yet.",
                                  "jr_backstride_journal_design"))
        pain_today = max((p for p in (today.pain_now, today.pain_morning) if p is not None), default=None)
        if pain_today is not None and pain_today > acceptable:
            reasons.append(Reason("journal.pain_today_high", Light.RED,
                                  f"Your pain today is {pain_today}/10, above the {acceptable}/10 the model accepts.",
                                  "silbernagel_2007"))
    for run in recent_runs(entries, day):
        when = "today's run" if run.day == day else f"the run on {date_words(run.day, day)}"
        if run.pain_during_run is not None and run.pain_during_run > acceptable:
            reasons.append(Reason("journal.run_pain_high", Light.RED,
                                  f"Pain during {when} reached {run.pain_during_run}/10, above "
                                  f"{acceptable}/10.", "silbernagel_2007"))
        elif run.pain_during_run is not None and run.pain_during_run > safe:
            reasons.append(Reason("journal.run_pain_moderate", Light.AMBER,
                                  f"Pain during {when} was {run.pain_during_run}/10: acceptable, "
                                  f"but above the {safe}/10 safe zone.", "jr_silbernagel_crossley_2015"))
        if run.pain_after_run is not None and run.pain_after_run > acceptable:
            reasons.append(Reason("journal.after_run_pain_high", Light.RED,
                                  f"Pain after {when} reached {run.pain_after_run}/10, above "
                                  f"{acceptable}/10.", "silbernagel_2007"))
        if run.day < day and settled(entries, run.day) is False:
            after = entries[run.day + dt.timedelta(days=1)]
            reference = morning_before(entries, run.day)
            ref_text = f"{reference:g}/10 the morning before" if reference is not None else "the usual level"
            reasons.append(Reason("journal.not_settled", Light.RED,
                                  f"Pain had not settled the morning after the run on {date_words(run.day, day)}: "
                                  f"{after.pain_morning}/10 against {ref_text}.", "silbernagel_2007"))
    this_week, last_week = weekly_morning_means(entries, day)
    if this_week is not None and last_week is not None and this_week - last_week >= tv("weekly_morning_rise"):
        reasons.append(Reason("journal.morning_pain_rising", Light.AMBER,
                              f"Morning pain is creeping up: {this_week:.1f}/10 on average this week against "
                              f"{last_week:.1f}/10 the week before.", "jr_silbernagel_crossley_2015"))
    flare = detect_flare(entries, day)
    if flare is not None and not flare.red_flag:
        reasons.append(Reason("journal.flare", Light.AMBER, flare.message(), "jr_backstride_journal_design"))
    return reasons
