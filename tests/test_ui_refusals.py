"""Refusals where the user looks (issue 12): checked before anything is asked, shown in
a banner over the map, and the spot that made the edit fail drawn on the map."""

from __future__ import annotations

import pytest
import shapely
from PySide6.QtCore import Qt

from ui_edit_support import X0, Y0, click, open_window, write_project


@pytest.fixture
def win(qtbot, settings, tmp_path, small_plan):
    w = open_window(qtbot, write_project(small_plan, tmp_path))
    yield w
    w.close()


def gid(w, code):
    return int(w.document.plan.grid_by_code(code))


def test_merge_of_grids_with_different_parents_is_refused_before_the_dialog(win, qtbot):
    w = win
    west, east = gid(w, "44030600100003"), gid(w, "44030600200001")     # x 75–150 | x 150–225, one row
    w.document.set_selection([west, east])
    n = len(w.document.plan.grids)
    w.actions["merge"].trigger()
    assert getattr(w, "merge_dialog", None) is None or not w.merge_dialog.isVisible()   # nothing asked
    banner = w.refusal_banner
    qtbot.waitUntil(banner.isVisible, timeout=3000)
    assert "同一上级" in banner.text()
    assert banner.geometry().top() < w.canvas.height() // 3              # at the top of the map
    assert banner.spot.visible and banner.spot.groups                     # the other parent's grid drawn
    drawn = banner.spot.groups["error"][0][0]
    assert shapely.equals(drawn, w.document.plan.grids.geometry[east]) or \
        shapely.equals(drawn, w.document.plan.grids.geometry[west])
    assert len(w.document.plan.grids) == n and w.document.undo_stack.count() == 0
    qtbot.mouseClick(banner, Qt.MouseButton.LeftButton)                   # a click dismisses it
    assert not banner.isVisible() and not banner.spot.visible


def test_a_split_line_stopping_inside_the_grid_shows_where_it_stops(win, qtbot):
    w = win
    g = gid(w, "44030600100001")                                          # x 0–75, y 100–200
    w.document.set_selection([g])
    w.set_tool("split")
    click(w, X0 + 30, Y0 + 100)                                           # from the edge …
    click(w, X0 + 30, Y0 + 160)                                           # … to inside the grid
    click(w, X0 + 30, Y0 + 160, button=Qt.MouseButton.RightButton)
    banner = w.refusal_banner
    qtbot.waitUntil(banner.isVisible, timeout=3000)
    assert "穿过" in banner.text()
    pts = shapely.get_coordinates(banner.spot.groups["error"][0][0])
    assert len(pts) == 1 and pts[0][1] == pytest.approx(Y0 + 160, abs=2.0)
    assert w.document.undo_stack.count() == 0


def test_after_a_split_the_new_grid_has_the_people_marked_to_confirm(win, qtbot):
    """Issue 21: after a split the new piece gets copies of the old grid's roles, marked 待确认,
    listed by the problems list (role_to_confirm); undo takes it all back in one step."""
    w = win
    plan = w.document.plan
    g = gid(w, "44030600100001")                                          # has a leader, an officer, a lead unit
    n_roles = int((plan.roles["grid"] == g).sum())
    assert n_roles >= 2
    w.document.set_selection([g])
    w.set_tool("split")
    click(w, X0 + 30, Y0 + 100)
    click(w, X0 + 30, Y0 + 200)
    click(w, X0 + 30, Y0 + 200, button=Qt.MouseButton.RightButton)
    assert w.edit.last_error == ""
    new = max(plan.grids.index)
    assert plan.grids.at[new, "name"] == "第九网格"                       # the level's numbering goes on
    copied = plan.roles[plan.roles["grid"] == new]
    assert len(copied) == n_roles and copied["duty"].str.contains("待确认").all()
    assert "第九网格" in w.status.currentMessage() and "待确认" in w.status.currentMessage()
    from gridmap.core.checks.runner import check_plan

    assert sum(p.rule == "role_to_confirm" for p in check_plan(plan).problems) == n_roles
    w.document.undo_stack.undo()                                           # one step takes them back
    assert not (plan.roles["grid"] == new).any() and new not in plan.grids.index
