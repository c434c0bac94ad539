"""Measuring in metres: the frame the checks compute in.

Data in a metric projected CRS is checked as it is.  Other data is mapped to
metres by an *affine* map of its own coordinates, so straight edges stay
straight and the topology the checks see (which edges cross, which vertices
match) is exactly the topology of the file — projecting lon/lat edges would
bend them and invent slivers between segments that are collinear in the data:

* geographic CRS (EPSG:4326, EPSG:4490 …): longitude and latitude scaled by
  the ellipsoid's radii of curvature at the data's centre (a local
  equirectangular map: distances within ~0.1 % across a city);
* projected CRS in feet etc.: coordinates scaled to metres.

Reported areas and widths of geographic data are then measured again in a
Lambert azimuthal *equal-area* projection centred on the data
(:meth:`MetricFrame.true_areas`), so areas are true m² on the ellipsoid.

>>> from shapely import box
>>> lonlat = box(120.0, 23.0, 120.01, 23.01)
>>> m = MetricFrame.for_data([lonlat], "EPSG:4326")
>>> m.projected, m.geographic
(True, True)
>>> g = m.forward([lonlat])[0]
>>> from gridmap.core.crs import areas_m2       # true areas: the same as on the ellipsoid
>>> round(float(m.true_areas([g])[0]), 1) == round(float(areas_m2([lonlat], "EPSG:4326")[0]), 1)
True
>>> abs(g.area / float(areas_m2([lonlat], "EPSG:4326")[0]) - 1) < 1e-3     # the frame itself: close
True
>>> back = m.backward(shapely.centroid(g))
>>> round(back.x, 6), round(back.y, 6)
(120.005, 23.005)
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import shapely
from pyproj import CRS, Transformer

from ..crs import is_metric

__all__ = ["MetricFrame"]


@dataclass
class MetricFrame:
    """An affine map from the input CRS to metres, and true measures."""

    crs: CRS
    origin: tuple = (0.0, 0.0)
    scale: tuple = (1.0, 1.0)
    geographic: bool = False
    _laea: Transformer | None = None

    @property
    def projected(self) -> bool:
        """Whether coordinates are mapped (not used as they are)."""
        return self.scale != (1.0, 1.0) or self.origin != (0.0, 0.0)

    @classmethod
    def for_data(cls, geoms, crs) -> "MetricFrame":
        crs = CRS.from_user_input(crs)
        if is_metric(crs):
            return cls(crs=crs)
        geoms = np.asarray(geoms, dtype=object)
        ok = geoms[~(shapely.is_missing(geoms) | shapely.is_empty(geoms))] if len(geoms) else geoms
        if len(ok):
            x0, y0, x1, y1 = shapely.total_bounds(ok)
        else:
            x0 = y0 = x1 = y1 = 0.0
        if not crs.is_geographic:
            unit = crs.axis_info[0].unit_conversion_factor if crs.axis_info else 1.0
            return cls(crs=crs, scale=(float(unit), float(unit)))
        lon0, lat0 = (x0 + x1) / 2, (y0 + y1) / 2
        if not (np.isfinite(lon0) and np.isfinite(lat0)):
            lon0 = lat0 = 0.0
        ellps = crs.ellipsoid
        a = ellps.semi_major_metre if ellps is not None else 6378137.0
        rf = ellps.inverse_flattening if ellps is not None else 298.257223563
        e2 = 0.0 if not rf else (2 - 1 / rf) / rf
        phi = np.radians(lat0)
        w = 1 - e2 * np.sin(phi) ** 2
        m_radius = a * (1 - e2) / w ** 1.5          # meridian
        n_radius = a / np.sqrt(w)                   # prime vertical
        k = np.pi / 180.0
        laea = CRS.from_proj4(f"+proj=laea +lat_0={lat0:.8f} +lon_0={lon0:.8f} +x_0=0 +y_0=0 "
                              f"+a={a} +rf={rf if rf else 0} +units=m +no_defs")
        t = Transformer.from_crs(crs.geodetic_crs, laea, always_xy=True)
        return cls(crs=crs, origin=(float(lon0), float(lat0)),
                   scale=(float(n_radius * np.cos(phi) * k), float(m_radius * k)), geographic=True, _laea=t)

    def forward(self, geoms):
        """Input CRS → metres (affine)."""
        if not self.projected:
            return geoms
        (x0, y0), (sx, sy) = self.origin, self.scale
        return shapely.transform(geoms, lambda xy: np.column_stack([(xy[:, 0] - x0) * sx, (xy[:, 1] - y0) * sy]))

    def backward(self, geoms):
        """Metres → input CRS."""
        if not self.projected:
            return geoms
        (x0, y0), (sx, sy) = self.origin, self.scale
        return shapely.transform(geoms, lambda xy: np.column_stack([xy[:, 0] / sx + x0, xy[:, 1] / sy + y0]))

    def equal_area(self, geoms):
        """Frame geometries in the equal-area projection (geographic data), else as they are."""
        if self._laea is None:
            return geoms
        t = self._laea
        lonlat = self.backward(geoms)
        return shapely.transform(lonlat, lambda xy: np.column_stack(t.transform(xy[:, 0], xy[:, 1])))

    def true_areas(self, geoms) -> np.ndarray:
        """True areas (m²) of frame geometries."""
        return shapely.area(self.equal_area(np.asarray(geoms, dtype=object)))
