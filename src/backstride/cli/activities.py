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
    record,
    state,
    user_errors,
)
from backstride.units import format_duration

if TYPE_CHECKING:
    from backstride.activities.model import Activity
    from backstride.load.metrics import WeekRow
    from backstride.workflows.activities import ImportReport
    from backstride.workflows.workspace import Workspace

shoes_app = typer.Typer(help="Track distance on each pair of shoes.", no_args_is_help=True)
activity_app = typer.Typer(help="Look at one activity, or set its sport.", no_args_is_help=True)


def _parse_date(value: str | None, flag: str) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"{value!r} is not a date; use YYYY-MM-DD", param_hint=flag) from None


def import_cmd(
    ctx: typer.Context,
    paths: Annotated[list[Path] | None, typer.Argument(help="FIT/GPX/TCX files (also .gz), folders, or .zip exports.")] = None,
    runner: RunnerOpt = None,
    salvage: Annotated[bool, typer.Option("--salvage", help="Keep what can be read from damaged files, with a warning.")] = False,
    watch: Annotated[Path | None, typer.Option("--watch", help="Keep watching this folder and import new files as they appear (Ctrl-C stops).")] = None,
    watch_for: Annotated[float | None, typer.Option("--for", min=0.1, help="With --watch: stop after this many seconds.")] = None,
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

    from backstride.workflows.activities import ImportReport, import_paths

    if not paths and watch is None:
        raise typer.BadParameter("give the files or folders to import, or --watch FOLDER", param_hint="PATHS")
    report = ImportReport()
    with user_errors(as_json):
        ws = state(ctx).workspace
        if paths:
            with Progress(TextColumn("[progress.description]{task.description}"), BarColumn(), MofNCompleteColumn(),
                          TimeRemainingColumn(), console=err_console, transient=True,
                          disable=as_json or not err_console.is_terminal) as bar:
                task = bar.add_task("Importing", total=None)

                def progress(done: int, total: int, _path: str) -> None:
                    bar.update(task, completed=done, total=total)

                report = import_paths(ws, runner, paths, progress=progress, salvage=salvage)
            if not as_json:
                _print_report(report)
        if watch is not None:
            report.files.extend(_watch(ws, runner, watch, salvage, watch_for, as_json).files)
    if as_json:
        emit_json(report.to_dict())
    elif not watch:
        console.print(f"{report.count('imported')} imported, {report.count('duplicate')} already there, "
                      f"{report.rejected} rejected.", highlight=False)
    if report.rejected:
        raise typer.Exit(1)


def _print_report(report: ImportReport) -> None:
    for f in report.files:
        if f.status == "rejected":
            err_console.print(f"[red]rejected[/]  {f.error}", highlight=False)
        else:
            if f.status == "imported":
                for a in f.activities:
                    console.print(f"[green]imported[/]  {Path(f.path).name}: #{a.id} {_sport_cell(a)}, "
                                  f"{(a.distance_m or 0) / 1000:.2f} km, {a.start_time:%Y-%m-%d %H:%M}", highlight=False)
            for w in f.warnings:
                console.print(f"[yellow]note[/]      {f.path}: {w}", highlight=False)


def _watch(ws: Workspace, runner: str | None, folder: Path, salvage: bool, seconds: float | None,
           quiet: bool) -> ImportReport:
    """Watch until Ctrl-C (or ``seconds``); everything imported on the way, as one report."""
    import threading
    import time

    from backstride.workflows.activities import FolderWatch, ImportReport

    watcher = FolderWatch(ws, runner, folder, salvage=salvage)
    watcher.poll()  # fails early with a clear message if the folder is missing
    total = ImportReport()
    if not quiet:
        err_console.print(f"Watching {folder} for new activity files. Press Ctrl-C to stop.", highlight=False)

    def on_report(report: ImportReport) -> None:
        total.files.extend(report.files)
        if not quiet:
            _print_report(report)

    stop = threading.Event()
    try:
        watcher.run(stop, on_report, until=None if seconds is None else time.monotonic() + seconds)
    except KeyboardInterrupt:
        stop.set()
    if not quiet:
        console.print(f"Stopped watching: {total.count('imported')} imported, {total.count('duplicate')} already "
                      f"there, {total.rejected} rejected.", highlight=False)
    return total


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
               Column("spm", numeric=True, drop=2), Column("W", numeric=True, drop=4), Column("dynamics", drop=1)]
    rows = [[str(a.id), a.start_time.strftime("%Y-%m-%d %H:%M"), _sport_cell(a),
             f"{(a.distance_m or 0) / 1000:.2f}", format_duration(a.timer_s),
             f"{a.avg_hr_bpm:.0f}" if a.avg_hr_bpm else "-",
             f"{a.avg_cadence_spm:.0f}" if a.avg_cadence_spm else "-",
             f"{a.avg_power_w:.0f}" if a.avg_power_w else "-", "yes" if a.has_running_dynamics else ""]
            for a in acts]
    hidden = print_table(console, columns, rows)
    notes = {"HR": "average heart rate (bpm)", "spm": "average cadence (steps per minute)",
             "W": "average power (watts)", "dynamics": "running dynamics measured by a sensor"}
    console.print("[dim]" + "; ".join(f"{k}: {v}" for k, v in notes.items() if k not in hidden)
                  + ". (guessed): the file did not say the sport; (check): too fast for a run, not counted "
                  "until you confirm it with backstride activity sport ID running.[/]", highlight=False)


def _sport_cell(a: Activity) -> str:
    label = _sport_label(a.sport, a.sub_sport)
    if a.needs_sport_confirmation:
        return f"{label} (check)"
    if a.sport_source == "inferred":
        return f"{label} (guessed)"
    return label


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
        emit_json(record(shoe.id, shoe, runner=runner or state(ctx).settings.runner))
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
        emit_json(record(shoe.id, shoe, runner=runner or state(ctx).settings.runner))
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


def _activity_doc(a: Activity) -> dict[str, object]:
    d = a.dynamics
    return dict(a.summary_dict(), name=a.name, device=a.device, gear=a.gear, ascent_m=a.ascent_m,
                descent_m=a.descent_m, max_hr_bpm=a.max_hr_bpm, avg_speed_mps=a.avg_speed_mps,
                power_source=a.power_source, dynamics=d.to_dict())


_DYNAMICS_LABELS = (("stance_time_ms", "Ground contact time", "ms", 0), ("stance_time_balance_pct", "Contact balance (left)", "%", 1),
                    ("vertical_oscillation_mm", "Vertical oscillation", "mm", 0), ("vertical_ratio_pct", "Vertical ratio", "%", 1),
                    ("step_length_mm", "Step length", "mm", 0), ("form_power_w", "Form power", "W", 0),
                    ("leg_spring_stiffness_kn_m", "Leg spring stiffness", "kN/m", 1))


def _print_activity(a: Activity) -> None:
    from backstride.activities.sport import SPORT_WORDS

    console.print(f"[bold]Activity #{a.id}[/]: {a.name or _sport_label(a.sport, a.sub_sport)}, "
                  f"{a.start_time.strftime('%Y-%m-%d %H:%M')} UTC", highlight=False)
    sport = _sport_label(a.sport, a.sub_sport)
    if a.sport_source == "inferred":
        sport += f" (guessed from the track, {a.sport_confidence * 100:.0f} % confident)" if a.sport_confidence else " (guessed)"
    elif a.sport_source == "runner":
        sport += " (set by you)"
    console.print(f"Sport: {sport}. " + ("Counts in running load." if a.is_run else
                  "Waiting for you to confirm it was a run; not in running load." if a.needs_sport_confirmation
                  else "Not counted as running."), highlight=False)
    lines = [("Distance", f"{(a.distance_m or 0) / 1000:.2f} km" if a.distance_m is not None else "not recorded"),
             ("Moving time", format_duration(a.timer_s)), ("Elapsed time", format_duration(a.elapsed_s))]
    if a.avg_speed_mps:
        minutes, sec = divmod(round(1000.0 / a.avg_speed_mps), 60)
        lines.append(("Average speed", f"{a.avg_speed_mps * 3.6:.1f} km/h ({minutes}:{sec:02d}/km)"))
    if a.ascent_m is not None:
        lines.append(("Climb / descent", f"{a.ascent_m:.0f} m / {(a.descent_m or 0):.0f} m"))
    if a.avg_hr_bpm:
        lines.append(("Heart rate", f"{a.avg_hr_bpm:.0f} bpm average" + (f", {a.max_hr_bpm:.0f} max" if a.max_hr_bpm else "")))
    if a.avg_cadence_spm:
        lines.append(("Cadence", f"{a.avg_cadence_spm:.0f} steps/min"))
    if a.avg_power_w:
        lines.append(("Power", f"{a.avg_power_w:.0f} W average" + (f" (from the {a.power_source})" if a.power_source else "")))
    d = a.dynamics
    for key, label, unit, digits in _DYNAMICS_LABELS:
        value = getattr(d, key)
        if value is not None:
            src = d.sources.get(key)
            lines.append((label, f"{value:.{digits}f} {unit}" + (f" (from the {src})" if src else "")))
    if not a.has_running_dynamics and a.sport in SPORT_WORDS:
        lines.append(("Running dynamics", "not measured (needs a chest strap, pod or Stryd)"))
    width = max(len(k) for k, _ in lines)
    for k, v in lines:
        console.print(f"  {k.ljust(width)}  {v}", highlight=False)
    if a.device:
        console.print(f"Recorded with {a.device}.", highlight=False)
    if a.warnings:
        console.print("What the import noticed:")
        for w in a.warnings:
            console.print(f"  - {w}", highlight=False)


@activity_app.command("show")
def activity_show(ctx: typer.Context, activity_id: Annotated[int, typer.Argument(help="The activity's number (see backstride activities).")],
                  runner: RunnerOpt = None, as_json: JsonFlag = False) -> None:
    """An activity's values, where they came from, and what the import corrected."""
    from backstride.workflows.activities import get_activity

    with user_errors(as_json):
        act = get_activity(state(ctx).workspace, runner, activity_id)
    if as_json:
        emit_json(record(act.id, _activity_doc(act), runner=runner or state(ctx).settings.runner))
    else:
        _print_activity(act)


@activity_app.command("sport")
def activity_sport(ctx: typer.Context,
                   activity_id: Annotated[int, typer.Argument(help="The activity's number (see backstride activities).")],
                   sport: Annotated[str, typer.Argument(help="running, walking, hiking, cycling, swimming or other.")],
                   runner: RunnerOpt = None, as_json: JsonFlag = False) -> None:
    """Set or correct the sport of an activity (running load updates). 'running' also confirms a held run."""
    from backstride.workflows.activities import set_sport

    with user_errors(as_json):
        act = set_sport(state(ctx).workspace, runner, activity_id, sport)
    if as_json:
        emit_json(record(act.id, _activity_doc(act), runner=runner or state(ctx).settings.runner))
    else:
        counted = "it counts in your running load" if act.is_run else "it is not counted as running"
        console.print(f"Activity #{act.id} is now {_sport_label(act.sport, act.sub_sport)}; {counted}.", highlight=False)


def register(app: typer.Typer) -> None:
    app.command("import")(import_cmd)
    app.command("activities")(activities_cmd)
    app.command("load")(load_cmd)
    app.add_typer(shoes_app, name="shoes")
    app.add_typer(activity_app, name="activity")
