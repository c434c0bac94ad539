"""项目 → 签出到本机… / 签入到服务器… in the app (real cluster, offscreen Qt)."""

from __future__ import annotations

import pytest

from gridmap.core.editing.changeset import changeset
from gridmap.core.editing.commands import SetCells
from gridmap.core.storage import open_plan, save_plan
from gridmap.core.storage.shared import commit

pytestmark = pytest.mark.ui


def test_checkout_and_checkin_from_the_project_menu(qtbot, settings, small_plan, pg_url, tmp_path):
    from gridmap.ui.checkout_dialog import CheckoutDialog
    from gridmap.ui.main_window import MainWindow

    save_plan(small_plan, pg_url)
    win = MainWindow()
    win.confirm_close = False
    qtbot.addWidget(win)
    names = {a.objectName() for a in win.menus["project"].actions()}
    assert {"action_checkout", "action_checkin"} <= names
    texts = {a.text() for a in win.menus["project"].actions()}
    assert "签出到本机(&O)…" in texts and "签入到服务器(&I)…" in texts
    dlg = CheckoutDialog(win)
    qtbot.addWidget(dlg)
    dlg.url.setText(pg_url)
    assert dlg.list_areas() and dlg.area.count() == 2
    dlg.area.setCurrentIndex(0)
    local = tmp_path / "笔记本.gpkg"
    dlg.output.setText(str(local))
    assert dlg.run()
    qtbot.waitUntil(lambda: win.document is not None and win.document.path == local, timeout=30000)
    assert len(win.document.plan.grids) == 8
    # a colleague renames grid 4 online; here grid 4 and a person's phone are changed
    online = open_plan(pg_url)
    cmd = SetCells("改名 Rename", "grids", 4, {"name": "同事改的"})
    cmd.redo(online)
    commit(online, changeset(cmd, author="王五"))
    win.document.push(SetCells("改名 Rename", "grids", 4, {"name": "我改的"}))
    person = int(small_plan.people.index[0])
    win.document.push(SetCells("电话 Phone", "people", person, {"phone": "13700000000"}))
    box = win.checkin_dialog()
    qtbot.addWidget(box)
    results = {box.table.item(r, 0).text() for r in range(box.table.rowCount())}
    assert results == {"已签入", "冲突"}
    conflict_row = next(r for r in range(box.table.rowCount()) if box.table.item(r, 0).text() == "冲突")
    detail = box.table.item(conflict_row, 2).text()
    assert "王五" in detail and "改名" in detail and "编辑冲突" in detail
    assert "保留在本地文件" in box.summary.text() and box.reapply_button.isEnabled()
    box.grab().save("/tmp/so_checkin_conflict.png")
    assert open_plan(local).grids.at[4, "name"] == "我改的"                  # kept in the file
    box.reapply_button.click()
    assert {box.table.item(r, 0).text() for r in range(box.table.rowCount())} == {"已签入"}
    assert open_plan(pg_url).grids.at[4, "name"] == "我改的"
    qtbot.waitUntil(lambda: win.document is not None and win.document.plan.grids.at[4, "name"] == "我改的"
                    and not win.document.dirty, timeout=30000)


def test_checkin_of_a_plain_plan_is_refused_in_chinese(qtbot, settings, small_plan, tmp_path):
    from gridmap.ui.main_window import MainWindow

    path = tmp_path / "plain.gpkg"
    save_plan(small_plan, path)
    win = MainWindow()
    win.confirm_close = False
    qtbot.addWidget(win)
    win.open_path(path)
    qtbot.waitUntil(lambda: win.document is not None, timeout=30000)
    assert win.checkin_dialog() is None
    assert "不是从服务器签出" in win.last_error
