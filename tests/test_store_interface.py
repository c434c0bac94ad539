"""The store interface: the GeoPackage store and the PostGIS store pass the same tests."""

from __future__ import annotations

import pytest

from gridmap.core.editing.changeset import plan_differences
from gridmap.core.storage import StoreError, open_plan, save_plan, store_for


@pytest.fixture(params=["gpkg", "postgis"])
def location(request, tmp_path):
    if request.param == "gpkg":
        return str(tmp_path / "方案.gpkg")
    return request.getfixturevalue("pg_url")


def test_round_trip_is_identical(small_plan, location):
    small_plan.add_base_layer("道路", "roads.gpkg", layer="roads", style='{"by": "highway"}')
    small_plan.settings["overlap_tolerance_m2"] = "0.01"
    save_plan(small_plan, location)
    back = open_plan(location)
    assert plan_differences(small_plan, back) == []
    assert back.name == "测试方案" and back.crs.to_epsg() == 4547 and back.levels == small_plan.levels


def test_sample_plan_round_trip(sample_plan_path, location):
    plan = open_plan(sample_plan_path)
    save_plan(plan, location)
    back = open_plan(location)
    if str(location).startswith("postgresql://"):      # base maps named relative to the file: absolute there
        from gridmap.core.storage.postgis import absolute_base_sources

        plan.base_layers = absolute_base_sources(plan, sample_plan_path.parent)
    assert plan_differences(plan, back) == []


def test_store_has_a_location(location):
    assert store_for(location).location


def test_missing_plan_is_a_clear_error(location):
    with pytest.raises(StoreError, match="不存在|not exist|not found"):
        open_plan(location)


def test_saving_over_an_existing_plan_needs_force_or_identity(small_plan, location):
    save_plan(small_plan, location)
    other = open_plan(location)
    other.name = "另一个"
    save_plan(other, location, force=True)
    assert open_plan(location).name == "另一个"
