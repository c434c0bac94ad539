"""Status bar widgets: cursor coordinates (project CRS and lon/lat), editable
scale 1:N, the CRS, and a progress bar with a cancel button for long jobs."""

from __future__ import annotations

import re

from pyproj import CRS
from PySide6.QtCore import QEvent, Signal
from PySide6.QtWidgets import (QComboBox, QHBoxLayout, QLabel, QProgressBar, QStatusBar, QToolButton,
                               QWidget)

from ..core.crs import CGCS2000, transformer

__all__ = ["MapStatusBar", "parse_scale", "format_lonlat"]

SCALES = (500, 1000, 2000, 5000, 10000, 25000, 50000, 100000, 250000, 500000)


def parse_scale(text: str) -> float | None:
    """The denominator N from "1:2000", "1：2,000", "2000" or "1:2k".

    >>> parse_scale("1:2,000"), parse_scale("1：500"), parse_scale("25000"), parse_scale("1:5k"), parse_scale("x")
    (2000.0, 500.0, 25000.0, 5000.0, None)
    """
    t = text.strip().replace(",", "").replace(" ", "").replace("：", ":").lower()
    m = re.fullmatch(r"(?:1:)?(\d+(?:\.\d+)?)(k?)", t)
    if not m:
        return None
    v = float(m.group(1)) * (1000 if m.group(2) else 1)
    return v if v > 0 else None


def format_lonlat(lon: float, lat: float) -> str:
    """Longitude/latitude for the status bar.

    >>> format_lonlat(113.91234, 22.55)
    '113.91234°E 22.55000°N'
    """
    return f"{abs(lon):.5f}°{'E' if lon >= 0 else 'W'} {abs(lat):.5f}°{'N' if lat >= 0 else 'S'}"


class MapStatusBar(QStatusBar):
    scaleEdited = Signal(float)
    cancelRequested = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.coords = QLabel(self)
        self.lonlat = QLabel(self)
        self.scale_label = QLabel(self)
        self.scale = QComboBox(self)
        self.scale.setEditable(True)
        self.scale.setMinimumWidth(110)
        self.scale.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        for s in SCALES:
            self.scale.addItem(f"1:{s:,}")
        self.crs_label = QLabel(self)
        self.progress = QProgressBar(self)
        self.progress.setMaximumWidth(140)
        self.progress.setRange(0, 0)
        self.progress.setTextVisible(False)
        self.cancel = QToolButton(self)
        self.cancel.setText("✕")
        box = QWidget(self)
        lay = QHBoxLayout(box)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.progress)
        lay.addWidget(self.cancel)
        self.busy_box = box
        box.setVisible(False)
        for w in (self.coords, self.lonlat):
            w.setMinimumWidth(170)
        self.addPermanentWidget(box)
        self.addPermanentWidget(self.coords)
        self.addPermanentWidget(self.lonlat)
        self.addPermanentWidget(self.scale_label)
        self.addPermanentWidget(self.scale)
        self.addPermanentWidget(self.crs_label)
        self.scale.lineEdit().returnPressed.connect(self._scale_entered)
        self.scale.activated.connect(lambda i: self._scale_entered())
        self.cancel.clicked.connect(self.cancelRequested.emit)
        self._to_lonlat = None
        self._crs = None
        self.retranslate()

    def set_crs(self, crs) -> None:
        self._crs = CRS.from_user_input(crs)
        self._to_lonlat = transformer(self._crs, CGCS2000)
        epsg = self._crs.to_epsg()
        self.crs_label.setText(f"EPSG:{epsg}" if epsg else self._crs.name)
        self.crs_label.setToolTip(self._crs.name)

    def show_cursor(self, x: float, y: float) -> None:
        if self._crs is not None and self._crs.is_geographic:
            self.coords.setText(f"{x:.6f}, {y:.6f}")
        else:
            self.coords.setText(f"{x:,.1f}, {y:,.1f}")
        if self._to_lonlat is not None:
            lon, lat = self._to_lonlat.transform(x, y)
            self.lonlat.setText(format_lonlat(lon, lat) if abs(lat) <= 90 else "")

    def show_scale(self, scale: float) -> None:
        if not self.scale.lineEdit().hasFocus():
            self.scale.setEditText(f"1:{int(round(scale)):,}")

    def _scale_entered(self) -> None:
        v = parse_scale(self.scale.currentText())
        if v is not None:
            self.scaleEdited.emit(v)

    def set_progress(self, percent: int) -> None:
        """How far the running job is (0–100); a job that says nothing shows a busy bar."""
        self.progress.setRange(0, 100)
        self.progress.setValue(max(0, min(100, int(percent))))

    def set_busy(self, busy: bool, label: str = "") -> None:
        if not busy:
            self.progress.setRange(0, 0)       # the next job starts as "busy" until it reports progress
        self.busy_box.setVisible(busy)
        self.progress.setToolTip(label)
        if busy and label:
            self.showMessage(label)
        elif not busy:
            self.clearMessage()

    def retranslate(self) -> None:
        self.scale_label.setText(self.tr("Scale"))
        self.cancel.setToolTip(self.tr("Cancel the running job"))
        self.coords.setToolTip(self.tr("Cursor position in the project CRS"))
        self.lonlat.setToolTip(self.tr("Cursor position as longitude/latitude (CGCS2000)"))

    def changeEvent(self, e) -> None:
        if e.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(e)
