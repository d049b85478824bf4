"""The library as a Markdown catalogue (``docs/exercises.md``; a test keeps it current).

Regenerate with ``python -m backstride.library.catalogue > docs/exercises.md``.
"""

from __future__ import annotations

from backstride.library.loader import Library, load_library
from backstride.library.model import Category


def catalogue_markdown(library: Library) -> str:
    out = ["# Exercise library", "",
           f"{len(library)} exercises, grouped by category. Each has step-by-step instructions, cues, common "
           "mistakes, a dose for each level and its evidence: `backstride exercise show ID`. "
           "Evidence `none` means no trial for back pain was found; the exercise is kept for general "
           "strength or mobility. Generated from `src/backstride/data/exercises/`.", ""]
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
    return "\n".join(out)


if __name__ == "__main__":  # pragma: no cover - a maintenance command
    print(catalogue_markdown(load_library()), end="")
