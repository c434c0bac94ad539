"""The new plan wizard: jurisdiction (a polygon found by name or code in a
boundary file, read with the import dialog's encoding and CRS detection — a
GCJ-02/BD-09 suspicion converted — or drawn on the map), level preset with
editable names, CRS (suggested from the location), code scheme, county code
(filled from the file's adcode)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import shapely
from pyproj import CRS
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import (QButtonGroup, QCheckBox, QComboBox, QFileDialog, QFormLayout, QHBoxLayout, QLabel,
                               QLineEdit, QListWidget, QListWidgetItem, QPushButton, QRadioButton, QVBoxLayout,
                               QWizard, QWizardPage)

from ..core.crs import suggest_crs
from ..core.levels import SCHEMES
from .i18n import crs_display_name

__all__ = ["NewPlanWizard", "read_polygons"]


def read_polygons(path, encoding: str | None = None, crs: str | None = None):
    """The polygons of a boundary file read the way the import dialog reads it
    (detected or chosen encoding; the file's, guessed or chosen CRS — "gcj02"
    and "bd09" are converted to CGCS2000): (features, polygons, CRS, notes)."""
    from ..core.exchange.jurisdiction import boundary_features
    from ..core.exchange.readers import read_layer

    df, report = read_layer(path, encoding=encoding, crs=crs)
    geoms = np.asarray(df.geometry.values, dtype=object)
    poly = np.isin(shapely.get_type_id(geoms), [3, 6])
    df = df[poly]
    return boundary_features(df), geoms[poly], CRS.from_user_input(df.crs or "EPSG:4490"), list(report.notes)


class _JurisdictionPage(QWizardPage):
    def __init__(self, wizard):
        super().__init__(wizard)
        from .import_dialog import SourceOptions

        self.w = wizard
        self.setTitle(self.tr("Plan and jurisdiction"))
        self.name = QLineEdit(self.tr("New plan"))
        self.name.textEdited.connect(lambda *_: setattr(self, "name_edited", True))
        self.name_edited = False
        self.from_layer = QRadioButton(self.tr("Take a polygon from a layer file"))
        self.draw = QRadioButton(self.tr("Draw it on the map after this wizard"))
        self.from_layer.setChecked(True)
        grp = QButtonGroup(self)
        grp.addButton(self.from_layer)
        grp.addButton(self.draw)
        self.path = QLineEdit()
        browse = QPushButton(self.tr("Browse…"))
        browse.clicked.connect(self._browse)
        self.source = SourceOptions(self)
        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("Search by name or administrative code (e.g. 翁源 or 440229)"))
        self.search.setClearButtonEnabled(True)
        self.feature = QListWidget()
        self.feature.setMinimumHeight(160)
        self.info = QLabel()
        self.info.setWordWrap(True)
        row = QHBoxLayout()
        row.addWidget(self.path, 1)
        row.addWidget(browse)
        form = QFormLayout()
        form.addRow(self.tr("Plan name"), self.name)
        src = QFormLayout()
        self.source.add_rows(src)
        src.addRow(self.tr("Find"), self.search)
        lay = QVBoxLayout(self)
        lay.addLayout(form)
        lay.addWidget(self.from_layer)
        lay.addLayout(row)
        lay.addLayout(src)
        lay.addWidget(self.feature, 1)
        lay.addWidget(self.draw)
        lay.addWidget(self.info)
        self.path.editingFinished.connect(lambda: self.load_file(self.path.text()))
        self.search.textChanged.connect(self._filter)
        self.source.encoding.activated.connect(lambda *_: self._reread())
        self.source.crs.activated.connect(lambda *_: self._reread())
        self.feature.currentItemChanged.connect(lambda *_: self._picked())
        self.features = []
        self.geoms = np.array([], dtype=object)
        self.crs = None
        self.loaded_path = ""

    def _browse(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Layer with the jurisdiction"),
                                              str(QSettings().value("last_dir", "") or ""),
                                              self.tr("Vector files") + " (*.shp *.gpkg *.geojson *.json *.kml *.dxf *.zip);;"
                                              + self.tr("All files") + " (*)")
        if path:
            self.path.setText(path)
            self.load_file(path)

    def load_file(self, path: str) -> bool:
        """Inspect a boundary file (encoding, CRS, a suspected shifted datum) and list its polygons."""
        from ..core.exchange.jurisdiction import suspect_shifted_datum
        from ..core.exchange.readers import inspect

        self.feature.clear()
        self.features, self.geoms, self.crs, self.loaded_path = [], np.array([], dtype=object), None, ""
        if not path:
            return False
        try:
            info = inspect(path)
            entries = [e for e in info["layers"] if "olygon" in str(e.get("geometry", ""))] or info["layers"]
            if not entries:
                raise ValueError(self.tr("no layer"))
            e = entries[0]
            g = e.get("crs_guess")
            lonlat_cn = e.get("crs") is None and g is not None and g.crs is not None and g.crs.is_geographic
            suspect = suspect_shifted_datum(e.get("fields", []), declared=e.get("crs") is not None,
                                            lonlat_in_china=lonlat_cn)
            self.source.set_entry(e, suspect)
        except Exception as exc:
            self.info.setText(self.tr("Cannot read %1: %2").replace("%1", Path(path).name).replace("%2", str(exc)))
            return False
        self.loaded_path = path
        if self.path.text() != path:
            self.path.setText(path)          # the file shown, however it was chosen
        return self._reread()

    def _reread(self) -> bool:
        path = self.loaded_path
        if not path:
            return False
        self.feature.clear()
        try:
            self.features, self.geoms, self.crs, notes = read_polygons(
                path, encoding=self.source.chosen_encoding(), crs=self.source.chosen_crs())
        except Exception as exc:
            self.features, self.geoms, self.crs = [], np.array([], dtype=object), None
            self.info.setText(self.tr("Cannot read %1: %2").replace("%1", Path(path).name).replace("%2", str(exc)))
            return False
        if not self.features:
            self.info.setText(self.tr("%1 has no polygons.").replace("%1", Path(path).name))
            return False
        self.from_layer.setChecked(True)
        self._filter(self.search.text())
        self.info.setText(self.tr("%1 polygons.").replace("%1", str(len(self.features)))
                          + ("\n" + "\n".join(notes) if notes else ""))
        return True

    def _filter(self, text: str) -> None:
        from ..core.exchange.jurisdiction import search

        keep = self.current_feature()
        self.feature.blockSignals(True)
        self.feature.clear()
        for f in search(self.features, text):
            item = QListWidgetItem(f.label)
            item.setData(Qt.ItemDataRole.UserRole, f.index)
            self.feature.addItem(item)
        self.feature.blockSignals(False)
        rows = [self.feature.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.feature.count())]
        if self.feature.count():
            self.feature.setCurrentRow(rows.index(keep.index) if keep is not None and keep.index in rows else 0)

    def current_feature(self):
        item = self.feature.currentItem()
        if item is None or not self.features:
            return None
        return self.features[int(item.data(Qt.ItemDataRole.UserRole))]

    def _picked(self) -> None:
        f = self.current_feature()
        if f is None:
            return
        if not self.name_edited and f.name:
            self.name.setText(self.tr("%1 grid plan").replace("%1", f.name))
        if f.adcode and getattr(self.w, "page2", None) is not None:
            self.w.page2.admin.setText(f.adcode)

    def jurisdiction(self):
        f = self.current_feature()
        if self.draw.isChecked() or f is None:
            return None, None
        return self.geoms[f.index], self.crs

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
        self.level_names = QLineEdit()
        self.level_names.setToolTip(self.tr("The names of the levels, top first, separated by /"))
        self.levels.currentIndexChanged.connect(self._preset_changed)
        self.keep_base = QCheckBox(self.tr("Keep the base maps of the current plan"))
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
        form.addRow(self.tr("Level names"), self.level_names)
        form.addRow(self.tr("Code scheme"), self.scheme)
        form.addRow(self.tr("County code (GB/T 2260)"), self.admin)
        form.addRow(self.tr("Coordinate system"), self.crs)
        form.addRow("", self.crs_hint)
        form.addRow("", self.keep_base)
        form.addRow("", self.error)
        self._preset_changed()

    def _preset_changed(self, *_) -> None:
        from ..core.levels import preset

        self.level_names.setText("/".join(lv.name for lv in preset(self.levels.currentData())))

    def initializePage(self) -> None:
        crs = self.w.suggested_crs()
        if crs is not None:
            epsg = crs.to_epsg()
            self.crs.setText(f"EPSG:{epsg}" if epsg else crs.to_string())
            self.crs_hint.setText(self.tr("Suggested from the location: %1").replace("%1", crs_display_name(crs.name)))

    def validatePage(self) -> bool:
        try:
            CRS.from_user_input(self.crs.text().strip())
        except Exception:
            self.error.setText(self.tr("Unknown coordinate system: %1").replace("%1", self.crs.text()))
            return False
        try:
            self.level_spec()
        except ValueError as exc:
            self.error.setText(str(exc))
            return False
        code = self.admin.text().strip()
        if code and not (code.isdigit() and len(code) == 6):
            self.error.setText(self.tr("The county code has 6 digits."))
            return False
        return True


    def level_spec(self) -> str:
        """The preset, or the edited level names ("县城大网格/小网格")."""
        from ..core.levels import named_levels, preset

        names = self.level_names.text().strip()
        key = self.levels.currentData()
        if not names or names == "/".join(lv.name for lv in preset(key)):
            return key
        named_levels(names)             # raises a clear ValueError
        return names


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
        self.setMinimumSize(640, 660)        # the CRS note (three lines) and the county list have room

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
                    admin_code=self.page2.admin.text().strip(), levels=self.page2.level_spec(),
                    scheme=self.page2.scheme.currentData(), jurisdiction=geom, jurisdiction_crs=crs,
                    draw=self.page1.draw.isChecked(), keep_base_layers=self.page2.keep_base.isChecked())
