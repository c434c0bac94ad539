"""Units and people of the plan: searchable, sortable, editable tables.

Selecting a person shows where they are on duty: their grids and street
segments are highlighted on the map (:attr:`PeoplePanel.dutiesRequested`).
The people table also shows each person's roles and the road length they are
responsible for (队员管段).  Adding, editing and deleting are undo steps;
deleting a person or unit also removes their roles (and a person's segments
become unassigned), in the same step.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from PySide6.QtCore import QAbstractTableModel, QEvent, QModelIndex, QSortFilterProxyModel, Qt, Signal
from PySide6.QtWidgets import (QAbstractItemView, QHBoxLayout, QHeaderView, QLineEdit, QPushButton, QTableView,
                               QTabWidget, QVBoxLayout, QWidget)

from ..core.editing import commands as C
from ..core.segments import road_length_by_officer

__all__ = ["FrameModel", "PeoplePanel", "person_rows", "unit_rows"]

SORT_ROLE = Qt.ItemDataRole.UserRole + 1
ID_ROLE = Qt.ItemDataRole.UserRole + 2


def _text(v) -> str:
    if v is None or (not isinstance(v, str) and pd.isna(v)):
        return ""
    return str(v)


def person_rows(plan) -> pd.DataFrame:
    """The people table as shown: name, post, unit name, phone, notes, roles,
    grid codes on duty and road length (m).

    >>> from gridmap.core.plan import Plan
    >>> plan = Plan.new("例", "EPSG:4547", levels="two")
    >>> u = plan.add_unit("城管局"); _ = plan.add_person("张三", unit=u)
    >>> row = person_rows(plan).loc[1]
    >>> row["name"], row["unit_name"], int(row["roles"]), float(row["road_m"])
    ('张三', '城管局', 0, 0.0)
    """
    p = plan.people
    out = pd.DataFrame(index=p.index)
    out["name"] = p["name"]
    out["post"] = p["post"]
    out["category"] = p["category"] if "category" in p else ""
    units = plan.units["name"]
    unit = pd.Series(pd.array(p["unit"], dtype="Int64"), index=p.index)
    out["unit_name"] = unit.map(units).astype(object).where(unit.notna(), "").fillna("").map(_text)
    out["phone"] = p["phone"]
    out["notes"] = p["notes"]
    # vectorised over the roles (a city has tens of thousands): counts and the codes on duty
    r = plan.roles[plan.roles["person"].notna()]
    person = r["person"].astype("int64")
    out["roles"] = person.value_counts().reindex(p.index).fillna(0).astype(int)
    on = r[r["grid"].notna()]
    if len(on):
        g = on["grid"].astype("int64")
        code = g.map(plan.grids["code"]).astype(object)
        code = code.where(code.notna() & (code != ""), "#" + g.astype(str))
        duty = pd.DataFrame({"person": on["person"].astype("int64").to_numpy(), "code": code.map(_text).to_numpy()})
        duty = duty.drop_duplicates().sort_values(["person", "code"])
        joined: dict = {}
        for pid, c in zip(duty["person"].tolist(), duty["code"].tolist()):   # sorted: one pass, no groupby
            joined.setdefault(pid, []).append(c)
        out["grids"] = ["、".join(joined.get(int(i), ())) for i in p.index]
    else:
        out["grids"] = ""
    lengths = road_length_by_officer(plan)
    out["road_m"] = (lengths.reindex(p.index).fillna(0.0).astype(float) if len(lengths)
                     else pd.Series(0.0, index=p.index))
    return out


def unit_rows(plan) -> pd.DataFrame:
    """The units table as shown: name, kind, phone, notes, people and roles counts."""
    u = plan.units
    out = pd.DataFrame(index=u.index)
    for c in ("name", "kind", "phone", "notes"):
        out[c] = u[c]
    pu = plan.people["unit"].dropna().astype(int)
    out["people"] = pu.value_counts().reindex(u.index).fillna(0).astype(int)
    ru = plan.roles["unit"].dropna().astype(int)
    out["roles"] = ru.value_counts().reindex(u.index).fillna(0).astype(int)
    return out


class FrameModel(QAbstractTableModel):
    """A table model over a DataFrame (rows: ids); ``editable`` columns call
    ``on_edit(row id, column, text)``."""

    def __init__(self, columns: list[str], editable=(), on_edit=None, parent=None):
        super().__init__(parent)
        self.columns = list(columns)
        self.headers = list(columns)
        self.editable = set(editable)
        self.on_edit = on_edit
        self.df = pd.DataFrame(columns=self.columns)

    def set_frame(self, df: pd.DataFrame) -> None:
        self.beginResetModel()
        self.df = df
        self.endResetModel()

    def update_frame(self, new: pd.DataFrame) -> None:
        """Show ``new`` row by row: rows gone are removed, new rows appended, changed
        rows get ``dataChanged`` — no reset, so the view keeps its sorting, scroll
        position and selection."""
        old = self.df
        if not len(old) or list(old.columns) != list(new.columns):
            self.set_frame(new)
            return
        gone = old.index.difference(new.index)
        if len(gone):
            pos = np.sort(old.index.get_indexer(gone))
            runs = np.split(pos, np.flatnonzero(np.diff(pos) != 1) + 1)
            for run in reversed(runs):
                self.beginRemoveRows(QModelIndex(), int(run[0]), int(run[-1]))
                keep = np.ones(len(self.df), dtype=bool)
                keep[run] = False
                self.df = self.df[keep]
                self.endRemoveRows()
        kept = self.df.index
        fresh = new.loc[kept]
        a, b = self.df.astype(object), fresh.astype(object)
        differ = ~((a == b) | (a.isna() & b.isna()))
        changed = np.flatnonzero(differ.to_numpy().any(axis=1))
        self.df = fresh
        if len(changed):
            runs = np.split(changed, np.flatnonzero(np.diff(changed) != 1) + 1)
            last = len(self.columns) - 1
            for run in runs:
                self.dataChanged.emit(self.index(int(run[0]), 0), self.index(int(run[-1]), last))
        added = new.index.difference(old.index)
        if len(added):
            n = len(self.df)
            self.beginInsertRows(QModelIndex(), n, n + len(added) - 1)
            self.df = pd.concat([self.df, new.loc[added]])
            self.endInsertRows()

    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.df)

    def columnCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        col = self.columns[index.column()]
        v = self.df.iat[index.row(), self.df.columns.get_loc(col)]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            if isinstance(v, (float, np.floating)):
                return f"{v:,.0f}"
            return _text(v)
        if role == SORT_ROLE:
            return float(v) if isinstance(v, (int, float, np.number)) and not pd.isna(v) else _text(v)
        if role == ID_ROLE:
            return int(self.df.index[index.row()])
        if role == Qt.ItemDataRole.TextAlignmentRole and isinstance(v, (int, float, np.number)):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.headers[section]
        return None

    def flags(self, index):
        f = super().flags(index)
        if index.isValid() and self.columns[index.column()] in self.editable:
            f |= Qt.ItemFlag.ItemIsEditable
        return f

    def setData(self, index, value, role=Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid() or self.on_edit is None:
            return False
        rid = int(self.df.index[index.row()])
        return bool(self.on_edit(rid, self.columns[index.column()], str(value).strip()))

    def row_of(self, rid: int) -> int:
        try:
            return int(self.df.index.get_loc(int(rid)))
        except KeyError:
            return -1


class _Table(QWidget):
    """Search box, table, add and delete buttons."""

    def __init__(self, model: FrameModel, parent=None):
        super().__init__(parent)
        self.model = model
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(model)
        self.proxy.setFilterKeyColumn(-1)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.proxy.setSortRole(SORT_ROLE)
        self.search = QLineEdit(self)
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self.proxy.setFilterFixedString)
        self.view = QTableView(self)
        self.view.setModel(self.proxy)
        self.view.setSortingEnabled(True)
        self.view.sortByColumn(-1, Qt.SortOrder.AscendingOrder)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.verticalHeader().setVisible(False)
        self.view.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)   # compact rows
        self.view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.view.horizontalHeader().setStretchLastSection(True)
        self.add = QPushButton(self)
        self.delete = QPushButton(self)
        buttons = QHBoxLayout()
        buttons.addWidget(self.search, 1)
        buttons.addWidget(self.add)
        buttons.addWidget(self.delete)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addLayout(buttons)
        lay.addWidget(self.view, 1)

    def selected_ids(self) -> list[int]:
        rows = sorted({i.row() for i in self.view.selectionModel().selectedRows()})
        return [int(self.proxy.index(r, 0).data(ID_ROLE)) for r in rows]

    def select_id(self, rid: int) -> bool:
        r = self.model.row_of(rid)
        if r < 0:
            return False
        idx = self.proxy.mapFromSource(self.model.index(r, 0))
        if not idx.isValid():
            return False
        self.view.selectRow(idx.row())
        self.view.scrollTo(idx)
        return True

    def index_of(self, rid: int, column: str) -> QModelIndex:
        r = self.model.row_of(rid)
        return self.proxy.mapFromSource(self.model.index(r, self.model.columns.index(column)))


class PeoplePanel(QWidget):
    """Tabs of people and units."""

    dutiesRequested = Signal(object, object)     # person id or None, unit id or None

    PEOPLE = ["name", "post", "category", "unit_name", "phone", "notes", "roles", "grids", "road_m"]
    UNITS = ["name", "kind", "phone", "notes", "people", "roles"]

    def __init__(self, controller, parent=None):
        super().__init__(parent)
        self.setObjectName("people_panel")
        self.ctl = controller
        self.plan = None
        self.tabs = QTabWidget(self)
        self.people = _Table(FrameModel(self.PEOPLE, ("name", "post", "category", "unit_name", "phone", "notes"),
                                        self._edit_person, self), self)
        self.units = _Table(FrameModel(self.UNITS, ("name", "kind", "phone", "notes"), self._edit_unit, self), self)
        self.tabs.addTab(self.people, "")
        self.tabs.addTab(self.units, "")
        lay = QVBoxLayout(self)
        lay.setContentsMargins(2, 2, 2, 2)
        lay.addWidget(self.tabs)
        self.people.add.clicked.connect(self.add_person)
        self.units.add.clicked.connect(self.add_unit)
        self.people.delete.clicked.connect(self.delete_people)
        self.units.delete.clicked.connect(self.delete_units)
        self.people.view.selectionModel().selectionChanged.connect(self._person_selected)
        self.units.view.selectionModel().selectionChanged.connect(self._unit_selected)
        self.retranslate()

    # ------------------------------------------------------------------ data
    def set_plan(self, plan) -> None:
        self.plan = plan
        if plan is not None:                    # another plan: a fresh model (edits then go row by row)
            self.people.model.set_frame(person_rows(plan))
            self.units.model.set_frame(unit_rows(plan))
        self.refresh()

    def refresh(self) -> None:
        if self.plan is None:
            self.people.model.set_frame(pd.DataFrame(columns=self.PEOPLE))
            self.units.model.set_frame(pd.DataFrame(columns=self.UNITS))
            return
        keep_p, keep_u = self.people.selected_ids(), self.units.selected_ids()
        self.people.model.update_frame(person_rows(self.plan))
        self.units.model.update_frame(unit_rows(self.plan))
        for table, keep in ((self.people, keep_p), (self.units, keep_u)):
            for rid in keep[:1]:
                sm = table.view.selectionModel()
                sm.blockSignals(True)
                table.select_id(rid)
                sm.blockSignals(False)
                table.view.viewport().update()

    # ------------------------------------------------------------------ edits
    def _edit_person(self, pid: int, column: str, text: str) -> bool:
        plan = self.plan
        if column == "unit_name":
            if not text:
                value = None
            else:
                hit = plan.units.index[plan.units["name"] == text]
                if not len(hit):
                    self.ctl.last_error = self.tr("No unit named %1: add it in the units table first.").replace(
                        "%1", text)
                    self.ctl.refused.emit(self.ctl.last_error)
                    return False
                value = int(hit[0])
            old = plan.people.at[pid, "unit"]
            if (value is None and pd.isna(old)) or (value is not None and not pd.isna(old) and int(old) == value):
                return False
            return self.ctl.push(C.SetCells("人员", "people", pid, {"unit": value}), self.tr("Edit person"),
                                 kinds=())
        if text == _text(plan.people.at[pid, column]):
            return False
        values = {column: text}
        if column == "post":
            # the category follows the new post's preset when it was empty or the old post's preset
            from ..core.staffing import preset_category

            old_cat = _text(plan.people.at[pid, "category"])
            if preset_category(text) and old_cat in ("", preset_category(_text(plan.people.at[pid, "post"]))):
                values["category"] = preset_category(text)
        return self.ctl.push(C.SetCells("人员", "people", pid, values), self.tr("Edit person"), kinds=())

    def _edit_unit(self, uid: int, column: str, text: str) -> bool:
        if text == _text(self.plan.units.at[uid, column]):
            return False
        return self.ctl.push(C.SetCells("单位", "units", uid, {column: text}), self.tr("Edit unit"), kinds=())

    def add_person(self, name: str | None = None) -> int | None:
        if self.plan is None:
            return None
        add = C.AddRow("新增人员", "people", dict(name=name or self.tr("New person"), post="", unit=None,
                                               phone="", notes="", category=""))
        if not self.ctl.push(add, self.tr("Add person"), kinds=()):
            return None
        self.tabs.setCurrentWidget(self.people)
        self.people.search.clear()
        self.people.select_id(add.new_id)
        if not name:
            self.people.view.edit(self.people.index_of(add.new_id, "name"))
        return add.new_id

    def add_unit(self, name: str | None = None) -> int | None:
        if self.plan is None:
            return None
        add = C.AddRow("新增单位", "units", dict(name=name or self.tr("New unit"), kind="", phone="", notes=""))
        if not self.ctl.push(add, self.tr("Add unit"), kinds=()):
            return None
        self.tabs.setCurrentWidget(self.units)
        self.units.search.clear()
        self.units.select_id(add.new_id)
        if not name:
            self.units.view.edit(self.units.index_of(add.new_id, "name"))
        return add.new_id

    def delete_people(self, ids=None) -> bool:
        ids = list(ids if ids is not None else self.people.selected_ids())
        if not ids or self.plan is None:
            return False

        def steps_for(pid):
            def step(p):
                cmds = [C.DeleteRow("职责", "roles", int(r)) for r in p.roles.index[p.roles["person"] == pid]]
                cmds += [C.SetCells("路段", "segments", int(s), {"officer": None})
                         for s in p.segments.index[p.segments["officer"] == pid]]
                cmds.append(C.DeleteRow("人员", "people", int(pid)))
                return cmds
            return step
        return self.ctl.push([steps_for(p) for p in ids], self.tr("Delete %n person(s)", "", len(ids)), kinds=())

    def delete_units(self, ids=None) -> bool:
        ids = list(ids if ids is not None else self.units.selected_ids())
        if not ids or self.plan is None:
            return False

        def steps_for(uid):
            def step(p):
                cmds = [C.DeleteRow("职责", "roles", int(r)) for r in p.roles.index[p.roles["unit"] == uid]]
                cmds += [C.SetCells("人员", "people", int(i), {"unit": None})
                         for i in p.people.index[p.people["unit"] == uid]]
                cmds.append(C.DeleteRow("单位", "units", int(uid)))
                return cmds
            return step
        return self.ctl.push([steps_for(u) for u in ids], self.tr("Delete %n unit(s)", "", len(ids)), kinds=())

    # ------------------------------------------------------------------ where on duty
    def _person_selected(self, *args) -> None:
        ids = self.people.selected_ids()
        self.dutiesRequested.emit(ids[0] if ids else None, None)

    def _unit_selected(self, *args) -> None:
        ids = self.units.selected_ids()
        self.dutiesRequested.emit(None, ids[0] if ids else None)

    # ------------------------------------------------------------------ language
    def retranslate(self) -> None:
        self.tabs.setTabText(0, self.tr("People"))
        self.tabs.setTabText(1, self.tr("Units"))
        self.people.model.headers = [self.tr("Name"), self.tr("Post"), self.tr("Category"), self.tr("Unit"), self.tr("Phone"),
                                     self.tr("Notes"), self.tr("Roles"), self.tr("Grids on duty"),
                                     self.tr("Road length (m)")]
        self.units.model.headers = [self.tr("Name"), self.tr("Kind"), self.tr("Phone"), self.tr("Notes"),
                                    self.tr("People"), self.tr("Roles")]
        for t in (self.people, self.units):
            t.model.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(t.model.columns) - 1)
            t.search.setPlaceholderText(self.tr("Search…"))
            t.delete.setText(self.tr("Delete"))
        self.people.add.setText(self.tr("Add person"))
        self.units.add.setText(self.tr("Add unit"))

    def changeEvent(self, e) -> None:
        if e.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(e)
