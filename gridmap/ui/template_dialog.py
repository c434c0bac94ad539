"""Export an annex table from a template (导出 → 按模板导出附件表…): pick a built-in
template (the seed documents' tables) or a JSON file, the level it lists, see the
table, save it as XLSX or CSV.  The table is built by
:mod:`gridmap.core.exchange.templates`; this dialog only displays and dispatches.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (QComboBox, QDialog, QDialogButtonBox, QFileDialog, QFormLayout, QHeaderView, QLabel,
                               QPushButton, QTableWidget, QTableWidgetItem, QVBoxLayout)

from ..core.exchange import ExchangeError
from ..core.exchange.templates import (BUILTIN, TEMPLATE_PREFIX, export_template, load_template, plan_templates,
                                      template_table)

from .editing import bilingual  # noqa: E402
from .i18n import current_language  # noqa: E402

__all__ = ["TemplateDialog"]


class TemplateDialog(QDialog):
    keep = Signal(dict)        # {"template.NAME": JSON text}: keep a file's template in the plan

    def __init__(self, plan, project_path=None, parent=None, folder: str = ""):
        super().__init__(parent)
        self.plan, self.project_path, self.folder = plan, project_path, folder
        self.setWindowTitle(self.tr("Annex table from a template"))
        self.resize(860, 520)
        self.template = QComboBox()
        for name, t in plan_templates(plan).items():
            self.template.addItem(f"{name}（{t.get('annex', '')} {t.get('title', '')}）", name)
        for name, t in BUILTIN.items():
            self.template.addItem(f"{t.get('annex', '')} {t['title'].replace('{plan}', '')}".strip(), name)
        self.template.currentIndexChanged.connect(self._preview)
        self.from_file = QPushButton(self.tr("Template file…"))
        self.from_file.clicked.connect(self._pick_file)
        self.keep_button = QPushButton(self.tr("Keep this template in the plan"))
        self.keep_button.clicked.connect(self._keep)
        self.level = QComboBox()
        self.level.addItem(self.tr("The template's level"), None)
        for lv in plan.levels:
            self.level.addItem(lv.name, lv.key)
        self.level.currentIndexChanged.connect(self._preview)
        form = QFormLayout()
        form.addRow(self.tr("Template"), self.template)
        form.addRow("", self.from_file)
        form.addRow("", self.keep_button)
        form.addRow(self.tr("Level listed"), self.level)
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #c00000")
        self.table = QTableWidget(0, 0)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.save_button = self.buttons.addButton(self.tr("Save as…"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.save_button.clicked.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addLayout(form)
        lay.addWidget(self.error)
        lay.addWidget(self.table, 1)
        lay.addWidget(self.buttons)
        self.last_saved: Path | None = None
        self._preview()

    def current(self) -> dict:
        return load_template(self.template.currentData(), self.plan)

    def _keep(self) -> None:
        import json

        data = str(self.template.currentData())
        if not data.lower().endswith(".json"):
            return
        try:
            t = self.current()
        except ExchangeError as exc:
            self.error.setText(bilingual(str(exc), current_language()))
            return
        self.keep.emit({TEMPLATE_PREFIX + Path(data).stem: json.dumps(t, ensure_ascii=False)})

    def _pick_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Template file"), self.folder, "JSON (*.json)")
        if path:
            self.template.addItem(Path(path).name, path)
            self.template.setCurrentIndex(self.template.count() - 1)

    def _preview(self) -> None:
        try:
            t = self.current()
            df = template_table(self.plan, t, self.level.currentData(), self.project_path)
        except ExchangeError as exc:
            self.error.setText(bilingual(str(exc), current_language()))
            self.save_button.setEnabled(False)
            self.table.setRowCount(0)
            return
        self.error.setText("")
        self.save_button.setEnabled(True)
        self.keep_button.setEnabled(str(self.template.currentData()).lower().endswith(".json"))
        heads = [f"{c['group']}\n{c['header']}" if c.get("group") else c["header"] for c in t["columns"]]
        self.table.clear()
        self.table.setColumnCount(len(heads))
        self.table.setRowCount(len(df))
        self.table.setHorizontalHeaderLabels(heads)
        for i, row in enumerate(df.itertuples(index=False)):
            for j, v in enumerate(row):
                self.table.setItem(i, j, QTableWidgetItem(str(v)))

    def save(self, path: str | None = None) -> Path | None:
        if not path:
            path, _ = QFileDialog.getSaveFileName(self, self.tr("Save as…"), self.folder,
                                                  "Excel (*.xlsx);;Word (*.docx);;CSV (*.csv)")
        if not path:
            return None
        try:
            out = export_template(self.plan, self.current(), path, self.level.currentData(), self.project_path,
                                  Path(path).suffix.lower().lstrip(".") if Path(path).suffix.lower() in
                                  (".csv", ".docx") else "xlsx")
        except ExchangeError as exc:
            self.error.setText(bilingual(str(exc), current_language()))
            return None
        self.last_saved = Path(out)
        self.error.setText("")
        return self.last_saved
