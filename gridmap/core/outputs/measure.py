"""Text extents in points, measured from the font's outlines (no renderer, no Qt).

>>> from .fonts import find_cjk_font
>>> w, h = text_size_pt("网格", 10, find_cjk_font())
>>> 18 < w < 22 and 9 < h < 15
True
>>> text_size_pt("一\\n二", 10, find_cjk_font())[1] > h * 1.9
True
"""

from __future__ import annotations

from functools import lru_cache

from .fonts import CJKFont

__all__ = ["text_size_pt", "LINE_SPACING"]

LINE_SPACING = 1.2   # matplotlib's default line spacing


@lru_cache(maxsize=65536)
def _line(text: str, size: float, path: str) -> tuple[float, float]:
    from matplotlib.font_manager import FontProperties
    from matplotlib.textpath import TextToPath

    w, h, d = TextToPath().get_text_width_height_descent(text or " ", FontProperties(fname=path, size=size),
                                                         ismath=False)
    return float(w), float(h)


def text_size_pt(text: str, size: float, font: CJKFont) -> tuple[float, float]:
    """(width, height) in points of ``text`` (lines split on ``\\n``) at ``size`` pt."""
    lines = str(text).split("\n")
    widths = [_line(line, float(size), str(font.path))[0] for line in lines]
    # one line is as tall as the font's em box; each further line adds the spacing
    height = size * (1.0 + LINE_SPACING * (len(lines) - 1)) * 1.15
    return max(widths), height
