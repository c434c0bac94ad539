"""One label engine and one style set on screen and on paper (issue 10).

For the same view extent and page size — a canvas of W × H pixels at D dpi
against a printed map frame of W/D × H/D inches — the canvas (the real
widget, its background render job) and the printed map pick the same grid
labels: the same grids labelled inside with the same text and size, the
same ones moved beside their grid with a leader line, the same ones
numbered for the key.  And the colours of every drawn layer (fills by large
grid, levels, road classes, places, segments, jurisdiction) are the style
set's on both.
"""

from __future__ import annotations

import pytest
import shapely

from gridmap.core.outputs.fonts import find_cjk_font
from gridmap.core.outputs.layout import Page, Rect, Sheet
from gridmap.core.outputs.mapdata import MapData
from gridmap.core.outputs.mapframe import MapFrame
from gridmap.core.storage import open_plan
from gridmap.core.view.labels import LabelPlacer, grid_label_items, place_grid_labels
from gridmap.core.view.style import JURISDICTION, LABEL, PLACE, ROAD_RULE, SEGMENT
from gridmap.core.view.viewport import Viewport
from gridmap.ui.layers.plan_layers import plan_layers

DPI = 100.0


@pytest.fixture(scope="module")
def plan(sample_plan_path):
    return open_plan(sample_plan_path)


def _paper(plan, w_in: float, h_in: float, centre_zoom: float = 1.0):
    """A printed map frame of w × h inches on the sample, labelled as the annex map labels it."""
    data = MapData.from_plan(plan, None, base_layers=False)
    sheet = Sheet(Page(custom_mm=(w_in * 25.4 + 20, h_in * 25.4 + 20)), find_cjk_font())
    x0, y0, x1, y1 = data.bounds
    cx, cy, hw, hh = (x0 + x1) / 2, (y0 + y1) / 2, (x1 - x0) / 2 / centre_zoom, (y1 - y0) / 2 / centre_zoom
    mf = MapFrame(sheet, Rect(10, 10, w_in * 25.4, h_in * 25.4), data, (cx - hw, cy - hh, cx + hw, cy + hh),
                  pad=0.02)
    mf.draw_grids()
    placed = mf.label_grids()
    return mf, placed


def _choices(placed, numbered_keys=()):
    """What a map chose per grid: (grid id, how, text, size)."""
    out = set()
    for p in placed:
        kind, gid = p.key
        how = "number" if kind == "key" else ("leader" if p.leader is not None else "inside")
        out.add((int(gid), how, p.text, round(float(p.size), 6)))
    return out


def _canvas_choices(qtbot, plan, mf):
    from gridmap.ui.canvas import MapCanvas

    x0, y0, x1, y1 = mf.extent
    w_px = int(round(mf.rect.w / 25.4 * DPI))
    h_px = int(round(mf.rect.h / 25.4 * DPI))
    c = MapCanvas()
    qtbot.addWidget(c)
    c.resize(w_px, h_px)
    c.show()
    layers = [l for l in plan_layers(plan) if l.kind == "grids"]
    c.set_layers(layers)
    vp = Viewport(cx=(x0 + x1) / 2, cy=(y0 + y1) / 2, res=(x1 - x0) / w_px, width=w_px, height=h_px, dpi=DPI)
    c.set_viewport(vp)
    assert c.wait_idle(30000)
    assert c.viewport.width == w_px and c.viewport.height == h_px
    res = c.grid_labels
    c.shutdown()
    return res


@pytest.mark.parametrize("size_in,zoom", [((10.0, 7.0), 1.0), ((4.0, 3.0), 1.0), ((6.0, 4.0), 1.6)])
def test_canvas_and_print_pick_the_same_grid_labels(qtbot, plan, size_in, zoom):
    mf, placed = _paper(plan, *size_in, centre_zoom=zoom)
    res = _canvas_choices(qtbot, plan, mf)
    screen = _choices(list(res.placed) + [p for _, _, p in res.numbered if p is not None])
    paper = _choices(placed)
    assert screen == paper
    assert [(n, g.code) for n, g, _ in res.numbered] == [(n, code) for n, code, _ in mf.numbered]
    assert len(paper) >= 10
    # every grid the print shows is on the canvas too, and each reads code + name where it fits
    assert {g for g, *_ in paper} == {int(p.key[1]) for p in res.placed} | {int(g.key) for _, g, _ in res.numbered}
    assert min(p.size for p in res.placed) >= 6.0
    if size_in == (4.0, 3.0):       # a small page: some grids beside their grid or numbered, on both
        assert any(how != "inside" for _, how, _, _ in paper)


def test_the_engine_is_the_same_function_on_both(plan):
    """The canvas's grid list (order, sizes, clipping) is the print's: grid_label_items."""
    mf, _ = _paper(plan, 6.0, 4.0)
    g = mf.data.grids
    items = grid_label_items(g.index.to_numpy(), g.geometry.values, g["code"].to_numpy(), g["name"].to_numpy(),
                             g["level_index"].to_numpy(), len(plan.levels), mf.extent)
    small = plan.levels[-1].key
    assert [it.level for it in items][:3] == [1, 1, 1] and items[-1].level == 0     # lowest level first
    areas = [shapely.area(it.geom) for it in items if it.level == 1]
    assert len(areas) == len(plan.grids_of_level(small))
    placer = LabelPlacer(mf.extent, mf.m_per_pt, mf._measure)
    res = place_grid_labels(placer, items)
    assert not placer.overlaps() and len(res.placed) + len(res.numbered) + len(res.missing) == len(items)


def test_one_style_set_for_every_drawn_layer(qapp, plan, sample_plan_path):
    """Fill colours are tested in test_view_shared_style; here the other layers:
    levels, road classes, places, segments, jurisdiction, label colours."""
    from gridmap.ui.layers.vector import VectorFileLayer, layer_from_record

    data = MapData.from_plan(plan, sample_plan_path)
    sheet = Sheet(Page("A4", True), find_cjk_font())
    mf = MapFrame(sheet, sheet.page.content, data, data.bounds, pad=0.02)
    mf.draw_base_layers(labels=False)
    mf.draw_grids()
    mf.draw_jurisdiction()
    mf.draw_segments()
    mf.draw_places(labels=False)
    legend = {e.label: e for e in mf.legend}
    layers = {l.kind: l for l in plan_layers(plan) if l.kind != "grids"}
    assert layers["segments"].style["stroke"] == SEGMENT["color"] == legend["责任路段"].color
    assert layers["places"].style["stroke"] == PLACE["color"] == legend["小区/场所"].color
    assert layers["jurisdiction"].style["stroke"] == JURISDICTION["color"] == legend["辖区界线"].color
    # the boundary is dash-dot on the canvas too (the print's dashes, in line widths on both)
    assert tuple(layers["jurisdiction"].style["dashes"]) == tuple(JURISDICTION["dashes"])
    # road classes: the canvas's colour per class is the print's, widths half as many points as pixels
    roads_row = plan.base_layers[plan.base_layers["source"].str.contains("roads")].iloc[0].to_dict()
    screen = layer_from_record(roads_row, sample_plan_path.parent)
    screen.load(plan.crs)
    cls, table = screen.classes()
    screen_colour = {str(k): c for k, _, c in table}
    screen_width = {str(k): w for k, w, _ in table}
    bl = next(b for b in data.base_layers if "道路" in b.name or "OSM" in b.name)
    vals = bl.gdf["highway"].astype(str).to_numpy()
    for mask, width, colour in bl.line_classes():
        k = str(vals[mask][0])
        assert screen_colour[k] == colour, k
        assert width == pytest.approx(screen_width[k] * 0.5), k
    # a road file without a rule of its own: both draw it by the style set's road rule
    gdf = bl.gdf[["highway", "geometry"]].copy()
    plain = type(bl)("道路", gdf, style={})
    pk = {str(gdf["highway"].to_numpy()[m][0]): c for m, _, c in plain.line_classes()}
    for k, c in pk.items():
        assert c == ROAD_RULE["stroke"].get(k, "#c8c8c8"), k
    assert isinstance(screen, VectorFileLayer)
    # grid label colours: the style set's (the canvas draws with LABEL too)
    mf.label_grids()
    colours = {t.get_color() for t in mf.ax.texts}
    assert colours and colours <= {LABEL["color"], LABEL["top"], LABEL["number"]}


def test_numbers_and_their_key_on_the_canvas(qapp, plan):
    """A view too small for most names: numbers on the map, and the key (the printed
    map's side list) drawn in the bottom-left corner, in Chinese."""
    from PySide6.QtGui import QColor

    from gridmap.ui.grid_labels import KEY_ROWS, place_view_labels
    from gridmap.ui.render import render_layers

    layers = [l for l in plan_layers(plan) if l.kind == "grids"]
    b = shapely.total_bounds(plan.grids.geometry.values)
    vp = Viewport(width=300, height=220, dpi=96).fitted(b, margin=0.0)
    res, _, _ = place_view_labels(layers, vp)
    assert res.numbered and not res.dense
    img = render_layers(layers, vp, labels=True, background=QColor("#f5f4f0"))
    # the key's white box in the corner (the background is not white)
    c = img.pixelColor(9, vp.height - 9)
    assert min(c.red(), c.green(), c.blue()) >= 250, c.name()
    assert len(res.numbered) > KEY_ROWS        # more than fit: the last line says how many more (zoom in)


def test_a_city_at_full_extent_is_labelled_without_its_small_grids(qapp):
    """At full extent a city's small grids are all too low for a label and would cover the map
    as numbers: they are left out before 3,000 label items are made (issue 21: the first
    labels of a 100k city took 2 s) — and the labels are the same as with every grid placed."""
    import sys
    from pathlib import Path

    import gridmap.ui.grid_labels as GL

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
    import citygen

    city = citygen.generate(3000, seed=5, inject=False).plan
    layers = [l for l in plan_layers(city, "zh_CN") if l.kind == "grids"]
    x0, y0, x1, y1 = shapely.total_bounds(city.grids.geometry.values)
    seen = []
    for zoom in (1.0, 0.3, 0.08):
        vp = Viewport(cx=(x0 + x1) / 2, cy=(y0 + y1) / 2, res=max(x1 - x0, y1 - y0) / 250 * zoom, width=300,
                      height=250)
        placer = LabelPlacer(vp.extent, vp.res * vp.dpi / 72.0, GL._measure())
        picked = [(l, l.query_box(vp.extent)) for l in layers]
        dense = GL._surely_dense(picked, placer, vp.extent, max(int(l.n_levels) for l in layers))
        quick = GL.place_view_labels(layers, vp)[0]
        real = GL._surely_dense
        try:
            GL._surely_dense = lambda *a: False         # every grid through the whole engine
            whole = GL.place_view_labels(layers, vp)[0]
        finally:
            GL._surely_dense = real
        assert [repr(p) for p in quick.placed] == [repr(p) for p in whole.placed]
        assert [(n, g.key) for n, g, _ in quick.numbered] == [(n, g.key) for n, g, _ in whole.numbered]
        assert quick.dense == whole.dense
        seen.append(dense)
    assert seen[0] and not seen[-1]         # the full extent takes the short way, the zoomed view not
