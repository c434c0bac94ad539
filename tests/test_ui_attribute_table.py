"""The attribute table (属性表, F6) on a real window and a real saved plan: open by the
action, sort, filter, edit in place as one undo step, selection both ways, the
other tabs."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit

from ui_edit_support import open_window, write_project


@pytest.fixture
def win(qtbot, english, tmp_path, small_plan):
    w = open_window(qtbot, write_project(small_plan, tmp_path))
    yield w
    w.close()


def column(model, key):
    return [c.key for c in model.columns].index(key)


def values(model, key):
    c = column(model, key)
    return [model.data(model.index(r, c)) for r in range(model.rowCount())]


def open_table(w, qtbot):
    assert w.actions["attribute_table"].isEnabled()
    w.actions["attribute_table"].trigger()
    table = w.attribute_table
    qtbot.waitUntil(table.isVisible)
    return table


def test_action_needs_a_plan(qtbot, english):
    from gridmap.ui.main_window import MainWindow

    w = MainWindow()
    w.confirm_close = False
    qtbot.addWidget(w)
    assert not w.actions["attribute_table"].isEnabled()
    assert w.actions["attribute_table"].shortcut().toString() == "F6"
    assert w.actions["attribute_table"] in w.menus["layers"].actions()


def test_open_sort_filter_and_tabs(win, qtbot):
    plan = win.document.plan
    t = open_table(win, qtbot)
    m = t.pages["grids"].model
    small = plan.grids[plan.grids["level"] == "small"]
    assert m.rowCount() == len(small) == 8                   # the edit level (lowest)
    assert sorted(values(m, "code")) == sorted(small["code"])
    # sort by name, descending, through the header
    t.pages["grids"].view.sortByColumn(column(m, "name"), Qt.SortOrder.DescendingOrder)
    names = values(m, "name")
    assert names == sorted(small["name"], reverse=True)
    # the parent code and area columns are computed
    row = values(m, "code").index("44030600100001")
    gid = plan.grid_by_code("44030600100001")
    assert m.data(m.index(row, column(m, "parent_code"))) == plan.parent_code(gid)
    assert m.data(m.index(row, column(m, "area"))) == pytest.approx(7500.0)
    assert "张三" in m.data(m.index(row, column(m, "officers")))
    # filter over all columns
    t.filter.setText("第三")
    assert values(m, "name") == ["第三网格"]
    assert "1 of 8" in t.count.text()
    t.filter.setText("")
    assert m.rowCount() == 8
    # the other level
    t.level.setCurrentIndex(t.level.findData("large"))
    assert sorted(values(m, "name")) == sorted(["西片", "东片"])
    # the other tabs
    assert t.pages["people"].model.rowCount() == len(plan.people) == 2
    assert t.pages["segments"].model.rowCount() == len(plan.segments)
    assert t.pages["places"].model.rowCount() == len(plan.places)
    pm = t.pages["people"].model
    assert sorted(values(pm, "name")) == ["张三", "李四"]
    assert set(values(pm, "unit_name")) == {"区城市管理局"}
    sm = t.pages["segments"].model
    assert values(sm, "road_name") == list(plan.segments["road_name"])
    assert values(sm, "officer_name") == ["张三"]


def test_edit_name_in_place_is_one_undo_step(win, qtbot):
    plan = win.document.plan
    t = open_table(win, qtbot)
    page = t.pages["grids"]
    m = page.model
    gid = plan.grid_by_code("44030600100002")
    row = m.row_of(gid)
    index = m.index(row, column(m, "name"))
    old = m.data(index)
    steps = win.document.undo_stack.count()
    page.view.setCurrentIndex(index)
    page.view.edit(index)
    editors = [e for e in page.view.viewport().findChildren(QLineEdit) if e.isVisible()]
    assert len(editors) == 1
    editor = editors[0]
    editor.setText("新网格名")
    page.view.itemDelegate().commitData.emit(editor)        # what the delegate does on Return
    assert win.document.plan.grids.at[gid, "name"] == "新网格名"
    assert win.document.undo_stack.count() == steps + 1
    assert m.data(m.index(m.row_of(gid), column(m, "name"))) == "新网格名"
    win.actions["undo"].trigger()
    assert win.document.plan.grids.at[gid, "name"] == old
    assert m.data(m.index(m.row_of(gid), column(m, "name"))) == old
    win.actions["redo"].trigger()
    assert m.data(m.index(m.row_of(gid), column(m, "name"))) == "新网格名"
    # computed columns are not editable; a duplicate code is refused, the plan unchanged
    assert not (m.flags(m.index(row, column(m, "area"))) & Qt.ItemFlag.ItemIsEditable)
    assert not m.setData(m.index(m.row_of(gid), column(m, "code")), "44030600100001")
    assert win.document.plan.grids.at[gid, "code"] == "44030600100002"
    assert win.document.undo_stack.count() == steps + 1
    # a person's phone, through the same command path
    pm = t.pages["people"].model
    pid = int(plan.people.index[plan.people["name"] == "张三"][0])
    assert pm.setData(pm.index(pm.row_of(pid), column(pm, "phone")), "13700000000")
    assert win.document.plan.people.at[pid, "phone"] == "13700000000"
    assert win.document.undo_stack.count() == steps + 2
    win.actions["undo"].trigger()
    assert pm.data(pm.index(pm.row_of(pid), column(pm, "phone"))) == "13800000000"


def test_selection_both_ways_and_only_selected(win, qtbot):
    plan = win.document.plan
    t = open_table(win, qtbot)
    page = t.pages["grids"]
    m = page.model
    a, b = plan.grid_by_code("44030600100001"), plan.grid_by_code("44030600100003")
    page.select_ids([a, b])                                  # rows → map
    assert sorted(win.document.selection) == sorted([a, b])
    c = plan.grid_by_code("44030600100004")
    win.document.set_selection([c])                          # map → rows
    assert page.selected_ids() == [c]
    t.only_selected.setChecked(True)
    assert m.rowCount() == 1 and m.id_at(0) == c
    win.document.set_selection([a, b])
    assert sorted(m.id_at(r) for r in range(m.rowCount())) == sorted([a, b])
    assert sorted(page.selected_ids()) == sorted([a, b])
    t.only_selected.setChecked(False)
    assert m.rowCount() == 8
    # double-click on a read-only cell zooms to the grid
    win.canvas.zoom_to(tuple(plan.grids.total_bounds), margin=0.5)
    before = win.canvas.viewport.res
    page.view.doubleClicked.emit(m.index(m.row_of(c), column(m, "area")))
    assert win.canvas.viewport.res < before


def test_closing_the_main_window_closes_the_attribute_table(win, qtbot):
    table = win.open_attribute_table()
    assert table.isVisible()
    win.close()
    assert not table.isVisible()      # no window left behind keeping the application alive
