"""The desktop window driven offscreen with pytest-qt: open a plan, see its grids
over the base layers, toggle layers, zoom, pan, select, search, switch language,
save, recent files, bad files, new plan."""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import numpy as np
import pytest
import shapely
from PySide6.QtCore import QPoint, QPointF, QSettings, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QApplication

from gridmap.core.crs import to_crs
from gridmap.core.storage import open_plan, save_plan
from ui_edit_support import near, pixel

X0, Y0 = 500_000.0, 2_500_000.0  # the small_plan's south-west corner (EPSG:4547)
ROAD_Y = Y0 + 50.0


@pytest.fixture
def plan_file(tmp_path, small_plan) -> Path:
    """The small plan saved as a project with a GeoJSON road (lon/lat) as base layer."""
    road = to_crs(shapely.LineString([(X0 - 100, ROAD_Y), (X0 + 400, ROAD_Y)]), "EPSG:4547", "EPSG:4326")
    gpd.GeoDataFrame({"name": ["测试路"]}, geometry=[road], crs="EPSG:4326").to_file(
        tmp_path / "road.geojson", driver="GeoJSON")
    small_plan.add_base_layer("道路", "road.geojson", kind="vector",
                              style=json.dumps({"stroke": "#00c000", "width": 5.0}))
    path = tmp_path / "plan.gpkg"
    save_plan(small_plan, path)
    return path


def make_window(qtbot, path=None):
    from gridmap.ui.main_window import MainWindow

    w = MainWindow()
    w.confirm_close = False
    qtbot.addWidget(w)
    w.resize(1000, 720)
    w.show()
    if path is not None:
        w.open_path(path)
        assert w.wait_idle(20000), "window did not finish loading and drawing"
    return w


@pytest.fixture
def win(qtbot, settings, plan_file):
    w = make_window(qtbot, plan_file)
    yield w
    w.close()


def hover(widget, pos: QPoint) -> None:
    """A real mouse-move event (no button) delivered to the widget."""
    from PySide6.QtGui import QMouseEvent

    ev = QMouseEvent(QMouseEvent.Type.MouseMove, QPointF(pos), widget.mapToGlobal(QPointF(pos)),
                     Qt.MouseButton.NoButton, Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(widget, ev)


def canvas_pos(w, x, y) -> QPoint:
    px, py = w.canvas.viewport.to_pixel(x, y)
    return QPoint(int(round(float(px))), int(round(float(py))))


# ---------------------------------------------------------------------------------------------

def test_open_plan_shows_grids_over_base_layers(win, small_plan):
    c = win.canvas
    kinds = [l.kind for l in c.layers]
    assert kinds[0] == "vector" and kinds.count("grids") == 2 and kinds[-1] == "jurisdiction"
    road = c.layers[0]
    assert road.ready and not road.error and len(road) == 1
    # the GeoJSON road (lon/lat) was reprojected into EPSG:4547: it crosses the plan at ROAD_Y
    ext = road.extent()
    assert abs(ext[1] - ROAD_Y) < 0.5 and ext[0] < X0 < X0 + 300 < ext[2]
    # the whole plan is in view
    xmin, ymin, xmax, ymax = c.viewport.extent
    assert xmin < X0 and ymin < Y0 and xmax > X0 + 300 and ymax > Y0 + 200
    # grid fill inside a grid, road colour on the road, background outside the plan
    inside = pixel(win, X0 + 37, Y0 + 150)
    assert not near(inside, "#f5f4f0", 3)
    assert near(pixel(win, X0 + 8, ROAD_Y), "#00c000", 60)
    ax, ay = c.viewport.to_map(3, 3)
    assert near(pixel(win, float(ax), float(ay)), "#f5f4f0", 2)
    # labels: grid names drawn by the label engine
    assert c.labels_drawn >= 6
    assert "测试方案" in win.windowTitle()


def test_toggle_layer_hides_it_and_is_saved(win, tmp_path):
    c = win.canvas
    road = c.layers[0]
    assert near(pixel(win, X0 + 8, ROAD_Y), "#00c000", 60)
    win.layer_panel.set_checked(road.id, False)  # the check box, as a click sets it
    assert not road.visible
    assert win.wait_idle()
    assert not near(pixel(win, X0 + 8, ROAD_Y), "#00c000", 60)
    small = next(l for l in c.layers if getattr(l, "level_key", "") == "small")
    before = pixel(win, X0 + 37, Y0 + 170)
    win.layer_panel.set_checked(small.id, False)
    assert win.wait_idle()
    assert pixel(win, X0 + 37, Y0 + 170) != before
    out = tmp_path / "saved.gpkg"
    assert win._save_to(out)
    reopened = open_plan(out)
    assert not bool(reopened.base_layers["visible"].iloc[0])
    assert reopened.base_layers["source"].iloc[0] == "road.geojson"  # still relative to the project


def test_zoom_by_wheel_keys_buttons_and_box(win, qtbot):
    c = win.canvas
    s0 = c.scale()
    # wheel: zoom in around the cursor, the map point under it stays put
    pos = QPointF(300, 250)
    before = c.map_point(pos)
    ev = QWheelEvent(pos, c.mapToGlobal(pos), QPoint(0, 0), QPoint(0, 120), Qt.MouseButton.NoButton,
                     Qt.KeyboardModifier.NoModifier, Qt.ScrollPhase.NoScrollPhase, False)
    QApplication.sendEvent(c, ev)
    assert c.scale() == pytest.approx(s0 / 2 ** 0.5, rel=1e-6)
    after = c.map_point(pos)
    assert after[0] == pytest.approx(before[0], abs=1e-6) and after[1] == pytest.approx(before[1], abs=1e-6)
    # keys + and − and the toolbar actions
    qtbot.keyClick(c, Qt.Key.Key_Plus)
    assert c.scale() == pytest.approx(s0 / 2 ** 1.5, rel=1e-6)
    qtbot.keyClick(c, Qt.Key.Key_Minus)
    win.actions["zoom_out"].trigger()
    assert c.scale() == pytest.approx(s0 * 2 ** 0.5, rel=1e-6)
    win.actions["zoom_full"].trigger()
    full = c.viewport
    # zoom box: drag a rectangle around one grid
    win.set_tool("zoom_box")
    p0, p1 = canvas_pos(win, X0, Y0 + 200), canvas_pos(win, X0 + 75, Y0 + 100)
    qtbot.mousePress(c, Qt.MouseButton.LeftButton, pos=p0)
    qtbot.mouseMove(c, p1)
    qtbot.mouseRelease(c, Qt.MouseButton.LeftButton, pos=p1)
    xmin, ymin, xmax, ymax = c.viewport.extent
    assert c.viewport.res < full.res / 2
    assert xmin <= X0 + 1 and xmax >= X0 + 74 and ymin <= Y0 + 101 and ymax >= Y0 + 199
    # the scale typed in the status bar
    win.status.scale.setEditText("1:2,000")
    win.status._scale_entered()
    assert c.scale() == pytest.approx(2000, rel=1e-6)
    assert win.wait_idle()


def test_pan_moves_cached_image_at_once_then_rerenders(win, qtbot):
    c = win.canvas
    jobs = c.stats["jobs"]
    img0 = c.grab().toImage()
    x, y = X0 + 8, ROAD_Y
    p = canvas_pos(win, x, y)
    win.set_tool("pan")
    qtbot.mousePress(c, Qt.MouseButton.LeftButton, pos=p)
    qtbot.mouseMove(c, p + QPoint(80, 30))
    qtbot.mouseRelease(c, Qt.MouseButton.LeftButton, pos=p + QPoint(80, 30))
    # before any new render: the cached frame is drawn shifted by the drag
    assert c.stats["jobs"] == jobs
    img1 = c.grab().toImage()
    assert img1.pixelColor(p + QPoint(80, 30)) == img0.pixelColor(p)
    assert win.wait_idle()
    assert c.stats["jobs"] == jobs + 1
    # arrow keys pan a quarter of the view
    cx = c.viewport.cx
    qtbot.keyClick(c, Qt.Key.Key_Right)
    assert c.viewport.cx == pytest.approx(cx + c.width() / 4 * c.viewport.res)


def test_select_grids_by_click_shift_click_and_box(win, qtbot, small_plan):
    c = win.canvas
    doc = win.document
    win.set_tool("select")
    first = doc.plan.grid_by_code("44030600100001")
    g = doc.plan.grids.geometry.loc[first].centroid
    before = pixel(win, g.x - 25, g.y + 30)
    qtbot.mouseClick(c, Qt.MouseButton.LeftButton, pos=canvas_pos(win, g.x, g.y))
    assert doc.selection == [first]
    values = win.inspector.values()
    assert "44030600100001" in values.values()
    assert any("李四" in v for v in values.values())        # the leader and his post
    assert any("每周不少于半天值守" in v for v in values.values())
    # the highlight is drawn
    after = pixel(win, g.x - 25, g.y + 30)
    assert after.red() - after.blue() > before.red() - before.blue() + 20
    # shift-click adds a neighbour, shift-click again removes it
    second = doc.plan.grid_by_code("44030600100002")
    g2 = doc.plan.grids.geometry.loc[second].centroid
    qtbot.mouseClick(c, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.ShiftModifier, pos=canvas_pos(win, g2.x, g2.y))
    assert doc.selection == [first, second]
    qtbot.mouseClick(c, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.ShiftModifier, pos=canvas_pos(win, g2.x, g2.y))
    assert doc.selection == [first]
    # box: the four small grids of the west large grid
    p0, p1 = canvas_pos(win, X0 + 10, Y0 + 190), canvas_pos(win, X0 + 140, Y0 + 10)
    qtbot.mousePress(c, Qt.MouseButton.LeftButton, pos=p0)
    qtbot.mouseMove(c, p1)
    qtbot.mouseRelease(c, Qt.MouseButton.LeftButton, pos=p1)
    west = doc.plan.grids[(doc.plan.grids["level"] == "small") & (doc.plan.grids["parent"] == 1)].index
    assert sorted(doc.selection) == sorted(int(i) for i in west)
    # click outside every grid clears the selection
    ax, ay = c.viewport.to_map(3, 3)
    qtbot.mouseClick(c, Qt.MouseButton.LeftButton, pos=QPoint(3, 3))
    assert doc.selection == []
    assert win.inspector.grid_ids == []


def test_search_by_code_selects_and_zooms(win):
    gid = win.search_grid("44030600200002")
    assert gid is not None and win.document.selection == [gid]
    geom = win.document.plan.grids.geometry.loc[gid]
    xmin, ymin, xmax, ymax = win.canvas.viewport.extent
    assert xmin <= geom.bounds[0] and xmax >= geom.bounds[2]
    assert (xmax - xmin) < 300   # zoomed in from the full view
    assert win.search_grid("no such grid") is None
    assert win.search_grid("第三") is not None   # by name


def test_language_switch_is_live_and_remembered(qtbot, settings, plan_file):
    w = make_window(qtbot, plan_file)
    assert w.menus["project"].title() == "项目(&P)"        # Chinese by default
    assert w.docks["layers"].windowTitle() == "图层"
    assert any(l.name == "辖区范围" for l in w.canvas.layers)
    w.actions["lang_en"].trigger()
    assert w.menus["project"].title() == "&Project"
    assert w.docks["inspector"].windowTitle() == "Grid inspector"
    assert w.layer_panel.groups["base"].text(0) == "Base maps"
    assert any(l.name == "Jurisdiction" for l in w.canvas.layers)
    assert QSettings().value("language") == "en"
    w.close()
    w2 = make_window(qtbot)          # a new start keeps English
    from gridmap.ui import i18n
    assert i18n.current_language() == "en"
    assert w2.menus["project"].title() == "&Project"
    w2.actions["lang_zh_CN"].trigger()
    assert w2.menus["project"].title() == "项目(&P)"
    w2.close()


def test_save_as_recent_files_and_window_state(qtbot, settings, plan_file, tmp_path):
    w = make_window(qtbot, plan_file)
    assert w.recent_files()[0] == str(plan_file.resolve())
    other = tmp_path / "sub" / "copy.gpkg"
    other.parent.mkdir()
    assert w._save_to(other)
    again = open_plan(other)
    assert len(again.grids) == 10
    # the base layer path was rewritten relative to the new folder
    assert again.base_layers["source"].iloc[0] == "../road.geojson"
    assert w.recent_files()[:2] == [str(other.resolve()), str(plan_file.resolve())]
    w.resize(900, 650)
    w.close()
    w2 = make_window(qtbot)
    assert w2.recent_files()[0] == str(other.resolve())
    assert [a.data() for a in w2.recent_menu.actions()][:2] == [str(other.resolve()), str(plan_file.resolve())]
    w2.recent_menu.actions()[0].trigger()        # open recent
    assert w2.wait_idle()
    assert w2.document.path == other.resolve() or w2.document.path == other
    assert w2.canvas.layers[0].ready           # "../road.geojson" resolved from the new folder
    w2.close()


def test_bad_project_file_gives_one_clear_message(qtbot, settings, tmp_path):
    bad = tmp_path / "broken.gpkg"
    bad.write_text("this is not a GeoPackage")
    w = make_window(qtbot)
    w.open_path(bad)
    assert w.wait_idle()
    assert w.document is None
    assert "broken.gpkg" in w.last_error
    assert w.error_box is not None and "broken.gpkg" in w.error_box.text()
    w.open_path(tmp_path / "missing.gpkg")     # a second error replaces the box, no stack of dialogs
    assert w.wait_idle()
    boxes = [b for b in w.findChildren(type(w.error_box)) if b.isVisible()]
    assert len(boxes) == 1 and "missing.gpkg" in boxes[0].text()
    w.close()


def test_first_start_opens_the_sample_or_says_it_is_missing(qtbot, settings, plan_file, tmp_path):
    from gridmap.ui.app import main, start_window

    w = start_window(None, sample=plan_file)
    w.confirm_close = False
    qtbot.addWidget(w)
    assert w.wait_idle()
    assert w.document is not None and w.document.path == plan_file
    w.close()
    w = start_window(None, sample=tmp_path / "nowhere.gpkg")
    w.confirm_close = False
    qtbot.addWidget(w)
    assert w.document is None
    assert "nowhere.gpkg" in w.status.currentMessage()
    w.close()
    assert main([str(tmp_path / "nope.gpkg")]) == 2


def test_new_plan_drawn_on_the_map(win, qtbot):
    doc = win.create_plan("新方案", crs="EPSG:4547", admin_code="440306", levels="five", draw=True,
                          keep_base_layers=True)
    assert win.document is doc and doc.dirty and len(doc.plan.levels) == 5
    assert win.canvas.tool is win.draw_tool
    # the base layers of the previous plan are kept when asked, with absolute paths
    assert Path(doc.plan.base_layers["source"].iloc[0]).is_absolute()
    c = win.canvas
    corners = [(X0, Y0), (X0 + 300, Y0), (X0 + 300, Y0 + 200), (X0, Y0 + 200)]
    for x, y in corners:
        qtbot.mouseClick(c, Qt.MouseButton.LeftButton, pos=canvas_pos(win, x, y))
    qtbot.keyClick(c, Qt.Key.Key_Return)
    j = doc.plan.jurisdiction
    assert j is not None and j.area == pytest.approx(60_000, rel=0.02)
    assert win.canvas.tool is win.pan_tool
    assert "新方案" in win.windowTitle() and win.windowTitle().startswith("*")


def test_new_plan_wizard_takes_a_polygon_from_a_layer(qtbot, settings, tmp_path):
    from gridmap.ui.wizard import NewPlanWizard

    poly = shapely.box(113.85, 22.55, 113.9, 22.6)
    gpd.GeoDataFrame({"name": ["示例街道"]}, geometry=[poly], crs="EPSG:4326").to_file(tmp_path / "j.gpkg")
    wiz = NewPlanWizard()
    qtbot.addWidget(wiz)
    assert wiz.page1.load_file(str(tmp_path / "j.gpkg"))
    assert wiz.page1.feature.currentItem().text() == "示例街道"
    assert wiz.page1.validatePage()
    wiz.page2.initializePage()
    assert wiz.page2.crs.text() == "EPSG:4547"       # CGCS2000 3° zone of 114°E, suggested
    wiz.page2.admin.setText("440306")
    assert wiz.page2.validatePage()
    opts = wiz.result_options()
    assert opts["levels"] == "two" and opts["scheme"] == "GB14" and not opts["draw"]
    assert opts["jurisdiction"].equals(poly)
    assert not wiz.page1.load_file(str(tmp_path / "none.gpkg"))   # a clear message, no exception
    assert "none.gpkg" in wiz.page1.info.text()


def test_status_bar_shows_coordinates_and_lonlat(win, qtbot):
    c = win.canvas
    hover(c, canvas_pos(win, X0 + 150, Y0 + 100))
    text = win.status.coords.text().replace(",", "")
    x, y = (float(v) for v in text.split())
    assert abs(x - (X0 + 150)) < 2 * c.viewport.res and abs(y - (Y0 + 100)) < 2 * c.viewport.res
    lonlat = win.status.lonlat.text()
    assert lonlat.startswith("114.00") and "°E" in lonlat and "22.5" in lonlat
    assert win.status.crs_label.text() == "EPSG:4547"


def test_overview_click_recenters_the_main_view(win, qtbot):
    ov = win.overview
    assert ov.layers and ov.is_idle() or ov.wait_idle()
    px, py = ov.viewport.to_pixel(X0 + 250, Y0 + 50)
    qtbot.mouseClick(ov, Qt.MouseButton.LeftButton, pos=QPoint(int(px), int(py)))
    assert win.canvas.viewport.cx == pytest.approx(X0 + 250, abs=2 * ov.viewport.res)
    assert win.canvas.viewport.cy == pytest.approx(Y0 + 50, abs=2 * ov.viewport.res)


def test_problems_list_from_the_checks(win, qtbot):
    panel = win.problems
    win.run_checks()
    assert win.wait_idle()
    # the small plan has unassigned grids: the responsibility rules report them
    assert panel.ran and len(panel.problems) > 0 and panel.row_count() == len(panel.problems)
    with_grid = next(i for i, p in enumerate(panel.problems) if p["grids"])
    p = panel.problems[with_grid]
    panel.activated.emit(p)
    assert win.document.selection == [g for g in p["grids"] if g in win.document.plan.grids.index]
    # the panel API takes plain records too
    panel.set_problems([{"severity": "warning", "check": "gap", "message": "缝隙", "grids": [3],
                         "geometry": shapely.box(X0 + 70, Y0, X0 + 80, Y0 + 10)}])
    assert panel.row_count() == 1
    panel._on_index(panel.model.index(0, 0))
    assert win.document.selection == [3]
    assert win.canvas.viewport.extent[0] <= X0 + 70


def test_style_dialog_values_change_the_drawing(win):
    small = next(l for l in win.canvas.layers if getattr(l, "level_key", "") == "small")
    from gridmap.ui.dialogs import LayerStyleDialog

    dlg = LayerStyleDialog(small, win)
    dlg.fill.set_color("#ff0000")
    dlg.no_fill.setChecked(False)
    dlg.fill_opacity.setValue(1.0)
    dlg.label_field.setCurrentText("code")
    win.layer_manager.apply_style(small.id, dlg.style())
    assert win.wait_idle()
    assert near(pixel(win, X0 + 20, Y0 + 180), "#ff0000", 30)
    assert small.label_texts(np.array([0]))[0].startswith("440306")
    # opacity from the panel: composited without drawing the layer again
    n = win.canvas.stats["layers_rendered"]
    win.layer_panel.tree.setCurrentItem(win.layer_panel.item_for(small.id))
    win.layer_panel.opacity.setValue(0)
    assert win.wait_idle()
    assert win.canvas.stats["layers_rendered"] == n
    assert not near(pixel(win, X0 + 20, Y0 + 180), "#ff0000", 60)


def test_export_map_image(win, tmp_path):
    out = tmp_path / "map.png"
    assert win.export_image(out)
    from PySide6.QtGui import QImage

    img = QImage(str(out))
    assert img.width() == win.canvas.width() and img.height() == win.canvas.height()


def test_opening_another_plan_asks_about_unsaved_changes(qtbot, settings, plan_file, tmp_path):
    """Opening a plan (File → Open, a recent file, the sample, a new plan) while the open one has
    unsaved changes asks first — Save, Discard or Cancel — never drops the changes silently."""
    from PySide6.QtWidgets import QMessageBox

    from gridmap.core.editing import commands as C

    other = tmp_path / "other.gpkg"
    save_plan(open_plan(plan_file), other)
    w = make_window(qtbot, plan_file)
    w.confirm_close = True
    gid = int(w.document.plan.grids.index[0])
    w.edit.push(C.SetCells("rename", "grids", gid, {"name": "改过的名字"}), "rename")
    assert w.document.dirty
    first = w.document
    w.open_path(other)
    box = w.unsaved_box
    assert box is not None and box.isVisible() and "plan.gpkg" in box.text()
    box.button(QMessageBox.StandardButton.Cancel).click()          # Cancel: nothing happens
    qtbot.wait(100)
    assert w.wait_idle() and w.document is first and first.dirty
    w.open_path(other)
    w.unsaved_box.button(QMessageBox.StandardButton.Save).click()  # Save: saved, then the other opens
    qtbot.waitUntil(lambda: w.document.path == other, timeout=20000)
    assert w.wait_idle() and not first.dirty                       # (saved: read back below)
    gid2 = int(w.document.plan.grids.index[0])
    w.edit.push(C.SetCells("rename", "grids", gid2, {"name": "不要的"}), "rename")
    w.recent_menu.actions()[1].trigger()                           # a recent file: asked too
    w.unsaved_box.button(QMessageBox.StandardButton.Discard).click()
    qtbot.waitUntil(lambda: w.document.path.resolve() == plan_file.resolve(), timeout=20000)
    assert w.wait_idle() and not w.document.dirty
    assert w.document.plan.grids.loc[gid, "name"] == "改过的名字"   # the file as the Save wrote it
    w.confirm_close = False
    w.close()
    assert open_plan(other).grids.loc[gid2, "name"] != "不要的"    # the discarded change is in no file
