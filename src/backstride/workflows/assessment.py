"""``assess()``: what backstride knows about one runner on one day, read once.

The latest screening, the stored activities of the load window, the load summary and its
findings (computed once), the findings of the latest form check, and the longest recent run,
all read in one transaction for one runner. Building a plan, the daily "run today?" answer,
the home page, the findings page and the report all start from an :class:`Assessment`, so they
agree with each other and none of them reads the same rows again.

Reading never creates anything: a runner without a profile gets an empty assessment.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field

from backstride.activities.model import Activity
from backstride.findings.merge import (
    FORM_SOURCE,
    LOAD_SOURCE,
    SCREENING_SOURCE,
    SourcedFinding,
    merge_findings,
)
from backstride.findings.model import Finding
from backstride.intake.model import ScreeningResult
from backstride.load.shoes import Shoe, shoe_statuses
from backstride.load.summary import LoadSummary, build_load_summary, load_findings, longest_run_m
from backstride.storage import activities as activity_store
from backstride.storage import form as form_store
from backstride.storage import journal as journal_store
from backstride.storage import screenings as screening_store
from backstride.workflows.workspace import Workspace

FINDINGS_WEEKS = 8
"""Weeks of the load summary behind the load findings (the planner's and "run today?"'s window)."""

SETTLE_DAYS = 120
"""History read before the shown weeks so the 7- and 28-day weighted loads have settled."""


@dataclass(frozen=True)
class Assessment:
    runner: str
    day: dt.date
    known: bool                                   # a profile with this name exists
    screening: ScreeningResult | None
    load: LoadSummary                             # FINDINGS_WEEKS weeks up to ``day``
    load_findings: tuple[Finding, ...]
    form_findings: tuple[Finding, ...]            # of the latest form check
    longest_run_30d_m: float | None               # longest run in the 30 days before ``day``
    history_weeks: int = FINDINGS_WEEKS
    activities: tuple[Activity, ...] = field(default=(), repr=False)   # as read: the history window, oldest first
    shoes: tuple[Shoe, ...] = field(default=(), repr=False)
    shoe_of: Mapping[int, int | None] = field(default_factory=dict, repr=False)
    rpe_by_date: Mapping[dt.date, float] = field(default_factory=dict, repr=False)

    @property
    def screening_findings(self) -> tuple[Finding, ...]:
        return self.screening.findings if self.screening is not None else ()

    @property
    def findings(self) -> tuple[SourcedFinding, ...]:
        """Every finding, labelled by its source, most severe first."""
        return merge_findings(((SCREENING_SOURCE, self.screening_findings), (LOAD_SOURCE, self.load_findings),
                               (FORM_SOURCE, self.form_findings)))

    @property
    def measured_findings(self) -> tuple[Finding, ...]:
        """Load and form findings: what the planner adds to the screening's own."""
        return (*self.load_findings, *self.form_findings)

    def load_summary(self, weeks: int) -> LoadSummary:
        """The load summary over ``weeks`` weeks (at most the ``history_weeks`` that were read)."""
        if weeks == FINDINGS_WEEKS:
            return self.load
        if weeks > self.history_weeks:
            raise ValueError(f"the assessment read {self.history_weeks} weeks of history, not {weeks}")
        return _summary(self.activities, self.shoes, self.shoe_of, self.rpe_by_date, weeks, self.day)

    def run_distances(self, since: dt.date, until: dt.date) -> dict[dt.date, float]:
        """Watch-recorded running distance (metres) per day from ``since`` to ``until`` (both included)."""
        out: dict[dt.date, float] = {}
        for act in self.activities:
            day = act.start_time.date()
            if act.is_run and act.distance_m and since <= day <= until:
                out[day] = out.get(day, 0.0) + float(act.distance_m)
        return out


def _window_start(weeks: int, day: dt.date) -> dt.date:
    return day - dt.timedelta(weeks=weeks) - dt.timedelta(days=SETTLE_DAYS)


def _summary(activities: tuple[Activity, ...], shoes: tuple[Shoe, ...], shoe_of: Mapping[int, int | None],
             rpe_by_date: Mapping[dt.date, float], weeks: int, day: dt.date) -> LoadSummary:
    since = _as_utc(_window_start(weeks, day))
    acts = [a for a in activities if a.start_time >= since]
    statuses = shoe_statuses(shoes, [a for a in acts if a.id is not None], shoe_of, day) if shoes else []
    return build_load_summary(acts, weeks=weeks, today=day, rpe_by_date=rpe_by_date or None, shoes=statuses)


def _as_utc(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), tzinfo=dt.UTC)


def assess(ws: Workspace, runner: str, day: dt.date | None = None, *,
           history_weeks: int = FINDINGS_WEEKS) -> Assessment:
    """Everything known about ``runner`` on ``day`` (default today), read in one transaction.

    ``history_weeks`` (at least :data:`FINDINGS_WEEKS`) reads enough activities for a longer
    load summary too (the report shows 26 weeks): see :meth:`Assessment.load_summary`.
    """
    day = day or dt.date.today()
    history_weeks = max(history_weeks, FINDINGS_WEEKS)
    since = _window_start(history_weeks, day)
    with ws.transaction() as session:
        runner_id = ws.existing_runner_id(session, runner)
        if runner_id is None:
            empty = build_load_summary([], weeks=FINDINGS_WEEKS, today=day)
            return Assessment(runner=runner, day=day, known=False, screening=None, load=empty, load_findings=(),
                              form_findings=(), longest_run_30d_m=None, history_weeks=history_weeks)
        screening_row = screening_store.latest_screening(session, runner_id)
        screening = screening_row.to_result() if screening_row is not None else None
        rows = activity_store.activity_rows(session, runner_id, _as_utc(since))
        activities = tuple(activity_store.to_activity(r) for r in rows)
        shoe_of = {r.id: r.shoe_id for r in rows}
        shoes = tuple(activity_store.to_shoe(s) for s in activity_store.shoe_rows(session, runner_id))
        rpe = {row.day: float(e.run_rpe) for row in journal_store.list_rows(session, runner_id, since, day)
               if (e := row.entry()).run_rpe is not None}
        form_row = form_store.latest_result(session, runner_id)
        form_findings = tuple(Finding.from_dict(f) for f in form_row.data.get("findings", [])) if form_row else ()
    load = _summary(activities, shoes, shoe_of, rpe, FINDINGS_WEEKS, day)
    until = _as_utc(day)
    recent = [a for a in activities if _as_utc(day - dt.timedelta(days=30)) <= a.start_time < until]
    return Assessment(runner=runner, day=day, known=True, screening=screening, load=load,
                      load_findings=tuple(load_findings(load)), form_findings=form_findings,
                      longest_run_30d_m=longest_run_m(recent, day), history_weeks=history_weeks,
                      activities=activities, shoes=shoes, shoe_of=shoe_of, rpe_by_date=rpe)
