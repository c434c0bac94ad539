"""CRS recognition for exchanged files: Esri WKT ↔ EPSG, and guesses for files without .prj.

Chinese GIS data is mostly in CGCS2000, Beijing 1954 or Xian 1980 geographic
coordinates or in one of their Gauss-Krüger zones (3° or 6° wide, the easting
with or without the zone number in front).  ArcGIS writes these as Esri WKT
(``PROJCS["CGCS2000_3_Degree_GK_CM_114E", ...]``); other programs write their
own names (``"CGCS2000_GK_114"``) that PROJ parses but cannot match to an
EPSG code.  :func:`identify_crs` recognises them by name and, failing that,
by their parameters; :func:`esri_wkt` writes the Esri dialect that ArcGIS and
QGIS both read.

>>> identify_crs('PROJCS["Xian_1980_3_Degree_GK_Zone_38",GEOGCS["GCS_Xian_1980",'
...              'DATUM["D_Xian_1980",SPHEROID["Xian_1980",6378140.0,298.257]],'
...              'PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],'
...              'PROJECTION["Gauss_Kruger"],PARAMETER["False_Easting",38500000.0],'
...              'PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",114.0],'
...              'PARAMETER["Scale_Factor",1.0],PARAMETER["Latitude_Of_Origin",0.0],'
...              'UNIT["Meter",1.0]]').to_epsg()
2362
>>> esri_wkt("EPSG:4547")[:38]
'PROJCS["CGCS2000_3_Degree_GK_CM_114E",'
>>> guess_crs((38_420_000, 2_480_000, 38_440_000, 2_500_000)).crs.to_epsg()
4526
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from pyproj import CRS, Transformer
from pyproj.exceptions import CRSError

from ..messages import bi, detail
from . import ExchangeError

__all__ = [
    "esri_wkt",
    "identify_crs",
    "read_prj",
    "gk_epsg",
    "parse_crs_option",
    "CrsGuess",
    "guess_crs",
    "check_coordinates",
    "SHIFTED",
]

# Declared source "CRSs" that are offsets of WGS84 lon/lat, not real CRSs.
SHIFTED = {"gcj02": "GCJ-02 (火星坐标, Amap/Tencent)", "bd09": "BD-09 (Baidu)"}

_DATUMS = ("CGCS2000", "Beijing 1954", "Xian 1980", "New Beijing")
_GEOGRAPHIC = {"CGCS2000": 4490, "Beijing 1954": 4214, "Xian 1980": 4610, "New Beijing": 4555}


@lru_cache(maxsize=1)
def _gk_table() -> dict[tuple[str, int, str, int], int]:
    """(datum, width 3|6, "zone"|"cm", number) → EPSG, read from the PROJ database."""
    from pyproj.database import query_crs_info
    from pyproj.enums import PJType

    pat = re.compile(r"^(CGCS2000|Beijing 1954|Xian 1980|New Beijing) / (3-degree )?"
                     r"Gauss-Kruger (?:zone (\d+)|CM (\d+)E)$")
    table = {}
    for info in query_crs_info(auth_name="EPSG", pj_types=[PJType.PROJECTED_CRS]):
        m = pat.match(info.name)
        if m:
            width = 3 if m.group(2) else 6
            key = (m.group(1), width, "zone", int(m.group(3))) if m.group(3) else \
                (m.group(1), width, "cm", int(m.group(4)))
            table[key] = int(info.code)
    return table


def gk_epsg(datum: str, width: int, zone: int | None = None, cm: int | None = None) -> int | None:
    """EPSG code of a Gauss-Krüger zone, or None if there is no such zone.

    >>> gk_epsg("CGCS2000", 3, cm=114), gk_epsg("Beijing 1954", 6, zone=20), gk_epsg("Xian 1980", 3, zone=38)
    (4547, 21420, 2362)
    """
    if zone is not None:
        return _gk_table().get((datum, int(width), "zone", int(zone)))
    if cm is not None:
        return _gk_table().get((datum, int(width), "cm", int(cm)))
    return None


def esri_wkt(crs) -> str:
    """The CRS as Esri WKT (the .prj dialect ArcGIS and QGIS both read).

    >>> esri_wkt("EPSG:4490")[:52]
    'GEOGCS["GCS_China_Geodetic_Coordinate_System_2000",D'
    """
    crs = CRS.from_user_input(crs)
    try:
        return crs.to_wkt("WKT1_ESRI")
    except CRSError:  # pragma: no cover - every CRS gridmap writes has an Esri form
        return crs.to_wkt("WKT1_GDAL")


def _norm(text: str) -> str:
    return re.sub(r"[^0-9a-z]+", " ", text.lower()).strip()


def _datum_of_name(name: str) -> str | None:
    n = _norm(name)
    if re.search(r"new beijing", n):
        return "New Beijing"
    if re.search(r"cgcs ?2000|china 2000|china geodetic coordinate system 2000|\bcgcs\b|2000", n):
        return "CGCS2000"
    if re.search(r"beijing ?1954|beijing ?54|\bbj ?54\b|\b1954\b", n):
        return "Beijing 1954"
    if re.search(r"xi ?an ?1980|xian ?80|\bxa ?80\b|\b1980\b", n):
        return "Xian 1980"
    return None


def _datum_of(crs: CRS) -> str | None:
    geod = crs.geodetic_crs
    for text in (geod.datum.name if geod else "", geod.name if geod else "", crs.name):
        d = _datum_of_name(text or "")
        if d:
            return d
    ell = crs.ellipsoid
    if ell is not None:
        a, rf = ell.semi_major_metre, ell.inverse_flattening
        if abs(a - 6378137.0) < 0.01 and abs(rf - 298.257222101) < 1e-6:
            return "CGCS2000"
        if abs(a - 6378245.0) < 0.01:
            return "Beijing 1954"
        if abs(a - 6378140.0) < 0.01:
            return "Xian 1980"
    return None


def _by_name(crs: CRS) -> int | None:
    n = _norm(crs.name)
    datum = _datum_of_name(crs.name) or _datum_of(crs)
    if datum is None or not re.search(r"\bgk\b|gauss|kruger|\bgauss kruger\b", n):
        return None
    width = 3 if re.search(r"\b3 degree\b|\b3 deg\b|3degree|\b3du\b", n) else 6
    m = re.search(r"zone (\d+)", n)
    if m:
        return gk_epsg(datum, width, zone=int(m.group(1)))
    m = re.search(r"\bcm (\d+) ?e?\b", n)
    if m:
        return gk_epsg(datum, width, cm=int(m.group(1)))
    return None


def _by_parameters(crs: CRS) -> int | None:
    op = crs.coordinate_operation
    if op is None or "transverse mercator" not in op.method_name.lower() and "gauss" not in op.method_name.lower():
        return None
    p = {x.name.lower(): x.value for x in op.params}
    lon0 = p.get("longitude of natural origin")
    fe = p.get("false easting", 0.0)
    if lon0 is None or abs(p.get("scale factor at natural origin", 1.0) - 1.0) > 1e-9 \
            or abs(p.get("latitude of natural origin", 0.0)) > 1e-9 or abs(p.get("false northing", 0.0)) > 1e-6:
        return None
    unit = crs.axis_info[0].unit_name if crs.axis_info else "metre"
    if unit not in ("metre", "meter"):
        return None
    datum = _datum_of(crs)
    if datum is None:
        return None
    if abs(fe - 500000.0) < 1e-6 and abs(lon0 - round(lon0)) < 1e-9:
        cm = int(round(lon0))
        return gk_epsg(datum, 3, cm=cm) if cm % 3 == 0 else None
    zone, rest = divmod(fe, 1_000_000.0)
    if abs(rest - 500000.0) < 1e-6:
        zone = int(zone)
        if abs(lon0 - 3 * zone) < 1e-9:
            return gk_epsg(datum, 3, zone=zone)
        if abs(lon0 - (6 * zone - 3)) < 1e-9:
            return gk_epsg(datum, 6, zone=zone)
    return None


def identify_crs(text: str) -> CRS:
    """A CRS from EPSG text, WKT (any dialect) or a PROJ string, with its EPSG
    code found where one matches — also for Esri and vendor names of Chinese
    Gauss-Krüger zones that PROJ leaves unidentified.

    >>> identify_crs("EPSG:4547").to_epsg()
    4547
    >>> identify_crs('GEOGCS["GCS_China_Geodetic_Coordinate_System_2000",DATUM["D_China_2000",'
    ...              'SPHEROID["CGCS2000",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],'
    ...              'UNIT["Degree",0.0174532925199433]]').to_epsg()
    4490
    """
    text = (text or "").strip().lstrip("\ufeff")
    if not text:
        raise ExchangeError(bi("坐标系定义为空", "empty CRS definition"))
    try:
        crs = CRS.from_user_input(text)
    except CRSError as exc:
        raise ExchangeError(bi("不是 PROJ 能识别的坐标系定义", "not a CRS definition PROJ can read")
                            + f" ({detail(str(exc).splitlines()[0])})") from exc
    code = crs.to_epsg()
    if code is None and crs.is_projected:
        code = _by_name(crs) or _by_parameters(crs)
    if code is None and crs.is_geographic:
        d = _datum_of(crs)
        if d and abs(crs.prime_meridian.longitude) < 1e-12:
            code = _GEOGRAPHIC[d]
    return CRS.from_epsg(code) if code else crs


def read_prj(path) -> CRS:
    """The CRS of a .prj file (see :func:`identify_crs`); the error names the file."""
    path = Path(path)
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("latin-1")
    try:
        return identify_crs(text)
    except ExchangeError as exc:
        raise ExchangeError(f"{path}: {exc}") from exc


def parse_crs_option(text: str) -> CRS | str:
    """A ``--crs`` value: an EPSG/WKT/PROJ CRS, or ``"gcj02"``/``"bd09"`` (shifted lon/lat).

    >>> parse_crs_option("GCJ-02"), parse_crs_option("epsg:4490").to_epsg()
    ('gcj02', 4490)
    """
    key = re.sub(r"[^0-9a-z]", "", str(text).lower())
    if key in SHIFTED:
        return key
    if key.isdigit():
        text = f"EPSG:{key}"
    return identify_crs(text)


@dataclass
class CrsGuess:
    """A CRS proposed for a file with no .prj: ``crs`` is the best guess (None
    if the coordinates do not say enough); ``candidates`` are alternatives the
    user may choose; ``reason`` explains the guess in one sentence."""

    crs: CRS | None
    reason_en: str
    candidates: list[str] = field(default_factory=list)
    reason_zh: str = ""

    @property
    def reason(self) -> str:
        """The reason in Chinese and English (the language setting decides which comes first)."""
        return bi(self.reason_zh, self.reason_en) if self.reason_zh else self.reason_en


def _in_china(x0, y0, x1, y1) -> bool:
    return x0 >= 72 and x1 <= 137 and y0 >= 0 and y1 <= 56


def _regional_grid(x0, y0, x1, y1) -> CrsGuess | None:
    """Hong Kong 1980 Grid or Macau Grid for metre coordinates in their (small, distinctive) ranges:
    no Chinese Gauss-Krüger zone has northings below 1 900 000 m."""
    if 790_000 <= x0 and x1 <= 880_000 and 790_000 <= y0 and y1 <= 850_000:
        return CrsGuess(CRS.from_epsg(2326), f"eastings {x0:.0f}…{x1:.0f}, northings {y0:.0f}…{y1:.0f} fit the "
                                             "Hong Kong 1980 Grid (EPSG:2326), assumed", ["EPSG:2326"],
                        f"东坐标 {x0:.0f}…{x1:.0f}、北坐标 {y0:.0f}…{y1:.0f} 符合香港 1980 方格网（EPSG:2326），按此假定")
    if 5_000 <= x0 and x1 <= 35_000 and 5_000 <= y0 and y1 <= 35_000:
        return CrsGuess(CRS.from_epsg(8433), f"eastings {x0:.0f}…{x1:.0f}, northings {y0:.0f}…{y1:.0f} fit the "
                                             "Macau Grid (EPSG:8433), assumed; check with the data's source",
                        ["EPSG:8433"],
                        f"东坐标 {x0:.0f}…{x1:.0f}、北坐标 {y0:.0f}…{y1:.0f} 符合澳门坐标网（EPSG:8433），按此假定；"
                        "请向数据提供方核实")
    return None


def guess_crs(bounds, hint_lon: float | None = None) -> CrsGuess:
    """Guess a CRS from coordinate ranges ``(minx, miny, maxx, maxy)``.

    Geographic degrees in China → CGCS2000 (EPSG:4490); eastings with a zone
    number in front → that 3° (zones 25–45) or 6° (zones 13–23) CGCS2000 zone;
    plain eastings (100 000–900 000 m) need ``hint_lon`` (e.g. the plan's
    longitude) to pick the 3° zone.  The user confirms the guess.

    >>> guess_crs((113.8, 22.5, 114.0, 22.7)).crs.to_epsg()
    4490
    >>> guess_crs((480_000, 2_490_000, 520_000, 2_510_000), hint_lon=113.9).crs.to_epsg()
    4547
    >>> guess_crs((480_000, 2_490_000, 520_000, 2_510_000)).crs is None
    True

    Outside China's zones: Hong Kong 1980 Grid, Macau Grid and (near 121°E) TWD97 are named.

    >>> [guess_crs(b, hint_lon=h).crs.to_epsg() for b, h in (((830_000, 815_000, 840_000, 825_000), None),
    ...     ((18_000, 15_000, 22_000, 20_000), None), ((300_000, 2_760_000, 310_000, 2_770_000), 121.5))]
    [2326, 8433, 3826]
    """
    x0, y0, x1, y1 = (float(v) for v in bounds)
    if not all(map(math.isfinite, (x0, y0, x1, y1))):
        return CrsGuess(None, "the layer has no finite coordinates", [], "图层没有有限的坐标值")
    if -180 <= x0 <= x1 <= 180 and -90 <= y0 <= y1 <= 90:
        if _in_china(x0, y0, x1, y1):
            return CrsGuess(CRS.from_epsg(4490),
                            "coordinates are longitude/latitude degrees in China: CGCS2000 (EPSG:4490) assumed; "
                            "WGS84 differs by centimetres; data from Amap/Tencent is GCJ-02 and from Baidu BD-09 "
                            "(shifted by hundreds of metres)",
                            ["EPSG:4490", "EPSG:4326", "gcj02", "bd09", "EPSG:4214", "EPSG:4610"],
                            "坐标是中国境内的经纬度：按 CGCS2000（EPSG:4490）假定；与 WGS84 只差几厘米；"
                            "高德/腾讯的数据是 GCJ-02，百度的是 BD-09（偏移数百米）")
        return CrsGuess(CRS.from_epsg(4326), "coordinates are longitude/latitude degrees outside China: WGS84 assumed",
                        ["EPSG:4326"], "坐标是中国境外的经纬度：按 WGS84 假定")
    regional = _regional_grid(x0, y0, x1, y1)
    if regional is not None:
        return regional
    if y0 < 0 or y1 > 6_300_000:
        return CrsGuess(None, f"northings {y0:.0f}…{y1:.0f} fit no Gauss-Krüger zone in China", [],
                        f"北坐标 {y0:.0f}…{y1:.0f} 不符合中国的任何高斯-克吕格投影带")
    z0, z1 = int(x0 // 1_000_000), int(x1 // 1_000_000)
    if z0 == z1 and z0 >= 13:
        zone = z0
        width = 3 if 25 <= zone <= 45 else 6 if 13 <= zone <= 23 else None
        if width is None:
            return CrsGuess(None, f"eastings {x0:.0f}…{x1:.0f} start with {zone}, which is no 3° (25–45) "
                                  f"or 6° (13–23) Gauss-Krüger zone number", [],
                            f"东坐标 {x0:.0f}…{x1:.0f} 以 {zone} 开头，不是 3°（25–45）或 6°（13–23）"
                            "高斯-克吕格带号")
        code = gk_epsg("CGCS2000", width, zone=zone)
        alts = [f"EPSG:{gk_epsg(d, width, zone=zone)}" for d in ("CGCS2000", "Xian 1980", "Beijing 1954")]
        return CrsGuess(CRS.from_epsg(code),
                        f"eastings {x0:.0f}…{x1:.0f} carry the zone number {zone}: {width}° Gauss-Krüger zone "
                        f"{zone}, CGCS2000 (EPSG:{code}) assumed; Xian 1980 and Beijing 1954 use the same zones",
                        alts, f"东坐标 {x0:.0f}…{x1:.0f} 带有带号 {zone}：{width}° 高斯-克吕格第 {zone} 带，"
                              f"按 CGCS2000（EPSG:{code}）假定；西安 1980、北京 1954 使用相同的分带")
    if 100_000 <= x0 and x1 <= 900_000:
        cms = list(range(75, 136, 3))
        twd = ["EPSG:3826"] if 150_000 <= x0 and x1 <= 360_000 and 2_400_000 <= y0 and y1 <= 2_800_000 else []
        if hint_lon is None:
            return CrsGuess(None, f"eastings {x0:.0f}…{x1:.0f} have no zone number: the central meridian cannot be "
                                  "read from the coordinates; choose the zone (CGCS2000 3° CM zones are "
                                  "EPSG:4534–4554)" + ("; in Taiwan TWD97 / TM2 (EPSG:3826)" if twd else ""),
                            twd + [f"EPSG:{gk_epsg('CGCS2000', 3, cm=cm)}" for cm in cms],
                            f"东坐标 {x0:.0f}…{x1:.0f} 没有带号：无法从坐标得知中央经线，请选择投影带"
                            "（CGCS2000 3° 带为 EPSG:4534–4554）" + ("；台湾地区为 TWD97 / TM2（EPSG:3826）" if twd else ""))
        cm = min(max(int(round(float(hint_lon) / 3.0)) * 3, 75), 135)
        code = gk_epsg("CGCS2000", 3, cm=cm)
        if twd and 119.5 <= float(hint_lon) <= 122.5:
            return CrsGuess(CRS.from_epsg(3826), f"eastings {x0:.0f}…{x1:.0f}, northings {y0:.0f}…{y1:.0f} near "
                                                 f"{hint_lon:.2f}°E fit Taiwan's grid: TWD97 / TM2 zone 121 "
                                                 "(EPSG:3826) assumed", ["EPSG:3826", f"EPSG:{code}"],
                            f"东坐标 {x0:.0f}…{x1:.0f}、北坐标 {y0:.0f}…{y1:.0f} 在东经 {hint_lon:.2f}° 附近，"
                            "符合台湾的 TWD97 / TM2 121 带（EPSG:3826），按此假定")
        return CrsGuess(CRS.from_epsg(code),
                        f"eastings {x0:.0f}…{x1:.0f} have no zone number; near {hint_lon:.2f}°E the 3° zone is "
                        f"CM {cm}E: CGCS2000 (EPSG:{code}) assumed" + ("; in Taiwan TWD97 (EPSG:3826)" if twd else ""),
                        twd + [f"EPSG:{code}", f"EPSG:{gk_epsg('Xian 1980', 3, cm=cm)}",
                         f"EPSG:{gk_epsg('Beijing 1954', 3, cm=cm)}", f"EPSG:{gk_epsg('CGCS2000', 6, cm=cm)}"
                         if gk_epsg('CGCS2000', 6, cm=cm) else f"EPSG:{code}"],
                        f"东坐标 {x0:.0f}…{x1:.0f} 没有带号；东经 {hint_lon:.2f}° 附近的 3° 带中央经线为 {cm}°E："
                        f"按 CGCS2000（EPSG:{code}）假定" + ("；台湾地区为 TWD97（EPSG:3826）" if twd else ""))
    return CrsGuess(None, f"coordinates {x0:.0f}…{x1:.0f}, {y0:.0f}…{y1:.0f} fit no geographic or "
                          "Gauss-Krüger CRS used in China", [],
                    f"坐标 {x0:.0f}…{x1:.0f}, {y0:.0f}…{y1:.0f} 不符合中国使用的任何经纬度或高斯-克吕格坐标系")


def check_coordinates(bounds, crs) -> str | None:
    """Why coordinates ``(minx, miny, maxx, maxy)`` cannot be in ``crs``, or None if they can.

    >>> "coordinates 113.8…114, 22.5…22.7 look like degrees, but EPSG:4547 (CGCS2000 / 3-degree Gauss-Kruger CM 114E) is in metres" in check_coordinates((113.8, 22.5, 114.0, 22.7), "EPSG:4547")
    True
    >>> check_coordinates((480_000, 2_490_000, 520_000, 2_510_000), "EPSG:4547") is None
    True
    """
    x0, y0, x1, y1 = (float(v) for v in bounds)
    if not all(map(math.isfinite, (x0, y0, x1, y1))):
        return None  # nothing to check (empty layer)
    if isinstance(crs, str) and crs in SHIFTED:
        crs = CRS.from_epsg(4326)
    crs = CRS.from_user_input(crs)
    code = crs.to_string()
    label = f"{code} ({crs.name})" if len(code) < 40 else crs.name
    looks_degrees = -180 <= x0 <= x1 <= 180 and -90 <= y0 <= y1 <= 90
    if crs.is_geographic:
        if not looks_degrees:
            return bi(f"坐标 {x0:g}…{x1:g}, {y0:g}…{y1:g} 不是经纬度，但坐标系 {label} 是地理坐标系",
                      f"coordinates {x0:g}…{x1:g}, {y0:g}…{y1:g} are not longitude/latitude degrees, "
                      f"but {label} is geographic")
        return None
    if looks_degrees and max(abs(x1 - x0), abs(y1 - y0)) < 50:
        return bi(f"坐标 {x0:g}…{x1:g}, {y0:g}…{y1:g} 看起来是经纬度，但坐标系 {label} 以米为单位",
                  f"coordinates {x0:g}…{x1:g}, {y0:g}…{y1:g} look like degrees, but {label} is in metres")
    aou = crs.area_of_use
    if aou is None:
        return None
    t = Transformer.from_crs(crs, crs.geodetic_crs, always_xy=True)
    lon, lat = t.transform([x0, x1, x0, x1], [y0, y0, y1, y1], errcheck=False)
    margin = 3.0
    ok = all(math.isfinite(v) for v in (*lon, *lat)) and \
        min(lon) >= aou.west - margin and max(lon) <= aou.east + margin and \
        min(lat) >= aou.south - margin and max(lat) <= aou.north + margin
    if not ok:
        return bi(f"坐标 {x0:.0f}…{x1:.0f}, {y0:.0f}…{y1:.0f} 超出坐标系 {label} 的适用范围"
                  f"（{aou.west:g}…{aou.east:g}°E, {aou.south:g}…{aou.north:g}°N）",
                  f"coordinates {x0:.0f}…{x1:.0f}, {y0:.0f}…{y1:.0f} lie outside the area of {label} "
                  f"({aou.west:g}…{aou.east:g}°E, {aou.south:g}…{aou.north:g}°N)")
    return None
