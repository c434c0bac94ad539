"""Where plans live: one GeoPackage file per plan, or a schema on a PostGIS server
(``postgresql://…?schema=S``, :mod:`.postgis`): :func:`open_plan`, :func:`save_plan` and
:func:`store_for` take either.

``StoreError``/``ConflictError`` import without pandas/geopandas (the CLI names them
on every command); the GeoPackage store is imported on first use.
"""

from .base import StoreError
from .identity import ConflictError

__all__ = ["StoreError", "ConflictError", "GpkgStore", "open_plan", "save_plan", "project_refusal", "store_for",
           "is_url"]


def is_url(location) -> bool:
    """Whether ``location`` is a ``postgresql://`` URL (a plan on a server) rather than a file."""
    return isinstance(location, str) and location.lower().startswith(("postgresql://", "postgres://"))


def store_for(location):
    """The store of a file path or a ``postgresql://`` URL."""
    if is_url(location):
        from .postgis import PostgisStore

        return PostgisStore(location)
    from .gpkg import GpkgStore

    return GpkgStore(location)


def open_plan(location):
    """Open a plan: a gridmap project file or a ``postgresql://…?schema=S`` URL."""
    return store_for(location).load()


def save_plan(plan, location, force: bool = False) -> None:
    """Save a plan to a project file (atomically, :class:`ConflictError` if it changed since it
    was read) or publish it to a ``postgresql://`` URL (an existing plan replaced only with ``force``)."""
    store_for(location).save(plan, force=force)


def __getattr__(name):
    if name in ("GpkgStore", "project_refusal"):
        from . import gpkg

        return getattr(gpkg, name)
    raise AttributeError(name)
