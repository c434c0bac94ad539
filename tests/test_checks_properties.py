"""Property tests: the coverage checks against a brute-force reference
(all pairwise intersections, union and difference) on random small coverages."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
import shapely
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from shapely import Polygon, box

from gridmap.core.checks import check_grids
from gridmap.core.checks.coverage import WIDTH_RTOL

X0, Y0 = 500_000.0, 2_500_000.0
TOL = 0.01
SLIVER = 0.5
STEPS = np.arange(-4.0, 4.25, 0.25)   # moves on a 0.25 m grid: areas are multiples of 1/32 m², far from 0.01


def lattice(nx: int, ny: int, size: float = 10.0):
    """Cells with corner and edge-midpoint vertices, shared exactly by neighbours."""
    cells = []
    for i in range(nx):
        for j in range(ny):
            x, y, h = X0 + i * size, Y0 + j * size, size / 2
            cells.append([(x, y), (x + h, y), (x + size, y), (x + size, y + h), (x + size, y + size),
                          (x + h, y + size), (x, y + size), (x, y + h)])
    return cells


def polygonal(g):
    if g.is_valid:
        return g
    g = shapely.make_valid(g, method="structure", keep_collapsed=False)
    parts = [p for p in shapely.get_parts(shapely.get_parts(g)) if p.geom_type == "Polygon"]
    return shapely.union_all(parts) if parts else Polygon()


def area_of(g):
    parts = [p for p in shapely.get_parts(shapely.get_parts(g)) if p.geom_type == "Polygon"]
    return float(sum(p.area for p in parts))


def reference(raw, region):
    polys = [polygonal(g) for g in raw]
    invalid = {k for k, g in enumerate(raw) if not g.is_valid}
    overlaps, mismatch = {}, set()
    for i, j in itertools.combinations(range(len(polys)), 2):
        a = area_of(polys[i].intersection(polys[j]))
        if a > TOL:
            overlaps[(i, j)] = a
        elif polys[i].intersects(polys[j]) and not shapely.coverage_is_valid([polys[i], polys[j]]):
            mismatch.add((i, j))
    gaps = region.difference(shapely.union_all(polys))
    gap_areas = sorted(p.area for p in shapely.get_parts(gaps) if p.geom_type == "Polygon" and p.area > TOL)
    outside = {k: area_of(p.difference(region)) for k, p in enumerate(polys)}
    outside = {k: a for k, a in outside.items() if a > TOL}
    return invalid, overlaps, mismatch, gap_areas, outside


def mic_width(g):
    return 2 * shapely.length(shapely.maximum_inscribed_circle(g, 1e-4))


moves = st.lists(st.tuples(st.integers(0, 11), st.integers(0, 7), st.sampled_from(STEPS), st.sampled_from(STEPS),
                           st.booleans()), min_size=0, max_size=4)


@settings(max_examples=max(60, settings.default.max_examples), deadline=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(nx=st.integers(2, 4), ny=st.integers(2, 3), moves=moves)
def test_matches_brute_force(nx, ny, moves):
    rings = lattice(nx, ny)
    n = len(rings)
    for cell, v, dx, dy, shared in moves:
        cell %= n
        old = rings[cell][v]
        new = (old[0] + dx, old[1] + dy)
        targets = [k for k in range(n) if old in rings[k]] if shared else [cell]
        for k in targets:
            rings[k] = [new if p == old else p for p in rings[k]]
    raw = [Polygon(r) for r in rings]
    region = box(X0, Y0, X0 + nx * 10, Y0 + ny * 10)
    r = check_grids(raw, "EPSG:4547", codes=[f"G{k}" for k in range(n)], boundary=region)
    invalid, overlaps, mismatch, gap_areas, outside = reference(raw, region)

    got_invalid = {p.ids[0] - 1 for p in r.problems if p.rule == "invalid"}
    assert got_invalid == invalid

    pair_rules = [p for p in r.problems if p.rule == "overlap" or (p.rule == "sliver" and p.extra["kind"] == "overlap")]
    got_pairs = {tuple(sorted(i - 1 for i in p.ids)): p for p in pair_rules}
    assert set(got_pairs) == set(overlaps)
    for key, p in got_pairs.items():
        assert p.area_m2 == pytest.approx(overlaps[key], rel=1e-6, abs=1e-6)

    got_mismatch = {tuple(sorted(i - 1 for i in p.ids)) for p in r.problems if p.rule == "edge_mismatch"}
    assert got_mismatch == mismatch

    gap_rules = [p for p in r.problems if p.rule == "gap" or (p.rule == "sliver" and p.extra["kind"] == "gap")]
    assert sorted(p.area_m2 for p in gap_rules) == pytest.approx(gap_areas, rel=1e-6, abs=1e-6)

    got_out = {p.ids[0] - 1: p.area_m2 for p in r.problems if p.rule == "outside_jurisdiction"}
    assert set(got_out) == set(outside)
    for k, a in got_out.items():
        assert a == pytest.approx(outside[k], rel=1e-6, abs=1e-6)

    # widths are the maximum inscribed circle's diameter (to the documented WIDTH_RTOL), and decide
    # sliver vs gap/overlap (exactly so outside that tolerance band around the sliver width)
    for p in pair_rules + gap_rules:
        w = mic_width(p.geometry)   # EPSG:4547 is metric: locations are as measured
        assert p.width_m == pytest.approx(w, rel=WIDTH_RTOL, abs=1e-6)
        if abs(w - SLIVER) > WIDTH_RTOL * SLIVER:
            assert (p.rule == "sliver") == (w < SLIVER)


@settings(max_examples=max(25, settings.default.max_examples // 2), deadline=None)
@given(nx=st.integers(2, 4), ny=st.integers(2, 4),
       shifts=st.lists(st.tuples(st.integers(0, 24), st.sampled_from(STEPS), st.sampled_from(STEPS)), max_size=6))
def test_no_false_positives_on_valid_coverages(nx, ny, shifts):
    """Moving shared vertices together keeps a valid coverage: nothing may be reported
    (the region is the coverage's own outline)."""
    rings = lattice(nx, ny)
    verts = sorted({p for r in rings for p in r})
    for k, dx, dy in shifts:
        old = verts[k % len(verts)]
        new = (old[0] + dx / 2, old[1] + dy / 2)
        trial = [[new if p == old else p for p in r] for r in rings]
        if all(Polygon(t).is_valid for t in trial) and shapely.coverage_is_valid([Polygon(t) for t in trial]):
            rings = trial
            verts = [new if p == old else p for p in verts]
    raw = [Polygon(r) for r in rings]
    outline = shapely.coverage_union_all(raw)
    r = check_grids(raw, "EPSG:4547", codes=[f"G{k}" for k in range(len(raw))], boundary=outline)
    assert r.problems == []
