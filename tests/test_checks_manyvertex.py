"""The check on a layer of few polygons with very many vertices and float-noise shared edges
(``benchmarks/manyvertex.py``) agrees with a brute-force pairwise reference."""

from __future__ import annotations

import importlib.util
import itertools
from pathlib import Path

import numpy as np
import pytest
import shapely

from gridmap.core.checks import check_grids

BENCH = Path(__file__).resolve().parent.parent / "benchmarks"


@pytest.fixture(scope="module")
def manyvertex():
    import sys
    sys.path.insert(0, str(BENCH))
    spec = importlib.util.spec_from_file_location("manyvertex", BENCH / "manyvertex.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


@pytest.mark.parametrize("noisy", [False, True])
def test_many_vertex_layer_matches_brute_force(manyvertex, noisy):
    polys, region = manyvertex.generate(4, 3, 2_000, noisy=noisy)
    assert shapely.get_num_coordinates(polys).min() > 2_000
    r = check_grids(polys, "EPSG:4547", codes=[f"G{k}" for k in range(len(polys))], boundary=region)

    overlaps, mismatch = {}, set()
    for i, j in itertools.combinations(range(len(polys)), 2):
        a = shapely.area(shapely.intersection(polys[i], polys[j]))
        if a > 0.01:
            overlaps[(i, j)] = a
        elif polys[i].intersects(polys[j]) and not shapely.coverage_is_valid([polys[i], polys[j]]):
            mismatch.add((i, j))
    gaps = shapely.get_parts(shapely.difference(region, shapely.union_all(polys)))
    gap_areas = sorted(float(a) for a in shapely.area(gaps) if a > 0.01)

    got = {tuple(sorted(i - 1 for i in p.ids)): p.area_m2 for p in r.problems if p.rule == "overlap"}
    assert set(got) == set(overlaps) == {(0, 3)}          # the injected overlap, district 0 into its east neighbour
    for k, a in got.items():
        assert a == pytest.approx(overlaps[k], rel=1e-6)
    assert {tuple(sorted(i - 1 for i in p.ids)) for p in r.problems if p.rule == "edge_mismatch"} == mismatch
    assert bool(mismatch) == noisy
    assert sorted(p.area_m2 for p in r.problems if p.rule == "gap") == pytest.approx(gap_areas, rel=1e-6)
    assert len(gap_areas) == 1                              # the injected gap


def test_manyvertex_docstring(manyvertex):
    import doctest
    assert doctest.testmod(manyvertex).failed == 0
