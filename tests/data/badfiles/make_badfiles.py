"""Generate a corpus of bad input files (``python make_badfiles.py OUTDIR``).

Each entry of :data:`CASES` is (file name, what is wrong with it).  Everything is
made here from scratch with fixed content (no randomness), so the corpus is the
same on every run; ``tests/test_bad_files.py`` runs every file through
``gridmap import --inspect``, ``gridmap import -o`` and ``gridmap check``.
"""

from __future__ import annotations

import io
import json
import shutil
import sqlite3
import struct
import sys
import zipfile
from pathlib import Path

GARBAGE = bytes((i * 73 + 41) % 256 for i in range(4096))  # fixed "random" bytes


def _polygons(n=3, x0=500_000.0, y0=2_500_000.0):
    from shapely import box

    return [box(x0 + 100 * i, y0, x0 + 100 * (i + 1), y0 + 100) for i in range(n)]


def _shp(path: Path, n=3, encoding="utf-8", names=None, crs=4547, geoms=None, fields=None):
    import geopandas as gpd

    data = fields or {"code": [f"4403060010010{i}" for i in range(n)],
                      "name": names or [f"网格{i}" for i in range(n)]}
    gpd.GeoDataFrame(data, geometry=geoms if geoms is not None else _polygons(n), crs=crs).to_file(
        path, encoding=encoding, engine="pyogrio")
    return path


def _copy_shp(src: Path, dst: Path):
    for p in src.parent.glob(src.stem + ".*"):
        shutil.copy(p, dst.with_suffix(p.suffix))
    return dst


def make(out: Path) -> dict[str, str]:
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    base_dir = out / "_base"
    base_dir.mkdir(exist_ok=True)
    good = _shp(base_dir / "good.shp")
    big = _shp(base_dir / "big.shp", n=5)
    made: dict[str, str] = {}

    def note(name, why):
        made[name] = why
        return out / name

    # ---------------------------------------------------------------- shapefiles
    p = note("empty.shp", "0-byte .shp"); _copy_shp(good, p); p.write_bytes(b"")
    p = note("header_truncated.shp", ".shp cut inside its 100-byte header"); _copy_shp(good, p)
    p.write_bytes(good.read_bytes()[:50])
    p = note("garbage.shp", "a .shp of garbage bytes"); _copy_shp(good, p); p.write_bytes(GARBAGE)
    p = note("bad_file_code.shp", "header with a wrong file code"); _copy_shp(good, p)
    b = bytearray(good.read_bytes()); b[0:4] = struct.pack(">i", 1234); p.write_bytes(bytes(b))
    p = note("body_truncated.shp", ".shp cut in the middle of its shapes"); _copy_shp(good, p)
    p.write_bytes(good.read_bytes()[:200])
    p = note("no_shx.shp", "the .shx is missing"); _copy_shp(good, p); p.with_suffix(".shx").unlink()
    p = note("no_dbf.shp", "the .dbf is missing"); _copy_shp(good, p); p.with_suffix(".dbf").unlink()
    p = note("dbf_mismatch.shp", "the .dbf has 5 records, the .shp 3 shapes"); _copy_shp(good, p)
    shutil.copy(big.with_suffix(".dbf"), p.with_suffix(".dbf"))
    p = note("lying_cpg.shp", "GBK attributes, .cpg says UTF-8")
    _shp(p, encoding="gbk", names=["新安街道第一网格", "新安街道第二网格", "宝安区西乡街道"])
    p.with_suffix(".cpg").write_text("UTF-8")
    p = note("garbage_prj.shp", ".prj of garbage text"); _copy_shp(good, p)
    p.with_suffix(".prj").write_text("this is not a projection ]]]")
    p = note("no_prj_projected.shp", "no .prj, projected coordinates"); _copy_shp(good, p)
    p.with_suffix(".prj").unlink()
    p = note("points_only.shp", "points, no polygons")
    from shapely import Point
    _shp(p, geoms=[Point(500_000 + i, 2_500_000) for i in range(3)])
    p = note("nan_coords.shp", "a polygon with NaN coordinates"); _copy_shp(good, p)
    b = bytearray(p.read_bytes())
    # first shape record: header 100, record header 8, type 4, bbox 32, nparts 4, npoints 4, parts 4 → points
    b[100 + 8 + 4 + 32 + 8 + 4:100 + 8 + 4 + 32 + 8 + 4 + 16] = struct.pack("<dd", float("nan"), float("nan"))
    p.write_bytes(bytes(b))
    p = note("dbf_garbage.shp", "a .dbf of garbage bytes"); _copy_shp(good, p)
    p.with_suffix(".dbf").write_bytes(GARBAGE[:300])
    p = note("shx_garbage.shp", "a .shx of garbage bytes"); _copy_shp(good, p)
    p.with_suffix(".shx").write_bytes(GARBAGE[:300])
    p = note("cut_chinese_fields.shp", "Chinese field names cut at 10 bytes mid-character")
    _shp(p, encoding="gbk", fields={"网格编码": ["a1", "a2", "a3"], "所属社区名": ["x", "y", "z"]})
    dbf = bytearray(p.with_suffix(".dbf").read_bytes())
    # field descriptors start at 32, 32 bytes each, name in the first 11 (NUL padded)
    for k, name in enumerate(("网格编码名称".encode("gbk")[:10], "所属社区名称".encode("utf-8")[:10])):
        off = 32 + 32 * k
        dbf[off:off + 11] = name.ljust(11, b"\0")
    p.with_suffix(".dbf").write_bytes(bytes(dbf))
    p.with_suffix(".cpg").unlink(missing_ok=True)
    p = note("zero_features.shp", "a shapefile with no features")
    import geopandas as gpd
    gpd.GeoDataFrame({"code": []}, geometry=[], crs=4547).to_file(p, engine="pyogrio", geometry_type="Polygon")

    # ---------------------------------------------------------------- GeoJSON / KML / DXF / tables
    note("garbage.geojson", "not JSON").write_bytes(GARBAGE[:500])
    good_json = json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"code": "1"},
         "geometry": {"type": "Polygon", "coordinates": [[[113.9, 22.5], [113.91, 22.5], [113.91, 22.51],
                                                          [113.9, 22.5]]]}}]})
    note("truncated.geojson", "JSON cut in the middle").write_text(good_json[:70])
    note("empty.geojson", "0 bytes").write_bytes(b"")
    note("no_features.geojson", "an empty FeatureCollection").write_text(
        '{"type": "FeatureCollection", "features": []}')
    note("string_coords.geojson", "coordinates given as strings").write_text(
        good_json.replace("113.9, 22.5]", '"113.9", "22.5"]'))
    note("null_geometry.geojson", "every geometry null").write_text(
        '{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {"code": "1"}, '
        '"geometry": null}]}')
    note("lines_only.geojson", "only lines").write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {}, "geometry": {"type": "LineString",
                                                           "coordinates": [[113.9, 22.5], [114, 22.6]]}}]}))
    note("garbage.kml", "not XML").write_bytes(GARBAGE[:500])
    note("truncated.kml", "KML cut in the middle").write_text(
        '<?xml version="1.0"?><kml xmlns="http://www.opengis.net/kml/2.2"><Document><Placemark><Polygon>')
    note("garbage.dxf", "a .dxf of garbage bytes").write_bytes(GARBAGE[:800])
    note("truncated.dxf", "DXF cut after its header").write_text("0\nSECTION\n2\nHEADER\n9\n$ACADVER\n1\nAC10")
    note("empty.dxf", "0 bytes").write_bytes(b"")
    note("garbage.csv", "a .csv of binary garbage").write_bytes(GARBAGE[:600])
    note("empty.csv", "0 bytes").write_bytes(b"")
    note("garbage.xlsx", "an .xlsx that is not a zip").write_bytes(GARBAGE[:600])

    # ---------------------------------------------------------------- archives
    note("garbage.zip", "not a zip").write_bytes(GARBAGE[:600])
    with zipfile.ZipFile(note("empty.zip", "a zip with nothing in it"), "w"):
        pass
    with zipfile.ZipFile(note("no_shapefile.zip", "a zip holding only a text file"), "w") as z:
        z.writestr("readme.txt", "nothing here")
    with zipfile.ZipFile(note("zip_slip.zip", "a member path escaping the folder"), "w") as z:
        z.writestr("../../evil.shp", GARBAGE[:200])
    with zipfile.ZipFile(note("half_shapefile.zip", "a zip with a .shp but no .dbf/.shx"), "w") as z:
        z.write(good, "grids.shp")

    # ---------------------------------------------------------------- GeoPackages and plans
    note("garbage.gpkg", "a .gpkg of garbage bytes").write_bytes(GARBAGE)
    note("empty.gpkg", "0 bytes").write_bytes(b"")
    note("text.gpkg", "a text file named .gpkg").write_text("hello\n")
    sample = _sample_plan(base_dir)
    note("truncated_plan.gpkg", "a plan cut at 8 KiB").write_bytes(sample.read_bytes()[:8192])
    p = note("newer_format.gpkg", "settings claim format 99"); shutil.copy(sample, p)
    _sql(p, "UPDATE settings SET value='99' WHERE key='format_version'")
    p = note("format_not_number.gpkg", "settings format_version is text"); shutil.copy(sample, p)
    _sql(p, "UPDATE settings SET value='two' WHERE key='format_version'")
    p = note("no_crs_plan.gpkg", "a plan with no CRS at all"); shutil.copy(sample, p)
    _sql(p, "DELETE FROM settings WHERE key='crs'",
         "UPDATE gpkg_geometry_columns SET srs_id=0", "UPDATE gpkg_contents SET srs_id=0")
    p = note("garbage_crs_plan.gpkg", "a plan whose CRS is a 300-digit number"); shutil.copy(sample, p)
    _sql(p, "UPDATE settings SET value='" + "9" * 300 + "' WHERE key='crs'")
    p = note("other_application.gpkg", "settings.application is another program"); shutil.copy(sample, p)
    _sql(p, "UPDATE settings SET value='qgis' WHERE key='application'")
    p = note("no_levels_plan.gpkg", "a plan without its levels table"); shutil.copy(sample, p)
    _sql(p, "DROP TABLE levels", "DELETE FROM gpkg_contents WHERE table_name='levels'")
    p = note("no_grids_plan.gpkg", "a plan with no grids layer"); shutil.copy(sample, p)
    _sql(p, "DROP TABLE grids", "DELETE FROM gpkg_contents WHERE table_name='grids'",
         "DELETE FROM gpkg_geometry_columns WHERE table_name='grids'")

    # ---------------------------------------------------------------- other
    note("unknown.xyz", "an unknown format").write_bytes(GARBAGE[:100])
    (out / "empty_folder").mkdir(exist_ok=True)
    made["empty_folder"] = "an empty folder"
    return made


def _sample_plan(folder: Path) -> Path:
    """A small valid plan (two levels, three grids) written with gridmap itself."""
    from gridmap.core.plan import Plan

    path = folder / "plan.gpkg"
    if not path.exists():
        plan = Plan.new("坏文件测试", crs="EPSG:4547", admin_code="440306", levels="two")
        from shapely import box

        large = plan.add_grid(box(500_000, 2_500_000, 500_300, 2_500_100), level="large", code="440306001000",
                              name="大网格")
        for i in range(3):
            plan.add_grid(box(500_000 + 100 * i, 2_500_000, 500_100 + 100 * i, 2_500_100), level="small",
                          code=f"44030600100{i + 1}", name=f"小网格{i}", parent=large)
        from gridmap.core.storage import save_plan

        save_plan(plan, path)
    return path


def _sql(path: Path, *statements: str) -> None:
    con = sqlite3.connect(path)
    try:
        for s in statements:
            con.execute(s)
        con.commit()
    finally:
        con.close()


if __name__ == "__main__":
    for name, why in make(Path(sys.argv[1] if len(sys.argv) > 1 else "badfiles")).items():
        print(f"{name}: {why}")
