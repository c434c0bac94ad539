"""Read layers from the files grid plans travel in, with every quirk reported.

:func:`read_layer` reads a shapefile (also zipped), GeoPackage, GeoJSON,
KML/KMZ, DXF (closed polylines → polygons, CAD layer names kept, texts inside
a polygon joined to it) or CSV/XLSX (a WKT column or x/y columns) into a
GeoDataFrame and a :class:`ReadReport` that says what was detected (text
encoding, CRS) and what was repaired.  Problems — truncated .shp, missing
.shx, a .dbf that belongs to another file, invalid rings, empty or 3D
geometries, coordinates that cannot be in the declared CRS, zip entries that
escape their folder — raise :class:`~gridmap.core.exchange.ExchangeError`
naming the file and the problem; with ``repair=True`` the repairable ones are
repaired and reported instead.

>>> import tempfile, pathlib, geopandas as gpd
>>> from shapely import box
>>> d = pathlib.Path(tempfile.mkdtemp())
>>> gpd.GeoDataFrame({"名称": ["甲"]}, geometry=[box(0, 0, 1, 1)], crs=4490).to_file(d / "a.geojson")
>>> gdf, report = read_layer(d / "a.geojson")
>>> gdf["名称"].tolist(), report.crs.to_epsg()
(['甲'], 4490)
"""

from __future__ import annotations

import contextlib
import csv
import io
import re
import shutil
import struct
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import shapely
from pyproj import CRS

from .. import gcj02
from ..messages import bi, wrap
from ..workers import Cancelled, cancel_point, in_job, step
from . import ExchangeError
from .cellsafe import csv_unsafe
from .encoding import EncodingGuess, codec_for, detect_dbf_encoding, detect_encoding, dbf_located_values, refine, truncated_field_names
from .prj import SHIFTED, CrsGuess, check_coordinates, guess_crs, read_prj

__all__ = ["ReadReport", "read_layer", "list_layers", "inspect", "read_field_map", "FIELD_MAP_SUFFIX",
           "safe_extract", "VECTOR_SUFFIXES", "TABLE_SUFFIXES", "check_shapefile", "nan_shapes"]

FIELD_MAP_SUFFIX = ".fieldmap.csv"
VECTOR_SUFFIXES = (".shp", ".gpkg", ".geojson", ".json", ".kml", ".kmz", ".dxf", ".zip")
TABLE_SUFFIXES = (".csv", ".xlsx", ".txt")
_WKT_COLUMNS = ("wkt", "geometry", "geom", "the_geom", "shape", "几何", "图形", "坐标串")
_XY_COLUMNS = (("x", "y"), ("lon", "lat"), ("lng", "lat"), ("longitude", "latitude"), ("经度", "纬度"),
               ("东坐标", "北坐标"), ("x坐标", "y坐标"), ("横坐标", "纵坐标"), ("point_x", "point_y"))


@dataclass
class ReadReport:
    """What :func:`read_layer` found and did."""

    path: str
    layer: str = ""
    driver: str = ""
    features: int = 0
    encoding: EncodingGuess | None = None
    crs: CRS | None = None
    crs_source: str = ""            # "file", ".prj", "declared", "guessed", "gcj02"/"bd09" shift
    crs_guess: CrsGuess | None = None
    field_map: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        out = [f"{self.path}{' : ' + self.layer if self.layer else ''}: {self.features} features ({self.driver})"]
        if self.encoding:
            out.append(bi("编码", "encoding") + f": {self.encoding.label} ({self.encoding.source}); "
                       + bi("例如", "e.g.") + " " + ", ".join(self.encoding.preview[:3]))
        if self.crs is not None:
            source = {"file": bi("文件", "file"), "declared": bi("指定", "declared"),
                      "guessed": bi("推测", "guessed")}.get(self.crs_source, self.crs_source)
            out.append(bi("坐标系", "CRS") + f": {self.crs.to_string()} {self.crs.name} ({source})")
        out += [f"note: {n}" for n in self.notes]
        return out


# ---------------------------------------------------------------------- helpers
@contextlib.contextmanager
def _gdal_config(**options):
    old = {k: pyogrio.get_gdal_config_option(k) for k in options}
    pyogrio.set_gdal_config_options(options)
    try:
        yield
    finally:
        pyogrio.set_gdal_config_options(old)


def _fail(path, problem: str) -> ExchangeError:
    return ExchangeError(f"{path}: {problem}")


def safe_extract(zpath, dest) -> list[Path]:
    """Extract a zip archive, refusing entries that would land outside ``dest``.

    Entry names are decoded as UTF-8 when flagged so, else tried as GBK (zip
    tools on Chinese Windows write GBK names)."""
    zpath, dest = Path(zpath), Path(dest)
    try:
        zf = zipfile.ZipFile(zpath)
    except (zipfile.BadZipFile, OSError) as exc:
        raise _fail(zpath, wrap("不是可读的 zip 压缩包", "not a readable zip archive", exc)) from exc
    out = []
    with zf:
        for info in zf.infolist():
            name = info.filename
            if not info.flag_bits & 0x800:
                with contextlib.suppress(UnicodeEncodeError, UnicodeDecodeError):
                    name = name.encode("cp437").decode("gb18030")
            p = PurePosixPath(name.replace("\\", "/"))
            if p.is_absolute() or ".." in p.parts or re.match(r"^[A-Za-z]:", name):
                raise _fail(zpath, bi(f"不安全的压缩包条目 {info.filename!r}（会写到解压文件夹之外），未解压",
                                      f"unsafe zip entry {info.filename!r} (it would be written outside the "
                                      "extraction folder); the archive was not extracted"))
            if info.is_dir():
                continue
            target = dest.joinpath(*p.parts)
            target.parent.mkdir(parents=True, exist_ok=True)
            with zf.open(info) as src, open(target, "wb") as dst:
                shutil.copyfileobj(src, dst)
            out.append(target)
    return out


def _sidecar(shp: Path, ext: str) -> Path | None:
    for p in shp.parent.glob(shp.stem + ".*"):
        if p.suffix.lower() == ext:
            return p
    return None


def read_field_map(path) -> dict[str, str]:
    """Short → long field names from a gridmap field-map file beside a shapefile
    (``NAME.fieldmap.csv``), or {} if there is none."""
    path = Path(path)
    fm = path.with_name(path.stem + FIELD_MAP_SUFFIX)
    if not fm.exists():
        return {}
    with open(fm, encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    return {csv_unsafe(r["short"]): csv_unsafe(r["long"]) for r in rows if r.get("short") and r.get("long")}


def _readable_names(shp: Path, report: ReadReport) -> Path:
    """The shapefile to hand to GDAL: ``shp`` itself, or a copy whose field names cut at 10 bytes in
    the middle of a character are shortened to whole characters (GDAL cannot decode them).  Notes
    what was changed, and how many text values lose characters in the chosen encoding."""
    enc = report.encoding
    dbf = _sidecar(shp, ".dbf")
    if enc is not None and enc.source == "given" and dbf is not None:
        try:
            enc = report.encoding = refine(enc, dbf_located_values(dbf))
        except (ExchangeError, OSError, struct.error):
            pass
    if enc is not None and enc.replacement_note():
        report.notes.append(enc.replacement_note())
    if enc is None or dbf is None:
        return shp
    try:
        head = truncated_field_names(dbf, enc.codec)
    except (OSError, struct.error):
        return shp
    if head is None:
        return shp
    tmp = Path(tempfile.mkdtemp(prefix="gridmap-dbf-"))
    for p in shp.parent.glob(shp.stem + ".*"):
        shutil.copyfile(p, tmp / (shp.stem + p.suffix.lower()))
    data = (tmp / (shp.stem + ".dbf")).read_bytes()
    (tmp / (shp.stem + ".dbf")).write_bytes(head + data[len(head):])
    report.notes.append(f"{dbf.name}: " + bi("字段名在 10 字节处被截断，已去掉不完整的字",
                                             "field names cut at 10 bytes in the middle of a character were read "
                                             "without the partial character"))
    return tmp / (shp.stem + ".shp")


def _wrong_encoding_message(shp: Path, enc) -> str:
    """The attributes do not decode with the encoding chosen (a .cpg that lies, a wrong --encoding):
    say where that encoding came from and which --encoding the text values suggest."""
    from .encoding import detect_encoding

    label = enc.label if enc is not None else "?"
    where_zh = {"given": "--encoding 指定的"}.get(getattr(enc, "source", ""), "")
    where_en = {"given": "given with --encoding"}.get(getattr(enc, "source", ""), "")
    src = str(getattr(enc, "source", ""))
    if ".cpg" in src:
        where_zh, where_en = ".cpg 文件声明的", "declared by the .cpg file"
    suggestion = ""
    try:
        dbf = _sidecar(shp, ".dbf")
        values = [v for _, v in dbf_located_values(dbf)] if dbf is not None else []
        guess = detect_encoding(values)
        if guess.codec != getattr(enc, "codec", None):
            suggestion = {"gb18030": "gbk", "cp950": "big5", "big5hkscs": "big5hkscs"}.get(guess.codec, guess.codec)
    except Exception:  # the hint is a courtesy: never hide the real message behind a second failure
        suggestion = ""
    example = suggestion or "gbk"
    pad = " " + where_zh if where_zh else ""
    return bi(f"属性文字不是{pad}编码 {label}，无法解码；请用 --encoding 指定正确的编码"
              f"（例如 --encoding {example}）",
              f"the attribute text is not in the encoding {label}{' ' + where_en if where_en else ''} and cannot "
              f"be decoded; give the right one with --encoding (e.g. --encoding {example})")


_XY_AT = {1: 0, 11: 0, 21: 0, 8: 36, 18: 36, 28: 36}  # point / multipoint: where the x/y pairs start
_PARTS = {3, 5, 13, 15, 23, 25, 31}                     # polyline / polygon / multipatch: after the parts


def nan_shapes(shp, shx=None, limit: int | None = None) -> list[int]:
    """Record numbers (1-based) of a shapefile's shapes with NaN (not-a-number) x or y.

    GDAL reads such rings as "not closed" and shapely refuses them, so the shapes
    are found here, in the .shp itself (the .shx gives where each record starts)."""
    shp = Path(shp)
    shx = Path(shx) if shx is not None else _sidecar(shp, ".shx")
    data = shp.read_bytes()
    if shx is not None:
        index = shx.read_bytes()[100:]
        offsets = [struct.unpack(">i", index[i:i + 4])[0] * 2 for i in range(0, len(index) - 7, 8)]
    else:  # walk the records one after the other
        offsets, pos = [], 100
        while pos + 8 <= len(data):
            offsets.append(pos)
            pos += 8 + struct.unpack(">i", data[pos + 4:pos + 8])[0] * 2
    bad = []
    for k, off in enumerate(offsets[:limit]):
        rec = off + 8
        if rec + 4 > len(data):
            break
        kind, = struct.unpack("<i", data[rec:rec + 4])
        if kind in _XY_AT:
            start = rec + 4 + _XY_AT[kind]
            npts = 1 if _XY_AT[kind] == 0 else struct.unpack("<i", data[rec + 36:rec + 40])[0]
        elif kind in _PARTS:
            nparts, npts = struct.unpack("<ii", data[rec + 36:rec + 44])
            start = rec + 44 + 4 * nparts
        else:
            continue
        if npts <= 0 or start + 16 * npts > len(data):
            continue
        xy = np.frombuffer(data, dtype="<f8", count=2 * npts, offset=start)
        if np.isnan(xy).any():
            bad.append(k + 1)
    return bad


def nan_message(rows: list[int]) -> str:
    shown = ", ".join(map(str, rows[:10])) + ("…" if len(rows) > 10 else "")
    return bi(f"{len(rows)} 个要素的坐标是 NaN（非数字），无法绘制或量算（要素 {shown}）；请在原软件中修正或删去这些要素",
              f"{len(rows)} features have NaN (not-a-number) coordinates and cannot be drawn or measured "
              f"(features {shown}); fix or delete them in the program that made the file")


def check_shapefile(shp: Path, repair: bool, report: ReadReport) -> tuple[Path, int | None]:
    """Check a shapefile's parts (truncated .shp, missing .shx/.dbf, a .dbf of another .shp,
    NaN coordinates) and raise :class:`ExchangeError` naming the problem; with ``repair`` the
    repairable ones are repaired (in a temporary copy) and noted in ``report``.  Returns the
    (possibly repaired copy) path and a feature limit."""
    shp = Path(shp)
    size = shp.stat().st_size
    if size < 100:
        raise _fail(shp, bi(f"文件被截断：只有 {size} 字节，比 100 字节的 shapefile 文件头还短",
                            f"truncated: {size} bytes, shorter than the 100-byte shapefile header"))
    head = shp.read_bytes()[:100]
    code, = struct.unpack(">i", head[:4])
    if code != 9994:
        raise _fail(shp, bi("不是 shapefile（文件头的文件代码不对）", "not a shapefile (bad file code in the header)"))
    declared = struct.unpack(">i", head[24:28])[0] * 2
    dbf = _sidecar(shp, ".dbf")
    if dbf is None:
        raise _fail(shp, bi(f"缺少属性文件 {shp.stem}.dbf（名称、编码等都在其中）",
                            f"the attribute file {shp.stem}.dbf is missing (names, codes … are in it)"))
    shx = _sidecar(shp, ".shx")
    limit = None
    if shx is None:
        if not repair:
            raise _fail(shp, bi(f"缺少索引文件 {shp.stem}.shx；导入时加 --repair 可由 .shp 重建",
                                f"the index file {shp.stem}.shx is missing; import with repair "
                                "(--repair) to rebuild it from the .shp"))
        tmp = Path(tempfile.mkdtemp(prefix="gridmap-shx-"))
        for p in shp.parent.glob(shp.stem + ".*"):
            shutil.copy2(p, tmp / p.name)
        shp = tmp / shp.name
        with _gdal_config(SHAPE_RESTORE_SHX="YES"):
            pyogrio.read_info(shp)
        report.notes.append(bi(f"已修复：由 .shp 重建了缺少的 {shp.stem}.shx",
                               f"repaired: rebuilt the missing {shp.stem}.shx from the .shp"))
        shx = _sidecar(shp, ".shx")
    nshapes = max((shx.stat().st_size - 100) // 8, 0)
    nrec = struct.unpack("<I", dbf.read_bytes()[4:8])[0] if dbf.stat().st_size >= 8 else 0
    if size < declared:
        offsets = np.frombuffer(shx.read_bytes()[100:100 + 8 * nshapes], dtype=">i4").reshape(-1, 2) * 2
        complete = int(np.sum(offsets[:, 0] + 8 + offsets[:, 1] <= size))
        if not repair:
            raise _fail(shp, bi(f"文件被截断：文件头写明 {declared} 字节，实际只有 {size} 字节；{nshapes} 个图形中 "
                                f"{complete} 个完整（导入时加 --repair 可保留这些）",
                                f"truncated: the header says {declared} bytes but the file has {size}; "
                                f"{complete} of {nshapes} shapes are complete (import with --repair to keep those)"))
        report.notes.append(bi(f"已修复：{shp.name} 被截断；保留了 {nshapes} 个图形中完整的 {complete} 个，"
                               f"删去 {nshapes - complete} 个",
                               f"repaired: {shp.name} is truncated; kept the {complete} complete shapes "
                               f"of {nshapes}, dropped {nshapes - complete}"))
        limit = complete
    if nrec != nshapes:
        if not repair:
            raise _fail(shp, bi(f"有 {nshapes} 个图形，但 {dbf.name} 有 {nrec} 条记录：该 .dbf 与此 .shp 不配套"
                                f"（导入时加 --repair 可各取前 {min(nrec, nshapes)} 条配对）",
                                f"has {nshapes} shapes but {dbf.name} has {nrec} records: the .dbf does not "
                                "belong to this .shp (import with --repair to pair the first "
                                f"{min(nrec, nshapes)} of each)"))
        limit = min(limit if limit is not None else nshapes, nrec)
        report.notes.append(bi(f"已修复：{nshapes} 个图形但有 {nrec} 条属性记录；只保留前 {limit} 条",
                               f"repaired: {nshapes} shapes but {nrec} attribute records; kept the first {limit}"))
    nan = nan_shapes(shp, shx, limit)
    if nan:
        raise _fail(shp, nan_message(nan))
    return shp, limit


_check_shapefile = check_shapefile  # the former private name


def _unescape_dxf(text):
    if not isinstance(text, str) or "\\U+" not in text:
        return text
    return re.sub(r"\\U\+([0-9A-Fa-f]{4,5})", lambda m: chr(int(m.group(1), 16)), text)


def _read_dxf(path: Path, report: ReadReport) -> gpd.GeoDataFrame:
    with _gdal_config(DXF_CLOSED_LINE_AS_POLYGON="TRUE"):
        raw = pyogrio.read_dataframe(path)
    raw["Layer"] = raw["Layer"].map(_unescape_dxf)
    raw["Text"] = raw["Text"].map(_unescape_dxf) if "Text" in raw else None
    gt = raw.geometry.geom_type
    polys = raw[gt.isin(["Polygon", "MultiPolygon"])].copy()
    texts = raw[gt.isin(["Point", "MultiPoint"]) & raw["Text"].notna()]
    lines = int(gt.isin(["LineString", "MultiLineString"]).sum())
    if lines:
        report.notes.append(bi(f"跳过了 {lines} 条不闭合的线", f"{lines} open lines (not closed polylines) were skipped"))
    out = gpd.GeoDataFrame({"layer": polys["Layer"].astype(str).values}, geometry=polys.geometry.values,
                           crs=None)
    if len(texts) and len(out):
        for tlayer, group in texts.groupby("Layer"):
            col, target = str(tlayer), np.arange(len(out))
            for poly_layer in sorted(set(out["layer"]), key=len, reverse=True):
                if col.startswith(poly_layer + "_"):   # "小网格_code" labels polygons on "小网格"
                    col = col[len(poly_layer) + 1:]
                    target = np.flatnonzero(out["layer"].to_numpy() == poly_layer)
                    break
            tree = shapely.STRtree(out.geometry.values[target])
            src, dst = tree.query(group.geometry.values, predicate="within")
            dst = target[dst]
            values = pd.Series(pd.NA, index=range(len(out)), dtype=object)
            for s, d in zip(src, dst):
                t = str(group["Text"].iloc[s])
                values[d] = t if pd.isna(values[d]) else f"{values[d]} {t}"
            if col in out.columns:
                out[col] = out[col].where(out[col].notna(), values.values)
            else:
                out[col] = values.values
        report.notes.append(bi(f"{len(texts)} 个文字已关联到其所在的闭合多段线",
                               f"{len(texts)} texts joined to the closed polylines they lie in"))
    report.driver = "DXF"
    return out


def _read_table(path: Path, report: ReadReport, encoding: str | None, sheet=None) -> gpd.GeoDataFrame:
    if path.suffix.lower() == ".xlsx":
        try:
            df = pd.read_excel(path, sheet_name=sheet or 0, dtype=str)
        except Exception as exc:
            raise _fail(path, wrap("不是可读的 XLSX 工作簿", "not a readable XLSX workbook", exc)) from exc
        report.driver = "XLSX"
    else:
        raw = path.read_bytes()
        if encoding:
            codec = codec_for(encoding)
        elif raw.startswith(b"\xef\xbb\xbf"):
            codec = "utf-8-sig"
        else:
            report.encoding = detect_encoding(raw.splitlines()[:5000])
            codec = report.encoding.codec
        try:
            text = raw.decode(codec)
        except UnicodeDecodeError as exc:
            raise _fail(path, bi(f"文字不是 {codec} 编码（第 {exc.start} 字节），可用 --encoding 指定编码",
                                  f"text is not {codec} ({exc.reason} at byte {exc.start}); give --encoding")) from exc
        df = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False, sep=None, engine="python")
        report.driver = "CSV"
    df.columns = [str(c).strip() for c in df.columns]
    lower = {c.lower(): c for c in df.columns}
    wkt = next((lower[c] for c in _WKT_COLUMNS if c in lower), None)
    if wkt is not None:
        vals = df[wkt].fillna("").astype(str).str.strip()
        geoms = shapely.from_wkt(vals.where(vals != "", None), on_invalid="ignore")
        bad = [i + 2 for i, (v, g) in enumerate(zip(vals, geoms)) if v and g is None]
        if bad:
            raise _fail(path, bi(f"列 {wkt!r}：第 {', '.join(map(str, bad[:10]))} 行不是有效的 WKT",
                                  f"column {wkt!r}: rows {', '.join(map(str, bad[:10]))} are not valid WKT"))
        df = df.drop(columns=[wkt])
    else:
        pair = next(((lower[x], lower[y]) for x, y in _XY_COLUMNS if x in lower and y in lower), None)
        if pair is None:
            raise _fail(path, bi("没有几何：需要 WKT 列（" + ", ".join(_WKT_COLUMNS[:3]) + "）或坐标列（x/y、经度/纬度）",
                                "no geometry: expected a WKT column (" + ", ".join(_WKT_COLUMNS[:3]) +
                                ") or coordinate columns (x/y, lon/lat, 经度/纬度)"))
        xs = pd.to_numeric(df[pair[0]].astype(str).str.strip(), errors="coerce")
        ys = pd.to_numeric(df[pair[1]].astype(str).str.strip(), errors="coerce")
        bad = [i + 2 for i in np.flatnonzero(xs.isna().to_numpy() | ys.isna().to_numpy())]
        if bad:
            raise _fail(path, bi(f"列 {pair[0]!r}/{pair[1]!r}：第 {', '.join(map(str, bad[:10]))} 行没有数字坐标",
                                  f"columns {pair[0]!r}/{pair[1]!r}: rows {', '.join(map(str, bad[:10]))} "
                                  "have no numeric coordinates"))
        geoms = shapely.points(xs.to_numpy(float), ys.to_numpy(float))
    return gpd.GeoDataFrame(df, geometry=np.asarray(geoms, dtype=object), crs=None)


def list_layers(path) -> list[tuple[str, str]]:
    """(layer name, geometry type) of a vector file (a zip: of its first dataset)."""
    path = Path(path)
    if not path.exists():
        raise _fail(path, bi("文件不存在", "file not found"))
    if path.suffix.lower() in TABLE_SUFFIXES:
        return [(path.stem, "table")]
    try:
        return [(str(n), str(g)) for n, g in pyogrio.list_layers(path)]
    except Exception as exc:
        raise _fail(path, wrap("不是可读的 GIS 文件（可能已损坏或格式不对）",
                               "not a readable GIS file (damaged or of another format)", exc)) from exc


# ---------------------------------------------------------------------- geometry checks
def _clean_geometries(gdf: gpd.GeoDataFrame, path, repair: bool, report: ReadReport) -> gpd.GeoDataFrame:
    geoms = gdf.geometry.values
    empty = np.asarray(shapely.is_missing(geoms) | shapely.is_empty(geoms))
    if empty.any():
        rows = np.flatnonzero(empty)
        if not repair:
            raise _fail(path, bi(f"{len(rows)} 个要素没有几何（例如第 {rows[0] + 1} 个）；导入时加 --repair 可删去它们",
                                  f"{len(rows)} features have no geometry (e.g. feature {rows[0] + 1}); "
                                  "import with --repair to drop them"))
        gdf = gdf[~empty]
        listed = ", ".join(str(r + 1) for r in rows[:10])
        report.notes.append(bi(f"已修复：删去了 {len(rows)} 个没有几何的要素（要素 {listed}）",
                               f"repaired: dropped {len(rows)} features without geometry (features {listed})"))
        geoms = gdf.geometry.values
    if len(gdf) and np.asarray(shapely.has_z(geoms)).any():
        zs = shapely.get_coordinates(geoms, include_z=True)[:, 2]
        zs = zs[np.isfinite(zs)]
        if len(zs) and np.ptp(zs) > 0 and not repair:
            raise _fail(path, bi(f"几何是三维的，高程 {zs.min():g}…{zs.max():g}；方案是二维的（导入时加 --repair 可去掉高程）",
                                  f"geometries are 3D with heights {zs.min():g}…{zs.max():g}; a plan is 2D "
                                  "(import with --repair to drop the heights)"))
        gdf = gdf.set_geometry(shapely.force_2d(geoms), crs=gdf.crs)
        varied = bool(len(zs) and np.ptp(zs) > 0)
        report.notes.append(bi("三维坐标已转为二维" + (f"（去掉了高程 {zs.min():g}…{zs.max():g}）" if varied
                                                  else "（高程都相同）"),
                               "3D coordinates flattened to 2D" + (f" (heights {zs.min():g}…{zs.max():g} dropped)"
                                                                   if varied else " (all heights equal)")))
        geoms = gdf.geometry.values
    if len(gdf) and hasattr(shapely, "has_m") and np.asarray(shapely.has_m(geoms)).any():
        gdf = gdf.set_geometry(shapely.force_2d(geoms), crs=gdf.crs)
        report.notes.append(bi("已去掉 M（量测）值", "M (measure) values dropped"))
        geoms = gdf.geometry.values
    if len(gdf):
        coords = shapely.get_coordinates(geoms)
        if np.isnan(coords).any():
            counts = shapely.get_num_coordinates(geoms)
            owner = np.repeat(np.arange(len(geoms)), counts)
            raise _fail(path, nan_message(sorted({int(r) + 1 for r in owner[np.isnan(coords).any(axis=1)]})))
    valid = np.asarray(shapely.is_valid(geoms))
    if not valid.all():
        rows = np.flatnonzero(~valid)
        reasons = [shapely.is_valid_reason(geoms[r]) for r in rows[:3]]
        if not repair:
            raise _fail(path, bi(f"{len(rows)} 个无效几何，例如第 {rows[0] + 1} 个：{reasons[0]}（导入时加 --repair 可修复）",
                                  f"{len(rows)} invalid geometries, e.g. feature {rows[0] + 1}: {reasons[0]} "
                                  "(import with --repair to fix them)"))
        fixed = shapely.make_valid(geoms[rows], method="structure", keep_collapsed=False)
        poly_input = np.isin(shapely.get_type_id(geoms[rows]), [3, 6])
        if poly_input.any():
            fixed[poly_input] = [_polygonal(g) for g in fixed[poly_input]]
        new = geoms.copy()
        new[rows] = fixed
        gdf = gdf.set_geometry(new, crs=gdf.crs)
        listed = ", ".join(str(r + 1) for r in rows[:10])
        report.notes.append(bi(f"已修复：{len(rows)} 个无效几何已修正（要素 {listed}；例如 {reasons[0]}）",
                               f"repaired: {len(rows)} invalid geometries made valid (features {listed}; "
                               f"e.g. {reasons[0]})"))
    return gdf


def _polygonal(g):
    if g is None:
        return g
    if g.geom_type in ("Polygon", "MultiPolygon"):
        return g
    parts = [p for p in getattr(g, "geoms", [g]) if p.geom_type in ("Polygon", "MultiPolygon")]
    return shapely.union_all(parts) if parts else shapely.Polygon()


# ---------------------------------------------------------------------- main entry
READ_CHUNK = 10_000


def _read_features(path, layer, max_features=None, **opts):
    """``pyogrio.read_dataframe`` — in chunks of :data:`READ_CHUNK` features when a job of the
    window runs it (an import: Cancel stops it between chunks, the progress bar moves);
    one read otherwise (the CLI).  The chunks are the file's features in order, concatenated
    (GDAL gives a field the same type in every chunk)."""
    n = -1
    if in_job():
        try:
            n = int(pyogrio.read_info(path, layer=layer).get("features", -1))
        except Exception:
            n = -1
    if max_features is not None and n >= 0:
        n = min(n, int(max_features))
    if n <= READ_CHUNK:
        return pyogrio.read_dataframe(path, layer=layer, max_features=max_features, **opts)
    parts = []
    for a in range(0, n, READ_CHUNK):
        step(a, n)
        parts.append(pyogrio.read_dataframe(path, layer=layer, skip_features=a,
                                            max_features=min(READ_CHUNK, n - a), **opts))
    step(n, n)
    out = pd.concat(parts, ignore_index=True)
    return gpd.GeoDataFrame(out, geometry=parts[0].geometry.name, crs=parts[0].crs)


def read_layer(path, layer: str | None = None, *, encoding: str | None = None, crs=None, to_crs=None,
               repair: bool = False, hint_lon: float | None = None, guess: bool = True,
               sheet: str | None = None) -> tuple[gpd.GeoDataFrame, ReadReport]:
    """Read one layer of a file into a GeoDataFrame, with a :class:`ReadReport`.

    ``encoding`` overrides the detected text encoding (shapefile .dbf, CSV);
    ``crs`` declares the source CRS (overrides the file's; ``"gcj02"`` or
    ``"bd09"`` for shifted lon/lat, converted to CGCS2000 EPSG:4490 with the
    iterative inverse); a file without a CRS gets a guess from its coordinate
    ranges (``guess=False`` refuses instead); ``to_crs`` reprojects the
    result; ``repair`` repairs what can be repaired and reports it.
    """
    from .prj import parse_crs_option

    path = Path(path)
    report = ReadReport(path=str(path), layer=layer or "")
    if not path.exists():
        raise _fail(path, bi("文件不存在", "file not found"))
    suffix = path.suffix.lower()
    if suffix in (".zip", ".kmz"):
        with tempfile.TemporaryDirectory(prefix="gridmap-zip-") as tmp:
            files = safe_extract(path, tmp)
            inner = _pick_in_archive(path, files, layer)
            with _named_in_archive(path, tmp):
                gdf, inner_report = read_layer(inner, layer if inner.suffix.lower() not in (".shp",) else None,
                                               encoding=encoding, crs=crs, to_crs=to_crs, repair=repair,
                                               hint_lon=hint_lon, guess=guess, sheet=sheet)
        inner_report.path = f"{path}!{inner.relative_to(tmp).as_posix()}"
        return gdf, inner_report

    declared = parse_crs_option(crs) if isinstance(crs, str) else (CRS.from_user_input(crs) if crs is not None
                                                                   else None)
    file_crs = None
    limit = None
    if suffix == ".shp":
        shp, limit = check_shapefile(path, repair, report)
        report.encoding = (EncodingGuess(codec_for(encoding), encoding, "given", 1.0) if encoding
                           else detect_dbf_encoding(shp))
        shp = _readable_names(shp, report)
        try:
            gdf = _read_features(shp, None, encoding=report.encoding.codec, max_features=limit)
        except Cancelled:
            raise
        except Exception as exc:
            if isinstance(exc, UnicodeDecodeError) or "codec can't decode" in str(exc):
                raise _fail(path, _wrong_encoding_message(shp, report.encoding)) from exc
            raise _fail(path, wrap("GDAL 无法读取此 shapefile", "GDAL cannot read this shapefile", exc)) from exc
        report.driver = "ESRI Shapefile"
        prj = _sidecar(shp, ".prj")
        if prj is not None:
            file_crs = read_prj(prj)
            report.crs_source = ".prj"
        report.field_map = read_field_map(path)
        if shp != path:
            shutil.rmtree(shp.parent, ignore_errors=True)
    elif suffix == ".dxf":
        try:
            gdf = _read_dxf(path, report)
        except ExchangeError:
            raise
        except Exception as exc:
            raise _fail(path, wrap("不是可读的 DXF 图纸", "not a readable DXF drawing", exc)) from exc
    elif suffix in TABLE_SUFFIXES:
        gdf = _read_table(path, report, encoding, sheet)
    else:
        layers = list_layers(path)
        if not layers:
            raise _fail(path, bi("没有图层", "has no layers"))
        names = [n for n, _ in layers]
        if layer is None:
            geo = [n for n, g in layers if g not in ("", "None")]
            if len(layers) == 1 or len(geo) == 1:
                layer = geo[0] if len(geo) == 1 else names[0]
            elif "grids" in names:
                layer = "grids"
            else:
                raise _fail(path, bi(f"有 {len(layers)} 个图层，请用 --layer 选一个：{', '.join(names)}",
                                      f"has {len(layers)} layers; choose one with --layer: {', '.join(names)}"))
        elif layer not in names:
            raise _fail(path, bi(f"没有图层 {layer!r}；图层有：{', '.join(names)}", f"has no layer {layer!r}; layers: {', '.join(names)}"))
        try:
            info = pyogrio.read_info(path, layer=layer)
            opts = {}
            if encoding:
                opts["encoding"] = codec_for(encoding)
            gdf = _read_features(path, layer, **opts)
        except Cancelled:
            raise
        except Exception as exc:
            raise _fail(path, wrap(f"GDAL 无法读取图层 {layer!r}", f"GDAL cannot read layer {layer!r}", exc)) from exc
        report.driver = info.get("driver", "")
        report.layer = layer
        if gdf.crs is not None:
            file_crs = CRS.from_user_input(gdf.crs)
            if file_crs.to_epsg() is None:
                from .prj import identify_crs

                file_crs = identify_crs(file_crs.to_wkt())
            report.crs_source = "file"
        if suffix in (".kml",) or report.driver in ("KML", "LIBKML"):
            file_crs = CRS.from_epsg(4326)
            report.crs_source = "KML is always WGS84"
    if report.field_map:
        gdf = gdf.rename(columns=report.field_map)
    if "id" in gdf.columns and gdf["id"].isna().all():
        gdf = gdf.drop(columns=["id"])
    gdf = gpd.GeoDataFrame(gdf, geometry=gdf.geometry.name, crs=None)
    cancel_point()
    gdf = _clean_geometries(gdf.reset_index(drop=True), path, repair, report)
    cancel_point()
    report.features = len(gdf)

    bounds = gdf.total_bounds if len(gdf) else (np.nan,) * 4
    if declared is not None:
        src = declared
        report.crs_source = "declared"
    elif file_crs is not None:
        src = file_crs
    else:
        g = guess_crs(bounds, hint_lon=hint_lon)
        report.crs_guess = g
        if g.crs is None or not guess:
            if not np.all(np.isfinite(bounds)):
                src = CRS.from_epsg(4490)
            else:
                raise _fail(path, bi(f"没有坐标系（.prj），且{g.reason_zh or g.reason_en}；请用 --crs 指定"
                                     f"（例如 {', '.join(g.candidates[:3]) or 'EPSG:4490'}）",
                                     f"has no CRS (.prj) and {g.reason_en}; declare it with --crs "
                                     f"(e.g. {', '.join(g.candidates[:3]) or 'EPSG:4490'})"))
        else:
            src = g.crs
            report.crs_source = "guessed"
            report.notes.append(bi(f"文件中没有坐标系：{g.reason_zh or g.reason_en}；请确认，或用 --crs 另行指定",
                                   f"no CRS in the file: {g.reason_en}; confirm or override with --crs"))
    problem = check_coordinates(bounds, src)
    if problem:
        raise _fail(path, problem + ("" if report.crs_source != ".prj" else " (.prj)"))
    if isinstance(src, str) and src in SHIFTED:
        shifted = gcj02.transform_geometry(gdf.geometry.values, src, "wgs84")
        gdf = gdf.set_geometry(shifted, crs=4490)
        report.crs = CRS.from_epsg(4490)
        report.crs_source = f"declared {SHIFTED[src]}, converted to CGCS2000 (iterative inverse)"
    else:
        gdf = gdf.set_crs(src, allow_override=True)
        report.crs = CRS.from_user_input(src)
    if to_crs is not None and len(gdf):
        gdf = gdf.to_crs(CRS.from_user_input(to_crs))
    return gdf, report


@contextlib.contextmanager
def _named_in_archive(zpath: Path, tmp: str):
    """Errors about a file inside an archive name it as ``archive.zip!member``, not by the
    temporary folder it was extracted to (which is gone by the time the user reads it)."""
    try:
        yield
    except ExchangeError as exc:
        text = str(exc)
        for root in {str(tmp), str(Path(tmp).resolve())}:
            text = text.replace(root + "/", f"{zpath.name}!").replace(root + "\\", f"{zpath.name}!")
        raise ExchangeError(text) from exc


def _pick_in_archive(zpath: Path, files: list[Path], layer: str | None) -> Path:
    cands = [f for f in files if f.suffix.lower() in (".shp", ".gpkg", ".geojson", ".json", ".kml", ".dxf",
                                                       ".csv", ".xlsx")]
    cands = [f for f in cands if not f.name.endswith(FIELD_MAP_SUFFIX) and not f.name.startswith("._")]
    if not cands:
        raise _fail(zpath, bi("压缩包里没有 shapefile 或其他 GIS 文件", "contains no shapefile or other GIS file"))
    if layer:
        hit = [f for f in cands if f.stem == layer]
        if hit:
            return hit[0]
    shps = [f for f in cands if f.suffix.lower() == ".shp"]
    if len(cands) == 1:
        return cands[0]
    if len(shps) == 1 and layer is None:
        return shps[0]
    raise _fail(zpath, bi("压缩包里有多个图层，请用 --layer 选一个：", "contains several layers; choose one with --layer: ")
                + ", ".join(f.stem for f in cands))


def inspect(path, encoding: str | None = None, hint_lon: float | None = None) -> dict:
    """What a file holds, for a preview before importing: layers, fields,
    feature count, detected encoding with previews of the alternatives, CRS or
    the guess for it."""
    path = Path(path)
    out: dict = {"path": str(path), "layers": []}
    if path.suffix.lower() in (".zip", ".kmz"):
        with tempfile.TemporaryDirectory(prefix="gridmap-zip-") as tmp:
            files = safe_extract(path, tmp)
            inner = [f for f in files if f.suffix.lower() in (".shp", ".kml", ".geojson", ".gpkg", ".dxf")]
            if not inner:
                raise _fail(path, bi("压缩包里没有 shapefile 或其他 GIS 文件", "contains no shapefile or other GIS file"))
            with _named_in_archive(path, tmp):
                sub = [inspect(f, encoding, hint_lon) for f in inner]
        out["layers"] = [lay for s in sub for lay in s["layers"]]
        return out
    if path.suffix.lower() == ".shp":
        enc = detect_dbf_encoding(path) if not encoding else \
            EncodingGuess(codec_for(encoding), encoding, "given", 1.0)
        rep = ReadReport(str(path), encoding=enc)
        info = pyogrio.read_info(_readable_names(path, rep), encoding=enc.codec, force_total_bounds=True)
        prj = _sidecar(path, ".prj")
        crs = read_prj(prj) if prj else None
        entry = dict(name=path.stem, geometry=info["geometry_type"], features=int(info["features"]),
                     fields=[str(f) for f in info["fields"]], encoding=enc, crs=crs, notes=rep.notes)
        if crs is None:
            entry["crs_guess"] = guess_crs(info["total_bounds"], hint_lon=hint_lon)
        fm = read_field_map(path)
        if fm:
            entry["fields"] = [fm.get(f, f) for f in entry["fields"]]
        out["layers"].append(entry)
        return out
    if path.suffix.lower() in TABLE_SUFFIXES or path.suffix.lower() == ".dxf":
        rep = ReadReport(path=str(path))
        gdf = _read_dxf(path, rep) if path.suffix.lower() == ".dxf" else _read_table(path, rep, encoding)
        entry = dict(name=path.stem, geometry="table" if rep.driver != "DXF" else "closed polylines",
                     features=len(gdf), fields=[c for c in gdf.columns if c != "geometry"],
                     encoding=rep.encoding, crs=None, notes=rep.notes)
        if rep.driver == "DXF":
            entry["fields"].append("layers: " + ", ".join(sorted(set(gdf["layer"]))))
        entry["crs_guess"] = guess_crs(gdf.total_bounds if len(gdf) else (np.nan,) * 4, hint_lon=hint_lon)
        out["layers"].append(entry)
        return out
    for name, geom in list_layers(path):
        info = pyogrio.read_info(path, layer=name, force_total_bounds=True)
        crs = CRS.from_user_input(info["crs"]) if info.get("crs") else None
        if path.suffix.lower() == ".kml":
            crs = CRS.from_epsg(4326)
        entry = dict(name=name, geometry=geom, features=int(info["features"]),
                     fields=[str(f) for f in info["fields"]], encoding=None, crs=crs)
        if crs is None and info.get("total_bounds") is not None:
            entry["crs_guess"] = guess_crs(info["total_bounds"], hint_lon=hint_lon)
        out["layers"].append(entry)
    return out
