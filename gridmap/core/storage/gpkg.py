"""The project file: one GeoPackage per plan.

Layers (open in QGIS/ArcGIS/GDAL as ordinary data):

=============  ===============  ==================================================
layer          geometry         columns
=============  ===============  ==================================================
grids          MultiPolygon     id, code, name, level, parent (id), notes,
                                valid_from, valid_to, multipart_ok; parent_code,
                                level_name, area_m2 (derived, for GIS users)
jurisdiction   MultiPolygon     name, admin_code, area_m2
segments       MultiLineString  id, road_name, from_desc, to_desc, grid, officer, notes
places         Geometry         id, name, kind, grid, address, notes (points or polygons)
versions       (table)          named versions: id, name, in_force, author, note, created_at,
                                parent, summary, changes (the delta since the previous version)
levels         (table)          order, key, name, name_en, code_pattern, min/max_area_m2, multipart_allowed
base_layers    (table)          id, name, kind, source, layer, style, visible, opacity, order
units          (table)          id, name, kind, phone, notes
people         (table)          id, name, post, unit, phone, notes
roles          (table)          id, grid, role, person, unit, duty
assess_items   (table)          id, name, max_points, order, notes — the scoring template (考核评分表)
assess_scores  (table)          id, grid, grid_code, kind (monthly/year_end), period, item, score, notes
ledger         (table)          id, grid, grid_code, date, matter, visitors, contact, outcome, category, handled_by
survey         (table)          id, grid, grid_code, period, question, satisfied, basic, unsatisfied, reasons
settings       (table)          key, value — application, format_version, name, crs, admin_code, …
=============  ===============  ==================================================

Saving is atomic: the whole plan is written to a temporary GeoPackage in the
same folder, flushed to disk (fsync) and renamed over the old file, so a save
that fails or is killed half-way leaves the previous file as it was (its
temporary file is removed at the next open or save).  Saving over a file that
changed since the plan was read from it raises
:class:`~gridmap.core.storage.identity.ConflictError` (see :mod:`.identity`).
"""

from __future__ import annotations

import errno
import logging
import os
import shutil
import tempfile
import time
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import CRS

from ..crs import areas_m2
from ..levels import Level
from ..messages import bi
from ..plan import FORMAT_VERSION, GRID_COLUMNS, Plan, coerce
from . import gpkg_sql
from .base import StoreError
from .delta import DeltaRefused, id_index, settle, write_delta
from .identity import ConflictError, FileIdentity, identity_of, read_settings, save_mutex
from .lock import pid_alive, user_host

__all__ = ["GpkgStore", "open_plan", "save_plan", "is_partial", "complete", "APPLICATION", "check_project", "project_refusal", "ConflictError"]

log = logging.getLogger("gridmap.storage")


class _Lazy:
    """``pyogrio`` imported on first use: opening a plan file gridmap wrote reads it with SQLite
    (:mod:`.gpkg_sql`) and needs no GDAL (its import is 0.1–0.2 s of the first frame, issue 21)."""

    def __getattr__(self, name):
        import pyogrio as module

        return getattr(module, name)


pyogrio = _Lazy()

APPLICATION = "gridmap"
_TMP_MARK = ".gridmap-saving-"
# GeoPackage 1.2 opens in every GDAL ≥ 2.2, QGIS 3 and ArcGIS Pro.
_DATASET_OPTIONS = {"VERSION": "1.2"}


def _fsync_path(path: Path, directory: bool = False) -> None:
    flags = os.O_RDONLY | (getattr(os, "O_DIRECTORY", 0) if directory else 0)
    try:
        fd = os.open(path, flags)
    except OSError:  # directories cannot be opened on Windows: nothing to sync
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


class FileInUseError(StoreError):
    """The plan file cannot be replaced because another program holds it open (Windows:
    QGIS, ArcGIS or a backup tool has the .gpkg open — a sharing violation).  Nothing is lost:
    the file on disk is the last saved one and the plan in memory is unchanged."""


# Windows refuses to replace a file another program has open (ERROR_SHARING_VIOLATION, 32, and
# ERROR_ACCESS_DENIED, 5, both PermissionError in Python); a virus scanner or the search indexer
# holds a file for a moment only, so the rename is tried again for about a second.
_REPLACE_TRIES = 8


def _replace(tmp: Path, target: Path) -> None:
    for attempt in range(_REPLACE_TRIES):
        try:
            os.replace(tmp, target)
            return
        except PermissionError as exc:
            if not target.exists() or attempt == _REPLACE_TRIES - 1:
                if target.exists() and os.access(target.parent, os.W_OK):
                    raise FileInUseError(in_use_message(target)) from exc
                raise
            time.sleep(0.05 * (attempt + 1))


def in_use_message(target) -> str:
    """Saving over a plan another program has open: what happened, what to do, nothing lost."""
    return f"{target}: " + bi(
        "文件正被其他程序（如 QGIS、ArcGIS、WPS 或备份软件）打开，无法覆盖保存；请关闭该程序后再保存，"
        "或“另存为”其他文件。上次保存的文件未改变，窗口中的修改仍保留",
        "the file is open in another program (QGIS, ArcGIS, WPS, a backup tool …) and cannot be "
        "replaced; close that program and save again, or Save As another file. The last saved file is "
        "unchanged and your changes are still in the window")


class GpkgStore:
    """A plan stored in one GeoPackage file."""

    def __init__(self, path: str | os.PathLike):
        self.path = Path(path)
        self.location = str(self.path)

    # ------------------------------------------------------------------ load
    def load(self) -> Plan:
        """Read the whole plan (both stages of :meth:`load_first` and :meth:`load_rest`, one after
        the other: what the window reads in two steps is exactly this plan)."""
        first = self.load_first()
        return complete(first, self.load_rest(first))

    def load_first(self) -> Plan:
        """Stage 1 of opening (issue 21): what the map needs first — settings, levels, CRS, the
        jurisdiction, the base maps and the grids table (all its columns); the other tables are empty until
        :meth:`load_rest` has read them and :func:`complete` has put them in.  A plan in this
        state is marked (:func:`is_partial`): it is not to be edited or saved."""
        path = self.path
        if not path.exists():
            raise StoreError(f"{path}: " + bi("文件不存在", "file not found"))
        self._remove_stale_temps()
        ident = identity_of(path)
        settings, layers = check_project(path)
        try:
            plan, later = self._load_first(settings, layers)
        except StoreError:
            raise
        except Exception as exc:
            raise StoreError(self._damaged(exc)) from exc
        remember(plan, path, ident)
        object.__setattr__(plan, _PARTIAL, (os.path.normcase(os.path.abspath(path)), ident, layers, settings,
                                            tuple(later)))
        return plan

    def load_rest(self, first: Plan, progress=None, cancelled=lambda: False, crs_wkt: str | None = None) -> dict:
        """Stage 2 of opening: every other table of the file ``first`` was read from (in a worker
        thread; ``first`` is only read).  ``progress(done, total)`` after each table; ``cancelled()``
        asked before each (then :class:`~gridmap.core.workers.Cancelled` is raised); raises
        :class:`StoreError` when a table cannot be read or the file changed since stage 1 (the
        two stages would not be one state of the file).  ``crs_wkt``: the plan's CRS as WKT, when
        this runs in another thread than the one that made ``first`` (pyproj objects stay in theirs)."""
        state = getattr(first, _PARTIAL, None)
        if state is None:
            raise ValueError("load_rest needs a plan from load_first")
        _, ident, layers, settings, later = state
        crs = CRS.from_wkt(crs_wkt) if crs_wkt else first.crs
        names = [("units", False), ("people", False), ("roles", False), ("segments", True), ("places", True)] \
            + [(t, False) for t in _ASSESS_TABLES]
        out: dict = {}
        total = len(names) + 1
        try:
            for k, (name, geometry) in enumerate(names):
                if cancelled():
                    from ..workers import Cancelled

                    raise Cancelled()            # (never half the tables)
                out[name] = self._table(name, geometry, layers, crs)
                if progress is not None:
                    progress(k + 1, total)
            if later:                            # the grids' columns stage 1 left out
                g = self._read("grids", columns=["id", *later], read_geometry=False,
                               declared=_DECLARED.get("grids"))
                g = pd.DataFrame(g).set_index("id")
                g.index = pd.Index(g.index.astype(np.int64), name="id")
                if len(g) != len(first.grids) or not g.index.equals(first.grids.index):
                    g = g.reindex(first.grids.index)
                    if len(g.index.difference(first.grids.index)) or g.index.hasnans:
                        raise StoreError(self._damaged(ValueError("the grids' rows differ between reads")))
                out["grid_columns"] = coerce(g, {c: GRID_COLUMNS[c] for c in later if c in GRID_COLUMNS})
            # named versions (gridmap.core.versions): carried from save to save
            out["versions"] = self._read_table("versions") if "versions" in layers else None
            # the tables in their declared types, here in the worker (the Plan constructor does it
            # for a plan built in one go)
            from ..plan import TABLES

            for attr, columns, geometry in TABLES:
                if attr in out and out[attr] is not None:
                    df = coerce(out[attr].copy(), columns)
                    if geometry and df.crs is None:
                        df = df.set_crs(crs)
                    out[attr] = df
        except StoreError:
            raise
        except Exception as exc:
            from ..workers import Cancelled

            if isinstance(exc, Cancelled):
                raise
            raise StoreError(self._damaged(exc)) from exc
        if identity_of(self.path) != ident:
            raise StoreError(f"{self.path}: " + bi("文件在读取过程中被其他程序修改，请重新打开",
                                                   "the file was changed by another program while it was being "
                                                   "read; open it again"))
        if progress is not None:
            progress(total, total)
        return out

    def _damaged(self, exc) -> str:
        return (f"{self.path}: " + bi("方案文件已损坏", "project file is damaged")
                + f" ({type(exc).__name__}: {_one_line(exc)})")

    def _read_table(self, layer: str, declared: dict | None = None) -> pd.DataFrame:
        df = self._read(layer, read_geometry=False, declared=declared)
        return pd.DataFrame(df)

    #: rows read per GDAL call: GDAL holds Python's GIL for a whole call (the window's event loop
    #: waits meanwhile); 5,000 rows are ~0.1 s even on a loaded machine, and reading by fid ranges
    #: is no slower in all than one call (faster at 100k: 2.2 s against 3.8 s for the grids)
    CHUNK = 5000

    #: read the plan's own tables straight from SQLite (:mod:`.gpkg_sql`; GDAL for anything unusual)
    SQL_READ = True

    def _read(self, layer: str, columns=None, read_geometry: bool = True, declared: dict | None = None,
              single: bool = False, crs=None):
        """One layer as pyogrio reads it (the same rows, columns, types and order): straight from
        SQLite when the table is plain (:func:`.gpkg_sql.read_table`, with its ``declared``,
        ``single`` and ``crs``), else through GDAL in pieces of about :attr:`CHUNK` rows by fid range."""
        if self.SQL_READ:
            try:
                return gpkg_sql.read_table(self.path, layer, columns, read_geometry, declared=declared,
                                           single=single, crs=crs)
            except gpkg_sql.Unusual as exc:
                log.info("%s: %s read through GDAL (%s)", self.path, layer, exc)
        return self._read_gdal(layer, columns, read_geometry)

    def _read_gdal(self, layer: str, columns=None, read_geometry: bool = True):
        kw = dict(layer=layer, columns=columns, read_geometry=read_geometry)
        info = pyogrio.read_info(self.path, layer=layer)
        n = int(info.get("features") or 0)
        fid = info.get("fid_column") or ""
        if n <= self.CHUNK or not fid or not fid.replace("_", "").isalnum():
            return pyogrio.read_dataframe(self.path, **kw)
        with gpkg_sql.connect(self.path) as con:
            lo, hi = con.execute(f'SELECT min("{fid}"), max("{fid}") FROM "{layer}"').fetchone()
        con.close()
        if lo is None:
            return pyogrio.read_dataframe(self.path, **kw)
        step = max(self.CHUNK, (int(hi) - int(lo) + 1) * self.CHUNK // max(n, 1))
        parts = [pyogrio.read_dataframe(self.path, where=f'"{fid}" >= {a} AND "{fid}" < {a + step}', **kw)
                 for a in range(int(lo), int(hi) + 1, step)]
        parts = [p for p in parts if len(p)] or parts[:1]
        out = pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0]
        if read_geometry and not isinstance(out, gpd.GeoDataFrame):
            out = gpd.GeoDataFrame(out, geometry="geometry", crs=parts[0].crs)
        return out

    def _read_layer(self, layer: str, crs, columns=None, declared: dict | None = None,
                    single: bool = False) -> gpd.GeoDataFrame:
        df = self._read(layer, columns=columns, declared=declared, single=single, crs=crs)
        if df.crs is None:
            df = df.set_crs(crs, allow_override=True)
        elif CRS.from_user_input(df.crs) != crs:
            df = df.to_crs(crs)
        return df

    def _table(self, name, geometry, layers, crs, columns=None):
        if name not in layers:
            return None
        declared = _DECLARED.get(name)
        df = self._read_layer(name, crs, columns, declared, single=True) if geometry \
            else self._read_table(name, declared)
        if "id" not in df.columns:
            raise StoreError(f"{self.path}: " + bi(f"图层 {name!r} 没有 id 列", f"layer {name!r} has no 'id' column"))
        df = df.set_index("id")
        if geometry:
            df = gpd.GeoDataFrame(df, geometry="geometry", crs=crs)
            df = df.set_geometry(_single(df.geometry.values), crs=crs)
        return df

    def _fields(self, layer: str) -> list[str]:
        """The attribute columns of a layer, as GDAL lists them."""
        if self.SQL_READ:
            try:
                return gpkg_sql.field_names(self.path, layer)
            except gpkg_sql.Unusual:
                pass
        return [str(f) for f in pyogrio.read_info(self.path, layer=layer).get("fields", [])]

    def _load_first(self, settings: dict, layers: dict) -> tuple[Plan, list]:
        crs = _plan_crs(self.path, settings)
        lv = self._read_table("levels").sort_values("order")
        levels = [Level.from_record(r) for r in lv.to_dict("records")]
        # the derived columns (for GIS users) are not read at all: the plan computes them
        fields = self._fields("grids")
        keep = [f for f in fields if f not in _DERIVED] if "id" in fields else None
        # the columns the map and its labels need come now; the others (notes, dates, lineage, a
        # user's own columns) with the other tables (:meth:`load_rest`, a fifth of the grids' read
        # at 100k) — here they hold their empty values, in the file's column order
        later = [f for f in keep if f not in _FIRST_GRID_COLUMNS] if keep is not None else []
        grids = self._table("grids", True, layers, crs,
                            columns=[f for f in keep if f in _FIRST_GRID_COLUMNS] if later else keep)
        grids = grids.drop(columns=[c for c in _DERIVED if c in grids])
        if later and grids is not None:
            geom = grids.geometry.name
            for c in later:
                kind = GRID_COLUMNS.get(c)
                grids[c] = "" if kind == "str" else (False if kind == "bool" else np.nan)
            grids = grids[[c for c in keep if c != "id"] + [geom]]
        jurisdiction = None
        if "jurisdiction" in layers:
            j = self._read_layer("jurisdiction", crs)
            if len(j):
                jurisdiction = _single(np.array([shapely.union_all(j.geometry.values)]))[0]
        extra = {k: v for k, v in settings.items()
                 if k not in ("application", "format_version", "name", "crs", "admin_code") + _SAVE_KEYS}
        # the base maps too (a few rows): the first frame shows the plan over them
        return Plan(name=settings.get("name", self.path.stem), crs=crs, admin_code=settings.get("admin_code", ""),
                    levels=levels, jurisdiction=jurisdiction, grids=grids, settings=extra,
                    base_layers=self._table("base_layers", False, layers, crs)), later

    # ------------------------------------------------------------------ save
    def save(self, plan: Plan, force: bool = False, delta=None) -> dict:
        """Save atomically.  Raises :class:`ConflictError` when the file changed since
        ``plan`` was read from (or last saved to) it, unless ``force``.

        With ``delta`` (a :class:`~gridmap.core.storage.delta.PlanDelta` of the rows changed
        since the plan was read or last saved) only those rows are written, in one SQLite
        transaction; without one, or when it does not fit the file, the whole file is
        rewritten.  Returns (and keeps in :attr:`last_save`) how:
        ``{"mode": "delta"|"full", "reason": …, "rows": …, "seconds": …}``; the log says it too.
        """
        t0 = time.perf_counter()
        target = self.path
        if is_partial(plan):       # stage 1 of an opening (load_first): half a plan is never written
            raise StoreError(f"{target}: " + bi("方案尚未载入完整，不能保存", "the plan is not fully loaded yet; "
                                                "it cannot be saved"))
        folder = target.parent if str(target.parent) else Path(".")
        if not folder.is_dir():
            raise StoreError(f"{target}: " + bi(f"文件夹 {folder} 不存在", f"folder {folder} does not exist"))
        self._remove_stale_temps()
        known = _known_identity(plan, target)
        reason = "no delta (new plan, Save As or first save)" if delta is None else ""
        if delta is not None:
            if not target.exists():
                reason = "the file does not exist"
            elif known is None:
                reason = "the plan was not read from this file"
            else:
                try:
                    info = self.save_delta(delta, known, force)
                except DeltaRefused as exc:
                    reason = str(exc)
                    if exc.touched:       # only the journal mode in its header changed: still the known file
                        known = identity_of(target)
                        remember(plan, target, known)
                else:
                    remember(plan, target, info.pop("identity"))
                    return info
        self._save_full(plan, force, known)
        info = {"mode": "full", "reason": reason, "rows": None, "seconds": round(time.perf_counter() - t0, 3)}
        self.last_save = info
        log.info("%s: rewrote the whole file in %.2f s (%s)", target, info["seconds"], reason)
        return info

    def save_delta(self, delta, known: FileIdentity, force: bool = False) -> dict:
        """Write only ``delta`` into the file last seen as ``known`` (see :meth:`save`); raises
        :class:`DeltaRefused` (nothing written) when it does not fit the file.  The result has the
        file's new ``identity``."""
        t0 = time.perf_counter()
        target = self.path
        folder = target.parent if str(target.parent) else Path(".")
        base_rev = known.revision
        user, host = user_host()
        stamp = {"revision": str(base_rev + 1), "saved_by": f"{user}@{host}",
                 "saved_at": time.strftime("%Y-%m-%d %H:%M:%S")}

        def check():
            # under the save mutex: no other gridmap can save from here on
            now = identity_of(target)
            if now is not None and now != known:
                if force:
                    raise DeltaRefused("the file changed since it was read (overwriting it whole)")
                other = read_settings(target)
                raise ConflictError(target, other.get("saved_by", ""), other.get("saved_at", ""))

        try:
            with save_mutex(target):
                info = write_delta(target, delta, stamp, check=check, hold=getattr(self, "_hold", None))
                info["identity"] = identity_of(target)
        except (DeltaRefused, StoreError):
            raise
        except BaseException as exc:
            if isinstance(exc, Exception):
                raise StoreError(_save_failure(target, folder, exc, _nearly_full(folder))) from exc
            raise
        info.update(mode="delta", reason="", seconds=round(time.perf_counter() - t0, 3))
        self.last_save = info
        log.info("%s: saved %d changed rows (%s) in %.2f s", target, info["rows"], delta.summary(), info["seconds"])
        return info

    def _save_full(self, plan: Plan, force: bool, known: FileIdentity | None) -> None:
        target = self.path
        folder = target.parent if str(target.parent) else Path(".")
        base_rev = known.revision if known is not None else 0
        if target.exists() and known is None and not force:
            # saving over a file this plan was not read from (Save As onto it, import -o):
            # continue its revision count
            base_rev = (identity_of(target) or FileIdentity(0, 0, 0)).revision
        tmp = None
        try:
            fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}{_TMP_MARK}{os.getpid()}-",
                                            suffix=".gpkg", dir=folder)
            os.close(fd)
            tmp = Path(tmp_name)
            tmp.unlink()  # GDAL creates the file itself
            user, host = user_host()
            stamp = {"revision": str(base_rev + 1), "saved_by": f"{user}@{host}",
                     "saved_at": time.strftime("%Y-%m-%d %H:%M:%S")}
            self._stamp = stamp
            self._write_all(plan, tmp)
            _index_ids(tmp)
            _fsync_path(tmp)
            with save_mutex(target):
                if known is not None and not force:
                    now = identity_of(target)
                    if now is not None and now != known:
                        other = read_settings(target)
                        raise ConflictError(target, other.get("saved_by", ""), other.get("saved_at", ""))
                if target.exists():
                    settle(target)       # a -wal/-journal of a killed save must not meet the new file
                _replace(tmp, target)
                _fsync_path(folder, directory=True)
                remember(plan, target, identity_of(target))
        except BaseException as exc:
            nearly_full = _nearly_full(folder)     # measured before the temp file is removed again
            if tmp is not None:
                for p in (tmp, Path(str(tmp) + "-journal"), Path(str(tmp) + "-wal"), Path(str(tmp) + "-shm")):
                    try:
                        p.unlink()
                    except OSError:
                        pass
            if isinstance(exc, Exception) and not isinstance(exc, StoreError):
                raise StoreError(_save_failure(target, folder, exc, nearly_full)) from exc
            raise

    def _remove_stale_temps(self) -> None:
        """Remove temporary files left by a save whose process was killed."""
        for p in self.path.parent.glob(f".{self.path.name}{_TMP_MARK}*"):
            try:
                pid = int(p.name.split(_TMP_MARK, 1)[1].split("-", 1)[0])
            except (IndexError, ValueError):
                continue
            if pid != os.getpid() and not pid_alive(pid):
                try:
                    p.unlink()
                except OSError:
                    pass

    def _write_all(self, plan: Plan, tmp: Path) -> None:
        first = True

        def write(df, layer, geometry_type=None):
            nonlocal first
            kwargs = dict(layer=layer, driver="GPKG", layer_options={"SPATIAL_INDEX": "YES"}
                          if geometry_type else {})
            if first:
                kwargs["dataset_options"] = _DATASET_OPTIONS
            else:
                kwargs["append"] = False
            if geometry_type:
                kwargs["geometry_type"] = geometry_type
                kwargs["promote_to_multi"] = geometry_type.startswith("Multi")
            pyogrio.write_dataframe(df, tmp, **kwargs)
            first = False

        crs = plan.crs
        settings = plan_settings(plan, getattr(self, "_stamp", None))
        write(pd.DataFrame({"key": list(settings), "value": list(settings.values())}), "settings")
        write(pd.DataFrame([lv.to_record(i) for i, lv in enumerate(plan.levels)]).assign(
            multipart_allowed=lambda d: d["multipart_allowed"].astype(int)), "levels")

        grids = plan.grids.copy()
        names = {lv.key: lv.name for lv in plan.levels}
        code_by_id = grids["code"]
        grids["parent_code"] = [code_by_id.get(int(p), "") if pd.notna(p) else "" for p in grids["parent"]]
        grids["level_name"] = grids["level"].map(names).fillna("")
        grids["area_m2"] = np.round(areas_m2(grids.geometry.values, crs), 2)
        write(_out(grids, crs), "grids", "MultiPolygon")

        if plan.jurisdiction is not None:
            j = gpd.GeoDataFrame({"name": [plan.name], "admin_code": [plan.admin_code],
                                  "area_m2": [round(float(areas_m2([plan.jurisdiction], crs)[0]), 2)]},
                                 geometry=[plan.jurisdiction], crs=crs)
            write(j, "jurisdiction", "MultiPolygon")
        write(_out(plan.segments, crs), "segments", "MultiLineString")
        write(_out(plan.places, crs), "places", "Unknown")
        for name in ("units", "people", "roles", "base_layers") + _ASSESS_TABLES:
            write(_plain(getattr(plan, name)), name)
        versions = getattr(plan, "versions", None)
        if versions is not None and len(versions):
            write(pd.DataFrame(versions).reset_index(drop=True), "versions")


def plan_settings(plan: Plan, stamp: dict | None = None) -> dict:
    """The settings table of a plan's file (``stamp``: revision, saved_by, saved_at)."""
    settings = {"application": APPLICATION, "format_version": str(FORMAT_VERSION),
                "name": plan.name, "crs": _crs_text(plan.crs), "admin_code": plan.admin_code}
    settings.update(stamp or {})
    settings.update({k: str(v) for k, v in plan.settings.items() if k not in settings})
    return settings


def _index_ids(path: Path) -> None:
    """Index the id column of every table that has one (a delta save finds its rows by id)."""
    import sqlite3

    con = sqlite3.connect(str(path), isolation_level=None)
    try:
        names = [r[0] for r in con.execute("SELECT table_name FROM gpkg_contents")]
        for name in names:
            if "id" in [r[1] for r in con.execute(f"PRAGMA table_info({_q(name)})")]:
                id_index(con, name)
    finally:
        con.close()


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


# assessment, work ledger, satisfaction survey (gridmap.core.assessment); plans saved before
# they existed simply have none
_ASSESS_TABLES = ("assess_items", "assess_scores", "ledger", "survey")


def _crs_text(crs: CRS) -> str:
    auth = crs.to_authority()
    return f"{auth[0]}:{auth[1]}" if auth else crs.to_wkt()


def _plain(df: pd.DataFrame) -> pd.DataFrame:
    out = df.reset_index()
    for col in out.columns:
        if str(out[col].dtype) == "Int64":
            # nullable ids: GeoPackage integers with NULL
            out[col] = out[col].astype("Int64")
    return out


def _out(df: gpd.GeoDataFrame, crs) -> gpd.GeoDataFrame:
    out = gpd.GeoDataFrame(_plain(df), geometry="geometry", crs=crs)
    return out


def _single(geoms: np.ndarray) -> np.ndarray:
    """MultiPolygons/MultiLineStrings of one part back to simple geometries."""
    geoms = np.asarray(geoms, dtype=object)
    out = geoms.copy()
    types = shapely.get_type_id(geoms)
    multi = (types == 5) | (types == 6)
    one = multi & (shapely.get_num_geometries(geoms) == 1)
    if one.any():
        out[one] = shapely.get_geometry(geoms[one], 0)
    return out


def open_plan(path) -> Plan:
    """Open a gridmap project file."""
    return GpkgStore(path).load()


# ---------------------------------------------------------------------------- opening in two stages
_PARTIAL = "_gridmap_partial"
_DERIVED = ("parent_code", "level_name", "area_m2")
#: the grids' columns read in stage 1 of an opening (the map draws and labels grids by these)
_FIRST_GRID_COLUMNS = ("id", "code", "name", "level", "parent")


def _declared_columns() -> dict:
    from ..plan import TABLES

    return {attr: columns for attr, columns, _ in TABLES}


_DECLARED = _declared_columns()


def is_partial(plan) -> bool:
    """Whether ``plan`` is stage 1 of an opening (:meth:`GpkgStore.load_first`) still waiting for
    its other tables: such a plan is never edited nor saved."""
    return getattr(plan, _PARTIAL, None) is not None


def complete(plan: Plan, rest: dict) -> Plan:
    """Put the tables read by :meth:`GpkgStore.load_rest` into the stage-1 ``plan`` (in place: the
    window's layers and document keep the same plan object); from then on it is the whole plan."""
    if not is_partial(plan):
        raise ValueError("complete needs a plan from load_first")
    for name, df in rest.items():
        if name == "versions":
            plan.versions = df
        elif name == "grid_columns":          # into the same grids table (the map's layers hold it)
            for c in df.columns:
                plan.grids[c] = df[c]               # (a Series: text stays object, as read in one go)
        elif df is not None:
            setattr(plan, name, df)
    object.__delattr__(plan, _PARTIAL)
    return plan


def save_plan(plan: Plan, path, force: bool = False, delta=None) -> dict:
    """Save a plan to a project file, atomically; :class:`ConflictError` if the file
    changed since the plan was read from it (unless ``force``).  ``delta``: see
    :meth:`GpkgStore.save`."""
    return GpkgStore(path).save(plan, force=force, delta=delta)


# ---------------------------------------------------------------------------- checks and identity

_SAVE_KEYS = ("revision", "saved_by", "saved_at")
_ORIGIN = "_gridmap_origin"


def remember(plan: Plan, path, ident: FileIdentity | None) -> None:
    """Note on the plan object which file (and which state of it) it came from."""
    object.__setattr__(plan, _ORIGIN, (os.path.normcase(os.path.abspath(path)), ident))


def _known_identity(plan: Plan, path) -> FileIdentity | None:
    origin = getattr(plan, _ORIGIN, None)
    if origin and origin[0] == os.path.normcase(os.path.abspath(path)):
        return origin[1]
    return None


def check_project(path) -> tuple[dict, dict]:
    """(settings, layers) of a gridmap project, or :class:`StoreError` saying why it
    cannot be opened (not a project, written by a newer gridmap, damaged)."""
    path = Path(path)
    quick = _check_quickly(path)
    if quick is not None:
        return quick
    try:
        layers = {str(name): geom for name, geom in pyogrio.list_layers(path)}
    except Exception as exc:  # GDAL's own message names the problem
        raise StoreError(f"{path}: " + bi("不是可读的 GeoPackage", "not a readable GeoPackage")
                         + f" ({_one_line(exc)})") from exc
    if "settings" not in layers or "grids" not in layers:
        raise StoreError(f"{path}: " + bi(
            "不是 gridmap 方案（没有 settings/grids 图层），其他系统的网格数据请用 gridmap import --as-plan 导入",
            "not a gridmap project (no 'settings'/'grids' layers); "
            "use gridmap import --as-plan for grid data from other systems"))
    try:
        df = pyogrio.read_dataframe(path, layer="settings", read_geometry=False)
        settings = dict(zip(df["key"].astype(str), df["value"].fillna("").astype(str)))
    except Exception as exc:
        raise StoreError(f"{path}: " + bi("settings 表无法读取", "settings table is unreadable")
                         + f" ({_one_line(exc)})") from exc
    if settings.get("application") != APPLICATION:
        raise StoreError(f"{path}: " + bi("不是 gridmap 方案", "not a gridmap project")
                         + f" (settings.application = {settings.get('application')!r})")
    newer = newer_format(settings)
    if newer is not None:
        raise StoreError(f"{path}: " + newer)
    return settings, layers


def _check_quickly(path: Path):
    """:func:`check_project` of a plain gridmap project read with SQLite: (settings, layers) when it
    is one this gridmap opens; None for anything else (then GDAL's reading decides and gives its
    message).  ``layers`` holds the tables GDAL lists (the registered ones; only their names count)."""
    try:
        layers = gpkg_sql.list_tables(path)
        if "settings" not in layers or "grids" not in layers:
            return None
        df = gpkg_sql.read_table(path, "settings", read_geometry=False)
        settings = dict(zip(df["key"].astype(str), df["value"].fillna("").astype(str)))
    except (gpkg_sql.Unusual, KeyError):
        return None
    if settings.get("application") != APPLICATION or newer_format(settings) is not None:
        return None
    return settings, layers


def newer_format(settings: dict) -> str | None:
    """The message refusing a project whose format this gridmap cannot read, else None."""
    raw = settings.get("format_version", "0") or "0"
    try:
        version = int(raw)
    except ValueError:
        return bi(f"格式版本 {raw!r} 不是数字，无法读取", f"format_version {raw!r} is not a number; cannot read it")
    if version > FORMAT_VERSION:
        return bi(f"由更新版本的 gridmap 保存（方案格式 {version}），本版本只能读取格式 {FORMAT_VERSION} 及更早的方案，"
                  "请升级 gridmap", f"written by a newer gridmap (project format {version}); this version reads "
                  f"format {FORMAT_VERSION} and older. Please update gridmap")
    return None


def project_refusal(path) -> str | None:
    """For commands that also read plain files: the message refusing ``path`` when it is
    a gridmap project in a newer format, else None (cheap: reads the settings table only)."""
    if not str(path).lower().endswith(".gpkg") or not os.path.isfile(path):
        return None
    settings = read_settings(path)
    if settings.get("application") != APPLICATION:
        return None
    msg = newer_format(settings)
    return f"{path}: {msg}" if msg else None


def _plan_crs(path: Path, settings: dict) -> CRS:
    text = (settings.get("crs") or "").strip()
    if not text:
        try:
            text = pyogrio.read_info(path, layer="grids").get("crs") or ""
        except Exception:
            text = ""
        if "Undefined geographic SRS" in text or "Undefined cartesian SRS" in text:
            text = ""       # GeoPackage srs_id 0 / -1: GDAL's placeholder for "no CRS"
    if not text:
        raise StoreError(f"{path}: " + bi(
            "方案没有坐标系（settings 表无 crs，grids 图层也没有），无法计算面积；请在 settings 表中填写 crs，例如 EPSG:4547",
            "the plan has no coordinate reference system (no crs in settings or on the grids layer), so areas "
            "cannot be measured; set crs in the settings table, e.g. EPSG:4547"))
    try:
        crs = CRS.from_user_input(text)
    except Exception:
        shown = text if len(text) <= 60 else text[:57] + "…"
        raise StoreError(f"{path}: " + bi(f"坐标系 {shown!r} 无法识别", f"coordinate reference system {shown!r} "
                                          "is not understood")) from None
    return crs


def _one_line(exc) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text if len(text) <= 200 else text[:197] + "…"


def _nearly_full(folder: Path, margin: int = 256 * 1024) -> bool:
    """True when the folder's file system has less than ``margin`` bytes free (GDAL reports a full
    disk during a GeoPackage write as a generic SQLite/feature error, without ENOSPC)."""
    try:
        return shutil.disk_usage(folder).free < margin
    except OSError:
        return False


def _save_failure(target: Path, folder: Path, exc: BaseException, nearly_full: bool = False) -> str:
    """One clear line for a failed save; the last saved file is unchanged."""
    unchanged = bi("上次保存的文件未改变", "the last saved file is unchanged")
    err = getattr(exc, "errno", None)
    text = str(exc).lower()
    if nearly_full or err == errno.ENOSPC or "no space" in text or "disk full" in text or "database or disk is full" in text:
        return f"{target}: " + bi("磁盘空间不足，保存失败", "disk full, save failed") + f"; {unchanged} ({_one_line(exc)})"
    if err in (errno.EACCES, errno.EPERM, errno.EROFS) or isinstance(exc, PermissionError) \
            or not os.access(folder, os.W_OK):
        return f"{target}: " + bi(f"文件夹只读，无法保存（{folder}）", f"folder is read-only, cannot save ({folder})") \
            + f"; {unchanged}"
    return f"{target}: " + bi("保存失败", "save failed") + f" ({type(exc).__name__}: {_one_line(exc)}); {unchanged}"
