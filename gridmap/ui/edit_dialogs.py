"""Dialogs of the editing commands: which grid survives a merge, batch
assignment of a unit or person to several grids, and the editing options."""

from __future__ import annotations

import pandas as pd
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QCheckBox, QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit,
                               QListWidget, QListWidgetItem, QVBoxLayout)

from ..core.crs import areas_m2
from ..core.plan import ROLE_LABELS, ROLES

__all__ = ["MergeDialog", "BatchAssignDialog", "EditOptionsDialog", "role_label"]


def role_label(role: str, lang: str) -> str:
    zh, en = ROLE_LABELS.get(role, (role, role))
    return en if lang == "en" else zh


def grid_title(plan, gid: int) -> str:
    g = plan.grids.loc[gid]
    return " · ".join(x for x in (str(g["code"] or f"#{gid}"), str(g["name"] or "")) if x)


class MergeDialog(QDialog):
    """Pick the grid whose code, name and notes the merged grid keeps."""

    def __init__(self, plan, grids, parent=None):
        super().__init__(parent)
        self.setObjectName("merge_dialog")
        self.setWindowTitle(self.tr("Merge grids"))
        self.grids = [int(g) for g in grids]
        areas = areas_m2(plan.grids.geometry.loc[self.grids].values, plan.crs)
        self.list = QListWidget(self)
        for gid, a in zip(self.grids, areas):
            item = QListWidgetItem(f"{grid_title(plan, gid)}  ({a:,.0f} m²)")
            item.setData(Qt.ItemDataRole.UserRole, gid)
            self.list.addItem(item)
        self.list.setCurrentRow(int(pd.Series(areas).idxmax()) if len(areas) else 0)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.list.itemDoubleClicked.connect(lambda *_: self.accept())
        lay = QVBoxLayout(self)
        lay.addWidget(QLabel(self.tr("The merged grid keeps the code, name and notes of:"), self))
        lay.addWidget(self.list)
        lay.addWidget(buttons)

    def keep(self) -> int:
        item = self.list.currentItem()
        return int(item.data(Qt.ItemDataRole.UserRole)) if item is not None else self.grids[0]

    def choose(self, gid: int) -> None:
        for i in range(self.list.count()):
            if int(self.list.item(i).data(Qt.ItemDataRole.UserRole)) == int(gid):
                self.list.setCurrentRow(i)


class BatchAssignDialog(QDialog):
    """Give several grids the same person or unit in one role."""

    def __init__(self, plan, grids, lang: str = "zh", parent=None):
        super().__init__(parent)
        self.setObjectName("batch_dialog")
        self.setWindowTitle(self.tr("Assign to selected grids"))
        self.plan = plan
        self.grids = [int(g) for g in grids]
        self.role = QComboBox(self)
        for r in ROLES:
            self.role.addItem(role_label(r, lang), r)
        self.who = QComboBox(self)
        self.duty = QLineEdit(self)
        self.replace = QCheckBox(self.tr("Replace who has this role now"), self)
        self.role.currentIndexChanged.connect(self._fill_who)
        form = QFormLayout()
        form.addRow(self.tr("Role"), self.role)
        form.addRow(self.tr("Person or unit"), self.who)
        form.addRow(self.tr("Duty"), self.duty)
        form.addRow("", self.replace)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addWidget(QLabel(self.tr("%n grid(s) selected.", "", len(self.grids)), self))
        lay.addLayout(form)
        lay.addWidget(buttons)
        self.set_role("officer")

    def set_role(self, role: str) -> None:
        self.role.setCurrentIndex(self.role.findData(role))
        self._fill_who()

    def _fill_who(self) -> None:
        role = self.role.currentData()
        self.who.clear()
        if ROLES.get(role) == "person":
            p = self.plan.people
            for pid in p.index:
                extra = str(p.at[pid, "post"] or "")
                self.who.addItem(f"{p.at[pid, 'name']}" + (f" · {extra}" if extra else ""), int(pid))
        else:
            u = self.plan.units
            for uid in u.index:
                self.who.addItem(str(u.at[uid, "name"]), int(uid))

    def set_who(self, row_id: int) -> None:
        self.who.setCurrentIndex(self.who.findData(int(row_id)))

    def result_values(self) -> dict:
        role = self.role.currentData()
        who = self.who.currentData()
        kind = ROLES.get(role)
        return dict(role=role, person=who if kind == "person" else None, unit=who if kind == "unit" else None,
                    duty=self.duty.text().strip(), replace=self.replace.isChecked())


class EditOptionsDialog(QDialog):
    """Snapping distance (pixels) and the widest sliver *fill* closes (metres)."""

    def __init__(self, controller, parent=None):
        from PySide6.QtWidgets import QDoubleSpinBox, QSpinBox

        super().__init__(parent)
        self.setObjectName("edit_options_dialog")
        self.setWindowTitle(self.tr("Editing options"))
        self.ctl = controller
        self.snap_px = QSpinBox(self)
        self.snap_px.setRange(1, 50)
        self.snap_px.setValue(int(controller.snap_px))
        self.snap_px.setSuffix(" px")
        self.fill_width = QDoubleSpinBox(self)
        self.fill_width.setRange(0.1, 100.0)
        self.fill_width.setDecimals(1)
        self.fill_width.setValue(float(controller.fill_width))
        self.fill_width.setSuffix(" m")
        form = QFormLayout()
        form.addRow(self.tr("Snap within"), self.snap_px)
        form.addRow(self.tr("Fill slivers narrower than"), self.fill_width)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addLayout(form)
        lay.addWidget(buttons)
        self.accepted.connect(self.apply)

    def apply(self) -> None:
        self.ctl.set_option("snap_px", int(self.snap_px.value()))
        self.ctl.set_option("fill_width", float(self.fill_width.value()))
