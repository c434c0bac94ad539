"""The one label engine (screen and paper): which text a grid's label shows, and
greedy, collision-free placement of label boxes.

:func:`grid_label_variants` says what a grid's label may read, fullest first
("code\nname", then the code alone); the desktop canvas and the printed maps
both label grids with it.  :class:`LabelPlacer` places labels in map units
(the printed maps); :func:`place` places a batch of pixel boxes for one
screen frame (the canvas), both first come first served.

Labels without collisions: a greedy placer over axis-aligned boxes in map units.

Labels are placed one by one, most important first.  A polygon's label tries
the polygon's pole of inaccessibility and points around it, from the largest
size and fullest text ("code\\nname") down to the smallest size and the code
alone, and must fit inside the polygon; failing that it may overhang the
polygon, then move off it with a leader line.  A road name lies along its
line.  Nothing placed overlaps anything placed before or leaves the extent.

>>> from shapely import box
>>> placer = LabelPlacer((0, 0, 100, 100), m_per_pt=1.0, measure=lambda t, s: (len(t) * s * 0.6, s))
>>> a = placer.place_in_polygon("a", box(0, 0, 50, 50), ["A-long-name", "A"], [10, 6])
>>> b = placer.place_in_polygon("b", box(0, 0, 50, 50), ["B"], [10])
>>> a.text, a.size, b is not None, placer.overlaps()
('A-long-name', 6, True, False)
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd
import shapely
from shapely.ops import polylabel

__all__ = ["LabelPlacer", "Placed", "anchor_point", "grid_label_variants", "place", "font_px_for",
           "GridLabel", "GridLabelResult", "place_grid_labels", "grid_label_items", "level_label_sizes",
           "too_dense", "MIN_LABEL_PT", "OccupiedIndex"]


@dataclass
class Placed:
    """A placed label: centre (x, y) and box in map units, size in points,
    angle in degrees; ``leader`` is the point it points to when it was moved
    off its feature."""

    key: object
    text: str
    size: float
    x: float
    y: float
    box: tuple[float, float, float, float]
    angle: float = 0.0
    leader: tuple[float, float] | None = None


def anchor_point(poly) -> tuple[float, float]:
    """The point of a polygon farthest inside it (the largest part of a multipolygon).

    >>> from shapely import box
    >>> anchor_point(box(0, 0, 10, 2))
    (5.0, 1.0)
    """
    if poly.geom_type == "MultiPolygon":
        parts = list(poly.geoms)
        poly = parts[int(np.argmax([p.area for p in parts]))]
    if not poly.is_valid:
        p = poly.representative_point() if not poly.is_empty else shapely.Point(0, 0)
        return float(p.x), float(p.y)
    tol = max(math.sqrt(max(poly.area, 1e-12)) / 50.0, 1e-9)
    p = polylabel(poly, tolerance=tol)
    c = poly.centroid
    ring = poly.exterior
    # the centroid reads better when it is nearly as deep inside as the pole
    if poly.contains(c) and c.distance(ring) >= 0.7 * p.distance(ring):
        p = c
    return float(p.x), float(p.y)


class LabelPlacer:
    """Greedy, collision-free label placement in a rectangular extent.

    ``m_per_pt`` converts points on paper to map units; ``measure(text, size)``
    gives a text's (width, height) in points (every one-line text equally tall,
    as :func:`~gridmap.core.outputs.measure.text_size_pt` measures).
    """

    def __init__(self, extent, m_per_pt: float, measure: Callable[[str, float], tuple[float, float]],
                 pad_pt: float = 0.8):
        self.extent = tuple(float(v) for v in extent)
        self.m_per_pt = float(m_per_pt)
        self.measure = measure
        self.pad = pad_pt * self.m_per_pt
        self._boxes: list[tuple[float, float, float, float]] = []
        # taken boxes bucketed on a coarse grid (a free test looks at a few buckets, not at every box)
        ex0, ey0, ex1, ey1 = self.extent
        self._cell = max(ex1 - ex0, ey1 - ey0, 1e-9) / 48.0
        self._buckets: dict[tuple[int, int], list[tuple[float, float, float, float]]] = {}
        self._sizes: dict[tuple[str, float], tuple[float, float]] = {}
        self.placed: list[Placed] = []

    @property
    def boxes(self) -> np.ndarray:
        """Every taken box (labels and obstacles), (n, 4) in map units."""
        return np.array(self._boxes, dtype=float).reshape(-1, 4)

    # ------------------------------------------------------------------ boxes
    def box_size(self, text: str, size: float) -> tuple[float, float]:
        """(width, height) in map units of ``text`` at ``size`` pt, padding included."""
        key = (text, size)
        hit = self._sizes.get(key)
        if hit is None:
            w, h = self.measure(text, size)
            hit = self._sizes[key] = (w * self.m_per_pt + 2 * self.pad, h * self.m_per_pt + 2 * self.pad)
        return hit

    def _cells(self, x0, y0, x1, y1):
        c, ex0, ey0 = self._cell, self.extent[0], self.extent[1]
        i0, i1 = int((x0 - ex0) // c), int((x1 - ex0) // c)
        j0, j1 = int((y0 - ey0) // c), int((y1 - ey0) // c)
        if (i1 - i0 + 1) * (j1 - j0 + 1) > 4096:         # a huge obstacle: clamp to the extent's cells
            i0, j0, i1, j1 = max(i0, -1), max(j0, -1), min(i1, 49), min(j1, 49)
        for i in range(i0, i1 + 1):
            for j in range(j0, j1 + 1):
                yield i, j

    def free(self, box) -> bool:
        """Whether ``box`` lies in the extent and overlaps no placed box or obstacle."""
        x0, y0, x1, y1 = box
        ex0, ey0, ex1, ey1 = self.extent
        if x0 < ex0 or y0 < ey0 or x1 > ex1 or y1 > ey1:
            return False
        get, c = self._buckets.get, self._cell
        i0, i1 = int((x0 - ex0) // c), int((x1 - ex0) // c)
        j0, j1 = int((y0 - ey0) // c), int((y1 - ey0) // c)
        for i in range(i0, i1 + 1):
            for j in range(j0, j1 + 1):
                for a0, b0, a1, b1 in get((i, j), ()):
                    if a0 < x1 and a1 > x0 and b0 < y1 and b1 > y0:
                        return False
        return True

    def add_obstacle(self, box) -> None:
        """Keep labels off ``box`` (e.g. the legend or the north arrow), in map units."""
        r = tuple(float(v) for v in box)
        self._boxes.append(r)
        for key in self._cells(*r):
            self._buckets.setdefault(key, []).append(r)

    def take(self, p: Placed) -> Placed:
        """Accept a placement found by the caller (its box must be :meth:`free`)."""
        self.add_obstacle(p.box)
        self.placed.append(p)
        return p

    def overlaps(self) -> bool:
        """Whether any two placed labels overlap (never, by construction)."""
        b = np.array([p.box for p in self.placed]) if self.placed else np.empty((0, 4))
        for i in range(len(b)):
            o = b[i + 1:]
            if ((o[:, 0] < b[i, 2]) & (o[:, 2] > b[i, 0]) & (o[:, 1] < b[i, 3]) & (o[:, 3] > b[i, 1])).any():
                return True
        return False

    # ------------------------------------------------------------------ polygons
    def place_in_polygon(self, key, poly, variants: list[str], sizes: list[float],
                         leader: bool = True, overhang: bool = True, anchor=None) -> Placed | None:
        """Label a polygon with the first text variant and size that fits (see module doc);
        ``anchor`` is :func:`anchor_point` of ``poly`` when the caller has it already."""
        if poly is None or poly.is_empty:
            return None
        ax, ay = anchor if anchor is not None else anchor_point(poly)
        shapely.prepare(poly)
        bx0, by0, bx1, by1 = poly.bounds
        regions: dict[float, object] = {}
        for text in variants:
            for size in sizes:
                w, h = self.box_size(text, size)
                tol = 0.15 * h
                # the box must lie in the polygon grown by tol: no wider or taller than its bounds grown so
                if w > bx1 - bx0 + 2 * tol or h > by1 - by0 + 2 * tol:
                    continue
                region = None
                for dx, dy in ((0, 0), (0, 0.6), (0, -0.6), (0.25, 0), (-0.25, 0), (0, 1.2), (0, -1.2)):
                    x, y = ax + dx * w, ay + dy * h
                    box = (x - w / 2, y - h / 2, x + w / 2, y + h / 2)
                    if not self.free(box):
                        continue
                    if region is None:
                        region = regions.get(tol)
                        if region is None:
                            region = regions[tol] = poly.buffer(tol) if tol > 0 else poly
                            shapely.prepare(region)
                    if region.contains(shapely.box(*box)):
                        return self.take(Placed(key, text, size, x, y, box))
        text, size = variants[-1], sizes[-1]
        w, h = self.box_size(text, size)
        for dx, dy in ((0, 0), (0, 0.6), (0, -0.6), (0.5, 0), (-0.5, 0)) if overhang else ():
            x, y = ax + dx * w, ay + dy * h
            box = (x - w / 2, y - h / 2, x + w / 2, y + h / 2)
            if self.free(box) and poly.intersects(shapely.Point(x, y)):
                return self.take(Placed(key, text, size, x, y, box))
        if not leader:
            return None
        for ring in (1.0, 1.6, 2.4, 3.4, 4.6):
            for deg in (45, 135, 225, 315, 90, 270, 0, 180):
                a = math.radians(deg)
                x = ax + math.cos(a) * (w / 2 + h) * ring
                y = ay + math.sin(a) * (h / 2 + h) * ring
                box = (x - w / 2, y - h / 2, x + w / 2, y + h / 2)
                if self.free(box):
                    return self.take(Placed(key, text, size, x, y, box, leader=(ax, ay)))
        return None

    # ------------------------------------------------------------------ lines
    def place_along_line(self, key, line, text: str, size: float,
                         fractions=(0.5, 0.35, 0.65, 0.2, 0.8)) -> Placed | None:
        """Label a line at the first free position along it, turned to its direction
        (never upside down)."""
        if line is None or line.is_empty:
            return None
        w, h = self.box_size(text, size)
        length = line.length
        if length < 1.1 * w:
            return None
        for f in fractions:
            d = f * length
            if d - w / 2 < 0 or d + w / 2 > length:
                continue
            p0, p1, pc = line.interpolate(d - w / 2), line.interpolate(d + w / 2), line.interpolate(d)
            ang = math.degrees(math.atan2(p1.y - p0.y, p1.x - p0.x))
            if ang > 90:
                ang -= 180
            elif ang <= -90:
                ang += 180
            a = math.radians(ang)
            c, s = abs(math.cos(a)), abs(math.sin(a))
            hw, hh = (w * c + h * s) / 2, (w * s + h * c) / 2
            box = (pc.x - hw, pc.y - hh, pc.x + hw, pc.y + hh)
            if self.free(box):
                return self.take(Placed(key, text, size, pc.x, pc.y, box, angle=ang))
        return None


def grid_label_variants(code, name, names: bool = True) -> list[str]:
    """What a grid's label may read, fullest first: "code\nname", then the code
    (or the name when there is no code).  Empty when the grid has neither.

    >>> grid_label_variants("A01", "东区"), grid_label_variants("A01", ""), grid_label_variants("", "")
    (['A01\\n东区', 'A01'], ['A01'], [])
    """
    code = "" if code is None or (not isinstance(code, str) and pd.isna(code)) else str(code)
    name = "" if name is None or (not isinstance(name, str) and pd.isna(name)) else str(name)
    out = [f"{code}\n{name}"] if names and name and code else []
    last = code or name
    return out + [last] if last else out


# ---------------------------------------------------------------------- pixel boxes (one screen frame)
class OccupiedIndex:
    """Rectangles already taken, bucketed on a coarse pixel grid.

    >>> idx = OccupiedIndex(cell=32)
    >>> idx.add(0, 0, 10, 10)
    >>> idx.hits(5, 5, 20, 20), idx.hits(11, 0, 20, 5)
    (True, False)
    """

    def __init__(self, cell: float = 64.0):
        self.cell = float(cell)
        self.buckets: dict[tuple[int, int], list[tuple[float, float, float, float]]] = {}

    def _cells(self, x0, y0, x1, y1):
        c = self.cell
        for i in range(int(x0 // c), int(x1 // c) + 1):
            for j in range(int(y0 // c), int(y1 // c) + 1):
                yield i, j

    def hits(self, x0, y0, x1, y1) -> bool:
        for key in self._cells(x0, y0, x1, y1):
            for a0, b0, a1, b1 in self.buckets.get(key, ()):
                if x0 < a1 and a0 < x1 and y0 < b1 and b0 < y1:
                    return True
        return False

    def add(self, x0, y0, x1, y1) -> None:
        r = (x0, y0, x1, y1)
        for key in self._cells(x0, y0, x1, y1):
            self.buckets.setdefault(key, []).append(r)


def place(px, py, w, h, width: int, height: int, pad: float = 2.0,
          occupied: OccupiedIndex | None = None) -> np.ndarray:
    """Indices of the candidates that get a label, in priority (input) order.

    ``px, py`` are box centres in pixels, ``w, h`` box sizes; boxes leaving the
    ``width`` × ``height`` image are dropped; ``pad`` pixels of air around each.
    """
    px, py, w, h = (np.asarray(a, float) for a in (px, py, w, h))
    x0 = px - w / 2 - pad
    x1 = px + w / 2 + pad
    y0 = py - h / 2 - pad
    y1 = py + h / 2 + pad
    inside = (x0 >= 0) & (y0 >= 0) & (x1 <= width) & (y1 <= height)
    cell = float(max(32.0, np.median(w) if len(w) else 32.0))
    occ = occupied if occupied is not None else OccupiedIndex(cell)
    keep = []
    for i in np.flatnonzero(inside):
        a, b, c, d = x0[i], y0[i], x1[i], y1[i]
        if not occ.hits(a, b, c, d):
            occ.add(a, b, c, d)
            keep.append(int(i))
    return np.asarray(keep, dtype=np.int64)


def font_px_for(feature_px: np.ndarray, sizes=(10, 12, 14, 17)) -> np.ndarray:
    """A font pixel size for each feature by its size on screen (a few steps,
    so text metrics can be cached): bigger grids get bigger labels.

    >>> font_px_for(np.array([20.0, 150.0, 400.0, 2000.0])).tolist()
    [10, 12, 14, 17]
    """
    f = np.asarray(feature_px, float)
    steps = np.array([0.0, 120.0, 300.0, 700.0])
    return np.asarray(sizes)[np.searchsorted(steps, f, side="right") - 1]


# ---------------------------------------------------------------------- grids (screen and paper)
MIN_LABEL_PT = 6.0       # no grid label is smaller (paper, and the canvas at the screen's dpi)
DENSE_FRACTION = 0.25    # grids left over need more than this share of the map as numbers: too dense


@dataclass
class GridLabel:
    """A grid to label: ``key``, polygon (in the placer's units), code and name,
    the sizes (largest first) its label may take and, when known, its
    :func:`anchor_point` (the canvas keeps them per grid)."""

    key: object
    geom: object
    code: str
    name: str
    sizes: list[float]
    anchor: tuple[float, float] | None = None
    level: int = 0

    def anchor_xy(self) -> tuple[float, float]:
        if self.anchor is None:
            self.anchor = anchor_point(self.geom)
        return self.anchor


@dataclass
class GridLabelResult:
    """What :func:`place_grid_labels` did: ``placed`` labels (code and name,
    inside their grid or beside it with a leader line), ``numbered`` — (number,
    grid, the number's placed label or None) of grids too small for their text,
    which a side list (key) then names — and ``missing``: grids with nothing
    on the map (too many for numbers: the map is too dense for them)."""

    placed: list[Placed]
    numbered: list[tuple[int, GridLabel, Placed | None]]
    missing: list[GridLabel]
    dense: bool = False


def level_label_sizes(level_index: int, n_levels: int, text_scale: float = 1.0,
                      min_size: float = MIN_LABEL_PT) -> list[float]:
    """The sizes (pt, largest first) a grid label of a level may take: from the
    style set's size of the level down to ``min_size`` (× ``text_scale``, which
    grows labels on A3).

    >>> level_label_sizes(0, 2), level_label_sizes(1, 2)
    ([9.0, 8.0, 7.0, 6.5, 6.0], [6.0])
    """
    from .style import level_styles

    base = level_styles(n_levels)[int(level_index)].label_size * text_scale
    smallest = min_size * text_scale
    return sorted({max(round(base * f * 2) / 2, smallest) for f in (1.0, 0.9, 0.8, 0.7, 0.6)}, reverse=True)


def grid_label_items(keys, geoms, codes, names, level_index, n_levels: int, extent,
                     text_scale: float = 1.0, min_size: float = MIN_LABEL_PT, exclude=(),
                     anchors=None) -> list[GridLabel]:
    """The grids to label in ``extent``, in the order every map labels them:
    lowest level first (the crowded one), biggest grid first within a level.
    Grids reaching out of the extent are clipped to it.  ``anchors`` (n, 2)
    gives the known anchor points (:func:`anchor_point`) of the unclipped grids (NaN: unknown).

    The canvas and the printed maps both build their list here and place it
    with :func:`place_grid_labels`: the same grids, extent and scale give the
    same labels on screen and on paper.

    >>> from shapely import box
    >>> items = grid_label_items([1, 2, 3], [box(0, 0, 9, 9), box(0, 0, 4, 4), box(50, 50, 60, 60)],
    ...                          ["A", "A1", "B"], ["甲", "乙", "丙"], [0, 1, 0], 2, (0, 0, 20, 20))
    >>> [(g.key, g.sizes[0]) for g in items]
    [(2, 6.0), (1, 9.0)]
    """
    geoms = np.asarray(geoms, dtype=object)
    n = len(geoms)
    if n == 0:
        return []
    keys = np.asarray(keys, dtype=object)
    level_index = np.asarray(level_index, dtype=np.int64)
    clip = shapely.box(*extent)
    ok = ~shapely.is_missing(geoms)
    ok[ok] = shapely.intersects(geoms[ok], clip)
    if exclude:
        ok &= ~np.isin(keys, np.asarray(list(exclude), dtype=object))
    idx = np.flatnonzero(ok)
    if not len(idx):
        return []
    area = shapely.area(geoms[idx])
    order = idx[np.lexsort((-area, -level_index[idx]))]      # level (lowest first), then area (largest first)
    b = shapely.bounds(geoms[order])
    ex0, ey0, ex1, ey1 = extent
    out_of = (b[:, 0] < ex0) | (b[:, 1] < ey0) | (b[:, 2] > ex1) | (b[:, 3] > ey1)
    shown = geoms[order].copy()
    if out_of.any():
        shown[out_of] = shapely.clip_by_rect(shown[out_of], ex0, ey0, ex1, ey1)
    sizes = {li: level_label_sizes(li, n_levels, text_scale, min_size) for li in np.unique(level_index[order])}
    code = _strs(np.asarray(codes, dtype=object)[order])
    name = _strs(np.asarray(names, dtype=object)[order])
    lev = level_index[order].tolist()
    if anchors is not None:
        a = np.asarray(anchors, dtype=float)[order]
        known = ~out_of & ~np.isnan(a[:, 0])
        anchor = [(float(x), float(y)) if k else None for k, (x, y) in zip(known.tolist(), a.tolist())]
    else:
        anchor = [None] * len(order)
    return [GridLabel(k, g, c, nm, sizes[li], anchor=an, level=li)
            for k, g, c, nm, li, an in zip(keys[order].tolist(), shown, code, name, lev, anchor)]


def _strs(values: np.ndarray) -> list[str]:
    return pd.Series(values, dtype=object).where(pd.notna(values), "").astype(str).tolist()


def _str(v) -> str:
    return "" if v is None or (not isinstance(v, str) and pd.isna(v)) else str(v)


def _inside_search(placer: LabelPlacer, g: GridLabel, variants: list[str], bounds=None) -> Placed | None:
    """Labels spread over a large polygon (its pole first, then points nearest its centre)."""
    if g.geom is None or g.geom.is_empty:
        return None
    x0, y0, x1, y1 = g.geom.bounds if bounds is None else bounds
    bw, bh = x1 - x0, y1 - y0
    # a box fits only in the grid's bounds grown by its tolerance (0.15 of its height on each side)
    if not any(w <= bw + 0.3 * h and 0.7 * h <= bh
               for w, h in (placer.box_size(v, s) for v in variants for s in g.sizes)):
        return None
    p = placer.place_in_polygon(("grid", g.key), g.geom, variants, g.sizes, leader=False, overhang=False,
                                anchor=g.anchor_xy())
    if p is not None:
        return p
    w, h = placer.box_size(variants[-1], g.sizes[-1])
    if (x1 - x0) <= 3 * w and (y1 - y0) <= 3 * h:
        return None
    xs = np.arange(x0 + w / 2, x1 - w / 2, max(w / 2, 1e-9))
    ys = np.arange(y0 + h / 2, y1 - h / 2, max(h, 1e-9))
    if not len(xs) or not len(ys) or len(xs) * len(ys) > 4000:
        return None
    gx, gy = np.meshgrid(xs, ys)
    pts = shapely.points(gx.ravel(), gy.ravel())
    inside = shapely.contains(g.geom, pts)
    order = np.argsort(shapely.distance(pts[inside], g.geom.centroid))
    region = {}
    for pt in pts[inside][order][:400]:
        for text in variants:
            for size in g.sizes:
                ww, hh = placer.box_size(text, size)
                box = (pt.x - ww / 2, pt.y - hh / 2, pt.x + ww / 2, pt.y + hh / 2)
                if not placer.free(box):
                    continue
                key = round(0.15 * hh, 9)
                if key not in region:
                    region[key] = g.geom.buffer(key)
                    shapely.prepare(region[key])
                if region[key].contains(shapely.box(*box)):
                    return placer.take(Placed(("grid", g.key), text, size, pt.x, pt.y, box))
    return None


_DIRECTIONS = [(math.cos(math.radians(d)), math.sin(math.radians(d))) for d in (45, 135, 225, 315, 90, 270, 0, 180)]


def _beside(placer: LabelPlacer, key, anchor, text: str, size: float, rings=(1.0, 1.6, 2.4, 3.4)):
    """``text`` off its feature near ``anchor``, with a leader line back to it."""
    w, h = placer.box_size(text, size)
    ax, ay = anchor
    for ring in rings:
        for cos, sin in _DIRECTIONS:
            x = ax + cos * (w / 2 + h) * ring
            y = ay + sin * (h / 2 + h) * ring
            box = (x - w / 2, y - h / 2, x + w / 2, y + h / 2)
            if placer.free(box):
                return placer.take(Placed(key, text, size, x, y, box, leader=(ax, ay)))
    return None


def too_dense(placer: LabelPlacer, grids: list[GridLabel]) -> bool:
    """Whether numbering ``grids`` would need more than :data:`DENSE_FRACTION` of
    the map (then they get nothing on the map: a side list of thousands helps no
    one; the canvas shows them zoomed in, a printed map lists their codes)."""
    if not grids:
        return False
    w, h = placer.box_size("88", min(g.sizes[-1] for g in grids))
    ex0, ey0, ex1, ey1 = placer.extent
    return len(grids) * w * h > DENSE_FRACTION * (ex1 - ex0) * (ey1 - ey0)


def place_grid_labels(placer: LabelPlacer, grids: list[GridLabel], names: bool = True,
                      leaders: bool = True, numbers: bool = True, first_number: int = 1,
                      cancelled: Callable[[], bool] | None = None) -> GridLabelResult:
    """Label ``grids`` (most important first) with code and name, the one way
    the canvas and every printed map do it:

    1. inside the grid, the fullest text ("code\\nname", "code name", then —
       only with ``names=False`` — the code) at the largest size that fits;
    2. (``leaders``) beside the grid at its smallest size, with a leader line;
    3. (``numbers``) a number in or beside the grid, named in a side list (the
       caller draws the key from :attr:`GridLabelResult.numbered`).

    Each step runs over all grids before the next, so the small grids' numbers
    never take the room another grid's full label needed.  Steps 2 and 3 are
    skipped when the grids left would cover the map with numbers
    (:func:`too_dense`): they are then :attr:`~GridLabelResult.missing`.
    Nothing overlaps.  ``cancelled`` is polled between grids (it may raise).

    >>> from shapely import box
    >>> placer = LabelPlacer((0, 0, 100, 100), 1.0, lambda t, s: (max(map(len, t.split())) * s * 0.6,
    ...                      s * (t.count("\\n") + 1)))
    >>> big = GridLabel("a", box(0, 0, 60, 60), "A1", "East", [8, 6])
    >>> tiny = GridLabel("b", box(70, 70, 72, 72), "B2", "West", [8, 6])
    >>> r = place_grid_labels(placer, [big, tiny], leaders=False)
    >>> [p.text for p in r.placed], [(n, g.key) for n, g, _ in r.numbered], placer.overlaps()
    (['A1\\nEast'], [(1, 'b')], False)
    """
    poll = cancelled or (lambda: False)
    placed: list[Placed] = []
    left: list[GridLabel] = []
    # every one-line text is as tall as any other, and a box fits only in the grid's bounds grown by
    # 0.15 of its height on each side: the grids too low for one line are known without measuring
    geoms = np.array([g.geom for g in grids] + [None], dtype=object)[:-1]
    b = shapely.bounds(geoms) if len(grids) else np.zeros((0, 4))
    line_h = {s: placer.box_size("国", s)[1] for s in {g.sizes[-1] for g in grids}}
    low = np.array([0.7 * line_h[g.sizes[-1]] for g in grids]) > (b[:, 3] - b[:, 1]) if len(grids) else []
    two_h = {}
    for k, g in enumerate(grids):
        if k % 256 == 0:
            poll()
        variants = grid_label_variants(g.code, g.name, names)
        if not variants:
            continue
        if low[k] or np.isnan(b[k, 0]):
            left.append(g)
            continue
        # every text a grid may read holds its code (or its name) on one line and has at most two
        # lines: where that alone is too wide for the grid at every size, nothing fits
        part, bw = (g.code or g.name), b[k, 2] - b[k, 0]
        for size in g.sizes:
            if size not in two_h:
                two_h[size] = placer.box_size("国\n国", size)[1]
            if placer.box_size(part, size)[0] <= bw + 0.3 * two_h[size]:
                break
        else:
            left.append(g)
            continue
        full = [v for v in variants if "\n" in v]
        variants = (full + [v.replace("\n", " ") for v in full]) if (names and full) else variants
        p = _inside_search(placer, g, variants, b[k])
        if p is None:
            left.append(g)
        else:
            placed.append(p)
    dense = (leaders or numbers) and too_dense(placer, left)
    if dense:
        return GridLabelResult(placed, [], left, dense=True)
    rest: list[GridLabel] = []
    for k, g in enumerate(left):
        if k % 64 == 0:
            poll()
        p = None
        if leaders and g.geom is not None and not g.geom.is_empty:
            text = grid_label_variants(g.code, g.name, names)[0]
            p = _beside(placer, ("grid", g.key), g.anchor_xy(), text, g.sizes[-1])
        if p is None:
            rest.append(g)
        else:
            placed.append(p)
    numbered, missing = [], []
    n = first_number
    for k, g in enumerate(rest):
        if k % 64 == 0:
            poll()
        if not numbers:
            missing.append(g)
            continue
        p = None
        if g.geom is not None and not g.geom.is_empty:
            p = placer.place_in_polygon(("key", g.key), g.geom, [str(n)], [g.sizes[-1]], leader=True,
                                        anchor=g.anchor_xy())
        numbered.append((n, g, p))
        n += 1
    return GridLabelResult(placed, numbered, missing)
