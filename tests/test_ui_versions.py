"""方案 → 版本… in the real window (offscreen): save versions of the sample plan, edit it
(the proof scenario), compare, click a change to zoom, export the 变更对照表 and the change
map, restore the first version (one undo step), delete a version; bad input is refused
with a bilingual message."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from openpyxl import load_workbook

from gridmap.core.editing.changeset import plan_differences
from gridmap.core.storage import open_plan
from gridmap.core.versions import store as V
from ui_edit_support import open_window

sys.path.insert(0, str(Path(__file__).parent))
from versions_support import edit_scenario  # noqa: E402

SHOTS = Path(__file__).resolve().parents[1] / "docs" / "screenshots"


@pytest.fixture
def win(qtbot, settings, sample_plan_path, tmp_path):
    for f in sample_plan_path.parent.glob("*.gpkg"):       # the plan and its base maps
        shutil.copy(f, tmp_path / f.name)
    path = tmp_path / "方案.gpkg"
    shutil.copy(sample_plan_path, path)
    w = open_window(qtbot, path, size=(1400, 900), zoom=False)
    yield w
    w.close()


def compare(dlg, qtbot, path=None):
    """Start the compare (it runs in the background) and wait for its result."""
    dlg.result_diff = None
    dlg.compare(path)
    qtbot.waitUntil(lambda: dlg.result_diff is not None or dlg.compare_button.isEnabled(), timeout=60000)
    return dlg.result_diff


def test_versions_from_the_plan_menu(win, qtbot, tmp_path):
    w = win
    plan_menu = w.menus["plan"]
    assert w.actions["versions"] in plan_menu.actions() and w.actions["versions"].isEnabled()
    w.actions["versions"].trigger()
    from gridmap.ui.versions_dialog import VersionsDialog

    dlg = next(d for d in w.findChildren(VersionsDialog) if d.isVisible())
    original = w.document.plan.copy()

    # a bad date is refused, in both languages, nothing saved
    dlg.name_edit.setText("2024年版")
    dlg.in_force_edit.setText("2024/01/01")
    assert not dlg.save_version()
    assert "YYYY-MM-DD" in dlg.message.text() and "施行日期" in dlg.message.text()
    assert len(V.list_versions(w.document.plan)) == 0
    dlg.in_force_edit.setText("2024-01-01")
    assert dlg.save_version()
    assert dlg.table.rowCount() == 1 and dlg.table.item(0, 0).text() == "2024年版"
    assert len(V.list_versions(open_plan(w.document.path))) == 1          # saved in the file
    # the same name twice is refused
    dlg.name_edit.setText("2024年版")
    assert not dlg.save_version() and "已有" in dlg.message.text()

    # edit the plan (through the document's buffer), save a second version
    done = edit_scenario(w.document.plan, buf=w.document)
    dlg.name_edit.setText("2025年调整稿")
    dlg.in_force_edit.setText("2025-03-01")
    assert dlg.save_version()
    assert dlg.table.rowCount() == 2

    # compare the two versions: the changes listed; a click zooms the map to the change
    dlg.old_combo.setCurrentIndex(dlg.old_combo.findData(1))
    dlg.new_combo.setCurrentIndex(dlg.new_combo.findData(2))
    d = compare(dlg, qtbot)
    assert d["summary"]["split"] == 2 and d["summary"]["merge"] == 1 and d["summary"]["boundary"] == 3
    assert dlg.changes.rowCount() == len(d["changes"]) + len(d["people"])
    assert "拆分" in dlg.changes.item(0, 1).text()
    # a click on the first row (it may already be the selected row: the click zooms all the same)
    rect = dlg.changes.visualItemRect(dlg.changes.item(0, 1))
    qtbot.mouseClick(dlg.changes.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    g = dlg.change_geometry(0)
    x0, y0, x1, y1 = w.canvas.viewport.extent
    assert x0 <= g.centroid.x <= x1 and y0 <= g.centroid.y <= y1
    # zoomed to it: the view's shorter side (the canvas's aspect depends on the dock layout)
    assert min(x1 - x0, y1 - y0) < 3 * max(g.bounds[2] - g.bounds[0], g.bounds[3] - g.bounds[1], 100)
    assert w.canvas._highlight is not None
    assert dlg._overlay is not None and dlg._paint_compare in w.canvas.overlays    # the compare view on the map
    qtbot.wait(200)
    SHOTS.mkdir(parents=True, exist_ok=True)
    w.grab().save(str(SHOTS / "versions_main_window_zh.png"))
    dlg.grab().save(str(SHOTS / "versions_dialog_zh.png"))

    # the change table and map
    t = dlg.export_table(str(tmp_path / "变更对照表.xlsx"))
    ws = load_workbook(t).active
    assert [c.value for c in ws[2]][1:6] == ["原网格", "新网格", "变更类型", "面积变化", "责任人变化"]
    m = dlg.export_map(str(tmp_path / "变更示意图.png"))       # drawn in the background
    assert dlg.map_task is not None and not dlg.map_button.isEnabled()
    qtbot.waitUntil(lambda: dlg.map_task is None, timeout=120000)
    assert Path(m).stat().st_size > 10_000 and "变更示意图.png" in dlg.message.text()

    # the compare view: the two plans side by side, then swiped; a change zooms both maps
    cv = dlg.open_compare_view()
    qtbot.waitExposed(cv)
    assert cv.old_plan is dlg._old_plan and cv.new_plan is dlg._new_plan
    assert cv.changes.rowCount() == dlg.changes.rowCount() > 0
    assert cv.old_canvas.parent() is cv.maps and cv.new_canvas.parent() is cv.maps
    cv.changes.selectRow(0)
    qtbot.waitUntil(lambda: cv.new_canvas.is_idle() and cv.old_canvas.is_idle(), timeout=30000)
    g = cv.change_geometry(0)
    vo, vn = cv.old_canvas.viewport, cv.new_canvas.viewport
    assert (round(vo.cx, 6), round(vo.cy, 6), round(vo.res, 9)) == (round(vn.cx, 6), round(vn.cy, 6), round(vn.res, 9))
    x0, y0, x1, y1 = vn.extent
    assert x0 <= g.centroid.x <= x1 and y0 <= g.centroid.y <= y1
    cv.new_canvas.pan_pixels(40, -25)                   # the earlier map follows
    assert (cv.old_canvas.viewport.cx, cv.old_canvas.viewport.cy) == (cv.new_canvas.viewport.cx, cv.new_canvas.viewport.cy)
    qtbot.wait(300)
    cv.grab().save(str(SHOTS / "compare_side_by_side_zh.png"))
    cv.swipe_button.click()
    assert cv.mode == "swipe" and cv.old_canvas.parent() is cv.swipe_area
    cv.set_swipe(0.3)
    w_area = cv.swipe_area.width()
    assert cv.old_canvas.mask().boundingRect().width() == round(0.3 * w_area)
    assert cv.old_canvas.geometry() == cv.new_canvas.geometry() == cv.swipe_area.rect()
    qtbot.keyClick(cv.swipe_area.divider, Qt.Key.Key_Right)          # the divider moves by keyboard too
    assert cv.swipe_area.fraction > 0.3
    cv.set_swipe(0.5)
    qtbot.waitUntil(lambda: cv.new_canvas.is_idle() and cv.old_canvas.is_idle(), timeout=30000)
    qtbot.wait(300)
    cv.grab().save(str(SHOTS / "compare_swipe_zh.png"))
    cv.side_button.click()
    assert cv.mode == "side" and cv.old_canvas.parent() is cv.maps and cv.old_canvas.mask().isEmpty()
    cv.close()

    # restore the first version: one undo step; the plan is the original; undo brings the edits back
    edited = w.document.plan.copy()
    dlg.select_version("2024年版")
    assert dlg.restore_selected(confirm=False)
    assert plan_differences(w.document.plan, original) in ([], ["settings"])
    assert len(V.list_versions(w.document.plan)) == 2          # the edited state was a version already
    w.document.undo()
    assert plan_differences(w.document.plan, edited) == []
    w.document.redo()

    # delete a version (undoable), save as a plan file
    dlg.select_version("2025年调整稿")
    assert dlg.extract_selected(str(tmp_path / "调整稿.gpkg"))
    assert plan_differences(open_plan(tmp_path / "调整稿.gpkg"), edited) in ([], ["settings"])
    assert dlg.delete_selected(confirm=False)
    assert dlg.table.rowCount() == 1
    w.document.undo()
    dlg.refresh()
    assert dlg.table.rowCount() == 2
    assert done["merge"]
    dlg.close()
    assert dlg._paint_compare not in w.canvas.overlays


def test_compare_with_another_plan_file_and_a_bad_file(win, qtbot, tmp_path):
    from gridmap.core.storage import save_plan

    w = win
    other = w.document.plan.copy()
    g = int(other.grids_of_level("small").index[0])
    other.grids.loc[g, "name"] = "另一来源的名称"
    save_plan(other, tmp_path / "另一方案.gpkg")
    dlg = w.versions_dialog()
    from gridmap.ui.versions_dialog import OTHER_FILE, WORKING

    dlg.old_combo.setCurrentIndex(dlg.old_combo.findData(WORKING))
    dlg.new_combo.setCurrentIndex(dlg.new_combo.findData(OTHER_FILE))
    d = compare(dlg, qtbot, str(tmp_path / "另一方案.gpkg"))
    assert d["summary"] == {"renamed": 1, "people": 0, "segments": 0, "places": 0}
    assert dlg.changes.rowCount() == 1 and "另一来源的名称" in dlg.changes.item(0, 4).text()
    # a file that is not a plan: a clear message in both languages, the previous result kept
    (tmp_path / "坏文件.gpkg").write_bytes(b"not a geopackage")
    dlg.compare(str(tmp_path / "坏文件.gpkg"))
    qtbot.waitUntil(lambda: dlg.compare_button.isEnabled(), timeout=60000)
    text = dlg.message.text()
    assert "坏文件" in text
    assert "Traceback" not in text and any("\u4e00" <= ch <= "\u9fff" for ch in text) and any(c.isascii() and c.isalpha() for c in text)
    assert dlg.result_diff is d
    dlg.close()
