"""The grid layers' drawing arrays of hole-free polygons built from the coordinates in one go
(issue 21, the first frame) are the arrays of the general path, coordinate for coordinate."""

from __future__ import annotations

import numpy as np
import shapely

from gridmap.ui.layers import vector as V


def _general(geoms):
    saved = V._simple_polygons
    V._simple_polygons = lambda g: None
    try:
        return V._decompose(geoms, "polygon")
    finally:
        V._simple_polygons = saved


def test_simple_polygons_give_the_general_arrays():
    rng = np.random.default_rng(7)
    polys = []
    for k in range(300):
        n = int(rng.integers(3, 12))
        ang = np.sort(rng.uniform(0, 2 * np.pi, n))
        r = rng.uniform(5, 10, n)
        xy = np.column_stack([k * 30 + r * np.cos(ang), r * np.sin(ang)])
        if k % 2:
            xy = xy[::-1]                          # clockwise: reversed as orient_polygons does
        polys.append(shapely.Polygon(xy))
    polys.append(shapely.Polygon([(0, 0), (2, 2), (2, 0), (0, 2)]))          # a bow tie (invalid)
    geoms = np.array(polys, dtype=object)
    quick = V._simple_polygons(geoms)
    assert quick is not None
    for a, b in zip(quick, _general(geoms)):
        assert a.dtype == b.dtype and np.array_equal(a, b)
    arr = V.GeomArrays(geoms, "polygon")
    xy, starts, off = arr.gather(np.array([3, 1]))
    assert len(starts) == 2 and np.array_equal(xy[: off[1]], shapely.get_coordinates(shapely.orient_polygons(geoms[3])))


def test_other_shapes_take_the_general_path():
    hole = shapely.Polygon([(0, 0), (10, 0), (10, 10), (0, 10)], [[(2, 2), (2, 4), (4, 4), (4, 2)]])
    multi = shapely.MultiPolygon([shapely.box(0, 0, 1, 1), shapely.box(2, 0, 3, 1)])
    for geoms in ([hole, shapely.box(20, 0, 21, 1)], [multi], [shapely.box(0, 0, 1, 1), None],
                  [shapely.box(0, 0, 1, 1), shapely.Polygon()]):
        geoms = np.array(geoms, dtype=object)
        assert V._simple_polygons(geoms) is None
        V.GeomArrays(geoms, "polygon")             # (still drawn by the general path)


def test_arrays_in_pieces_are_the_arrays_of_one_call(monkeypatch):
    """A layer's arrays and label points are worked out in pieces (each shapely call holds the GIL):
    the same arrays as one call, for polygons with and without holes, lines and points."""
    hole = shapely.Polygon([(0, 0), (10, 0), (10, 10), (0, 10)], [[(2, 2), (2, 4), (4, 4), (4, 2)]])
    polys = [shapely.box(k, 0, k + 0.9, 1) for k in range(40)] + [hole, None, shapely.MultiPolygon(
        [shapely.box(50, 0, 51, 1), shapely.box(52, 0, 53, 1)])]
    lines = [shapely.LineString([(k, 0), (k, 1), (k + 1, 2)]) for k in range(30)] + [None]
    for family, geoms in (("polygon", polys), ("line", lines), ("point", [shapely.Point(k, k) for k in range(25)])):
        geoms = np.array(geoms, dtype=object)
        whole = V._decompose(geoms, family)
        label_whole = V._label_points(geoms, family)
        monkeypatch.setattr(V, "PIECE", 7)
        for a, b in zip(V._decompose(geoms, family), whole):
            assert np.array_equal(a, b), family
        assert np.array_equal(V._label_points(geoms, family), label_whole, equal_nan=True)
        simplified = V._pieces(shapely.simplify, geoms, 0.3)
        assert list(shapely.to_wkb(simplified)) == list(shapely.to_wkb(shapely.simplify(geoms, 0.3)))
        monkeypatch.setattr(V, "PIECE", 16384)


def test_ring_orientation_is_geos_own():
    """The numpy ring orientation gives GEOS's answer (``shapely.is_ccw``) on rings of every
    kind: random rings on a small lattice (flat tops, spikes, repeated and collinear points,
    self-crossing), boxes both ways round, thin slivers."""
    rng = np.random.default_rng(11)
    polys = [shapely.Polygon(rng.integers(0, side, (int(rng.integers(3, 9)), 2)).astype(float))
             for side in (3, 4, 6) for _ in range(3000)]
    polys += [shapely.box(k, 0, k + 1, 1, ccw=bool(k % 2)) for k in range(50)]
    polys += [shapely.Polygon([(0, 0), (1e6, 1e-9), (2e6, 0), (1e6, -1e-9)][::s]) for s in (1, -1)]
    geoms = np.array(polys, dtype=object)
    counts = shapely.get_num_coordinates(geoms)
    off = np.zeros(len(geoms) + 1, dtype=np.int64)
    np.cumsum(counts, out=off[1:])
    ours = V._rings_ccw(shapely.get_coordinates(geoms), off, geoms)
    assert np.array_equal(ours, shapely.is_ccw(shapely.get_exterior_ring(geoms)))


def test_fill_groups_are_the_unique_colours_in_order():
    rng = np.random.default_rng(3)
    colours = np.array(["#e8d5b7", "#b7d5e8", "#c9e8b7", "#e8b7c9", "#d5b7e8"], dtype=object)
    keys = colours[rng.integers(0, len(colours), 5000)]
    rows = rng.permutation(20000)[:5000]
    ours = V._groups(keys, rows)
    theirs = [(c, rows[keys == c]) for c in np.unique(keys)]
    assert [c for c, _ in ours] == [c for c, _ in theirs]
    assert all(np.array_equal(a, b) for (_, a), (_, b) in zip(ours, theirs))


def test_an_overview_drawn_from_its_shapes_alone_is_the_same_image(qapp):
    """The first frame of an overview simplifies only the features drawn as shapes (most are
    points): pixel for pixel the frame drawn from the whole layer's arrays; warming the layer then
    makes those arrays."""
    from PySide6.QtGui import QPainter

    from gridmap.core.view.viewport import Viewport
    from gridmap.ui.layers.base import RenderContext
    from gridmap.ui.render import new_image

    rng = np.random.default_rng(5)
    small = [shapely.Polygon(rng.uniform(0, 1, (6, 2)) + (x, y)).convex_hull for x in range(0, 400, 4)
             for y in range(0, 100, 4)]
    big = [shapely.Polygon(np.column_stack([30 * np.cos(a) + x, 20 * np.sin(a) + 50]))
           for x, a in ((k * 45.0, np.linspace(0, 2 * np.pi, 60)) for k in range(1, 9))]
    geoms = np.array(small + big, dtype=object)
    vp = Viewport(cx=200.0, cy=50.0, res=0.9, width=480, height=160)

    def frame(layer):
        img = new_image(vp)
        p = QPainter(img)
        layer.render(RenderContext(p, vp, lambda: False))
        p.end()
        return img

    style = {"fill": "#88aacc", "stroke": "#224466", "width": 1.0}
    first = V.FeatureLayer("a", geoms, style=dict(style))
    tol = first.tolerance_for(vp.res)
    assert tol > 0
    a = frame(first)
    assert tol not in first._arrays and tol in first._wanted       # (drawn from its shapes alone)
    whole = V.FeatureLayer("b", geoms, style=dict(style))
    whole.arrays(tol)
    b = frame(whole)
    assert a == b
    first.warm()
    assert tol in first._arrays


def test_a_feature_bigger_than_the_view_keeps_its_own_fill_colour(qapp):
    """Zoomed far into a grid (its outline clipped to the view before drawing), the grid is
    filled with its own colour, not with the colour of the layer's first feature."""
    from PySide6.QtGui import QPainter

    from gridmap.core.view.viewport import Viewport
    from gridmap.ui.layers.base import RenderContext
    from gridmap.ui.render import new_image

    class Coloured(V.FeatureLayer):
        def feature_fills(self):
            return np.array(["#0000ff", "#00ff00", "#ff0000"], dtype=object)

    geoms = np.array([shapely.box(-500, -500, -490, -490), shapely.box(500, 500, 510, 510),
                      shapely.box(-100, -100, 100, 100)], dtype=object)
    vp = Viewport(cx=0.0, cy=0.0, res=0.05, width=200, height=100)       # the big box: 4,000 px wide

    def centre(layer):
        img = new_image(vp)
        p = QPainter(img)
        layer.render(RenderContext(p, vp, lambda: False))
        p.end()
        return img.pixelColor(100, 50).name()

    style = {"fill": "#888888", "fill_opacity": 1.0, "stroke": "#000000", "width": 1.0}
    assert centre(Coloured("c", geoms, style=dict(style))) == "#ff0000"
