"""A plan as Markdown, standalone HTML and an iCalendar file.

The calendar uses one all-day event per session (VALUE=DATE), which Google Calendar and
Thunderbird both import; the exercises and their doses go in the description. UIDs and
timestamps are derived from the plan, so exporting the same plan twice gives the same file.

Reminders are alarms (VALARM) at a time of day the runner picks: on each session's day
(relative to the start of the all-day event, so the time is local wherever the calendar is) and a
daily morning check-in event with its own alarm over the plan's weeks.
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

from backstride.errors import InputError
from backstride.library.loader import Library
from backstride.plan.model import (
    WEEKDAYS,
    AddressedBy,
    Dose,
    Plan,
    PrescribedExercise,
    ScheduledSession,
    SessionKind,
)

_ROUTINES = (("Before you run", "pre_run"), ("After you run", "post_run"),
             ("Strength and control", "strength"), ("Desk breaks", "desk"))
_BY_WORDS = {AddressedBy.EXERCISE: "exercises", AddressedBy.ADVICE: "advice", AddressedBy.NOT_ADDRESSED: "not addressed"}


def _minutes(exercises: Iterable[PrescribedExercise]) -> str:
    return f"{sum(e.estimated_s for e in exercises) / 60:.0f} min"


def why(plan: Plan, pe: PrescribedExercise) -> str:
    """The runner's findings an exercise targets, by their titles (codes only as a fallback)."""
    titles: dict[str, str] = {}
    for a in plan.addressed:  # most severe first, so a code seen twice keeps its most severe title
        titles.setdefault(a.code, a.title)
    return "; ".join(dict.fromkeys(titles.get(c, c) for c in pe.addresses)) or "general conditioning"


def _week_grid(plan: Plan) -> list[tuple[str, str]]:
    """Weekday -> what happens, from the first week (every week has the same shape)."""
    if not plan.weeks:
        return []
    rows = []
    for offset in range(7):
        day = plan.weeks[0].start + dt.timedelta(days=offset)
        titles = [s.title for s in plan.weeks[0].sessions if s.date == day]
        rows.append((WEEKDAYS[day.weekday()].capitalize(), "; ".join(titles) or "rest"))
    return rows


def plan_to_markdown(plan: Plan, library: Library) -> str:
    out = [f"# {plan.headline}", ""]
    if plan.requires_clinician_agreement and not plan.is_referral:
        out += ["> **Only with your clinician's agreement.** Your screening suggests seeing a clinician; "
                "show them this plan before you start.", ""]
    if plan.referral is not None:
        out += ["## What to do now", "", plan.referral.what_to_do, ""]
        out += [f"- {r}" for r in plan.referral.reasons] + [""]
    if plan.weeks:
        out += [f"{plan.options.start_date.isoformat()} to {plan.end_date.isoformat()}, "
                f"{len(plan.weeks)} weeks.", "", "## Your week", "", "| day | what |", "|---|---|"]
        out += [f"| {d} | {w} |" for d, w in _week_grid(plan)] + [""]
    for title, attr in _ROUTINES:
        items: tuple[PrescribedExercise, ...] = getattr(plan, attr)
        if not items:
            continue
        label = " (week 1 dose)" if attr == "strength" else ""
        out += [f"## {title}{label}: about {_minutes(items)}", ""]
        for pe in items:
            ex = library.get(pe.exercise_id) if pe.exercise_id in library else None
            out.append(f"### {pe.name}: {pe.dose.describe()}")
            out.append("")
            if pe.addresses:
                out += [f"Why: {why(plan, pe)}", ""]
            if ex is not None:
                out += [f"Start: {ex.start_position}", ""]
                out += [f"{i}. {step}" for i, step in enumerate(ex.instructions, 1)] + [""]
                out += ["Cues: " + " / ".join(ex.cues), ""]
                out += [f"Evidence ({ex.evidence.level.value}): {ex.evidence.note}", ""]
    if plan.progression_rules:
        out += ["## When to progress, hold or step back", ""]
        for r in plan.progression_rules:
            nxt = f" then move on to {r.advance_to}" if r.advance_to else ""
            back = f"; step back to {r.regress_to}" if r.regress_to else "; step back to the start of the range"
            out.append(f"- **{r.exercise_id}**: {r.weekly_increment}. Target {r.target} in {r.sessions_at_target} "
                       f"sessions with pain at most {r.max_pain_during_nrs}/10 and back to baseline next morning"
                       f"{nxt}. Hold if pain reaches {r.max_pain_during_nrs}/10 or morning pain rises"
                       f"{back} if pain goes above it, you limp, or nerve symptoms appear.")
        out.append("")
    if plan.load_advice:
        out += ["## Running load", ""] + [f"- {a.text} [{a.source}]" for a in plan.load_advice] + [""]
    if plan.form_cues:
        out += ["## Form cues", ""]
        out += [f"- {c.cue}" + (f" Drills: {', '.join(c.drill_ids)}." if c.drill_ids else "") for c in plan.form_cues]
        out.append("")
    if plan.addressed:
        out += ["## Your findings and how the plan answers them", "", "| finding | how | detail |", "|---|---|---|"]
        for a in plan.addressed:
            side = f" ({a.side})" if a.side else ""
            detail = ", ".join(a.exercise_ids) if a.by is AddressedBy.EXERCISE else (a.advice or a.reason)
            if a.by is AddressedBy.ADVICE and a.reason:
                detail += f" ({a.reason})"
            out.append(f"| {a.title}{side} | {_BY_WORDS[a.by]} | {detail.replace('|', '/')} |")
        out.append("")
    if plan.stop_rules:
        out += ["## Stop rules", ""] + [f"- {r}" for r in plan.stop_rules] + [""]
    if plan.notes:
        out += ["## Notes", ""] + [f"- {n}" for n in plan.notes] + [""]
    if plan.weeks:
        out += ["## Week by week", ""]
        for w in plan.weeks:
            out += [f"### Week {w.number} (from {w.start.isoformat()})", "", w.focus, ""]
            for s in w.sessions:
                extra = f" ({_minutes(s.exercises)})" if s.exercises else ""
                out.append(f"- {s.date.isoformat()} {WEEKDAYS[s.date.weekday()]}: {s.title}{extra}")
            out.append("")
    return "\n".join(out).rstrip() + "\n"


def plan_to_html(plan: Plan, library: Library, figures: Mapping[str, str] | None = None) -> str:
    """A standalone page (no scripts, inline CSS) built from the same content as the Markdown.

    ``figures`` maps an exercise id to its illustration (an SVG the caller drew, placed as is)."""
    e = html.escape
    body: list[str] = [f"<h1>{e(plan.headline)}</h1>"]
    if plan.requires_clinician_agreement and not plan.is_referral:
        body.append("<p class='banner'><strong>Only with your clinician's agreement.</strong> Your screening "
                    "suggests seeing a clinician; show them this plan before you start.</p>")
    if plan.referral is not None:
        body.append(f"<h2>What to do now</h2><p>{e(plan.referral.what_to_do)}</p><ul>"
                    + "".join(f"<li>{e(r)}</li>" for r in plan.referral.reasons) + "</ul>")
    if plan.weeks:
        body.append("<h2>Your week</h2><table><tr><th>day</th><th>what</th></tr>"
                    + "".join(f"<tr><td>{e(d)}</td><td>{e(w)}</td></tr>" for d, w in _week_grid(plan)) + "</table>")
    for title, attr in _ROUTINES:
        items: tuple[PrescribedExercise, ...] = getattr(plan, attr)
        if not items:
            continue
        body.append(f"<h2>{e(title)}: about {_minutes(items)}</h2>")
        for pe in items:
            ex = library.get(pe.exercise_id) if pe.exercise_id in library else None
            body.append(f"<section class='exercise' id='{e(pe.exercise_id)}'><h3>{e(pe.name)}: "
                        f"{e(pe.dose.describe())}</h3>")
            if figures and pe.exercise_id in figures:
                body.append(f"<figure class='figure'>{figures[pe.exercise_id]}</figure>")
            if ex is not None:
                body.append(f"<p><em>Start:</em> {e(ex.start_position)}</p><ol>"
                            + "".join(f"<li>{e(s)}</li>" for s in ex.instructions) + "</ol>"
                            + "<p><em>Cues:</em> " + e(" / ".join(ex.cues)) + "</p>"
                            + f"<p class='evidence'>Evidence ({e(ex.evidence.level.value)}): {e(ex.evidence.note)}</p>")
            body.append("</section>")
    for title, lines in (("Running load", [f"{a.text} [{a.source}]" for a in plan.load_advice]),
                         ("Form cues", [c.cue for c in plan.form_cues]),
                         ("Stop rules", list(plan.stop_rules)), ("Notes", list(plan.notes))):
        if lines:
            body.append(f"<h2>{title}</h2><ul>" + "".join(f"<li>{e(x)}</li>" for x in lines) + "</ul>")
    if plan.addressed:
        rows = "".join(
            f"<tr><td>{e(a.title)}{e(' (' + a.side + ')') if a.side else ''}</td><td>{_BY_WORDS[a.by]}</td>"
            f"<td>{e(', '.join(a.exercise_ids) if a.by is AddressedBy.EXERCISE else (a.advice or a.reason))}</td></tr>"
            for a in plan.addressed)
        body.append("<h2>Your findings and how the plan answers them</h2><table><tr><th>finding</th><th>how</th>"
                    f"<th>detail</th></tr>{rows}</table>")
    style = ("body{font-family:system-ui,sans-serif;max-width:50rem;margin:2rem auto;padding:0 1rem;line-height:1.5}"
             "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.3rem .5rem;text-align:left}"
             ".banner{background:#fff3cd;padding:.75rem;border-left:4px solid #d39e00}.evidence{color:#555}"
             ".figure{margin:.5rem 0}.figure svg{max-width:100%;height:auto;max-height:8rem}"
             ".exercise{break-inside:avoid}")
    return ("<!doctype html><html lang='en'><head><meta charset='utf-8'>"
            f"<title>{e(plan.headline)}</title><style>{style}</style></head><body>"
            + "\n".join(body) + "</body></html>\n")


@dataclass(frozen=True)
class Reminders:
    """Times of day for calendar alarms; None leaves that alarm out.

    The defaults are a convention, not evidence: a check-in soon after waking (morning pain and
    stiffness are asked), strength in the early evening, a nudge before an evening run (with the
    before-run routine), and a desk break mid-morning.
    """

    checkin: dt.time | None = dt.time(7, 30)
    strength: dt.time | None = dt.time(18, 0)
    run: dt.time | None = dt.time(17, 30)
    desk: dt.time | None = dt.time(10, 30)

    KEYS: ClassVar[tuple[str, ...]] = ("checkin", "strength", "run", "desk")

    @classmethod
    def none(cls) -> Reminders:
        return cls(None, None, None, None)

    def to_dict(self) -> dict[str, str | None]:
        return {k: (t.strftime("%H:%M") if (t := getattr(self, k)) else None) for k in self.KEYS}


# What each kind of session is reminded by: a run day is reminded once, on its first event.
_ALARM_KEY = {SessionKind.STRENGTH: "strength", SessionKind.PRE_RUN: "run", SessionKind.RUN: "run",
              SessionKind.DESK: "desk"}


def _describe_session(session: ScheduledSession, exercises: Iterable[tuple[str, Dose]] | None = None) -> str:
    lines = [session.advice] if session.advice else []
    for name, dose in exercises if exercises is not None else ((pe.name, pe.dose) for pe in session.exercises):
        lines.append(f"- {name}: {dose.describe()}")
    if session.exercises:
        lines.append("Play it as a guided session on the Today page, or with: backstride session.")
    return "\n".join(lines)


def _alarm(at: dt.time, text: str) -> Any:
    from icalendar import Alarm

    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", text)
    # Relative to the start of the day of an all-day event: the time stays local in any time zone.
    alarm.add("trigger", dt.timedelta(hours=at.hour, minutes=at.minute))
    return alarm


def plan_to_ics(plan: Plan, *, calendar_name: str = "backstride plan", reminders: Reminders | None = None,
                doses: Mapping[str, tuple[str, Dose]] | None = None, doses_from: dt.date | None = None) -> bytes:
    """One all-day event per session, with alarms; raises :class:`InputError` for a referral.

    ``doses`` (plan exercise id to the name and dose in use now) replaces the planned dose in
    sessions from ``doses_from`` on, so a feed shows what the journal has moved.
    """
    from icalendar import Calendar, Event

    if plan.is_referral or not plan.weeks:
        raise InputError("this plan is a referral, so there are no sessions to put in a calendar",
                         hint="see a clinician first, then make a new plan", command="backstride plan",
                         page=("/plan", "Open your plan"))
    remind = reminders if reminders is not None else Reminders()
    cal = Calendar()
    cal.add("prodid", "-//backstride//plan//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", calendar_name)
    cal.add("x-published-ttl", "PT12H")   # subscribed calendars: look for plan changes twice a day
    cal.add("refresh-interval", dt.timedelta(hours=12), parameters={"VALUE": "DURATION"})
    stamp = dt.datetime.combine(plan.options.start_date, dt.time(0, 0), tzinfo=dt.UTC)
    counters: dict[tuple[dt.date, SessionKind], int] = {}
    reminded: set[tuple[dt.date, str]] = set()
    for session in plan.sessions():
        key = (session.date, session.kind)
        counters[key] = counters.get(key, 0) + 1
        event = Event()
        event.add("uid", f"{plan.options.start_date:%Y%m%d}-{session.date:%Y%m%d}-{session.kind.value}-"
                         f"{counters[key]}@backstride")
        event.add("dtstamp", stamp)
        event.add("dtstart", session.date)
        event.add("dtend", session.date + dt.timedelta(days=1))
        summary = session.title
        if session.exercises:
            summary += f" ({_minutes(session.exercises)})"
        event.add("summary", summary)
        current = None
        if doses and (doses_from is None or session.date >= doses_from):
            current = [doses.get(pe.exercise_id, (pe.name, pe.dose)) for pe in session.exercises]
        event.add("description", _describe_session(session, current))
        event.add("categories", [session.kind.value])
        event.add("transp", "TRANSPARENT")
        alarm_key = _ALARM_KEY.get(session.kind)
        at = getattr(remind, alarm_key) if alarm_key else None
        if at is not None and alarm_key is not None and (session.date, alarm_key) not in reminded:
            reminded.add((session.date, alarm_key))
            text = {"strength": f"{session.title} today: about {_minutes(session.exercises)}.",
                    "desk": "Time for a desk break: stand up and do one or two of today's exercises.",
                    "run": "Run day: start with the before-run routine, check today's answer first."}[alarm_key]
            event.add_component(_alarm(at, text))
        cal.add_component(event)
    if remind.checkin is not None:
        cal.add_component(_checkin_event(plan, remind.checkin, stamp))
    return bytes(cal.to_ical())


def _checkin_event(plan: Plan, at: dt.time, stamp: dt.datetime) -> Any:
    """A short daily event at the check-in time over the plan's weeks, with an alarm as it starts."""
    from icalendar import Event

    event = Event()
    event.add("uid", f"{plan.options.start_date:%Y%m%d}-checkin@backstride")
    event.add("dtstamp", stamp)
    event.add("dtstart", dt.datetime.combine(plan.options.start_date, at))   # floating: local time
    event.add("duration", dt.timedelta(minutes=5))
    last = dt.datetime.combine(plan.end_date, at)
    event.add("rrule", {"freq": "daily", "until": last})
    event.add("summary", "Morning check-in (backstride)")
    event.add("description", "How did your back feel on waking? Log it on the Today page or with "
                             "backstride log, and see whether to run today.")
    event.add("categories", ["checkin"])
    event.add("transp", "TRANSPARENT")
    alarm = _alarm(dt.time(0, 0), "Morning check-in: how is your back today?")
    event.add_component(alarm)
    return event
