"""Wrapped text and simple ruled tables drawn on a :class:`~.layout.Sheet` in mm.

Chinese has no spaces: text wraps between characters, but never inside a
run of Latin letters or digits (a grid code or a phone number stays whole).

>>> from .fonts import find_cjk_font
>>> font = find_cjk_font()
>>> lines = wrap_text("网格员：张三（城管队员，13800000000）、李四（网格员，13900000000）", 9, 40, font)
>>> len(lines) > 1 and all("1380000000" not in l or "13800000000" in l for l in lines)
True
>>> "".join(lines) == "网格员：张三（城管队员，13800000000）、李四（网格员，13900000000）"
True
"""

from __future__ import annotations

import re

from .fonts import CJKFont
from .layout import MM_PER_PT, Rect, Sheet
from .measure import text_size_pt

__all__ = ["wrap_text", "draw_table", "Column"]

_TOKENS = re.compile(r"[A-Za-z0-9._@+\-/]+|\s+|.", re.DOTALL)


def wrap_text(text: str, size: float, width_mm: float, font: CJKFont) -> list[str]:
    """Lines of ``text`` at ``size`` pt that fit ``width_mm`` (explicit ``\\n`` kept)."""
    out: list[str] = []
    for para in str(text).split("\n"):
        line = ""
        for tok in _TOKENS.findall(para):
            trial = line + tok
            if line and text_size_pt(trial, size, font)[0] * MM_PER_PT > width_mm:
                out.append(line)
                line = tok.lstrip() if tok.isspace() else tok
            else:
                line = trial
        out.append(line)
    return out


class Column:
    """A table column: title, width in mm, alignment."""

    def __init__(self, title: str, width: float, align: str = "left"):
        self.title, self.width, self.align = title, width, align


def draw_table(sheet: Sheet, x: float, top: float, columns: list[Column], rows: list[list[str]],
               size: float = 8.0, bottom: float = 0.0, header: bool = True,
               header_fill: str = "#e8e8e8") -> tuple[float, int]:
    """Draw a ruled table with its top-left corner at (x, top) mm; rows wrap
    inside their cells.  Stops before ``bottom``; returns (y of the table's
    bottom edge, number of rows drawn)."""
    font = sheet.font
    line_h = size * MM_PER_PT * 1.45
    pad = 1.2
    width = sum(c.width for c in columns)
    y = top
    all_rows = ([[c.title for c in columns]] if header else []) + rows
    drawn = 0
    for i, row in enumerate(all_rows):
        wrapped = [wrap_text(str(v), size, c.width - 2 * pad, font) for v, c in zip(row, columns)]
        n = max(len(w) for w in wrapped)
        h = n * line_h + 2 * pad
        if y - h < bottom and i > (1 if header else 0):
            break
        is_head = header and i == 0
        sheet.rect(Rect(x, y - h, width, h), lw=0.4, fill=header_fill if is_head else None)
        cx = x
        for lines, c in zip(wrapped, columns):
            if cx > x:
                sheet.line([cx, cx], [y - h, y], lw=0.4)
            tx = {"left": cx + pad, "center": cx + c.width / 2, "right": cx + c.width - pad}[
                "center" if is_head else c.align]
            sheet.text(tx, y - pad - line_h * 0.12, "\n".join(lines), size,
                       ha="center" if is_head else c.align, va="top", linespacing=1.45)
            cx += c.width
        y -= h
        if not is_head:
            drawn += 1
    return y, drawn
