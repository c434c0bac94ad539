"""Pure geometry operations for editing grids so a plan stays a clean coverage.

Every function takes and returns shapely geometries; nothing here changes a
plan.  The undoable commands in :mod:`gridmap.core.editing.commands` apply
their results.

>>> from shapely import box
>>> new = clip_to_neighbours(box(0, 0, 10, 10), [box(8, 0, 20, 10)], parent=box(0, 0, 20, 10))
>>> new.bounds
(0.0, 0.0, 8.0, 10.0)
"""

from __future__ import annotations

import numpy as np
import shapely
from shapely import LineString, Polygon

__all__ = [
    "EditError",
    "clean_polygon",
    "clip_to_neighbours",
    "fill_to_neighbours",
    "split_polygon",
    "merge_polygons",
    "reshape_polygon",
    "move_boundary",
    "polygon_from_ring",
]


class EditError(ValueError):
    """An edit that cannot give a valid result; the message says why (in Chinese and English).
    ``where``: the spot that made it fail, when known (a geometry to show the user)."""

    def __init__(self, message: str = "", where=None):
        super().__init__(message)
        self.where = where


def _polygonal(geom) -> shapely.Geometry:
    """Only the polygonal part of ``geom`` (drops lines/points left by overlays)."""
    if geom is None or geom.is_empty:
        return Polygon()
    if geom.geom_type in ("Polygon", "MultiPolygon"):
        return geom
    parts = [g for g in shapely.get_parts(geom) if g.geom_type in ("Polygon", "MultiPolygon")]
    return shapely.union_all(parts) if parts else Polygon()


def clean_polygon(geom, min_area: float = 0.0) -> shapely.Geometry:
    """A valid polygon from an edit result: repaired, polygonal, tiny parts dropped.

    >>> from shapely import Polygon
    >>> clean_polygon(Polygon([(0, 0), (2, 2), (2, 0), (0, 2)])).geom_type   # bow-tie → two triangles
    'MultiPolygon'
    """
    geom = _polygonal(shapely.make_valid(geom) if not geom.is_valid else geom)
    if min_area > 0 and geom.geom_type == "MultiPolygon":
        parts = [p for p in geom.geoms if p.area >= min_area]
        geom = shapely.union_all(parts) if parts else Polygon()
    return geom


def polygon_from_ring(coords) -> Polygon:
    """A polygon from clicked vertices (at least three distinct points).

    >>> polygon_from_ring([(0, 0), (4, 0), (4, 3)]).area
    6.0
    """
    pts = [tuple(map(float, c)) for c in coords]
    dedup = [p for i, p in enumerate(pts) if i == 0 or p != pts[i - 1]]
    if len(dedup) > 1 and dedup[0] == dedup[-1]:
        dedup.pop()
    if len(set(dedup)) < 3:
        raise EditError("至少需要三个不同的顶点 / a grid needs at least three distinct vertices")
    poly = Polygon(dedup)
    if poly.area <= 0:
        raise EditError("顶点共线，面积为零 / the vertices are collinear: no area")
    return poly


def clip_to_neighbours(geom, neighbours, parent=None, min_area: float = 0.01) -> shapely.Geometry:
    """``geom`` limited to its parent and minus its neighbours ("avoid overlaps").

    Parts smaller than ``min_area`` (m²) left by the clipping are dropped.
    """
    out = geom
    if parent is not None:
        out = shapely.intersection(out, parent)
    others = [n for n in neighbours if n is not None and not n.is_empty]
    if others:
        out = shapely.difference(out, shapely.union_all(others))
    out = clean_polygon(out, min_area=min_area)
    if out.is_empty:
        raise EditError("新网格完全落在相邻网格或上级网格之外 / the new grid lies entirely on its neighbours "
                        "or outside its parent")
    return out


def fill_to_neighbours(geom, neighbours, parent, max_width: float = 5.0) -> shapely.Geometry:
    """Extend ``geom`` over the free space around it that is narrower than ``max_width``
    (metres), so that no sliver is left between it and its neighbours ("fill").

    Free space = parent − neighbours − geom.  Each free piece touching ``geom``
    whose width (2·area/perimeter) is below ``max_width`` is merged into it.

    >>> from shapely import box
    >>> fill_to_neighbours(box(0, 0, 9.8, 10), [box(10, 0, 20, 10)], box(0, 0, 20, 10), 1.0).bounds
    (0.0, 0.0, 10.0, 10.0)
    """
    taken = shapely.union_all([geom, *[n for n in neighbours if n is not None]])
    free = shapely.difference(parent, taken)
    pieces = [p for p in shapely.get_parts(_polygonal(free)) if not p.is_empty]
    grow = []
    for p in pieces:
        width = 2.0 * p.area / p.length if p.length else 0.0
        if width < max_width and shapely.intersects(p, geom.buffer(max_width * 0.01 + 1e-9)):
            grow.append(p)
    if not grow:
        return geom
    return clean_polygon(shapely.union_all([geom, *grow]))


def split_polygon(geom, line) -> list[shapely.Geometry]:
    """Split a polygon by a line that crosses it; the pieces, largest first.

    >>> from shapely import box, LineString
    >>> [p.area for p in split_polygon(box(0, 0, 10, 10), LineString([(3, -1), (3, 11)]))]
    [70.0, 30.0]
    """
    if not shapely.intersects(geom, line):
        raise EditError("分割线未穿过网格 / the split line does not cross the grid")
    line = _extend_to(line, geom)
    faces = shapely.get_parts(shapely.polygonize([shapely.union_all([shapely.boundary(geom), line])]))
    inside = [f for f in faces if shapely.contains(geom, shapely.point_on_surface(f))]
    if len(inside) < 2:
        ends = shapely.points(shapely.get_coordinates(shapely.boundary(line)))
        stuck = [e for e in ends if shapely.contains(geom, e)]     # where the line stops inside the grid
        raise EditError("分割线必须完全穿过网格 / the split line must cross the grid from side to side",
                        where=shapely.multipoints(stuck) if stuck else line)
    # faces of a polygon with holes: polygonize fills holes, remove them again
    pieces = [clean_polygon(shapely.intersection(f, geom)) for f in inside]
    return sorted((p for p in pieces if not p.is_empty), key=lambda p: -p.area)


def merge_polygons(geoms) -> shapely.Geometry:
    """Merge grids into one (exact union of a coverage).

    >>> from shapely import box
    >>> merge_polygons([box(0, 0, 1, 1), box(1, 0, 2, 1)]).area
    2.0
    """
    geoms = [g for g in geoms if g is not None and not g.is_empty]
    if len(geoms) < 2:
        raise EditError("至少选择两个网格 / select at least two grids to merge")
    arr = np.asarray(geoms, dtype=object)
    try:
        out = shapely.coverage_union_all(arr) if shapely.coverage_is_valid(arr) else shapely.union_all(arr)
    except shapely.errors.GEOSException:
        out = shapely.union_all(arr)
    return clean_polygon(out)


def reshape_polygon(geom, line) -> shapely.Geometry:
    """Reshape a polygon's boundary with a drawn line (QGIS "reshape features").

    A line drawn outside the polygon, from its boundary and back, adds the area
    it encloses; a line across the inside cuts off the smaller side.

    >>> from shapely import box, LineString
    >>> reshape_polygon(box(0, 0, 10, 10), LineString([(10, 2), (14, 5), (10, 8)])).area
    112.0
    >>> reshape_polygon(box(0, 0, 10, 10), LineString([(8, -1), (8, 11)])).area
    80.0
    """
    noded = shapely.union_all([shapely.boundary(geom), line])
    faces = list(shapely.get_parts(shapely.polygonize([noded])))
    if len(faces) < 2:
        raise EditError("修整线需要从边界出发并回到边界 / the reshape line must start and end on the boundary")
    reps = shapely.point_on_surface(np.asarray(faces, dtype=object))
    inside = shapely.contains(geom, reps)
    outside_faces = [f for f, i in zip(faces, inside) if not i]
    # faces outside the polygon but enclosed by the line: the line adds them
    if outside_faces:
        return clean_polygon(shapely.union_all([geom, *outside_faces]))
    inside_faces = sorted((f for f, i in zip(faces, inside) if i), key=lambda f: -f.area)
    return clean_polygon(shapely.intersection(inside_faces[0], geom))


def move_boundary(a, b, line) -> tuple[shapely.Geometry, shapely.Geometry]:
    """Move the shared boundary of two neighbours to a new line: the area between
    the old and the new boundary changes hands; together they cover the same area.

    >>> from shapely import box, LineString
    >>> a, b = move_boundary(box(0, 0, 5, 10), box(5, 0, 10, 10), LineString([(7, 0), (7, 10)]))
    >>> a.area, b.area
    (70.0, 30.0)
    """
    if not shapely.intersects(a, b):
        raise EditError("两个网格不相邻 / the two grids are not neighbours")
    union = shapely.union_all([a, b])
    pieces = split_polygon(union, line)
    ra, rb = [], []
    for p in pieces:
        # each piece goes to the grid that held most of it before
        oa = shapely.intersection(p, a).area
        ob = shapely.intersection(p, b).area
        (ra if oa >= ob else rb).append(p)
    if not ra or not rb:
        raise EditError("新边界没有把两个网格分开 / the new line does not separate the two grids")
    na, nb = clean_polygon(shapely.union_all(ra)), clean_polygon(shapely.union_all(rb))
    return na, nb


def _extend_to(line, geom, factor: float = 1e-6) -> LineString:
    """Extend both ends of a line slightly so that it crosses ``geom``'s boundary
    when it was snapped exactly onto it."""
    coords = np.asarray(line.coords, dtype=float)
    if len(coords) < 2:
        raise EditError("线至少需要两个点 / a line needs at least two points")
    minx, miny, maxx, maxy = geom.bounds
    eps = max(maxx - minx, maxy - miny) * factor + 1e-6
    d0 = coords[0] - coords[1]
    d1 = coords[-1] - coords[-2]
    n0, n1 = np.linalg.norm(d0), np.linalg.norm(d1)
    if n0 > 0:
        coords[0] = coords[0] + d0 / n0 * eps
    if n1 > 0:
        coords[-1] = coords[-1] + d1 / n1 * eps
    return LineString(coords)
