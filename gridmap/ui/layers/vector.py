"""Vector layers: the plan's grids, segments, places and vector base maps.

Drawing is vectorised (see :mod:`gridmap.ui.fastdraw`): features in view come
from an STRtree query on the view box; their coordinates are gathered from one
flat array, transformed to pixels with numpy and handed to Qt as one
``QPainterPath`` per style class (outlines) or per chunk (fills).  At small
scales geometry is simplified to the pixel size (cached per power-of-two
tolerance) and features smaller than ~1.5 pixels are drawn as points.
"""

from __future__ import annotations

import math
from collections import OrderedDict
from pathlib import Path

import numpy as np
import pandas as pd
import shapely
from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QPainter, QPen

from ..fastdraw import painter_path, ring_offsets
from ...core.view.labels import font_px_for, grid_label_variants
from ...core.view.style import ROAD_RULE  # road widths and colours by class: the style set's (screen and paper)
from .base import Cancelled, MapLayer, RenderContext, crs_text, qcolor

__all__ = ["GeomArrays", "FeatureIndex", "FeatureLayer", "GridLayer", "VectorFileLayer", "ROAD_RULE", "layer_from_record",
           "LabelCandidates"]

FILL_CHUNK = 256          # features per filled path (Qt fills big multi-path shapes slowly)
STROKE_CHUNK = 32         # features per stroked path for pens wider than 1 px (Qt's stroker is superlinear)
THIN_BELOW_PX = 8.0       # when the features in view are this small on screen, lines are drawn 1 px wide
POINT_PX = 1.5            # features smaller than this on screen are drawn as a point


def _family(geoms) -> str:
    types = set(shapely.get_type_id(geoms[~shapely.is_missing(geoms)]).tolist()) if len(geoms) else set()
    if types & {3, 6}:
        return "polygon"
    if types & {1, 2, 5}:
        return "line"
    return "point"


#: features per shapely call over a whole layer: each call holds Python's GIL until it returns, and
#: the window's event loop waits meanwhile (100k grids in one call: 0.1–0.8 s; 4,096: ~10–40 ms; issue 21)
PIECE = 4096


def _pieces(fn, geoms: np.ndarray, *args, **kw) -> np.ndarray:
    """``fn(geoms, …)`` of a vectorised shapely function, in pieces of :data:`PIECE` features."""
    n = len(geoms)
    if n <= PIECE:
        return fn(geoms, *args, **kw)
    return np.concatenate([fn(geoms[s:s + PIECE], *args, **kw) for s in range(0, n, PIECE)])


def _decompose(geoms: np.ndarray, family: str):
    """(coords, part offsets, feature → part offsets) of a geometry array (see :class:`GeomArrays`),
    worked out in pieces of :data:`PIECE` features."""
    n = len(geoms)
    if n <= PIECE:
        return _decompose_piece(geoms, family)
    coords, part_off, feat_part = [], [np.zeros(1, dtype=np.int64)], [np.zeros(1, dtype=np.int64)]
    nc = np_ = 0
    for s in range(0, n, PIECE):
        c, po, fp = _decompose_piece(geoms[s:s + PIECE], family)
        coords.append(c)
        part_off.append(po[1:] + nc)
        feat_part.append(fp[1:] + np_)
        nc += len(c)
        np_ += len(po) - 1
    return (np.ascontiguousarray(np.concatenate(coords), dtype=np.float64), np.concatenate(part_off),
            np.concatenate(feat_part))


def _decompose_piece(geoms: np.ndarray, family: str):
    n = len(geoms)
    if family == "polygon":
        quick = _simple_polygons(geoms)
        if quick is not None:
            return quick
        geoms = shapely.orient_polygons(geoms)  # holes opposite to shells: winding fill
        parts, pidx = shapely.get_parts(geoms, return_index=True)
        rings, ridx = shapely.get_rings(parts, return_index=True)
        part_feat = pidx[ridx]
        coords, cidx = shapely.get_coordinates(rings, return_index=True)
        nparts = len(rings)
    elif family == "line":
        parts, part_feat = shapely.get_parts(geoms, return_index=True)
        polys = shapely.get_type_id(parts) == 3
        if polys.any():
            parts = np.where(polys, shapely.boundary(parts), parts)
            parts, pi = shapely.get_parts(parts, return_index=True)
            part_feat = part_feat[pi]
        coords, cidx = shapely.get_coordinates(parts, return_index=True)
        nparts = len(parts)
    else:
        pts = shapely.point_on_surface(geoms)
        coords, cidx = shapely.get_coordinates(pts, return_index=True)
        part_feat = np.arange(n)
        nparts = n
    return (np.ascontiguousarray(coords, dtype=np.float64), ring_offsets(cidx, nparts),
            ring_offsets(part_feat, n))


def _simple_polygons(geoms: np.ndarray):
    """:func:`_decompose` of an array of Polygons without holes (a plan's grids), the same arrays
    from the coordinates in one go instead of a geometry per part and per ring (issue 21: the
    first frame of 100k grids; 0.15 s against 0.4–0.7 s); None for anything else."""
    n = len(geoms)
    if not n or not (shapely.get_type_id(geoms) == 3).all() or shapely.get_num_interior_rings(geoms).any():
        return None
    counts = shapely.get_num_coordinates(geoms)
    if not (counts > 0).all():
        return None
    coords = np.ascontiguousarray(shapely.get_coordinates(geoms), dtype=np.float64)
    off = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(counts, out=off[1:])
    # exterior rings counter-clockwise, as shapely.orient_polygons makes them (the same test)
    cw = np.flatnonzero(~_rings_ccw(coords, off, geoms))
    if len(cw):
        lens = counts[cw]
        within = np.arange(int(lens.sum()), dtype=np.int64) - np.repeat(np.cumsum(lens) - lens, lens)
        first = np.repeat(off[cw], lens)
        coords[first + within] = coords[first + np.repeat(lens - 1, lens) - within]
    return coords, off, np.arange(n + 1, dtype=np.int64)


def _rings_ccw(coords: np.ndarray, off: np.ndarray, geoms: np.ndarray) -> np.ndarray:
    """Whether each closed ring ``coords[off[k]:off[k + 1]]`` (the exterior of ``geoms[k]``, every
    ring with points) is counter-clockwise by GEOS's own test (``Orientation::isCCW``, the one
    ``shapely.is_ccw`` and ``orient_polygons`` use: the last point reached by a rising segment at
    the ring's top, then the cap there), in numpy over all rings at once.  Rings it does not
    decide — fewer than 4 points, a flat top of more than two points, a cap the floating-point
    filter cannot orient (nearly collinear) — are asked of GEOS itself."""
    n = len(off) - 1
    counts = np.diff(off)
    npts = counts - 1                                    # without the closing point
    starts = off[:-1]
    x, y = coords[:, 0], coords[:, 1]
    top = np.maximum.reduceat(y, starts)
    attop = y == np.repeat(top, counts)
    rising = np.empty(len(y), dtype=bool)
    rising[0] = False
    np.greater(y[1:], y[:-1], out=rising[1:])
    rising[starts] = False
    rising &= attop
    idx = np.flatnonzero(rising)                         # (about one per ring)
    up = np.full(n, -1, dtype=np.int64)
    np.maximum.at(up, np.searchsorted(starts, idx, side="right") - 1, idx)
    out = np.zeros(n, dtype=bool)                        # (a flat ring: False, as GEOS says)
    ask = npts < 3
    r = np.flatnonzero(~ask & (up >= 0))
    o, m, hi = starts[r], npts[r], up[r]                 # hi: global index of the high point
    u = hi - o
    # the first point after the high one below the top: the next, or the one after (a flat top)
    j1 = o + (u + 1) % m
    j2 = o + (u + 2) % m
    step2 = attop[j1]
    ask[r[step2 & attop[j2]]] = True
    low_after = np.where(step2, j2, j1)
    down_hi = np.where(low_after > o, low_after - 1, o + m - 1)
    hx, hy, lx, ly = x[hi], y[hi], x[hi - 1], y[hi - 1]
    dlx, dly, dhx, dhy = x[low_after], y[low_after], x[down_hi], y[down_hi]
    pointed = (hx == dhx) & (hy == dhy)
    degenerate = pointed & (((lx == hx) & (ly == hy)) | ((dlx == hx) & (dly == hy)) | ((lx == dlx) & (ly == dly)))
    # the orientation of (low before, high, low after) by GEOS's floating-point filter
    detleft = (lx - dlx) * (hy - dly)
    detright = (ly - dly) * (hx - dlx)
    det = detleft - detright
    same_sign = ((detleft > 0) & (detright > 0)) | ((detleft < 0) & (detright < 0))
    decided = ~same_sign | (np.abs(det) >= 1e-15 * (np.abs(detleft) + np.abs(detright)))
    out[r] = np.where(pointed, ~degenerate & (det > 0), (dhx - hx) < 0)
    ask[r[pointed & ~degenerate & ~decided]] = True
    k = np.flatnonzero(ask)
    if len(k):
        out[k] = shapely.is_ccw(shapely.get_exterior_ring(geoms[k]))
    return out


class _Grow:
    """An append-only array with spare capacity: an append never moves or changes the
    rows already handed out (views of them stay valid in other threads)."""

    def __init__(self, first: np.ndarray):
        self.buf = first
        self.n = len(first)

    def append(self, rows: np.ndarray) -> np.ndarray:
        need = self.n + len(rows)
        if need > len(self.buf):
            buf = np.empty((max(need, 2 * len(self.buf), 16),) + self.buf.shape[1:], dtype=self.buf.dtype)
            buf[:self.n] = self.buf[:self.n]
            self.buf = buf
        self.buf[self.n:need] = rows
        self.n = need
        return self.buf[:need]


class GeomArrays:
    """All coordinates of a geometry array in one (n, 2) array, cut into parts
    (polygon rings or line strings); ``part_off`` gives the coordinates of each part,
    ``fp0``/``fp1`` the parts of each feature (``feat_part`` too, as offsets, on a
    freshly built array).

    :meth:`patched` gives a new array with some features replaced or appended: their
    coordinates are appended, nothing is rebuilt (an edit costs what it changed).

    >>> from shapely import box
    >>> g = GeomArrays(np.array([box(0, 0, 1, 1), box(2, 0, 3, 1)]), "polygon")
    >>> xy, starts, offs = g.gather(np.array([1]))
    >>> len(xy), starts.tolist(), float(xy[:, 0].min())
    (5, [0], 2.0)
    >>> h = g.patched(np.array([0, 2]), np.array([box(5, 0, 6, 1), box(7, 0, 8, 1)], dtype=object))
    >>> [float(h.gather(np.array([k]))[0][:, 0].min()) for k in range(3)], len(h), h.garbage
    ([5.0, 2.0, 7.0], 3, 5)
    """

    def __init__(self, geoms: np.ndarray, family: str):
        coords, part_off, feat_part = _decompose(np.asarray(geoms, dtype=object), family)
        self.family = family
        if len(coords) > 4096:      # room for edits: the first patch does not copy every coordinate
            buf = np.empty((len(coords) + len(coords) // 16, 2))
            buf[:len(coords)] = coords
            self._cbuf = _Grow(buf)
            self._cbuf.n = len(coords)
            coords = buf[:len(coords)]
        else:
            self._cbuf = None
        self._pbuf = None
        self.coords = coords
        self.part_off = part_off
        self.feat_part = feat_part
        self.fp0 = feat_part[:-1]
        self.fp1 = feat_part[1:]
        self.garbage = 0               # coordinates of replaced features still in ``coords``

    def __len__(self) -> int:
        return len(self.fp0)

    def patched(self, pos: np.ndarray, geoms: np.ndarray) -> "GeomArrays":
        """A new array with features ``pos`` set to ``geoms`` (positions ≥ ``len(self)``
        are appended; a missing geometry makes an empty feature).  ``self`` stays valid."""
        pos = np.asarray(pos, dtype=np.int64)
        coords, part_off, feat_part = _decompose(np.asarray(geoms, dtype=object), self.family)
        cbuf = self._cbuf or _Grow(self.coords)
        pbuf = self._pbuf or _Grow(self.part_off)
        n_c, n_p = len(self.coords), len(self.part_off) - 1
        out = GeomArrays.__new__(GeomArrays)
        out.family = self.family
        out.coords = cbuf.append(coords) if len(coords) else self.coords
        out.part_off = pbuf.append(part_off[1:] + n_c) if len(part_off) > 1 else self.part_off
        out._cbuf, out._pbuf = cbuf, pbuf
        n = max(len(self), int(pos.max()) + 1 if len(pos) else 0)
        fp0 = np.zeros(n, dtype=np.int64)
        fp1 = np.zeros(n, dtype=np.int64)
        fp0[:len(self)], fp1[:len(self)] = self.fp0, self.fp1
        old = pos[pos < len(self)]
        out.garbage = self.garbage + int((self.part_off[self.fp1[old]] - self.part_off[self.fp0[old]]).sum())
        fp0[pos] = n_p + feat_part[:-1]
        fp1[pos] = n_p + feat_part[1:]
        out.fp0, out.fp1, out.feat_part = fp0, fp1, None
        return out

    def gather(self, sel: np.ndarray):
        """Coordinates of features ``sel`` (in order): (xy, part starts in xy, feature offsets in xy)."""
        sel = np.asarray(sel, dtype=np.int64)
        p0, p1 = self.fp0[sel], self.fp1[sel]
        c0, c1 = self.part_off[p0], self.part_off[p1]
        lens = c1 - c0
        off = np.zeros(len(sel) + 1, dtype=np.int64)
        np.cumsum(lens, out=off[1:])
        total = int(off[-1])
        idx = np.arange(total, dtype=np.int64) + np.repeat(c0 - off[:-1], lens)
        xy = self.coords[idx]
        plen = p1 - p0
        poff = np.zeros(len(sel) + 1, dtype=np.int64)
        np.cumsum(plen, out=poff[1:])
        parts = np.arange(int(poff[-1]), dtype=np.int64) + np.repeat(p0 - poff[:-1], plen)
        starts = self.part_off[parts] + np.repeat(off[:-1] - c0, plen)
        return xy, starts, off


def _same_value(a, b) -> bool:
    """Whether a field keeps its value (missing values are the same missing value)."""
    if a is b:
        return True
    try:
        if pd.isna(a) and pd.isna(b):
            return True
    except (TypeError, ValueError):
        return False
    try:
        return bool(a == b) and type(a) is type(b)
    except (TypeError, ValueError):
        return False


class FeatureIndex:
    """The spatial index of a layer, kept correct while features are edited.

    An STRtree is immutable: it is built once; features edited since are kept
    aside (their position and current geometry) — a query drops the tree's stale
    hits on them and tests them directly.  :meth:`with_changes` returns a new
    index sharing the tree (an edit costs what it changed); past ``REBUILD``
    edited features the layer builds a new tree instead.  ``query(geom,
    predicate=None)`` answers as :meth:`shapely.STRtree.query` for one geometry.

    >>> from shapely import box
    >>> idx = FeatureIndex(np.array([box(0, 0, 1, 1), box(2, 0, 3, 1)], dtype=object))
    >>> idx2 = idx.with_changes(np.array([0, 2]), np.array([box(2.5, 0, 4, 1), box(0, 0, 1, 1)], dtype=object))
    >>> sorted(idx2.query(box(0.2, 0.2, 0.4, 0.4)).tolist()), sorted(idx2.query(box(2.1, 0, 2.2, 1)).tolist())
    ([2], [1])
    >>> idx.query(box(0.2, 0.2, 0.4, 0.4)).tolist(), idx2.tree is idx.tree
    ([0], True)
    """

    REBUILD = 256
    builds = 0              # trees built (all indexes: tests count them)

    def __init__(self, geoms: np.ndarray):
        self.tree = shapely.STRtree(geoms)
        FeatureIndex.builds += 1
        self.stale = np.zeros(0, dtype=np.int64)
        self.stale_geoms = np.zeros(0, dtype=object)
        self.stale_bounds = np.zeros((0, 4))

    def with_changes(self, pos: np.ndarray, geoms: np.ndarray) -> "FeatureIndex":
        out = FeatureIndex.__new__(FeatureIndex)
        out.tree = self.tree
        pos = np.asarray(pos, dtype=np.int64)
        keep = ~np.isin(self.stale, pos)
        out.stale = np.concatenate([self.stale[keep], pos])
        out.stale_geoms = np.concatenate([self.stale_geoms[keep], np.asarray(geoms, dtype=object)])
        out.stale_bounds = np.concatenate([self.stale_bounds[keep], shapely.bounds(np.asarray(geoms, dtype=object))
                                           .reshape(-1, 4)])
        return out

    def query(self, geom, predicate: str | None = None) -> np.ndarray:
        hit = self.tree.query(geom, predicate=predicate)
        if not len(self.stale):
            return hit
        hit = hit[~np.isin(hit, self.stale)]
        b = shapely.bounds(geom)
        sb = self.stale_bounds
        m = (sb[:, 0] <= b[2]) & (b[0] <= sb[:, 2]) & (sb[:, 1] <= b[3]) & (b[1] <= sb[:, 3])
        cand = self.stale[m]
        if predicate is not None and len(cand):
            cand = cand[np.asarray(getattr(shapely, predicate)(geom, self.stale_geoms[m]), dtype=bool)]
        return np.concatenate([hit, cand]) if len(cand) else hit


class LabelCandidates:
    """Labels a layer would like to show in one frame (placed by the label engine)."""

    def __init__(self, texts, px, py, font_px, priority, color="#202020", variants=None):
        self.texts = list(texts)
        self.variants = variants      # per label, the texts it may read (fullest first), or None
        self.px = np.asarray(px, float)
        self.py = np.asarray(py, float)
        self.font_px = np.asarray(font_px, int)
        self.priority = np.asarray(priority, float)
        self.color = color

    def __len__(self) -> int:
        return len(self.texts)


def _groups(keys: np.ndarray, rows: np.ndarray) -> list:
    """[(key, rows with that key)] in the order of the sorted keys, as
    ``[(k, rows[keys == k]) for k in np.unique(keys)]`` gives them (by one hash pass, not a sort of
    100k colour strings and a comparison per colour)."""
    codes, uniq = pd.factorize(keys)
    return [(uniq[k], rows[codes == k]) for k in np.argsort(np.asarray(uniq, dtype=str), kind="stable")]


def _label_points(g: np.ndarray, family: str) -> np.ndarray:
    """A label anchor per geometry (NaN for a missing one): the centroid if inside, else a point on the surface."""
    g = np.asarray(g, dtype=object)
    out = np.full((len(g), 2), np.nan)
    if not len(g):
        return out
    if len(g) > PIECE:
        for s in range(0, len(g), PIECE):
            out[s:s + PIECE] = _label_points(g[s:s + PIECE], family)
        return out
    ok = ~shapely.is_missing(g) & ~shapely.is_empty(g)
    if not ok.any():
        return out
    if family == "polygon":
        xy = shapely.get_coordinates(shapely.centroid(g[ok]))
        cx, cy = xy[:, 0].copy(), xy[:, 1].copy()
        inside = shapely.contains_xy(g[ok], cx, cy)
        if (~inside).any():
            p = shapely.get_coordinates(shapely.point_on_surface(g[ok][~inside]))
            cx[~inside], cy[~inside] = p[:, 0], p[:, 1]
        out[ok] = np.column_stack([cx, cy])
    else:
        out[ok] = shapely.get_coordinates(shapely.point_on_surface(g[ok]))
    return out


class FeatureLayer(MapLayer):
    """Features in the project CRS with attributes, drawn by style.

    Style keys: ``stroke`` colour, ``width`` (px), ``fill`` colour ("" for none),
    ``fill_opacity`` 0–1, ``point_size`` (px), ``label_field`` (a field name or a
    ``{field}`` template, "" for no labels), ``label_min_px`` (hide labels of
    features smaller than this on screen), ``rule`` (per-class width/colour by a
    field, see :data:`ROAD_RULE`).
    """

    kind = "vector"
    default_style = {"stroke": "#3c5a99", "width": 1.0, "fill": "", "fill_opacity": 0.25,
                     "point_size": 6.0, "label_field": "", "label_min_px": 28.0, "label_color": "#202020"}

    def __init__(self, name: str, geoms=None, attrs: pd.DataFrame | None = None, ids=None, **kw):
        super().__init__(name, **kw)
        self._set_data(geoms, attrs, ids)

    # ------------------------------------------------------------------ data
    def _set_data(self, geoms, attrs=None, ids=None) -> None:
        with self._lock:
            geoms = np.asarray(geoms if geoms is not None else [], dtype=object)
            if len(geoms):
                geoms = np.where(shapely.is_valid_input(geoms), geoms, None)
            self.geoms = geoms
            self._attrs = attrs.reset_index(drop=True) if attrs is not None else pd.DataFrame(index=range(len(geoms)))
            self._cols = None          # after a patch: the fields as object arrays (the frame made when read)
            self.ids = np.asarray(ids if ids is not None else np.arange(len(geoms)), dtype=np.int64)
            self.family = _family(geoms)
            self._tree = None
            self._arrays: OrderedDict = OrderedDict()
            self._bounds = None
            self._label_xy = None
            self._classes = None
            self._seg_len = None
            self._wanted = set()         # tolerances drawn from part of the layer: warm() makes their arrays
            self._pos = None
            self.ready = True
            self.rebuilds = getattr(self, "rebuilds", 0) + 1     # whole-layer rebuilds (tests count them)
        self.touch()

    @property
    def attrs(self) -> pd.DataFrame:
        """The features' fields, one row per feature position."""
        with self._lock:
            if self._attrs is None:
                cols = self._cols or {}
                self._attrs = pd.DataFrame(cols, index=pd.RangeIndex(len(self.geoms))) if cols else \
                    pd.DataFrame(index=pd.RangeIndex(len(self.geoms)))
            return self._attrs

    @attrs.setter
    def attrs(self, frame: pd.DataFrame) -> None:
        with self._lock:
            self._attrs, self._cols = frame, None

    def _columns(self) -> dict:
        """The fields as object arrays (made once, then patched column by column)."""
        if self._cols is None:
            self._cols = {c: self._attrs[c].to_numpy(dtype=object) for c in self._attrs.columns}
        return self._cols

    def column(self, field: str):
        """One field as an array (no frame built), or None."""
        with self._lock:
            if self._cols is not None:
                return self._cols.get(field)
            return self._attrs[field].to_numpy() if field in self._attrs.columns else None

    def positions(self) -> dict:
        """Row position of every feature id (features removed by :meth:`patch` are left out)."""
        with self._lock:
            if self._pos is None:
                self._pos = {int(i): k for k, i in enumerate(self.ids.tolist())}
            return self._pos

    def patch(self, changed: dict, removed=()) -> None:
        """Follow an edit of a few features without rebuilding the layer:
        ``changed`` maps a feature id to ``(geometry, {field: value})`` (a new id is
        appended), ``removed`` lists ids that are gone (their row stays, empty, and
        never matches a query).  The spatial index, bounds, label points and every
        cached drawing array are updated for these rows only."""
        if not len(self.geoms) and changed:
            ids = list(changed)
            self._set_data(np.array([changed[i][0] for i in ids], dtype=object),
                           pd.DataFrame([changed[i][1] for i in ids]), ids)
            return
        with self._lock:
            pos_of = self.positions()
            n0 = len(self.geoms)
            upd, new_ids = [], []
            for i in changed:
                k = pos_of.get(int(i))
                if k is None:
                    pos_of[int(i)] = k = n0 + len(new_ids)
                    new_ids.append(int(i))
                upd.append(k)
            for i in removed:
                k = pos_of.pop(int(i), None)
                if k is not None:
                    upd.append(k)
            if not upd:
                return
            pos = np.array(upd, dtype=np.int64)
            vals = [changed[i][0] for i in changed] + [None] * (len(upd) - len(changed))
            vals = np.array(vals, dtype=object)
            if len(vals):
                vals = np.where(shapely.is_valid_input(vals), vals, None)
            n = n0 + len(new_ids)
            # the same geometries in the same rows (an attribute edit): only the fields change
            same_geoms = n == n0 and not removed and all(self.geoms[k] is v for k, v in zip(upd, vals))
            if same_geoms:
                geoms = self.geoms
            elif n == n0:                            # a new array: a frame being drawn keeps the old one
                geoms = self.geoms.copy()
            else:
                geoms = np.concatenate([self.geoms, np.full(n - n0, None, dtype=object)])
            if not same_geoms:
                geoms[pos] = vals
            ids = np.concatenate([self.ids, np.array(new_ids, dtype=np.int64)]) if new_ids else self.ids
            old_cols = self._columns()
            cols = {}
            for c, was in old_cols.items():
                touched = [(k, a[c]) for k, (g, a) in zip(upd, changed.values()) if c in a]
                if n == n0 and all(k < n0 and _same_value(was[k], v) for k, v in touched):
                    cols[c] = was                  # an untouched field: the same array
                    continue
                col = was.copy() if n == n0 else np.concatenate([was, np.full(n - n0, None, dtype=object)])
                for k, v in touched:
                    col[k] = v
                cols[c] = col
            if same_geoms:                         # nothing drawn or indexed changed but the fields
                self._cols, self._attrs = cols, None
                self._classes = None
                self.patches = getattr(self, "patches", 0) + 1
                self.touch()
                return
            if self._bounds is not None:
                b = np.full((n, 4), np.nan)
                b[:n0] = self._bounds
                b[pos] = shapely.bounds(vals).reshape(-1, 4)
                self._bounds = b
            if self._label_xy is not None:
                xy = np.full((n, 2), np.nan)
                xy[:n0] = self._label_xy
                xy[pos] = _label_points(vals, self.family)
                self._label_xy = xy
            for tol in list(self._arrays):
                g = vals if tol <= 0 else shapely.simplify(vals, tol, preserve_topology=False)
                arr = self._arrays[tol].patched(pos, g)
                if arr.garbage > max(len(arr.coords) // 2, 1 << 16):
                    del self._arrays[tol]          # mostly replaced coordinates: built afresh when drawn
                else:
                    self._arrays[tol] = arr
            if self._tree is not None:
                self._tree = self._tree.with_changes(pos, vals)
                if len(self._tree.stale) > FeatureIndex.REBUILD:
                    self._tree = None              # built again (once) at the next query
            self.geoms, self.ids = geoms, ids
            self._cols, self._attrs = cols, None
            self._pos = pos_of
            self._classes = None
            self.patches = getattr(self, "patches", 0) + 1
        self.touch()

    def set_geometries(self, geoms, attrs=None, ids=None) -> None:
        self._set_data(geoms, attrs, ids)

    def follow_table(self, table, tc, max_rows: int = 2000) -> bool:
        """Follow the rows ``tc`` (:class:`~gridmap.core.editing.changes.TableChanges`) of the
        plan table the layer shows (``table``, as it is now) by :meth:`patch`: the layer's own
        fields are copied for rows still there, the others removed.  Many rows: a rebuild."""
        if tc is None or not tc:
            return False
        fields = [c for c in self.attrs.columns if c in table.columns]
        if len(tc.ids) > max_rows or not len(self.geoms):
            self.set_geometries(table.geometry.values, pd.DataFrame({c: table[c].to_numpy() for c in fields}),
                                table.index.to_numpy())
            return True
        order = sorted(int(i) for i in tc.ids)
        at = table.index.get_indexer(order)            # (positions: no label lookup per cell)
        here = at[at >= 0]                              # (the touched rows' cells only: issue 21)
        geoms = table.geometry.values[here]
        arrays = {c: table[c].iloc[here].to_numpy() for c in fields}
        changed, removed = {}, []
        k = 0
        for i, p in zip(order, at.tolist()):
            if p >= 0:
                changed[i] = (geoms[k], {c: arrays[c][k] for c in fields})
                k += 1
            else:
                removed.append(i)
        self.patch(changed, removed)
        return True

    def warm(self, cancelled=lambda: False) -> None:
        """Build the spatial index, coordinate arrays and label points ahead of the
        first frame (worker thread), so the first render is as fast as later ones."""
        for step in (lambda: self.tree, lambda: self.bounds, lambda: self.arrays(0.0), self._median_seg,
                     self.label_points if self.style.get("label_field") else (lambda: None), self.positions,
                     lambda: [self.arrays(t) for t in sorted(getattr(self, "_wanted", ()))]):
            if cancelled():
                raise Cancelled()
            step()

    def __len__(self) -> int:
        return len(self.geoms)

    @property
    def tree(self) -> FeatureIndex:
        """The spatial index (``tree.query(geom, predicate=None)`` → row positions)."""
        with self._lock:
            if self._tree is None:
                self._tree = FeatureIndex(self.geoms)
            return self._tree

    @property
    def bounds(self) -> np.ndarray:
        with self._lock:
            if self._bounds is None:
                self._bounds = shapely.bounds(self.geoms)
            return self._bounds

    def extent(self):
        if not len(self.geoms):
            return None
        b = self.bounds
        if np.all(np.isnan(b)):
            return None
        return (float(np.nanmin(b[:, 0])), float(np.nanmin(b[:, 1])),
                float(np.nanmax(b[:, 2])), float(np.nanmax(b[:, 3])))

    def fields(self) -> list[str]:
        return [str(c) for c in self.attrs.columns if c != "geometry"]

    # ------------------------------------------------------------------ queries
    def query_box(self, box) -> np.ndarray:
        """Row positions of the features whose envelope meets ``box`` (xmin, ymin, xmax, ymax), sorted."""
        if not len(self.geoms):
            return np.zeros(0, dtype=np.int64)
        return np.sort(self.tree.query(shapely.box(*box)))

    def features_at(self, x: float, y: float, tolerance: float = 0.0) -> np.ndarray:
        """Ids of features under a map point (within ``tolerance`` map units), smallest first."""
        if not len(self.geoms):
            return np.zeros(0, dtype=np.int64)
        probe = shapely.Point(x, y) if tolerance <= 0 else shapely.Point(x, y).buffer(tolerance)
        hit = self.tree.query(probe, predicate="intersects")
        if self.family == "polygon" and len(hit) > 1:
            hit = hit[np.argsort(shapely.area(self.geoms[hit]))]
        return self.ids[hit]

    def features_in(self, box) -> np.ndarray:
        """Ids of features intersecting a map rectangle (xmin, ymin, xmax, ymax)."""
        if not len(self.geoms):
            return np.zeros(0, dtype=np.int64)
        return self.ids[np.sort(self.tree.query(shapely.box(*box), predicate="intersects"))]

    # ------------------------------------------------------------------ drawing data
    def _median_seg(self) -> float:
        if self._seg_len is None:
            # the first 20,000 coordinates, in the order of the exact arrays — from the first
            # features only (building the exact arrays of 100k grids first was ~2 s of the first
            # frame, issue 21)
            with self._lock:
                exact = self._arrays.get(0.0)
            if exact is not None:
                coords = exact.coords
            else:
                coords, k = np.zeros((0, 2)), 64
                while len(coords) < 20000 and k < 2 * len(self.geoms):
                    coords = shapely.get_coordinates(self.geoms[:k])
                    k *= 4
            n = min(len(coords), 20000)
            if n > 1:
                d = np.hypot(*np.diff(coords[:n], axis=0).T)
                d = d[d > 0]
                self._seg_len = float(np.median(d)) if len(d) else 1.0
            else:
                self._seg_len = 1.0
        return self._seg_len

    def arrays(self, tolerance: float) -> GeomArrays:
        """Geometry arrays simplified to ``tolerance`` map units (0: exact), cached."""
        with self._lock:
            hit = self._arrays.get(tolerance)
            if hit is not None:
                self._arrays.move_to_end(tolerance)
                return hit
        geoms = self.geoms if tolerance <= 0 else _pieces(shapely.simplify, self.geoms, tolerance,
                                                          preserve_topology=False)
        arr = GeomArrays(geoms, self.family)
        with self._lock:
            self._arrays[tolerance] = arr
            while len(self._arrays) > 5:
                self._arrays.popitem(last=False)
        return arr

    def tolerance_for(self, res: float) -> float:
        """Simplification tolerance for a resolution: a power of two near 0.7 px, or 0
        when the geometry is already coarser than a pixel."""
        if res <= 0 or self.family == "point":
            return 0.0
        tol = 2.0 ** math.floor(math.log2(res * 0.7))
        return tol if tol >= 0.25 * self._median_seg() else 0.0

    def classes(self):
        """(class per feature, [(class key, pen width, colour)]) from the style rule."""
        rule = self.style.get("rule") or {}
        key = (self.revision, id(rule))
        if self._classes is not None and self._classes[0] == key:
            return self._classes[1], self._classes[2]
        width = float(self.style.get("width", 1.0))
        stroke = self.style.get("stroke", "#333333")
        field = rule.get("field") if isinstance(rule, dict) else None
        if field and field in self.attrs.columns and len(self.attrs):
            vals = self.attrs[field].astype(str).to_numpy()
            keys = sorted(set(vals.tolist()),
                          key=lambda k: float(rule.get("width", {}).get(k, rule.get("default_width", width))))
            lookup = {k: i for i, k in enumerate(keys)}
            cls = np.fromiter((lookup[v] for v in vals), dtype=np.int64, count=len(vals))
            table = [(k, float(rule.get("width", {}).get(k, rule.get("default_width", width))),
                      rule.get("stroke", {}).get(k, stroke)) for k in keys]
        else:
            cls = np.zeros(len(self.geoms), dtype=np.int64)
            table = [("", width, stroke)]
        self._classes = (key, cls, table)
        return cls, table

    def feature_fills(self) -> np.ndarray | None:
        """A fill colour per feature, or None for the style's one fill."""
        return None

    def label_variants(self, rows: np.ndarray) -> list[list[str]] | None:
        """Per feature, the texts its label may read, fullest first (None: :meth:`label_texts`)."""
        return None

    def label_points(self) -> np.ndarray:
        """One label anchor per feature (map units): the centroid if it is inside, else a point on the surface."""
        with self._lock:
            if self._label_xy is None:
                self._label_xy = _label_points(self.geoms, self.family)
            return self._label_xy

    def label_texts(self, rows: np.ndarray) -> list[str]:
        spec = str(self.style.get("label_field") or "")
        if not spec:
            return [""] * len(rows)
        if "{" in spec:
            recs = self.attrs.iloc[rows].to_dict("records")
            out = []
            for r in recs:
                try:
                    out.append(spec.format(**{k: ("" if v is None else v) for k, v in r.items()}).strip())
                except (KeyError, ValueError, IndexError):
                    out.append("")
            return out
        if spec not in self.attrs.columns:
            return [""] * len(rows)
        col = self.attrs[spec].iloc[rows]
        return ["" if (v is None or (not isinstance(v, str) and pd.isna(v))) else str(v) for v in col]

    # ------------------------------------------------------------------ render
    def render(self, ctx: RenderContext) -> None:
        vp = ctx.viewport
        if not len(self.geoms):
            return
        sel = self.query_box(vp.extent)
        ctx.stats["features"] = len(sel)
        if not len(sel):
            return
        ctx.check()
        p = ctx.painter
        b = self.bounds[sel]
        size_px = np.maximum(b[:, 2] - b[:, 0], b[:, 3] - b[:, 1]) / vp.res
        tiny = size_px < POINT_PX if self.family != "point" else np.zeros(len(sel), dtype=bool)
        big = sel[~tiny]
        stroke_cls, table = self.classes()
        if self.family == "point":
            self._draw_points(ctx, sel)
            return
        tol = self.tolerance_for(vp.res)
        with self._lock:
            cached = tol in self._arrays
        at = None
        if not cached and tol > 0 and 2 * len(big) < len(self.geoms):
            # an overview whose arrays are not made yet (the first frame of a city, where most grids
            # are points): only the features drawn as shapes are simplified — each alone, as in the
            # whole layer's arrays, which are made when the layer is warmed (in the background)
            arr = GeomArrays(_pieces(shapely.simplify, self.geoms[big], tol, preserve_topology=False), self.family)
            at = big
            self._wanted.add(tol)
        else:
            arr = self.arrays(tol)
        ctx.check()
        if tiny.any():
            # a feature under POINT_PX wide is a dot at its box's centre (its label point is in the
            # same pixel, and at 100k grids it is 0.3 s of the first frame to find)
            tb = b[tiny]
            xy = np.column_stack(((tb[:, 0] + tb[:, 2]) / 2, (tb[:, 1] + tb[:, 3]) / 2))
            xy = xy[~np.isnan(xy[:, 0])]
            pix = vp.coords_to_pixel(xy)
            p.setPen(QPen(qcolor(table[0][2]), 1.5))
            p.drawPointsNp(np.ascontiguousarray(pix[:, 0]), np.ascontiguousarray(pix[:, 1]))
        if not len(big):
            return
        # features much bigger than the view (a jurisdiction, a long road) are clipped to it first,
        # so Qt does not stroke kilometres of outline that are off screen
        huge = size_px[~tiny] > 4 * max(vp.width, vp.height)
        if huge.any() and self.family in ("polygon", "line"):
            xmin, ymin, xmax, ymax = vp.extent
            m = 16 * vp.res
            hb = np.sort(big[huge])             # their layer positions: each keeps its own fill colour
            geoms = shapely.clip_by_rect(self.geoms[hb], xmin - m, ymin - m, xmax + m, ymax + m)
            clipped = GeomArrays(geoms, self.family)
            self._draw(ctx, clipped, hb, stroke_cls[hb], table, size_px[~tiny][huge], at=hb)
            big, keep_px = big[~huge], size_px[~tiny][~huge]
        else:
            keep_px = size_px[~tiny]
        if len(big):
            self._draw(ctx, arr, big, stroke_cls[big], table, keep_px, at=at)

    def _draw(self, ctx: RenderContext, arr: "GeomArrays", big: np.ndarray, cls: np.ndarray, table: list,
              size_px: np.ndarray, at: np.ndarray | None = None) -> None:
        """Fill (in chunks) and outline (one path per class, chunked for wide pens) features ``big`` of ``arr``
        (``at``: the sorted layer positions of ``arr``'s features, when it holds only those)."""
        p, vp = ctx.painter, ctx.viewport

        def rows(these):
            return these if at is None else np.searchsorted(at, these)
        # generalisation: at scales where the features are a few pixels, thick lines only clutter
        thin = float(np.median(size_px)) < THIN_BELOW_PX
        fill = self.style.get("fill")
        # one outline pen of at most 1 px for all (an overview of a city): the fills' paths are
        # stroked again, not built a second time (building them is half the drawing at 100k grids)
        reuse = len(table) == 1 and table[0][1] > 0 and (thin or table[0][1] <= 1.0)
        kept = []
        if self.family == "polygon" and fill:
            p.setRenderHint(QPainter.RenderHint.Antialiasing, False)
            p.setPen(Qt.PenStyle.NoPen)
            fills = self.feature_fills()
            groups = [(fill, big)] if fills is None else _groups(fills[big], big)
            for colour, these in groups:
                p.setBrush(QBrush(qcolor(colour, self.style.get("fill_opacity", 0.25))))
                for s in range(0, len(these), FILL_CHUNK):
                    ctx.check()
                    xy, starts, _ = arr.gather(rows(these[s:s + FILL_CHUNK]))
                    path = painter_path(vp.coords_to_pixel(xy), starts)
                    path.setFillRule(Qt.FillRule.WindingFill)
                    p.drawPath(path)
                    if reuse:
                        kept.append(path)
        p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        p.setBrush(Qt.BrushStyle.NoBrush)
        for k, (_, width, color) in enumerate(table):
            ctx.check()
            these = big[cls == k] if len(table) > 1 else big
            if not len(these) or width <= 0:
                continue
            width = min(width, 1.0) if thin else width
            pen = QPen(qcolor(color), width)
            pen.setCapStyle(Qt.PenCapStyle.RoundCap)
            pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
            dashes = self.style.get("dashes")
            if dashes:         # in line widths, as matplotlib scales them on the printed maps (行政界线 dash-dot)
                pen.setCapStyle(Qt.PenCapStyle.FlatCap)
                pen.setDashPattern([max(float(d), 0.05) for d in dashes])
            p.setPen(pen)
            if kept:
                for i, path in enumerate(kept):
                    if i and not i % 64:
                        ctx.check()
                    p.drawPath(path)
                continue
            step = len(these) if width <= 1.0 else STROKE_CHUNK
            for s in range(0, len(these), step):
                if s:
                    ctx.check()
                xy, starts, _ = arr.gather(rows(these[s:s + step]))
                p.drawPath(painter_path(vp.coords_to_pixel(xy), starts))

    def _draw_points(self, ctx: RenderContext, sel: np.ndarray) -> None:
        p, vp = ctx.painter, ctx.viewport
        xy = self.label_points()[sel]
        pix = vp.coords_to_pixel(xy)
        size = float(self.style.get("point_size", 6.0))
        p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        pen = QPen(qcolor(self.style.get("stroke", "#333333")), size)
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        p.setPen(pen)
        p.drawPointsNp(np.ascontiguousarray(pix[:, 0]), np.ascontiguousarray(pix[:, 1]))

    def label_candidates(self, ctx: RenderContext) -> LabelCandidates | None:
        """Labels for the features in view that are big enough on screen to hold one."""
        if not self.style.get("label_field") or not len(self.geoms):
            return None
        vp = ctx.viewport
        sel = self.query_box(vp.extent)
        if not len(sel):
            return None
        b = self.bounds[sel]
        wpx = (b[:, 2] - b[:, 0]) / vp.res
        hpx = (b[:, 3] - b[:, 1]) / vp.res
        if self.family == "polygon":
            keep = np.minimum(wpx, hpx) >= float(self.style.get("label_min_px", 28.0))
        else:
            keep = np.ones(len(sel), dtype=bool)
        if keep.sum() > 5000:  # far more than fit: the biggest first
            order = np.argsort(-(wpx * hpx)[keep])[:5000]
            idx = np.flatnonzero(keep)[order]
            keep = np.zeros(len(sel), dtype=bool)
            keep[idx] = True
        rows, wpx, hpx = sel[keep], wpx[keep], hpx[keep]
        if not len(rows):
            return None
        ctx.check()
        xy = self.label_points()[rows]
        ok = ~np.isnan(xy[:, 0])
        rows, wpx, hpx, xy = rows[ok], wpx[ok], hpx[ok], xy[ok]
        variants = self.label_variants(rows)
        texts = [v[0] if v else "" for v in variants] if variants is not None else self.label_texts(rows)
        px, py = vp.to_pixel(xy[:, 0], xy[:, 1])
        fpx = font_px_for(np.sqrt(wpx * hpx)) if self.family == "polygon" else np.full(len(rows), 12)
        cand = LabelCandidates(texts, px, py, fpx, wpx * hpx, color=self.style.get("label_color", "#202020"))
        cand.variants = variants
        cand.dedupe = self.family == "line"
        cand.max_w = wpx * 0.95 if self.family == "polygon" else np.full(len(rows), np.inf)
        cand.max_h = hpx * 0.9 if self.family == "polygon" else np.full(len(rows), np.inf)
        return cand


class GridLayer(FeatureLayer):
    """The grids of one level of the plan (ids are grid ids)."""

    kind = "grids"

    def __init__(self, plan, level_key: str, **kw):
        self.level_key = level_key
        super().__init__(kw.pop("name", level_key), group="plan", **kw)
        self.update_from(plan)

    FIELDS = ("code", "name", "level")
    #: an edit touching more grids than this (an import) rebuilds the layer
    PATCH_MAX = 2000

    def update_from(self, plan) -> None:
        """Rebuild the layer from the plan (opening, a whole-table change)."""
        g = plan.grids[plan.grids["level"] == self.level_key]
        attrs = pd.DataFrame({c: g[c].to_numpy() for c in self.FIELDS if c in g.columns})
        self._fills = None
        self._parent_fill = {}
        self._seen = (plan.grids, plan.grids.geometry.values)
        self._multi = None
        if self.style.get("fill_by") == "top":
            self._fills = self._all_fills(plan, g.index)
            self._parent_fill = self._fill_by_parent(g, self._fills)
        self.set_geometries(g.geometry.values, attrs, g.index.to_numpy())

    def _all_fills(self, plan, index) -> np.ndarray:
        from ...core.view.style import grid_fills

        fills = grid_fills(plan)       # a Series by grid id: reindexed at once, not looked up per grid
        return fills.reindex(index).astype(object).fillna(self.style.get("fill") or "#eeeeee") \
            .to_numpy(dtype=object)

    @staticmethod
    def _fill_by_parent(g, fills) -> dict:
        """Parent id → the fill of its children (children of one parent share their top grid's colour)."""
        if "parent" not in g.columns or not len(g):
            return {}
        par = pd.array(g["parent"], dtype="Int64")
        ok = ~np.asarray(par.isna())
        return dict(zip(np.asarray(par[ok], dtype=np.int64).tolist(), np.asarray(fills)[ok].tolist()))

    def seen(self, plan) -> None:
        """The layer shows ``plan``'s grids as they are (the same rows in another frame: a plan
        read in a worker and given CRS objects of the GUI thread, see ``rehome_crs``)."""
        self._seen = (plan.grids, plan.grids.geometry.values)

    def follows(self, plan) -> bool:
        """Whether the layer shows ``plan``'s grids as they are now (it followed every edit
        up to the plan's current grid table and geometry column)."""
        seen = getattr(self, "_seen", None)
        return seen is not None and seen[0] is plan.grids and seen[1] is plan.grids.geometry.values

    def follow(self, plan, changes) -> bool:
        """Follow one edit of the plan (a :class:`~gridmap.core.editing.changes.Changes`):
        the grids of this level it added, removed or changed are patched in
        (:meth:`~FeatureLayer.patch`); nothing else is rebuilt.  Returns whether
        the layer changed."""
        try:
            return self._follow(plan, changes)
        finally:
            self._seen = (plan.grids, plan.grids.geometry.values)

    def _follow(self, plan, changes) -> bool:
        tc = changes.per_table.get("grids")
        if tc is None or not tc:
            return False
        ids = tc.ids
        if len(ids) > self.PATCH_MAX or not len(self.geoms):
            if len(ids) > self.PATCH_MAX or (plan.grids["level"] == self.level_key).any():
                self.update_from(plan)
                return True
            return False
        grids = plan.grids
        mine = self.positions()
        cols = [c for c in self.FIELDS if c in grids.columns]
        changed, removed, others = {}, [], False
        order = sorted(int(i) for i in ids)
        at = grids.index.get_indexer(order)            # (positions: no label lookup per cell)
        # only the touched rows' cells (issue 21: not every column of the level made an object
        # array for each edit — 100k-row conversions, twice per edit with two levels)
        here = np.flatnonzero(at >= 0)
        rows = at[here]
        level = np.full(len(at), None, dtype=object)
        level[here] = grids["level"].iloc[rows].to_numpy(dtype=object)
        geoms = np.full(len(at), None, dtype=object)
        geoms[here] = grids.geometry.values[rows]
        arrays = {}
        for c in cols:
            a = np.full(len(at), None, dtype=object)
            a[here] = grids[c].iloc[rows].to_numpy(dtype=object)
            arrays[c] = a
        for k, (i, p) in enumerate(zip(order, at.tolist())):
            if p >= 0 and level[k] == self.level_key:
                changed[i] = (geoms[k], {c: arrays[c][k] for c in cols})
            elif i in mine:
                removed.append(i)
            else:
                others = True               # a grid of another level (or gone from another level)
        if not changed and not removed:
            return False
        fills = None
        if self.style.get("fill_by") == "top" and self._fills is not None:
            fills = self._patch_fills(plan, changed, others)
        self.patch(changed, removed)
        if fills is not None:
            self._fills = fills
        return True

    def _patch_fills(self, plan, changed: dict, others: bool):
        """The fill colours after an edit: a new or changed grid takes its parent's children's
        colour (or, with one level, one its neighbours do not have); an edit of other levels
        can change the colouring of the top grids: then all fills are worked out again."""
        from ...core.view.style import FILLS

        grids = plan.grids
        if others or getattr(self, "_multi", None) is None:   # more than one top grid: colours by top grid
            self._multi = len(plan.levels) > 1 and int((grids["level"] == plan.levels[0].key).sum()) > 1
        multi = self._multi
        if others and multi:
            g = grids[grids["level"] == self.level_key]
            fills = self._all_fills(plan, g.index)
            self._parent_fill = self._fill_by_parent(g, fills)
            pos = self.positions()
            out = np.full(len(self.geoms) + sum(1 for i in changed if i not in pos), FILLS[-1], dtype=object)
            k = {i: j for j, i in enumerate(g.index.tolist())}
            for i, p in pos.items():
                if i in k:
                    out[p] = fills[k[i]]
            n = len(self.geoms)
            for i in changed:
                if i not in pos:
                    out[n] = fills[k[i]] if i in k else FILLS[-1]
                    n += 1
            return out
        pos = self.positions()
        new = [i for i in changed if i not in pos]
        out = np.empty(len(self.geoms) + len(new), dtype=object)
        out[:len(self._fills)] = self._fills
        slot = {i: pos[i] for i in changed if i in pos}     # (not a copy of every position: issue 21)
        for j, i in enumerate(new):
            slot[i] = len(self.geoms) + j
        for i, (geom, _) in changed.items():
            par = grids.at[i, "parent"] if "parent" in grids.columns else None
            colour = None
            if multi and par is not None and not pd.isna(par):
                colour = self._parent_fill.get(int(par))
            if colour is None and i in pos and not multi:
                colour = out[slot[i]]
            if colour is None:
                if multi:                       # a parent no child had before: colour it like its top
                    g = grids[grids["level"] == self.level_key]
                    fills = self._all_fills(plan, g.index)
                    self._parent_fill = self._fill_by_parent(g, fills)
                    colour = self._parent_fill.get(int(par)) if par is not None and not pd.isna(par) else None
                if colour is None:              # one level: a colour its neighbours do not have
                    used = set()
                    if geom is not None and len(self.geoms):
                        near = self.tree.query(geom, predicate="intersects")
                        used = {out[k] for k in near.tolist() if k < len(self._fills)}
                    colour = next((c for c in FILLS if c not in used), FILLS[0])
            out[slot[i]] = colour
            if multi and par is not None and not pd.isna(par):
                self._parent_fill.setdefault(int(par), colour)
        return out

    def feature_fills(self) -> np.ndarray | None:
        """The style set's colour per grid (as on paper) — unless the planner chose one fill colour."""
        from ...core.view.style import FILLS

        fills = getattr(self, "_fills", None)
        if self.style.get("fill_by") != "top" or self.style.get("fill") != FILLS[0]:
            return None
        return fills if fills is not None and len(fills) == len(self.geoms) else None

    def label_variants(self, rows: np.ndarray) -> list[list[str]] | None:
        """Grid labels read as on paper (:func:`~gridmap.core.view.labels.grid_label_variants`)."""
        if self.style.get("label_field") not in ("code", "name"):
            return None
        codes, names = self.column("code"), self.column("name")
        codes = codes if codes is not None else [""] * len(self.geoms)
        names = names if names is not None else [""] * len(self.geoms)
        return [grid_label_variants(codes[r], names[r]) for r in rows]


class VectorFileLayer(FeatureLayer):
    """A vector file read with GDAL (pyogrio): shapefile, GeoPackage, GeoJSON, KML, DXF, …
    reprojected to the project CRS on load.  A ``highway`` field gets the road rule."""

    kind = "vector"

    def __init__(self, name: str, path, layer: str = "", **kw):
        super().__init__(name, **kw)
        self.path = Path(path)
        self.layer_name = layer
        self.ready = False
        self.source_crs = None

    def load(self, project_crs, cancelled=lambda: False) -> None:
        import pyogrio

        from ...core.crs import to_crs

        if not self.path.exists():
            self.error = f"{self.path}: file not found"
            raise FileNotFoundError(self.error)
        kwargs = {"layer": self.layer_name} if self.layer_name else {}
        try:
            df = pyogrio.read_dataframe(self.path, **kwargs)
        except Exception as exc:  # GDAL's message says what is wrong
            self.error = f"{self.path}: cannot read ({exc})"
            raise ValueError(self.error) from exc
        if cancelled():
            raise Cancelled()
        geoms = df.geometry.values
        geoms = np.asarray(geoms.to_numpy() if hasattr(geoms, "to_numpy") else geoms, dtype=object)
        src = df.crs
        if src is None:
            src = "EPSG:4326" if self.path.suffix.lower() in (".kml", ".geojson", ".json") else project_crs
        self.source_crs = src.to_string() if hasattr(src, "to_string") else str(src)
        geoms = to_crs(geoms, src, crs_text(project_crs))
        attrs = pd.DataFrame(df.drop(columns="geometry"))
        if "highway" in attrs.columns and not self.style.get("rule"):
            self.style["rule"] = ROAD_RULE
            self.style["stroke"] = "#c8c8c8"
        self.set_geometries(geoms, attrs)


def layer_from_record(row: dict, project_dir: Path | None):
    """Build a base layer from a ``plan.base_layers`` row (kind vector/raster/tiles/mbtiles)."""
    from .base import parse_style

    kind = str(row.get("kind") or "vector")
    source = str(row.get("source") or "")
    style = parse_style(row.get("style"))
    common = dict(visible=bool(row.get("visible", True)), opacity=float(row.get("opacity", 1.0) or 1.0),
                  style=style)
    name = str(row.get("name") or Path(source).stem or kind)

    def resolve(src: str) -> Path:
        from ...core.sources import resolve_source_path

        return resolve_source_path(src, project_dir)   # relative with / or \ (a plan from Windows)

    if kind == "vector":
        layer = VectorFileLayer(name, resolve(source), layer=str(row.get("layer") or ""), **common)
    elif kind == "raster":
        from .raster import RasterLayer

        layer = RasterLayer(name, resolve(source), **common)
    elif kind == "mbtiles":
        from .tiles import MBTilesLayer

        layer = MBTilesLayer(name, resolve(source), **common)
    elif kind == "tiles":
        from .tiles import TileLayer

        layer = TileLayer(name, source, **common)
    else:
        raise ValueError(f"base layer {name!r}: unknown kind {kind!r} (vector, raster, tiles, mbtiles)")
    return layer
