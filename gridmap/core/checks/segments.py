"""Street segment and place rules: ``segment_unassigned``, ``segment_crosses_boundary``,
``segment_wrong_grid``, ``place_unassigned``.

A segment (路段) belongs to one grid.  It *crosses a boundary* when more than
``tol`` metres of it lie in each of two or more grids (it should be split
there); it is in the *wrong grid* when another grid holds more of it than the
assigned one (by more than ``tol``).  Geometry in a metric CRS; grids by
position in ``polys``.

>>> from shapely import LineString, box
>>> polys = np.array([box(0, 0, 100, 100), box(100, 0, 200, 100)])
>>> segs = np.array([LineString([(10, 50), (90, 50)]), LineString([(50, 20), (180, 20)]),
...                  LineString([(120, 80), (190, 80)]), LineString([(10, 10), (20, 10)])])
>>> out = segment_findings(segs, np.array([0, 0, 0, -1]), polys)
>>> [(f[0], f[1], f[2]) for f in out]
[('segment_crosses_boundary', 1, (1, 0)), ('segment_wrong_grid', 1, (0, 1)), ('segment_wrong_grid', 2, (0, 1)), ('segment_unassigned', 3, ())]
"""

from __future__ import annotations

import numpy as np
import shapely

from .coverage import _robust

__all__ = ["segment_findings", "place_findings"]


def segment_findings(segs, assigned, polys, tree=None, tol: float = 1.0):
    """(rule, segment position, grid positions, location, extra) for each finding.

    ``assigned[k]`` is the position of segment k's grid in ``polys`` (-1: no grid
    or a grid that does not exist).
    """
    segs = np.asarray(segs, dtype=object)
    assigned = np.asarray(assigned, dtype=np.int64)
    polys = np.asarray(polys, dtype=object)
    out = []
    ok = ~(shapely.is_missing(segs) | shapely.is_empty(segs))
    if tree is None:
        tree = shapely.STRtree(polys)
    has = (assigned >= 0) & ok
    covered = np.zeros(len(segs), dtype=bool)
    idx = np.flatnonzero(has)
    if len(idx):
        grids = polys[assigned[idx]]
        shapely.prepare(grids)
        covered[idx] = shapely.covers(grids, segs[idx])
    cand = np.flatnonzero(ok & ~covered)
    found: dict[int, list] = {}
    if len(cand) and len(polys):
        src, dst = tree.query(segs[cand], predicate="intersects")
        # length in each grid's interior (a road along a boundary belongs to neither side)
        lengths = shapely.length(_robust(shapely.intersection, segs[cand][src], polys[dst]))
        on_edge = shapely.length(_robust(shapely.intersection, segs[cand][src], shapely.boundary(polys[dst])))
        lengths = np.maximum(lengths - on_edge, 0.0)
        for s, d, ln in zip(src, dst, lengths):
            found.setdefault(int(cand[s]), []).append((int(d), float(ln)))
    for k in np.flatnonzero(ok):
        k = int(k)
        if assigned[k] < 0:
            continue
        if covered[k]:
            continue
        parts = found.get(k, [])
        inside = sorted([(d, ln) for d, ln in parts if ln > tol], key=lambda t: (-t[1], t[0]))
        total = float(shapely.length(segs[k]))
        own = sum(ln for d, ln in parts if d == assigned[k])
        if len(inside) >= 2:
            grids = tuple(d for d, _ in inside)
            loc = segs[k]
            out.append(("segment_crosses_boundary", k, grids, loc,
                        {"length_m": total - own, "grids": grids}))
        best = inside[0] if inside else None
        if best is not None and best[0] != assigned[k] and best[1] - own > tol:
            out.append(("segment_wrong_grid", k, (int(assigned[k]), best[0]), segs[k],
                        {"assigned_pos": int(assigned[k]), "best_pos": best[0], "length_m": best[1]}))
        elif best is None and own <= tol:
            out.append(("segment_wrong_grid", k, (int(assigned[k]),), segs[k],
                        {"assigned_pos": int(assigned[k]), "best_pos": -1, "length_m": 0.0}))
    for k in np.flatnonzero(assigned < 0):
        out.append(("segment_unassigned", int(k), (), segs[k] if ok[k] else None, {}))
    order = {"segment_crosses_boundary": 0, "segment_wrong_grid": 1, "segment_unassigned": 2}
    out.sort(key=lambda f: (f[1] if f[0] != "segment_unassigned" else 10**12 + f[1], order[f[0]]))
    return out


def place_findings(places, assigned):
    """(``place_unassigned``, place position, (), location, {}) for places without a grid.

    >>> from shapely import Point
    >>> [f[:3] for f in place_findings(np.array([Point(0, 0), Point(1, 1)]), np.array([3, -1]))]
    [('place_unassigned', 1, ())]
    """
    places = np.asarray(places, dtype=object)
    assigned = np.asarray(assigned, dtype=np.int64)
    return [("place_unassigned", int(k), (), places[k], {}) for k in np.flatnonzero(assigned < 0)]
