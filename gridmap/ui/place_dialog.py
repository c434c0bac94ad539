"""The place form (场所责任人): a place — a 社区城管服务站, a 小区 (物业/楼长), a 门前三包 shop
(its owner) — gets its responsible person from the roster, with post and phone.

Opened from the identify panel (识别结果: a place of the plan → 设置场所责任人…, or a double
click).  The person is picked from the plan's people (searchable by name, post or phone) or
typed: a new name adds the person.  Post and phone edit the person's record.  OK is one undo
step through :meth:`gridmap.ui.editing.EditController.push`; the ``place_no_person`` rule reads
the result.
"""

from __future__ import annotations

import pandas as pd
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QComboBox, QCompleter, QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit,
                               QVBoxLayout)

from ..core.editing import commands as C

__all__ = ["PlaceDialog", "open_place_dialog"]


def _text(v) -> str:
    if v is None or (not isinstance(v, str) and pd.isna(v)):
        return ""
    return str(v)


class PlaceDialog(QDialog):
    """Edit one place's name, kind, address and responsible person (with post and phone)."""

    def __init__(self, controller, plan, place_id: int, parent=None):
        super().__init__(parent)
        self.ctl, self.plan, self.pid = controller, plan, int(place_id)
        row = plan.places.loc[self.pid]
        self.setWindowTitle(self.tr("Place and its responsible person"))
        self.resize(520, 320)
        self.name = QLineEdit(_text(row["name"]))
        self.kind = QComboBox()
        self.kind.setEditable(True)
        kinds = ["小区", "门前三包", "社区城管服务站", "商铺", "学校", "市场"]
        kinds += [k for k in dict.fromkeys(plan.places["kind"].fillna("").astype(str)) if k and k not in kinds]
        self.kind.addItems(kinds)
        self.kind.setEditText(_text(row["kind"]))
        self.address = QLineEdit(_text(row["address"]))
        g = row["grid"]
        grid = ""
        if not pd.isna(g) and int(g) in plan.grids.index:
            grid = f"{_text(plan.grids.at[int(g), 'code'])} {_text(plan.grids.at[int(g), 'name'])}".strip()
        self.grid = QLabel(grid or self.tr("(not in a grid)"))
        self.person = QComboBox()
        self.person.setObjectName("place_person")
        self.person.setEditable(True)
        self.person.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        comp = self.person.completer()
        comp.setFilterMode(Qt.MatchFlag.MatchContains)
        comp.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        comp.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.person.addItem(self.tr("(none)"), None)
        p = plan.people
        for pid, name, post, phone in zip(p.index, p["name"], p["post"], p["phone"]):
            label = " · ".join(x for x in (_text(name), _text(post), _text(phone)) if x)
            self.person.addItem(label, int(pid))
        self.person.lineEdit().setPlaceholderText(self.tr("Pick from the roster or type a new name"))
        self.post = QLineEdit()
        self.post.setPlaceholderText(self.tr("e.g. 物业经理, 楼长, 店主"))
        self.phone = QLineEdit()
        self.phone.setObjectName("place_phone")
        cur = row["person"] if "person" in row.index else pd.NA
        self.person.setCurrentIndex(self.person.findData(int(cur)) if not pd.isna(cur) and int(cur) in p.index
                                    else 0)
        self.person.currentIndexChanged.connect(self._person_changed)
        self._person_changed()
        form = QFormLayout()
        form.addRow(self.tr("Name"), self.name)
        form.addRow(self.tr("Kind"), self.kind)
        form.addRow(self.tr("Address"), self.address)
        form.addRow(self.tr("Grid"), self.grid)
        form.addRow(self.tr("Responsible person"), self.person)
        form.addRow(self.tr("Post"), self.post)
        form.addRow(self.tr("Phone"), self.phone)
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #c00000")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.apply)
        self.buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addLayout(form)
        lay.addWidget(self.error)
        lay.addWidget(self.buttons)

    def _chosen(self):
        """The person id shown, "new" for a typed name not in the roster, or None."""
        idx = self.person.currentIndex()
        text = self.person.currentText().strip()
        if idx >= 0 and self.person.itemText(idx) == self.person.currentText():
            return self.person.itemData(idx)
        if not text or text == self.tr("(none)"):
            return None
        hit = self.person.findText(text, Qt.MatchFlag.MatchExactly)
        if hit >= 0:
            return self.person.itemData(hit)
        same = self.plan.people.index[self.plan.people["name"].astype(str) == text]
        return int(same[0]) if len(same) else "new"

    def _person_changed(self, *_a) -> None:
        pid = self._chosen()
        if isinstance(pid, int) and pid in self.plan.people.index:
            self.post.setText(_text(self.plan.people.at[pid, "post"]))
            self.phone.setText(_text(self.plan.people.at[pid, "phone"]))
        elif pid is None:
            self.post.clear()
            self.phone.clear()

    def steps(self) -> list:
        """The edit steps of what the form shows (empty: nothing changed)."""
        plan, pid = self.plan, self.pid
        row = plan.places.loc[pid]
        steps: list = []
        values = {}
        for col, text in (("name", self.name.text().strip()), ("kind", self.kind.currentText().strip()),
                          ("address", self.address.text().strip())):
            if text != _text(row[col]):
                values[col] = text
        who = self._chosen()
        post, phone = self.post.text().strip(), self.phone.text().strip()
        old = row["person"] if "person" in row.index else pd.NA
        if who == "new":
            from ..core.staffing import preset_category

            add = C.AddRow("新增人员 Add person", "people", dict(
                name=self.person.currentText().strip(), post=post, unit=None, phone=phone, notes="",
                category=preset_category(post)))
            steps.append(lambda p, a=add: a)
            steps.append(lambda p, a=add: C.SetCells("场所 Place", "places", pid, {**values, "person": int(a.new_id)}))
            return steps
        if who is None:
            if not pd.isna(old):
                values["person"] = None
        else:
            if pd.isna(old) or int(old) != int(who):
                values["person"] = int(who)
            change = {}
            if post != _text(plan.people.at[int(who), "post"]):
                change["post"] = post
            if phone != _text(plan.people.at[int(who), "phone"]):
                change["phone"] = phone
            if change:
                steps.append(lambda p, w=int(who), c=change: C.SetCells("人员 Person", "people", w, c))
        if values:
            steps.insert(0, lambda p, v=values: C.SetCells("场所 Place", "places", pid, v))
        return steps

    def apply(self) -> bool:
        steps = self.steps()
        if not steps:
            self.accept()
            return True
        name = self.name.text().strip() or f"#{self.pid}"
        if self.ctl.push(steps, self.tr("Set the responsible person of %1").replace("%1", name), kinds=()):
            self.accept()
            return True
        self.error.setText(self.ctl.last_error or "")
        return False


def open_place_dialog(window, place_id: int):
    """The place form of a window's plan (from the identify panel); None without a plan or place."""
    doc = window.document
    if doc is None or int(place_id) not in doc.plan.places.index:
        return None
    dlg = PlaceDialog(window.edit, doc.plan, int(place_id), window)
    dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
    dlg.open()
    return dlg
