"""Export an annex table from a template (导出 → 按模板导出附件表…): pick a built-in
template (the seed documents' tables), one kept in the plan or a JSON file, the level it
lists, see the table, save it as XLSX, DOCX or CSV.  新建模板… / 编辑模板… open the
template editor (:class:`TemplateEditor`): title, annex label, level, one row per grid or
per person, sort, totals, paper; the columns with their source (a grid field or a role's
person/unit attribute), header as the document prints it, the grouped header over
adjacent columns (two merged header rows), merging repeated values down, width; a live
preview; save into the plan (one undo step) or as a JSON file.  A built-in is never
changed: editing it makes a copy.  The table is built by
:mod:`gridmap.core.exchange.templates`; these dialogs only display and dispatch.
"""

from __future__ import annotations

from pathlib import Path

import copy
import json
import re

from PySide6.QtCore import QSignalBlocker, Qt, Signal
from PySide6.QtWidgets import (QAbstractItemView, QCheckBox, QComboBox, QDialog, QDialogButtonBox, QFileDialog,
                               QFormLayout, QGroupBox, QHBoxLayout, QHeaderView, QLabel, QLineEdit, QPushButton,
                               QSpinBox, QSplitter, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget)

from ..core.exchange import ExchangeError
from ..core.messages import bi
from ..core.exchange.templates import (BUILTIN, TEMPLATE_PREFIX, export_template, load_template, plan_templates,
                                      template_table)

from .editing import bilingual  # noqa: E402
from .i18n import current_language  # noqa: E402

__all__ = ["TemplateDialog", "TemplateEditor", "field_choices"]


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
        self.new_button = QPushButton(self.tr("New template…"))
        self.new_button.clicked.connect(lambda: self.edit_template(new=True))
        self.edit_button = QPushButton(self.tr("Edit template…"))
        self.edit_button.setToolTip(self.tr("A built-in template is not changed: editing it makes a copy"))
        self.edit_button.clicked.connect(lambda: self.edit_template(new=False))
        self.editor: TemplateEditor | None = None
        self.level = QComboBox()
        self.level.addItem(self.tr("The template's level"), None)
        for lv in plan.levels:
            self.level.addItem(lv.name, lv.key)
        self.level.currentIndexChanged.connect(self._preview)
        form = QFormLayout()
        form.addRow(self.tr("Template"), self.template)
        buttons_row = QHBoxLayout()
        for b in (self.from_file, self.keep_button, self.new_button, self.edit_button):
            buttons_row.addWidget(b)
        buttons_row.addStretch(1)
        form.addRow("", buttons_row)
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

    def _fill_templates(self, select: str | None = None) -> None:
        """The list: the plan's own templates, the built-ins, files picked meanwhile."""
        files = [(self.template.itemText(i), self.template.itemData(i)) for i in range(self.template.count())
                 if str(self.template.itemData(i)).lower().endswith(".json")]
        with QSignalBlocker(self.template):
            self.template.clear()
            for name, t in plan_templates(self.plan).items():
                self.template.addItem(f"{name}（{t.get('annex', '')} {t.get('title', '')}）", name)
            for name, t in BUILTIN.items():
                self.template.addItem(f"{t.get('annex', '')} {t['title'].replace('{plan}', '')}".strip(), name)
            for text, data in files:
                self.template.addItem(text, data)
            if select is not None and self.template.findData(select) >= 0:
                self.template.setCurrentIndex(self.template.findData(select))
        self._preview()

    def edit_template(self, new: bool = False) -> "TemplateEditor":
        """Open the template editor on the current template (a built-in: a copy) or on a new one."""
        name = str(self.template.currentData() or "")
        if new:
            t, name = {"title": "{plan}", "annex": "附件1", "level": self.plan.levels[-1].key,
                       "columns": [{"header": "序号", "field": "seq"}, {"header": "网格名称", "field": "name"}],
                       "sort": ["code"], "paper": "A4", "landscape": False}, self.tr("new_template")
        else:
            try:
                t = copy.deepcopy(self.current())
            except ExchangeError as exc:
                self.error.setText(bilingual(str(exc), current_language()))
                return None
            if name.lower().endswith(".json"):
                name = Path(name).stem
            elif name in BUILTIN and name not in plan_templates(self.plan):
                name = name + self.tr("_copy")
        self.editor = TemplateEditor(self.plan, t, name, self.project_path, self, self.folder)
        self.editor.keep.connect(self._kept_from_editor)
        self.editor.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        self.editor.open()
        return self.editor

    def _kept_from_editor(self, values: dict) -> None:
        self.keep.emit(values)
        key = next(iter(values))
        self._fill_templates(select=key[len(TEMPLATE_PREFIX):])

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
        fill_preview(self.table, t["columns"], df)      # as printed: header rows, merged cells
        self.header_rows = 2 if any(c.get("group") for c in t["columns"]) else 1

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


def field_choices(lang: str = "zh", rows: str = "grid") -> list[tuple[str, str]]:
    """(field, label) of every column source a template can use, in the UI's language."""
    from ..core.plan import ROLE_LABELS, ROLES

    zh = lang != "en"

    def L(a, b):
        return a if zh else b

    out = [("seq", L("序号", "No.")), ("code", L("网格编码", "Grid code")), ("name", L("网格名称", "Grid name")),
           ("area_km2", L("面积（平方公里）", "Area (km²)")), ("sides", L("四至（范围）", "Four sides (extent)")),
           ("parent.name", L("上级网格名称", "Parent grid name")), ("parent.code", L("上级网格编码", "Parent grid code")),
           ("parent.parent.name", L("上上级网格名称", "Grandparent grid name")),
           ("blank", L("空白（手填）", "Blank (filled in by hand)"))]
    attrs = (("name", L("姓名", "name")), ("post", L("职务", "post")), ("phone", L("联系电话", "phone")),
             ("text", L("姓名（职务，电话）", "name (post, phone)")))
    for role, kind in ROLES.items():
        label = ROLE_LABELS[role][0 if zh else 1]
        if kind == "unit":
            out.append((f"role.{role}.name", f"{label} · {L('名称', 'name')}"))
        else:
            out += [(f"role.{role}.{a}", f"{label} · {t}") for a, t in attrs]
    if rows == "person":
        out += [("person.name", L("人员 · 姓名", "Person · name")), ("person.post", L("人员 · 职务", "Person · post")),
                ("person.phone", L("人员 · 联系电话", "Person · phone")),
                ("person.category", L("人员 · 类别", "Person · category")),
                ("person.role", L("人员 · 职责", "Person · role"))]
    return out


def fill_preview(table: QTableWidget, cols: list[dict], df) -> None:
    """The table as the document prints it: the header rows as cells (a group header merged over
    its columns, an ungrouped header over both rows), repeated values of a merged column in one cell."""
    from PySide6.QtGui import QBrush, QColor, QFont

    grouped = any(c.get("group") for c in cols)
    nh = 2 if grouped else 1
    table.clear()
    table.clearSpans()
    table.horizontalHeader().setVisible(False)
    table.verticalHeader().setVisible(False)
    table.setColumnCount(len(cols))
    table.setRowCount(nh + len(df))
    bold = QFont()
    bold.setBold(True)
    grey = QBrush(QColor("#eeeeee"))

    def head(r, j, text):
        it = QTableWidgetItem(text)
        it.setFont(bold)
        it.setBackground(grey)
        it.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
        table.setItem(r, j, it)

    j = 0
    while j < len(cols):
        g = cols[j].get("group")
        if grouped and g:
            k = j
            while k + 1 < len(cols) and cols[k + 1].get("group") == g:
                k += 1
            head(0, j, g)
            if k > j:
                table.setSpan(0, j, 1, k - j + 1)
            for x in range(j, k + 1):
                head(1, x, cols[x]["header"])
            j = k + 1
        else:
            head(0, j, cols[j]["header"])
            if grouped:
                table.setSpan(0, j, 2, 1)
            j += 1
    for i, row in enumerate(df.itertuples(index=False)):
        for x, v in enumerate(row):
            it = QTableWidgetItem(str(v))
            it.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
            table.setItem(nh + i, x, it)
    for x, c in enumerate(cols):
        if c.get("merge") and len(df):
            vals = df.iloc[:, x].tolist()
            start = 0
            for k in range(1, len(vals) + 1):
                if k == len(vals) or vals[k] != vals[start]:
                    if k - start > 1:
                        table.setSpan(nh + start, x, k - start, 1)
                    start = k
    table.resizeColumnsToContents()


class TemplateEditor(QDialog):
    """Create or edit an annex-table template with a live preview; save it into the plan
    (:attr:`keep` → one undo step) or as a JSON file."""

    keep = Signal(dict)        # {"template.NAME": JSON text}

    COLS = 5   # 表头, 分组表头, 数据来源, 合并相同值, 列宽

    def __init__(self, plan, template: dict, name: str = "", project_path=None, parent=None, folder: str = ""):
        super().__init__(parent)
        self.plan, self.project_path, self.folder = plan, project_path, folder
        self.lang = "en" if current_language() == "en" else "zh"
        self.setWindowTitle(self.tr("Table template"))
        self.resize(1100, 760)
        t = copy.deepcopy(template)
        self.name = QLineEdit(name)
        self.name.setObjectName("template_name")
        self.title = QLineEdit(str(t.get("title", "")))
        self.title.setToolTip(self.tr("{plan} is replaced by the plan's name, {level} by the level listed"))
        self.annex = QLineEdit(str(t.get("annex", "")))
        self.level = QComboBox()
        for lv in plan.levels:
            self.level.addItem(lv.name, lv.key)
        spec = t.get("level")
        k = next((i for i, lv in enumerate(plan.levels) if spec in (lv.key, lv.name)), len(plan.levels) - 1)
        self.level.setCurrentIndex(k)
        self.rows = QComboBox()
        self.rows.addItem(self.tr("One row per grid"), "grid")
        self.rows.addItem(self.tr("One row per person and role"), "person")
        self.rows.setCurrentIndex(1 if t.get("rows") == "person" else 0)
        self.sort = QLineEdit(", ".join(t.get("sort") or ["code"]))
        self.sort.setToolTip(self.tr("Fields the rows are sorted by, e.g. parent.code, code"))
        self.totals = QCheckBox(self.tr("合计 row (number of rows)"))
        self.totals.setChecked(bool(t.get("totals")))
        self.paper = QComboBox()
        self.paper.addItems(["A4", "A3"])
        self.paper.setCurrentText("A3" if str(t.get("paper", "A4")).upper() == "A3" else "A4")
        self.landscape = QCheckBox(self.tr("Landscape"))
        self.landscape.setChecked(bool(t.get("landscape")))
        self.example = QLabel()
        self.example.setWordWrap(True)
        self.example.setStyleSheet("color: #7a5b00")
        top = QFormLayout()
        top.addRow(self.tr("Template name"), self.name)
        top.addRow(self.tr("Title"), self.title)
        top.addRow(self.tr("Annex label"), self.annex)
        r = QHBoxLayout()
        for w in (self.level, self.rows, QLabel(self.tr("Sort by")), self.sort):
            r.addWidget(w)
        top.addRow(self.tr("Level listed"), r)
        r2 = QHBoxLayout()
        for w in (self.paper, self.landscape, self.totals):
            r2.addWidget(w)
        r2.addStretch(1)
        top.addRow(self.tr("Paper"), r2)

        self.columns = QTableWidget(0, self.COLS)
        self.columns.setObjectName("template_columns")
        self.columns.setHorizontalHeaderLabels([self.tr("Header (as printed)"), self.tr("Group header (merged row)"),
                                                self.tr("Source"), self.tr("Merge repeats"),
                                                self.tr("Width (characters)")])
        self.columns.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.columns.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.columns.horizontalHeader().setStretchLastSection(True)
        self.columns.itemChanged.connect(lambda _i: self._preview())
        col_buttons = QHBoxLayout()
        self.add_col = QPushButton(self.tr("Add column"))
        self.del_col = QPushButton(self.tr("Remove column"))
        self.up_col = QPushButton(self.tr("Move up"))
        self.down_col = QPushButton(self.tr("Move down"))
        self.add_col.clicked.connect(lambda: self.add_column({"header": self.tr("New column"), "field": "name"}))
        self.del_col.clicked.connect(self.remove_column)
        self.up_col.clicked.connect(lambda: self.move_column(-1))
        self.down_col.clicked.connect(lambda: self.move_column(1))
        for b in (self.add_col, self.del_col, self.up_col, self.down_col):
            col_buttons.addWidget(b)
        col_buttons.addStretch(1)
        cbox = QGroupBox(self.tr("Columns"))
        cl = QVBoxLayout(cbox)
        cl.addWidget(self.columns, 1)
        cl.addLayout(col_buttons)

        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #c00000")
        self.preview = QTableWidget(0, 0)
        self.preview.setObjectName("template_preview")
        self.preview.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.preview.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        pbox = QGroupBox(self.tr("Preview"))
        self.preview_title = QLabel()
        self.preview_title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.preview_title.setStyleSheet("font-weight: bold")
        pl = QVBoxLayout(pbox)
        pl.addWidget(self.preview_title)
        pl.addWidget(self.preview, 1)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(cbox)
        split.addWidget(pbox)
        split.setSizes([300, 320])

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.keep_button = self.buttons.addButton(self.tr("Save into the plan"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.file_button = self.buttons.addButton(self.tr("Save as JSON file…"), QDialogButtonBox.ButtonRole.ActionRole)
        self.keep_button.clicked.connect(self.save_to_plan)
        self.file_button.clicked.connect(lambda: self.save_json())
        self.buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addLayout(top)
        lay.addWidget(self.example)
        lay.addWidget(split, 1)
        lay.addWidget(self.error)
        lay.addWidget(self.buttons)
        for w in (self.name, self.title, self.annex, self.sort):
            w.textChanged.connect(self._preview)
        for w in (self.level, self.paper):
            w.currentIndexChanged.connect(self._preview)
        self.rows.currentIndexChanged.connect(self._rows_changed)
        for w in (self.totals, self.landscape):
            w.toggled.connect(self._preview)
        self._extra = {k: v for k, v in t.items() if k not in ("title", "annex", "level", "rows", "sort", "totals",
                                                                "paper", "landscape", "columns")}
        self._filling = True
        for c in t.get("columns", []):
            self.add_column(c)
        self._filling = False
        self._preview()

    # ------------------------------------------------------------------ columns
    def _source_combo(self, field: str) -> QComboBox:
        box = QComboBox()
        box.setEditable(True)
        for f, label in field_choices(self.lang, self.rows.currentData() or "grid"):
            box.addItem(label, f)
            box.setItemData(box.count() - 1, f, Qt.ItemDataRole.ToolTipRole)     # the field as the JSON has it
        i = box.findData(field)
        if i < 0:
            box.addItem(field, field)
            i = box.count() - 1
        box.setCurrentIndex(i)
        box.currentIndexChanged.connect(self._preview)
        box.editTextChanged.connect(self._preview)
        return box

    def add_column(self, col: dict, at: int | None = None) -> int:
        with QSignalBlocker(self.columns):
            i = self.columns.rowCount() if at is None else at
            self.columns.insertRow(i)
            self.columns.setItem(i, 0, QTableWidgetItem(str(col.get("header", ""))))
            self.columns.setItem(i, 1, QTableWidgetItem(str(col.get("group", "") or "")))
            self.columns.setCellWidget(i, 2, self._source_combo(str(col.get("field", "name"))))
            merge = QCheckBox()
            merge.setChecked(bool(col.get("merge")))
            merge.toggled.connect(self._preview)
            self.columns.setCellWidget(i, 3, merge)
            width = QSpinBox()
            width.setRange(0, 80)
            width.setSpecialValueText(self.tr("fit"))
            width.setValue(int(float(col.get("width") or 0)))
            width.valueChanged.connect(self._preview)
            self.columns.setCellWidget(i, 4, width)
        if not getattr(self, "_filling", False):
            self.columns.selectRow(i)
            self._preview()
        return i

    def column(self, i: int) -> dict:
        """Column ``i`` as the template stores it."""
        src = self.columns.cellWidget(i, 2)
        idx = src.currentIndex()
        text = src.currentText().strip()
        if idx >= 0 and src.itemText(idx) == src.currentText():
            field = src.itemData(idx)
        else:                                   # typed: a label of the list, or a field as the JSON has it
            hit = src.findText(text)
            field = src.itemData(hit) if hit >= 0 else text
        out = {"header": self.columns.item(i, 0).text().strip(), "field": str(field or "").strip()}
        group = self.columns.item(i, 1).text().strip()
        if group:
            out["group"] = group
        if self.columns.cellWidget(i, 3).isChecked():
            out["merge"] = True
        if self.columns.cellWidget(i, 4).value():
            out["width"] = self.columns.cellWidget(i, 4).value()
        return out

    def remove_column(self) -> None:
        rows = sorted({ix.row() for ix in self.columns.selectedIndexes()}, reverse=True)
        for r in rows:
            self.columns.removeRow(r)
        self._preview()

    def move_column(self, step: int) -> None:
        r = self.columns.currentRow()
        to = r + step
        if r < 0 or not 0 <= to < self.columns.rowCount():
            return
        col = self.column(r)
        self.columns.removeRow(r)
        self._filling = True
        self.add_column(col, at=to)
        self._filling = False
        self.columns.selectRow(to)
        self._preview()

    def _rows_changed(self) -> None:
        cols = [self.column(i) for i in range(self.columns.rowCount())]
        self.columns.setRowCount(0)
        self._filling = True
        for c in cols:
            self.add_column(c)
        self._filling = False
        self._preview()

    # ------------------------------------------------------------------ the template
    def template(self) -> dict:
        t = dict(self._extra)
        t.update({"title": self.title.text(), "annex": self.annex.text().strip(), "level": self.level.currentData(),
                  "columns": [self.column(i) for i in range(self.columns.rowCount())],
                  "sort": [x.strip() for x in re.split(r"[,，、\s]+", self.sort.text()) if x.strip()] or ["code"],
                  "totals": self.totals.isChecked(), "paper": self.paper.currentText(),
                  "landscape": self.landscape.isChecked()})
        if self.rows.currentData() == "person":
            t["rows"] = "person"
        else:
            t.pop("rows", None)
        return t

    def _preview(self, *_a) -> None:
        if getattr(self, "_filling", False) or not hasattr(self, "preview"):
            return
        t = self.template()
        self.example.setText(str(t.get("note", "")))
        self.example.setVisible(bool(t.get("note")))
        ok = bool(self.name.text().strip()) and bool(t["columns"])
        try:
            if not t["columns"]:
                raise ExchangeError(bi("模板至少需要一列", "a template needs at least one column"))
            df = template_table(self.plan, t, None, self.project_path)
        except ExchangeError as exc:
            self.error.setText(bilingual(str(exc), current_language()))
            self.keep_button.setEnabled(False)
            self.file_button.setEnabled(False)
            self.preview.setRowCount(0)
            return
        self.error.setText("" if self.name.text().strip() else self.tr("Give the template a name."))
        self.keep_button.setEnabled(ok)
        self.file_button.setEnabled(True)
        title = t["title"].replace("{plan}", self.plan.name).replace("{level}", df.attrs.get("level_name", ""))
        self.preview_title.setText(f"{t['annex']}  {title}".strip())
        fill_preview(self.preview, t["columns"], df)

    def save_to_plan(self) -> bool:
        name = self.name.text().strip()
        if not name or not self.keep_button.isEnabled():
            return False
        if name in BUILTIN:
            self.error.setText(self.tr("%1 is a built-in template's name; choose another.").replace("%1", name))
            return False
        self.keep.emit({TEMPLATE_PREFIX + name: json.dumps(self.template(), ensure_ascii=False)})
        self.accept()
        return True

    def save_json(self, path: str | None = None):
        if not path:
            path, _ = QFileDialog.getSaveFileName(self, self.tr("Save as JSON file…"),
                                                  str(Path(self.folder or ".") / f"{self.name.text().strip()}.json"),
                                                  "JSON (*.json)")
        if not path:
            return None
        try:
            Path(path).write_text(json.dumps(self.template(), ensure_ascii=False, indent=2), encoding="utf-8")
        except OSError as exc:
            self.error.setText(bilingual(f"{path}: " + bi("无法写入", "cannot write") + f" ({exc.strerror})",
                                         current_language()))
            return None
        return Path(path)
