"""The pair checks' faster paths give the same results as the plain ones (issue 11): the two-halves
split of elementwise GEOS calls, the points of many problems at once, and the pairs' intersections
computed beside the edge validation on a level of few grids with many vertices."""

from __future__ import annotations

import numpy as np
import shapely
from shapely import box

from gridmap.core.checks import coverage as C
from gridmap.core.checks.problems import point_on, points_on

X0, Y0 = 500_000.0, 2_500_000.0


def test_in_two_is_one_call():
    rng = np.random.default_rng(5)
    a = shapely.buffer(shapely.points(rng.uniform(0, 100, (141, 2))), rng.uniform(1, 9, 141), quad_segs=64)
    b = shapely.buffer(shapely.points(rng.uniform(0, 100, (141, 2))), rng.uniform(1, 9, 141))
    one = shapely.intersection(a, b)
    two = C._in_two(shapely.intersection, a, b, cost=shapely.get_num_coordinates(a))
    assert shapely.equals_exact(one, two, tolerance=0).all()
    inter, failed = C._in_two(C._intersections, a, b)
    ref, ref_failed = C._intersections(a, b)
    assert shapely.equals_exact(inter, ref, tolerance=0).all() and (failed == ref_failed).all()
    assert C._in_two(shapely.area, a[:1]).tolist() == shapely.area(a[:1]).tolist()


def test_points_on_many_is_point_on_each():
    lines = shapely.MultiLineString([[(0, 0), (4, 0)], [(5, 5), (9, 5)], [(0, 9), (2, 9)]])   # a tie: the first
    geoms = [box(0, 0, 3, 1), shapely.LineString([(0, 0), (10, 4)]), lines, None, shapely.Polygon(),
             shapely.MultiLineString([[(0, k), (1 + (k % 7), k)] for k in range(80)]),
             shapely.GeometryCollection([shapely.Point(1, 1), shapely.LineString([(0, 0), (3, 3)])]),
             shapely.MultiPoint([(1, 2), (3, 4)]), shapely.MultiPolygon([box(0, 0, 1, 1), box(5, 5, 9, 9)])]
    for p, q in zip(points_on(geoms), [point_on(g) for g in geoms]):
        assert (p is None and q is None) or shapely.equals_exact(p, q, tolerance=0)
    assert points_on([])== []


def districts(noise: bool, n: int = 3, step: float = 0.5):
    """n × n squares of 200 m densified to ``step`` (1,600 vertices each); with ``noise`` every vertex
    moved by up to 1e-9 m, and one square pushed 1 m into its east neighbour."""
    rng = np.random.default_rng(11)
    out = []
    for i in range(n):
        for j in range(n):
            g = box(X0 + 200 * i, Y0 + 200 * j, X0 + 200 * (i + 1) + (1.0 if (i, j) == (0, 0) else 0.0),
                    Y0 + 200 * (j + 1))
            g = shapely.segmentize(g, step)
            if noise:
                xy = shapely.get_coordinates(g)
                xy = xy + rng.uniform(-1e-9, 1e-9, xy.shape)
                g = shapely.Polygon(xy[:-1].tolist() + [xy[0].tolist()])
            out.append(g)
    return np.array(out, dtype=object)


def key(found):
    return sorted((f.rule, f.members, None if f.area is None else round(f.area, 9),
                   shapely.normalize(f.geometry).wkb if f.geometry is not None else None) for f in found)


def test_pairs_beside_the_edge_validation_same_findings(monkeypatch):
    for noise in (False, True):
        polys = districts(noise)
        region = box(X0, Y0, X0 + 600, Y0 + 600)
        assert shapely.get_num_coordinates(polys).mean() >= C.PRE_VERTICES     # the speculative path runs
        fast = C.check_level(polys, region=region)
        with monkeypatch.context() as m:
            m.setattr(C, "PRE_VERTICES", 10**9)                                   # the plain path
            plain = C.check_level(polys, region=region)
        assert key(fast) == key(plain)
        assert "overlap" in {f.rule for f in fast}
        if noise:
            assert "edge_mismatch" in {f.rule for f in fast}
