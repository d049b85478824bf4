"""``backstride plan`` (make, show, export) and ``backstride exercise`` (list, show)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.padding import Padding
from rich.panel import Panel

from backstride.cli.common import (
    JsonFlag,
    RunnerOpt,
    console,
    emit_json,
    record,
    state,
    user_errors,
)
from backstride.cli.tables import Column, print_list, print_table
from backstride.errors import InputError
from backstride.library.model import EQUIPMENT

if TYPE_CHECKING:  # the use cases (and SQLAlchemy) are imported when a command runs, not at start-up
    from backstride.library.model import Exercise
    from backstride.plan.model import Plan, PrescribedExercise

plan_app = typer.Typer(help="Your personalised, progressive plan (built from your latest screening).",
                       invoke_without_command=True, no_args_is_help=False)
exercise_app = typer.Typer(help="The exercise library: list exercises, or show one with its instructions.",
                           no_args_is_help=True)

_EQUIPMENT_HELP = ("What you have, comma separated (default: chair, wall, step, towel; 'none' for floor space "
                   "only). Known: " + ", ".join(sorted(EQUIPMENT)) + ".")


def register(app: typer.Typer) -> None:
    app.add_typer(plan_app, name="plan")
    app.add_typer(exercise_app, name="exercise")


@plan_app.callback()
def plan_cmd(
    ctx: typer.Context,
    runner: RunnerOpt = None,
    weeks: Annotated[int, typer.Option("--weeks", help="Length of the block, 4-6 weeks.")] = 4,
    minutes: Annotated[int, typer.Option("--minutes", help="Minutes you have for a strength session (10-90).")] = 20,
    equipment: Annotated[list[str] | None, typer.Option("--equipment", help=_EQUIPMENT_HELP)] = None,
    run_days: Annotated[str | None, typer.Option("--run-days", help="Days you run, e.g. 'tue,thu,sun' (default).")] = None,
    long_run_day: Annotated[str | None, typer.Option("--long-run-day", help="Day of your long run (default: Sunday "
                                                     "if you run then, else your last running day; 'none').")] = None,
    hard_days: Annotated[str | None, typer.Option("--hard-days", help="Days with a hard session (intervals, "
                                                  "tempo, races), e.g. 'thu'.")] = None,
    strength_sessions: Annotated[int, typer.Option("--strength-sessions", help="Strength sessions a week, 2-3.")] = 2,
    work_days: Annotated[str | None, typer.Option("--work-days", help="Days you sit at work, for desk breaks "
                                                  "(default: mon-fri; 'none').")] = None,
    start: Annotated[str | None, typer.Option("--start", help="First day, YYYY-MM-DD (default: tomorrow).")] = None,
    as_json: JsonFlag = False,
) -> None:
    """Make a plan from your latest screening and store it. Not a diagnosis."""
    from backstride.workflows import plans as wf

    if ctx.invoked_subcommand is not None:
        return
    with user_errors(as_json):
        start_date = _parse_date(start)
        options = wf.make_options(start=start_date, weeks=weeks, minutes=minutes, equipment=equipment,
                                  run_days=run_days, long_run_day=long_run_day, hard_days=hard_days,
                                  strength_sessions=strength_sessions,
                                  work_days="" if work_days and work_days.strip().lower() == "none" else work_days)
        plan_id, plan = wf.generate_plan(state(ctx).workspace, runner, options)
    name = runner or state(ctx).settings.runner
    if as_json:
        emit_json(record(plan_id, plan, runner=name))
        return
    render_plan(console, plan, plan_id=plan_id, runner=name)


@plan_app.command("show")
def show_cmd(ctx: typer.Context, runner: RunnerOpt = None, as_json: JsonFlag = False) -> None:
    """Show the current (newest) plan."""
    from backstride.workflows import journal
    from backstride.workflows import plans as wf

    with user_errors(as_json):
        plan_id, plan = wf.require_current_plan(state(ctx).workspace, runner)
        # The journal moves doses from what was logged; say where each one stands and why.
        adjusted = journal.explain_doses(state(ctx).workspace, runner)
    name = runner or state(ctx).settings.runner
    if as_json:
        emit_json({**record(plan_id, plan, runner=name),
                   "adjusted_doses": {k: v.to_dict() for k, v in adjusted.items()}})
        return
    render_plan(console, plan, plan_id=plan_id, runner=name)
    moved = [item for item in adjusted.values() if item.changes]
    if moved:
        print_table(console, [Column("exercise"), Column("dose now", wrap=True, min_width=14),
                              Column("why", wrap=True, min_width=16)],
                    [[item.exercise_id, item.dose.describe(), item.why] for item in moved],
                    title="Where each dose stands (from your check-ins)")
    elif adjusted:
        console.print("[dim]No dose has changed yet: an exercise moves up after 2 logged sessions at target "
                      "with pain at most 5/10 that settles by the next morning (`backstride log`).[/]")


@plan_app.command("export")
def export_cmd(
    ctx: typer.Context,
    runner: RunnerOpt = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="md, html or pdf (html and pdf draw every "
                                     "exercise).")] = "md",
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write the document here instead of "
                                                "printing it.")] = None,
    ics: Annotated[Path | None, typer.Option("--ics", help="Write an iCalendar file (one event per session) "
                                             "for Google Calendar, Thunderbird and others.")] = None,
    remind: Annotated[list[str] | None, typer.Option("--remind", help="Calendar reminders (with --ics): KIND=HH:MM "
                                                     "or KIND=off for checkin, strength, run, desk; or 'none'. "
                                                     "Defaults: checkin=07:30, strength=18:00, run=17:30, "
                                                     "desk=10:30.")] = None,
    as_json: JsonFlag = False,
) -> None:
    """Export the current plan as Markdown, HTML or PDF, and/or as a calendar file."""
    from backstride.workflows import plans as wf

    with user_errors(as_json):
        if fmt not in ("md", "html", "pdf"):
            raise InputError(f"--format {fmt!r} is not supported", hint="use --format md, html or pdf")
        if fmt == "pdf" and output is None:
            raise InputError("a PDF needs a file to go to", hint="add --output plan.pdf")
        plan_id, plan = wf.require_current_plan(state(ctx).workspace, runner)
        reminders = wf.parse_reminders(remind)
        if remind and ics is None:
            raise InputError("--remind sets the alarms of the calendar file", hint="add --ics FILE.ics")
        written: list[str] = []
        if ics is not None:
            from backstride.workflows import calendar

            _write(ics, calendar.calendar(state(ctx).workspace, runner, reminders))
            written.append(str(ics))
        document = ""
        if fmt == "pdf" and output is not None:
            _write(output, wf.plan_to_pdf(plan))
            written.append(str(output))
        else:
            document = wf.plan_to_markdown(plan) if fmt == "md" else wf.plan_to_html(plan)
            if output is not None:
                _write(output, document.encode("utf-8"))
                written.append(str(output))
    if as_json:
        emit_json({"id": plan_id, "written": written, "format": fmt,
                   **({"reminders": reminders.to_dict()} if ics is not None else {}),
                   **({} if output is not None or ics is not None else {"document": document})})
        return
    if output is None and ics is None:
        typer.echo(document, nl=False)
        return
    for path in written:
        console.print(f"Wrote {path}")


def _write(path: Path, data: bytes) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    except OSError as exc:
        raise InputError(f"cannot write {path}: {exc.strerror}", hint="choose a writable path") from None


def _parse_date(text: str | None) -> dt.date | None:
    if text is None:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise InputError(f"--start {text!r} is not a date", hint="write it as YYYY-MM-DD, e.g. 2026-03-02") from None


@exercise_app.command("list")
def exercise_list_cmd(
    category: Annotated[str | None, typer.Option("--category", help="Only this category.")] = None,
    routine: Annotated[str | None, typer.Option("--routine", help="pre_run, post_run, strength, desk, "
                                                "cross_training.")] = None,
    addresses: Annotated[str | None, typer.Option("--addresses", help="Only exercises that target this finding "
                                                  "code, e.g. screen.weak_hip_abductors.")] = None,
    as_json: JsonFlag = False,
) -> None:
    """List the exercises in the library."""
    from backstride.workflows import plans as wf

    with user_errors(as_json):
        items = wf.list_exercises(category=category, routine=routine, addresses=addresses)
    if as_json:
        emit_json({"exercises": [{"id": e.id, "name": e.name, "category": e.category.value,
                                  "difficulty": e.difficulty, "equipment": list(e.equipment),
                                  "evidence": e.evidence.level.value} for e in items]})
        return
    columns = [Column("exercise", wrap=True), Column("category", wrap=True, min_width=8),
               Column("level", numeric=True), Column("equipment", wrap=True, min_width=8, drop=1),
               Column("evidence", wrap=True, min_width=8, drop=2)]
    rows = [[f"{e.name}\n[dim]{e.id}[/]", e.category.value.replace("_", " "), str(e.difficulty),
             ", ".join(e.equipment) or "-", e.evidence.level.value.replace("_", " ")] for e in items]
    print_table(console, columns, rows)
    console.print(f"{len(items)} exercises; level: difficulty from 1 (easiest) to 5. "
                  "Details: [bold]backstride exercise show ID[/]")


@exercise_app.command("show")
def exercise_show_cmd(exercise_id: Annotated[str, typer.Argument(help="Exercise id, e.g. bird_dog.")],
                      svg: Annotated[Path | None, typer.Option("--svg", help="Also write the illustration to this "
                                                               "SVG file (open it in a browser).")] = None,
                      as_json: JsonFlag = False) -> None:
    """Show one exercise with its instructions, cues, dose, evidence and illustration."""
    from backstride.reports.figures import exercise_svg
    from backstride.workflows import plans as wf

    with user_errors(as_json):
        ex = wf.get_exercise(exercise_id)
        picture = exercise_svg(ex) if ex.illustration else None
        if svg is not None:
            if picture is None:
                raise InputError(f"{ex.name} has no illustration yet")
            try:
                svg.write_text(picture, encoding="utf-8")
            except OSError as exc:
                raise InputError(f"could not write {svg}: {exc.strerror}",
                                 hint="choose a folder you can write to") from None
    if as_json:
        emit_json({**ex.to_dict(), "illustration": picture})
        return
    render_exercise(console, ex)
    if ex.illustration is not None:
        positions = ", then ".join(k.label.lower() for k in ex.illustration.keyframes)
        where = f"written to {svg}" if svg is not None else "see it in the web app or with --svg FILE"
        console.print(f"[dim]Illustration: {positions}; {where}.[/]")


def render_exercise(out: Console, ex: Exercise) -> None:
    out.print(f"[bold]{ex.name}[/] ({ex.id})" + (f", also called {', '.join(ex.aliases)}" if ex.aliases else ""))
    out.print(f"{ex.category.value.replace('_', ' ')}, difficulty {ex.difficulty}/5; "
              f"equipment: {', '.join(ex.equipment) or 'none'}; works: {', '.join(ex.target_muscles)}")
    out.print(f"\n[bold]Start:[/] {ex.start_position}")
    print_list(out, ex.instructions, numbered=True)
    out.print("\n[bold]Cues[/]")
    print_list(out, ex.cues)
    out.print("[bold]Common mistakes[/]")
    print_list(out, ex.mistakes)
    rows = []
    for level, d in ex.dosage.items():
        parts = []
        if d.reps:
            parts.append(f"{d.reps[0]}-{d.reps[1]} reps")
        if d.hold_s:
            parts.append(f"{d.hold_s[0]}-{d.hold_s[1]} s")
        side = " each side" if d.per_side else ""
        rows.append([level.value, f"{d.sets} x {' + '.join(parts)}{side}", f"{d.rest_s} s", str(d.sessions_per_week)])
    print_table(out, [Column("level"), Column("dose range", wrap=True, min_width=16), Column("rest", numeric=True),
                      Column("per week", numeric=True)], rows, title="Dose")
    if ex.contraindications:
        out.print("[bold]Left out of plans for:[/] " + ", ".join(c.value.replace("_", " ") for c in ex.contraindications))
    nav = [f"easier: {ex.regression}" if ex.regression else "", f"harder: {ex.progression}" if ex.progression else ""]
    if any(nav):
        out.print("; ".join(n for n in nav if n))
    out.print(f"[dim]Evidence ({ex.evidence.level.value}): {ex.evidence.note} "
              f"[{', '.join(ex.evidence.reference_ids)}][/]")


def _print_exercises(out: Console, plan: Plan, title: str, items: tuple[PrescribedExercise, ...]) -> None:
    from backstride.reports.plan_export import why

    minutes = sum(e.estimated_s for e in items) / 60
    print_table(out, [Column("exercise", wrap=True), Column("dose", wrap=True, min_width=14),
                      Column("why", wrap=True, min_width=14)],
                [[f"{e.name}\n[dim]{e.exercise_id}[/]", e.dose.describe(), why(plan, e)] for e in items],
                title=f"{title} (about {minutes:.0f} min)")


def render_plan(out: Console, plan: Plan, *, plan_id: int | None = None, runner: str | None = None) -> None:
    from backstride.plan.model import WEEKDAYS, AddressedBy

    who = f" for {runner}" if runner else ""
    if plan.is_referral and plan.referral is not None:
        body = plan.referral.what_to_do + "".join(f"\n- {r}" for r in plan.referral.reasons)
        out.print(Panel(body, title=f"[bold red]{plan.headline}[/]", border_style="red"))
        return
    style = "yellow" if plan.requires_clinician_agreement else "green"
    out.print(Panel(f"{plan.options.start_date.isoformat()} to {plan.end_date.isoformat()}"
                    + (f"  (plan {plan_id}{who})" if plan_id is not None else ""),
                    title=f"[bold]{plan.headline}[/]", border_style=style))
    first = plan.weeks[0]
    week_rows = []
    for offset in range(7):
        day = first.start + dt.timedelta(days=offset)
        titles = [s.title for s in first.sessions if s.date == day]
        week_rows.append([WEEKDAYS[day.weekday()], "; ".join(titles) or "rest"])
    print_table(out, [Column("day"), Column("what", wrap=True)], week_rows, title="Your week")
    for title, items in (("Before you run", plan.pre_run), ("After you run", plan.post_run),
                         ("Strength and control, week 1", plan.strength), ("Desk breaks", plan.desk)):
        if items:
            _print_exercises(out, plan, title, items)
    if plan.load_advice:
        out.print("[bold]Running load[/]")
        print_list(out, [f"{adv.text} [dim]({adv.source})[/]" for adv in plan.load_advice])
    if plan.form_cues:
        out.print("[bold]Form cues[/]")
        print_list(out, [c.cue + (f" [dim]Drills: {', '.join(c.drill_ids)}[/]" if c.drill_ids else "")
                         for c in plan.form_cues])
    if plan.addressed:
        rows = []
        for a in plan.addressed:
            detail = ", ".join(a.exercise_ids) if a.by is AddressedBy.EXERCISE else (a.advice or a.reason)
            if a.by is AddressedBy.ADVICE and a.reason:
                detail += f" [dim]({a.reason})[/]"
            rows.append([a.title + (f" ({a.side})" if a.side else ""), a.by.value.replace("_", " "), detail])
        print_table(out, [Column("finding", wrap=True, min_width=14), Column("how"),
                          Column("detail", wrap=True, min_width=20)],
                    rows, title="Your findings and how the plan answers them")
    if plan.progression_rules:
        rule = plan.progression_rules[0]
        pain = rule.max_pain_during_nrs
        out.print("[bold]Progress, hold or step back[/]")
        out.print(Padding(f"Move up when you reach the target in {rule.sessions_at_target} sessions with pain at "
                          f"most {pain}/10 that is back to normal next morning; hold at {pain}/10 or if morning "
                          f"pain rises; step back above {pain}/10, with limping or nerve symptoms.", (0, 0, 0, 2)))
    out.print("[bold]Stop rules[/]")
    print_list(out, plan.stop_rules)
    for n in plan.notes:
        out.print(f"[dim]{n}[/]")
    out.print("Instructions for any exercise: [bold]backstride exercise show ID[/]. "
              "Calendar: [bold]backstride plan export --ics plan.ics[/]")
