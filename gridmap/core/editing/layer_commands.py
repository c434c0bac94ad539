"""Base layers and plan settings as undoable commands (no Qt).

A plan records the base maps drawn under its grids (``plan.base_layers``: name,
kind, source, sub-layer, style JSON, visibility, opacity, order) and a few
settings (``plan.settings``).  Every change to them is a command applied by the
:class:`~gridmap.core.editing.buffer.EditBuffer`, like a grid edit: one undo
step, exact changes for the views (which ``base_layers`` ids were added,
removed or modified) and a changeset record.  The commands are the buffer's
own row commands (``AddRow``/``DeleteRow``/``SetCells`` on ``base_layers``,
``SetSetting``), so a changeset names the table, the ids and the columns
before and after, e.g. ``{"kind": "SetCells", "table": "base_layers",
"ids": [2], "before": {"opacity": 1.0}, "after": {"opacity": 0.5}}``.

Each function checks its input and returns the command without applying it,
or ``None`` when nothing would change (no empty undo steps).

**Visibility is a plan change (an undo step), not view state.**  QGIS marks a
project modified when a layer is ticked off but does not make it an undo step,
so "modified" and the undo stack disagree (undo everything and the project is
still "modified").  In a grid plan a base map's visibility is part of the
plan: it decides which base maps the annex maps, the map book and the web map
print (:mod:`gridmap.core.outputs.mapdata` skips hidden ones) and what a
colleague sees when opening the plan.  So hiding a base map is one undo step,
recorded like any other change, and "modified" is exactly "not at the saved
position".  The plan's own layers (grids, segments, places) are not recorded
in the plan: ticking them off, their order, opacity and style on screen stay
view state and never mark the plan modified.

Opacity commands carry a ``merge_key`` per layer: consecutive opacity steps of
one layer (arrow keys on the slider) are one undo step.

>>> from gridmap.core.plan import Plan
>>> from gridmap.core.editing.buffer import EditBuffer
>>> plan = Plan.new("例", "EPSG:4547", levels="two")
>>> buf = EditBuffer(plan)
>>> seen = []
>>> _ = buf.subscribe(lambda ch: seen.append((ch.how, ch.added("base_layers"), ch.modified("base_layers"))))
>>> roads = buf.push(add_base_layer(plan, "道路", "roads.gpkg")).new_id
>>> _ = buf.push(set_base_layer_opacity(plan, roads, 0.5))
>>> _ = buf.push(set_base_layer_opacity(plan, roads, 0.4))      # merged into the step before
>>> buf.history(), seen[-1]
(['添加底图 Add base map 道路', '底图不透明度 Opacity of 道路'], ('push', set(), {1}))
>>> buf.undo(); float(plan.base_layers.at[roads, "opacity"]), buf.dirty
(1.0, True)
>>> set_base_layer_opacity(plan, roads, 1.0) is None              # nothing would change
True
"""

from __future__ import annotations

import json
import math

import pandas as pd

from ..plan import Plan, PlanError
from .commands import AddRow, DeleteRow, Macro, SetCells, SetSetting

__all__ = ["BASE_LAYER_KINDS", "add_base_layer", "remove_base_layer", "reorder_base_layers",
           "set_base_layer_style", "set_base_layer_opacity", "set_base_layer_visibility",
           "set_base_layer_name", "set_plan_settings", "base_layer_order", "rebase_sources",
           "add_base_layer_under_vectors"]

#: what a base layer can be: a vector or raster file, an XYZ/WMTS URL template, an MBTiles file
BASE_LAYER_KINDS = ("vector", "raster", "tiles", "mbtiles")


class _MergingCells(SetCells):
    """SetCells whose consecutive steps (same ``merge_key``) merge into one SetCells:
    the first step's "before", the last step's "after" (a changeset stays one row edit)."""

    def merge_with(self, other):
        if isinstance(other, SetCells) and (other.table, other.row) == (self.table, self.row):
            out = _MergingCells(self.text, self.table, self.row, {**self.values, **other.values},
                                old={**other.old, **self.old})
            out.merge_key = self.merge_key
            return out
        return super().merge_with(other)


def _row(plan: Plan, layer_id) -> pd.Series:
    try:
        lid = int(layer_id)
    except (TypeError, ValueError):
        lid = None
    if lid is None or lid not in plan.base_layers.index:
        raise PlanError(f"没有编号为 {layer_id} 的底图 / no base layer with id {layer_id}")
    return plan.base_layers.loc[lid]


def _label(plan: Plan, layer_id: int) -> str:
    return str(plan.base_layers.at[int(layer_id), "name"] or layer_id)


def _style_text(style) -> str:
    """A style as the JSON text the plan stores (keys sorted, Chinese kept readable)."""
    if style is None or style == "":
        return ""
    if isinstance(style, str):
        try:
            value = json.loads(style)
        except ValueError:
            raise PlanError(f"底图样式不是有效的 JSON：{style[:60]!r} / the base layer style is not valid JSON") from None
    else:
        value = style
    if not isinstance(value, dict):
        raise PlanError("底图样式必须是键值对 / a base layer style must be a JSON object")
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def _same_style(a, b) -> bool:
    def parse(t):
        if not t or (not isinstance(t, str) and pd.isna(t)):
            return {}
        try:
            v = json.loads(t)
        except ValueError:
            return t
        return v if isinstance(v, dict) else t
    return parse(a) == parse(b)


def base_layer_order(plan: Plan) -> list[int]:
    """Base layer ids bottom first (the drawing order; ties by id)."""
    bl = plan.base_layers
    if not len(bl):
        return []
    order = pd.array(bl["order"], dtype="Int64").fillna(10**9)
    return [int(i) for _, i in sorted(zip(order.tolist(), bl.index.tolist()))]


# ---------------------------------------------------------------------- base layers
def add_base_layer(plan: Plan, name: str, source: str, kind: str = "vector", layer: str = "",
                   style=None, visible: bool = True, opacity: float = 1.0) -> AddRow:
    """Add a base map on top of the others.  ``source``: a file path (relative to the
    project folder where possible) or, for ``kind="tiles"``, a URL template;
    ``style``: a dict or JSON text.  The new id is the command's ``new_id`` once applied."""
    kind = str(kind or "").lower()
    if kind not in BASE_LAYER_KINDS:
        raise PlanError(f"未知的底图类型 {kind!r}（可用：{'、'.join(BASE_LAYER_KINDS)}）/ unknown base layer kind "
                        f"{kind!r} (use {', '.join(BASE_LAYER_KINDS)})")
    if not str(source or "").strip():
        raise PlanError("底图没有来源（文件或网址）/ the base layer has no source (file or URL)")
    opacity = _opacity(opacity)
    name = str(name or "").strip() or kind
    order = base_layer_order(plan)
    top = int(plan.base_layers.at[order[-1], "order"]) + 1 if order and not pd.isna(
        plan.base_layers.at[order[-1], "order"]) else len(order)
    return AddRow(f"添加底图 Add base map {name}", "base_layers", dict(
        name=name, kind=kind, source=str(source), layer=str(layer or ""), style=_style_text(style),
        visible=bool(visible), opacity=opacity, order=top))


class _AddUnder(Macro):
    """Add a base map and move the layers above it up one place (one undo step)."""

    def redo(self, plan):
        super().redo(plan)
        self.new_id = self.commands[0].new_id


def add_base_layer_under_vectors(plan: Plan, name: str, source: str, kind: str = "tiles", layer: str = "",
                                 style=None, visible: bool = True, opacity: float = 1.0):
    """Add a tile, MBTiles or raster base map just under the lowest vector base map (an
    image over the roads would hide them); on top when there is no vector base map.

    >>> from gridmap.core.plan import Plan
    >>> from gridmap.core.editing.buffer import EditBuffer
    >>> plan = Plan.new("例", "EPSG:4547", levels="two")
    >>> buf = EditBuffer(plan)
    >>> roads = buf.push(add_base_layer(plan, "道路", "roads.gpkg")).new_id
    >>> tiles = buf.push(add_base_layer_under_vectors(plan, "瓦片", "http://h/{z}/{x}/{y}.png")).new_id
    >>> base_layer_order(plan) == [tiles, roads], len(buf.history())
    (True, 2)
    """
    add = add_base_layer(plan, name, source, kind=kind, layer=layer, style=style, visible=visible, opacity=opacity)
    order = base_layer_order(plan)
    bl = plan.base_layers
    vectors = [i for i in order if str(bl.at[i, "kind"]).lower() == "vector"]
    if not vectors:
        return add
    k = order.index(vectors[0])
    add.values["order"] = k
    shifts = [SetCells("底图顺序", "base_layers", i, {"order": j + 1}) for j, i in enumerate(order) if j >= k]
    for j, i in enumerate(order[:k]):
        if pd.isna(bl.at[i, "order"]) or int(bl.at[i, "order"]) != j:
            shifts.append(SetCells("底图顺序", "base_layers", i, {"order": j}))
    return _AddUnder(add.text, [add] + shifts)


def remove_base_layer(plan: Plan, layer_id: int) -> DeleteRow:
    """Remove a base map from the plan (undo puts it back with the same id, style and place)."""
    _row(plan, layer_id)
    return DeleteRow(f"移除底图 Remove base map {_label(plan, layer_id)}", "base_layers", int(layer_id))


def reorder_base_layers(plan: Plan, ids_bottom_first) -> Macro | None:
    """Put the base maps in this drawing order (bottom first; every base layer id once).
    Only the layers whose place changes are recorded."""
    ids = [int(i) for i in ids_bottom_first]
    have = base_layer_order(plan)
    if sorted(ids) != sorted(have) or len(set(ids)) != len(ids):
        raise PlanError(f"底图顺序须包含每个底图恰好一次（现有 {have}，给出 {ids}）/ the order must name every "
                        f"base layer exactly once (have {have}, got {ids})")
    bl = plan.base_layers
    cmds = [SetCells("底图顺序", "base_layers", i, {"order": k}) for k, i in enumerate(ids)
            if pd.isna(bl.at[i, "order"]) or int(bl.at[i, "order"]) != k]
    if not cmds:
        return None
    moved = [_label(plan, c.row) for c in cmds]
    return Macro(f"调整底图顺序 Reorder base maps ({'、'.join(moved[:3])}{'…' if len(moved) > 3 else ''})", cmds)


def set_base_layer_style(plan: Plan, layer_id: int, style) -> SetCells | None:
    """Replace a base map's style (a dict or JSON text: colours, widths, labels, tile options)."""
    row = _row(plan, layer_id)
    text = _style_text(style)
    if _same_style(row["style"], text):
        return None
    return SetCells(f"底图样式 Style of {_label(plan, layer_id)}", "base_layers", int(layer_id), {"style": text})


def _opacity(value) -> float:
    try:
        v = float(value)
    except (TypeError, ValueError):
        v = math.nan
    if not (0.0 <= v <= 1.0):
        raise PlanError(f"不透明度须在 0 到 1 之间（给出 {value!r}）/ opacity must be between 0 and 1 (got {value!r})")
    return v


def set_base_layer_opacity(plan: Plan, layer_id: int, opacity: float) -> SetCells | None:
    """Set a base map's opacity (0 transparent … 1 opaque); consecutive changes of one
    layer are one undo step."""
    row = _row(plan, layer_id)
    v = _opacity(opacity)
    if not pd.isna(row["opacity"]) and abs(float(row["opacity"]) - v) < 1e-9:
        return None
    cmd = _MergingCells(f"底图不透明度 Opacity of {_label(plan, layer_id)}", "base_layers", int(layer_id),
                   {"opacity": v})
    cmd.merge_key = ("base_layer_opacity", int(layer_id))
    return cmd


def set_base_layer_visibility(plan: Plan, layer_id: int, visible: bool) -> SetCells | None:
    """Show or hide a base map (a plan change: it decides what the printed maps show)."""
    row = _row(plan, layer_id)
    if bool(row["visible"]) == bool(visible):
        return None
    verb = "显示底图 Show" if visible else "隐藏底图 Hide"
    return SetCells(f"{verb} {_label(plan, layer_id)}", "base_layers", int(layer_id), {"visible": bool(visible)})


def set_base_layer_name(plan: Plan, layer_id: int, name: str) -> SetCells | None:
    """Rename a base map (the name shown in the layer list and the legends)."""
    row = _row(plan, layer_id)
    name = str(name or "").strip()
    if not name:
        raise PlanError("底图名称不能为空 / a base layer needs a name")
    if str(row["name"]) == name:
        return None
    return SetCells(f"重命名底图 Rename {_label(plan, layer_id)}", "base_layers", int(layer_id), {"name": name})


def rebase_sources(plan: Plan, commands, rebase) -> None:
    """Rewrite the file sources of base layers — in the plan and in the recorded
    commands (``rebase(source) -> source``; URL templates of tile layers are kept).

    File sources are relative to the project file; when it is saved into another
    folder they change, and a base layer added or removed earlier must come back
    by undo/redo with the path that is right for the new folder.

    >>> plan = Plan.new("例", "EPSG:4547", levels="two")
    >>> add = add_base_layer(plan, "道路", "roads.gpkg"); add.redo(plan)
    >>> rebase_sources(plan, [add], lambda s: "../" + s)
    >>> plan.base_layers.at[1, "source"], add.values["source"]
    ('../roads.gpkg', '../roads.gpkg')
    """
    from .changes import leaf_commands

    bl = plan.base_layers
    for rid in bl.index:
        if str(bl.at[rid, "kind"]) != "tiles":
            bl.at[rid, "source"] = rebase(str(bl.at[rid, "source"]))
    for command in commands:
        for c in leaf_commands(command):
            if getattr(c, "table", None) != "base_layers":
                continue
            for values in (getattr(c, "values", None), getattr(c, "saved", None)):
                if isinstance(values, dict) and "source" in values and str(values.get("kind")) != "tiles":
                    values["source"] = rebase(str(values["source"]))


# ---------------------------------------------------------------------- plan settings
def set_plan_settings(plan: Plan, values: dict, text: str = "") -> SetSetting | Macro | None:
    """Set (a value) or remove (None) plan settings as one undo step; only the keys
    whose value changes are recorded.  Values are stored as text.

    >>> plan = Plan.new("例", "EPSG:4547", levels="two")
    >>> cmd = set_plan_settings(plan, {"disclaimer": "仅供内部使用", "check.sliver_width_m": 2})
    >>> cmd.redo(plan); sorted(plan.settings.items())[:2]
    [('check.sliver_width_m', '2'), ('disclaimer', '仅供内部使用')]
    >>> set_plan_settings(plan, {"disclaimer": "仅供内部使用"}) is None
    True
    """
    cmds = []
    for key, value in values.items():
        key = str(key).strip()
        if not key:
            raise PlanError("设置项名称不能为空 / a setting needs a name")
        if value is None:
            if key in plan.settings:
                cmds.append(SetSetting("方案设置", key, None))
        elif plan.settings.get(key) != str(value):
            cmds.append(SetSetting("方案设置", key, str(value)))
    if not cmds:
        return None
    label = text or f"方案设置 Plan settings ({'、'.join(c.key for c in cmds[:3])}{'…' if len(cmds) > 3 else ''})"
    if len(cmds) == 1:
        cmds[0].text = label
        return cmds[0]
    return Macro(label, cmds)
