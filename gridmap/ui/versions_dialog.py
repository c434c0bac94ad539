"""方案 → 版本… : the plan's named versions (save, list, restore, delete, save as a plan file)
and the compare view (two versions, a version and the working plan, or the working plan and
another plan file): the changes listed, a click zooms the map to a change and marks it, the
变更对照表 (XLSX/DOCX/CSV) and the change map (PDF/PNG) exported.

The dialog only displays and dispatches: versions are kept and compared by
:mod:`gridmap.core.versions`; saving, deleting and restoring a version are undoable
commands pushed through the document (one undo step each)."""

from __future__ import annotations

import time
from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QDialog, QDialogButtonBox, QFileDialog, QFormLayout,
                               QGroupBox, QHBoxLayout, QHeaderView, QLabel, QLineEdit, QMessageBox, QPushButton,
                               QTableWidget, QTableWidgetItem, QVBoxLayout)

from ..core.versions import store as V

__all__ = ["VersionsDialog", "WORKING"]

WORKING = "__working__"        # the working plan in the compare pickers
OTHER_FILE = "__file__"        # another plan file


def _tr(text: str) -> str:
    return QCoreApplication.translate("VersionsDialog", text)


def _table_names() -> dict:
    return {"grids": QCoreApplication.translate("VersionsDialog", "grids"), "units": QCoreApplication.translate("VersionsDialog", "units"), "people": QCoreApplication.translate("VersionsDialog", "people"), "roles": QCoreApplication.translate("VersionsDialog", "roles"),
            "segments": QCoreApplication.translate("VersionsDialog", "segments"), "places": QCoreApplication.translate("VersionsDialog", "places"), "base_layers": QCoreApplication.translate("VersionsDialog", "base maps"),
            "jurisdiction": QCoreApplication.translate("VersionsDialog", "jurisdiction")}


def summary_text(summary: str) -> str:
    """A version's stored summary ("grids +2 −1 ~11, roles ~13") in the UI language."""
    names = _table_names()
    out = []
    for part in str(summary or "").split(", "):
        head, _, rest = part.partition(" ")
        out.append((names.get(head, head) + (" " + rest if rest else "")) if part != "-" else "-")
    return "，".join(out)


class VersionsDialog(QDialog):
    """Versions of the window's plan and the compare view."""

    def __init__(self, window, parent=None):
        super().__init__(parent or window)
        self.setObjectName("VersionsDialog")
        self.win = window
        self.result_diff: dict | None = None
        self.running = None
        self._old_plan = self._new_plan = None
        self._labels = ("", "")
        self.compare_window = None
        self.map_task = None
        self._other_path = ""
        self.resize(980, 720)
        lay = QVBoxLayout(self)

        # the versions
        self.table = QTableWidget(0, 6, self)
        self.table.setObjectName("versions_table")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.versions_box = QGroupBox(self)
        vb = QVBoxLayout(self.versions_box)
        vb.addWidget(self.table)
        row = QHBoxLayout()
        self.restore_button = QPushButton(self)
        self.restore_button.clicked.connect(lambda: self.restore_selected())
        self.delete_button = QPushButton(self)
        self.delete_button.clicked.connect(lambda: self.delete_selected())
        self.extract_button = QPushButton(self)
        self.extract_button.clicked.connect(lambda: self.extract_selected())
        for b in (self.restore_button, self.delete_button, self.extract_button):
            row.addWidget(b)
        row.addStretch(1)
        vb.addLayout(row)
        # a new version
        form = QFormLayout()
        self.name_edit = QLineEdit(self)
        self.name_edit.setObjectName("version_name")
        self.in_force_edit = QLineEdit(self)
        self.in_force_edit.setObjectName("version_in_force")
        self.note_edit = QLineEdit(self)
        self.note_edit.setObjectName("version_note")
        self.name_label, self.in_force_label, self.note_label = QLabel(self), QLabel(self), QLabel(self)
        form.addRow(self.name_label, self.name_edit)
        form.addRow(self.in_force_label, self.in_force_edit)
        form.addRow(self.note_label, self.note_edit)
        vb.addLayout(form)
        self.save_button = QPushButton(self)
        self.save_button.setObjectName("save_version")
        self.save_button.clicked.connect(lambda: self.save_version())
        srow = QHBoxLayout()
        srow.addWidget(self.save_button)
        srow.addStretch(1)
        vb.addLayout(srow)
        lay.addWidget(self.versions_box, 2)

        # compare
        self.compare_box = QGroupBox(self)
        cb = QVBoxLayout(self.compare_box)
        crow = QHBoxLayout()
        self.old_combo, self.new_combo = QComboBox(self), QComboBox(self)
        self.old_combo.setObjectName("compare_old")
        self.new_combo.setObjectName("compare_new")
        self.old_label, self.new_label = QLabel(self), QLabel(self)
        self.compare_button = QPushButton(self)
        self.compare_button.setObjectName("compare")
        self.compare_button.clicked.connect(lambda: self.compare())
        for w in (self.old_label, self.old_combo, self.new_label, self.new_combo, self.compare_button):
            crow.addWidget(w)
        crow.addStretch(1)
        cb.addLayout(crow)
        self.matching_label = QLabel(self)
        self.matching_label.setWordWrap(True)
        cb.addWidget(self.matching_label)
        self.changes = QTableWidget(0, 5, self)
        self.changes.setObjectName("changes_table")
        self.changes.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.changes.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.changes.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.changes.horizontalHeader().setStretchLastSection(True)
        self.changes.itemSelectionChanged.connect(self._zoom_to_change)
        self.changes.cellClicked.connect(lambda *_: self._zoom_to_change())   # a row already selected too
        cb.addWidget(self.changes)
        erow = QHBoxLayout()
        self.table_button = QPushButton(self)
        self.table_button.setObjectName("export_change_table")
        self.table_button.clicked.connect(lambda: self.export_table())
        self.map_button = QPushButton(self)
        self.map_button.setObjectName("export_change_map")
        self.map_button.clicked.connect(lambda: self.export_map())
        self.view_button = QPushButton(self)
        self.view_button.setObjectName("open_compare_view")
        self.view_button.clicked.connect(lambda: self.open_compare_view())
        for b in (self.view_button, self.table_button, self.map_button):
            erow.addWidget(b)
        erow.addStretch(1)
        cb.addLayout(erow)
        lay.addWidget(self.compare_box, 3)

        self.message = QLabel(self)
        self.message.setObjectName("versions_message")
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        lay.addWidget(self.message)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        self.close_button = buttons.button(QDialogButtonBox.StandardButton.Close)
        lay.addWidget(buttons)
        self._overlay = None                 # (old outlines, new outlines, changed areas) as GeomArrays
        self.win.canvas.overlays.append(self._paint_compare)
        self.finished.connect(lambda *_: self._end_compare_view())
        self.retranslate()
        self.refresh()

    # ------------------------------------------------------------------ texts
    def retranslate(self) -> None:
        self.setWindowTitle(QCoreApplication.translate("VersionsDialog", "Plan versions and comparison"))
        self.versions_box.setTitle(QCoreApplication.translate("VersionsDialog", "Versions kept in the project file"))
        self.table.setHorizontalHeaderLabels([QCoreApplication.translate("VersionsDialog", "Version"), QCoreApplication.translate("VersionsDialog", "In force"), QCoreApplication.translate("VersionsDialog", "Author"), QCoreApplication.translate("VersionsDialog", "Saved at"),
                                              QCoreApplication.translate("VersionsDialog", "Note"), QCoreApplication.translate("VersionsDialog", "Changes since the previous version")])
        self.restore_button.setText(QCoreApplication.translate("VersionsDialog", "&Restore as the working plan…"))
        self.delete_button.setText(QCoreApplication.translate("VersionsDialog", "&Delete version"))
        self.extract_button.setText(QCoreApplication.translate("VersionsDialog", "Save version as a plan &file…"))
        self.name_label.setText(QCoreApplication.translate("VersionsDialog", "New version name:"))
        self.in_force_label.setText(QCoreApplication.translate("VersionsDialog", "In force from:"))
        self.note_label.setText(QCoreApplication.translate("VersionsDialog", "Note:"))
        self.name_edit.setPlaceholderText(QCoreApplication.translate("VersionsDialog", "e.g. 2025 adjustment draft"))
        self.in_force_edit.setPlaceholderText(QCoreApplication.translate("VersionsDialog", "YYYY-MM-DD (optional)"))
        self.save_button.setText(QCoreApplication.translate("VersionsDialog", "&Save the present plan as a version"))
        self.compare_box.setTitle(QCoreApplication.translate("VersionsDialog", "Compare (re-issue)"))
        self.old_label.setText(QCoreApplication.translate("VersionsDialog", "Earlier:"))
        self.new_label.setText(QCoreApplication.translate("VersionsDialog", "Later:"))
        self.compare_button.setText(QCoreApplication.translate("VersionsDialog", "&Compare"))
        self.changes.setHorizontalHeaderLabels([QCoreApplication.translate("VersionsDialog", "No."), QCoreApplication.translate("VersionsDialog", "Change"), QCoreApplication.translate("VersionsDialog", "Old grids"), QCoreApplication.translate("VersionsDialog", "New grids"),
                                                QCoreApplication.translate("VersionsDialog", "Area and details")])
        self.table_button.setText(QCoreApplication.translate("VersionsDialog", "Export change &table (XLSX, DOCX, CSV)…"))
        self.map_button.setText(QCoreApplication.translate("VersionsDialog", "Export change &map (PDF, PNG)…"))
        self.view_button.setText(QCoreApplication.translate("VersionsDialog", "Side by side / s&wipe view…"))

    # ------------------------------------------------------------------ the versions
    @property
    def plan(self):
        return self.win.document.plan

    def refresh(self) -> None:
        rows = V.list_versions(self.plan)
        self.table.setRowCount(len(rows))
        for i, r in enumerate(rows.itertuples(index=False)):
            for j, v in enumerate((r.name, r.in_force, r.author, r.created_at, r.note, summary_text(r.summary))):
                it = QTableWidgetItem(str(v or ""))
                if j == 0:
                    it.setData(Qt.ItemDataRole.UserRole, int(r.id))
                self.table.setItem(i, j, it)
        for combo, default in ((self.old_combo, max(0, len(rows) - 1)), (self.new_combo, None)):
            keep = combo.currentData()
            combo.blockSignals(True)
            combo.clear()
            for r in rows.itertuples(index=False):
                combo.addItem(str(r.name), int(r.id))
            combo.addItem(QCoreApplication.translate("VersionsDialog", "Working plan (now)"), WORKING)
            combo.addItem(QCoreApplication.translate("VersionsDialog", "Another plan file…"), OTHER_FILE)
            k = combo.findData(keep) if keep is not None else -1
            if k < 0:
                k = default if default is not None else combo.findData(WORKING)
            combo.setCurrentIndex(k)
            combo.blockSignals(False)
        self._update_buttons()

    def selected_version(self) -> int | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        return int(self.table.item(rows[0].row(), 0).data(Qt.ItemDataRole.UserRole))

    def select_version(self, name) -> None:
        for i in range(self.table.rowCount()):
            if self.table.item(i, 0).text() == str(name):
                self.table.selectRow(i)

    def _update_buttons(self) -> None:
        sel = self.selected_version() is not None
        ro = self.win.document.read_only
        for b in (self.restore_button, self.delete_button):
            b.setEnabled(sel and not ro)
        self.extract_button.setEnabled(sel)
        self.save_button.setEnabled(not ro)
        has = self.result_diff is not None and bool(self.result_diff["changes"] or self.result_diff["people"])
        self.table_button.setEnabled(has)
        self.map_button.setEnabled(has and self.map_task is None)
        self.view_button.setEnabled(self.result_diff is not None)

    def _say(self, text: str, error: bool = False) -> None:
        self.message.setStyleSheet("color: #b00020;" if error else "")
        self.message.setText(text)

    def save_version(self) -> bool:
        """Save the present plan as a version (one undo step); the plan file is saved with it
        when the plan has one (the version is the state being saved)."""
        try:
            cmd = V.save_version_command(self.plan, self.name_edit.text(), in_force=self.in_force_edit.text().strip(),
                                         note=self.note_edit.text())
        except V.VersionError as exc:
            self._say(str(exc), error=True)
            return False
        name = self.name_edit.text().strip()
        self.win.document.push(cmd, QCoreApplication.translate("VersionsDialog", "Save version %1").replace("%1", name))
        saved = self.win.document.path is not None and not self.win.document.read_only and self.win.save()
        self.refresh()
        self.select_version(name)
        from .shared_session import session_of

        if session_of(self.win) is not None:
            text = QCoreApplication.translate("VersionsDialog", "Saved version %1; it is being written to the server.")
        elif saved:
            text = QCoreApplication.translate("VersionsDialog", "Saved version %1 in the project file.")
        else:
            text = QCoreApplication.translate("VersionsDialog", "Saved version %1; save the plan to keep it in the file.")
        self._say(text.replace("%1", name))
        self.name_edit.clear()
        self.note_edit.clear()
        self.in_force_edit.clear()
        return True

    def restore_selected(self, confirm: bool = True) -> bool:
        """Make the selected version the working plan (one undo step; a present state that is in
        no version is kept as a version first, in the same step)."""
        from ..core.editing.commands import Macro

        vid = self.selected_version()
        if vid is None:
            return False
        name = self.table.item(self.table.currentRow(), 0).text()
        if confirm and QMessageBox.question(
                self, QCoreApplication.translate("VersionsDialog", "Restore version"),
                QCoreApplication.translate("VersionsDialog", "Make version %1 the working plan? The present plan is kept as a version if it is in none; "
                    "Undo takes the restore back.").replace("%1", name)) != QMessageBox.StandardButton.Yes:
            return False
        try:
            version = V.load_version(self.plan, vid)
            restore = V.restore_command(self.plan, version)
        except V.VersionError as exc:
            self._say(str(exc), error=True)
            return False
        if restore is None:
            self._say(QCoreApplication.translate("VersionsDialog", "The working plan is the same as version %1.").replace("%1", name))
            return True
        cmds = []
        kept = ""
        if len(V.versions_of(self.plan)) and not V.in_a_version(self.plan):
            kept = time.strftime("恢复前自动保存 %Y-%m-%d %H:%M:%S")
            cmds.append(V.save_version_command(self.plan, kept, note="restore"))
        self.win.document.push(Macro(QCoreApplication.translate("VersionsDialog", "Restore version %1").replace("%1", name), cmds + [restore]))
        self.refresh()
        self._say(QCoreApplication.translate("VersionsDialog", "Version %1 is the working plan (not yet saved to the file; Undo takes it back).").replace("%1", name)
                  + (" " + QCoreApplication.translate("VersionsDialog", "The plan before was kept as version %1.").replace("%1", kept) if kept else ""))
        return True

    def delete_selected(self, confirm: bool = True) -> bool:
        vid = self.selected_version()
        if vid is None:
            return False
        name = self.table.item(self.table.currentRow(), 0).text()
        if confirm and QMessageBox.question(self, QCoreApplication.translate("VersionsDialog", "Delete version"), QCoreApplication.translate("VersionsDialog", "Delete version %1? The other versions stay as they are.")
                                            .replace("%1", name)) != QMessageBox.StandardButton.Yes:
            return False
        try:
            cmd = V.delete_version_command(self.plan, vid)
        except V.VersionError as exc:
            self._say(str(exc), error=True)
            return False
        self.win.document.push(cmd, QCoreApplication.translate("VersionsDialog", "Delete version %1").replace("%1", name))
        self.refresh()
        self._say(QCoreApplication.translate("VersionsDialog", "Deleted version %1 (Undo takes it back).").replace("%1", name))
        return True

    def extract_selected(self, path: str | None = None) -> bool:
        """Write the selected version as a plan file of its own (to open read-only, to share)."""
        from ..core.storage import save_plan

        vid = self.selected_version()
        if vid is None:
            return False
        name = self.table.item(self.table.currentRow(), 0).text()
        if path is None:
            path, _ = QFileDialog.getSaveFileName(self, QCoreApplication.translate("VersionsDialog", "Save version as a plan file"),
                                                  str(Path(self.win._last_dir()) / f"{name}.gpkg"), "GeoPackage (*.gpkg)")
            if not path:
                return False
        if not str(path).lower().endswith(".gpkg"):
            path = f"{path}.gpkg"
        try:
            save_plan(V.load_version(self.plan, vid), path, force=True)
        except Exception as exc:
            self._say(str(exc), error=True)
            return False
        self._say(QCoreApplication.translate("VersionsDialog", "Version %1 written to %2.").replace("%1", name).replace("%2", str(path)))
        return True

    # ------------------------------------------------------------------ compare
    def _source_of(self, combo: QComboBox, path: str | None):
        """What to compare on one side: ("working", None) / ("file", path) / ("version", id), and its label."""
        data = combo.currentData()
        if data == WORKING:
            return ("working", None), QCoreApplication.translate("VersionsDialog", "Working plan (now)")
        if data == OTHER_FILE:
            if path is None:
                path, _ = QFileDialog.getOpenFileName(self, QCoreApplication.translate("VersionsDialog", "Plan file to compare"),
                                                      self.win._last_dir(), "GeoPackage (*.gpkg)")
            if not path:
                return None, ""
            return ("file", str(path)), Path(path).name
        return ("version", int(data)), combo.currentText()

    def compare(self, path: str | None = None):
        """Compare the two chosen plans in the background (the window stays usable; ``path``: the other
        plan file, if one is chosen) and list the changes when done (:attr:`result_diff`)."""
        from ..core.workers import PlanSnapshot

        (old_src, old_label), (new_src, new_label) = self._source_of(self.old_combo, path), self._source_of(self.new_combo, path)
        if old_src is None or new_src is None:
            return None
        both_ours = old_src[0] != "file" and new_src[0] != "file"
        snap = PlanSnapshot(self.plan)

        def side(src, plan):
            from ..core.storage import open_plan

            kind, arg = src
            if kind == "working":
                return plan
            if kind == "file":
                return open_plan(arg)
            return V.load_version(plan, arg)

        def work(cancelled, progress):
            from ..core.versions.diff import diff_plans

            plan = snap.take()
            old, new = side(old_src, plan), side(new_src, plan)
            d = diff_plans(old, new, shared=True if both_ours else None, old_label=old_label, new_label=new_label)
            return old, new, d

        def done(result):
            self.compare_button.setEnabled(True)
            old, new, d = result
            self._old_plan, self._new_plan, self.result_diff = old, new, d
            self._labels = (old_label, new_label)
            self._show_diff(d, old_label, new_label)
            self._set_overlay(old, new, d)
            self._say("")

        def failed(msg):
            self.compare_button.setEnabled(True)
            self._say(msg, error=True)

        self.compare_button.setEnabled(False)
        self._say(QCoreApplication.translate("VersionsDialog", "Comparing…"))
        self.running = self.win.tasks.submit(QCoreApplication.translate("VersionsDialog", "Comparing plans…"), work, done,
                                             failed, lambda: failed(""))
        return self.running

    def _show_diff(self, d: dict, old_label: str, new_label: str) -> None:
        from ..core.versions.diff import TYPE_LABELS
        from ..core.messages import language

        en = language() == "en"
        m = d["matching"]
        how = (QCoreApplication.translate("VersionsDialog", "matched by lineage (shared history)") if m["method"] == "lineage" else
               QCoreApplication.translate("VersionsDialog", "matched by code (%1), then by area overlap (%2)").replace("%1", str(m.get("by_code", 0)))
               .replace("%2", str(m.get("by_overlap", 0))))
        s = d["summary"]
        counts = "，".join(f"{TYPE_LABELS[k][1 if en else 0]} {v}" for k, v in s.items() if k in TYPE_LABELS and v)
        people = QCoreApplication.translate("VersionsDialog", "%1 grid(s) with people changed").replace("%1", str(s.get("people", 0)))
        self.matching_label.setText(f"{old_label} → {new_label}：{how}。" + (counts or QCoreApplication.translate("VersionsDialog", "no grid changed")) + "；" + people)
        rows = [(c, TYPE_LABELS[c["type"]][1 if en else 0]) for c in d["changes"]]
        rows += [({"type": "people", "old": [e["old_grid"]] if e["old_grid"] else [], "new": [e["grid"]] if e["grid"] else [],
                   "detail": e["detail"], "area_m2": None, "_people": True}, QCoreApplication.translate("VersionsDialog", "People")) for e in d["people"]]
        self.changes.setRowCount(len(rows))
        self._change_rows = []
        for i, (c, kind) in enumerate(rows):
            area = f"{c['area_m2']:,.1f} m²  " if c.get("area_m2") is not None else ""
            vals = (str(i + 1), kind, "、".join(g["name"] or g["code"] for g in c["old"]),
                    "、".join(g["name"] or g["code"] for g in c["new"]), area + c["detail"])
            for j, v in enumerate(vals):
                self.changes.setItem(i, j, QTableWidgetItem(v))
            self._change_rows.append(c)
        self._update_buttons()

    # ------------------------------------------------------------------ the compare view on the map
    def _set_overlay(self, old, new, d) -> None:
        """The compare view on the window's map: the earlier plan's boundaries of the changed grids dashed,
        the later plan's solid, the changed areas hatched (until the dialog closes)."""
        from .compare_view import change_overlay

        self._overlay = change_overlay(old, new, d)
        self.win.canvas.update()

    def _paint_compare(self, painter, vp) -> None:
        from .compare_view import paint_changes

        paint_changes(painter, vp, self._overlay)

    def open_compare_view(self, mode: str = "side"):
        """The two compared plans in a window of their own, side by side or swiped (:mod:`.compare_view`)."""
        from .compare_view import CompareView

        if self.result_diff is None:
            return None
        if self.compare_window is not None:
            self.compare_window.close()
        texts = [[self.changes.item(i, j).text() if self.changes.item(i, j) else "" for j in range(5)]
                 for i in range(self.changes.rowCount())]
        texts = [[t[0], t[1], t[2], t[3]] for t in texts]
        w = CompareView(self._old_plan, self._new_plan, self.result_diff, self._labels[0], self._labels[1],
                        self._change_rows, texts, base_layers=self.win.canvas.layers,
                        viewport=self.win.canvas.viewport, parent=self.win)
        w.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        w.destroyed.connect(lambda *_: setattr(self, "compare_window", None))
        w.set_mode(mode)
        w.show()
        self.compare_window = w
        return w

    def _end_compare_view(self) -> None:
        self._overlay = None
        if self._paint_compare in self.win.canvas.overlays:
            self.win.canvas.overlays.remove(self._paint_compare)
        self.win.canvas.set_highlight(None)

    def change_geometry(self, row: int):
        """The geometry of change ``row`` (its area, or the grids it names)."""
        import shapely

        d = self.result_diff
        if d is None or row < 0:
            return None
        if row < len(d["changes"]):
            g = d["_geometries"][row]
            if g is not None and not g.is_empty:
                return g
        c = self._change_rows[row]
        geoms = [self._new_plan.grids.geometry[x["id"]] for x in c["new"] if x["id"] in self._new_plan.grids.index]
        geoms += [self._old_plan.grids.geometry[x["id"]] for x in c["old"] if x["id"] in self._old_plan.grids.index]
        return shapely.union_all(geoms) if geoms else None

    def _zoom_to_change(self) -> None:
        rows = self.changes.selectionModel().selectedRows()
        if not rows:
            return
        g = self.change_geometry(rows[0].row())
        if g is None:
            return
        self.win.canvas.zoom_to(g.bounds, margin=0.4, min_size=100.0)
        self.win.canvas.set_highlight([g])

    def _target(self, caption: str, filters: str, default: str, path: str | None) -> str:
        if path is None:
            path, _ = QFileDialog.getSaveFileName(self, caption, str(Path(self.win._last_dir()) / default), filters)
        return path or ""

    def export_table(self, path: str | None = None) -> str:
        """The 变更对照表 as XLSX, DOCX or CSV (the file dialog asks before replacing a file)."""
        from ..core.versions.outputs import write_change_table

        if self.result_diff is None:
            return ""
        path = self._target(QCoreApplication.translate("VersionsDialog", "Export change table"), "XLSX (*.xlsx);;DOCX (*.docx);;CSV (*.csv)", "变更对照表.xlsx", path)
        if not path:
            return ""
        if Path(path).suffix.lower() not in (".xlsx", ".docx", ".csv"):
            path += ".xlsx"
        try:
            write_change_table(self.result_diff, path)
        except Exception as exc:
            self._say(str(exc), error=True)
            return ""
        self._say(QCoreApplication.translate("VersionsDialog", "Change table written to %1.").replace("%1", str(path)))
        return str(path)

    def export_map(self, path: str | None = None) -> str:
        """The change map (old boundaries dashed, new solid, changed areas hatched) as PDF or PNG, drawn in the
        background (the window stays usable; :attr:`map_task` is the running job). Returns the target path."""
        from ..core.versions.outputs import draw_change_map

        if self.result_diff is None or self.map_task is not None:
            return ""
        path = self._target(QCoreApplication.translate("VersionsDialog", "Export change map"), "PDF (*.pdf);;PNG (*.png)", "变更示意图.pdf", path)
        if not path:
            return ""
        if Path(path).suffix.lower() not in (".pdf", ".png"):
            path += ".pdf"
        old, new, d = self._old_plan, self._new_plan, self.result_diff

        def work(cancelled, progress):
            draw_change_map(old, new, d, path)
            return path

        def finish():
            self.map_task = None
            self._update_buttons()

        def done(result):
            finish()
            self._say(QCoreApplication.translate("VersionsDialog", "Change map written to %1.").replace("%1", str(result)))

        def failed(msg):
            finish()
            self._say(msg, error=True)

        self._say(QCoreApplication.translate("VersionsDialog", "Drawing the change map…"))
        self.map_task = self.win.tasks.submit(QCoreApplication.translate("VersionsDialog", "Drawing the change map…"),
                                              work, done, failed, lambda: failed(""))
        self._update_buttons()
        return str(path)
