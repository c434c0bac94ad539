"""Grid codes (网格编码): patterns, validation and automatic numbering.

A code pattern is a small template stored with each level.  Tokens:

``{admin}``            the plan's administrative code (GB/T 2260, e.g. 440229)
``{parent}``           the parent grid's full code
``{parent_prefix:N}``  the first N characters of the parent's code
``{seq:0Nd}``          the grid's sequence number within its parent, N digits
``{code:N}``           N free digits typed by the planner (e.g. a GB/T 2260 code);
                       proposed from the plan's administrative code (see :func:`format_code`)

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
import shapely.affinity

__all__ = ["format_code", "is_valid_code", "code_regex", "reading_order", "code_length", "has_free_digits"]

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

    ``{code:N}`` tokens are free digits the planner types; their proposal is the
    digits of the plan's administrative code at the same place of the code (so a
    city ``{code:4}00`` of a plan of district 440306 is 440300, a district
    ``{code:6}`` top level is 440306 itself), counted on by ``seq``; without an
    administrative code, the sequence number zero-padded.

    >>> format_code("{admin}{seq:03d}000", 2, admin="440306")
    '440306002000'
    >>> format_code("{code:4}00", 1, admin="440306"), format_code("{code:6}", 1, admin="440306")
    ('440300', '440306')
    >>> format_code("{code:4}00", 1), format_code("{parent_prefix:4}{seq:02d}", 1, parent="000100")
    ('000100', '000101')
    """
    _check_pattern(pattern)
    out: list[str] = []
    pos = 0
    for m in _TOKEN.finditer(pattern):
        out.append(pattern[pos:m.start()])
        pos = m.end()
        tok = m.group(1)
        if tok == "admin":
            out.append(admin)
            continue
        if tok == "parent":
            out.append(parent)
            continue
        if m.group(2):
            out.append(parent[: int(m.group(2))])
            continue
        width = int(m.group(3) or m.group(4))
        text = ""
        if m.group(4):                       # free digits: from the administrative code where it has them
            at = len("".join(out))
            digits = str(admin or "")[at:at + width]
            if len(digits) == width and digits.isdigit():
                text = str(int(digits) + int(seq) - 1).zfill(width)
                text = text if len(text) == width else ""
        text = text or str(int(seq)).zfill(width)
        if len(text) > width:
            raise ValueError(f"sequence {seq} does not fit in {width} digits")
        out.append(text)
    out.append(pattern[pos:])
    return "".join(out)


def has_free_digits(pattern: str) -> bool:
    """Whether a pattern has ``{code:N}`` digits the planner types (which auto-numbering keeps).

    >>> has_free_digits("{code:4}00"), has_free_digits("{parent}{seq:02d}")
    (True, False)
    """
    return any(m.group(4) for m in _TOKEN.finditer(pattern))


def is_valid_code(code: str, pattern: str, admin: str = "", parent: str = "") -> bool:
    """Whether ``code`` has the pattern's format and extends its parent's code."""
    if not isinstance(code, str) or not code:
        return False
    return code_regex(pattern, admin, parent or "").fullmatch(code) is not None


def _grid_angle(geoms) -> float:
    """The rotation (radians, within ±45°) of a street-grid-like set of polygons:
    the length-weighted mean direction of their edges taken modulo 90°, or 0
    when the edges point every which way (irregular grids are read as drawn)."""
    rings = shapely.get_exterior_ring(shapely.get_parts(geoms))
    xy, idx = shapely.get_coordinates(rings, return_index=True)
    if len(xy) < 2:
        return 0.0
    same = idx[1:] == idx[:-1]
    d = (xy[1:] - xy[:-1])[same]
    w = np.hypot(d[:, 0], d[:, 1])
    if w.sum() <= 0:
        return 0.0
    a4 = 4.0 * np.arctan2(d[:, 1], d[:, 0])
    s, c = float((w * np.sin(a4)).sum()), float((w * np.cos(a4)).sum())
    if np.hypot(s, c) < 0.6 * w.sum():      # no dominant direction
        return 0.0
    ang = 0.25 * np.arctan2(s, c)
    # near 45° rows and columns are ambiguous: read such grids as drawn
    return 0.0 if abs(ang) < np.radians(1.0) or abs(ang) > np.radians(35.0) else float(ang)


def reading_order(geoms) -> np.ndarray:
    """Indices that order polygons west→east within rows, rows north→south.

    Rows are found from the grids' extents: the northernmost remaining grid
    (by the middle of its extent) starts a row, and every remaining grid whose
    north–south extent overlaps that grid's by at least half the smaller of
    the two heights joins it; the row reads west→east by the middle of each
    extent.  So cells of any aspect ratio (200×100, 1000×500 …) and rows of
    slightly different heights read row by row.  A grid laid out at an angle
    (a street grid turned by up to 30°) is read along its own rows.

    >>> from shapely import box
    >>> reading_order([box(1, 0, 2, 1), box(0, 0, 1, 1), box(0, 1, 1, 2)]).tolist()
    [2, 1, 0]
    >>> cells = [box(x, y, x + 200, y + 100) for y in (0, 100, 200) for x in (0, 200, 400)]
    >>> reading_order(cells).tolist()
    [6, 7, 8, 3, 4, 5, 0, 1, 2]
    """
    geoms = np.asarray(geoms, dtype=object)
    n = len(geoms)
    if n == 0:
        return np.zeros(0, dtype=int)
    ok = ~(shapely.is_missing(geoms) | shapely.is_empty(geoms))
    good = np.flatnonzero(ok)
    if len(good) == 0:
        return np.arange(n)
    g = geoms[good]
    ang = _grid_angle(g)
    if ang:
        c = shapely.centroid(shapely.union_all(shapely.envelope(g)))
        # turn the grid back by its angle so its rows run west→east
        g = np.array([shapely.affinity.rotate(x, -ang, origin=c, use_radians=True) for x in g], dtype=object)
    b = shapely.bounds(g)
    x0, y0, x1, y1 = b[:, 0], b[:, 1], b[:, 2], b[:, 3]
    xm, ym, h = (x0 + x1) / 2.0, (y0 + y1) / 2.0, np.maximum(y1 - y0, 1e-12)
    left = np.ones(len(g), dtype=bool)
    out: list[int] = []
    while left.any():
        cand = np.flatnonzero(left)
        seed = cand[np.lexsort((xm[cand], -ym[cand]))[0]]
        overlap = np.minimum(y1[cand], y1[seed]) - np.maximum(y0[cand], y0[seed])
        row = cand[overlap >= 0.5 * np.minimum(h[cand], h[seed]) - 1e-9 * h[seed]]
        row = row[np.lexsort((-ym[row], xm[row]))]
        out += row.tolist()
        left[row] = False
    return np.concatenate([good[out], np.flatnonzero(~ok)]).astype(int)
