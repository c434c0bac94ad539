"""The main window: map canvas in the middle, docks around it, menus, toolbar,
status bar.  Widgets only display and dispatch: plan logic stays in
:mod:`gridmap.core`, long work runs in worker threads (:mod:`gridmap.ui.jobs`)."""

from __future__ import annotations

import weakref

from pathlib import Path

import shapely
from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QUndoGroup
from PySide6.QtWidgets import QMainWindow, QMessageBox

from .. import __version__
from ..core.storage import lock as project_lock
from .canvas import MapCanvas
from .document import PlanDocument
from .edit_tools import (DrawGridTool, MoveBoundaryTool, PickSegmentTool, ReshapeTool, SplitAlongRoadTool,
                         SplitTool, VertexTool)
from .editing import EditController
from .jobs import TaskManager
from .layers.base import MapLayer
from .layers.plan_layers import update_plan_layers
from .live_checks import LiveChecker
from .layers.vector import GridLayer
from .layer_manager import LayerManager
from .statusbar import MapStatusBar
from .tools import DrawPolygonTool, IdentifySelectTool, PanTool, ZoomBoxTool
from .window.docks import DocksMixin
from .window.duties import DutiesMixin
from .window.edit_bar import EditBarMixin
from .window.exchange_dialogs import ExchangeDialogsMixin
from .window.language import LanguageMixin
from .window.menus import MenusMixin, icon
from .window.project_files import ProjectFilesMixin
from .window.recent import RecentFilesMixin
from .window.selection import SelectionMixin
from .window.versions import VersionsMixin

__all__ = ["MainWindow", "sample_plan_path", "icon"]


def sample_plan_path() -> Path:
    """``sample_layers/baoan_plan.gpkg`` of a repository checkout; when installed (wheel,
    bundle), a copy in the user's data folder (see :func:`gridmap.core.locations.user_sample_plan`)."""
    from ..core.locations import user_sample_plan

    return user_sample_plan()


class MainWindow(MenusMixin, LanguageMixin, DocksMixin, RecentFilesMixin, ProjectFilesMixin, SelectionMixin,
                 EditBarMixin, DutiesMixin, ExchangeDialogsMixin, VersionsMixin, QMainWindow):
    """The gridmap main window: the widgets and docks, wired together.  Each concern
    lives in its own module under :mod:`gridmap.ui.window` (actions and menus,
    language, docks, files, recent files, selection, the editing toolbar, duties
    and checks, import/export dialogs)."""

    documentChanged = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("MainWindow")
        self.resize(1400, 900)
        self.document: PlanDocument | None = None
        self.plan_layers: list[MapLayer] = []
        self.base_layers: list[MapLayer] = []
        self.confirm_close = True
        self.last_error = ""
        self.error_box = None
        self.lock_box = None
        self.tasks = TaskManager(self)

        # canvas and tools
        self.canvas = MapCanvas(self)
        self.setCentralWidget(self.canvas)
        self.pan_tool = PanTool(self.canvas)
        self.zoom_tool = ZoomBoxTool(self.canvas)
        self.select_tool = IdentifySelectTool(self.canvas)
        self.draw_tool = DrawPolygonTool(self.canvas)
        self.select_tool.clicked.connect(self.select_at)
        self.select_tool.boxed.connect(self.select_box)
        from .identify import IdentifyTool
        from .measure_tool import MeasureTool
        self.identify_tool = IdentifyTool(self.canvas)
        self.identify_tool.clicked.connect(self.identify_at)
        plan_crs = lambda: self.document.plan.crs if self.document is not None else None   # noqa: E731
        self.measure_tools = {f"measure_{m}": MeasureTool(self.canvas, m, plan_crs, self._lang_code)
                              for m in ("distance", "area")}
        for tool in self.measure_tools.values():
            tool.measured.connect(lambda text: self.status.showMessage(text))

        # editing: one controller, one tool object per edit tool, the undo stacks of the documents
        self.edit = EditController(self)
        self.undo_group = QUndoGroup(self)
        self.live = LiveChecker(self)
        self.live.hold = self.grid_panels_waiting          # (after the layers' and panels' turns: issue 21)
        self.live.enabled = bool(self.edit.live_checks)
        self.edit_tools = {
            "draw_grid": DrawGridTool(self.canvas, self.edit),
            "vertex": VertexTool(self.canvas, self.edit),
            "split": SplitTool(self.canvas, self.edit),
            "split_road": SplitAlongRoadTool(self.canvas, self.edit),
            "reshape": ReshapeTool(self.canvas, self.edit),
            "move_boundary": MoveBoundaryTool(self.canvas, self.edit),
            "pick_segment": PickSegmentTool(self.canvas, self.edit, self._segments_layer),
        }
        self._overlay_lines = None
        self.canvas.overlays.append(self._paint_overlay_lines)

        from .tiles import TileFetcher
        self.tile_fetcher = TileFetcher(self)

        self._make_docks()

        self.status = MapStatusBar(self)
        self.setStatusBar(self.status)
        self.layer_manager = LayerManager(self)   # base maps as undo steps, plan layers as view

        self._make_actions()
        self._make_menus()
        self._connect()
        self.set_tool("pan")
        self.retranslate()
        self.update_actions()
        self._restore_settings()

    # ================================================================== actions

    def _connect(self) -> None:
        c = self.canvas
        c.cursorMoved.connect(self.status.show_cursor)
        c.viewChanged.connect(lambda vp: self.status.show_scale(vp.scale()))
        self.status.scaleEdited.connect(c.set_scale)
        self.status.cancelRequested.connect(self._cancel_jobs)
        self.tasks.busyChanged.connect(self.status.set_busy)
        self.problems.runRequested.connect(self.run_checks)
        self.problems.activated.connect(self._on_problem)
        self.draw_tool.finished.connect(self._on_drawn)
        self.draw_tool.cancelled.connect(lambda: self.set_tool("pan"))
        self.edit.refused.connect(lambda msg: self.status.showMessage(msg, 10000))
        from .refusal_banner import RefusalBanner
        self.refusal_banner = RefusalBanner(self.canvas)
        self.edit.refused.connect(self._show_refusal)
        self.edit.offer = self.refusal_banner.show_offer
        self.edit.message.connect(lambda msg: self.status.showMessage(msg, 4000))
        self.live.updated.connect(self._on_live_problems)
        self.live.busyChanged.connect(self._on_live_busy)
        # a whole-plan check in the status bar: progress, and the ✕ cancels it (issue 21)
        self.live.busyChanged.connect(lambda busy, text: self.status.set_busy(busy or self.tasks.busy))
        self.live.progress.connect(self.status.set_progress)
        self.tasks.progress.connect(self.status.set_progress)
        self.people.dutiesRequested.connect(self.show_duties)
        self.segments.pickRequested.connect(lambda on: self.set_tool("pick_segment" if on else "pan"))
        self.segments.segmentsSelected.connect(self._show_segments)
        self.edit_tools["pick_segment"].picked.connect(lambda sid: (self.ensure_panel("segments"),
                                                                    self.segments.assign([sid])))
        for key in ("people", "segments"):   # filled when first shown (see _plan_to_panels)
            self.docks[key].visibilityChanged.connect(lambda on, key=key: on and self.ensure_panel(key))
        self.canvas.toolChanged.connect(self._on_tool_changed)
        from .fix_panel import FixController
        self.fixes = FixController(self)      # fixes in the problems list (preview, apply, fix all)

    # ================================================================== settings

    # ================================================================== project

    def _lang_code(self) -> str:
        from . import i18n
        return "en" if i18n.current_language() == "en" else "zh"

    def identify_at(self, x: float, y: float, tol: float = 0.0) -> list:
        """List what lies under a map point in every visible layer (识别结果 panel)."""
        from .identify import identify_at
        results = identify_at(self, x, y, tol)
        self.identify_panel.show_results(results)
        self.docks["identify"].show()
        self.docks["identify"].raise_()
        return results

    def _on_drawn(self, poly) -> None:
        if self.document is not None:
            from ..core.editing.commands import SetJurisdiction

            if poly.geom_type in ("Polygon", "MultiPolygon"):
                self.edit.push(SetJurisdiction("辖区", poly), self.tr("Draw the jurisdiction"), kinds=())
            self.canvas.refresh()
            self.overview.zoom_full()
            self.overview.refresh()
        self.set_tool("pan")

    def closeEvent(self, e) -> None:
        self.finish_saves()               # closing while a save runs waits for it
        if self.confirm_close and self.document is not None and self.document.dirty:
            r = QMessageBox.question(self, self.tr("Unsaved changes"),
                                     self.tr("Save the changes to the plan before closing?"),
                                     QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard
                                     | QMessageBox.StandardButton.Cancel)
            if r == QMessageBox.StandardButton.Cancel or (r == QMessageBox.StandardButton.Save and not self.save()):
                e.ignore()
                return
        self.finish_saves()
        self._end_journal(self.document)  # a clean close leaves no crash journal
        self.save_settings()
        if getattr(self, "attribute_table", None) is not None:
            self.attribute_table.close()      # its own top-level window: it goes with the main window
        self._release_lock(self.document)
        from .shared_session import attach
        attach(self, None)                 # a shared plan: queued steps committed, threads stopped
        self._closing = True               # (an opening cancelled now says nothing)
        self.tasks.cancel_all()
        self.live.shutdown()
        self.canvas.shutdown()
        self.overview.shutdown()
        self.tasks.shutdown()
        super().closeEvent(e)

    # ================================================================== base layers
    def add_base_layer(self, kind: str, source: str, name: str | None = None, style: dict | None = None,
                       layer: str = "") -> MapLayer | None:
        """Add a base map as one undo step (see :class:`~gridmap.ui.layer_manager.LayerManager`)."""
        return self.layer_manager.add_base_layer(kind, source, name=name, style=style, layer=layer)

    def _last_dir(self) -> str:
        return self.layer_manager.last_dir()

    def _remember_dir(self, path) -> None:
        self.layer_manager.remember_dir(path)

    def _on_edited(self, changes) -> None:
        """After every push, undo and redo: redraw the touched layers, refresh the
        panels, re-check the neighbourhood."""

        doc = self.document
        if doc is None:
            return
        plan = doc.plan
        # the touched rows patched into the layers (their indexes too), nothing rebuilt: at once,
        # or for a city-scale plan at the next turn of the event loop (issue 21)
        self._follow_layers(plan, changes)
        ids = [i for i in doc.selection if i in plan.grids.index]
        if self._overlay_lines is None:
            self.canvas.set_highlight(plan.grids.geometry.loc[ids].values if ids else None)
        self.form.on_changes(changes)                # (its pick lists follow the edit now)
        self._show_grid_panels(plan, ids, after_edit=True)
        # (the selection an edit then makes, e.g. the merged grid, is shown already: not twice)
        self._edits_seen = getattr(self, "_edits_seen", 0) + 1
        self._panels_show = (weakref.ref(doc), weakref.ref(plan), self._edits_seen, tuple(ids))
        if not self.panel_pending("people"):       # (a panel not filled yet gets the plan as it is then)
            self.people.on_changes(changes)        # the rows of the people and units the edit touched
        if not self.panel_pending("segments"):
            self.segments.on_changes(changes)      # row by row, from the exact change
        if self.edit.live_checks:
            self.live.on_edit(changes)
        self._update_title()

    def _follow_layers(self, plan, changes) -> None:
        """The map's plan layers follow an edit (:func:`update_plan_layers` with its exact change).
        A plan of :attr:`PANELS_LATER` grids or more: at the next turn of the event loop, the edit's
        own turn ends sooner (the grid panels wait for the layers: one turn each); the
        layers are brought up to date first wherever they are read before that (a click on
        the map, the next edit's neighbours)."""
        pending = getattr(self, "_layers_pending", None)
        if pending is None and len(plan.grids) < self.PANELS_LATER:
            self._apply_layer_changes(plan, [changes])
            return
        if pending is None:
            self._layers_pending = pending = (weakref.ref(self.document), weakref.ref(plan), [])
            QTimer.singleShot(0, self, self.flush_layers)
        pending[2].append(changes)

    def _apply_layer_changes(self, plan, changes_list) -> None:
        redraw_overview = False
        for changes in changes_list:
            redraw_overview = redraw_overview or changes.jurisdiction
            for layer in update_plan_layers(self.plan_layers, plan, changes):
                if isinstance(layer, GridLayer):
                    redraw_overview = redraw_overview or layer in self.overview.layers
        self.canvas.schedule(immediate=True)
        if redraw_overview:
            self.overview.schedule(immediate=True)

    def flush_layers(self) -> None:
        """Bring the plan layers up to the plan now if an edit's follow waits (see :meth:`_follow_layers`)."""
        pending, self._layers_pending = getattr(self, "_layers_pending", None), None
        if pending is None:
            return
        plan = self._still_open(pending)
        if plan is not None:
            self._apply_layer_changes(plan, pending[2])
        if getattr(self, "_panels_pending", None) is not None:     # the grid panels waited for the layers:
            QTimer.singleShot(0, self, self._show_pending_panels)  # at the next turn, not in this one
        else:
            self.live.kick()

    def open_attribute_table(self):
        """The attribute table window (属性表, F6): grids, segments, places, people."""
        from .attribute_table import open_attribute_table
        return open_attribute_table(self)

    def _selected_grids(self) -> list[int]:
        if self.document is None:
            return []
        plan = self.document.plan
        return [g for g in self.document.selection if g in plan.grids.index]

    def _show_refusal(self, msg: str) -> None:
        """A refused edit: the reason in a banner over the map (and the status bar), the
        spot that made it fail drawn on the map."""
        spot, self.edit.refusal_spot = self.edit.refusal_spot, None
        self.refusal_banner.show_refusal(msg, spot)

    def merge_selected(self, keep: int | None = None):
        """Merge the selected grids; a dialog asks whose attributes the merged grid keeps
        (only once the merge is known to be possible)."""
        from ..core.editing.commands import merge_refusal
        from .edit_dialogs import MergeDialog
        from .editing import bilingual

        ids = self._selected_grids()
        if len(ids) < 2:
            self.edit.refused.emit(self.tr("Select at least two neighbouring grids to merge (Shift-click)."))
            return None
        why = merge_refusal(self.document.plan, ids)
        if why is not None:
            self.edit.last_error = bilingual(str(why), self.edit.lang())
            self.edit.refusal_spot = why.where
            self.edit.refused.emit(self.edit.last_error)
            return None
        if keep is not None:
            return self._merge(ids, keep)
        dlg = MergeDialog(self.document.plan, ids, self)
        dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        dlg.accepted.connect(lambda: self._merge(ids, dlg.keep()))
        self.merge_dialog = dlg
        dlg.open()
        return dlg

    def _merge(self, ids, keep) -> bool:
        from ..core.editing.commands import merge_grids

        return self.edit.push(lambda p: merge_grids(p, ids, keep), self.tr("Merge %n grids", "", len(ids)),
                              select=[keep])

    def delete_selected(self) -> bool:
        """Delete the selected grids (children before parents); their area becomes a gap
        to draw a new grid in."""
        from ..core.editing.commands import delete_grid

        ids = self._selected_grids()
        if not ids:
            self.edit.refused.emit(self.tr("Select the grids to delete first."))
            return False
        plan = self.document.plan
        depth = {g: plan.level_index(str(plan.grids.at[g, "level"])) for g in ids}
        ids = sorted(ids, key=lambda g: -depth[g])
        return self.edit.push([lambda p, g=g: delete_grid(p, g) for g in ids],
                              self.tr("Delete %n grid(s)", "", len(ids)), kinds=("invalid", "overlap", "outside", "nesting"))

    def batch_assign_dialog(self):
        from .edit_dialogs import BatchAssignDialog

        ids = self._selected_grids()
        if not ids:
            self.edit.refused.emit(self.tr("Select the grids first (Shift-click or drag a box)."))
            return None
        dlg = BatchAssignDialog(self.document.plan, ids, self.edit.lang(), self)
        dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        dlg.accepted.connect(lambda: self.batch_assign(ids, **dlg.result_values()))
        self.batch_dialog = dlg
        dlg.open()
        return dlg

    def batch_assign(self, grids, role: str, person: int | None = None, unit: int | None = None, duty: str = "",
                     replace: bool = False) -> bool:
        """Give several grids the same person or unit in one role (one undo step)."""
        from ..core.editing.commands import batch_assign, remove_role

        grids = [int(g) for g in grids]
        steps = []
        if replace:
            steps.append(lambda p: [remove_role(p, int(r)) for r in
                                    p.roles.index[p.roles["grid"].isin(grids) & (p.roles["role"] == role)]])
        steps.append(lambda p: batch_assign(p, grids, role, person=person, unit=unit, duty=duty))
        return self.edit.push(steps, self.tr("Assign to %n grid(s)", "", len(grids)), kinds=())

    def edit_options_dialog(self):
        from .edit_dialogs import EditOptionsDialog

        dlg = EditOptionsDialog(self.edit, self)
        dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        self.options_dialog = dlg
        dlg.open()
        return dlg

    def split_roads_dialog(self) -> None:
        self.docks["segments"].show()
        self.docks["segments"].raise_()
        self.ensure_panel("segments")
        self.segments.refresh_layers()
        self.segments.road_layer.setFocus()

    def propose_grids_dialog(self):
        """The "propose grids" tool (智能划分, :mod:`gridmap.ui.propose_dialog`)."""
        from .propose_dialog import ProposeDialog

        dlg = getattr(self, "propose_dialog", None)
        if dlg is None:
            dlg = self.propose_dialog = ProposeDialog(self)
        else:
            dlg.refresh()
            if dlg._paint not in self.canvas.overlays:
                self.canvas.overlays.append(dlg._paint)
        dlg.show()
        dlg.raise_()
        return dlg

    def load_places_dialog(self) -> None:
        self.docks["segments"].show()
        self.docks["segments"].raise_()
        self.ensure_panel("segments")
        self.segments.refresh_layers()
        self.segments.place_layer.setFocus()

    # ================================================================== checks and export

    def _on_problem(self, problem: dict) -> None:
        plan = self.document.plan if self.document else None
        geom = problem.get("geometry")
        grids = [g for g in problem.get("grids", []) if plan is not None and g in plan.grids.index]
        if grids:
            self.document.set_selection(grids)
        if geom is not None and not shapely.is_empty(geom):
            self.canvas.zoom_to(tuple(shapely.bounds(geom)), margin=0.3, min_size=60.0)
            self.canvas.set_highlight([geom])
        elif grids:
            self.zoom_to_selection()

    def open_manual(self):
        """Help → User manual: the README (beside the program in a bundle), in the system's viewer."""
        from ..core.locations import manual_path

        path = manual_path()
        if path is None:
            self.status.showMessage(self.tr("The manual was not found."), 10000)
            return None
        self._open_local(path)
        return path

    def open_sample(self) -> None:
        """Help → Open the sample plan (the user's copy when installed)."""
        self.open_path(sample_plan_path())

    def _open_local(self, path) -> None:
        from PySide6.QtCore import QUrl
        from PySide6.QtGui import QDesktopServices

        QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))

    def assessment_dialog(self):
        """考核与台账: monthly scores, rankings, rules and the work ledger (issue 18)."""
        if self.document is None:
            return None
        from .assessment_dialog import AssessmentDialog

        dlg = AssessmentDialog(self.document, self)
        dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        dlg.open()
        return dlg

    def about(self) -> None:
        QMessageBox.about(self, self.tr("About gridmap"), self.tr(
            "<b>gridmap %1</b><br>Desktop GIS for urban grid management (城市网格化管理).<br><br>"
            "Sample base map: © OpenStreetMap contributors, ODbL.").replace("%1", __version__))

    def _ask_conflict(self, path: Path, message: str) -> QMessageBox:
        """The file changed on disk since it was opened: never overwrite silently — offer
        overwrite, save as, reload (losing this window's changes) or cancel.  Non-blocking."""
        box = QMessageBox(QMessageBox.Icon.Warning, self.tr("The plan file has changed"),
                          message + "\n\n" + self.tr("Overwrite it with this window's plan, save this plan under "
                                                      "another name, or reload the file (this window's changes are "
                                                      "lost)?"), QMessageBox.StandardButton.Cancel, self)
        overwrite = box.addButton(self.tr("Overwrite"), QMessageBox.ButtonRole.DestructiveRole)
        save_as = box.addButton(self.tr("Save As…"), QMessageBox.ButtonRole.AcceptRole)
        reload = box.addButton(self.tr("Reload"), QMessageBox.ButtonRole.ResetRole)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)

        def answered(*_):
            clicked = box.clickedButton()
            self.conflict_box = None
            if clicked is overwrite:
                self._save_to(path, force=True, wait=False)   # in the background (the box is going away)
            elif clicked is save_as:
                self.save_as()
            elif clicked is reload:
                self.document.buffer.set_clean()      # the user chose to drop this window's changes
                self.open_path(path)
        box.finished.connect(answered)
        box.open()
        self.conflict_box = box
        return box

    def _take_lock(self, doc: PlanDocument) -> None:
        """Note this window in the project's lock file; tell the user when another live
        gridmap (on this or another computer) has the same plan open."""
        if doc.path is None:
            return
        holder = project_lock.other_holder(doc.path)
        if holder is None:
            project_lock.acquire(doc.path)
            return
        doc.read_only = True                           # as office suites do: read-only unless told otherwise
        msg = self.tr("%1 is already open by %2 on %3 since %4. It is opened read-only here: Save As keeps your "
                      "changes in another file. Choose Edit anyway to save into it too (changes saved there are "
                      "detected; nothing is overwritten without asking).").replace("%1", doc.path.name).replace(
            "%2", holder.user).replace("%3", holder.host).replace("%4", holder.time)
        self.status.showMessage(msg, 20000)
        box = self.show_error(self.tr("Plan already open"), msg)
        box.addButton(self.tr("Edit anyway"), QMessageBox.ButtonRole.AcceptRole).clicked.connect(
            lambda *_: self._edit_anyway(doc))
        self.lock_box = box

    def _edit_anyway(self, doc: PlanDocument) -> None:
        """Leave read-only mode for a plan another gridmap holds (its saves are still detected)."""
        if doc is self.document and doc.read_only:
            doc.read_only = False
            self.update_actions()
            self._update_title()

    def _release_lock(self, doc: PlanDocument | None) -> None:
        if doc is not None:
            self._release_lock_path(doc.path)

    @staticmethod
    def _release_lock_path(path) -> None:
        if path is not None:
            project_lock.release(path)

    def show_error(self, title: str, message: str) -> QMessageBox:
        """A window-modal but non-blocking message (never a nested loop of dialogs):
        a second error replaces the first box instead of stacking."""
        self.last_error = message
        old = self.error_box
        if old is not None:
            old.close()
        box = QMessageBox(QMessageBox.Icon.Warning, title, message, QMessageBox.StandardButton.Ok, self)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        box.open()
        self.error_box = box
        box.finished.connect(lambda *a, b=box: setattr(self, "error_box", None) if self.error_box is b else None)
        return box

    def _cancel_jobs(self) -> None:
        self.tasks.cancel_all()
        self.live.cancel()
        self.canvas.cancel_render()
