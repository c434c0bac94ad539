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
import shapely
from PySide6.QtCore import QAbstractTableModel, QEvent, QModelIndex, QSortFilterProxyModel, Qt, Signal
from PySide6.QtWidgets import (QAbstractItemView, QHBoxLayout, QHeaderView, QLineEdit, QPushButton, QTableView,
                               QTabWidget, QVBoxLayout, QWidget)

from ..core.editing import commands as C

__all__ = ["FrameModel", "PeoplePanel", "person_rows", "unit_rows"]

SORT_ROLE = Qt.ItemDataRole.UserRole + 1
ID_ROLE = Qt.ItemDataRole.UserRole + 2


def _text(v) -> str:
    if v is None or (not isinstance(v, str) and pd.isna(v)):
        return ""
    return str(v)


def person_rows(plan, ids=None) -> pd.DataFrame:
    """The people table as shown: name, post, unit name, phone, notes, roles,
    grid codes on duty and road length (m); ``ids``: only these people (those of
    them still in the plan) — what an edit touched, read from their own roles and
    segments only.

    >>> from gridmap.core.plan import Plan
    >>> plan = Plan.new("例", "EPSG:4547", levels="two")
    >>> u = plan.add_unit("城管局"); _ = plan.add_person("张三", unit=u)
    >>> row = person_rows(plan).loc[1]
    >>> row["name"], row["unit_name"], int(row["roles"]), float(row["road_m"])
    ('张三', '城管局', 0, 0.0)
    >>> list(person_rows(plan, [1, 99]).index)
    [1]
    """
    if ids is not None and len(ids) <= 64:
        return _few_person_rows(plan, ids)
    p = plan.people
    roles, segs = plan.roles, plan.segments
    if ids is not None:
        want = p.index.intersection(pd.Index(sorted({int(i) for i in ids}), dtype=p.index.dtype))
        p = p.loc[want]
        keys = want.to_numpy(dtype=np.int64)
        if len(roles):
            roles = roles[roles["person"].isin(keys).fillna(False).to_numpy(dtype=bool)]
        if len(segs):
            segs = segs[segs["officer"].isin(keys).fillna(False).to_numpy(dtype=bool)]
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
    r = roles[roles["person"].notna()]
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
    lengths = (pd.Series(shapely.length(segs.geometry.values), index=segs.index).groupby(segs["officer"]).sum()
               if len(segs) else pd.Series(dtype=float))
    out["road_m"] = (lengths.reindex(p.index).fillna(0.0).astype(float) if len(lengths)
                     else pd.Series(0.0, index=p.index))
    return out


def _few_person_rows(plan, ids) -> pd.DataFrame:
    """:func:`person_rows` for a few people (an edit's): the same values, read row by row
    after one vectorised look at the roles and segments (no frame-wide pandas work)."""
    p = plan.people
    want = [i for i in sorted({int(i) for i in ids}) if i in p.index]
    cols = ["name", "post", "category", "unit_name", "phone", "notes", "roles", "grids", "road_m"]
    if not want:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in cols}, index=pd.Index([], dtype=np.int64))
    keys = np.asarray(want, dtype=np.int64)
    roles, segs = plan.roles, plan.segments
    r = roles[roles["person"].isin(keys).fillna(False).to_numpy(dtype=bool)] if len(roles) else roles
    count: dict = {}
    codes: dict = {}
    grid_code = plan.grids["code"]
    for person, grid in zip(r["person"].tolist(), r["grid"].tolist()):
        if person is None or pd.isna(person):
            continue
        person = int(person)
        count[person] = count.get(person, 0) + 1
        if grid is None or pd.isna(grid):
            continue
        g = int(grid)
        c = grid_code.get(g) if g in grid_code.index else None
        c = _text(c) if c is not None and not (not isinstance(c, str) and pd.isna(c)) and c != "" else f"#{g}"
        codes.setdefault(person, set()).add(c)
    road: dict = {}
    if len(segs):
        on = segs[segs["officer"].isin(keys).fillna(False).to_numpy(dtype=bool)]
        if len(on):
            for o, length in zip(on["officer"].tolist(), shapely.length(on.geometry.values).tolist()):
                road[int(o)] = road.get(int(o), 0.0) + float(length)
    units = plan.units["name"]
    rows = []
    for i in want:
        u = p.at[i, "unit"]
        unit_name = ""
        if u is not None and not pd.isna(u) and int(u) in units.index:
            unit_name = _text(units.at[int(u)])
        rows.append([p.at[i, "name"], p.at[i, "post"], p.at[i, "category"] if "category" in p else "", unit_name,
                     p.at[i, "phone"], p.at[i, "notes"], int(count.get(i, 0)), "、".join(sorted(codes.get(i, ()))),
                     float(road.get(i, 0.0))])
    out = pd.DataFrame(rows, columns=cols, index=pd.Index(want, dtype=np.int64, name=p.index.name))
    out["roles"] = out["roles"].astype(int)
    out["road_m"] = out["road_m"].astype(float)
    return out


def unit_rows(plan, ids=None) -> pd.DataFrame:
    """The units table as shown: name, kind, phone, notes, people and roles counts
    (``ids``: only these units)."""
    u = plan.units
    if ids is not None:
        u = u.loc[u.index.intersection(pd.Index(sorted({int(i) for i in ids}), dtype=u.index.dtype))]
    out = pd.DataFrame(index=u.index)
    for c in ("name", "kind", "phone", "notes"):
        out[c] = u[c]
    pu = plan.people["unit"].dropna().astype(int)
    out["people"] = pu.value_counts().reindex(u.index).fillna(0).astype(int)
    ru = plan.roles["unit"].dropna().astype(int)
    out["roles"] = ru.value_counts().reindex(u.index).fillna(0).astype(int)
    return out


def _isna(v) -> bool:
    return v is None or (not isinstance(v, str) and bool(pd.isna(v)))


def _same_value(a, b) -> bool:
    if a is b:
        return True
    if _isna(a) or _isna(b):
        return _isna(a) and _isna(b)
    try:
        return bool(a == b)
    except (TypeError, ValueError):
        return False


def _fits(dtype, v) -> bool:
    """Whether a value can be written into a column of ``dtype`` as it is."""
    if v is None or (not isinstance(v, str) and pd.isna(v)):
        return dtype.kind == "f"
    if dtype.kind in "iu":
        return isinstance(v, (int, np.integer)) and not isinstance(v, bool)
    if dtype.kind == "f":
        return isinstance(v, (int, float, np.integer, np.floating))
    return False


class FrameModel(QAbstractTableModel):
    """A table model over a DataFrame (rows: ids); ``editable`` columns call
    ``on_edit(row id, column, text)``."""

    def __init__(self, columns: list[str], editable=(), on_edit=None, parent=None):
        super().__init__(parent)
        self.columns = list(columns)
        self.headers = list(columns)
        self.editable = set(editable)
        self.on_edit = on_edit
        self._df = pd.DataFrame(columns=self.columns)
        self._loader = None            # lazy: (row count, function making the frame) until Qt asks for a value
        self._count = 0

    @property
    def df(self) -> pd.DataFrame:
        if self._loader is not None:
            make, self._loader = self._loader, None
            self._df = make()
        return self._df

    @df.setter
    def df(self, value: pd.DataFrame) -> None:
        self._loader = None
        self._df = value

    @property
    def loaded(self) -> bool:
        return self._loader is None

    def set_frame(self, df: pd.DataFrame) -> None:
        self.beginResetModel()
        self.df = df
        self.endResetModel()

    def set_lazy(self, count: int, make) -> None:
        """``count`` rows whose values ``make()`` computes — when Qt first asks for one (a
        hidden table, or a table whose rows are not looked at, costs nothing)."""
        self.beginResetModel()
        self._loader, self._count = make, int(count)
        self._df = pd.DataFrame(columns=self.columns)
        self.endResetModel()

    def follow_count(self, count: int) -> None:
        """Not computed yet: only the number of rows follows an edit (rows at the end)."""
        if self._loader is None:
            return
        n = self._count
        if count > n:
            self.beginInsertRows(QModelIndex(), n, count - 1)
            self._count = count
            self.endInsertRows()
        elif count < n:
            self.beginRemoveRows(QModelIndex(), count, n - 1)
            self._count = count
            self.endRemoveRows()

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

    def patch(self, rows: pd.DataFrame, removed=()) -> None:
        """Follow an edit from its rows only: ``rows`` (the new values of the rows it
        touched, ids as index) replace their rows (``dataChanged``, only where a value
        differs) or are inserted at their place in id order (``rowsInserted``);
        ``removed`` ids are removed (``rowsRemoved``).  Never a reset, and proportional
        to the rows given (the rest of the frame is not compared)."""
        df = self.df
        if not len(df) and len(rows) and list(rows.columns) == self.columns and not len(removed):
            self.set_frame(rows.sort_index())
            return
        for rid in sorted({int(i) for i in removed}, reverse=True):
            r = self.row_of(rid)
            if r < 0:
                continue
            self.beginRemoveRows(QModelIndex(), r, r)
            keep = np.ones(len(self.df), dtype=bool)
            keep[r] = False
            self.df = self.df[keep]
            self.endRemoveRows()
        if not len(rows):
            return
        rows = rows[[c for c in self.df.columns]] if len(self.df.columns) else rows
        last = len(self.columns) - 1
        cols = list(self.df.columns)
        for rid in rows.index.tolist():
            r = self.row_of(rid)
            new = rows.loc[rid]
            if r >= 0:
                changed = False
                for j, c in enumerate(cols):
                    a, b = self.df.iat[r, j], new[c]
                    if not _same_value(a, b):
                        if self.df[c].dtype != object and not _fits(self.df[c].dtype, b):
                            self.df[c] = self.df[c].astype(object)
                        self.df.iat[r, j] = b
                        changed = True
                if changed:
                    self.dataChanged.emit(self.index(r, 0), self.index(r, last))
            else:
                at = int(np.searchsorted(self.df.index.to_numpy(), rid))
                self.beginInsertRows(QModelIndex(), at, at)
                one = rows.loc[[rid]]
                self.df = pd.concat([self.df.iloc[:at], one, self.df.iloc[at:]]) if len(self.df) else one
                self.endInsertRows()

    def rowCount(self, parent=QModelIndex()) -> int:
        if parent.isValid():
            return 0
        return self._count if self._loader is not None else len(self._df)

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
        if plan is not None:                    # another plan: a fresh model (edits then go row by row),
            # computed when a value is first shown or asked for (opening a city costs nothing here)
            self.people.model.set_lazy(len(plan.people), lambda p=plan: person_rows(p))
            self.units.model.set_lazy(len(plan.units), lambda p=plan: unit_rows(p))
            return
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
            _reselect(table, keep)

    def on_changes(self, changes) -> None:
        """After an edit: the people and units it touched, row by row (their roles, grids
        on duty, road length, counts), from the edit's exact change — nothing rebuilt."""
        plan = self.plan
        if plan is None:
            return
        from ..core.editing.changes import touched_values

        per = changes.per_table
        people: set = set()
        units: set = set()
        gone_p: set = set()
        gone_u: set = set()
        if "people" in per:
            tp = per["people"]
            people |= tp.added | tp.modified
            gone_p |= tp.removed
            units |= touched_values(changes, "people", "unit", plan)
        if "units" in per:
            tu = per["units"]
            units |= tu.added | tu.modified
            gone_u |= tu.removed
            if tu.modified and len(plan.people):           # a unit renamed: its people show its name
                pu = plan.people["unit"]
                people |= set(plan.people.index[pu.isin(list(tu.modified)).fillna(False).to_numpy(bool)].tolist())
        if "roles" in per:
            people |= touched_values(changes, "roles", "person", plan)
            units |= touched_values(changes, "roles", "unit", plan)
        if "segments" in per:
            people |= touched_values(changes, "segments", "officer", plan)
        if "grids" in per and not changes.geometry_only and len(plan.roles):
            from ..core.editing.changes import rows_or_columns_changed

            if rows_or_columns_changed(changes, "grids", {"code"}):   # the codes on duty shown
                tg = per["grids"]
                r = plan.roles
                on = r["grid"].isin(list(tg.ids)).fillna(False).to_numpy(bool)
                people |= set(r.loc[on, "person"].dropna().astype(int).tolist())
        keep_p, keep_u = self.people.selected_ids(), self.units.selected_ids()
        for model, n in ((self.people.model, len(plan.people)), (self.units.model, len(plan.units))):
            model.follow_count(n)                   # not computed yet: computed from the plan as it is then
        if (people or gone_p) and self.people.model.loaded:
            self.people.model.patch(person_rows(plan, people - gone_p), gone_p)
        if (units or gone_u) and self.units.model.loaded:
            self.units.model.patch(unit_rows(plan, units - gone_u), gone_u)
        for table, keep, touched in ((self.people, keep_p, people | gone_p), (self.units, keep_u, units | gone_u)):
            if touched:
                _reselect(table, keep)

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


def _reselect(table, keep) -> None:
    """Select the first of the ids ``keep`` again after the rows changed, without signalling a new selection."""
    for rid in keep[:1]:
        sm = table.view.selectionModel()
        sm.blockSignals(True)
        table.select_id(rid)
        sm.blockSignals(False)
        table.view.viewport().update()
