"""Reading a plan file's own tables straight from SQLite (issue 21: opening a city in 2 s).

A GeoPackage is an SQLite database; gridmap's plan files are written by GDAL with plain
column types (INTEGER, TEXT, REAL, BOOLEAN) and standard GeoPackage geometry blobs.  For
such a table :func:`read_table` gives the same frame as ``pyogrio.read_dataframe`` (same
rows in fid order, columns, dtypes and geometries) without GDAL: one SQL query whose
geometry column is already the WKB (the GeoPackage header — ``GP``, version, flags, an
envelope whose size the flags give — is cut off inside SQLite), decoded by one vectorised
``shapely.from_wkb``.  SQLite works without Python's GIL, so the window's event loop keeps
running while a table is read (GDAL holds the GIL for a whole call).

Anything unusual raises :class:`Unusual` and the caller reads the table with GDAL as before:
a table GDAL would not list, a column type other than those four (dates, MEDIUMINT, …), a
JSON or other data-column constraint, a value of another type than its column's, an
extended or malformed geometry header, text that is not UTF-8, a CRS other than the plan's.

``declared`` (a table's column layout from :mod:`gridmap.core.plan`): those columns come in
the types the plan gives them (text with "" for NULL, nullable ids, booleans) rather than
pyogrio's (which :func:`~gridmap.core.plan.coerce` would convert cell by cell); ``single``:
one-part MultiPolygons/MultiLineStrings come back as their one part (cut out of the WKB, not
rebuilt), as :func:`gridmap.core.storage.gpkg._single` would make them.
"""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import numpy as np
import pandas as pd
import shapely

__all__ = ["Unusual", "read_table", "connect"]


class Unusual(Exception):
    """Not the plain layout this reader knows: read the table with GDAL."""


#: the envelope's size by the flags' envelope code (GeoPackage 1.2, 2.1.3)
_ENVELOPE = {0: 0, 1: 32, 2: 48, 3: 48, 4: 64}
#: a multi geometry of one part: byte order, type (MultiLineString 5, MultiPolygon 6), count 1
_ONE_PART = ("x'010500000001000000'", "x'010600000001000000'",
             "x'000000000500000001'", "x'000000000600000001'")
#: rows per fetch
CHUNK = 20000
#: geometries per ``from_wkb`` call (it holds the GIL: ~10 ms each here, 60 ms on a loaded machine)
WKB_CHUNK = 2048


def _wkb_start(col: str) -> str:
    """SQL: the 1-based offset of the WKB in a GeoPackage geometry blob, NULL for a header
    this reader does not know (extended geometry, reserved flag bits, not ``GP`` version 0)."""
    whens = " ".join(f"WHEN x'{f:02x}' THEN {9 + _ENVELOPE[(f >> 1) & 7]}"
                     for f in range(32) if not f & 0x20 and (f >> 1) & 7 in _ENVELOPE)
    return f"(CASE WHEN substr({col}, 1, 3) = x'475000' THEN CASE substr({col}, 4, 1) {whens} END END)"


def _geometry_sql(col: str, single: bool) -> str:
    start = _wkb_start(col)

    def wkb(at: str) -> str:
        if single:
            return (f"CASE WHEN substr({col}, {at}, 9) IN ({', '.join(_ONE_PART)}) "
                    f"THEN substr({col}, {at} + 9) ELSE substr({col}, {at}) END")
        return f"substr({col}, {at})"

    # NULL stays NULL; an unknown header gives an empty blob (then: Unusual).  The headers GDAL
    # writes first — little-endian with an XY envelope (flags 0x03: WKB at byte 41) or without
    # one (0x01, points: byte 9) — at a fixed offset, then any other by its flags.
    return (f"CASE WHEN {col} IS NULL THEN NULL "
            f"WHEN substr({col}, 1, 4) = x'47500003' THEN {wkb('41')} "
            f"WHEN substr({col}, 1, 4) = x'47500001' THEN {wkb('9')} "
            f"WHEN {start} IS NULL THEN x'' ELSE {wkb(start)} END")


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def connect(path) -> sqlite3.Connection:
    """A read-only connection to a GeoPackage (a path with any characters: as a file URI)."""
    uri = Path(path).resolve().as_uri() + "?mode=ro"
    return sqlite3.connect(uri, uri=True, timeout=5)


def _base_type(decl: str) -> str:
    return re.sub(r"\s*\(\s*\d+\s*\)\s*$", "", (decl or "").strip()).upper()


def read_table(path, layer: str, columns=None, read_geometry: bool = True, declared: dict | None = None,
               single: bool = False, crs=None, con: sqlite3.Connection | None = None):
    """The GeoPackage table ``layer`` as ``pyogrio.read_dataframe(path, layer=…, columns=…,
    read_geometry=…)`` reads it (a GeoDataFrame with the layer's CRS when it has a geometry column and
    ``read_geometry``, else a DataFrame), or :class:`Unusual`.  ``crs``: the plan's CRS — a layer
    in another CRS is Unusual (GDAL's path reprojects it).  ``declared`` / ``single``: see the
    module."""
    own = con is None
    if own:
        try:
            con = connect(path)
        except sqlite3.Error as exc:
            raise Unusual(str(exc)) from exc
    try:
        return _read(con, layer, columns, read_geometry, declared or {}, single, crs)
    except sqlite3.Error as exc:         # (also text that is not UTF-8)
        raise Unusual(f"{type(exc).__name__}: {exc}") from exc
    finally:
        if own:
            con.close()


def _read(con, layer, columns, read_geometry, declared, single, crs):
    row = con.execute("SELECT data_type FROM gpkg_contents WHERE table_name = ?", (layer,)).fetchone()
    if row is None or row[0] not in ("features", "attributes"):
        raise Unusual(f"{layer}: not a GeoPackage feature or attribute table")
    try:
        constrained = con.execute("SELECT count(*) FROM gpkg_data_columns WHERE table_name = ?",
                                  (layer,)).fetchone()[0]
    except sqlite3.OperationalError:     # (no such table: nothing constrained)
        constrained = 0
    if constrained:
        raise Unusual(f"{layer}: data-column constraints (JSON, …)")
    info = con.execute(f"PRAGMA table_info({_q(layer)})").fetchall()
    geom_col, srs_id = None, None
    if row[0] == "features":
        g = con.execute("SELECT column_name, srs_id FROM gpkg_geometry_columns WHERE table_name = ?",
                        (layer,)).fetchone()
        if g is None:
            raise Unusual(f"{layer}: no geometry column registered")
        geom_col, srs_id = g
    pk = [r for r in info if r[5]]
    if len(pk) != 1 or _base_type(pk[0][2]) != "INTEGER":
        raise Unusual(f"{layer}: no integer fid")
    fid = pk[0][1]
    fields = [(r[1], _base_type(r[2])) for r in info if r[1] not in (fid, geom_col)]
    if columns is not None:
        wanted = {str(c) for c in columns}
        fields = [f for f in fields if f[0] in wanted]
    for name, kind in fields:
        if kind not in ("INTEGER", "TEXT", "REAL", "BOOLEAN"):
            raise Unusual(f"{layer}.{name}: column type {kind}")
    geometry = read_geometry and geom_col is not None
    layer_crs = None
    if geometry:
        layer_crs = _layer_crs(con, srs_id, crs)
    select = [_q(n) for n, _ in fields]
    if geometry:
        select.append(_geometry_sql(_q(geom_col), single))
    if not select:
        select = [_q(fid)]
    cur = con.execute(f"SELECT {', '.join(select)} FROM {_q(layer)} ORDER BY {_q(fid)}")
    rows = []
    while True:
        part = cur.fetchmany(CHUNK)
        if not part:
            break
        rows.extend(part)
    cols = list(zip(*rows)) if rows else [()] * len(select)
    data = {}
    for (name, kind), values in zip(fields, cols):
        data[name] = _column(layer, name, kind, values, declared.get(name))
    df = pd.DataFrame(data, columns=[n for n, _ in fields], index=pd.RangeIndex(len(rows)))
    if not geometry:
        return df
    import geopandas as gpd

    geoms = _geometries(layer, cols[-1])
    return gpd.GeoDataFrame(df, geometry=geoms, crs=layer_crs)


def _layer_crs(con, srs_id, crs):
    """The CRS pyogrio gives the layer (None for GeoPackage's undefined SRS 0/-1); Unusual when it
    is not the plan's ``crs`` (when given) or not an EPSG code (GDAL reads its definition)."""
    if srs_id is None or int(srs_id) in (0, -1):
        return None
    r = con.execute("SELECT organization, organization_coordsys_id FROM gpkg_spatial_ref_sys WHERE srs_id = ?",
                    (srs_id,)).fetchone()
    if r is None or str(r[0]).upper() != "EPSG":
        raise Unusual(f"srs {srs_id}: not an EPSG code")
    from pyproj import CRS

    layer_crs = CRS.from_epsg(int(r[1]))
    if crs is not None and CRS.from_user_input(crs) != layer_crs:
        raise Unusual(f"srs {srs_id}: not the plan's CRS")
    return layer_crs


def _column(layer, name, kind, values, want):
    """One column as pyogrio gives it (``want`` None) or in the plan's declared type."""
    types = set(map(type, values))
    nulls = type(None) in types
    types.discard(type(None))
    if kind == "TEXT":
        if not types <= {str}:
            raise Unusual(f"{layer}.{name}: a value that is not text")
        if want == "str":           # as the plan keeps text: "" for NULL, object dtype
            arr = np.array(["" if v is None else v for v in values] if nulls else values, dtype=object)
            return pd.Series(arr, dtype=object, copy=False)
        return np.array(values, dtype=object)
    if kind == "REAL":
        if not types <= {float, int}:
            raise Unusual(f"{layer}.{name}: a value that is not a number")
        return np.array([np.nan if v is None else v for v in values] if nulls else values, dtype=np.float64)
    # INTEGER / BOOLEAN
    if not types <= {int}:
        raise Unusual(f"{layer}.{name}: a value that is not an integer")
    if want == "Int64" and kind == "INTEGER":
        return pd.array(values, dtype="Int64") if len(values) else pd.array([], dtype="Int64")
    if want == "bool" and kind == "BOOLEAN":
        return np.array([bool(v) if v is not None else False for v in values], dtype=bool)
    if nulls:                        # GDAL: a column with NULLs comes as floats with NaN
        return np.array([np.nan if v is None else v for v in values], dtype=np.float64)
    if kind == "BOOLEAN":
        return np.array(values, dtype=np.int64).astype(bool) if len(values) else np.zeros(0, dtype=bool)
    return np.array(values, dtype=np.int64)


def _geometries(layer, blobs) -> np.ndarray:
    wkb = np.array(blobs, dtype=object) if len(blobs) else np.zeros(0, dtype=object)
    out = np.empty(len(wkb), dtype=object)
    try:
        for s in range(0, len(wkb), WKB_CHUNK):     # (from_wkb holds the GIL: in pieces)
            out[s:s + WKB_CHUNK] = shapely.from_wkb(wkb[s:s + WKB_CHUNK], on_invalid="raise")
    except shapely.errors.GEOSException as exc:     # (also the empty blob of a header not known here)
        raise Unusual(f"{layer}: {exc}") from exc
    return out


def field_names(path, layer: str) -> list[str]:
    """The attribute columns of ``layer`` in table order, as GDAL lists them (neither the fid nor
    the geometry column), or :class:`Unusual`."""
    try:
        con = connect(path)
    except sqlite3.Error as exc:
        raise Unusual(str(exc)) from exc
    try:
        row = con.execute("SELECT data_type FROM gpkg_contents WHERE table_name = ?", (layer,)).fetchone()
        if row is None:
            raise Unusual(f"{layer}: not in gpkg_contents")
        g = con.execute("SELECT column_name FROM gpkg_geometry_columns WHERE table_name = ?", (layer,)).fetchone()
        info = con.execute(f"PRAGMA table_info({_q(layer)})").fetchall()
    except sqlite3.Error as exc:
        raise Unusual(str(exc)) from exc
    finally:
        con.close()
    pk = [r[1] for r in info if r[5]]
    if len(pk) != 1:
        raise Unusual(f"{layer}: no single fid")
    return [r[1] for r in info if r[1] not in (pk[0], g[0] if g else None)]


def list_tables(path) -> dict:
    """The tables GDAL lists in a GeoPackage — those registered in ``gpkg_contents`` as features
    (with their geometry type) or attributes (None) — or :class:`Unusual` (not a GeoPackage, or one
    without registered attribute tables, where GDAL lists every table)."""
    try:
        con = connect(path)
    except sqlite3.Error as exc:
        raise Unusual(str(exc)) from exc
    try:
        rows = con.execute("SELECT c.table_name, c.data_type, g.geometry_type_name FROM gpkg_contents c "
                           "LEFT JOIN gpkg_geometry_columns g ON g.table_name = c.table_name").fetchall()
    except sqlite3.Error as exc:
        raise Unusual(str(exc)) from exc
    finally:
        con.close()
    if not any(r[1] == "attributes" for r in rows):
        raise Unusual("no registered attribute table")
    return {str(name): (_GDAL_TYPE.get(str(g).upper(), str(g)) if kind == "features" else None)
            for name, kind, g in rows if kind in ("features", "attributes")}


_GDAL_TYPE = {"GEOMETRY": "Unknown", "POINT": "Point", "LINESTRING": "LineString", "POLYGON": "Polygon",
              "MULTIPOINT": "MultiPoint", "MULTILINESTRING": "MultiLineString", "MULTIPOLYGON": "MultiPolygon",
              "GEOMETRYCOLLECTION": "GeometryCollection"}
