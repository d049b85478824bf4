"""The :class:`LoadSummary` (pure data for tables and plots) and the load findings.

Only runs count towards load; other sports are listed with the activities but not added
here (a three-hour ride is not three hours of running).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from backstride.activities.model import Activity
from backstride.evidence import threshold
from backstride.findings.model import Evidence, EvidenceLevel, Finding, Severity
from backstride.load import dynamics as dyn
from backstride.load.metrics import (
    DayPoint,
    Spike,
    WeekRow,
    daily_series,
    find_spikes,
    longest_before,
    monday,
    monotony,
    runs_only,
    spike_band,
    weekly_rows,
)
from backstride.load.session import session_loads
from backstride.load.shoes import ShoeStatus, pairs_in_rotation

ACWR_NOTE = ("The acute:chronic ratio is shown for information only. It is mathematically coupled "
             "(Lolli 2019), replacing the chronic load with a fixed or random number predicts injury about as "
             "well (Impellizzeri 2020), and in 5,205 runners it showed a negative dose-response (Frandsen 2025). "
             "backstride never bases advice on it.")


@dataclass(frozen=True)
class LoadSummary:
    today: dt.date
    weeks: list[WeekRow]
    days: list[DayPoint]
    spikes: list[Spike]
    dynamics: list[dyn.DynamicsPoint]
    trends: list[dyn.Trend]
    shoes: list[ShoeStatus]
    load_basis: str
    load_unit: str
    imputed_sessions: int
    runs: list[Activity] = field(repr=False)
    last7_distance_m: float = 0.0
    prev7_distance_m: float = 0.0
    last14_distance_m: float = 0.0
    prev14_distance_m: float = 0.0
    last7_downhill_m: float = 0.0
    last7_monotony: float | None = None
    last7_sessions: int = 0
    notes: tuple[str, ...] = (ACWR_NOTE,)

    @property
    def latest_day(self) -> DayPoint | None:
        return self.days[-1] if self.days else None

    def to_dict(self) -> dict[str, object]:
        return {
            "today": self.today.isoformat(), "load_basis": self.load_basis, "load_unit": self.load_unit,
            "imputed_sessions": self.imputed_sessions,
            "weeks": [w.to_dict() for w in self.weeks], "days": [d.to_dict() for d in self.days],
            "spikes": [s.to_dict() for s in self.spikes], "dynamics": [p.to_dict() for p in self.dynamics],
            "trends": [t.to_dict() for t in self.trends], "shoes": [s.to_dict() for s in self.shoes],
            "pairs_in_rotation": pairs_in_rotation(self.shoes),
            "rolling": {"last7_km": round(self.last7_distance_m / 1000, 2), "prev7_km": round(self.prev7_distance_m / 1000, 2),
                        "last14_km": round(self.last14_distance_m / 1000, 2),
                        "prev14_km": round(self.prev14_distance_m / 1000, 2),
                        "last7_downhill_km": round(self.last7_downhill_m / 1000, 2),
                        "last7_monotony": None if self.last7_monotony is None else round(self.last7_monotony, 2),
                        "last7_sessions": self.last7_sessions},
            "notes": list(self.notes),
        }


def build_load_summary(activities: Sequence[Activity], *, weeks: int, today: dt.date,
                       rpe_by_date: Mapping[dt.date, float] | None = None,
                       shoes: Sequence[ShoeStatus] = ()) -> LoadSummary:
    runs = [r for r in runs_only(activities) if r.start_date <= today]
    loads = session_loads(runs, rpe_by_date)
    per_run = [loads.by_activity.get(i, 0.0) for i in range(len(runs))]
    daily: dict[dt.date, float] = {}
    for run, value in zip(runs, per_run, strict=True):
        daily[run.start_date] = daily.get(run.start_date, 0.0) + value
    first_week = monday(today) - dt.timedelta(weeks=max(weeks, 1) - 1)
    week_rows = weekly_rows(runs, per_run, first_week, monday(today), daily)
    history_start = runs[0].start_date if runs else today
    all_days = daily_series(daily, history_start, today, history_start) if runs else []
    shown_from = first_week
    days = [d for d in all_days if d.day >= shown_from]
    pts = dyn.points(runs)

    def dist(lo: int, hi: int) -> float:
        """Running distance from ``lo`` to ``hi`` days ago (``hi`` exclusive, today = 0)."""
        return sum(r.distance_m or 0.0 for r in runs if lo <= (today - r.start_date).days < hi)

    last7 = [daily.get(today - dt.timedelta(days=k), 0.0) for k in range(7)]
    mono, _ = monotony(last7)
    return LoadSummary(
        today=today, weeks=week_rows, days=days, spikes=find_spikes(runs), dynamics=pts,
        trends=dyn.trends(pts, today), shoes=list(shoes), load_basis=loads.basis, load_unit=loads.unit,
        imputed_sessions=loads.imputed, runs=runs,
        last7_distance_m=dist(0, 7), prev7_distance_m=dist(7, 14), last14_distance_m=dist(0, 14),
        prev14_distance_m=dist(14, 28),
        last7_downhill_m=sum(r.downhill_m or 0.0 for r in runs if (today - r.start_date).days < 7),
        last7_monotony=mono, last7_sessions=sum(1 for r in runs if (today - r.start_date).days < 7),
    )


def longest_run_m(activities: Sequence[Activity], today: dt.date) -> float | None:
    """Longest run in the 30 days before ``today``, metres (None when there was none)."""
    window = int(threshold("load_spike_window").value)
    dists = [a.distance_m or 0.0 for a in runs_only(activities)
             if 0 < (today - a.start_date).days <= window]
    return max(dists) if dists else None


def spike_band_of_latest(activities: Sequence[Activity]) -> str | None:
    runs = runs_only(activities)
    if not runs:
        return None
    prev = longest_before(runs, len(runs) - 1, int(threshold("load_spike_window").value))
    if not prev:
        return None
    return spike_band((runs[-1].distance_m or 0.0) / prev - 1.0) or "none"


# ---------------------------------------------------------------- findings


def _confidence(code: str) -> float:
    """How sure a load finding is (``load_confidence_<code>``): our convention, with the reason in the data."""
    return threshold(f"load_confidence_{code}").value


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


def _ev(level: EvidenceLevel, *refs: str, note: str = "") -> Evidence:
    return Evidence(level, tuple(refs), note)


def load_findings(summary: LoadSummary) -> list[Finding]:
    today = summary.today
    out: list[Finding] = []
    recent = int(threshold("load_spike_recent").value)
    spikes = [s for s in summary.spikes if 0 <= (today - s.day).days <= recent]
    if spikes:
        s = spikes[-1]
        severity = {">100": Severity.HIGH, "30-100": Severity.MODERATE, "10-30": Severity.LOW}[s.band]
        out.append(Finding(
            code="load.single_run_spike", title="A run much longer than your recent longest",
            severity=severity,
            explanation=(f"On {s.day.day} {s.day:%B %Y} you ran {s.distance_m / 1000:.1f} km, {s.excess * 100:.1f} % more than "
                         f"your longest run of the 30 days before ({s.previous_longest_m / 1000:.1f} km). In a study "
                         "of 5,205 runners, a single run more than 10 % longer than the 30-day longest came with a "
                         "higher injury rate (about 1.5 to 2.3 times, rising past +100 %)."),
            evidence=_ev(EvidenceLevel.MODERATE, "load_frandsen_2025",
                         note="Large prospective cohort; association, not proof of cause."),
            value=round(s.excess * 100, 1), threshold=round(threshold("load_spike_low").value * 100, 1),
            unit="% longer than the 30-day longest run",
            sources=tuple(str(x) for x in (s.activity_id,) if x is not None), confidence=_confidence("single_run_spike"),
            advice=("Keep the next runs at or below your usual long-run distance, and grow the longest run in "
                    "steps of no more than about a tenth."),
            details={"band": s.band, "day": s.day.isoformat(), "previous_longest_m": round(s.previous_longest_m, 1)},
        ))
    out.extend(_weekly_finding(summary))
    out.extend(_acwr_finding(summary))
    out.extend(_monotony_finding(summary))
    out.extend(_shoe_findings(summary))
    out.extend(_downhill_finding(summary))
    out.extend(_dynamics_findings(summary))
    return out


def _weekly_finding(summary: LoadSummary) -> list[Finding]:
    limit = threshold("load_weekly_increase").value
    base = threshold("load_weekly_increase_min_base").value * 1000
    parts = []
    value = None
    if summary.prev7_distance_m >= base:
        c = summary.last7_distance_m / summary.prev7_distance_m - 1
        if c > limit:
            parts.append(f"in the last 7 days you ran {summary.last7_distance_m / 1000:.1f} km, {c * 100:.1f} % more "
                         f"than in the 7 days before ({summary.prev7_distance_m / 1000:.1f} km)")
            value = c
    if summary.prev14_distance_m >= base:
        c2 = summary.last14_distance_m / summary.prev14_distance_m - 1
        if c2 > limit:
            parts.append(f"in the last 14 days you ran {summary.last14_distance_m / 1000:.1f} km, {c2 * 100:.1f} % more "
                         f"than in the 14 days before ({summary.prev14_distance_m / 1000:.1f} km)")
            value = max(value or 0.0, c2)
    if not parts:
        return []
    ids = tuple(str(r.id) for r in summary.runs if r.id is not None and (summary.today - r.start_date).days < 14)
    return [Finding(
        code="load.weekly_increase", title="Running distance rose quickly", severity=Severity.LOW,
        explanation=(_sentence("; ".join(parts)) + ". In novice runners a rise of more than 30 % over two weeks "
                     "was linked to distance-related injuries, but the evidence is weak (p = 0.07), and the "
                     "'10 % rule' itself did not prevent injuries in a trial."),
        evidence=_ev(EvidenceLevel.LOW, "load_nielsen_2014_jospt", "load_buist_2008"),
        value=round((value or 0.0) * 100, 1), threshold=round(limit * 100, 1), unit="% increase in running distance",
        sources=ids, confidence=_confidence("weekly_increase"),
        advice="Hold this week's distance rather than adding more, and watch how your back responds.",
    )]


def _acwr_finding(summary: LoadSummary) -> list[Finding]:
    day = summary.latest_day
    if day is None or day.ratio is None or day.ratio < threshold("load_acwr_high").value:
        return []
    return [Finding(
        code="load.acwr_high", title="Recent load high against your usual (for information)", severity=Severity.INFO,
        explanation=(f"Your 7-day weighted load is {day.ratio:.2f} times your 28-day weighted load. " + ACWR_NOTE),
        evidence=_ev(EvidenceLevel.VERY_LOW, "load_williams_2017", "load_gabbett_2016", "load_impellizzeri_2020",
                     "load_lolli_2019", note="Shown, never used as a gate."),
        value=round(day.ratio, 2), threshold=threshold("load_acwr_high").value, unit="ratio (EWMA 7 d / 28 d)",
        confidence=_confidence("acwr_high"), advice="No action is based on this number alone; the single-run spike is the better guide.",
        details={"informational_only": True},
    )]


def _monotony_finding(summary: LoadSummary) -> list[Finding]:
    mono = summary.last7_monotony
    if mono is None or summary.last7_sessions < 3 or mono < threshold("load_monotony_high").value:
        return []
    return [Finding(
        code="load.high_monotony", title="Every training day looks the same", severity=Severity.LOW,
        explanation=(f"Over the last 7 days your daily load had a monotony of {mono:.1f} (mean divided by its "
                     "spread, rest days counted as zero). Foster linked high monotony and strain with illness "
                     "in athletes; it has not been studied for back pain."),
        evidence=_ev(EvidenceLevel.VERY_LOW, "load_foster_1998", "load_runalyze_trimp"),
        value=round(mono, 2), threshold=threshold("load_monotony_high").value, unit="mean/SD of daily load",
        confidence=_confidence("high_monotony"), advice="Mix easy and harder days, and keep at least one full rest day a week.",
    )]


def _shoe_findings(summary: LoadSummary) -> list[Finding]:
    out: list[Finding] = []
    for s in summary.shoes:
        if s.status in ("near_retirement", "past_retirement"):
            out.append(Finding(
                code="load.shoe_retirement",
                title=(f"Shoes '{s.shoe.name}' past their retirement distance" if s.status == "past_retirement"
                       else f"Shoes '{s.shoe.name}' near their retirement distance"),
                severity=Severity.LOW,
                explanation=(f"'{s.shoe.name}' have {s.distance_km:.0f} km on them; you set "
                             f"{s.shoe.retirement_km:.0f} km as their retirement distance. The usual 500-800 km is "
                             "a convention from midsole-wear tests, not from injury studies."),
                evidence=_ev(EvidenceLevel.EXPERT_OPINION, "load_shoe_mileage_convention"),
                value=round(s.distance_km, 1), threshold=round(s.shoe.retirement_km * threshold("load_shoe_warn_fraction").value, 1),
                unit="km", sources=(f"shoe:{s.shoe.id}",), confidence=_confidence("shoe_retirement"),
                advice="Check the midsole for creases and the outsole for wear; plan a replacement pair.",
                details={"shoe": s.shoe.name, "fraction_used": round(s.fraction_used, 3)},
            ))
    active = [s for s in summary.shoes if s.runs_last_28_days > 0 and s.shoe.retired_on is None]
    runs_28 = sum(s.runs_last_28_days for s in active)
    if len(active) == 1 and runs_28 >= threshold("load_single_shoe_min_runs").value:
        out.append(Finding(
            code="load.single_shoe_pair", title="All your runs are in one pair of shoes", severity=Severity.INFO,
            explanation=(f"Your last {runs_28} runs were all in '{active[0].shoe.name}'. In one cohort of 264 "
                         "runners, those who used more than one pair in parallel had fewer injuries."),
            evidence=_ev(EvidenceLevel.LOW, "load_malisoux_2015"),
            value=1, threshold=2, unit="pairs in rotation", sources=(f"shoe:{active[0].shoe.id}",), confidence=_confidence("single_shoe_pair"),
            advice="If it suits you, alternate between two pairs.",
        ))
    return out


def _downhill_finding(summary: LoadSummary) -> list[Finding]:
    if summary.last7_distance_m <= 0:
        return []
    share = summary.last7_downhill_m / summary.last7_distance_m
    limit = threshold("load_downhill_share_high").value
    if share < limit:
        return []
    return [Finding(
        code="load.downhill_exposure", title="Much downhill running this week", severity=Severity.INFO,
        explanation=(f"{share * 100:.0f} % of your last 7 days of running ({summary.last7_downhill_m / 1000:.1f} km) was "
                     f"downhill steeper than {abs(threshold('load_downhill_grade').value):.0f} %. Running downhill "
                     "extends the low back more than running on the flat; there is no injury threshold for it."),
        evidence=_ev(EvidenceLevel.VERY_LOW, "load_levine_2007"),
        value=round(share * 100, 1), threshold=round(limit * 100, 1), unit="% of weekly running distance",
        sources=tuple(str(r.id) for r in summary.runs if r.id is not None and (summary.today - r.start_date).days < 7
                      and (r.downhill_m or 0) > 0),
        confidence=_confidence("downhill_exposure"), advice="If your back is sensitive to extension, take long descents more slowly.",
    )]


def _dynamics_findings(summary: LoadSummary) -> list[Finding]:
    out: list[Finding] = []
    n_recent = int(threshold("load_dynamics_recent_runs").value)
    for t in summary.trends:
        if not t.persistent:
            continue
        conf = t.runs_beyond / max(t.recent_runs, 1)
        ids = tuple(str(i) for i in t.activity_ids)
        if t.metric.startswith("cadence"):
            out.append(Finding(
                code="load.low_cadence", title="Your cadence has dropped below your usual", severity=Severity.LOW,
                explanation=(f"In {t.runs_beyond} of your last {n_recent} runs your {t.note or 'cadence'} was below "
                             f"your own baseline ({t.recent_median:.0f} vs {t.baseline_median:.0f} steps/min). "
                             "Fewer, longer steps load the knee and hip more; runners with back pain ran at a "
                             "slightly lower cadence in one study."),
                evidence=_ev(EvidenceLevel.LOW, "load_heiderscheit_2011", "load_drozda_2024"),
                value=round(t.recent_median, 1), threshold=round(t.baseline_median * (1 - threshold("load_cadence_drop").value), 1),
                unit="steps/min", sources=ids, confidence=round(conf, 2),
                advice="On easy runs, try a few minutes at a 5 % quicker step rate (a metronome helps).",
                details={"metric": t.metric, "baseline_median": round(t.baseline_median, 1)},
            ))
        elif t.metric == "stance_time_balance":
            out.append(Finding(
                code="load.gct_imbalance", title="Ground-contact balance has shifted to one side", severity=Severity.INFO,
                explanation=(f"In {t.runs_beyond} of your last {n_recent} runs your ground-contact-time balance was "
                             f"further from 50/50 than your own usual ({t.recent_median:.1f} % vs "
                             f"{t.baseline_median:.1f} %). {t.note}. A new, lasting shift can follow pain or "
                             "stiffness on one side; hills and the strap's fit also move it."),
                evidence=_ev(EvidenceLevel.VERY_LOW, "load_garmin_gct_balance_zones"),
                value=round(t.recent_median, 2), threshold=round(50 + threshold("load_gct_balance_green_halfwidth").value, 2),
                unit="% ground contact time (device convention)", sources=ids, confidence=round(conf, 2),
                advice="Note whether one side of your back or hip feels different; mention it to your clinician.",
                details={"baseline_median": round(t.baseline_median, 2), "population_note": t.note},
            ))
        elif t.metric == "vertical_oscillation":
            out.append(Finding(
                code="load.vertical_oscillation_high", title="More bounce than usual", severity=Severity.INFO,
                explanation=(f"In {t.runs_beyond} of your last {n_recent} runs your vertical oscillation was more "
                             f"than 10 % above your usual ({t.recent_median:.0f} vs {t.baseline_median:.0f} mm). "
                             "Bounce is linked to running economy; no link to injury or back pain has been found."),
                evidence=_ev(EvidenceLevel.NONE, "load_van_hooren_2024"),
                value=round(t.recent_median, 1),
                threshold=round(t.baseline_median * (1 + threshold("load_vertical_oscillation_rise").value), 1),
                unit="mm", sources=ids, confidence=round(conf, 2),
                advice="Nothing to change for your back; a slightly quicker cadence usually lowers bounce.",
            ))
    return out
