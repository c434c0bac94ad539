"""How grids look, on screen and on paper alike (the one style set): line widths
and colours by level, fill colours by top-level grid, chosen so that
neighbouring areas never share a colour.  The desktop canvas
(:mod:`gridmap.ui.layers.plan_layers`) and the printed maps
(:mod:`gridmap.core.outputs.mapframe`) both take their colours from here.

>>> [s.width for s in level_styles(2)]
[1.8, 0.6]
>>> level_styles(5)[0].color, level_styles(5)[-1].dashed
('#c0392b', False)
>>> from shapely import box
>>> greedy_colors([box(0, 0, 1, 1), box(1, 0, 2, 1), box(2, 0, 3, 1)]).tolist()
[0, 1, 2]
>>> greedy_colors([box(0, 0, 1, 1), box(1, 0, 2, 1), box(2, 0, 3, 1)], n_colors=2).tolist()
[0, 1, 0]
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import shapely

__all__ = ["LevelStyle", "level_styles", "greedy_colors", "grid_fills", "top_ancestors", "PX_PER_PT",
           "FILLS", "JURISDICTION", "HIGHLIGHT", "ROAD", "ROAD_RULE", "SEGMENT", "PLACE", "LABEL"]

PX_PER_PT = 96.0 / 72.0   # a printed line of w points is drawn w × 4/3 pixels wide on screen

# Pale fills for top-level grids (ColorBrewer Pastel1/Set3-like), 8 colours.
FILLS = ("#fbe3d6", "#dcebf7", "#e2f0d9", "#fff2cc", "#e8dcf2", "#d9f2f0", "#f8d7e3", "#eeeeee")
JURISDICTION = {"color": "#6c3483", "width": 2.2, "dashes": (8, 2, 1.5, 2)}   # 行政界线: dash-dot
HIGHLIGHT = {"edge": "#d62728", "fill": "#ffd966", "width": 2.4}
ROAD = {"color": "#a6a6a6", "width": 0.7, "label": "#595959"}
SEGMENT = {"color": "#1f77b4", "width": 2.0}
PLACE = {"color": "#2ca02c"}
# Grid labels: the lowest level's text, the top level's (on a pale box), numbers of the key (in a
# ring), leader lines, and the other grids' labels on a map book page about one grid.
LABEL = {"color": "#1a1a1a", "top": "#7b241c", "number": "#1a1a1a", "leader": "#555555", "leader_pt": 0.4,
         "emphasis_others": "#555555", "halo": "#ffffff"}

# Road width (screen pixels; paper: half as many points) and colour by OSM highway class: the
# "simple rule" of a road base map that has no rule of its own, on screen and on paper.
ROAD_RULE = {
    "field": "highway",
    "width": {"motorway": 3.4, "trunk": 3.0, "primary": 2.6, "secondary": 2.0, "tertiary": 1.5,
              "motorway_link": 1.6, "trunk_link": 1.4, "primary_link": 1.3, "secondary_link": 1.2,
              "tertiary_link": 1.0, "residential": 1.0, "unclassified": 0.9, "service": 0.7},
    "stroke": {"motorway": "#e9a268", "trunk": "#f0bd7e", "primary": "#f3d28e", "secondary": "#d8cfa0",
               "tertiary": "#c2c2c2", "motorway_link": "#e9a268", "trunk_link": "#f0bd7e",
               "primary_link": "#f3d28e", "secondary_link": "#d8cfa0", "tertiary_link": "#c2c2c2"},
    "default_width": 0.8,
}


@dataclass(frozen=True)
class LevelStyle:
    """The outline of one level's grids: width in points, colour, dashes,
    and the label size (points) its code and name start at."""

    width: float
    color: str
    dashed: bool
    label_size: float


def level_styles(n: int) -> list[LevelStyle]:
    """Styles for ``n`` levels, top first: the top level in bold red, the lowest
    thin blue, levels between in steps."""
    if n <= 1:
        return [LevelStyle(1.2, "#c0392b", False, 8.0)]
    out = []
    for i in range(n):
        t = i / (n - 1)
        width = round(1.8 - 1.2 * t, 2)
        color = "#c0392b" if i == 0 else "#2e5c8a" if i == n - 1 else "#8e44ad"
        out.append(LevelStyle(width, color, False, round(9.0 - 3.0 * t, 1)))
    return out


def greedy_colors(geoms, n_colors: int = len(FILLS)) -> np.ndarray:
    """A colour index per polygon: its own when there are at most ``n_colors``,
    else different from its touching neighbours' where possible (largest first)."""
    geoms = np.asarray(geoms, dtype=object)
    out = np.full(len(geoms), -1, dtype=int)
    if len(geoms) == 0:
        return out
    if len(geoms) <= n_colors:          # few areas: each its own colour
        return np.arange(len(geoms))
    tree = shapely.STRtree(geoms)
    # neighbours within a hair of each other count (slivers between real grids)
    area = shapely.area(geoms)
    tol = 0.02 * float(np.sqrt(np.median(area[area > 0]))) if (area > 0).any() else 0.0
    # (the pairs tree.query(geoms, predicate="dwithin", distance=tol) gives: boxes within tol, then
    # the touching ones by intersects, the distance only for the others — a third of the time)
    b = shapely.bounds(geoms)
    src, dst = tree.query(shapely.box(b[:, 0] - tol, b[:, 1] - tol, b[:, 2] + tol, b[:, 3] + tol))
    near = shapely.intersects(geoms[src], geoms[dst])
    if (~near).any():
        near[~near] = shapely.dwithin(geoms[src[~near]], geoms[dst[~near]], tol)
    src, dst = src[near], dst[near]
    keep = src != dst
    neighbours: dict[int, list[int]] = {}
    for a, b in zip(src[keep], dst[keep]):
        neighbours.setdefault(int(a), []).append(int(b))
    order = np.argsort(-shapely.area(geoms), kind="stable")
    for i in order:
        used = {out[j] for j in neighbours.get(int(i), ()) if out[j] >= 0}
        out[i] = next((c for c in range(n_colors) if c not in used), int(i) % n_colors)
    return out


def top_ancestors(grids) -> pd.Series:
    """The top-level ancestor of every grid (a top-level grid is its own).

    >>> g = pd.DataFrame({"parent": pd.array([pd.NA, 0, 1], dtype="Int64")})
    >>> top_ancestors(g).tolist()
    [0, 0, 0]
    """
    parent = grids["parent"]
    top = pd.Series(grids.index.values, index=grids.index)
    for _ in range(64):
        up = parent.reindex(top.values)
        has = up.notna().to_numpy()
        if not has.any():
            break
        top[has] = up[has].astype(int).values
    return top.astype(int)


def grid_fills(plan) -> pd.Series:
    """The fill colour of every lowest-level grid (index: grid id): by its
    top-level grid, neighbouring top-level areas never alike; with one level
    (or one top grid) the lowest grids are coloured among themselves."""
    grids = plan.grids
    if not len(grids) or not plan.levels:
        return pd.Series([], dtype=object)
    low_key = plan.levels[-1].key
    lowest = grids[grids["level"] == low_key]
    tops = grids[grids["level"] == plan.levels[0].key]
    if len(plan.levels) == 1 or len(tops) <= 1:
        idx = greedy_colors(lowest.geometry.values)
    else:
        colour_of = pd.Series(greedy_colors(tops.geometry.values), index=tops.index)
        top = top_ancestors(grids).loc[lowest.index]
        # (by one reindex: a grid whose top is not a top-level grid takes colour 0)
        idx = colour_of.reindex(top.to_numpy()).fillna(0).to_numpy(dtype=int)
    fills = np.asarray(FILLS, dtype=object)[np.asarray(idx, dtype=int) % len(FILLS)]
    return pd.Series(fills, index=lowest.index, dtype=object)
