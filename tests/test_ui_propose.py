"""The "propose grids" dialog (issue 17) in the real window on the Bao'an sample: preview on the
map, accept as one undo step, Ctrl+Z takes it back; a screenshot of the tool over the sample."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from ui_edit_support import open_window

SAMPLE = Path(__file__).resolve().parents[1] / "sample_layers"
SHOTS = Path(__file__).resolve().parents[1] / "docs" / "screenshots"


@pytest.fixture
def win(qtbot, settings, tmp_path):
    for name in ("baoan_plan.gpkg", "baoan_district.gpkg", "baoan_roads.gpkg"):
        shutil.copy(SAMPLE / name, tmp_path / name)
    w = open_window(qtbot, tmp_path / "baoan_plan.gpkg", size=(1400, 900), zoom=False, timeout_ms=60000)
    yield w
    w.close()


def test_propose_preview_accept_undo(win, qtbot):
    w = win
    plan = w.document.plan
    old = sorted(plan.grids_of_level("small").index)
    w.actions["propose_grids"].trigger()
    dlg = w.propose_dialog
    assert dlg.road_layer.count() >= 1 and dlg.level.currentData() == "small" and dlg.k.value() == 31
    qtbot.mouseClick(dlg.run_button, Qt.MouseButton.LeftButton)
    assert dlg.proposal is not None, dlg.summary.text()
    assert dlg.table.rowCount() == 31 and "偏差" in dlg.summary.text()
    assert sorted(plan.grids_of_level("small").index) == old         # a preview changes nothing
    for name in ("problems", "people"):       # a bigger map in the screenshot
        if name in w.docks:
            w.docks[name].hide()
    qtbot.wait(300)
    w.canvas.zoom_to(tuple(plan.jurisdiction.bounds), margin=0.02)
    assert w.wait_idle(30000)
    qtbot.wait(200)
    SHOTS.mkdir(parents=True, exist_ok=True)
    w.grab().save(str(SHOTS / "propose_preview_zh.png"))
    dlg.grab().save(str(SHOTS / "propose_dialog_zh.png"))
    n_before = w.document.undo_stack.count() if hasattr(w.document, "undo_stack") else None
    assert dlg.accept_proposal()
    small = plan.grids_of_level("small")
    assert len(small) == 31 and not set(small.index) & set(old)
    if n_before is not None:
        assert w.document.undo_stack.count() == n_before + 1
    w.actions["undo"].trigger()
    assert sorted(plan.grids_of_level("small").index) == old


def test_population_from_a_points_base_layer(win, qtbot, tmp_path):
    """A points layer with a population field, added as a base map, is offered as the population source; with
    the population weight the proposal's grids hold their people (generated test points, not real data)."""
    from test_proposals import _population_points

    w = win
    total = _population_points(w.document.plan, tmp_path / "人口点.gpkg")
    layer = w.add_base_layer("vector", str(tmp_path / "人口点.gpkg"))
    assert w.wait_idle(60000) and layer.ready
    dlg = w.propose_grids_dialog()
    k = dlg.population_layer.findData(layer.id)
    assert k > 0 and dlg.population_layer.itemText(0).startswith("方案")
    dlg.population_layer.setCurrentIndex(k)
    assert dlg.population_field.currentText() == "人口数"
    for key, box in dlg.weights.items():
        box.setValue(1.0 if key == "population" else 0.0)
    assert dlg.run(), dlg.summary.text()
    assert abs(dlg.proposal.grids["population"].sum() - total) <= 0.001 * total
    dlg.close()


def test_fewer_blocks_than_grids_is_said_in_the_dialog(win, qtbot):
    w = win
    dlg = w.propose_grids_dialog()
    dlg.k.setValue(500)
    assert not dlg.run()
    assert "少于" in dlg.summary.text() and not dlg.accept_button.isEnabled()
