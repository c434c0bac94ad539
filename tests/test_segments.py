"""Street segments cut at grid boundaries, on the real OpenStreetMap roads of Bao'an."""

from __future__ import annotations

import doctest

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

import gridmap.core.segments as seg_mod
from gridmap.core.editing.buffer import EditBuffer
from gridmap.core.editing.commands import ReplaceTable
from gridmap.core.levels import preset
from gridmap.core.plan import Plan


def test_docstring_examples():
    r = doctest.testmod(seg_mod)
    assert r.failed == 0 and r.attempted > 0


@pytest.fixture(scope="module")
def roads(shared_data):
    return gpd.read_file(shared_data / "baoan-osm" / "roads.geojson")


def lattice_plan(roads) -> Plan:
    """A 4 × 4 lattice of 500 m unit grids over central Bao'an (EPSG:4547)."""
    c = roads.to_crs(4547).geometry.union_all().centroid
    x0, y0 = np.floor(c.x / 100) * 100 - 1000, np.floor(c.y / 100) * 100 - 1000
    xs, ys = np.meshgrid(np.arange(4) * 500 + x0, np.arange(4) * 500 + y0)
    cells = shapely.box(xs.ravel(), ys.ravel(), xs.ravel() + 500, ys.ravel() + 500)
    large = gpd.GeoDataFrame({"code": ["440306001000"], "level": ["large"]},
                             geometry=[shapely.box(x0, y0, x0 + 2000, y0 + 2000)], index=pd.Index([1], name="id"))
    small = gpd.GeoDataFrame({"code": [f"440306001000{i:02d}" for i in range(1, 17)], "level": "small", "parent": 1},
                             geometry=cells, index=pd.Index(np.arange(2, 18), name="id"))
    plan = Plan(name="格网", crs="EPSG:4547", admin_code="440306", levels=preset("two"),
                grids=pd.concat([large, small]), jurisdiction=large.geometry.iloc[0])
    return plan


def test_real_roads_split_at_grid_boundaries_keep_their_length(roads):
    plan = lattice_plan(roads)
    unit = plan.add_unit("城管中队")
    officer = plan.add_person("王五", post="城管队员", unit=unit, phone="13800000001")
    first_small = int(plan.grids_of_level("small").index[0])
    plan.assign(first_small, "officer", person=officer)
    table = seg_mod.segments_from_roads(plan, roads)
    assert len(table) > 50
    # every piece lies inside its grid and the total length is the roads' length inside the lattice
    grid_geoms = plan.grids.geometry.loc[table["grid"].astype(int)].values
    assert shapely.covers(shapely.buffer(grid_geoms, 1e-6), table.geometry.values).all()
    inside = shapely.intersection(roads.to_crs(4547).geometry.values, plan.jurisdiction)
    assert shapely.length(table.geometry.values).sum() == pytest.approx(shapely.length(inside).sum(), rel=1e-6)
    assert (table["road_name"] != "").sum() > 0.3 * len(table)
    assert (table.loc[table["grid"] == first_small, "officer"] == officer).all()
    # one undoable step
    stack = EditBuffer(plan)
    stack.push(ReplaceTable("路段按网格分割", "segments", table))
    by_grid = seg_mod.road_length_by_grid(plan)
    assert by_grid.sum() == pytest.approx(shapely.length(inside).sum(), rel=1e-6)
    assert seg_mod.road_length_by_officer(plan)[officer] == pytest.approx(by_grid[first_small])
    stack.undo()
    assert len(plan.segments) == 0
