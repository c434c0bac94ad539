"""The editing map tools driven with real mouse and key events on the real
canvas (offscreen): draw with snapping, Backspace, Esc, fill and tracing;
vertex moves, additions and deletions (topological, across levels); split by a
line and along a road; merge with the survivor chosen in the dialog; reshape;
move boundary; delete; undo/redo by keyboard — and a long random sequence of
edits and undos through the UI that keeps every level a clean coverage."""

from __future__ import annotations

import random
import re

import numpy as np
import pytest
import shapely
from PySide6.QtCore import QSettings, Qt

from gridmap.core.codes import is_valid_code
from ui_edit_support import (X0, Y0, assert_clean, click, dclick, drag, key, landed, open_window, shortcut,
                                  write_project)


@pytest.fixture
def win(qtbot, english, tmp_path, small_plan):
    w = open_window(qtbot, write_project(small_plan, tmp_path))
    yield w
    w.close()


def gid(w, code):
    return w.document.plan.grid_by_code(code)


def geom(w, g):
    return w.document.plan.grids.geometry[g]


# ------------------------------------------------------------------------------------------------

def test_draw_grid_snaps_backspace_esc_fill_and_undo_by_keys(win, qtbot):
    plan = win.document.plan
    stack = win.document.undo_stack
    hole = gid(win, "44030600100003")          # x 0–75, y 0–100 of the west large grid
    win.document.set_selection([hole])
    win.actions["delete_grids"].trigger()
    assert hole not in plan.grids.index and stack.count() == 1
    assert win.windowTitle().startswith("*")
    assert win.edit.last_error == ""
    win.set_tool("draw_grid")
    tool = win.canvas.tool
    assert tool is win.edit_tools["draw_grid"]
    # Esc cancels a started polygon
    click(win, X0 + 20, Y0 + 20)
    click(win, X0 + 40, Y0 + 20)
    key(win, Qt.Key.Key_Escape)
    assert tool.points == [] and stack.count() == 1
    # clicks 3 px off the corners snap onto them (a marker is shown while hovering)
    res = win.canvas.viewport.res
    corners = [(X0, Y0), (X0 + 75, Y0), (X0 + 75, Y0 + 100), (X0, Y0 + 100)]
    for x, y in corners[:3]:
        click(win, x + 3 * res, y - 3 * res)
    assert tool.hover[2] == "vertex"
    click(win, X0 + 50, Y0 + 50)               # a wrong click …
    key(win, Qt.Key.Key_Backspace)             # … taken back
    assert len(tool.points) == 3
    assert tool.points == corners[:3]
    x, y = corners[3]
    dclick(win, x + 2 * res, y + 2 * res)       # double-click adds the last corner and finishes
    assert stack.count() == 2 and win.edit.last_error == ""
    new = win.document.selection[0]
    assert geom(win, new).equals(shapely.box(X0, Y0, X0 + 75, Y0 + 100))
    row = plan.grids.loc[new]
    assert row["level"] == "small" and int(row["parent"]) == gid(win, "440306001000")
    assert is_valid_code(row["code"], "{parent}{seq:02d}", parent="440306001000")   # proposed from the scheme
    assert_clean(plan)
    # Ctrl+Z takes the new grid back, Ctrl+Shift+Z (and Ctrl+Y) bring it again
    shortcut(win, "undo")
    assert new not in plan.grids.index
    QTestKey = Qt.Key
    win.canvas.setFocus()
    shortcut(win, "redo")
    assert new in plan.grids.index
    assert win.actions["redo"].shortcuts()[1].toString() == "Ctrl+Y"
    shortcut(win, "undo")
    # fill: a sloppy polygon 3 m inside the hole grows over the slivers to the neighbours
    win.set_edit_level("small")
    win.actions["fill"].setChecked(True)
    dlg = win.edit_options_dialog()          # slivers up to 8 m wide are filled
    dlg.fill_width.setValue(8.0)
    dlg.accept()
    assert win.edit.fill_width == 8.0 and QSettings().value("edit/fill_width") in (8.0, "8.0", "8")
    win.actions["snapping"].setChecked(False)
    for xy in [(X0 + 3, Y0 + 3), (X0 + 72, Y0 + 3), (X0 + 72, Y0 + 97), (X0 + 3, Y0 + 97)]:
        click(win, *xy)
    key(win, QTestKey.Key_Return)
    new = win.document.selection[0]
    assert geom(win, new).area == pytest.approx(7500, rel=1e-6)
    assert_clean(plan)
    win.actions["snapping"].setChecked(True)
    # without free space the new grid lies entirely on its neighbours: refused, nothing changes
    n = stack.count()
    for xy in [(X0 + 100, Y0 + 20), (X0 + 120, Y0 + 20), (X0 + 120, Y0 + 40)]:
        click(win, *xy)
    key(win, QTestKey.Key_Return)
    assert stack.count() == n and "neighbours" in win.edit.last_error
    assert win.status.currentMessage() == win.edit.last_error


def test_tracing_follows_the_road_between_two_snapped_clicks(win):
    plan = win.document.plan
    target = gid(win, "44030600100003")
    win.set_tool("split")
    # where the road crosses the grid's west and east sides: snapped "intersection" points
    click(win, X0, Y0 + 50)
    assert win.canvas.tool.hover[2] == "intersection"
    click(win, X0 + 75, Y0 + 60, mods=Qt.KeyboardModifier.ShiftModifier)     # Shift: trace along the road
    pts = win.canvas.tool.points
    assert pts[0] == (X0, Y0 + 50) and pts[-1] == pytest.approx((X0 + 75, Y0 + 60))
    assert (X0 + 30, Y0 + 50) in [tuple(np.round(p, 6)) for p in pts]   # the bends of the road
    key(win, Qt.Key.Key_Return)
    assert win.edit.last_error == ""
    pieces = [g for g in win.document.selection]
    assert target in pieces and len(pieces) == 2
    south = min(pieces, key=lambda g: geom(win, g).centroid.y)
    coords = {tuple(np.round(c, 6)) for c in shapely.get_coordinates(geom(win, south))}
    assert {(X0 + 30, Y0 + 50), (X0 + 45, Y0 + 60)} <= coords
    assert geom(win, south).area == pytest.approx(75 * 50 + 15 * 10 / 2 + 30 * 10, rel=1e-6)
    assert_clean(plan)
    # the trace toggle does the same without Shift; Backspace removes the whole traced run
    win.actions["trace"].setChecked(True)
    click(win, X0 + 150, Y0 + 60)
    click(win, X0 + 225, Y0 + 60)
    assert len(win.canvas.tool.points) >= 2
    key(win, Qt.Key.Key_Backspace)
    assert len(win.canvas.tool.points) == 1
    key(win, Qt.Key.Key_Escape)
    win.actions["trace"].setChecked(False)


def test_vertex_tool_moves_adds_and_deletes_topologically_across_levels(win, qtbot):
    plan = win.document.plan
    stack = win.document.undo_stack
    win.set_tool("vertex")
    rev = {l.id: l.revision for l in win.canvas.layers}
    rendered = win.canvas.stats["layers_rendered"]
    # the corner shared by four small grids: all four follow
    drag(win, (X0 + 75, Y0 + 100), (X0 + 88, Y0 + 115))
    assert win.edit.last_error == ""
    # only the edited layers are drawn again (the core nodes the large grids and the
    # jurisdiction at the vertex too; segments and places whose grid changed with the moved
    # corner follow it, issue 21); base maps keep their cached images
    changed = [getattr(l, "level_key", l.kind) for l in win.canvas.layers if l.revision != rev[l.id]]
    assert "small" in changed and set(changed) <= {"small", "large", "jurisdiction", "segments", "places"}
    last = win.document.buffer.commands[-1] if hasattr(win.document, "buffer") else None
    if last is not None:
        from gridmap.core.editing.changes import changes_of

        tables = changes_of(last).tables
        assert {"segments", "places"} & set(changed) <= tables
    assert win.wait_idle()
    assert win.canvas.stats["layers_rendered"] == rendered + len(changed)
    to = landed(win, X0 + 88, Y0 + 115)
    moved = [g for g in plan.grids_of_level("small").index
             if to in [tuple(c) for c in shapely.get_coordinates(geom(win, g))]]
    assert len(moved) == 4
    assert_clean(plan)
    # a vertex of the small grids on the boundary between the two large grids: the large grids follow
    west, east = gid(win, "440306001000"), gid(win, "440306002000")
    drag(win, (X0 + 150, Y0 + 100), (X0 + 162, Y0 + 101))      # snaps onto the edge y = 100
    assert win.edit.last_error == ""
    dx = landed(win, X0 + 162, Y0 + 101)[0] - (X0 + 150)
    assert 11 < dx < 13
    assert geom(win, west).area == pytest.approx(150 * 200 + dx * 200 / 2)
    assert geom(win, east).area == pytest.approx(150 * 200 - dx * 200 / 2)
    assert_clean(plan)
    # double-click on the edge shared by 01 and 03 adds the vertex to both
    a, b = gid(win, "44030600100001"), gid(win, "44030600100003")
    na, nb = (len(shapely.get_coordinates(geom(win, g))) for g in (a, b))
    dclick(win, X0 + 30, Y0 + 100)
    assert [len(shapely.get_coordinates(geom(win, g))) for g in (a, b)] == [na + 1, nb + 1]
    # pick it and press Delete: gone from both
    click(win, X0 + 30, Y0 + 100)
    key(win, Qt.Key.Key_Delete)
    assert [len(shapely.get_coordinates(geom(win, g))) for g in (a, b)] == [na, nb]
    assert_clean(plan)
    # deleting the vertex where three grids meet would open a gap: refused with a message
    n = stack.count()
    click(win, X0 + 88, Y0 + 115)
    key(win, Qt.Key.Key_Delete)
    assert stack.count() == n and "gap" in win.edit.last_error
    # moving a vertex across a grid that does not share it would make an overlap: refused
    drag(win, (X0 + 88, Y0 + 115), (X0 + 190, Y0 + 160))
    assert stack.count() == n and ("overlap" in win.edit.last_error or "invalid" in win.edit.last_error)
    assert [win.history.model().data(win.history.model().index(i, 0)) for i in range(1, 5)] == [
        "Move vertex", "Move vertex", "Add vertex", "Delete vertex"]
    for _ in range(4):
        win.undo_group.undo()
    assert geom(win, west).equals(shapely.box(X0, Y0, X0 + 150, Y0 + 200))
    assert_clean(plan)


def test_split_merge_reshape_move_boundary_and_delete(win, qtbot):
    plan = win.document.plan
    stack = win.document.undo_stack
    g1 = gid(win, "44030600100001")       # x 0–75, y 100–200
    # split by a drawn line (snapped to the grid's edges), finished by right-click
    win.set_tool("split")
    click(win, X0 + 30, Y0 + 100)
    click(win, X0 + 30, Y0 + 200)
    click(win, X0 + 30, Y0 + 200, button=Qt.MouseButton.RightButton)
    assert win.edit.last_error == ""
    a, b = win.document.selection
    assert a == g1                         # the grid keeps the largest piece, b is new
    lx = landed(win, X0 + 30, Y0 + 150)[0] - X0
    assert sorted(geom(win, g).area for g in (a, b)) == pytest.approx(sorted([lx * 100, (75 - lx) * 100]))
    assert is_valid_code(plan.grids.at[b, "code"], "{parent}{seq:02d}", parent="440306001000")
    assert plan.grids.at[b, "code"] not in set(plan.grids.drop(index=b)["code"])
    assert_clean(plan)
    # merge them back: the dialog asks whose attributes survive
    win.actions["merge"].trigger()
    dlg = win.merge_dialog
    assert dlg.isVisible() and dlg.list.count() == 2
    dlg.choose(b)
    dlg.accept()
    assert a not in plan.grids.index and b in plan.grids.index
    assert geom(win, b).equals(shapely.box(X0, Y0 + 100, X0 + 75, Y0 + 200))     # merged back whole
    assert_clean(plan)
    # reshape 01 (now b) with a line into its southern neighbour: 03 gives the area
    g3 = gid(win, "44030600100003")
    win.document.set_selection([b])
    win.set_tool("reshape")
    for xy in [(X0 + 20, Y0 + 100), (X0 + 20, Y0 + 80), (X0 + 50, Y0 + 80), (X0 + 50, Y0 + 100)]:
        click(win, *xy)
    key(win, Qt.Key.Key_Return)
    assert win.edit.last_error == ""
    (x20, y80), (x50, _) = landed(win, X0 + 20, Y0 + 80), landed(win, X0 + 50, Y0 + 80)
    gain = (x50 - x20) * (Y0 + 100 - y80)
    assert 550 < gain < 650
    assert geom(win, b).area == pytest.approx(7500 + gain)
    assert geom(win, g3).area == pytest.approx(7500 - gain)
    assert_clean(plan)
    # move the boundary between 02 and 04 (y = 100) down to y = 90, in the east half bent
    g2, g4 = gid(win, "44030600100002"), gid(win, "44030600100004")
    win.document.clear_selection()
    win.set_tool("move_boundary")
    for xy in [(X0 + 75, Y0 + 100), (X0 + 100, Y0 + 90), (X0 + 150, Y0 + 90)]:
        click(win, *xy)
    key(win, Qt.Key.Key_Enter)
    assert win.edit.last_error == ""
    (mx, my), (_, ey) = landed(win, X0 + 100, Y0 + 90), landed(win, X0 + 150, Y0 + 90)
    moved = shapely.Polygon([(X0 + 75, Y0 + 100), (mx, my), (X0 + 150, ey), (X0 + 150, Y0 + 100)])
    assert geom(win, g2).area == pytest.approx(7500 + moved.area)
    assert_clean(plan)
    # delete (Shift+Del) leaves a hole: allowed, shown by the live check
    n = stack.count()
    win.document.set_selection([g4])
    win.actions["delete_grids"].trigger()
    assert g4 not in plan.grids.index and stack.count() == n + 1
    win.live.flush()
    assert any(p["rule"] == "gap" for p in win.problems.problems)
    win.undo_group.undo()
    win.live.flush()
    assert not any(p["rule"] == "gap" for p in win.problems.problems)
    # a grid with children cannot be deleted
    win.document.set_selection([gid(win, "440306002000")])
    win.actions["delete_grids"].trigger()
    assert "child" in win.edit.last_error
    texts = [win.history.model().data(win.history.model().index(i, 0)) for i in range(1, stack.count() + 1)]
    assert texts[:4] == ["Split grid", "Merge 2 grids", "Reshape grid", "Move boundary"]


def test_split_along_road_and_large_grid_with_its_children(win):
    plan = win.document.plan
    east = gid(win, "440306002000")
    # the north–south road at x = 262 through the east large grid: click it
    win.set_tool("split_road")
    win.set_edit_level("large")
    click(win, X0 + 262, Y0 + 30)
    assert win.edit.last_error == ""
    larges = plan.grids_of_level("large")
    assert len(larges) == 3
    assert sorted(round(a) for a in larges.geometry.area) == [7600, 22400, 30000]
    # the small grids it crossed were split too and each piece sits in its new parent
    assert len(plan.grids_of_level("small")) == 10
    assert_clean(plan)
    win.undo_group.undo()
    assert len(plan.grids) == 10 and geom(win, east).equals(shapely.box(X0 + 150, Y0, X0 + 300, Y0 + 200))
    # clicking where there is no road says so
    click(win, X0 + 100, Y0 + 150)
    assert "road" in win.edit.last_error.lower()


def after_deletion(stack) -> bool:
    """Whether the plan is right after a grid deletion (a hole on purpose)."""
    return stack.index() > 0 and re.match(r"Delete \d+ grid", stack.text(stack.index() - 1)) is not None


RANDOM_STEPS = 80


@pytest.mark.parametrize("seed", [3, 8])
def test_random_edits_and_undos_through_the_ui_keep_a_clean_coverage(win, seed, steps=None):
    """Random tool, random clicks at snapped positions (vertices, edges, crossings of
    the grids) and in between, random Ctrl+Z / Ctrl+Shift+Z: after every step each level
    is a valid coverage of the jurisdiction, children inside their parents."""
    rng = random.Random(seed)
    plan = win.document.plan
    stack = win.document.undo_stack
    xs, ys = (0, 37.5, 75, 112.5, 150, 187.5, 225, 262.5, 300), (0, 50, 100, 150, 200)

    def snapped_point():
        coords = shapely.get_coordinates(np.asarray(plan.grids.geometry.values, dtype=object))
        if rng.random() < 0.6:
            x, y = coords[rng.randrange(len(coords))]
            return float(x), float(y)
        return X0 + rng.choice(xs), Y0 + rng.choice(ys)

    def inner_point():
        return X0 + rng.uniform(5, 295), Y0 + rng.uniform(5, 195)

    done = refused = 0
    log = []
    for step in range(steps or RANDOM_STEPS):
        action = rng.choice(["split", "split", "reshape", "move_boundary", "vertex_move", "vertex_add",
                             "vertex_delete", "merge", "undo", "undo", "redo", "delete_redraw"])
        n = stack.count()
        win.document.clear_selection()
        if action in ("split", "reshape", "move_boundary"):
            win.set_edit_level(rng.choice(["small", "small", "large"]))
            win.set_tool(action)
            pts = [snapped_point(), inner_point(), snapped_point()] if action != "split" else \
                [snapped_point(), snapped_point()]
            for xy in pts:
                click(win, *xy)
            key(win, Qt.Key.Key_Return)
        elif action == "vertex_move":
            win.set_tool("vertex")
            a = snapped_point()
            drag(win, a, (a[0] + rng.uniform(-12, 12), a[1] + rng.uniform(-12, 12)))
        elif action == "vertex_add":
            win.set_tool("vertex")
            a, b = snapped_point(), snapped_point()
            dclick(win, (a[0] + b[0]) / 2, (a[1] + b[1]) / 2)
        elif action == "vertex_delete":
            win.set_tool("vertex")
            click(win, *snapped_point())
            key(win, Qt.Key.Key_Delete)
        elif action == "merge":
            win.set_tool("select")
            click(win, *inner_point())
            click(win, *inner_point(), mods=Qt.KeyboardModifier.ShiftModifier)
            dlg = win.merge_selected()
            if dlg is not None:
                dlg.accept()
        elif action in ("undo", "redo"):
            shortcut(win, action)
            # landed right after a deletion (a hole on purpose)? go on to the redrawn or the undeleted state
            for _ in range(3):
                if not after_deletion(stack):
                    break
                shortcut(win, "redo" if action == "redo" and stack.canRedo() else "undo")
            else:
                raise AssertionError(f"stuck on a deletion: {log[-4:]}, {stack.index()}, {stack.count()}")
        else:  # delete a grid, then draw over the hole: avoid overlaps clips it to the hole
            small = plan.grids_of_level("small")
            victim = int(rng.choice(list(small.index)))
            x0, y0, x1, y1 = small.geometry[victim].bounds
            win.document.set_selection([victim])
            win.actions["delete_grids"].trigger()
            win.set_edit_level("small")
            win.set_tool("draw_grid")
            win.actions["snapping"].setChecked(False)      # a box around the hole, clicked freely
            for xy in [(x0 - 1, y0 - 1), (x1 + 1, y0 - 1), (x1 + 1, y1 + 1), (x0 - 1, y1 + 1)]:
                click(win, *xy)
            key(win, Qt.Key.Key_Return)
            win.actions["snapping"].setChecked(True)
            assert win.edit.last_error == ""             # clipped to the neighbours: exactly the hole
        log.append((step, action, win.edit.last_error))
        # right after a deletion (undone back to it, or not yet redrawn) the hole is expected
        try:
            assert_clean(plan, gaps_ok=after_deletion(stack))
        except AssertionError as exc:
            raise AssertionError(f"{exc} after {log[-4:]}") from None
        if stack.count() != n or action in ("undo", "redo"):
            done += 1
        elif win.edit.last_error:
            refused += 1
    assert done >= (steps or RANDOM_STEPS) // 3, (done, refused)
    win.live.flush()
    assert not [p for p in win.problems.problems if p["rule"] in ("gap", "overlap", "invalid", "outside_parent")]


def test_a_new_plan_drawn_from_scratch_level_by_level(win):
    """The workflow of a new plan: jurisdiction, then large grids (the second drawn
    over the first is clipped to it), then small grids inside them, numbered by the scheme."""
    doc = win.create_plan("新方案", crs="EPSG:4547", admin_code="440306", levels="two",
                          jurisdiction=shapely.box(X0, Y0, X0 + 300, Y0 + 200))
    plan = doc.plan
    win.canvas.zoom_to((X0 - 10, Y0 - 10, X0 + 310, Y0 + 210), margin=0.0)
    win.set_edit_level("large")
    win.set_tool("draw_grid")
    for ring in ([(X0, Y0), (X0 + 160, Y0), (X0 + 160, Y0 + 200), (X0, Y0 + 200)],
                 [(X0 + 140, Y0), (X0 + 300, Y0), (X0 + 300, Y0 + 200), (X0 + 140, Y0 + 200)]):
        for xy in ring:
            click(win, *xy)
        key(win, Qt.Key.Key_Return)
        assert win.edit.last_error == ""
    large = plan.grids_of_level("large")
    assert sorted(large["code"]) == ["440306001000", "440306002000"]
    lx = landed(win, X0 + 160, Y0 + 100)[0] - X0                          # where the click at x = 160 landed
    assert sorted(large.geometry.area) == pytest.approx(sorted([lx * 200, (300 - lx) * 200]))  # 2nd clipped to 1st
    win.set_edit_level("small")
    for x0, x1 in ((0, 80), (80, 160), (160, 300)):
        for xy in [(X0 + x0, Y0), (X0 + x1, Y0), (X0 + x1, Y0 + 200), (X0 + x0, Y0 + 200)]:
            click(win, *xy)
        key(win, Qt.Key.Key_Return)
        assert win.edit.last_error == ""
    small = plan.grids_of_level("small")
    assert len(small) == 3
    assert sorted(small["code"]) == ["44030600100001", "44030600100002", "44030600200001"]
    assert_clean(plan)
    assert win.windowTitle().startswith("*")
