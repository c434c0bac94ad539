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
           "OccupiedIndex"]


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
    gives a text's (width, height) in points.
    """

    def __init__(self, extent, m_per_pt: float, measure: Callable[[str, float], tuple[float, float]],
                 pad_pt: float = 0.8):
        self.extent = tuple(float(v) for v in extent)
        self.m_per_pt = float(m_per_pt)
        self.measure = measure
        self.pad = pad_pt * self.m_per_pt
        self.boxes = np.empty((0, 4))
        self.placed: list[Placed] = []

    # ------------------------------------------------------------------ boxes
    def box_size(self, text: str, size: float) -> tuple[float, float]:
        """(width, height) in map units of ``text`` at ``size`` pt, padding included."""
        w, h = self.measure(text, size)
        return w * self.m_per_pt + 2 * self.pad, h * self.m_per_pt + 2 * self.pad

    def free(self, box) -> bool:
        """Whether ``box`` lies in the extent and overlaps no placed box or obstacle."""
        x0, y0, x1, y1 = box
        ex0, ey0, ex1, ey1 = self.extent
        if x0 < ex0 or y0 < ey0 or x1 > ex1 or y1 > ey1:
            return False
        b = self.boxes
        if len(b) == 0:
            return True
        hit = (b[:, 0] < x1) & (b[:, 2] > x0) & (b[:, 1] < y1) & (b[:, 3] > y0)
        return not bool(hit.any())

    def add_obstacle(self, box) -> None:
        """Keep labels off ``box`` (e.g. the legend or the north arrow), in map units."""
        self.boxes = np.vstack([self.boxes, np.asarray(box, dtype=float)[None, :]])

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
                         leader: bool = True) -> Placed | None:
        """Label a polygon with the first text variant and size that fits (see module doc)."""
        if poly is None or poly.is_empty:
            return None
        ax, ay = anchor_point(poly)
        shapely.prepare(poly)
        for text in variants:
            for size in sizes:
                w, h = self.box_size(text, size)
                tol = 0.15 * h
                region = poly.buffer(tol) if tol > 0 else poly
                shapely.prepare(region)
                for dx, dy in ((0, 0), (0, 0.6), (0, -0.6), (0.25, 0), (-0.25, 0), (0, 1.2), (0, -1.2)):
                    x, y = ax + dx * w, ay + dy * h
                    box = (x - w / 2, y - h / 2, x + w / 2, y + h / 2)
                    if self.free(box) and region.contains(shapely.box(*box)):
                        return self.take(Placed(key, text, size, x, y, box))
        text, size = variants[-1], sizes[-1]
        w, h = self.box_size(text, size)
        for dx, dy in ((0, 0), (0, 0.6), (0, -0.6), (0.5, 0), (-0.5, 0)):
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
