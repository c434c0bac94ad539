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

__all__ = ["GeomArrays", "FeatureLayer", "GridLayer", "VectorFileLayer", "ROAD_RULE", "layer_from_record",
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


class GeomArrays:
    """All coordinates of a geometry array in one (n, 2) array, cut into parts
    (polygon rings or line strings); ``feat_part`` and ``part_off`` give the parts
    of each feature and the coordinates of each part.

    >>> from shapely import box
    >>> g = GeomArrays(np.array([box(0, 0, 1, 1), box(2, 0, 3, 1)]), "polygon")
    >>> xy, starts, offs = g.gather(np.array([1]))
    >>> len(xy), starts.tolist(), float(xy[:, 0].min())
    (5, [0], 2.0)
    """

    def __init__(self, geoms: np.ndarray, family: str):
        n = len(geoms)
        if family == "polygon":
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
        self.coords = np.ascontiguousarray(coords, dtype=np.float64)
        self.part_off = ring_offsets(cidx, nparts)
        self.feat_part = ring_offsets(part_feat, n)

    def gather(self, sel: np.ndarray):
        """Coordinates of features ``sel`` (in order): (xy, part starts in xy, feature offsets in xy)."""
        sel = np.asarray(sel, dtype=np.int64)
        p0, p1 = self.feat_part[sel], self.feat_part[sel + 1]
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
            self.attrs = attrs.reset_index(drop=True) if attrs is not None else pd.DataFrame(index=range(len(geoms)))
            self.ids = np.asarray(ids if ids is not None else np.arange(len(geoms)), dtype=np.int64)
            self.family = _family(geoms)
            self._tree = None
            self._arrays: OrderedDict = OrderedDict()
            self._bounds = None
            self._label_xy = None
            self._classes = None
            self._seg_len = None
            self.ready = True
        self.touch()

    def set_geometries(self, geoms, attrs=None, ids=None) -> None:
        self._set_data(geoms, attrs, ids)

    def warm(self, cancelled=lambda: False) -> None:
        """Build the spatial index, coordinate arrays and label points ahead of the
        first frame (worker thread), so the first render is as fast as later ones."""
        for step in (lambda: self.tree, lambda: self.bounds, lambda: self.arrays(0.0), self._median_seg,
                     self.label_points if self.style.get("label_field") else (lambda: None)):
            if cancelled():
                raise Cancelled()
            step()

    def __len__(self) -> int:
        return len(self.geoms)

    @property
    def tree(self) -> shapely.STRtree:
        with self._lock:
            if self._tree is None:
                self._tree = shapely.STRtree(self.geoms)
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
            a = self.arrays(0.0)
            n = min(len(a.coords), 20000)
            if n > 1:
                d = np.hypot(*np.diff(a.coords[:n], axis=0).T)
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
        geoms = self.geoms if tolerance <= 0 else shapely.simplify(self.geoms, tolerance, preserve_topology=False)
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
                g = self.geoms
                c = shapely.centroid(g)
                xy = shapely.get_coordinates(c)
                if self.family == "polygon" and len(g):
                    cx = np.full(len(g), np.nan)
                    cy = np.full(len(g), np.nan)
                    ok = ~shapely.is_empty(c) & ~shapely.is_missing(c)
                    cx[ok], cy[ok] = xy[:, 0], xy[:, 1]
                    inside = np.zeros(len(g), dtype=bool)
                    inside[ok] = shapely.contains_xy(g[ok], cx[ok], cy[ok])
                    bad = ok & ~inside
                    if bad.any():
                        p = shapely.get_coordinates(shapely.point_on_surface(g[bad]))
                        cx[bad], cy[bad] = p[:, 0], p[:, 1]
                    self._label_xy = np.column_stack([cx, cy])
                else:
                    self._label_xy = shapely.get_coordinates(shapely.point_on_surface(g)) if len(g) else np.zeros((0, 2))
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
        arr = self.arrays(self.tolerance_for(vp.res))
        ctx.check()
        if tiny.any():
            xy = self.label_points()[sel[tiny]]
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
            geoms = shapely.clip_by_rect(self.geoms[big[huge]], xmin - m, ymin - m, xmax + m, ymax + m)
            clipped = GeomArrays(geoms, self.family)
            self._draw(ctx, clipped, np.arange(len(geoms)), stroke_cls[big[huge]], table, size_px[~tiny][huge])
            big, keep_px = big[~huge], size_px[~tiny][~huge]
        else:
            keep_px = size_px[~tiny]
        if len(big):
            self._draw(ctx, arr, big, stroke_cls[big], table, keep_px)

    def _draw(self, ctx: RenderContext, arr: "GeomArrays", big: np.ndarray, cls: np.ndarray, table: list,
              size_px: np.ndarray) -> None:
        """Fill (in chunks) and outline (one path per class, chunked for wide pens) features ``big`` of ``arr``."""
        p, vp = ctx.painter, ctx.viewport
        fill = self.style.get("fill")
        if self.family == "polygon" and fill:
            p.setRenderHint(QPainter.RenderHint.Antialiasing, False)
            p.setPen(Qt.PenStyle.NoPen)
            fills = self.feature_fills()
            groups = [(fill, big)] if fills is None else [(c, big[fills[big] == c]) for c in np.unique(fills[big])]
            for colour, these in groups:
                p.setBrush(QBrush(qcolor(colour, self.style.get("fill_opacity", 0.25))))
                for s in range(0, len(these), FILL_CHUNK):
                    ctx.check()
                    xy, starts, _ = arr.gather(these[s:s + FILL_CHUNK])
                    path = painter_path(vp.coords_to_pixel(xy), starts)
                    path.setFillRule(Qt.FillRule.WindingFill)
                    p.drawPath(path)
        p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        p.setBrush(Qt.BrushStyle.NoBrush)
        # generalisation: at scales where the features are a few pixels, thick lines only clutter
        thin = float(np.median(size_px)) < THIN_BELOW_PX
        for k, (_, width, color) in enumerate(table):
            ctx.check()
            these = big[cls == k] if len(table) > 1 else big
            if not len(these) or width <= 0:
                continue
            width = min(width, 1.0) if thin else width
            pen = QPen(qcolor(color), width)
            pen.setCapStyle(Qt.PenCapStyle.RoundCap)
            pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
            p.setPen(pen)
            step = len(these) if width <= 1.0 else STROKE_CHUNK
            for s in range(0, len(these), step):
                if s:
                    ctx.check()
                xy, starts, _ = arr.gather(these[s:s + step])
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

    def update_from(self, plan) -> None:
        g = plan.grids[plan.grids["level"] == self.level_key]
        attrs = pd.DataFrame({c: g[c].to_numpy() for c in ("code", "name", "level") if c in g.columns})
        self._fills = None
        if self.style.get("fill_by") == "top":
            from ...core.view.style import grid_fills

            fills = grid_fills(plan)       # a Series by grid id: reindexed at once, not looked up per grid
            self._fills = fills.reindex(g.index).astype(object).fillna(self.style.get("fill") or "#eeeeee") \
                .to_numpy(dtype=object)
        self.set_geometries(g.geometry.values, attrs, g.index.to_numpy())

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
        codes = self.attrs["code"].to_numpy() if "code" in self.attrs else [""] * len(self.geoms)
        names = self.attrs["name"].to_numpy() if "name" in self.attrs else [""] * len(self.geoms)
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
