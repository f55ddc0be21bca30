"""Default badge pictures: a coloured disc with initials, as SVG or PNG (standard
library only), for achievements that have no image of their own.
"""

from __future__ import annotations

import hashlib
import struct
import unicodedata
import zlib
from xml.sax.saxutils import escape

PALETTE = ("#1f6f8b", "#2e7d32", "#8e24aa", "#c62828", "#ef6c00", "#00796b", "#3949ab")

# 5x7 bitmap glyphs (rows top to bottom, 5 bits each, MSB left)
_FONT = {
    "A": (14, 17, 17, 31, 17, 17, 17),
    "B": (30, 17, 17, 30, 17, 17, 30),
    "C": (14, 17, 16, 16, 16, 17, 14),
    "D": (30, 17, 17, 17, 17, 17, 30),
    "E": (31, 16, 16, 30, 16, 16, 31),
    "F": (31, 16, 16, 30, 16, 16, 16),
    "G": (14, 17, 16, 23, 17, 17, 15),
    "H": (17, 17, 17, 31, 17, 17, 17),
    "I": (14, 4, 4, 4, 4, 4, 14),
    "J": (7, 2, 2, 2, 2, 18, 12),
    "K": (17, 18, 20, 24, 20, 18, 17),
    "L": (16, 16, 16, 16, 16, 16, 31),
    "M": (17, 27, 21, 21, 17, 17, 17),
    "N": (17, 17, 25, 21, 19, 17, 17),
    "O": (14, 17, 17, 17, 17, 17, 14),
    "P": (30, 17, 17, 30, 16, 16, 16),
    "Q": (14, 17, 17, 17, 21, 18, 13),
    "R": (30, 17, 17, 30, 20, 18, 17),
    "S": (15, 16, 16, 14, 1, 1, 30),
    "T": (31, 4, 4, 4, 4, 4, 4),
    "U": (17, 17, 17, 17, 17, 17, 14),
    "V": (17, 17, 17, 17, 17, 10, 4),
    "W": (17, 17, 17, 21, 21, 21, 10),
    "X": (17, 17, 10, 4, 10, 17, 17),
    "Y": (17, 17, 10, 4, 4, 4, 4),
    "Z": (31, 1, 2, 4, 8, 16, 31),
    "0": (14, 17, 19, 21, 25, 17, 14),
    "1": (4, 12, 4, 4, 4, 4, 14),
    "2": (14, 17, 1, 2, 4, 8, 31),
    "3": (30, 1, 1, 14, 1, 1, 30),
    "4": (2, 6, 10, 18, 31, 2, 2),
    "5": (31, 16, 30, 1, 1, 17, 14),
    "6": (6, 8, 16, 30, 17, 17, 14),
    "7": (31, 1, 2, 4, 8, 8, 8),
    "8": (14, 17, 17, 14, 17, 17, 14),
    "9": (14, 17, 17, 15, 1, 2, 12),
}


def initials(name: str, limit: int = 2) -> str:
    """Upper-case ASCII initials of the first words of ``name`` (accents removed)."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    words = [w for w in plain.replace("-", " ").split() if w[:1].isalnum()]
    return "".join(w[0] for w in words[:limit]).upper() or "?"


def colour_for(name: str) -> str:
    """A stable palette colour for ``name``."""
    digest = hashlib.sha256(name.encode("utf-8")).digest()
    return PALETTE[digest[0] % len(PALETTE)]


def default_badge_svg(name: str, colour: str | None = None, size: int = 256) -> str:
    """An SVG disc with the initials of ``name``; ``<title>`` carries the full name."""
    colour = colour or colour_for(name)
    half = size // 2
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{size}" height="{size}" '
        f'viewBox="0 0 {size} {size}" role="img">'
        f"<title>{escape(name)}</title>"
        f'<circle cx="{half}" cy="{half}" r="{half - 4}" fill="{escape(colour)}" '
        f'stroke="#ffffff" stroke-width="6"/>'
        f'<text x="{half}" y="{half}" dy="0.35em" text-anchor="middle" '
        f'font-family="sans-serif" font-weight="bold" font-size="{size * 3 // 8}" '
        f'fill="#ffffff">{escape(initials(name))}</text></svg>'
    )


def _rgb(colour: str) -> tuple[int, int, int]:
    colour = colour.lstrip("#")
    return int(colour[0:2], 16), int(colour[2:4], 16), int(colour[4:6], 16)


def default_badge_png(name: str, colour: str | None = None, size: int = 256) -> bytes:
    """A PNG (RGBA) disc with the initials of ``name`` drawn with a bitmap font."""
    red, green, blue = _rgb(colour or colour_for(name))
    text = "".join(c for c in initials(name) if c in _FONT) or "?"
    scale = max(1, size // (6 * max(len(text), 2) + 4))
    text_w, text_h = (6 * len(text) - 1) * scale, 7 * scale
    left, top = (size - text_w) // 2, (size - text_h) // 2
    centre, radius = (size - 1) / 2, size / 2 - 2
    rows = []
    for y in range(size):
        row = bytearray(b"\0")  # filter type 0
        for x in range(size):
            if (x - centre) ** 2 + (y - centre) ** 2 > radius**2:
                row += b"\0\0\0\0"
                continue
            pixel = (red, green, blue, 255)
            gx, gy = (x - left) // scale, (y - top) // scale
            if 0 <= gy < 7 and 0 <= x - left < text_w and gx % 6 < 5:
                glyph = _FONT.get(text[gx // 6])
                if glyph and glyph[gy] & (16 >> (gx % 6)):
                    pixel = (255, 255, 255, 255)
            row += bytes(pixel)
        rows.append(bytes(row))
    header = struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0)

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data)
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"".join(rows), 9))
        + chunk(b"IEND", b"")
    )
