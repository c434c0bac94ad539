"""Issue #19 without Qt: ``gridmap tiles`` (offline MBTiles of an area) and the core
tiles package against real tile servers on 127.0.0.1 — one that draws, one that answers
HTTP 200 with XML, one that hangs, one that wants a key — and WMTS capabilities
(Tianditu-style ``c``/EPSG:4490 and ``w``/Web Mercator, a REST service)."""

from __future__ import annotations

import math
import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from gridmap.core.tiles.cache import TileCache
from gridmap.core.tiles.download import DownloadError, area_tiles, download_area
from gridmap.core.tiles.grid import lonlat_to_tile
from gridmap.core.tiles.keys import carry_key, split_key
from gridmap.core.tiles.mbtiles import read_info
from gridmap.core.tiles.policy import Backoff, describe_answer
from gridmap.core.tiles.source import TileSource
from gridmap.core.tiles.wmts import build_source, parse_capabilities
from tile_servers import DATA, EXCEPTION, LOGIN, TILES, TileServer

REPO = Path(__file__).resolve().parents[1]
EXTENT = "113.85,22.50,113.90,22.55"        # a corner of Bao'an, Shenzhen
EXT = tuple(float(v) for v in EXTENT.split(","))


def gridmap(*args, env=None):
    e = {k: v for k, v in os.environ.items() if k != "GRIDMAP_TILE_KEY"}
    e.update(env or {})
    return subprocess.run([sys.executable, "-m", "gridmap", *args], capture_output=True, text=True, cwd=REPO,
                          env=e, timeout=300)


def mbtiles_rows(path):
    con = sqlite3.connect(path)
    try:
        return con.execute("SELECT zoom_level, tile_column, tile_row, tile_data FROM tiles").fetchall()
    finally:
        con.close()


# ---------------------------------------------------------------------- gridmap tiles (CLI)
def test_cli_saves_an_area_into_mbtiles(tmp_path):
    out = tmp_path / "area.mbtiles"
    with TileServer() as s:
        r = gridmap("tiles", s.xyz, "--extent", EXTENT, "--zoom", "12-15", "-o", str(out))
        assert r.returncode == 0, r.stderr
        expected = area_tiles(TileSource.from_style(s.xyz, {"max_zoom": 22}), EXT, 12, 15)
        assert len(s.tiles) == len(expected) == len(set(s.tiles))       # each tile asked once
    assert "wrote" in r.stdout and "已写入" in r.stdout
    rows = mbtiles_rows(out)
    assert len(rows) == len(expected)
    info = read_info(out)
    assert info["scheme"] == "tms" and info["format"] == "png" and (info["minzoom"], info["maxzoom"]) == (12, 15)
    # rows are TMS (counted from the south) and each tile is the one the server drew for (x, y)
    for z, x, row, data in rows:
        y = 2 ** z - 1 - row
        assert bytes(data) == TILES[(x + y) % 2]
    # the centre of the extent is inside the saved tiles at every level
    for z in range(12, 16):
        cx, cy = (int(v) for v in lonlat_to_tile(113.875, 22.525, z))
        assert (z, cx, 2 ** z - 1 - cy) in {(a, b, c) for a, b, c, _ in rows}


def test_cli_never_overwrites_and_explains_bad_input(tmp_path):
    out = tmp_path / "area.mbtiles"
    out.write_bytes(b"keep me")
    with TileServer() as s:
        r = gridmap("tiles", s.xyz, "--extent", EXTENT, "--zoom", "12-13", "-o", str(out))
        assert r.returncode == 2 and "不会覆盖" in r.stderr and "not overwritten" in r.stderr
        assert out.read_bytes() == b"keep me" and not s.tiles
        for args, zh, en in ((["--zoom", "18-12"], "缩放级别", "zoom"),
                             (["--zoom", "twelve"], "缩放级别", "zoom levels are written"),
                             (["--extent", "500000,2490000,510000,2500000"], "投影坐标", "--extent-crs"),
                             (["--extent", "1,2,3"], "范围", "minx,miny,maxx,maxy")):
            base = {"--extent": EXTENT, "--zoom": "12-13"}
            base.update(dict(zip(args[::2], args[1::2])))
            r = gridmap("tiles", s.xyz, *sum(([k, v] for k, v in base.items()), []), "-o", str(tmp_path / "n.mbtiles"))
            assert r.returncode == 2, (args, r.stderr)
            assert zh in r.stderr and en in r.stderr and "Traceback" not in r.stderr
        r = gridmap("tiles", s.base + "/tiles", "--extent", EXTENT, "--zoom", "12", "-o", str(tmp_path / "n.mbtiles"))
        assert r.returncode == 2 and "{z} {x} {y}" in r.stderr
    # a projected extent with its CRS (CGCS2000 / 3-degree GK zone 38, EPSG:4547) is converted
    with TileServer() as s:
        r = gridmap("tiles", s.xyz, "--extent", "189000,2490000,194000,2495000", "--extent-crs", "EPSG:4547",
                    "--zoom", "13", "-o", str(tmp_path / "gk.mbtiles"))
        assert r.returncode == 0, r.stderr
        assert 1 <= len(s.tiles) <= 4
    assert not list(tmp_path.glob("*.part"))


def test_cli_xml_answer_is_a_failure_with_what_the_server_said(tmp_path):
    """HTTP 200 with a WMTS ExceptionReport: a clear error after a few tiles, not thousands of requests."""
    out = tmp_path / "area.mbtiles"
    with TileServer(mode="xml") as s:
        r = gridmap("tiles", s.xyz, "--extent", EXTENT, "--zoom", "12-17", "-o", str(out))
        asked = len(s.tiles)
    total = len(area_tiles(TileSource.from_style(s.xyz, {"max_zoom": 22}), EXT, 12, 17))
    assert r.returncode == 2
    assert "TileMatrixSet w is not published here" in r.stderr and "服务器没有返回瓦片" in r.stderr
    assert asked < 40 < total                      # stops after the first failures
    assert not out.exists() and not list(tmp_path.glob("*.part"))


def test_cli_key_reaches_a_mirror_at_a_plain_address_and_stays_out_of_the_file(tmp_path):
    with TileServer(key="s3cret-key") as s:
        url = s.xyz + "?tk={key}"
        r = gridmap("tiles", url, "--extent", EXTENT, "--zoom", "13", "-o", str(tmp_path / "a.mbtiles"))
        assert r.returncode == 2 and "GRIDMAP_TILE_KEY" in r.stderr and "密钥" in r.stderr and not s.tiles
        r = gridmap("tiles", url, "--extent", EXTENT, "--zoom", "13", "-o", str(tmp_path / "a.mbtiles"),
                    "--key", "s3cret-key")
        assert r.returncode == 0, r.stderr
        assert s.requests and all("tk=s3cret-key" in p for p in s.requests)
        # the key from the environment, too; a wrong key is the server's XML answer, quoted
        r = gridmap("tiles", url, "--extent", EXTENT, "--zoom", "13", "-o", str(tmp_path / "b.mbtiles"),
                    env={"GRIDMAP_TILE_KEY": "s3cret-key"})
        assert r.returncode == 0, r.stderr
        r = gridmap("tiles", url, "--extent", EXTENT, "--zoom", "13", "-o", str(tmp_path / "c.mbtiles"),
                    "--key", "wrong")
        assert r.returncode == 2 and "not published" in r.stderr
    for name in ("a.mbtiles", "b.mbtiles"):
        assert b"s3cret" not in (tmp_path / name).read_bytes()
    assert not (tmp_path / "c.mbtiles").exists()


def test_cli_reads_wmts_capabilities_and_takes_the_web_mercator_set(tmp_path):
    """A Tianditu-style mirror at a plain address: GetCapabilities, layer vec, matrix set w
    (MBTiles holds Web-Mercator tiles), the key carried into every GetTile request."""
    out = tmp_path / "vec.mbtiles"
    with TileServer(capabilities="tianditu_wmts_capabilities.xml", key="k1") as s:
        caps_url = s.base + "/wmts?request=GetCapabilities&service=wmts&tk=k1"
        r = gridmap("tiles", caps_url, "--extent", EXTENT, "--zoom", "13-14", "-o", str(out), "--layer", "vec")
        assert r.returncode == 0, r.stderr
        gets = [p for p in s.requests if "GetTile" in p]
        assert gets and all("TILEMATRIXSET=w" in p and "LAYER=vec" in p and "tk=k1" in p for p in gets)
        # the c set (EPSG:4490) cannot go into MBTiles: said plainly
        r = gridmap("tiles", caps_url, "--extent", EXTENT, "--zoom", "13", "-o", str(tmp_path / "c.mbtiles"),
                    "--matrix-set", "c")
        assert r.returncode == 2 and "Web-Mercator" in r.stderr and "墨卡托" in r.stderr
    assert len(mbtiles_rows(out)) == len(area_tiles(TileSource.from_style("x/{z}/{x}/{y}", {"max_zoom": 22}), EXT, 13, 14))


# ---------------------------------------------------------------------- WMTS capabilities
def test_tianditu_capabilities_c_and_w_sets():
    caps = parse_capabilities((DATA / "tianditu_wmts_capabilities.xml").read_text(encoding="utf-8")
                              .replace("@BASE@", "http://10.0.0.8/vec_c/wmts"))
    assert [l.ident for l in caps.layers] == ["vec", "cva", "img"]
    c, w = caps.matrix_sets["c"], caps.matrix_sets["w"]
    assert c.crs == "EPSG:4490" and not c.is_web_mercator and w.is_web_mercator
    # c: level z has 2^z × 2^(z-1) tiles of 360/2^z degrees from (-180, 90) — Tianditu's numbering
    for m in c.matrices:
        assert (m.width, m.height) == (2 ** m.level, 2 ** (m.level - 1))
        assert m.left == -180.0 and m.top == 90.0
        assert math.isclose(m.span_x, 360.0 / 2 ** m.level, rel_tol=1e-6)
    lon, lat, z = 113.9, 22.55, 15
    m = c.matrix(z)
    x0, x1, y0, y1 = c.tile_range(m, lon, lat, lon, lat)
    assert (x0, y0) == (int((lon + 180) / (360 / 2 ** z)), int((90 - lat) / (360 / 2 ** z)))
    # w: the XYZ numbering
    mw = w.matrix(z)
    from pyproj import Transformer

    gx, gy = Transformer.from_crs("EPSG:4326", "EPSG:3857", always_xy=True).transform(lon, lat)
    assert w.tile_range(mw, gx, gy, gx, gy)[::2] == tuple(int(v) for v in lonlat_to_tile(lon, lat, z))
    template, grid = build_source(caps, "img", None, "c")
    assert "LAYER=img" in template and "TILEMATRIXSET=c" in template and grid is c
    # a key typed into the capabilities address is carried as {key}, never kept
    assert carry_key(template, "http://10.0.0.8/vec_c/wmts?tk=abc").endswith("&tk={key}")
    assert split_key("http://10.0.0.8/wmts?tk=abc")[0] == "http://10.0.0.8/wmts?tk={key}"


def test_rest_capabilities_and_not_a_capabilities_document():
    caps = parse_capabilities((DATA / "rest_wmts_capabilities.xml").read_text(encoding="utf-8")
                              .replace("@BASE@", "http://10.0.0.9"))
    assert caps.kvp_url is None and caps.layers[0].styles == ["light", "dark"]
    t, grid = build_source(caps, "city:streets", "dark", "GoogleMapsCompatible")
    assert t == "http://10.0.0.9/rest/city:streets/dark/GoogleMapsCompatible/{z}/{y}/{x}.png"
    assert grid.is_web_mercator and [m.level for m in grid.matrices] == [0, 1, 2, 3]
    with pytest.raises(ValueError) as e:
        parse_capabilities(LOGIN)
    assert "WMTS" in str(e.value)
    with pytest.raises(ValueError):
        parse_capabilities(EXCEPTION)


# ---------------------------------------------------------------------- download: hang, cancel, cache
def test_download_from_a_hanging_server_gives_up_with_a_reason(tmp_path):
    src = TileSource.from_style("", {"max_zoom": 22})
    with TileServer(mode="hang") as s:
        src.template = s.xyz
        with pytest.raises(DownloadError) as e:
            download_area(src, EXT, 12, 16, tmp_path / "h.mbtiles", timeout=0.5, workers=8)
        asked = len(s.tiles)
    assert "timed out" in str(e.value).lower() and "服务器没有返回瓦片" in str(e.value)
    assert asked <= 32
    assert not list(tmp_path.iterdir())


def test_download_cancel_leaves_nothing_and_cache_is_used(tmp_path):
    cache = TileCache(tmp_path / "cache")
    with TileServer() as s:
        src = TileSource.from_style(s.xyz, {"max_zoom": 22})
        n = [0]

        def cancelled():
            n[0] += 1
            return n[0] > 20

        r = download_area(src, EXT, 12, 16, tmp_path / "c.mbtiles", cache=cache, cancelled=cancelled)
        assert r.cancelled and r.path is None and not (tmp_path / "c.mbtiles").exists()
        assert not list(tmp_path.glob("*.part"))
        first = len(s.tiles)
        r = download_area(src, EXT, 12, 14, tmp_path / "d.mbtiles", cache=cache)
        assert r.path is not None and r.written == r.total
        assert r.from_cache > 0 and len(s.tiles) - first == r.total - r.from_cache
        # a server that went down meanwhile: everything from the cache
        s.mode = "down"
        r = download_area(src, EXT, 12, 14, tmp_path / "e.mbtiles", cache=cache)
        assert r.from_cache == r.written == r.total


def test_cache_cap_expiry_refresh_and_clear(tmp_path):
    c = TileCache(tmp_path, cap_bytes=10_000, max_age_s=3600)
    t = "http://10.0.0.8/{z}/{x}/{y}.png?tk={key}"
    now = time.time()
    for i in range(30):
        p = c.put(t, 15, i, 0, bytes(500))
        os.utime(p, (now - 1000 + i, now - 1000 + i))        # tile i is older than tile i + 1
    assert c.size() <= 10_000
    kept = sorted(int(p.parent.name) for p in tmp_path.rglob("*.tile"))
    assert kept == list(range(30 - len(kept), 30))            # the oldest went first
    assert all("key" not in p.name and "10.0.0.8" not in str(p) for p in tmp_path.rglob("*.tile"))
    data, fresh = c.get(t, 15, 29, 0)
    assert data == bytes(500) and fresh
    p = c.path(t, 15, 29, 0)
    os.utime(p, (now - 7200, now - 7200))
    data, fresh = c.get(t, 15, 29, 0)
    assert data is not None and not fresh                     # expired: still there, asked again
    assert c.remove(t, [(15, 29, 0), (15, 28, 0), (3, 0, 0)]) == 2
    c.clear()
    assert c.size() == 0 and c.count() == 0


def test_backoff_grows_and_probes_one_at_a_time():
    now = [0.0]
    b = Backoff(base=1.0, cap=8.0, clock=lambda: now[0])
    assert b.failed("h", "down")
    delays = []
    for _ in range(5):
        delays.append(b.delay("h"))
        assert not b.allowed("h")
        now[0] += b.delay("h")
        assert b.allowed("h")
        b.sent("h")
        assert not b.allowed("h")                 # one probe at a time
        assert not b.failed("h", "down")
    assert delays == [1.0, 2.0, 4.0, 8.0, 8.0]
    assert b.succeeded("h") and b.allowed("h") and not b.failing("h")
    assert describe_answer("application/xml", EXCEPTION) == "application/xml: TileMatrixSet w is not published here"


def test_an_offline_area_of_a_gcj02_provider_keeps_its_datum(tmp_path):
    out = tmp_path / "amap.mbtiles"
    with TileServer() as s:
        r = gridmap("tiles", s.xyz, "--datum", "gcj02", "--extent", EXTENT, "--zoom", "13", "-o", str(out))
        assert r.returncode == 0, r.stderr
        # the tiles asked are the provider's (GCJ-02) tiles of the WGS84 extent
        wgs = area_tiles(TileSource.from_style(s.xyz, {"max_zoom": 22}), EXT, 13, 13)
        gcj = area_tiles(TileSource.from_style(s.xyz, {"max_zoom": 22, "datum": "gcj02"}), EXT, 13, 13)
        assert sorted((m.ident, x, y) for m, x, y in gcj) == sorted(s.tiles)
        assert len(gcj) == len(wgs)
    assert read_info(out)["gridmap:datum"] == "gcj02"
    with TileServer() as s:
        r = gridmap("tiles", s.xyz, "--extent", EXTENT, "--zoom", "13", "-o", str(tmp_path / "w.mbtiles"))
    assert r.returncode == 0 and "gridmap:datum" not in read_info(tmp_path / "w.mbtiles")
