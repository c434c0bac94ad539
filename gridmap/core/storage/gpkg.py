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
levels         (table)          order, key, name, name_en, code_pattern, min/max_area_m2, multipart_allowed
base_layers    (table)          id, name, kind, source, layer, style, visible, opacity, order
units          (table)          id, name, kind, phone, notes
people         (table)          id, name, post, unit, phone, notes
roles          (table)          id, grid, role, person, unit, duty
settings       (table)          key, value — application, format_version, name, crs, admin_code, …
=============  ===============  ==================================================

Saving is atomic: the whole plan is written to a temporary GeoPackage in the
same folder, flushed to disk (fsync) and renamed over the old file, so a save
that fails or is killed half-way leaves the previous file as it was.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import shapely
from pyproj import CRS

from ..crs import areas_m2
from ..levels import Level
from ..plan import FORMAT_VERSION, Plan
from .base import PlanStore, StoreError

__all__ = ["GpkgStore", "open_plan", "save_plan", "APPLICATION"]

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


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True
    return True


class GpkgStore(PlanStore):
    """A plan stored in one GeoPackage file."""

    def __init__(self, path: str | os.PathLike):
        self.path = Path(path)
        self.location = str(self.path)

    # ------------------------------------------------------------------ load
    def load(self) -> Plan:
        path = self.path
        if not path.exists():
            raise StoreError(f"{path}: file not found")
        try:
            layers = {str(name): geom for name, geom in pyogrio.list_layers(path)}
        except Exception as exc:  # GDAL's own message names the problem
            raise StoreError(f"{path}: not a readable GeoPackage ({exc})") from exc
        if "settings" not in layers or "grids" not in layers:
            raise StoreError(
                f"{path}: not a gridmap project (no 'settings'/'grids' layers). "
                "Use 'import as plan' (gridmap import --as-plan) to check grid data from other systems.")
        try:
            settings = self._read_table("settings")
            settings = dict(zip(settings["key"].astype(str), settings["value"].fillna("").astype(str)))
        except Exception as exc:
            raise StoreError(f"{path}: settings table is unreadable ({exc})") from exc
        if settings.get("application") != APPLICATION:
            raise StoreError(f"{path}: not a gridmap project (settings.application is "
                             f"{settings.get('application')!r})")
        try:
            version = int(settings.get("format_version", "0"))
        except ValueError:
            raise StoreError(f"{path}: format_version {settings.get('format_version')!r} is not a number")
        if version > FORMAT_VERSION:
            raise StoreError(
                f"{path}: written by a newer gridmap (project format {version}); this version reads "
                f"format {FORMAT_VERSION} and older. Please update gridmap.")
        try:
            return self._load_plan(settings, layers)
        except StoreError:
            raise
        except Exception as exc:
            raise StoreError(f"{path}: project file is damaged ({type(exc).__name__}: {exc})") from exc

    def _read_table(self, layer: str) -> pd.DataFrame:
        df = pyogrio.read_dataframe(self.path, layer=layer, read_geometry=False)
        return pd.DataFrame(df)

    def _read_layer(self, layer: str, crs) -> gpd.GeoDataFrame:
        df = pyogrio.read_dataframe(self.path, layer=layer)
        if df.crs is None:
            df = df.set_crs(crs, allow_override=True)
        elif CRS.from_user_input(df.crs) != crs:
            df = df.to_crs(crs)
        return df

    def _load_plan(self, settings: dict, layers: dict) -> Plan:
        crs = CRS.from_user_input(settings.get("crs") or "EPSG:4490")
        lv = self._read_table("levels").sort_values("order")
        levels = [Level.from_record(r) for r in lv.to_dict("records")]

        def table(name, geometry):
            if name not in layers:
                return None
            df = self._read_layer(name, crs) if geometry else self._read_table(name)
            if "id" not in df.columns:
                raise StoreError(f"{self.path}: layer {name!r} has no 'id' column")
            df = df.set_index("id")
            if geometry:
                df = gpd.GeoDataFrame(df, geometry="geometry", crs=crs)
                df = df.set_geometry(_single(df.geometry.values), crs=crs)
            return df

        grids = table("grids", True)
        grids = grids.drop(columns=[c for c in ("parent_code", "level_name", "area_m2") if c in grids])
        jurisdiction = None
        if "jurisdiction" in layers:
            j = self._read_layer("jurisdiction", crs)
            if len(j):
                jurisdiction = _single(np.array([shapely.union_all(j.geometry.values)]))[0]
        extra = {k: v for k, v in settings.items()
                 if k not in ("application", "format_version", "name", "crs", "admin_code")}
        return Plan(
            name=settings.get("name", self.path.stem), crs=crs, admin_code=settings.get("admin_code", ""),
            levels=levels, jurisdiction=jurisdiction, grids=grids,
            units=table("units", False), people=table("people", False), roles=table("roles", False),
            segments=table("segments", True), places=table("places", True),
            base_layers=table("base_layers", False), settings=extra)

    # ------------------------------------------------------------------ save
    def save(self, plan: Plan) -> None:
        target = self.path
        folder = target.parent if str(target.parent) else Path(".")
        if not folder.is_dir():
            raise StoreError(f"{target}: folder {folder} does not exist")
        self._remove_stale_temps()
        fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}{_TMP_MARK}{os.getpid()}-",
                                        suffix=".gpkg", dir=folder)
        os.close(fd)
        tmp = Path(tmp_name)
        tmp.unlink()  # GDAL creates the file itself
        try:
            self._write_all(plan, tmp)
            _fsync_path(tmp)
            os.replace(tmp, target)
            _fsync_path(folder, directory=True)
        except BaseException as exc:
            for p in (tmp, Path(str(tmp) + "-journal"), Path(str(tmp) + "-wal")):
                try:
                    p.unlink()
                except OSError:
                    pass
            if isinstance(exc, Exception) and not isinstance(exc, StoreError):
                raise StoreError(f"{target}: save failed, the last saved file is unchanged "
                                 f"({type(exc).__name__}: {exc})") from exc
            raise

    def _remove_stale_temps(self) -> None:
        """Remove temporary files left by a save whose process was killed."""
        for p in self.path.parent.glob(f".{self.path.name}{_TMP_MARK}*"):
            try:
                pid = int(p.name.split(_TMP_MARK, 1)[1].split("-", 1)[0])
            except (IndexError, ValueError):
                continue
            if pid != os.getpid() and not _pid_alive(pid):
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
        settings = {"application": APPLICATION, "format_version": str(FORMAT_VERSION),
                    "name": plan.name, "crs": _crs_text(crs), "admin_code": plan.admin_code}
        settings.update({k: str(v) for k, v in plan.settings.items() if k not in settings})
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
        for name in ("units", "people", "roles", "base_layers"):
            write(_plain(getattr(plan, name)), name)


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


def save_plan(plan: Plan, path) -> None:
    """Save a plan to a project file, atomically."""
    GpkgStore(path).save(plan)
