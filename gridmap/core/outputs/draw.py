"""Shapely geometries as matplotlib artists (vectorised, one path per feature).

>>> from shapely import box, LineString
>>> paths = polygon_paths([box(0, 0, 2, 2).difference(box(0.5, 0.5, 1, 1))])
>>> len(paths), len(paths[0].vertices)          # exterior and hole, 5 vertices each
(1, 10)
>>> [len(p) for p in line_arrays([LineString([(0, 0), (1, 1), (2, 0)])])]
[3]
"""

from __future__ import annotations

import numpy as np
import shapely
from matplotlib.path import Path

__all__ = ["polygon_paths", "line_arrays", "add_polygons", "add_lines"]


def polygon_paths(geoms) -> list[Path]:
    """One compound :class:`~matplotlib.path.Path` per (multi)polygon, holes included."""
    geoms = np.asarray(geoms, dtype=object)
    out = []
    for g in geoms:
        if g is None or g.is_empty:
            out.append(Path(np.zeros((0, 2))))
            continue
        parts = shapely.get_parts(g)
        rings = []
        for part in parts:
            if part.geom_type != "Polygon":
                continue
            rings.append(shapely.get_exterior_ring(part))
            rings.extend(shapely.get_interior_ring(part, i) for i in range(shapely.get_num_interior_rings(part)))
        verts, codes = [], []
        for ring in rings:
            xy = shapely.get_coordinates(ring)
            if len(xy) < 3:
                continue
            c = np.full(len(xy), Path.LINETO, dtype=np.uint8)
            c[0] = Path.MOVETO
            c[-1] = Path.CLOSEPOLY
            verts.append(xy)
            codes.append(c)
        out.append(Path(np.concatenate(verts), np.concatenate(codes)) if verts else Path(np.zeros((0, 2))))
    return out


def line_arrays(geoms) -> list[np.ndarray]:
    """The vertex arrays of every line part (polygon boundaries for polygons)."""
    geoms = np.asarray(geoms, dtype=object)
    geoms = geoms[~shapely.is_missing(geoms)]
    if len(geoms) == 0:
        return []
    types = shapely.get_type_id(geoms)
    poly = np.isin(types, (3, 6))
    if poly.any():
        geoms = geoms.copy()
        geoms[poly] = shapely.boundary(geoms[poly])
    parts = shapely.get_parts(geoms)
    parts = parts[np.isin(shapely.get_type_id(parts), (1, 2))]
    xy, idx = shapely.get_coordinates(parts, return_index=True)
    if len(xy) == 0:
        return []
    cuts = np.flatnonzero(np.diff(idx)) + 1
    return np.split(xy, cuts)


def add_polygons(ax, geoms, facecolors="none", edgecolors="black", linewidths=0.5, zorder=1.0,
                 **kw):
    """Add polygons to ``ax`` as one collection."""
    from matplotlib.collections import PathCollection

    coll = PathCollection(polygon_paths(geoms), facecolors=facecolors, edgecolors=edgecolors,
                          linewidths=linewidths, zorder=zorder, **kw)
    ax.add_collection(coll, autolim=False)
    return coll


def add_lines(ax, geoms, colors="black", linewidths=0.5, zorder=1.0, **kw):
    """Add lines (or polygon outlines) to ``ax`` as one collection."""
    from matplotlib.collections import LineCollection

    coll = LineCollection(line_arrays(geoms), colors=colors, linewidths=linewidths, zorder=zorder,
                          capstyle="round", joinstyle="round", **kw)
    ax.add_collection(coll, autolim=False)
    return coll
