"""Text extents in points, from the font's advance widths (no renderer, no Qt).

A line is as wide as the sum of its glyphs' advances (fontTools ``hmtx``; a
missing glyph counts as ``.notdef``): what matplotlib and Qt draw is never
wider (they may only kern pairs closer), and the width is exactly linear in
the size, so one measurement per text serves every size — about 10 µs a
line, where laying the text out with matplotlib took 2 ms.  Every one-line
text is equally tall (the em box): the label engine relies on it.

>>> from .fonts import find_cjk_font
>>> w, h = text_size_pt("网格", 10, find_cjk_font())
>>> 18 < w < 22 and 9 < h < 15
True
>>> text_size_pt("一\\n二", 10, find_cjk_font())[1] > h * 1.9
True
>>> text_size_pt("A01 网格", 12, find_cjk_font())[0] == 2 * text_size_pt("A01 网格", 6, find_cjk_font())[0]
True
"""

from __future__ import annotations

from functools import lru_cache

from .fonts import CJKFont

__all__ = ["text_size_pt", "line_em", "LINE_SPACING"]

LINE_SPACING = 1.2   # matplotlib's default line spacing


@lru_cache(maxsize=16)
def _metrics(path: str):
    from fontTools.ttLib import TTFont

    font = TTFont(path, fontNumber=0, lazy=True) if path.lower().endswith((".ttc", ".otc")) else \
        TTFont(path, lazy=True)
    cmap = font.getBestCmap() or {}
    hmtx = font["hmtx"].metrics
    upem = float(font["head"].unitsPerEm)
    notdef = hmtx.get(".notdef", (upem / 2, 0))[0]
    return cmap, hmtx, upem, notdef, {}


@lru_cache(maxsize=262144)
def line_em(text: str, path: str) -> float:
    """Width of one line of ``text`` in ems (its width in pt at 1 pt)."""
    cmap, hmtx, upem, notdef, adv = _metrics(path)
    total = 0.0
    for ch in text or " ":
        a = adv.get(ch)
        if a is None:
            g = cmap.get(ord(ch))
            a = adv[ch] = float(hmtx[g][0]) if g in hmtx else float(notdef)
        total += a
    return total / upem


def text_size_pt(text: str, size: float, font: CJKFont) -> tuple[float, float]:
    """(width, height) in points of ``text`` (lines split on ``\\n``) at ``size`` pt."""
    lines = str(text).split("\n")
    path = str(font.path)
    width = max(line_em(line, path) for line in lines) * float(size)
    # one line is as tall as the font's em box; each further line adds the spacing
    height = size * (1.0 + LINE_SPACING * (len(lines) - 1)) * 1.15
    return width, height
