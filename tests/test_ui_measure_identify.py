"""The measure tools (distance, area) and identify on every layer, base maps included (issue 12),
through the real window: clicks on the canvas, results in the status bar, on the map and in the
识别结果 panel."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from gridmap.core.measure import measure
from ui_edit_support import X0, Y0, click, open_window, write_project


@pytest.fixture
def win(qtbot, settings, tmp_path, small_plan):
    w = open_window(qtbot, write_project(small_plan, tmp_path))
    yield w
    w.close()


def test_measure_distance_in_metres(win, qtbot):
    w = win
    w.actions["measure_distance"].trigger()
    tool = w.canvas.tool
    assert tool is w.measure_tools["measure_distance"]
    click(w, X0 + 10, Y0 + 10)
    click(w, X0 + 130, Y0 + 10)
    click(w, X0 + 130, Y0 + 170)
    click(w, X0 + 130, Y0 + 170, button=Qt.MouseButton.RightButton)   # a right-click ends it
    assert tool.done
    m, pts = tool.result(with_hover=False)
    assert len(pts) == 3
    # clicks land on whole pixels: the measurement equals shapely's length of the clicked points
    assert m.length == pytest.approx(measure(pts, "EPSG:4547").length)
    assert m.length == pytest.approx(280.0, abs=3 * w.canvas.viewport.res)
    assert "长度" in w.status.currentMessage() and "米" in w.status.currentMessage()
    img = w.canvas.grab().toImage()                 # the measured line is drawn in magenta
    found = any(img.pixelColor(x, y).name() == "#d1008f" for x in range(0, img.width(), 2)
                for y in range(0, img.height(), 2))
    assert found
    qtbot.keyClick(w.canvas, Qt.Key.Key_Escape)
    assert not tool.points


def test_measure_area_in_square_metres(win, qtbot):
    w = win
    w.actions["measure_area"].trigger()
    tool = w.canvas.tool
    for x, y in ((0, 0), (100, 0), (100, 100), (0, 100)):
        click(w, X0 + x, Y0 + y)
    click(w, X0, Y0 + 100, button=Qt.MouseButton.RightButton)
    m, pts = tool.result(with_hover=False)
    assert m.area == pytest.approx(10_000.0, rel=0.05)
    assert m.perimeter == pytest.approx(400.0, rel=0.03)
    msg = w.status.currentMessage()
    assert "面积" in msg and "平方米" in msg and "公顷" in msg


def test_identify_lists_plan_and_base_layer_features(win, qtbot):
    w = win
    w.actions["identify"].trigger()
    assert w.canvas.tool is w.identify_tool
    # on the place "第一小学" of the base layer 场所, inside the small grid 44030600100001's neighbour
    click(w, X0 + 20, Y0 + 20)
    res = dict(w.identify_panel.results)
    assert "场所" in res, res.keys()
    school = res["场所"][0]
    assert ("name", "第一小学") in school[1] and ("type", "学校") in school[1]
    grid_layers = [name for name, hits in w.identify_panel.results
                   if any(("code", "44030600100003") in pairs for _, pairs in hits)]
    assert grid_layers, "the small grid under the click is listed with its code"
    assert w.docks["identify"].isVisible()
    tree = w.identify_panel.tree
    assert tree.topLevelItemCount() >= 2
    # on the road of the base layer 道路 (a line: found within a few pixels)
    click(w, X0 + 100, Y0 + 60)
    names = {name for name, _ in w.identify_panel.results}
    assert "道路" in names
    road = dict(w.identify_panel.results)["道路"][0][1]
    assert ("name", "弯道路") in road


def test_identify_on_an_empty_spot_says_so(win, qtbot):
    w = win
    w.set_tool("identify")
    click(w, X0 - 8, Y0 - 8)
    assert w.identify_panel.results == []
    assert "识别" in w.identify_panel.hint.text()
