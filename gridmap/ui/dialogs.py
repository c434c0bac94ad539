"""Small dialogs: layer style, tile base map source."""

from __future__ import annotations

from PySide6.QtCore import QSettings
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (QCheckBox, QColorDialog, QComboBox, QDialog, QDialogButtonBox, QDoubleSpinBox,
                               QFormLayout, QLineEdit, QPushButton, QVBoxLayout)

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


from .tile_dialogs import TileSourceDialog  # noqa: E402  (kept importable from here)
