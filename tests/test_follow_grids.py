"""After a split, reshape or boundary move on the real sample plan, segments, places and
roles follow the piece that holds them (issue 21, "found on the way"); undo and redo
restore every table exactly, and the change report names exactly the rows touched."""

from __future__ import annotations

import doctest
import shutil
from pathlib import Path

import pandas as pd
import shapely
from shapely import LineString

import gridmap.core.editing.follow as follow_mod
from gridmap.core.editing import commands as C
from gridmap.core.editing.buffer import EditBuffer
from gridmap.core.editing.changes import changes_of
from gridmap.core.editing.follow import REVIEW_MARK
from gridmap.core.storage import open_plan, save_plan

SAMPLE = Path(__file__).resolve().parents[1] / "sample_layers" / "baoan_plan.gpkg"


def test_docstring_examples():
    r = doctest.testmod(follow_mod)
    assert r.failed == 0 and r.attempted > 0


def _plan(tmp_path):
    path = tmp_path / "plan.gpkg"
    shutil.copy(SAMPLE, path)
    return path, open_plan(path)


def _busiest_small(plan):
    """The small grid with the most segments."""
    return int(plan.segments.groupby("grid").size().idxmax())


def _cut_through(geom, along: str = "x"):
    """A line across a grid through its centroid (vertical for "x")."""
    x0, y0, x1, y1 = geom.bounds
    c = geom.centroid
    if along == "x":
        return LineString([(c.x, y0 - 10), (c.x, y1 + 10)])
    return LineString([(x0 - 10, c.y), (x1 + 10, c.y)])


def _state(plan):
    return (plan.grids.copy(), plan.segments.copy(), plan.places.copy(), plan.roles.copy())


def _assert_state(plan, st):
    grids, segs, places, roles = st
    assert list(plan.segments.index) == list(segs.index)
    assert shapely.equals(plan.segments.geometry.values, segs.geometry.values).all()
    pd.testing.assert_frame_equal(pd.DataFrame(plan.segments.drop(columns="geometry")),
                                  pd.DataFrame(segs.drop(columns="geometry")))
    pd.testing.assert_frame_equal(pd.DataFrame(plan.places.drop(columns="geometry")),
                                  pd.DataFrame(places.drop(columns="geometry")))
    pd.testing.assert_frame_equal(plan.roles, roles)
    assert list(plan.grids.index) == list(grids.index)


def test_split_sends_segments_places_and_roles_to_their_piece(tmp_path):
    path, plan = _plan(tmp_path)
    g = _busiest_small(plan)
    geom = plan.grids.geometry[g]
    segs_before = plan.segments[plan.segments["grid"] == g]
    length_before = float(segs_before.length.sum())
    roles_before = plan.roles[plan.roles["grid"] == g]
    n_places = int((plan.places["grid"] == g).sum())
    st = _state(plan)
    buf = EditBuffer(plan)
    cmd = buf.push(C.split_grid(plan, g, _cut_through(geom)))
    new = sorted(set(plan.grids.index) - set(st[0].index))
    assert len(new) >= 1
    pieces = {i: plan.grids.geometry[i] for i in [g, *new]}
    # every segment that was the old grid's now lies (by most of its length) in its grid
    mine = plan.segments[plan.segments["grid"].isin(list(pieces))]
    for sid, row in mine.iterrows():
        inside = shapely.length(shapely.intersection(pieces[int(row["grid"])], row.geometry))
        assert inside >= row.geometry.length * 0.999, sid
    # the cut cut the crossing segments: no length lost, officers kept
    assert abs(float(mine.length.sum()) - length_before) < 1e-3
    assert set(mine["officer"].dropna()) == set(segs_before["officer"].dropna())
    assert plan.segments["grid"].isin(new).any() and (plan.segments["grid"] == g).any()
    assert len(mine) > len(segs_before)            # the sample's busiest grid has a road across the cut
    # places: each in the piece containing it
    pl = plan.places[plan.places["grid"].isin(list(pieces))]
    assert len(pl) == n_places
    for pid, row in pl.iterrows():
        assert pieces[int(row["grid"])].intersects(shapely.point_on_surface(row.geometry))
    # roles: each new piece has a copy of every role, marked for review
    copied = plan.roles[plan.roles["grid"].isin(new)]
    for piece in new:
        mine_roles = plan.roles[plan.roles["grid"] == piece]
        assert sorted(mine_roles["role"]) == sorted(roles_before["role"])
        assert sorted(mine_roles["person"].dropna()) == sorted(roles_before["person"].dropna())
    assert copied["duty"].str.contains(REVIEW_MARK).all()
    # the change report names exactly these rows
    ch = changes_of(cmd)
    assert ch.added("roles") == set(copied.index)
    assert ch.added("segments") == set(plan.segments.index) - set(st[1].index)
    moved = {int(i) for i in st[2].index if not pd.isna(st[2].at[i, "grid"])
             and int(plan.places.at[i, "grid"]) != int(st[2].at[i, "grid"])}
    assert ch.modified("places") == moved
    # undo restores everything exactly, redo replays it, and it survives a save
    buf.undo()
    _assert_state(plan, st)
    buf.redo()
    after = _state(plan)
    save_plan(plan, path)
    back = open_plan(path)
    assert back.segments["grid"].isin(new).sum() == after[1]["grid"].isin(new).sum()
    assert back.roles["duty"].fillna("").str.contains(REVIEW_MARK).sum() == len(copied)


def test_move_boundary_and_reshape_move_what_changes_sides():
    from shapely import Point, box

    from gridmap.core.plan import Plan

    plan = Plan.new("例", "EPSG:4547", levels="one")
    lv = plan.levels[0].key
    a = plan.add_grid(box(0, 0, 100, 100), lv, code="A")
    b = plan.add_grid(box(100, 0, 200, 100), lv, code="B")
    plan.jurisdiction = box(0, 0, 200, 100)
    p_moves = plan.add_place(Point(90, 50), "幸福小区", grid=a)
    p_stays = plan.add_place(Point(10, 50), "和平小区", grid=a)
    s_moves = plan.add_segment(LineString([(70, 20), (95, 20)]), "建安路", grid=a)   # 15 of 25 m go to B
    s_stays = plan.add_segment(LineString([(50, 20), (95, 20)]), "新安路", grid=a)   # 30 of 45 m stay in A
    buf = EditBuffer(plan)
    st = _state(plan)
    cmd = buf.push(C.move_boundary(plan, a, b, LineString([(100, 0), (50, 50), (100, 100)])))
    assert plan.grids.geometry[b].contains(Point(90, 50))
    assert int(plan.places.at[p_moves, "grid"]) == b and int(plan.places.at[p_stays, "grid"]) == a
    assert int(plan.segments.at[s_moves, "grid"]) == b and int(plan.segments.at[s_stays, "grid"]) == a
    assert len(plan.segments) == 2                      # a boundary move reassigns, it does not cut
    ch = changes_of(cmd)
    assert ch.modified("places") == {p_moves} and ch.modified("segments") == {s_moves}
    buf.undo()
    _assert_state(plan, st)
    # reshape A out again over the place (not over the segment, at y = 20): only the place returns
    buf.redo()
    buf.push(C.reshape_grid(plan, a, LineString([(75, 25), (120, 50), (75, 75)])))
    assert int(plan.places.at[p_moves, "grid"]) == a
    assert int(plan.segments.at[s_moves, "grid"]) == b
    buf.undo()
    buf.undo()
    _assert_state(plan, st)


def test_copied_roles_are_listed_to_confirm_until_the_mark_is_removed(tmp_path):
    from gridmap.core.checks.runner import check_plan

    _, plan = _plan(tmp_path)
    g = _busiest_small(plan)
    before = [p for p in check_plan(plan).problems if p.rule == "role_to_confirm"]
    assert before == []
    buf = EditBuffer(plan)
    buf.push(C.split_grid(plan, g, _cut_through(plan.grids.geometry[g])))
    marked = plan.roles[plan.roles["duty"].str.contains(REVIEW_MARK)]
    found = [p for p in check_plan(plan).problems if p.rule == "role_to_confirm"]
    assert len(found) == len(marked) > 0
    assert "待确认" in found[0].message_zh and "split" in found[0].message_en
    # the planner confirms one: its problem goes away
    rid = int(marked.index[0])
    buf.push(C.SetCells("确认", "roles", rid, {"duty": ""}))
    assert len([p for p in check_plan(plan).problems if p.rule == "role_to_confirm"]) == len(marked) - 1
