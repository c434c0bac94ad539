"""Plan → GeoPackage, GeoJSON (RFC 7946), KML/KMZ and DXF.

- GeoPackage: the flat layers of :func:`~gridmap.core.exchange.layers.plan_layers`
  plus the units/people/roles tables and a ``gridmap_export`` table, so gridmap
  can rebuild the plan; any GIS reads the layers.
- GeoJSON: one RFC 7946 file per layer (WGS84 lon/lat, 7 decimals ≈ 1 cm,
  counter-clockwise exteriors), with ``plan.json`` and the tables as CSV.
- KML/KMZ: a folder per grid level plus jurisdiction, segments and places;
  placemark names are "code name", descriptions list level, parent and roles.
- DXF (AutoCAD 2000, code page ANSI_936 so Chinese layer names and texts
  open in Chinese AutoCAD, GDAL and QGIS): closed polylines per grid level on
  a layer named after the level, codes and names as texts on ``LEVEL_code`` /
  ``LEVEL_name`` layers, the jurisdiction and segments on their own layers.
"""

from __future__ import annotations

import json
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
from .cellsafe import write_csv
from .layers import plan_layers, plan_tables
from .registry import ExportResult
from .shapefile import PLAN_META, plan_meta

__all__ = ["export_gpkg", "export_geojson", "export_kml", "export_dxf", "grid_description"]


def _clear(path: Path) -> None:
    if path.exists():
        path.unlink()


def _shifted(crs) -> bool:
    return isinstance(crs, str) and crs.lower().replace("-", "") in ("gcj02", "bd09")


# GeoPackage 1.2 (user_version 10200), as the project file: QGIS 3.22 warns on every open of 1.4
_GPKG12 = {"VERSION": "1.2"}
_LAYER_TYPES = {"grids": "MultiPolygon", "jurisdiction": "MultiPolygon", "segments": "MultiLineString"}


def single_type_layers(layers: dict[str, gpd.GeoDataFrame]):
    """``(name, frame, geometry type)`` with one geometry type per layer, so QGIS opens each
    without a sublayer picker: ``places`` of points and polygons becomes ``places_point`` and
    ``places_polygon`` (as the shapefile export does); stray non-line/non-polygon parts of a
    line or polygon (e.g. points in a collection) are dropped."""
    for name, gdf in layers.items():
        if name in _LAYER_TYPES:
            gtype = _LAYER_TYPES[name]
            gdf = gdf.copy()
            gdf.geometry = keep_dimension(gdf.geometry.values, 1 if "Line" in gtype else 2)
            yield name, gdf, gtype
            continue
        kinds = shapely.get_type_id(gdf.geometry.values)
        pts = np.isin(kinds, [0, 4])
        if len(gdf) and pts.any() and not pts.all():
            yield f"{name}_point", gdf[pts], "Point" if (kinds[pts] == 0).all() else "MultiPoint"
            rest = gdf[~pts].copy()
            rest.geometry = keep_dimension(rest.geometry.values, 2)
            yield f"{name}_polygon", rest, "MultiPolygon"
        elif len(gdf) and pts.all():
            yield name, gdf, "Point" if (kinds == 0).all() else "MultiPoint"
        else:
            gdf = gdf.copy()
            gdf.geometry = keep_dimension(gdf.geometry.values, 2)
            yield name, gdf, "MultiPolygon"


def keep_dimension(geoms, dim: int):
    """Only the parts of dimension ``dim`` (1 lines, 2 polygons) of each geometry; None if none.

    >>> g = shapely.from_wkt("GEOMETRYCOLLECTION (POINT (0 0), LINESTRING (0 0, 1 1))")
    >>> [x.wkt for x in keep_dimension([g], 1)]
    ['LINESTRING (0 0, 1 1)']
    """
    out = []
    for g in geoms:
        if g is None or g.is_empty:
            out.append(g)
            continue
        parts = [p for p in shapely.get_parts(g) if p is not None]
        flat = []
        for p in parts:
            flat += list(shapely.get_parts(p)) if shapely.get_type_id(p) == 7 else [p]
        keep = [p for p in flat if shapely.get_dimensions(p) == dim and not p.is_empty]
        if len(keep) == len(flat) and shapely.get_type_id(g) != 7:
            out.append(g)
        elif not keep:
            out.append(None)
        else:
            out.append(keep[0] if len(keep) == 1 else (shapely.multilinestrings(keep) if dim == 1
                                                        else shapely.multipolygons(keep)))
    return np.asarray(out, dtype=object)


def export_gpkg(plan: Plan, out, crs=None, **_) -> ExportResult:
    """Write the plan's flat layers and tables to one GeoPackage."""
    out = Path(out)
    _clear(out)
    result = ExportResult(paths=[out])
    layers = plan_layers(plan, crs)
    try:
        for name, gdf, gtype in single_type_layers(layers):
            pyogrio.write_dataframe(gdf, out, layer=name, driver="GPKG", geometry_type=gtype,
                                    promote_to_multi=gtype.startswith("Multi"), dataset_options=_GPKG12)
        for name, df in plan_tables(plan).items():
            pyogrio.write_dataframe(_nullable(df), out, layer=name, driver="GPKG", dataset_options=_GPKG12)
        meta = pd.DataFrame({"json": [json.dumps(plan_meta(plan, crs), ensure_ascii=False)]})
        pyogrio.write_dataframe(meta, out, layer="gridmap_export", driver="GPKG", dataset_options=_GPKG12)
    except Exception as exc:
        raise ExchangeError(f"{out}: " + wrap("无法写入 GeoPackage", "cannot write the GeoPackage", exc)) from exc
    if _shifted(crs):
        result.warnings.append(f"coordinates are shifted to {crs.upper()}; the layers say WGS84")
    return result


def _nullable(df: pd.DataFrame) -> pd.DataFrame:
    df = df.copy()
    for c in df.columns:
        if str(df[c].dtype) == "Int64":
            df[c] = df[c].astype("float")
    return df


def export_geojson(plan: Plan, out, crs=None, **_) -> ExportResult:
    """One RFC 7946 GeoJSON file per layer in folder ``out`` (WGS84; ``crs="gcj02"``/``"bd09"`` shifts)."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    result = ExportResult()
    dst = crs if _shifted(crs) else "EPSG:4326"
    if crs is not None and not _shifted(crs):
        result.warnings.append("GeoJSON (RFC 7946) is always WGS84 longitude/latitude; --crs was not used")
    for name, gdf, gtype in single_type_layers(plan_layers(plan, dst)):
        p = out / f"{name}.geojson"
        _clear(p)
        # GDAL's RFC7946 mode cuts geometries at the antimeridian and turned touching line parts into
        # GeometryCollections (MultiPoint + MultiLineString): write lon/lat ourselves, CCW exteriors,
        # 7 decimals (≈ 1 cm) as RFC 7946 asks, one geometry type per file
        gdf = gdf.copy()
        gdf.geometry = shapely.orient_polygons(gdf.geometry.values, exterior_cw=False)
        pyogrio.write_dataframe(gdf, p, driver="GeoJSON", geometry_type=gtype,
                                promote_to_multi=gtype.startswith("Multi"),
                                layer_options={"RFC7946": "NO", "COORDINATE_PRECISION": "7", "WRITE_NAME": "NO"})
        doc = json.loads(p.read_text(encoding="utf-8"))
        doc.pop("crs", None)               # RFC 7946 has no crs member: lon/lat WGS84 is implied
        p.write_text(json.dumps(doc, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
        result.paths.append(p)
    for name, df in plan_tables(plan).items():
        p = out / f"{name}.csv"
        write_csv(df, p)
        result.paths.append(p)
    meta = out / PLAN_META
    meta.write_text(json.dumps(plan_meta(plan, dst if _shifted(crs) else "EPSG:4326"), ensure_ascii=False,
                               indent=2), encoding="utf-8")
    result.paths.append(meta)
    return result


def grid_description(row) -> str:
    """The KML description of an exported grid row: level, parent, area and roles, one per line."""
    parts = [f"网格编号：{row['code']}", f"层级：{row['level_name']}"]
    if row.get("parent_code"):
        parts.append(f"上级网格：{row['parent_code']} {row.get('parent_name', '')}".rstrip())
    parts.append(f"面积：{float(row['area_m2']):,.0f} m²")
    labels = (("leader", "挂点领导/网格长"), ("leader_phone", "领导电话"), ("deputy", "副网格长"),
              ("officers", "网格员"), ("officer_phones", "网格员电话"), ("lead_unit", "牵头单位"),
              ("responsible_units", "责任单位"), ("partners", "协作力量"), ("duties", "职责"))
    parts += [f"{label}：{row[k]}" for k, label in labels if row.get(k)]
    return "\n".join(parts)


def export_kml(plan: Plan, out, crs=None, **_) -> ExportResult:
    """KML (or KMZ if ``out`` ends in .kmz): a folder per grid level, then jurisdiction, segments, places."""
    out = Path(out)
    kmz = out.suffix.lower() == ".kmz"
    dst = crs if _shifted(crs) else "EPSG:4326"
    layers = plan_layers(plan, dst)
    tmpdir = Path(tempfile.mkdtemp(prefix="gridmap-kml-"))
    kml = tmpdir / "doc.kml" if kmz else out
    _clear(kml)
    result = ExportResult(paths=[out])
    try:
        grids = layers["grids"]
        grids["Name"] = (grids["code"] + " " + grids["name"]).str.strip()
        grids = grids.rename(columns={"name": "grid_name"})
        grids["Description"] = [grid_description(r) for r in grids.to_dict("records")]
        first = True
        folders: list[tuple[str, gpd.GeoDataFrame]] = []
        for lv in plan.levels:
            folders.append((lv.name, grids[grids["level"] == lv.key]))
        if "jurisdiction" in layers:
            j = layers["jurisdiction"]
            j = j.rename(columns={"name": "plan_name"})
            j["Name"] = j["plan_name"]
            j["Description"] = "辖区 " + j["admin_code"]
            folders.append(("辖区", j))
        s = layers["segments"]
        s["Name"] = s["road_name"]
        s["Description"] = ["\n".join(x for x in (f"起止：{a}—{b}" if a or b else "",
                                                  f"所属网格：{c} {n}".strip() if c else "",
                                                  f"责任人：{o} {p}".strip() if o else "") if x)
                            for a, b, c, n, o, p in zip(s["from_desc"], s["to_desc"], s["grid_code"], s["grid_name"],
                                                        s["officer"], s["officer_phone"])]
        folders.append(("路段", s))
        p = layers["places"]
        p = p.rename(columns={"name": "place_name"})
        p["Name"] = p["place_name"]
        p["Description"] = [f"{k} {c} {n}".strip() for k, c, n in zip(p["kind"], p["grid_code"], p["grid_name"])]
        folders.append(("场所", p))
        for name, gdf in folders:
            if not len(gdf):
                continue
            gdf = gdf[["Name", "Description"] + [c for c in gdf.columns if c not in ("Name", "Description")]]
            kwargs = dict(driver="KML", layer=name,
                          dataset_options={"NameField": "Name", "DescriptionField": "Description"})
            if not first:
                kwargs["append"] = True
            pyogrio.write_dataframe(gdf, kml, **kwargs)
            first = False
        if kmz:
            _clear(out)
            with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
                zf.write(kml, "doc.kml")
    except ExchangeError:
        raise
    except Exception as exc:
        raise ExchangeError(f"{out}: " + wrap("无法写入 KML", "cannot write KML", exc)) from exc
    finally:
        shutil.rmtree(tmpdir, ignore_errors=True)
    return result


def export_dxf(plan: Plan, out, crs=None, **_) -> ExportResult:
    """DXF of grid boundaries (closed polylines per level), codes and names as texts."""
    import ezdxf

    out = Path(out)
    if _shifted(crs):
        raise ExchangeError(f"{out}: " + bi("DXF 用于以米为单位的 CAD 图纸，GCJ-02/BD-09 经纬度不适用",
                                           "DXF is for CAD drawings in metres; GCJ-02/BD-09 lon/lat make no sense there"))
    layers = plan_layers(plan, crs)
    if not layers["grids"].crs.is_projected:
        raise ExchangeError(f"{out}: " + bi("DXF 需要以米为单位的投影坐标系（请给 --crs EPSG:45xx）",
                                           "DXF needs a projected CRS in metres (give --crs EPSG:45xx)"))
    doc = ezdxf.new("R2000")
    doc.encoding = "gbk"        # $DWGCODEPAGE ANSI_936; characters outside GBK are written as \U+XXXX
    doc.header["$INSUNITS"] = 6  # metres
    msp = doc.modelspace()
    grids = layers["grids"]
    colors = [1, 3, 5, 4, 6, 2]
    for k, lv in enumerate(plan.levels):
        sub = grids[grids["level"] == lv.key]
        color = colors[k % len(colors)]
        for suffix in ("", "_code", "_name"):
            if lv.name + suffix not in doc.layers:
                doc.layers.add(lv.name + suffix, color=color)
        for code, name, geom in zip(sub["code"], sub["name"], sub.geometry.values):
            if geom is None or geom.is_empty:
                continue
            for poly in getattr(geom, "geoms", [geom]):
                for ring in [poly.exterior, *poly.interiors]:
                    msp.add_lwpolyline(list(ring.coords)[:-1], close=True, dxfattribs={"layer": lv.name})
            pt = shapely.point_on_surface(geom)
            h = max(float(np.sqrt(max(geom.area, 1.0))) / 20.0, 0.5)
            if code:
                msp.add_text(code, height=h, dxfattribs={"layer": lv.name + "_code"}).set_placement(
                    (pt.x, pt.y + 0.6 * h), align=ezdxf.enums.TextEntityAlignment.MIDDLE_CENTER)
            if name:
                msp.add_text(name, height=h, dxfattribs={"layer": lv.name + "_name"}).set_placement(
                    (pt.x, pt.y - 0.6 * h), align=ezdxf.enums.TextEntityAlignment.MIDDLE_CENTER)
    if "jurisdiction" in layers:
        doc.layers.add("辖区", color=7)
        for geom in layers["jurisdiction"].geometry.values:
            for poly in getattr(geom, "geoms", [geom]):
                msp.add_lwpolyline(list(poly.exterior.coords)[:-1], close=True, dxfattribs={"layer": "辖区"})
    segs = layers["segments"]
    if len(segs):
        doc.layers.add("路段", color=8)
        for geom in segs.geometry.values:
            for line in getattr(geom, "geoms", [geom]):
                msp.add_lwpolyline(list(line.coords), dxfattribs={"layer": "路段"})
    _clear(out)
    try:
        doc.saveas(out)
    except OSError as exc:
        raise ExchangeError(f"{out}: " + bi("无法写入", "cannot write") + f" ({exc.strerror})") from exc
    return ExportResult(paths=[out])
