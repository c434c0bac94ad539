"""Where plans live: one GeoPackage file per plan.

``StoreError``/``ConflictError`` import without pandas/geopandas (the CLI names them
on every command); the GeoPackage store is imported on first use.
"""

from .base import StoreError
from .identity import ConflictError

__all__ = ["StoreError", "ConflictError", "GpkgStore", "open_plan", "save_plan", "project_refusal"]


def __getattr__(name):
    if name in ("GpkgStore", "open_plan", "save_plan", "project_refusal"):
        from . import gpkg

        return getattr(gpkg, name)
    raise AttributeError(name)
