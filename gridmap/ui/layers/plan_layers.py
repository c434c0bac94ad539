"""The plan's own layers: jurisdiction, the grids of each level, segments, places."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .vector import FeatureLayer, GridLayer

__all__ = ["plan_layers", "LEVEL_COLORS", "update_plan_layers"]

# outline, fill per level depth (top first); lower levels thinner
LEVEL_COLORS = [("#7a1f5c", "#c9a3bd"), ("#1f5fa8", "#a9c6ea"), ("#2e7d32", "#b5dbb7"),
                ("#b25e00", "#f3cf9f"), ("#3949ab", "#c5cae9")]


def plan_layers(plan, lang: str = "zh") -> list:
    """Layers of a plan, bottom first: grids of each level (lowest level at the
    bottom), segments, places, jurisdiction on top."""
    out = []
    n = len(plan.levels)
    for depth in reversed(range(n)):
        lv = plan.levels[depth]
        line, fill = LEVEL_COLORS[depth % len(LEVEL_COLORS)]
        lowest = depth == n - 1
        style = {"stroke": line, "width": 0.8 if lowest else 2.2 if depth == n - 2 else 3.0,
                 "fill": fill if lowest else "", "fill_opacity": 0.22,
                 "label_field": "name", "label_min_px": 40.0 if lowest else 120.0,
                 "label_color": "#1a1a1a" if lowest else line}
        layer = GridLayer(plan, lv.key, name=lv.name if lang == "zh" else lv.name_en, style=style)
        out.append(layer)
    seg = FeatureLayer("segments", plan.segments.geometry.values,
                       pd.DataFrame({"road_name": plan.segments["road_name"].to_numpy()}),
                       plan.segments.index.to_numpy(), group="plan",
                       style={"stroke": "#e65100", "width": 2.0})
    seg.kind = "segments"
    places = FeatureLayer("places", plan.places.geometry.values,
                          pd.DataFrame({"name": plan.places["name"].to_numpy(),
                                        "kind": plan.places["kind"].to_numpy()}),
                          plan.places.index.to_numpy(), group="plan",
                          style={"stroke": "#6a1b9a", "point_size": 7.0, "fill": "#ce93d8"})
    places.kind = "places"
    jur = FeatureLayer("jurisdiction", np.array([plan.jurisdiction] if plan.jurisdiction is not None else [],
                                                dtype=object),
                       group="plan", style={"stroke": "#b71c1c", "width": 3.0, "fill": ""})
    jur.kind = "jurisdiction"
    out += [seg, places, jur]
    return out


def update_plan_layers(layers, plan) -> None:
    """Refresh plan layers from an edited plan."""
    for layer in layers:
        if isinstance(layer, GridLayer):
            layer.update_from(plan)
        elif layer.kind == "segments":
            layer.set_geometries(plan.segments.geometry.values,
                                 pd.DataFrame({"road_name": plan.segments["road_name"].to_numpy()}),
                                 plan.segments.index.to_numpy())
        elif layer.kind == "places":
            layer.set_geometries(plan.places.geometry.values,
                                 pd.DataFrame({"name": plan.places["name"].to_numpy()}),
                                 plan.places.index.to_numpy())
        elif layer.kind == "jurisdiction":
            layer.set_geometries(np.array([plan.jurisdiction] if plan.jurisdiction is not None else [],
                                          dtype=object))
