"""The project file: layers readable by GDAL, round trip, atomic saves, clear errors."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time

import geopandas as gpd
import pandas as pd
import pyogrio
import pytest
import shapely
from shapely import box

from gridmap.core.storage import GpkgStore, StoreError, open_plan, save_plan


def test_round_trip_keeps_everything(small_plan, tmp_path):
    small_plan.add_base_layer("道路", "roads.gpkg", layer="roads", style='{"by": "highway"}')
    small_plan.settings["overlap_tolerance_m2"] = "0.01"
    path = tmp_path / "方案.gpkg"
    save_plan(small_plan, path)
    back = open_plan(path)
    assert back.name == "测试方案" and back.admin_code == "440306"
    assert back.crs.to_epsg() == 4547
    assert back.level_keys == ["large", "small"]
    assert back.levels == small_plan.levels
    assert back.settings["overlap_tolerance_m2"] == "0.01"
    for table in ("grids", "units", "people", "roles", "segments", "places", "base_layers"):
        a, b = getattr(small_plan, table), getattr(back, table)
        assert list(a.index) == list(b.index), table
        cols = [c for c in a.columns if c != "geometry"]
        pd.testing.assert_frame_equal(pd.DataFrame(a[cols]), pd.DataFrame(b[cols]), check_dtype=True, obj=table)
        if "geometry" in a:
            assert shapely.equals(a.geometry.values, b.geometry.values).all(), table
    assert back.jurisdiction.equals(small_plan.jurisdiction)


def test_layers_are_ordinary_gis_layers(small_plan, tmp_path):
    path = tmp_path / "plan.gpkg"
    save_plan(small_plan, path)
    layers = dict(pyogrio.list_layers(path))
    assert layers["grids"] == "MultiPolygon" and layers["segments"] == "MultiLineString"
    assert layers["jurisdiction"] == "MultiPolygon"
    for table in ("levels", "units", "people", "roles", "settings", "base_layers"):
        assert table in layers and layers[table] is None
    grids = gpd.read_file(path, layer="grids")
    assert set(["code", "name", "level", "parent_code", "level_name", "area_m2"]) <= set(grids.columns)
    assert grids.crs.to_epsg() == 4547
    kid = grids[grids["code"] == "44030600100001"].iloc[0]
    assert kid["parent_code"] == "440306001000" and kid["level_name"] == "小网格"
    assert kid["area_m2"] == pytest.approx(7500)
    # the system GDAL (an older version than the one in the wheel) reads it without complaint
    if shutil.which("ogrinfo"):
        out = subprocess.run(["ogrinfo", "-ro", "-al", "-so", str(path)], capture_output=True, text=True)
        assert out.returncode == 0, out.stderr
        assert "Warning" not in out.stderr and "ERROR" not in out.stderr
        assert "Layer name: grids" in out.stdout and "Feature Count: 10" in out.stdout


class _FailingStore(GpkgStore):
    """Writes the whole plan for real, then fails as a full disk would."""

    def _write_all(self, plan, tmp):
        super()._write_all(plan, tmp)
        raise OSError(28, "No space left on device")


def test_failed_save_keeps_the_last_good_file(small_plan, tmp_path):
    path = tmp_path / "plan.gpkg"
    save_plan(small_plan, path)
    before = path.read_bytes()
    small_plan.name = "改过的方案"
    with pytest.raises(StoreError, match="last saved file is unchanged.*No space left"):
        _FailingStore(path).save(small_plan)
    assert path.read_bytes() == before
    assert open_plan(path).name == "测试方案"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan.gpkg"]  # no temp files left


def test_save_into_missing_folder_is_a_clear_error(small_plan, tmp_path):
    with pytest.raises(StoreError, match="does not exist"):
        save_plan(small_plan, tmp_path / "nope" / "plan.gpkg")


_KILLED_SAVER = textwrap.dedent("""
    import sys
    import geopandas as gpd, numpy as np, pandas as pd, shapely
    from gridmap.core.levels import preset
    from gridmap.core.plan import Plan
    from gridmap.core.storage import save_plan
    n = 120
    xs, ys = np.meshgrid(np.arange(n) * 100.0, np.arange(n) * 100.0)
    cells = shapely.box(xs.ravel(), ys.ravel(), xs.ravel() + 100, ys.ravel() + 100)
    large = gpd.GeoDataFrame({"code": ["440306001000"], "level": ["large"], "name": ["大"]},
                             geometry=[shapely.box(0, 0, n * 100, n * 100)], index=pd.Index([1], name="id"))
    small = gpd.GeoDataFrame({"code": [f"440306001000{i:05d}" for i in range(len(cells))], "level": "small",
                              "parent": 1, "name": [f"网格{i}" for i in range(len(cells))]},
                             geometry=cells, index=pd.Index(np.arange(len(cells)) + 2, name="id"))
    plan = Plan(name="v0", crs="EPSG:4547", admin_code="440306", levels=preset("two"),
                grids=pd.concat([large, small]))
    save_plan(plan, sys.argv[1])
    print("saved", flush=True)
    for i in range(1, 1000):
        plan.name = f"v{i}"
        save_plan(plan, sys.argv[1])
""")


@pytest.mark.parametrize("delay", [0.05, 0.3, 0.7])
def test_save_killed_midway_leaves_a_file_that_opens(tmp_path, delay):
    path = tmp_path / "plan.gpkg"
    proc = subprocess.Popen([sys.executable, "-c", _KILLED_SAVER, str(path)], stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout.readline().strip() == "saved"
        time.sleep(delay)
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    plan = open_plan(path)
    assert plan.name.startswith("v") and len(plan.grids) == 120 * 120 + 1
    # opening it cleared the killed process's temporary files (the save mutex may stay: it is taken over)
    assert [p.name for p in tmp_path.iterdir() if ".gridmap-saving-" in p.name] == []
    save_plan(plan, path)
    assert [p.name for p in tmp_path.iterdir() if not p.name.endswith(".saving")] == ["plan.gpkg"]


def test_newer_format_is_refused_clearly(small_plan, tmp_path):
    path = tmp_path / "plan.gpkg"
    save_plan(small_plan, path)
    pyogrio.write_dataframe(pd.DataFrame({"key": ["application", "format_version"], "value": ["gridmap", "99"]}),
                            path, layer="settings", append=False)
    with pytest.raises(StoreError, match="newer gridmap.*format 99"):
        open_plan(path)


def test_foreign_and_broken_files_are_refused_clearly(tmp_path):
    foreign = tmp_path / "other.gpkg"
    gpd.GeoDataFrame({"name": ["a"]}, geometry=[box(0, 0, 1, 1)], crs="EPSG:4547").to_file(foreign, layer="zones")
    with pytest.raises(StoreError, match="not a gridmap project.*import"):
        open_plan(foreign)
    broken = tmp_path / "broken.gpkg"
    broken.write_bytes(b"SQLite format 3\x00" + os.urandom(300))
    with pytest.raises(StoreError, match="broken.gpkg"):
        open_plan(broken)
    with pytest.raises(StoreError, match="not found"):
        open_plan(tmp_path / "missing.gpkg")
