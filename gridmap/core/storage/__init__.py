"""Where plans live: the :class:`PlanStore` interface and its GeoPackage implementation.

``StoreError``/``ConflictError`` import without pandas/geopandas (the CLI names them
on every command); the GeoPackage store is imported on first use.
"""

from .base import PlanStore, StoreError
from .identity import ConflictError

__all__ = ["PlanStore", "StoreError", "ConflictError", "GpkgStore", "open_plan", "save_plan", "project_refusal"]


def __getattr__(name):
    if name in ("GpkgStore", "open_plan", "save_plan", "project_refusal"):
        from . import gpkg

        return getattr(gpkg, name)
    raise AttributeError(name)
