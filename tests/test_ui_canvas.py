"""The map canvas machinery: view transform, vectorised drawing, spatial index,
simplification, label placement, background rendering with cancellation."""

from __future__ import annotations

import threading
import time

import numpy as np
import pytest
import shapely
from hypothesis import given, settings as hsettings, strategies as st
from PySide6.QtGui import QColor, QPainter

from gridmap.ui.fastdraw import painter_path, polygonf, ring_offsets
from gridmap.core.view.labels import font_px_for, place
from gridmap.ui.layers.base import MapLayer, RenderContext
from gridmap.ui.layers.vector import FeatureLayer, GeomArrays
from gridmap.ui.render import new_image, render_layers
from gridmap.core.view.viewport import Viewport


def lattice(n: int, size: float = 10.0) -> np.ndarray:
    """n × n square grids with 9-point wiggly-free rings (a coverage)."""
    xs, ys = np.meshgrid(np.arange(n) * size, np.arange(n) * size)
    return shapely.box(xs.ravel(), ys.ravel(), xs.ravel() + size, ys.ravel() + size)


@given(st.floats(-1e6, 1e6), st.floats(-1e6, 1e6), st.floats(0.01, 1000), st.integers(10, 3000),
       st.integers(10, 3000), st.floats(0, 3000), st.floats(0, 3000))
@hsettings(max_examples=60, deadline=None)
def test_viewport_round_trips_and_zoom_keeps_anchor(cx, cy, res, w, h, px, py):
    v = Viewport(cx, cy, res, w, h)
    x, y = v.to_map(px, py)
    bx, by = v.to_pixel(x, y)
    assert float(bx) == pytest.approx(px, abs=1e-6 * max(1, res)) and float(by) == pytest.approx(py, abs=1e-6 * max(1, res))
    z = v.zoomed(1.7, (px, py))
    ax, ay = z.to_map(px, py)
    assert float(ax) == pytest.approx(float(x), abs=1e-6 * max(1.0, abs(float(x)))) and \
        float(ay) == pytest.approx(float(y), abs=1e-6 * max(1.0, abs(float(y))))
    assert np.allclose(v.coords_to_pixel(np.array([[float(x), float(y)]]))[0], [float(bx), float(by)], atol=1e-6)


def test_scale_uses_dpi_and_map_units():
    v = Viewport(0.0, 0.0, 1.0, 100, 100, dpi=96)
    assert v.scale() == pytest.approx(96 / 0.0254)
    assert v.with_scale(2000).scale() == pytest.approx(2000)
    deg = Viewport(114.0, 22.5, 1e-5, 100, 100, metres_per_unit=111320.0)
    assert deg.scale() == pytest.approx(1e-5 * 111320 * 96 / 0.0254)


@given(st.lists(st.tuples(st.floats(0, 500), st.floats(0, 400), st.floats(4, 80), st.floats(4, 30)),
                min_size=1, max_size=120))
@hsettings(max_examples=60, deadline=None)
def test_placed_labels_never_overlap_and_stay_inside(boxes):
    a = np.array(boxes)
    keep = place(a[:, 0], a[:, 1], a[:, 2], a[:, 3], width=500, height=400, pad=0.0)
    r = [(a[i, 0] - a[i, 2] / 2, a[i, 1] - a[i, 3] / 2, a[i, 0] + a[i, 2] / 2, a[i, 1] + a[i, 3] / 2) for i in keep]
    for i in range(len(r)):
        x0, y0, x1, y1 = r[i]
        assert x0 >= 0 and y0 >= 0 and x1 <= 500 and y1 <= 400
        for j in range(i):
            u0, v0, u1, v1 = r[j]
            assert not (x0 < u1 and u0 < x1 and y0 < v1 and v0 < y1)
    # greedy: the first candidate inside the image is always placed
    inside = [i for i in range(len(a)) if a[i, 0] - a[i, 2] / 2 >= 0 and a[i, 1] - a[i, 3] / 2 >= 0
              and a[i, 0] + a[i, 2] / 2 <= 500 and a[i, 1] + a[i, 3] / 2 <= 400]
    assert (len(inside) == 0) == (len(keep) == 0)
    if inside:
        assert keep[0] == inside[0]


def test_font_size_grows_with_the_grid_on_screen():
    sizes = font_px_for(np.array([30.0, 200.0, 500.0, 1500.0]))
    assert list(sizes) == sorted(sizes) and sizes[0] < sizes[-1]


def test_geometry_arrays_gather_rings_of_polygons_with_holes_and_multiparts(qapp):
    donut = shapely.Polygon([(0, 0), (10, 0), (10, 10), (0, 10)], [[(2, 2), (4, 2), (4, 4), (2, 4)]])
    multi = shapely.MultiPolygon([shapely.box(20, 0, 21, 1), shapely.box(22, 0, 23, 1)])
    g = GeomArrays(np.array([donut, multi, shapely.box(30, 0, 31, 1)], dtype=object), "polygon")
    xy, starts, off = g.gather(np.array([0, 1]))
    assert len(starts) == 4 and off.tolist() == [0, 10, 20]
    path = painter_path(xy, starts)
    assert path.elementCount() == 20
    path.setFillRule(path.fillRule().WindingFill)
    assert path.contains(shapely.Point(1, 1).coords[0] and __import__("PySide6.QtCore", fromlist=["QPointF"]).QPointF(1, 1))
    assert not path.contains(__import__("PySide6.QtCore", fromlist=["QPointF"]).QPointF(3, 3))  # the hole
    poly = polygonf(xy[:5])
    assert [(poly.at(i).x(), poly.at(i).y()) for i in range(5)] == [tuple(p) for p in xy[:5]]
    assert ring_offsets(np.array([], dtype=np.int64), 2).tolist() == [0, 0, 0]


def test_only_features_in_view_are_drawn_and_small_scales_are_simplified(qapp):
    n = 150
    rng = np.random.default_rng(3)
    # dense rings (64 vertices each) so that simplification matters at small scales
    pts = shapely.points(*(np.stack(np.meshgrid(np.arange(n) * 10.0 + 5, np.arange(n) * 10.0 + 5)).reshape(2, -1)))
    geoms = shapely.buffer(pts, 4.0 + rng.uniform(0, 0.5, n * n), quad_segs=16)
    layer = FeatureLayer("dense", geoms, style={"stroke": "#000000", "fill": "#3366cc"})
    full = Viewport(width=600, height=600).fitted(layer.extent())

    def draw(vp):
        img = new_image(vp)
        p = QPainter(img)
        ctx = RenderContext(p, vp)
        layer.render(ctx)
        p.end()
        return img, ctx.stats["features"]

    img, count = draw(full)
    assert count == n * n
    tol = layer.tolerance_for(full.res)
    assert tol > 0 and tol in layer._arrays
    assert len(layer._arrays[tol].coords) < len(layer.arrays(0.0).coords) / 3
    street = Viewport(755.0, 755.0, 0.1, 600, 600)
    img, count = draw(street)
    assert count < 100 and layer.tolerance_for(street.res) == 0.0
    # a ring edge at x = 751 (circle centre 755, radius ≥ 4) is drawn where it should be
    col = img.pixelColor(*[int(round(float(v))) for v in street.to_pixel(755.0, 755.0)])
    assert col.alpha() > 0


def test_features_smaller_than_a_pixel_become_points(qapp):
    geoms = lattice(300, size=1.0)  # 90,000 one-metre squares
    layer = FeatureLayer("tiny", geoms, style={"stroke": "#000000"})
    vp = Viewport(width=200, height=200).fitted(layer.extent(), margin=0)
    img = render_layers([layer], vp, labels=False)
    assert vp.res > 1.0
    assert img.pixelColor(100, 100).alpha() > 0
    assert len(layer._arrays) == 0 or all(k >= 0 for k in layer._arrays)  # polygons never gathered


class BlockingLayer(MapLayer):
    """A layer whose drawing waits until released (to hold a render job in flight)."""

    def __init__(self):
        super().__init__("blocking")
        self.release = threading.Event()
        self.started = threading.Event()
        self.renders = 0
        self.ready = True

    def extent(self):
        return (0.0, 0.0, 100.0, 100.0)

    def render(self, ctx):
        self.started.set()
        while not self.release.is_set():
            ctx.check()        # cancellation is checked between batches
            time.sleep(0.002)
        self.renders += 1
        ctx.painter.fillRect(0, 0, 10, 10, QColor("red"))


def test_a_newer_view_cancels_the_older_render_and_input_is_not_blocked(qtbot):
    from gridmap.ui.canvas import MapCanvas

    c = MapCanvas()
    qtbot.addWidget(c)
    c.resize(300, 200)
    c.show()
    layer = BlockingLayer()
    c.set_layers([layer])
    c.zoom_to(layer.extent())
    qtbot.waitUntil(layer.started.is_set, timeout=5000)
    # the GUI thread is free while the layer renders: views change instantly
    v0 = c.viewport
    c.pan_pixels(40, 0)
    c.zoom_in()
    assert c.viewport != v0
    qtbot.waitUntil(lambda: c.stats["cancelled"] >= 1, timeout=5000)
    layer.release.set()
    assert c.wait_idle(5000)
    assert layer.renders == 1                                   # only the newest view was finished
    vp, rev, img = c._cache[layer.id]
    assert vp.key() == c.viewport.key()
    c.shutdown()


def test_features_much_larger_than_the_view_are_clipped_and_still_drawn_right(qapp):
    big = shapely.box(0, 0, 100_000, 100_000)
    layer = FeatureLayer("huge", np.array([big], dtype=object),
                         style={"stroke": "#ff0000", "width": 3.0, "fill": "#0000ff", "fill_opacity": 1.0})
    vp = Viewport(100_000.0, 50_000.0, 0.5, 400, 300)   # the east edge runs through the view centre
    img = render_layers([layer], vp, labels=False)
    edge = img.pixelColor(200, 150)
    inside, outside = img.pixelColor(100, 150), img.pixelColor(300, 150)
    assert edge.red() > 200 and edge.blue() < 80            # the outline, on the real edge
    assert inside.blue() > 200 and inside.red() < 40        # filled inside
    assert outside.alpha() == 0                              # nothing outside
