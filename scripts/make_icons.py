"""Draw the app icons (favicon, home-screen icons) from code, so they are ours and reproducible.

    .venv/bin/python scripts/make_icons.py

Writes src/backstride/web/static/icons/*.png and favicon.ico. A blue rounded square with a
white spine-and-stride mark: a curved line (the lower back) over two strides.
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw

ACCENT = (29, 95, 168, 255)  # --accent in style.css
OUT = Path(__file__).resolve().parents[1] / "src" / "backstride" / "web" / "static" / "icons"


def draw(size_px: int, *, maskable: bool = False) -> Image.Image:
    scale = 4  # draw large, then downsample: smooth edges without an anti-aliasing library
    s = size_px * scale
    img = Image.new("RGBA", (s, s), (0, 0, 0, 0))
    d = ImageDraw.Draw(img)
    radius = 0 if maskable else int(s * 0.22)
    d.rounded_rectangle((0, 0, s - 1, s - 1), radius=radius, fill=ACCENT)
    inset = 0.2 if maskable else 0.12  # maskable icons keep their mark inside the safe zone
    def p(x: float, y: float) -> tuple[float, float]:
        return (s * (inset + x * (1 - 2 * inset)), s * (inset + y * (1 - 2 * inset)))
    w = max(2, int(s * 0.075))
    white = (255, 255, 255, 255)
    # the head
    cx, cy = p(0.56, 0.14)
    r = s * 0.075
    d.ellipse((cx - r, cy - r, cx + r, cy + r), fill=white)
    # the spine: a gentle S from the neck to the pelvis
    spine = [p(0.54, 0.27), p(0.50, 0.38), p(0.47, 0.48), p(0.48, 0.58)]
    d.line(spine, fill=white, width=w, joint="curve")
    # legs in stride
    d.line([p(0.48, 0.58), p(0.66, 0.72), p(0.78, 0.90)], fill=white, width=w, joint="curve")
    d.line([p(0.48, 0.58), p(0.36, 0.76), p(0.20, 0.82)], fill=white, width=w, joint="curve")
    # arms
    d.line([p(0.52, 0.32), p(0.68, 0.42), p(0.76, 0.32)], fill=white, width=w, joint="curve")
    d.line([p(0.52, 0.32), p(0.38, 0.42), p(0.28, 0.50)], fill=white, width=w, joint="curve")
    for pt in (spine[0], spine[-1]):
        d.ellipse((pt[0] - w / 2, pt[1] - w / 2, pt[0] + w / 2, pt[1] + w / 2), fill=white)
    return img.resize((size_px, size_px), Image.Resampling.LANCZOS)


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for size in (192, 512):
        draw(size).save(OUT / f"icon-{size}.png", optimize=True)
    draw(512, maskable=True).save(OUT / "icon-maskable-512.png", optimize=True)
    draw(180).save(OUT / "apple-touch-icon.png", optimize=True)
    draw(64).save(OUT / "favicon.ico", sizes=[(16, 16), (32, 32), (48, 48)])


if __name__ == "__main__":
    main()
