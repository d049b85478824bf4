"""``backstride log``, ``backstride today`` and ``backstride progress``: the daily follow-up loop."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Annotated, Any

import click
import typer
import yaml
from rich.table import Table

from backstride.cli.common import (
    JsonFlag,
    RunnerOpt,
    console,
    emit_json,
    record,
    state,
    user_errors,
)
from backstride.errors import InputError, Problem, ValidationFailed

DayOpt = Annotated[str | None, typer.Option("--day", help="Date YYYY-MM-DD (default: today).")]
_LIGHT_STYLE = {"green": "bold green", "amber": "bold yellow", "red": "bold red"}


def register(app: typer.Typer) -> None:
    app.command("log")(log)
    app.command("today")(today)
    app.command("progress")(progress)


def _day(text: str | None) -> dt.date:
    if not text:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ValidationFailed("--day", [Problem("day", f"{text!r} is not a date", "YYYY-MM-DD")]) from None


def _parse_exercise(text: str) -> dict[str, Any]:
    """``bird_dog:3x10:2`` (id, sets x reps, pain) or ``side_plank:3x30s`` (a hold in seconds)."""
    parts = text.split(":")
    if len(parts) not in (2, 3) or "x" not in parts[1]:
        raise ValidationFailed("--exercise", [Problem("exercise", f"{text!r} is not understood",
                                                      "ID:SETSxREPS[:PAIN] or ID:SETSxSECONDSs[:PAIN], "
                                                      "e.g. bird_dog:3x10:2 or side_plank:3x30s")])
    sets, _, amount = parts[1].partition("x")
    item: dict[str, Any] = {"exercise_id": parts[0], "sets": sets}
    if amount.endswith("s"):
        item["hold_s"] = amount[:-1]
    else:
        item["reps"] = amount
    if len(parts) == 3:
        item["pain_during"] = parts[2]
    return item


def _read_file(path: Path) -> list[dict[str, Any]]:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise InputError(f"{path}: cannot be read ({exc.strerror})", hint="check the path") from exc
    try:
        data = json.loads(text) if path.suffix.lower() == ".json" else yaml.safe_load(text)
    except (ValueError, yaml.YAMLError) as exc:
        raise InputError(f"{path}: is not valid {'JSON' if path.suffix.lower() == '.json' else 'YAML'}: {exc}",
                         hint="one check-in as a mapping, or a list of them") from exc
    items = data if isinstance(data, list) else [data]
    if not items or not all(isinstance(i, dict) for i in items):
        raise InputError(f"{path}: must hold one check-in (a mapping) or a list of them",
                         hint="see `backstride log --help` for the field names")
    return items


# ---------------------------------------------------------------- interactive


class _Prompter:
    """Short questions; Enter keeps the default shown, '-' skips the question."""

    def __init__(self, err: bool) -> None:
        self.err = err

    def _ask(self, text: str, default: str) -> str:
        answer: str = click.prompt(text, default=default, show_default=bool(default), err=self.err)
        return answer.strip()

    def number(self, text: str, default: float | None, lo: float, hi: float, *, whole: bool = True) -> float | None:
        shown = "" if default is None else (f"{default:g}" if isinstance(default, float) else str(default))
        while True:
            raw = self._ask(text, shown or "-")
            if raw in ("-", ""):
                return None
            try:
                value = int(raw) if whole else float(raw)
            except ValueError:
                click.echo(f"  Please type a {'whole ' if whole else ''}number from {lo:g} to {hi:g}.", err=self.err)
                continue
            if lo <= value <= hi:
                return value
            click.echo(f"  Please type a number from {lo:g} to {hi:g}.", err=self.err)

    def yes(self, text: str, default: bool = False) -> bool:
        return bool(click.confirm(text, default=default, err=self.err))

    def text(self, text: str) -> str:
        answer = self._ask(text + " (Enter to skip)", "-")
        return "" if answer == "-" else answer


def _interactive(ws: Any, runner: str | None, day: dt.date, err: bool) -> dict[str, Any]:
    from backstride.journal.entry import defaults_from
    from backstride.journal.questions import red_flag_questions
    from backstride.workflows import journal

    existing = journal.get_entry(ws, runner, day)
    base = existing or defaults_from(journal.previous_entry(ws, runner, day), day)
    decision = journal.decide_today(ws, runner, day)
    ask = _Prompter(err)
    click.echo(f"Check-in for {day.isoformat()}. Enter keeps the value in brackets, '-' skips.", err=err)
    out: dict[str, Any] = {"day": day.isoformat()}
    out["pain_now"] = ask.number("Back pain right now (0-10)", base.pain_now, 0, 10)
    out["pain_morning"] = ask.number("Back pain when you woke up (0-10)", base.pain_morning, 0, 10)
    out["stiffness_morning_min"] = ask.number("Morning stiffness, minutes", base.stiffness_morning_min, 0, 720)
    if ask.yes("Did you run today?", default=base.ran):
        out["pain_during_run"] = ask.number("Worst pain during the run (0-10)", base.pain_during_run, 0, 10)
        out["pain_after_run"] = ask.number("Pain after the run (0-10)", base.pain_after_run, 0, 10)
        out["run_rpe"] = ask.number("How hard was it, effort 0-10", base.run_rpe, 0, 10)
        km = ask.number("Distance, km", (base.run_distance_m or 0) / 1000 or None, 0, 200, whole=False)
        out["run_distance_m"] = None if km is None else km * 1000
        if decision.ladder.active:
            out["runwalk_repeats"] = ask.number("Run-walk repeats finished", base.runwalk_repeats, 0, 50)
    out["limping"] = ask.yes("Are you limping?", default=False)
    out["nerve_symptoms"] = ask.yes("New tingling, numbness or weakness in a leg?", default=False)
    flags = red_flag_questions()
    click.echo("Any of these since your last check-in?", err=err)
    for i, q in enumerate(flags.values(), start=1):
        click.echo(f"  {i}. {q.question}", err=err)
    while True:
        raw = ask._ask("Numbers of any that apply, comma separated (Enter for none)", "-")
        picked = [p.strip() for p in raw.replace(" ", ",").split(",") if p.strip() and p.strip() != "-"]
        if all(p.isdigit() and 1 <= int(p) <= len(flags) for p in picked):
            codes = list(flags)
            out["red_flags"] = [codes[int(p) - 1] for p in picked]
            break
        click.echo(f"  Please type numbers from 1 to {len(flags)}, or press Enter.", err=err)
    planned = [e for e in decision.planned.exercises if not e.skip]
    if planned and ask.yes(f"Did you do today's {len(planned)} planned exercises as written?", default=True):
        pain = ask.number("Worst pain during them (0-10)", 0, 0, 10)
        out["exercises"] = [{"exercise_id": e.exercise_id, "sets": e.dose.sets, "reps": e.dose.reps,
                             "hold_s": e.dose.hold_s, "pain_during": pain} for e in planned]
    elif planned:
        logged = []
        for e in planned:
            sets = ask.number(f"{e.name} ({e.dose.describe()}): sets done", None, 0, 20)
            if sets:
                logged.append({"exercise_id": e.exercise_id, "sets": sets, "reps": e.dose.reps,
                               "hold_s": e.dose.hold_s,
                               "pain_during": ask.number("  pain during (0-10)", 0, 0, 10)})
        out["exercises"] = logged
    out["notes"] = ask.text("Anything else to note?")
    return out


# ---------------------------------------------------------------- commands


def log(
    ctx: typer.Context,
    day: DayOpt = None,
    pain_now: Annotated[int | None, typer.Option(help="Back pain now, 0-10.")] = None,
    pain_morning: Annotated[int | None, typer.Option(help="Back pain on waking, 0-10.")] = None,
    stiffness_min: Annotated[int | None, typer.Option(help="Morning stiffness, minutes.")] = None,
    pain_during_run: Annotated[int | None, typer.Option(help="Worst pain during today's run, 0-10.")] = None,
    pain_after_run: Annotated[int | None, typer.Option(help="Pain after today's run, 0-10.")] = None,
    rpe: Annotated[int | None, typer.Option(help="Perceived effort of the run, 0-10.")] = None,
    distance_km: Annotated[float | None, typer.Option(help="Run distance, km.")] = None,
    duration_min: Annotated[float | None, typer.Option(help="Run duration, minutes.")] = None,
    repeats: Annotated[int | None, typer.Option(help="Run-walk repeats finished (on the return-to-run ladder).")] = None,
    limping: Annotated[bool | None, typer.Option("--limping/--no-limping", help="Limping today?")] = None,
    nerve: Annotated[bool | None, typer.Option("--nerve/--no-nerve",
                                               help="New tingling, numbness or weakness?")] = None,
    red_flag: Annotated[list[str] | None, typer.Option(help="A danger-sign code answered yes (repeatable).")] = None,
    exercise: Annotated[list[str] | None, typer.Option(
        help="An exercise done: ID:SETSxREPS[:PAIN] or ID:SETSxSECONDSs[:PAIN] (repeatable).")] = None,
    notes: Annotated[str | None, typer.Option(help="Free text.")] = None,
    file: Annotated[Path | None, typer.Option("--file", help="JSON or YAML: one check-in or a list.")] = None,
    runner: RunnerOpt = None,
    as_json: JsonFlag = False,
) -> None:
    """Log today's check-in: interactive (about 30 s), or from flags, or from a file.

    Logging a day that already has a check-in changes it; the previous answers are kept.
    """
    from backstride.workflows import journal

    cli_state = state(ctx)
    flags: dict[str, Any] = {
        "pain_now": pain_now, "pain_morning": pain_morning, "stiffness_morning_min": stiffness_min,
        "pain_during_run": pain_during_run, "pain_after_run": pain_after_run, "run_rpe": rpe,
        "run_distance_m": None if distance_km is None else distance_km * 1000,
        "run_duration_s": None if duration_min is None else duration_min * 60,
        "runwalk_repeats": repeats, "limping": limping, "nerve_symptoms": nerve,
        "red_flags": list(red_flag) if red_flag else None, "notes": notes,
    }
    given = {k: v for k, v in flags.items() if v is not None}
    with user_errors(as_json):
        ws = cli_state.workspace
        name = runner or cli_state.settings.runner
        today_date = dt.date.today()
        if exercise:
            given["exercises"] = [_parse_exercise(x) for x in exercise]
        stored: list[tuple[int, Any]] = []
        if file is not None:
            if given:
                raise InputError("--file cannot be combined with answer flags", hint="put every answer in the file")
            entries = [journal.validate({**item, "day": item.get("day", (day or today_date.isoformat()))})
                       for item in _read_file(file)]   # every entry checked before any is stored
            for entry in entries:
                stored.append((journal.log_entry(ws, name, entry, today=today_date), entry))
        else:
            the_day = _day(day)
            if given:   # flags change only those answers; --exercise rows merge by exercise id
                stored.append(journal.log_answers(ws, name, the_day, given, today=today_date))
            else:
                _shown, revision = journal.get_entry_revision(ws, name, the_day)
                entry = journal.validate(_interactive(ws, name, the_day, as_json))
                # merged field by field with anything stored for the day while the questions were asked
                stored.append((journal.log_entry(ws, name, entry, today=today_date, base_revision=revision), entry))
        decision = journal.decide_today(ws, name, today_date)
    if as_json:
        emit_json({"runner": name, "entries": [record(i, e) for i, e in stored], "today": decision.to_dict()})
        return
    days = ", ".join(e.day.isoformat() for _, e in stored)
    console.print(f"Saved the check-in for {days}.")
    _print_decision(decision)


def today(ctx: typer.Context, day: DayOpt = None, runner: RunnerOpt = None, as_json: JsonFlag = False) -> None:
    """Run today? A green, amber or red answer with its reasons, caps and today's session."""
    from backstride.workflows import journal

    cli_state = state(ctx)
    with user_errors(as_json):
        decision = journal.decide_today(cli_state.workspace, runner or cli_state.settings.runner, _day(day))
    if as_json:
        emit_json(decision.to_dict())
        return
    _print_decision(decision)


def _print_decision(decision: Any) -> None:
    light = decision.light.value
    console.print(f"[{_LIGHT_STYLE[light]}]{light.upper()}[/] for {decision.day.isoformat()}", highlight=False)
    for r in decision.reasons:
        console.print(f"  - {r.message} [dim]({r.source})[/]", highlight=False)
    if not decision.reasons:
        console.print("  - Nothing in your check-ins or your load says to hold back.", highlight=False)
    console.print(f"\n{decision.what_to_do}", highlight=False)
    if any(r.code == "journal.triage_refers" for r in decision.reasons):
        return  # an emergency or urgent screening: its instruction only, nothing about training
    caps = decision.caps
    if caps.max_distance_m or caps.max_duration_s:
        limit = (f"{caps.max_distance_m / 1000:.1f} km" if caps.max_distance_m
                 else f"{round(caps.max_duration_s / 60)} min")
        console.print(f"Cap: {limit} ({caps.basis}; source {caps.source})", highlight=False)
    if decision.planned.run:
        console.print(f"Run: {decision.planned.run}", highlight=False)
    if decision.planned.exercises:
        table = Table("exercise", "dose", "why")
        for e in decision.planned.exercises:
            table.add_row(e.name, "skip" if e.skip else e.dose.describe(), e.why)
        console.print(table)
    if decision.back_to_screening:
        console.print("[bold red]Please run `backstride screen` now.[/]")
    elif decision.rescreen and decision.flare is not None:
        console.print(f"{decision.flare.message()} Run `backstride screen`.", highlight=False)
    if not decision.checked_in:
        console.print("Log today's check-in with `backstride log`.", highlight=False)
    console.print(f"[dim]{decision.note}[/]", highlight=False)


def progress(ctx: typer.Context, day: DayOpt = None, weeks: Annotated[int, typer.Option(
        min=1, max=52, help="How many weeks of pain trend to show.")] = 8,
             runner: RunnerOpt = None, as_json: JsonFlag = False) -> None:
    """Pain trend, weekly adherence, self-tests, and how next-morning pain follows longer runs."""
    from backstride.workflows import journal

    cli_state = state(ctx)
    with user_errors(as_json):
        result = journal.progress(cli_state.workspace, runner or cli_state.settings.runner, _day(day),
                                  days=weeks * 7)
    if as_json:
        emit_json(result.to_dict())
        return
    _print_progress(result)


def _print_progress(result: Any) -> None:
    if not result.entries_logged:
        console.print("No check-ins yet. Start with [bold]backstride log[/].")
        return
    means = [p for p in result.pain if p.mean_7d is not None]
    if means:
        first, last = means[0], means[-1]
        console.print(f"Pain, 7-day mean: {last.mean_7d:.1f}/10 on {last.day.isoformat()} "
                      f"(was {first.mean_7d:.1f}/10 on {first.day.isoformat()}).", highlight=False)
    else:
        console.print("Pain trend: at least 3 ratings in a week are needed for a 7-day mean.")
    if result.adherence:
        table = Table("week of", "planned", "done", "adherence")
        for w in result.adherence:
            table.add_row(w.week_start.isoformat(), str(w.planned), str(w.done),
                          "-" if w.fraction is None else f"{w.fraction:.0%}")
        console.print(table)
    for series in result.self_tests:
        values = ", ".join(f"{v:g} {series.unit}" for _, v in series.points)
        console.print(f"{series.name}: {values}", highlight=False)
    console.print(result.load_pain.statement, highlight=False)
    if result.changes:
        console.print("Plan changes:")
        for c in result.changes[-10:]:
            console.print(f"  {c.day.isoformat()} {c.subject}: {c.kind} ({c.reason})", highlight=False)
    if result.flare is not None:
        console.print(result.flare.message(), highlight=False)
    console.print(f"[dim]{result.note}[/]", highlight=False)
