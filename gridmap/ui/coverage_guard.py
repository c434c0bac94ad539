"""Refuse edits that would break a clean coverage (no Qt here).

The editing core keeps a level a clean coverage for the edits it is made for,
but some requests cannot be honoured: deleting a vertex where three grids meet,
reshaping a grid so that a piece is cut off with no sibling to take it, moving a
vertex across a grid that does not share it.  Before such an edit is put on the
undo stack the app compares the edited neighbourhood before and after, level by
level, and refuses the edit if, where the plan was clean, it

* ``invalid`` — makes a grid an invalid polygon (self-intersecting, degenerate);
* ``overlap`` — makes the level an invalid coverage (overlaps, unmatched edges);
* ``gap`` — leaves area of the jurisdiction uncovered;
* ``outside`` — covers area outside the jurisdiction;
* ``nesting`` — puts part of a grid outside its parent.

Only regressions count: where the plan already had a gap (a plan still being
drawn) or an overlap (an imported plan being repaired) the edit is allowed.

>>> from types import SimpleNamespace
>>> import geopandas as gpd
>>> from shapely import box
>>> def state(*geoms):
...     g = gpd.GeoDataFrame({"level": ["small"] * len(geoms), "parent": [None] * len(geoms)},
...                          geometry=list(geoms), index=range(1, len(geoms) + 1))
...     return SimpleNamespace(grids=g, jurisdiction=box(0, 0, 2, 1))
>>> before = state(box(0, 0, 1, 1), box(1, 0, 2, 1))
>>> [r.kind for r in coverage_regressions(before, state(box(0, 0, 0.9, 1), box(1, 0, 2, 1)), {1}, ["small"])]
['gap']
>>> coverage_regressions(before, state(box(0, 0, 1.5, 1), box(1.5, 0, 2, 1)), {1, 2}, ["small"])
[]
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import shapely

__all__ = ["Regression", "coverage_regressions", "KINDS"]

KINDS = ("invalid", "overlap", "gap", "outside", "nesting")


@dataclass(frozen=True)
class Regression:
    """One way an edit would make the plan worse: kind, level key, area (map units²)."""

    kind: str
    level: str
    area: float = 0.0


def _window(before, after, ids) -> shapely.Geometry | None:
    boxes = []
    for state in (before, after):
        g = state.grids
        present = [i for i in ids if i in g.index]
        if present:
            geoms = g.geometry.loc[present].values
            geoms = geoms[~(shapely.is_missing(geoms) | shapely.is_empty(geoms))]
            if len(geoms):
                boxes.append(shapely.total_bounds(geoms))
    jb, ja = before.jurisdiction, after.jurisdiction
    if jb is not ja and jb is not None and ja is not None and not shapely.equals_exact(jb, ja, 0.0):
        d = shapely.symmetric_difference(jb, ja)
        if not d.is_empty:
            boxes.append(shapely.bounds(d))
    if not boxes:
        return None
    b = np.asarray(boxes, dtype=float)
    x0, y0, x1, y1 = b[:, 0].min(), b[:, 1].min(), b[:, 2].max(), b[:, 3].max()
    pad = max(x1 - x0, y1 - y0, 1e-9) * 0.05
    return shapely.box(x0 - pad, y0 - pad, x1 + pad, y1 + pad)


def _measure(state, key: str, depth: int, window, kinds) -> dict:
    """Validity, gap, outside and nesting areas of one level inside the window."""
    g = state.grids[state.grids["level"] == key]
    geoms = np.asarray(g.geometry.values, dtype=object)
    ok = ~(shapely.is_missing(geoms) | shapely.is_empty(geoms)) if len(geoms) else np.zeros(0, bool)
    hit = np.zeros(len(geoms), dtype=bool)
    if ok.any():
        hit[ok] = shapely.intersects(geoms[ok], window)
    sel = geoms[hit]
    out = {"valid": True, "gap": 0.0, "outside": 0.0, "nesting": 0.0}
    if "overlap" in kinds and len(sel) > 1:
        out["valid"] = bool(shapely.coverage_is_valid(sel))
    J = state.jurisdiction
    if J is not None and ({"gap", "outside"} & set(kinds)):
        U = shapely.intersection(shapely.union_all(sel), window) if len(sel) else shapely.Polygon()
        Jw = shapely.intersection(J, window)
        out["gap"] = float(shapely.area(shapely.difference(Jw, U)))
        out["outside"] = float(shapely.area(shapely.difference(U, Jw)))
    if "nesting" in kinds and depth > 0 and len(sel):
        parents = pd.array(g["parent"].to_numpy()[hit], dtype="Int64")
        pid = parents.fillna(-1).to_numpy(dtype=np.int64)
        known = np.isin(pid, state.grids.index.to_numpy())
        if known.any():
            pg = np.asarray(state.grids.geometry.loc[pid[known]].values, dtype=object)
            out["nesting"] = float(shapely.area(shapely.difference(sel[known], pg)).sum())
    return out


def coverage_regressions(before, after, grids, levels, kinds=KINDS, rel_tol: float = 1e-7) -> list[Regression]:
    """How an edit of ``grids`` (ids touched, before or after) makes the coverage
    worse, comparing the plan ``before`` and ``after`` (objects with ``grids`` and
    ``jurisdiction``) level by level (``levels``: keys, top first).  An empty list
    means the edit keeps the plan as clean as it was."""
    ids = {int(i) for i in grids}
    out: list[Regression] = []
    if "invalid" in kinds:
        g = after.grids
        present = [i for i in sorted(ids) if i in g.index]
        geoms = np.asarray(g.geometry.loc[present].values, dtype=object)
        bad = ~shapely.is_valid(geoms) & ~shapely.is_missing(geoms) if len(geoms) else np.zeros(0, bool)
        for i in np.asarray(present)[bad] if bad.any() else []:
            was = before.grids.geometry.get(int(i)) if int(i) in before.grids.index else None
            if was is None or shapely.is_valid(was):
                out.append(Regression("invalid", str(g.at[int(i), "level"])))
                break
    window = _window(before, after, ids)
    if window is None:
        return out
    tol = max(float(window.area) * rel_tol, 1e-12)
    for depth, key in enumerate(levels):
        try:
            b = _measure(before, key, depth, window, kinds)
            a = _measure(after, key, depth, window, kinds)
        except shapely.errors.GEOSException:
            continue  # geometry too broken to compare: do not block the edit
        if "overlap" in kinds and b["valid"] and not a["valid"]:
            out.append(Regression("overlap", key))
        for kind in ("gap", "outside", "nesting"):
            if kind in kinds and b[kind] <= tol < a[kind]:
                out.append(Regression(kind, key, a[kind]))
    return out
