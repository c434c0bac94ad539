"""Small dialogs: layer style, tile base map source."""

from __future__ import annotations

from PySide6.QtCore import QSettings
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (QCheckBox, QColorDialog, QComboBox, QDialog, QDialogButtonBox, QDoubleSpinBox,
                               QFormLayout, QLineEdit, QPushButton, QVBoxLayout)

from .layers.tiles import TILE_PRESETS

__all__ = ["ColorButton", "LayerStyleDialog", "TileSourceDialog"]


class ColorButton(QPushButton):
    """A button showing a colour; click to choose another ("" = none when allowed)."""

    def __init__(self, color: str, allow_none: bool = False, parent=None):
        super().__init__(parent)
        self.allow_none = allow_none
        self.set_color(color)
        self.clicked.connect(self._choose)

    def set_color(self, color: str) -> None:
        self.color = color or ""
        self.setText(self.color or self.tr("none"))
        self.setStyleSheet(f"background:{self.color};" if self.color else "")

    def _choose(self) -> None:
        c = QColorDialog.getColor(QColor(self.color or "#ffffff"), self, self.tr("Choose colour"))
        if c.isValid():
            self.set_color(c.name())


class LayerStyleDialog(QDialog):
    """Outline and fill colour, line width, fill opacity, labels by field."""

    def __init__(self, layer, parent=None):
        super().__init__(parent)
        self.layer = layer
        self.setWindowTitle(self.tr("Style of %1").replace("%1", layer.name))
        st = layer.style
        form = QFormLayout()
        self.stroke = ColorButton(st.get("stroke", "#333333"))
        self.fill = ColorButton(st.get("fill", ""), allow_none=True)
        self.no_fill = QCheckBox(self.tr("No fill"))
        self.no_fill.setChecked(not st.get("fill"))
        self.width = QDoubleSpinBox()
        self.width.setRange(0.0, 20.0)
        self.width.setSingleStep(0.2)
        self.width.setValue(float(st.get("width", 1.0)))
        self.fill_opacity = QDoubleSpinBox()
        self.fill_opacity.setRange(0.0, 1.0)
        self.fill_opacity.setSingleStep(0.05)
        self.fill_opacity.setValue(float(st.get("fill_opacity", 0.25)))
        self.label_field = QComboBox()
        self.label_field.setEditable(True)
        self.label_field.setProperty("data_values", True)     # the layer's own field names
        self.label_field.addItem("")
        for f in layer.fields():
            self.label_field.addItem(f)
        if hasattr(layer, "fields") and {"name", "code"} <= set(layer.fields()):
            self.label_field.addItem("{name} {code}")
        self.label_field.setCurrentText(str(st.get("label_field", "")))
        form.addRow(self.tr("Outline colour"), self.stroke)
        form.addRow(self.tr("Line width (px)"), self.width)
        form.addRow(self.tr("Fill colour"), self.fill)
        form.addRow("", self.no_fill)
        form.addRow(self.tr("Fill opacity"), self.fill_opacity)
        form.addRow(self.tr("Labels by field"), self.label_field)
        has_geometry = hasattr(layer, "geoms")
        for w in (self.stroke, self.width, self.fill, self.no_fill, self.fill_opacity, self.label_field):
            w.setEnabled(has_geometry)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addLayout(form)
        lay.addWidget(buttons)

    def style(self) -> dict:
        return {"stroke": self.stroke.color or "#333333", "width": float(self.width.value()),
                "fill": "" if self.no_fill.isChecked() else (self.fill.color or ""),
                "fill_opacity": float(self.fill_opacity.value()),
                "label_field": self.label_field.currentText().strip()}


class TileSourceDialog(QDialog):
    """Pick a tile provider (OpenStreetMap, 天地图 with a key, 高德 GCJ-02) or a custom URL template."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("Add tile base map"))
        self.preset = QComboBox()
        for key, (name, url, opts) in TILE_PRESETS.items():
            self.preset.addItem(name, key)
        self.preset.addItem(self.tr("Custom URL template"), "custom")
        self.name = QLineEdit()
        self.url = QLineEdit()
        self.url.setPlaceholderText("https://example.org/{z}/{x}/{y}.png")
        self.key = QLineEdit(str(QSettings().value("tiles/tianditu_key", "") or ""))
        self.key.setPlaceholderText(self.tr("Tianditu key (tk)"))
        self.gcj = QCheckBox(self.tr("Provider uses GCJ-02 (offset, e.g. Amap/Tencent)"))
        self.subdomains = QLineEdit()
        form = QFormLayout()
        form.addRow(self.tr("Provider"), self.preset)
        form.addRow(self.tr("Name"), self.name)
        form.addRow(self.tr("URL template"), self.url)
        form.addRow(self.tr("Subdomains"), self.subdomains)
        form.addRow(self.tr("Key"), self.key)
        form.addRow("", self.gcj)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addLayout(form)
        lay.addWidget(buttons)
        self.preset.currentIndexChanged.connect(self._preset_changed)
        self._preset_changed()

    def _preset_changed(self) -> None:
        key = self.preset.currentData()
        if key in TILE_PRESETS:
            name, url, opts = TILE_PRESETS[key]
            self.name.setText(name)
            self.url.setText(url)
            self.subdomains.setText(opts.get("subdomains", ""))
            self.gcj.setChecked(opts.get("datum") == "gcj02")
            self.key.setEnabled(bool(opts.get("needs_key")))
        else:
            self.key.setEnabled("{key}" in self.url.text())

    def options(self) -> dict:
        opts = {"datum": "gcj02" if self.gcj.isChecked() else "wgs84"}
        if self.subdomains.text().strip():
            opts["subdomains"] = self.subdomains.text().strip()
        key = self.preset.currentData()
        if key in TILE_PRESETS:
            opts["max_zoom"] = TILE_PRESETS[key][2].get("max_zoom", 19)
        return opts

    def result_source(self) -> tuple[str, str]:
        if self.key.isEnabled() and self.key.text().strip():
            QSettings().setValue("tiles/tianditu_key", self.key.text().strip())
        return self.name.text().strip() or self.tr("Tile map"), self.url.text().strip()
