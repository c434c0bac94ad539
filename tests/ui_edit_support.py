"""Shared helpers of the editing UI tests (no tests here): a project with roads and places
beside it, a window on it, and mouse/keyboard input at map coordinates."""

from __future__ import annotations

import json

import geopandas as gpd
import numpy as np
import shapely
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor, QInputMethodEvent
from PySide6.QtWidgets import QApplication
from PySide6.QtTest import QTest

from gridmap.core.crs import to_crs
from gridmap.core.storage import save_plan

X0, Y0 = 500_000.0, 2_500_000.0  # the small_plan's south-west corner (EPSG:4547)

# A road with a bend inside grid 44030600100003 (x 0–75, y 0–100): it enters at
# (0, 50), bends at (30, 50) and (45, 60), and leaves the plan on the east at y = 60.
ROAD = [(X0 - 60, Y0 + 50), (X0 + 30, Y0 + 50), (X0 + 45, Y0 + 60), (X0 + 360, Y0 + 60)]
# A straight north–south road through the east large grid at x = 262.
ROAD2 = [(X0 + 262, Y0 - 40), (X0 + 262, Y0 + 240)]


def write_project(plan, folder):
    """Save ``plan`` as a project with a GeoJSON road layer (lon/lat) and a places layer."""
    lines = [shapely.LineString(ROAD), shapely.LineString(ROAD2)]
    lonlat = to_crs(np.asarray(lines, dtype=object), "EPSG:4547", "EPSG:4326")
    gpd.GeoDataFrame({"name": ["弯道路", "南北路"], "highway": ["tertiary", "residential"]}, geometry=list(lonlat),
                     crs="EPSG:4326").to_file(folder / "roads.geojson", driver="GeoJSON")
    pts = [shapely.Point(X0 + 20, Y0 + 20), shapely.Point(X0 + 200, Y0 + 150), shapely.Point(X0 + 210, Y0 + 160),
           shapely.box(X0 + 100, Y0 + 120, X0 + 110, Y0 + 130)]
    gpd.GeoDataFrame({"name": ["第一小学", "甲商店", "乙商店", "丙小区"], "type": ["学校", "商店", "商店", "小区"]},
                     geometry=pts, crs="EPSG:4547").to_file(folder / "places.gpkg", driver="GPKG")
    plan.add_base_layer("道路", "roads.geojson", kind="vector", style=json.dumps({"stroke": "#00a000", "width": 3.0}))
    plan.add_base_layer("场所", "places.gpkg", kind="vector")
    path = folder / "plan.gpkg"
    save_plan(plan, path)
    return path


def open_window(qtbot, path, size=(1100, 800), zoom=True, timeout_ms=20000):
    """A real main window showing ``path``; ``zoom`` frames the test grids of :func:`write_project`."""
    from gridmap.ui.main_window import MainWindow

    w = MainWindow()
    w.confirm_close = False
    qtbot.addWidget(w)
    w.resize(*size)
    w.show()
    w.open_path(path)
    assert w.wait_idle(timeout_ms), "window did not finish loading"
    if zoom:
        w.canvas.zoom_to((X0 - 10, Y0 - 10, X0 + 310, Y0 + 210), margin=0.0)
        assert w.wait_idle(timeout_ms)
    return w


def open_checked_errors_window(qtbot, sample_errors_path, tmp_path):
    """A real window on a copy of the errors sample with the checks run (the problems list filled)."""
    path = tmp_path / "errors.gpkg"
    path.write_bytes(sample_errors_path.read_bytes())
    w = open_window(qtbot, path, size=(1200, 850), zoom=False, timeout_ms=30000)
    qtbot.mouseClick(w.problems.run_button, Qt.MouseButton.LeftButton)
    assert w.wait_idle(30000)
    qtbot.waitUntil(lambda: w.problems.row_count() > 0, timeout=20000)
    return w


def pos(w, x, y) -> QPoint:
    px, py = w.canvas.viewport.to_pixel(x, y)
    return QPoint(int(round(float(px))), int(round(float(py))))


def click(w, x, y, button=Qt.MouseButton.LeftButton, mods=Qt.KeyboardModifier.NoModifier):
    p = pos(w, x, y)
    QTest.mouseMove(w.canvas, p)
    QTest.mouseClick(w.canvas, button, mods, p)


def dclick(w, x, y):
    p = pos(w, x, y)
    QTest.mouseMove(w.canvas, p)
    QTest.mouseDClick(w.canvas, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, p)


def drag(w, a, b, steps: int = 4, mouse=QTest):
    """Press on ``a``, move in ``steps`` steps, release on ``b`` (``mouse``: QTest or pytest-qt's qtbot)."""
    p0, p1 = pos(w, *a), pos(w, *b)
    mouse.mouseMove(w.canvas, p0)
    mouse.mousePress(w.canvas, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, p0)
    for k in range(1, steps + 1):
        mouse.mouseMove(w.canvas, QPoint(p0.x() + (p1.x() - p0.x()) * k // steps,
                                         p0.y() + (p1.y() - p0.y()) * k // steps))
    mouse.mouseRelease(w.canvas, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, p1)


def key(w, k, mods=Qt.KeyboardModifier.NoModifier):
    QTest.keyClick(w.canvas, k, mods)


def shortcut(w, name):
    """Trigger a window action by its keyboard shortcut (as typed in the canvas)."""
    seq = w.actions[name].shortcuts()[0]
    combo = seq[0]
    QTest.keyClick(w.canvas, combo.key(), combo.keyboardModifiers())


def level_geoms(plan, level):
    return np.asarray(plan.grids_of_level(level).geometry.values, dtype=object)


def assert_clean(plan, tol=1e-3, gaps_ok=False):
    """Every level a valid coverage whose union is the jurisdiction (or lies in it,
    with ``gaps_ok``); children inside parents."""
    J = plan.jurisdiction
    for lv in plan.level_keys:
        g = level_geoms(plan, lv)
        assert shapely.is_valid(g).all(), f"{lv}: invalid grid"
        assert bool(shapely.coverage_is_valid(g)), f"{lv}: not a valid coverage"
        u = shapely.union_all(g)
        if gaps_ok:
            assert shapely.difference(u, J).area < tol, f"{lv}: grids outside the jurisdiction"
        else:
            assert shapely.symmetric_difference(u, J).area < tol, f"{lv}: union differs from the jurisdiction"
    for depth, lv in enumerate(plan.level_keys[1:], start=1):
        kids = plan.grids_of_level(lv)
        parents = plan.grids.geometry.loc[kids["parent"].astype(int).to_numpy()].values
        out = shapely.area(shapely.difference(kids.geometry.values, parents))
        assert out.max() < tol, f"{lv}: a grid lies outside its parent"


def landed(w, x, y):
    """The map point a click at (x, y) really lands on (the pixel's centre), unsnapped."""
    return w.canvas.map_point(pos(w, x, y))


def pixel(w, x, y) -> QColor:
    """Colour of the canvas at map point (x, y)."""
    img = w.canvas.grab().toImage()
    px, py = w.canvas.viewport.to_pixel(x, y)
    return img.pixelColor(int(round(float(px))), int(round(float(py))))


def near(c: QColor, hex_: str, tol: int = 50) -> bool:
    """Whether a colour is within ``tol`` of ``hex_`` on every channel."""
    t = QColor(hex_)
    return max(abs(c.red() - t.red()), abs(c.green() - t.green()), abs(c.blue() - t.blue())) <= tol


def type_in(widget, text, enter=True):
    """Type into a line edit (replacing its text): ASCII as key presses, Chinese as an
    input method commits it."""
    widget.setFocus()
    widget.selectAll()
    if text.isascii():
        QTest.keyClicks(widget, text)
    else:
        ev = QInputMethodEvent()
        ev.setCommitString(text)
        QApplication.sendEvent(widget, ev)
    if enter:
        QTest.keyClick(widget, Qt.Key.Key_Return)
