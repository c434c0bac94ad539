"""Screen and paper look alike: the desktop canvas and the printed map take their
colours and their label texts from one style set and one label engine
(:mod:`gridmap.core.view`).  The same plan gives, on both, the same fill colour
per grid, the same line colour per level, and the same label texts per grid.
"""

from __future__ import annotations

import numpy as np
import pytest
import shapely
from PySide6.QtGui import QColor

from gridmap.core.outputs.fonts import find_cjk_font
from gridmap.core.outputs.layout import Page, Sheet
from gridmap.core.outputs.mapdata import MapData
from gridmap.core.outputs.mapframe import MapFrame
from gridmap.core.storage import open_plan
from gridmap.core.view.labels import grid_label_variants
from gridmap.core.view.style import level_styles
from gridmap.core.view.viewport import Viewport
from gridmap.ui.layers.plan_layers import plan_layers
from gridmap.ui.layers.vector import GridLayer
from gridmap.ui.render import render_layers


@pytest.fixture(scope="module")
def plan(sample_plan_path):
    return open_plan(sample_plan_path)


@pytest.fixture(scope="module")
def paper(plan):
    data = MapData.from_plan(plan, None, base_layers=False)
    sheet = Sheet(Page("A3", True), find_cjk_font())
    mf = MapFrame(sheet, sheet.page.content, data, data.bounds, pad=0.02)
    mf.draw_grids()
    placed = mf.label_grids()
    return mf, placed


def _grid_layers(plan):
    return {layer.level_key: layer for layer in plan_layers(plan) if isinstance(layer, GridLayer)}


def test_fill_and_line_colours_are_the_same_on_screen_and_on_paper(qapp, plan, paper):
    mf, _ = paper
    layers = _grid_layers(plan)
    lowest = layers[plan.levels[-1].key]
    screen = dict(zip(lowest.ids.tolist(), lowest.feature_fills().tolist()))
    printed = mf.fills()
    assert len(screen) == len(plan.grids_of_level(plan.levels[-1].key)) > 10
    assert screen == {g: printed[g] for g in screen}
    assert len(set(screen.values())) > 1                       # really coloured by area, not one colour
    styles = level_styles(len(plan.levels))
    legend = {e.label: e.color for e in mf.legend}
    for depth, lv in enumerate(plan.levels):
        assert layers[lv.key].style["stroke"] == styles[depth].color == legend[lv.name]

    # and the canvas really paints each grid in its colour: a pixel inside a grid is its fill over white
    gid = lowest.ids[0]
    geom = plan.grids.geometry[gid]
    vp = Viewport(width=400, height=400).fitted(geom.bounds, margin=0.3)
    lowest.style = dict(lowest.style, stroke="#ffffff", width=0.0, label_field="")
    img = render_layers([lowest], vp, labels=False, background=QColor("white"))
    p = shapely.get_coordinates(shapely.point_on_surface(geom))[0]
    px, py = (int(round(float(v))) for v in vp.to_pixel(p[0], p[1]))
    got = img.pixelColor(px, py)
    want = QColor(screen[gid])
    a = lowest.style["fill_opacity"]
    for g, w in ((got.red(), want.red()), (got.green(), want.green()), (got.blue(), want.blue())):
        assert g == pytest.approx(255 * (1 - a) + w * a, abs=4)


def test_label_texts_are_the_same_on_screen_and_on_paper(qapp, plan, paper):
    _, placed = paper
    layers = _grid_layers(plan)
    assert len(placed) > 10
    for p in placed:
        gid = p.key[1]
        row = plan.grids.loc[gid]
        layer = layers[row["level"]]
        rows = np.flatnonzero(layer.ids == gid)
        screen_variants = layer.label_variants(rows)[0]
        assert screen_variants == grid_label_variants(row["code"], row["name"])
        assert p.text in screen_variants                      # paper chose one of the screen's texts
    # a grid with code and name reads "code\nname" where it fits, on both
    assert any("\n" in p.text for p in placed)
