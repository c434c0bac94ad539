"""Editing commands keep a plan a clean coverage; undo/redo restore it exactly."""

from __future__ import annotations

import doctest
import random

import pandas as pd
import pytest
import shapely
from shapely import LineString, box

import gridmap.core.editing.commands as cmd_mod
import gridmap.core.editing.geometry as geo_mod
import gridmap.core.editing.snapping as snap_mod
import gridmap.core.editing.topology as topo_mod
from gridmap.core.editing import commands as C
from gridmap.core.editing.buffer import EditBuffer
from gridmap.core.editing.geometry import EditError

X0, Y0 = 500_000.0, 2_500_000.0


import gridmap.core.editing.guard as guard_mod
import gridmap.core.editing.steps as steps_mod


@pytest.mark.parametrize("module", [cmd_mod, geo_mod, snap_mod, topo_mod, guard_mod, steps_mod])
def test_docstring_examples(module):
    r = doctest.testmod(module)
    assert r.failed == 0 and r.attempted > 0


def assert_clean(plan):
    """Every level is a valid coverage of the jurisdiction, children nested in parents."""
    jur = plan.jurisdiction
    for lv in plan.levels:
        g = plan.grids[plan.grids["level"] == lv.key].geometry.values
        assert shapely.is_valid(g).all()
        assert shapely.coverage_is_valid(g), lv.key
        assert shapely.union_all(g).symmetric_difference(jur).area < 1e-3, lv.key
        assert abs(shapely.area(g).sum() - jur.area) < 1e-3, lv.key
    kids = plan.grids[plan.grids["parent"].notna()]
    for gid, row in kids.iterrows():
        parent = plan.grids.geometry[int(row["parent"])]
        assert shapely.difference(row.geometry, parent).area < 1e-3


def snapshot(plan):
    return (plan.grids.copy(), plan.roles.copy(), plan.segments.copy(), plan.places.copy(), plan.jurisdiction)


def assert_same(plan, snap):
    grids, roles, segs, places, jur = snap
    assert list(plan.grids.index) == list(grids.index)
    assert shapely.equals(plan.grids.geometry.values, grids.geometry.values).all()
    cols = [c for c in grids.columns if c != "geometry"]
    pd.testing.assert_frame_equal(pd.DataFrame(plan.grids[cols]), pd.DataFrame(grids[cols]))
    pd.testing.assert_frame_equal(plan.roles, roles)
    pd.testing.assert_frame_equal(pd.DataFrame(plan.segments.drop(columns="geometry")),
                                  pd.DataFrame(segs.drop(columns="geometry")))
    assert plan.jurisdiction.equals(jur)


def test_draw_avoids_overlaps_and_fills_slivers(small_plan):
    plan = small_plan
    stack = EditBuffer(plan)
    # make room: delete one small grid (it has no roles), then draw over it and its neighbour
    victim = plan.grid_by_code("44030600200004")
    stack.push(C.delete_grid(plan, victim))
    # a rough drawing that overlaps the neighbour and falls 0.3 m short of the east edge
    coords = [(X0 + 200, Y0 - 5), (X0 + 299.7, Y0 - 5), (X0 + 299.7, Y0 + 100), (X0 + 200, Y0 + 100)]
    m = stack.push(C.draw_grid(plan, coords, "small", fill=True, fill_width=1.0))
    new = plan.grids.geometry[m.new_id]
    assert new.equals(box(X0 + 225, Y0, X0 + 300, Y0 + 100))  # clipped to parent and neighbour, sliver filled
    assert int(plan.grids.at[m.new_id, "parent"]) == plan.grid_by_code("440306002000")
    assert_clean(plan)
    stack.undo()
    stack.undo()
    assert plan.grid_by_code("44030600200004") == victim


def test_split_merge_reshape_move_boundary_with_undo(small_plan):
    plan = small_plan
    stack = EditBuffer(plan)
    before = snapshot(plan)
    first = plan.grid_by_code("44030600100001")
    stack.push(C.split_grid(plan, first, LineString([(X0 + 30, Y0 + 90), (X0 + 30, Y0 + 210)])))
    assert len(plan.grids) == 11
    assert_clean(plan)
    new_id = max(plan.grids.index)
    # the next name of the level's numbering (第一…第八网格), not a placeholder
    assert plan.grids.at[new_id, "name"] == "第九网格" and plan.grids.at[new_id, "code"] == ""
    # merge the two halves back: the roles stay on the kept grid
    stack.push(C.merge_grids(plan, [first, new_id], keep=first))
    assert len(plan.grids) == 10 and plan.grids.geometry[first].area == pytest.approx(7500)
    assert_clean(plan)
    # reshape grid 1 outwards into its east neighbour: the neighbour loses exactly that area
    east = plan.grid_by_code("44030600100002")
    stack.push(C.reshape_grid(plan, first, LineString([(X0 + 75, Y0 + 120), (X0 + 100, Y0 + 150),
                                                      (X0 + 75, Y0 + 180)])))
    assert plan.grids.geometry[first].area == pytest.approx(7500 + 750)
    assert plan.grids.geometry[east].area == pytest.approx(7500 - 750)
    assert_clean(plan)
    # reshape inwards: the cut-off piece goes to the neighbour sharing most border
    stack.push(C.reshape_grid(plan, first, LineString([(X0 + 60, Y0 + 99), (X0 + 60, Y0 + 201)])))
    assert_clean(plan)
    # move the boundary between two neighbours
    south = plan.grid_by_code("44030600100003")
    stack.push(C.move_boundary(plan, south, plan.grid_by_code("44030600100004"),
                               LineString([(X0 + 50, Y0), (X0 + 50, Y0 + 100)])))
    assert plan.grids.geometry[south].area == pytest.approx(5000)
    assert_clean(plan)
    while stack.can_undo:
        stack.undo()
    assert_same(plan, before)
    while stack.can_redo:
        stack.redo()
    assert_clean(plan)
    assert len(stack.history()) == 5 and stack.is_dirty
    stack.set_clean()
    assert not stack.is_dirty


def test_topological_vertex_move_crosses_levels(small_plan):
    plan = small_plan
    stack = EditBuffer(plan)
    # (X0+150, Y0+100) is shared by 4 small grids and both large grids
    m = stack.push(C.move_vertex(plan, (X0 + 150, Y0 + 100), (X0 + 160, Y0 + 110), tol=0.01))
    assert len(m.grids) == 6
    assert_clean(plan)
    # on the outer boundary the jurisdiction moves too
    stack.push(C.move_vertex(plan, (X0 + 150, Y0 + 200), (X0 + 150, Y0 + 210), tol=0.01))
    # the jurisdiction first gets the small grids' vertices at x=75 and x=225: a 150 m × 10 m bump
    assert plan.jurisdiction.area == pytest.approx(60_000 + 750)
    assert_clean(plan)
    stack.push(C.insert_vertex(plan, (X0 + 75, Y0 + 150), tol=0.01))
    stack.push(C.move_vertex(plan, (X0 + 75, Y0 + 150), (X0 + 90, Y0 + 150), tol=0.01))
    assert_clean(plan)
    stack.push(C.delete_vertex(plan, (X0 + 90, Y0 + 150), tol=0.01))
    assert_clean(plan)
    with pytest.raises(EditError):
        stack.push(C.move_vertex(plan, (X0 + 1, Y0 + 1), (X0 + 2, Y0 + 2), tol=0.01))


def test_roles_batch_assign_and_attribute_edits(small_plan):
    plan = small_plan
    stack = EditBuffer(plan)
    unit = int(plan.units.index[0])
    smalls = plan.grids_of_level("small").index.tolist()
    stack.push(C.batch_assign(plan, smalls, "responsible_unit", unit=unit, duty="门前三包巡查"))
    assert (plan.roles["role"] == "responsible_unit").sum() == 8
    stack.push(C.set_grid_attributes(plan, smalls[0], name="新名称", code="44030600100099"))
    assert plan.grids.at[smalls[0], "name"] == "新名称"
    stack.undo()
    stack.undo()
    assert (plan.roles["role"] == "responsible_unit").sum() == 0
    with pytest.raises(Exception):
        C.assign_role(plan, smalls[0], "leader", unit=unit)


def test_snapping_prefers_vertices_then_crossings_then_edges():
    roads = [LineString([(0, 5), (20, 5)]), LineString([(7, 0), (7, 20)])]
    grid = box(0, 0, 10, 10)
    assert snap_mod.snap_point((9.9, 9.8), [grid, *roads], tol=0.5) == (10.0, 10.0, "vertex")
    assert snap_mod.snap_point((7.2, 5.3), [grid, *roads], tol=0.5) == (7.0, 5.0, "intersection")
    assert snap_mod.snap_point((3.0, 5.2), [grid, *roads], tol=0.5) == (3.0, 5.0, "edge")
    assert snap_mod.snap_point((3.0, 3.0), [grid, *roads], tol=0.5)[2] is None
    path = snap_mod.trace(roads + [grid], (0, 7), (7, 15))
    assert path.coords[0] == (0.0, 7.0) and path.coords[-1] == (7.0, 15.0)
    assert path.length == pytest.approx(3 + 7 + 5)  # up the grid edge, along its top, up the road


def test_deleting_a_vertex_where_grids_meet_is_refused_and_changes_nothing(small_plan):
    plan = small_plan
    before = snapshot(plan)
    # four small grids and two large ones meet here; three grids meet on the outer boundary
    for xy in ((X0 + 75, Y0 + 100), (X0 + 75, Y0), (X0 + 150, Y0 + 200)):
        with pytest.raises(EditError, match="cannot be deleted"):
            EditBuffer(plan).push(C.delete_vertex(plan, xy, tol=0.01))
        assert_same(plan, before)
    # a T-junction left by a split: the vertex is a corner of both halves
    stack = EditBuffer(plan)
    stack.push(C.split_grid(plan, 3, LineString([(X0 + 30, Y0 - 1), (X0 + 30, Y0 + 101)])))
    with pytest.raises(EditError):
        stack.push(C.delete_vertex(plan, (X0 + 30, Y0 + 100), tol=0.01))
    assert_clean(plan)
    # a vertex on a shared straight edge can go: it goes from every grid sharing it
    stack.push(C.insert_vertex(plan, (X0 + 150, Y0 + 50), tol=0.01))
    assert_clean(plan)
    m = stack.push(C.delete_vertex(plan, (X0 + 150, Y0 + 50), tol=0.01))
    assert {5, 7, 1, 2} <= m.grids
    assert_clean(plan)
    assert not (shapely.get_coordinates(plan.grids.geometry.values) == (X0 + 150, Y0 + 50)).all(axis=1).any()


def test_vertex_moves_over_neighbours_are_refused(small_plan):
    plan = small_plan
    before = snapshot(plan)
    cases = [((X0, Y0 + 100), (X0 + 100, Y0 + 50)),        # into a grid that does not share the vertex
             ((X0 + 75, Y0), (X0 + 160, Y0 + 50)),         # across the parent boundary into another parent
             ((X0 + 150, Y0 + 200), (X0 + 100, Y0 + 100)),  # over a neighbour's corner
             ((X0 + 75, Y0 + 100), (X0 + 75, Y0 - 30))]      # out of the jurisdiction through a grid
    for xy, to in cases:
        with pytest.raises(EditError):
            EditBuffer(plan).push(C.move_vertex(plan, xy, to, tol=0.01))
        assert_same(plan, before)
    # a move that stays inside the grids sharing the vertex is fine
    stack = EditBuffer(plan)
    stack.push(C.move_vertex(plan, (X0 + 75, Y0 + 100), (X0 + 100, Y0 + 130), tol=0.01))
    assert_clean(plan)


def test_reshape_that_would_leave_an_orphan_piece_is_refused(small_plan):
    plan = small_plan
    before = snapshot(plan)
    # cutting grid 3's corner on the jurisdiction boundary: no sibling could take the piece
    with pytest.raises(EditError, match="gap"):
        EditBuffer(plan).push(C.reshape_grid(plan, 3, LineString([(X0, Y0 + 20), (X0 + 20, Y0)])))
    assert_same(plan, before)
    stack = EditBuffer(plan)
    for line in ([(X0 + 75, Y0 + 20), (X0 + 160, Y0 + 50), (X0 + 75, Y0 + 80)],       # out over a parent edge
                 [(X0 + 50, Y0), (X0 + 75, Y0 + 30)],                                 # cut to the neighbour
                 [(X0, Y0 + 50), (X0 + 100, Y0 + 50), (X0 + 100, Y0 + 120), (X0 + 50, Y0 + 120),
                  (X0 + 50, Y0 + 100)]):
        try:
            stack.push(C.reshape_grid(plan, 3, LineString(line)))
        except EditError:
            pass
        assert_clean(plan)


@pytest.mark.parametrize("line", [
    [(X0 - 1, Y0 - 1), (X0 + 76, Y0 + 101)],
    [(X0, Y0), (X0 + 75, Y0 + 100)],
    [(X0 - 1, Y0 + 50), (X0 + 30, Y0 + 50), (X0 + 30, Y0 + 101)],
    [(X0 - 1, Y0 + 50), (X0 + 75, Y0 + 50), (X0 + 75, Y0 + 70)],
    [(X0 + 10, Y0), (X0 + 75, Y0 + 100)],
    [(X0 - 1, Y0 + 50), (X0 + 40, Y0 + 50), (X0 + 40, Y0 + 20), (X0 + 20, Y0 + 20), (X0 + 20, Y0 + 80),
     (X0 + 76, Y0 + 80)],
])
def test_splits_give_valid_grids_or_refuse(small_plan, line):
    plan = small_plan
    stack = EditBuffer(plan)
    try:
        stack.push(C.split_grid(plan, 3, LineString(line)))
    except EditError:
        return
    assert_clean(plan)


def _boundary_point(geom, rng):
    ring = geom.exterior if geom.geom_type == "Polygon" else max(geom.geoms, key=lambda p: p.area).exterior
    return ring.interpolate(rng.random(), normalized=True)


@pytest.mark.parametrize("seed", [1, 4, 7, 11, 23])
def test_long_random_edit_sequence_stays_a_clean_coverage(small_plan, seed):
    """Random splits, merges, reshapes, boundary moves, vertex moves/inserts/deletes and undos:
    every successful step leaves a clean coverage (an EditError is fine, a broken plan is not)."""
    plan = small_plan
    stack = EditBuffer(plan)
    rng = random.Random(seed)
    done = 0
    for step in range(120):
        smalls = plan.grids[plan.grids["level"] == "small"]
        action = rng.choice(["split", "merge", "move", "vertex", "vertex_far", "insert", "delete", "reshape",
                             "undo", "undo", "redo"])
        try:
            if action == "split":
                gid = int(rng.choice(list(smalls.index)))
                x0, y0, x1, y1 = smalls.geometry[gid].bounds
                if rng.random() < 0.5:
                    x = rng.uniform(x0 + 0.2 * (x1 - x0), x1 - 0.2 * (x1 - x0))
                    line = LineString([(x, y0 - 1), (x + rng.uniform(-5, 5), y1 + 1)])
                else:
                    y = rng.uniform(y0 + 0.2 * (y1 - y0), y1 - 0.2 * (y1 - y0))
                    line = LineString([(x0 - 1, y), (x1 + 1, y + rng.uniform(-5, 5))])
                stack.push(C.split_grid(plan, gid, line))
            elif action in ("merge", "move"):
                gid = int(rng.choice(list(smalls.index)))
                g = smalls.geometry[gid]
                sib = smalls[(smalls["parent"] == smalls.at[gid, "parent"]) & (smalls.index != gid)]
                touching = sib[shapely.length(shapely.intersection(sib.geometry.values, g.boundary)) > 1]
                if len(touching) == 0:
                    continue
                other = int(rng.choice(list(touching.index)))
                if action == "merge":
                    stack.push(C.merge_grids(plan, [gid, other]))
                else:
                    shared = shapely.intersection(g.boundary, smalls.geometry[other].boundary)
                    pts = shapely.get_coordinates(shared)
                    a, b = pts[0], pts[-1]
                    mid = (a + b) / 2 + rng.uniform(-3, 3)
                    stack.push(C.move_boundary(plan, gid, other, LineString([a, mid, b])))
            elif action == "vertex":
                coords = shapely.get_coordinates(smalls.geometry.values)
                xy = tuple(coords[rng.randrange(len(coords))])
                new = (xy[0] + rng.uniform(-2, 2), xy[1] + rng.uniform(-2, 2))
                stack.push(C.move_vertex(plan, xy, new, tol=1e-6))
            elif action == "vertex_far":
                coords = shapely.get_coordinates(smalls.geometry.values)
                xy = tuple(coords[rng.randrange(len(coords))])
                x0, y0, x1, y1 = plan.jurisdiction.bounds
                new = (rng.uniform(x0 - 20, x1 + 20), rng.uniform(y0 - 20, y1 + 20))
                stack.push(C.move_vertex(plan, xy, new, tol=1e-6))
            elif action in ("insert", "delete"):
                gid = int(rng.choice(list(smalls.index)))
                g = smalls.geometry[gid]
                if action == "insert":
                    p = _boundary_point(g, rng)
                    stack.push(C.insert_vertex(plan, (p.x, p.y), tol=1e-6))
                else:
                    coords = shapely.get_coordinates(g)
                    xy = tuple(coords[rng.randrange(len(coords))])
                    stack.push(C.delete_vertex(plan, xy, tol=1e-6))
            elif action == "reshape":
                gid = int(rng.choice(list(smalls.index)))
                g = smalls.geometry[gid]
                a, b = _boundary_point(g, rng), _boundary_point(g, rng)
                c = shapely.centroid(g)
                # a bend inside (cuts) or outside (adds) the grid
                out = rng.random() < 0.5
                mid = ((a.x + b.x) / 2, (a.y + b.y) / 2)
                k = rng.uniform(0.2, 0.8) * (-1 if out else 1)
                bend = (mid[0] + k * (c.x - mid[0]), mid[1] + k * (c.y - mid[1]))
                stack.push(C.reshape_grid(plan, gid, LineString([(a.x, a.y), bend, (b.x, b.y)])))
            elif action == "undo":
                stack.undo()
            else:
                stack.redo()
            done += 1
        except EditError:
            continue
        assert_clean(plan)
    assert done > 50
