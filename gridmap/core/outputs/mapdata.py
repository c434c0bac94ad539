"""A plan made ready for drawing: every layer in one projected CRS in metres,
each grid's top-level ancestor and level index, and the base layers read
from their files.

>>> from shapely import box
>>> from gridmap.core.plan import Plan
>>> plan = Plan.new("示例", crs="EPSG:4326", levels="two")
>>> big = plan.add_grid(box(113.90, 22.55, 113.92, 22.56), "large", code="440306001000")
>>> small = plan.add_grid(box(113.90, 22.55, 113.91, 22.56), "small", parent=big, code="44030600100001")
>>> data = MapData.from_plan(plan)
>>> data.crs.to_epsg()           # lon/lat plans are drawn in their CGCS2000 3° zone
4547
>>> data.grids["top"].tolist(), data.grids["level_index"].tolist()
([1, 1], [0, 1])
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import shapely
from pyproj import CRS

from ..crs import areas_m2, is_metric, suggest_crs, to_crs
from ..plan import Plan
from ..sources import resolve_source_path

__all__ = ["MapData", "BaseLayer", "render_crs"]

_LABEL_COLUMNS = ("name", "road_name", "NAME", "Name", "名称", "路名")
_VECTOR_KINDS = ("vector", "file", "", "gpkg", "shp", "shapefile", "geojson")


# Screen pixels (the desktop app's style widths) to printed points: print lines are finer.
PX_TO_PT = 0.5


@dataclass
class BaseLayer:
    """A base layer read from its file: features in the drawing CRS, the
    column holding their label text (``_label``: roads with names) and its
    style — the desktop app's keys: ``stroke``, ``width`` (px), ``fill`` ("" for
    none), ``fill_opacity``, ``label_field`` (a column or a ``{column}``
    template), ``rule`` (per-class ``width``/``stroke`` by a ``field``), plus
    ``attribution``."""

    name: str
    gdf: gpd.GeoDataFrame
    label: str | None = None
    style: dict = field(default_factory=dict)
    opacity: float = 1.0

    @property
    def geom_kind(self) -> str:
        """``line``, ``polygon`` or ``point`` (the majority of its features)."""
        types = shapely.get_type_id(self.gdf.geometry.values)
        if len(types) == 0:
            return "line"
        counts = {"point": np.isin(types, (0, 4)).sum(), "line": np.isin(types, (1, 2, 5)).sum(),
                  "polygon": np.isin(types, (3, 6)).sum()}
        return max(counts, key=counts.get)

    @property
    def attribution(self) -> str:
        return str(self.style.get("attribution", ""))

    @property
    def stroke(self) -> str:
        return str(self.style.get("stroke") or self.style.get("color") or "#a6a6a6")

    def line_classes(self, gdf: gpd.GeoDataFrame | None = None) -> list[tuple[np.ndarray, float, str]]:
        """(feature mask, width in pt, colour) per class of ``gdf`` (default: all features)."""
        gdf = self.gdf if gdf is None else gdf
        width = float(self.style.get("width", 1.4)) * PX_TO_PT
        rule = self.style.get("rule") if isinstance(self.style.get("rule"), dict) else None
        stroke = self.stroke
        if not rule and "highway" in gdf.columns:     # as the canvas draws it: the style set's road rule
            from ..view.style import ROAD_RULE

            rule, stroke = ROAD_RULE, "#c8c8c8"
        if rule and rule.get("field") in gdf.columns:
            vals = gdf[rule["field"]].astype(str).to_numpy()
            default = float(rule.get("default_width", self.style.get("width", 1.0)))
            out = []
            for k in np.unique(vals):
                w = float(rule.get("width", {}).get(k, default)) * PX_TO_PT
                out.append((vals == k, w, str(rule.get("stroke", {}).get(k, stroke))))
            return out
        return [(np.ones(len(gdf), dtype=bool), width, self.stroke)]

    @property
    def fill(self) -> str:
        """Fill colour of polygons, ``"none"`` when the style has none."""
        f = self.style.get("fill", "#f2f2f2")
        return str(f) if f else "none"


def render_crs(plan: Plan) -> CRS:
    """The plan's CRS when it is projected in metres, else its CGCS2000 3° zone."""
    if is_metric(plan.crs) and plan.crs.is_projected:
        return plan.crs
    geoms = [g for g in [plan.jurisdiction] if g is not None]
    if not geoms and len(plan.grids):
        geoms = [shapely.box(*plan.grids.total_bounds)]
    if not geoms:
        return CRS.from_epsg(4547)
    return suggest_crs(geoms[0], plan.crs)


def _style(text: str) -> dict:
    try:
        s = json.loads(text) if text else {}
        return s if isinstance(s, dict) else {}
    except ValueError:
        return {}


def _label_texts(gdf, style: dict):
    """Label text per feature from ``label_field`` (a column or a ``{column}``
    template) or a usual name column; None when the layer has no labels.

    >>> import geopandas as gpd
    >>> from shapely import Point
    >>> g = gpd.GeoDataFrame({"name": ["新安路", None], "ref": ["S1", "S2"]}, geometry=[Point(0, 0)] * 2)
    >>> _label_texts(g, {}).tolist(), _label_texts(g, {"label_field": "{name}{ref}"}).tolist()
    (['新安路', ''], ['新安路S1', 'S2'])
    """
    spec = str(style.get("label_field") or style.get("label") or "")
    if not spec:
        spec = next((c for c in _LABEL_COLUMNS if c in gdf.columns), "")
    if not spec:
        return None

    def clean(v) -> str:
        return "" if v is None or (not isinstance(v, str) and pd.isna(v)) else str(v).strip()

    if "{" in spec:
        rows = gdf.drop(columns=gdf.geometry.name).to_dict("records")
        out = []
        for r in rows:
            try:
                out.append(spec.format(**{k: clean(v) for k, v in r.items()}).strip())
            except (KeyError, ValueError, IndexError):
                out.append("")
        return pd.Series(out, index=gdf.index, dtype=object)
    if spec not in gdf.columns:
        return None
    return gdf[spec].map(clean).astype(object)


@dataclass
class MapData:
    """Layers of a plan in a projected metric CRS (see :func:`render_crs`)."""

    plan: Plan
    crs: CRS
    grids: gpd.GeoDataFrame
    jurisdiction: object
    segments: gpd.GeoDataFrame
    places: gpd.GeoDataFrame
    base_layers: list[BaseLayer] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @classmethod
    def from_plan(cls, plan: Plan, project: Path | None = None, base_layers: bool = True) -> MapData:
        crs = render_crs(plan)
        grids = plan.grids.to_crs(crs) if plan.grids.crs != crs else plan.grids.copy()
        grids = grids[~(grids.geometry.isna() | grids.geometry.is_empty)].copy()
        level_of = {lv.key: i for i, lv in enumerate(plan.levels)}
        grids["level_index"] = grids["level"].map(level_of).fillna(len(plan.levels) - 1).astype(int)
        grids["area_m2"] = areas_m2(plan.grids.loc[grids.index].geometry.values, plan.crs)
        parent = plan.grids["parent"]
        top = pd.Series(grids.index.values, index=grids.index)
        for _ in range(len(plan.levels)):
            up = parent.reindex(top.values)
            has = up.notna().to_numpy()
            if not has.any():
                break
            top[has] = up[has].astype(int).values
        grids["top"] = top.astype(int)
        jur = plan.jurisdiction
        if jur is not None and plan.crs != crs:
            jur = to_crs(jur, plan.crs, crs)
        segs = plan.segments.to_crs(crs) if len(plan.segments) and plan.segments.crs != crs else plan.segments
        places = plan.places.to_crs(crs) if len(plan.places) and plan.places.crs != crs else plan.places
        data = cls(plan=plan, crs=crs, grids=grids, jurisdiction=jur, segments=segs, places=places)
        if base_layers:
            data._read_base_layers(project)
        return data

    # ------------------------------------------------------------------ base layers
    def _read_base_layers(self, project: Path | None) -> None:
        bl = self.plan.base_layers
        if not len(bl):
            return
        folder = Path(project).resolve().parent if project else Path.cwd()
        for _, row in bl.sort_values("order").iterrows():
            if not bool(row["visible"]):
                continue
            if str(row["kind"]).lower() not in _VECTOR_KINDS:
                self.warnings.append(f"base layer {row['name']!r}: {row['kind']} layers are not drawn "
                                     "in print outputs (only vector files)")
                continue
            path = resolve_source_path(str(row["source"]), folder)   # "/" or "\\" (a plan from Windows)
            if not path.exists():
                self.warnings.append(f"base layer {row['name']!r}: {path} not found")
                continue
            try:
                kw = {"layer": str(row["layer"])} if row["layer"] else {}
                gdf = pyogrio.read_dataframe(path, **kw)
            except Exception as exc:
                self.warnings.append(f"base layer {row['name']!r}: {path} is unreadable ({exc})")
                continue
            if gdf.crs is None:
                gdf = gdf.set_crs(self.plan.crs)
            gdf = gdf.to_crs(self.crs)
            gdf = gdf[~(gdf.geometry.isna() | gdf.geometry.is_empty)]
            style = _style(str(row["style"]))
            texts = _label_texts(gdf, style)
            label = None
            if texts is not None:
                gdf = gdf.assign(_label=texts)
                label = "_label"
            self.base_layers.append(BaseLayer(str(row["name"]), gdf, label, style, float(row["opacity"])))

    # ------------------------------------------------------------------ extents
    @property
    def bounds(self) -> tuple[float, float, float, float]:
        """Bounds of the jurisdiction and the grids."""
        geoms = list(self.grids.geometry.values)
        if self.jurisdiction is not None:
            geoms.append(self.jurisdiction)
        if not geoms:
            return (0.0, 0.0, 1000.0, 1000.0)
        return tuple(float(v) for v in shapely.total_bounds(np.asarray(geoms, dtype=object)))

    def attributions(self) -> list[str]:
        """Data credits to print: the plan's ``source.*`` settings, else each base
        layer's ``attribution`` style (or the ``© …`` part of its name)."""
        out = [str(v) for k, v in self.plan.settings.items() if str(k).startswith("source.") and v]
        if not out:
            for b in self.base_layers:
                text = b.attribution or (b.name[b.name.index("©"):] if "©" in b.name else "")
                if text:
                    out.append(text)
        return list(dict.fromkeys(out))

    @property
    def disclaimer(self) -> str:
        """The plan's ``disclaimer`` setting (e.g. "sample data, people are fictitious")."""
        return str(self.plan.settings.get("disclaimer", "") or "")
