"""Coordinate reference systems: CGCS2000 zones, reprojection, true areas.

Plans are stored in a projected CRS in metres, by default the CGCS2000
3-degree Gauss-Krüger zone (EPSG:4534–4554, central meridians 75°E–135°E,
no zone prefix in the easting) of the jurisdiction's centre.

>>> gk3_epsg(113.9)      # Bao'an, Shenzhen: CM 114°E
4547
>>> gk3_epsg(114.1)
4547
>>> gk3_epsg(75.0), gk3_epsg(135.0)
(4534, 4554)
"""

from __future__ import annotations

import numpy as np
import shapely
from pyproj import CRS, Transformer

__all__ = [
    "CGCS2000",
    "gk3_epsg",
    "suggest_crs",
    "crs_suggestions",
    "utm_epsg",
    "in_china",
    "REGIONAL_GRIDS",
    "to_crs",
    "transformer",
    "areas_m2",
    "is_metric",
]

CGCS2000 = CRS.from_epsg(4490)


def gk3_epsg(lon: float) -> int:
    """EPSG code of the CGCS2000 3° Gauss-Krüger zone (CM variant) for a longitude."""
    cm = int(round(float(lon) / 3.0)) * 3
    cm = min(max(cm, 75), 135)
    return 4534 + (cm - 75) // 3


# lon/lat boxes (west, south, east, north) of the regional grids named among the suggestions
REGIONAL_GRIDS = {
    2326: ("Hong Kong 1980 Grid", (113.76, 22.13, 114.51, 22.58)),
    8433: ("Macau Grid", (113.52, 22.06, 113.64, 22.22)),
    3826: ("TWD97 / TM2 zone 121", (119.99, 21.87, 122.06, 25.34)),
}


def in_china(lon: float, lat: float) -> bool:
    """Roughly within China's extent (the box used for CGCS2000 zone guesses)."""
    return 72.0 <= lon <= 137.0 and 0.0 <= lat <= 56.0


def utm_epsg(lon: float, lat: float) -> int:
    """EPSG code of the WGS84 UTM zone of a point.

    >>> utm_epsg(-74.0, 40.7), utm_epsg(151.2, -33.9)
    (32618, 32756)
    """
    zone = min(max(int((float(lon) + 180.0) // 6.0) + 1, 1), 60)
    return (32600 if lat >= 0 else 32700) + zone


def crs_suggestions(lon: float, lat: float) -> list[str]:
    """Projected CRSs worth offering for data centred at ``lon, lat``, best first: the CGCS2000 3°
    zone in China, else the UTM zone; Hong Kong 1980 Grid (EPSG:2326), Macau Grid (EPSG:8433) and
    TWD97 (EPSG:3826) where the point lies in their areas.

    >>> crs_suggestions(114.17, 22.30)[:2], crs_suggestions(-74.0, 40.7)
    (['EPSG:2326', 'EPSG:4547'], ['EPSG:32618'])
    >>> crs_suggestions(121.5, 25.0)[0], crs_suggestions(113.55, 22.19)[0]
    ('EPSG:3826', 'EPSG:8433')
    """
    regional = [f"EPSG:{code}" for code, (_, (w, s, e, n)) in REGIONAL_GRIDS.items()
                if w <= lon <= e and s <= lat <= n]
    base = f"EPSG:{gk3_epsg(lon)}" if in_china(lon, lat) else f"EPSG:{utm_epsg(lon, lat)}"
    return regional[:1] + [base] + regional[1:]


def suggest_crs(geom, crs) -> CRS:
    """The default project CRS for a jurisdiction: the CGCS2000 3° zone of its centre in China,
    the WGS84 UTM zone elsewhere (a Chinese zone far from its meridian distorts areas: +18% at 74°W).
    Hong Kong, Macau and Taiwan grids are offered by :func:`crs_suggestions`.

    >>> from shapely import box
    >>> suggest_crs(box(113.8, 22.5, 114.0, 22.7), "EPSG:4326").to_epsg()
    4547
    >>> suggest_crs(box(-74.1, 40.6, -73.9, 40.8), "EPSG:4326").to_epsg()
    32618
    """
    crs = CRS.from_user_input(crs)
    c = shapely.centroid(geom)
    if not crs.is_geographic:
        c = shapely.transform(c, transformer(crs, CGCS2000).transform, interleaved=False)
    if not in_china(c.x, c.y):
        return CRS.from_epsg(utm_epsg(c.x, c.y))
    return CRS.from_epsg(gk3_epsg(c.x))


def transformer(src, dst) -> Transformer:
    """A lon/lat-ordered (always_xy) transformer between two CRSs."""
    return Transformer.from_crs(CRS.from_user_input(src), CRS.from_user_input(dst), always_xy=True)


def to_crs(geoms, src, dst):
    """Reproject shapely geometries (scalar or array) from ``src`` to ``dst``."""
    src, dst = CRS.from_user_input(src), CRS.from_user_input(dst)
    if src == dst:
        return geoms
    t = transformer(src, dst)
    return shapely.transform(geoms, lambda xy: np.column_stack(t.transform(xy[:, 0], xy[:, 1])))


def is_metric(crs) -> bool:
    crs = CRS.from_user_input(crs)
    if crs.is_geographic:
        return False
    unit = crs.axis_info[0].unit_name if crs.axis_info else ""
    return unit in ("metre", "meter", "m")


def areas_m2(geoms, crs) -> np.ndarray:
    """True areas in m²: planar in a metric CRS, on the ellipsoid otherwise.

    >>> from shapely import box
    >>> round(float(areas_m2([box(0, 0, 100, 50)], "EPSG:4547")[0]))
    5000
    """
    crs = CRS.from_user_input(crs)
    geoms = np.asarray(geoms, dtype=object)
    if is_metric(crs):
        return shapely.area(geoms)
    geod = crs.get_geod() if crs.is_geographic else CGCS2000.get_geod()
    if not crs.is_geographic:
        geoms = to_crs(geoms, crs, CGCS2000)
    out = np.zeros(len(geoms))
    for i, g in enumerate(geoms):
        if g is not None and not g.is_empty:
            out[i] = abs(geod.geometry_area_perimeter(g)[0])
    return out
