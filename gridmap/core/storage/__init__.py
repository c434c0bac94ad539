"""Where plans live: the :class:`PlanStore` interface and its GeoPackage implementation."""

from .base import PlanStore, StoreError
from .gpkg import GpkgStore, open_plan, save_plan

__all__ = ["PlanStore", "StoreError", "GpkgStore", "open_plan", "save_plan"]
