"""Tiled base maps: XYZ/WMTS URL templates (fetched asynchronously with an on-disk
cache by :class:`gridmap.ui.tiles.TileFetcher`) and MBTiles files.

The tile math lives in :mod:`gridmap.core.tiles` (Qt-free, shared with the CLI): a
source has a tile grid — the Web-Mercator quad tree of XYZ services, or a WMTS tile
matrix set such as Tianditu's ``c`` (EPSG:4490, geographic).  Each tile is drawn
reprojected into the project CRS: its four corners are transformed (grid CRS →
lon/lat → project CRS → pixels) and the image is mapped onto that quadrilateral
(``QTransform.quadToQuad``).  Providers in GCJ-02 (高德, 腾讯 …, ``"datum": "gcj02"``
in the layer style) have their tile corners shifted from GCJ-02 back to WGS84 with
:mod:`gridmap.core.gcj02`, so they line up with CGCS2000/WGS84 data.

>>> [round(v, 3) for v in lonlat_to_tile(113.9, 22.55, 12)]
[3343.929, 1784.539]
>>> tile_bounds(0, 0, 1)
(-180.0, 0.0, 0.0, 85.0511287798066)
"""

from __future__ import annotations

import sqlite3
import threading
from collections import OrderedDict
from pathlib import Path

import numpy as np
from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import QImage, QPainter, QPolygonF, QTransform

from ...core import gcj02
from ...core.tiles.grid import (MAX_LAT, expand_url, lonlat_to_tile, tile_bounds, tile_to_lonlat,
                                web_mercator_grid, zoom_for_resolution)
from ...core.tiles.keys import needs_key
from ...core.tiles.mbtiles import row_of
from ...core.tiles.source import TileSource
from .base import MapLayer, RenderContext, crs_text, local_transformer

__all__ = ["lonlat_to_tile", "tile_bounds", "tile_to_lonlat", "zoom_for_resolution", "expand_url",
           "TileLayer", "MBTilesLayer", "TILE_PRESETS"]

WGS84 = "EPSG:4326"
_GEOGRAPHIC = ("EPSG:4326", "EPSG:4490", "OGC:CRS84")

# name, URL template, options (datum: wgs84|gcj02; subdomains; max_zoom)
TILE_PRESETS = {
    "osm": ("OpenStreetMap", "https://tile.openstreetmap.org/{z}/{x}/{y}.png", {"max_zoom": 19}),
    "tianditu_vec": ("天地图 矢量", "https://t{s}.tianditu.gov.cn/vec_w/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0"
                     "&LAYER=vec&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}"
                     "&tk={key}", {"subdomains": "01234567", "max_zoom": 18, "needs_key": True}),
    "tianditu_cva": ("天地图 注记", "https://t{s}.tianditu.gov.cn/cva_w/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0"
                     "&LAYER=cva&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}"
                     "&tk={key}", {"subdomains": "01234567", "max_zoom": 18, "needs_key": True}),
    "tianditu_img": ("天地图 影像", "https://t{s}.tianditu.gov.cn/img_w/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0"
                     "&LAYER=img&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}"
                     "&tk={key}", {"subdomains": "01234567", "max_zoom": 18, "needs_key": True}),
    "amap": ("高德地图 (GCJ-02)", "https://webrd0{s}.is.autonavi.com/appmaptile?lang=zh_cn&size=1&scale=1&style=8"
             "&x={x}&y={y}&z={z}", {"subdomains": "1234", "max_zoom": 18, "datum": "gcj02"}),
}


class _TileBase(MapLayer):
    """Shared drawing of tiles of a tile grid reprojected to the project CRS."""

    kind = "tiles"
    default_style = {"datum": "wgs84", "min_zoom": 0, "max_zoom": 19}
    max_tiles = 300

    def __init__(self, name: str, **kw):
        super().__init__(name, **kw)
        self.project_crs: str | None = None
        self._mem: OrderedDict = OrderedDict()
        self.missing = 0
        self.drawn = 0
        self.last_view = None      # (level, x0, x1, y0, y1) of the last frame

    def load(self, project_crs, cancelled=lambda: False) -> None:
        self.project_crs = crs_text(project_crs)
        self.ready = True

    @property
    def source(self) -> TileSource:
        return TileSource.from_style("", self.style)

    @property
    def _to_ll(self):
        return local_transformer(self.project_crs, WGS84)

    @property
    def _from_ll(self):
        return local_transformer(WGS84, self.project_crs)

    @property
    def gcj(self) -> bool:
        return str(self.style.get("datum", "wgs84")).lower().replace("-", "") == "gcj02"

    def _ll_to_grid(self, grid, lon, lat):
        if grid.crs.upper() in _GEOGRAPHIC:
            return lon, lat
        if grid.crs.upper() == "EPSG:3857":
            lat = np.clip(lat, -MAX_LAT, MAX_LAT)
        return local_transformer(WGS84, grid.crs).transform(lon, lat)

    def _grid_to_ll(self, grid, gx, gy):
        if grid.crs.upper() in _GEOGRAPHIC:
            return gx, gy
        return local_transformer(grid.crs, WGS84).transform(gx, gy)

    def _tiles_in_view(self, vp):
        """(matrix, x0, x1, y0, y1) of the tiles covering the view."""
        src = self.source
        grid = src.grid
        xmin, ymin, xmax, ymax = vp.extent
        t = np.linspace(0.0, 1.0, 9)
        xs = np.concatenate([xmin + (xmax - xmin) * t, np.full(9, xmax), xmin + (xmax - xmin) * t, np.full(9, xmin)])
        ys = np.concatenate([np.full(9, ymin), ymin + (ymax - ymin) * t, np.full(9, ymax), ymin + (ymax - ymin) * t])
        lon, lat = self._to_ll.transform(xs, ys)
        lon, lat = np.asarray(lon), np.asarray(lat)
        ok = np.isfinite(lon) & np.isfinite(lat)
        if not ok.any():
            return None
        lon, lat = lon[ok], lat[ok]
        if self.gcj:
            lon, lat = gcj02.wgs84_to_gcj02(lon, lat)
        gx, gy = (np.asarray(v) for v in self._ll_to_grid(grid, lon, lat))
        ok = np.isfinite(gx) & np.isfinite(gy)
        if not ok.any():
            return None
        gx, gy = gx[ok], gy[ok]
        res = max(float(np.max(gx) - np.min(gx)) / max(vp.width, 1), 1e-12)
        cands = src.matrices() or grid.matrices
        m = grid.best_matrix(res, src.min_zoom, src.max_zoom)
        if m is None:
            return None
        i = cands.index(m) if m in cands else len(cands) - 1
        while True:
            m = cands[i]
            r = grid.tile_range(m, float(np.min(gx)), float(np.min(gy)), float(np.max(gx)), float(np.max(gy)))
            if r is None:
                return None
            x0, x1, y0, y1 = r
            if (x1 - x0 + 1) * (y1 - y0 + 1) <= self.max_tiles:
                return m, x0, x1, y0, y1
            if i == 0:
                return None      # coarser than the source's lowest level: nothing drawn, nothing asked
            i -= 1

    def _corner_pixels(self, vp, m, x0, x1, y0, y1):
        """Pixel positions of the tile grid corners, shape (ny+1, nx+1, 2)."""
        grid = self.source.grid
        gx, gy = np.meshgrid(np.arange(x0, x1 + 2), np.arange(y0, y1 + 2))
        cx, cy = grid.corner(m, gx.ravel(), gy.ravel())
        lon, lat = (np.asarray(v) for v in self._grid_to_ll(grid, cx, cy))
        if self.gcj:
            lon, lat = gcj02.gcj02_to_wgs84(lon, lat)
        px, py = self._from_ll.transform(lon, lat)
        px, py = vp.to_pixel(np.asarray(px), np.asarray(py))
        return np.stack([px, py], axis=-1).reshape(gy.shape + (2,))

    def tile_image(self, z: int, x: int, y: int) -> QImage | None:  # pragma: no cover - interface
        raise NotImplementedError

    def _cached(self, key) -> QImage | None:
        with self._lock:
            img = self._mem.get(key)
            if img is not None:
                self._mem.move_to_end(key)
            return img

    def _remember(self, key, img: QImage) -> None:
        with self._lock:
            self._mem[key] = img
            while len(self._mem) > 600:
                self._mem.popitem(last=False)

    def forget(self, keys=None) -> None:
        """Drop decoded tiles from memory (all, or the (level, x, y) keys given)."""
        with self._lock:
            if keys is None:
                self._mem.clear()
            else:
                for k in keys:
                    self._mem.pop(k, None)

    def view_tiles(self, vp):
        """[(level, x, y)] of the tiles of the view (for "refresh this view")."""
        spec = self._tiles_in_view(vp)
        if spec is None:
            return []
        m, x0, x1, y0, y1 = spec
        return [(m.level, x, y) for x in range(x0, x1 + 1) for y in range(y0, y1 + 1)]

    def render(self, ctx: RenderContext) -> None:
        if self.project_crs is None:
            return
        vp = ctx.viewport
        spec = self._tiles_in_view(vp)
        if spec is None:
            self.missing = self.drawn = 0
            return
        m, x0, x1, y0, y1 = spec
        self.last_view = (m.level, x0, x1, y0, y1)
        corners = self._corner_pixels(vp, m, x0, x1, y0, y1)
        p = ctx.painter
        p.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, True)
        self.missing = 0
        self.drawn = 0
        cx, cy = (x0 + x1) / 2.0, (y0 + y1) / 2.0
        order = sorted(((x, y) for x in range(x0, x1 + 1) for y in range(y0, y1 + 1)),
                       key=lambda t: (t[0] - cx) ** 2 + (t[1] - cy) ** 2)  # centre first
        for x, y in order:
            ctx.check()
            img, sub = self.tile_image(m.level, x, y), None
            if img is None:
                self.missing += 1
                img, sub = self._fallback(m.level, x, y)
                if img is None:
                    continue
            i, j = y - y0, x - x0
            q = QPolygonF([QPointF(*corners[i, j]), QPointF(*corners[i, j + 1]),
                           QPointF(*corners[i + 1, j + 1]), QPointF(*corners[i + 1, j])])
            t = QTransform()
            w, h = (img.width(), img.height()) if sub is None else (sub.width(), sub.height())
            src = QPolygonF([QPointF(0, 0), QPointF(w, 0), QPointF(w, h), QPointF(0, h)])
            if not QTransform.quadToQuad(src, q, t):
                continue
            p.save()
            p.setTransform(t)
            if sub is None:
                p.drawImage(QRectF(0, 0, w, h), img)
            else:
                p.drawImage(QRectF(0, 0, w, h), img, sub)
            p.restore()
            self.drawn += 1

    def _ancestor(self, level, dz):
        """The matrix ``dz`` levels up when it is a quad-tree parent (half the resolution)."""
        grid = self.source.grid
        m, up = grid.matrix(level), grid.matrix(level - dz)
        if m is None or up is None or abs(up.res / m.res - 2 ** dz) > 1e-6 * 2 ** dz:
            return None
        return up

    def _fallback(self, z, x, y):
        """A cached ancestor tile's part covering (z, x, y), shown until the tile arrives."""
        for dz in range(1, 4):
            if self._ancestor(z, dz) is None:
                break
            key = (z - dz, x >> dz, y >> dz)
            img = self._cached(key)
            if img is not None:
                f = 2 ** dz
                sw, sh = img.width() / f, img.height() / f
                return img, QRectF((x % f) * sw, (y % f) * sh, sw, sh)
        return None, None


class TileLayer(_TileBase):
    """An XYZ/WMTS tile service from a URL template (``{z} {x} {y} {s} {key}``); a WMTS
    matrix set, when the template came from capabilities, is the ``grid`` of the style.

    Missing tiles are asked from the window's :class:`~gridmap.ui.tiles.TileFetcher`
    (set as :attr:`fetcher`), which downloads them in the GUI thread's event loop into
    the disk cache and asks for a redraw.  Without network only cached tiles show.
    The key (``{key}``) comes from the user's settings, never from the plan.
    """

    def __init__(self, name: str, template: str, **kw):
        super().__init__(name, **kw)
        self.template = template
        self.fetcher = None
        self.style.pop("key", None)

    @property
    def source(self) -> TileSource:
        return TileSource.from_style(self.template, self.style)

    def url(self, z, x, y) -> str:
        key = self.fetcher.key_for(self.template) if self.fetcher is not None and needs_key(self.template) else ""
        src = self.source
        m = src.grid.matrix(int(z))
        ident = m.ident if m is not None else z
        return expand_url(self.template, ident, x, y, src.subdomains, key)

    def tile_image(self, z, x, y):
        key = (z, x, y)
        img = self._cached(key)
        if img is not None:
            return img
        if self.fetcher is None:
            return None
        cache = self.fetcher.cache
        path = cache.path(self.template, z, x, y)
        stale = None
        if path.exists():
            img = QImage()
            if img.load(str(path)) and not img.isNull():
                if cache.fresh(path):
                    self._remember(key, img)
                    return img
                stale = img                     # expired: shown, and asked again
        self.fetcher.request(self.id, self.url(z, x, y), self.template, z, x, y)
        return stale


class MBTilesLayer(_TileBase):
    """Tiles from an MBTiles (SQLite) file, for offline intranets.  Rows are TMS
    (``tile_row`` counted from the south) unless the metadata says ``scheme=xyz``;
    raster tiles (PNG/JPEG/WebP)."""

    kind = "mbtiles"

    def __init__(self, name: str, path, **kw):
        super().__init__(name, **kw)
        self.path = Path(path)
        self._local = threading.local()
        self.metadata: dict[str, str] = {}
        self.bounds_ll = None
        self.scheme = "tms"

    @property
    def source(self) -> TileSource:
        return TileSource(str(self.path), web_mercator_grid(0, 24), "", str(self.style.get("datum", "wgs84")),
                          int(self.style.get("min_zoom", 0)), int(self.style.get("max_zoom", 19)))

    def _conn(self) -> sqlite3.Connection:
        c = getattr(self._local, "conn", None)
        if c is None:
            c = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, check_same_thread=False)
            self._local.conn = c
        return c

    def load(self, project_crs, cancelled=lambda: False) -> None:
        if not self.path.exists():
            self.error = f"{self.path}: file not found"
            raise FileNotFoundError(self.error)
        try:
            meta = dict(self._conn().execute("SELECT name, value FROM metadata").fetchall())
            zooms = self._conn().execute("SELECT MIN(zoom_level), MAX(zoom_level) FROM tiles").fetchone()
        except sqlite3.DatabaseError as exc:
            self.error = f"{self.path}: not an MBTiles file ({exc})"
            raise ValueError(self.error) from exc
        if meta.get("format", "png") in ("pbf", "mvt"):
            self.error = f"{self.path}: vector tiles (pbf) are not supported, only raster MBTiles"
            raise ValueError(self.error)
        self.metadata = {str(k): str(v) for k, v in meta.items()}
        scheme = self.metadata.get("scheme", "tms").strip().lower()
        self.scheme = scheme if scheme in ("tms", "xyz") else "tms"
        if self.metadata.get("gridmap:datum", "").lower() == "gcj02":
            self.style["datum"] = "gcj02"          # saved from a GCJ-02 provider: shifted back when drawn
        if zooms and zooms[0] is not None:
            self.style["min_zoom"] = int(zooms[0])
            self.style["max_zoom"] = int(zooms[1])
        if "bounds" in meta:
            try:
                self.bounds_ll = tuple(float(v) for v in str(meta["bounds"]).split(","))
            except ValueError:
                self.bounds_ll = None
        super().load(project_crs, cancelled)

    def extent(self):
        if self.bounds_ll is None or self.project_crs is None:
            return None
        w, s, e, n = self.bounds_ll
        xs, ys = self._from_ll.transform([w, e, e, w], [s, s, n, n])
        return (min(xs), min(ys), max(xs), max(ys))

    def tile_image(self, z, x, y):
        key = (z, x, y)
        img = self._cached(key)
        if img is not None:
            return img
        row = self._conn().execute(
            "SELECT tile_data FROM tiles WHERE zoom_level=? AND tile_column=? AND tile_row=?",
            (z, x, row_of(y, z, self.scheme))).fetchone()
        if row is None:
            return None
        img = QImage.fromData(bytes(row[0]))
        if img.isNull():
            return None
        self._remember(key, img)
        return img

    def _fallback(self, z, x, y):
        for dz in range(1, 4):
            if z - dz < int(self.style.get("min_zoom", 0)):
                break
            img = self.tile_image(z - dz, x >> dz, y >> dz)
            if img is not None:
                f = 2 ** dz
                sw, sh = img.width() / f, img.height() / f
                return img, QRectF((x % f) * sw, (y % f) * sh, sw, sh)
        return None, None
