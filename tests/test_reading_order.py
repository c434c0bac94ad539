"""Auto-numbering reads grids west→east in rows north→south, rows found from the
grids' extents: rectangles of several aspect ratios, rotated grids, irregular real grids."""

from __future__ import annotations

import numpy as np
import pyogrio
import pytest
import shapely
import shapely.affinity
from shapely import box

from gridmap.core import codes
from gridmap.core.plan import Plan


def _cells(w, h, cols, rows):
    """Cells listed south→north, west→east; the expected reading order is rows north→south."""
    cells = [box(x * w, y * h, (x + 1) * w, (y + 1) * h) for y in range(rows) for x in range(cols)]
    expected = [y * cols + x for y in reversed(range(rows)) for x in range(cols)]
    return cells, expected


@pytest.mark.parametrize("w,h", [(200, 100), (1000, 500), (100, 200), (500, 1000), (300, 100), (100, 100),
                                 (2000, 300)])
@pytest.mark.parametrize("cols,rows", [(5, 4), (2, 6), (7, 2)])
def test_rectangles_of_any_aspect_ratio_read_row_by_row(w, h, cols, rows):
    cells, expected = _cells(w, h, cols, rows)
    assert codes.reading_order(cells).tolist() == expected
    # shuffled input: same cells, same reading
    rng = np.random.default_rng(7)
    perm = rng.permutation(len(cells))
    got = codes.reading_order([cells[i] for i in perm])
    assert [int(perm[i]) for i in got] == expected


def test_issue_example_200_by_100_cells():
    cells, expected = _cells(200, 100, 3, 3)
    order = codes.reading_order(cells).tolist()
    assert order == expected and order != [0, 1, 2, 3, 6, 4, 7, 5, 8]


def test_auto_number_on_1000_by_500_cells_numbers_01_02_03_along_the_north_row():
    plan = Plan.new("例", crs="EPSG:4547", admin_code="440306", levels="two")
    big = plan.add_grid(box(0, 0, 3000, 1500), "large")
    for y in range(3):
        for x in range(3):
            plan.add_grid(box(x * 1000, y * 500, (x + 1) * 1000, (y + 1) * 500), "small", parent=big)
    plan.auto_number()
    small = plan.grids_of_level("small").sort_values("code")
    b = small.geometry.bounds
    assert b["miny"].tolist() == [1000.0] * 3 + [500.0] * 3 + [0.0] * 3
    assert b["minx"].tolist() == [0.0, 1000.0, 2000.0] * 3


@pytest.mark.parametrize("angle", [-30, -20, -8, 5, 15, 25])
@pytest.mark.parametrize("w,h", [(200, 100), (1000, 500), (100, 300)])
def test_rotated_grids_read_along_their_own_rows(angle, w, h):
    cells, expected = _cells(w, h, 4, 3)
    turned = [shapely.affinity.rotate(c, angle, origin=(0, 0)) for c in cells]
    assert codes.reading_order(turned).tolist() == expected


def test_rows_of_slightly_different_heights_and_offsets():
    rng = np.random.default_rng(3)
    cells, expected = [], []
    for r, y in enumerate((400, 200, 0)):
        for c, x in enumerate((0, 250, 500, 750)):
            dy = rng.uniform(-30, 30)
            cells.append(box(x, y + dy, x + 240, y + dy + 180 + rng.uniform(-20, 20)))
    assert codes.reading_order(cells).tolist() == list(range(12))


def _north_first_violations(geoms, order) -> int:
    """Pairs where a grid entirely north of an earlier-listed one (overlapping it west–east) comes later."""
    b = shapely.bounds(np.asarray(geoms, dtype=object)[order])
    bad = 0
    for i in range(len(order)):
        for j in range(i + 1, len(order)):
            if b[j, 1] >= b[i, 3] and min(b[i, 2], b[j, 2]) - max(b[i, 0], b[j, 0]) > 0:
                bad += 1
    return bad


def test_irregular_real_grids_of_the_sample_plan(sample_plan_path):
    from gridmap.core.storage import open_plan

    plan = open_plan(sample_plan_path)
    for key in plan.level_keys:
        sub = plan.grids[plan.grids["level"] == key]
        for _, grp in sub.groupby(sub["parent"].astype(float).fillna(-1)):
            g = grp.geometry.values
            order = codes.reading_order(g)
            assert sorted(order.tolist()) == list(range(len(g)))
            assert _north_first_violations(g, order) == 0


def test_irregular_real_villages(shared_data):
    """Real village polygons (Taiwan 1982 villages, TopoJSON read by GDAL), town by town."""
    path = shared_data / "taiwan-villages" / "twVillage1982.topo.json"
    gdf = pyogrio.read_dataframe(path)
    gdf = gdf[gdf.geometry.notna() & ~gdf.geometry.is_empty & gdf.geometry.is_valid]
    checked = rotated = pairs = bad = 0
    for _, grp in gdf.groupby(["COUNTYNAME", "TOWNNAME"]):
        g = grp.geometry.values
        if len(g) < 3:
            continue
        order = codes.reading_order(g)
        assert sorted(order.tolist()) == list(range(len(g)))
        ang = codes._grid_angle(g)
        if ang:   # a street-grid town read along its own rows: look at it in that frame
            assert abs(ang) <= np.radians(35)
            c = shapely.centroid(shapely.union_all(shapely.envelope(g)))
            g = np.array([shapely.affinity.rotate(x, -ang, origin=c, use_radians=True) for x in g], dtype=object)
            rotated += 1
        # the grid whose extent is northernmost opens the first row; any grid listed before it shares that row
        b = shapely.bounds(g)
        top = int(np.argmax((b[:, 1] + b[:, 3]) / 2))
        pos = int(np.flatnonzero(order == top)[0])
        assert all(min(b[k, 3], b[top, 3]) - max(b[k, 1], b[top, 1]) > 0 for k in order[:pos])
        pairs += len(g) * (len(g) - 1) // 2
        bad += _north_first_violations(g, order)
        checked += 1
    assert checked >= 300 and 1 <= rotated <= 10
    # rows of irregular villages are sometimes ambiguous; a village listed after one it lies entirely north of is rare
    assert bad / pairs < 0.005, (bad, pairs)


def test_empty_and_missing_geometries_go_last():
    order = codes.reading_order([None, box(0, 0, 1, 1), box(1, 0, 2, 1)])
    assert order.tolist() == [1, 2, 0]
