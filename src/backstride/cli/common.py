"""What every command shares: the workspace, ``--json`` output, and error to exit-code mapping.

Exit codes (DESIGN.md): 0 success, 1 input rejected with a clear message, 2 usage error.

The ``--json`` convention (docs/development.md, "One JSON convention"; tests/test_json_convention.py):

- stdout holds exactly one JSON **object** and nothing else;
- a command about one stored record prints that record flat, with its own id as ``id`` and
  the profile as ``runner`` first (:func:`record`);
- a command about several prints them under a plural key (``entries``, ``shoes``,
  ``screenings``...), each item flat with its own ``id``, any totals beside the list;
- a reference to another record is ``<kind>_id`` (``plan_id``, ``shoe_id``, ``activity_ids``);
- an error is ``{"error": {...}}`` with exit code 1.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console

from backstride.errors import BackstrideError, ValidationFailed

if TYPE_CHECKING:  # imported when first used: ``--help`` needs neither pydantic nor SQLAlchemy
    from backstride.config import Settings
    from backstride.workflows.workspace import Workspace

JsonFlag = Annotated[bool, typer.Option("--json", help="Print one JSON document on stdout and nothing else.")]
RunnerOpt = Annotated[
    str | None,
    typer.Option("--runner", "-r", help="Runner profile (default: BACKSTRIDE_RUNNER or 'default')."),
]

console = Console()
err_console = Console(stderr=True)


@dataclass
class CliState:
    settings: Settings
    _workspace: Workspace | None = None

    @property
    def workspace(self) -> Workspace:
        if self._workspace is None:
            from backstride.workflows.workspace import Workspace

            self._workspace = Workspace.open(self.settings)
        return self._workspace


def state(ctx: typer.Context) -> CliState:
    obj = ctx.find_root().obj
    if not isinstance(obj, CliState):
        from backstride.config import Settings

        obj = CliState(settings=Settings())
        ctx.find_root().obj = obj
    return obj


def to_jsonable(value: Any) -> Any:
    """Plain values (dataclasses, enums, dates, paths) to JSON-ready structures."""
    if hasattr(value, "to_dict") and callable(value.to_dict):
        return to_jsonable(value.to_dict())
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, Path):
        return str(value)
    if isinstance(value, dict):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        items = [to_jsonable(v) for v in value]
        return sorted(items, key=str) if isinstance(value, set | frozenset) else items
    if hasattr(value, "item") and callable(value.item):  # numpy scalars
        return value.item()
    if isinstance(value, float) and value != value:  # NaN is not JSON
        return None
    return value


def record(record_id: int | str | None, fields: Any, *, runner: str | None = None) -> dict[str, Any]:
    """One stored record as the convention shows it: ``id``, then ``runner`` (when it belongs to
    a profile), then its own fields."""
    out: dict[str, Any] = {"id": record_id}
    if runner is not None:
        out["runner"] = runner
    body = to_jsonable(fields)
    if not isinstance(body, dict):
        raise TypeError(f"a record is an object, not {type(body).__name__}")
    out.update({k: v for k, v in body.items() if k not in out})
    return out


def emit_json(document: Any) -> None:
    """Print ``document`` as the command's one JSON object."""
    body = to_jsonable(document)
    if not isinstance(body, dict):
        raise TypeError(f"a --json document is one object, not {type(body).__name__}")
    sys.stdout.write(json.dumps(body, indent=2, ensure_ascii=False))
    sys.stdout.write("\n")
    sys.stdout.flush()


@contextmanager
def user_errors(as_json: bool) -> Iterator[None]:
    """Turn a :class:`BackstrideError` into a clear message and exit code 1."""
    try:
        yield
    except BackstrideError as exc:
        if as_json:
            emit_json({"error": exc.to_dict()})
        else:
            err_console.print(f"[bold red]Error:[/] {exc.message}", highlight=False, markup=True)
            if isinstance(exc, ValidationFailed):
                pass  # the problems are already in the message, one per line
            if exc.hint:
                err_console.print(f"[dim]What to do: {exc.hint}[/]", highlight=False)
        raise typer.Exit(1) from None
