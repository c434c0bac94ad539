"""The attribute table (属性表), like QGIS's: one tab per table of the plan —
grids (of one level), street segments, places, people.

Each tab is a :class:`PlanTableModel` over the plan's data frame: the display
values of all rows are computed once, vectorised (a plan can have 100k grids),
and only the rows an edit touched are recomputed, from the edit buffer's exact
:class:`~gridmap.core.editing.changes.Changes` (also after undo and redo).
Sorting and the text filter run in pandas over those values, never per row in
Python.  Editable cells go through :meth:`gridmap.ui.editing.EditController.push`
(one undo step per edit); selecting grid rows selects the grids on the map and
the map's selection selects the rows; a double-click zooms to the feature.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import shapely
from PySide6.QtCore import (QT_TRANSLATE_NOOP, QAbstractTableModel, QCoreApplication, QEvent, QItemSelection, QItemSelectionModel,
                            QModelIndex, Qt, Signal)
from PySide6.QtWidgets import (QAbstractItemView, QCheckBox, QComboBox, QHBoxLayout, QLabel, QLineEdit, QTableView,
                               QTabWidget, QVBoxLayout, QWidget)

from ..core.editing import commands as C
from .inspector_form import code_problem

__all__ = ["Column", "PlanTableModel", "AttributeTable", "open_attribute_table", "KINDS"]

CTX = "AttributeTable"


def _tr(text: str) -> str:
    return QCoreApplication.translate(CTX, text)


@dataclass(frozen=True)
class Column:
    key: str                # a column of the plan's table, or a computed one
    header: str             # English source text (context AttributeTable)
    editable: bool = False
    numeric: bool = False


# the tabs: plan table → its columns
KINDS: dict[str, tuple[Column, ...]] = {
    "grids": (Column("id", QT_TRANSLATE_NOOP("AttributeTable", "Id"), numeric=True),
              Column("code", QT_TRANSLATE_NOOP("AttributeTable", "Code"), True), Column("name", QT_TRANSLATE_NOOP("AttributeTable", "Name"), True), Column("level", QT_TRANSLATE_NOOP("AttributeTable", "Level")),
              Column("parent_code", QT_TRANSLATE_NOOP("AttributeTable", "Parent grid")), Column("area", QT_TRANSLATE_NOOP("AttributeTable", "Area (m²)"), numeric=True),
              Column("officers", QT_TRANSLATE_NOOP("AttributeTable", "People on duty")), Column("notes", QT_TRANSLATE_NOOP("AttributeTable", "Notes"), True),
              Column("valid_from", QT_TRANSLATE_NOOP("AttributeTable", "Valid from"), True), Column("valid_to", QT_TRANSLATE_NOOP("AttributeTable", "Valid to"), True)),
    "segments": (Column("id", QT_TRANSLATE_NOOP("AttributeTable", "Id"), numeric=True), Column("road_name", QT_TRANSLATE_NOOP("AttributeTable", "Road"), True),
                 Column("from_desc", QT_TRANSLATE_NOOP("AttributeTable", "From"), True), Column("to_desc", QT_TRANSLATE_NOOP("AttributeTable", "To"), True),
                 Column("grid_code", QT_TRANSLATE_NOOP("AttributeTable", "Grid")), Column("officer_name", QT_TRANSLATE_NOOP("AttributeTable", "Officer")),
                 Column("length", QT_TRANSLATE_NOOP("AttributeTable", "Length (m)"), numeric=True), Column("notes", QT_TRANSLATE_NOOP("AttributeTable", "Notes"), True)),
    "places": (Column("id", QT_TRANSLATE_NOOP("AttributeTable", "Id"), numeric=True), Column("name", QT_TRANSLATE_NOOP("AttributeTable", "Name"), True), Column("kind", QT_TRANSLATE_NOOP("AttributeTable", "Kind"), True),
               Column("address", QT_TRANSLATE_NOOP("AttributeTable", "Address"), True), Column("grid_code", QT_TRANSLATE_NOOP("AttributeTable", "Grid")), Column("notes", QT_TRANSLATE_NOOP("AttributeTable", "Notes"), True)),
    "people": (Column("id", QT_TRANSLATE_NOOP("AttributeTable", "Id"), numeric=True), Column("name", QT_TRANSLATE_NOOP("AttributeTable", "Name"), True), Column("post", QT_TRANSLATE_NOOP("AttributeTable", "Post"), True),
               Column("unit_name", QT_TRANSLATE_NOOP("AttributeTable", "Unit")), Column("phone", QT_TRANSLATE_NOOP("AttributeTable", "Phone"), True),
               Column("duties", QT_TRANSLATE_NOOP("AttributeTable", "Grids on duty"), numeric=True), Column("notes", QT_TRANSLATE_NOOP("AttributeTable", "Notes"), True)),
}
TAB_TITLES = {"grids": QT_TRANSLATE_NOOP("AttributeTable", "Grids"), "segments": QT_TRANSLATE_NOOP("AttributeTable", "Street segments"), "places": QT_TRANSLATE_NOOP("AttributeTable", "Places"), "people": QT_TRANSLATE_NOOP("AttributeTable", "People")}
# the plan tables whose change alters a tab's computed columns
DEPENDS = {"grids": {"grids", "roles", "people"}, "segments": {"segments", "grids", "people"},
           "places": {"places", "grids"}, "people": {"people", "units", "roles"}}


def _str(s: pd.Series) -> pd.Series:
    return s.astype("string").fillna("")


def _names(ref: pd.Series, table: pd.DataFrame, column: str) -> pd.Series:
    """The ``column`` of the rows of ``table`` that ``ref`` (ids) points to ("" when none);
    looks up only the ids in ``ref``."""
    out = np.full(len(ref), "", dtype=object)
    ids = pd.array(ref, dtype="Int64")
    ok = ~np.asarray(pd.isna(ids), dtype=bool)
    if ok.any() and len(table):
        got = table[column].reindex(np.asarray(ids[ok], dtype=np.int64))
        out[ok] = got.astype("string").fillna("").to_numpy(dtype=object)
    return pd.Series(out, index=ref.index, dtype="string")


def compute(plan, kind: str, ids) -> pd.DataFrame:
    """Display values of rows ``ids`` of a tab (numbers stay numbers, for sorting)."""
    df = getattr(plan, kind).loc[list(ids)]
    out = pd.DataFrame(index=df.index)
    for col in KINDS[kind]:
        k = col.key
        if k == "id":
            out[k] = df.index.astype("int64")
        elif k == "area":
            out[k] = np.round(shapely.area(df.geometry.values), 1) if len(df) else pd.Series(dtype=float)
        elif k == "length":
            out[k] = np.round(shapely.length(df.geometry.values), 1) if len(df) else pd.Series(dtype=float)
        elif k == "level":
            names = {lv.key: lv.name for lv in plan.levels}
            out[k] = _str(df[k]).map(lambda v: names.get(v, v)).astype("string")
        elif k == "parent_code":
            out[k] = _names(df["parent"], plan.grids, "code")
        elif k == "grid_code":
            out[k] = _names(df["grid"], plan.grids, "code")
        elif k == "officer_name":
            out[k] = _names(df["officer"], plan.people, "name")
        elif k == "unit_name":
            out[k] = _names(df["unit"], plan.units, "name")
        elif k == "officers":
            r = plan.roles[plan.roles["grid"].isin(df.index) & plan.roles["person"].notna()]
            names = _names(r["person"], plan.people, "name")
            joined = names.groupby(r["grid"].astype("int64").values).agg(lambda s: "、".join(x for x in s if x))
            out[k] = pd.Series(df.index.map(lambda i: joined.get(i, "")), index=df.index, dtype="string")
        elif k == "duties":
            r = plan.roles[plan.roles["person"].isin(df.index).fillna(False).to_numpy(dtype=bool)]
            counts = r.groupby("person")["grid"].nunique()
            out[k] = df.index.map(lambda i: int(counts.get(i, 0))).astype("int64")
        else:
            out[k] = _str(df[k])
    return out


class PlanTableModel(QAbstractTableModel):
    """One table of the plan (``kind``: grids, segments, places or people), for a QTableView.

    Lazy: setting a plan takes the table's ids only (one pass, no display value); the
    values of a row are computed, a block of rows at a time, when Qt asks for a row
    it shows — or for every row once the user sorts by another column than the id or
    filters by text.  An edit changes only its rows (:meth:`apply_changes`)."""

    BLOCK = 256

    def __init__(self, kind: str, parent=None):
        super().__init__(parent)
        self.kind = kind
        self.columns = KINDS[kind]
        self._keys = [c.key for c in self.columns]
        self.plan = None
        self.level: str | None = None           # grids only: the level shown (None: every level)
        self.ids = np.zeros(0, dtype=np.int64)  # every row of the table (level), in id order
        self.values = np.empty((0, len(self.columns)), dtype=object)   # display values (rows of ``ids``)
        self.known = np.zeros(0, dtype=bool)    # which rows of ``values`` are computed
        self.order = np.zeros(0, dtype=np.int64)  # positions in ``ids`` of the rows shown, in order
        self.row_at = np.zeros(0, dtype=np.int64)  # position in ``ids`` → row shown (-1: filtered out)
        self.filter_text = ""
        self.only_ids: set | None = None        # "only selected": the ids allowed (None: all)
        self.sort_column, self.sort_order = 0, Qt.SortOrder.AscendingOrder
        self.push_edit = None                   # callable(kind, id, column, value) -> bool

    # ------------------------------------------------------------------ data
    def _table(self):
        df = getattr(self.plan, self.kind)
        if self.kind == "grids" and self.level is not None:
            df = df[(df["level"] == self.level).to_numpy(dtype=bool)]
        return df

    def set_plan(self, plan, level: str | None = None) -> None:
        self.beginResetModel()
        self.plan, self.level = plan, level
        ids = np.sort(self._table().index.to_numpy(dtype=np.int64)) if plan is not None \
            else np.zeros(0, dtype=np.int64)
        self.ids = ids
        self.values = np.empty((len(ids), len(self.columns)), dtype=object)
        self.known = np.zeros(len(ids), dtype=bool)
        self._arrange()
        self.endResetModel()

    def _ensure(self, positions) -> None:
        """Compute the display values of the rows at ``positions`` (of ``ids``) not known yet."""
        positions = np.asarray(positions, dtype=np.int64)
        if not len(positions):
            return
        positions = positions[~self.known[positions]]
        if not len(positions) or self.plan is None:
            return
        positions = np.unique(positions)
        new = compute(self.plan, self.kind, self.ids[positions].tolist())
        self.values[positions] = new[self._keys].to_numpy(dtype=object)
        self.known[positions] = True

    def ensure_all(self) -> None:
        self._ensure(np.flatnonzero(~self.known))

    @property
    def frame(self) -> pd.DataFrame:
        """The display values of every row of the table (level), in id order (computes them all)."""
        self.ensure_all()
        return pd.DataFrame(self.values, index=pd.Index(self.ids, name="id"), columns=self._keys)

    def _text_hits(self, positions) -> np.ndarray:
        text = self.filter_text.strip().casefold()
        hit = np.zeros(len(positions), dtype=bool)
        if not len(positions):
            return hit
        self._ensure(positions)
        for j in range(len(self.columns)):
            col = pd.Series(self.values[positions, j]).astype("string").fillna("")
            hit |= col.str.casefold().str.contains(text, regex=False).to_numpy(dtype=bool)
        return hit

    def _arrange(self) -> None:
        """Filter and sort (vectorised); sets ``order`` and ``row_at``."""
        n = len(self.ids)
        keep = np.ones(n, dtype=bool)
        if self.only_ids is not None:
            keep &= np.isin(self.ids, np.fromiter((int(i) for i in self.only_ids), dtype=np.int64))
        pos = np.flatnonzero(keep)
        if self.filter_text.strip() and len(pos):
            pos = pos[self._text_hits(pos)]
        j = self.sort_column
        if self.columns[j].key == "id":
            idx = np.arange(len(pos))           # ``ids`` are in id order
        else:
            self._ensure(pos)
            vals = self.values[pos, j]
            if self.columns[j].numeric:
                idx = np.argsort(pd.to_numeric(pd.Series(vals), errors="coerce").to_numpy(dtype=float), kind="stable")
            else:
                idx = np.argsort(pd.Series(vals).astype("string").fillna("").to_numpy(dtype=str), kind="stable")
        if self.sort_order == Qt.SortOrder.DescendingOrder:
            idx = idx[::-1]
        self.order = pos[idx]
        self._index_rows()

    def _index_rows(self) -> None:
        self.row_at = np.full(len(self.ids), -1, dtype=np.int64)
        self.row_at[self.order] = np.arange(len(self.order))

    def rearrange(self) -> None:
        self.layoutAboutToBeChanged.emit()
        self._arrange()
        self.layoutChanged.emit()

    def _position(self, rid) -> int:
        at = int(np.searchsorted(self.ids, int(rid)))
        return at if at < len(self.ids) and int(self.ids[at]) == int(rid) else -1

    def id_at(self, row: int) -> int:
        return int(self.ids[self.order[row]])

    def row_of(self, rid: int) -> int | None:
        p = self._position(rid)
        if p < 0:
            return None
        r = int(self.row_at[p])
        return r if r >= 0 else None

    @property
    def total(self) -> int:
        return len(self.ids)

    # ------------------------------------------------------------------ Qt model
    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.order)

    def columnCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            r = index.row()
            p = int(self.order[r])
            if not self.known[p]:              # this row and the next ones the view is about to ask for
                self._ensure(self.order[max(0, r - 16):r + self.BLOCK])
            v = self.values[p, index.column()]
            if v is None or (not isinstance(v, str) and pd.isna(v)):
                return ""
            return v.item() if hasattr(v, "item") else (v if isinstance(v, (int, float)) else str(v))
        if role == Qt.ItemDataRole.TextAlignmentRole and self.columns[index.column()].numeric:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return _tr(self.columns[section].header)
        return None

    def flags(self, index):
        f = super().flags(index)
        if index.isValid() and self.columns[index.column()].editable:
            f |= Qt.ItemFlag.ItemIsEditable
        return f

    def setData(self, index, value, role=Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid() or self.push_edit is None:
            return False
        col = self.columns[index.column()]
        if not col.editable:
            return False
        text = str(value).strip()
        rid = self.id_at(index.row())
        if text == str(self.data(index)):
            return False
        return bool(self.push_edit(self.kind, rid, col.key, text))

    def sort(self, column: int, order=Qt.SortOrder.AscendingOrder) -> None:
        self.sort_column, self.sort_order = column, order
        self.rearrange()

    # ------------------------------------------------------------------ exact refresh
    def _affected(self, changes) -> set:
        """Ids of this tab whose computed columns an edit may have changed (besides its own rows)."""
        from ..core.editing.changes import touched_values

        plan, kind = self.plan, self.kind
        df = getattr(plan, kind)
        per = changes.per_table
        out: set = set()

        def ids_of(tc, *what):
            return set().union(*(getattr(tc, w) for w in what)) if tc is not None else set()

        def where(col, values):
            if not values or not len(df):
                return set()
            return set(df.index[df[col].isin(list(values)).fillna(False).to_numpy(dtype=bool)].tolist())

        g = ids_of(per.get("grids"), "modified", "removed")
        people = ids_of(per.get("people"), "modified", "removed")
        if kind in ("segments", "places"):
            out |= where("grid", g)
            if kind == "segments":
                out |= where("officer", people)
        elif kind in ("grids", "people"):
            if "roles" in per:
                out |= touched_values(changes, "roles", "grid" if kind == "grids" else "person", plan)
            if kind == "grids":
                out |= where("parent", g)
                if people and len(plan.roles):
                    r = plan.roles
                    out |= set(r.loc[r["person"].isin(list(people)).fillna(False).to_numpy(dtype=bool), "grid"]
                               .dropna().astype(int).tolist())
            else:
                out |= where("unit", ids_of(per.get("units"), "modified", "removed"))
        return out

    def _passes_one(self, p: int) -> bool:
        rid = int(self.ids[p])
        if self.only_ids is not None and rid not in self.only_ids:
            return False
        if self.filter_text.strip():
            return bool(self._text_hits(np.array([p], dtype=np.int64))[0])
        return True

    def _belongs(self, rid: int) -> bool:
        df = getattr(self.plan, self.kind)
        if rid not in df.index:
            return False
        return self.kind != "grids" or self.level is None or str(df.at[rid, "level"]) == self.level

    @staticmethod
    def _runs(rows) -> list[tuple[int, int]]:
        """Sorted rows as (first, last) runs of consecutive rows."""
        out: list[tuple[int, int]] = []
        for r in sorted(rows):
            if out and r == out[-1][1] + 1:
                out[-1] = (out[-1][0], r)
            else:
                out.append((r, r))
        return out

    def apply_changes(self, changes) -> bool:
        """Update from one edit's exact Changes, row by row: rows removed are removed
        (``rowsRemoved``), rows added are appended (``rowsInserted``; a re-sort puts
        them in place), and only the rows whose values changed — the edited rows and
        those whose computed columns read them (a grid's code shown on its segments,
        a person's name on their grids) — get ``dataChanged`` (their values are computed
        again when shown).  Nothing is reset, and nothing is proportional to the table
        but a few vectorised lookups.  Returns True when rows came or went."""
        if self.plan is None:
            return False
        tables = changes.tables
        if not tables & DEPENDS[self.kind]:
            return False
        mine = changes.per_table.get(self.kind)
        removed: set = set()
        added: set = set()
        modified: set = set()
        if mine is not None:
            for rid in mine.ids:
                rid = int(rid)
                here = self._position(rid) >= 0
                now = self._belongs(rid)
                if here and not now:
                    removed.add(rid)
                elif now and not here:
                    added.add(rid)
                elif here and now and rid in mine.modified:
                    modified.add(rid)
        changed = {int(i) for i in (modified | self._affected(changes))} - removed - added
        # 1. rows removed, one by one from the bottom
        for rid in sorted(removed, key=lambda i: -self._position(i)):
            p = self._position(rid)
            r = int(self.row_at[p])
            if r >= 0:
                self.beginRemoveRows(QModelIndex(), r, r)
                self.order = np.delete(self.order, r)
            self.ids = np.delete(self.ids, p)
            self.values = np.delete(self.values, p, axis=0)
            self.known = np.delete(self.known, p)
            self.order[self.order > p] -= 1
            self._index_rows()
            if r >= 0:
                self.endRemoveRows()
        # 2. rows added, at the end of what is shown
        for rid in sorted(added):
            p = int(np.searchsorted(self.ids, rid))
            self.ids = np.insert(self.ids, p, rid)
            self.values = np.insert(self.values, p, np.full(len(self.columns), None, dtype=object), axis=0)
            self.known = np.insert(self.known, p, False)
            self.order[self.order >= p] += 1
            self._index_rows()
            if self._passes_one(p):
                n = len(self.order)
                self.beginInsertRows(QModelIndex(), n, n)
                self.order = np.append(self.order, p)
                self.row_at[p] = n
                self.endInsertRows()
        # 3. values changed: only those rows (computed again when shown)
        rows = []
        for rid in changed:
            p = self._position(rid)
            if p < 0:
                continue
            self.known[p] = False
            if self.row_at[p] >= 0:
                rows.append(int(self.row_at[p]))
        last = len(self.columns) - 1
        for a, b in self._runs(rows):
            self.dataChanged.emit(self.index(a, 0), self.index(b, last))
        return bool(removed or added)


class TablePage(QWidget):
    """One tab: a table view over a :class:`PlanTableModel`."""

    def __init__(self, kind: str, parent=None):
        super().__init__(parent)
        self.kind = kind
        self.model = PlanTableModel(kind, self)
        self.view = QTableView(self)
        self.view.setObjectName(f"attribute_table_{kind}")
        self.view.setModel(self.model)
        self.view.setSortingEnabled(True)
        self.view.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked | QAbstractItemView.EditTrigger.EditKeyPressed
                                  | QAbstractItemView.EditTrigger.AnyKeyPressed)
        self.view.verticalHeader().setDefaultSectionSize(22)
        self.view.verticalHeader().hide()
        self.view.horizontalHeader().setStretchLastSection(True)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.view)

    def selected_ids(self) -> list[int]:
        rows = sorted({i.row() for i in self.view.selectionModel().selectedRows()})
        return [self.model.id_at(r) for r in rows]

    def select_ids(self, ids) -> None:
        """Select the rows of ``ids`` (contiguous runs as ranges: fast for big selections)."""
        rows = sorted(r for r in (self.model.row_of(i) for i in ids) if r is not None)
        sel = QItemSelection()
        last = self.model.columnCount() - 1
        start = prev = None
        for r in rows + [None]:
            if r is not None and prev is not None and r == prev + 1:
                prev = r
                continue
            if start is not None:
                sel.select(self.model.index(start, 0), self.model.index(prev, last))
            start = prev = r
        self.view.selectionModel().select(sel, QItemSelectionModel.SelectionFlag.ClearAndSelect)
        if rows:
            self.view.scrollTo(self.model.index(rows[0], 0))


class AttributeTable(QWidget):
    """The attribute table window of a main window (属性表)."""

    countChanged = Signal()

    def __init__(self, window):
        super().__init__(window, Qt.WindowType.Window)
        self.setObjectName("attribute_table")
        self.win = window
        self.doc = None
        self._syncing = False
        self.resize(900, 480)
        self.filter = QLineEdit(self)
        self.filter.setObjectName("attribute_filter")
        self.filter.setClearButtonEnabled(True)
        self.only_selected = QCheckBox(self)
        self.level = QComboBox(self)
        self.level.setObjectName("attribute_level")
        self.level_label = QLabel(self)
        self.count = QLabel(self)
        top = QHBoxLayout()
        top.addWidget(self.filter, 1)
        top.addWidget(self.only_selected)
        top.addWidget(self.level_label)
        top.addWidget(self.level)
        top.addWidget(self.count)
        self.tabs = QTabWidget(self)
        self.pages: dict[str, TablePage] = {}
        for kind in KINDS:
            page = TablePage(kind, self)
            page.model.push_edit = self._push_edit
            page.view.selectionModel().selectionChanged.connect(lambda *_, p=page: self._rows_selected(p))
            page.view.doubleClicked.connect(lambda index, p=page: self._zoom_to(p, index))
            self.pages[kind] = page
            self.tabs.addTab(page, "")
        lay = QVBoxLayout(self)
        lay.addLayout(top)
        lay.addWidget(self.tabs)
        self.filter.textChanged.connect(self._refilter)
        self.only_selected.toggled.connect(self._refilter)
        self.level.currentIndexChanged.connect(self._level_changed)
        self.tabs.currentChanged.connect(lambda *_: self._update_count())
        window.documentChanged.connect(self.set_document)
        self.retranslate()
        self.set_document()

    # ------------------------------------------------------------------ document
    def set_document(self) -> None:
        if self.doc is not None:
            for sig, slot in ((self.doc.edited, self._on_edited), (self.doc.selectionChanged, self._on_map_selection)):
                try:
                    sig.disconnect(slot)
                except (RuntimeError, TypeError):
                    pass
        self.doc = self.win.document
        plan = self.doc.plan if self.doc is not None else None
        self.level.blockSignals(True)
        self.level.clear()
        if plan is not None:
            for lv in plan.levels:
                self.level.addItem(lv.name, lv.key)
            edit_level = self.win.edit.edit_level()
            self.level.setCurrentIndex(max(0, self.level.findData(edit_level)))
        self.level.blockSignals(False)
        for kind, page in self.pages.items():
            page.model.set_plan(plan, self.level.currentData() if kind == "grids" else None)
            page.view.resizeColumnsToContents()
        if self.doc is not None:
            self.doc.edited.connect(self._on_edited)
            self.doc.selectionChanged.connect(self._on_map_selection)
            self._on_map_selection(list(self.doc.selection))
        self._update_count()

    def _level_changed(self, *_):
        page = self.pages["grids"]
        if self.doc is not None:
            page.model.set_plan(self.doc.plan, self.level.currentData())
            self._apply_only(page)
            self._on_map_selection(list(self.doc.selection))
        self._update_count()

    # ------------------------------------------------------------------ filter
    def _only_ids(self, kind: str):
        if not self.only_selected.isChecked() or self.doc is None:
            return None
        sel = set(self.doc.selection)
        plan = self.doc.plan
        if kind == "grids":
            return sel
        if kind == "people":
            r = plan.roles[plan.roles["grid"].isin(sel)]
            return set(r["person"].dropna().astype(int))
        df = getattr(plan, kind)
        return set(df.index[df["grid"].isin(sel)])

    def _apply_only(self, page) -> None:
        page.model.filter_text = self.filter.text()
        page.model.only_ids = self._only_ids(page.kind)
        page.model.rearrange()

    def _refilter(self, *_):
        for page in self.pages.values():
            self._apply_only(page)
        if self.doc is not None:
            self._on_map_selection(list(self.doc.selection))
        self._update_count()

    def _update_count(self) -> None:
        page = self.tabs.currentWidget()
        if page is None:
            return
        self.count.setText(self.tr("%1 of %2 shown").replace("%1", str(page.model.rowCount()))
                           .replace("%2", str(page.model.total)))
        self.level.setVisible(page.kind == "grids")
        self.level_label.setVisible(page.kind == "grids")
        self.countChanged.emit()

    # ------------------------------------------------------------------ edits (one undo step each)
    def _push_edit(self, kind: str, rid: int, column: str, value: str) -> bool:
        ctl = self.win.edit
        plan = self.doc.plan if self.doc is not None else None
        if plan is None:
            return False
        if kind == "grids":
            if column == "code" and value and code_problem(plan, rid, value) is not None:
                why = code_problem(plan, rid, value)
                ctl.last_error = self.tr("Code %1 refused: %2").replace("%1", value).replace(
                    "%2", self.tr("another grid has this code") if why == "duplicate" else self.tr("it does not follow the code pattern"))
                ctl.refused.emit(ctl.last_error)
                return False
            command = C.set_grid_attributes(plan, rid, **{column: value})
        else:
            command = C.SetCells("修改属性 Edit attribute", kind, rid, {column: value})
        header = next(c.header for c in KINDS[kind] if c.key == column)
        return ctl.push(command, self.tr("Set %1").replace("%1", _tr(header)), kinds=())

    def _on_edited(self, changes) -> None:
        for page in self.pages.values():
            page.model.apply_changes(changes)      # row by row: rows added at the end, nothing re-sorted
        if self.doc is not None:
            self._on_map_selection(list(self.doc.selection))
        self._update_count()

    # ------------------------------------------------------------------ selection both ways
    def _rows_selected(self, page) -> None:
        if self._syncing or self.doc is None or page.kind != "grids":
            return
        ids = page.selected_ids()
        self._syncing = True
        try:
            self.doc.set_selection(ids)
        finally:
            self._syncing = False

    def _on_map_selection(self, ids) -> None:
        if self._syncing:
            return
        page = self.pages["grids"]
        self._syncing = True
        try:
            if self.only_selected.isChecked():
                for p in self.pages.values():
                    self._apply_only(p)
                self._update_count()
            page.select_ids(ids)
        finally:
            self._syncing = False

    def _zoom_to(self, page, index) -> None:
        if self.doc is None or not index.isValid() or page.model.columns[index.column()].editable:
            return
        plan = self.doc.plan
        rid = page.model.id_at(index.row())
        if page.kind == "people":
            grids = [int(g) for g in plan.duties_of(person=rid)["grid"].dropna()]
            geoms = plan.grids.geometry.loc[[g for g in grids if g in plan.grids.index]].values
            if grids:
                self.doc.set_selection(grids)
        else:
            geoms = getattr(plan, page.kind).geometry.loc[[rid]].values
        if len(geoms):
            self.win.canvas.zoom_to(tuple(shapely.total_bounds(geoms)), margin=0.15, min_size=50.0)

    # ------------------------------------------------------------------ language
    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Attribute table"))
        self.filter.setPlaceholderText(self.tr("Filter: text in any column…"))
        self.only_selected.setText(self.tr("Only selected"))
        self.level_label.setText(self.tr("Level"))
        for i, kind in enumerate(KINDS):
            self.tabs.setTabText(i, _tr(TAB_TITLES[kind]))
            m = self.pages[kind].model
            m.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, m.columnCount() - 1)
        self._update_count()

    def changeEvent(self, e) -> None:
        if e.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(e)


def open_attribute_table(window) -> AttributeTable:
    """Show (make once) the attribute table of a main window, in front."""
    table = getattr(window, "attribute_table", None)
    if table is None:
        table = AttributeTable(window)
        window.attribute_table = table
    table.show()
    table.raise_()
    table.activateWindow()
    return table
