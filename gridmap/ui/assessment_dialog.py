"""考核与台账 (Assessment and ledger): score a month's check, see the month's and the year's
ranking with award classes and the "bottom N, M times in a row" flags, edit the scoring rules,
keep the work ledger — and export the ranking table (XLSX), the ranking map (PDF) and the
month's ledger (附件2).

Only displays and dispatches: every change is a core command (:mod:`gridmap.core.assessment`)
pushed through the document's edit buffer (one undo step each).
"""

from __future__ import annotations

import pandas as pd
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (QComboBox, QDateEdit, QDialog, QDialogButtonBox, QFileDialog, QFormLayout,
                               QHBoxLayout, QLabel, QLineEdit, QMessageBox, QPushButton, QSpinBox, QTableWidget,
                               QTableWidgetItem, QTabWidget, QVBoxLayout, QWidget)

from ..core.assessment import ledger as L
from ..core.assessment import scores as S

from .editing import bilingual  # noqa: E402
from .i18n import current_language  # noqa: E402

__all__ = ["AssessmentDialog"]


def _item(text, editable: bool = False) -> QTableWidgetItem:
    it = QTableWidgetItem("" if text is None or (not isinstance(text, str) and pd.isna(text)) else str(text))
    if not editable:
        it.setFlags(it.flags() & ~Qt.ItemFlag.ItemIsEditable)
    return it


def _num(v) -> str:
    if v is None or (not isinstance(v, str) and pd.isna(v)):
        return ""
    return f"{float(v):g}" if not isinstance(v, str) else v


class AssessmentDialog(QDialog):
    def __init__(self, document, parent=None):
        super().__init__(parent)
        self.document = document
        self.setObjectName("assessment_dialog")
        self.setWindowTitle(self.tr("Assessment and work ledger"))
        self.resize(1000, 640)
        lay = QVBoxLayout(self)
        self.tabs = QTabWidget()
        lay.addWidget(self.tabs)
        self._scores_tab()
        self._ranking_tab()
        self._rules_tab()
        self._ledger_tab()
        self._survey_tab()
        self.message = QLabel("")
        self.message.setWordWrap(True)
        lay.addWidget(self.message)
        box = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        box.button(QDialogButtonBox.StandardButton.Close).setText(self.tr("Close"))
        box.rejected.connect(self.reject)
        lay.addWidget(box)
        self._unsub = document.buffer.subscribe(self._changed)
        self.finished.connect(lambda *_: self._unsub())
        self.load_scores()
        self.show_ranking()
        self.load_rules()
        self.load_ledger()
        self.load_survey()

    @property
    def plan(self):
        return self.document.plan

    def _changed(self, changes) -> None:
        if changes.tables & {"assess_scores", "assess_items", "settings", "ledger", "survey", "grids", "roles"}:
            self.load_scores()
            self.show_ranking()
            self.load_rules()
            self.load_ledger()
            self.load_survey()

    def _push(self, make) -> bool:
        """Build a core command and push it; a refusal is shown, nothing changes."""
        try:
            cmd = make()
            if cmd is not None:
                self.document.push(cmd)
        except (S.AssessError, ValueError) as exc:
            self.message.setText(str(exc))
            QMessageBox.warning(self, self.tr("Assessment"), str(exc))
            return False
        self.message.setText("")
        return True

    # ------------------------------------------------------------------ scores
    def _period_row(self):
        year = QSpinBox()
        year.setRange(2000, 2100)
        year.setValue(QDate.currentDate().year())
        kind = QComboBox()
        kind.addItem(self.tr("Monthly check"), "monthly")
        kind.addItem(self.tr("Year-end check"), "year_end")
        month = QComboBox()
        for m in range(1, 13):
            month.addItem(self.tr("%1 month").replace("%1", str(m)), m)
        month.setCurrentIndex(QDate.currentDate().month() - 1)
        return year, kind, month

    def _scores_tab(self):
        w = QWidget()
        v = QVBoxLayout(w)
        row = QHBoxLayout()
        self.s_year, self.s_kind, self.s_month = self._period_row()
        for lab, wid in ((self.tr("Year"), self.s_year), (self.tr("Check"), self.s_kind), (self.tr("Month"), self.s_month)):
            row.addWidget(QLabel(lab))
            row.addWidget(wid)
        row.addStretch(1)
        self.scores_example = QLabel()
        self.scores_example.setObjectName("scores_example")
        self.scores_example.setStyleSheet("color: #8a5a00")
        row.addWidget(self.scores_example)
        v.addLayout(row)
        self.score_table = QTableWidget()
        self.score_table.setObjectName("score_table")
        v.addWidget(self.score_table)
        row = QHBoxLayout()
        self.save_scores_btn = QPushButton(self.tr("Record scores"))
        self.import_btn = QPushButton(self.tr("Import score sheet (XLSX)…"))
        self.sheet_btn = QPushButton(self.tr("Export blank score sheet (XLSX)…"))
        for b in (self.save_scores_btn, self.import_btn, self.sheet_btn):
            row.addWidget(b)
        row.addStretch(1)
        v.addLayout(row)
        self.save_scores_btn.clicked.connect(self.record_scores)
        self.import_btn.clicked.connect(self._choose_import)
        self.sheet_btn.clicked.connect(self._choose_sheet)
        for wid in (self.s_year, self.s_kind, self.s_month):
            (wid.valueChanged if isinstance(wid, QSpinBox) else wid.currentIndexChanged).connect(self.load_scores)
        self.tabs.addTab(w, self.tr("Scores"))

    def score_period(self) -> tuple[str, str]:
        kind = self.s_kind.currentData()
        y = self.s_year.value()
        self.s_month.setEnabled(kind == "monthly")
        return (f"{y}-{self.s_month.currentData():02d}" if kind == "monthly" else str(y)), kind

    def load_scores(self) -> None:
        period, kind = self.score_period()
        items = S.template(self.plan)
        grids = S.assessed_grids(self.plan)
        t = S.month_totals(self.plan, period, kind)
        cols = [self.tr("Grid code"), self.tr("Grid name")] + [f"{n}（{m:g}）" for n, m in
                                                                zip(items["name"], items["max_points"])] + [self.tr("Total")]
        tb = self.score_table
        tb.blockSignals(True)
        tb.clear()
        tb.setColumnCount(len(cols))
        tb.setHorizontalHeaderLabels(cols)
        tb.setRowCount(len(grids))
        for r, gid in enumerate(grids.index):
            tb.setItem(r, 0, _item(grids.at[gid, "code"]))
            tb.setItem(r, 1, _item(grids.at[gid, "name"]))
            for j, name in enumerate(items["name"], start=2):
                tb.setItem(r, j, _item(_num(t.at[gid, name]) if gid in t.index else "", editable=True))
            tb.setItem(r, len(cols) - 1, _item(_num(t.at[gid, "合计"]) if gid in t.index else ""))
        tb.resizeColumnsToContents()
        tb.blockSignals(False)

    def entered_scores(self) -> list[tuple[str, str, str]]:
        items = S.template(self.plan)["name"].tolist()
        out = []
        for r in range(self.score_table.rowCount()):
            code = self.score_table.item(r, 0).text()
            for j, name in enumerate(items, start=2):
                cell = self.score_table.item(r, j)
                text = cell.text().strip() if cell is not None else ""
                if text:
                    out.append((code, name, text))
        return out

    def record_scores(self, replace: bool | None = None) -> bool:
        period, kind = self.score_period()
        rows = self.entered_scores()
        s = self.plan.assess_scores
        had = bool(((s["kind"] == kind) & (s["period"] == period)).any())
        if had and replace is None:
            ans = QMessageBox.question(self, self.tr("Assessment"),
                                       self.tr("Scores of %1 are already recorded. Replace them?").replace("%1", period))
            replace = ans == QMessageBox.StandardButton.Yes
            if not replace:
                return False
        return self._push(lambda: S.record_scores(self.plan, period, rows, kind=kind, replace=bool(replace)))

    def _choose_import(self):
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Import score sheet"), "", "XLSX (*.xlsx)")
        if path:
            self.import_scores(path)

    def import_scores(self, path: str, replace: bool = False) -> bool:
        from ..core.assessment.sheets import read_score_sheet
        from ..core.editing.commands import Macro

        def make():
            cmds = []
            try:
                for period, kind, rows in read_score_sheet(self.plan, path):
                    if rows:
                        c = S.record_scores(self.plan, period, rows, kind=kind, replace=replace)
                        c.redo(self.plan)
                        cmds.append(c)
            finally:
                for c in reversed(cmds):
                    c.undo(self.plan)
            return Macro(self.tr("Import scores"), cmds) if cmds else None
        return self._push(make)

    def _choose_sheet(self):
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Export blank score sheet"), "", "XLSX (*.xlsx)")
        if path:
            self.export_sheet(path)

    def export_sheet(self, path: str) -> None:
        from ..core.assessment.sheets import write_score_sheet

        period, kind = self.score_period()
        write_score_sheet(self.plan, path, [(period, kind)])
        self.message.setText(self.tr("Written: %1").replace("%1", path))

    # ------------------------------------------------------------------ ranking
    def _ranking_tab(self):
        w = QWidget()
        v = QVBoxLayout(w)
        row = QHBoxLayout()
        self.r_year, self.r_kind, self.r_month = self._period_row()
        self.r_kind.clear()
        self.r_kind.addItem(self.tr("Month"), "month")
        self.r_kind.addItem(self.tr("Whole year"), "year")
        self.r_kind.setCurrentIndex(1)
        for lab, wid in ((self.tr("Year"), self.r_year), (self.tr("Ranking of"), self.r_kind), (self.tr("Month"), self.r_month)):
            row.addWidget(QLabel(lab))
            row.addWidget(wid)
        row.addStretch(1)
        v.addLayout(row)
        self.rank_table = QTableWidget()
        self.rank_table.setObjectName("rank_table")
        v.addWidget(self.rank_table)
        self.flags_label = QLabel("")
        self.flags_label.setObjectName("flags_label")
        self.flags_label.setWordWrap(True)
        v.addWidget(self.flags_label)
        self.history_label = QLabel("")
        self.history_label.setObjectName("history_label")
        self.history_label.setWordWrap(True)
        v.addWidget(self.history_label)
        self.rank_table.itemSelectionChanged.connect(self.show_history)
        row = QHBoxLayout()
        self.rank_xlsx_btn = QPushButton(self.tr("Export ranking table (XLSX)…"))
        self.rank_map_btn = QPushButton(self.tr("Export ranking map (PDF)…"))
        row.addWidget(self.rank_xlsx_btn)
        row.addWidget(self.rank_map_btn)
        row.addStretch(1)
        v.addLayout(row)
        self.rank_xlsx_btn.clicked.connect(lambda: self._choose_out("XLSX (*.xlsx)", self.export_ranking))
        self.rank_map_btn.clicked.connect(lambda: self._choose_out("PDF (*.pdf)", self.export_ranking_map))
        for wid in (self.r_year, self.r_kind, self.r_month):
            (wid.valueChanged if isinstance(wid, QSpinBox) else wid.currentIndexChanged).connect(self.show_ranking)
        self.tabs.addTab(w, self.tr("Ranking"))

    def ranking_args(self) -> dict:
        y = self.r_year.value()
        self.r_month.setEnabled(self.r_kind.currentData() == "month")
        if self.r_kind.currentData() == "month":
            return {"period": f"{y}-{self.r_month.currentData():02d}"}
        return {"year": str(y)}

    def show_ranking(self) -> None:
        from ..core.assessment.sheets import _shown

        args = self.ranking_args()
        try:
            table = S.month_ranking(self.plan, args["period"]) if "period" in args else S.year_ranking(self.plan, args["year"])
        except S.AssessError as exc:
            self.flags_label.setText(str(exc))
            return
        shown = _shown(table)
        headers = {"排名": self.tr("Rank"), "网格编号": self.tr("Grid code"), "网格名称": self.tr("Grid name"),
                   "合计": self.tr("Total"), "末位": self.tr("Bottom places"), "备注": self.tr("Notes"),
                   "月度检查次数": self.tr("Monthly checks"), "月度平均分": self.tr("Monthly average"),
                   "年终检查得分": self.tr("Year-end check"), "年度总分": self.tr("Yearly total"),
                   "等次": self.tr("Class"), "须书面说明": self.tr("Written explanation")}
        tb = self.rank_table
        tb.clear()
        tb.setColumnCount(len(shown.columns))
        tb.setHorizontalHeaderLabels([headers.get(c, c) for c in shown.columns])
        tb.setRowCount(len(shown))
        notes = {"未检查": self.tr("not checked"), "部分项目未评分": self.tr("some items not scored"),
                 "无月度检查": self.tr("no monthly check"), "缺年终检查": self.tr("no year-end check"),
                 "是": self.tr("yes")}
        for r, row in enumerate(shown.itertuples(index=False)):
            for j, v in enumerate(row):
                text = _num(v) if not isinstance(v, str) else "；".join(notes.get(p, p) for p in v.split("；")) if v else ""
                tb.setItem(r, j, _item(text))
        tb.resizeColumnsToContents()
        flags = S.bottom_flags(self.plan, args.get("year") or args["period"][:4])
        rules = S.Rules.of(self.plan)
        if flags:
            lines = [self.tr("%1 checks in a row in the bottom %2 — the leader must explain in writing:")
                     .replace("%1", str(rules.streak)).replace("%2", str(rules.bottom))]
            for f in flags:
                who = "、".join(p["name"] + (f" {p['phone']}" if p["phone"] else "") for p in f["leaders"]) or self.tr("no leader set")
                lines.append(f"{f['code']} {f['name']}（{'、'.join(f['months'])}）→ {who}")
            self.flags_label.setText("\n".join(lines))
        else:
            self.flags_label.setText(self.tr("No grid was in the bottom %1 for %2 checks in a row.")
                                     .replace("%1", str(rules.bottom)).replace("%2", str(rules.streak)))

    def show_history(self) -> None:
        """The selected grid's checks over time (score and rank of each check)."""
        rows = {i.row() for i in self.rank_table.selectedItems()}
        if len(rows) != 1:
            self.history_label.setText("")
            return
        code_col = next((j for j in range(self.rank_table.columnCount())
                         if self.rank_table.horizontalHeaderItem(j).text() == self.tr("Grid code")), 1)
        code = self.rank_table.item(rows.pop(), code_col).text()
        try:
            gid = self.plan.grid_by_code(code)
        except ValueError:
            return
        h = S.grid_history(self.plan, gid)
        parts = [self.tr("%1: %2 points, rank %3 of %4").replace("%1", p).replace("%2", f"{t:g}")
                 .replace("%3", str(r)).replace("%4", str(n)) for p, t, r, n in zip(h["期间"], h["合计"], h["排名"], h["参评网格数"])]
        self.history_label.setText(self.tr("History of %1: ").replace("%1", code) + ("；".join(parts) or self.tr("no checks recorded")))

    def _choose_out(self, pattern: str, run) -> None:
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Export"), "", pattern)
        if path:
            run(path)

    def export_ranking(self, path: str) -> None:
        from ..core.assessment.sheets import write_rankings

        write_rankings(self.plan, path, **self.ranking_args())
        self.message.setText(self.tr("Written: %1").replace("%1", path))

    def export_ranking_map(self, path: str) -> None:
        from ..core.assessment.rankmap import save_ranking_map

        try:
            save_ranking_map(self.plan, path, **self.ranking_args())
        except S.AssessError as exc:
            self.message.setText(str(exc))
            return
        self.message.setText(self.tr("Written: %1").replace("%1", path))

    # ------------------------------------------------------------------ rules
    def _rules_tab(self):
        w = QWidget()
        v = QVBoxLayout(w)
        v.addWidget(QLabel(self.tr("Scoring template: items and maximum points (one item per row; an empty row is dropped)")))
        self.example_note = QLabel()
        self.example_note.setObjectName("example_note")
        self.example_note.setWordWrap(True)
        self.example_note.setStyleSheet("color: #8a5a00; background: #fff4d6; padding: 4px")
        v.addWidget(self.example_note)
        self.items_table = QTableWidget()
        self.items_table.setObjectName("items_table")
        v.addWidget(self.items_table)
        form = QFormLayout()
        self.weights = QLineEdit()
        self.classes = QLineEdit()
        self.rest_class = QLineEdit()
        self.bottom = QSpinBox()
        self.bottom.setRange(1, 99)
        self.streak = QSpinBox()
        self.streak.setRange(1, 99)
        form.addRow(self.tr("Weights (monthly %, year-end %)"), self.weights)
        form.addRow(self.tr("Award classes by yearly rank (name:count, …)"), self.classes)
        form.addRow(self.tr("Class of the other grids"), self.rest_class)
        form.addRow(self.tr("Bottom places that count"), self.bottom)
        form.addRow(self.tr("Checks in a row that flag a grid"), self.streak)
        v.addLayout(form)
        self.apply_rules_btn = QPushButton(self.tr("Apply rules"))
        self.apply_rules_btn.clicked.connect(self.apply_rules)
        v.addWidget(self.apply_rules_btn, alignment=Qt.AlignmentFlag.AlignLeft)
        self.tabs.addTab(w, self.tr("Rules"))

    def load_rules(self) -> None:
        items = S.template(self.plan)
        tb = self.items_table
        tb.clear()
        tb.setColumnCount(2)
        tb.setHorizontalHeaderLabels([self.tr("Item"), self.tr("Maximum points")])
        tb.setRowCount(len(items) + 1)
        for r, (n, m) in enumerate(zip(items["name"], items["max_points"])):
            tb.setItem(r, 0, _item(n, True))
            tb.setItem(r, 1, _item(_num(m), True))
        tb.setItem(len(items), 0, _item("", True))
        tb.setItem(len(items), 1, _item("", True))
        example = S.template_is_example(self.plan)
        note = S.EXAMPLE_NOTE_EN if current_language() == "en" else S.EXAMPLE_NOTE_ZH
        self.example_note.setText(note)
        self.example_note.setVisible(example)
        if hasattr(self, "scores_example"):
            self.scores_example.setText(self.tr("(example points: edit them under Rules)") if example else "")
        r = S.Rules.of(self.plan).settings()
        self.weights.setText(r["assess.weights"])
        self.classes.setText(r["assess.classes"])
        self.rest_class.setText(r["assess.rest_class"])
        self.bottom.setValue(int(r["assess.bottom"]))
        self.streak.setValue(int(r["assess.streak"]))

    def apply_rules(self) -> bool:
        from ..core.editing.commands import Macro

        def make():
            items = []
            for r in range(self.items_table.rowCount()):
                n = self.items_table.item(r, 0)
                p = self.items_table.item(r, 1)
                name, pts = (n.text().strip() if n else ""), (p.text().strip() if p else "")
                if name or pts:
                    items.append((name, pts))
            cmds = []
            t = S.template(self.plan)
            if items != [(a, f"{b:g}") for a, b in zip(t["name"], t["max_points"])] or len(self.plan.assess_items) == 0:
                cmds.append(S.set_template(self.plan, items))
            s = dict(S.Rules.of(self.plan).settings())
            s.update({"assess.weights": self.weights.text(), "assess.classes": self.classes.text(),
                      "assess.rest_class": self.rest_class.text(), "assess.bottom": str(self.bottom.value()),
                      "assess.streak": str(self.streak.value())})
            rc = S.set_rules(self.plan, S.Rules.parse(s, self.plan))
            if rc is not None:
                cmds.append(rc)
            return Macro(self.tr("Assessment rules"), cmds) if cmds else None
        return self._push(make)

    # ------------------------------------------------------------------ ledger
    def _ledger_tab(self):
        w = QWidget()
        v = QVBoxLayout(w)
        row = QHBoxLayout()
        self.l_year, _, self.l_month = self._period_row()
        for lab, wid in ((self.tr("Year"), self.l_year), (self.tr("Month"), self.l_month)):
            row.addWidget(QLabel(lab))
            row.addWidget(wid)
        row.addStretch(1)
        v.addLayout(row)
        self.ledger_table = QTableWidget()
        self.ledger_table.setObjectName("ledger_table")
        v.addWidget(self.ledger_table)
        form = QFormLayout()
        self.l_grid = QComboBox()
        self.l_date = QDateEdit(QDate.currentDate())
        self.l_date.setCalendarPopup(True)
        self.l_date.setDisplayFormat("yyyy-MM-dd")
        self.l_matter = QLineEdit()
        self.l_visitors = QLineEdit()
        self.l_contact = QLineEdit()
        self.l_outcome = QLineEdit()
        self.l_category = QComboBox()
        self.l_category.addItem(self.tr("(none)"), "")
        for c in L.CATEGORIES:
            self.l_category.addItem(c, c)
        for lab, wid in ((self.tr("Community (grid)"), self.l_grid), (self.tr("Date"), self.l_date),
                         (self.tr("Matter"), self.l_matter), (self.tr("Who went, and their phone"), self.l_visitors),
                         (self.tr("Community contact and phone"), self.l_contact), (self.tr("Outcome"), self.l_outcome),
                         (self.tr("Category (three kinds of matters)"), self.l_category)):
            form.addRow(lab, wid)
        v.addLayout(form)
        row = QHBoxLayout()
        self.add_record_btn = QPushButton(self.tr("Add record"))
        self.ledger_xlsx_btn = QPushButton(self.tr("Export the month's ledger (XLSX)…"))
        row.addWidget(self.add_record_btn)
        row.addWidget(self.ledger_xlsx_btn)
        row.addStretch(1)
        v.addLayout(row)
        self.no_visit_label = QLabel("")
        self.no_visit_label.setObjectName("no_visit_label")
        self.no_visit_label.setWordWrap(True)
        v.addWidget(self.no_visit_label)
        self.add_record_btn.clicked.connect(self.add_record)
        self.ledger_xlsx_btn.clicked.connect(lambda: self._choose_out("XLSX (*.xlsx)", self.export_ledger))
        self.l_year.valueChanged.connect(self.load_ledger)
        self.l_month.currentIndexChanged.connect(self.load_ledger)
        self.tabs.addTab(w, self.tr("Work ledger"))

    def ledger_month(self) -> str:
        return f"{self.l_year.value()}-{self.l_month.currentData():02d}"

    def load_ledger(self) -> None:
        grids = S.assessed_grids(self.plan)
        current = self.l_grid.currentData()
        self.l_grid.blockSignals(True)
        self.l_grid.clear()
        for code, name in zip(grids["code"], grids["name"]):
            self.l_grid.addItem(f"{code} {name}", str(code))
        if current is not None:
            k = self.l_grid.findData(current)
            if k >= 0:
                self.l_grid.setCurrentIndex(k)
        self.l_grid.blockSignals(False)
        month = self.ledger_month()
        df = L.ledger_frame(self.plan, month)
        tb = self.ledger_table
        tb.clear()
        heads = [self.tr("No."), self.tr("Date"), self.tr("Community"), self.tr("Matter"),
                 self.tr("Who went, and their phone"), self.tr("Community contact and phone")]
        tb.setColumnCount(len(heads))
        tb.setHorizontalHeaderLabels(heads)
        tb.setRowCount(len(df))
        for r, row in enumerate(df.itertuples(index=False)):
            for j, v in enumerate(row):
                tb.setItem(r, j, _item(v))
        tb.resizeColumnsToContents()
        missing = L.no_visit(self.plan, month)
        self.no_visit_label.setText(
            self.tr("Communities with no visit in %1: %2").replace("%1", month).replace("%2", "、".join(n or c for c, n in missing))
            if missing else self.tr("Every community was visited in %1.").replace("%1", month))

    def add_record(self) -> bool:
        ok = self._push(lambda: L.add_record(
            self.plan, self.l_grid.currentData() or "", self.l_date.date().toString("yyyy-MM-dd"), self.l_matter.text(),
            self.l_visitors.text(), self.l_contact.text(), self.l_outcome.text(), self.l_category.currentData() or ""))
        if ok:
            self.l_matter.clear()
            self.l_outcome.clear()
        return ok

    def export_ledger(self, path: str) -> None:
        L.write_ledger(self.plan, path, self.ledger_month())
        self.message.setText(self.tr("Written: %1").replace("%1", path))

    # ------------------------------------------------------------------ satisfaction survey
    def _survey_tab(self):
        w = QWidget()
        v = QVBoxLayout(w)
        row = QHBoxLayout()
        self.v_year, _, self.v_month = self._period_row()
        for lab, wid in ((self.tr("Year"), self.v_year), (self.tr("Month"), self.v_month)):
            row.addWidget(QLabel(lab))
            row.addWidget(wid)
        row.addStretch(1)
        v.addLayout(row)
        self.survey_table = QTableWidget()
        self.survey_table.setObjectName("survey_table")
        v.addWidget(self.survey_table)
        row = QHBoxLayout()
        self.survey_import_btn = QPushButton(self.tr("Import survey tallies (XLSX)…"))
        self.survey_xlsx_btn = QPushButton(self.tr("Export satisfaction rates (XLSX)…"))
        self.survey_question = QComboBox()
        self.survey_question.setObjectName("survey_question")
        self.survey_question.addItem(self.tr("Every question (a PDF page each)"), None)
        from ..core.assessment.survey import QUESTIONS

        for q in QUESTIONS:
            self.survey_question.addItem(q, q)
        self.survey_map_btn = QPushButton(self.tr("Export satisfaction map (PDF/PNG)…"))
        row.addWidget(self.survey_import_btn)
        row.addWidget(self.survey_xlsx_btn)
        row.addWidget(self.survey_question)
        row.addWidget(self.survey_map_btn)
        row.addStretch(1)
        v.addLayout(row)
        self.survey_import_btn.clicked.connect(self._choose_survey)
        self.survey_xlsx_btn.clicked.connect(lambda: self._choose_out("XLSX (*.xlsx)", self.export_survey))
        self.survey_map_btn.clicked.connect(lambda: self._choose_out("PDF (*.pdf);;PNG (*.png)", self.export_survey_map))
        self.v_year.valueChanged.connect(self.load_survey)
        self.v_month.currentIndexChanged.connect(self.load_survey)
        self.tabs.addTab(w, self.tr("Satisfaction survey"))

    def survey_month(self) -> str:
        return f"{self.v_year.value()}-{self.v_month.currentData():02d}"

    def load_survey(self) -> None:
        from ..core.assessment.survey import rate_table

        df = rate_table(self.plan, self.survey_month())
        heads = [self.tr("No."), self.tr("Grid code"), self.tr("Community"), self.tr("Question"), self.tr("Satisfied"),
                 self.tr("Fairly satisfied"), self.tr("Not satisfied"), self.tr("Total"), self.tr("Satisfaction rate (%)"),
                 self.tr("Reasons for dissatisfaction")]
        tb = self.survey_table
        tb.clear()
        tb.setColumnCount(len(heads))
        tb.setHorizontalHeaderLabels(heads)
        tb.setRowCount(len(df))
        for r, row in enumerate(df.itertuples(index=False)):
            for j, val in enumerate(row):
                tb.setItem(r, j, _item(self.tr("All communities") if val == "总计" else _num(val) if not isinstance(val, str) else val))
        tb.resizeColumnsToContents()

    def _choose_survey(self):
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Import survey tallies"), "", "XLSX (*.xlsx)")
        if path:
            self.import_survey(path)

    def import_survey(self, path: str, replace: bool = False) -> bool:
        from ..core.assessment.survey import read_tallies, record_tallies

        return self._push(lambda: record_tallies(self.plan, self.survey_month(), read_tallies(path), replace=replace))

    def export_survey(self, path: str) -> None:
        from ..core.assessment.scores import period_text
        from ..core.assessment.survey import rate_table
        from ..core.exchange.tables import write_xlsx

        m = self.survey_month()
        write_xlsx({"s": (f"{period_text(m)}满意度调查统计表", rate_table(self.plan, m), None)}, path, self.plan.name)
        self.message.setText(self.tr("Written: %1").replace("%1", path))

    def export_survey_map(self, path: str) -> list:
        """The satisfaction map of the month: every question (PDF pages; PNG one file each) or the one chosen."""
        from ..core.assessment.surveymap import save_satisfaction_map

        try:
            infos = save_satisfaction_map(self.plan, path, self.survey_month(),
                                          question=self.survey_question.currentData())
        except (S.AssessError, OSError, ValueError) as exc:
            self.message.setText(bilingual(str(exc), current_language()))
            return []
        self.message.setText(self.tr("Written: %1").replace("%1", "、".join(dict.fromkeys(i["path"] for i in infos))))
        return infos
