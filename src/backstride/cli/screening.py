"""``backstride screen`` (interactive or from an answers file) and ``backstride history``."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
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
from backstride.errors import InputError
from backstride.intake.model import RunAdvice, ScreeningResult, TriageTier

if TYPE_CHECKING:  # the use cases (and SQLAlchemy) are imported when a command runs, not at start-up
    from backstride.intake.questionnaire import Question
    from backstride.workflows.workspace import Workspace

_TIER_STYLE = {
    TriageTier.EMERGENCY: ("bold white on red", "EMERGENCY: seek care now"),
    TriageTier.URGENT: ("bold red", "URGENT: see a doctor today"),
    TriageTier.SEE_CLINICIAN: ("bold yellow", "See a clinician: book within days to weeks"),
    TriageTier.SELF_MANAGE: ("bold green", "Self-manage, with stop rules"),
}
_ADVICE_TEXT = {
    RunAdvice.NO_RUNNING: "No running for now.",
    RunAdvice.WALK_ONLY: "Walk only for now; no running until the reasons above are sorted out.",
    RunAdvice.RUN_EASY: "You can run easy today, following the pain-monitoring rules below.",
    RunAdvice.RUN_AS_PLANNED: "Run as planned.",
}
_STOP_WORDS = {"stop", "quit", "q"}
_SKIP_WORDS = {"", "skip", "s", "-"}


def register(app: typer.Typer) -> None:
    app.command("screen")(screen_cmd)
    app.command("history")(history_cmd)


def screen_cmd(
    ctx: typer.Context,
    answers: Annotated[Path | None, typer.Option("--answers", "-a", help="YAML answers file (see docs/screening.md); "
                                                 "without it the questions are asked one by one.")] = None,
    runner: RunnerOpt = None,
    questions: Annotated[bool, typer.Option("--questions", help="Print every question, its key and what it "
                                            "allows, then exit.")] = False,
    restart: Annotated[bool, typer.Option("--restart", help="Forget a saved unfinished screening and start "
                                          "the questions again.")] = False,
    as_json: JsonFlag = False,
) -> None:
    """Screen for warning signs and contributing factors; store and show the result. Not a diagnosis."""
    from backstride.workflows import screening as wf

    if questions:
        _print_questions(as_json)
        return
    with user_errors(as_json):
        ws = state(ctx).workspace
        if answers is not None:
            data = wf.read_answers_file(answers)
            screening_id, result = wf.run_screening(ws, runner, data, source=str(answers))
        else:
            if as_json:
                raise InputError("--json needs --answers FILE: the interactive questions cannot share stdout "
                                 "with a JSON document", hint="pass --answers FILE.yaml, or leave out --json")
            outcome = _interactive(ws, runner, restart=restart)
            if outcome is None:
                return
            screening_id, result = outcome
    name = runner or state(ctx).settings.runner
    if as_json:
        emit_json(record(screening_id, result, runner=name))
        return
    render_result(console, result, screening_id=screening_id, runner=name)


def history_cmd(
    ctx: typer.Context,
    runner: RunnerOpt = None,
    show: Annotated[int | None, typer.Option("--show", min=1, max=2**31 - 1,
                                                 help="Show one stored screening in full, by its id.")] = None,
    as_json: JsonFlag = False,
) -> None:
    """List a runner's past screenings, newest first (or show one with --show ID)."""
    from backstride.workflows import screening as wf

    if show is not None:
        with user_errors(as_json):
            result = wf.get_screening(state(ctx).workspace, show)
        if as_json:
            emit_json(record(show, result))
        else:
            console.print(f"[dim]Screening {show} of {result.created_at:%Y-%m-%d %H:%M} UTC[/]")
            render_result(console, result)
        return
    with user_errors(as_json):
        rows = wf.list_screenings(state(ctx).workspace, runner)
    name = runner or state(ctx).settings.runner
    if as_json:
        emit_json({"runner": name, "screenings": [r.to_dict() for r in rows]})
        return
    if not rows:
        console.print(f"No screenings for {name} yet. Run [bold]backstride screen[/].")
        return
    from backstride.cli.tables import Column, print_table

    columns = [Column("id", numeric=True), Column("date (UTC)"), Column("triage", wrap=True, min_width=8),
               Column("running", wrap=True, min_width=8), Column("red flags", numeric=True),
               Column("findings", numeric=True, drop=1)]
    table_rows = []
    for r in rows:
        style, _ = _TIER_STYLE[r.tier]
        table_rows.append([str(r.id), r.created_at.strftime("%Y-%m-%d %H:%M"),
                           f"[{style}]{r.tier.value.replace('_', ' ')}[/]", r.run_advice.replace("_", " "),
                           str(len(r.red_flags)), str(len(r.finding_codes))])
    print_table(console, columns, table_rows, title=f"Screenings of {name}")


# ------------------------------------------------------------------------------ rendering


def render_result(out: Console, result: ScreeningResult, *, screening_id: int | None = None,
                  runner: str | None = None) -> None:
    """Triage first (unmistakable when urgent), then run advice, pain description, findings, notes."""
    tri = result.triage
    style, headline = _TIER_STYLE[tri.tier]
    body = [tri.what_to_do]
    if tri.reasons:
        body.append("")
        body.append("Why:")
        body += [f"  - {r.message} [{r.source}]" for r in tri.reasons]
    out.print(Panel("\n".join(body), title=f"[{style}]{headline}[/]", border_style=style.split()[-1],
                    expand=True), highlight=False)
    out.print(f"[bold]Running today:[/] {_ADVICE_TEXT[tri.run_advice]}", highlight=False)
    if not tri.tier.refers_now:
        out.print("[bold]Stop rules[/]")
        for rule in tri.stop_rules:
            out.print(f"  - {rule}", highlight=False)
    out.print()
    pain = result.pain
    out.print(f"[bold]Your back:[/] {pain.description}", highlight=False)
    if pain.has_pain and tri.tier.refers_now:
        out.print(f"  nerve signs: {'yes' if pain.nerve_symptoms else 'no'}", highlight=False)
    elif pain.has_pain:
        sens = ", ".join(sorted(d.value for d in pain.sensitivities)) or "none reported"
        out.print(f"  irritability: {pain.irritability.value}; provoking directions: {sens}; "
                  f"nerve symptoms: {'yes' if pain.nerve_symptoms else 'no'}", highlight=False)
    out.print()
    if tri.tier.refers_now:
        pass  # nothing about training next to "get help now"
    elif result.findings:
        out.print(f"[bold]Contributing factors ({len(result.findings)})[/]")
        for f in result.findings:
            side = f" ({f.side})" if f.side else ""
            out.print(f"[bold]- {f.title}{side}[/] [dim]{f.code}, {f.severity.value}[/]", highlight=False)
            measured = _measured(f.value, f.threshold, f.unit)
            if measured:
                out.print(f"    {measured}", highlight=False)
            out.print(f"    {f.explanation}", highlight=False)
            if f.advice:
                out.print(f"    [italic]Try:[/] {f.advice}", highlight=False)
            note = f" {f.evidence.note}" if f.evidence.note else ""
            out.print(f"    [dim]Evidence: {f.evidence.level.value.replace('_', ' ')}.{note} Sources: "
                      f"{', '.join(f.evidence.reference_ids)}. Confidence in the measurement: "
                      f"{f.confidence:.1f}.[/]", highlight=False)
    else:
        out.print("No contributing factors stood out from your answers.")
    out.print()
    for note in result.notes:
        out.print(f"[dim]{note}[/]", highlight=False)
    if screening_id is not None:
        out.print(f"[dim]Stored as screening {screening_id} for {runner}. See `backstride history`.[/]")


def _measured(value: Any, threshold: Any, unit: str | None) -> str:
    if value is None:
        return ""
    u = f" {unit}" if unit else ""
    text = f"measured: {_num(value)}{u}"
    return text + (f" (threshold {_num(threshold)}{u})" if threshold is not None else "")


def _num(v: Any) -> str:
    if isinstance(v, float):
        return f"{v:.1f}".rstrip("0").rstrip(".")
    return str(v)


def _print_questions(as_json: bool) -> None:
    from backstride.workflows import screening as wf

    qn = wf.questionnaire()
    if as_json:
        emit_json(qn.to_dict())
        return
    for section in qn.sections:
        console.print(f"\n[bold]{section.title}[/] ({section.id})")
        for q in qn.in_section(section.id):
            flags = "required" if q.required else ("asked, optional in files" if q.flow_required else "optional")
            if q.ask_if:
                flags += " when " + ", ".join(f"{k}={v}" for k, v in q.ask_if)
            console.print(f"  [cyan]{q.id}[/]: {q.prompt} [dim]({q.allowed()}; {flags})[/]", highlight=False)


# ---------------------------------------------------------------------------- interactive


class _Stopped(Exception):
    """The runner typed stop (or the input ended): keep the draft and leave."""


def _ask(q: Question) -> Any:
    """Prompt until the answer is valid; returns None when skipped."""
    from backstride.intake.questionnaire import check_answer

    if q.instructions:
        console.print("[dim]How to do it:[/]")
        for i, step in enumerate(q.instructions, 1):
            console.print(f"[dim]  {i}. {step}[/]", highlight=False)
    if q.help:
        console.print(f"[dim]{q.help}[/]", highlight=False)
    if q.choices:
        for i, c in enumerate(q.choices, 1):
            console.print(f"  {i}. {c.label} [dim]({c.value})[/]", highlight=False)
    hint = {"boolean": "y/n", "multi": "numbers or values, comma-separated", "choice": "number or value",
            "integer_list": f"{q.length} numbers separated by spaces"}.get(q.type, q.allowed())
    if q.unsure:
        hint += ", or 'not sure'"
    skip = ", Enter to skip" if q.skip_allowed else ""
    while True:
        try:
            raw = console.input(f"[bold]{q.prompt}[/] [dim]({hint}{skip}; 'stop' to pause)[/] ")
        except (EOFError, KeyboardInterrupt):
            raise _Stopped from None
        text = raw.strip()
        if text.lower() in _STOP_WORDS:
            raise _Stopped
        if text.lower() in _SKIP_WORDS:
            if q.skip_allowed:
                return None
            console.print("[yellow]This one is needed for your safety check; please answer it"
                          f"{' (n if it does not apply)' if q.type == 'boolean' else ''}.[/]")
            continue
        value: Any = text
        if q.choices:
            parts = [p.strip() for p in text.split(",")] if q.type == "multi" else [text]
            mapped = [q.choices[int(p) - 1].value if p.isdigit() and 1 <= int(p) <= len(q.choices) else p
                      for p in parts]
            value = mapped if q.type == "multi" else mapped[0]
        clean, problem = check_answer(q.id, value)
        if problem is None:
            return clean
        console.print(f"[yellow]{problem.message}; allowed: {problem.allowed}[/]", highlight=False)


def _interactive(ws: Workspace, runner: str | None, *, restart: bool) -> tuple[int, ScreeningResult] | None:
    from backstride.intake.triage import deciding_answer
    from backstride.workflows import screening as wf

    qn = wf.questionnaire()
    if restart:
        wf.discard_draft(ws, runner)
    # A draft keeps skipped questions as None, so resuming does not offer them again.
    answers: dict[str, Any] = dict(wf.load_draft(ws, runner) or {})
    if answers:
        console.print(f"Resuming your unfinished screening: {len(answers)} questions already done "
                      "(use --restart to begin again).")
    else:
        console.print("Answer each question; press Enter to skip optional ones and type 'stop' to pause "
                      "(your answers are kept). This is a screening, not a diagnosis.")
    def decided() -> bool:
        """An emergency or urgent answer ends the questions at once (the rest would not change the result)."""
        return deciding_answer({k: v for k, v in answers.items() if v is not None}) is not None

    try:
        for section in qn.sections:
            if decided():
                break
            pending = [q for q in qn.in_section(section.id) if q.id not in answers]
            if not any(q.is_asked(answers) for q in pending):
                continue
            console.rule(section.title)
            if section.intro:
                console.print(section.intro, highlight=False)
            for q in pending:
                if not q.is_asked(answers):
                    continue
                answers[q.id] = _ask(q)
                wf.save_draft(ws, runner, answers)
                if decided():
                    break
    except _Stopped:
        wf.save_draft(ws, runner, answers)
        given = sum(v is not None for v in answers.values())
        console.print(f"\nPaused with {given} answers saved. Run [bold]backstride screen"
                      f"{' --runner ' + runner if runner else ''}[/] to carry on.")
        return None
    if decided():
        console.print(Panel("This answer is a warning sign, so the questions stop here. Your result follows.",
                            title="[bold white on red]Stop: this needs a doctor[/]", border_style="red"),
                      highlight=False)
    return wf.run_screening(ws, runner, answers, source="your answers")
