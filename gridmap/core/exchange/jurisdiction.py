"""Picking a plan's jurisdiction (辖区) from a boundary file: the features'
names, administrative codes and parents, a search over them, and a warning
when lon/lat coordinates without a declared CRS are probably GCJ-02 or BD-09.

A planner starts a plan from the county boundary they were given — often an
Amap (高德) district download: UTF-8 text without a .cpg, no .prj, GCJ-02
coordinates.  The text encoding and CRS are detected by
:mod:`gridmap.core.exchange.readers` (the same detection as the import
dialog); this module adds what a jurisdiction picker needs.

>>> import geopandas as gpd, shapely
>>> df = gpd.GeoDataFrame({"name": ["翁源县", "始兴县"], "adcode": [440229, 440222], "ctname": ["韶关市"] * 2},
...                       geometry=[shapely.box(0, 0, 1, 1)] * 2)
>>> feats = boundary_features(df)
>>> [(f.name, f.adcode, f.parent) for f in feats]
[('翁源县', '440229', '韶关市'), ('始兴县', '440222', '韶关市')]
>>> [f.name for f in search(feats, "翁源")], [f.name for f in search(feats, "440222")]
(['翁源县'], ['始兴县'])
>>> suspect_shifted_datum(["name", "adcode", "citycode", "centerlng"], declared=False, lonlat_in_china=True)
'gcj02'
>>> suspect_shifted_datum(["name", "adcode"], declared=True, lonlat_in_china=True) is None
True
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["BoundaryFeature", "boundary_features", "search", "suspect_shifted_datum", "county_code"]

_NAME_FIELDS = ("name", "NAME", "名称", "Name", "XZQMC", "COUNTY", "县名", "区县", "VILLAGENAM", "TOWNNAME")
_CODE_FIELDS = ("adcode", "ADCODE", "code", "CODE", "行政区划代码", "区划代码", "XZQDM", "PAC", "GB")
_PARENT_FIELDS = ("ctname", "city", "CITY", "市", "所属市", "COUNTYNAME", "prname")

# Field names of Amap's district API downloads (GCJ-02) and of Baidu exports (BD-09).
_AMAP = {"adcode", "citycode", "center", "centerlng", "centerlat", "centroid", "ctadcode", "ctcenterln",
         "amap", "gaode", "gd_id"}
_BAIDU = {"bd09", "bd_lng", "bd_lat", "baidu", "bmap"}


@dataclass(frozen=True)
class BoundaryFeature:
    """One polygon of a boundary file, as a picker lists it."""

    index: int          # row in the file's polygons
    name: str
    adcode: str         # a 6-digit GB/T 2260 code when the file has one, else ""
    parent: str

    @property
    def label(self) -> str:
        """What the picker shows: ``翁源县 440229 · 韶关市``."""
        parts = [self.name or str(self.index + 1)]
        if self.adcode:
            parts.append(self.adcode)
        text = " ".join(parts)
        return f"{text} · {self.parent}" if self.parent and self.parent != self.name else text


def _first(columns, candidates) -> str | None:
    cols = list(columns)
    for c in candidates:
        if c in cols:
            return c
    low = {str(c).lower(): c for c in cols}
    for c in candidates:
        if c.lower() in low:
            return low[c.lower()]
    return None


def _text(v) -> str:
    if v is None:
        return ""
    if isinstance(v, float):
        if v != v:
            return ""
        if v.is_integer():
            v = int(v)
    return str(v).strip()


def county_code(value) -> str:
    """The 6-digit county code (GB/T 2260) in an administrative code, or "".

    >>> county_code(440229), county_code("440229000000"), county_code("4402"), county_code(None)
    ('440229', '440229', '', '')
    """
    text = _text(value)
    if re.fullmatch(r"\d{6}(\d{3}(\d{3})?)?", text):
        return text[:6]
    return ""


def boundary_features(df) -> list[BoundaryFeature]:
    """Name, administrative code and parent of every row of ``df`` (a frame of polygons)."""
    name_col = _first(df.columns, _NAME_FIELDS)
    code_col = _first(df.columns, _CODE_FIELDS)
    parent_col = _first(df.columns, _PARENT_FIELDS)
    out = []
    for i in range(len(df)):
        row = df.iloc[i]
        out.append(BoundaryFeature(
            index=i,
            name=_text(row[name_col]) if name_col else "",
            adcode=county_code(row[code_col]) if code_col else "",
            parent=_text(row[parent_col]) if parent_col else ""))
    return out


def search(features: list[BoundaryFeature], text: str) -> list[BoundaryFeature]:
    """The features whose name, code or parent contains ``text`` (all when empty);
    exact code and name matches first."""
    q = text.strip()
    if not q:
        return list(features)
    hits = [f for f in features if q in f.name or q in f.adcode or q in f.parent]
    return sorted(hits, key=lambda f: (f.adcode != q and f.name != q, q not in f.name, f.index))


def suspect_shifted_datum(fields, declared: bool, lonlat_in_china: bool) -> str | None:
    """``"gcj02"`` or ``"bd09"`` when a file's coordinates are probably shifted:
    lon/lat in China, no CRS declared by the file, and field names typical of
    Amap/Tencent (GCJ-02) or Baidu (BD-09) downloads; otherwise None."""
    if declared or not lonlat_in_china:
        return None
    names = {str(f).lower() for f in fields}
    if names & _BAIDU:
        return "bd09"
    if names & _AMAP:
        return "gcj02"
    return None
