"""Staffing quotas (定人定额): a quota per level and per single grid (which replaces its
level's items of the same name), the totals table and the grids off their quota,
previewed while typing; OK sets the quotas as one undo step.

The dialog only displays and dispatches: parsing, counting and totals are in
:mod:`gridmap.core.staffing`; the change goes through the edit buffer
(:func:`gridmap.core.editing.layer_commands.set_plan_settings`).
"""

from __future__ import annotations

import copy

from PySide6.QtCore import QSignalBlocker, Qt, Signal
from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QCompleter, QDialog, QDialogButtonBox, QFormLayout,
                               QGroupBox, QHBoxLayout, QHeaderView, QLabel, QLineEdit, QPushButton, QTableWidget,
                               QTableWidgetItem, QVBoxLayout)

from ..core import staffing as S

from .editing import bilingual  # noqa: E402
from .i18n import current_language  # noqa: E402

__all__ = ["StaffingDialog"]


class StaffingDialog(QDialog):
    """Edit the staffing quota of every level of the plan with a live preview."""

    apply_settings = Signal(dict)      # {setting key: text or None}

    def __init__(self, plan, parent=None, grid_id: int | None = None):
        super().__init__(parent)
        self.plan = plan
        self.setWindowTitle(self.tr("Staffing quotas"))
        self.resize(900, 760)
        self.edits: dict[str, QLineEdit] = {}
        form = QFormLayout()
        for lv in plan.levels:
            e = QLineEdit(str(plan.settings.get(S.QUOTA_PREFIX + lv.key, "")))
            e.setPlaceholderText(self.tr("e.g. 在编=2；协管=8；城管队员>=2；场所:station=1"))
            e.textChanged.connect(self._preview)
            self.edits[lv.key] = e
            form.addRow(lv.name, e)
        box = QGroupBox(self.tr("Quota per grid of each level"))
        box.setLayout(form)
        # single grids: their own quota replaces the level's items of the same name
        gbox = QGroupBox(self.tr("Quota of single grids (replaces the level's items of the same name)"))
        self.grid_table = QTableWidget(0, 3)
        self.grid_table.setObjectName("grid_quotas")
        self.grid_table.setHorizontalHeaderLabels([self.tr("Grid"), self.tr("Level's quota"),
                                                   self.tr("This grid's quota")])
        self.grid_table.verticalHeader().setVisible(False)
        self.grid_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.grid_table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.grid_table.horizontalHeader().setStretchLastSection(True)
        self.grid_table.setMaximumHeight(150)
        self.grid_table.itemChanged.connect(lambda _i: self._preview())
        self.grid_pick = QComboBox()
        self.grid_pick.setEditable(True)
        self.grid_pick.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        comp = self.grid_pick.completer()
        comp.setFilterMode(Qt.MatchFlag.MatchContains)
        comp.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        level_name = {lv.key: lv.name for lv in plan.levels}
        for gid, code, name, lv in zip(plan.grids.index, plan.grids["code"].astype(str), plan.grids["name"],
                                       plan.grids["level"].astype(str)):
            self.grid_pick.addItem(f"{code} · {name or ''} （{level_name.get(lv, lv)}）", code)
        self.grid_pick.setCurrentIndex(-1)
        self.grid_pick.lineEdit().setPlaceholderText(self.tr("Grid code or name"))
        self.add_grid_button = QPushButton(self.tr("Add grid"))
        self.add_grid_button.clicked.connect(lambda: self.add_grid(self.grid_pick.currentData()))
        self.remove_grid_button = QPushButton(self.tr("Remove selected"))
        self.remove_grid_button.clicked.connect(self.remove_selected_grids)
        row = QHBoxLayout()
        row.addWidget(self.grid_pick, 1)
        row.addWidget(self.add_grid_button)
        row.addWidget(self.remove_grid_button)
        gl = QVBoxLayout(gbox)
        gl.addWidget(self.grid_table)
        gl.addLayout(row)
        self._old_grid_keys = {k for k, v in plan.settings.items()
                               if str(k).startswith(S.QUOTA_PREFIX + "grid.") and str(v).strip()}
        self.help = QLabel(self.tr("An item is NAME=COUNT (exactly), NAME>=COUNT (at least) or NAME<=COUNT (at most); "
                                   "NAME is a role (网格长, 副网格长 …), a category (在编, 协管 …), a post, or a place "
                                   "kind (station); 网格长[协管]=1 counts a 网格长 who is a 协管."))
        self.help.setWordWrap(True)
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #c00000")
        self.sentence = QLabel()
        self.sentence.setWordWrap(True)
        self.table = QTableWidget(0, 0)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.findings = QLabel()
        self.findings.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self._accept)
        self.buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addWidget(box)
        lay.addWidget(gbox)
        lay.addWidget(self.help)
        lay.addWidget(self.error)
        lay.addWidget(QLabel(self.tr("Staffing totals (quota × grids = required; present):")))
        lay.addWidget(self.table, 1)
        lay.addWidget(self.sentence)
        lay.addWidget(self.findings)
        lay.addWidget(self.buttons)
        for key in sorted(self._old_grid_keys):
            self._add_row(key[len(S.QUOTA_PREFIX + "grid."):], str(plan.settings[key]))
        if grid_id is not None and int(grid_id) in plan.grids.index:
            self.add_grid(str(plan.grids.at[int(grid_id), "code"]))
        self._preview()

    # ------------------------------------------------------------------ single grids
    def _grid_codes(self) -> list[str]:
        return [self.grid_table.item(i, 0).data(Qt.ItemDataRole.UserRole) for i in range(self.grid_table.rowCount())]

    def _add_row(self, code: str, text: str = "") -> int:
        g = self.plan.grids
        hit = g.index[g["code"].astype(str) == code]
        with QSignalBlocker(self.grid_table):
            i = self.grid_table.rowCount()
            self.grid_table.insertRow(i)
            missing = self.tr("(no such grid)")
            label = f"{code} · {g.at[hit[0], 'name'] or ''}" if len(hit) else f"{code} {missing}"
            item = QTableWidgetItem(label)
            item.setData(Qt.ItemDataRole.UserRole, code)
            item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
            self.grid_table.setItem(i, 0, item)
            lv = QTableWidgetItem("")
            lv.setFlags(lv.flags() & ~Qt.ItemFlag.ItemIsEditable)
            self.grid_table.setItem(i, 1, lv)
            self.grid_table.setItem(i, 2, QTableWidgetItem(text))
        return i

    def add_grid(self, code) -> int | None:
        """Add a row for the grid with ``code`` (or select its row); its quota starts as the level's."""
        if not code:
            return None
        code = str(code)
        codes = self._grid_codes()
        if code in codes:
            i = codes.index(code)
        else:
            g = self.plan.grids
            hit = g.index[g["code"].astype(str) == code]
            if not len(hit):
                return None
            lv = str(g.at[hit[0], "level"])
            i = self._add_row(code, self.edits[lv].text() if lv in self.edits else "")
        self.grid_table.setCurrentCell(i, 2)
        self._preview()
        return i

    def set_grid_quota(self, code: str, text: str) -> None:
        i = self.add_grid(code)
        if i is not None:
            self.grid_table.item(i, 2).setText(text)

    def remove_selected_grids(self) -> None:
        rows = sorted({ix.row() for ix in self.grid_table.selectedIndexes()}, reverse=True)
        for r in rows:
            self.grid_table.removeRow(r)
        self._preview()

    def _values(self) -> dict:
        """The quota settings the texts give (raises StaffingError on a bad text)."""
        settings = dict(self.plan.settings)
        for key, e in self.edits.items():
            settings = S.set_quota(settings, e.text(), level=key)
        out = {S.QUOTA_PREFIX + k: settings.get(S.QUOTA_PREFIX + k) for k in self.edits}
        grid_keys = set(self._old_grid_keys)
        for i, code in enumerate(self._grid_codes()):
            text = self.grid_table.item(i, 2).text() if self.grid_table.item(i, 2) else ""
            try:
                settings = S.set_quota(settings, text, code=code)
            except S.StaffingError as exc:
                raise S.StaffingError(f"{code}: {exc}") from None
            grid_keys.add(S.QUOTA_PREFIX + "grid." + code)
        for key in grid_keys:
            code = key[len(S.QUOTA_PREFIX + "grid."):]
            out[key] = settings.get(key) if code in self._grid_codes() else None
        return out

    def _preview(self) -> None:
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        try:
            values = self._values()
            trial = copy.copy(self.plan)
            trial.settings = {**{k: v for k, v in self.plan.settings.items() if k not in values},
                              **{k: v for k, v in values.items() if v}}
            totals = S.totals_table(trial)
            found = S.staffing_findings(trial)
            sentence = S.totals_text(trial)
        except S.StaffingError as exc:
            self.error.setText(bilingual(str(exc), current_language()))
            ok.setEnabled(False)
            return
        self.error.setText("")
        ok.setEnabled(True)
        g = self.plan.grids
        with QSignalBlocker(self.grid_table):
            for i, code in enumerate(self._grid_codes()):
                hit = g.index[g["code"].astype(str) == code]
                lv = str(g.at[hit[0], "level"]) if len(hit) else ""
                self.grid_table.item(i, 1).setText(self.edits[lv].text() if lv in self.edits else "")
        self.table.clear()
        self.table.setColumnCount(len(totals.columns))
        self.table.setRowCount(len(totals))
        self.table.setHorizontalHeaderLabels([str(c) for c in totals.columns])
        for i, row in enumerate(totals.itertuples(index=False)):
            for j, v in enumerate(row):
                self.table.setItem(i, j, QTableWidgetItem(str(v)))
        stale = S.stale_grid_quotas(trial)
        self.sentence.setText(sentence + ("\n" + self.tr("Quota of a grid that no longer exists (remove it): %1")
                                          .replace("%1", "、".join(stale)) if stale else ""))
        codes = self.plan.grids["code"].astype(str)
        lines = [f"{codes[f['grid']]} {f['item'].label}: {f['present']}/{f['required']}" for f in found[:8]]
        more = "" if len(found) <= 8 else " …"
        self.findings.setText(self.tr("%n grid item(s) off their quota", "", len(found))
                              + ("：" + "；".join(lines) + more if lines else ""))

    def _accept(self) -> None:
        try:
            values = self._values()
        except S.StaffingError as exc:
            self.error.setText(bilingual(str(exc), current_language()))
            return
        self.apply_settings.emit(values)
        self.accept()
