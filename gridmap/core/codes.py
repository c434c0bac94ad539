"""Grid codes (网格编码): patterns, validation and automatic numbering.

A code pattern is a small template stored with each level.  Tokens:

``{admin}``            the plan's administrative code (GB/T 2260, e.g. 440229)
``{parent}``           the parent grid's full code
``{parent_prefix:N}``  the first N characters of the parent's code
``{seq:0Nd}``          the grid's sequence number within its parent, N digits
``{code:N}``           N free digits typed by the planner (e.g. a GB/T 2260 code)

Codes are always text: leading zeros survive.

>>> format_code("{parent}{seq:02d}", 7, admin="440229", parent="440229001000")
'44022900100007'
>>> is_valid_code("44022900100007", "{parent}{seq:02d}", admin="440229", parent="440229001000")
True
>>> is_valid_code("4402290010007", "{parent}{seq:02d}", admin="440229", parent="440229001000")
False
"""

from __future__ import annotations

import re
from functools import lru_cache

import numpy as np
import shapely

__all__ = ["format_code", "is_valid_code", "code_regex", "reading_order", "code_length"]

_TOKEN = re.compile(r"\{(admin|parent|parent_prefix:(\d+)|seq:0?(\d+)d|code:(\d+))\}")


def _check_pattern(pattern: str) -> None:
    rest = _TOKEN.sub("", pattern)
    if "{" in rest or "}" in rest:
        raise ValueError(f"code pattern {pattern!r} has an unknown token")
    if not re.fullmatch(r"[0-9A-Za-z]*", rest):
        raise ValueError(f"code pattern {pattern!r}: fixed parts may only be digits or letters")


@lru_cache(maxsize=4096)
def code_regex(pattern: str, admin: str = "", parent: str = "") -> re.Pattern:
    """A compiled regular expression that codes of ``pattern`` must match.

    >>> bool(code_regex("{admin}{seq:03d}000", admin="440306").fullmatch("440306012000"))
    True
    """
    _check_pattern(pattern)
    out, pos = [], 0
    for m in _TOKEN.finditer(pattern):
        out.append(re.escape(pattern[pos:m.start()]))
        tok = m.group(1)
        if tok == "admin":
            out.append(re.escape(admin))
        elif tok == "parent":
            out.append(re.escape(parent))
        elif m.group(2):
            out.append(re.escape(parent[: int(m.group(2))]))
        elif m.group(3):
            out.append(r"\d{%d}" % int(m.group(3)))
        else:
            out.append(r"\d{%d}" % int(m.group(4)))
        pos = m.end()
    out.append(re.escape(pattern[pos:]))
    return re.compile("".join(out))


def code_length(pattern: str, admin: str = "", parent: str = "") -> int:
    """Length of the codes a pattern produces.

    >>> code_length("{parent}{seq:02d}", parent="440229001000")
    14
    """
    return len(format_code(pattern, 0, admin=admin, parent=parent))


def format_code(pattern: str, seq: int, admin: str = "", parent: str = "") -> str:
    """The code of the ``seq``-th grid (1-based) under ``parent``.

    ``{code:N}`` tokens have no automatic value: they are filled with the
    sequence number, zero-padded, as a proposal the planner overwrites.

    >>> format_code("{admin}{seq:03d}000", 2, admin="440306")
    '440306002000'
    """
    _check_pattern(pattern)

    def sub(m: re.Match) -> str:
        tok = m.group(1)
        if tok == "admin":
            return admin
        if tok == "parent":
            return parent
        if m.group(2):
            return parent[: int(m.group(2))]
        width = int(m.group(3) or m.group(4))
        text = str(int(seq)).zfill(width)
        if len(text) > width:
            raise ValueError(f"sequence {seq} does not fit in {width} digits")
        return text

    return _TOKEN.sub(sub, pattern)


def is_valid_code(code: str, pattern: str, admin: str = "", parent: str = "") -> bool:
    """Whether ``code`` has the pattern's format and extends its parent's code."""
    if not isinstance(code, str) or not code:
        return False
    return code_regex(pattern, admin, parent or "").fullmatch(code) is not None


def reading_order(geoms) -> np.ndarray:
    """Indices that order polygons west→east within rows, rows north→south.

    Rows are bands of the typical grid height (median of sqrt(area)), so a
    row of grids of slightly different heights still reads left to right.

    >>> from shapely import box
    >>> reading_order([box(1, 0, 2, 1), box(0, 0, 1, 1), box(0, 1, 1, 2)]).tolist()
    [2, 1, 0]
    """
    geoms = np.asarray(geoms, dtype=object)
    if len(geoms) == 0:
        return np.zeros(0, dtype=int)
    pts = shapely.point_on_surface(geoms)
    x = shapely.get_x(pts)
    y = shapely.get_y(pts)
    h = float(np.median(np.sqrt(np.maximum(shapely.area(geoms), 0.0))))
    if not np.isfinite(h) or h <= 0:
        h = 1.0
    row = np.floor((np.nanmax(y) - y) / h + 0.5)
    return np.lexsort((x, row))
