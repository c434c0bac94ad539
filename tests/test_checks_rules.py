"""Hand-made fixtures for every check rule (gridmap.core.checks)."""

from __future__ import annotations

import doctest

import numpy as np
import pandas as pd
import pytest
import shapely
from shapely import LineString, MultiPolygon, Point, Polygon, box

from gridmap.core.checks import (RULE_IDS, CheckSettings, SettingsError, check_grids, check_plan, codes_rules,
                                 coverage, fixes, metric, problems, responsibility, runner, segments, session,
                                 settings, workload)
from gridmap.core.levels import Level
from gridmap.core.plan import Plan

X0, Y0 = 500_000.0, 2_500_000.0
GEOM_ONLY = CheckSettings(disabled=frozenset({"no_leader", "no_officer", "no_unit", "no_phone", "bad_code",
                                              "imbalance"}))


def B(x0, y0, x1, y1):
    return box(X0 + x0, Y0 + y0, X0 + x1, Y0 + y1)


def rules_of(result):
    return sorted(p.rule for p in result.problems)


def only(result, rule):
    found = [p for p in result.problems if p.rule == rule]
    assert found, f"no {rule} in {result.summary()}"
    return found


@pytest.mark.parametrize("module", [problems, settings, metric, coverage, codes_rules, responsibility, segments,
                                    workload, runner, session, fixes])
def test_docstring_examples(module):
    result = doctest.testmod(module)
    assert result.failed == 0 and result.attempted > 0


def two_level(small, jurisdiction=(0, 0, 200, 100), large=((0, 0, 200, 100),), parents=None):
    """A two-level plan; ``small`` items are geometries or (x0, y0, x1, y1) offsets."""
    plan = Plan.new("测试", crs="EPSG:4547", admin_code="440306", levels="two")
    if jurisdiction is not None:
        plan.set_jurisdiction(B(*jurisdiction))
    big = [plan.add_grid(B(*b), "large") for b in large]
    for k, item in enumerate(small):
        geom = B(*item) if isinstance(item, tuple) else item
        plan.add_grid(geom, "small", parent=big[parents[k] if parents else 0])
    plan.auto_number()
    return plan


# ---------------------------------------------------------------------------- clean input

def test_small_plan_geometry_is_clean(small_plan):
    r = check_plan(small_plan, GEOM_ONLY)
    # its one street segment really runs through two grids (x 10..140 across x = 75)
    assert [(p.rule, p.extra["length_m"]) for p in r.problems] == [("segment_crosses_boundary", 65.0)]
    assert r.exit_code == 0


def test_no_false_positive_on_shared_vertex_coverage():
    # a jittered 6×5 lattice whose neighbours share every vertex (wiggly edges)
    rng = np.random.default_rng(0)
    nx, ny, s, m = 6, 5, 50.0, 5
    nodes = np.stack(np.meshgrid(np.arange(nx + 1) * s, np.arange(ny + 1) * s, indexing="ij"), -1)
    nodes = nodes + rng.uniform(-5, 5, nodes.shape) + (X0, Y0)
    t = np.arange(1, m + 1) / (m + 1)

    def edge(a, b):
        d = b - a
        nrm = np.array([-d[1], d[0]]) / np.hypot(*d)
        return a + d * t[:, None] + nrm * (rng.uniform(-3, 3) * np.sin(np.pi * t))[:, None]
    H = {(i, j): edge(nodes[i, j], nodes[i + 1, j]) for i in range(nx) for j in range(ny + 1)}
    V = {(i, j): edge(nodes[i, j], nodes[i, j + 1]) for i in range(nx + 1) for j in range(ny)}
    cells = []
    for i in range(nx):
        for j in range(ny):
            ring = np.concatenate([[nodes[i, j]], H[i, j], [nodes[i + 1, j]], V[i + 1, j], [nodes[i + 1, j + 1]],
                                   H[i, j + 1][::-1], [nodes[i, j + 1]], V[i, j][::-1]])
            cells.append(Polygon(ring))
    outline = shapely.coverage_union_all(cells)
    r = check_grids(cells, "EPSG:4547", codes=[f"G{k:03d}" for k in range(len(cells))], boundary=outline)
    assert r.problems == []
    assert bool(shapely.coverage_is_valid(cells))


# ---------------------------------------------------------------------------- geometry rules

def test_invalid_reports_reason_and_point_and_survives():
    bowtie = Polygon([(X0, Y0), (X0 + 100, Y0 + 100), (X0 + 100, Y0), (X0, Y0 + 100)])
    spike = Polygon([(X0 + 100, Y0), (X0 + 200, Y0), (X0 + 200, Y0 + 100), (X0 + 100, Y0 + 100)])
    too_short = Polygon([(X0, Y0), (X0 + 1, Y0), (X0, Y0)])
    r = check_grids([bowtie, spike, too_short, Polygon(), None, LineString([(X0, Y0), (X0 + 1, Y0 + 1)])],
                    "EPSG:4547", codes=["A", "B", "C", "D", "E", "F"])
    inv = {p.grids[0]: p for p in only(r, "invalid")}
    assert set(inv) == {"A", "C", "D", "E", "F"}
    assert inv["A"].detail == "Self-intersection"
    assert inv["A"].message_zh.startswith("网格 A 的几何无效：边界自相交")
    assert (round(inv["A"].point.x - X0, 6), round(inv["A"].point.y - Y0, 6)) == (50.0, 50.0)
    assert inv["C"].detail == "Too few points in geometry component"
    assert inv["D"].detail == inv["E"].detail == "empty geometry"
    assert inv["F"].detail.startswith("not a polygon")
    # the rest of the run went on: the bow-tie's valid copy touches B properly
    assert "overlap" not in r.summary()


def test_overlap_and_tolerance():
    plan = two_level([(0, 0, 100, 100), (99, 0, 200, 100)])
    r = check_plan(plan, GEOM_ONLY)
    ov = only(r, "overlap")
    assert len(ov) == 1 and ov[0].area_m2 == pytest.approx(100.0) and ov[0].width_m == pytest.approx(1.0, abs=0.01)
    assert ov[0].grids == ("44030600100001", "44030600100002") and ov[0].severity == "error"
    # below the tolerance: not an overlap (but the edges do not match)
    tiny = two_level([(0, 0, 100, 100), Polygon([(X0 + 100, Y0), (X0 + 200, Y0), (X0 + 200, Y0 + 100),
                                                 (X0 + 100, Y0 + 100), (X0 + 99.9999, Y0 + 50)])])
    r = check_plan(tiny, GEOM_ONLY)
    assert "overlap" not in r.summary() and "sliver" not in r.summary()
    assert r.summary().get("edge_mismatch") == 1


def test_gap_enclosed_and_inlet_and_sliver():
    # enclosed hole of 10×10, an inlet at the boundary 10 m wide, a 0.2 m sliver gap
    ring = B(0, 0, 100, 100).difference(B(45, 45, 55, 55))
    plan = two_level([ring, (100, 0, 150, 90), (150.2, 0, 200, 100), (100, 90, 150.2, 100)])
    r = check_plan(plan, GEOM_ONLY)
    gaps = sorted(only(r, "gap"), key=lambda p: p.area_m2)
    assert [round(p.area_m2) for p in gaps] == [100]
    sliver = only(r, "sliver")
    assert len(sliver) == 1 and sliver[0].extra["kind"] == "gap"
    assert sliver[0].width_m == pytest.approx(0.2, abs=0.005) and sliver[0].area_m2 == pytest.approx(18.0)
    # the inlet: take away the top strip → a gap open to the jurisdiction boundary
    plan2 = two_level([(0, 0, 100, 100), (100, 0, 200, 90)])
    r2 = check_plan(plan2, GEOM_ONLY)
    inlet = only(r2, "gap")
    assert len(inlet) == 1 and inlet[0].area_m2 == pytest.approx(1000.0) and inlet[0].width_m == pytest.approx(10.0, abs=0.01)
    assert "辖区" in inlet[0].message_zh or "上级网格" in inlet[0].message_zh


def test_gap_at_top_level_against_jurisdiction_and_outside():
    # large grids: the second reaches 10 m beyond the jurisdiction; between them a 5 m gap
    plan = two_level([(0, 0, 100, 100), (105, 0, 210, 100)], large=((0, 0, 100, 100), (105, 0, 210, 100)),
                     parents=[0, 1])
    r = check_plan(plan, GEOM_ONLY)
    out = only(r, "outside_jurisdiction")
    assert len(out) == 1 and out[0].area_m2 == pytest.approx(1000.0) and out[0].level == "large"
    gap = only(r, "gap")
    assert len(gap) == 1 and gap[0].level == "large" and gap[0].scope == 0
    assert gap[0].area_m2 == pytest.approx(500.0) and set(gap[0].grids) == {"440306001000", "440306002000"}


def test_outside_parent_and_gap_in_the_neighbouring_parent():
    plan = Plan.new("t", crs="EPSG:4547", admin_code="440306", levels="two")
    plan.set_jurisdiction(B(0, 0, 200, 100))
    p1 = plan.add_grid(B(0, 0, 100, 100), "large")
    p2 = plan.add_grid(B(100, 0, 200, 100), "large")
    plan.add_grid(B(0, 0, 105, 100), "small", parent=p1)        # 5 m into p2
    plan.add_grid(B(105, 0, 200, 100), "small", parent=p2)
    plan.auto_number()
    r = check_plan(plan, GEOM_ONLY)
    out = only(r, "outside_parent")
    assert len(out) == 1 and out[0].area_m2 == pytest.approx(500.0)
    assert out[0].extra["parent"] == "440306001000"
    gap = only(r, "gap")     # p2's own children leave 100..105 uncovered
    assert len(gap) == 1 and gap[0].scope == p2 and gap[0].area_m2 == pytest.approx(500.0)


def test_edge_mismatch_and_multipart():
    a = B(0, 0, 100, 100)
    b = Polygon([(X0 + 100, Y0), (X0 + 200, Y0), (X0 + 200, Y0 + 100), (X0 + 100, Y0 + 100), (X0 + 100, Y0 + 40)])
    two = MultiPolygon([B(0, 200, 10, 210), B(20, 200, 30, 210)])
    r = check_grids([a, b, two], "EPSG:4547", codes=["A", "B", "C"])
    mm = only(r, "edge_mismatch")
    assert [p.grids for p in mm] == [("A", "B")] and mm[0].severity == "warning"
    mp = only(r, "multipart")
    assert mp[0].grids == ("C",) and mp[0].extra["parts"] == 2
    allowed = check_grids([a, b, two], "EPSG:4547", codes=["A", "B", "C"], multipart_ok=[False, False, True])
    assert "multipart" not in allowed.summary()


def test_multipart_allowed_by_level():
    plan = Plan(name="t", crs="EPSG:4547", admin_code="440306",
                levels=[Level("large", "大网格", "Large", "{admin}{seq:03d}000", multipart_allowed=True)])
    plan.add_grid(MultiPolygon([B(0, 0, 10, 10), B(20, 0, 30, 10)]), "large")
    assert "multipart" not in check_plan(plan, GEOM_ONLY).summary()


# ---------------------------------------------------------------------------- codes

def test_duplicate_and_bad_codes():
    plan = two_level([(0, 0, 100, 100), (100, 0, 200, 100)])
    ids = plan.grids_of_level("small").index
    plan.grids.loc[ids[1], "code"] = plan.grids.loc[ids[0], "code"]
    r = check_plan(plan, CheckSettings(disabled=frozenset({"no_leader", "no_officer", "no_unit"})))
    dup = only(r, "duplicate_code")
    assert dup[0].grids == ("44030600100001", "44030600100001") and set(dup[0].ids) == set(ids)
    plan.grids.loc[ids[0], "code"] = "4403060010001"           # wrong length
    plan.grids.loc[ids[1], "code"] = "44030600200002"          # does not extend its parent 440306001000
    settings = CheckSettings(disabled=frozenset({"no_leader", "no_officer", "no_unit"}))
    bad = {p.ids[0]: p for p in only(check_plan(plan, settings), "bad_code")}
    assert set(bad) == set(ids)
    assert bad[ids[0]].detail.startswith("does not match the pattern")
    assert bad[ids[1]].detail == "does not extend the parent code 440306001000"
    assert bad[ids[1]].message_zh.endswith("未以上级网格编码 440306001000 开头。")
    big = plan.grids_of_level("large").index[0]
    plan.grids.loc[big, "code"] = ""
    bad = {p.ids[0]: p for p in only(check_plan(plan, settings), "bad_code")}
    assert bad[big].detail == "no code" and bad[big].grids == (f"#{big}",)
    # a file: codes extend the parent field's codes
    r = check_grids([B(0, 0, 1, 1), B(1, 0, 2, 1)], "EPSG:4547", codes=["440306001", "4403"],
                    parent_codes=["440306", "440306"])
    assert [p.grids for p in only(r, "bad_code")] == [("4403",)]


# ---------------------------------------------------------------------------- responsibility

def test_responsibility_rules(small_plan):
    plan = small_plan
    r = check_plan(plan)
    s = r.summary()
    first = plan.grid_by_code("44030600100001")
    # 2 large and 8 small grids; only the first small grid has a leader, an officer and a unit
    assert s["no_officer"] == 7 and first not in {p.ids[0] for p in r.problems if p.rule == "no_officer"}
    assert s["no_leader"] == 9
    assert s["no_unit"] == 7
    # a leader on a large grid covers its children (inherited); a unit too
    west = plan.grid_by_code("440306001000")
    boss = plan.add_person("王五", post="街道书记", phone="13700000000")
    plan.assign(west, "leader", person=boss)
    plan.assign(west, "responsible_unit", unit=int(plan.units.index[0]))
    r2 = check_plan(plan)
    assert r2.summary()["no_leader"] == 5 and r2.summary()["no_unit"] == 4
    # a person without a phone
    mute = plan.add_person("赵六", post="网格员")
    plan.assign(plan.grid_by_code("44030600100002"), "officer", person=mute)
    r3 = check_plan(plan)
    ph = only(r3, "no_phone")
    assert ph[0].grids == ("44030600100002",) and "赵六" in ph[0].message_zh and ph[0].severity == "warning"


def test_requirements_are_settings(small_plan):
    small_plan.settings["check.require.leader"] = "none"
    small_plan.settings["check.require.officer"] = "all"
    s = check_plan(small_plan).summary()
    assert "no_leader" not in s and s["no_officer"] == 9


# ---------------------------------------------------------------------------- segments and places

def test_segment_and_place_rules(small_plan):
    plan = small_plan
    a = plan.grid_by_code("44030600100003")    # x 0..75, y 0..100
    b = plan.grid_by_code("44030600100004")    # x 75..150, y 0..100
    plan.add_segment(LineString([(X0 + 10, Y0 + 20), (X0 + 60, Y0 + 20)]), road_name="甲路")        # unassigned
    plan.add_segment(LineString([(X0 + 10, Y0 + 30), (X0 + 130, Y0 + 30)]), road_name="乙路", grid=a)  # crosses
    plan.add_segment(LineString([(X0 + 80, Y0 + 40), (X0 + 140, Y0 + 40)]), road_name="丙路", grid=a)  # wrong grid
    plan.add_segment(LineString([(X0 + 10, Y0 + 100), (X0 + 60, Y0 + 100)]), road_name="边界路", grid=a)  # on a boundary: fine
    plan.add_place(Point(X0 + 20, Y0 + 20), name="无主小区")
    r = check_plan(plan)
    s = r.summary()
    assert s["segment_unassigned"] == 1 and s["place_unassigned"] == 1
    cross = [p for p in only(r, "segment_crosses_boundary") if "示例路" not in p.message_zh]
    assert len(cross) == 1 and set(cross[0].ids) == {a, b} and "乙路" in cross[0].message_zh
    assert cross[0].extra["length_m"] == pytest.approx(55.0)
    wrong = only(r, "segment_wrong_grid")
    # 乙路 lies mostly (65 of 120 m) in its own grid: crossing, not wrong; 丙路 lies all in b
    assert [p.extra["segment"].split("（")[1][:2] for p in wrong] == ["丙路"]
    assert wrong[0].ids == (a, b) and wrong[0].extra["best"] == "44030600100004"


# ---------------------------------------------------------------------------- workload

def test_area_range_and_imbalance():
    plan = Plan(name="t", crs="EPSG:4547", admin_code="440306",
                levels=[Level("small", "网格", "Grid", "{admin}{seq:03d}", min_area_m2=5000, max_area_m2=20000)])
    sizes = [(0, 0, 100, 100), (100, 0, 200, 100), (200, 0, 230, 100), (230, 0, 400, 150)]
    gids = [plan.add_grid(B(*b), "small") for b in sizes]
    plan.auto_number()
    people = [plan.add_person(f"网格员{k}", phone="1") for k in range(4)]
    for g, p in zip(gids, people):
        plan.assign(g, "officer", person=p)
    r = check_plan(plan, CheckSettings(disabled=frozenset({"no_leader", "no_unit"})))
    ar = {p.ids[0]: p for p in only(r, "area_range")}
    assert set(ar) == {gids[2], gids[3]} and ar[gids[2]].area_m2 == pytest.approx(3000.0)
    imb = only(r, "imbalance")
    # mean area 13,250 m²: 3,000 (-77 %) and 25,500 (+92 %) are more than 50 % off
    assert {p.extra["person"] for p in imb} == {"网格员2", "网格员3"}
    assert all(p.detail == "area_m2" for p in imb)


# ---------------------------------------------------------------------------- settings

def test_settings_select_rules_tolerances_severities():
    plan = two_level([(0, 0, 100, 100), (100.3, 0, 200, 100)])
    base = check_plan(plan, GEOM_ONLY)
    assert base.summary() == {"sliver": 1}
    wide = check_plan(plan, CheckSettings(sliver_width_m=0.2, disabled=GEOM_ONLY.disabled))
    assert wide.summary() == {"gap": 1}
    plan.settings.update({"check.severity.sliver": "warning", "check.disabled": ",".join(sorted(GEOM_ONLY.disabled))})
    r = check_plan(plan)
    assert r.problems[0].severity == "warning" and r.exit_code == 0
    plan.settings["check.disabled"] += ",sliver"
    assert check_plan(plan).problems == []
    with pytest.raises(SettingsError, match="check.sliver_width_m"):
        CheckSettings.from_settings({"check.sliver_width_m": "wide"})
    with pytest.raises(SettingsError, match="unknown rules: nope"):
        CheckSettings.from_settings({"check.disabled": "nope"})
    assert CheckSettings.from_settings(CheckSettings(sliver_width_m=0.3).to_settings()).sliver_width_m == 0.3
    assert set(RULE_IDS) >= {"invalid", "overlap", "gap", "sliver", "edge_mismatch", "outside_parent",
                             "outside_jurisdiction", "multipart", "duplicate_code", "bad_code", "no_leader",
                             "no_unit", "no_officer", "no_phone", "segment_unassigned", "segment_crosses_boundary",
                             "segment_wrong_grid", "place_unassigned", "area_range", "imbalance"}


# ---------------------------------------------------------------------------- geographic CRS

def test_geographic_input_is_measured_in_metres_and_reported_in_degrees():
    # two villages near 23.5°N overlapping by 0.0001° of longitude
    a = box(120.0, 23.5, 120.01, 23.51)
    b = box(120.0099, 23.5, 120.02, 23.51)
    r = check_grids([a, b], "EPSG:4326", codes=["A", "B"])
    ov = only(r, "overlap")[0]
    from gridmap.core.crs import areas_m2
    true = float(areas_m2([a.intersection(b)], "EPSG:4326")[0])
    assert ov.area_m2 == pytest.approx(true, rel=1e-4)
    assert ov.width_m == pytest.approx(0.0001 * 111_320 * np.cos(np.radians(23.505)), rel=0.01)
    j = ov.to_json()
    assert 120.0099 <= j["x"] <= 120.01 and 23.5 <= j["y"] <= 23.51
    assert set(j) == {"rule", "severity", "grids", "area_m2", "width_m", "x", "y"}


def test_lonlat_topology_is_the_files_own():
    """Children that split a lon/lat parent put vertices on its straight edges: in a
    projection those edges would bend and leave slivers; the checks must not."""
    plan = Plan.new("经纬度", crs="EPSG:4490", admin_code="440306", levels="two")
    plan.set_jurisdiction(box(113.9, 22.5, 113.92, 22.51))
    big = plan.add_grid(box(113.9, 22.5, 113.92, 22.51), "large")
    for x in (113.9, 113.905, 113.91, 113.915):
        plan.add_grid(box(x, 22.5, x + 0.005, 22.51), "small", parent=big)
    plan.auto_number()
    r = check_plan(plan, GEOM_ONLY)
    assert r.problems == []
    gid = plan.grids_of_level("small").index[-1]
    plan.grids.at[gid, "geometry"] = box(113.915, 22.5, 113.92, 22.5099)
    gap = only(check_plan(plan, GEOM_ONLY), "gap")[0]
    from gridmap.core.crs import areas_m2
    true = float(areas_m2([box(113.915, 22.5099, 113.92, 22.51)], "EPSG:4490")[0])
    assert gap.area_m2 == pytest.approx(true, rel=1e-4) and gap.width_m == pytest.approx(11.07, abs=0.02)


def test_problems_frame_and_json_shape():
    r = check_grids([B(0, 0, 10, 10), B(9, 0, 20, 10)], "EPSG:4547", codes=["A", "A"])
    df = r.to_frame()
    assert list(df.columns[:7]) == ["rule", "severity", "grids", "area_m2", "width_m", "x", "y"]
    assert df.crs.to_epsg() == 4547 and len(df) == 2
    js = r.to_json()
    assert js["summary"] == {"overlap": 1, "duplicate_code": 1}
    assert pd.Series([p["rule"] for p in js["problems"]]).tolist() == ["overlap", "duplicate_code"]
