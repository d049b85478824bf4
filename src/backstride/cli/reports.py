"""``backstride report``: one self-contained document for the runner or their clinician."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from backstride.cli.common import JsonFlag, RunnerOpt, console, emit_json, state, user_errors
from backstride.errors import InputError


class ReportFormat(StrEnum):
    HTML = "html"
    PDF = "pdf"


def register(app: typer.Typer) -> None:
    app.command("report")(report)


def report(
    ctx: typer.Context,
    fmt: Annotated[ReportFormat, typer.Option("--format", "-f", help="html (opens anywhere) or pdf.")] = ReportFormat.HTML,
    out: Annotated[Path | None, typer.Option("--out", "-o", help="File to write (default: a dated name in the current folder).")] = None,
    runner: RunnerOpt = None,
    as_json: JsonFlag = False,
) -> None:
    """Write the clinician report (triage, findings, plan, load, form, pain and adherence)."""
    from backstride.workflows import reports

    cli_state = state(ctx)
    with user_errors(as_json):
        ws = cli_state.workspace
        name = runner or cli_state.settings.runner
        built = reports.build_report(ws, name)
        data: bytes = (reports.render_pdf(built) if fmt is ReportFormat.PDF
                       else reports.render_html(built).encode("utf-8"))
        target = out or Path(reports.report_filename(built, fmt.value))
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        except OSError as exc:
            raise InputError(f"cannot write the report to {target}: {exc.strerror}",
                             hint="choose another --out file") from exc
    if as_json:
        emit_json({"path": str(target), "format": fmt.value, "bytes": len(data), "report": built.to_dict()})
        return
    console.print(f"Report written to [bold]{target}[/] ({len(data) / 1024:.0f} KiB).")
