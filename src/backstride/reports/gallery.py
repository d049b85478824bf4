"""The exercise gallery in the docs: one SVG per exercise under ``docs/figures/`` (a test keeps it current).

Regenerate after changing a pose, the body model or the renderer::

    python -m backstride.reports.gallery docs/figures

``docs/exercises.md`` (from ``backstride.library.catalogue``) shows each of these files.
"""

from __future__ import annotations

import sys
from pathlib import Path

from backstride.library.loader import Library, load_library
from backstride.reports.figures import exercise_svg


def gallery_files(library: Library) -> dict[str, str]:
    """File name -> SVG text for every illustrated exercise (animated, still under reduced motion)."""
    return {f"{ex.id}.svg": exercise_svg(ex) for ex in library if ex.illustration is not None}


def write_gallery(folder: Path, library: Library) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    wanted = gallery_files(library)
    for stale in folder.glob("*.svg"):
        if stale.name not in wanted:
            stale.unlink()
    written = []
    for name, text in wanted.items():
        path = folder / name
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


if __name__ == "__main__":  # pragma: no cover - a maintenance command
    paths = write_gallery(Path(sys.argv[1] if len(sys.argv) > 1 else "docs/figures"), load_library())
    print(f"wrote {len(paths)} figures")
