"""Base maps through the real window as undo steps: add, restyle, reorder, opacity,
visibility, remove — each one step of the edit buffer, the title marked modified
exactly when the plan is not at its saved position, undo and redo redraw the map
and the layer panel, and saving and reopening keeps the state.

Real data: the Bao'an sample plan with its GeoPackage base maps, and the real
district boundary written as an ESRI shapefile beside it."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pyogrio
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage

from gridmap.core.editing.layer_commands import base_layer_order
from gridmap.core.storage import open_plan
from ui_edit_support import open_window, shortcut

MAGENTA, GREEN, CYAN = "#ff00ff", "#00c000", "#00c0c0"
SAMPLE = Path(__file__).resolve().parents[1] / "sample_layers"


@pytest.fixture
def project(tmp_path):
    for name in ("baoan_plan.gpkg", "baoan_district.gpkg", "baoan_roads.gpkg"):
        shutil.copy(SAMPLE / name, tmp_path / name)
    gdf = pyogrio.read_dataframe(SAMPLE / "baoan_district.gpkg", columns=["name"])
    pyogrio.write_dataframe(gdf, tmp_path / "district.shp", driver="ESRI Shapefile", encoding="UTF-8")
    return tmp_path / "baoan_plan.gpkg"


def _window(qtbot, path):
    return open_window(qtbot, path, size=(900, 650), zoom=False, timeout_ms=30000)


@pytest.fixture
def win(qtbot, settings, project):
    w = _window(qtbot, project)
    for layer in w.plan_layers:   # the plan's own layers off (view state, not a plan change)
        w.layer_panel.set_checked(layer.id, False)
    assert w.wait_idle()
    yield w
    w.close()


def share(win, colour: str, tol: int = 40) -> float:
    """Fraction of the canvas showing ``colour``."""
    img = win.canvas.grab().toImage().convertToFormat(QImage.Format.Format_RGB32)
    a = np.frombuffer(img.constBits(), dtype=np.uint8).reshape(img.height(), img.bytesPerLine() // 4, 4)
    a = a[:, :img.width(), :3].astype(int)[..., ::-1]          # BGRA -> RGB
    t = np.array([int(colour[i:i + 2], 16) for i in (1, 3, 5)])
    return float((np.abs(a - t).max(axis=2) <= tol).mean())


def steps(win) -> int:
    return win.document.undo_stack.count()


def modified(win) -> bool:
    return win.windowTitle().startswith("*")


def undo(win):
    shortcut(win, "undo")          # Ctrl+Z as typed in the map
    assert win.wait_idle()


def redo(win):
    win.undo_group.redo()
    assert win.wait_idle()


def panel_ids(win, group="base") -> list[int]:
    g = win.layer_panel.groups[group]
    return [g.child(i).data(0, Qt.ItemDataRole.UserRole + 1) for i in range(g.childCount())]


def add_district_shp(win, project):
    layer = win.add_base_layer("vector", str(project.parent / "district.shp"), name="区界（shapefile）",
                               style={"fill": MAGENTA, "fill_opacity": 1.0, "stroke": MAGENTA})
    assert win.wait_idle() and layer is not None and layer.ready and not layer.error
    return layer


def test_ticking_off_the_plans_own_layers_is_not_a_plan_change(win):
    assert steps(win) == 0 and not modified(win) and not win.document.dirty


def test_add_base_layer_is_one_step_and_undo_takes_it_off_the_map(win, project, tmp_path):
    assert share(win, MAGENTA) < 0.01
    layer = add_district_shp(win, project)
    assert steps(win) == 1 and modified(win)
    assert layer in win.canvas.layers and panel_ids(win)[0] == layer.id        # on top of the base maps
    assert share(win, MAGENTA) > 0.5
    rid = layer.record_id
    assert win.document.plan.base_layers.at[rid, "source"] == "district.shp"
    win.grab().save(str(tmp_path / "added.png"))
    undo(win)
    assert not modified(win) and rid not in win.document.plan.base_layers.index
    assert layer not in win.canvas.layers and layer.id not in panel_ids(win)
    assert share(win, MAGENTA) < 0.01                                           # the map drew again
    win.grab().save(str(tmp_path / "undone.png"))
    n = win.canvas.stats["layers_rendered"]
    redo(win)
    assert modified(win) and layer in win.canvas.layers                        # the same layer: not read again
    assert share(win, MAGENTA) > 0.5 and win.canvas.stats["layers_rendered"] > n


def test_restyle_reorder_opacity_visibility_remove_each_one_step(win, project):
    shp = add_district_shp(win, project)
    win.save()
    assert not modified(win) and steps(win) == 1
    gpkg = win.add_base_layer("vector", str(project.parent / "baoan_district.gpkg"), name="区界（绿）",
                              layer="district", style={"fill": GREEN, "fill_opacity": 1.0, "stroke": GREEN})
    assert win.wait_idle()
    assert steps(win) == 2 and share(win, GREEN) > 0.5 and share(win, MAGENTA) < 0.01

    # reorder: the green layer one down in the list = drawn under the magenta one
    win.layer_panel.move_layer(gpkg.id, +1)
    assert win.wait_idle()
    assert steps(win) == 3 and share(win, MAGENTA) > 0.5
    order = base_layer_order(win.document.plan)
    assert order.index(shp.record_id) > order.index(gpkg.record_id)
    undo(win)
    assert share(win, GREEN) > 0.5 and panel_ids(win)[0] == gpkg.id
    redo(win)
    assert share(win, MAGENTA) > 0.5 and panel_ids(win)[0] == shp.id

    # restyle the top (shapefile) layer
    win.layer_manager.apply_style(shp.id, {"fill": CYAN, "stroke": CYAN})
    assert win.wait_idle()
    assert steps(win) == 4 and share(win, CYAN) > 0.5
    undo(win)
    assert share(win, MAGENTA) > 0.5 and shp.style["fill"] == MAGENTA
    redo(win)
    assert share(win, CYAN) > 0.5

    # opacity from the panel's slider: one step, composited without drawing again
    win.layer_panel.tree.setCurrentItem(win.layer_panel.item_for(shp.id))
    n = win.canvas.stats["layers_rendered"]
    win.layer_panel.opacity.setValue(0)
    assert win.wait_idle()
    assert steps(win) == 5 and shp.opacity == 0.0 and share(win, GREEN) > 0.5
    assert win.canvas.stats["layers_rendered"] == n
    undo(win)
    assert shp.opacity == 1.0 and win.layer_panel.opacity.value() == 100 and share(win, CYAN) > 0.5

    # redo stack dropped by a new step: hide the shapefile layer
    win.layer_panel.set_checked(shp.id, False)
    assert win.wait_idle()
    assert steps(win) == 5 and not shp.visible and share(win, GREEN) > 0.5
    undo(win)
    assert shp.visible and win.layer_panel.item_for(shp.id).checkState(0) == Qt.CheckState.Checked
    assert share(win, CYAN) > 0.5
    redo(win)

    # remove the green layer
    win.layer_manager.remove_base_layer(gpkg.id)
    assert win.wait_idle()
    assert steps(win) == 6 and gpkg not in win.canvas.layers and gpkg.id not in panel_ids(win)
    undo(win)
    assert gpkg in win.canvas.layers and gpkg.id in panel_ids(win)
    redo(win)

    # modified exactly when not at the saved position (saved after step 1)
    assert modified(win)
    for _ in range(5):
        undo(win)
    assert not modified(win) and not win.document.dirty
    undo(win)
    assert modified(win)
    redo(win)
    assert not modified(win)
    for _ in range(5):
        redo(win)
    assert modified(win)


def test_save_and_reopen_keeps_the_base_maps(qtbot, win, project):
    shp = add_district_shp(win, project)
    roads = next(l for l in win.base_layers if l.record_id == 2)
    win.layer_manager.apply_style(shp.id, {"fill": CYAN})
    win.layer_panel.tree.setCurrentItem(win.layer_panel.item_for(roads.id))
    win.layer_panel.opacity.setValue(40)
    win.layer_panel.move_layer(shp.id, +2)                       # to the bottom of the base maps
    win.layer_panel.set_checked(roads.id, False)
    assert win.wait_idle()
    assert steps(win) == 5
    assert win.save() and not modified(win)
    plan = open_plan(project)
    bl = plan.base_layers
    assert base_layer_order(plan)[0] == shp.record_id
    assert float(bl.at[2, "opacity"]) == pytest.approx(0.4) and not bool(bl.at[2, "visible"])
    assert '"fill": "#00c0c0"' in bl.at[shp.record_id, "style"]
    win.close()

    again = _window(qtbot, project)
    try:
        assert not modified(again) and steps(again) == 0
        lay = {l.record_id: l for l in again.base_layers}
        assert [l.record_id for l in again.base_layers] == base_layer_order(plan)
        assert lay[2].opacity == pytest.approx(0.4) and not lay[2].visible
        assert lay[shp.record_id].style["fill"] == CYAN
    finally:
        again.close()


def test_after_save_as_elsewhere_undo_and_redo_bring_base_maps_back_with_the_right_path(win, project):
    shp = add_district_shp(win, project)
    roads = next(l for l in win.base_layers if l.record_id == 2)
    win.layer_manager.remove_base_layer(roads.id)
    assert win.wait_idle()
    sub = project.parent / "sub"
    sub.mkdir()
    assert win._save_to(sub / "plan.gpkg") and not modified(win)
    bl = win.document.plan.base_layers
    assert bl.at[shp.record_id, "source"] == "../district.shp"
    undo(win)                                   # the roads come back: relative to the new folder
    assert win.document.plan.base_layers.at[2, "source"] == "../baoan_roads.gpkg"
    back = next(l for l in win.base_layers if l.record_id == 2)
    assert back.ready and not back.error
    undo(win)                                   # the shapefile goes, and comes back by redo
    redo(win)
    assert win.document.plan.base_layers.at[shp.record_id, "source"] == "../district.shp"
    again = next(l for l in win.base_layers if l.record_id == shp.record_id)
    assert again.ready and not again.error and share(win, MAGENTA) > 0.5
    assert win.save()
    reopened = open_plan(sub / "plan.gpkg")
    assert sorted(reopened.base_layers["source"]) == ["../baoan_district.gpkg", "../baoan_roads.gpkg",
                                                      "../district.shp"]
