"""Plan → shapefiles → plan, on real files (GDAL writes and reads them; system ogrinfo checks them)."""

from __future__ import annotations

import json
import subprocess
import zipfile

import numpy as np
import pandas as pd
import pyogrio
import pytest
import shapely
from shapely import box

from gridmap.cli import main
from gridmap.core.exchange.as_plan import FieldMapping, plan_from_export, plan_from_file, plan_from_layer
from gridmap.core.exchange.readers import read_layer
from gridmap.core.exchange.shapefile import export_shapefiles, short_field_names
from gridmap.core.plan import Plan
from gridmap.core.storage import open_plan, save_plan


def ogrinfo_ok(path) -> str:
    """System ogrinfo (GDAL 3.6) reads the file with no error or warning."""
    r = subprocess.run(["ogrinfo", "-ro", "-al", "-q", str(path)], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert "ERROR" not in r.stderr and "Warning" not in r.stderr, r.stderr
    return r.stdout


def same_geoms(a, b, tol=1e-6) -> bool:
    a, b = shapely.normalize(np.asarray(a, dtype=object)), shapely.normalize(np.asarray(b, dtype=object))
    return bool(shapely.equals_exact(a, b, tol).all())


@pytest.fixture
def zero_plan():
    """Codes with leading zeros, names in simplified and traditional Chinese, a five-level-free 2-level plan."""
    plan = Plan.new("零号方案", crs="EPSG:4547", levels="two")
    x0, y0 = 400_000.123, 2_600_000.456
    plan.set_jurisdiction(box(x0, y0, x0 + 200, y0 + 100))
    a = plan.add_grid(box(x0, y0, x0 + 100, y0 + 100), "large", code="001", name="東片（繁體）")
    b = plan.add_grid(box(x0 + 100, y0, x0 + 200, y0 + 100), "large", code="002", name="西片·新区")
    plan.add_grid(box(x0, y0, x0 + 100, y0 + 50), "small", parent=a, code="00101", name="第〇一格")
    plan.add_grid(box(x0, y0 + 50, x0 + 100, y0 + 100), "small", parent=a, code="00102", name="第〇二格")
    plan.add_grid(box(x0 + 100, y0, x0 + 200, y0 + 100), "small", parent=b, code="00201", name="第〇三格")
    return plan


def test_short_field_names_are_unique_and_fit():
    names = ["responsible_units", "responsible_unit2", "parent_code", "网格长电话号码", "code"]
    short = short_field_names(names)
    assert len(set(v.lower() for v in short.values())) == len(names)
    assert all(len(v.encode("utf-8")) <= 10 for v in short.values())
    gbk = short_field_names(names, encoding="gbk")
    assert all(len(v.encode("gbk")) <= 10 for v in gbk.values())
    assert gbk["网格长电话号码"] == "网格长电话"     # 5 hanzi = 10 GBK bytes


@pytest.mark.parametrize("encoding", ["utf-8", "gbk"])
def test_shapefile_round_trip(small_plan, tmp_path, encoding):
    out = tmp_path / "shp"
    result = export_shapefiles(small_plan, out, encoding=encoding)
    assert result.warnings == []
    for layer in ("grids", "jurisdiction", "segments", "places"):
        text = ogrinfo_ok(out / f"{layer}.shp")
        assert "Layer name" in text
        assert (out / f"{layer}.cpg").read_text() == ("UTF-8" if encoding == "utf-8" else "936")
        prj = (out / f"{layer}.prj").read_text()
        assert prj.startswith('PROJCS["CGCS2000_3_Degree_GK_CM_114E"')
    # every dBASE field name fits in 10 bytes; the field map restores the long ones
    info = pyogrio.read_info(out / "grids.shp", encoding="utf-8" if encoding == "utf-8" else "gbk")
    assert all(len(f.encode(encoding)) <= 10 for f in info["fields"])
    assert "parent_cod" in info["fields"] and "resp_units" in info["fields"]
    # system GDAL 3.6 decodes the Chinese text through the .cpg
    assert "第一网格" in ogrinfo_ok(out / "grids.shp")

    back, notes = plan_from_export(out)
    assert notes == []
    g0, g1 = small_plan.grids, back.grids
    assert same_geoms(g0.geometry.values, g1.geometry.values)
    assert g1["code"].tolist() == g0["code"].tolist()
    assert g1["name"].tolist() == g0["name"].tolist()
    assert g1["level"].tolist() == g0["level"].tolist()
    assert [back.parent_code(i) for i in g1.index] == [small_plan.parent_code(i) for i in g0.index]
    assert back.name == small_plan.name and back.admin_code == small_plan.admin_code
    assert back.crs == small_plan.crs and [l.code_pattern for l in back.levels] == \
        [l.code_pattern for l in small_plan.levels]
    assert same_geoms([back.jurisdiction], [small_plan.jurisdiction])
    # roles, people, units, segments and places come back too
    first = back.grid_by_code("44030600100001")
    assert back.people_on(first, "leader")["name"].tolist() == ["李四"]
    assert back.roles_of(first, "leader")["duty"].tolist() == ["每周不少于半天值守"]
    assert back.units_on(first, "lead_unit")["name"].tolist() == ["区城市管理局"]
    assert back.segments["road_name"].tolist() == ["示例路"]
    assert back.people.at[int(back.segments["officer"].iloc[0]), "name"] == "张三"
    assert same_geoms(back.segments.geometry.values, small_plan.segments.geometry.values)
    assert back.places["name"].tolist() == ["示例小区"]
    assert back.grids.at[int(back.places["grid"].iloc[0]), "code"] == \
        small_plan.grids.at[int(small_plan.places["grid"].iloc[0]), "code"]


def test_round_trip_keeps_leading_zeros_and_text(zero_plan, tmp_path):
    export_shapefiles(zero_plan, tmp_path / "z", encoding="gbk")
    ogrinfo_ok(tmp_path / "z" / "grids.shp")
    # the attribute type is text in the .dbf, so every program keeps the zeros
    assert "code: String" in subprocess.run(["ogrinfo", "-so", str(tmp_path / "z" / "grids.shp"), "grids"],
                                            capture_output=True, text=True).stdout
    back, _ = plan_from_export(tmp_path / "z")
    assert back.grids["code"].tolist() == ["001", "002", "00101", "00102", "00201"]
    assert back.grids["name"].tolist() == zero_plan.grids["name"].tolist()
    assert same_geoms(back.grids.geometry.values, zero_plan.grids.geometry.values, tol=1e-6)


def test_import_back_with_field_mapping(small_plan, tmp_path):
    export_shapefiles(small_plan, tmp_path / "o")
    plan, notes = plan_from_file(tmp_path / "o" / "grids.shp",
                                 FieldMapping(code="code", name="name", parent="parent_code", level="level"),
                                 levels="two")
    assert plan.grids["code"].tolist() == small_plan.grids["code"].tolist()
    assert [plan.parent_code(i) for i in plan.grids.index] == \
        [small_plan.parent_code(i) for i in small_plan.grids.index]
    assert plan.crs.to_epsg() == 4547
    assert plan.jurisdiction.equals(small_plan.jurisdiction)   # union of the top grids


def test_gbk_export_reports_what_it_cannot_hold(zero_plan, tmp_path):
    zero_plan.grids.loc[zero_plan.grids.index[0], "name"] = "𠀀片"        # CJK Ext-B: not in GBK
    zero_plan.grids.loc[zero_plan.grids.index[1], "notes"] = "很长的备注" * 40  # 400 hanzi > 254 bytes
    result = export_shapefiles(zero_plan, tmp_path / "g", encoding="gbk")
    text = " ".join(result.warnings)
    assert "𠀀" in text and "GBK" in text
    assert "254 bytes" in text
    back, _ = plan_from_export(tmp_path / "g")
    assert back.grids["name"].iloc[0] == "?片"
    assert len(back.grids["notes"].iloc[1].encode("gbk")) <= 254


def test_zip_export_and_import(small_plan, tmp_path):
    result = export_shapefiles(small_plan, tmp_path / "plan.zip")
    assert result.paths == [tmp_path / "plan.zip"]
    with zipfile.ZipFile(tmp_path / "plan.zip") as zf:
        names = zf.namelist()
    assert {"grids.shp", "grids.dbf", "grids.prj", "grids.cpg", "grids.fieldmap.csv", "plan.json"} <= set(names)
    ogrinfo_ok(f"/vsizip/{tmp_path / 'plan.zip'}/grids.shp")
    back, _ = plan_from_export(tmp_path / "plan.zip")
    assert back.grids["code"].tolist() == small_plan.grids["code"].tolist()


def test_import_any_polygon_layer_as_plan_real_counties(shared_data, tmp_path):
    """The real GCJ-02 county file: code/name/parent fields mapped, levels from the parent links."""
    gdf, report = read_layer(shared_data / "cn-counties-gcj02" / "jiangxi_districts.shp", crs="gcj02",
                             encoding="utf-8")
    assert report.crs.to_epsg() == 4490
    plan, notes = plan_from_layer(gdf, FieldMapping(code="adcode", name="name", parent="ctadcode"),
                                  levels="two", source="jiangxi")
    # counties point at cities (not in the layer): reported, not dropped
    assert len(plan.grids) == len(gdf) == 100
    assert any("match no grid code" in n for n in notes)
    assert plan.crs.to_epsg() in range(4534, 4555)
    jishui = plan.grids[plan.grids["code"] == "360822"]
    assert jishui["name"].tolist() == ["吉水县"]
    area_km2 = float(plan.grid_areas()[jishui.index[0]]) / 1e6
    assert 2300 < area_km2 < 2700


def test_level_field_values_by_name_and_number(tmp_path):
    import geopandas as gpd

    gdf = gpd.GeoDataFrame({"BM": ["01", "0101", "0102"], "CJ": ["大网格", "2", "small"]},
                           geometry=[box(0, 0, 2, 1), box(0, 0, 1, 1), box(1, 0, 2, 1)], crs="EPSG:4547")
    plan, notes = plan_from_layer(gdf, FieldMapping(code="BM", level="CJ"), levels="two")
    assert plan.grids["level"].tolist() == ["large", "small", "small"]
    assert plan.grids["parent"].tolist()[1:] == [1, 1]     # from code prefixes
    gdf["CJ"] = ["大网格", "街道", "x"]
    with pytest.raises(ValueError, match="'街道'"):
        plan_from_layer(gdf, FieldMapping(code="BM", level="CJ"), levels="two")


def test_cli_export_shp_and_import_as_plan(small_plan, tmp_path, capsys):
    project = tmp_path / "p.gpkg"
    save_plan(small_plan, project)
    assert main(["export", str(project), "--format", "shp", "--encoding", "gbk", "-o", str(tmp_path / "out")]) == 0
    assert (tmp_path / "out" / "grids.cpg").read_text() == "936"
    rc = main(["import", str(tmp_path / "out" / "grids.shp"), "--as-plan", "--code-field", "code",
               "--name-field", "name", "--parent-field", "parent_code", "--level-field", "level",
               "--levels", "two", "-o", str(tmp_path / "back.gpkg")])
    assert rc == 0
    back = open_plan(tmp_path / "back.gpkg")
    assert back.grids["code"].tolist() == small_plan.grids["code"].tolist()
    assert back.grids["name"].tolist() == small_plan.grids["name"].tolist()
    # the whole export folder restores the whole plan
    assert main(["import", str(tmp_path / "out"), "-o", str(tmp_path / "full.gpkg")]) == 0
    full = open_plan(tmp_path / "full.gpkg")
    assert len(full.roles) == len(small_plan.roles) and len(full.people) == 2
    out = capsys.readouterr().out
    assert "2 大网格, 8 小网格" in out
    meta = json.loads((tmp_path / "out" / "plan.json").read_text(encoding="utf-8"))
    assert meta["plan_crs"] == "EPSG:4547"


def test_cli_errors_are_one_line(tmp_path, capsys):
    assert main(["import", str(tmp_path / "missing.shp"), "-o", str(tmp_path / "x.gpkg")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "missing.shp: 文件不存在 / file not found" in err
    assert main(["export", str(tmp_path / "missing.gpkg"), "--format", "shp", "-o", str(tmp_path / "o")]) == 2
    assert "missing.gpkg" in capsys.readouterr().err


def test_wrong_field_name_is_named(small_plan, tmp_path, capsys):
    export_shapefiles(small_plan, tmp_path / "o")
    rc = main(["import", str(tmp_path / "o" / "grids.shp"), "--as-plan", "--code-field", "BM",
               "-o", str(tmp_path / "x.gpkg")])
    assert rc == 2
    err = capsys.readouterr().err
    assert "no field 'BM'" in err and "parent_code" in err
    assert not (tmp_path / "x.gpkg").exists()
    pd.testing.assert_index_equal(small_plan.grids.index, small_plan.grids.index)


def test_real_counties_round_trip_every_vector_format(shared_data, tmp_path):
    """100 real Jiangxi county polygons (multipart, detailed) through shp (GBK), gpkg and GeoJSON."""
    from gridmap.core.exchange.registry import export_plan

    gdf, _ = read_layer(shared_data / "cn-counties-gcj02" / "jiangxi_districts.shp", crs="gcj02")
    plan, _ = plan_from_layer(gdf, FieldMapping(code="adcode", name="name"), levels="two", name="江西县级")
    assert (shapely.get_num_geometries(plan.grids.geometry.values) > 1).any()       # real multipart grids
    for fmt, out, tol in (("shp", "s", 1e-6), ("gpkg", "g.gpkg", 1e-6), ("geojson", "j", 0.05)):
        export_plan(plan, fmt, tmp_path / out, encoding="gbk")
        back, _ = plan_from_export(tmp_path / out)
        assert back.grids["code"].tolist() == plan.grids["code"].tolist(), fmt
        assert back.grids["name"].tolist() == plan.grids["name"].tolist(), fmt
        assert same_geoms(back.grids.geometry.values, plan.grids.geometry.values, tol), fmt
    assert "吉水县" in ogrinfo_ok(tmp_path / "s" / "grids.shp")
