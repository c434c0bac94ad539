"""Snapping and tracing: clicks land exactly on vertices, edges and crossings of
grids, the jurisdiction and roads; a boundary can be traced along a road.

>>> from shapely import box, LineString
>>> snap_point((1.02, 0.97), [box(0, 0, 1, 1)], tol=0.1)
(1.0, 1.0, 'vertex')
>>> snap_point((0.5, 1.03), [box(0, 0, 1, 1)], tol=0.1)
(0.5, 1.0, 'edge')
>>> trace([LineString([(0, 0), (10, 0), (10, 10)])], (2, 0), (10, 4)).coords[:]
[(2.0, 0.0), (10.0, 0.0), (10.0, 4.0)]
"""

from __future__ import annotations

import heapq

import numpy as np
import shapely
from shapely import LineString, Point

from .geometry import EditError

__all__ = ["snap_point", "trace"]


def _linework(geoms):
    geoms = [g for g in geoms if g is not None and not g.is_empty]
    lines = []
    for g in geoms:
        if g.geom_type in ("Polygon", "MultiPolygon"):
            lines.append(g.boundary)
        elif g.geom_type in ("LineString", "MultiLineString", "LinearRing"):
            lines.append(g)
    return lines


def snap_point(xy, geoms, tol: float, modes=("vertex", "intersection", "edge")):
    """The snapped position for a click at ``xy``: ``(x, y, kind)`` with kind
    ``vertex``, ``intersection`` or ``edge``, or ``(x, y, None)`` when nothing is
    within ``tol`` (map units; the canvas passes N pixels × map units per pixel).

    ``geoms`` are the candidate features near the click (polygons and lines).
    Vertices win over crossings, crossings over edges.
    """
    p = Point(xy)
    lines = _linework(geoms)
    if not lines:
        return (float(xy[0]), float(xy[1]), None)
    if "vertex" in modes:
        c = shapely.get_coordinates(np.asarray(lines, dtype=object))
        if len(c):
            d = np.hypot(c[:, 0] - xy[0], c[:, 1] - xy[1])
            j = int(np.argmin(d))
            if d[j] <= tol:
                return (float(c[j, 0]), float(c[j, 1]), "vertex")
    near = [ln for ln in lines if shapely.distance(ln, p) <= tol]
    if "intersection" in modes and len(near) > 1:
        best = None
        for i in range(len(near)):
            for j in range(i + 1, len(near)):
                x = shapely.intersection(near[i], near[j])
                for q in shapely.get_parts(x):
                    if q.geom_type == "Point":
                        d = q.distance(p)
                        if d <= tol and (best is None or d < best[0]):
                            best = (d, q)
        if best is not None:
            return (float(best[1].x), float(best[1].y), "intersection")
    if "edge" in modes and near:
        dists = [ln.distance(p) for ln in near]
        ln = near[int(np.argmin(dists))]
        q = ln.interpolate(ln.project(p))
        return (float(q.x), float(q.y), "edge")
    return (float(xy[0]), float(xy[1]), None)


def _key(x, y, nd=6):
    return (round(float(x), nd), round(float(y), nd))


def trace(lines, start, end, max_nodes: int = 200_000) -> LineString:
    """The shortest path from ``start`` to ``end`` along a line network (roads,
    grid boundaries).  Both points are projected onto their nearest line.
    """
    lines = _linework(lines)
    if not lines:
        raise EditError("没有可追踪的线 / nothing to trace along")
    merged = shapely.union_all(lines)  # nodes crossings
    segs = []
    for part in shapely.get_parts(merged):
        c = np.asarray(part.coords)
        segs.extend(zip(map(tuple, c[:-1]), map(tuple, c[1:])))
    if len(segs) > max_nodes:
        raise EditError("追踪范围过大 / too much linework to trace; zoom in")
    # split the segments holding the start and end points
    pts = []
    for q in (start, end):
        P = np.asarray(q, dtype=float)
        a = np.array([s[0] for s in segs]); b = np.array([s[1] for s in segs])
        ab = b - a
        L2 = (ab ** 2).sum(axis=1)
        t = np.clip(((P - a) * ab).sum(axis=1) / np.where(L2 > 0, L2, 1), 0, 1)
        proj = a + ab * t[:, None]
        k = int(np.argmin(np.hypot(*(proj - P).T)))
        q2 = tuple(proj[k])
        if 0 < t[k] < 1:
            s0, s1 = segs.pop(k)
            segs += [(s0, q2), (q2, s1)]
        pts.append(q2)
    graph: dict = {}
    for s0, s1 in segs:
        k0, k1 = _key(*s0), _key(*s1)
        w = float(np.hypot(s1[0] - s0[0], s1[1] - s0[1]))
        graph.setdefault(k0, []).append((k1, w, s1))
        graph.setdefault(k1, []).append((k0, w, s0))
    src, dst = _key(*pts[0]), _key(*pts[1])
    dist = {src: 0.0}
    prev: dict = {}
    coord = {src: pts[0]}
    heap = [(0.0, src)]
    while heap:
        d, u = heapq.heappop(heap)
        if u == dst:
            break
        if d > dist.get(u, np.inf):
            continue
        for v, w, xy in graph.get(u, ()):
            nd = d + w
            if nd < dist.get(v, np.inf):
                dist[v], prev[v], coord[v] = nd, u, xy
                heapq.heappush(heap, (nd, v))
    if dst not in dist:
        raise EditError("两点之间没有连通的线 / the two points are not connected along the lines")
    path = [dst]
    while path[-1] != src:
        path.append(prev[path[-1]])
    return LineString([coord.get(k, pts[1]) for k in reversed(path)])
