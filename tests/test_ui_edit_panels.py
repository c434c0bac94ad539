"""Attaching responsibility in the window (offscreen, real widgets): the grid
form (code validation, roles, people and units added in place), the people and
units tables with "where is this person on duty", street segments from a road
layer and their assignment by clicking, places from a layer, batch assignment,
saving (clean stack, title) and closing with unsaved edits, live re-checks."""

from __future__ import annotations

import pytest
import shapely
from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMessageBox

from gridmap.core.storage import open_plan
from ui_edit_support import X0, Y0, click, drag, open_window, type_in, write_project


@pytest.fixture
def win(qtbot, english, tmp_path, small_plan):
    w = open_window(qtbot, write_project(small_plan, tmp_path))
    yield w
    w.close()


def history(w):
    m = w.history.model()
    return [m.data(m.index(i, 0)) for i in range(1, m.rowCount())]


# ------------------------------------------------------------------------------------------------

def test_grid_form_edits_code_name_and_roles_as_undo_steps(win):
    plan = win.document.plan
    form = win.form
    stack = win.document.undo_stack
    g1 = plan.grid_by_code("44030600100001")
    name0 = plan.grids.at[g1, "name"]
    win.set_tool("select")
    c = plan.grids.geometry[g1].centroid
    click(win, c.x, c.y)
    assert form.gid == g1 and form.code.text() == "44030600100001"
    assert form.level.text() == "Small grid" and form.parent_combo.currentText().startswith("440306001000")
    # an invalid code is shown in red and refused
    form.code.selectAll()
    type_in(form.code, "4403060010001", enter=False)
    assert form.code.property("invalid") and "background" in form.code.styleSheet()
    QTest.keyClick(form.code, Qt.Key.Key_Return)
    assert plan.grids.at[g1, "code"] == "44030600100001" and stack.count() == 0
    assert "refused" in win.edit.last_error
    # so is another grid's code
    form.code.selectAll()
    type_in(form.code, "44030600100002")
    assert form.code.property("invalid") and plan.grids.at[g1, "code"] == "44030600100001"
    # a valid free code is taken
    form.code.selectAll()
    type_in(form.code, "44030600100009")
    assert plan.grids.at[g1, "code"] == "44030600100009" and not form.code.property("invalid")
    # the proposal: the first free number of the scheme under the parent
    form.propose.click()
    assert plan.grids.at[g1, "code"] == "44030600100001"
    form.name.selectAll()
    type_in(form.name, "新名字")
    assert plan.grids.at[g1, "name"] == "新名字"
    # another parent would leave the grid outside it: refused by the coverage guard
    east = plan.grid_by_code("440306002000")
    n = stack.count()
    form.parent_combo.setCurrentIndex(form.parent_combo.findData(east))
    form.parent_combo.activated.emit(form.parent_combo.currentIndex())
    assert stack.count() == n and "outside its parent" in win.edit.last_error
    assert int(plan.grids.at[g1, "parent"]) == plan.grid_by_code("440306001000")
    assert form.parent_combo.currentData() == plan.grid_by_code("440306001000")
    # leader: pick another person from the list (typing the name)
    zhang = int(plan.people.index[plan.people["name"] == "张三"][0])
    form.leader.lineEdit().selectAll()
    type_in(form.leader.lineEdit(), "张三")
    assert plan.roles_of(g1, "leader")["person"].tolist() == [zhang]
    # deputy: a new person typed in place is added to the people, in the same undo step
    n_people, n = len(plan.people), stack.count()
    type_in(form.deputy.lineEdit(), "王五")
    assert len(plan.people) == n_people + 1 and stack.count() == n + 1
    wang = int(plan.people.index[plan.people["name"] == "王五"][0])
    assert plan.roles_of(g1, "deputy")["person"].tolist() == [wang]
    assert win.people.people.model.row_of(wang) >= 0          # the people table follows
    # an officer with a duty, from the add row
    form.add_role.setCurrentIndex(form.add_role.findData("officer"))
    type_in(form.add_who.lineEdit(), "李四", enter=False)
    form.add_duty.setText("夜间巡查")
    form.add_button.click()
    li = int(plan.people.index[plan.people["name"] == "李四"][0])
    off = plan.roles_of(g1, "officer")
    assert li in off["person"].tolist() and "夜间巡查" in off["duty"].tolist()
    # duty and phone edited in the roles table
    row = next(r for r in range(form.roles.rowCount()) if form.roles.item(r, 1).text() == "李四"
               and form.roles.item(r, 4).text() == "夜间巡查")
    form.roles.item(row, 4).setText("夜间巡查两次")
    assert "夜间巡查两次" in plan.roles_of(g1, "officer")["duty"].tolist()
    row = next(r for r in range(form.roles.rowCount()) if form.roles.item(r, 1).text() == "李四")
    form.roles.item(row, 3).setText("13911112222")
    assert plan.people.at[li, "phone"] == "13911112222"
    # a responsible unit typed in place (new unit)
    form.add_role.setCurrentIndex(form.add_role.findData("responsible_unit"))
    type_in(form.add_who.lineEdit(), "辖区派出所", enter=False)
    form.add_button.click()
    assert "辖区派出所" in plan.units["name"].tolist()
    assert len(plan.roles_of(g1, "responsible_unit")) == 1
    # remove a role row
    rows = form.roles.rowCount()
    form.roles.selectRow(0)
    form.remove_button.click()
    assert form.roles.rowCount() == rows - 1
    assert history(win)[:4] == ["Set code 44030600100009", "Set code 44030600100001", "Set name", "Set Leader"]
    # every change is one undo step: all undone, the grid is as it was
    while stack.canUndo():
        stack.undo()
    assert plan.grids.at[g1, "code"] == "44030600100001" and plan.grids.at[g1, "name"] == name0
    assert len(plan.people) == n_people and "辖区派出所" not in plan.units["name"].tolist()
    assert sorted(plan.roles_of(g1)["role"]) == ["lead_unit", "leader", "officer"]
    assert form.roles.rowCount() == 3


def test_people_and_units_tables_search_sort_edit_and_duties(win):
    plan = win.document.plan
    panel = win.people
    t = panel.people
    stack = win.document.undo_stack
    assert t.proxy.rowCount() == 2
    type_in(t.search, "张", enter=False)
    assert t.proxy.rowCount() == 1 and t.proxy.index(0, 0).data() == "张三"
    t.search.clear()
    t.view.sortByColumn(0, Qt.SortOrder.DescendingOrder)
    names = [t.proxy.index(r, 0).data() for r in range(t.proxy.rowCount())]
    assert names == sorted(names, reverse=True)
    # where is 张三 on duty: his grid and his street segment light up
    zhang = int(plan.people.index[plan.people["name"] == "张三"][0])
    t.select_id(zhang)
    assert len(win.canvas._highlight.feat_part) - 1 == 1
    assert win._overlay_lines is not None and len(win._overlay_lines) == 1
    assert "张三" in win.status.currentMessage()
    grids, segs = win.show_duties(zhang)
    assert [plan.grids.at[g, "code"] for g in grids] == ["44030600100001"] and len(segs) == 1
    # road length per officer in the table
    col = panel.PEOPLE.index("road_m")
    assert t.view.model().index(t.model.row_of(zhang), col).data() is not None
    assert t.model.df.at[zhang, "road_m"] == pytest.approx(130.0)
    # edit a phone in the table, refuse an unknown unit
    idx = t.index_of(zhang, "phone")
    assert t.proxy.setData(idx, "13700000000")
    assert plan.people.at[zhang, "phone"] == "13700000000"
    assert not t.proxy.setData(t.index_of(zhang, "unit_name"), "不存在的单位")
    assert "No unit named" in win.edit.last_error
    # add a person, name them
    pid = panel.add_person()
    assert pid in plan.people.index and t.model.row_of(pid) >= 0
    t.proxy.setData(t.index_of(pid, "name"), "赵六")
    assert plan.people.at[pid, "name"] == "赵六"
    # delete 李四 (leader of a grid): his role goes in the same undo step
    li = int(plan.people.index[plan.people["name"] == "李四"][0])
    n_roles, n = len(plan.roles), stack.count()
    assert panel.delete_people([li])
    assert li not in plan.people.index and len(plan.roles) == n_roles - 1 and stack.count() == n + 1
    stack.undo()
    assert li in plan.people.index and len(plan.roles) == n_roles
    # units: add, rename, delete (people of the unit keep existing, without a unit)
    u = panel.units
    uid = panel.add_unit()
    u.proxy.setData(u.index_of(uid, "name"), "街道办")
    assert plan.units.at[uid, "name"] == "街道办"
    city = int(plan.units.index[plan.units["name"] == "区城市管理局"][0])
    assert panel.delete_units([city])
    assert city not in plan.units.index and plan.people["unit"].isna().all()
    assert len(plan.roles_of(plan.grid_by_code("44030600100001"), "lead_unit")) == 0
    stack.undo()
    assert (plan.people["unit"] == city).all()


def test_street_segments_from_roads_assignment_by_click_and_places(win):
    plan = win.document.plan
    seg = win.segments
    stack = win.document.undo_stack
    seg.refresh_layers()
    assert seg.road_layer.currentText() == "道路" and seg.road_field.currentText() == "name"
    # split the road layer at the small grids' boundaries: one undo step
    seg.split_button.click()
    s = plan.segments
    assert len(s) == 6 and stack.count() == 1
    assert sorted(s["road_name"].value_counts().to_dict().items()) == [("南北路", 2), ("弯道路", 4)]
    small = plan.grids.geometry
    for sid, row in s.iterrows():     # every piece lies in its grid
        assert shapely.length(shapely.intersection(row.geometry, small[int(row["grid"])])) == pytest.approx(
            row.geometry.length)
    assert seg.table.rowCount() == 6
    # 张三 is the officer of 44030600100001, which no road crosses; segments get their grid's officer
    assert s["officer"].isna().all()
    # assign by clicking: officer 李四 for the piece in 44030600100004 (x 75–150, y = 60)
    li = int(plan.people.index[plan.people["name"] == "李四"][0])
    seg.set_targets(officer=li)
    seg.pick_button.click()
    assert win.canvas.tool is win.edit_tools["pick_segment"]
    click(win, X0 + 110, Y0 + 60)
    g4 = plan.grid_by_code("44030600100004")
    picked = plan.segments.index[plan.segments["grid"] == g4][0]
    assert plan.segments.at[picked, "officer"] == li and stack.count() == 2
    assert win.people.people.model.df.at[li, "road_m"] == pytest.approx(75.0)
    # reassign that segment to another grid by clicking it again with a grid chosen
    g2 = plan.grid_by_code("44030600100002")
    seg.set_targets(grid=g2)
    click(win, X0 + 110, Y0 + 60)
    assert plan.segments.at[picked, "grid"] == g2 and plan.segments.at[picked, "officer"] == li
    # the table's selected rows, assigned in one step
    seg.set_targets(officer=-1)
    seg.table.selectAll()
    n = stack.count()
    assert seg.assign_selected() and stack.count() == n + 1 and plan.segments["officer"].isna().all()
    # the grid form shows the road length of the selected grid
    win.document.set_selection([plan.grid_by_code("44030600100003")])
    assert win.form.road_length == pytest.approx(30 + (15 ** 2 + 10 ** 2) ** 0.5 + 30)
    # places from a layer, assigned by containment
    seg.place_layer.setCurrentIndex(seg.place_layer.findText("场所"))
    seg.place_name.setCurrentText("name")
    seg.place_kind.setCurrentText("type")
    seg.places_button.click()
    p = plan.places
    assert len(p) == 5
    by_name = dict(zip(p["name"], p["grid"]))
    assert by_name["第一小学"] == plan.grid_by_code("44030600100003")
    assert by_name["丙小区"] == g2
    assert by_name["甲商店"] == by_name["乙商店"] == plan.grid_by_code("44030600200001")
    win.document.set_selection([plan.grid_by_code("44030600200001")])
    assert win.form.place_count == 2 and "商店 2" in win.form.stats.text()
    # all undoable
    while stack.canUndo():
        stack.undo()
    assert len(plan.segments) == 1 and len(plan.places) == 1


def test_batch_assignment_is_one_undo_step(win):
    plan = win.document.plan
    stack = win.document.undo_stack
    win.set_tool("select")
    drag(win, (X0 + 10, Y0 + 190), (X0 + 140, Y0 + 10))
    west = sorted(win.document.selection)
    assert len(west) == 4
    dlg = win.batch_assign_dialog()
    dlg.set_role("lead_unit")
    unit = int(plan.units.index[0])
    dlg.set_who(unit)
    dlg.duty.setText("牵头负责")
    dlg.replace.setChecked(True)
    dlg.accept()
    assert stack.count() == 1
    for g in west:
        r = plan.roles_of(g, "lead_unit")
        assert r["unit"].tolist() == [unit] and r["duty"].tolist() == ["牵头负责"]
    dlg = win.batch_assign_dialog()
    dlg.set_role("officer")
    dlg.set_who(int(plan.people.index[plan.people["name"] == "李四"][0]))
    dlg.accept()
    assert stack.count() == 2 and all(len(plan.roles_of(g, "officer")) >= 1 for g in west)
    stack.undo()
    stack.undo()
    assert len(plan.roles) == 3


def test_save_marks_clean_and_closing_with_unsaved_edits_asks(qtbot, win, tmp_path):
    plan = win.document.plan
    path = win.document.path
    assert not win.windowTitle().startswith("*")
    g1 = plan.grid_by_code("44030600100001")
    win.document.set_selection([g1])
    win.form.name.selectAll()
    type_in(win.form.name, "改过的名字")
    assert win.windowTitle().startswith("*") and not win.document.undo_stack.isClean()
    win.actions["save"].trigger()
    assert win.document.undo_stack.isClean() and not win.windowTitle().startswith("*")
    assert open_plan(path).grids.at[g1, "name"] == "改过的名字"
    # undo after saving: dirty again; redo: clean again
    win.undo_group.undo()
    assert win.windowTitle().startswith("*")
    win.undo_group.redo()
    assert not win.windowTitle().startswith("*")
    win.undo_group.undo()
    win.confirm_close = True
    answers = []

    def answer(button):
        box = QApplication.activeModalWidget()
        answers.append(box.text() if isinstance(box, QMessageBox) else None)
        box.button(button).click()

    QTimer.singleShot(50, lambda: answer(QMessageBox.StandardButton.Cancel))
    assert not win.close()
    assert win.isVisible() and answers == ["Save the changes to the plan before closing?"]
    QTimer.singleShot(50, lambda: answer(QMessageBox.StandardButton.Save))
    assert win.close()
    assert open_plan(path).grids.at[g1, "name"] == "第二网格"


def test_live_checks_follow_each_edit(win):
    plan = win.document.plan
    win.set_tool("vertex")
    drag(win, (X0 + 75, Y0 + 100), (X0 + 90, Y0 + 120))
    win.live.flush()
    assert win.live.last_mode == "full"              # the first edit checks the plan in full
    assert win.problems.ran and not [p for p in win.problems.problems if p["rule"] in ("gap", "overlap")]
    drag(win, (X0 + 90, Y0 + 120), (X0 + 95, Y0 + 130))
    win.live.flush()
    assert win.live.last_mode == "local"             # then only the edited neighbourhood
    # with the guard off, a vertex moved without topology opens a gap: it shows up at once
    win._set_edit_option("keep_clean", False)
    win._set_edit_option("topological", False)
    g = plan.grid_by_code("44030600200001")
    win.document.set_selection([g])
    drag(win, (X0 + 225, Y0 + 200), (X0 + 215, Y0 + 185))
    win.live.flush()
    gaps = [p for p in win.problems.problems if p["rule"] in ("gap", "sliver")]
    assert gaps and win.live.last_mode == "local"
    win.undo_group.undo()
    win.live.flush()
    assert not [p for p in win.problems.problems if p["rule"] in ("gap", "sliver")]
