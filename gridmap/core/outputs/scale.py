"""Map scale: nice 1:N values, the CRS's scale factor and grid convergence,
the scale bar and the north arrow.

A map is drawn in a projected CRS in metres.  One ground metre is ``k`` map
units (``k`` is the projection's point scale factor: ≈1.0000 in a 3°
Gauss-Krüger zone, 1/cos φ in Web Mercator), so the printed scale is
``N = ground distance / paper distance = map units / k / paper metres``.

>>> nice_scale(7412)
7500
>>> nice_scale(10000), nice_scale(10001)
(10000, 12500)
>>> nice_length(180)
150
>>> round(scale_factor("EPSG:3857", 0, 2_570_000), 2)     # 22.5° N: ≈ 1/cos(22.5°)
1.08
>>> round(scale_factor("EPSG:4547", 500_000, 2_500_000), 5)  # on the central meridian
1.0
>>> abs(convergence_deg("EPSG:4547", 500_000, 2_500_000)) < 1e-6
True
"""

from __future__ import annotations

import math

import numpy as np
from pyproj import CRS, Geod, Transformer

from .layout import MM_PER_PT

__all__ = ["nice_scale", "nice_length", "scale_factor", "convergence_deg", "scale_text",
           "draw_scale_bar", "draw_north_arrow"]

_SCALE_STEPS = (1.0, 1.25, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 7.5)
_LENGTH_STEPS = (1.0, 1.5, 2.0, 2.5, 3.0, 5.0)


def nice_scale(n: float) -> int:
    """The smallest round scale denominator ≥ ``n`` (1, 1.25, 1.5, 2, 2.5, 3, 4, 5, 6, 7.5 × 10^k)."""
    n = max(float(n), 1.0)
    e = 10 ** math.floor(math.log10(n))
    for mult in (1, 10):
        for s in _SCALE_STEPS:
            if s * e * mult >= n * (1 - 1e-9):
                return int(round(s * e * mult))
    return int(round(n))  # pragma: no cover


def nice_length(m: float) -> int:
    """The largest round length ≤ ``m`` metres (1, 1.5, 2, 2.5, 3, 5 × 10^k), at least 1.

    >>> nice_length(4999), nice_length(0.3)
    (3000, 1)
    """
    m = max(float(m), 1.0)
    e = 10 ** math.floor(math.log10(m))
    best = 1.0
    for s in _LENGTH_STEPS:
        if s * e <= m * (1 + 1e-9):
            best = s * e
    return int(round(best))


def _geo(crs):
    crs = CRS.from_user_input(crs)
    geo = crs.geodetic_crs
    return crs, geo, Transformer.from_crs(crs, geo, always_xy=True), Transformer.from_crs(geo, crs, always_xy=True)


def scale_factor(crs, x: float, y: float) -> float:
    """Map units per ground metre at (x, y) of a projected CRS in metres,
    measured over a 100 m geodesic step to the east and to the north."""
    crs, geo, inv, fwd = _geo(crs)
    lon, lat = inv.transform(x, y)
    geod = Geod(ellps="GRS80") if geo.ellipsoid is None else geo.get_geod()
    ks = []
    for az in (0.0, 90.0):
        lon2, lat2, _ = geod.fwd(lon, lat, az, 100.0)
        x2, y2 = fwd.transform(lon2, lat2)
        ks.append(math.hypot(x2 - x, y2 - y) / 100.0)
    return float(np.mean(ks))


def convergence_deg(crs, x: float, y: float) -> float:
    """Angle (degrees, counter-clockwise) from grid north to true north at (x, y)."""
    crs, geo, inv, fwd = _geo(crs)
    lon, lat = inv.transform(x, y)
    geod = geo.get_geod()
    lon2, lat2, _ = geod.fwd(lon, lat, 0.0, 100.0)
    x2, y2 = fwd.transform(lon2, lat2)
    return math.degrees(math.atan2(-(x2 - x), y2 - y))


def scale_text(n: int) -> str:
    """The scale as printed: ``1:25 000`` (thin groups of three, as on Chinese maps).

    >>> scale_text(25000), scale_text(500)
    ('1:25 000', '1:500')
    """
    return "1:" + f"{int(n):,}".replace(",", " ")


def _length_text(m: float) -> str:
    return f"{m / 1000:g} 千米" if m >= 1000 else f"{m:g} 米"


def draw_scale_bar(ax, font, x_mm: float, y_mm: float, n: int, k: float, mm_per_unit: float,
                   max_mm: float = 40.0, size: float = 7.0) -> float:
    """A two-tone scale bar of a round ground length whose left end is at
    (x_mm, y_mm) on an axes whose data units are mm (a page axes); returns its
    length in mm.  ``mm_per_unit`` converts map units to paper mm
    (1000 / (N · k)) — the bar is right for the scale and the CRS."""
    from matplotlib.patches import Rectangle

    ground = nice_length(max_mm / 1000.0 * n)             # metres that fit max_mm
    length = ground * k * mm_per_unit
    parts = 4 if str(ground)[0] in "124" else 5 if str(ground)[0] == "5" else 3
    step = length / parts
    h = 1.4
    for i in range(parts):
        ax.add_patch(Rectangle((x_mm + i * step, y_mm), step, h, facecolor="black" if i % 2 == 0 else "white",
                               edgecolor="black", linewidth=0.5, zorder=20))
    prop = font.prop(size)
    ax.text(x_mm, y_mm + h + 0.8, "0", fontproperties=prop, ha="center", va="bottom", zorder=20)
    ax.text(x_mm + length, y_mm + h + 0.8, _length_text(ground), fontproperties=prop, ha="center",
            va="bottom", zorder=20)
    return length


def draw_north_arrow(ax, font, x_mm: float, y_mm: float, height_mm: float = 12.0,
                     rotation_deg: float = 0.0, size: float = 9.0) -> None:
    """A north arrow (two-tone needle and 北) centred at x_mm whose base is at
    y_mm, turned by ``rotation_deg`` (the convergence) towards true north."""
    from matplotlib.patches import Polygon

    h = height_mm
    w = h * 0.32
    tip, left, right, notch = (0, h), (-w, 0), (w, 0), (0, h * 0.28)
    a = math.radians(rotation_deg)
    rot = np.array([[math.cos(a), -math.sin(a)], [math.sin(a), math.cos(a)]])

    def place(pts):
        pts = np.asarray(pts, dtype=float) - (0, h / 2)
        return pts @ rot.T + (x_mm, y_mm + h / 2)

    ax.add_patch(Polygon(place([tip, left, notch]), closed=True, facecolor="white", edgecolor="black",
                         linewidth=0.6, zorder=20))
    ax.add_patch(Polygon(place([tip, notch, right]), closed=True, facecolor="black", edgecolor="black",
                         linewidth=0.6, zorder=20))
    tx, ty = place([(0, h + size * MM_PER_PT * 0.2)])[0]
    ax.text(tx, ty, "北", fontproperties=font.prop(size), ha="center", va="bottom", rotation=rotation_deg,
            zorder=20)
