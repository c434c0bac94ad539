"""Import as plan: any polygon layer → a :class:`~gridmap.core.plan.Plan`, with a field mapping.

Grid data from other systems (the city platform, ArcGIS, a consultant's
shapefile) is checked by importing it as a plan.  A :class:`FieldMapping`
says which field holds the code, name, parent and level.  Levels are matched
by key, name or number; without a level field they follow from the parent
links (roots on top); without a parent field, parents follow from code
prefixes.  Nothing is silently dropped: unresolved parents, unknown levels
and non-polygons are reported.

A folder (or zip, or GeoPackage) written by ``gridmap export`` is rebuilt
in full, roles included, by :func:`plan_from_export`.

>>> import geopandas as gpd
>>> from shapely import box
>>> layer = gpd.GeoDataFrame({"BM": ["440306001000", "44030600100001"], "MC": ["一片", "甲"]},
...                          geometry=[box(0, 0, 200, 100), box(0, 0, 100, 100)], crs="EPSG:4547")
>>> plan, notes = plan_from_layer(layer, FieldMapping(code="BM", name="MC"), levels="two")
>>> plan.grids[["code", "level", "parent"]].values.tolist()
[['440306001000', 'large', <NA>], ['44030600100001', 'small', 1]]
"""

from __future__ import annotations

import json
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import shapely
from pyproj import CRS

from ..crs import crs_suggestions, suggest_crs
from ..levels import Level, named_levels, preset
from ..lineage import import_event
from ..plan import Plan
from ..messages import bi
from . import ExchangeError
from .cellsafe import csv_unsafe_frame
from .readers import read_layer, safe_extract

__all__ = ["FieldMapping", "plan_from_layer", "plan_from_file", "plan_from_export", "append_grids", "is_export",
           "text_codes"]


@dataclass
class FieldMapping:
    """Which source field holds each grid attribute (None: not in the data)."""

    code: str | None = None
    name: str | None = None
    parent: str | None = None
    level: str | None = None
    notes: str | None = None

    def fields(self) -> dict[str, str]:
        return {k: v for k, v in vars(self).items() if v}



def _note_is(note: str, english_prefix) -> bool:
    """Whether a bilingual note (``"中文 / English"`` in either order) is of the kind whose English
    text starts with ``english_prefix`` (a string or a tuple of them)."""
    return any(part.startswith(english_prefix) for part in str(note).split(" / "))

def text_codes(values) -> tuple[list[str], bool]:
    """Codes as text; numbers lose a trailing ``.0`` (and say that leading zeros may be gone).

    >>> text_codes([440306001000.0, None, "0012"])
    (['440306001000', '', '0012'], True)
    """
    out, numeric = [], False
    for v in values:
        if v is None or (not isinstance(v, str) and pd.isna(v)):
            out.append("")
        elif isinstance(v, (int, np.integer)):
            out.append(str(int(v)))
            numeric = True
        elif isinstance(v, (float, np.floating)):
            out.append(str(int(v)) if float(v).is_integer() else repr(float(v)))
            numeric = True
        else:
            out.append(str(v).strip())
    return out, numeric


def _levels(levels, scheme: str) -> list[Level]:
    if levels is None:
        return preset("two", scheme)
    if isinstance(levels, str):
        try:
            return named_levels(levels, scheme)
        except ValueError as exc:
            raise ExchangeError(str(exc)) from exc
    return list(levels)


def _match_level(value: str, levels: list[Level]) -> int | None:
    v = str(value).strip()
    for i, lv in enumerate(levels):
        if v.lower() in (lv.key.lower(), lv.name.lower(), lv.name_en.lower()):
            return i
    if v.isdigit() and 1 <= int(v) <= len(levels):
        return int(v) - 1
    return None


def plan_from_layer(gdf: gpd.GeoDataFrame, mapping: FieldMapping, levels=None, name: str = "",
                    admin_code: str = "", crs=None, scheme: str = "GB14",
                    default_level: str | None = None, source: str = "") -> tuple[Plan, list[str]]:
    """A plan from a polygon layer and a field mapping; returns the plan and notes on what was inferred."""
    src = source or "layer"
    notes: list[str] = []
    lv = _levels(levels, scheme)
    for f in mapping.fields().values():
        if f not in gdf.columns:
            raise ExchangeError(f"{src}: " + bi(f"没有字段 {f!r}", f"no field {f!r}") + "; "
                                + bi("字段有：", "fields: ") + ", ".join(c for c in gdf.columns if c != "geometry"))
    if not len(gdf):
        raise ExchangeError(f"{src}: " + bi("图层没有要素", "the layer is empty (no features)"))
    geoms = gdf.geometry.values
    types = shapely.get_type_id(geoms)
    bad = np.flatnonzero(~np.isin(types, [3, 6]))
    if len(bad):
        kinds = sorted(set(shapely.get_type_id(geoms[bad]).tolist()))
        names = {0: "points", 1: "lines", 2: "rings", 4: "multipoints", 5: "multilines", 7: "collections"}
        kinds_text = ", ".join(names.get(k, str(k)) for k in kinds)
        raise ExchangeError(f"{src}: " + bi(f"网格必须是面，但有 {len(bad)} 个要素是 {kinds_text}（例如第 {bad[0] + 1} 个）",
                                            f"grids must be polygons, but {len(bad)} features are "
                                            f"{kinds_text} (e.g. feature {bad[0] + 1})"))
    n = len(gdf)
    geoms = _single_lines(geoms)
    codes, numeric = text_codes(gdf[mapping.code]) if mapping.code else ([""] * n, False)
    if numeric:
        notes.append(bi(f"字段 {mapping.code!r} 存的是数字而不是文字：以 0 开头的编码可能丢了前导零",
                        f"field {mapping.code!r} holds numbers, not text: codes with leading zeros may have lost them"))
    gnames = [("" if pd.isna(v) else str(v)) for v in gdf[mapping.name]] if mapping.name else [""] * n

    # parents: by code, then by unique name
    parent_idx = np.full(n, -1)
    unresolved: list[tuple[int, str]] = []
    has_parent_value = np.zeros(n, dtype=bool)
    if mapping.parent:
        pvals, _ = text_codes(gdf[mapping.parent])
        by_code = {}
        for i, c in enumerate(codes):
            if c:
                by_code.setdefault(c, i)
        by_name: dict[str, list[int]] = {}
        for i, nm in enumerate(gnames):
            if nm:
                by_name.setdefault(nm, []).append(i)
        for i, p in enumerate(pvals):
            if not p:
                continue
            has_parent_value[i] = True
            if p in by_code and by_code[p] != i:
                parent_idx[i] = by_code[p]
            elif len(by_name.get(p, [])) == 1 and by_name[p][0] != i:
                parent_idx[i] = by_name[p][0]
            else:
                unresolved.append((i, p))
    elif mapping.code and any(codes):
        order = sorted((c, i) for i, c in enumerate(codes) if c)
        by_code = {c: i for c, i in order}
        for i, c in enumerate(codes):
            for k in range(len(c) - 1, 0, -1):
                j = by_code.get(c[:k])
                if j is not None and j != i:
                    parent_idx[i] = j
                    break
        if (parent_idx >= 0).any():
            notes.append(bi("没有上级字段：由编码前缀推出上级", "no parent field: parents derived from code prefixes"))

    # levels
    level_idx = np.full(n, -1)
    if mapping.level:
        unknown = {}
        for i, v in enumerate(gdf[mapping.level]):
            k = _match_level("" if pd.isna(v) else str(v), lv) if not pd.isna(v) else None
            if k is None:
                unknown.setdefault(str(v), 0)
                unknown[str(v)] += 1
            else:
                level_idx[i] = k
        if unknown:
            values = ", ".join(f"{k!r} ({v}×)" for k, v in list(unknown.items())[:8])
            levels = f"{', '.join(f'{l.key}/{l.name}' for l in lv)} (1…{len(lv)})"
            raise ExchangeError(f"{src}: " + bi(f"字段 {mapping.level!r} 中有不是方案层级的值：{values}；层级有：{levels}",
                                                f"field {mapping.level!r} has values that are no level of the plan: "
                                                f"{values}; levels: {levels}"))
    elif (parent_idx >= 0).any() or has_parent_value.any():
        depth = np.full(n, -1)
        for i in range(n):
            chain, j = [], i
            while j >= 0 and depth[j] < 0 and j not in chain:
                chain.append(j)
                j = parent_idx[j]
            base = depth[j] if j >= 0 and depth[j] >= 0 else (-1 if j < 0 else 0)
            if j < 0 and has_parent_value[chain[-1]]:
                base = 0   # orphan with an unknown parent: one level below the top
            for k, c in enumerate(reversed(chain)):
                depth[c] = base + 1 + k
        if depth.max() >= len(lv):
            names = ", ".join(l.name for l in lv)
            raise ExchangeError(f"{src}: " + bi(f"上级关系有 {depth.max() + 1} 层，但方案只有 {len(lv)} 个层级（{names}），请选更多层级",
                                                f"parent links are {depth.max() + 1} levels deep but the plan has "
                                                f"{len(lv)} levels ({names}); choose more levels"))
        level_idx = depth
        notes.append(bi("没有层级字段：由上级关系推出层级（没有上级的网格在最上层）",
                        "no level field: levels derived from the parent links (grids without a parent on top)"))
    else:
        k = lv.index(next(l for l in lv if l.key == default_level or l.name == default_level)) \
            if default_level else len(lv) - 1
        level_idx[:] = k
        notes.append(bi(f"没有层级和上级字段：全部 {n} 个网格放在层级 {lv[k].name}（{lv[k].key}）",
                        f"no level or parent field: all {n} grids put on level {lv[k].name} ({lv[k].key})"))

    # parents must sit one level up
    wrong = [(i, j) for i, j in enumerate(parent_idx) if j >= 0 and level_idx[j] != level_idx[i] - 1]
    for i, j in wrong:
        notes.append(bi(f"要素 {i + 1}（{codes[i] or gnames[i]}）：上级 {codes[j] or gnames[j]} 不在上一层级；"
                        "保留此关系，由检查报告",
                        f"feature {i + 1} ({codes[i] or gnames[i]}): parent {codes[j] or gnames[j]} is not on the "
                        "level above; the link was kept for the checks to report"))
    if unresolved:
        listed = ", ".join(f"{i + 1} → {p!r}" for i, p in unresolved[:10])
        notes.append(bi(f"{len(unresolved)} 个上级值对不上任何网格编码或唯一名称：要素 {listed}",
                        f"{len(unresolved)} parent values match no grid code or unique name: feature {listed}"))
    tops_missing = [i for i in range(n) if level_idx[i] > 0 and parent_idx[i] < 0]
    if tops_missing and not unresolved:
        notes.append(bi(f"{len(tops_missing)} 个非最上层的网格没有上级",
                        f"{len(tops_missing)} grids below the top level have no parent"))

    src_crs = CRS.from_user_input(gdf.crs) if gdf.crs is not None else None
    if crs is not None:
        plan_crs = CRS.from_user_input(crs)
    elif src_crs is not None and src_crs.is_projected:
        plan_crs = src_crs
    elif src_crs is not None:
        plan_crs = suggest_crs(shapely.union_all(geoms).envelope, src_crs)
        c = shapely.centroid(shapely.union_all(gpd.GeoSeries(geoms, crs=src_crs).to_crs(4490).values).envelope)
        others = [x for x in crs_suggestions(c.x, c.y) if x != plan_crs.to_string()]
        gk = plan_crs.to_epsg() in range(4534, 4555)
        also = ", ".join(others)
        notes.append(bi(f"方案坐标系：{plan_crs.to_string()}（{plan_crs.name}），"
                        + ("数据所在的 CGCS2000 3° 带" if gk else "数据所在的 UTM 带（中国境外）")
                        + (f"；也适用：{also}（用 --crs 选择）" if others else ""),
                        f"plan CRS: {plan_crs.to_string()} ({plan_crs.name}), "
                        + ("the CGCS2000 3° zone of the data" if gk else "the UTM zone of the data (outside China)")
                        + (f"; also fit: {also} (choose with --crs)" if others else "")))
    else:
        raise ExchangeError(f"{src}: " + bi("图层没有坐标系", "the layer has no CRS"))
    if src_crs is not None and plan_crs != src_crs:
        geoms = np.asarray(gpd.GeoSeries(geoms, crs=src_crs).to_crs(plan_crs).values, dtype=object)

    ids = np.arange(1, n + 1)
    grids = gpd.GeoDataFrame({
        "code": codes, "name": gnames,
        "level": [lv[k].key for k in level_idx],
        "parent": pd.array([ids[j] if j >= 0 else pd.NA for j in parent_idx], dtype="Int64"),
        "notes": [("" if pd.isna(v) else str(v)) for v in gdf[mapping.notes]] if mapping.notes else [""] * n,
        "multipart_ok": shapely.get_num_geometries(geoms) > 1,
        # lineage: the feature each grid was imported from (gridmap.core.lineage)
        "lineage": [import_event(source, i) for i in range(1, n + 1)] if source else [""] * n,
    }, geometry=list(geoms), crs=plan_crs, index=pd.Index(ids, name="id"))
    top = grids[grids["level"] == lv[0].key]
    jur = shapely.union_all(top.geometry.values) if len(top) else None
    if jur is not None and jur.geom_type not in ("Polygon", "MultiPolygon"):
        jur = None
    plan = Plan(name=name or "imported", crs=plan_crs, admin_code=admin_code if _ok_admin(admin_code) else "",
                levels=lv, jurisdiction=jur, grids=grids)
    if jur is not None:
        notes.append(bi(f"辖区设为 {len(top)} 个{lv[0].name}的合并范围",
                        f"jurisdiction set to the union of the {len(top)} {lv[0].name} grids"))
    return plan, notes


def _ok_admin(code: str) -> bool:
    return bool(code) and code.isdigit() and len(code) == 6


def plan_from_file(path, mapping: FieldMapping, levels=None, layer: str | None = None, encoding=None,
                   source_crs=None, crs=None, repair: bool = False, name: str = "", admin_code: str = "",
                   scheme: str = "GB14", default_level: str | None = None) -> tuple[Plan, list[str]]:
    """:func:`plan_from_layer` on a file read with :func:`~gridmap.core.exchange.readers.read_layer`."""
    gdf, report = read_layer(path, layer, encoding=encoding, crs=source_crs, repair=repair)
    plan, notes = plan_from_layer(gdf, mapping, levels=levels, name=name or Path(path).stem,
                                  admin_code=admin_code, crs=crs, scheme=scheme, default_level=default_level,
                                  source=str(path))
    return plan, report.lines()[1:] + notes


# ---------------------------------------------------------------------- gridmap's own exports
def is_export(path) -> bool:
    """Whether ``path`` is a folder, zip or GeoPackage written by ``gridmap export``."""
    path = Path(path)
    if path.is_dir():
        return (path / "plan.json").exists()
    if path.suffix.lower() == ".zip":
        import zipfile

        try:
            with zipfile.ZipFile(path) as zf:
                return any(Path(n).name == "plan.json" for n in zf.namelist())
        except zipfile.BadZipFile:
            return False
    if path.suffix.lower() == ".gpkg":
        try:
            return "gridmap_export" in [str(n) for n, _ in pyogrio.list_layers(path)]
        except Exception:
            return False
    return False


def _by_code(codes: pd.Series):
    return {c: int(i) for i, c in codes.items() if c}


def plan_from_export(path) -> tuple[Plan, list[str]]:
    """Rebuild a plan from a ``gridmap export`` folder/zip (shapefiles or GeoJSON) or GeoPackage."""
    path = Path(path)
    if path.suffix.lower() == ".zip":
        tmp = Path(tempfile.mkdtemp(prefix="gridmap-import-"))
        try:
            files = safe_extract(path, tmp)
            meta = [f for f in files if f.name == "plan.json"]
            if not meta:
                raise ExchangeError(f"{path}: " + bi("不是 gridmap 导出文件（没有 plan.json）", "not a gridmap export (no plan.json)"))
            plan, notes = plan_from_export(meta[0].parent)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
        return plan, notes
    notes: list[str] = []
    if path.suffix.lower() == ".gpkg":
        meta = json.loads(pyogrio.read_dataframe(path, layer="gridmap_export", read_geometry=False)["json"][0])

        def layer(name):
            names = [str(n) for n, _ in pyogrio.list_layers(path)]
            return read_layer(path, name)[0] if name in names else None

        def table(name):
            names = [str(n) for n, _ in pyogrio.list_layers(path)]
            if name not in names:
                return None
            return pd.DataFrame(pyogrio.read_dataframe(path, layer=name, read_geometry=False))
    else:
        if not (path / "plan.json").exists():
            raise ExchangeError(f"{path}: " + bi("不是 gridmap 导出文件（没有 plan.json）", "not a gridmap export (no plan.json)"))
        meta = json.loads((path / "plan.json").read_text(encoding="utf-8"))

        def layer(name):
            for ext in (".shp", ".geojson"):
                if (path / f"{name}{ext}").exists():
                    return read_layer(path / f"{name}{ext}")[0]
            return None

        def table(name):
            p = path / f"{name}.csv"
            return (csv_unsafe_frame(pd.read_csv(p, dtype=str, keep_default_na=False, encoding="utf-8-sig"))
                    if p.exists() else None)

    levels = [Level.from_record(r) for r in sorted(meta["levels"], key=lambda r: int(r["order"]))]
    plan_crs = CRS.from_user_input(meta["plan_crs"])
    exp_crs = meta.get("export_crs")
    grids_src = layer("grids")
    if grids_src is None:
        raise ExchangeError(f"{path}: " + bi("导出文件中没有网格图层", "the export has no grids layer"))
    if exp_crs and str(exp_crs).lower().replace("-", "") in ("gcj02", "bd09"):
        from .. import gcj02

        shift = str(exp_crs).lower().replace("-", "")
        grids_src = grids_src.set_geometry(gcj02.transform_geometry(grids_src.geometry.values, shift, "wgs84"))
        from .prj import SHIFTED

        notes.append(bi(f"坐标导出时偏移到了 {SHIFTED[shift]}，已移回", f"coordinates were exported shifted to {SHIFTED[shift]}; shifted back"))
    else:
        shift = None
    plan, n2 = plan_from_layer(grids_src, FieldMapping(code="code", name="name", parent="parent_code",
                                                       level="level", notes="notes" if "notes" in grids_src else None),
                               levels=levels, name=meta.get("name", ""), admin_code=meta.get("admin_code", ""),
                               crs=plan_crs, source=str(path))
    notes += [n for n in n2 if not _note_is(n, "jurisdiction set")]
    g = plan.grids
    for c in ("valid_from", "valid_to", "lineage"):
        if c in grids_src.columns:
            g[c] = [("" if pd.isna(v) else str(v)) for v in grids_src[c]]

    def to_plan(gdf):
        if gdf is None:
            return None
        if shift:
            from .. import gcj02

            gdf = gdf.set_geometry(gcj02.transform_geometry(gdf.geometry.values, shift, "wgs84"))
        return gdf.to_crs(plan_crs) if gdf.crs is not None and CRS.from_user_input(gdf.crs) != plan_crs else gdf

    j = to_plan(layer("jurisdiction"))
    plan.jurisdiction = shapely.union_all(j.geometry.values) if j is not None and len(j) else None
    if plan.jurisdiction is not None and plan.jurisdiction.geom_type == "MultiPolygon" \
            and len(plan.jurisdiction.geoms) == 1:
        plan.jurisdiction = plan.jurisdiction.geoms[0]
    code_id = _by_code(g["code"])

    units, people, roles = table("units"), table("people"), table("roles")
    if units is not None and len(units):
        units = units.assign(id=pd.to_numeric(units["id"])).set_index("id")
        plan.units = units
    if people is not None and len(people):
        people = people.assign(id=pd.to_numeric(people["id"])).set_index("id").drop(columns=["unit_name"],
                                                                                     errors="ignore")
        plan.people = people
    if roles is not None and len(roles):
        missing = [c for c in roles["grid_code"] if c not in code_id]
        if missing:
            notes.append(bi(f"{len(missing)} 条职责所写的网格编码不在网格图层中：{'、'.join(missing[:5])}",
                            f"{len(missing)} roles name grid codes not in the grids layer: {', '.join(missing[:5])}"))
        roles = roles[roles["grid_code"].isin(code_id)]
        plan.roles = pd.DataFrame({"grid": [code_id[c] for c in roles["grid_code"]], "role": roles["role"].values,
                                   "person": pd.to_numeric(roles["person"]).values,
                                   "unit": pd.to_numeric(roles["unit"]).values,
                                   "duty": roles["duty"].values},
                                  index=pd.Index(np.arange(1, len(roles) + 1), name="id"))
    plan.__post_init__()   # normalise the tables just set

    person_key = {(r["name"], r["phone"]): int(i) for i, r in plan.people.iterrows()}
    seg = to_plan(layer("segments"))
    if seg is not None and len(seg):
        plan.segments = gpd.GeoDataFrame({
            "road_name": seg["road_name"].values, "from_desc": seg["from_desc"].values,
            "to_desc": seg["to_desc"].values,
            "grid": [code_id.get(c, pd.NA) for c in seg["grid_code"].fillna("")],
            "officer": [person_key.get((o, p), pd.NA) for o, p in zip(seg["officer"].fillna(""),
                                                                       seg["officer_phone"].fillna(""))],
            "notes": seg["notes"].fillna("").values,
        }, geometry=list(_single_lines(seg.geometry.values)), crs=plan_crs,
            index=pd.Index(np.arange(1, len(seg) + 1), name="id"))
    parts = [to_plan(layer(n)) for n in ("places", "places_point", "places_polygon")]
    parts = [p for p in parts if p is not None and len(p)]
    if parts:
        pl = pd.concat(parts, ignore_index=True)
        plan.places = gpd.GeoDataFrame({
            "name": pl["name"].values, "kind": pl["kind"].values,
            "grid": [code_id.get(c, pd.NA) for c in pl["grid_code"].fillna("")],
            "address": pl["address"].fillna("").values, "notes": pl["notes"].fillna("").values,
        }, geometry=list(_single_lines(pl.geometry.values)), crs=plan_crs,
            index=pd.Index(np.arange(1, len(pl) + 1), name="id"))
    plan.__post_init__()
    return plan, notes


def _single_lines(geoms):
    geoms = np.asarray(geoms, dtype=object)
    out = geoms.copy()
    types = shapely.get_type_id(geoms)
    one = np.isin(types, [4, 5, 6]) & (shapely.get_num_geometries(geoms) == 1)
    if one.any():
        out[one] = shapely.get_geometry(geoms[one], 0)
    return out


def append_grids(plan: Plan, gdf: gpd.GeoDataFrame, mapping: FieldMapping, level: str,
                 source: str = "layer") -> tuple[int, list[str]]:
    """Add a polygon layer's features to ``plan`` as grids of ``level``; parents
    (one level up) are found by the parent field's code or name among the
    plan's grids.  Returns the number added and notes (unmatched parents …)."""
    lv = plan.level(level)
    k = plan.levels.index(lv)
    notes: list[str] = []
    tmp, n2 = plan_from_layer(gdf, FieldMapping(code=mapping.code, name=mapping.name, notes=mapping.notes),
                              levels=[lv], crs=plan.crs, source=source)
    from ..workers import cancel_point

    cancel_point()                              # (Cancel of an import in the window)
    above = plan.grids[plan.grids["level"] == plan.levels[k - 1].key] if k > 0 else plan.grids.iloc[:0]
    by_code = {c: int(i) for i, c in above["code"].items() if c}
    names = above["name"].value_counts()
    by_name = {nm: int(above.index[above["name"] == nm][0]) for nm, c in names.items() if nm and c == 1}
    parents = [pd.NA] * len(tmp.grids)
    if mapping.parent:
        pvals, _ = text_codes(gdf[mapping.parent])
        missing = []
        for i, p in enumerate(pvals):
            if p in by_code:
                parents[i] = by_code[p]
            elif p in by_name:
                parents[i] = by_name[p]
            elif p:
                missing.append((i, p))
        if missing:
            listed = ", ".join(f"{i + 1} → {p!r}" for i, p in missing[:10])
            above_name = plan.levels[k - 1].name
            notes.append(bi(f"{len(missing)} 个上级值对不上任何{above_name}：要素 {listed}",
                            f"{len(missing)} parent values match no {above_name} grid: feature {listed}"))
    elif k > 0 and len(above):
        # by location: the grid above that holds most of the new grid's area
        geoms = tmp.grids.geometry.values
        tree = shapely.STRtree(above.geometry.values)
        src, dst = tree.query(geoms, predicate="intersects")
        areas = shapely.area(shapely.intersection(geoms[src], above.geometry.values[dst]))
        best: dict[int, tuple[float, int]] = {}
        for s, d, a in zip(src, dst, areas):
            if a > best.get(s, (0.0, -1))[0]:
                best[s] = (a, d)
        for s, (_, d) in best.items():
            parents[s] = int(above.index[d])
        notes.append(bi("没有上级字段：每个网格的上级取覆盖其面积最多的上一层网格",
                        "no parent field: each grid's parent is the one above holding most of its area"))
    new = tmp.grids.copy()
    start = int(plan.grids.index.max()) + 1 if len(plan.grids) else 1
    new.index = pd.Index(np.arange(start, start + len(new)), name="id")
    new["level"] = lv.key
    new["parent"] = pd.array(parents, dtype="Int64")
    plan.grids = gpd.GeoDataFrame(pd.concat([plan.grids, new]), geometry="geometry", crs=plan.crs)
    plan.__post_init__()
    return len(new), [n for n in n2 if not _note_is(n, ("jurisdiction", "no level"))] + notes
