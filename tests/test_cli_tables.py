"""Command-line tables at 80 columns (and narrower): nothing cut, low-value columns give way."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from rich.console import Console
from typer.testing import CliRunner

from backstride.cli.tables import Column, fit_table, table_width


def _render(width: int, columns: list[Column], rows: list[list[str]]) -> tuple[list[str], list[str]]:
    console = Console(width=width, file=io.StringIO(), color_system=None)
    table, hidden = fit_table(console, columns, rows)
    console.print(table)
    assert isinstance(console.file, io.StringIO)
    return console.file.getvalue().splitlines(), hidden


COLUMNS = [Column("week"), Column("km", numeric=True), Column("mono", numeric=True, drop=2),
           Column("load", numeric=True, drop=1), Column("note", wrap=True, min_width=8)]
ROWS = [["11-16", "49.1", "1.3", "425", "a long free-text note that may wrap"],
        ["11-23", "9.8", "0.4", "91", "short"]]


def test_table_width_matches_what_rich_draws() -> None:
    lines, hidden = _render(200, COLUMNS, ROWS)
    assert hidden == []
    widths = [5, 4, 4, 4, len("a long free-text note that may wrap")]
    assert max(len(line) for line in lines) == table_width(widths)


@pytest.mark.parametrize("width", [60, 40, 34, 30])
def test_columns_give_way_in_order_and_values_are_never_cut(width: int) -> None:
    lines, hidden = _render(width, COLUMNS, ROWS)
    assert all(len(line) <= width for line in lines)
    assert "…" not in "".join(lines)
    text = "\n".join(lines)
    assert "11-16" in text and "49.1" in text  # never-dropped values are whole
    # mono (drop=2) goes before load (drop=1); the wrapping note column is never dropped
    if "load" in hidden:
        assert "mono" in hidden
    assert "note" not in hidden and "week" not in hidden


def test_right_alignment_for_numbers() -> None:
    lines, _ = _render(200, COLUMNS, ROWS)
    km_end = lines[0].index("km") + 2
    assert lines[2][km_end - 4:km_end] == "49.1" and lines[3][km_end - 3:km_end] == "9.8"


def _run(data_dir: Path, columns: int, *args: str) -> str:
    from backstride.cli.main import _register, app

    _register()
    env = {"BACKSTRIDE_DATA_DIR": str(data_dir), "COLUMNS": str(columns), "NO_COLOR": "1"}
    result = CliRunner().invoke(app, list(args), env=env, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data = tmp_path_factory.mktemp("demo") / "data"
    _run(data, 120, "demo", "--years", "1.2", "--json")
    return data


@pytest.mark.parametrize("args", [
    ("load", "--runner", "demo"),
    ("load", "--runner", "demo", "--weeks", "60"),
    ("activities", "--runner", "demo"),
    ("history", "--runner", "demo"),
    ("plan", "show", "--runner", "demo"),
    ("exercise", "list"),
    ("exercise", "show", "kneeling_hip_flexor_stretch"),
])
def test_tables_fit_80_columns_without_cutting(demo_dir: Path, args: tuple[str, ...]) -> None:
    out = _run(demo_dir, 80, *args)
    assert out.strip()
    assert max(len(line.rstrip()) for line in out.splitlines()) <= 80
    assert "…" not in out


def test_load_table_headers_carry_units_and_dates_are_short(demo_dir: Path) -> None:
    out = _run(demo_dir, 80, "load", "--runner", "demo")
    header = next(line for line in out.splitlines() if line.strip().startswith("week"))
    assert header.split() == ["week", "runs", "km", "h:mm", "long", "km", "change", "up", "m", "down", "km",
                              "load", "mono"]
    assert "Not shown" not in out
    rows = [line.split() for line in out.splitlines() if line[:7].strip()[:2].isdigit() and "-" in line[:7]]
    assert len(rows) >= 8 and all(len(r[0]) == 5 for r in rows)  # "MM-DD"
    years = _run(demo_dir, 80, "load", "--runner", "demo", "--weeks", "60")
    assert any(line.strip().isdigit() and len(line.strip()) == 4 for line in years.splitlines())  # a year row


def test_narrow_terminal_says_which_columns_are_left_out(demo_dir: Path) -> None:
    out = _run(demo_dir, 50, "load", "--runner", "demo")
    assert "Not shown at this width: " in out and "mono" in out.split("Not shown at this width: ")[1]
    table = out.split("Not shown")[0]
    assert max(len(line.rstrip()) for line in table.splitlines()) <= 50
    assert "…" not in table


def test_json_output_does_not_depend_on_the_width(demo_dir: Path) -> None:
    for args in (("load", "--runner", "demo", "--json"), ("activities", "--runner", "demo", "--json")):
        assert _run(demo_dir, 50, *args) == _run(demo_dir, 200, *args)


def test_exercise_ids_are_never_cut_in_the_list(demo_dir: Path) -> None:
    out = _run(demo_dir, 80, "exercise", "list")
    from backstride.workflows import plans as wf

    first_words = {line.split()[0] for line in out.splitlines() if line.strip()}
    assert all(e.id in first_words for e in wf.list_exercises())  # each id whole, under its name
