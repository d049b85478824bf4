"""Export everything stored for a runner (JSON and CSV in one zip) and delete it all.

Works from the database schema itself rather than a list of areas, so a table added by any area
later is exported and deleted too: every table with a ``runner_id`` column, and every table that
hangs off one of those through a foreign key.
"""

from __future__ import annotations

import base64
import csv
import datetime as dt
import decimal
import io
import json
import shutil
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Table, delete, select
from sqlalchemy.orm import Session

from backstride import __version__
from backstride.storage.runners import RunnerRow, get_runner
from backstride.workflows.workspace import Workspace


def _load_all_tables() -> list[Table]:
    """Every mapped table, parents before children."""
    from backstride.storage.tables import all_tables

    return all_tables()


@dataclass(frozen=True)
class _Selection:
    """For each table that holds this runner's data: how to find its rows."""

    table: Table
    where: Any


def _runner_selections(session: Session, runner_id: int) -> list[_Selection]:
    tables = _load_all_tables()
    picked: dict[str, _Selection] = {}
    for table in tables:
        if table.name == RunnerRow.__tablename__:
            continue
        if "runner_id" in table.c:
            picked[table.name] = _Selection(table, table.c.runner_id == runner_id)
            continue
        for fk in table.foreign_keys:
            parent = picked.get(fk.column.table.name)
            if parent is not None:
                parent_ids = select(fk.column).where(parent.where)
                picked[table.name] = _Selection(table, fk.parent.in_(parent_ids))
                break
    return list(picked.values())


def _plain(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, bytes | bytearray | memoryview):
        return {"base64": base64.b64encode(bytes(value)).decode("ascii")}
    if isinstance(value, decimal.Decimal):
        return float(value)
    return value


def _csv_cell(value: Any) -> str:
    value = _plain(value)
    if value is None:
        return ""
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)


@dataclass(frozen=True)
class ExportResult:
    runner: str
    tables: dict[str, int]   # table name -> rows exported
    data: bytes              # the zip archive

    @property
    def filename(self) -> str:
        safe = "".join(c if c.isalnum() or c in "-_" else "_" for c in self.runner)
        return f"backstride-{safe}-{dt.date.today().isoformat()}.zip"


def export_runner(ws: Workspace, runner: str) -> ExportResult:
    """Everything stored for ``runner`` as ``data.json`` plus one CSV per table, zipped."""
    with ws.transaction() as session:
        row = get_runner(session, runner)
        document: dict[str, Any] = {
            "backstride_version": __version__,
            "exported_at": dt.datetime.now(dt.UTC).isoformat(),
            "runner": {"name": runner,
                       "created_at": row.created_at.isoformat() if row is not None else None},
            "tables": {},
        }
        counts: dict[str, int] = {}
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            selections = _runner_selections(session, row.id) if row is not None else []
            for sel in selections:
                columns = [c.name for c in sel.table.columns]
                rows = session.execute(select(sel.table).where(sel.where)).mappings().all()
                counts[sel.table.name] = len(rows)
                document["tables"][sel.table.name] = [{k: _plain(r[k]) for k in columns} for r in rows]
                text = io.StringIO()
                writer = csv.writer(text)
                writer.writerow(columns)
                for r in rows:
                    writer.writerow([_csv_cell(r[k]) for k in columns])
                archive.writestr(f"csv/{sel.table.name}.csv", text.getvalue())
            archive.writestr("data.json", json.dumps(document, indent=2, ensure_ascii=False, default=str))
            archive.writestr("README.txt", _README.format(runner=runner))
    return ExportResult(runner=runner, tables=counts, data=buffer.getvalue())


_README = """backstride export for the runner profile "{runner}".

data.json   every stored record, grouped by table
csv/*.csv   the same records, one spreadsheet-friendly file per table
            (JSON-valued columns are written as JSON text; binary columns as base64)
"""


@dataclass(frozen=True)
class DeleteResult:
    runner: str
    existed: bool
    tables: dict[str, int]
    files_removed: int


def runner_files_dir(ws: Workspace, runner_id: int) -> Path:
    """Folder where areas may keep a runner's files (videos, rendered outputs)."""
    return ws.settings.files_dir / "runners" / str(runner_id)


def delete_runner(ws: Workspace, runner: str) -> DeleteResult:
    """Delete the profile and every record and stored file that belongs to it. Irreversible."""
    counts: dict[str, int] = {}
    files_removed = 0
    with ws.transaction() as session:
        row = get_runner(session, runner)
        if row is None:
            return DeleteResult(runner=runner, existed=False, tables={}, files_removed=0)
        runner_id = row.id
        selections = _runner_selections(session, runner_id)
        paths = _stored_paths(session, selections, ws.settings.files_dir)
        for sel in reversed(selections):  # children first
            result = session.execute(delete(sel.table).where(sel.where))
            counts[sel.table.name] = int(getattr(result, "rowcount", 0) or 0)
        session.delete(row)
    for path in paths:
        if path.is_file():
            path.unlink()
            files_removed += 1
    _remove_empty_parents(paths, ws.settings.files_dir.resolve())
    folder = runner_files_dir(ws, runner_id)
    if folder.is_dir():
        files_removed += sum(1 for p in folder.rglob("*") if p.is_file())
        shutil.rmtree(folder, ignore_errors=True)
    return DeleteResult(runner=runner, existed=True, tables=counts, files_removed=files_removed)


def _stored_paths(session: Session, selections: list[_Selection], files_dir: Path) -> list[Path]:
    """Files inside the data folder that this runner's records point to.

    Any text value (also inside JSON columns, such as a form check's ``files``) that names an
    existing file under the data folder, as an absolute path or relative to ``files/``.
    """
    root = files_dir.resolve()
    found: list[Path] = []

    def visit(value: Any) -> None:
        if isinstance(value, str):
            if 0 < len(value) < 1000 and ("/" in value or "\\" in value):
                candidate = Path(value)
                path = (candidate if candidate.is_absolute() else root / candidate).resolve()
                if root in path.parents and path.is_file():
                    found.append(path)
        elif isinstance(value, dict):
            for item in value.values():
                visit(item)
        elif isinstance(value, list | tuple):
            for item in value:
                visit(item)

    for sel in selections:
        cols = [c for c in sel.table.columns if c.name.endswith(("path", "files")) or c.name == "data"]
        if not cols:
            continue
        for values in session.execute(select(*cols).where(sel.where)):
            visit(list(values))
    return found


def _remove_empty_parents(paths: list[Path], root: Path) -> None:
    for folder in sorted({p.parent for p in paths}, key=lambda p: len(p.parts), reverse=True):
        current = folder
        while current != root and root in current.parents:
            try:
                current.rmdir()  # only succeeds when empty
            except OSError:
                break
            current = current.parent
