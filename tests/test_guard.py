"""The one coverage guard (core/editing/guard.py): regressions only, applied once per edit."""

import pytest
from shapely import box

from gridmap.core.editing import commands as C
from gridmap.core.editing import guard
from gridmap.core.editing.buffer import EditBuffer
from gridmap.core.editing.geometry import EditError
from gridmap.core.plan import Plan


def _plan(west=box(0, 0, 1, 1)):
    plan = Plan.new("例", "EPSG:4547", "440306", levels="two")
    plan.set_jurisdiction(box(0, 0, 3, 1))
    plan.add_grid(west, "large")
    plan.add_grid(box(1, 0, 2, 1), "large")
    plan.add_grid(box(2, 0, 3, 1), "large")
    return plan


def test_shrinking_a_grid_refused_where_clean_allowed_next_to_an_existing_gap():
    plan = _plan()
    buf = EditBuffer(plan)
    with pytest.raises(EditError, match="gap") as e:
        buf.push(C.SetGeometries("t", {2: box(1, 0, 1.8, 1)}), guard=guard.KINDS)
    assert " / " in str(e.value) and "空隙" in str(e.value)
    assert plan.grids.geometry[2].equals(box(1, 0, 2, 1)) and not buf.can_undo
    # the same shrink beside a gap that is already there (a plan still being drawn): allowed
    gappy = _plan(west=box(0, 0, 0.9, 1))
    buf = EditBuffer(gappy)
    buf.push(C.SetGeometries("t", {1: box(0, 0, 0.8, 1)}), guard=guard.KINDS)
    assert gappy.grids.geometry[1].equals(box(0, 0, 0.8, 1))


def test_overlap_and_outside_are_refused_and_no_guard_means_no_check():
    plan = _plan()
    buf = EditBuffer(plan)
    with pytest.raises(EditError, match="overlap"):
        buf.push(C.SetGeometries("t", {1: box(0, 0, 1.5, 1)}), guard=("overlap",))
    with pytest.raises(EditError, match="outside"):
        buf.push(C.SetGeometries("t", {3: box(2, 0, 3.5, 1)}), guard=("outside",))
    buf.push(C.SetGeometries("t", {3: box(2, 0, 3.5, 1)}), guard=())
    assert buf.can_undo


def test_the_edit_is_applied_once():
    plan = _plan()
    calls = []

    class Counted(C.SetGeometries):
        def redo(self, p):
            calls.append(1)
            super().redo(p)

    EditBuffer(plan).push(Counted("t", {1: box(0, 0, 1, 1)}), guard=guard.KINDS)
    assert calls == [1]


def test_edit_functions_mark_their_command_and_the_buffer_applies_it():
    plan = _plan()
    cmd = C.delete_vertex(plan, (1, 1), tol=0.01)       # where two grids meet the jurisdiction
    assert cmd.guard == guard.KINDS
    with pytest.raises(EditError) as e:
        EditBuffer(plan).push(cmd)
    zh, en = str(e.value).split(" / ", 1)
    assert "空隙" in zh and "不能删除" in zh and "gap" in en and "cannot be deleted" in en


def test_geometry_too_broken_to_measure_before_cannot_regress():
    from types import SimpleNamespace
    import geopandas as gpd

    from shapely import Polygon

    bow = Polygon([(0, 0), (1, 1), (1, 0), (0, 1)])        # self-intersecting
    g = gpd.GeoDataFrame({"level": ["large"], "parent": [None]}, geometry=[box(0, 0, 1, 1)], index=[1])
    before = SimpleNamespace(grids=g, jurisdiction=box(0, 0, 1, 1))
    assert guard.regressions(before, before, {1}, ["large"]) == []
    assert not bow.is_valid
    if True:
        after = SimpleNamespace(grids=g.set_geometry([bow]), jurisdiction=box(0, 0, 1, 1))
        assert [r.kind for r in guard.regressions(before, after, {1}, ["large"])][:1] == ["invalid"]
