"""Raster files (GeoTIFF …) without Qt: do they need overviews, and building them.

A large raster without overviews is read at full resolution for a zoomed-out view
(hundreds of ms per frame).  :func:`build_overviews` writes GDAL overviews into an
external ``.ovr`` beside the file (``TIFF_USE_OVR``) — the original file is not
changed — so reads at small scales use a reduced copy.

>>> overview_factors(20000, 9000)
[2, 4, 8, 16, 32, 64]
>>> overview_factors(300, 200), overview_factors(200, 100)
([2], [])
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["LARGE_PX", "overview_factors", "needs_overviews", "build_overviews"]

LARGE_PX = 4096          # a side longer than this without overviews: offer to build them


def overview_factors(width: int, height: int, smallest: int = 256) -> list[int]:
    """2, 4, 8 … until the overview's longer side is under ``smallest`` pixels."""
    out, f = [], 2
    while max(width, height) / f >= smallest:
        out.append(f)
        f *= 2
    if out or max(width, height) <= smallest:
        return out
    return [2]


def needs_overviews(path, large_px: int = LARGE_PX) -> bool:
    """Is the raster large (a side > ``large_px``) and without overviews?"""
    import rasterio

    with rasterio.open(path) as ds:
        return max(ds.width, ds.height) > large_px and not ds.overviews(1)


def build_overviews(path, resampling: str = "average") -> list[int]:
    """Build overviews in ``PATH.ovr`` (the raster itself is untouched); the factors built."""
    import rasterio
    from rasterio.enums import Resampling

    path = Path(path)
    with rasterio.Env(TIFF_USE_OVR=True):
        with rasterio.open(path) as ds:
            factors = overview_factors(ds.width, ds.height)
        if not factors:
            return []
        with rasterio.open(path, "r+") as ds:
            ds.build_overviews(factors, getattr(Resampling, resampling))
    return factors
