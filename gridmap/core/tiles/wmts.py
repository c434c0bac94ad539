"""WMTS GetCapabilities: layers, styles, formats and tile matrix sets, and the tile
requests (KVP or REST) built from them.

Tianditu (天地图) and its intranet mirrors publish two matrix sets: ``w``
(Web Mercator, EPSG:3857) and ``c`` (geographic CGCS2000, EPSG:4490, ``TopLeftCorner``
written latitude first as the EPSG axis order says).  Tianditu's scale denominators
assume 96 dpi pixels (0.0254/96 m) rather than OGC's 0.28 mm: read with 0.28 mm the
``c`` tiles would be 5.8 % too large and drift hundreds of metres off.  The pixel size
is therefore chosen per matrix set as the one that makes the top matrix span the whole
world (360° or the Mercator square); a local matrix set keeps OGC's 0.28 mm.

>>> caps = parse_capabilities(SAMPLE)
>>> [l.ident for l in caps.layers], sorted(caps.matrix_sets)
(['vec'], ['c'])
>>> m = caps.matrix_sets["c"].matrices[0]
>>> m.level, m.width, m.height, round(m.res * 256, 6), m.left, m.top
(1, 2, 1, 180.0, -180.0, 90.0)
>>> kvp_template(caps, "vec", "default", "c", "tiles")[:60]
'http://t0.tianditu.gov.cn/vec_c/wmts?SERVICE=WMTS&REQUEST=Ge'
"""

from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from ..messages import bi
from .grid import MERCATOR_HALF, TileGrid, TileMatrix

__all__ = ["WmtsLayer", "Capabilities", "CapabilitiesError", "parse_capabilities", "kvp_template",
           "rest_template", "build_source", "is_capabilities_url", "capabilities_url"]

NS = {"wmts": "http://www.opengis.net/wmts/1.0", "ows": "http://www.opengis.net/ows/1.1",
      "xlink": "http://www.w3.org/1999/xlink"}
OGC_PIXEL = 0.28e-3
DPI96_PIXEL = 0.0254 / 96
M_PER_DEGREE = 2 * math.pi * 6378137.0 / 360.0

SAMPLE = """<?xml version="1.0" encoding="UTF-8"?>
<Capabilities xmlns="http://www.opengis.net/wmts/1.0" xmlns:ows="http://www.opengis.net/ows/1.1"
 xmlns:xlink="http://www.w3.org/1999/xlink" version="1.0.0">
<ows:OperationsMetadata><ows:Operation name="GetTile"><ows:DCP><ows:HTTP>
<ows:Get xlink:href="http://t0.tianditu.gov.cn/vec_c/wmts?"/></ows:HTTP></ows:DCP></ows:Operation>
</ows:OperationsMetadata>
<Contents><Layer><ows:Title>vec</ows:Title><ows:Identifier>vec</ows:Identifier>
<Style><ows:Identifier>default</ows:Identifier></Style><Format>tiles</Format>
<TileMatrixSetLink><TileMatrixSet>c</TileMatrixSet></TileMatrixSetLink></Layer>
<TileMatrixSet><ows:Identifier>c</ows:Identifier><ows:SupportedCRS>urn:ogc:def:crs:EPSG::4490</ows:SupportedCRS>
<TileMatrix><ows:Identifier>1</ows:Identifier><ScaleDenominator>2.958293554545656E8</ScaleDenominator>
<TopLeftCorner>90.0 -180.0</TopLeftCorner><TileWidth>256</TileWidth><TileHeight>256</TileHeight>
<MatrixWidth>2</MatrixWidth><MatrixHeight>1</MatrixHeight></TileMatrix></TileMatrixSet>
</Contents></Capabilities>"""


class CapabilitiesError(ValueError):
    """Not a WMTS capabilities document (the message is bilingual)."""


@dataclass
class WmtsLayer:
    ident: str
    title: str
    styles: list[str] = field(default_factory=list)
    default_style: str = ""
    formats: list[str] = field(default_factory=list)
    matrix_sets: list[str] = field(default_factory=list)
    resource_urls: list[tuple[str, str]] = field(default_factory=list)   # (format, template)
    bbox_wgs84: tuple | None = None


@dataclass
class Capabilities:
    title: str
    layers: list[WmtsLayer]
    matrix_sets: dict[str, TileGrid]
    kvp_url: str | None

    def layer(self, ident: str) -> WmtsLayer:
        for lay in self.layers:
            if lay.ident == ident:
                return lay
        raise CapabilitiesError(bi(f"服务中没有图层 {ident!r}", f"the service has no layer {ident!r}"))


def is_capabilities_url(url: str) -> bool:
    """Does this URL ask for (or look like) a WMTS capabilities document?

    >>> is_capabilities_url("http://10.1.2.3/vec_c/wmts?request=GetCapabilities&service=wmts")
    True
    >>> is_capabilities_url("http://10.1.2.3/tiles/{z}/{x}/{y}.png")
    False
    """
    low = url.lower()
    return "{z}" not in low and "{x}" not in low and (
        "getcapabilities" in low or low.endswith("wmtscapabilities.xml") or low.rstrip("?/").endswith("/wmts"))


def capabilities_url(url: str) -> str:
    """A service URL completed to a GetCapabilities request (other parameters such as
    ``tk`` kept).

    >>> capabilities_url("http://10.0.0.5/vec_c/wmts?tk={key}")
    'http://10.0.0.5/vec_c/wmts?tk={key}&SERVICE=WMTS&REQUEST=GetCapabilities'
    """
    low = url.lower()
    if "getcapabilities" in low or low.endswith(".xml"):
        return url
    parts = urlsplit(url)
    q = parse_qsl(parts.query, keep_blank_values=True)
    q += [("SERVICE", "WMTS"), ("REQUEST", "GetCapabilities")]
    return urlunsplit(parts._replace(query=urlencode(q, safe="{}"))).replace("%7B", "{").replace("%7D", "}")


def _crs_code(text: str) -> str:
    """``urn:ogc:def:crs:EPSG::4490`` → ``EPSG:4490`` (CRS84 → EPSG:4326, 900913 → 3857)."""
    t = text.strip()
    if "CRS84" in t.upper():
        return "OGC:CRS84"
    m = re.search(r"EPSG:(?:[\d.]*:)?:?(\d+)\s*$", t, re.I) or re.search(r"(\d{4,6})\s*$", t)
    if not m:
        return t
    code = m.group(1)
    if code in ("900913", "102100", "102113", "3785"):
        code = "3857"
    return f"EPSG:{code}"


def _geographic(crs: str) -> tuple[bool, bool]:
    """(is geographic, first axis is northing) of a CRS code."""
    if crs == "OGC:CRS84":
        return True, False
    try:
        from pyproj import CRS

        c = CRS.from_user_input(crs)
        first = c.axis_info[0].direction.lower() if c.axis_info else "east"
        return bool(c.is_geographic), first in ("north", "south")
    except Exception:
        return False, False


def _text(el, path: str, default: str = "") -> str:
    found = el.find(path, NS)
    return (found.text or "").strip() if found is not None and found.text else default


def _level(ident: str, index: int) -> int:
    m = re.search(r"(\d+)$", ident)
    return int(m.group(1)) if m else index


def _matrix_set(el) -> TileGrid:
    ident = _text(el, "ows:Identifier")
    crs = _crs_code(_text(el, "ows:SupportedCRS"))
    geographic, lat_first = _geographic(crs)
    mpu = M_PER_DEGREE if geographic else 1.0
    raw = []
    for i, tm in enumerate(el.findall("wmts:TileMatrix", NS)):
        mid = _text(tm, "ows:Identifier")
        scale = float(_text(tm, "wmts:ScaleDenominator", "0"))
        a, b = (float(v) for v in _text(tm, "wmts:TopLeftCorner", "0 0").split()[:2])
        left, top = (b, a) if lat_first and abs(b) <= 180 and abs(a) <= 90 else (a, b)
        raw.append((mid, _level(mid, i), scale, left, top, int(_text(tm, "wmts:TileWidth", "256")),
                    int(_text(tm, "wmts:TileHeight", "256")), int(_text(tm, "wmts:MatrixWidth", "1")),
                    int(_text(tm, "wmts:MatrixHeight", "1"))))
    pixel = OGC_PIXEL
    if raw:
        world = 360.0 if geographic else 2 * MERCATOR_HALF
        mid, level, scale, left, top, tw, th, mw, mh = raw[0]
        for cand in (OGC_PIXEL, DPI96_PIXEL):
            span = mw * tw * scale * cand / mpu
            if abs(span / world - 1.0) < 2e-3:
                pixel = cand
                break
    ms = [TileMatrix(mid, level, scale * pixel / mpu, left, top, mw, mh, tw, th)
          for mid, level, scale, left, top, tw, th, mw, mh in raw]
    ms.sort(key=lambda m: -m.res)
    return TileGrid(crs, ms, ident)


def parse_capabilities(data, source_url: str = "") -> Capabilities:
    """Read a WMTS 1.0 capabilities document (bytes or text)."""
    try:
        root = ET.fromstring(data if isinstance(data, (bytes, str)) else bytes(data))
    except ET.ParseError as exc:
        raise CapabilitiesError(bi(f"不是 XML 文档（{exc}）", f"not an XML document ({exc})")) from exc
    tag = root.tag.split("}")[-1]
    if tag != "Capabilities":
        detail = " ".join("".join(root.itertext()).split())[:160]
        raise CapabilitiesError(bi(f"不是 WMTS 能力文档（根元素 {tag}）：{detail}",
                                   f"not a WMTS capabilities document (root element {tag}): {detail}"))
    contents = root.find("wmts:Contents", NS)
    if contents is None:
        raise CapabilitiesError(bi("能力文档没有 Contents 部分", "the capabilities document has no Contents"))
    sets = {}
    for el in contents.findall("wmts:TileMatrixSet", NS):
        g = _matrix_set(el)
        sets[g.name] = g
    layers = []
    for el in contents.findall("wmts:Layer", NS):
        styles, default = [], ""
        for st in el.findall("wmts:Style", NS):
            sid = _text(st, "ows:Identifier")
            styles.append(sid)
            if st.get("isDefault", "").lower() == "true" or not default:
                default = sid if st.get("isDefault", "").lower() == "true" or not default else default
        bbox = None
        bb = el.find("ows:WGS84BoundingBox", NS)
        if bb is not None:
            try:
                lo = [float(v) for v in _text(bb, "ows:LowerCorner").split()]
                hi = [float(v) for v in _text(bb, "ows:UpperCorner").split()]
                bbox = (lo[0], lo[1], hi[0], hi[1])
            except (ValueError, IndexError):
                bbox = None
        layers.append(WmtsLayer(
            ident=_text(el, "ows:Identifier"), title=_text(el, "ows:Title") or _text(el, "ows:Identifier"),
            styles=styles or ["default"], default_style=default or "default",
            formats=[f.text.strip() for f in el.findall("wmts:Format", NS) if f.text],
            matrix_sets=[_text(link, "wmts:TileMatrixSet") for link in el.findall("wmts:TileMatrixSetLink", NS)],
            resource_urls=[(r.get("format", ""), r.get("template", "")) for r in el.findall("wmts:ResourceURL", NS)
                           if r.get("resourceType", "tile") == "tile" and r.get("template")],
            bbox_wgs84=bbox))
    kvp = None
    for op in root.iterfind(".//ows:Operation", NS):
        if op.get("name") == "GetTile":
            get = op.find(".//ows:Get", NS)
            if get is not None:
                encs = [v.text for v in get.iterfind(".//ows:Value", NS) if v.text]
                if not encs or any(e.upper() == "KVP" for e in encs):
                    kvp = get.get(f"{{{NS['xlink']}}}href")
    if kvp is None and source_url and not any(l.resource_urls for l in layers):
        kvp = source_url.split("?")[0] + "?"
    title = _text(root, "ows:ServiceIdentification/ows:Title")
    if not layers:
        raise CapabilitiesError(bi("能力文档中没有图层", "the capabilities document lists no layer"))
    return Capabilities(title, layers, sets, kvp)


def _join_query(base: str, params: list[tuple[str, str]]) -> str:
    sep = "" if base.endswith(("?", "&")) else ("&" if "?" in base else "?")
    return base + sep + "&".join(f"{k}={v}" for k, v in params)


def kvp_template(caps: Capabilities, layer: str, style: str, matrix_set: str, fmt: str,
                 extra: list[tuple[str, str]] | None = None) -> str:
    """A KVP GetTile URL template (``{z}`` = TileMatrix identifier, ``{y}`` = row, ``{x}`` = column)."""
    if not caps.kvp_url:
        raise CapabilitiesError(bi("服务没有 KVP 方式的 GetTile 地址", "the service has no KVP GetTile address"))
    params = [("SERVICE", "WMTS"), ("REQUEST", "GetTile"), ("VERSION", "1.0.0"), ("LAYER", layer),
              ("STYLE", style), ("TILEMATRIXSET", matrix_set), ("FORMAT", fmt),
              ("TILEMATRIX", "{z}"), ("TILEROW", "{y}"), ("TILECOL", "{x}")]
    have = {k.upper() for k, _ in parse_qsl(urlsplit(caps.kvp_url).query)}
    params = [(k, v) for k, v in params if k not in have]
    return _join_query(caps.kvp_url, params + list(extra or []))


def rest_template(caps: Capabilities, layer: str, style: str, matrix_set: str, fmt: str | None = None,
                  extra: list[tuple[str, str]] | None = None) -> str:
    """A RESTful template from the layer's ``ResourceURL``."""
    lay = caps.layer(layer)
    urls = [t for f, t in lay.resource_urls if fmt is None or f == fmt] or [t for _, t in lay.resource_urls]
    if not urls:
        raise CapabilitiesError(bi(f"图层 {layer} 没有 REST 地址（ResourceURL）",
                                   f"layer {layer} has no REST address (ResourceURL)"))
    t = urls[0]
    for name, value in (("Style", style), ("TileMatrixSet", matrix_set)):
        t = re.sub(r"\{" + name + r"\}", value, t, flags=re.I)
    t = re.sub(r"\{TileMatrix\}", "{z}", t, flags=re.I)
    t = re.sub(r"\{TileRow\}", "{y}", t, flags=re.I)
    t = re.sub(r"\{TileCol\}", "{x}", t, flags=re.I)
    return _join_query(t, list(extra)) if extra else t


def build_source(caps: Capabilities, layer: str, style: str | None = None, matrix_set: str | None = None,
                 fmt: str | None = None, rest: bool | None = None,
                 extra: list[tuple[str, str]] | None = None) -> tuple[str, TileGrid]:
    """(URL template, tile grid) for one layer/style/matrix set; KVP unless only REST is offered
    (or ``rest`` asks for it)."""
    lay = caps.layer(layer)
    ms = matrix_set or (lay.matrix_sets[0] if lay.matrix_sets else "")
    if ms not in caps.matrix_sets:
        raise CapabilitiesError(bi(f"服务中没有瓦片矩阵集 {ms!r}", f"the service has no tile matrix set {ms!r}"))
    st = style or lay.default_style
    fm = fmt or (lay.formats[0] if lay.formats else "image/png")
    use_rest = rest if rest is not None else (caps.kvp_url is None)
    url = rest_template(caps, layer, st, ms, fm, extra) if use_rest else kvp_template(caps, layer, st, ms, fm, extra)
    return url, caps.matrix_sets[ms]
