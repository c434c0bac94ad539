"""The storage error: a plan could not be read or written.

Today a plan is one GeoPackage file (:class:`gridmap.core.storage.gpkg.GpkgStore`).
"""

from __future__ import annotations

__all__ = ["StoreError"]


class StoreError(Exception):
    """A plan could not be read or written; the message says which file and why."""
