"""``backstride form VIDEO`` (analyse a running video) and ``backstride form-list``."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.table import Table

from backstride.cli.common import (
    JsonFlag,
    RunnerOpt,
    console,
    emit_json,
    err_console,
    state,
    user_errors,
)

if TYPE_CHECKING:  # the use cases pull in numpy/scipy: load them only when a form command runs
    from backstride.workflows import form as wf


def register(app: typer.Typer) -> None:
    app.command("form")(form_cmd)
    app.command("form-list")(form_list_cmd)
    app.command("form-compare")(form_compare_cmd)


def form_cmd(
    ctx: typer.Context,
    video: Annotated[Path, typer.Argument(help="A 10-20 s phone video of running (MP4 or MOV).")],
    view: Annotated[str | None, typer.Option("--view", help="Camera view if the guess is wrong: sagittal-left, "
                                             "sagittal-right, rear or front.")] = None,
    capture_fps: Annotated[float | None, typer.Option("--capture-fps", help="Frame rate the phone filmed at, "
                                                      "for slow motion (e.g. 240).")] = None,
    slowmo: Annotated[float | None, typer.Option("--slowmo", help="How many times slower the video plays than "
                                                 "real life (e.g. 8).")] = None,
    height: Annotated[float | None, typer.Option("--height", help="Runner's height in cm: bounce in cm.")] = None,
    out: Annotated[Path | None, typer.Option("--out", help="Also copy the annotated video, plot and "
                                             "analysis to this folder.")] = None,
    no_video: Annotated[bool, typer.Option("--no-video", help="Skip the annotated video (faster).")] = False,
    pose_track: Annotated[Path | None, typer.Option("--pose-track", help="Reuse a pose track saved by an earlier "
                                                    "check (pose_track.npz) instead of running the model, e.g. "
                                                    "to analyse again with another --slowmo.")] = None,
    runner: RunnerOpt = None,
    as_json: JsonFlag = False,
) -> None:
    """Check running form from a phone video: cadence, trunk, pelvis, stride, arms. Not a diagnosis."""
    from backstride.workflows import form as wf

    with user_errors(as_json):
        backend = wf.replay_backend(pose_track) if pose_track is not None else None
        options = wf.FormOptions(view=view, capture_fps=capture_fps, slowmo=slowmo, height_cm=height,
                                 render_video=not no_video, out_dir=out, backend=backend)
        ws = state(ctx).workspace
        if as_json:
            result = wf.analyse_video(ws, runner, video, options)
        else:
            result = _with_progress(ws, runner, video, options)
    if as_json:
        emit_json(result.to_dict())
        return
    _print_result(result)


def _with_progress(ws: Any, runner: str | None, video: Path, options: wf.FormOptions) -> wf.FormResult:
    from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn

    from backstride.workflows import form as wf

    with Progress(TextColumn("{task.description}"), BarColumn(), TaskProgressColumn(),
                  console=err_console, transient=True) as bar:
        tasks: dict[str, Any] = {}

        def report(stage: str, done: int, total: int) -> None:
            if stage not in tasks:
                label = {"pose": "Finding the runner in each frame", "render": "Drawing the annotated video"}
                tasks[stage] = bar.add_task(label.get(stage, stage), total=total or None)
            bar.update(tasks[stage], completed=done, total=total or None)

        return wf.analyse_video(ws, runner, video, options, progress=report)


_NAMES = {
    "cadence_spm": "cadence", "trunk_lean_deg": "trunk lean", "knee_flexion_ic_deg": "knee at contact",
    "overstride_leg": "foot ahead of hips at contact", "shank_angle_ic_deg": "shin at contact",
    "vertical_oscillation_leg": "bounce", "elbow_angle_deg": "elbow angle", "head_forward_deg": "head position",
    "pelvic_drop_deg": "pelvic drop", "lateral_trunk_lean_deg": "sideways trunk sway", "crossover": "foot crossover",
    "ear_shoulder_gap_trunk": "shoulder height", "shoulder_forward_trunk": "rounded shoulders",
    "pelvis_rotation_deg": "hips turning", "trunk_rotation_deg": "twisting at the waist",
    "contact_time_s": "ground contact", "step_time_s": "step time", "flight_time_s": "flight time",
}


def _print_result(result: wf.FormResult) -> None:
    doc = result.document
    cap = doc["capture"]
    console.print(f"[bold]Form check[/] of {result.video_name} (stored as #{result.id} for {result.runner})")
    slow = f", slow motion x{cap['slowmo_factor']:g}" if cap["slowmo_factor"] != 1 else ""
    console.print(f"View: {cap['view']} ({cap['view_source']}); {cap['setting']}; {cap['fps']:g} fps{slow}; "
                  f"{doc['metrics']['n_steps']} steps")
    console.print(f"[bold]Cadence: {doc['cadence_spm']:.0f} steps/min[/]")
    for w in cap["quality_warnings"]:
        console.print(f"[yellow]Note:[/] {w}")
    table = Table("measure", "reading", "value", "confidence")
    for c in doc["categories"]:
        err = f" ± {c['error']:g}" if c.get("error") is not None else ""
        table.add_row(_NAMES.get(c["metric"], c["metric"]), c["label"], f"{c['value']:.2f}{err} {c['unit']}",
                      f"{c['confidence']:.0%}")
    console.print(table)
    if doc["findings"]:
        for f in doc["findings"]:
            console.print(f"[bold]{f['title']}[/] ({f['code']}, confidence {f['confidence']:.0%})")
            console.print(f"  {f['explanation']}")
            console.print(f"  [green]Try:[/] {f['advice']}")
    else:
        console.print("Nothing in this clip stands out enough to change. Keep running as you are.")
    not_measured = doc["metrics"]["not_measured"]
    if not_measured:
        names = ", ".join(_NAMES.get(k, k.replace("_", " ")) for k in not_measured)
        console.print(f"[dim]Not measured from this view: {names}.[/]")
    if doc["metrics"].get("cannot_measure"):
        console.print(f"[dim]No single phone camera can measure {'; '.join(doc['metrics']['cannot_measure'])}.[/]")
    if doc["metrics"].get("undecided_steps"):
        console.print(f"[dim]On {doc['metrics']['undecided_steps']} steps it could not be seen which foot was on the "
                      "ground: they count for cadence only.[/]")
    for r in doc["metrics"].get("refused", [])[:5]:
        console.print(f"[dim]Left out, step {r['step'] + 1}: {_NAMES.get(r['metric'], r['metric'])}: {r['reason']}.[/]")
    for key, path in result.files.items():
        console.print(f"[dim]{key}: {path}[/]")


def form_list_cmd(ctx: typer.Context, runner: RunnerOpt = None, as_json: JsonFlag = False) -> None:
    """List stored form checks."""
    from backstride.workflows import form as wf

    with user_errors(as_json):
        results = wf.list_form_results(state(ctx).workspace, runner)
    if as_json:
        emit_json({"results": [{"id": r.id, "created_at": r.created_at.isoformat(), "video": r.video_name,
                                "view": r.view, "cadence_spm": round(r.cadence_spm, 1),
                                "findings": [f.code for f in r.findings]} for r in results]})
        return
    if not results:
        console.print("No form checks yet. Try [bold]backstride form VIDEO[/].")
        return
    from backstride.cli.tables import Column, print_table

    columns = [Column("id", numeric=True), Column("when"), Column("video", wrap=True, drop=2),
               Column("view", drop=1), Column("spm", numeric=True), Column("findings", wrap=True)]
    rows = [[str(r.id), r.created_at.strftime("%Y-%m-%d %H:%M"), r.video_name, r.view,
             f"{r.cadence_spm:.0f}", ", ".join(f.code.removeprefix("form.") for f in r.findings) or "-"]
            for r in results]
    print_table(console, columns, rows, caption="spm: steps per minute; findings are form.* codes")


def form_compare_cmd(
    ctx: typer.Context,
    first: Annotated[int, typer.Argument(help="id of one form check (see form-list)")],
    second: Annotated[int, typer.Argument(help="id of the other form check, filmed from the same position")],
    runner: RunnerOpt = None,
    as_json: JsonFlag = False,
) -> None:
    """Compare two form checks: each measure side by side, with whether the change is beyond the error."""
    from backstride.workflows import form as wf

    with user_errors(as_json):
        before, after, cmp = wf.compare_form_results(state(ctx).workspace, runner, first, second)
    if as_json:
        emit_json(cmp.to_dict())
        return
    console.print(f"[bold]Form checks compared[/] ({cmp.view}): #{before.id} of {before.created_at:%d %b %Y} "
                  f"against #{after.id} of {after.created_at:%d %b %Y}")
    table = Table("measure", "before", "after", "change", "beyond the error?")
    for c in cmp.changes:
        def fmt(x: float | None) -> str:
            return "-" if x is None else f"{x:.3g}"

        verdict = ("-" if c.beyond_error is None else "yes" if c.beyond_error else
                   f"no (within ±{c.error:.2g})" if c.error is not None else "-")
        table.add_row(_NAMES.get(c.metric, c.metric.replace("_", " ")), fmt(c.before), fmt(c.after),
                      "-" if c.change is None else f"{c.change:+.3g} {c.unit}", verdict)
    console.print(table)
    console.print("[dim]A change within the error could be the camera, not you. Film both checks the same way.[/]")
