"""Export (plan formats, map image, print layout) and import dialogs.

Part of the main window (:class:`gridmap.ui.main_window.MainWindow` mixes it in).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QFileDialog

from .actions import vector_filter

__all__ = ["ExchangeDialogsMixin"]


class ExchangeDialogsMixin:
    """Export (plan formats, map image, print layout) and import dialogs."""

    def export_image_dialog(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, QCoreApplication.translate("MainWindow", "Export map image"), self._last_dir(), "PNG (*.png)")
        if path:
            self.export_image(path)

    def export_image(self, path) -> bool:
        """Save the current map view (layers and labels) as a PNG."""
        from ..render import render_layers

        self.canvas.wait_idle(10000)
        img = render_layers(self.canvas.layers, self.canvas.viewport, labels=self.canvas.show_labels,
                            background=self.canvas.background)
        ok = img.save(str(path))
        self.status.showMessage((QCoreApplication.translate("MainWindow", "Exported %1") if ok else QCoreApplication.translate("MainWindow", "Cannot write %1")).replace("%1", str(path)),
                                5000)
        return ok

    def export_plan_dialog(self):
        """Export the plan for other systems: shapefiles, annex tables, GeoPackage, GeoJSON, KML, DXF —
        several at once, with encoding, coordinate system, tables, progress and cancel."""
        if self.document is None:
            return None
        from ..export_dialog import ExportDialog

        dlg = ExportDialog(self)
        dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        dlg.open()
        return dlg

    def export_plan(self, fmt: str, out: str):
        """Export a snapshot of the plan as it is now, in the background: editing may go on."""
        from ...core.exchange.registry import export_plan
        from ...core.workers import PlanSnapshot

        snap, project = PlanSnapshot(self.document.plan), str(self.document.path or "")
        return self.tasks.submit(QCoreApplication.translate("MainWindow", "Exporting…"),
                                 lambda c, p: export_plan(snap.take(), fmt, out, project_path=project or None),
                                 lambda r: self.status.showMessage(QCoreApplication.translate("MainWindow", "Exported to %1").replace("%1", out), 8000),
                                 lambda m: self.show_error(QCoreApplication.translate("MainWindow", "Export"), m))

    def print_layout_dialog(self):
        """The annex map / map book / Word annex / web map, with a live preview."""
        if self.document is None:
            return None
        from ..layout_dialog import LayoutDialog

        dlg = LayoutDialog(self.document.plan, str(self.document.path) if self.document.path else None, self)
        dlg.remember.connect(self._remember_layout_texts)
        dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        dlg.open()
        return dlg

    def template_dialog(self):
        """An annex table from a template (the documents' own tables), previewed, saved as XLSX/CSV."""
        if self.document is None:
            return None
        from ..template_dialog import TemplateDialog

        dlg = TemplateDialog(self.document.plan, str(self.document.path) if self.document.path else None, self,
                             self._last_dir())
        dlg.keep.connect(lambda values: self._push_settings(values, "保存附件表模板 Keep a table template"))
        dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        dlg.open()
        return dlg

    def staffing_dialog(self, grid_id: int | None = None):
        """Staffing quotas (定人定额) per level and per grid (``grid_id``: that grid's row ready to
        edit, from the grid form) with the totals previewed; OK is one undo step."""
        if self.document is None:
            return None
        from ..staffing_dialog import StaffingDialog

        one = grid_id if isinstance(grid_id, int) and not isinstance(grid_id, bool) else None   # not a click's bool
        dlg = StaffingDialog(self.document.plan, self, grid_id=one)
        dlg.apply_settings.connect(self._apply_staffing)
        dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        dlg.open()
        return dlg

    def _push_settings(self, values: dict, text: str) -> None:
        from ...core.editing.layer_commands import set_plan_settings

        if self.document is not None:
            cmd = set_plan_settings(self.document.plan, values, text)
            if cmd is not None:
                self.document.push(cmd)

    def _apply_staffing(self, values: dict) -> None:
        from ...core.editing.layer_commands import set_plan_settings

        if self.document is None:
            return
        cmd = set_plan_settings(self.document.plan, values, "定人定额 Staffing quotas")
        if cmd is not None:
            self.document.push(cmd)

    def _remember_layout_texts(self, values: dict) -> None:
        """Keep the print layout's title and issuing unit in the plan (one undo step, saved with it)."""
        from ...core.editing.layer_commands import set_plan_settings

        if self.document is None:
            return
        cmd = set_plan_settings(self.document.plan, values, "版式文字 Layout texts")
        if cmd is not None:
            self.document.push(cmd)

    def import_dialog(self, path: str | None = None):
        """Import a file: as a base layer (a clean CGCS2000 copy beside the project) or
        as grids of a level with a field mapping (one undo step)."""
        if self.document is None:
            return None
        if not path:
            path, _ = QFileDialog.getOpenFileName(self, QCoreApplication.translate("MainWindow", "Import file"), self._last_dir(),
                                                  vector_filter("*.xlsx *.zip *.kmz"))
        if not path:
            return None
        self._remember_dir(path)
        from ..import_dialog import ImportDialog

        try:
            dlg = ImportDialog(path, self.document.plan, self)
        except Exception as exc:  # the readers' messages name the file and the problem
            self.show_error(QCoreApplication.translate("MainWindow", "Import"), str(exc))
            return None
        dlg.accepted.connect(lambda: self.import_file(dlg.spec()))
        dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        dlg.open()
        return dlg

    def import_file(self, spec):
        """Carry out an :class:`~gridmap.ui.import_dialog.ImportSpec` in the background: reading,
        checking and converting the file run in the worker (the status bar shows progress, its
        Cancel stops the reading between chunks), then the grids are added as one undo step (or
        the clean copy is added as a base layer).  Returns the task (falsy if nothing started);
        editing may go on meanwhile: the grids read are added to the plan as it is then."""
        from ...core.workers import PlanSnapshot, job

        doc = self.document
        if doc is None:
            return None
        label = QCoreApplication.translate("MainWindow", "Importing %1…").replace("%1", Path(spec.path).name)
        if spec.as_grids:
            from ...core.exchange.importing import grids_with_layer

            snap = PlanSnapshot(doc.plan)
            before = set(doc.plan.grids.index.tolist())

            def work(cancelled, progress):
                with job(cancelled, progress):
                    plan = snap.take()
                    table, notes = grids_with_layer(plan, spec.path, spec.level, spec.mapping, spec.layer,
                                                    encoding=spec.encoding, crs=spec.crs)
                    return table[~table.index.isin(list(before))], notes

            def adopt(result):
                new, notes = result
                if self.document is not doc:
                    return
                from ...core.editing.commands import ReplaceTable
                from ...core.exchange.importing import grids_onto

                table, more = grids_onto(doc.plan, new)
                self.document.push(ReplaceTable(QCoreApplication.translate("MainWindow", "Import grids"), "grids", table))
                self.status.showMessage("; ".join([*notes, *more]), 15000)
        else:
            from ...core.exchange.importing import convert_to_gpkg

            folder = (doc.project_dir or Path(self._last_dir())) / "imported"

            def work(cancelled, progress):
                with job(cancelled, progress):
                    out, report = convert_to_gpkg(spec.path, folder, spec.layer, encoding=spec.encoding, crs=spec.crs)
                if cancelled():                     # too late to stop the writing: the copy goes again
                    out.unlink(missing_ok=True)
                return out, report

            def adopt(result):
                out, report = result
                self.add_base_layer("vector", str(out), name=Path(spec.path).stem, layer=out.stem)
                self.status.showMessage(" ".join(report.lines()[1:]), 15000)

        def failed(msg):
            self.show_error(QCoreApplication.translate("MainWindow", "Import"), msg)

        def cancelled():
            self.status.showMessage(QCoreApplication.translate("MainWindow", "Import cancelled; nothing was added."),
                                    8000)

        return self.tasks.submit(label, work, adopt, failed, cancelled)
