"""CheckSession.follow (issue 21): after edits that add, remove or re-code grids — a split,
its undo and redo, a merge, a code made duplicate, a deletion, an officer assigned — the
session's problems are exactly those of a whole-plan check of the edited plan, re-checked
only around the edit (the segment rules for the segments the edit touched)."""

from __future__ import annotations

import sys

import pytest
from shapely import LineString

from gridmap.core.checks.runner import check_plan
from gridmap.core.checks.session import CheckSession, _same_key
from gridmap.core.editing import commands as C
from gridmap.core.editing.buffer import EditBuffer


@pytest.fixture(scope="module")
def city(repo_root):
    sys.path.insert(0, str(repo_root / "benchmarks"))
    import citygen

    return citygen.generate(2500, seed=2, inject=True).plan


def _keys(problems):
    return sorted(repr(_same_key(p)) for p in problems)


def test_follow_matches_a_whole_plan_check_after_structural_edits(city):
    plan = city.copy()
    s = CheckSession(plan)
    buf = EditBuffer(plan)
    seen = []

    def follow(ch):
        segs = ch.per_table["segments"].ids if "segments" in ch.per_table else set()
        delta = s.follow(plan, ch.grids, segments=segs)
        assert delta is not None, ch.command.text                 # followed, not a whole-plan check
        assert s.grid_ids == {int(i) for i in plan.grids.index}
        assert _keys(s.problems) == _keys(check_plan(plan, s.settings).problems), (ch.how, ch.command.text)
        seen.append(ch.how)

    buf.subscribe(follow)
    small = plan.levels[-1].key
    ids = plan.grids.index[plan.grids["level"] == small]
    g = int(ids[len(ids) // 2])
    geom = plan.grids.geometry[g]
    c = geom.centroid
    x0, y0, x1, y1 = geom.bounds
    buf.push(C.split_grid(plan, g, LineString([(c.x, y0 - 5), (c.x, y1 + 5)])))
    buf.undo()
    buf.redo()
    pair = [int(i) for i in plan.grids.index[(plan.grids["level"] == small)
                                             & (plan.grids["parent"] == plan.grids.at[g, "parent"])][:2]]
    buf.push(C.merge_grids(plan, pair, pair[0]))
    buf.push(C.set_grid_attributes(plan, g, name="测试", code=str(plan.grids.at[pair[0], "code"])))
    assert any(p.rule == "duplicate_code" and g in p.ids for p in s.problems)
    buf.push(C.delete_grid(plan, int(ids[-1])))
    assert any(p.rule == "gap" for p in s.problems)
    buf.undo()
    buf.redo()
    buf.push(C.assign_role(plan, g, "officer", person=int(plan.people.index[0])))
    assert seen == ["push", "undo", "redo", "push", "push", "push", "undo", "redo", "push"]


def test_follow_asks_for_a_whole_plan_check_when_a_grid_changes_parent(city):
    plan = city.copy()
    s = CheckSession(plan)
    small = plan.levels[-1].key
    g = int(plan.grids.index[plan.grids["level"] == small][0])
    other = next(int(i) for i in plan.grids.index[plan.grids["level"] == plan.levels[0].key]
                 if i != plan.grids.at[g, "parent"])
    C.SetCells("上级", "grids", g, {"parent": other}).redo(plan)
    before = _keys(s.problems)
    assert s.follow(plan, {g}) is None
    assert _keys(s.problems) == before                             # nothing was changed
