"""Import: encodings, CRS recognition, GCJ-02/BD-09, readers of every format, bad files.

Fixtures in tests/data/exchange were written by GDAL/ezdxf from the real data in
../shared/data by tests/data/exchange/make_fixtures.py (see README.md there)."""

from __future__ import annotations

import shutil
import struct
from pathlib import Path

import numpy as np
import pyogrio
import pytest
import shapely
from pyproj import CRS, Geod

from gridmap.cli import main
from gridmap.core import gcj02
from gridmap.core.exchange import ExchangeError
from gridmap.core.exchange.encoding import detect_dbf_encoding
from gridmap.core.exchange.prj import check_coordinates, esri_wkt, guess_crs, identify_crs, read_prj
from gridmap.core.exchange.readers import read_layer

DATA = Path(__file__).parent / "data" / "exchange"
SHAOGUAN = ["仁化县", "始兴县", "新丰县", "乐昌市", "曲江区", "武江区", "浈江区", "南雄市", "乳源瑶族自治县", "翁源县"]


def copy_shp(stem: str, dest: Path) -> Path:
    for p in DATA.glob(stem + ".*"):
        if p.suffix != ".zip":
            shutil.copy(p, dest / p.name)
    return dest / f"{stem}.shp"


# ---------------------------------------------------------------------- encodings
def test_gbk_without_cpg_is_detected_and_decoded():
    guess = detect_dbf_encoding(DATA / "shaoguan_gbk.shp")
    assert guess.label == "GBK/GB18030" and guess.source == "detected"
    assert "韶关市" in guess.preview
    # the alternatives are shown as previews so a person can see why
    assert any("韶关市" not in prev for prev in guess.alternatives.values())
    gdf, report = read_layer(DATA / "shaoguan_gbk.shp")
    assert sorted(gdf["name"]) == sorted(SHAOGUAN)
    assert set(gdf["ctname"]) == {"韶关市"}


def test_big5_without_cpg_is_detected_and_decoded(shared_data):
    guess = detect_dbf_encoding(DATA / "luodong_big5.dbf")
    assert guess.label == "Big5"
    gdf, _ = read_layer(DATA / "luodong_big5.shp")
    tw = pyogrio.read_dataframe(shared_data / "taiwan-villages" / "twVillage1982.topo.json")
    truth = sorted(tw[tw["TOWNNAME"] == "羅東鎮"]["VILLAGENAM"])
    assert sorted(gdf["VILLAGENAM"]) == truth and len(truth) == 25
    assert set(gdf["COUNTYNAME"]) == {"宜蘭縣"}


def test_utf8_without_cpg_real_file(shared_data):
    """The real GCJ-02 county file has no .cpg and UTF-8 text (GDAL alone would read it as Latin-1)."""
    shp = shared_data / "cn-counties-gcj02" / "guangdong_districts.shp"
    assert detect_dbf_encoding(shp).label == "UTF-8"
    gdf, _ = read_layer(shp, crs="gcj02")
    assert "翁源县" in set(gdf["name"])


def test_encoding_override_and_cpg(tmp_path):
    shp = copy_shp("shaoguan_gbk", tmp_path)
    wrong, _ = read_layer(shp, encoding="big5")       # the user may override (and gets mojibake)
    assert "韶关市" not in set(wrong["ctname"])
    shp.with_suffix(".cpg").write_text("GBK")
    assert detect_dbf_encoding(shp).source == "shaoguan_gbk.cpg"
    ok, _ = read_layer(shp)
    assert set(ok["ctname"]) == {"韶关市"}


def test_cli_inspect_previews_encodings_and_crs_guess(capsys):
    assert main(["import", str(DATA / "shaoguan_gk38.shp"), "--inspect"]) == 0
    out = capsys.readouterr().out
    assert "EPSG:4526" in out and "zone number 38" in out
    assert main(["import", str(DATA / "shaoguan_gbk.shp"), "--inspect"]) == 0
    out = capsys.readouterr().out
    assert "GBK/GB18030 (detected" in out and "韶关市" in out and "as Big5:" in out
    assert "EPSG:4547" in out


# ---------------------------------------------------------------------- CRS
@pytest.mark.parametrize("epsg", [4547, 4526, 4502, 4491, 2435, 2362, 21453, 2338, 4490, 4214, 4610])
def test_esri_wkt_round_trip(epsg):
    wkt = esri_wkt(epsg)
    assert wkt.startswith(("PROJCS[", "GEOGCS["))
    assert identify_crs(wkt).to_epsg() == epsg


@pytest.mark.parametrize("name,params,epsg,proj_knows", [
    ("CGCS2000_GK_CM_114", (500000, 114), 4547, False),
    ("Xian80_3_Degree_GK_Zone_38", (38500000, 114), 2362, True),
    ("BJ54_GK_Zone_20", (20500000, 117), 21420, False),
    ("custom", (39500000, 117), 4527, False),          # recognised by its parameters only
])
def test_vendor_gauss_kruger_names_are_recognised(name, params, epsg, proj_knows):
    # datum names as other software writes them (not the Esri/EPSG spellings)
    datum = {"Xian80": ('GCS_XIAN80', 'D_XIAN80', 'IAG1975', 6378140.0, 298.257),
             "BJ54": ('GCS_BJ54', 'D_BJ54', 'Krassowsky', 6378245.0, 298.3)}
    g = next((v for k, v in datum.items() if name.startswith(k)),
             ('GCS_CGCS2000', 'D_CGCS2000', 'CGCS2000', 6378137.0, 298.257222101))
    wkt = (f'PROJCS["{name}",GEOGCS["{g[0]}",DATUM["{g[1]}",SPHEROID["{g[2]}",{g[3]},{g[4]}]],'
           'PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Gauss_Kruger"],'
           f'PARAMETER["False_Easting",{params[0]}.0],PARAMETER["False_Northing",0.0],'
           f'PARAMETER["Central_Meridian",{params[1]}.0],PARAMETER["Scale_Factor",1.0],'
           'PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]')
    assert (CRS.from_wkt(wkt).to_epsg() == epsg) is proj_knows   # PROJ alone knows only some …
    assert identify_crs(wkt).to_epsg() == epsg          # … gridmap does


def test_vendor_prj_fixture_and_ogrinfo_reads_exported_prj(tmp_path):
    assert read_prj(DATA / "shaoguan_gbk.prj").to_epsg() == 4547


def test_guess_crs_from_coordinate_ranges():
    gdf, report = read_layer(DATA / "shaoguan_gk38.shp")
    assert report.crs_source == "guessed" and report.crs.to_epsg() == 4526
    assert "confirm" in report.notes[-1]
    # no zone number: needs a hint (or a declared CRS)
    b = (380_000, 2_700_000, 580_000, 2_800_000)
    assert guess_crs(b).crs is None and "EPSG:4547" in guess_crs(b).candidates
    assert guess_crs(b, hint_lon=113.6).crs.to_epsg() == 4547
    assert guess_crs((20_400_000, 2_700_000, 20_600_000, 2_800_000)).crs.to_epsg() == 4498   # 6° zone 20
    assert guess_crs((9e6, 9e6, 9.1e6, 9.1e6)).crs is None


def test_coordinates_that_cannot_be_in_the_declared_crs(tmp_path):
    assert "look like degrees" in check_coordinates((113, 22, 114, 23), "EPSG:4547")
    assert "not longitude/latitude" in check_coordinates((500000, 2500000, 500100, 2500100), "EPSG:4490")
    assert "outside the area" in check_coordinates((38_400_000, 2_500_000, 38_500_000, 2_600_000), "EPSG:4547")
    shp = copy_shp("shaoguan_gk38", tmp_path)
    shp.with_suffix(".prj").write_text(esri_wkt(4547))       # wrong .prj: plain eastings zone
    with pytest.raises(ExchangeError, match=r"shaoguan_gk38.shp: coordinates .* outside the area"):
        read_layer(shp)
    ok, rep = read_layer(shp, crs="EPSG:4526")              # declaring the right one fixes it
    assert rep.crs_source == "declared" and len(ok) == 10


def test_gcj02_real_file_is_converted_to_cgcs2000(shared_data):
    shp = shared_data / "cn-counties-gcj02" / "guangdong_districts.shp"
    raw, _ = read_layer(shp, crs="EPSG:4490")
    conv, rep = read_layer(shp, crs="gcj02")
    assert rep.crs.to_epsg() == 4490 and "GCJ-02" in rep.crs_source
    i = int(np.flatnonzero(raw["adcode"] == "440229")[0])      # 翁源县
    a, b = raw.geometry.values[i].centroid, conv.geometry.values[i].centroid
    shift = Geod(ellps="WGS84").inv(a.x, a.y, b.x, b.y)[2]
    assert 200 < shift < 800                                   # GCJ-02 is hundreds of metres off
    # the iterative inverse is exact to far below 1 cm: forward(inverse(p)) == p
    xy = shapely.get_coordinates(conv.geometry.values[i])
    fx, fy = gcj02.wgs84_to_gcj02(xy[:, 0], xy[:, 1])
    orig = shapely.get_coordinates(raw.geometry.values[i])
    err = Geod(ellps="WGS84").inv(fx, fy, orig[:, 0], orig[:, 1])[2]
    assert err.max() < 0.01
    # a single-step inverse (p - offset(p)) is metres off
    ox, oy = gcj02.wgs84_to_gcj02(orig[:, 0], orig[:, 1])
    naive = (2 * orig[:, 0] - ox, 2 * orig[:, 1] - oy)
    assert Geod(ellps="WGS84").inv(naive[0], naive[1], xy[:, 0], xy[:, 1])[2].max() > 0.5


def test_bd09_declared(tmp_path):
    import geopandas as gpd

    pts = shapely.points([[113.9, 22.55], [114.05, 22.6]])
    bx, by = gcj02.wgs84_to_bd09(shapely.get_x(pts), shapely.get_y(pts))
    gpd.GeoDataFrame({"n": ["甲", "乙"]}, geometry=shapely.points(np.c_[bx, by]), crs=4326).to_file(
        tmp_path / "bd.geojson")
    gdf, rep = read_layer(tmp_path / "bd.geojson", crs="bd09")
    err = Geod(ellps="WGS84").inv(shapely.get_x(gdf.geometry.values), shapely.get_y(gdf.geometry.values),
                                  shapely.get_x(pts), shapely.get_y(pts))[2]
    assert err.max() < 0.01


# ---------------------------------------------------------------------- readers
def test_zipped_shapefile_in_a_folder():
    gdf, rep = read_layer(DATA / "shaoguan_gbk.zip")
    assert sorted(gdf["name"]) == sorted(SHAOGUAN) and rep.crs.to_epsg() == 4547
    assert "shaoguan/shaoguan_gbk.shp" in rep.path


def test_zip_slip_is_refused(tmp_path):
    with pytest.raises(ExchangeError, match=r"zip_slip.zip: unsafe zip entry '\.\./"):
        read_layer(DATA / "zip_slip.zip")
    assert not list(tmp_path.parent.glob("luodong_big5.*"))


@pytest.mark.parametrize("name", ["luodong.kml", "luodong.kmz"])
def test_kml_and_kmz(name):
    gdf, rep = read_layer(DATA / name)
    assert len(gdf) == 25 and rep.crs.to_epsg() == 4326
    assert "羅東鎮" in rep.layer and "北成里" in set(gdf["Name"])


def test_dxf_closed_polylines_become_polygons_with_layer_and_texts():
    gdf, rep = read_layer(DATA / "luodong.dxf", crs="EPSG:3826")
    assert len(gdf) == 25 and set(gdf.geom_type) == {"Polygon"}
    assert set(gdf["layer"]) == {"村里"}
    assert "北成里" in set(gdf["name"])
    assert any("open lines" in n for n in rep.notes)


def test_dxf_without_crs_asks_for_one():
    with pytest.raises(ExchangeError, match=r"luodong.dxf: has no CRS .* --crs"):
        read_layer(DATA / "luodong.dxf")


def test_csv_xy_gbk_and_xlsx_wkt():
    pts, rep = read_layer(DATA / "luodong_points.csv")
    assert rep.encoding.label == "GBK/GB18030" and len(pts) == 25
    assert set(pts.geom_type) == {"Point"} and "仁愛里" in set(pts["名称"])
    assert rep.crs.to_epsg() == 4490 and rep.crs_source == "guessed"
    polys, rep = read_layer(DATA / "shaoguan_wkt.xlsx", crs="EPSG:4547")
    assert sorted(polys["name"]) == sorted(SHAOGUAN)
    assert polys["code"].tolist()[0].startswith("4402")


def test_bad_wkt_rows_are_named(tmp_path):
    (tmp_path / "t.csv").write_text("code,wkt\n01,POINT (1 2)\n02,POINT (1\n", encoding="utf-8")
    with pytest.raises(ExchangeError, match=r"t.csv: column 'wkt': rows 3 are not valid WKT"):
        read_layer(tmp_path / "t.csv", crs="EPSG:4490")


# ---------------------------------------------------------------------- bad files
def test_missing_shx_is_named_and_repaired(tmp_path):
    shp = copy_shp("shaoguan_gbk", tmp_path)
    shp.with_suffix(".shx").unlink()
    with pytest.raises(ExchangeError, match=r"shaoguan_gbk.shp: the index file shaoguan_gbk.shx is missing"):
        read_layer(shp)
    gdf, rep = read_layer(shp, repair=True)
    assert len(gdf) == 10 and any("rebuilt" in n for n in rep.notes)
    assert not shp.with_suffix(".shx").exists()       # the user's folder is left as it was


def test_missing_dbf(tmp_path):
    shp = copy_shp("shaoguan_gbk", tmp_path)
    shp.with_suffix(".dbf").unlink()
    with pytest.raises(ExchangeError, match=r"shaoguan_gbk.shp: the attribute file shaoguan_gbk.dbf is missing"):
        read_layer(shp)


def test_truncated_shp(tmp_path):
    shp = copy_shp("shaoguan_gbk", tmp_path)
    data = shp.read_bytes()
    shp.write_bytes(data[: len(data) * 2 // 3])
    with pytest.raises(ExchangeError, match=r"shaoguan_gbk.shp: truncated: the header says \d+ bytes"):
        read_layer(shp)
    gdf, rep = read_layer(shp, repair=True)
    assert 0 < len(gdf) < 10 and any("truncated" in n for n in rep.notes)
    shp.write_bytes(data[:60])
    with pytest.raises(ExchangeError, match="shorter than the 100-byte shapefile header"):
        read_layer(shp)


def test_dbf_of_another_file(tmp_path):
    shp = copy_shp("shaoguan_gbk", tmp_path)
    shutil.copy(DATA / "luodong_big5.dbf", shp.with_suffix(".dbf"))
    with pytest.raises(ExchangeError, match=r"has 10 shapes but shaoguan_gbk.dbf has 25 records"):
        read_layer(shp)
    gdf, rep = read_layer(shp, repair=True)
    assert len(gdf) == 10


def test_invalid_ring_empty_and_3d_geometries(tmp_path):
    import geopandas as gpd

    x0, y0 = 500_000, 2_500_000
    bow = shapely.Polygon([(x0, y0), (x0 + 10, y0 + 10), (x0 + 10, y0), (x0, y0 + 10)])  # self-intersecting
    ok = shapely.box(x0 + 20, y0, x0 + 30, y0 + 10)
    gpd.GeoDataFrame({"code": ["01", "02"]}, geometry=[bow, ok], crs=4547).to_file(tmp_path / "bad.gpkg")
    with pytest.raises(ExchangeError, match=r"bad.gpkg: 1 invalid geometries, e.g. feature 1: Self-intersection"):
        read_layer(tmp_path / "bad.gpkg")
    fixed, rep = read_layer(tmp_path / "bad.gpkg", repair=True)
    assert fixed.is_valid.all() and fixed.geometry.values[0].geom_type in ("Polygon", "MultiPolygon")
    assert abs(fixed.geometry.values[0].area - 50) < 1e-6 and any("made valid" in n for n in rep.notes)

    gpd.GeoDataFrame({"code": ["01", "02"]}, geometry=[ok, shapely.Polygon()], crs=4547).to_file(
        tmp_path / "empty.gpkg")
    with pytest.raises(ExchangeError, match=r"empty.gpkg: 1 features have no geometry"):
        read_layer(tmp_path / "empty.gpkg")
    assert len(read_layer(tmp_path / "empty.gpkg", repair=True)[0]) == 1

    hill = shapely.force_3d(ok, 0.0)
    steep = shapely.Polygon([(x0, y0, 1), (x0 + 1, y0, 5), (x0 + 1, y0 + 1, 9), (x0, y0, 1)])
    gpd.GeoDataFrame({"code": ["01"]}, geometry=[hill], crs=4547).to_file(tmp_path / "flat3d.gpkg")
    gdf, rep = read_layer(tmp_path / "flat3d.gpkg")
    assert not gdf.has_z.any() and any("all heights equal" in n for n in rep.notes)
    gpd.GeoDataFrame({"code": ["01"]}, geometry=[steep], crs=4547).to_file(tmp_path / "z.gpkg")
    with pytest.raises(ExchangeError, match=r"z.gpkg: geometries are 3D with heights 1…9"):
        read_layer(tmp_path / "z.gpkg")


def test_cli_bad_file_one_line_and_repair(tmp_path, capsys):
    shp = copy_shp("shaoguan_gbk", tmp_path)
    shp.with_suffix(".shx").unlink()
    args = ["import", str(shp), "--as-plan", "--code-field", "adcode", "--name-field", "name",
            "-o", str(tmp_path / "p.gpkg")]
    assert main(args) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "shx is missing" in err and "Traceback" not in err
    assert main(args + ["--repair"]) == 0
    out = capsys.readouterr().out
    assert "repaired: rebuilt" in out and "10 小网格" in out


def test_not_a_gis_file(tmp_path):
    (tmp_path / "x.geojson").write_text("this is not json", encoding="utf-8")
    with pytest.raises(ExchangeError, match=r"x.geojson: not a readable GIS file"):
        read_layer(tmp_path / "x.geojson")


def test_dbf_header_language_driver_id_is_used(tmp_path):
    shp = copy_shp("luodong_big5", tmp_path)
    with open(shp.with_suffix(".dbf"), "r+b") as f:
        f.seek(29)
        f.write(bytes([0x4F]))           # dBASE LDID 0x4F = code page 950 (Big5)
    g = detect_dbf_encoding(shp)
    assert g.label == "Big5" and g.source == "dBASE language driver id"
    assert struct.unpack("<I", shp.with_suffix(".dbf").read_bytes()[4:8])[0] == 25


@pytest.mark.parametrize("name", ["shaoguan_gbk.shp", "shaoguan_gk38.shp", "luodong_big5.shp", "luodong.kml",
                                  "luodong.dxf", "luodong_points.csv"])
def test_system_ogrinfo_reads_the_fixtures(name):
    import subprocess

    r = subprocess.run(["ogrinfo", "-ro", "-so", "-al", str(DATA / name)], capture_output=True, text=True,
                       errors="replace")   # GBK field names print as bytes
    assert r.returncode == 0 and "ERROR" not in r.stderr, r.stderr
    assert "Feature Count: 25" in r.stdout or "Feature Count: 10" in r.stdout or name.endswith(".dxf")


@pytest.fixture(autouse=True)
def _english_first():
    """These tests match the English half of bilingual messages right after the file name."""
    from gridmap.core.messages import set_language

    set_language("en")
    yield
    set_language(None)
