"""Distances and areas measured on the map, in metres and square metres.

In a projected CRS (CGCS2000 Gauss-Krüger, UTM, Web Mercator …) lengths and areas are planar, in the
CRS's own unit converted to metres; in a geographic CRS (lon/lat degrees) they are geodesic on the
CRS's ellipsoid (pyproj's ``Geod``), so a planner measuring on a lon/lat plan still gets metres.

>>> m = measure([(0, 0), (300, 0), (300, 400)], "EPSG:4547")
>>> m.length, m.segments[-1], m.area, m.perimeter
(700.0, 400.0, 60000.0, 1200.0)
>>> m.method
'planar'
>>> g = measure([(114.0, 22.5), (114.01, 22.5)], "EPSG:4490")
>>> 1025 < g.length < 1030 and g.method == 'geodesic'
True
>>> format_length(1234.6, "zh"), format_length(12.34, "en")
('1.235 千米', '12.34 m')
>>> format_area(123456.0, "zh")
'123,456 平方米（12.35 公顷）'
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

import shapely

__all__ = ["Measurement", "measure", "format_length", "format_area"]


@dataclass(frozen=True)
class Measurement:
    """What a measured path gives: its length (the open line), the length of each segment, and —
    taken as a closed ring when it has three points or more — its area and perimeter."""

    length: float = 0.0
    segments: tuple[float, ...] = field(default_factory=tuple)
    area: float = 0.0
    perimeter: float = 0.0
    method: str = "planar"       # planar | geodesic


@lru_cache(maxsize=32)
def _crs_info(crs_text: str):
    from pyproj import CRS

    crs = CRS.from_user_input(crs_text)
    if crs.is_geographic:
        return "geodesic", crs.get_geod(), 1.0
    factor = 1.0
    for axis in crs.axis_info:
        if axis.unit_conversion_factor:
            factor = float(axis.unit_conversion_factor)
            break
    return "planar", None, factor


def measure(points, crs) -> Measurement:
    """Measure the path through ``points`` (map coordinates in ``crs``)."""
    pts = [(float(x), float(y)) for x, y in points]
    if len(pts) < 2:
        return Measurement(method=_crs_info(str(crs))[0])
    method, geod, factor = _crs_info(crs.to_wkt() if hasattr(crs, "to_wkt") else str(crs))
    if method == "geodesic":
        xs, ys = [p[0] for p in pts], [p[1] for p in pts]
        segs = tuple(float(geod.line_length([xs[i], xs[i + 1]], [ys[i], ys[i + 1]])) for i in range(len(pts) - 1))
        area = perim = 0.0
        if len(pts) >= 3:
            a, perim = geod.polygon_area_perimeter(xs, ys)
            area = abs(float(a))
            perim = float(perim)
        return Measurement(sum(segs), segs, area, perim, method)
    line = shapely.LineString(pts)
    segs = tuple(float(shapely.distance(shapely.Point(pts[i]), shapely.Point(pts[i + 1]))) * factor
                 for i in range(len(pts) - 1))
    area = perim = 0.0
    if len(pts) >= 3:
        ring = shapely.Polygon(pts)
        area = abs(float(shapely.area(ring))) * factor * factor
        perim = float(shapely.length(ring.exterior)) * factor
    return Measurement(float(shapely.length(line)) * factor, segs, area, perim, method)


def format_length(metres: float, lang: str = "zh") -> str:
    """``1.235 千米`` / ``12.34 m``: kilometres from 1 km on, three significant decimals."""
    if metres >= 1000:
        return f"{metres / 1000:,.3f} {'千米' if lang == 'zh' else 'km'}"
    return f"{metres:,.2f} {'米' if lang == 'zh' else 'm'}"


def format_area(m2: float, lang: str = "zh") -> str:
    """Square metres, with hectares (公顷) beside from 1,000 m² on, and km² from 1 km² on."""
    if lang == "zh":
        text = f"{m2:,.0f} 平方米"
        if m2 >= 1e6:
            text += f"（{m2 / 1e6:,.3f} 平方千米）"
        elif m2 >= 1000:
            text += f"（{m2 / 1e4:,.2f} 公顷）"
        return text
    text = f"{m2:,.0f} m²"
    if m2 >= 1e6:
        text += f" ({m2 / 1e6:,.3f} km²)"
    elif m2 >= 1000:
        text += f" ({m2 / 1e4:,.2f} ha)"
    return text
