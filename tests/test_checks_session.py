"""Incremental re-checks (CheckSession) and fixes, on hand-made plans and a
~500-grid generated city (benchmarks/citygen.py)."""

from __future__ import annotations

import collections
import sys

import numpy as np
import pytest
import shapely
from shapely import Polygon, box

from gridmap.core.checks import CheckSettings, check_plan, fixes
from gridmap.core.checks.fixes import FixError
from gridmap.core.checks.session import CheckSession
from gridmap.core.plan import Plan

X0, Y0 = 500_000.0, 2_500_000.0
GEOMETRY = {"invalid", "overlap", "gap", "sliver", "edge_mismatch", "outside_parent", "outside_jurisdiction",
            "multipart", "segment_crosses_boundary", "segment_wrong_grid"}
NO_ROLES = CheckSettings(disabled=frozenset({"no_leader", "no_officer", "no_unit", "no_phone", "imbalance"}))


@pytest.fixture(scope="module")
def citygen(repo_root):
    sys.path.insert(0, str(repo_root / "benchmarks"))
    import citygen as module
    return module


def B(x0, y0, x1, y1):
    return box(X0 + x0, Y0 + y0, X0 + x1, Y0 + y1)


def key(p):
    return (p.rule, p.level, tuple(sorted(p.ids)), p.scope, round(p.area_m2 or 0.0, 1), p.detail)


def geometry_keys(problems):
    return collections.Counter(key(p) for p in problems if p.rule in GEOMETRY)


def plan_of(smalls, parents=None, large=((0, 0, 200, 100),)):
    plan = Plan.new("t", crs="EPSG:4547", admin_code="440306", levels="two")
    plan.set_jurisdiction(B(0, 0, 200, 100))
    big = [plan.add_grid(B(*b), "large") for b in large]
    ids = [plan.add_grid(g if not isinstance(g, tuple) else B(*g), "small", parent=big[(parents or [0] * 99)[k]])
           for k, g in enumerate(smalls)]
    plan.auto_number()
    return plan, ids


# ---------------------------------------------------------------------------- citygen smoke

def test_citygen_docstring_examples(citygen):
    import doctest
    result = doctest.testmod(citygen)
    assert result.failed == 0 and result.attempted > 0


def test_citygen_plan_and_full_check_find_what_was_injected(citygen):
    city = citygen.generate(500, seed=2)
    assert len(city.plan.grids_of_level("small")) in (499, 500)
    assert bool(shapely.coverage_is_valid(city.clean_cells))
    assert 0.7 < len(city.plan.segments) / 500 < 0.8
    r = check_plan(city.plan)
    found = r.summary()
    want = collections.Counter(e["rule"] for e in city.injected)
    for rule in ("overlap", "invalid", "duplicate_code", "no_officer"):
        assert found.get(rule, 0) == want[rule], rule
    assert found.get("sliver", 0) == want["sliver"]
    assert found.get("gap", 0) >= want["gap"]
    # every injected problem is reported on its grid
    by_grid = collections.defaultdict(set)
    for p in r.problems:
        for i in p.ids:
            by_grid[i].add(p.rule)
    for e in city.injected:
        if e["rule"] in ("overlap", "sliver", "invalid", "no_officer", "duplicate_code") and "cell" in e:
            assert e["rule"] in by_grid[int(city.cell_ids[e["cell"]])], e


def test_session_matches_full_check_after_random_edits(citygen):
    city = citygen.generate(500, seed=3)
    plan = city.plan
    s = CheckSession(plan)
    assert geometry_keys(s.problems) == geometry_keys(check_plan(plan).problems)
    rng = np.random.default_rng(11)
    small = plan.grids_of_level("small").index.to_numpy()
    large = plan.grids_of_level("large").index.to_numpy()
    for step in range(14):
        gid = int(rng.choice(small if step % 5 else large))
        g = plan.grids.at[gid, "geometry"]
        kind = step % 4
        if kind == 0:
            xy = shapely.get_coordinates(g)
            k = int(rng.integers(1, len(xy) - 1))
            xy[k] += rng.normal(0, 3, 2)
            new = shapely.polygons(xy)
        elif kind == 1:
            new = shapely.transform(g, lambda a: a + rng.normal(0, 1.5, 2))
        elif kind == 2:
            new = shapely.buffer(g, -float(rng.uniform(0.1, 2)), join_style="mitre")
        else:
            cell = np.flatnonzero(city.cell_ids == gid)
            new = city.clean_cells[cell[0]] if len(cell) else shapely.buffer(g, 1.0, join_style="mitre")
        plan.grids.at[gid, "geometry"] = new
        s.update(gid, new)
        assert geometry_keys(s.problems) == geometry_keys(check_plan(plan).problems), f"step {step}"


def test_session_delta_and_window_gaps_without_parents():
    plan = Plan(name="t", crs="EPSG:4547", admin_code="440306", levels=Plan.new("x", "EPSG:4547").levels[:1])
    plan.set_jurisdiction(B(0, 0, 300, 100))
    ids = [plan.add_grid(B(x, 0, x + 100, 100), "large") for x in (0, 100, 200)]
    s = CheckSession(plan, NO_ROLES)
    assert [p.rule for p in s.problems] == ["bad_code"] * 3
    d = s.update(ids[1], B(100, 0, 199, 100))
    assert [(p.rule, p.area_m2) for p in d.added] == [("gap", 100.0)] and d.removed == []
    d = s.update(ids[2], B(199, 0, 300, 100))
    assert [p.rule for p in d.removed] == ["gap"] and d.added == []
    assert s.problems_of(ids[0]) == [q for q in s.problems if ids[0] in q.ids]


def test_session_holes_without_a_jurisdiction():
    plan = Plan(name="t", crs="EPSG:4547", levels=Plan.new("x", "EPSG:4547").levels[:1])
    ids = [plan.add_grid(B(x, y, x + 10, y + 10), "large") for x in (0, 10, 20) for y in (0, 10, 20)]
    s = CheckSession(plan, NO_ROLES.__class__(disabled=NO_ROLES.disabled | {"bad_code"}))
    assert s.problems == []
    d = s.update(ids[4], None)       # the middle one deleted (empty): a hole and an invalid grid
    assert sorted(p.rule for p in d.added) == ["gap", "invalid"]
    assert [p.area_m2 for p in d.added if p.rule == "gap"] == [100.0]
    plan.grids.at[ids[4], "geometry"] = Polygon()
    assert geometry_keys(s.problems) == geometry_keys(check_plan(plan, s.settings).problems)


# ---------------------------------------------------------------------------- fixes

def test_fix_merge_gap_into_longest_border_or_chosen():
    plan, ids = plan_of([(0, 0, 100, 100), (100.3, 0, 200, 40), (100.3, 40, 200, 100)])
    s = CheckSession(plan, NO_ROLES)
    gap = next(p for p in s.problems if p.rule == "sliver")
    before = list(s.problems)
    changes = fixes.fix_merge(s, gap)                         # pure: nothing changed yet
    assert s.problems == before and set(changes) >= {ids[0]}
    assert changes[ids[0]].area == pytest.approx(10_030.0)
    chosen = fixes.fix_merge(s, gap, how=ids[2])
    assert chosen[ids[2]].area == pytest.approx(99.7 * 60 + 0.3 * 100)
    d = s.apply(changes)
    assert [p.rule for p in d.removed] == ["sliver"] and not any(p.rule in GEOMETRY for p in s.problems)
    with pytest.raises(FixError, match="needs a gap"):
        fixes.fix_merge(s, _fake("overlap"))


def _fake(rule):
    from gridmap.core.checks import make_problem
    return make_problem(rule, ["x"], level="small")


def test_fix_overlap_either_side_and_snap_and_invalid():
    plan, ids = plan_of([(0, 0, 102, 100), (100, 0, 200, 100)])
    s = CheckSession(plan, NO_ROLES)
    ov = next(p for p in s.problems if p.rule == "overlap")
    to_a = fixes.fix_overlap(s, ov, to=ids[0])
    to_b = fixes.fix_overlap(s, ov, to=ids[1])
    assert to_a[ids[1]].area == pytest.approx(9_800.0) and to_b[ids[0]].area == pytest.approx(10_000.0)
    s.apply(to_b)
    assert not any(p.rule in GEOMETRY for p in s.problems)
    # a mismatched edge: an extra vertex on one side only
    b = Polygon([(X0 + 100, Y0), (X0 + 200, Y0), (X0 + 200, Y0 + 100), (X0 + 100, Y0 + 100), (X0 + 100, Y0 + 40)])
    plan2, ids2 = plan_of([(0, 0, 100, 100), b])
    s2 = CheckSession(plan2, NO_ROLES)
    mm = next(p for p in s2.problems if p.rule == "edge_mismatch")
    s2.apply(fixes.fix_snap(s2, mm))
    assert not any(p.rule in GEOMETRY for p in s2.problems)
    # an invalid ring: a loop drawn inside the grid
    loop = Polygon([(X0 + 100, Y0), (X0 + 200, Y0), (X0 + 200, Y0 + 100), (X0 + 100, Y0 + 100),
                    (X0 + 100, Y0 + 50), (X0 + 110, Y0 + 55), (X0 + 110, Y0 + 45), (X0 + 100, Y0 + 50)])
    plan3, ids3 = plan_of([(0, 0, 100, 100), loop])
    s3 = CheckSession(plan3, NO_ROLES)
    assert sorted(p.rule for p in s3.problems) == ["edge_mismatch", "gap", "invalid"]   # the loop cuts a hole
    inv = next(p for p in s3.problems if p.rule == "invalid")
    repaired = fixes.fix_invalid(s3, inv)
    assert repaired[ids3[1]].area == pytest.approx(10_000.0) and not repaired[ids3[1]].interiors
    s3.apply(repaired)
    # the loop's vertex on the shared edge was a mismatch before and still is: snap it
    assert [p.rule for p in s3.problems] == ["edge_mismatch"]
    s3.apply(fixes.fix_snap(s3, s3.problems[0]))
    assert s3.problems == []


def test_apply_refuses_a_fix_that_creates_a_problem():
    plan, ids = plan_of([(0, 0, 100, 100), (100, 0, 200, 100)])
    s = CheckSession(plan, NO_ROLES)
    before = geometry_keys(s.problems)
    with pytest.raises(FixError, match="new problems"):
        s.apply({ids[0]: B(0, 0, 110, 100)})
    assert geometry_keys(s.problems) == before
    assert s.current_geometry(ids[0]).equals(B(0, 0, 100, 100))


def test_fix_all_local_cleaning_on_a_generated_city(citygen):
    city = citygen.generate(2000, seed=4)
    plan = city.plan
    s = CheckSession(plan)
    probs = [p for p in s.problems if p.level == "small" and p.rule in GEOMETRY and p.ids]
    report = fixes.fix_all(s, probs, gap_width=5.0)
    assert report.added == []
    left = [p for p in s.problems if p.rule in GEOMETRY]
    # only the removed grids' holes (140 m wide, wider than the gap width) are left
    assert {p.rule for p in left} <= {"gap"}
    assert all(p.width_m > 5.0 for p in left)
    # the same as a full check of the fixed plan, and an exact coverage
    for gid, g in report.changes.items():
        plan.grids.at[gid, "geometry"] = g
    assert geometry_keys(s.problems) == geometry_keys(check_plan(plan).problems)
    small = np.array(list(plan.grids_of_level("small").geometry.values))
    assert bool(shapely.coverage_is_valid(small))
    # local: only grids around the problems changed
    near = set()
    for p in probs:
        near |= set(p.ids)
    assert len(report.changes) <= 3 * len(near)
