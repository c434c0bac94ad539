"""The Chinese UI is Chinese everywhere: a walk over the real window — every menu,
toolbar, dock and every dialog an action opens (Qt's own file and message dialogs
too) — that fails on a visible string with English words in it.

Allowed: format and standard names a Chinese planner reads as they are (GBK, UTF-8,
CGCS2000, GCJ-02, XLSX, GeoPackage, Shapefile …), file patterns, key names, numbers,
paths and the product name."""

from __future__ import annotations

import re

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (QAbstractButton, QApplication, QComboBox, QDialog, QDockWidget, QGroupBox, QLabel,
                               QLineEdit, QMenu, QTableView, QTableWidget, QTabWidget, QToolBar, QTreeView, QWidget)

from gridmap.core.storage import save_plan
from gridmap.ui.window.actions import ACTIONS
from ui_edit_support import open_window

ALLOWED = re.compile(
    r"(\*\.\w+|[\w./\\-]+\.(shp|gpkg|xlsx|csv|docx|pdf|png|html|zip|dxf|kml|json|geojson|tif|mbtiles)\b|"
    r"(https?|postgresql)://\S+|EPSG:\d+|\b(GBK|GB18030|GB2312|UTF-8|UTF8|BIG5|Big5|CGCS2000|WGS ?84|GCJ-02|BD-09|GB/T|GB|"
    r"XLSX|CSV|PDF|DOCX|Word|Excel|DXF|KML|GeoJSON|GeoPackage|Shapefile|MBTiles|XYZ|WMTS|WMS|TMS|HTML|PNG|JPEG|TIFF|"
    r"GeoTIFF|URL|ID|gridmap|Ctrl|Shift|Alt|Del|Esc|Enter|F\d+|Qt|PySide6|GDAL|PROJ|GEOS|OSM|OpenStreetMap contributors|OpenStreetMap|"
    r"Gauss-Kr[uü]ger|UTM|CRS|DPI|dpi|A[0-5]|m²|km²|km|m|px|pt|mm|cm|zh_CN|English|CM|TM2?|TWD97|ZIP|API|key|token|tk|"
    r"QGIS|ArcGIS|CAD|GIS|ODbL|OpenStreetMap contributors)\b|\.(prj|cpg|zip|xlsx|shp|dbf|shx|gpkg|pdf|docx)\b)")
WORD = re.compile(r"[A-Za-z]{3,}")
TAG = re.compile(r"<[^>]+>|&\w+;")
SKIP_IDS = {"quit", "lang_zh_CN", "lang_en", "undo", "redo", "delete_grids"}


def english_words(text: str) -> list[str]:
    t = TAG.sub(" ", text or "")
    t = ALLOWED.sub(" ", t)
    return WORD.findall(t)


def widget_texts(root: QWidget):
    """(where, text) of every string a user can see on ``root`` and its children."""
    out = []
    widgets = [root] + root.findChildren(QWidget)
    for w in widgets:
        if not (w.isVisibleTo(root) or w is root):
            continue
        name = type(w).__name__
        if w.isWindow():
            out.append((f"{name} title", w.windowTitle()))
        if w.property("data_values"):            # the user's own data (field names of a file)
            continue
        if isinstance(w, QLabel):
            out.append((name, w.text()))
        elif isinstance(w, QAbstractButton):
            out.append((name, w.text()))
        elif isinstance(w, QGroupBox):
            out.append((name, w.title()))
        elif isinstance(w, QDockWidget):
            out.append((name, w.windowTitle()))
        elif isinstance(w, QLineEdit):
            out.append((name + " placeholder", w.placeholderText()))
        elif isinstance(w, QComboBox):
            out += [(name, w.itemText(i)) for i in range(w.count())]
        if isinstance(w, QTabWidget):
            out += [(name, w.tabText(i)) for i in range(w.count())]
        if isinstance(w, (QTableView, QTreeView, QTableWidget)) and w.model() is not None:
            m = w.model()
            out += [(name + " header", str(m.headerData(c, Qt.Orientation.Horizontal) or ""))
                    for c in range(m.columnCount())]
        if isinstance(w, (QMenu, QToolBar)):
            out += [(name, a.text()) for a in w.actions() if not a.isSeparator()]
    return out


def offending(texts) -> list[str]:
    bad = []
    for where, text in texts:
        if re.match(r"^(/|[A-Za-z]:[\\/])", text or ""):      # a path
            continue
        words = english_words(text)
        if words:
            bad.append(f"{where}: {text!r} ({' '.join(words)})")
    return bad


@pytest.fixture
def win(qtbot, settings, small_plan, tmp_path):
    path = tmp_path / "plan.gpkg"
    save_plan(small_plan, path)
    w = open_window(qtbot, path, size=(1300, 900))
    yield w
    w.close()


def test_menus_toolbars_and_docks_are_chinese(win):
    w = win
    texts = widget_texts(w)
    for m in w.menuBar().findChildren(QMenu):
        texts += [(f"menu {m.title()}", a.text()) for a in m.actions() if not a.isSeparator()]
        texts.append(("menu title", m.title()))
    assert not offending(texts), "\n".join(offending(texts))


class DialogHarvester:
    """Collects the texts of every dialog that opens, then closes it."""

    def __init__(self):
        self.texts: list[tuple[str, str]] = []
        self.seen: list[str] = []
        self.timer = QTimer()
        self.timer.setInterval(30)
        self.timer.timeout.connect(self.poll)
        self.timer.start()

    def poll(self):
        for d in QApplication.topLevelWidgets():
            if isinstance(d, QDialog) and d.isVisible():
                self.seen.append(type(d).__name__)
                self.texts += [(f"{type(d).__name__} › {where}", t) for where, t in widget_texts(d)]
                d.reject()


def test_every_dialog_an_action_opens_is_chinese(win, qtbot, tmp_path, sample_plan_path):
    w = win
    g = w.document.plan.grids
    small = g[g["parent"].notna()] if "parent" in g else g
    pair = [int(i) for i in small.index[:2]]
    h = DialogHarvester()
    try:
        for spec in ACTIONS:
            if spec.id in SKIP_IDS or spec.tool or spec.option:
                continue
            w.document.set_selection(pair)
            a = w.actions[spec.id]
            if not a.isEnabled():
                continue
            a.trigger()
            qtbot.wait(60)
        w.import_dialog(str(sample_plan_path))     # past the file dialog: the import dialog itself
        qtbot.wait(60)
        w.layer_manager.edit_style(w.canvas.layers[-1].id)        # a layer's style dialog
        qtbot.wait(60)
    finally:
        h.timer.stop()
    assert {"BatchAssignDialog", "ExportDialog", "ImportDialog", "LayoutDialog", "NewPlanWizard", "QFileDialog",
            "EditOptionsDialog", "TileSourceDialog", "MergeDialog", "LayerStyleDialog"} <= set(h.seen), h.seen
    bad = offending(h.texts)
    assert not bad, "\n".join(bad)
