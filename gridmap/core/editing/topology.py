"""Topological vertex editing: a vertex shared by neighbours moves in all of them.

Functions take an array of geometries (the grids near the edit, from every
level) and return ``{index: new_geometry}`` for the ones that changed, so a
command can apply and undo the change.

>>> from shapely import box
>>> moved = move_vertex([box(0, 0, 1, 1), box(1, 0, 2, 1)], (1, 1), (1.2, 1.1), tol=1e-6)
>>> sorted(moved), round(moved[0].area + moved[1].area, 9)   # both grids follow the vertex
([0, 1], 2.1)
"""

from __future__ import annotations

import numpy as np
import shapely

from .geometry import EditError

__all__ = ["move_vertex", "insert_vertex", "delete_vertex", "vertices_near"]


def vertices_near(geoms, xy, tol: float) -> np.ndarray:
    """Indices of geometries that have a vertex within ``tol`` of ``xy``.

    >>> from shapely import box
    >>> vertices_near([box(0, 0, 1, 1), box(5, 5, 6, 6)], (1, 1), 0.01).tolist()
    [0]
    """
    geoms = np.asarray(geoms, dtype=object)
    coords, idx = shapely.get_coordinates(geoms, return_index=True)
    d = np.hypot(coords[:, 0] - xy[0], coords[:, 1] - xy[1])
    return np.unique(idx[d <= tol])


def _check(out: dict, what: str, en: str) -> dict:
    bad = [i for i, g in out.items() if not g.is_valid]
    if bad:
        raise EditError(f"{what}会使网格自相交或无效 / {en} would make a grid self-intersecting or invalid")
    return out


def move_vertex(geoms, xy, new_xy, tol: float) -> dict:
    """Move every vertex within ``tol`` of ``xy`` to ``new_xy`` in all ``geoms``.

    A geometry whose edge passes through ``xy`` (e.g. a parent grid whose
    boundary carries the children's vertex) gets the vertex first, so it follows.
    """
    geoms = np.asarray(geoms, dtype=object).copy()
    inserted = insert_vertex(geoms, xy, tol) if len(vertices_near(geoms, xy, tol)) else {}
    for i, g in inserted.items():
        geoms[i] = g
    out = {}
    for i in vertices_near(geoms, xy, tol):
        c = shapely.get_coordinates(geoms[i])
        m = np.hypot(c[:, 0] - xy[0], c[:, 1] - xy[1]) <= tol
        c[m] = new_xy
        out[int(i)] = shapely.set_coordinates(shapely.from_wkb(shapely.to_wkb(geoms[i])), c)
    return _check(out, "移动顶点", "moving the vertex")


def _ring_arrays(geom):
    """(polygons, rings) of a polygonal geometry as lists of coordinate arrays."""
    polys = shapely.get_parts(geom)
    return [[np.asarray(p.exterior.coords)] + [np.asarray(r.coords) for r in p.interiors] for p in polys]


def _from_rings(rings_per_poly, like):
    polys = [shapely.Polygon(rings[0], rings[1:]) for rings in rings_per_poly]
    if like.geom_type == "MultiPolygon" or len(polys) > 1:
        return shapely.MultiPolygon(polys)
    return polys[0]


def insert_vertex(geoms, xy, tol: float) -> dict:
    """Insert a vertex at ``xy`` into every edge passing within ``tol`` of it
    (topological: the shared edge of neighbours gets it in both).

    >>> from shapely import box
    >>> out = insert_vertex([box(0, 0, 1, 1), box(1, 0, 2, 1)], (1, 0.5), tol=1e-6)
    >>> [len(out[i].exterior.coords) for i in sorted(out)]
    [6, 6]
    """
    geoms = np.asarray(geoms, dtype=object)
    p = np.asarray(xy, dtype=float)
    out = {}
    for i, g in enumerate(geoms):
        if g is None or g.is_empty or shapely.distance(g.boundary, shapely.Point(p)) > tol:
            continue
        changed = False
        rings_per_poly = _ring_arrays(g)
        for rings in rings_per_poly:
            for k, r in enumerate(rings):
                a, b = r[:-1], r[1:]
                ab = b - a
                L2 = (ab ** 2).sum(axis=1)
                t = np.clip(((p - a) * ab).sum(axis=1) / np.where(L2 > 0, L2, 1), 0, 1)
                d = np.hypot(*(a + ab * t[:, None] - p).T)
                j = int(np.argmin(d))
                if d[j] <= tol and 0 < t[j] < 1 and np.hypot(*(r - p).T).min() > tol:
                    rings[k] = np.insert(r, j + 1, p, axis=0)
                    changed = True
        if changed:
            out[i] = _from_rings(rings_per_poly, g)
    return _check(out, "添加顶点", "adding the vertex")


def delete_vertex(geoms, xy, tol: float) -> dict:
    """Delete the vertex at ``xy`` from every geometry that has it.

    >>> from shapely import Polygon
    >>> out = delete_vertex([Polygon([(0, 0), (1, 0), (2, 0), (2, 1), (0, 1)])], (1, 0), 1e-6)
    >>> len(out[0].exterior.coords)
    5
    """
    geoms = np.asarray(geoms, dtype=object)
    p = np.asarray(xy, dtype=float)
    out = {}
    for i in vertices_near(geoms, xy, tol):
        g = geoms[i]
        rings_per_poly = _ring_arrays(g)
        for rings in rings_per_poly:
            for k, r in enumerate(rings):
                keep = np.hypot(*(r - p).T) > tol
                if keep.all():
                    continue
                body = r[:-1][keep[:-1]]
                if len(body) < 3:
                    raise EditError("删除后网格少于三个顶点 / a ring would have fewer than three vertices")
                rings[k] = np.vstack([body, body[:1]])
        out[int(i)] = _from_rings(rings_per_poly, g)
    return _check(out, "删除顶点", "deleting the vertex")


def node_polygons(changed, neighbours, tol: float = 1e-6, simplify: bool = True):
    """Make edited polygons and their neighbours share identical vertices along
    their common edges (what a GEOS coverage requires).

    Redundant collinear vertices of the edited polygons are dropped first; then
    every vertex of one polygon lying on another's boundary is inserted there.
    Returns ``(changed', {neighbour index: neighbour'})`` (only neighbours that gained
    a vertex).

    >>> from shapely import box, Polygon
    >>> new = Polygon([(20, 0), (30, 0), (30, 10), (20, 10), (20, 7)])   # lacks (20, 5), has a stray (20, 7)
    >>> ch, nb = node_polygons([new], [box(10, 0, 20, 5), box(10, 5, 20, 10)])
    >>> sorted(map(tuple, shapely.get_coordinates(ch[0])[:-1].tolist())), sorted(nb)
    ([(20.0, 0.0), (20.0, 5.0), (20.0, 10.0), (30.0, 0.0), (30.0, 10.0)], [])
    """
    if simplify:
        changed = [shapely.simplify(g, 0) if g is not None and not g.is_empty else g for g in changed]
    else:
        changed = list(changed)
    neighbours = list(neighbours)
    n_ch = len(changed)
    local = changed + neighbours
    out_nb: dict[int, object] = {}
    verts = [shapely.get_coordinates(g) if g is not None else np.zeros((0, 2)) for g in local]
    for i in range(n_ch):
        for j in range(len(local)):
            if i == j or local[i] is None or local[j] is None or local[i].is_empty or local[j].is_empty:
                continue
            if shapely.distance(local[i], local[j]) > tol:
                continue
            # snap the edited polygon's vertices onto the other's nearly-equal vertices
            own = shapely.get_coordinates(local[i])
            other = verts[j]
            if len(other) and len(own):
                tree = shapely.STRtree(shapely.points(other))
                src, dst = tree.query(shapely.points(own), predicate="dwithin", distance=tol)
                moved = (own[src] != other[dst]).any(axis=1)
                if moved.any():
                    own[src[moved]] = other[dst[moved]]
                    local[i] = shapely.set_coordinates(shapely.from_wkb(shapely.to_wkb(local[i])), own)
                    verts[i] = own
            for a, b in ((i, j), (j, i)):
                ga = local[a]
                cand = verts[b]
                if len(cand) == 0:
                    continue
                on = shapely.dwithin(ga.boundary, shapely.points(cand), tol)
                for xy in cand[on]:
                    own = shapely.get_coordinates(ga)
                    if np.hypot(*(own - xy).T).min() <= tol:
                        continue
                    res = insert_vertex([ga], xy, tol)
                    if res:
                        ga = res[0]
                local[a] = ga
                verts[a] = shapely.get_coordinates(ga)
                if a >= n_ch and ga is not neighbours[a - n_ch]:
                    out_nb[a - n_ch] = ga
    return local[:n_ch], out_nb
