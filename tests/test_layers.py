"""The wiring is static and the layers hold: no run-time imports between project modules, every
storage table is known to export and delete, and the import contract (import-linter) passes."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src" / "backstride"


def test_no_importlib_wiring_between_project_modules() -> None:
    offenders = []
    for path in SRC.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute | ast.Name):
                name = node.func.attr if isinstance(node.func, ast.Attribute) else node.func.id
                if name in ("import_module", "__import__"):
                    offenders.append(f"{path.relative_to(SRC)}:{node.lineno}")
    assert not offenders, offenders


def test_every_storage_table_is_listed_for_export_and_delete() -> None:
    code = (
        "import importlib, pkgutil\n"
        "import backstride.storage as pkg\n"
        "from backstride.storage.tables import all_tables\n"
        "listed = {t.name for t in all_tables()}\n"
        "for info in pkgutil.iter_modules(pkg.__path__):\n"
        "    if info.name != 'migrations':\n"
        "        importlib.import_module('backstride.storage.' + info.name)\n"
        "from backstride.storage.db import Base\n"
        "missing = sorted({t.name for t in Base.metadata.sorted_tables} - listed)\n"
        "print(','.join(missing))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "", f"add the modules of these tables to storage/tables.py: {out.stdout}"
