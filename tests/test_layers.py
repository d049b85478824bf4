"""The wiring is static and the layers hold: no run-time imports between project modules, every
storage table is known to export and delete, and the import contract (import-linter) passes."""

from __future__ import annotations

import ast
import shutil
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


# ---------------------------------------------------------------- the import contract

REPO = SRC.parents[1]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def _lint(tree: Path) -> subprocess.CompletedProcess[str]:
    """Run the project's import contract (pyproject.toml) over the package copy in ``tree``."""
    env = {"PYTHONPATH": str(tree), "PATH": "/usr/bin:/bin", "PYTHONDONTWRITEBYTECODE": "1"}
    return subprocess.run([str(LINT_IMPORTS), "--no-cache", "--config", str(REPO / "pyproject.toml")],
                          cwd=tree, env=env, capture_output=True, text=True, timeout=120)


def _copy_package(tmp_path: Path) -> Path:
    shutil.copytree(SRC, tmp_path / "backstride",
                    ignore=shutil.ignore_patterns("__pycache__", "data", "static", "templates"))
    return tmp_path


def test_the_package_keeps_the_import_contract(tmp_path: Path) -> None:
    result = _lint(_copy_package(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "3 kept, 0 broken" in result.stdout


def test_a_domain_module_importing_storage_breaks_the_contract(tmp_path: Path) -> None:
    tree = _copy_package(tmp_path)
    (tree / "backstride" / "load" / "sneaky.py").write_text(
        "from backstride.storage.activities import ActivityRow\n", encoding="utf-8")
    result = _lint(tree)
    assert result.returncode == 1
    assert "BROKEN" in result.stdout
    assert "backstride.load.sneaky -> backstride.storage.activities" in result.stdout


def test_a_lower_layer_importing_a_higher_one_breaks_the_contract(tmp_path: Path) -> None:
    tree = _copy_package(tmp_path)
    (tree / "backstride" / "findings" / "upward.py").write_text(
        "from backstride.plan.model import Plan\n", encoding="utf-8")
    result = _lint(tree)
    assert result.returncode == 1
    assert "backstride.findings.upward -> backstride.plan.model" in result.stdout


def test_an_import_circle_breaks_the_contract(tmp_path: Path) -> None:
    tree = _copy_package(tmp_path)
    capture = tree / "backstride" / "form" / "capture.py"
    capture.write_text(capture.read_text(encoding="utf-8")
                       + "\nfrom backstride.form.analysis import FormAnalysis  # noqa: E402\n", encoding="utf-8")
    result = _lint(tree)
    assert result.returncode == 1
    assert "No import circles" in result.stdout and "BROKEN" in result.stdout
