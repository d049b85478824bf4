"""The library as a Markdown catalogue (``docs/exercises.md``; a test keeps it current).

Regenerate with ``python -m backstride.library.catalogue > docs/exercises.md``.
"""

from __future__ import annotations

from html import escape

from backstride.library.loader import Library, load_library
from backstride.library.model import Category


def catalogue_markdown(library: Library) -> str:
    out = ["# Exercise library", "",
           f"{len(library)} exercises, grouped by category. Each has step-by-step instructions, cues, common "
           "mistakes, a dose for each level and its evidence: `backstride exercise show ID`. "
           "Evidence `none` means no trial for back pain was found; the exercise is kept for general "
           "strength or mobility. Generated from `src/backstride/data/exercises/`.", "",
           "Every exercise is drawn from the poses in its file, start to end (the files under `figures/` move "
           "between the positions; they stand still for readers who ask for reduced motion).", ""]
    for category in Category:
        items = library.query(category=category)
        if not items:
            continue
        out += [f"## {category.value.replace('_', ' ').capitalize()}", "",
                "| id | name | difficulty | equipment | left out for | evidence |", "|---|---|---|---|---|---|"]
        for e in items:
            contra = ", ".join(c.value.replace("_", " ") for c in e.contraindications) or "-"
            out.append(f"| `{e.id}` | {e.name} | {e.difficulty} | {', '.join(e.equipment) or '-'} | {contra} | "
                       f"{e.evidence.level.value} |")
        out.append("")
        for e in items:
            if e.illustration is None:
                continue
            note = f" {e.illustration.note}" if e.illustration.note else ""
            alt = escape(f"{e.name}.{note}", quote=True)
            out += [f"### {e.name}", "", f'<img src="figures/{e.id}.svg" alt="{alt}" height="180">', ""]
    return "\n".join(out)


if __name__ == "__main__":  # pragma: no cover - a maintenance command
    print(catalogue_markdown(load_library()), end="")
