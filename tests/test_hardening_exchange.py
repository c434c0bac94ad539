"""Issue 11 hardening of the exchange formats: formula injection in XLSX/CSV, roster formulas and
merged cells, the web map title, HKSCS names, truncated field names, CRS guesses outside China,
and files that open clean in QGIS (one geometry type per layer, GeoPackage 1.2)."""

from __future__ import annotations

import csv
import sqlite3
from pathlib import Path

import pyogrio
import pytest
from openpyxl import Workbook, load_workbook
from shapely import LineString, Point, box

from gridmap.core.exchange.registry import export_plan
from gridmap.core.plan import Plan

PAYLOADS = ['=HYPERLINK("http://x","y")', "=cmd|' /C calc'!A0", "@SUM(1)", "+1+1", "-1+1", "\t=1+2", "\r=1+2"]


def injected_plan() -> Plan:
    """A plan whose grid names/notes, units, people, duties, roads and places all carry formula payloads."""
    plan = Plan.new(PAYLOADS[0], crs="EPSG:4547", levels="two")
    x0, y0 = 500_000.0, 2_500_000.0
    plan.set_jurisdiction(box(x0, y0, x0 + 200, y0 + 100))
    big = plan.add_grid(box(x0, y0, x0 + 200, y0 + 100), "large", code="01", name=PAYLOADS[1], notes=PAYLOADS[2])
    for k, p in enumerate(PAYLOADS):
        g = plan.add_grid(box(x0 + k * 200 / 7, y0, x0 + (k + 1) * 200 / 7, y0 + 100), "small", parent=big,
                          code=f"01{k:02d}", name=p, notes=p)
        unit = plan.add_unit(p, kind=p, phone=p, notes=p)
        person = plan.add_person(p, post=p, unit=unit, phone=p, notes=p)
        plan.assign(g, "officer", person=person, duty=p)
        plan.assign(g, "lead_unit", unit=unit, duty=p)
        plan.add_segment(LineString([(x0 + k * 25 + 1, y0 + 50), (x0 + k * 25 + 20, y0 + 50)]), road_name=p,
                         notes=p)
        plan.add_place(Point(x0 + k * 25 + 5, y0 + 20), name=p, kind="小区", address=p, notes=p)
    plan.assign_by_location()
    return plan


def test_xlsx_export_has_no_formula_cells_and_keeps_the_text(tmp_path):
    out = tmp_path / "annex.xlsx"
    export_plan(injected_plan(), "xlsx", out)
    wb = load_workbook(out)
    formulas, texts = 0, set()
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                formulas += c.data_type == "f"
                if isinstance(c.value, str):
                    texts.add(c.value)
                    texts.update(c.value.split("、"))
    assert formulas == 0
    for p in PAYLOADS:          # each payload is there, verbatim, as text
        assert any(p in t for t in texts), p
    assert wb["网格划分表"]["C4"].value in PAYLOADS


@pytest.mark.parametrize("fmt", ["csv", "shp", "geojson"])
def test_csv_outputs_neutralise_formulas(tmp_path, fmt):
    out = tmp_path / "out"
    export_plan(injected_plan(), fmt, out)
    files = sorted(out.glob("*.csv"))
    assert files
    seen = 0
    for f in files:
        with open(f, encoding="utf-8-sig", newline="") as fh:
            for row in csv.reader(fh):
                for v in row:
                    assert not (v[:1] in ("=", "+", "-", "@", "\t", "\r") and v not in ("-12.5",)), (f.name, v)
                    if v.startswith("'") and v[1:] in PAYLOADS:
                        seen += 1
    assert seen > 0          # the text is kept, behind the quote


def test_csv_keeps_phone_numbers_and_negative_numbers(tmp_path):
    plan = Plan.new("示例", crs="EPSG:4547", levels="two")
    big = plan.add_grid(box(0, 0, 100, 100), "large", code="01", name="一片")
    g = plan.add_grid(box(0, 0, 100, 100), "small", parent=big, code="0101", name="-12.5")
    person = plan.add_person("张三", phone="+86 138 0000 0000")
    plan.assign(g, "officer", person=person)
    out = tmp_path / "t"
    export_plan(plan, "csv", out)
    text = (out / "人员名单.csv").read_text(encoding="utf-8-sig")
    assert "+86 138 0000 0000" in text and "'+86" not in text
    assert "-12.5" in (out / "网格划分表.csv").read_text(encoding="utf-8-sig")


def test_shapefile_export_round_trip_keeps_payloads(tmp_path):
    from gridmap.core.exchange.as_plan import plan_from_export

    out = tmp_path / "shp"
    export_plan(injected_plan(), "shp", out)
    back, _ = plan_from_export(out)
    assert sorted(back.people["name"]) == sorted(PAYLOADS)
    assert sorted(back.units["name"]) == sorted(PAYLOADS)


def _parsed_titles(html: str) -> list[str]:
    from html.parser import HTMLParser

    class P(HTMLParser):
        def __init__(self):
            super().__init__()
            self.titles, self._in = [], False

        def handle_starttag(self, tag, attrs):
            if tag == "title":
                self._in = True
                self.titles.append("")

        def handle_endtag(self, tag):
            self._in = self._in and tag != "title"

        def handle_data(self, data):
            if self._in:
                self.titles[-1] += data

    p = P()
    p.feed(html)
    return p.titles


def test_webmap_title_is_escaped_exactly_once():
    from gridmap.core.outputs.webmap import webmap_html

    name = '<script>alert("x")</script> & 新安'
    plan = Plan.new("示例", crs="EPSG:4547", levels="two")
    plan.add_grid(box(500_000, 2_500_000, 500_100, 2_500_100), "large", code="01", name="一片")
    html = webmap_html(plan, {"title": name})
    assert _parsed_titles(html) == [name]
    assert "<script>alert" not in html


SAMPLE = Path(__file__).resolve().parent.parent / "sample_layers" / "baoan_plan.gpkg"


def _sample_plan():
    from gridmap.core.storage import open_plan

    p = open_plan(SAMPLE)
    p = p[0] if isinstance(p, tuple) else p
    return getattr(p, "plan", p)


def test_geojson_export_has_one_geometry_type_per_file(tmp_path):
    import json

    out = tmp_path / "gj"
    export_plan(_sample_plan(), "geojson", out)
    names = sorted(p.stem for p in out.glob("*.geojson"))
    assert names == ["grids", "jurisdiction", "places_point", "places_polygon", "segments"]
    types = {}
    for n in names:
        feats = json.loads((out / f"{n}.geojson").read_text(encoding="utf-8"))["features"]
        types[n] = {f["geometry"]["type"] for f in feats if f["geometry"]}
    assert types["segments"] == {"MultiLineString"}          # was 19 GeometryCollections of 169
    assert types["places_point"] == {"Point"} and types["places_polygon"] == {"MultiPolygon"}
    assert all(len(t) == 1 for t in types.values()), types
    seg = pyogrio.read_dataframe(out / "segments.geojson")
    assert len(seg) == 169 and seg.crs.to_epsg() == 4326


def test_gpkg_export_is_geopackage_1_2_with_single_type_layers(tmp_path):
    from gridmap.core.exchange.as_plan import plan_from_export

    out = tmp_path / "flat.gpkg"
    plan = _sample_plan()
    export_plan(plan, "gpkg", out)
    with sqlite3.connect(out) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == 10200
        gtypes = dict(db.execute("SELECT table_name, geometry_type_name FROM gpkg_geometry_columns"))
    assert gtypes == {"grids": "MULTIPOLYGON", "jurisdiction": "MULTIPOLYGON", "segments": "MULTILINESTRING",
                      "places_point": "POINT", "places_polygon": "MULTIPOLYGON"}
    back, _ = plan_from_export(out)
    assert len(back.places) == len(plan.places) and len(back.segments) == len(plan.segments)


def test_check_out_writes_one_layer_per_geometry_type(tmp_path):
    from gridmap.cli import main

    errors = SAMPLE.with_name("baoan_plan_errors.gpkg")
    out = tmp_path / "problems.gpkg"
    assert main(["check", str(errors), "--out", str(out)]) == 1
    layers = dict(pyogrio.list_layers(out))
    assert set(layers) <= {"problems_point", "problems_line", "problems_polygon"} and len(layers) >= 2
    assert {layers[k] for k in layers} <= {"MultiPoint", "MultiLineString", "MultiPolygon"}
    with sqlite3.connect(out) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == 10200


def test_plan_crs_outside_china_is_the_utm_zone(tmp_path):
    import geopandas as gpd

    from gridmap.core.crs import areas_m2
    from gridmap.core.exchange.as_plan import FieldMapping, plan_from_layer

    cells = [box(-74.0 + i * 0.01, 40.7, -74.0 + (i + 1) * 0.01, 40.71) for i in range(3)]
    gdf = gpd.GeoDataFrame({"code": ["1", "2", "3"]}, geometry=cells, crs="EPSG:4326")
    plan, notes = plan_from_layer(gdf, FieldMapping(code="code"), levels="two")
    assert plan.crs.to_epsg() == 32618                      # UTM 18N, not a Chinese Gauss-Krüger zone
    true = areas_m2(cells, "EPSG:4326")
    planar = plan.grids.geometry.area.to_numpy()
    assert abs(planar / true - 1).max() < 0.002             # was +18 % in CM 75°E
    assert any("UTM" in n for n in notes)


def test_regional_grids_are_guessed_and_suggested():
    from gridmap.core.crs import crs_suggestions
    from gridmap.core.exchange.prj import guess_crs

    assert guess_crs((830_000, 815_000, 840_000, 825_000)).crs.to_epsg() == 2326       # Hong Kong 1980 Grid
    assert guess_crs((18_000, 15_000, 22_000, 20_000)).crs.to_epsg() == 8433           # Macau
    tw = guess_crs((300_000, 2_760_000, 310_000, 2_770_000))
    assert tw.crs is None and tw.candidates[0] == "EPSG:3826" and "TWD97" in tw.reason
    assert guess_crs((300_000, 2_760_000, 310_000, 2_770_000), hint_lon=121.5).crs.to_epsg() == 3826
    assert guess_crs((480_000, 2_490_000, 520_000, 2_510_000), hint_lon=113.9).crs.to_epsg() == 4547
    assert crs_suggestions(114.17, 22.30)[:2] == ["EPSG:2326", "EPSG:4547"]
    assert crs_suggestions(121.5, 25.0)[0] == "EPSG:3826" and crs_suggestions(113.55, 22.19)[0] == "EPSG:8433"
    assert crs_suggestions(-74.0, 40.7) == ["EPSG:32618"]


def _roster_plan() -> Plan:
    plan = Plan.new("示例", crs="EPSG:4547", levels="two")
    big = plan.add_grid(box(0, 0, 300, 100), "large", code="01", name="一片")
    for k in range(3):
        plan.add_grid(box(k * 100, 0, (k + 1) * 100, 100), "small", parent=big, code=f"010{k + 1}",
                      name=f"第{k + 1}网格")
    return plan


def test_roster_reads_formulas_by_value_and_merged_cells_on_every_row(tmp_path):
    from gridmap.core.exchange.roster import import_roster

    wb = Workbook()
    ws = wb.active
    ws.append(["所在单位", "网格编号", "姓名", "联系电话", "网格角色"])
    ws.append(["新安街道", "0101", "张三", "=1380000+1", "网格员"])       # never calculated: arithmetic
    ws.append([None, "0102", "李四", "=CONCAT(\"139\",\"0\")", "网格员"])  # not arithmetic: its text, noted
    ws.append([None, "0103", "王五", "13700000000", "网格员"])
    ws.merge_cells("A2:A4")                                              # the unit merged down the rows
    f = tmp_path / "roster.xlsx"
    wb.save(f)
    plan = _roster_plan()
    res = import_roster(plan, f)
    assert res.unmatched == [] and res.matched == 3
    people = plan.people.set_index("name")
    assert people.at["张三", "phone"] == "1380001"
    assert people.at["李四", "phone"] == '=CONCAT("139","0")'
    assert set(plan.units["name"]) == {"新安街道"}
    assert int(people.at["李四", "unit"]) == int(people.at["张三", "unit"])     # merged value on every row
    assert any("never calculated" in n for n in res.notes)


def test_roster_uses_cached_formula_values(tmp_path):
    """A workbook saved by Excel carries each formula's last result; that is what is read."""
    import zipfile

    from gridmap.core.exchange.roster import read_roster

    wb = Workbook()
    ws = wb.active
    ws.append(["网格编号", "姓名", "联系电话"])
    ws.append(["0101", "张三", "=1380000+1"])
    f = tmp_path / "r.xlsx"
    wb.save(f)
    # give the formula a cached value <v>, as Excel does when it saves
    g = tmp_path / "cached.xlsx"
    with zipfile.ZipFile(f) as zin, zipfile.ZipFile(g, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"<f>1380000+1</f><v></v>", b"<f>1380000+1</f><v>13800000001</v>")
                data = data.replace(b"<f>1380000+1</f><v/>", b"<f>1380000+1</f><v>13800000001</v>")
                assert b"13800000001" in data
            zout.writestr(item, data)
    notes = []
    df, _ = read_roster(g, notes=notes)
    assert df["联系电话"].tolist() == ["13800000001"] and notes == []


HK_NAMES = ["石硤尾邨", "鰂魚涌", "鴨脷洲", "綉花街", "栢樹"]


def _write_shp(path, names, encoding):
    import geopandas as gpd

    gdf = gpd.GeoDataFrame({"name": names}, geometry=[Point(830_000 + i, 815_000) for i in range(len(names))],
                           crs="EPSG:2326")
    pyogrio.write_dataframe(gdf, path, encoding=encoding)


def test_hkscs_names_decode_with_big5hkscs(tmp_path):
    from gridmap.core.exchange.readers import read_layer

    shp = tmp_path / "hk.shp"
    _write_shp(shp, HK_NAMES + ["中山里"] * 5, "big5hkscs")
    shp.with_suffix(".cpg").unlink()                         # as Hong Kong files arrive: no .cpg
    with open(shp.with_suffix(".dbf"), "r+b") as f:          # language driver id: Big5 (cp950)
        f.seek(29)
        f.write(bytes([0x78]))
    gdf, report = read_layer(shp)
    assert gdf["name"].tolist()[:5] == HK_NAMES
    assert report.encoding.codec == "big5hkscs" and report.encoding.replaced == 0


def test_undecodable_values_are_counted_and_located(tmp_path):
    from gridmap.core.exchange.readers import read_layer

    shp = tmp_path / "hk.shp"
    _write_shp(shp, HK_NAMES, "big5hkscs")
    dbf = shp.with_suffix(".dbf")
    data = dbf.read_bytes()
    bad = "栢樹".encode("big5hkscs")
    dbf.write_bytes(data.replace(bad, b"\x80\x80" + bad[2:]))   # a byte pair no Big5 variant has
    gdf, report = read_layer(shp, encoding="big5")
    assert gdf["name"].tolist()[:4] == HK_NAMES[:4]
    assert report.encoding.replaced == 1
    assert any("cannot decode" in n and "record 5 field 1" in n for n in report.notes), report.notes


def test_field_names_cut_mid_character_are_readable(tmp_path):
    import geopandas as gpd

    from gridmap.core.exchange.readers import inspect, read_layer

    shp = tmp_path / "cut.shp"
    gdf = gpd.GeoDataFrame({"网格名称": ["甲"], "code": ["01"]}, geometry=[Point(500_000, 2_500_000)],
                           crs="EPSG:4547")
    pyogrio.write_dataframe(gdf, shp, encoding="utf-8")
    dbf = shp.with_suffix(".dbf")
    data = bytearray(dbf.read_bytes())
    # field 1's name becomes "网格名称所" cut at 10 bytes: 3 whole characters + 1 of the 3 bytes of 称
    name = ("网格名称".encode("utf-8"))[:10]
    assert len(name) == 10
    data[32:43] = name.ljust(11, b"\0")
    dbf.write_bytes(bytes(data))
    with pytest.raises(UnicodeDecodeError):
        name.decode("utf-8")
    out, report = read_layer(shp)
    assert "网格名" in out.columns and out["网格名"].tolist() == ["甲"]
    assert any("10 bytes" in n for n in report.notes)
    info = inspect(shp)
    assert "网格名" in info["layers"][0]["fields"]


def test_cli_inspect_shows_hkscs_and_replacement_notes(tmp_path, capsys):
    from gridmap.cli import main

    shp = tmp_path / "hk.shp"
    _write_shp(shp, HK_NAMES, "big5hkscs")
    shp.with_suffix(".cpg").unlink()
    with open(shp.with_suffix(".dbf"), "r+b") as f:
        f.seek(29)
        f.write(bytes([0x78]))
    assert main(["import", "--inspect", str(shp)]) == 0
    out = capsys.readouterr().out
    assert "Big5-HKSCS" in out and "石硤尾邨" in out
    assert main(["import", "--inspect", str(shp), "--encoding", "utf-8"]) == 0
    assert "cannot decode" in capsys.readouterr().out
