"""Live re-checks while editing: the problems dock follows every edit.

A :class:`LiveChecker` keeps a :class:`gridmap.core.checks.session.CheckSession`
of the open plan.  After an edit that only moved grid boundaries the session
re-checks the neighbourhood of the changed grids (``update_many``); after
edits that add or delete grids, change codes, parents or the jurisdiction the
plan is checked again in full (fast: ~0.05 s for the sample plan, ~0.25 s for
2,000 grids); after edits of roles, people, units, segments or places only the
attribute rules run again.  Edits arriving together are re-checked once.

The session lives in the GUI thread: its metric frame holds pyproj objects,
which must stay in the thread that made them.
"""

from __future__ import annotations

import time
import traceback

from PySide6.QtCore import QObject, QTimer, Signal

__all__ = ["LiveChecker"]


class LiveChecker(QObject):
    """Keeps the problems of the open plan current while it is edited."""

    updated = Signal(list, int, int)        # problems (core Problem objects), added, removed

    def __init__(self, parent=None):
        super().__init__(parent)
        self.enabled = True
        self.plan = None
        self.session = None
        self.last_seconds = 0.0
        self.last_mode = ""                  # "full", "local" or "attributes"
        self.error = ""
        self._pending: list = []
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self.flush)

    def reset(self, plan) -> None:
        """A new plan is open: forget the old session (the next edit checks in full)."""
        self.plan = plan
        self.session = None
        self._pending = []
        self._timer.stop()

    def on_edit(self, changes) -> None:
        if not self.enabled or self.plan is None:
            return
        self._pending.append(changes)
        self._timer.start()

    def pending(self) -> bool:
        return bool(self._pending)

    def flush(self) -> None:
        """Re-check now what the pending edits changed."""
        self._timer.stop()
        pending, self._pending = self._pending, []
        if not pending or self.plan is None:
            return
        from ..core.checks.session import CheckSession

        t0 = time.perf_counter()
        plan = self.plan
        added = removed = 0
        try:
            s = self.session
            grid_set_same = s is not None and set(s._where) == {int(i) for i in plan.grids.index}
            if s is None or not grid_set_same or any(_structural(c) for c in pending):
                self.session = CheckSession(plan)
                self.last_mode = "full"
            else:
                geo = set()
                attrs = False
                for c in pending:
                    if c.geometry_only:
                        geo |= {g for g in c.grids if g in plan.grids.index}
                    else:
                        attrs = True
                if geo:
                    d = s.update_many({g: plan.grids.geometry[g] for g in geo})
                    added, removed = len(d.added), len(d.removed)
                if attrs:
                    d = s.refresh_attributes()
                    added, removed = added + len(d.added), removed + len(d.removed)
                self.last_mode = "local" if geo else "attributes"
            self.error = ""
        except Exception as exc:  # a failed re-check must not break editing
            traceback.print_exc()
            self.error = f"{type(exc).__name__}: {exc}"
            self.session = None
            return
        self.last_seconds = time.perf_counter() - t0
        self.updated.emit(self.session.problems, added, removed)


def _structural(changes) -> bool:
    """Whether an edit needs a full re-check (grids added/deleted, grid attributes,
    parents, codes, the jurisdiction)."""
    if changes.jurisdiction:
        return True
    if "grids" in changes.tables and not changes.geometry_only:
        return True
    return False
