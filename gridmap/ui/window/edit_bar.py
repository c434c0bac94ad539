"""The editing toolbar: options, the level being edited, snapping layers, tool hints.

Part of the main window (:class:`gridmap.ui.main_window.MainWindow` mixes it in).
"""

from __future__ import annotations


from PySide6.QtCore import QCoreApplication

from .. import i18n

__all__ = ["EditBarMixin"]


class EditBarMixin:
    """The editing toolbar: options, the level being edited, snapping layers, tool hints."""

    def _set_edit_option(self, name: str, on: bool) -> None:
        self.edit.set_option(name, bool(on))
        if name == "live_checks":
            self.live.enabled = bool(on)
        self.canvas.update()

    def _fill_level_combo(self) -> None:
        combo = self.level_combo
        combo.blockSignals(True)
        combo.clear()
        if self.document is not None:
            lang = i18n.current_language()
            for lv in self.document.plan.levels:
                combo.addItem(lv.name_en if lang == "en" else lv.name, lv.key)
            combo.setCurrentIndex(max(0, combo.findData(self.edit.edit_level())))
            self.edit.level = combo.currentData()
        combo.blockSignals(False)

    def set_edit_level(self, key: str) -> None:
        """The level the drawing and editing tools work on."""
        i = self.level_combo.findData(key)
        if i >= 0:
            self.level_combo.setCurrentIndex(i)

    def _fill_snap_layers_menu(self) -> None:
        m = self.snap_layers_menu
        m.clear()
        layers = [l for l in self.base_layers if getattr(l, "family", "") == "line"]
        if not layers:
            a = m.addAction(QCoreApplication.translate("MainWindow", "(no line layers)"))
            a.setEnabled(False)
            return
        for layer in layers:
            a = m.addAction(layer.name)
            a.setCheckable(True)
            a.setChecked(self.edit.snap_layer_ids is None or layer.id in self.edit.snap_layer_ids)
            a.toggled.connect(lambda on, lid=layer.id: self.set_snap_layer(lid, on))

    def set_snap_layer(self, layer_id: int, on: bool) -> None:
        """Snap (and trace) to a line base layer or not."""
        ids = self.edit.snap_layer_ids
        if ids is None:
            ids = {l.id for l in self.base_layers if getattr(l, "family", "") == "line"}
        ids = set(ids)
        (ids.add if on else ids.discard)(layer_id)
        self.edit.snap_layer_ids = ids

    def _on_tool_changed(self, tool) -> None:
        pick = tool is self.edit_tools["pick_segment"]
        if self.segments.pick_button.isChecked() != pick:
            self.segments.pick_button.blockSignals(True)
            self.segments.pick_button.setChecked(pick)
            self.segments.pick_button.blockSignals(False)
        if pick:
            self.docks["segments"].show()
            self.docks["segments"].raise_()
        hints = {
            "draw_grid": QCoreApplication.translate("MainWindow", "Draw grid: click the corners, double-click or Enter to finish, Backspace removes "
                                 "the last point, Esc cancels; hold Shift to trace along roads and boundaries."),
            "vertex": QCoreApplication.translate("MainWindow", "Vertices: drag a vertex to move it, double-click a boundary to add one, click one "
                              "and press Delete to remove it."),
            "split": QCoreApplication.translate("MainWindow", "Split: draw a line across the grid, double-click or Enter to finish."),
            "split_road": QCoreApplication.translate("MainWindow", "Split along a road: click a road of a snapping layer."),
            "reshape": QCoreApplication.translate("MainWindow", "Reshape: draw a line from the grid's boundary and back to it."),
            "move_boundary": QCoreApplication.translate("MainWindow", "Move boundary: draw the new boundary across two neighbouring grids."),
            "pick_segment": QCoreApplication.translate("MainWindow", "Click street segments to assign them to the grid or officer chosen in the "
                                    "segments panel."),
            "identify": QCoreApplication.translate("MainWindow", "Identify: click the map to list the features of every visible layer under the "
                                                   "click."),
            "measure_distance": QCoreApplication.translate("MainWindow", "Measure distance: click points, right-click or double-click ends, Esc "
                                                           "clears."),
            "measure_area": QCoreApplication.translate("MainWindow", "Measure area: click the corners, right-click or double-click ends, Esc "
                                                       "clears."),
        }
        name = getattr(tool, "name", "")
        if name in hints:
            self.status.showMessage(hints[name], 15000)

    def _segments_layer(self):
        return next((l for l in self.plan_layers if l.kind == "segments"), None)
