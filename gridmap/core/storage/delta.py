"""Delta save: write only the rows that changed since the last save.

A :class:`SaveTracker` follows an :class:`~gridmap.core.editing.buffer.EditBuffer`
and collects, per table, the ids of every row any push, undo or redo touched since
the plan was read or last saved (the exact change reports of
:mod:`gridmap.core.editing.changes`).  :meth:`SaveTracker.delta` turns them into a
:class:`PlanDelta` — the current values of those rows (present: UPDATE or INSERT,
gone: DELETE), in the form the GeoPackage stores them — made in the GUI thread
and small, so a worker thread can write it while the user keeps editing.

:func:`write_delta` writes one into a GeoPackage in one SQLite transaction (WAL
mode while it runs, so GDAL/QGIS can read the file during the save and a killed
save leaves the old or the new state; back to a single file afterwards).  The
file stays a valid GeoPackage: the R-tree triggers GDAL put there keep the spatial
indexes right (their ``ST_*`` functions are given to SQLite here), the feature
count triggers keep ``gpkg_ogr_contents`` right, and ``gpkg_contents`` gets the new
extents and ``last_change``.  When a delta cannot be known or applied (a new plan,
Save As, another CRS, a column the file lacks, rows the file does not have) it says
why (:class:`DeltaRefused`) and the store rewrites the whole file instead.
"""

from __future__ import annotations

import logging
import sqlite3
import struct
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import shapely

__all__ = ["SaveTracker", "PlanDelta", "DeltaRefused", "write_delta", "gpkg_blobs", "id_index",
           "register_gpkg_functions"]

log = logging.getLogger("gridmap.storage")

#: tables of rows with an id: the edit buffer's tables (jurisdiction, settings, levels and
#: versions are written whole when they change: one row to a few dozen)
ROW_TABLES = ("grids", "segments", "places", "people", "roles", "units", "base_layers",
              "assess_items", "assess_scores", "ledger", "survey")
GEOMETRY_TABLES = {"grids": "MultiPolygon", "segments": "MultiLineString", "places": "Unknown"}


class DeltaRefused(Exception):
    """The delta cannot be written into this file: the whole file is rewritten (the reason is logged).
    ``touched``: the file's header was changed (journal mode) before the refusal — nothing else."""

    def __init__(self, reason: str, touched: bool = False):
        super().__init__(reason)
        self.touched = touched


@dataclass
class PlanDelta:
    """What changed since the last save, ready to be written by a worker thread."""

    #: table → rows to UPDATE/INSERT (a DataFrame with an ``id`` column, the file's columns)
    upserts: dict = field(default_factory=dict)
    #: table → ids to DELETE
    deletes: dict = field(default_factory=dict)
    #: table → number of rows the table has after the save (checked in the file before commit)
    counts: dict = field(default_factory=dict)
    settings: dict = field(default_factory=dict)       # the whole settings table (few rows)
    levels: pd.DataFrame | None = None                 # the whole levels table
    jurisdiction: pd.DataFrame | None = None           # rows of the jurisdiction layer, when changed
    versions: pd.DataFrame | None = None               # the whole versions table, when changed
    crs_text: str = ""
    #: table → (rows as in the plan, derived columns): made into :attr:`upserts` by :meth:`prepare`
    raw: dict = field(default_factory=dict)
    level_records: list | None = None
    raw_jurisdiction: tuple | None = None
    wkt: str = ""
    #: parent grid id → its code, for its children's parent_code column
    parent_codes: dict = field(default_factory=dict)
    #: why this delta cannot be written (the whole file is rewritten instead)
    refused: str = ""

    def prepare(self) -> None:
        """The rows in the file's form (in the thread that writes them: areas need a CRS of its own)."""
        if not self.raw and self.level_records is None and self.raw_jurisdiction is None:
            return
        from .gpkg import _plain

        crs = None
        if self.raw.get("grids") is not None or self.raw_jurisdiction is not None:
            from pyproj import CRS

            from ..crs import areas_m2
            crs = CRS.from_wkt(self.wkt)
        for t, (rows, extra) in self.raw.items():
            if extra is not None:
                rows = rows.assign(**extra)
                geoms = rows["geometry"].to_numpy(dtype=object)
                rows["area_m2"] = np.round(areas_m2(geoms, crs), 2) if len(rows) else []
            self.upserts[t] = _plain(rows)
        self.raw = {}
        if self.level_records is not None:
            self.levels = pd.DataFrame(self.level_records).assign(
                multipart_allowed=lambda x: x["multipart_allowed"].astype(int))
            self.level_records = None
        if self.raw_jurisdiction is not None:
            self.jurisdiction = jurisdiction_rows(*self.raw_jurisdiction, crs)
            self.raw_jurisdiction = None
        del crs

    @property
    def rows(self) -> int:
        return sum(len(v) for v in self.upserts.values()) + sum(len(v) for v in self.deletes.values())

    def summary(self) -> str:
        parts = [f"{t} +{len((self.upserts.get(t) if t in self.upserts else self.raw.get(t, ((),))[0]))}"
                 f"/-{len(self.deletes.get(t, ()))}"
                 for t in sorted(set(self.upserts) | set(self.deletes))]
        if self.jurisdiction is not None or self.raw_jurisdiction is not None:
            parts.append("jurisdiction")
        if self.versions is not None:
            parts.append("versions")
        return ", ".join(parts) or "settings only"


class SaveTracker:
    """The rows touched since the last save, per table, from the buffer's change reports.

    ``known`` is False when the file's state cannot be told from the edits (a plan never
    saved, or saved elsewhere by Save As): then the next save rewrites the whole file.
    """

    def __init__(self, buffer, known: bool = True):
        self.buffer = buffer
        self.known = known
        self.touched: dict[str, set] = {}
        self.versions_ref = buffer.plan.versions
        self._unsubscribe = buffer.subscribe(self._on_change)

    def _on_change(self, changes) -> None:
        for t, tc in changes.per_table.items():
            self.touched.setdefault(t, set()).update(tc.ids)

    def close(self) -> None:
        self._unsubscribe()

    # ------------------------------------------------------------------ saving
    def delta(self, plan) -> PlanDelta | None:
        """The delta to write now (None when only a full rewrite will do).  Made in the GUI thread."""
        if not self.known:
            return None
        return make_delta(plan, self.touched, self.versions_ref)

    def take(self) -> tuple[dict, object]:
        """Start a save: the touched ids so far (cleared; edits during the save collect anew)."""
        taken = (self.touched, self.versions_ref)
        self.touched = {}
        self.versions_ref = self.buffer.plan.versions
        return taken

    def saved(self) -> None:
        """The save started by :meth:`take` succeeded: from now on deltas apply to that file."""
        self.known = True

    def failed(self, taken) -> None:
        """The save started by :meth:`take` failed: its rows are still to be written."""
        touched, versions_ref = taken
        for t, ids in touched.items():
            self.touched.setdefault(t, set()).update(ids)
        self.versions_ref = versions_ref

    def unknown(self) -> None:
        """The file no longer matches the last save (Save As, reload): rewrite it whole next time."""
        self.known = False
        self.touched = {}


def make_delta(plan, touched: dict, versions_ref) -> PlanDelta:
    """The touched rows as they are now (GUI thread: row copies and a few lookups only; the
    file's form — derived columns, areas — is made by :meth:`PlanDelta.prepare` in the worker)."""
    from .gpkg import _crs_text, plan_settings

    d = PlanDelta(crs_text=_crs_text(plan.crs))
    d.wkt = plan.crs.to_wkt()
    grids_touched = set(touched.get("grids", ()))
    if grids_touched:
        # a parent's code is written on its children (parent_code): set where it differs
        parent = plan.grids["parent"]
        has_kids = parent.isin(list(grids_touched)).fillna(False).to_numpy(dtype=bool)
        parents = set(int(p) for p in parent[has_kids].unique())
        if len(parents) <= 50:
            codes = plan.grids["code"]
            d.parent_codes = {p: (str(codes[p]) if p in codes.index else "") for p in parents}
        else:      # many parents: their children's rows are written whole
            grids_touched |= set(int(i) for i in plan.grids.index[has_kids])
    for t in ROW_TABLES:
        ids = grids_touched if t == "grids" else set(touched.get(t, ()))
        if not ids:
            continue
        df = getattr(plan, t)
        present = sorted(i for i in ids if i in df.index)
        gone = sorted(int(i) for i in ids if i not in df.index)
        rows = pd.DataFrame(df.loc[present])      # a plain frame: no CRS object goes to the worker
        extra = None
        if t == "grids":
            codes = plan.grids["code"]
            names = {lv.key: lv.name for lv in plan.levels}
            extra = {"parent_code": [codes.get(int(p), "") if pd.notna(p) else "" for p in rows["parent"]],
                     "level_name": [names.get(k, "") for k in rows["level"]]}
        d.raw[t] = (rows, extra)
        d.deletes[t] = gone
        d.counts[t] = len(df)
    d.settings = plan_settings(plan)
    d.level_records = [lv.to_record(i) for i, lv in enumerate(plan.levels)]
    if touched.get("jurisdiction"):
        d.raw_jurisdiction = (plan.jurisdiction, plan.name, plan.admin_code)
    if plan.versions is not versions_ref:
        d.versions = pd.DataFrame(plan.versions).reset_index(drop=True) if plan.versions is not None else None
        if d.versions is None or not len(d.versions):
            d.refused = "the versions table was emptied"
    return d


def jurisdiction_rows(geom, name, admin_code, crs):
    """The jurisdiction layer's rows (one, or none), as the file stores them."""
    from ..crs import areas_m2

    if geom is None:
        return pd.DataFrame({"name": [], "admin_code": [], "area_m2": [], "geometry": []})
    return pd.DataFrame({"name": [name], "admin_code": [admin_code],
                         "area_m2": [round(float(areas_m2([geom], crs)[0]), 2)], "geometry": [geom]})


# ---------------------------------------------------------------------------- GeoPackage geometry blobs
def gpkg_blobs(geoms, srs_id: int, multi: str | None = None) -> list:
    """GeoPackage geometry blobs (header with envelope, ISO WKB little-endian), as GDAL writes them;
    ``multi`` ("MultiPolygon"/"MultiLineString") promotes simple geometries."""
    geoms = np.asarray(list(geoms), dtype=object)
    out: list = [None] * len(geoms)
    if not len(geoms):
        return out
    missing = shapely.is_missing(geoms)
    if multi:
        types = shapely.get_type_id(geoms)
        simple = (types == (3 if multi == "MultiPolygon" else 1)) & ~missing
        if simple.any():
            maker = shapely.multipolygons if multi == "MultiPolygon" else shapely.multilinestrings
            geoms = geoms.copy()
            geoms[simple] = [maker([g]) for g in geoms[simple]]
    wkb = shapely.to_wkb(geoms, byte_order=1, flavor="iso")
    bounds = shapely.bounds(geoms)
    empty = shapely.is_empty(geoms)
    types = shapely.get_type_id(geoms)
    for k in range(len(geoms)):
        if missing[k]:
            continue
        if empty[k]:
            head = struct.pack("<2sBBi", b"GP", 0, 0x01 | 0x10, srs_id)
        elif types[k] == 0:     # points: no envelope (as GDAL)
            head = struct.pack("<2sBBi", b"GP", 0, 0x01, srs_id)
        else:
            b = bounds[k]
            head = struct.pack("<2sBBi4d", b"GP", 0, 0x03, srs_id, b[0], b[2], b[1], b[3])
        out[k] = head + wkb[k]
    return out


_ENVELOPE_DOUBLES = {0: 0, 1: 4, 2: 6, 3: 6, 4: 8}


def _envelope(blob):
    """(minx, maxx, miny, maxy, empty) of a GeoPackage blob."""
    if blob is None or len(blob) < 8 or blob[:2] != b"GP":
        return None
    flags = blob[3]
    order = "<" if flags & 1 else ">"
    empty = bool(flags & 0x10)
    n = _ENVELOPE_DOUBLES.get((flags >> 1) & 7, 0)
    if empty:
        return (None, None, None, None, True)
    if n:
        minx, maxx, miny, maxy = struct.unpack(order + "4d", blob[8:40])
        return (minx, maxx, miny, maxy, False)
    g = shapely.from_wkb(bytes(blob[8 + 8 * n:]))
    if g is None or g.is_empty:
        return (None, None, None, None, True)
    b = g.bounds
    return (b[0], b[2], b[1], b[3], False)


def register_gpkg_functions(con: sqlite3.Connection) -> None:
    """The SQL functions GDAL's R-tree triggers call (``ST_IsEmpty``, ``ST_MinX`` …), for plain SQLite."""
    def part(k):
        def f(blob):
            e = _envelope(blob)
            return None if e is None else e[k]
        return f

    con.create_function("ST_MinX", 1, part(0), deterministic=True)
    con.create_function("ST_MaxX", 1, part(1), deterministic=True)
    con.create_function("ST_MinY", 1, part(2), deterministic=True)
    con.create_function("ST_MaxY", 1, part(3), deterministic=True)

    def is_empty(blob):
        e = _envelope(blob)
        return None if e is None else int(e[4])

    con.create_function("ST_IsEmpty", 1, is_empty, deterministic=True)


# ---------------------------------------------------------------------------- writing
def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _cell(v):
    if v is None or v is pd.NA or v is pd.NaT:
        return None
    if isinstance(v, (bool, np.bool_)):
        return int(v)
    if isinstance(v, (int, np.integer)):
        return int(v)
    if isinstance(v, (float, np.floating)):
        return None if np.isnan(v) else float(v)
    if isinstance(v, str):
        return v
    if isinstance(v, (bytes, memoryview)):
        return bytes(v)
    if isinstance(v, pd.Timestamp):
        return v.isoformat()
    try:
        if pd.isna(v):
            return None
    except (TypeError, ValueError):
        pass
    return str(v)


def _columns(con, table: str) -> list[str]:
    return [r[1] for r in con.execute(f"PRAGMA table_info({_q(table)})")]


def _geometry_column(con, table: str):
    row = con.execute("SELECT column_name, srs_id FROM gpkg_geometry_columns WHERE lower(table_name) = lower(?)",
                      (table,)).fetchone()
    return (row[0], int(row[1])) if row else (None, 0)


def id_index(con, table: str) -> None:
    """An index on the ``id`` column (rows are found by id; GDAL keeps its own ``fid``)."""
    con.execute(f"CREATE INDEX IF NOT EXISTS {_q('gridmap_' + table + '_id')} ON {_q(table)} (id)")


def _rows(df: pd.DataFrame, cols: list[str], geom_col, srs_id: int, multi) -> list[tuple]:
    """The rows of ``df`` as SQLite values, in the order of ``cols`` (geometry: GeoPackage blobs)."""
    values = []
    for c in cols:
        if c == geom_col:
            values.append(gpkg_blobs(df["geometry"].to_numpy(dtype=object), srs_id, multi))
        else:
            values.append([_cell(v) for v in df[c].tolist()])
    return list(zip(*values)) if values else []


def _file_columns(con, table, geom_col) -> list[str]:
    return [c for c in _columns(con, table) if c != "fid"]


def _check_fits(con, table: str, df: pd.DataFrame, geom_col) -> list[str]:
    """The file's columns (without fid) if the frame's columns are exactly those, else DeltaRefused."""
    cols = _file_columns(con, table, geom_col)
    if not cols:
        raise DeltaRefused(f"table {table} is not in the file")
    have = set(df.columns) - {"geometry"} | ({geom_col} if "geometry" in df.columns else set())
    if set(cols) != have:
        raise DeltaRefused(f"columns of {table} differ from the file's "
                           f"(new: {sorted(have - set(cols))}, gone: {sorted(set(cols) - have)})")
    return cols


def _replace_table(con, table: str, df: pd.DataFrame, geom_col=None, srs_id=0, multi=None) -> None:
    cols = _check_fits(con, table, df, geom_col)
    con.execute(f"DELETE FROM {_q(table)}")
    if len(df):
        con.executemany(f"INSERT INTO {_q(table)} ({', '.join(map(_q, cols))}) VALUES "
                        f"({', '.join('?' * len(cols))})", _rows(df, cols, geom_col, srs_id, multi))


def _extent(con, table: str, geom_col: str):
    rtree = f"rtree_{table}_{geom_col}"
    if con.execute("SELECT 1 FROM sqlite_master WHERE name = ?", (rtree,)).fetchone():
        return con.execute(f"SELECT min(minx), min(miny), max(maxx), max(maxy) FROM {_q(rtree)}").fetchone()
    return con.execute(f"SELECT min(ST_MinX({_q(geom_col)})), min(ST_MinY({_q(geom_col)})), "
                       f"max(ST_MaxX({_q(geom_col)})), max(ST_MaxY({_q(geom_col)})) FROM {_q(table)}").fetchone()


def _touch_contents(con, table: str, geom_col) -> None:
    now = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime()) + ".000Z"
    if geom_col:
        ext = _extent(con, table, geom_col)
        if ext and ext[0] is not None:
            con.execute("UPDATE gpkg_contents SET last_change = ?, min_x = ?, min_y = ?, max_x = ?, max_y = ? "
                        "WHERE lower(table_name) = lower(?)", (now, *ext, table))
            return
    con.execute("UPDATE gpkg_contents SET last_change = ? WHERE lower(table_name) = lower(?)", (now, table))


def write_delta(target: Path, delta: PlanDelta, stamp: dict, check=None, hold=None) -> dict:
    """Write ``delta`` into the GeoPackage ``target`` in one transaction.

    ``stamp`` (revision, saved_by, saved_at) goes into settings.  ``check()`` is called first,
    before the file is touched (the identity check: it raises to refuse).  ``hold(con)`` (tests) runs just before the commit.  Returns what was written
    (``{"rows": n, "tables": [...]}``); raises :class:`DeltaRefused` (nothing written) when the
    file does not fit the delta.
    """
    if delta.refused:
        raise DeltaRefused(delta.refused)
    delta.prepare()
    if check is not None:
        check()          # before anything touches the file (switching to WAL changes its header)
    con = sqlite3.connect(str(target), timeout=30, isolation_level=None)
    touched = False
    try:
        register_gpkg_functions(con)
        # everything that can refuse the delta is checked before the file is touched
        file_settings = dict(con.execute("SELECT key, value FROM settings").fetchall())
        if (file_settings.get("crs") or "") != delta.crs_text:
            raise DeltaRefused("the coordinate reference system changed")
        plan_tables = []
        for t in sorted(set(delta.upserts) | set(delta.deletes)):
            geom_col, srs_id = _geometry_column(con, t)
            df = delta.upserts.get(t)
            cols = _check_fits(con, t, df, geom_col) if df is not None else _file_columns(con, t, geom_col)
            if "id" not in cols:
                raise DeltaRefused(f"table {t} has no id column")
            plan_tables.append((t, geom_col, srs_id, df, cols))
        settings = dict(delta.settings)
        settings.update(stamp)
        settings_df = pd.DataFrame({"key": list(settings), "value": [str(v) for v in settings.values()]})
        _check_fits(con, "settings", settings_df, None)
        if delta.levels is not None:
            _check_fits(con, "levels", delta.levels, None)
        if delta.jurisdiction is not None:
            jgeom, jsrs = _geometry_column(con, "jurisdiction")
            if jgeom is None:
                raise DeltaRefused("the file has no jurisdiction layer")
            _check_fits(con, "jurisdiction", delta.jurisdiction, jgeom)
        if delta.versions is not None:
            _check_fits(con, "versions", delta.versions, None)

        mode = con.execute("PRAGMA journal_mode").fetchone()[0].lower()
        if mode != "wal":
            # readers (QGIS, GDAL) keep reading the old state during the save; a crash leaves
            # the -wal file, which the next opener applies (committed) or drops (not committed)
            touched = True
            con.execute("PRAGMA journal_mode=WAL")
        con.execute("PRAGMA synchronous=FULL")
        con.execute("BEGIN IMMEDIATE")
        try:
            written = 0
            tables = []
            for t, geom_col, srs_id, df, cols in plan_tables:
                id_index(con, t)
                gone = [int(i) for i in delta.deletes.get(t, ())]
                if gone:
                    con.executemany(f"DELETE FROM {_q(t)} WHERE id = ?", [(i,) for i in gone])
                if df is not None and len(df):
                    rows = _rows(df, cols, geom_col, srs_id, GEOMETRY_TABLES.get(t) if geom_col else None)
                    k = cols.index("id")
                    others = [c for c in cols if c != "id"]
                    upd = f"UPDATE {_q(t)} SET {', '.join(_q(c) + ' = ?' for c in others)} WHERE id = ?"
                    ins = f"INSERT INTO {_q(t)} ({', '.join(map(_q, cols))}) VALUES ({', '.join('?' * len(cols))})"
                    for r in rows:
                        cur = con.execute(upd, tuple(v for j, v in enumerate(r) if j != k) + (r[k],))
                        if cur.rowcount == 0:
                            con.execute(ins, r)
                        elif cur.rowcount > 1:
                            raise DeltaRefused(f"table {t} has id {r[k]} {cur.rowcount} times", touched=True)
                if t == "grids" and delta.parent_codes:
                    con.execute('CREATE INDEX IF NOT EXISTS "gridmap_grids_parent" ON grids (parent)')
                    for p, code in delta.parent_codes.items():
                        cur = con.execute("UPDATE grids SET parent_code = ? WHERE parent = ? AND parent_code IS NOT ?",
                                          (code, int(p), code))
                        written += max(cur.rowcount, 0)
                n = con.execute(f"SELECT count(*) FROM {_q(t)}").fetchone()[0]
                if t in delta.counts and n != delta.counts[t]:
                    raise DeltaRefused(f"table {t} would have {n} rows, the plan has {delta.counts[t]}", touched=True)
                _touch_contents(con, t, geom_col)
                written += (0 if df is None else len(df)) + len(gone)
                tables.append(t)
            _replace_table(con, "settings", settings_df)
            if delta.levels is not None:
                before = dict(con.execute('SELECT "key", "name" FROM levels').fetchall())
                _replace_table(con, "levels", delta.levels)
                after = dict(zip(delta.levels["key"], delta.levels["name"]))
                if before != after and "level_name" in _columns(con, "grids"):
                    # a level renamed: the grids' level_name (written for GIS users) follows
                    for key, name in after.items():
                        cur = con.execute("UPDATE grids SET level_name = ? WHERE level = ? AND level_name IS NOT ?",
                                          (name, key, name))
                        written += max(cur.rowcount, 0)
            if delta.jurisdiction is not None:
                _replace_table(con, "jurisdiction", delta.jurisdiction, jgeom, jsrs, "MultiPolygon")
                _touch_contents(con, "jurisdiction", jgeom)
                tables.append("jurisdiction")
            elif (file_settings.get("name"), file_settings.get("admin_code")) != \
                    (settings.get("name"), settings.get("admin_code")):
                # the plan renamed: the jurisdiction row carries the name and code too
                if _geometry_column(con, "jurisdiction")[0] is not None:
                    con.execute("UPDATE jurisdiction SET name = ?, admin_code = ?",
                                (settings.get("name"), settings.get("admin_code")))
            if delta.versions is not None:
                _replace_table(con, "versions", delta.versions)
                tables.append("versions")
            if hold is not None:
                hold(con)
            con.execute("COMMIT")
        except BaseException:
            try:
                con.execute("ROLLBACK")
                if touched:
                    con.execute("PRAGMA journal_mode=DELETE")
            except sqlite3.Error:
                pass
            raise
        # one file again (a copied or mailed .gpkg has everything); when a reader holds the
        # file open this waits for it or leaves WAL mode on (still a valid GeoPackage)
        try:
            con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            con.execute("PRAGMA journal_mode=DELETE")
        except sqlite3.Error as exc:
            log.info("%s: left in WAL mode (%s)", target, exc)
        return {"rows": written, "tables": tables}
    except sqlite3.Error as exc:
        raise DeltaWriteError(exc) from exc
    finally:
        con.close()


class DeltaWriteError(Exception):
    """SQLite failed during a delta save (disk full, read-only …); nothing was written."""

    def __init__(self, exc):
        super().__init__(str(exc))
        self.errno = getattr(exc, "errno", None)
        self.sqlite = exc


def settle(path: Path) -> None:
    """Bring a file out of an interrupted save: a hot rollback journal or WAL left beside it is
    applied or dropped by SQLite, and the file returned to one file (before it is replaced by
    rename — a -wal or -journal left behind would otherwise be applied to the new file)."""
    side = [Path(str(path) + s) for s in ("-wal", "-journal")]
    if not any(p.exists() for p in side):
        return
    con = sqlite3.connect(str(path), timeout=30, isolation_level=None)
    try:
        con.execute("SELECT count(*) FROM sqlite_master").fetchone()
        if con.execute("PRAGMA journal_mode").fetchone()[0].lower() == "wal":
            con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            con.execute("PRAGMA journal_mode=DELETE")
    finally:
        con.close()
