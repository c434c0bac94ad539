"""Tile grids: which tile covers a place at which zoom, and where a tile's corners are.

An XYZ service is the Web-Mercator quad tree (EPSG:3857, ``2**z`` × ``2**z`` tiles of
256 px).  A WMTS service names its own tile matrix sets: each matrix has a top-left
corner, a resolution (CRS units per pixel) and a size in tiles — Tianditu's ``w`` is
the Web-Mercator tree, its ``c`` is a geographic tree in CGCS2000 (EPSG:4490) with
``2**z`` × ``2**(z-1)`` tiles of ``360 / 2**z`` degrees.  :class:`TileGrid` covers both.

>>> [round(v, 3) for v in lonlat_to_tile(113.9, 22.55, 12)]
[3343.929, 1784.539]
>>> tile_bounds(0, 0, 1)
(-180.0, 0.0, 0.0, 85.0511287798066)
>>> g = web_mercator_grid(0, 3)
>>> [m.level for m in g.matrices], g.matrices[1].width
([0, 1, 2, 3], 2)
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field

import numpy as np

__all__ = ["TileMatrix", "TileGrid", "web_mercator_grid", "lonlat_to_tile", "tile_to_lonlat", "tile_bounds",
           "zoom_for_resolution", "expand_url", "TILE", "MAX_LAT", "MERCATOR_HALF"]

TILE = 256
EARTH_M_PER_PX_Z0 = 2 * math.pi * 6378137.0 / TILE  # 156543.03 m/px at zoom 0 on the equator
MERCATOR_HALF = math.pi * 6378137.0                  # 20037508.34 m
MAX_LAT = 85.0511287798066


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
    """(west, south, east, north) in degrees of XYZ tile (x, y, z)."""
    w, n = tile_to_lonlat(x, y, z)
    e, s = tile_to_lonlat(x + 1, y + 1, z)
    return (w, s, e, n)


def zoom_for_resolution(m_per_px: float, lat: float, min_zoom: int = 0, max_zoom: int = 19) -> int:
    """The XYZ zoom whose pixels are closest to ``m_per_px`` metres at latitude ``lat``.

    >>> zoom_for_resolution(0.6, 22.5)      # street scale in Shenzhen
    18
    """
    if m_per_px <= 0:
        return max_zoom
    z = math.log2(EARTH_M_PER_PX_Z0 * math.cos(math.radians(lat)) / m_per_px)
    return int(min(max(round(z), min_zoom), max_zoom))


def expand_url(template: str, z, x: int, y: int, subdomains: str = "", key: str = "") -> str:
    """A tile URL from a template with ``{z} {x} {y} {s} {key}`` (``{-y}`` for TMS rows;
    WMTS names ``{TileMatrix} {TileRow} {TileCol}`` too).

    >>> expand_url("https://t{s}.example/{z}/{x}/{y}.png?k={key}", 3, 5, 2, "abc", "K")
    'https://tb.example/3/5/2.png?k=K'
    """
    s = subdomains[(x + y) % len(subdomains)] if subdomains else ""
    flip = str(2 ** int(z) - 1 - y) if str(z).lstrip("-").isdigit() else str(y)
    out = template
    for k, v in (("{z}", z), ("{TileMatrix}", z), ("{x}", x), ("{TileCol}", x), ("{-y}", flip), ("{y}", y),
                 ("{TileRow}", y), ("{s}", s), ("{key}", key)):
        out = out.replace(k, str(v))
    return out


@dataclass(frozen=True)
class TileMatrix:
    """One zoom of a tile grid.  ``left, top`` in the grid CRS (x east, y north);
    ``res`` CRS units per pixel; ``width, height`` tiles; ``ident`` the name used in requests."""

    ident: str
    level: int
    res: float
    left: float
    top: float
    width: int
    height: int
    tile_w: int = TILE
    tile_h: int = TILE

    @property
    def span_x(self) -> float:
        return self.res * self.tile_w

    @property
    def span_y(self) -> float:
        return self.res * self.tile_h


@dataclass
class TileGrid:
    """A tile matrix set: the grid CRS and its matrices, finest last."""

    crs: str
    matrices: list[TileMatrix] = field(default_factory=list)
    name: str = ""

    # ------------------------------------------------------------------ persistence (plan style JSON)
    def to_dict(self) -> dict:
        return {"crs": self.crs, "name": self.name, "matrices": [asdict(m) for m in self.matrices]}

    @classmethod
    def from_dict(cls, d: dict) -> TileGrid:
        return cls(str(d["crs"]), [TileMatrix(**m) for m in d.get("matrices", [])], str(d.get("name", "")))

    @property
    def is_web_mercator(self) -> bool:
        """The XYZ quad tree (so its tiles can go into MBTiles)."""
        if self.crs.upper() not in ("EPSG:3857", "EPSG:900913", "EPSG:102100", "EPSG:3785"):
            return False
        return all(abs(m.left + MERCATOR_HALF) < 1.0 and abs(m.top - MERCATOR_HALF) < 1.0
                   and m.width == 2 ** m.level and abs(m.res * TILE * 2 ** m.level - 2 * MERCATOR_HALF) < 1.0
                   for m in self.matrices)

    def levels(self, min_zoom: int | None = None, max_zoom: int | None = None) -> list[TileMatrix]:
        return [m for m in self.matrices if (min_zoom is None or m.level >= min_zoom)
                and (max_zoom is None or m.level <= max_zoom)]

    def matrix(self, level: int) -> TileMatrix | None:
        return next((m for m in self.matrices if m.level == level), None)

    def best_matrix(self, res: float, min_zoom=None, max_zoom=None) -> TileMatrix | None:
        """The matrix whose pixels are closest (in log scale) to ``res`` grid units per pixel."""
        cands = self.levels(min_zoom, max_zoom) or self.matrices
        if not cands:
            return None
        if res <= 0:
            return cands[-1]
        return min(cands, key=lambda m: abs(math.log(m.res / res)))

    @staticmethod
    def tile_range(m: TileMatrix, xmin: float, ymin: float, xmax: float, ymax: float):
        """(x0, x1, y0, y1) inclusive of the tiles of ``m`` covering the box, clipped to the
        matrix; None when the box is outside it."""
        x0 = int(math.floor((xmin - m.left) / m.span_x))
        x1 = int(math.floor((xmax - m.left) / m.span_x))
        y0 = int(math.floor((m.top - ymax) / m.span_y))
        y1 = int(math.floor((m.top - ymin) / m.span_y))
        x0, x1 = max(0, x0), min(m.width - 1, x1)
        y0, y1 = max(0, y0), min(m.height - 1, y1)
        if x0 > x1 or y0 > y1:
            return None
        return x0, x1, y0, y1

    @staticmethod
    def corner(m: TileMatrix, x, y):
        """Grid-CRS coordinates of tile corner (x, y) (arrays allowed)."""
        return (m.left + np.asarray(x, float) * m.span_x, m.top - np.asarray(y, float) * m.span_y)


def web_mercator_grid(min_zoom: int = 0, max_zoom: int = 19, first_ident: int = 0) -> TileGrid:
    """The XYZ / GoogleMapsCompatible grid; ``first_ident`` = 1 names zoom z "z" as WMTS
    sets do when they start at level 1 (identifiers are the zoom numbers)."""
    ms = [TileMatrix(str(z), z, EARTH_M_PER_PX_Z0 / 2 ** z, -MERCATOR_HALF, MERCATOR_HALF, 2 ** z, 2 ** z)
          for z in range(max(min_zoom, first_ident), max_zoom + 1)]
    return TileGrid("EPSG:3857", ms, "xyz")
