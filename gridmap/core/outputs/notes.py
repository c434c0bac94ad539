"""The notes printed under every official map: the CRS in the words Chinese
surveying uses, and the data sources once, without repository names or
commit hashes (those belong in the project's attribution file).

>>> crs_note("EPSG:4547")
'2000国家大地坐标系 高斯-克吕格投影 3度带 中央经线114°'
>>> crs_note("EPSG:4326"), crs_note("EPSG:4490")
('WGS 84 地理坐标（经纬度）', '2000国家大地坐标系 地理坐标（经纬度）')
>>> crs_note("EPSG:32650")
'WGS 84 UTM投影 第50带 中央经线117°'
>>> clean_source("© OpenStreetMap contributors, ODbL 1.0 (via YUECHENCUI/baoan-chuangye-3d 99a80b6)")
'© OpenStreetMap contributors, ODbL 1.0'
>>> clean_source("GaryBikini/ChinaAdminDivisonSHP 776a2f1 (MIT), GCJ-02 corrected")
'开源行政区划数据（MIT），GCJ-02 已纠偏'
"""

from __future__ import annotations

import re

__all__ = ["crs_note", "clean_source", "source_notes", "SOURCE_KINDS"]

_DATUMS = (("China 2000", "2000国家大地坐标系"), ("China Geodetic Coordinate System 2000", "2000国家大地坐标系"),
           ("CGCS2000", "2000国家大地坐标系"), ("Xian 1980", "1980西安坐标系"), ("Xi'an 1980", "1980西安坐标系"),
           ("Beijing 1954", "1954北京坐标系"), ("New Beijing", "新1954北京坐标系"), ("WGS 84", "WGS 84"),
           ("World Geodetic System 1984", "WGS 84"))

# plan setting ``source.<kind>`` → what the kind is called on a map
SOURCE_KINDS = {"roads": "道路", "district": "区界", "boundary": "行政区界", "jurisdiction": "辖区界线",
                "buildings": "建筑", "places": "场所", "imagery": "影像", "basemap": "底图", "grids": "网格"}


def crs_note(crs) -> str:
    """The CRS as a Chinese map note, derived from the CRS itself."""
    from pyproj import CRS

    crs = CRS.from_user_input(crs)
    name = crs.name or ""
    datum_name = crs.datum.name if crs.datum is not None else ""
    datum = next((zh for en, zh in _DATUMS if en.lower() in (datum_name + " " + name).lower()), datum_name or name)
    if not crs.is_projected:
        return f"{datum} 地理坐标（经纬度）"
    method = crs.coordinate_operation.method_name if crs.coordinate_operation else ""
    params = {p.name: p.value for p in crs.coordinate_operation.params} if crs.coordinate_operation else {}
    cm = params.get("Longitude of natural origin", params.get("Longitude of origin"))
    cm_text = f"中央经线{cm:g}°" if cm is not None else ""
    if "UTM" in name.upper():
        m = re.search(r"zone (\d+)([NS]?)", name, re.I)
        zone = f" 第{m.group(1)}带" if m else ""
        return f"{datum} UTM投影{zone} {cm_text}".strip()
    if "transverse mercator" in method.lower() or "gauss" in name.lower():
        width = "6度带" if re.search(r"6-degree|6 degree", name, re.I) else "3度带" \
            if re.search(r"3-degree|3 degree", name, re.I) else ("3度带" if cm is not None and cm % 6 != 3 else "6度带")
        return f"{datum} 高斯-克吕格投影 {width} {cm_text}".strip()
    return f"{datum} {name}".strip()


_REPO = re.compile(r"\b[A-Za-z0-9][\w.-]*/[A-Za-z0-9][\w.-]*\b")
_HASH = re.compile(r"\b[0-9a-f]{7,40}\b")
_VIA = re.compile(r"\s*[（(]\s*via\b[^)）]*[)）]", re.I)


def clean_source(text: str) -> str:
    """A data credit without repository names and commit hashes."""
    text = str(text)
    text = _VIA.sub("", text)
    had_repo = bool(_REPO.search(text.replace("GCJ-02", "")))
    text = _REPO.sub("", text)
    text = _HASH.sub("", text)
    text = re.sub(r"\bcorrected\b", "已纠偏", text)
    text = re.sub(r"\s*\(([^)]*)\)", r"（\1）", text)
    text = re.sub(r"\s+", " ", text).strip(" ,;，；")
    text = re.sub(r"^[（(]", "（", text)
    if had_repo and "©" not in text:
        text = "开源行政区划数据" + text
    return text.replace("）, ", "），").replace("） ,", "），")


def source_notes(plan_settings: dict, fallback: list[str] | None = None) -> list[str]:
    """Each data source once: ``kind：credit`` from the plan's ``source.*`` settings
    (else ``fallback``), cleaned by :func:`clean_source`."""
    out = []
    for k, v in plan_settings.items():
        if str(k).startswith("source.") and v:
            kind = SOURCE_KINDS.get(str(k)[7:], "")
            text = clean_source(v)
            out.append(f"{kind}：{text}" if kind else text)
    if not out:
        out = [clean_source(v) for v in fallback or []]
    return list(dict.fromkeys(x for x in out if x))
