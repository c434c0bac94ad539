"""Export to every format and back: GeoPackage, GeoJSON, KML/KMZ, DXF, XLSX/CSV tables, roster import.

Every written file is also read by the system ogrinfo (GDAL 3.6)."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import shapely
import shapely.geometry
from openpyxl import load_workbook

from gridmap.cli import main
from gridmap.core.exchange import ExchangeError
from gridmap.core.exchange.as_plan import FieldMapping, plan_from_export, plan_from_layer
from gridmap.core.exchange.layers import project
from gridmap.core.exchange.readers import read_layer
from gridmap.core.exchange.registry import EXPORT_FORMATS, export_plan, register_format
from gridmap.core.exchange.roster import RosterMapping, import_roster
from gridmap.core.exchange.tables import division_table, four_boundaries, statistics_table
from gridmap.core.storage import save_plan


def ogrinfo(path, *extra) -> str:
    r = subprocess.run(["ogrinfo", "-ro", "-al", "-q", *extra, str(path)], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert "ERROR" not in r.stderr, r.stderr
    return r.stdout


def max_shift_m(a, b, crs) -> float:
    """Largest Hausdorff distance (m) between corresponding geometries of two arrays in ``crs``."""
    a, b = np.asarray(a, dtype=object), np.asarray(b, dtype=object)
    assert len(a) == len(b)
    if crs.is_geographic:
        a, b = project(a, crs, "EPSG:4547"), project(b, crs, "EPSG:4547")
    return float(shapely.hausdorff_distance(a, b).max())


def test_registry_is_a_dict_of_formats():
    assert set(EXPORT_FORMATS) >= {"shp", "gpkg", "geojson", "kml", "dxf", "xlsx", "csv"}
    register_format("csv2", "gridmap.core.exchange.tables:export_csv", "dir", help="test")
    try:
        from gridmap.cli import build_parser

        p = build_parser("export")
        args = p.parse_args(["export", "x.gpkg", "--format", "csv2", "-o", "o"])
        assert args.format == "csv2"          # the CLI offers what the registry holds
    finally:
        EXPORT_FORMATS.pop("csv2")


def test_gpkg_round_trip(small_plan, tmp_path):
    out = tmp_path / "flat.gpkg"
    export_plan(small_plan, "gpkg", out)
    text = ogrinfo(out)
    assert "第一网格" in text and "parent_code (String) = 440306001000" in text
    back, notes = plan_from_export(out)
    assert back.grids["code"].tolist() == small_plan.grids["code"].tolist()
    assert back.grids["name"].tolist() == small_plan.grids["name"].tolist()
    assert max_shift_m(back.grids.geometry.values, small_plan.grids.geometry.values, back.crs) < 1e-6
    assert len(back.roles) == 3 and back.segments["road_name"].tolist() == ["示例路"]


def test_geojson_rfc7946_round_trip(small_plan, tmp_path):
    out = tmp_path / "gj"
    export_plan(small_plan, "geojson", out)
    doc = json.loads((out / "grids.geojson").read_text(encoding="utf-8"))
    assert "crs" not in doc and doc["type"] == "FeatureCollection"     # RFC 7946: WGS84, no crs member
    geom = shapely.geometry.shape(doc["features"][0]["geometry"])
    poly = geom if geom.geom_type == "Polygon" else geom.geoms[0]
    lon, lat = poly.exterior.coords[0]
    assert 113 < lon < 115 and 22 < lat < 23
    ring = poly.exterior
    assert ring.is_ccw                                                  # RFC 7946 winding
    assert "第一网格" in ogrinfo(out / "grids.geojson")
    back, _ = plan_from_export(out)
    assert back.grids["code"].tolist() == small_plan.grids["code"].tolist()
    # 7 decimals of a degree: within 2 cm after WGS84 → CGCS2000 zone
    assert max_shift_m(back.grids.geometry.values, small_plan.grids.geometry.values, back.crs) < 0.02


def test_geojson_gcj02_on_request_and_back(small_plan, tmp_path):
    export_plan(small_plan, "geojson", tmp_path / "g", crs="gcj02")
    shifted, _ = read_layer(tmp_path / "g" / "grids.geojson")
    plain = project(small_plan.grids.geometry.values, small_plan.crs, "EPSG:4326")
    assert max_shift_m(shifted.geometry.values, plain, shifted.crs) > 100      # really shifted
    back, notes = plan_from_export(tmp_path / "g")
    assert any("GCJ-02" in n for n in notes)
    assert max_shift_m(back.grids.geometry.values, small_plan.grids.geometry.values, back.crs) < 0.02


@pytest.mark.parametrize("name", ["plan.kml", "plan.kmz"])
def test_kml_round_trip_with_roles_in_description(small_plan, tmp_path, name):
    out = tmp_path / name
    export_plan(small_plan, "kml", out)
    if name.endswith(".kml"):
        ogrinfo(out)
        assert "挂点领导/网格长：李四" in out.read_text(encoding="utf-8")
        assert "网格员电话：13800000000" in out.read_text(encoding="utf-8")
    else:
        ogrinfo(f"/vsizip/{out}/doc.kml")
    small, _ = read_layer(out, "小网格")
    assert small["code"].tolist() == small_plan.grids_of_level("small")["code"].tolist()
    assert small["grid_name"].tolist() == small_plan.grids_of_level("small")["name"].tolist()
    assert small["Name"].iloc[0].startswith(small["code"].iloc[0])
    plan, _ = plan_from_layer(small, FieldMapping(code="code", name="grid_name", level="level"), levels="two",
                              crs=small_plan.crs)
    geoms = small_plan.grids_of_level("small").geometry.values
    assert max_shift_m(plan.grids.geometry.values, geoms, plan.crs) < 0.02


def test_dxf_round_trip(small_plan, tmp_path):
    out = tmp_path / "grids.dxf"
    export_plan(small_plan, "dxf", out)
    assert "$DWGCODEPAGE\n  3\nANSI_936" in out.read_text(encoding="gbk")
    text = ogrinfo(out)
    assert "Layer (String) = 小网格" in text and "Text (String) = 第一网格" in text
    gdf, rep = read_layer(out, crs=small_plan.crs)
    grids = gdf[gdf["layer"].isin(["大网格", "小网格"])]
    plan, _ = plan_from_layer(grids.reset_index(drop=True), FieldMapping(code="code", name="name", level="layer"),
                              levels="two")
    order = [small_plan.grid_by_code(c) for c in plan.grids["code"]]
    assert sorted(plan.grids["code"]) == sorted(small_plan.grids["code"])
    assert plan.grids["name"].tolist() == small_plan.grids.loc[order, "name"].tolist()
    assert [plan.parent_code(i) for i in plan.grids.index] == [small_plan.parent_code(i) for i in order]
    assert max_shift_m(plan.grids.geometry.values, small_plan.grids.loc[order].geometry.values, plan.crs) < 1e-6
    assert set(gdf["layer"]) == {"大网格", "小网格", "辖区"}


def test_dxf_refuses_geographic_output(small_plan, tmp_path):
    with pytest.raises(ExchangeError, match="grids.dxf: DXF needs a projected CRS"):
        export_plan(small_plan, "dxf", tmp_path / "grids.dxf", crs="EPSG:4490")


def test_shp_export_in_another_crs(small_plan, tmp_path):
    from gridmap.core.exchange.prj import identify_crs

    export_plan(small_plan, "shp", tmp_path / "s", crs="EPSG:4490")
    prj = (tmp_path / "s" / "grids.prj").read_text()
    assert prj.startswith('GEOGCS["GCS_China_Geodetic_Coordinate_System_2000"')
    assert identify_crs(prj).to_epsg() == 4490
    back, _ = plan_from_export(tmp_path / "s")
    assert back.crs.to_epsg() == 4547
    assert max_shift_m(back.grids.geometry.values, small_plan.grids.geometry.values, back.crs) < 1e-3


# ---------------------------------------------------------------------- tables
def test_four_boundaries_from_geometry(small_plan):
    four = four_boundaries(small_plan)
    g = small_plan.grids.set_index("code", append=True)
    by_name = {small_plan.grids.at[i, "name"]: four.loc[i].tolist() for i in four.index}
    label = {n: f"{c} {n}" for c, n in zip(small_plan.grids["code"], small_plan.grids["name"])}
    # 第一网格 is the south-west small grid: east 第三, north 第二, south and west the jurisdiction edge
    assert by_name["第一网格"] == [label["第三网格"], "辖区边界", "辖区边界", label["第二网格"]]
    assert by_name["第七网格"] == ["辖区边界", "辖区边界", label["第五网格"], label["第八网格"]]
    assert len(g) == 10


def test_four_boundaries_names_roads_along_a_side(small_plan):
    from shapely import LineString

    x0, y0 = 500_000.0, 2_500_000.0
    small_plan.add_segment(LineString([(x0 - 5, y0 - 3), (x0 + 305, y0 - 3)]), road_name="南环路")
    four = four_boundaries(small_plan)
    south = {small_plan.grids.at[i, "name"]: four.at[i, "south"] for i in four.index}
    assert south["第一网格"] == "南环路（辖区边界）" and south["第七网格"] == "南环路（辖区边界）"
    first = small_plan.grids.index[small_plan.grids["name"] == "第一网格"][0]
    assert south["第二网格"] == f"{small_plan.grids.at[first, 'code']} 第一网格"


def test_xlsx_annex_layout(small_plan, tmp_path):
    out = tmp_path / "annex.xlsx"
    export_plan(small_plan, "xlsx", out)
    wb = load_workbook(out)
    assert wb.sheetnames == ["网格划分表", "基本情况统计表", "人员名单", "路段分工表"]
    ws = wb["网格划分表"]
    assert ws["A1"].value == "测试方案网格划分表" and "A1:L1" in [str(r) for r in ws.merged_cells.ranges]
    assert ws.print_title_rows == "$1:$2"
    header = [c.value for c in ws[2]]
    assert header[:6] == ["序号", "网格编号", "网格名称", "所属层级/上级网格", "四至范围", "面积(m²)"]
    code = ws["B3"]
    assert code.data_type == "s" and code.number_format == "@" and code.value == "44030600100001"
    assert ws.column_dimensions["E"].width >= 16          # 四至 text wraps in a wide column
    assert ws["E3"].alignment.wrap_text
    # every role under its own label (issue 13): the 网格长 column is not the 挂点领导 column
    leaders = header.index("网格长/副网格长及电话") + 1
    assert "网格长：李四" in ws.cell(row=3, column=leaders).value and "挂点领导" not in header
    st = wb["基本情况统计表"]
    merged = [str(r) for r in st.merged_cells.ranges]
    assert "A3:A6" in merged and "A7:A10" in merged         # street (large grid) merged over its rows
    assert st["A11"].value == "合计" and st["D11"].value == 8
    roster = wb["人员名单"]
    assert [c.value for c in roster[2]][:5] == ["序号", "姓名", "职务", "所在单位", "联系电话"]
    assert roster["E3"].number_format == "@"
    assert "网格划分表" in subprocess.run(["ogrinfo", "-ro", "-so", str(out)], capture_output=True,
                                          text=True).stdout


def test_csv_tables_with_bom_and_selection(small_plan, tmp_path):
    export_plan(small_plan, "csv", tmp_path / "t", tables=["division", "segments"])
    files = sorted(p.name for p in (tmp_path / "t").iterdir())
    assert set(files) == {"网格划分表.csv", "路段分工表.csv"}
    raw = (tmp_path / "t" / "网格划分表.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    df = pd.read_csv(tmp_path / "t" / "网格划分表.csv", dtype=str, encoding="utf-8-sig")
    assert df["网格编号"].tolist() == sorted(small_plan.grids_of_level("small")["code"])
    assert ogrinfo(tmp_path / "t" / "路段分工表.csv").count("示例路") == 1


def test_statistics_five_levels():
    from shapely import box

    from gridmap.core.plan import Plan

    plan = Plan.new("五级", crs="EPSG:4547", admin_code="440229", levels="five")
    x, y = 500_000, 2_700_000
    city = plan.add_grid(box(x, y, x + 400, y + 200), "city", code="440200")
    dist = plan.add_grid(box(x, y, x + 400, y + 200), "district", parent=city, code="440229")
    streets = [plan.add_grid(box(x + 200 * i, y, x + 200 * (i + 1), y + 200), "street", parent=dist,
                             name=f"街道{i + 1}") for i in range(2)]
    for s_i, s in enumerate(streets):
        for c_i in range(2):
            c = plan.add_grid(box(x + 200 * s_i + 100 * c_i, y, x + 200 * s_i + 100 * (c_i + 1), y + 200),
                              "community", parent=s, name=f"社区{s_i + 1}{c_i + 1}")
            for u in range(2):
                plan.add_grid(box(x + 200 * s_i + 100 * c_i, y + 100 * u, x + 200 * s_i + 100 * (c_i + 1),
                                  y + 100 * (u + 1)), "unit", parent=c)
    plan.auto_number()
    st = statistics_table(plan)
    assert st.columns[:4].tolist() == ["街道", "社区", "社区编号", "单元网格数"]
    assert st["街道"].tolist() == ["街道1", "街道1", "街道2", "街道2", "合计"]
    assert st["单元网格数"].tolist() == [2, 2, 2, 2, 8]
    assert st["面积(km²)"].iloc[-1] == 0.08
    assert len(division_table(plan)) == 8


# ---------------------------------------------------------------------- roster
def test_roster_xlsx_joined_by_code_and_name(small_plan, tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["某街道网格人员名单"])                                   # title row above the header
    ws.append(["网格编号", "网格名称", "姓名", "职务", "所在单位", "联系电话", "角色"])
    ws.append(["44030600100002", "", "王五", "协管员", "区城市管理局", "13700000000", "网格员"])
    ws.append([44030600200001, "", "赵六", "所长", "某派出所", "13600000000", "网格长"])   # a number cell
    ws.append(["", "第三网格", "", "", "某物业公司", "", "责任单位"])
    ws.append(["", "不存在网格", "钱七", "", "", "", "网格员"])                         # unmatched
    ws.append(["99999999999999", "", "孙八", "", "", "", "网格员"])                       # unmatched code
    ws.append(["44030600100003", "", "周九", "", "", "", "清洁工"])                     # unknown role
    wb.save(tmp_path / "roster.xlsx")
    small_plan.grids.loc[small_plan.grid_by_code("44030600200004"), "name"] = "第三网格"  # two grids share a name
    ws2 = Workbook()
    w = ws2.active
    w.append(["网格名称", "姓名", "联系电话"])
    w.append(["第三网格", "吴十", "13500000000"])
    ws2.save(tmp_path / "amb.xlsx")

    res = import_roster(small_plan, tmp_path / "roster.xlsx")
    assert res.rows == 6 and res.matched == 2
    assert [r for r, _ in res.unmatched] == [6, 7, 8]      # rows of the sheet, title row counted
    assert [r for r, _ in res.ambiguous] == [5]            # 第三网格 now names two grids
    assert "44030600200004" in res.ambiguous[0][1]
    g = small_plan.grid_by_code("44030600100002")
    assert small_plan.people_on(g, "officer")["name"].tolist() == ["王五"]
    g = small_plan.grid_by_code("44030600200001")
    assert small_plan.people_on(g, "leader")["phone"].tolist() == ["13600000000"]
    res2 = import_roster(small_plan, tmp_path / "amb.xlsx", RosterMapping(default_role="网格员"))
    assert res2.matched == 0 and len(res2.ambiguous) == 1


def test_roster_csv_gbk_leading_zero_restored_and_cli(tmp_path, capsys):
    from shapely import box

    from gridmap.core.plan import Plan

    plan = Plan.new("零", crs="EPSG:4547", levels="two")
    x, y = 500_000, 2_500_000
    a = plan.add_grid(box(x, y, x + 100, y + 100), "large", code="001", name="一片")
    plan.add_grid(box(x, y, x + 100, y + 100), "small", parent=a, code="00101", name="甲")
    project_path = tmp_path / "p.gpkg"
    save_plan(plan, project_path)
    # Excel turned 00101 into 101; the file is GBK as Excel on Chinese Windows saves CSV
    (tmp_path / "r.csv").write_bytes("网格编号,姓名,联系电话,角色\n101,李雷,13100000000,网格员\n555,韩梅梅,,网格员\n"
                                     .encode("gbk"))
    rc = main(["import", str(tmp_path / "r.csv"), "--roster", "--into", str(project_path)])
    out = capsys.readouterr().out
    assert rc == 1                        # something was unmatched: scripts can tell
    assert "1 joined" in out and "unmatched row 3: no grid with code '555'" in out
    assert "leading zeros restored" in out
    from gridmap.core.storage import open_plan

    back = open_plan(project_path)
    assert back.people["name"].tolist() == ["李雷"]


# ---------------------------------------------------------------------- CLI
@pytest.mark.parametrize("fmt,out", [("gpkg", "o.gpkg"), ("geojson", "gj"), ("kml", "o.kmz"), ("dxf", "o.dxf"),
                                     ("xlsx", "o.xlsx"), ("csv", "csv")])
def test_cli_export_every_format(small_plan, tmp_path, fmt, out, capsys):
    project_path = tmp_path / "p.gpkg"
    save_plan(small_plan, project_path)
    assert main(["export", str(project_path), "--format", fmt, "-o", str(tmp_path / out)]) == 0
    assert Path(tmp_path / out).exists()
    printed = capsys.readouterr().out
    assert str(tmp_path / out) in printed


def test_cli_export_bad_options(small_plan, tmp_path, capsys):
    project_path = tmp_path / "p.gpkg"
    save_plan(small_plan, project_path)
    assert main(["export", str(project_path), "--format", "xlsx", "--tables", "division,foo",
                 "-o", str(tmp_path / "x.xlsx")]) == 2
    assert "unknown table foo" in capsys.readouterr().err
    assert main(["export", str(project_path), "--format", "shp", "--crs", "EPSG:99999",
                 "-o", str(tmp_path / "s")]) == 2
    assert "--crs EPSG:99999" in capsys.readouterr().err
    assert main(["export", str(project_path), "--format", "shp", "--encoding", "latin1",
                 "-o", str(tmp_path / "s")]) == 2


def test_cli_import_into_project_as_grids_and_base_layer(small_plan, tmp_path, capsys, shared_data):
    import geopandas as gpd
    from shapely import box

    from gridmap.core.storage import open_plan

    project_path = tmp_path / "p.gpkg"
    small_plan.grids = small_plan.grids[small_plan.grids["level"] == "large"]
    small_plan.roles = small_plan.roles.iloc[0:0]
    save_plan(small_plan, project_path)
    x0, y0 = 500_000.0, 2_500_000.0
    gpd.GeoDataFrame({"BH": ["44030600100001", "44030600200001"], "MC": ["新甲", "新乙"]},
                     geometry=[box(x0, y0, x0 + 150, y0 + 200), box(x0 + 150, y0, x0 + 300, y0 + 200)],
                     crs=4547).to_file(tmp_path / "new.shp", encoding="gbk")
    (tmp_path / "new.cpg").unlink()
    assert main(["import", str(tmp_path / "new.shp"), "--into", str(project_path), "--level", "small",
                 "--code-field", "BH", "--name-field", "MC"]) == 0
    plan = open_plan(project_path)
    small = plan.grids_of_level("small")
    assert small["name"].tolist() == ["新甲", "新乙"]
    assert [plan.parent_code(i) for i in small.index] == ["440306001000", "440306002000"]   # by location
    assert main(["import", str(shared_data / "baoan-osm" / "roads.geojson"), "--into", str(project_path)]) == 0
    plan = open_plan(project_path)
    assert plan.base_layers["name"].tolist() == ["roads"]
    assert (tmp_path / plan.base_layers["source"].iloc[0]).exists()


@pytest.fixture(autouse=True)
def _english_first():
    """These tests match the English half of bilingual messages right after the file name."""
    from gridmap.core.messages import set_language

    set_language("en")
    yield
    set_language(None)


def test_grid_roles_text_flattens_every_grid_in_one_pass():
    """The roles of each grid as text, in the roles' order: names and phones of people,
    names of units, duties prefixed by the role's label; repeated names once; a grid
    without roles stays empty (the table of a city of 100k grids in well under a second
    — it grouped by grid before and took minutes)."""
    from shapely import box

    from gridmap.core.exchange.layers import grid_roles_text
    from gridmap.core.plan import ROLE_LABELS, Plan

    plan = Plan.new("示例", crs="EPSG:4547", admin_code="440306", levels="two")
    big = plan.add_grid(box(0, 0, 300, 100), level="large", name="一片")
    a = plan.add_grid(box(0, 0, 100, 100), level="small", parent=big, name="甲")
    b = plan.add_grid(box(100, 0, 200, 100), level="small", parent=big, name="乙")
    c = plan.add_grid(box(200, 0, 300, 100), level="small", parent=big, name="丙")
    u1, u2 = plan.add_unit("城管局"), plan.add_unit("街道办")
    p1 = plan.add_person("张三", post="网格长", phone="13800000001")
    p2 = plan.add_person("李四", post="网格员", phone="13800000002")
    p3 = plan.add_person("王五", post="网格员", phone="")
    plan.assign(a, "leader", person=p1, duty="统筹")
    plan.assign(a, "officer", person=p2)
    plan.assign(a, "officer", person=p3, duty="巡查")
    plan.assign(a, "officer", person=p2)                    # twice: named once
    plan.assign(a, "lead_unit", unit=u1)
    plan.assign(a, "responsible_unit", unit=u2)
    plan.assign(a, "responsible_unit", unit=u1)
    plan.assign(b, "deputy", person=p3)
    plan.assign(b, "partner", unit=u2, duty="协助")
    t = grid_roles_text(plan)
    assert list(t.index) == list(plan.grids.index)
    assert t.at[a, "leader"] == "张三" and t.at[a, "leader_phone"] == "13800000001"
    assert t.at[a, "officers"] == "李四、王五" and t.at[a, "officer_phones"] == "13800000002"
    assert t.at[a, "lead_unit"] == "城管局" and t.at[a, "responsible_units"] == "街道办、城管局"
    assert t.at[a, "duties"] == f"{ROLE_LABELS['leader'][0]}：统筹、{ROLE_LABELS['officer'][0]}：巡查"
    assert t.at[b, "deputy"] == "王五" and t.at[b, "partners"] == "街道办" and t.at[b, "leader"] == ""
    assert t.at[b, "duties"] == f"{ROLE_LABELS['partner'][0]}：协助"
    assert (t.loc[c] == "").all() and (t.loc[big] == "").all()


def test_annex_tables_of_a_city_match_a_grid_by_grid_reading(repo_root):
    """网格划分表's roads and 小区, 基本情况统计表's counts and 人员名单's rows, made from one
    pass over each table, say what filtering the tables grid by grid says (a city of 600 grids
    with injected problems)."""
    import sys

    from gridmap.core.exchange.tables import division_table, roster_table, statistics_table

    sys.path.insert(0, str(repo_root / "benchmarks"))
    import citygen

    plan = citygen.generate(600, seed=8, inject=True).plan
    div = division_table(plan).set_index("网格编号")
    s, p = plan.segments, plan.places
    for gid, g in plan.grids_of_level(plan.levels[-1].key).iterrows():
        roads = "、".join(dict.fromkeys(x for x in s[s["grid"] == gid]["road_name"] if x))
        estates = "、".join(dict.fromkeys(x for x in p[(p["grid"] == gid) & (p["kind"] == "小区")]["name"] if x))
        row = div.loc[g["code"]]
        row = row.iloc[0] if getattr(row, "ndim", 1) == 2 else row      # (a duplicated code: the first)
        assert (row["路段"], row["小区"]) == (roads, estates), gid
    stats = statistics_table(plan)
    body = stats[stats.iloc[:, 0] != "合计"]
    assert int(body["路段数"].sum()) == int(s["grid"].notna().sum())
    assert int(body["场所数"].sum()) == int(p["grid"].notna().sum())
    roster = roster_table(plan)
    with_person = plan.roles[plan.roles["person"].notna()]
    people_without = set(plan.people.index) - set(with_person["person"].astype(int))
    assert len(roster) == len(with_person) + len(people_without)
