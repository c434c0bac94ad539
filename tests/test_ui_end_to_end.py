"""A planner's own county, start to finish in the real window (issue 12's "done when"), Chinese UI:

an empty start → 新建方案 wizard on the GCJ-02 county file (search "翁源", adcode 440229, the datum
converted: the jurisdiction within 1 m of an independent GCJ-02 → WGS84 conversion) → one large grid
drawn over the county and split along a drawn line into 2 → 4 small grids drawn in them, one leaving a
gap → people with phones entered in the grid form → the gap fixed from the problems list → export of
GBK shapefiles and XLSX with a completion message → the annex PDF, its issuing unit remembered.

Every step is photographed; with ``GRIDMAP_SHOTS=DIR`` the pictures are kept there (docs/screenshots
holds the ones looked at: ``e2e_*.png``)."""

from __future__ import annotations

import os
from pathlib import Path

import pyogrio
import pytest
import shapely
from openpyxl import load_workbook
from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMessageBox

from test_ui_wizard import COUNTIES, _wengyuan_converted
from ui_edit_support import assert_clean, type_in


def px_click(w, x, y, button=Qt.MouseButton.LeftButton):
    """Click the canvas at a map point."""
    px, py = w.canvas.viewport.to_pixel(x, y)
    p = QPoint(int(round(float(px))), int(round(float(py))))
    QTest.mouseMove(w.canvas, p)
    QTest.mouseClick(w.canvas, button, Qt.KeyboardModifier.NoModifier, p)


def draw(w, ring):
    for x, y in ring:
        px_click(w, x, y)
    QTest.keyClick(w.canvas, Qt.Key.Key_Return)


@pytest.fixture
def shots(tmp_path):
    folder = Path(os.environ.get("GRIDMAP_SHOTS") or tmp_path / "shots")
    folder.mkdir(parents=True, exist_ok=True)
    taken = []

    def shot(widget, name):
        if hasattr(widget, "wait_idle"):
            assert widget.wait_idle(60000)          # the map drawn, not a scaled preview of it
        QApplication.processEvents()
        path = folder / f"e2e_{len(taken) + 1}_{name}.png"
        assert widget.grab().save(str(path))
        taken.append(path)
        return path
    shot.taken = taken
    return shot


def test_a_county_from_its_boundary_file_to_the_annex(qtbot, settings, tmp_path, shots):
    from gridmap.ui import i18n
    from gridmap.ui.main_window import MainWindow

    i18n.install("zh_CN")
    w = MainWindow()
    w.confirm_close = False
    qtbot.addWidget(w)
    w.resize(1400, 900)
    w.show()
    assert w.document is None
    shots(w, "empty_start")

    # 1. the wizard, through the 新建方案 action (a modal dialog, driven when it shows)
    seen = {}

    def drive():
        wiz = QApplication.activeModalWidget()
        if wiz is None or not hasattr(wiz, "page1"):
            QTimer.singleShot(50, drive)
            return
        p1 = wiz.page1
        assert p1.load_file(str(COUNTIES))
        p1.search.setText("翁源")
        seen["found"] = p1.feature.currentItem().text()
        seen["admin"] = wiz.page2.admin.text()
        seen["crs_choice"] = p1.source.chosen_crs()
        shots(wiz, "wizard_county")
        wiz.next()
        wiz.page2.level_names.setText("大网格/小网格")
        shots(wiz, "wizard_levels")
        wiz.next()
        wiz.accept()
    QTimer.singleShot(0, drive)
    w.actions["new"].trigger()
    assert seen["found"].startswith("翁源县 440229") and seen["admin"] == "440229"
    assert seen["crs_choice"] == "gcj02"
    plan = w.document.plan
    assert plan.admin_code == "440229" and [lv.name for lv in plan.levels] == ["大网格", "小网格"]
    assert len(plan.base_layers) == 0
    want = _wengyuan_converted(plan.crs.to_wkt())
    assert shapely.hausdorff_distance(plan.jurisdiction, want) < 1.0       # the datum converted
    assert w.wait_idle(30000)
    w.canvas.zoom_full()
    assert w.wait_idle(30000)
    shots(w, "new_plan")

    # 2. one large grid drawn over the whole county (clipped to it), split along a drawn line
    x0, y0, x1, y1 = plan.jurisdiction.bounds
    pad = 0.02 * (x1 - x0)
    w.set_edit_level("large")
    w.set_tool("draw_grid")
    draw(w, [(x0 - pad, y0 - pad), (x1 + pad, y0 - pad), (x1 + pad, y1 + pad), (x0 - pad, y1 + pad)])
    assert w.edit.last_error == ""
    large = plan.grids_of_level("large")
    assert len(large) == 1 and large.geometry.iloc[0].area == pytest.approx(plan.jurisdiction.area, rel=1e-6)
    # the planner draws a west–east line that crosses the county's outline once on each side
    ya, yb = next((y0 + fa * (y1 - y0), y0 + fb * (y1 - y0)) for fa in (0.5, 0.45, 0.55, 0.4, 0.6, 0.35, 0.65)
                  for fb in (0.5, 0.45, 0.55, 0.4, 0.6, 0.35, 0.65)
                  if len(shapely.get_parts(shapely.intersection(
                      shapely.LineString([(x0 - pad, y0 + fa * (y1 - y0)), (x1 + pad, y0 + fb * (y1 - y0))]),
                      plan.jurisdiction.boundary))) == 2)
    w.document.set_selection([int(large.index[0])])
    w.set_tool("split")
    px_click(w, x0 - pad, ya)
    px_click(w, x1 + pad, yb)
    px_click(w, x1 + pad, yb, button=Qt.MouseButton.RightButton)
    assert w.wait_idle(30000)
    large = plan.grids_of_level("large")
    assert len(large) == 2, w.edit.last_error
    assert sorted(large["code"]) == ["440229001000", "440229002000"]
    shots(w, "two_large_grids")

    # 3. four small grids: each large grid halved west | east by two drawn rectangles, one of them
    #    short of the parent's edge by a thin strip (a gap the checks will find)
    w.set_edit_level("small")
    w.set_tool("draw_grid")
    gap_parent = None
    for k, (gid, geom) in enumerate(large.geometry.items()):
        bx0, by0, bx1, by1 = geom.bounds
        mx = (bx0 + bx1) / 2
        m = 0.02 * (bx1 - bx0)
        draw(w, [(bx0 - m, by0 - m), (mx, by0 - m), (mx, by1 + m), (bx0 - m, by1 + m)])
        assert w.edit.last_error == "", w.edit.last_error
        east_end = bx1 + m if k else bx1 - 0.004 * (bx1 - bx0)         # the 2nd one stops short
        if not k:
            gap_parent = gid
        draw(w, [(mx, by0 - m), (east_end, by0 - m), (east_end, by1 + m), (mx, by1 + m)])
        assert w.edit.last_error == "", w.edit.last_error
    small = plan.grids_of_level("small")
    assert len(small) == 4
    assert all(len(code) == 14 and code.startswith("440229") for code in small["code"])
    assert w.wait_idle(30000)
    shots(w, "four_small_grids")

    # 4. people with phones, entered in the grid form of the first small grid
    first = int(small.index[0])
    w.document.set_selection([first])
    form = w.form
    assert form.gid == first
    type_in(form.leader.lineEdit(), "刘建国")
    form.add_role.setCurrentIndex(form.add_role.findData("officer"))
    type_in(form.add_who.lineEdit(), "陈志强", enter=False)
    form.add_button.click()
    for name, phone in (("刘建国", "13712345678"), ("陈志强", "13823456789")):
        row = next(r for r in range(form.roles.rowCount()) if form.roles.item(r, 1).text() == name)
        form.roles.item(row, 3).setText(phone)
    people = plan.people.set_index("name")["phone"]
    assert people["刘建国"] == "13712345678" and people["陈志强"] == "13823456789"
    assert {int(p) for p in plan.roles_of(first)["person"].dropna()} == \
        {int(plan.people.index[plan.people["name"] == n][0]) for n in ("刘建国", "陈志强")}
    shots(w, "grid_form_people")

    # 5. the checks find the gap; it is fixed from the problems list (preview, then apply)
    qtbot.mouseClick(w.problems.run_button, Qt.MouseButton.LeftButton)
    assert w.wait_idle(60000)
    qtbot.waitUntil(lambda: w.problems.row_count() > 0, timeout=30000)
    table = w.problems.table
    gaps = [r for r in range(table.model().rowCount()) if w.problems.problem_at(r)["rule"] == "gap"]
    assert gaps, "the strip left between the small grids is found"
    bar = w.fixes.bar
    for attempt in range(len(gaps)):        # the strip crosses the county's outline: one gap per piece
        row = next(r for r in range(table.model().rowCount()) if w.problems.problem_at(r)["rule"] == "gap")
        qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton,
                         pos=w.problems.row_rect(row).center())
        assert bar.choice.count() >= 1 and bar.choice.itemText(0).startswith("并入公共边最长的相邻网格")
        qtbot.mouseClick(bar.preview_button, Qt.MouseButton.LeftButton)
        if attempt == 0:
            shots(w, "fix_preview")
        qtbot.mouseClick(bar.apply_button, Qt.MouseButton.LeftButton)
        assert "已修复" in bar.note.text(), attempt
        w.live.flush(30000)
        QApplication.processEvents()
    assert "gap" not in [p["rule"] for p in w.problems.problems]
    assert_clean(plan)
    shots(w, "fixed")

    # save the plan (a name and a folder of the planner's)
    path = tmp_path / "翁源县网格方案.gpkg"
    assert w._save_to(path)          # what Save As does once its file dialog has the name
    assert path.exists()

    # 6. export: GBK shapefiles and the XLSX annex tables, a completion message with 打开文件夹
    dlg = w.export_plan_dialog()
    out = tmp_path / "报送" / "市平台"
    dlg.folder.setText(str(out))
    dlg.checks["shp"].setChecked(True)
    dlg.checks["xlsx"].setChecked(True)
    dlg.encoding.setCurrentIndex(dlg.encoding.findData("gbk"))
    shots(dlg, "export_dialog")
    dlg.start()
    qtbot.waitUntil(lambda: dlg.last_result is not None, timeout=60000)
    box = dlg.result_box
    assert isinstance(box, QMessageBox) and box.isVisible() and str(out) in box.text()
    assert any(b.text() == "打开文件夹" for b in box.buttons())
    shots(box, "export_done")
    box.close()
    dlg.close()
    shp = next(out.rglob("grids.shp"))
    assert shp.with_suffix(".cpg").read_text().strip().upper() in ("GBK", "CP936", "936")
    got = pyogrio.read_dataframe(shp, encoding="gbk")
    assert sorted(got.loc[got["level_name"] == "小网格", "code"]) == sorted(plan.grids_of_level("small")["code"])
    assert "刘建国" in got["leader"].tolist() and "13712345678" in got["leader_tel"].tolist()
    xlsx = next(out.rglob("*.xlsx"))
    assert "网格划分表" in load_workbook(xlsx).sheetnames

    # 7. the annex PDF with the issuing unit; the unit comes back in the next layout dialog
    lay = w.print_layout_dialog()
    lay.issuer.setText("翁源县城市管理和综合执法局")
    lay.title.setText("翁源县城市网格化管理网格划分示意图")
    pdf = tmp_path / "附件1.pdf"
    lay.format.setCurrentIndex(lay.format.findData("pdf"))
    lay.export_to(str(pdf))
    qtbot.waitUntil(lambda: lay.export_button.isEnabled() and pdf.exists(), timeout=120_000)
    qtbot.waitUntil(lambda: lay._pixmap is not None and not lay._pixmap.isNull(), timeout=120_000)
    qtbot.wait(200)
    shots(lay, "annex_layout")
    lay.close()
    again = w.print_layout_dialog()
    assert again.issuer.text() == "翁源县城市管理和综合执法局"
    again.close()
    import subprocess
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
    assert "翁源县城市管理和综合执法局" in text and "440229001000" in text.replace(" ", "")
    assert len(shots.taken) >= 10
    w.close()
