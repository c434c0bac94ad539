"""Offline web map: every grid, no external resources, escaped user text — and it
really loads in headless Chromium with the network blocked (search, popups, layer
switcher checked in the live DOM)."""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess

import pytest

from gridmap.core.outputs import OutputError
from gridmap.core.outputs.tests_support import add_demo_roads
from gridmap.core.outputs.webmap import external_resources, save_webmap
from gridmap.core.storage import save_plan

EVIL = "<script>alert(1)</script>"

# Recorded before the page's own scripts run: alert() calls (an injected script would
# call it) and script errors.
_HEAD = ("<script>window.__alerts=[];window.alert=function(m){window.__alerts.push(String(m));};"
         "window.__errors=[];window.addEventListener('error',function(e){window.__errors.push(String(e.message));});"
         "</script>")

# Runs after the map is built: uses the search box like a person would and reports the DOM.
_TAIL = """<script>
(function(){
  var out = {}, input = document.querySelector('.gm-search input');
  function search(q) { input.value = q; input.dispatchEvent(new Event('input'));
    return Array.from(document.querySelectorAll('.gm-search li')).map(function(li){ return li.textContent; }); }
  out.panes = document.querySelectorAll('.leaflet-pane').length;
  out.paths = document.querySelectorAll('.leaflet-overlay-pane path').length;
  out.indexed = (window.gmIndex || []).length;
  out.layers = Array.from(document.querySelectorAll('.leaflet-control-layers-overlays label'))
                    .map(function(l){ return l.textContent.trim(); });
  out.byCode = search('%(code)s');
  out.byName = search('%(name)s');
  out.evilHits = search('\\x3cscript');
  input.dispatchEvent(new KeyboardEvent('keydown', {key: 'Enter'}));
  var popup = document.querySelector('.leaflet-popup-content');
  out.popupText = popup ? popup.textContent : null;
  out.popupScripts = popup ? popup.querySelectorAll('script').length : -1;
  out.title = document.querySelector('.gm-title') ? document.querySelector('.gm-title').textContent : null;
  out.resources = performance.getEntriesByType('resource').map(function(e){ return e.name; });
  out.alerts = window.__alerts; out.errors = window.__errors;
  var pre = document.createElement('pre'); pre.id = 'gm-test'; pre.textContent = JSON.stringify(out);
  document.body.appendChild(pre);
})();
</script>"""


def _chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        if shutil.which(name):
            return shutil.which(name)
    pytest.fail("headless Chromium is needed for the offline web-map test: apt-get install chromium")


def _offline_chromium(page, profile, *extra) -> subprocess.CompletedProcess:
    """Chromium with the network blocked: a dead proxy and no name resolution."""
    cmd = [_chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
           "--disable-background-networking", "--disable-component-update", "--disable-sync",
           "--disable-dev-shm-usage", f"--user-data-dir={profile}", "--proxy-server=127.0.0.1:9",
           "--host-resolver-rules=MAP * ~NOTFOUND", "--virtual-time-budget=4000", *extra, page.as_uri()]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=120)


@pytest.fixture
def web(small_plan, tmp_path):
    first = small_plan.grid_by_code("44030600100001")
    small_plan.grids.at[small_plan.grid_by_code("44030600200004"), "name"] = EVIL
    small_plan.people.loc[small_plan.people["name"] == "张三", "name"] = '张"三\'<b>'
    add_demo_roads(small_plan, tmp_path)
    path = tmp_path / "plan.gpkg"
    save_plan(small_plan, path)
    out = tmp_path / "map.html"
    save_webmap(small_plan, out, {"project": path, "title": "测试<i>方案</i>"})
    return small_plan, out, first


def test_html_has_every_grid_no_external_resources_and_escaped_text(web):
    plan, out, _ = web
    text = out.read_text(encoding="utf-8")
    for code in plan.grids["code"]:
        assert code in text
    assert external_resources(text) == []
    assert not re.search(r"https?://[^\"'\s]*(cdn|jsdelivr|cloudflare|unpkg|googleapis|bootstrap|jquery)", text)
    assert EVIL not in text and "<i>方案</i>" not in text and "<b>" not in text
    # the popup of the evil grid holds the name as escaped text (inside a JSON string)
    props = [json.loads(m) for m in re.findall(r'"properties": (\{"code": .*?\}), "type": "Feature"', text)]
    evil = next(p for p in props if p["code"] == "44030600200004")
    assert evil["name"] == EVIL and html.escape(EVIL) in evil["popup"] and EVIL not in evil["popup"]
    first = next(p for p in props if p["code"] == "44030600100001")
    assert "李四（副局长，13900000000）" in first["popup"] and "区城市管理局" in first["popup"]
    assert html.escape('张"三\'<b>（城管队员，13800000000）') in first["popup"]


def test_loads_offline_in_headless_chromium(web, tmp_path):
    plan, out, first = web
    page = tmp_path / "harness.html"
    src = out.read_text(encoding="utf-8")
    name = plan.grids.at[first, "name"]
    src = src.replace("<head>", "<head>" + _HEAD, 1)
    src = src.replace("</html>", _TAIL % {"code": "4403060010000", "name": name} + "</html>")
    page.write_text(src, encoding="utf-8")
    run = _offline_chromium(page, tmp_path / "profile", "--dump-dom")
    m = re.search(r'<pre id="gm-test">(.*?)</pre>', run.stdout, re.DOTALL)
    assert m, f"no report from the page: {run.stderr[-2000:]}"
    rep = json.loads(html.unescape(m.group(1)))
    assert rep["errors"] == [] and rep["alerts"] == []
    assert rep["panes"] >= 5                                   # Leaflet built the map
    n_grids = len(plan.grids)
    assert rep["indexed"] == n_grids
    assert rep["paths"] >= n_grids + 1                         # grids, jurisdiction, roads drawn as SVG
    assert any(l.startswith("小网格") for l in rep["layers"]) and any(l.startswith("大网格") for l in rep["layers"])
    assert "道路" in rep["layers"]
    small_codes = sorted(c for c in plan.grids["code"] if c.startswith("4403060010000"))
    assert sorted(h.split(" ")[0] for h in rep["byCode"]) == small_codes
    assert any(name in h for h in rep["byName"])
    assert rep["evilHits"] == ["44030600200004 " + EVIL]       # found, shown as text
    assert EVIL in rep["popupText"] and rep["popupScripts"] == 0
    assert rep["title"].startswith("测试<i>方案</i>")
    assert [r for r in rep["resources"] if r.startswith(("http:", "https:"))] == []


def test_web_map_errors(small_plan, tmp_path):
    with pytest.raises(OutputError, match=r"\.html file"):
        save_webmap(small_plan, tmp_path / "x.pdf", {})
    with pytest.raises(OutputError, match="color_by"):
        save_webmap(small_plan, tmp_path / "x.html", {"color_by": "rainbow"})


def test_sample_plan_web_map_loads_offline(sample_plan_path, tmp_path):
    from gridmap.core.storage import open_plan

    plan = open_plan(sample_plan_path)
    out = tmp_path / "baoan.html"
    save_webmap(plan, out, {"project": sample_plan_path})
    src = out.read_text(encoding="utf-8")
    assert external_resources(src) == []
    for code in plan.grids["code"]:
        assert code in src
    small = plan.grids_of_level("small").sort_values("code").iloc[0]
    page = tmp_path / "harness.html"
    page.write_text(src.replace("<head>", "<head>" + _HEAD, 1)
                    .replace("</html>", _TAIL % {"code": small["code"], "name": small["name"]} + "</html>"),
                    encoding="utf-8")
    run = _offline_chromium(page, tmp_path / "profile", "--dump-dom")
    m = re.search(r'<pre id="gm-test">(.*?)</pre>', run.stdout, re.DOTALL)
    assert m, f"no report from the page: {run.stderr[-2000:]}"
    rep = json.loads(html.unescape(m.group(1)))
    assert rep["errors"] == [] and rep["indexed"] == len(plan.grids)
    assert rep["paths"] > len(plan.grids) + 1000          # grids plus the OSM road network as vectors
    assert rep["byCode"] == [f"{small['code']} {small['name']}"]
    assert [r for r in rep["resources"] if r.startswith(("http:", "https:"))] == []
