"""The core edit buffer: undo/redo, saved position, merged drags, exact changes, changeset replay."""

from shapely import LineString, box

from gridmap.core.editing import changeset as CS
from gridmap.core.editing import commands as C
from gridmap.core.editing.buffer import EditBuffer
from gridmap.core.plan import Plan


def _plan():
    plan = Plan.new("例", "EPSG:4547", "440306", levels="two")
    plan.set_jurisdiction(box(0, 0, 100, 100))
    big = plan.add_grid(box(0, 0, 100, 100), "large", code="440306001000")
    plan.add_grid(box(0, 0, 50, 100), "small", parent=big)
    plan.add_grid(box(50, 0, 100, 100), "small", parent=big)
    return plan


def test_buffer_reports_exact_changes_and_replays_on_a_copy():
    plan = _plan()
    start = plan.copy()
    buf = EditBuffer(plan, author="测试")
    seen = []
    buf.subscribe(seen.append)
    buf.push(C.split_grid(plan, 2, LineString([(25, -1), (25, 101)])))
    new = max(plan.grids.index)
    assert seen[-1].added("grids") == {new} and 2 in seen[-1].modified("grids") and seen[-1].how == "push"
    buf.push(C.set_grid_attributes(plan, 3, name="东区"))
    buf.push(C.move_vertex(plan, (50, 100), (55, 100), tol=0.01))
    buf.push(C.SetSetting("设置", "label_font", "SimHei"))
    buf.push(C.merge_grids(plan, [2, new], keep=2))
    assert seen[-1].removed("grids") == {new}
    buf.undo()
    assert seen[-1].how == "undo" and seen[-1].added("grids") == {new}
    buf.redo()
    buf.push(C.delete_grid(plan, 3))
    assert buf.dirty and len(buf.history()) == 6
    buf.set_clean()
    assert not buf.dirty
    text = CS.dumps(buf.changesets())   # pushes, the undo and the redo, as JSON
    copy = start
    for cs in CS.loads(text):
        CS.apply_changeset(copy, cs)
    assert CS.plan_differences(plan, copy) == []


def test_merge_key_makes_one_step_and_not_across_the_saved_position():
    plan = _plan()
    buf = EditBuffer(plan)
    for x in (1, 2, 3):
        c = C.SetGeometries("拖动", {1: box(0, 0, 100 + x, 100)})
        c.merge_key = "drag"
        buf.push(c)
    assert len(buf.commands) == 1
    buf.set_clean()
    c = C.SetGeometries("拖动", {1: box(0, 0, 110, 100)})
    c.merge_key = "drag"
    buf.push(c)
    assert len(buf.commands) == 2
    buf.undo()
    buf.undo()
    assert plan.grids.geometry[1].equals(box(0, 0, 100, 100))


def test_a_replaced_table_is_recorded_as_given_even_after_later_in_place_edits():
    plan = _plan()
    start = plan.copy()
    buf = EditBuffer(plan)
    table = plan.grids.copy()
    table.loc[2, "name"] = "替换"
    buf.push(C.ReplaceTable("导入", "grids", table))
    buf.push(C.SetCells("名称", "grids", 2, {"name": "后来"}))   # edits the plan's table in place
    assert table.at[2, "name"] == "替换"
    copy = start
    for cs in CS.loads(CS.dumps(buf.changesets())):
        CS.apply_changeset(copy, cs)
    assert CS.plan_differences(plan, copy) == []
