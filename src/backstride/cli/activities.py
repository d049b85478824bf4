"""``backstride import``, ``activities``, ``load`` and ``shoes``."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from backstride.cli.common import (
    JsonFlag,
    RunnerOpt,
    console,
    emit_json,
    err_console,
    state,
    user_errors,
)
from backstride.units import format_duration

if TYPE_CHECKING:
    from backstride.load.metrics import WeekRow

shoes_app = typer.Typer(help="Track distance on each pair of shoes.", no_args_is_help=True)


def _parse_date(value: str | None, flag: str) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"{value!r} is not a date; use YYYY-MM-DD", param_hint=flag) from None


def import_cmd(
    ctx: typer.Context,
    paths: Annotated[list[Path], typer.Argument(help="FIT/GPX/TCX files (also .gz), folders, or .zip exports.")],
    runner: RunnerOpt = None,
    salvage: Annotated[bool, typer.Option("--salvage", help="Keep what can be read from damaged files, with a warning.")] = False,
    as_json: JsonFlag = False,
) -> None:
    """Import activity files, folders and Strava or Garmin exports. Exit code 1 if any file was rejected."""
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeRemainingColumn,
    )

    from backstride.workflows.activities import import_paths

    with user_errors(as_json):
        ws = state(ctx).workspace
        with Progress(TextColumn("[progress.description]{task.description}"), BarColumn(), MofNCompleteColumn(),
                      TimeRemainingColumn(), console=err_console, transient=True,
                      disable=as_json or not err_console.is_terminal) as bar:
            task = bar.add_task("Importing", total=None)

            def progress(done: int, total: int, _path: str) -> None:
                bar.update(task, completed=done, total=total)

            report = import_paths(ws, runner, paths, progress=progress, salvage=salvage)
    if as_json:
        emit_json(report.to_dict())
    else:
        for f in report.files:
            if f.status == "rejected":
                err_console.print(f"[red]rejected[/]  {f.error}", highlight=False)
            elif f.warnings:
                for w in f.warnings:
                    console.print(f"[yellow]note[/]      {f.path}: {w}", highlight=False)
        console.print(f"{report.count('imported')} imported, {report.count('duplicate')} already there, "
                      f"{report.rejected} rejected.", highlight=False)
    if report.rejected:
        raise typer.Exit(1)


def activities_cmd(
    ctx: typer.Context,
    runner: RunnerOpt = None,
    since: Annotated[str | None, typer.Option("--since", help="Only from this date (YYYY-MM-DD).")] = None,
    as_json: JsonFlag = False,
) -> None:
    """List imported activities, oldest first."""
    from backstride.workflows.activities import list_activities

    since_day = _parse_date(since, "--since")
    with user_errors(as_json):
        acts = list_activities(state(ctx).workspace, runner, since=since_day)
    if as_json:
        emit_json({"activities": [dict(a.summary_dict(), name=a.name, device=a.device, gear=a.gear,
                                       ascent_m=a.ascent_m, descent_m=a.descent_m) for a in acts]})
        return
    if not acts:
        console.print("No activities yet. Import some with [bold]backstride import PATH[/].")
        return
    from backstride.cli.tables import Column, print_table

    columns = [Column("id", numeric=True), Column("start (UTC)"), Column("sport"), Column("km", numeric=True),
               Column("time", numeric=True), Column("HR", numeric=True, drop=3),
               Column("spm", numeric=True, drop=2), Column("dynamics", drop=1)]
    rows = [[str(a.id), a.start_time.strftime("%Y-%m-%d %H:%M"), _sport_label(a.sport, a.sub_sport),
             f"{(a.distance_m or 0) / 1000:.2f}", format_duration(a.timer_s),
             f"{a.avg_hr_bpm:.0f}" if a.avg_hr_bpm else "-",
             f"{a.avg_cadence_spm:.0f}" if a.avg_cadence_spm else "-", "yes" if a.has_running_dynamics else ""]
            for a in acts]
    print_table(console, columns, rows)
    console.print("[dim]HR: average heart rate (bpm); spm: average cadence (steps per minute); dynamics: "
                  "running dynamics recorded.[/]", highlight=False)


def _sport_label(sport: str, sub_sport: str | None) -> str:
    """Short sport names: a treadmill or trail run says just that."""
    if sport == "running" and sub_sport in ("treadmill", "trail", "track", "indoor_running"):
        return f"{sub_sport.replace('_', ' ')} run"
    return sport + (f"/{sub_sport}" if sub_sport and sub_sport != "generic" else "")


def _hours_minutes(seconds: float) -> str:
    """``14412`` -> ``"4:00"``: weekly totals need no seconds."""
    h, m = divmod(round(seconds / 60), 60)
    return f"{h}:{m:02d}"


def load_cmd(
    ctx: typer.Context,
    runner: RunnerOpt = None,
    weeks: Annotated[int, typer.Option("--weeks", min=1, max=520, help="Weeks to show.")] = 8,
    today: Annotated[str | None, typer.Option("--today", help="Evaluate as of this date (YYYY-MM-DD).")] = None,
    as_json: JsonFlag = False,
) -> None:
    """Weekly running load, recent changes, and load findings."""
    from backstride.load.shoes import pairs_in_rotation
    from backstride.load.summary import load_findings
    from backstride.workflows.activities import load_summary

    day = _parse_date(today, "--today")
    with user_errors(as_json):
        summary = load_summary(state(ctx).workspace, runner, weeks=weeks, today=day)
        findings = load_findings(summary)
    if as_json:
        emit_json({"summary": summary.to_dict(), "findings": [f.to_dict() for f in findings]})
        return
    _print_weeks(summary.weeks, summary.load_unit)
    if summary.weeks:
        road = sum(w.road_m for w in summary.weeks) / 1000
        trail = sum(w.trail_m for w in summary.weeks) / 1000
        treadmill = sum(w.treadmill_m for w in summary.weeks) / 1000
        pairs = pairs_in_rotation(summary.shoes)
        console.print(f"Surfaces over these weeks: {road:.0f} km road, {trail:.0f} km trail, {treadmill:.0f} km "
                      f"treadmill. Shoes in rotation (last 28 days): {pairs}.", highlight=False)
    latest = summary.latest_day
    if latest is not None:
        ratio = "not enough history" if latest.ratio is None else f"{latest.ratio:.2f}"
        console.print(f"Fitness {latest.fitness:.0f}, fatigue {latest.fatigue:.0f}, form {latest.form:+.0f}; "
                      f"acute:chronic ratio {ratio} (information only, see notes).", highlight=False)
    if not findings:
        console.print("No load findings.")
    from rich.padding import Padding

    for f in findings:
        console.print(f"[bold]{f.title}[/] ({f.severity.value}, evidence {f.evidence.level.value})", highlight=False)
        console.print(Padding(f.explanation, (0, 0, 0, 2)), highlight=False)
        if f.advice:
            console.print(Padding(f"[dim]{f.advice}[/]", (0, 0, 0, 2)), highlight=False)


def _print_weeks(weeks: list[WeekRow], load_unit: str) -> None:
    """One row per week; the year goes in the title, or on a row of its own when the weeks span several."""
    from backstride.cli.tables import Column, print_table

    years = sorted({w.week_start.year for w in weeks})
    columns = [Column("week"), Column("runs", numeric=True), Column("km", numeric=True),
               Column("h:mm", numeric=True, drop=4), Column("long km", numeric=True, drop=2),
               Column("change", numeric=True, drop=1), Column("up m", numeric=True, drop=7),
               Column("down km", numeric=True, drop=8), Column("load", numeric=True, drop=5),
               Column("mono", numeric=True, drop=9)]
    rows: list[list[str]] = []
    year = None if len(years) > 1 else years[0] if years else None
    for w in weeks:
        if len(years) > 1 and w.week_start.year != year:
            year = w.week_start.year
            rows.append([f"[bold]{year}[/]"] + [""] * (len(columns) - 1))
        rows.append([w.week_start.strftime("%m-%d"), str(w.runs), f"{w.distance_m / 1000:.1f}", _hours_minutes(w.time_s),
                     f"{w.long_run_m / 1000:.1f}", "-" if w.change is None else f"{w.change * 100:+.0f}%",
                     f"{w.ascent_m:.0f}", f"{w.downhill_m / 1000:.1f}", f"{w.load:.0f}",
                     "-" if w.monotony is None else f"{w.monotony:.1f}"])
    span = f", {years[0]}" if len(years) == 1 else ""
    hidden = print_table(console, columns, rows, title=f"Running load by week (weeks start on Monday{span})")
    notes = {"long km": "longest run", "change": "distance vs the week before", "up m": "climbing",
             "down km": "downhill running", "load": f"session load ({load_unit})", "mono": "monotony (Foster)"}
    console.print("[dim]" + "; ".join(f"{k}: {v}" for k, v in notes.items() if k not in hidden) + ".[/]",
                  highlight=False)


@shoes_app.command("add")
def shoes_add(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="A name you will recognise, e.g. 'Pegasus blue'.")],
    runner: RunnerOpt = None,
    retire_at_km: Annotated[float | None, typer.Option("--retire-at-km", help="Retirement distance (default from settings, 800 km; a convention).")] = None,
    start_km: Annotated[float, typer.Option("--start-km", help="Distance already on the pair.")] = 0.0,
    added: Annotated[str | None, typer.Option("--added", help="First day of use (YYYY-MM-DD, default today).")] = None,
    not_current: Annotated[bool, typer.Option("--not-current", help="Do not make this the pair new runs are counted on.")] = False,
    as_json: JsonFlag = False,
) -> None:
    """Add a pair; new runs are counted on it unless --not-current."""
    from backstride.workflows.activities import add_shoe

    with user_errors(as_json):
        shoe = add_shoe(state(ctx).workspace, runner, name, retirement_km=retire_at_km, start_km=start_km,
                        added_on=_parse_date(added, "--added"), current=not not_current)
    if as_json:
        emit_json({"shoe": shoe})
    else:
        console.print(f"Added '{shoe.name}' (retire at {shoe.retirement_km:.0f} km).", highlight=False)


@shoes_app.command("list")
def shoes_list(ctx: typer.Context, runner: RunnerOpt = None, as_json: JsonFlag = False) -> None:
    """Distance on each pair and the number of pairs in rotation."""
    from backstride.load.shoes import pairs_in_rotation
    from backstride.workflows.activities import list_shoes

    with user_errors(as_json):
        statuses = list_shoes(state(ctx).workspace, runner)
    if as_json:
        emit_json({"shoes": [s.to_dict() for s in statuses], "pairs_in_rotation": pairs_in_rotation(statuses)})
        return
    if not statuses:
        console.print("No shoes yet. Add a pair with [bold]backstride shoes add NAME[/].")
        return
    from backstride.cli.tables import Column, print_table

    columns = [Column("name", wrap=True, min_width=12), Column("km", numeric=True), Column("retire km", numeric=True),
               Column("runs", numeric=True, drop=2), Column("last used", drop=1), Column("status"),
               Column("current", drop=3)]
    rows = [[s.shoe.name, f"{s.distance_km:.0f}", f"{s.shoe.retirement_km:.0f}", str(s.runs),
             s.last_used.isoformat() if s.last_used else "-", s.status.replace("_", " "),
             "yes" if s.shoe.is_current else ""] for s in statuses]
    print_table(console, columns, rows)
    console.print(f"{pairs_in_rotation(statuses)} pair(s) used in the last 28 days. The retirement distance "
                  "is a convention (500-800 km), not an evidence-based limit.", highlight=False)


@shoes_app.command("retire")
def shoes_retire(ctx: typer.Context, name: Annotated[str, typer.Argument()], runner: RunnerOpt = None,
                 on: Annotated[str | None, typer.Option("--on", help="Retirement date (default today).")] = None,
                 as_json: JsonFlag = False) -> None:
    """Retire a pair; it stays in the list with its distance."""
    from backstride.workflows.activities import retire_shoe

    with user_errors(as_json):
        shoe = retire_shoe(state(ctx).workspace, runner, name, _parse_date(on, "--on"))
    if as_json:
        emit_json({"shoe": shoe})
    else:
        console.print(f"Retired '{shoe.name}'.", highlight=False)


@shoes_app.command("assign")
def shoes_assign(
    ctx: typer.Context, name: Annotated[str, typer.Argument()], runner: RunnerOpt = None,
    activity: Annotated[list[int] | None, typer.Option("--activity", min=1, max=2**31 - 1,
                                                                help="Activity id (repeatable).")] = None,
    since: Annotated[str | None, typer.Option("--since", help="Every run from this date.")] = None,
    until: Annotated[str | None, typer.Option("--until", help="...up to and including this date.")] = None,
    current: Annotated[bool, typer.Option("--current", help="Also count new runs on this pair.")] = False,
    as_json: JsonFlag = False,
) -> None:
    """Count runs on a pair (by id, or every run in a date range)."""
    from backstride.workflows.activities import assign_shoe

    with user_errors(as_json):
        n = assign_shoe(state(ctx).workspace, runner, name, activity_ids=activity,
                        since=_parse_date(since, "--since"), until=_parse_date(until, "--until"), make_current=current)
    if as_json:
        emit_json({"assigned": n, "shoe": name})
    else:
        console.print(f"{n} run(s) counted on '{name}'.", highlight=False)


def register(app: typer.Typer) -> None:
    app.command("import")(import_cmd)
    app.command("activities")(activities_cmd)
    app.command("load")(load_cmd)
    app.add_typer(shoes_app, name="shoes")
