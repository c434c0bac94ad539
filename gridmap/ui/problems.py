"""The problems list: results of the coverage and responsibility checks
(:mod:`gridmap.core.checks`), one row per problem; a click selects and zooms to it.
Selecting a row emits :attr:`ProblemsPanel.selected`; a right-click
:attr:`ProblemsPanel.menuRequested` (the fixes of :mod:`gridmap.ui.fix_panel`
hang there and in the bar added with :meth:`ProblemsPanel.add_bar`).

API: :meth:`ProblemsPanel.set_problems` takes any iterable of mappings (or a
DataFrame) with the keys ``severity``, ``check``, ``message`` and optionally
``grids`` (grid ids), ``codes`` and ``geometry`` (shapely, project CRS).
"""

from __future__ import annotations

import collections

from collections.abc import Mapping

import numpy as np
import pandas as pd
from PySide6.QtCore import QAbstractTableModel, QCoreApplication, QEvent, QModelIndex, QSignalBlocker, Qt, Signal
from PySide6.QtWidgets import (QAbstractItemView, QHBoxLayout, QLabel, QPushButton, QTableView, QVBoxLayout,
                               QWidget)

__all__ = ["ProblemsPanel", "ProblemsModel", "normalise_problems"]


class Normalised(list):
    """Problems already as :func:`normalise_problems` makes them (not normalised again)."""


def normalise_problems(problems, lang: str = "zh") -> list[dict]:
    """Problems (``gridmap.core.checks.Problem`` objects, mappings or a DataFrame)
    as plain dicts with the keys the panel shows.

    >>> normalise_problems([{"check": "gap", "message": "缝隙 12 m²"}])[0]["severity"]
    'error'
    >>> from gridmap.core.checks import make_problem
    >>> p = normalise_problems([make_problem("gap", ("44030600100001",), area_m2=12.0)])[0]
    >>> p["rule"], p["codes"]
    ('gap', ['44030600100001'])
    """
    if problems is None:
        return Normalised()
    if isinstance(problems, Normalised):
        return problems
    if isinstance(problems, pd.DataFrame):
        records = problems.to_dict("records")
    else:
        records = [dict(p) if isinstance(p, Mapping) else dict(vars(p)) for p in problems]
    try:
        from ..core.checks import RULES
    except ImportError:
        RULES = {}
    out = Normalised()
    for r in records:
        rule = str(r.get("rule") or r.get("check") or "")
        title = str(r.get("check") or rule)
        if rule in RULES:
            title = RULES[rule].title_zh if lang == "zh" else RULES[rule].title_en
        msg = r.get("message") or (r.get("message_zh") if lang == "zh" else r.get("message_en")) or \
            r.get("message_zh") or r.get("message_en") or ""
        ids = r.get("ids") if r.get("ids") else r.get("grid_ids", r.get("grid"))
        grids = r.get("grids")
        codes = list(r.get("codes") or [])
        if grids is not None and not isinstance(grids, (str, int)) and len(grids) and isinstance(list(grids)[0], str):
            codes = codes or [str(c) for c in grids]
            grids = None
        if ids is None:
            ids = grids
        if ids is None or (not isinstance(ids, (list, tuple, np.ndarray)) and pd.isna(ids)):
            ids = []
        elif not isinstance(ids, (list, tuple, np.ndarray)):
            ids = [ids]
        out.append(dict(severity=str(r.get("severity") or "error"), check=title, rule=rule, message=str(msg),
                        grids=[int(g) for g in ids if not pd.isna(g)], codes=codes, geometry=r.get("geometry")))
    return out


def _row_key(p: dict) -> str:
    """What identifies a problem's row across re-checks (a string, made once per record)."""
    k = p.get("_key")
    if k is None:
        k = p["_key"] = _make_key(p)
    return k


def _make_key(p: dict) -> str:
    return "\x1f".join([p["severity"], p["rule"], p["message"], ",".join(str(g) for g in p["grids"]),
                         ",".join(str(c) for c in p["codes"])])


RANK = {"error": 0, "warning": 1, "info": 2}


class ProblemsModel(QAbstractTableModel):
    """The problems as a table model: severity, check, grids, message.  Texts are made when
    Qt asks for a row (the rows shown), so 300,000 problems of a freshly imported city cost
    a list, not 1.2 million table items; :meth:`set_problems` removes the rows of problems that
    are gone and inserts the new ones in a few contiguous blocks (a re-check after an edit
    touches its rows only); :meth:`sort` orders the rows by a column in one pass."""

    def __init__(self, panel):
        super().__init__(panel)
        self.panel = panel
        self.rows: list[dict] = []
        self.keys: list[str] = []
        self.sorted_by: tuple[int, object] | None = None      # (column, order) the user chose
        self._in_order = False                                # the rows are in that order now

    # ------------------------------------------------------------------ Qt model
    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else 4

    def _text(self, p: dict, col: int) -> str:
        if col == 0:
            return self.panel._severity_text(p["severity"])
        if col == 1:
            return p["check"]
        if col == 2:
            return ", ".join(str(c) for c in p["codes"]) if p["codes"] else ", ".join(str(g) for g in p["grids"])
        return p["message"]

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or index.row() >= len(self.rows):
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self._text(self.rows[index.row()], index.column())
        if role == Qt.ItemDataRole.UserRole:
            return self.keys[index.row()]
        return None

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal and 0 <= section < 4:
            return (QCoreApplication.translate("ProblemsPanel", "Severity"),
                    QCoreApplication.translate("ProblemsPanel", "Check"),
                    QCoreApplication.translate("ProblemsPanel", "Grids"),
                    QCoreApplication.translate("ProblemsPanel", "Message"))[section]
        return super().headerData(section, orientation, role)

    def sort(self, column, order=Qt.SortOrder.AscendingOrder) -> None:
        if column < 0 or not self.rows:
            self.sorted_by = None if column < 0 else (column, order)
            return
        if self.sorted_by == (column, order) and self._in_order:
            return                           # (the header and the view both ask)
        self.sorted_by = (column, order)
        self._in_order = True
        if column == 0:
            keys = [RANK.get(p["severity"], 3) for p in self.rows]
        else:
            keys = [self._text(p, column) for p in self.rows]
        idx = sorted(range(len(keys)), key=keys.__getitem__, reverse=order == Qt.SortOrder.DescendingOrder)
        self.layoutAboutToBeChanged.emit()
        old = self.persistentIndexList()
        where = {o: n for n, o in enumerate(idx)}
        self.rows = [self.rows[i] for i in idx]
        self.keys = [self.keys[i] for i in idx]
        self.changePersistentIndexList(old, [self.index(where[i.row()], i.column()) if i.row() in where
                                             else QModelIndex() for i in old])
        self.layoutChanged.emit()

    # ------------------------------------------------------------------ content
    def set_problems(self, new: list[dict]) -> None:
        """``new`` (errors first): the rows of problems that are gone removed, of new ones
        inserted (at the end of their severity's block, or at the end when the user sorted
        by a column), the others left as they are."""
        keys = getattr(new, "row_keys", None)     # (made by the live check's worker)
        keys = list(keys) if keys is not None and len(keys) == len(new) else [_row_key(p) for p in new]
        self._in_order = False
        if not self.rows or not new:
            self.beginResetModel()
            self.rows, self.keys = list(new), keys
            self.endResetModel()
            if self.sorted_by is not None:
                self.sort(*self.sorted_by)
            return
        want = collections.Counter(keys)
        keep = collections.Counter()
        gone = []
        for row, k in enumerate(self.keys):
            if keep[k] < want.get(k, 0):
                keep[k] += 1
            else:
                gone.append(row)
        added = want - keep
        if len(gone) + sum(added.values()) > max(5000, len(self.rows) // 2):
            self.beginResetModel()           # most of the list changed: show the new one
            self.rows, self.keys = list(new), keys
            self.endResetModel()
            if self.sorted_by is not None:
                self.sort(*self.sorted_by)
            return
        for a, b in reversed(_runs(gone)):   # removed in contiguous blocks, from the end
            self.beginRemoveRows(QModelIndex(), a, b)
            del self.rows[a:b + 1]
            del self.keys[a:b + 1]
            self.endRemoveRows()
        blocks: dict[int, list] = {}
        for p, k in zip(new, keys):
            if added.get(k):
                added[k] -= 1
                blocks.setdefault(RANK.get(p["severity"], 3), []).append((p, k))
        for r in sorted(blocks):
            if self.sorted_by is not None:
                at = len(self.rows)
            else:                            # the end of the block of severity r
                at = sum(1 for p in self.rows if RANK.get(p["severity"], 3) <= r)
            items = blocks[r]
            self.beginInsertRows(QModelIndex(), at, at + len(items) - 1)
            self.rows[at:at] = [p for p, _ in items]
            self.keys[at:at] = [k for _, k in items]
            self.endInsertRows()

    def retranslated(self) -> None:
        if self.rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self.rows) - 1, 0))
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, 3)


def _runs(rows: list[int]) -> list[tuple[int, int]]:
    """Sorted row numbers as (first, last) runs of consecutive rows.

    >>> _runs([1, 2, 3, 7, 9, 10])
    [(1, 3), (7, 7), (9, 10)]
    """
    out: list[tuple[int, int]] = []
    for r in rows:
        if out and r == out[-1][1] + 1:
            out[-1] = (out[-1][0], r)
        else:
            out.append((r, r))
    return out


class ProblemsPanel(QWidget):
    """A table of problems with a "run checks" button."""

    activated = Signal(dict)       # a problem row was double-clicked
    selected = Signal(object)      # the current problem row changed (dict, or None)
    menuRequested = Signal(dict, object)   # right-click on a problem row: (problem, global QPoint)
    runRequested = Signal()
    changed = Signal()             # the list was filled or cleared

    def __init__(self, parent=None):
        super().__init__(parent)
        self.summary = QLabel(self)
        self.run_button = QPushButton(self)
        self.model = ProblemsModel(self)
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)   # compact rows
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.table.setSortingEnabled(True)
        top = QHBoxLayout()
        top.addWidget(self.summary, 1)
        top.addWidget(self.run_button)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(2, 2, 2, 2)
        lay.addLayout(top)
        lay.addWidget(self.table, 1)
        self.problems: list[dict] = []
        self.ran = False
        self._sized = False
        self.table.doubleClicked.connect(self._on_index)
        self.table.clicked.connect(self._on_index)          # one click selects and zooms, as in QGIS
        self.table.selectionModel().selectionChanged.connect(lambda *_: self.selected.emit(self.current()))
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._on_menu)
        self.run_button.clicked.connect(self.runRequested.emit)
        self.retranslate()

    def row_count(self) -> int:
        """How many rows the list shows."""
        return self.model.rowCount()

    def row_rect(self, row: int, column: int = 1):
        """Where a row's cell is on the table's viewport (a click there selects it)."""
        return self.table.visualRect(self.model.index(row, column))

    def set_problems(self, problems) -> None:
        """Show ``problems``: rows of problems that are gone are removed, rows of new ones
        inserted (errors first), the others stay as they are — a re-check after an edit
        touches the rows it changed, not the whole list (issue 21)."""
        new = normalise_problems(problems)
        if not getattr(new, "ranked", False):      # (the live check's records come in this order)
            new = sorted(new, key=lambda p: RANK.get(p["severity"], 3))
        self.ran = True
        # the rows are new problems: no row stays selected (a stale selection would keep offering
        # the fixes of a problem that is gone), and the fix bar hears that nothing is selected
        had = bool(self.table.selectionModel().selectedRows())
        with QSignalBlocker(self.table.selectionModel()):
            self.table.clearSelection()
            self.table.setCurrentIndex(QModelIndex())
        self.model.set_problems(new)
        self.problems = new
        if not self._sized and new:
            self._sized = True
            self.table.resizeColumnsToContents()
        self._update_summary()
        self.changed.emit()
        if had:
            self.selected.emit(None)

    def current(self) -> dict | None:
        """The problem of the selected row (None: no row selected)."""
        rows = self.table.selectionModel().selectedRows()
        return self.problem_at(rows[0].row()) if rows else None

    def problem_at(self, row: int) -> dict | None:
        return self.model.rows[row] if 0 <= row < len(self.model.rows) else None

    def row_of(self, rule: str, grids) -> int:
        """The table row of the first problem of ``rule`` about these grid ids (-1: none)."""
        want = sorted(int(g) for g in grids)
        for row, p in enumerate(self.model.rows):
            if p["rule"] == rule and sorted(p["grids"]) == want:
                return row
        return -1

    def add_bar(self, widget) -> None:
        """A widget under the table (the fix bar)."""
        self.layout().addWidget(widget)

    def _on_menu(self, pos) -> None:
        row = self.table.rowAt(pos.y())
        if row < 0:
            return
        self.table.selectRow(row)
        p = self.problem_at(row)
        if p is not None:
            self.menuRequested.emit(p, self.table.viewport().mapToGlobal(pos))

    def clear(self) -> None:
        self.problems = []
        self.ran = False
        self.model.set_problems([])
        self._update_summary()
        self.changed.emit()

    def _severity_text(self, s: str) -> str:
        return {"error": self.tr("Error"), "warning": self.tr("Warning"), "info": self.tr("Info")}.get(s, s)

    def _on_index(self, index) -> None:
        p = self.problem_at(index.row())
        if p is not None:
            self.activated.emit(p)

    def _update_summary(self) -> None:
        if not self.ran:
            self.summary.setText(self.tr("Checks not run yet."))
        elif not self.problems:
            self.summary.setText(self.tr("No problems found."))
        else:
            errors = getattr(self.problems, "errors", None)      # (counted by the live check's worker)
            if errors is None:
                errors = sum(p["severity"] == "error" for p in self.problems)
            self.summary.setText(self.tr("%1 problem(s), %2 error(s)").replace("%1", str(len(self.problems)))
                                 .replace("%2", str(errors)))

    def retranslate(self) -> None:
        self.run_button.setText(self.tr("Run checks"))
        self.model.retranslated()
        self._update_summary()

    def changeEvent(self, e) -> None:
        if e.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(e)
