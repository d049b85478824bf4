"""Render every exercise illustration to PNG and tile them into one contact sheet for review.

    .venv/bin/python scripts/figure_sheet.py OUT_DIR [id ...]

Writes OUT_DIR/<id>.png (the still start-to-end panels, as in the PDF) and OUT_DIR/sheet-N.png.
Needs the dev extra (cairosvg, Pillow).
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

import cairosvg
from PIL import Image, ImageDraw

from backstride.library.loader import load_library
from backstride.reports.figures import render


def main(out: Path, ids: list[str]) -> None:
    out.mkdir(parents=True, exist_ok=True)
    lib = load_library()
    chosen = [lib.get(i) for i in ids] if ids else [e for e in lib if e.illustration]
    tiles = []
    for ex in chosen:
        png = cairosvg.svg2png(bytestring=render(ex, animated=False).encode(), output_width=None)
        (out / f"{ex.id}.png").write_bytes(png)
        tiles.append((ex.id, Image.open(io.BytesIO(png)).convert("RGB")))
    cell_w, cell_h, cols = 420, 260, 3
    per_sheet = cols * 4
    for n in range(0, len(tiles), per_sheet):
        group = tiles[n:n + per_sheet]
        rows = (len(group) + cols - 1) // cols
        sheet = Image.new("RGB", (cols * cell_w, rows * cell_h), "white")
        draw = ImageDraw.Draw(sheet)
        for i, (ex_id, img) in enumerate(group):
            img.thumbnail((cell_w - 10, cell_h - 24))
            x, y = (i % cols) * cell_w, (i // cols) * cell_h
            sheet.paste(img, (x + 5, y + 20))
            draw.text((x + 6, y + 4), ex_id, fill="black")
            draw.rectangle((x, y, x + cell_w - 1, y + cell_h - 1), outline="#cccccc")
        sheet.save(out / f"sheet-{n // per_sheet + 1}.png")


if __name__ == "__main__":
    main(Path(sys.argv[1]), sys.argv[2:])
