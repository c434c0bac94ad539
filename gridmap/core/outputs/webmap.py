"""The web map (网页地图): one self-contained HTML file made with folium that
works offline — Leaflet's script and style are inlined from the vendored
copy in ``assets/leaflet`` (no CDN, no tiles: base layers are drawn as
vectors).  Grids are coloured by large grid or by level, with popups (code,
name, leader, units, officers), a layer switcher and a search box by code or
name.  Every user-provided text is HTML-escaped: a grid named
``<script>alert(1)</script>`` shows as that text.

>>> from gridmap.core.outputs.tests_support import demo_plan
>>> html = webmap_html(demo_plan(), {})
>>> "44030600100001" in html and "cdn.jsdelivr" not in html and "<script src=" not in html
True
"""

from __future__ import annotations

import base64
import html as _html
import json
import re
from functools import lru_cache
from pathlib import Path

import numpy as np
import shapely

from ..crs import to_crs
from ..plan import Plan
from .errors import OutputError
from .mapdata import PX_TO_PT, MapData
from .options import OutputOptions, plan_title
from .records import GridRecord, area_text, grid_records
from ..view.style import JURISDICTION, PLACE, SEGMENT, greedy_colors, level_styles

__all__ = ["save_webmap", "webmap_html", "external_resources", "ASSETS"]

ASSETS = Path(__file__).resolve().parent / "assets"
WEB_COLORS = ("#e41a1c", "#377eb8", "#4daf4a", "#984ea3", "#ff7f00", "#a65628", "#f781bf", "#17becf")
_WGS84 = "EPSG:4326"


def esc(text) -> str:
    """HTML-escaped text (quotes too).

    >>> esc('<script>alert("x")</script>')
    '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;'
    """
    return _html.escape("" if text is None else str(text), quote=True)


@lru_cache(maxsize=1)
def _leaflet() -> tuple[str, str]:
    """Leaflet's JS and CSS, ready to inline (images as data: URIs)."""
    folder = ASSETS / "leaflet"
    try:
        js = (folder / "leaflet.js").read_text(encoding="utf-8")
        css = (folder / "leaflet.css").read_text(encoding="utf-8")
    except OSError as exc:
        raise OutputError(f"{folder}: the vendored Leaflet files are missing ({exc}); reinstall gridmap") from exc
    js = re.sub(r"//# sourceMappingURL=\S+\s*$", "", js)

    def data_uri(m: re.Match) -> str:
        p = folder / m.group(1)
        return f"url(data:image/png;base64,{base64.b64encode(p.read_bytes()).decode()})" if p.exists() else "none"

    css = re.sub(r"url\((images/[\w\-.]+\.png)\)", data_uri, css)
    return js, css


def external_resources(html: str) -> list[str]:
    """Every http(s) URL the page would load by itself: script/img/iframe/link
    sources and CSS ``url(…)``/``@import`` (plain ``<a href>`` links are not loads).

    >>> external_resources('<script src="https://x/a.js"></script><a href="https://y">y</a>')
    ['https://x/a.js']
    """
    found = []
    for m in re.finditer(r"<(script|img|iframe|link|source|embed|video|audio)\b[^>]*>", html, re.IGNORECASE):
        for a in re.finditer(r"\b(?:src|href|data-src)\s*=\s*[\"']?\s*((?:https?:)?//[^\"'\s>]+)", m.group(0), re.IGNORECASE):
            found.append(a.group(1))
    for m in re.finditer(r"url\(\s*[\"']?\s*((?:https?:)?//[^\"')\s]+)", html, re.IGNORECASE):
        found.append(m.group(1))
    for m in re.finditer(r"@import\s+[\"']((?:https?:)?//[^\"']+)", html, re.IGNORECASE):
        found.append(m.group(1))
    return found


def _round(geoms):
    return shapely.transform(geoms, lambda xy: np.round(xy, 7))


def _popup(r: GridRecord, level_name: str) -> str:
    rows = [("编码", r.code), ("名称", r.name), ("层级", level_name)]
    if r.parent_code:
        rows.append(("所属", f"{r.parent_code} {r.parent_name}".strip()))
    rows.append(("面积", area_text(r.area_m2)))
    for label, text in r.role_rows(always=("leader", "lead_unit", "responsible_unit", "officer")):
        rows.append((label, "<br>".join(esc(x) for x in r.roles.get("officer", [])) or "—") if label == "网格员"
                    else (label, text))
    if r.segments:
        rows.append(("责任路段", "、".join(r.segments)))
    if r.places:
        rows.append(("小区/场所", "、".join(r.places)))
    body = "".join(
        f"<tr><th>{esc(k)}</th><td>{v if k == '网格员' else (esc(v) or '—')}</td></tr>" for k, v in rows)
    return f'<table class="gm-popup">{body}</table>'


def _features(geoms, props: list[dict]) -> dict:
    feats = []
    for g, p in zip(geoms, props):
        if g is None or g.is_empty:
            continue
        feats.append({"type": "Feature", "geometry": shapely.geometry.mapping(g), "properties": p})
    return {"type": "FeatureCollection", "features": feats}


_BIND = """function(feature, layer) {
    var p = feature.properties;
    if (p.popup) { layer.bindPopup(p.popup, {maxWidth: 420}); }
    if (p.tip) { layer.bindTooltip(p.tip, {sticky: true}); }
    if (p.code !== undefined) { window.gmIndex = window.gmIndex || []; window.gmIndex.push({code: p.code, name: p.name, layer: layer}); }
}"""

_SEARCH_CSS = """
.gm-search {background: #fff; padding: 6px; border-radius: 4px; box-shadow: 0 1px 5px rgba(0,0,0,.4);
  font: 13px/1.4 "Microsoft YaHei", "PingFang SC", "Noto Sans CJK SC", "WenQuanYi Micro Hei", sans-serif; width: 240px;}
.gm-search input {width: 100%; box-sizing: border-box; padding: 4px 6px; border: 1px solid #999; border-radius: 3px;}
.gm-search ul {list-style: none; margin: 4px 0 0; padding: 0; max-height: 260px; overflow-y: auto;}
.gm-search li {padding: 3px 4px; cursor: pointer; border-bottom: 1px solid #eee;}
.gm-search li:hover, .gm-search li.active {background: #ffe9a8;}
.gm-title {background: rgba(255,255,255,.92); padding: 6px 10px; border-radius: 4px; box-shadow: 0 1px 5px rgba(0,0,0,.3);
  font: 16px/1.3 "Microsoft YaHei", "PingFang SC", "Noto Sans CJK SC", "WenQuanYi Micro Hei", sans-serif;}
.gm-title small {display: block; font-size: 12px; color: #555;}
.gm-legend {background: rgba(255,255,255,.92); padding: 6px 8px; border-radius: 4px; box-shadow: 0 1px 5px rgba(0,0,0,.3);
  font: 12px/1.6 "Microsoft YaHei", "PingFang SC", "Noto Sans CJK SC", "WenQuanYi Micro Hei", sans-serif;}
.gm-legend i {display: inline-block; width: 22px; height: 0; vertical-align: middle; margin-right: 6px;}
table.gm-popup {border-collapse: collapse; font-size: 12px;}
table.gm-popup th {text-align: left; white-space: nowrap; padding: 2px 8px 2px 0; color: #555; vertical-align: top;}
table.gm-popup td {padding: 2px 0;}
.leaflet-container {background: #f4f3ef;}
.leaflet-bottom.leaflet-right .leaflet-control-attribution {max-width: 42vw; white-space: normal; line-height: 1.35;}
.leaflet-bottom.leaflet-left .leaflet-control {margin-bottom: 8px;}
.gm-legend {max-height: 55vh; overflow-y: auto;}
"""

_SEARCH_JS = """
(function(map) {
  var Search = L.Control.extend({
    options: {position: 'topleft'},
    onAdd: function() {
      var box = L.DomUtil.create('div', 'gm-search');
      var input = L.DomUtil.create('input', '', box);
      input.type = 'search';
      input.placeholder = %(placeholder)s;
      input.setAttribute('aria-label', %(placeholder)s);
      var list = L.DomUtil.create('ul', '', box);
      L.DomEvent.disableClickPropagation(box);
      L.DomEvent.disableScrollPropagation(box);
      var hits = [];
      function go(item) {
        var b = item.layer.getBounds ? item.layer.getBounds() : null;
        if (b) { map.fitBounds(b, {maxZoom: 18, padding: [30, 30]}); }
        item.layer.openPopup(b ? b.getCenter() : undefined);
        list.innerHTML = '';
      }
      function find() {
        var q = input.value.trim().toLowerCase();
        list.innerHTML = '';
        hits = [];
        if (!q) { return; }
        var index = window.gmIndex || [];
        for (var i = 0; i < index.length && hits.length < 12; i++) {
          var it = index[i];
          if (String(it.code).toLowerCase().indexOf(q) >= 0 || String(it.name).toLowerCase().indexOf(q) >= 0) {
            hits.push(it);
            var li = L.DomUtil.create('li', '', list);
            li.textContent = it.code + ' ' + it.name;      /* text, never HTML */
            li.onclick = (function(item) { return function() { go(item); }; })(it);
          }
        }
        if (!hits.length) { L.DomUtil.create('li', '', list).textContent = %(nothing)s; }
      }
      input.addEventListener('input', find);
      input.addEventListener('keydown', function(e) { if (e.key === 'Enter' && hits.length) { go(hits[0]); } });
      return box;
    }
  });
  new Search().addTo(map);
})(%(map)s);
"""


def webmap_html(plan: Plan, options=None) -> str:
    """The web map as one HTML text (see the module doc)."""
    import folium
    from branca.element import Element, MacroElement
    from jinja2 import Template

    o = options if isinstance(options, OutputOptions) else OutputOptions.from_dict(options)
    data = MapData.from_plan(plan, o.project, o.base_layers)
    records = grid_records(plan)
    grids = data.grids
    wgs = lambda geoms: _round(to_crs(np.asarray(geoms, dtype=object), data.crs, _WGS84))
    gw = wgs(grids.geometry.values)
    bounds = data.bounds
    corners = to_crs(shapely.box(*bounds), data.crs, _WGS84).bounds
    title = o.title or plan_title(plan.name, "web")

    # the <title> is written here, escaped exactly once: branca versions differ in whether they escape
    # Figure(title=...) themselves (which escaped it twice: the tab showed "&lt;script&gt;")
    fig = folium.Figure()
    fig.header.add_child(Element(f"<title>{esc(title)}</title>"), name="gm_title", index=0)
    m = folium.Map(location=[(corners[1] + corners[3]) / 2, (corners[0] + corners[2]) / 2], zoom_start=14,
                   tiles=None, control_scale=False, max_zoom=21, prefer_canvas=False)   # metric scale: below
    m.default_js, m.default_css = [], []          # no CDN: Leaflet is inlined below
    fig.add_child(m)
    js, css = _leaflet()
    fig.header.add_child(Element(f"<style>{css}</style>"), name="leaflet_css")
    fig.header.add_child(Element(f"<style>{_SEARCH_CSS}</style>"), name="gridmap_css")
    fig.header.add_child(Element(f"<script>{js}</script>"), name="leaflet_js")

    # base layers (vector, offline), jurisdiction
    base_legend: list[str] = []
    for bl in data.base_layers:
        kind = bl.geom_kind
        texts = bl.gdf[bl.label].tolist() if bl.label else [""] * len(bl.gdf)
        props = [{"tip": esc(t)} if t else {} for t in texts]
        if kind == "line":      # the layer's own classes (road widths and colours), in screen pixels
            for mask, width_pt, color in bl.line_classes():
                for i in np.flatnonzero(mask):
                    props[i]["style"] = {"color": color, "weight": round(width_pt / PX_TO_PT, 2), "opacity": 0.9}
        else:
            for p in props:
                p["style"] = {"color": bl.stroke, "weight": 1.5, "opacity": 0.9,
                              "fillColor": bl.fill if bl.fill != "none" else bl.stroke,
                              "fillOpacity": float(bl.style.get("fill_opacity", 0.15)) if bl.fill != "none" else 0}
        if kind == "line":      # road classes in the legend, as on the annex map
            from .mapframe import road_class_entries

            rows = road_class_entries(bl, bl.gdf) or []
            for e in rows:
                base_legend.append(f'<div><i style="border-top:{max(e.width / PX_TO_PT, 1):.1f}px solid '
                                   f'{e.color}"></i>{esc(e.label)}</div>')
            if not rows:
                base_legend.append(f'<div><i style="border-top:2px solid {bl.stroke}"></i>'
                                   f'{esc(bl.name.split("©")[0].strip() or bl.name)}</div>')
        else:
            base_legend.append(f'<div><i style="border-top:2px solid {bl.stroke}"></i>'
                               f'{esc(bl.name.split("©")[0].strip() or bl.name)}</div>')
        gj = _features(wgs(bl.gdf.geometry.values), props)
        folium.GeoJson(gj, name=esc(bl.name), style_function=lambda f: f["properties"]["style"],
                       on_each_feature=folium.JsCode(_BIND), smooth_factor=0.5).add_to(m)
    if data.jurisdiction is not None:
        gj = _features([wgs([data.jurisdiction])[0]], [{"tip": esc("辖区界线")}])
        folium.GeoJson(gj, name=esc("辖区界线"), style_function=lambda f: {
            "color": JURISDICTION["color"], "weight": 3, "dashArray": "10 4 2 4", "fill": False},
            on_each_feature=folium.JsCode(_BIND)).add_to(m)

    # grids: one layer per level, lowest first so top-level outlines stay on top
    nlev = len(plan.levels)
    styles = level_styles(nlev)
    tops = grids[grids["level_index"] == 0]
    colour_of = dict(zip(tops.index, greedy_colors(tops.geometry.values, len(WEB_COLORS)))) if len(tops) else {}
    legend = []
    for li in range(nlev - 1, -1, -1):
        mask = (grids["level_index"] == li).to_numpy()
        if not mask.any():
            continue
        sub = grids[mask]
        lv = plan.levels[li]
        props = []
        for gid in sub.index:
            r = records[int(gid)]
            if o.color_by == "large" and nlev > 1:
                fill = WEB_COLORS[colour_of.get(int(sub.at[gid, "top"]), 0) % len(WEB_COLORS)]
            else:
                fill = WEB_COLORS[li % len(WEB_COLORS)]
            top_level = li == 0 and nlev > 1
            props.append({
                "code": r.code, "name": r.name, "popup": _popup(r, lv.name),
                "tip": esc(f"{r.code} {r.name}".strip()),
                "style": {"color": styles[li].color, "weight": 3.5 if top_level else 1.2, "opacity": 1,
                          "fillColor": fill, "fillOpacity": 0.05 if top_level else 0.28},
            })
        gj = _features(gw[mask], props)
        folium.GeoJson(gj, name=esc(f"{lv.name}（{int(mask.sum())}）"),
                       style_function=lambda f: f["properties"]["style"],
                       highlight_function=lambda f: {"weight": 4, "fillOpacity": 0.45},
                       on_each_feature=folium.JsCode(_BIND)).add_to(m)
        legend.append(f'<div><i style="border-top:{3 if li == 0 and nlev > 1 else 1.5}px solid '
                      f'{styles[li].color}"></i>{esc(lv.name)}</div>')

    if nlev > 1 and len(tops) and o.color_by == "large":     # the fills: which large grid
        for tid in sorted(tops.index, key=lambda t: str(tops.at[t, "code"])):
            fill = WEB_COLORS[colour_of.get(int(tid), 0) % len(WEB_COLORS)]
            legend.append(f'<div><i style="border:1px solid #666;height:10px;background:{fill};opacity:.6"></i>'
                          f'{esc(records[int(tid)].name or records[int(tid)].code)}</div>')
    if len(data.segments):
        legend.append('<div><i style="border-top:3px solid ' + SEGMENT["color"] + '"></i>' + esc("责任路段") + '</div>')
    if len(data.places):
        legend.append('<div><i style="width:9px;height:9px;border-radius:50%;background:' + PLACE["color"]
                      + ';margin:0 13px 0 0"></i>' + esc("小区/场所") + '</div>')
    legend.extend(base_legend)
    if len(data.segments):
        segs = data.segments
        props = [{"tip": esc(n or "路段")} for n in segs["road_name"]]
        folium.GeoJson(_features(wgs(segs.geometry.values), props), name=esc("责任路段"),
                       style_function=lambda f: {"color": SEGMENT["color"], "weight": 3, "opacity": 0.8},
                       on_each_feature=folium.JsCode(_BIND), show=False).add_to(m)
    if len(data.places):
        pl = data.places
        pts = wgs(shapely.point_on_surface(pl.geometry.values))
        props = [{"tip": esc(f"{n}（{k}）" if k else n)} for n, k in zip(pl["name"], pl["kind"])]
        folium.GeoJson(_features(pts, props), name=esc("小区/场所"),
                       marker=folium.CircleMarker(radius=4, color=PLACE["color"], fill=True, fill_opacity=0.9, weight=1),
                       on_each_feature=folium.JsCode(_BIND), show=False).add_to(m)

    folium.LayerControl(collapsed=False, position="topright").add_to(m)
    m.fit_bounds([[corners[1], corners[0]], [corners[3], corners[2]]])

    # title, legend, search box, credits — text escaped here, the templates only place it
    from .notes import source_notes      # sources once, without repository names or commits

    credits = [esc(c) for c in source_notes(plan.settings, data.attributions())] \
        + ([esc(data.disclaimer)] if data.disclaimer else [])
    legend.insert(0, f'<div><i style="border-top:3px dashed {JURISDICTION["color"]}"></i>{esc("辖区界线")}</div>')
    sub_title = esc(o.subtitle or " · ".join(x for x in (o.issuer, o.date_text()) if x))
    panel = MacroElement()
    panel._template = Template("""{% macro script(this, kwargs) %}
(function(map) {
  var T = L.Control.extend({options: {position: 'bottomleft'}, onAdd: function() {
      var d = L.DomUtil.create('div', 'gm-title'); d.innerHTML = {{ this.title_html|tojson }}; return d; }});
  var G = L.Control.extend({options: {position: 'bottomright'}, onAdd: function() {
      var d = L.DomUtil.create('div', 'gm-legend'); d.innerHTML = {{ this.legend_html|tojson }}; return d; }});
  new T().addTo(map); new G().addTo(map);
  L.control.scale({metric: true, imperial: false, position: 'bottomleft', maxWidth: 160}).addTo(map);
  {% for c in this.credits %}map.attributionControl.addAttribution({{ c|tojson }});{% endfor %}
})({{ this._parent.get_name() }});
{{ this.search_js }}
{% endmacro %}""")
    panel.title_html = f"{esc(title)}<small>{sub_title}</small>"
    panel.legend_html = "".join(legend)
    panel.credits = credits
    panel.search_js = _SEARCH_JS % {"placeholder": json.dumps("按编码或名称搜索网格…"),
                                    "nothing": json.dumps("没有找到"), "map": m.get_name()}
    m.add_child(panel)
    out = fig.render()
    bad = external_resources(out)
    if bad:   # a folium upgrade that adds a CDN link must not go unnoticed
        raise OutputError(f"web map would load external resources: {', '.join(bad[:3])}")
    return out


def save_webmap(plan: Plan, path, options=None) -> dict:
    """Write the offline web map to ``path`` (.html)."""
    path = Path(path)
    if path.suffix.lower() not in (".html", ".htm"):
        raise OutputError(f"{path}: the web map is an .html file")
    if not path.parent.is_dir():
        raise OutputError(f"{path}: folder {path.parent} does not exist")
    text = webmap_html(plan, options)
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise OutputError(f"{path}: cannot write ({exc.strerror or exc})") from exc
    return {"bytes": len(text.encode("utf-8")), "grids": int(len(plan.grids))}
