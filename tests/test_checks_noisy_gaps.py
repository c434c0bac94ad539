"""Gaps next to grids whose shared edges carry float noise (issue 11): the member order of a gap does not
depend on the noise, and the fast gap path (no overlay union of the flagged grids) finds exactly the gaps
of the plain path (region minus the union of all grids)."""

from __future__ import annotations

import numpy as np
import shapely
from hypothesis import given
from hypothesis import strategies as st
from shapely import box

from gridmap.core.checks import check_grids
from gridmap.core.checks import coverage as C

X0, Y0 = 500_000.0, 2_500_000.0


def noisy(g, rng, step: float = 2.5, eps: float = 1e-9):
    """``g`` densified and every vertex moved by up to ``eps`` m: its edges no longer match a neighbour's
    vertex for vertex (as after a round trip through lon/lat)."""
    g = shapely.segmentize(g, step)
    xy = shapely.get_coordinates(g)
    xy = xy + rng.uniform(-eps, eps, xy.shape)
    ring = xy[:-1].tolist()
    return shapely.Polygon(ring + [ring[0]])


def test_gap_member_order_ignores_float_noise():
    # a 10 × 10 m gap between four grids, each sharing 10 m of its border; the west and east grids'
    # edges carry float noise, which must not decide the order — equal borders go by code
    gap = box(X0 + 10, Y0 + 10, X0 + 20, Y0 + 20)
    west, east = box(X0, Y0 + 10, X0 + 10, Y0 + 20), box(X0 + 20, Y0 + 10, X0 + 30, Y0 + 20)
    south, north = box(X0, Y0, X0 + 30, Y0 + 10), box(X0, Y0 + 20, X0 + 30, Y0 + 30)
    region = box(X0, Y0, X0 + 30, Y0 + 30)
    seen = set()
    for seed in range(8):
        rng = np.random.default_rng(seed)
        polys = [noisy(west, rng), noisy(east, rng), south, north]
        r = check_grids(polys, "EPSG:4547", codes=["G4", "G3", "G2", "G1"], boundary=region)
        gaps = [p for p in r.problems if p.rule == "gap"]
        assert len(gaps) == 1 and abs(gaps[0].area_m2 - gap.area) < 1e-6
        seen.add(tuple(gaps[0].grids))
    # south and north span 30 m but share only the gap's 10 m: all four tie at 10 m, so the order is by code
    assert seen == {("G1", "G2", "G3", "G4")}


def test_gap_members_by_longest_border_then_code():
    # the same gap, with the north grid cut back so it shares only 5 m: it comes last whatever its code
    polys = [box(X0, Y0 + 10, X0 + 10, Y0 + 20), box(X0 + 20, Y0 + 10, X0 + 30, Y0 + 20),
             box(X0, Y0, X0 + 30, Y0 + 10), box(X0 + 15, Y0 + 20, X0 + 30, Y0 + 30),
             box(X0, Y0 + 20, X0 + 15, Y0 + 30)]
    rng = np.random.default_rng(1)
    polys[0], polys[1] = noisy(polys[0], rng), noisy(polys[1], rng)
    r = check_grids(polys, "EPSG:4547", codes=["W", "E", "S", "A", "B"], boundary=box(X0, Y0, X0 + 30, Y0 + 30))
    (gap,) = [p for p in r.problems if p.rule == "gap"]
    assert gap.grids == ("E", "S", "W", "A", "B")


def plain_gaps(polys, region, gap_tol=0.01, sliver=0.5):
    """The plain path: the region minus the overlay union of all grids."""
    polys = np.asarray(polys, dtype=object)
    groups = np.zeros(len(polys), dtype=np.int64)
    u = C.group_unions(polys, groups, 1)
    f = C.nesting_findings(polys, groups, np.array([region], dtype=object), u, shapely.STRtree(polys), gap_tol,
                           sliver, "outside_jurisdiction")
    return f


def summary(found):
    out = []
    for f in found:
        if f.rule in ("gap", "sliver", "outside_jurisdiction") and f.extra.get("kind") != "overlap":
            out.append((f.rule, f.members, f.area, f.width))
    return sorted(out, key=lambda t: (t[0], t[1], round(t[2], 6)))


def same(a, b):
    assert [(r, m) for r, m, _, _ in a] == [(r, m) for r, m, _, _ in b]
    for (_, _, a1, w1), (_, _, a2, w2) in zip(a, b):
        assert abs(a1 - a2) <= max(1e-6, 1e-9 * a1)
        assert abs(w1 - w2) <= 1e-6 * max(1.0, w1) or abs(w1 - w2) <= C.WIDTH_RTOL * w1


@given(st.data())
def test_fast_gap_path_finds_the_plain_paths_gaps(data):
    nx, ny, size = 6, 5, 10.0
    seed = data.draw(st.integers(0, 2**31 - 1), label="seed")
    rng = np.random.default_rng(seed)
    cells = {(i, j): box(X0 + i * size, Y0 + j * size, X0 + (i + 1) * size, Y0 + (j + 1) * size)
             for i in range(nx) for j in range(ny)}
    keys = sorted(cells)
    # gaps: cells left out (whole or in part), slivers: cells pulled back a little
    for k in data.draw(st.lists(st.sampled_from(keys), max_size=3, unique=True), label="holes"):
        cells.pop(k, None)
    for k in data.draw(st.lists(st.sampled_from(keys), max_size=4, unique=True), label="shrunk"):
        if k in cells:
            d = data.draw(st.sampled_from([0.05, 0.3, 1.0, 2.5]), label="by")
            x0, y0, x1, y1 = cells[k].bounds
            cells[k] = box(x0, y0, x1 - d, y1)
    for k in data.draw(st.lists(st.sampled_from(keys), max_size=2, unique=True), label="grown"):
        if k in cells:           # an overlap into the east neighbour
            x0, y0, x1, y1 = cells[k].bounds
            cells[k] = box(x0, y0, x1 + data.draw(st.sampled_from([0.2, 1.5]), label="into"), y1)
    noisy_keys = set(data.draw(st.lists(st.sampled_from(keys), min_size=1, max_size=12, unique=True),
                               label="noisy"))
    polys = np.array([noisy(g, rng) if k in noisy_keys else g for k, g in sorted(cells.items())], dtype=object)
    region = box(X0, Y0, X0 + nx * size, Y0 + ny * size)
    fast = C.check_level(polys, region=region)
    same(summary(fast), summary(plain_gaps(polys, region)))


def test_fast_gap_path_tiles_a_large_part(monkeypatch):
    # the same with tiles: every part is cut into tiles, and a gap across tile borders is found whole
    monkeypatch.setattr(C, "TILE_PART", 500)
    monkeypatch.setattr(C, "TILE_VERTICES", 200)
    rng = np.random.default_rng(7)
    size = 10.0
    polys = []
    for i in range(8):
        for j in range(6):
            if (i, j) in ((3, 2), (4, 2), (4, 3)):
                continue
            g = box(X0 + i * size, Y0 + j * size, X0 + (i + 1) * size, Y0 + (j + 1) * size)
            polys.append(noisy(g, rng, step=1.0))
    polys = np.array(polys, dtype=object)
    region = box(X0, Y0, X0 + 80, Y0 + 60)
    fast = summary(C.check_level(polys, region=region))
    assert [(r, round(a, 6)) for r, _, a, _ in fast] == [("gap", 300.0)]
    same(fast, summary(plain_gaps(polys, region)))


def test_grid_touching_a_second_part_at_a_corner():
    # two noisy cells, each flagging its four neighbours: two plus-shaped parts of the region minus the clean
    # cells, meeting only at two corner points (around the clean cell between them).  A grid of one that
    # touches the other part at such a point adds nothing to cover it, so it no longer sends both parts to
    # the exact overlay (issue 11) — the gaps are still the plain path's
    rng = np.random.default_rng(3)
    size = 10.0
    cells = {(i, j): box(X0 + i * size, Y0 + j * size, X0 + (i + 1) * size, Y0 + (j + 1) * size)
             for i in range(5) for j in range(5)}
    x0, y0, x1, y1 = cells[(3, 3)].bounds
    cells[(3, 3)] = box(x0, y0, x1 - 0.3, y1)          # a sliver gap in the second part
    for k in ((1, 1), (3, 3)):
        cells[k] = noisy(cells[k], rng)
    polys = np.array([g for _, g in sorted(cells.items())], dtype=object)
    region = box(X0, Y0, X0 + 50, Y0 + 50)
    fast = C.check_level(polys, region=region)
    same(summary(fast), summary(plain_gaps(polys, region)))
    assert [f.rule for f in fast if f.rule in ("gap", "sliver")] == ["sliver"]
    # the corner contacts are seen as such
    flagged = ~shapely.is_empty(C.invalid_edges(polys))
    groups = np.zeros(len(polys), dtype=np.int64)
    unions = C.group_unions(np.where(flagged, None, polys), groups, 1, ~flagged)
    c = C.gap_clusters(polys, groups, np.array([region], dtype=object), unions, np.array([0]), flagged)
    assert len(c["parts"]) == 2 and (~c["inner"]).sum() >= 2
    _, multi, part_of = C._owners(c, len(polys))
    assert not multi.any() and sorted(np.unique(part_of[flagged]).tolist()) == [0, 1]
