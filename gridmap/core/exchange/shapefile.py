"""Plan → shapefiles for the city platform, ArcGIS and QGIS, losslessly or saying what was lost.

One shapefile per layer (grids, jurisdiction, segments, places; places split
into ``places_point``/``places_polygon`` when mixed), each with

- a ``.prj`` in the Esri WKT dialect (``CGCS2000_3_Degree_GK_CM_114E``),
- a ``.cpg`` (``UTF-8``, or ``936`` for GBK) and the matching dBASE language driver id,
- field names of at most 10 bytes and ``NAME.fieldmap.csv`` mapping them back to the
  long names (gridmap restores them on import; people can read it in Excel),
- codes as text fields (leading zeros survive).

Beside them: ``units.csv``, ``people.csv``, ``roles.csv`` (UTF-8 with BOM) and
``plan.json`` (name, administrative code, CRS, levels), so ``gridmap import``
rebuilds the whole plan from the folder.

>>> short_field_names(["code", "parent_code", "responsible_units", "responsible_x", "responsible_y"])
{'code': 'code', 'parent_code': 'parent_cod', 'responsible_units': 'resp_units', 'responsible_x': 'responsibl', 'responsible_y': 'responsi_1'}
"""

from __future__ import annotations

import csv
import json
import re
import shutil
import tempfile
import zipfile
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import shapely

from ..plan import Plan
from ..messages import bi, wrap
from . import ExchangeError
from .cellsafe import csv_safe, write_csv
from .layers import GRID_FIELDS, PLACE_FIELDS, SEGMENT_FIELDS, plan_layers, plan_tables
from .prj import esri_wkt
from .readers import FIELD_MAP_SUFFIX
from .registry import ExportResult

__all__ = ["short_field_names", "write_shapefile", "export_shapefiles", "PLAN_META", "plan_meta"]

PLAN_META = "plan.json"
_MAX_BYTES = 254
_ABBREV = {"parent_code": "parent_cod", "parent_name": "parent_nam", "leader_phone": "leader_tel",
           "officer_phones": "officer_te", "responsible_units": "resp_units", "officer_phone": "officer_te",
           "partners": "partners"}


def _nbytes(text: str, encoding: str) -> int:
    return len(text.encode(encoding, errors="replace"))


def _cut(text: str, limit: int, encoding: str) -> str:
    while _nbytes(text, encoding) > limit:
        text = text[:-1]
    return text


def short_field_names(names, limit: int = 10, encoding: str = "utf-8") -> dict[str, str]:
    """Unique dBASE field names of at most ``limit`` bytes for ``names`` (long → short)."""
    out: dict[str, str] = {}
    used: set[str] = set()
    for name in names:
        short = name if _nbytes(name, encoding) <= limit else _ABBREV.get(name)
        if short is None or short.lower() in used:
            short = _cut(re.sub(r"[^\w]", "_", name), limit, encoding)
            if short.endswith("_"):
                short = short[:-1] or "f"
        base, n = short, 0
        while short.lower() in used:
            n += 1
            suffix = f"_{n}"
            short = _cut(base, limit - len(suffix), encoding).rstrip("_") + suffix
        used.add(short.lower())
        out[name] = short
    return out


def _fit_text(df: pd.DataFrame, encoding: str, layer: str, warnings: list[str]) -> pd.DataFrame:
    """Replace characters the encoding cannot hold and cut values over 254 bytes, reporting both."""
    df = df.copy()
    codec = "gb18030" if encoding.lower() in ("gbk", "cp936", "936") else encoding
    strict = "gbk" if codec == "gb18030" else codec
    for col in df.columns:
        if col == "geometry" or df[col].dtype.kind in "biuf":
            continue
        lost_chars, cut_rows = set(), []
        vals = []
        for i, v in enumerate(df[col].tolist()):
            if v is None or (not isinstance(v, str) and pd.isna(v)):
                vals.append(v)
                continue
            v = str(v)
            try:
                v.encode(strict)
            except UnicodeEncodeError:
                kept = []
                for ch in v:
                    try:
                        ch.encode(strict)
                        kept.append(ch)
                    except UnicodeEncodeError:
                        lost_chars.add(ch)
                        kept.append("?")
                v = "".join(kept)
            if _nbytes(v, strict) > _MAX_BYTES:
                cut_rows.append(i + 1)
                v = _cut(v, _MAX_BYTES, strict)
            vals.append(v)
        df[col] = pd.Series(vals, index=df.index, dtype=object)
        if lost_chars:
            chars = "".join(sorted(lost_chars))
            warnings.append(f"{layer}.{col}: " + bi(
                f"字符 {chars} 无法用 {encoding.upper()} 写入，已替换为“?”（导出为 UTF-8 可保留）",
                f"characters {chars} cannot be written in {encoding.upper()} and were replaced by '?' "
                f"(export as UTF-8 to keep them)"))
        if cut_rows:
            rows = ", ".join(map(str, cut_rows[:10]))
            warnings.append(f"{layer}.{col}: " + bi(
                f"{len(cut_rows)} 个值超过 {_MAX_BYTES} 字节（shapefile 字段上限），已截断（第 {rows} 行；"
                f"完整内容见 GeoPackage 或 XLSX 导出）",
                f"{len(cut_rows)} values longer than {_MAX_BYTES} bytes (the shapefile field limit) were cut "
                f"(rows {rows}; the GeoPackage and XLSX exports keep them whole)"))
    return df


def write_shapefile(gdf: gpd.GeoDataFrame, path, encoding: str = "utf-8", descriptions: dict | None = None,
                    crs_wkt: str | None = None) -> ExportResult:
    """Write one layer as a shapefile with Esri .prj, .cpg and field map."""
    path = Path(path)
    result = ExportResult()
    gbk = encoding.lower().replace("-", "") in ("gbk", "cp936", "936", "gb2312", "gb18030")
    enc = "CP936" if gbk else "UTF-8"
    df = _fit_text(gdf, "gbk" if gbk else "utf-8", path.stem, result.warnings)
    names = [c for c in df.columns if c != "geometry"]
    short = short_field_names(names, encoding="gbk" if gbk else "utf-8")
    df = df.rename(columns=short)
    geom_types = set(shapely.get_type_id(df.geometry.values[~shapely.is_missing(df.geometry.values)]))
    gtype = None
    if geom_types and geom_types <= {3, 6}:
        gtype = "MultiPolygon"
    elif geom_types and geom_types <= {1, 5}:
        gtype = "MultiLineString"
    elif geom_types and geom_types <= {0}:
        gtype = "Point"
    elif not geom_types:
        gtype = "Polygon"
    for p in path.parent.glob(path.stem + ".*"):
        if p.suffix.lower() in (".shp", ".shx", ".dbf", ".prj", ".cpg"):
            p.unlink()
    kwargs = dict(driver="ESRI Shapefile", encoding=enc)
    if gtype:
        kwargs["geometry_type"] = gtype
        kwargs["promote_to_multi"] = gtype.startswith("Multi")
    for col in df.columns:   # text columns must stay text even when all empty
        if col != "geometry" and df[col].dtype == object:
            df[col] = df[col].fillna("").astype(str)
    try:
        pyogrio.write_dataframe(df, path, **kwargs)
    except Exception as exc:
        raise ExchangeError(f"{path}: " + wrap("无法写入 shapefile", "cannot write the shapefile", exc)) from exc
    # .prj in the Esri dialect, .cpg and language driver id that ArcGIS and QGIS both read
    path.with_suffix(".prj").write_text(crs_wkt or esri_wkt(gdf.crs), encoding="ascii")
    path.with_suffix(".cpg").write_text("936" if gbk else "UTF-8", encoding="ascii")
    dbf = path.with_suffix(".dbf")
    with open(dbf, "r+b") as f:
        f.seek(29)
        f.write(bytes([0x4D if gbk else 0x00]))
    with open(path.with_name(path.stem + FIELD_MAP_SUFFIX), "w", encoding="utf-8-sig", newline="") as f:
        w = csv.writer(f)
        w.writerow(["short", "long", "description"])
        for long, s in short.items():
            w.writerow([csv_safe(s), csv_safe(long), csv_safe((descriptions or {}).get(long, ""))])
    result.paths += [path.with_suffix(s) for s in (".shp", ".shx", ".dbf", ".prj", ".cpg")]
    result.paths.append(path.with_name(path.stem + FIELD_MAP_SUFFIX))
    return result


def plan_meta(plan: Plan, crs=None) -> dict:
    """What ``plan.json`` records about a plan beside its exported layers."""
    auth = plan.crs.to_authority()
    return {
        "application": "gridmap", "kind": "export", "format_version": 1,
        "name": plan.name, "admin_code": plan.admin_code,
        "plan_crs": f"{auth[0]}:{auth[1]}" if auth else plan.crs.to_wkt(),
        "export_crs": str(crs) if crs is not None else None,
        "levels": [lv.to_record(i) for i, lv in enumerate(plan.levels)],
    }


def _write_tables(plan: Plan, folder: Path) -> list[Path]:
    out = []
    for name, df in plan_tables(plan).items():
        p = folder / f"{name}.csv"
        write_csv(df, p)
        out.append(p)
    return out


def export_shapefiles(plan: Plan, out, encoding: str | None = "utf-8", crs=None, zip: bool = False,
                      **_) -> ExportResult:
    """Write the plan as shapefiles into folder ``out`` (or a zip if ``zip`` or
    ``out`` ends in .zip).  ``crs`` reprojects (``"gcj02"``/``"bd09"`` shift);
    ``encoding`` is ``"utf-8"`` (default) or ``"gbk"``."""
    out = Path(out)
    encoding = encoding or "utf-8"
    as_zip = zip or out.suffix.lower() == ".zip"
    folder = Path(tempfile.mkdtemp(prefix="gridmap-shp-")) if as_zip else out
    folder.mkdir(parents=True, exist_ok=True)
    result = ExportResult()
    try:
        layers = plan_layers(plan, crs)
        shifted = isinstance(crs, str) and crs.lower().replace("-", "") in ("gcj02", "bd09")
        if shifted:
            result.warnings.append(f"coordinates are shifted to {crs.upper()} (not a real CRS); the .prj says "
                                   "WGS84 because no CRS describes the offset")
        desc = {"grids": GRID_FIELDS, "segments": SEGMENT_FIELDS, "places": PLACE_FIELDS}
        for name, gdf in layers.items():
            if name == "places" and len(gdf):
                kinds = shapely.get_type_id(gdf.geometry.values)
                pts = np.isin(kinds, [0, 4])
                if pts.any() and not pts.all():
                    result.extend(write_shapefile(gdf[pts], folder / "places_point.shp", encoding,
                                                  PLACE_FIELDS))
                    result.extend(write_shapefile(gdf[~pts], folder / "places_polygon.shp", encoding,
                                                  PLACE_FIELDS))
                    continue
            result.extend(write_shapefile(gdf, folder / f"{name}.shp", encoding, desc.get(name)))
        result.paths += _write_tables(plan, folder)
        meta = folder / PLAN_META
        meta.write_text(json.dumps(plan_meta(plan, crs), ensure_ascii=False, indent=2), encoding="utf-8")
        result.paths.append(meta)
        if as_zip:
            target = out if out.suffix.lower() == ".zip" else out.with_suffix(".zip")
            target.parent.mkdir(parents=True, exist_ok=True)
            with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zf:
                for p in result.paths:
                    zf.write(p, p.name)
            result.paths = [target]
    finally:
        if as_zip:
            shutil.rmtree(folder, ignore_errors=True)
    return result
