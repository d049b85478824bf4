"""The ``backstride`` command."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated

import typer

from backstride import __version__
from backstride.cli.common import CliState, JsonFlag, console, emit_json, state, user_errors

app = typer.Typer(
    name="backstride",
    help="Prevent and recover from low back pain as a runner. Not a diagnosis: "
    "it screens for danger signs, measures your load and form, plans, and keeps a pain journal.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode="rich",
    pretty_exceptions_enable=False,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"backstride {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    ctx: typer.Context,
    data_dir: Annotated[
        Path | None,
        typer.Option("--data-dir", envvar="BACKSTRIDE_DATA_DIR",
                     help="Folder for the embedded database and stored files."),
    ] = None,
    database_url: Annotated[
        str | None,
        typer.Option("--database-url", envvar="BACKSTRIDE_DATABASE_URL",
                     help="SQLAlchemy URL, e.g. postgresql+psycopg://user@host/db (default: SQLite in the data folder)."),
    ] = None,
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help="Show the version and exit.")] = False,
) -> None:
    # Imported here, not at the top: ``--help`` and ``--version`` never need pydantic.
    from backstride.config import Settings

    overrides: dict[str, object] = {}
    if data_dir is not None:
        overrides["data_dir"] = data_dir.expanduser()
    if database_url:
        overrides["database_url"] = database_url
    ctx.obj = CliState(settings=Settings(**overrides))  # type: ignore[arg-type]


@app.command("runners")
def runners_cmd(ctx: typer.Context, as_json: JsonFlag = False) -> None:
    """List the runner profiles kept in this data folder."""
    with user_errors(as_json):
        names = state(ctx).workspace.list_runners()
    if as_json:
        emit_json({"runners": names})
        return
    if not names:
        console.print("No runner profiles yet. Start with [bold]backstride screen[/].")
        return
    from backstride.cli.tables import Column, print_table

    print_table(console, [Column("runner")], [[name] for name in names])


_registered: list[str] = []


def _register(only: str | None = None) -> None:
    """Attach each area's commands once (or only module ``only``'s). Done at run time, not import time."""
    for module in _COMMAND_MODULES if only is None else [only]:
        if module not in _registered:
            _REGISTRARS[module](app)
            _registered.append(module)


# Each command module exposes ``register(app)`` and is imported only when a run needs it (the
# imports are static, so readers and type checkers can follow them); add yours here.
def _web(target: typer.Typer) -> None:
    from backstride.cli import web

    web.register(target)


def _reports(target: typer.Typer) -> None:
    from backstride.cli import reports

    reports.register(target)


def _journal(target: typer.Typer) -> None:
    from backstride.cli import journal

    journal.register(target)


def _screening(target: typer.Typer) -> None:
    from backstride.cli import screening

    screening.register(target)


def _activities(target: typer.Typer) -> None:
    from backstride.cli import activities

    activities.register(target)


def _form(target: typer.Typer) -> None:
    from backstride.cli import form

    form.register(target)


def _plans(target: typer.Typer) -> None:
    from backstride.cli import plans

    plans.register(target)


def _session(target: typer.Typer) -> None:
    from backstride.cli import session

    session.register(target)


_REGISTRARS: dict[str, Callable[[typer.Typer], None]] = {
    "web": _web, "reports": _reports, "journal": _journal, "screening": _screening,
    "activities": _activities, "form": _form, "plans": _plans, "session": _session,
}
_COMMAND_MODULES: list[str] = list(_REGISTRARS)

# Top-level command -> the module that registers it. A run that names one of these registers
# that module alone, so it neither imports nor builds the other areas' commands (about 0.1 s).
# Anything else (no command, --help, a typo, ``runners``) registers every module as before.
# A test keeps this in step with the modules' ``register``.
_COMMAND_HOMES: dict[str, str] = {
    "serve": "web", "demo": "web",
    "report": "reports",
    "log": "journal", "today": "journal", "progress": "journal",
    "screen": "screening", "history": "screening",
    "import": "activities", "activities": "activities", "load": "activities", "shoes": "activities",
    "activity": "activities",
    "form": "form", "form-list": "form", "form-compare": "form",
    "plan": "plans", "exercise": "plans",
    "session": "session",
}
_ROOT_OPTIONS_WITH_VALUE = frozenset({"--data-dir", "--database-url"})


def _command_name(argv: list[str]) -> str | None:
    """The command word in ``backstride [ROOT OPTIONS] COMMAND ...``, if any."""
    words = iter(argv)
    for word in words:
        if word == "--":
            return next(words, None)
        if word in _ROOT_OPTIONS_WITH_VALUE:
            next(words, None)
        elif not word.startswith("-"):
            return word
    return None


def run() -> None:
    _register(_COMMAND_HOMES.get(_command_name(sys.argv[1:]) or ""))
    app()
