"""四至: what bounds a grid to the east, south, west and north — roads,
neighbouring grids or the jurisdiction boundary — derived from geometry.

The grid's outline (simplified to its main runs) is split into four sides
by the outward direction each stretch faces.  A side is along a named road
when the road runs beside it — within ``road_tol`` metres and in the side's
direction, so a road that only crosses the side does not count — for at
least ``road_share`` of the side's length; it is next to a neighbour when
they share boundary, and on the edge of the jurisdiction when it follows the
jurisdiction boundary.

>>> from shapely import box, LineString
>>> grid = box(0, 0, 100, 100)
>>> sides = four_sides(grid, neighbours={"44030600100002 乙网格": box(100, 0, 200, 100)},
...                    roads={"新安路": LineString([(-5, -200), (-5, 300)]),
...                           "横路": LineString([(-50, 50), (250, 50)])},     # crosses: no side
...                    jurisdiction=box(-10, 0, 200, 100))
>>> [s.text for s in sides]
['东至44030600100002 乙网格', '南至辖区边界', '西至新安路', '北至辖区边界']
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import shapely

from ..workers import step

__all__ = ["Side", "four_sides", "DIRECTIONS", "named_roads", "grid_sides", "plan_roads", "plan_sides",
           "sides_text", "SIDE_KEYS"]

# the keys tables use for the four directions, in DIRECTIONS order
SIDE_KEYS = ("east", "south", "west", "north")

# direction name and the unit vector it faces
DIRECTIONS: tuple[tuple[str, tuple[float, float]], ...] = (
    ("东", (1.0, 0.0)), ("南", (0.0, -1.0)), ("西", (-1.0, 0.0)), ("北", (0.0, 1.0)))


@dataclass
class Side:
    """One side of a grid: its direction, the roads along it, the neighbours
    across it and whether it is on the jurisdiction boundary."""

    direction: str
    roads: list[str] = field(default_factory=list)
    neighbours: list[str] = field(default_factory=list)
    boundary: bool = False

    @property
    def what(self) -> str:
        """The side without its direction: ``新安路``, ``44030600100002 乙网格``, ``辖区边界``."""
        return self.text[len(self.direction) + 1:]

    @property
    def text(self) -> str:
        """``东至新安路（邻 …）``, ``南至44030600100002 乙网格``, ``西至辖区边界`` …"""
        head = f"{self.direction}至"
        if self.roads:
            tail = "、".join(self.roads)
            if self.neighbours:
                tail += "（邻" + "、".join(self.neighbours) + "）"
            elif self.boundary:
                tail += "（辖区边界）"
            return head + tail
        if self.neighbours:
            return head + "、".join(self.neighbours)
        if self.boundary:
            return head + "辖区边界"
        return head + "—"


def _side_chunks(geom) -> dict[str, object]:
    """The outline of ``geom`` split by the direction each stretch faces."""
    poly = geom
    if geom.geom_type == "MultiPolygon":
        poly = max(geom.geoms, key=lambda p: p.area)
    poly = shapely.orient_polygons(poly) if hasattr(shapely, "orient_polygons") else shapely.geometry.polygon.orient(poly)
    size = math.sqrt(max(poly.area, 1e-9))
    ring = shapely.simplify(poly.exterior, 0.03 * size)
    xy = shapely.get_coordinates(ring)
    if len(xy) < 4:
        xy = shapely.get_coordinates(poly.exterior)
    a, b = xy[:-1], xy[1:]
    d = b - a
    length = np.hypot(d[:, 0], d[:, 1])
    ok = length > 0
    a, b, d, length = a[ok], b[ok], d[ok], length[ok]
    normal = np.column_stack([d[:, 1], -d[:, 0]]) / length[:, None]    # outward for a CCW ring
    dots = np.column_stack([normal @ np.array(v) for _, v in DIRECTIONS])
    best = np.argmax(dots, axis=1)
    chunks = {}
    for i, (name, _) in enumerate(DIRECTIONS):
        sel = np.flatnonzero(best == i)
        if len(sel) == 0:                     # e.g. a triangle: the stretch facing most that way
            sel = [int(np.argmax(dots[:, i]))]
        sel = np.asarray(sel, dtype=np.int64)     # (the stretches made in one call, not one per segment)
        chunks[name] = shapely.multilinestrings(shapely.linestrings(np.stack([a[sel], b[sel]], axis=1)))
    return chunks


def _segments(lines) -> tuple[np.ndarray, np.ndarray]:
    """Start points and vectors of every segment of (multi)lines."""
    parts = shapely.get_parts(np.asarray([lines], dtype=object))
    kind = shapely.get_type_id(parts)
    parts = parts[(kind == 1) | (kind == 2)]           # lines and rings
    xy, idx = shapely.get_coordinates(parts, return_index=True)
    if len(xy) < 2:
        return np.empty((0, 2)), np.empty((0, 2))
    same = idx[1:] == idx[:-1]
    return xy[:-1][same], (xy[1:] - xy[:-1])[same]


def _axis(chunk) -> np.ndarray:
    """The main direction of a side (length-weighted, sign-free: doubled angles)."""
    _, d = _segments(chunk)
    if len(d) == 0:
        return np.array([1.0, 0.0])
    ang = np.arctan2(d[:, 1], d[:, 0])
    w = np.hypot(d[:, 0], d[:, 1])
    a = 0.5 * math.atan2(float((w * np.sin(2 * ang)).sum()), float((w * np.cos(2 * ang)).sum()))
    return np.array([math.cos(a), math.sin(a)])


def _aligned_length(lines, axis, max_deg: float = 35.0) -> float:
    """Length of the parts of ``lines`` running within ``max_deg`` of ``axis``
    (a road along a side, not one crossing it)."""
    if lines is None or lines.is_empty:
        return 0.0
    _, d = _segments(lines)
    if len(d) == 0:
        return 0.0
    w = np.hypot(d[:, 0], d[:, 1])
    ok = w > 0
    cos = np.abs(d[ok] @ axis) / w[ok]
    return float(w[ok][cos >= math.cos(math.radians(max_deg))].sum())


def _lengths_within(chunks, areas, bounds) -> np.ndarray:
    """Length of each of ``chunks`` (a grid's four sides, inside the grid's ``bounds``)
    inside each of ``areas`` (polygons), as an array (chunks × areas): each area is first
    cut to the grid's envelope (``clip_by_rect``: the cost follows the grid, not the area's
    outline), pairs whose envelopes are apart are 0, the rest one vectorised intersection."""
    out = np.zeros((len(chunks), len(areas)))
    if not len(areas) or not len(chunks):
        return out
    x0, y0, x1, y1 = bounds
    m = 1.0 + 1e-6 * max(abs(x0), abs(x1), abs(y0), abs(y1), 1.0)      # a margin: the rect's sides miss the grid
    parts = shapely.clip_by_rect(areas, x0 - m, y0 - m, x1 + m, y1 + m)
    cb, pb = shapely.bounds(chunks), shapely.bounds(parts)
    i, j = np.nonzero((cb[:, None, 0] <= pb[None, :, 2]) & (cb[:, None, 2] >= pb[None, :, 0])
                      & (cb[:, None, 1] <= pb[None, :, 3]) & (cb[:, None, 3] >= pb[None, :, 1]))
    if len(i):
        out[i, j] = shapely.length(shapely.intersection(chunks[i], parts[j]))
    return out


def four_sides(geom, neighbours: dict[str, object] | None = None, roads: dict[str, object] | None = None,
               jurisdiction=None, road_tol: float = 30.0, edge_tol: float = 5.0,
               road_share: float = 0.3, neighbour_share: float = 0.15, buffered: dict | None = None,
               boundary_zone=None, near: bool = False) -> list[Side]:
    """East, south, west and north :class:`Side` of a grid polygon (metres).

    ``neighbours`` and ``roads`` map a label (``code name``, road name) to a
    geometry; only those near the grid matter.  ``buffered``: the neighbours already
    grown by ``edge_tol`` (label → polygon, as :func:`grid_sides` makes them once per grid);
    ``boundary_zone``: the jurisdiction's boundary grown by ``edge_tol`` (made once per level);
    ``near``: the caller gave only the roads within ``road_tol`` and neighbours within ``edge_tol``
    (an index's ``dwithin`` query: the distances are not measured again).
    """
    neighbours = neighbours or {}
    roads = roads or {}
    chunks = _side_chunks(geom)
    jb = jurisdiction.boundary if jurisdiction is not None else None
    near_roads = {n: g for n, g in roads.items() if g is not None and (near or g.distance(geom) <= road_tol)}
    near_nb = {n: (buffered[n] if buffered is not None and n in buffered else g.buffer(edge_tol))
               for n, g in neighbours.items() if g is not None and (near or g.distance(geom) <= edge_tol)}
    nb_names = list(near_nb)
    nb_areas = np.array([near_nb[n] for n in nb_names], dtype=object)
    if boundary_zone is not None:
        jb_buf = boundary_zone if shapely.intersects(boundary_zone, geom) else None   # (prepared by the caller)
    else:
        jb_buf = jb.buffer(edge_tol) if jb is not None else None
    sides = np.array([chunks[name] for name, _ in DIRECTIONS], dtype=object)
    totals = np.array([c.length or 1.0 for c in sides])
    bounds = shapely.total_bounds(sides)
    nb_share = _lengths_within(sides, nb_areas, bounds) / totals[:, None]
    on_boundary = (_lengths_within(sides, np.array([jb_buf], dtype=object), bounds)[:, 0] / totals >= 0.5
                   if jb_buf is not None else np.zeros(len(sides), dtype=bool))
    out = []
    for k, (name, _) in enumerate(DIRECTIONS):
        chunk = sides[k]
        total = totals[k]
        side = Side(name)
        if near_roads:
            axis = _axis(chunk)
            zone = chunk.buffer(road_tol, cap_style="flat")
            zx0, zy0, zx1, zy1 = zone.bounds
            m = 1.0 + 1e-6 * max(abs(zx0), abs(zx1), abs(zy0), abs(zy1), 1.0)
            # each road cut to the zone's envelope first (a road may cross the whole city)
            rs = sorted(((_aligned_length(shapely.intersection(
                shapely.clip_by_rect(g, zx0 - m, zy0 - m, zx1 + m, zy1 + m), zone), axis) / total, n)
                for n, g in near_roads.items()), reverse=True)
            side.roads = [n for share, n in rs if share >= road_share][:2]
        ns = sorted(zip(nb_share[k].tolist(), nb_names), reverse=True)
        side.neighbours = [n for share, n in ns if share >= neighbour_share][:3]
        side.boundary = bool(on_boundary[k])
        out.append(side)
    return out


def named_roads(lines, names) -> dict[str, object]:
    """Lines merged per road name (dual carriageways become one road).

    >>> from shapely import LineString
    >>> r = named_roads([LineString([(0, 0), (1, 0)]), LineString([(1, 0), (2, 0)]), None], ["甲路", "甲路", "乙路"])
    >>> list(r), r["甲路"].length
    (['甲路'], 2.0)
    """
    groups: dict[str, list] = {}
    for g, n in zip(lines, names):
        n = "" if n is None or (isinstance(n, float) and math.isnan(n)) else str(n).strip()
        if n and g is not None and not g.is_empty:
            groups.setdefault(n, []).append(g)
    return {n: shapely.line_merge(shapely.union_all(gs)) for n, gs in groups.items()}


def grid_sides(data, level: int, roads: dict | None = None) -> dict[int, list[Side]]:
    """四至 of every grid of ``level`` (index) of a :class:`~.mapdata.MapData`,
    against the named roads of its base layers and street segments."""
    grids = data.grids[data.grids["level_index"] == level]
    geoms = grids.geometry.values
    labels = [f"{c} {n}".strip() for c, n in zip(grids["code"], grids["name"])]
    if roads is None:
        roads = plan_roads(data)
    road_names = list(roads)
    road_geoms = np.array([roads[n] for n in road_names], dtype=object)
    rtree = shapely.STRtree(road_geoms) if len(road_geoms) else None
    tree = shapely.STRtree(geoms)
    grown = shapely.buffer(geoms, 5.0)          # each grid grown once, for every neighbour that asks
    zone = data.jurisdiction.boundary.buffer(5.0) if data.jurisdiction is not None else None   # (once, not per grid)
    if zone is not None:
        shapely.prepare(zone)                   # (whether a grid comes near it at all: a prepared test)
    out = {}
    ids = grids.index.tolist()
    block = 128
    for a in range(0, len(geoms), block):       # neighbours and roads asked for a block of grids at once
        b = min(a + block, len(geoms))
        step(a, len(geoms))                     # Cancel and progress of the export running this
        nq = _by_input(tree.query(geoms[a:b], predicate="dwithin", distance=5.0), b - a)
        rq = (_by_input(rtree.query(geoms[a:b], predicate="dwithin", distance=30.0), b - a)
              if rtree is not None else None)
        for k in range(b - a):
            i = a + k
            g = geoms[i]
            near = [j for j in nq[k].tolist() if j != i]
            nb = {labels[j]: geoms[j] for j in near}
            rd = {road_names[j]: road_geoms[j] for j in rq[k].tolist()} if rq is not None else {}
            out[int(ids[i])] = four_sides(g, nb, rd, data.jurisdiction, buffered={labels[j]: grown[j] for j in near},
                                          boundary_zone=zone, near=True)
    return out



def _by_input(pairs, n: int) -> list[np.ndarray]:
    """The tree indices of a bulk ``STRtree.query`` (pairs input → tree) per input 0…n-1."""
    cuts = np.searchsorted(pairs[0], np.arange(1, n))
    return np.split(pairs[1], cuts)


def plan_roads(data) -> dict:
    """Named roads of a :class:`~.mapdata.MapData`: labelled base-layer lines and segments."""
    lines, names = [], []
    for bl in data.base_layers:
        if bl.label and bl.geom_kind == "line":
            lines += list(bl.gdf.geometry.values)
            names += list(bl.gdf[bl.label].values)
    if len(data.segments):
        lines += list(data.segments.geometry.values)
        names += list(data.segments["road_name"].values)
    return named_roads(lines, names)


def plan_sides(plan, level=None, project=None, data=None) -> dict[int, list[Side]]:
    """四至 of every grid of ``level`` (key, name or index; default: the lowest) of a plan:
    the one 四至 every output prints (XLSX/CSV 划分表, Word annex, map book).

    Roads are the named lines of the plan's base layers (read relative to
    ``project``, the project file) and its street segments; ``data`` is an
    already prepared :class:`~.mapdata.MapData`.

    >>> from shapely import box, LineString
    >>> from gridmap.core.plan import Plan
    >>> plan = Plan.new("示例", crs="EPSG:4547", levels="two")
    >>> big = plan.add_grid(box(0, 0, 200, 100), "large", code="01", name="一片")
    >>> a = plan.add_grid(box(0, 0, 100, 100), "small", parent=big, code="0101", name="甲")
    >>> b = plan.add_grid(box(100, 0, 200, 100), "small", parent=big, code="0102", name="乙")
    >>> _ = plan.add_segment(LineString([(0, -2), (200, -2)]), road_name="建设路")
    >>> sides_text(plan_sides(plan, "small")[a])
    '东至0102 乙；南至建设路；西至—；北至—'
    """
    from .mapdata import MapData

    if data is None:
        data = MapData.from_plan(plan, project, base_layers=True)
    if level is None:
        idx = len(plan.levels) - 1
    elif isinstance(level, (int, np.integer)):
        idx = int(level)
    else:
        idx = plan.level_index(level)
    if not (data.grids["level_index"] == idx).any():
        return {}
    return grid_sides(data, idx)


def sides_text(sides, sep: str = "；") -> str:
    """The four sides as one text, as the tables print them: ``东至…；南至…；西至…；北至…``."""
    return sep.join(s.text for s in sides)
