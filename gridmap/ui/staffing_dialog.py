"""Staffing quotas (定人定额): a quota per level, the totals table and the grids off
their quota, previewed while typing; OK sets the quotas as one undo step.

The dialog only displays and dispatches: parsing, counting and totals are in
:mod:`gridmap.core.staffing`; the change goes through the edit buffer
(:func:`gridmap.core.editing.layer_commands.set_plan_settings`).
"""

from __future__ import annotations

import copy

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (QDialog, QDialogButtonBox, QFormLayout, QGroupBox, QHeaderView, QLabel, QLineEdit,
                               QTableWidget, QTableWidgetItem, QVBoxLayout)

from ..core import staffing as S

from .editing import bilingual  # noqa: E402
from .i18n import current_language  # noqa: E402

__all__ = ["StaffingDialog"]


class StaffingDialog(QDialog):
    """Edit the staffing quota of every level of the plan with a live preview."""

    apply_settings = Signal(dict)      # {setting key: text or None}

    def __init__(self, plan, parent=None):
        super().__init__(parent)
        self.plan = plan
        self.setWindowTitle(self.tr("Staffing quotas"))
        self.resize(820, 600)
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
        lay.addWidget(self.help)
        lay.addWidget(self.error)
        lay.addWidget(QLabel(self.tr("Staffing totals (quota × grids = required; present):")))
        lay.addWidget(self.table, 1)
        lay.addWidget(self.sentence)
        lay.addWidget(self.findings)
        lay.addWidget(self.buttons)
        self._preview()

    def _values(self) -> dict:
        """The quota settings the texts give (raises StaffingError on a bad text)."""
        settings = dict(self.plan.settings)
        for key, e in self.edits.items():
            settings = S.set_quota(settings, e.text(), level=key)
        return {S.QUOTA_PREFIX + k: settings.get(S.QUOTA_PREFIX + k) for k in self.edits}

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
        self.table.clear()
        self.table.setColumnCount(len(totals.columns))
        self.table.setRowCount(len(totals))
        self.table.setHorizontalHeaderLabels([str(c) for c in totals.columns])
        for i, row in enumerate(totals.itertuples(index=False)):
            for j, v in enumerate(row):
                self.table.setItem(i, j, QTableWidgetItem(str(v)))
        self.sentence.setText(sentence)
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
