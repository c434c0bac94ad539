"""The plan's own layers: jurisdiction, the grids of each level, segments, places.

Colours and widths come from the one style set (:mod:`gridmap.core.view.style`),
the one the printed maps use: screen and paper look alike."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ...core.view.style import FILLS, JURISDICTION, PLACE, PX_PER_PT, SEGMENT, level_styles
from .vector import FeatureLayer, GridLayer

__all__ = ["plan_layers", "update_plan_layers", "neighbour_finder"]

FILL_OPACITY = 0.22     # the canvas draws fills over base maps: much lighter than on paper


def plan_layers(plan, lang: str = "zh") -> list:
    """Layers of a plan, bottom first: grids of each level (lowest level at the
    bottom), segments, places, jurisdiction on top."""
    out = []
    n = len(plan.levels)
    styles = level_styles(n)
    for depth in reversed(range(n)):
        lv = plan.levels[depth]
        st = styles[depth]
        lowest = depth == n - 1
        style = {"stroke": st.color, "width": round(st.width * PX_PER_PT, 2),
                 "fill": FILLS[0] if lowest else "", "fill_by": "top" if lowest else "",
                 "fill_opacity": FILL_OPACITY, "label_field": "code", "label_min_px": 40.0 if lowest else 120.0,
                 "label_color": "#1a1a1a" if lowest else st.color}
        layer = GridLayer(plan, lv.key, name=lv.name if lang == "zh" else lv.name_en, style=style)
        layer.level_depth, layer.n_levels = depth, n       # for the label engine (gridmap.ui.grid_labels)
        out.append(layer)
    seg = FeatureLayer("segments", plan.segments.geometry.values,
                       pd.DataFrame({"road_name": plan.segments["road_name"].to_numpy()}),
                       plan.segments.index.to_numpy(), group="plan",
                       style={"stroke": SEGMENT["color"], "width": SEGMENT["width"]})
    seg.kind = "segments"
    places = FeatureLayer("places", plan.places.geometry.values,
                          pd.DataFrame({"name": plan.places["name"].to_numpy(),
                                        "kind": plan.places["kind"].to_numpy()}),
                          plan.places.index.to_numpy(), group="plan",
                          style={"stroke": PLACE["color"], "point_size": 7.0, "fill": PLACE["color"]})
    places.kind = "places"
    jur = FeatureLayer("jurisdiction", np.array([plan.jurisdiction] if plan.jurisdiction is not None else [],
                                                dtype=object),
                       group="plan", style={"stroke": JURISDICTION["color"],
                                                   "width": JURISDICTION["width"] * PX_PER_PT, "fill": "",
                                                   "dashes": list(JURISDICTION["dashes"])})
    jur.kind = "jurisdiction"
    out += [seg, places, jur]
    return out


def update_plan_layers(layers, plan, changes=None) -> list:
    """Refresh plan layers from an edited plan; with ``changes`` (the exact change of one
    edit) only the rows it touched are patched in (:meth:`GridLayer.follow`,
    :meth:`FeatureLayer.follow_table`).  Returns the layers that changed."""
    if changes is not None:
        out = []
        for layer in layers:
            if isinstance(layer, GridLayer):
                hit = layer.follow(plan, changes)
            elif layer.kind in ("segments", "places"):
                hit = layer.follow_table(getattr(plan, layer.kind), changes.per_table.get(layer.kind))
            elif layer.kind == "jurisdiction" and changes.jurisdiction:
                update_plan_layers([layer], plan)
                hit = True
            else:
                hit = False
            if hit:
                out.append(layer)
        return out
    for layer in layers:
        if isinstance(layer, GridLayer):
            layer.update_from(plan)
        elif layer.kind == "segments":
            layer.set_geometries(plan.segments.geometry.values,
                                 pd.DataFrame({"road_name": plan.segments["road_name"].to_numpy()}),
                                 plan.segments.index.to_numpy())
        elif layer.kind == "places":
            layer.set_geometries(plan.places.geometry.values,
                                 pd.DataFrame({"name": plan.places["name"].to_numpy(),
                                               "kind": plan.places["kind"].to_numpy()}),
                                 plan.places.index.to_numpy())
        elif layer.kind == "jurisdiction":
            layer.set_geometries(np.array([plan.jurisdiction] if plan.jurisdiction is not None else [],
                                          dtype=object))
    return list(layers)


def neighbour_finder(layers, plan, before=None):
    """``finder(level, geom)`` for :func:`gridmap.core.editing.commands.set_neighbour_index`:
    the ids of a level's grids whose boxes meet ``geom``'s box, from that level's grid layer
    (its index is patched after every edit, so noding an edit costs what the edit touches).
    None (the caller builds a tree) when the plan's grids are not the ones the layer last
    followed — half-way through an edit, e.g. the second step of a macro.  ``before()``: called
    when an edit begins (``frozen``), e.g. to let layers follow earlier edits that wait."""
    by_level = {layer.level_key: layer for layer in layers if isinstance(layer, GridLayer)}

    def finder(level, geom):
        layer = by_level.get(level)
        if layer is None or not layer.ready or not layer.follows(plan):
            return None
        if not len(layer):
            return np.zeros(0, dtype=np.int64)
        return layer.ids[layer.tree.query(geom)]

    def frozen():
        """The same query for the grids as they are now, usable after the plan changes
        until the layers follow that change (the edit guard measures the state before an
        edit with it): ``query(level, geom)`` → ids, or None for a level it cannot tell."""
        if before is not None:       # (before an edit: layers whose follow of the last edits waits
            before()                 # are brought up to date — not half-way through one, see above)
        known = {lv: layer for lv, layer in by_level.items() if layer.ready and layer.follows(plan)}

        def query(level, geom):           # (the layer is patched only after the edit: read it then)
            layer = known.get(level)
            if layer is None:
                return None
            return layer.ids[layer.tree.query(geom)] if len(layer) else np.zeros(0, dtype=np.int64)
        return query
    finder.frozen = frozen
    return finder
