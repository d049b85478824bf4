"""``backstride serve`` (the web app) and ``backstride demo`` (a demo runner with generated data)."""

from __future__ import annotations

from typing import Annotated

import typer

from backstride.cli.common import JsonFlag, console, emit_json, err_console, state, user_errors

LOOPBACK = {"127.0.0.1", "localhost", "::1"}


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)
    app.command("demo")(demo)


def serve(
    ctx: typer.Context,
    host: Annotated[str | None, typer.Option(help="Address to listen on (default 127.0.0.1: this computer only).")] = None,
    port: Annotated[int | None, typer.Option(help="Port to listen on (default 8421).")] = None,
) -> None:
    """Start the web app on this computer; open the address it prints in your browser."""

    from backstride.web.app import create_app

    cli_state = state(ctx)
    settings = cli_state.settings
    host = host or settings.host
    port = port or settings.port
    if host not in LOOPBACK:
        err_console.print(f"[bold yellow]Warning:[/] listening on {host} lets other machines on the network "
                          "reach your health data. There is no login. Use 127.0.0.1 unless you mean it.")
    settings = settings.model_copy(update={"host": host, "port": port})  # the app checks Host against it
    with user_errors(False):
        app = create_app(settings, workspace=cli_state.workspace)
    shown = f"[{host}]" if ":" in host else host
    console.print(f"backstride is running at [bold]http://{shown}:{port}[/] (data in {settings.data_dir}). "
                  "Press Ctrl+C to stop.")
    # h11 gives up on a request whose headers have not arrived within the keep-alive timeout, and
    # the body read is bounded by TIMEOUT_BODY_S (web/serve.py): a slow client cannot hold a
    # connection open for ever.
    from backstride.web.serve import run_server

    run_server(app, host=host, port=port)


def demo(
    ctx: typer.Context,
    runner: Annotated[str, typer.Option("--runner", "-r", help="Name of the demo profile to fill.")] = "demo",
    years: Annotated[float, typer.Option(min=0.1, max=10, help="Years of generated running history.")] = 1.0,
    seed: Annotated[int, typer.Option(help="Random seed, so the same demo can be made again.")] = 7,
    replace: Annotated[bool, typer.Option("--replace", help="Delete the profile first if it already exists.")] = False,
    as_json: JsonFlag = False,
) -> None:
    """Fill a demo profile with generated runs, a screening, a plan and journal check-ins."""
    from backstride.workflows.demo import fill_demo

    with user_errors(as_json):
        result = fill_demo(state(ctx).workspace, runner, years=years, seed=seed, replace=replace)
    if as_json:
        emit_json(result)
        return
    console.print(f"Filled the profile [bold]{result.runner}[/]:")
    for line in result.lines():
        console.print(f"  - {line}")
    console.print("Start the app with [bold]backstride serve[/] and choose this profile at the top.")
