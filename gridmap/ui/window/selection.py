"""Map tools, selecting grids (click, box) and finding a grid by code or name.

Part of the main window (:class:`gridmap.ui.main_window.MainWindow` mixes it in).
"""

from __future__ import annotations


import weakref

import shapely
from PySide6.QtCore import QCoreApplication, QTimer

from ..layers.vector import GridLayer

__all__ = ["SelectionMixin"]


class SelectionMixin:
    """Map tools, selecting grids (click, box) and finding a grid by code or name."""

    def set_tool(self, name: str) -> None:
        tool = {"pan": self.pan_tool, "zoom_box": self.zoom_tool, "select": self.select_tool,
                "draw_polygon": self.draw_tool, "identify": self.identify_tool, **self.measure_tools,
                **self.edit_tools}[name]
        if name in self.edit_tools and (self.document is None or self.document.loading):
            return
        self.canvas.set_tool(tool)
        if name in self.actions:
            self.actions[name].setChecked(True)
        self.canvas.setFocus()

    def _grid_layers_bottom_up(self) -> list[GridLayer]:
        """Visible grid layers, lowest level first."""
        layers = [l for l in self.plan_layers if isinstance(l, GridLayer) and l.visible]
        if self.document is None:
            return layers
        keys = self.document.plan.level_keys
        return sorted(layers, key=lambda l: -keys.index(l.level_key) if l.level_key in keys else 0)

    def select_at(self, x: float, y: float, tolerance: float = 0.0, add: bool = False) -> list[int]:
        """Select the grid under a map point (the lowest visible level first)."""
        if self.document is None:
            return []
        self.flush_layers()                       # (an edit's follow still waiting: the map as it is)
        for layer in self._grid_layers_bottom_up():
            hit = layer.features_at(x, y, 0.0)
            if not len(hit) and tolerance > 0:
                hit = layer.features_at(x, y, tolerance)
            if len(hit):
                self.document.set_selection([int(hit[0])], add=add)
                return [int(hit[0])]
        if not add:
            self.document.clear_selection()
        return []

    def select_box(self, box, add: bool = False) -> list[int]:
        if self.document is None:
            return []
        self.flush_layers()
        for layer in self._grid_layers_bottom_up():
            hit = layer.features_in(box)
            if len(hit):
                ids = [int(i) for i in hit]
                if add:
                    ids = [i for i in ids if i not in self.document.selection]
                self.document.set_selection(ids, add=add)
                return ids
        if not add:
            self.document.clear_selection()
        return []

    def _deselect(self) -> None:
        if self.document is not None:
            self.document.clear_selection()

    def _on_selection(self, ids: list) -> None:
        plan = self.document.plan
        ids = [i for i in ids if i in plan.grids.index]
        self._overlay_lines = None
        self.canvas.set_highlight(plan.grids.geometry.loc[ids].values if ids else None)
        last = getattr(self, "_panels_show", None)
        if not (last is not None and last[0]() is self.document and last[1]() is plan
                and last[2:] == (getattr(self, "_edits_seen", 0), tuple(ids))):   # (what the edit just showed)
            self._show_grid_panels(plan, ids)
        self._panels_show = None
        self.update_actions()
        if ids:
            # (%1, not %n: lupdate does not pick up a plural form from translate())
            self.status.showMessage(QCoreApplication.translate("MainWindow", "%1 grid(s) selected").replace(
                "%1", str(len(ids))), 5000)

    #: plans of at least this many grids show an edit's grid in the inspector and the grid form one
    #: event-loop turn after the edit (issue 21: 15–40 ms of filling at 100k grids, not in the
    #: edit's own turn); smaller plans fill them at once, as before
    PANELS_LATER = 20000

    def _show_grid_panels(self, plan, ids, after_edit: bool = False) -> None:
        """The inspector and the grid form show ``ids`` of ``plan``: now, or — after an edit of a
        city-scale plan, or while such a refill waits — at the next turn of the event loop (the
        map's frame first; one refill for the edit and the selection it makes)."""
        pending = getattr(self, "_panels_pending", None)
        if pending is not None or (after_edit and len(plan.grids) >= self.PANELS_LATER):
            self._panels_pending = (weakref.ref(self.document), weakref.ref(plan), list(ids))
            if pending is None and getattr(self, "_layers_pending", None) is None:
                QTimer.singleShot(0, self, self._show_pending_panels)
            return                      # (else the layers' turn asks for it when it is done)
        self.inspector.show_grids(plan, ids)
        self.form.show_grids(plan, ids)

    def _show_pending_panels(self) -> None:
        """The refill :meth:`_show_grid_panels` put off (dropped when its plan is no longer open)."""
        pending, self._panels_pending = getattr(self, "_panels_pending", None), None
        if pending is None:
            return
        plan = self._still_open(pending)
        if plan is not None:
            ids = [i for i in pending[2] if i in plan.grids.index]
            self.inspector.show_grids(plan, ids)
            self.form.show_grids(plan, ids)
        if not self.grid_panels_waiting():
            self.live.kick()                      # the re-check waited for this turn

    def _still_open(self, pending):
        """The plan a put-off follow ``pending`` — (document ref, plan ref, …) — was made for, while it
        is still the open plan; else None (the follow is dropped)."""
        doc, plan = pending[0](), pending[1]()
        return plan if doc is not None and doc is self.document and plan is not None and plan is doc.plan else None

    def grid_panels_waiting(self) -> bool:
        """Whether the inspector and the grid form (or the map's layers) wait to show an edit (tests, scripts)."""
        return getattr(self, "_panels_pending", None) is not None or getattr(self, "_layers_pending", None) is not None

    def zoom_to_selection(self) -> None:
        if self.document is None or not self.document.selection:
            return
        g = self.document.plan.grids.geometry.loc[self.document.selection].values
        b = shapely.total_bounds(g)
        self.canvas.zoom_to(tuple(b), margin=0.15, min_size=50.0)

    def search_grid(self, text: str) -> int | None:
        """Find a grid by code (exact, then prefix) or name; select it and zoom to it."""
        text = text.strip()
        if self.document is None or not text:
            return None
        g = self.document.plan.grids
        hit = g.index[g["code"] == text]
        if not len(hit):
            hit = g.index[g["code"].astype(str).str.startswith(text)]
        if not len(hit):
            hit = g.index[g["name"].astype(str).str.contains(text, regex=False)]
        if not len(hit):
            self.status.showMessage(QCoreApplication.translate("MainWindow", "No grid matches “%1”").replace("%1", text), 5000)
            return None
        gid = int(hit[0])
        self.document.set_selection([gid])
        self.zoom_to_selection()
        return gid
