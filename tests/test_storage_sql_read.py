"""Reading the plan file's own tables straight from SQLite (issue 21, ``gpkg_sql``).

The plan read this way is the plan GDAL's read gives — every table, column, dtype, value, geometry
(WKB for WKB) and CRS — on the sample plan, a generated city and a file with the odd cases a user's
other tools leave (NULLs, an empty and a missing geometry, Chinese text, extra columns); anything
the reader does not know (a date column, another CRS, an unknown geometry header) goes through GDAL
and still gives the same plan; a newer format and a plan without a CRS are refused as before."""

from __future__ import annotations

import shutil
import sqlite3
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pyogrio
import pytest
import shapely

from gridmap.core.plan import TABLES
from gridmap.core.storage import StoreError, save_plan
from gridmap.core.storage import gpkg_sql
from gridmap.core.storage.gpkg import GpkgStore

ROOT = Path(__file__).resolve().parents[1]


def _edit(path):
    """A plain SQLite connection to a GeoPackage, as another tool would open it (the rtree
    triggers' spatial functions given: an empty or missing geometry leaves the index)."""
    con = sqlite3.connect(path)
    con.create_function("ST_IsEmpty", 1, lambda b: 1 if b is None or b[3] & 0x10 else 0)
    for name in ("ST_MinX", "ST_MaxX", "ST_MinY", "ST_MaxY"):
        con.create_function(name, 1, lambda b: 0.0)
    return con


def _load(path, sql: bool):
    store = GpkgStore(path)
    store.SQL_READ = sql
    return store.load()


def assert_same_plan(a, b):
    assert (a.name, a.admin_code, a.levels, a.settings) == (b.name, b.admin_code, b.levels, b.settings)
    assert a.crs == b.crs
    assert (a.jurisdiction is None) == (b.jurisdiction is None)
    if a.jurisdiction is not None:
        assert shapely.to_wkb(a.jurisdiction) == shapely.to_wkb(b.jurisdiction)
    for attr, _, geometry in TABLES + (("versions", None, False),):
        x, y = getattr(a, attr), getattr(b, attr)
        if x is None or y is None:
            assert x is None and y is None, attr
            continue
        if geometry:
            assert x.crs == y.crs, attr
            gx, gy = np.asarray(x.geometry.values), np.asarray(y.geometry.values)
            assert list(shapely.to_wkb(gx)) == list(shapely.to_wkb(gy)), attr
            x, y = pd.DataFrame(x.drop(columns="geometry")), pd.DataFrame(y.drop(columns="geometry"))
        pd.testing.assert_frame_equal(x, y, check_exact=True, obj=attr)


def _same_as_gdal(path, layer, **kw):
    """read_table against pyogrio.read_dataframe, table for table."""
    ours = gpkg_sql.read_table(path, layer, **kw)
    theirs = pyogrio.read_dataframe(path, layer=layer, read_geometry=kw.get("read_geometry", True))
    if "geometry" in theirs:
        assert list(shapely.to_wkb(np.asarray(ours.geometry.values))) == \
            list(shapely.to_wkb(np.asarray(theirs.geometry.values))), layer
        assert ours.crs == theirs.crs
        ours, theirs = pd.DataFrame(ours.drop(columns="geometry")), pd.DataFrame(theirs.drop(columns="geometry"))
    pd.testing.assert_frame_equal(ours, theirs, check_exact=True, obj=layer)


def test_the_sample_plan_reads_the_same(sample_plan_path, tmp_path):
    path = tmp_path / "样例.gpkg"
    shutil.copy(sample_plan_path, path)
    assert_same_plan(_load(path, True), _load(path, False))
    for layer in ("grids", "segments", "places", "people", "roles", "units", "levels", "settings"):
        _same_as_gdal(path, layer)


@pytest.fixture(scope="module")
def city_path(tmp_path_factory):
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import citygen

    path = tmp_path_factory.mktemp("sqlread") / "city.gpkg"
    save_plan(citygen.generate(600, seed=3, inject=True).plan, path)
    return path


def test_a_generated_city_reads_the_same(city_path):
    assert_same_plan(_load(city_path, True), _load(city_path, False))
    for layer in ("grids", "segments", "places", "people", "roles", "jurisdiction"):
        _same_as_gdal(city_path, layer)


def _through_gdal(caplog) -> set:
    return {r.getMessage().split(": ")[1].split(" read through")[0] for r in caplog.records
            if "read through GDAL" in r.getMessage()}


def test_odd_cells_read_the_same(city_path, tmp_path, caplog):
    """NULLs where gridmap writes "" or numbers, an empty and a missing geometry, Chinese text,
    columns another GIS added (text, integer and boolean with NULLs, a real)."""
    path = tmp_path / "odd.gpkg"
    shutil.copy(city_path, path)
    with _edit(path) as con:
        con.execute("UPDATE grids SET name = NULL, notes = NULL WHERE id % 5 = 0")
        con.execute("UPDATE grids SET name = '东湖街道·第' || id || '网格（试点）' WHERE id % 5 = 1")
        con.execute("UPDATE grids SET multipart_ok = NULL WHERE id % 7 = 0")
        con.execute("UPDATE grids SET population = NULL WHERE id % 11 = 0")
        con.execute("ALTER TABLE grids ADD COLUMN 备注2 TEXT")
        con.execute("ALTER TABLE grids ADD COLUMN flag BOOLEAN")
        con.execute("ALTER TABLE grids ADD COLUMN share REAL")
        con.execute("UPDATE grids SET 备注2 = '甲' || id, flag = id % 2, share = id / 3.0 WHERE id % 4 = 0")
        con.execute("UPDATE segments SET road_name = NULL, officer = NULL WHERE id % 3 = 0")
        con.execute("UPDATE people SET phone = NULL, unit = NULL WHERE id % 2 = 0")
        con.execute("UPDATE roles SET duty = NULL WHERE id % 2 = 0")
        # a missing geometry and an empty one (the GeoPackage empty flag, as GDAL writes it)
        con.execute("UPDATE places SET geom = NULL WHERE id = (SELECT min(id) FROM places)")
        fid, blob = con.execute("SELECT fid, geom FROM segments ORDER BY fid LIMIT 1").fetchone()
        empty = bytes([0x47, 0x50, 0, 0x11]) + blob[4:8] + bytes.fromhex("010500000000000000")
        con.execute("UPDATE segments SET geom = ? WHERE fid = ?", (empty, fid))
    con.close()
    caplog.set_level("INFO", logger="gridmap.storage")
    a = _load(path, True)
    assert _through_gdal(caplog) == set()             # all of it by the SQLite reader
    assert_same_plan(a, _load(path, False))
    assert a.grids["name"].str.contains("网格（试点）").any()
    assert a.segments.geometry.is_empty.sum() == 1 and a.places.geometry.isna().sum() == 1
    for layer in ("grids", "segments", "places", "people", "roles"):
        _same_as_gdal(path, layer)


def test_what_the_reader_does_not_know_goes_through_gdal(city_path, tmp_path, caplog):
    path = tmp_path / "unusual.gpkg"
    shutil.copy(city_path, path)
    with _edit(path) as con:
        con.execute("ALTER TABLE people ADD COLUMN born DATE")
        con.execute("UPDATE people SET born = '1990-01-0' || (id % 9 + 1)")
        con.execute("ALTER TABLE roles ADD COLUMN n MEDIUMINT")
        con.execute("UPDATE units SET phone = 12345 WHERE id = (SELECT min(id) FROM units)")  # (TEXT affinity)
        con.execute("UPDATE roles SET person = 'x' WHERE id = (SELECT min(id) FROM roles)")   # text in INTEGER
    con.close()
    for layer in ("people", "roles"):
        with pytest.raises(gpkg_sql.Unusual):
            gpkg_sql.read_table(path, layer)
    caplog.set_level("INFO", logger="gridmap.storage")
    a = _load(path, True)
    assert _through_gdal(caplog) == {"people", "roles"}
    assert_same_plan(a, _load(path, False))
    # a geometry header the reader does not know (the extended-geometry flag): Unusual
    bad = tmp_path / "extended.gpkg"
    shutil.copy(city_path, bad)
    with _edit(bad) as con:
        fid, blob = con.execute("SELECT fid, geom FROM places ORDER BY fid LIMIT 1").fetchone()
        con.execute("UPDATE places SET geom = ? WHERE fid = ?", (blob[:3] + bytes([blob[3] | 0x20]) + blob[4:], fid))
    con.close()
    with pytest.raises(gpkg_sql.Unusual):
        gpkg_sql.read_table(bad, "places")


def test_a_layer_in_another_crs_is_reprojected_by_gdal(city_path, tmp_path):
    plan = _load(city_path, True)
    path = tmp_path / "crs.gpkg"
    shutil.copy(city_path, path)
    seg = pyogrio.read_dataframe(path, layer="segments").to_crs(4326)
    pyogrio.write_dataframe(seg, path, layer="segments", promote_to_multi=True)
    with pytest.raises(gpkg_sql.Unusual):
        gpkg_sql.read_table(path, "segments", crs=plan.crs)
    a, b = _load(path, True), _load(path, False)
    assert_same_plan(a, b)
    assert a.segments.crs == plan.crs


def test_refusals_stay_the_same(city_path, tmp_path):
    newer = tmp_path / "newer.gpkg"
    shutil.copy(city_path, newer)
    with _edit(newer) as con:
        con.execute("UPDATE settings SET value = '99' WHERE key = 'format_version'")
    con.close()
    with pytest.raises(StoreError, match="更新版本"):
        GpkgStore(newer).load()
    nocrs = tmp_path / "nocrs.gpkg"
    shutil.copy(city_path, nocrs)
    with _edit(nocrs) as con:
        con.execute("DELETE FROM settings WHERE key = 'crs'")
        con.execute("UPDATE gpkg_geometry_columns SET srs_id = 0 WHERE table_name = 'grids'")
    con.close()
    with pytest.raises(StoreError, match="没有坐标系"):
        GpkgStore(nocrs).load()


def test_the_file_stays_gdal_readable_after_a_read(city_path, tmp_path):
    path = tmp_path / "after.gpkg"
    shutil.copy(city_path, path)
    before = path.read_bytes()
    _load(path, True)
    assert path.read_bytes() == before                     # read-only: nothing written
    assert len(pyogrio.read_dataframe(path, layer="grids")) > 0


def test_the_project_check_reads_what_gdal_reads(sample_plan_path, city_path, tmp_path, monkeypatch):
    from gridmap.core.storage import gpkg as G

    for path in (sample_plan_path, city_path):
        quick = G._check_quickly(Path(path))
        assert quick is not None
        settings, layers = quick
        assert layers == {str(n): g for n, g in pyogrio.list_layers(path)}
        df = pyogrio.read_dataframe(path, layer="settings", read_geometry=False)
        assert settings == dict(zip(df["key"].astype(str), df["value"].fillna("").astype(str)))
    # not a GeoPackage at all: GDAL's path and message, as before
    junk = tmp_path / "junk.gpkg"
    junk.write_bytes(b"not a database" * 100)
    assert G._check_quickly(junk) is None
    with pytest.raises(StoreError, match="GeoPackage"):
        GpkgStore(junk).load()


def test_named_versions_read_the_same(city_path, tmp_path):
    from gridmap.core.storage import open_plan
    from gridmap.core.versions.store import save_version

    path = tmp_path / "versions.gpkg"
    shutil.copy(city_path, path)
    plan = open_plan(path)
    save_version(plan, "第一版", author="测试")
    save_plan(plan, path, force=True)
    plan = open_plan(path)
    plan.grids.iloc[0, plan.grids.columns.get_loc("name")] = "改名后的网格"
    save_version(plan, "第二版", author="测试", note="名称调整")
    save_plan(plan, path, force=True)
    a = _load(path, True)
    assert len(a.versions) == 2
    assert_same_plan(a, _load(path, False))


def test_the_grids_columns_read_in_stage_two_are_the_ones_read_at_once(city_path, tmp_path):
    """Stage 1 of an opening reads the grids' code, name, level and parent (what the map draws
    and labels); notes, dates, lineage and a user's own columns come with the other tables.  The
    whole plan then has the grids table a single read of the layer gives — values, dtypes, order."""
    from gridmap.core.plan import GRID_COLUMNS, Plan, coerce
    from gridmap.core.storage.gpkg import complete, is_partial

    path = tmp_path / "city.gpkg"
    shutil.copy(city_path, path)
    con = _edit(path)
    con.execute("ALTER TABLE grids ADD COLUMN 人口 INTEGER")
    con.execute("UPDATE grids SET notes = '备注' || fid, lineage = 'split:' || (fid - 1), 人口 = fid * 3, "
                "valid_from = '2026-01-01', multipart_ok = (fid % 2) WHERE fid % 7 = 0")
    con.commit()
    con.close()
    store = GpkgStore(path)
    first = store.load_first()
    assert is_partial(first) and (first.grids["notes"] == "").all()     # not read yet
    assert list(first.grids.columns)[:4] == ["code", "name", "level", "parent"]
    whole = complete(first, store.load_rest(first))
    raw = pyogrio.read_dataframe(path, layer="grids").set_index("id")
    raw = coerce(raw.drop(columns=["parent_code", "level_name", "area_m2"]), GRID_COLUMNS)
    once = Plan(name="x", crs=whole.crs, levels=whole.levels, grids=raw).grids
    assert list(whole.grids.columns) == list(once.columns)
    pd.testing.assert_frame_equal(pd.DataFrame(whole.grids.drop(columns="geometry")),
                                  pd.DataFrame(once.drop(columns="geometry")), check_exact=True)
    assert whole.grids.loc[whole.grids["notes"] != ""].shape[0] > 10
    assert_same_plan(whole, _load(path, sql=False))          # and GDAL's path reads it the same way
