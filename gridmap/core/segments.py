"""Street segments (路段) and places: splitting roads at grid boundaries,
assigning pieces and places to grids, and workload totals (队员管段、路长).

>>> from shapely import box, LineString
>>> pieces, line_idx, grid_idx = split_lines([LineString([(0, 5), (20, 5)])], [box(0, 0, 10, 10), box(10, 0, 20, 10)])
>>> [p.length for p in pieces], line_idx.tolist(), grid_idx.tolist()
([10.0, 10.0], [0, 0], [0, 1])
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from .crs import to_crs
from .plan import SEGMENT_COLUMNS, Plan, coerce

__all__ = ["split_lines", "segments_from_roads", "road_length_by_grid", "road_length_by_officer",
           "place_counts"]


def split_lines(lines, polygons, min_length: float = 0.01):
    """Cut lines at polygon boundaries.

    Returns ``(pieces, line_index, polygon_index)``: every piece of every line
    inside some polygon, with the index of the line it came from and of the polygon
    holding it.  Parts shorter than ``min_length`` (slivers along a boundary) are
    dropped; lines outside every polygon give no piece.
    """
    lines = np.asarray(lines, dtype=object)
    polygons = np.asarray(polygons, dtype=object)
    tree = shapely.STRtree(polygons)
    li, pi = tree.query(lines, predicate="intersects")
    inter = shapely.intersection(lines[li], polygons[pi])
    parts, part_of = shapely.get_parts(inter, return_index=True)
    # line work only (a road touching a boundary leaves points)
    is_line = np.isin(shapely.get_type_id(parts), (1, 2, 5))
    parts, part_of = parts[is_line], part_of[is_line]
    merged = []
    idx = []
    # merge consecutive pieces of the same line in the same polygon
    for k in np.unique(part_of):
        group = parts[part_of == k]
        m = shapely.line_merge(shapely.union_all(group)) if len(group) > 1 else group[0]
        for g in shapely.get_parts(m):
            merged.append(g)
            idx.append(k)
    merged = np.asarray(merged, dtype=object)
    idx = np.asarray(idx, dtype=int)
    keep = shapely.length(merged) >= min_length if len(merged) else np.zeros(0, bool)
    return merged[keep], li[idx[keep]], pi[idx[keep]]


def segments_from_roads(plan: Plan, roads: gpd.GeoDataFrame, name_field: str = "name",
                        level: str | None = None, assign_officers: bool = True) -> gpd.GeoDataFrame:
    """A new segments table: the roads cut at the boundaries of the grids of ``level``
    (default the lowest), each piece with its road name, its grid and — if the
    grid has officers — the first of them.  Apply it with
    ``ReplaceTable("…", "segments", table)`` to make it one undoable step.
    """
    level = plan.level(level or plan.levels[-1].key).key
    grids = plan.grids[plan.grids["level"] == level]
    lines = roads.geometry.values
    if roads.crs is not None:
        lines = to_crs(lines, roads.crs, plan.crs)
    pieces, li, gi = split_lines(lines, grids.geometry.values)
    names = roads[name_field].fillna("").astype(str).to_numpy() if name_field in roads else np.full(len(roads), "")
    grid_ids = grids.index.to_numpy()[gi]
    officer = pd.array([pd.NA] * len(pieces), dtype="Int64")
    if assign_officers and len(plan.roles):
        off = plan.roles[(plan.roles["role"] == "officer") & plan.roles["person"].notna()]
        first = off.groupby("grid")["person"].first()
        officer = pd.array(pd.Series(grid_ids).map(first), dtype="Int64")
    table = gpd.GeoDataFrame(
        {"road_name": names[li], "from_desc": "", "to_desc": "", "grid": grid_ids, "officer": officer, "notes": ""},
        geometry=pieces, crs=plan.crs, index=pd.Index(np.arange(1, len(pieces) + 1), name="id"))
    return coerce(table, SEGMENT_COLUMNS)


def road_length_by_grid(plan: Plan) -> pd.Series:
    """Road length (m) of the segments of each grid."""
    s = plan.segments
    if len(s) == 0:
        return pd.Series(dtype=float)
    return pd.Series(shapely.length(s.geometry.values), index=s.index).groupby(s["grid"]).sum()


def road_length_by_officer(plan: Plan) -> pd.Series:
    """Road length (m) each officer is responsible for (队员管段)."""
    s = plan.segments
    if len(s) == 0:
        return pd.Series(dtype=float)
    return pd.Series(shapely.length(s.geometry.values), index=s.index).groupby(s["officer"]).sum()


def place_counts(plan: Plan) -> pd.DataFrame:
    """Number of places of each kind per grid (rows: grid ids, columns: kinds)."""
    p = plan.places
    if len(p) == 0:
        return pd.DataFrame()
    return pd.crosstab(p["grid"], p["kind"])
