"""The real sample town in sample_layers/ (built by tools/make_sample.py).

Everything is read back with real GDAL (pyogrio and the system ``ogrinfo``) and
with gridmap's own store, and measured with shapely: the coverage is exact, the
people responsible are there, the district boundary was really shifted out of
GCJ-02, the deliberate errors are where the JSON says, and the script rebuilds
the same plan.
"""

from __future__ import annotations

import importlib.util
import json
import re
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pandas as pd
import pyogrio
import pytest
import shapely
from pyproj import CRS

from gridmap.core import codes
from gridmap.core.crs import to_crs
from gridmap.core.storage import open_plan


REPO = Path(__file__).resolve().parent.parent
SAMPLE = REPO / "sample_layers"
PHONE = re.compile(r"^1380000\d{4}$")          # the obviously fictitious 138-0000-xxxx series
RULE_IDS = {"invalid", "overlap", "gap", "sliver", "edge_mismatch", "outside_parent", "outside_jurisdiction",
            "multipart", "duplicate_code", "bad_code", "no_leader", "no_unit", "no_officer", "no_phone",
            "segment_unassigned", "segment_crosses_boundary", "segment_wrong_grid", "place_unassigned"}


def _make_sample():
    spec = importlib.util.spec_from_file_location("make_sample", REPO / "tools" / "make_sample.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


@pytest.fixture(scope="module")
def plan(sample_plan_path):
    return open_plan(sample_plan_path)


@pytest.fixture(scope="module")
def err_plan(sample_errors_path):
    return open_plan(sample_errors_path)


@pytest.fixture(scope="module")
def errors():
    return json.loads((SAMPLE / "baoan_plan_errors.json").read_text(encoding="utf-8"))


def _level(plan, key):
    return plan.grids[plan.grids["level"] == key]


# ---------------------------------------------------------------------------- files
def test_folder_is_complete_and_small():
    names = {p.name for p in SAMPLE.iterdir()}
    for need in ("baoan_roads.gpkg", "baoan_district.gpkg", "baoan_plan.gpkg", "baoan_plan_errors.gpkg",
                 "baoan_plan_errors.json", "README.md", "ATTRIBUTION.md", "LICENSE.ChinaAdminDivisonSHP"):
        assert need in names
    assert sum(p.stat().st_size for p in SAMPLE.iterdir()) < 10 * 1024 * 1024
    attribution = (SAMPLE / "ATTRIBUTION.md").read_text(encoding="utf-8")
    assert "© OpenStreetMap contributors" in attribution and "ODbL" in attribution
    assert "GaryBikini" in attribution and "MIT" in attribution
    assert "MIT License" in (SAMPLE / "LICENSE.ChinaAdminDivisonSHP").read_text(encoding="utf-8")
    readme = (SAMPLE / "README.md").read_text(encoding="utf-8")
    assert "虚构" in readme and "FICTITIOUS" in readme


def test_base_layers_read_with_gdal(shared_data):
    roads = pyogrio.read_dataframe(SAMPLE / "baoan_roads.gpkg", layer="roads")
    source = pyogrio.read_dataframe(shared_data / "baoan-osm" / "roads.geojson")
    assert CRS.from_user_input(roads.crs).to_epsg() == 4326
    assert len(roads) == len(source) == 2142
    assert {"name", "highway"} <= set(roads.columns)
    # kept as they are: same coordinates as the OSM file
    assert shapely.equals_exact(roads.geometry.values, source.geometry.values, tolerance=1e-9).all()
    district = pyogrio.read_dataframe(SAMPLE / "baoan_district.gpkg", layer="district")
    assert CRS.from_user_input(district.crs).to_epsg() == 4490
    assert len(district) == 1
    assert district["name"].iloc[0] == "宝安区" and district["adcode"].iloc[0] == "440306"
    assert district.geometry.iloc[0].is_valid


def test_ogrinfo_lists_the_plan_layers():
    ogrinfo = shutil.which("ogrinfo")
    assert ogrinfo, "the system ogrinfo (GDAL) is needed"
    for name in ("baoan_plan.gpkg", "baoan_plan_errors.gpkg", "baoan_roads.gpkg", "baoan_district.gpkg"):
        run = subprocess.run([ogrinfo, "-ro", "-so", str(SAMPLE / name)], capture_output=True, text=True,
                             timeout=60)
        assert run.returncode == 0, run.stderr
        assert "ERROR" not in run.stderr and "Warning" not in run.stderr, run.stderr
        if name.startswith("baoan_plan"):
            for layer in ("grids", "jurisdiction", "segments", "places", "settings", "levels", "units",
                          "people", "roles", "base_layers"):
                assert re.search(rf"^\d+: {layer}\b", run.stdout, re.M), (layer, run.stdout)


# ---------------------------------------------------------------------------- the plan
def test_plan_header(plan):
    assert plan.name == "宝安区新安街道网格化管理划分方案（示例）"
    assert plan.crs.to_epsg() == 4547
    assert plan.admin_code == "440306"
    assert plan.level_keys == ["large", "small"]
    assert 2 <= len(_level(plan, "large")) <= 4
    assert 20 <= len(_level(plan, "small")) <= 40
    assert "虚构" in plan.settings["disclaimer"] and "FICTITIOUS" in plan.settings["disclaimer"]
    assert 3e6 <= plan.jurisdiction.area <= 8e6
    assert plan.jurisdiction.geom_type == "Polygon" and len(plan.jurisdiction.interiors) == 0


@pytest.mark.parametrize("level", ["large", "small"])
def test_coverage_is_exact(plan, level):
    geoms = _level(plan, level).geometry.values
    assert shapely.is_valid(geoms).all()
    assert (shapely.get_type_id(geoms) == 3).all()          # single-part polygons
    assert bool(shapely.coverage_is_valid(geoms))           # no overlaps, edges matched vertex by vertex
    assert shapely.is_empty(shapely.coverage_invalid_edges(geoms)).all()
    jur = plan.jurisdiction
    union = shapely.coverage_union_all(geoms)
    assert abs(union.area - jur.area) < 0.01
    assert shapely.difference(jur, union).area < 0.01       # no gap
    assert shapely.difference(union, jur).area < 0.01       # nothing outside
    assert abs(shapely.area(geoms).sum() - jur.area) < 0.01  # no overlap anywhere


def test_small_grids_nest_in_their_large_grid(plan):
    g = plan.grids
    small = _level(plan, "small")
    assert small["parent"].notna().all()
    assert set(small["parent"].astype(int)) == set(_level(plan, "large").index)
    for pid, kids in small.groupby("parent"):
        parent = g.geometry[int(pid)]
        union = shapely.coverage_union_all(kids.geometry.values)
        assert shapely.symmetric_difference(union, parent).area < 0.01
        assert shapely.covers(shapely.buffer(parent, 0.001), kids.geometry.values).all()


def test_grids_are_street_blocks_not_slivers(plan, shared_data):
    small = _level(plan, "small")
    geoms = small.geometry.values
    areas = shapely.area(geoms)
    width = 2 * areas / shapely.length(geoms)
    assert width.min() > 50                                  # no sliver between carriageways
    assert areas.min() > 0.4 * areas.mean() and areas.max() < 2.0 * areas.mean()   # balanced
    assert (4 * np.pi * areas / shapely.length(geoms) ** 2).min() > 0.2           # compact enough
    # boundaries run on streets: nearly all of the grid outlines lie on an OSM road
    roads = pyogrio.read_dataframe(shared_data / "baoan-osm" / "roads.geojson")
    lines = to_crs(roads.geometry.values, "EPSG:4326", "EPSG:4547")
    edges = shapely.line_merge(shapely.union_all(shapely.boundary(geoms)))
    pts = np.concatenate([shapely.line_interpolate_point(e, np.arange(0.0, e.length, 5.0))
                          for e in shapely.get_parts(edges)])
    hit, _ = shapely.STRtree(lines).query_nearest(pts, max_distance=1.0, all_matches=False)
    assert len(np.unique(hit)) / len(pts) > 0.95


def test_codes_and_names(plan):
    g = plan.grids
    assert g["code"].is_unique and g["name"].is_unique
    for gid, row in g.iterrows():
        lv = plan.level(row["level"])
        assert codes.is_valid_code(row["code"], lv.code_pattern, admin=plan.admin_code,
                                   parent=plan.parent_code(gid)), row["code"]
        assert row["name"].startswith("新安") and row["name"].endswith("网格")
        assert row["notes"].startswith("四至：")


def test_everyone_responsible_has_a_phone(plan):
    roles, people = plan.roles, plan.people
    for gid, row in plan.grids.iterrows():
        r = roles[roles["grid"] == gid]
        assert (r["role"] == "leader").sum() >= 1
        assert r["role"].isin(["lead_unit", "responsible_unit"]).any()
        if row["level"] == "small":
            assert (r["role"] == "officer").sum() >= 1
            assert r["duty"].str.contains("值守").any()
    on_duty = roles["person"].dropna().astype(int)
    assert set(on_duty) <= set(people.index)
    assert people["phone"].map(lambda p: bool(PHONE.match(p))).all()
    assert people["name"].is_unique
    assert people["notes"].str.contains("虚构").all() and plan.units["notes"].str.contains("虚构").all()


def test_segments_are_the_real_streets_cut_at_grid_boundaries(plan, shared_data):
    seg = plan.segments
    assert 100 <= len(seg) <= 400
    assert seg["grid"].notna().all() and seg["officer"].notna().all()
    officers = plan.roles[plan.roles["role"] == "officer"]
    pairs = set(zip(officers["grid"].astype(int), officers["person"].astype(int)))
    assert all((int(g), int(o)) in pairs for g, o in zip(seg["grid"], seg["officer"]))
    grids = plan.grids.geometry.loc[seg["grid"].astype(int)].values
    assert shapely.covers(shapely.buffer(grids, 0.01), seg.geometry.values).all()
    # the segments are the OSM streets inside the jurisdiction
    roads = pyogrio.read_dataframe(shared_data / "baoan-osm" / "roads.geojson")
    lines = to_crs(roads.geometry.values, "EPSG:4326", "EPSG:4547")
    inner = shapely.buffer(plan.jurisdiction, -5.0)
    want = shapely.length(shapely.intersection(shapely.union_all(lines), inner))
    got = shapely.length(shapely.intersection(shapely.union_all(seg.geometry.values), inner))
    assert got == pytest.approx(want, rel=0.03)
    names = set(roads["name"].dropna())
    assert all(n in names or n.startswith("无名") for n in seg["road_name"])
    assert {"宝安大道", "广深公路", "前进一路", "新湖路"} <= set(seg["road_name"])


def test_places_are_fictitious_and_in_their_grid(plan):
    pl = plan.places
    assert pl["grid"].notna().all()
    assert {"小区", "学校", "门前三包商户"} <= set(pl["kind"])
    assert pl["notes"].str.contains("虚构").all()
    grids = plan.grids.geometry.loc[pl["grid"].astype(int)].values
    assert shapely.contains(grids, shapely.point_on_surface(pl.geometry.values)).all()
    assert (plan.grids.loc[pl["grid"].astype(int), "level"] == "small").all()


def test_base_layers_point_at_the_sample_files(plan):
    bl = plan.base_layers.sort_values("order")
    assert list(bl["source"]) == ["baoan_district.gpkg", "baoan_roads.gpkg"]
    for _, row in bl.iterrows():
        path = SAMPLE / row["source"]
        assert row["layer"] in [name for name, _ in pyogrio.list_layers(path)]
        assert isinstance(json.loads(row["style"]), dict)
    assert json.loads(bl["style"].iloc[1])["rule"]["field"] == "highway"


# ---------------------------------------------------------------------------- the district
def test_district_is_shifted_out_of_gcj02(shared_data):
    raw = pyogrio.read_dataframe(shared_data / "cn-counties-gcj02" / "guangdong_districts.shp", encoding="utf-8")
    raw = raw[raw["adcode"].astype(str) == "440306"].geometry.values[0]
    conv = pyogrio.read_dataframe(SAMPLE / "baoan_district.gpkg", layer="district").geometry.values[0]
    a = shapely.get_coordinates(to_crs(raw, "EPSG:4326", "EPSG:4547"))
    b = shapely.get_coordinates(to_crs(conv, "EPSG:4490", "EPSG:4547"))
    assert a.shape == b.shape
    offset = np.hypot(*(a - b).T)
    assert 300 <= offset.mean() <= 700
    # in the right direction: WGS84 lies west-north-west of GCJ-02 here
    assert (b[:, 0] < a[:, 0]).all() and (b[:, 1] > a[:, 1]).all()
    # and it lines up with the OSM streets: streets of 南山 (前海, 北环大道 …) no longer fall in 宝安
    roads = pyogrio.read_dataframe(shared_data / "baoan-osm" / "roads.geojson")
    nanshan = roads[roads["name"].isin(_make_sample().NANSHAN_STREETS)]
    lines = to_crs(nanshan.geometry.values, "EPSG:4326", "EPSG:4547")
    inside_raw = shapely.length(shapely.intersection(lines, to_crs(raw, "EPSG:4326", "EPSG:4547"))).sum()
    inside_conv = shapely.length(shapely.intersection(lines, to_crs(conv, "EPSG:4490", "EPSG:4547"))).sum()
    assert inside_raw > 3000 and inside_conv < 0.1 * inside_raw
    # and the sample town lies inside the corrected district
    plan_jur = open_plan(SAMPLE / "baoan_plan.gpkg").jurisdiction
    assert shapely.covers(to_crs(conv, "EPSG:4490", "EPSG:4547"), plan_jur)


# ---------------------------------------------------------------------------- the errors copy
def test_errors_json_is_well_formed(errors, err_plan):
    assert {e["rule"] for e in errors} == {"overlap", "gap", "sliver", "invalid", "duplicate_code", "bad_code",
                                          "no_leader", "segment_unassigned", "multipart"}
    codes_in_file = set(err_plan.grids["code"])
    for e in errors:
        assert e["rule"] in RULE_IDS
        assert set(e.get("side_effects", [])) <= RULE_IDS
        assert e["what"]
        assert set(e["grids"]) <= codes_in_file
    readme = (SAMPLE / "README.md").read_text(encoding="utf-8")
    for e in errors:
        for code in e["grids"]:
            assert code in readme, code


def test_each_documented_error_is_in_the_errors_file(errors, err_plan, plan):
    g = err_plan.grids

    def geom(code):
        return g.geometry[err_plan.grid_by_code(code)]

    by_rule = {e["rule"]: e for e in errors}
    a, b = by_rule["overlap"]["grids"]
    assert shapely.intersection(geom(a), geom(b)).area > 500
    c, d = by_rule["gap"]["grids"]
    parent = g.geometry[int(g.at[err_plan.grid_by_code(c), "parent"])]
    kids = g[g["parent"] == g.at[err_plan.grid_by_code(c), "parent"]].geometry.values
    hole = shapely.difference(parent, shapely.union_all(kids))
    assert hole.area > 500 and shapely.distance(hole, geom(d)) < 0.01
    e, f = by_rule["sliver"]["grids"]
    thin = [q for q in shapely.get_parts(shapely.intersection(geom(e), geom(f))) if q.geom_type == "Polygon"]
    assert sum(q.area for q in thin) > 1
    assert max(2 * shapely.maximum_inscribed_circle(q).length for q in thin) < 0.5
    (h,) = by_rule["invalid"]["grids"]
    assert not shapely.is_valid(geom(h))
    assert "Self-intersection" in shapely.is_valid_reason(geom(h))
    (dup,) = by_rule["duplicate_code"]["grids"]
    assert (g["code"] == dup).sum() == 2
    (bad,) = by_rule["bad_code"]["grids"]
    k = err_plan.grid_by_code(bad)
    assert not codes.is_valid_code(bad, err_plan.level("small").code_pattern, admin=err_plan.admin_code,
                                   parent=err_plan.parent_code(k))
    for code in by_rule["no_leader"]["grids"]:
        r = err_plan.roles_of(err_plan.grid_by_code(code))
        assert not (r["role"] == "leader").any()
    (sid,) = by_rule["segment_unassigned"]["segments"]
    assert pd.isna(err_plan.segments.at[sid, "grid"])
    assert err_plan.segments["grid"].isna().sum() == 1
    (m,) = by_rule["multipart"]["grids"]
    assert shapely.get_num_geometries(geom(m)) == 2
    # the rest is the clean plan: same tables sizes, and untouched grids are identical
    assert len(err_plan.grids) == len(plan.grids) and len(err_plan.segments) == len(plan.segments)
    touched = {c for e in errors for c in e["grids"] + e.get("also_changed", [])}
    same = [i for i in plan.grids.index if plan.grids.at[i, "code"] not in touched
            and g.at[i, "code"] == plan.grids.at[i, "code"]]
    assert len(same) >= len(plan.grids) - 15
    assert shapely.equals_exact(plan.grids.geometry.loc[same].values, g.geometry.loc[same].values, 0).all()


# ---------------------------------------------------------------------------- reproducible
def test_make_sample_is_deterministic(tmp_path, shared_data, plan, errors):
    """Rebuild everything into a temporary folder: the same grids, people and
    segments as the files in sample_layers/ (which are therefore up to date)."""
    ms = _make_sample()
    assert ms.main(["--data", str(shared_data), "--out", str(tmp_path), "--quiet"]) == 0
    again = open_plan(tmp_path / "baoan_plan.gpkg")
    for table in ("grids", "segments", "places"):
        x, y = getattr(plan, table), getattr(again, table)
        pd.testing.assert_frame_equal(pd.DataFrame(x.drop(columns="geometry")),
                                      pd.DataFrame(y.drop(columns="geometry")))
        assert shapely.equals_exact(x.geometry.values, y.geometry.values, tolerance=1e-6).all()
    for table in ("units", "people", "roles", "base_layers"):
        pd.testing.assert_frame_equal(getattr(plan, table), getattr(again, table))
    assert json.loads((tmp_path / "baoan_plan_errors.json").read_text(encoding="utf-8")) == errors
