"""The import dialog: a foreign file as a base layer, or as grids of a level
with a field-mapping step — encoding and CRS shown with previews and overridable.

All reading is done by :mod:`gridmap.core.exchange`; the dialog shows what
:func:`~gridmap.core.exchange.readers.inspect` found (layers, fields, the
detected text encoding with how each alternative would decode, the CRS or the
guess for it) and collects the planner's choices as an :class:`ImportSpec`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication
from PySide6.QtWidgets import (QButtonGroup, QComboBox, QDialog, QDialogButtonBox, QFormLayout, QGroupBox,
                               QLabel, QRadioButton, QSizePolicy, QVBoxLayout, QWidget)

from .i18n import crs_display_name

__all__ = ["ImportDialog", "ImportSpec", "SourceOptions"]


@dataclass
class ImportSpec:
    """What to import and how."""

    path: str
    layer: str | None = None
    encoding: str | None = None      # None: as detected
    crs: str | None = None           # None: the file's (or the guess); "EPSG:…", "gcj02", "bd09"
    as_grids: bool = False
    level: str = ""
    mapping: dict = field(default_factory=dict)   # code/name/parent/notes → source field


_NONE = "—"



_ENCODINGS = {"utf-8": QT_TRANSLATE_NOOP("SourceOptions", "UTF-8 (Unicode)"),
              "gbk": QT_TRANSLATE_NOOP("SourceOptions", "GBK (Simplified Chinese)"),
              "gb18030": QT_TRANSLATE_NOOP("SourceOptions", "GB18030 (Simplified Chinese)"),
              "big5": QT_TRANSLATE_NOOP("SourceOptions", "Big5 (Traditional Chinese)"),
              "big5hkscs": QT_TRANSLATE_NOOP("SourceOptions", "Big5-HKSCS (Hong Kong)"),
              "cp950": QT_TRANSLATE_NOOP("SourceOptions", "CP950 (Traditional Chinese)")}
_GEOMETRIES = {"Point": QT_TRANSLATE_NOOP("ImportDialog", "points"), "MultiPoint": QT_TRANSLATE_NOOP("ImportDialog", "points"),
               "LineString": QT_TRANSLATE_NOOP("ImportDialog", "lines"),
               "MultiLineString": QT_TRANSLATE_NOOP("ImportDialog", "lines"),
               "Polygon": QT_TRANSLATE_NOOP("ImportDialog", "polygons"),
               "MultiPolygon": QT_TRANSLATE_NOOP("ImportDialog", "polygons"),
               "None": QT_TRANSLATE_NOOP("ImportDialog", "table, no geometry"),
               "Unknown": QT_TRANSLATE_NOOP("ImportDialog", "mixed geometry")}


def encoding_label(codec: str) -> str:
    """A text encoding as a planner reads it ("GBK（简体中文）"); unknown codecs as they are."""
    key = _ENCODINGS.get(str(codec).lower().replace("_", "-"))
    return QCoreApplication.translate("SourceOptions", key) if key else str(codec)


def geometry_label(kind) -> str:
    """A layer's geometry type in the UI's language."""
    key = _GEOMETRIES.get(str(kind).replace(" Z", "").replace("3D ", ""))
    return QCoreApplication.translate("ImportDialog", key) if key else str(kind)

class SourceOptions(QWidget):
    """The text encoding (with a preview of how each alternative decodes) and the
    CRS (from the file, or the guess with its reason and candidates) of one layer
    that :func:`~gridmap.core.exchange.readers.inspect` described — shared by the
    import dialog and the new plan wizard, so both detect and override alike."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.entry: dict = {}
        self.encoding = QComboBox()
        self.encoding_preview = QLabel()
        self.encoding_preview.setWordWrap(True)
        self.crs = QComboBox()
        self.crs.setEditable(True)
        self.crs_note = QLabel()
        self.crs_note.setWordWrap(True)
        self.crs_note.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)   # never clipped
        self.encoding.currentIndexChanged.connect(self._encoding_changed)

    def add_rows(self, form: QFormLayout) -> None:
        form.addRow(self.tr("Text encoding"), self.encoding)
        form.addRow("", self.encoding_preview)
        form.addRow(self.tr("Coordinate system"), self.crs)
        form.addRow("", self.crs_note)

    def set_entry(self, e: dict, suspect: str | None = None) -> None:
        """Show a layer's detected encoding and CRS; ``suspect`` ("gcj02"/"bd09")
        preselects a shifted datum the coordinates probably are in, with a warning."""
        self.entry = e
        self.encoding.blockSignals(True)
        self.encoding.clear()
        guess = e.get("encoding")
        if guess is not None and not isinstance(guess, str):
            self.encoding.addItem(self.tr("%s (detected)") % guess.label, None)
            for alt in guess.alternatives:
                self.encoding.addItem(encoding_label(alt), alt)
        else:
            self.encoding.addItem(self.tr("as stored in the file"), None)
            for alt in ("utf-8", "gbk", "big5"):
                self.encoding.addItem(encoding_label(alt), alt)
        self.encoding.blockSignals(False)
        self._encoding_changed()
        self.crs.clear()
        crs = e.get("crs")
        g = e.get("crs_guess")
        note = ""
        if crs is not None:
            self.crs.addItem(self.tr("%s (from the file)") % crs.to_string(), None)
            note = crs_display_name(crs.name)
        elif g is not None:
            if g.crs is not None:
                self.crs.addItem(self.tr("%s (guessed — please confirm)") % g.crs.to_string(), g.crs.to_string())
            for c in g.candidates:
                self.crs.addItem(self._label(c), c)
            from . import i18n
            from .editing import bilingual
            note = bilingual(g.reason, "en" if i18n.current_language() == "en" else "zh")   # the UI's half
        for c in ("EPSG:4490", "EPSG:4326", "gcj02", "bd09"):
            if self.crs.findData(c) < 0:
                self.crs.addItem(self._label(c), c)
        if suspect:
            self.crs.setCurrentIndex(self.crs.findData(suspect))
            warn = (self.tr("The coordinates are probably GCJ-02 (Amap/Tencent): they will be converted to "
                            "CGCS2000 (about 300–600 m). Choose another datum if you know better.")
                    if suspect == "gcj02" else
                    self.tr("The coordinates are probably BD-09 (Baidu): they will be converted to CGCS2000. "
                            "Choose another datum if you know better."))
            note = "⚠ " + warn + ("\n" + note if note else "")
        self.crs_note.setText(note)

    def _label(self, code: str) -> str:
        """A CRS choice as a planner reads it: "EPSG:4490 · CGCS2000", "GCJ-02 (Amap/Tencent) → CGCS2000"."""
        if code == "gcj02":
            return self.tr("GCJ-02 (Amap/Tencent), converted to CGCS2000")
        if code == "bd09":
            return self.tr("BD-09 (Baidu), converted to CGCS2000")
        try:
            from pyproj import CRS

            return f"{code} · {crs_display_name(CRS.from_user_input(code).name)}"
        except Exception:
            return code

    def _encoding_changed(self, *_):
        guess = self.entry.get("encoding")
        if guess is None or isinstance(guess, str):
            self.encoding_preview.setText("")
            return
        chosen = self.encoding.currentData()
        sample = guess.preview if chosen is None else guess.alternatives.get(chosen, [])
        text = self.tr("Preview: %s") % " · ".join(sample[:4])
        note = guess.replacement_note() if chosen is None else None
        if note:                      # never garble silently: say how many values lost characters, and where
            text += "\n⚠ " + note
        self.encoding_preview.setText(text)

    def chosen_encoding(self) -> str | None:
        return self.encoding.currentData()

    def chosen_crs(self) -> str | None:
        """The CRS the planner chose (None: the file's own)."""
        crs_text = self.crs.currentData()
        if crs_text is None and self.crs.currentIndex() < 0 or self.crs.currentText() != self.crs.itemText(
                self.crs.currentIndex()):
            crs_text = self.crs.currentText().strip() or None  # typed by the planner
        return crs_text


class ImportDialog(QDialog):
    """Shows a file's layers, encoding and CRS; asks how to import it."""

    def __init__(self, path: str, plan=None, parent=None):
        super().__init__(parent)
        from ..core.exchange.readers import inspect

        self.setWindowTitle(self.tr("Import %s") % path)
        self.path = path
        self.plan = plan
        self.info = inspect(path)
        if not self.info["layers"]:
            raise ValueError(f"{path}: no layer to import")

        self.layer = QComboBox()
        for lay in self.info["layers"]:
            self.layer.addItem(self.tr("%1 (%2, %n feature(s))", "", int(lay["features"] or 0))
                               .replace("%1", str(lay["name"])).replace("%2", geometry_label(lay["geometry"])), lay["name"])
        self.layer.setProperty("data_values", True)          # the file's own layer names
        self.source = SourceOptions(self)
        self.encoding, self.encoding_preview = self.source.encoding, self.source.encoding_preview
        self.crs, self.crs_note = self.source.crs, self.source.crs_note

        self.as_base = QRadioButton(self.tr("As a base layer"))
        self.as_grids = QRadioButton(self.tr("As grids of a level"))
        group = QButtonGroup(self)
        group.addButton(self.as_base)
        group.addButton(self.as_grids)
        self.level = QComboBox()
        if plan is not None:
            for lv in plan.levels:
                self.level.addItem(lv.name, lv.key)
        self.fields = {k: QComboBox() for k in ("code", "name", "parent", "notes")}
        for c in self.fields.values():
            c.setProperty("data_values", True)     # the file's own field names

        src = QFormLayout()
        src.addRow(self.tr("Layer"), self.layer)
        self.source.add_rows(src)
        box1 = QGroupBox(self.tr("Source"))
        box1.setLayout(src)

        mapping = QFormLayout()
        mapping.addRow(self.as_base)
        mapping.addRow(self.as_grids)
        mapping.addRow(self.tr("Level"), self.level)
        labels = {"code": self.tr("Code field"), "name": self.tr("Name field"),
                  "parent": self.tr("Parent field (code or name)"), "notes": self.tr("Notes field")}
        for k, combo in self.fields.items():
            mapping.addRow(labels[k], combo)
        box2 = QGroupBox(self.tr("Import"))
        box2.setLayout(mapping)

        buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addWidget(box1)
        lay.addWidget(box2)
        lay.addWidget(buttons)

        self.layer.currentIndexChanged.connect(self._layer_changed)
        self.as_grids.toggled.connect(self._mode_changed)
        self.as_base.setChecked(True)
        self.as_grids.setEnabled(plan is not None)
        self._layer_changed()
        self._mode_changed()

    # ------------------------------------------------------------------ state
    def _entry(self) -> dict:
        return self.info["layers"][max(self.layer.currentIndex(), 0)]

    def _layer_changed(self, *_):
        e = self._entry()
        self.source.set_entry(e)
        fields = [f for f in e.get("fields", []) if not f.startswith("layers: ")]
        for k, combo in self.fields.items():
            combo.clear()
            combo.addItem(_NONE, None)
            for f in fields:
                combo.addItem(f, f)
            for i, f in enumerate(fields):  # propose the obvious field
                low = f.lower()
                if (k == "code" and ("code" in low or "编码" in f or "编号" in f or low.endswith("id"))) or \
                        (k == "name" and ("name" in low or "名称" in f)) or \
                        (k == "parent" and ("parent" in low or "上级" in f)) or \
                        (k == "notes" and ("note" in low or "备注" in f)):
                    combo.setCurrentIndex(i + 1)
                    break

    def _mode_changed(self, *_):
        on = self.as_grids.isChecked()
        self.level.setEnabled(on)
        for combo in self.fields.values():
            combo.setEnabled(on)

    # ------------------------------------------------------------------ result
    def spec(self) -> ImportSpec:
        return ImportSpec(
            path=self.path, layer=self.layer.currentData(), encoding=self.source.chosen_encoding(),
            crs=self.source.chosen_crs(),
            as_grids=self.as_grids.isChecked(), level=self.level.currentData() or "",
            mapping={k: c.currentData() for k, c in self.fields.items() if c.currentData()})
