"""Base layers and plan settings as core commands: apply, undo, redo, exact changes,
changeset round trip (JSON, replayed on a copy), saved with the plan."""

from __future__ import annotations

import json

import pytest

from gridmap.core.editing import changeset as CS
from gridmap.core.editing import layer_commands as L
from gridmap.core.editing.buffer import EditBuffer
from gridmap.core.plan import Plan, PlanError


@pytest.fixture
def plan():
    p = Plan.new("测试方案", "EPSG:4547", "440306", levels="two")
    p.add_base_layer("道路", "roads.gpkg", kind="vector", layer="roads", style='{"stroke": "#00c000"}')
    p.add_base_layer("影像", "image.tif", kind="raster")
    return p


def _round_trip(plan, start, buf):
    """The buffer's journal as JSON, replayed on the starting copy, gives the same plan."""
    copy = start.copy()
    for cs in CS.loads(CS.dumps(buf.changesets())):
        CS.apply_changeset(copy, cs)
    assert CS.plan_differences(plan, copy) == []


def _step(plan, cmd):
    """Push, undo, redo one command; returns the changes of each and the buffer."""
    start = plan.copy()
    buf = EditBuffer(plan, author="测试")
    seen = []
    buf.subscribe(seen.append)
    before = plan.copy()
    buf.push(cmd)
    after = plan.copy()
    assert buf.dirty and len(buf.commands) == 1
    buf.undo()
    assert CS.plan_differences(plan, before) == [] and not buf.dirty
    buf.redo()
    assert CS.plan_differences(plan, after) == [] and buf.dirty
    _round_trip(plan, start, buf)
    return seen, buf


def test_add_base_layer(plan):
    cmd = L.add_base_layer(plan, "地名", "places.shp", style={"label_field": "名称"})
    seen, buf = _step(plan, cmd)
    new = cmd.new_id
    assert new == 3
    assert [(c.how, c.added("base_layers"), c.removed("base_layers")) for c in seen] == [
        ("push", {3}, set()), ("undo", set(), {3}), ("redo", {3}, set())]
    row = plan.base_layers.loc[new]
    assert row["kind"] == "vector" and int(row["order"]) == 2 and bool(row["visible"])
    assert json.loads(row["style"]) == {"label_field": "名称"}
    assert L.base_layer_order(plan) == [1, 2, 3]
    assert buf.history() == ["添加底图 Add base map 地名"]
    cs = buf.changesets()[0]["command"]
    assert cs["kind"] == "AddRow" and cs["table"] == "base_layers" and cs["ids"] == [3]


def test_remove_base_layer_comes_back_with_its_id_and_place(plan):
    seen, _ = _step(plan, L.remove_base_layer(plan, 1))
    assert seen[0].removed("base_layers") == {1} and seen[1].added("base_layers") == {1}
    assert 1 not in plan.base_layers.index


def test_reorder_records_only_the_layers_that_move(plan):
    plan.add_base_layer("地名", "places.shp")
    cmd = L.reorder_base_layers(plan, [2, 1, 3])
    assert [c.row for c in cmd.commands] == [2, 1]            # 3 keeps its place
    seen, _ = _step(plan, cmd)
    assert seen[0].modified("base_layers") == {1, 2} and not seen[0].added("base_layers")
    assert L.base_layer_order(plan) == [2, 1, 3]
    assert L.reorder_base_layers(plan, [2, 1, 3]) is None     # already so: no empty step
    with pytest.raises(PlanError, match="exactly once"):
        L.reorder_base_layers(plan, [1, 2])


def test_style_opacity_visibility_name(plan):
    for cmd, col, value in ((L.set_base_layer_style(plan, 1, {"stroke": "#ff0000", "width": 3}), "style",
                             '{"stroke": "#ff0000", "width": 3}'),
                            (L.set_base_layer_opacity(plan, 2, 0.25), "opacity", 0.25),
                            (L.set_base_layer_visibility(plan, 2, False), "visible", False),
                            (L.set_base_layer_name(plan, 1, "主干道"), "name", "主干道")):
        rid = cmd.row
        old = plan.base_layers.at[rid, col]
        seen, buf = _step(plan, cmd)
        assert plan.base_layers.at[rid, col] == value
        assert [c.modified("base_layers") for c in seen] == [{rid}] * 3
        rec = buf.changesets()[0]["command"]
        assert rec["kind"] == "SetCells" and rec["ids"] == [rid]
        assert rec["before"] == {col: CS.encode(old)} and rec["after"] == {col: value}
    # nothing changes: no command
    assert L.set_base_layer_style(plan, 1, '{"width": 3, "stroke": "#ff0000"}') is None
    assert L.set_base_layer_visibility(plan, 2, False) is None


def test_opacity_steps_of_one_layer_merge_into_one_undo_step(plan):
    start = plan.copy()
    buf = EditBuffer(plan)
    for v in (0.9, 0.8, 0.7):
        buf.push(L.set_base_layer_opacity(plan, 1, v))
    buf.push(L.set_base_layer_opacity(plan, 2, 0.5))          # another layer: a new step
    assert len(buf.commands) == 2 and float(plan.base_layers.at[1, "opacity"]) == 0.7
    buf.undo()
    buf.undo()
    assert float(plan.base_layers.at[1, "opacity"]) == 1.0
    buf.redo()
    _round_trip(plan, start, buf)


def test_bad_input_is_refused_with_a_clear_message(plan):
    with pytest.raises(PlanError, match="unknown base layer kind"):
        L.add_base_layer(plan, "x", "a.xyz", kind="wms")
    with pytest.raises(PlanError, match="no source"):
        L.add_base_layer(plan, "x", "")
    with pytest.raises(PlanError, match="between 0 and 1"):
        L.set_base_layer_opacity(plan, 1, 1.5)
    with pytest.raises(PlanError, match="no base layer with id 9"):
        L.remove_base_layer(plan, 9)
    with pytest.raises(PlanError, match="JSON"):
        L.set_base_layer_style(plan, 1, "{not json")


def test_plan_settings_one_step_and_round_trip(plan):
    plan.settings["disclaimer"] = "旧"
    cmd = L.set_plan_settings(plan, {"disclaimer": "仅供内部使用", "check.sliver_width_m": 2, "nothing": None})
    seen, buf = _step(plan, cmd)
    assert seen[0].modified("settings") == {"disclaimer", "check.sliver_width_m"}
    assert plan.settings["check.sliver_width_m"] == "2"
    buf.push(L.set_plan_settings(plan, {"disclaimer": None}))
    assert "disclaimer" not in plan.settings
    buf.undo()
    assert plan.settings["disclaimer"] == "仅供内部使用"


def test_every_kind_saved_and_reopened(plan, tmp_path):
    from gridmap.core.storage import open_plan, save_plan

    buf = EditBuffer(plan)
    new = buf.push(L.add_base_layer(plan, "地名", "places.shp")).new_id
    buf.push(L.reorder_base_layers(plan, [new, 2, 1]))
    buf.push(L.set_base_layer_style(plan, 2, {"opacity_hint": "半透明"}))
    buf.push(L.set_base_layer_opacity(plan, 2, 0.4))
    buf.push(L.set_base_layer_visibility(plan, 1, False))
    buf.push(L.remove_base_layer(plan, new))
    buf.push(L.set_plan_settings(plan, {"disclaimer": "内部"}))
    save_plan(plan, tmp_path / "p.gpkg")
    again = open_plan(tmp_path / "p.gpkg")
    assert L.base_layer_order(again) == [2, 1]
    assert float(again.base_layers.at[2, "opacity"]) == pytest.approx(0.4)
    assert not bool(again.base_layers.at[1, "visible"])
    assert json.loads(again.base_layers.at[2, "style"]) == {"opacity_hint": "半透明"}
    assert again.settings["disclaimer"] == "内部"
