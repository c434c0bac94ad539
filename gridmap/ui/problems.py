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
from PySide6.QtCore import QEvent, QSignalBlocker, Qt, Signal
from PySide6.QtWidgets import (QAbstractItemView, QHBoxLayout, QLabel, QPushButton, QTableWidget,
                               QTableWidgetItem, QVBoxLayout, QWidget)

__all__ = ["ProblemsPanel", "normalise_problems"]


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
        return []
    if isinstance(problems, pd.DataFrame):
        records = problems.to_dict("records")
    else:
        records = [dict(p) if isinstance(p, Mapping) else dict(vars(p)) for p in problems]
    out = []
    for r in records:
        rule = str(r.get("rule") or r.get("check") or "")
        title = str(r.get("check") or rule)
        try:
            from ..core.checks import RULES

            if rule in RULES:
                title = RULES[rule].title_zh if lang == "zh" else RULES[rule].title_en
        except ImportError:
            pass
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
    """What identifies a problem's row across re-checks (a string: it is kept in the row)."""
    return "\x1f".join([p["severity"], p["rule"], p["message"], ",".join(str(g) for g in p["grids"]),
                         ",".join(str(c) for c in p["codes"])])


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
        self.table = QTableWidget(0, 4, self)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)   # compact rows
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setSortingEnabled(True)
        self.table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        top = QHBoxLayout()
        top.addWidget(self.summary, 1)
        top.addWidget(self.run_button)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(2, 2, 2, 2)
        lay.addLayout(top)
        lay.addWidget(self.table, 1)
        self.problems: list[dict] = []
        self._by_key: dict = {}             # row key → problem (a row's item 0 holds its key)
        self.ran = False
        self.table.cellDoubleClicked.connect(self._on_double)
        self.table.cellClicked.connect(self._on_double)      # one click selects and zooms, as in QGIS
        self.table.itemSelectionChanged.connect(lambda: self.selected.emit(self.current()))
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._on_menu)
        self.run_button.clicked.connect(self.runRequested.emit)
        self.retranslate()

    def set_problems(self, problems) -> None:
        """Show ``problems``: rows of problems that are gone are removed, rows of new ones
        inserted (errors first), the others stay as they are — a re-check after an edit
        touches the rows it changed, not the whole list (issue 21)."""
        rank = {"error": 0, "warning": 1, "info": 2}
        new = sorted(normalise_problems(problems), key=lambda p: rank.get(p["severity"], 3))
        self.ran = True
        # the rows are new problems: no row stays selected (a stale selection would keep offering
        # the fixes of a problem that is gone), and the fix bar hears that nothing is selected
        had = bool(self.table.selectionModel().selectedRows())
        with QSignalBlocker(self.table):
            self.table.clearSelection()
            self.table.setCurrentCell(-1, -1)
        want = collections.Counter(_row_key(p) for p in new)
        by_key = {}
        for p in new:
            by_key.setdefault(_row_key(p), p)
        first = self.table.rowCount() == 0
        sorted_by_user = self.table.horizontalHeader().sortIndicatorSection() >= 0
        self.table.setSortingEnabled(False)
        keep = collections.Counter()
        gone = []
        for row in range(self.table.rowCount()):
            item = self.table.item(row, 0)
            k = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
            if k is not None and keep[k] < want.get(k, 0):
                keep[k] += 1
            else:
                gone.append(row)
        for row in reversed(gone):
            self.table.removeRow(row)
        # rows left, per severity rank: a new problem goes at the end of its severity's block
        left = collections.Counter()
        for row in range(self.table.rowCount()):
            item = self.table.item(row, 0)
            left[rank.get(by_key[item.data(Qt.ItemDataRole.UserRole)]["severity"], 3)] += 1
        added = want - keep
        for p in new:
            k = _row_key(p)
            if not added.get(k):
                continue
            added[k] -= 1
            r = rank.get(p["severity"], 3)
            row = self.table.rowCount() if sorted_by_user else sum(n for q, n in left.items() if q <= r)
            left[r] += 1
            self.table.insertRow(row)
            sev = QTableWidgetItem(self._severity_text(p["severity"]))
            sev.setData(Qt.ItemDataRole.UserRole, k)
            self.table.setItem(row, 0, sev)
            self.table.setItem(row, 1, QTableWidgetItem(p["check"]))
            codes = ", ".join(str(c) for c in p["codes"]) if p["codes"] else ", ".join(str(g) for g in p["grids"])
            self.table.setItem(row, 2, QTableWidgetItem(codes))
            self.table.setItem(row, 3, QTableWidgetItem(p["message"]))
        self.problems = new
        self._by_key = by_key
        self.table.setSortingEnabled(True)   # errors first; a header click sorts by a column
        if first:
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
        item = self.table.item(row, 0)
        return None if item is None else self._by_key.get(item.data(Qt.ItemDataRole.UserRole))

    def row_of(self, rule: str, grids) -> int:
        """The table row of the first problem of ``rule`` about these grid ids (-1: none)."""
        want = sorted(int(g) for g in grids)
        for row in range(self.table.rowCount()):
            p = self.problem_at(row)
            if p is not None and p["rule"] == rule and sorted(p["grids"]) == want:
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
        self._by_key = {}
        self.ran = False
        self.table.setRowCount(0)
        self._update_summary()
        self.changed.emit()

    def _severity_text(self, s: str) -> str:
        return {"error": self.tr("Error"), "warning": self.tr("Warning"), "info": self.tr("Info")}.get(s, s)

    def _on_double(self, row: int, col: int) -> None:
        p = self.problem_at(row)
        if p is not None:
            self.activated.emit(p)

    def _update_summary(self) -> None:
        if not self.ran:
            self.summary.setText(self.tr("Checks not run yet."))
        elif not self.problems:
            self.summary.setText(self.tr("No problems found."))
        else:
            errors = sum(p["severity"] == "error" for p in self.problems)
            self.summary.setText(self.tr("%1 problem(s), %2 error(s)").replace("%1", str(len(self.problems)))
                                 .replace("%2", str(errors)))

    def retranslate(self) -> None:
        self.run_button.setText(self.tr("Run checks"))
        self.table.setHorizontalHeaderLabels([self.tr("Severity"), self.tr("Check"), self.tr("Grids"),
                                              self.tr("Message")])
        for i in range(self.table.rowCount()):
            p = self.problem_at(i)
            if p is not None:
                self.table.item(i, 0).setText(self._severity_text(p["severity"]))
        self._update_summary()

    def changeEvent(self, e) -> None:
        if e.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(e)
