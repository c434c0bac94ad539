"""Through the real window (offscreen, simulated mouse and keys, else the window's own
actions and panels): every edit kind is ONE undo step of the plan's edit buffer, is
recorded in its journal as a changeset, and "modified" in the title is exactly "not at
the saved position".  The journal, as JSON, replays on the plan as it was opened to
the plan on screen.  One drag of a vertex (many mouse moves) is one undo step."""

from __future__ import annotations

import geopandas as gpd
import pytest
from PySide6.QtCore import Qt
from shapely import box

from gridmap.core.editing import changeset as CS
from gridmap.core.storage import open_plan
from ui_edit_support import X0, Y0, click, dclick, drag, key, open_window, write_project


@pytest.fixture
def win(qtbot, english, tmp_path, small_plan):
    w = open_window(qtbot, write_project(small_plan, tmp_path))
    yield w
    w.close()


def modified(w) -> bool:
    return w.windowTitle().startswith("*")


class OneStep:
    """Asserts that what is done inside is one undo step, one journal entry (a push,
    serialisable as a changeset) and leaves the title modified."""

    def __init__(self, w, what: str):
        self.w, self.what = w, what

    def __enter__(self):
        buf = self.w.document.buffer
        self.n, self.i, self.j = self.w.document.undo_stack.count(), buf.index, len(buf.journal)
        return self

    def __exit__(self, *exc):
        if exc[0] is not None:
            return False
        w, buf = self.w, self.w.document.buffer
        assert w.edit.last_error == "", (self.what, w.edit.last_error)
        assert w.document.undo_stack.count() == self.n + 1, self.what
        assert buf.index == self.i + 1 and len(buf.journal) == self.j + 1, self.what
        how, cmd, _, _ = buf.journal[-1]
        assert how == "push"
        CS.loads(CS.dumps([CS.changeset(cmd)]))          # recorded as a JSON changeset
        assert modified(w) and w.document.dirty, self.what
        return False


def qt_drag(qtbot, w, a, b, moves: int = 12):
    """Press on ``a``, move in many steps, release on ``b`` (pytest-qt's mouse)."""
    drag(w, a, b, steps=moves, mouse=qtbot)


def test_one_vertex_drag_is_one_undo_step_and_undo_back_to_saved_is_not_modified(win, qtbot):
    doc = win.document
    assert not modified(win)
    before = doc.plan.grids.geometry.copy()
    win.set_tool("vertex")
    qt_drag(qtbot, win, (X0 + 75, Y0 + 100), (X0 + 88, Y0 + 115))
    assert win.edit.last_error == ""
    assert doc.undo_stack.count() == 1 and doc.buffer.index == 1 and modified(win)
    assert doc.buffer.commands[0].merge_key is not None      # the drag tool marks its pushes
    qtbot.keyClick(win.canvas, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert doc.buffer.index == 0 and not modified(win) and not doc.dirty
    assert all(doc.plan.grids.geometry[g].equals(before[g]) for g in before.index)
    # saved after the drag: undo leaves the saved position (modified), redo comes back to it
    qtbot.keyClick(win.canvas, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    doc.save()
    assert not modified(win)
    doc.undo()
    assert modified(win)
    doc.redo()
    assert not modified(win)


def test_every_edit_kind_is_one_undo_step_recorded_as_a_changeset(win, qtbot, tmp_path):
    doc = win.document
    plan = doc.plan
    opened = open_plan(doc.path)
    gid = plan.grid_by_code
    # delete (the window's action on the selection)
    hole = gid("44030600100003")
    with OneStep(win, "delete"):
        doc.set_selection([hole])
        win.actions["delete_grids"].trigger()
    # draw: click the four corners of the hole, double-click the last
    win.set_tool("draw_grid")
    with OneStep(win, "draw"):
        for x, y in [(X0, Y0), (X0 + 75, Y0), (X0 + 75, Y0 + 100)]:
            click(win, x, y)
        dclick(win, X0, Y0 + 100)
    drawn = doc.selection[0]
    assert plan.grids.at[drawn, "code"]                      # coded in the same step
    # vertex edit: a drag
    win.set_tool("vertex")
    with OneStep(win, "vertex drag"):
        qt_drag(qtbot, win, (X0 + 225, Y0 + 100), (X0 + 230, Y0 + 110))
    # split with a line (children first, codes: one step)
    g1 = gid("44030600100001")
    doc.clear_selection()
    win.set_tool("split")
    with OneStep(win, "split"):
        click(win, X0 + 30, Y0 + 100)
        click(win, X0 + 30, Y0 + 200)
        click(win, X0 + 30, Y0 + 200, button=Qt.MouseButton.RightButton)
    a, b = doc.selection
    # merge (the dialog chooses the survivor)
    with OneStep(win, "merge"):
        win.actions["merge"].trigger()
        win.merge_dialog.choose(a)
        win.merge_dialog.accept()
    assert a == g1 and b not in plan.grids.index
    # reshape with a line into the southern neighbour
    doc.set_selection([g1])
    win.set_tool("reshape")
    with OneStep(win, "reshape"):
        for xy in [(X0 + 20, Y0 + 100), (X0 + 20, Y0 + 80), (X0 + 50, Y0 + 80), (X0 + 50, Y0 + 100)]:
            click(win, *xy)
        key(win, Qt.Key.Key_Return)
    # move the boundary between 02 and 04
    doc.clear_selection()
    win.set_tool("move_boundary")
    with OneStep(win, "move boundary"):
        for xy in [(X0 + 75, Y0 + 100), (X0 + 100, Y0 + 90), (X0 + 150, Y0 + 90)]:
            click(win, *xy)
        key(win, Qt.Key.Key_Enter)
    # attribute edit in the grid form (typed, Enter)
    win.set_tool("select")
    doc.set_selection([g1])
    form = win.form
    with OneStep(win, "attribute"):
        form.name.setFocus()
        form.name.selectAll()
        qtbot.keyClicks(form.name, "West")
        qtbot.keyClick(form.name, Qt.Key.Key_Return)
    assert plan.grids.at[g1, "name"] == "West"
    # role edit: an officer added from the form's add row
    with OneStep(win, "role"):
        form.add_role.setCurrentIndex(form.add_role.findData("officer"))
        form.add_who.lineEdit().setText("李四")
        form.add_duty.setText("巡查")
        form.add_button.click()
    # segment assignment (street segments from the road layer, then one assigned by a click)
    seg = win.segments
    seg.refresh_layers()
    with OneStep(win, "segments"):
        seg.split_button.click()
    li = int(plan.people.index[plan.people["name"] == "李四"][0])
    seg.set_targets(officer=li)
    seg.pick_button.click()
    with OneStep(win, "segment assignment"):
        click(win, X0 + 110, Y0 + 60)
    # places from a layer, assigned by containment
    with OneStep(win, "places"):
        seg.place_layer.setCurrentIndex(seg.place_layer.findText("场所"))
        seg.place_name.setCurrentText("name")
        seg.place_kind.setCurrentText("type")
        seg.places_button.click()
    # batch assignment on several grids
    with OneStep(win, "batch assign"):
        ids = [gid("44030600100002"), gid("44030600100004")]
        doc.set_selection(ids)
        dlg = win.batch_assign_dialog()
        dlg.set_role("lead_unit")
        dlg.set_who(int(plan.units.index[0]))
        dlg.accept()
    # grid import
    from gridmap.ui.import_dialog import ImportSpec

    src = tmp_path / "more.geojson"
    gpd.GeoDataFrame({"编码": ["44030600100099"], "名称": ["新网格"]},
                     geometry=[box(X0 + 1, Y0 + 1, X0 + 10, Y0 + 10)], crs="EPSG:4547").to_file(src)
    with OneStep(win, "grid import"):
        assert win.import_file(ImportSpec(path=str(src), as_grids=True, level="small",
                                          mapping={"code": "编码", "name": "名称"}))
        assert win.wait_idle()
    # the journal, as JSON, replays on the plan as it was opened to the plan on screen
    steps = doc.buffer.index
    texts = CS.dumps(doc.buffer.changesets())
    for cs in CS.loads(texts):
        CS.apply_changeset(opened, cs)
    assert CS.plan_differences(plan, opened) == []
    # saved: not modified; one undo: modified; redo: back at the saved position
    doc.save()
    assert not modified(win)
    win.actions["undo"].trigger()
    assert modified(win)
    win.actions["redo"].trigger()
    assert not modified(win)
    # all the way back to the file as opened: modified (not at the saved position)
    for _ in range(steps):
        win.actions["undo"].trigger()
    assert doc.buffer.index == 0 and modified(win)
