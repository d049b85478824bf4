"""Tables that fit the terminal.

Light borders (a rule under the header, no boxes), numbers aligned right, short headers that
carry the unit. Cells that are values (dates, numbers, ids) are never cut or wrapped; free
text wraps. When even that does not fit, whole columns give way in an order each command
chooses, and the command says which ones were left out (``--json`` always has everything).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

# What a column costs beyond its text with the style below: one space of padding each side
# plus the one-character divider between columns (no outer edge).
_PADDING = 2
_DIVIDER = 1


@dataclass(frozen=True)
class Column:
    header: str
    numeric: bool = False   # right-aligned
    wrap: bool = False      # free text that may wrap onto several lines; values never wrap
    min_width: int = 10     # narrowest a wrapping column may become
    drop: int = 0           # 0: always shown; otherwise columns go, highest number first, when space runs out


def _cell_width(cell: str) -> int:
    return max((Text.from_markup(line).cell_len for line in cell.split("\n")), default=0)


def _widths(column: Column, cells: Sequence[str]) -> tuple[int, int]:
    """(narrowest without cutting a value or a word, natural) width of a column."""
    natural = max([_cell_width(column.header), *(_cell_width(c) for c in cells)])
    if not column.wrap:
        return natural, natural
    longest_word = max((len(w) for c in cells for w in Text.from_markup(c).plain.split()), default=0)
    return min(natural, max(column.min_width, longest_word, _cell_width(column.header))), natural


def _share(extra: int, room: dict[int, int]) -> dict[int, int]:
    """Split ``extra`` characters among columns in proportion to how much each could still grow."""
    total = sum(room.values())
    if total <= extra:
        return dict(room)
    given = {i: extra * r // total for i, r in room.items()}
    left = extra - sum(given.values())
    for i in sorted(room, key=lambda i: room[i] - given[i], reverse=True)[:left]:
        given[i] += 1
    return given


def table_width(widths: Sequence[int]) -> int:
    """Characters a table with these column widths takes."""
    return sum(widths) + _PADDING * len(widths) + _DIVIDER * max(len(widths) - 1, 0)


def fit_table(console: Console, columns: Sequence[Column], rows: Sequence[Sequence[str]], *,
              title: str | None = None, caption: str | None = None) -> tuple[Table, list[str]]:
    """A table of ``rows`` that fits ``console.width``, and the headers of the columns left out."""
    keep = list(range(len(columns)))
    sizes = [_widths(c, [row[i] for row in rows]) for i, c in enumerate(columns)]
    needed = [n for n, _ in sizes]
    for i in sorted((i for i, c in enumerate(columns) if c.drop), key=lambda i: -columns[i].drop):
        if table_width([needed[k] for k in keep]) <= console.width:
            break
        keep.remove(i)
    # Fixed widths, worked out here: Rich's own shrinking would cut values rather than wrap text.
    extra = max(console.width - table_width([needed[k] for k in keep]), 0)
    grow = _share(extra, {k: sizes[k][1] - needed[k] for k in keep if sizes[k][1] > needed[k]})
    width = {k: needed[k] + grow.get(k, 0) for k in keep}
    table = Table(title=title, caption=caption, box=box.SIMPLE_HEAD, show_edge=False, pad_edge=True,
                  padding=(0, 1), title_justify="left", caption_justify="left", header_style="bold")
    for i in keep:
        c = columns[i]
        table.add_column(c.header, justify="right" if c.numeric else "left", no_wrap=not c.wrap,
                         overflow="fold", width=width[i])
    for row in rows:
        table.add_row(*(row[i] for i in keep))
    return table, [columns[i].header for i in range(len(columns)) if i not in keep]


def print_table(console: Console, columns: Sequence[Column], rows: Sequence[Sequence[str]], *,
                title: str | None = None, caption: str | None = None) -> list[str]:
    """Print :func:`fit_table`'s table and, if columns were left out, one line saying which."""
    table, hidden = fit_table(console, columns, rows, title=title, caption=caption)
    console.print(table)
    if hidden:
        console.print(f"[dim]Not shown at this width: {', '.join(hidden)} (widen the window, or use --json).[/]",
                      highlight=False)
    return hidden


def short_date(day_iso: str, *, with_year: bool) -> str:
    """``2026-11-16`` as ``11-16`` when the year is clear from the context."""
    return day_iso if with_year else day_iso[5:]


def print_list(console: Console, items: Sequence[str], *, marker: str = "-", numbered: bool = False) -> None:
    """``  - text`` lines whose wrapped continuation lines stay indented under the text."""
    if not items:
        return
    grid = Table.grid(padding=(0, 1, 0, 0))
    labels = [f"{n}." if numbered else marker for n in range(1, len(items) + 1)]
    grid.add_column(justify="right", no_wrap=True, width=2 + max(len(label) for label in labels))
    grid.add_column(overflow="fold")
    for label, item in zip(labels, items, strict=True):
        grid.add_row(label, item)
    console.print(grid, highlight=False)
