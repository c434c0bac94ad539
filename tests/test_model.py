"""The plan model, levels and code schemes — no window needed."""

from __future__ import annotations

import doctest

import pandas as pd
import pytest
from shapely import box

import gridmap.core.codes as codes
import gridmap.core.crs as crs
import gridmap.core.gcj02 as gcj02
import gridmap.core.levels as levels
import gridmap.core.plan as plan_mod
from gridmap.core.editing.commands import delete_grid
from gridmap.core.editing.geometry import EditError
from gridmap.core.plan import Plan, PlanError


@pytest.mark.parametrize("module", [codes, crs, gcj02, levels, plan_mod])
def test_docstring_examples(module):
    result = doctest.testmod(module)
    assert result.failed == 0 and result.attempted > 0


def test_presets_and_schemes():
    five = levels.preset("five", "GB14")
    assert [lv.key for lv in five] == ["city", "district", "street", "community", "unit"]
    # 14-digit unit-grid code: county 6 + street 3 + community 3 + grid 2
    district = codes.format_code(five[1].code_pattern, 29, parent="440200")
    street = codes.format_code(five[2].code_pattern, 1, parent=district)
    community = codes.format_code(five[3].code_pattern, 2, parent=street)
    unit = codes.format_code(five[4].code_pattern, 3, parent=community)
    assert (district, unit) == ("440229", "44022900100203")
    unit15 = codes.format_code(levels.preset("five", "GB15")[4].code_pattern, 3, parent=community)
    assert unit15 == "440229001002003" and len(unit15) == 15
    with pytest.raises(ValueError):
        levels.preset("seven")
    with pytest.raises(ValueError):
        codes.format_code("{parent}{seq:02d}", 100, parent="1")


def test_code_validation_requires_parent_prefix():
    pat = "{parent}{seq:02d}"
    assert codes.is_valid_code("44030600100001", pat, parent="440306001000")
    assert not codes.is_valid_code("44030600200001", pat, parent="440306001000")  # wrong parent
    assert not codes.is_valid_code("4403060010000A", pat, parent="440306001000")
    assert not codes.is_valid_code("", pat, parent="440306001000")
    with pytest.raises(ValueError):
        codes.code_regex("{bogus}")


def test_reading_order_rows_north_to_south_then_west_to_east():
    # 3 × 2 grid of cells with slightly jittered heights
    cells = [box(x, y, x + 10, y + 10 + (x % 3)) for y in (0, 20) for x in (20, 0, 10)]
    order = codes.reading_order(cells)
    got = [(cells[i].bounds[0], cells[i].bounds[1]) for i in order]
    assert got == [(0, 20), (10, 20), (20, 20), (0, 0), (10, 0), (20, 0)]


def test_auto_number_keeps_codes_text_with_leading_zeros(small_plan):
    grids = small_plan.grids
    assert grids["code"].map(type).eq(str).all()
    large = grids[grids["level"] == "large"].sort_values("code")
    assert large["code"].tolist() == ["440306001000", "440306002000"]
    west = large.index[0]
    kids = small_plan.children(west).sort_values("code")
    # north row first (y 100–200), then the south row, each west → east
    assert kids["code"].tolist() == [f"4403060010000{i}" for i in range(1, 5)]
    assert kids.geometry.bounds["miny"].tolist() == [2_500_100.0, 2_500_100.0, 2_500_000.0, 2_500_000.0]


def test_hierarchy_is_enforced(small_plan):
    large = int(small_plan.grids_of_level("large").index[0])
    small = int(small_plan.grids_of_level("small").index[0])
    with pytest.raises(PlanError, match="needs a parent"):
        small_plan.add_grid(box(0, 0, 1, 1), "small")
    with pytest.raises(PlanError, match="must be a"):
        small_plan.add_grid(box(0, 0, 1, 1), "small", parent=small)
    with pytest.raises(PlanError, match="top level"):
        small_plan.add_grid(box(0, 0, 1, 1), "large", parent=large)
    with pytest.raises(PlanError, match="no level"):
        small_plan.add_grid(box(0, 0, 1, 1), "street")
    with pytest.raises(EditError, match="child grids"):
        delete_grid(small_plan, large)
    with pytest.raises(PlanError):
        Plan.new("x", "EPSG:4547", admin_code="4403")


def test_roles_people_units(small_plan):
    first = small_plan.grid_by_code("44030600100001")
    leaders = small_plan.people_on(first, "leader")
    assert leaders["name"].tolist() == ["李四"]
    assert small_plan.units_on(first, "lead_unit")["name"].tolist() == ["区城市管理局"]
    zhang = int(small_plan.people.index[small_plan.people["name"] == "张三"][0])
    assert small_plan.duties_of(zhang)["role"].tolist() == ["officer"]
    with pytest.raises(PlanError, match="unknown role"):
        small_plan.assign(first, "mayor", person=zhang)
    with pytest.raises(PlanError, match="needs an existing unit"):
        small_plan.assign(first, "lead_unit", person=zhang)
    # deleting a grid removes its roles and unlinks its segments/places
    delete_grid(small_plan, first).redo(small_plan)
    assert (small_plan.roles["grid"] == first).sum() == 0
    assert small_plan.segments["grid"].isna().all()


def test_assign_by_location(small_plan):
    seg_grid = small_plan.segments["grid"].iloc[0]
    place_grid = small_plan.places["grid"].iloc[0]
    # the segment at y=150 runs through the two NW small grids: the one holding most length wins
    assert small_plan.grids.at[int(seg_grid), "code"] in ("44030600100001", "44030600100002")
    assert small_plan.grids.at[int(place_grid), "code"] == "44030600100003"


def test_summary_areas_are_m2(small_plan):
    s = small_plan.summary()
    assert s["jurisdiction_area_m2"] == pytest.approx(60_000)
    assert [lv["grids"] for lv in s["levels"]] == [2, 4 * 2]
    assert all(lv["area_m2"] == pytest.approx(60_000) for lv in s["levels"])
    assert s["people"] == 2 and s["units"] == 1 and s["segments"] == 1


def test_geographic_areas_on_the_ellipsoid():
    # 0.01° × 0.01° at 22.5°N: ≈ 1,113 m × 1,028 m
    a = crs.areas_m2([box(113.9, 22.5, 113.91, 22.51)], "EPSG:4490")[0]
    assert a == pytest.approx(1_113_195 * 1_028.5 / 1000, rel=0.01)
    assert crs.suggest_crs(box(113.8, 22.5, 114.0, 22.7), "EPSG:4490").to_epsg() == 4547
    assert crs.gk3_epsg(116.0) == 4548  # CM 117°E


def test_gcj02_inverse_is_sub_centimetre():
    import numpy as np

    rng = np.random.default_rng(1)
    lon = rng.uniform(73.7, 134.7, 2000)
    lat = rng.uniform(18.2, 53.5, 2000)
    g = gcj02.wgs84_to_gcj02(lon, lat)
    back = gcj02.gcj02_to_wgs84(*g)
    err_m = np.hypot((back[0] - lon) * 111_320 * np.cos(np.radians(lat)), (back[1] - lat) * 110_540)
    assert err_m.max() < 0.01
    b = gcj02.wgs84_to_bd09(lon, lat)
    back = gcj02.bd09_to_wgs84(*b)
    err_m = np.hypot((back[0] - lon) * 111_320 * np.cos(np.radians(lat)), (back[1] - lat) * 110_540)
    assert err_m.max() < 0.01


def test_bulk_tables_are_normalised():
    import geopandas as gpd

    grids = gpd.GeoDataFrame(
        {"code": [440306001000, None], "level": ["large", "small"], "parent": [None, 1.0]},
        geometry=[box(0, 0, 2, 1), box(0, 0, 1, 1)], index=pd.Index([1, 2], name="id"), crs="EPSG:4547")
    p = Plan(name="bulk", crs="EPSG:4547", levels=levels.preset("two"), grids=grids)
    assert p.grids["code"].tolist() == ["440306001000", ""]
    assert str(p.grids["parent"].dtype) == "Int64" and pd.isna(p.grids.at[1, "parent"])
    assert p.grids["multipart_ok"].tolist() == [False, False]
