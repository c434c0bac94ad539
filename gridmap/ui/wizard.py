"""The new plan wizard: jurisdiction (from a layer, or drawn on the map),
level preset, CRS (suggested from the location), code scheme, county code."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import shapely
from pyproj import CRS
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import (QButtonGroup, QComboBox, QFileDialog, QFormLayout, QHBoxLayout, QLabel, QLineEdit,
                               QPushButton, QRadioButton, QVBoxLayout, QWizard, QWizardPage)

from ..core.crs import suggest_crs
from ..core.levels import SCHEMES

__all__ = ["NewPlanWizard", "read_polygons"]


def read_polygons(path) -> tuple[list[str], np.ndarray, CRS]:
    """Labels, polygons and CRS of the polygon features of a vector file (for picking a jurisdiction)."""
    import pyogrio

    df = pyogrio.read_dataframe(path)
    geoms = np.asarray(df.geometry.values, dtype=object)
    poly = np.isin(shapely.get_type_id(geoms), [3, 6])
    df = df[poly]
    geoms = geoms[poly]
    name_col = next((c for c in ("name", "NAME", "名称", "VILLAGENAM", "TOWNNAME", "adcode") if c in df.columns), None)
    labels = [f"{i + 1}: {v}" for i, v in enumerate(df[name_col].astype(str))] if name_col else \
        [str(i + 1) for i in range(len(df))]
    crs = CRS.from_user_input(df.crs) if df.crs is not None else CRS.from_epsg(4326)
    return labels, geoms, crs


class _JurisdictionPage(QWizardPage):
    def __init__(self, wizard):
        super().__init__(wizard)
        self.w = wizard
        self.setTitle(self.tr("Plan and jurisdiction"))
        self.name = QLineEdit(self.tr("New plan"))
        self.from_layer = QRadioButton(self.tr("Take a polygon from a layer file"))
        self.draw = QRadioButton(self.tr("Draw it on the map after this wizard"))
        self.from_layer.setChecked(True)
        grp = QButtonGroup(self)
        grp.addButton(self.from_layer)
        grp.addButton(self.draw)
        self.path = QLineEdit()
        browse = QPushButton(self.tr("Browse…"))
        browse.clicked.connect(self._browse)
        self.feature = QComboBox()
        self.info = QLabel()
        self.info.setWordWrap(True)
        row = QHBoxLayout()
        row.addWidget(self.path, 1)
        row.addWidget(browse)
        form = QFormLayout()
        form.addRow(self.tr("Plan name"), self.name)
        lay = QVBoxLayout(self)
        lay.addLayout(form)
        lay.addWidget(self.from_layer)
        lay.addLayout(row)
        lay.addWidget(self.feature)
        lay.addWidget(self.draw)
        lay.addWidget(self.info)
        self.path.editingFinished.connect(lambda: self.load_file(self.path.text()))
        self.geoms = np.array([], dtype=object)
        self.crs = None

    def _browse(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Layer with the jurisdiction"),
                                              str(QSettings().value("last_dir", "") or ""),
                                              "Vector (*.shp *.gpkg *.geojson *.json *.kml *.dxf);;*")
        if path:
            self.path.setText(path)
            self.load_file(path)

    def load_file(self, path: str) -> bool:
        self.feature.clear()
        if not path:
            return False
        try:
            labels, self.geoms, self.crs = read_polygons(path)
        except Exception as exc:
            self.info.setText(self.tr("Cannot read %1: %2").replace("%1", Path(path).name).replace("%2", str(exc)))
            return False
        if not len(labels):
            self.info.setText(self.tr("%1 has no polygons.").replace("%1", Path(path).name))
            return False
        self.feature.addItems(labels)
        self.info.setText(self.tr("%1 polygons.").replace("%1", str(len(labels))))
        self.from_layer.setChecked(True)
        return True

    def jurisdiction(self):
        if self.draw.isChecked() or not len(self.geoms) or self.feature.currentIndex() < 0:
            return None, None
        return self.geoms[self.feature.currentIndex()], self.crs

    def validatePage(self) -> bool:
        if not self.name.text().strip():
            return False
        if self.from_layer.isChecked() and self.jurisdiction()[0] is None:
            self.info.setText(self.tr("Choose a layer file and a polygon, or choose to draw."))
            return False
        return True


class _OptionsPage(QWizardPage):
    def __init__(self, wizard):
        super().__init__(wizard)
        self.w = wizard
        self.setTitle(self.tr("Levels, coordinates and codes"))
        self.levels = QComboBox()
        self.levels.addItem(self.tr("Two levels: large grid / small grid"), "two")
        self.levels.addItem(self.tr("Five levels: city / district / street / community / unit grid"), "five")
        self.scheme = QComboBox()
        for s in SCHEMES:
            self.scheme.addItem(s, s)
        self.crs = QLineEdit()
        self.crs_hint = QLabel()
        self.crs_hint.setWordWrap(True)
        self.admin = QLineEdit()
        self.admin.setInputMask("999999;_")
        self.admin.setPlaceholderText("440306")
        self.error = QLabel()
        form = QFormLayout(self)
        form.addRow(self.tr("Level preset"), self.levels)
        form.addRow(self.tr("Code scheme"), self.scheme)
        form.addRow(self.tr("County code (GB/T 2260)"), self.admin)
        form.addRow(self.tr("Coordinate system"), self.crs)
        form.addRow("", self.crs_hint)
        form.addRow("", self.error)

    def initializePage(self) -> None:
        crs = self.w.suggested_crs()
        if crs is not None:
            epsg = crs.to_epsg()
            self.crs.setText(f"EPSG:{epsg}" if epsg else crs.to_string())
            self.crs_hint.setText(self.tr("Suggested from the location: %1").replace("%1", crs.name))

    def validatePage(self) -> bool:
        try:
            CRS.from_user_input(self.crs.text().strip())
        except Exception:
            self.error.setText(self.tr("Unknown coordinate system: %1").replace("%1", self.crs.text()))
            return False
        code = self.admin.text().strip()
        if code and not (code.isdigit() and len(code) == 6):
            self.error.setText(self.tr("The county code has 6 digits."))
            return False
        return True


class NewPlanWizard(QWizard):
    def __init__(self, parent=None, canvas=None, current_crs=None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("New plan"))
        self.canvas = canvas
        self.current_crs = CRS.from_user_input(current_crs) if current_crs is not None else None
        self.page1 = _JurisdictionPage(self)
        self.page2 = _OptionsPage(self)
        self.addPage(self.page1)
        self.addPage(self.page2)

    def suggested_crs(self) -> CRS | None:
        geom, crs = self.page1.jurisdiction()
        if geom is not None:
            return suggest_crs(geom, crs)
        if self.canvas is not None and self.current_crs is not None:
            vp = self.canvas.viewport
            return suggest_crs(shapely.Point(vp.cx, vp.cy), self.current_crs)
        return self.current_crs or CRS.from_epsg(4547)

    def result_options(self) -> dict:
        geom, crs = self.page1.jurisdiction()
        return dict(name=self.page1.name.text().strip(), crs=self.page2.crs.text().strip(),
                    admin_code=self.page2.admin.text().strip(), levels=self.page2.levels.currentData(),
                    scheme=self.page2.scheme.currentData(), jurisdiction=geom, jurisdiction_crs=crs,
                    draw=self.page1.draw.isChecked())
