"""The storage interface: where a plan lives.

Today a plan is one GeoPackage file (:class:`gridmap.core.storage.gpkg.GpkgStore`);
a PostGIS store for many planners editing one city will implement the same
two methods.  The application only ever talks to a :class:`PlanStore`.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # StoreError must be importable without pandas (the CLI names it)
    from ..plan import Plan

__all__ = ["PlanStore", "StoreError"]


class StoreError(Exception):
    """A plan could not be read or written; the message says which file and why."""


class PlanStore(ABC):
    """Loads and saves whole plans.  Implementations must never leave a
    half-written plan behind: a failed :meth:`save` keeps the last good one."""

    location: str

    @abstractmethod
    def load(self) -> Plan:
        """Read the plan, or raise :class:`StoreError` with a clear message."""

    @abstractmethod
    def save(self, plan: Plan) -> None:
        """Write the plan atomically, or raise :class:`StoreError` and change nothing."""
