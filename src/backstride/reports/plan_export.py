"""A plan as Markdown, standalone HTML and an iCalendar file.

The calendar uses one all-day event per session (VALUE=DATE), which Google Calendar and
Thunderbird both import; the exercises and their doses go in the description. UIDs and
timestamps are derived from the plan, so exporting the same plan twice gives the same file.
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Iterable, Mapping

from backstride.errors import InputError
from backstride.library.loader import Library
from backstride.plan.model import (
    WEEKDAYS,
    AddressedBy,
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


def _describe_session(session: ScheduledSession) -> str:
    lines = [session.advice] if session.advice else []
    for pe in session.exercises:
        lines.append(f"- {pe.name}: {pe.dose.describe()}")
    if session.exercises:
        lines.append("Instructions: backstride exercise show <id>, or the plan document.")
    return "\n".join(lines)


def plan_to_ics(plan: Plan, *, calendar_name: str = "backstride plan") -> bytes:
    """One all-day event per session; raises :class:`InputError` for a referral (nothing to schedule)."""
    from icalendar import Calendar, Event

    if plan.is_referral or not plan.weeks:
        raise InputError("this plan is a referral, so there are no sessions to put in a calendar",
                         hint="see a clinician first, then make a new plan", command="backstride plan",
                         page=("/plan", "Open your plan"))
    cal = Calendar()
    cal.add("prodid", "-//backstride//plan//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", calendar_name)
    stamp = dt.datetime.combine(plan.options.start_date, dt.time(0, 0), tzinfo=dt.UTC)
    counters: dict[tuple[dt.date, SessionKind], int] = {}
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
        event.add("description", _describe_session(session))
        event.add("categories", [session.kind.value])
        event.add("transp", "TRANSPARENT")
        cal.add_component(event)
    return bytes(cal.to_ical())
