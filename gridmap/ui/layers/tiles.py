"""Tiled base maps: XYZ/WMTS URL templates (fetched asynchronously with an
on-disk cache by :class:`gridmap.ui.tiles.TileFetcher`) and MBTiles files.

Tiles are Web-Mercator (EPSG:3857) squares.  Each tile is drawn reprojected
into the project CRS: its four corners are transformed (lon/lat → project CRS
→ pixels) and the image is mapped onto that quadrilateral
(``QTransform.quadToQuad``).  Providers in GCJ-02 (高德, 腾讯 …, marked with
``"datum": "gcj02"`` in the layer style) have their tile corners shifted from
GCJ-02 back to WGS84 with :mod:`gridmap.core.gcj02`, so they line up with
CGCS2000/WGS84 data.

>>> [round(v, 3) for v in lonlat_to_tile(113.9, 22.55, 12)]
[3343.929, 1784.539]
>>> tile_bounds(0, 0, 1)
(-180.0, 0.0, 0.0, 85.0511287798066)
"""

from __future__ import annotations

import math
import sqlite3
import threading
from collections import OrderedDict
from pathlib import Path

import numpy as np
from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import QImage, QPainter, QPolygonF, QTransform

from ...core import gcj02
from .base import MapLayer, RenderContext, crs_text, local_transformer

__all__ = ["lonlat_to_tile", "tile_bounds", "tile_to_lonlat", "zoom_for_resolution", "expand_url",
           "TileLayer", "MBTilesLayer", "TILE_PRESETS"]

TILE = 256
EARTH_M_PER_PX_Z0 = 2 * math.pi * 6378137.0 / TILE  # 156543.03 m/px at zoom 0 on the equator
MAX_LAT = 85.0511287798066
WGS84 = "EPSG:4326"

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


def lonlat_to_tile(lon, lat, z: int):
    """Fractional XYZ tile coordinates of lon/lat (degrees) at zoom ``z``."""
    n = 2.0 ** z
    lat = np.clip(np.asarray(lat, float), -MAX_LAT, MAX_LAT)
    x = (np.asarray(lon, float) + 180.0) / 360.0 * n
    y = (1.0 - np.arcsinh(np.tan(np.radians(lat))) / math.pi) / 2.0 * n
    return (float(x), float(y)) if np.ndim(x) == 0 else (x, y)


def tile_to_lonlat(x, y, z: int):
    """Lon/lat of tile corner (x, y) (may be fractional or arrays) at zoom ``z``.

    >>> [round(v, 6) for v in tile_to_lonlat(1, 1, 1)]
    [0.0, 0.0]
    """
    n = 2.0 ** z
    lon = np.asarray(x, float) / n * 360.0 - 180.0
    lat = np.degrees(np.arctan(np.sinh(math.pi * (1 - 2 * np.asarray(y, float) / n))))
    return (float(lon), float(lat)) if np.ndim(lon) == 0 else (lon, lat)


def tile_bounds(x: int, y: int, z: int):
    """(west, south, east, north) in degrees of tile (x, y, z)."""
    w, n = tile_to_lonlat(x, y, z)
    e, s = tile_to_lonlat(x + 1, y + 1, z)
    return (w, s, e, n)


def zoom_for_resolution(m_per_px: float, lat: float, min_zoom: int = 0, max_zoom: int = 19) -> int:
    """The tile zoom whose pixels are closest to ``m_per_px`` metres at latitude ``lat``.

    >>> zoom_for_resolution(0.6, 22.5)      # street scale in Shenzhen
    18
    """
    if m_per_px <= 0:
        return max_zoom
    z = math.log2(EARTH_M_PER_PX_Z0 * math.cos(math.radians(lat)) / m_per_px)
    return int(min(max(round(z), min_zoom), max_zoom))


def expand_url(template: str, z: int, x: int, y: int, subdomains: str = "", key: str = "") -> str:
    """A tile URL from a template with ``{z} {x} {y} {s} {key}`` (and ``{-y}`` for TMS).

    >>> expand_url("https://t{s}.example/{z}/{x}/{y}.png?k={key}", 3, 5, 2, "abc", "K")
    'https://tb.example/3/5/2.png?k=K'
    """
    s = subdomains[(x + y) % len(subdomains)] if subdomains else ""
    return (template.replace("{z}", str(z)).replace("{x}", str(x)).replace("{-y}", str(2 ** z - 1 - y))
            .replace("{y}", str(y)).replace("{s}", s).replace("{key}", key))


class _TileBase(MapLayer):
    """Shared drawing of Web-Mercator tiles reprojected to the project CRS."""

    kind = "tiles"
    default_style = {"datum": "wgs84", "min_zoom": 0, "max_zoom": 19}
    max_tiles = 300

    def __init__(self, name: str, **kw):
        super().__init__(name, **kw)
        self.project_crs: str | None = None
        self._mem: OrderedDict = OrderedDict()
        self.missing = 0
        self.drawn = 0

    def load(self, project_crs, cancelled=lambda: False) -> None:
        self.project_crs = crs_text(project_crs)
        self.ready = True

    @property
    def _to_ll(self):
        return local_transformer(self.project_crs, WGS84)

    @property
    def _from_ll(self):
        return local_transformer(WGS84, self.project_crs)

    @property
    def gcj(self) -> bool:
        return str(self.style.get("datum", "wgs84")).lower().replace("-", "") == "gcj02"

    def _tiles_in_view(self, vp):
        """(z, x0, x1, y0, y1) of the tiles covering the view."""
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
        clat = float(np.clip(np.mean(lat), -MAX_LAT, MAX_LAT))
        # metres per screen pixel at the view centre
        width_m = (np.max(lon) - np.min(lon)) * 111320.0 * math.cos(math.radians(clat))
        m_per_px = max(width_m / max(vp.width, 1), 1e-6)
        z = zoom_for_resolution(m_per_px, clat, int(self.style.get("min_zoom", 0)), self._max_zoom())
        while True:
            tx, ty = lonlat_to_tile(lon, lat, z)
            n = 2 ** z
            x0, x1 = int(max(0, np.floor(tx.min()))), int(min(n - 1, np.floor(tx.max())))
            y0, y1 = int(max(0, np.floor(ty.min()))), int(min(n - 1, np.floor(ty.max())))
            if (x1 - x0 + 1) * (y1 - y0 + 1) <= self.max_tiles or z == 0:
                return z, x0, x1, y0, y1
            z -= 1

    def _max_zoom(self) -> int:
        return int(self.style.get("max_zoom", 19))

    def _corner_pixels(self, vp, z, x0, x1, y0, y1):
        """Pixel positions of the tile grid corners, shape (ny+1, nx+1, 2)."""
        gx, gy = np.meshgrid(np.arange(x0, x1 + 2), np.arange(y0, y1 + 2))
        lon, lat = tile_to_lonlat(gx.ravel(), gy.ravel(), z)
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

    def render(self, ctx: RenderContext) -> None:
        if self.project_crs is None:
            return
        vp = ctx.viewport
        spec = self._tiles_in_view(vp)
        if spec is None:
            return
        z, x0, x1, y0, y1 = spec
        corners = self._corner_pixels(vp, z, x0, x1, y0, y1)
        p = ctx.painter
        p.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, True)
        src = QPolygonF([QPointF(0, 0), QPointF(TILE, 0), QPointF(TILE, TILE), QPointF(0, TILE)])
        self.missing = 0
        self.drawn = 0
        cx, cy = (x0 + x1) / 2.0, (y0 + y1) / 2.0
        order = sorted(((x, y) for x in range(x0, x1 + 1) for y in range(y0, y1 + 1)),
                       key=lambda t: (t[0] - cx) ** 2 + (t[1] - cy) ** 2)  # centre first
        for x, y in order:
            ctx.check()
            img, sub = self.tile_image(z, x, y), None
            if img is None:
                self.missing += 1
                img, sub = self._fallback(z, x, y)
                if img is None:
                    continue
            i, j = y - y0, x - x0
            q = QPolygonF([QPointF(*corners[i, j]), QPointF(*corners[i, j + 1]),
                           QPointF(*corners[i + 1, j + 1]), QPointF(*corners[i + 1, j])])
            t = QTransform()
            if not QTransform.quadToQuad(src, q, t):
                continue
            p.save()
            p.setTransform(t)
            if sub is None:
                p.drawImage(QRectF(0, 0, TILE, TILE), img)
            else:
                p.drawImage(QRectF(0, 0, TILE, TILE), img, sub)
            p.restore()
            self.drawn += 1

    def _fallback(self, z, x, y):
        """A cached ancestor tile's part covering (z, x, y), shown until the tile arrives."""
        for dz in range(1, 4):
            if z - dz < 0:
                break
            key = (z - dz, x >> dz, y >> dz)
            img = self._cached(key)
            if img is not None:
                f = 2 ** dz
                size = TILE / f
                return img, QRectF((x % f) * size, (y % f) * size, size, size)
        return None, None


class TileLayer(_TileBase):
    """An XYZ/WMTS tile service from a URL template (``{z} {x} {y} {s} {key}``).

    Missing tiles are asked from the window's :class:`~gridmap.ui.tiles.TileFetcher`
    (set as :attr:`fetcher`), which downloads them in the GUI thread's event loop
    into the disk cache and asks for a redraw.  Without network only cached
    tiles show and the fetcher posts one quiet status message.
    """

    def __init__(self, name: str, template: str, **kw):
        super().__init__(name, **kw)
        self.template = template
        self.fetcher = None

    def url(self, z, x, y) -> str:
        key = str(self.style.get("key") or (self.fetcher.key_for(self.template) if self.fetcher else ""))
        return expand_url(self.template, z, x, y, str(self.style.get("subdomains", "")), key)

    def tile_image(self, z, x, y):
        key = (z, x, y)
        img = self._cached(key)
        if img is not None:
            return img
        if self.fetcher is None:
            return None
        path = self.fetcher.cache_path(self.template, z, x, y)
        if path.exists():
            img = QImage()
            if img.load(str(path)) and not img.isNull():
                self._remember(key, img)
                return img
        self.fetcher.request(self.id, self.url(z, x, y), path)
        return None


class MBTilesLayer(_TileBase):
    """Tiles from an MBTiles (SQLite) file, for offline intranets.  Rows are TMS
    (``tile_row`` counted from the south); raster tiles (PNG/JPEG/WebP)."""

    kind = "mbtiles"

    def __init__(self, name: str, path, **kw):
        super().__init__(name, **kw)
        self.path = Path(path)
        self._local = threading.local()
        self.metadata: dict[str, str] = {}
        self.bounds_ll = None

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
        if zooms and zooms[0] is not None:
            self.style.setdefault("min_zoom", int(zooms[0]))
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

    def _tiles_in_view(self, vp):
        spec = super()._tiles_in_view(vp)
        return spec

    def tile_image(self, z, x, y):
        key = (z, x, y)
        img = self._cached(key)
        if img is not None:
            return img
        row = self._conn().execute(
            "SELECT tile_data FROM tiles WHERE zoom_level=? AND tile_column=? AND tile_row=?",
            (z, x, 2 ** z - 1 - y)).fetchone()
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
                size = TILE / f
                return img, QRectF((x % f) * size, (y % f) * size, size, size)
        return None, None
