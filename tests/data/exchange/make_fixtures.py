"""Make the exchange test fixtures from the real data in ../shared/data (see README.md here).

Run from the repository root:  .venv/bin/python tests/data/exchange/make_fixtures.py [SHARED_DATA]

Every fixture is written by GDAL (pyogrio) or ezdxf from real third-party data,
only re-encoded, reprojected or simplified as described in README.md.
"""

from __future__ import annotations

import shutil
import sys
import zipfile
from pathlib import Path

import ezdxf
import geopandas as gpd
import pandas as pd
import pyogrio
import shapely

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[2]


def shared() -> Path:
    if len(sys.argv) > 1:
        return Path(sys.argv[1])
    return REPO.parent / "shared" / "data"


def remove(stem: str) -> None:
    for p in HERE.glob(stem + ".*"):
        p.unlink()


def shaoguan(data: Path) -> gpd.GeoDataFrame:
    """The 10 counties of 韶关市 (incl. 翁源县 440229), GCJ-02 → WGS84 with the iterative inverse."""
    from gridmap.core.gcj02 import transform_geometry

    gd = pyogrio.read_dataframe(data / "cn-counties-gcj02" / "guangdong_districts.shp", encoding="utf-8")
    sg = gd[gd["ctname"] == "韶关市"][["name", "adcode", "ctname", "level", "geometry"]].copy()
    sg = sg.set_geometry(transform_geometry(sg.geometry.values, "gcj02", "wgs84"), crs=4490)
    sg = sg.to_crs(4547)
    sg = sg.set_geometry(shapely.simplify(sg.geometry.values, 30.0, preserve_topology=True))
    return sg.reset_index(drop=True)


def luodong(data: Path) -> gpd.GeoDataFrame:
    """The 25 villages (里) of 宜蘭縣羅東鎮, WGS84."""
    tw = pyogrio.read_dataframe(data / "taiwan-villages" / "twVillage1982.topo.json")
    sub = tw[tw["TOWNNAME"] == "羅東鎮"][["VILLAGEID", "COUNTYNAME", "TOWNNAME", "VILLAGENAM", "geometry"]]
    return gpd.GeoDataFrame(sub.reset_index(drop=True), geometry="geometry", crs=4326)


# A .prj as written by Chinese GIS software other than ArcGIS: its own names,
# which PROJ parses but cannot match to an EPSG code.
VENDOR_PRJ_4547 = (
    'PROJCS["CGCS2000_GK_CM_114",GEOGCS["GCS_CGCS2000",DATUM["D_CGCS2000",'
    'SPHEROID["CGCS2000",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],'
    'UNIT["Degree",0.0174532925199433]],PROJECTION["Gauss_Kruger"],'
    'PARAMETER["False_Easting",500000.0],PARAMETER["False_Northing",0.0],'
    'PARAMETER["Central_Meridian",114.0],PARAMETER["Scale_Factor",1.0],'
    'PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]')


def main() -> None:
    from gridmap.core.exchange.prj import esri_wkt

    data = shared()
    sg = shaoguan(data)
    lu = luodong(data)

    # 1. GBK shapefile without .cpg, vendor-named Gauss-Krüger .prj
    remove("shaoguan_gbk")
    pyogrio.write_dataframe(sg, HERE / "shaoguan_gbk.shp", encoding="CP936")
    (HERE / "shaoguan_gbk.cpg").unlink()
    with open(HERE / "shaoguan_gbk.dbf", "r+b") as f:   # no language driver id either
        f.seek(29)
        f.write(b"\0")
    (HERE / "shaoguan_gbk.prj").write_text(VENDOR_PRJ_4547, encoding="ascii")

    # 2. same counties, 3° zone 38 with the zone number in the easting, UTF-8 with .cpg, no .prj
    remove("shaoguan_gk38")
    pyogrio.write_dataframe(sg.to_crs(4526), HERE / "shaoguan_gk38.shp", encoding="UTF-8")
    (HERE / "shaoguan_gk38.prj").unlink()

    # 3. Big5 shapefile without .cpg, Esri WKT .prj (WGS84)
    remove("luodong_big5")
    pyogrio.write_dataframe(lu, HERE / "luodong_big5.shp", encoding="CP950")
    (HERE / "luodong_big5.cpg").unlink()
    with open(HERE / "luodong_big5.dbf", "r+b") as f:
        f.seek(29)
        f.write(b"\0")
    (HERE / "luodong_big5.prj").write_text(esri_wkt(4326), encoding="ascii")

    # 4. zipped shapefile (in a sub-folder, as people zip folders) and a malicious zip
    with zipfile.ZipFile(HERE / "shaoguan_gbk.zip", "w", zipfile.ZIP_DEFLATED) as zf:
        for p in sorted(HERE.glob("shaoguan_gbk.*")):
            if p.suffix != ".zip":
                zf.write(p, f"shaoguan/{p.name}")
    with zipfile.ZipFile(HERE / "zip_slip.zip", "w") as zf:
        for p in sorted(HERE.glob("luodong_big5.*")):
            zf.write(p, f"../{p.name}")

    # 5. KML and KMZ written by GDAL
    for p in HERE.glob("luodong.km*"):
        p.unlink()
    pyogrio.write_dataframe(lu, HERE / "luodong.kml", driver="KML", layer="羅東鎮",
                            dataset_options={"NameField": "VILLAGENAM"})
    with zipfile.ZipFile(HERE / "luodong.kmz", "w", zipfile.ZIP_DEFLATED) as zf:
        zf.write(HERE / "luodong.kml", "doc.kml")

    # 6. DXF as CAD users send it: closed polylines on a named layer, names as texts, TWD97 metres
    tw97 = lu.to_crs(3826)
    doc = ezdxf.new("R2000")
    doc.encoding = "gbk"
    msp = doc.modelspace()
    for layer in ("村里", "村里_name", "道路"):
        doc.layers.add(layer)
    for name, geom in zip(tw97["VILLAGENAM"], tw97.geometry):
        polys = getattr(geom, "geoms", [geom])
        for poly in polys:
            msp.add_lwpolyline(list(poly.exterior.coords)[:-1], close=True, dxfattribs={"layer": "村里"})
        pt = shapely.point_on_surface(max(polys, key=lambda g: g.area))
        msp.add_text(name, dxfattribs={"layer": "村里_name", "height": 20}).set_placement((pt.x, pt.y))
    b = tw97.total_bounds
    msp.add_line((b[0], b[1]), (b[2], b[3]), dxfattribs={"layer": "道路"})   # an open line, skipped
    doc.saveas(HERE / "luodong.dxf")

    # 7. tables: village centroids as x/y CSV (GBK, as Excel on Chinese Windows saves), polygons as WKT in XLSX
    pts = lu.copy()
    c = shapely.point_on_surface(pts.geometry.values)
    pd.DataFrame({"村里代码": pts["VILLAGEID"], "名称": pts["VILLAGENAM"], "经度": shapely.get_x(c).round(7),
                  "纬度": shapely.get_y(c).round(7)}).to_csv(HERE / "luodong_points.csv", index=False,
                                                              encoding="gb18030")
    pd.DataFrame({"code": sg["adcode"], "name": sg["name"],
                  "wkt": shapely.to_wkt(sg.geometry.values, rounding_precision=2)}).to_excel(
        HERE / "shaoguan_wkt.xlsx", index=False)
    shutil.rmtree(HERE / "__pycache__", ignore_errors=True)


if __name__ == "__main__":
    main()
