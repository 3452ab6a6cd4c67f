"""The visible seal: a red round seal with the agency's name along the top and a five-pointed star, drawn here
(PNG, transparent background). It is the *appearance* of the digital seal signature; the legal force is in the
signature (seal.py), not in the picture."""

from __future__ import annotations

import functools
import io
import math

from . import conf

SEAL_RED = (218, 37, 29, 255)
SEAL_DIAMETER_MM = 42  # the usual size of an agency's round seal


def _font(path: str, size: int):
    from PIL import ImageFont  # Pillow loads when a seal is drawn, not at start-up (docs/performance.md)

    try:
        return ImageFont.truetype(path, size)
    except OSError:
        return ImageFont.load_default(size)


def seal_png(name: str, size: int = 480) -> bytes:
    """A round seal of ``size`` pixels with ``name`` around the top arc."""
    return _drawn(name, size, str(conf.seal_font()))


@functools.lru_cache(maxsize=64)
def _drawn(name: str, size: int, font_path: str) -> bytes:
    """The picture depends on the name, the size and the font alone: drawn once per process (about 80 ms each, and
    every sealed document needs one), kept as immutable bytes."""
    from PIL import Image, ImageDraw

    img = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(img)
    ring = max(size // 32, 2)
    draw.ellipse((ring, ring, size - ring, size - ring), outline=SEAL_RED, width=ring)
    chars = list(name.strip())[:16] or ["印"]
    glyph = int(size * (0.15 if len(chars) <= 10 else 0.12))
    font = _font(font_path, glyph)
    span = min(250.0, 28.0 * len(chars) + 40)
    radius = size / 2 - ring * 2 - glyph * 0.62
    cell = int(glyph * 1.5)
    for index, char in enumerate(chars):
        angle = -span / 2 + span * (index + 0.5) / len(chars)  # degrees clockwise from the top
        tile = Image.new("RGBA", (cell, cell), (0, 0, 0, 0))
        ImageDraw.Draw(tile).text((cell / 2, cell / 2), char, font=font, fill=SEAL_RED, anchor="mm")
        tile = tile.rotate(-angle, resample=Image.Resampling.BICUBIC)
        x = size / 2 + radius * math.sin(math.radians(angle))
        y = size / 2 - radius * math.cos(math.radians(angle))
        img.alpha_composite(tile, (int(x - cell / 2), int(y - cell / 2)))
    outer = size * 0.17
    points = []
    for i in range(10):
        r = outer if i % 2 == 0 else outer * 0.382
        a = math.radians(-90 + 36 * i)
        points.append((size / 2 + r * math.cos(a), size / 2 + r * math.sin(a)))
    draw.polygon(points, fill=SEAL_RED)
    out = io.BytesIO()
    img.save(out, format="PNG", optimize=True)
    return out.getvalue()
