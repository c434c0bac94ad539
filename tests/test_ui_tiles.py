"""Issue #19 in the real window (Qt offscreen) against real tile servers on 127.0.0.1:
a server that answers HTTP 200 with XML (backed off, said, never looped), one that hangs
and comes back (retried with a growing back-off, "answers again"), keys for a mirror at
a plain address (in the user's settings, never in the plan), WMTS capabilities with
Tianditu's ``c`` (EPSG:4490) set drawn in place, zoom ranges per source, each tile asked
once, tile layers under vector base maps, MBTiles ``scheme=xyz``, the tile cache dialog
and "save this area for offline use" (progress, cancel) from the Layers menu, rasters
kept open across pans, and Add vector layer asking for the CRS of a file without one."""

from __future__ import annotations

import math
import sqlite3

import numpy as np
import pytest
import shapely
from PySide6.QtCore import QSettings

from gridmap.core.crs import to_crs
from gridmap.core.editing import layer_commands as LC
from gridmap.core.storage import save_plan
from gridmap.core.tiles.download import area_tiles
from tile_servers import BLUE, RED, TILES, TileServer
from ui_edit_support import near, pixel

X0, Y0 = 500_000.0, 2_500_000.0


@pytest.fixture
def win(qtbot, settings, small_plan, tmp_path):
    from gridmap.ui.main_window import MainWindow

    path = tmp_path / "plan.gpkg"
    save_plan(small_plan, path)
    w = MainWindow()
    w.confirm_close = False
    w.tile_fetcher.cache_dir = tmp_path / "tile-cache"
    qtbot.addWidget(w)
    w.resize(1400, 1000)
    w.show()
    w.open_path(path)
    assert w.wait_idle()
    w.notices = []
    w.tile_fetcher.notice.connect(lambda kind, host, detail: w.notices.append((kind, host, detail)))
    yield w
    w.close()


@pytest.fixture
def shot(tmp_path):
    """Save a widget's picture (``GRIDMAP_SHOTS=DIR`` keeps them; docs/screenshots has the ones looked at)."""
    import os
    from pathlib import Path

    from PySide6.QtWidgets import QApplication

    folder = Path(os.environ.get("GRIDMAP_SHOTS") or tmp_path / "shots")
    folder.mkdir(parents=True, exist_ok=True)

    def take(widget, name):
        QApplication.processEvents()
        path = folder / f"tiles_{name}.png"
        assert widget.grab().save(str(path))
        return path
    return take


def hexrgb(rgb) -> str:
    return "#%02x%02x%02x" % tuple(rgb)


def corner_points(w):
    """Map points near the canvas corners (outside the plan's grids)."""
    c = w.canvas
    return [tuple(float(v) for v in c.viewport.to_map(px, py))
            for px, py in ((6, 6), (c.width() - 6, 6), (6, c.height() - 6), (c.width() - 6, c.height() - 6))]


def to_ll(x, y):
    return to_crs(shapely.Point(x, y), "EPSG:4547", "EPSG:4326").coords[0]


# ---------------------------------------------------------------------- answers that are not tiles
def test_xml_answer_is_a_failed_tile_backed_off_and_said(win, qtbot, shot):
    with TileServer(mode="xml") as s:
        layer = win.add_base_layer("tiles", s.xyz, name="坏镜像", style={"max_zoom": 19})
        assert win.wait_idle(30000)
        first = list(s.tiles)
        view = layer.view_tiles(win.canvas.viewport)
        assert 0 < len(first) <= len(view) and len(set(first)) == len(first)
        assert layer.drawn == 0 and win.error_box is None
        kinds = [n for n in win.notices if n[0] == "not_image"]
        assert len(kinds) == 1 and "TileMatrixSet w is not published here" in kinds[0][2]
        assert "TileMatrixSet w is not published here" in win.status.currentMessage()
        shot(win, "xml_answer_notice_zh")
        # ten more frames and three seconds of a still view: a few probes, never the view again and again
        for i in range(10):
            win.canvas.pan_pixels(7 * (-1) ** i, 0)
            assert win.wait_idle(30000)
        qtbot.wait(3000)
        assert win.wait_idle(30000)
        later = len(s.tiles) - len(first)
        assert later <= 6, later
        assert len([n for n in win.notices if n[0] == "not_image"]) == 1      # said once, not per tile
        # a login page of a proxy is named by its title
        s.mode = "html"
        win.tile_fetcher.backoff.hosts.clear()
        layer.touch()
        win.canvas.schedule(immediate=True)
        qtbot.waitUntil(lambda: any("Intranet proxy login" in n[2] for n in win.notices), timeout=20000)


def test_hanging_server_then_back_is_retried_and_announced(win, qtbot):
    f = win.tile_fetcher
    f.nam.setTransferTimeout(800)
    f.backoff.base, f.backoff.cap = 0.3, 1.2
    with TileServer(mode="hang") as s:
        layer = win.add_base_layer("tiles", s.xyz, name="内网瓦片", style={"max_zoom": 19})
        assert win.wait_idle(30000)               # the hung requests time out; the window never waited on them
        assert layer.drawn == 0 and f.errors > 0 and win.error_box is None
        assert [n[0] for n in win.notices] == ["offline"]
        hung = len(s.tiles)
        s.mode = "down"                            # then a 503 for a while: still only probes
        qtbot.wait(2500)
        assert win.wait_idle(30000)
        probes = len(s.tiles) - hung
        assert 1 <= probes <= 6, probes           # retried on a still view, with a growing back-off
        assert [n[0] for n in win.notices] == ["offline"]
        s.mode = "png"                             # the server comes back: no pan needed
        qtbot.waitUntil(lambda: any(n[0] == "back" for n in win.notices), timeout=20000)
        qtbot.waitUntil(lambda: layer.missing == 0 and layer.drawn > 0, timeout=30000)
        assert win.wait_idle(30000)
        assert layer.missing == 0
        x, y = corner_points(win)[0]
        lon, lat = to_ll(x, y)
        from gridmap.core.tiles.grid import lonlat_to_tile

        tx, ty = (int(v) for v in lonlat_to_tile(lon, lat, layer.last_view[0]))
        assert near(pixel(win, x, y), hexrgb(RED if (tx + ty) % 2 == 0 else BLUE), 30)


# ---------------------------------------------------------------------- keys, zoom range, order, duplicates
def test_key_for_a_mirror_at_a_plain_address_stays_in_the_settings(win, qtbot, tmp_path):
    from gridmap.ui.tile_dialogs import TileSourceDialog

    with TileServer(key="s3cret-key") as s:
        dlg = TileSourceDialog(win)
        qtbot.addWidget(dlg)
        dlg.preset.setCurrentIndex(dlg.preset.findData("custom"))
        assert not dlg.key.isEnabled()
        dlg.url.setText(s.xyz + "?tk=s3cret-key")            # pasted with the key in it
        assert dlg.key.isEnabled() and dlg.key.text() == "s3cret-key"
        dlg.max_zoom.setValue(16)
        name, template = dlg.result_source()
        assert template == s.xyz + "?tk={key}" and "s3cret" not in str(dlg.options())
        layer = win.add_base_layer("tiles", template, name=name, style=dlg.options())
        assert win.wait_idle(30000)
        assert s.tiles and all("tk=s3cret-key" in p for p in s.requests)
        assert layer.drawn > 0 and layer.missing == 0
        assert {t[0] for t in s.tiles} == {"16"}              # the source's max zoom, not z19
        # a new dialog on the same host: the key field is filled from the settings
        dlg2 = TileSourceDialog(win)
        qtbot.addWidget(dlg2)
        dlg2.preset.setCurrentIndex(dlg2.preset.findData("custom"))
        dlg2.url.setText(s.base + "/other/{z}/{x}/{y}.png?tk={key}")
        assert dlg2.key.isEnabled() and dlg2.key.text() == "s3cret-key"
    assert win.save()
    assert b"s3cret" not in (tmp_path / "plan.gpkg").read_bytes()
    assert "s3cret-key" in [str(QSettings().value(k)) for k in QSettings().allKeys()]
    from gridmap.core.exchange.registry import export_plan

    export_plan(win.document.plan, "geojson", tmp_path / "exported")
    for p in (tmp_path / "exported").rglob("*"):
        if p.is_file():
            assert b"s3cret" not in p.read_bytes(), p


def test_one_request_per_tile_and_tiles_go_under_vector_base_maps(win, tmp_path):
    import geopandas as gpd

    roads = gpd.GeoDataFrame({"name": ["主干道"]}, geometry=[shapely.LineString([(X0 - 50, Y0 + 60), (X0 + 350, Y0 + 60)])],
                             crs="EPSG:4547")
    roads.to_file(tmp_path / "roads.gpkg")
    vec = win.add_base_layer("vector", str(tmp_path / "roads.gpkg"))
    assert win.wait_idle(30000)
    with TileServer() as s:
        tiles = win.add_base_layer("tiles", s.xyz, name="瓦片", style={"max_zoom": 19})
        assert win.wait_idle(30000)
        view = tiles.view_tiles(win.canvas.viewport)
        assert len(s.tiles) == len(set(s.tiles)) == len(view)           # 12 tiles → 12 requests
        order = LC.base_layer_order(win.document.plan)
        assert order.index(tiles.record_id) < order.index(vec.record_id)   # the image under the roads
        canvas_order = [l.id for l in win.canvas.layers]
        assert canvas_order.index(tiles.id) < canvas_order.index(vec.id)
        win.undo_group.undo()                                            # one undo step
        assert LC.base_layer_order(win.document.plan) == [vec.record_id]


def test_mbtiles_with_scheme_xyz_in_its_metadata(win, tmp_path):
    from gridmap.core.tiles.grid import lonlat_to_tile

    lon, lat = to_ll(X0 + 150, Y0 + 100)
    path = tmp_path / "xyz.mbtiles"
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE metadata (name text, value text)")
    con.execute("CREATE TABLE tiles (zoom_level integer, tile_column integer, tile_row integer, tile_data blob)")
    con.executemany("INSERT INTO metadata VALUES (?, ?)", [("name", "xyz"), ("format", "png"), ("scheme", "xyz")])
    z = 16
    tx, ty = (int(v) for v in lonlat_to_tile(lon, lat, z))
    for x in range(tx - 3, tx + 4):
        for y in range(ty - 3, ty + 4):
            con.execute("INSERT INTO tiles VALUES (?, ?, ?, ?)", (z, x, y, TILES[(x + y) % 2]))   # rows from the north
    con.commit()
    con.close()
    layer = win.add_base_layer("mbtiles", str(path))
    assert win.wait_idle(30000)
    assert layer.scheme == "xyz" and layer.drawn > 0 and layer.missing == 0
    x, y = corner_points(win)[0]
    plon, plat = to_ll(x, y)
    px, py = (int(v) for v in lonlat_to_tile(plon, plat, z))
    assert near(pixel(win, x, y), hexrgb(RED if (px + py) % 2 == 0 else BLUE), 30)


# ---------------------------------------------------------------------- WMTS capabilities
def test_wmts_capabilities_read_in_the_dialog_and_c_set_drawn_in_place(win, qtbot, shot):
    from gridmap.ui.tile_dialogs import TileSourceDialog

    with TileServer(capabilities="tianditu_wmts_capabilities.xml", key="tk-777") as s:
        dlg = TileSourceDialog(win)
        qtbot.addWidget(dlg)
        dlg.preset.setCurrentIndex(dlg.preset.findData("wmts"))
        dlg.url.setText(s.base + "/wmts?request=GetCapabilities&service=wmts&tk={key}")
        assert dlg.key.isEnabled()
        dlg.key.setText("tk-777")
        assert dlg.read_capabilities(), dlg.status.text()
        assert [dlg.wmts_layer.itemData(i) for i in range(dlg.wmts_layer.count())] == ["vec", "cva", "img"]
        sets = [dlg.wmts_set.itemData(i) for i in range(dlg.wmts_set.count())]
        assert sets == ["c", "w"] and "EPSG:4490" in dlg.wmts_set.itemText(0)
        dlg.wmts_set.setCurrentIndex(0)
        assert (dlg.min_zoom.value(), dlg.max_zoom.value()) == (1, 18)
        dlg.show()
        qtbot.wait(50)
        shot(dlg, "wmts_dialog_zh")
        name, template = dlg.result_source()
        assert "TILEMATRIXSET=c" in template and template.endswith("tk={key}") and "tk-777" not in template
        layer = win.add_base_layer("tiles", template, name=name, style=dlg.options())
        assert win.wait_idle(30000)
        assert layer.drawn > 0 and layer.missing == 0
        gets = [p for p in s.requests if "GetTile" in p]
        assert gets and all("TILEMATRIXSET=c" in p and "tk=tk-777" in p for p in gets)
        level = layer.last_view[0]
        m = layer.source.grid.matrix(level)
        checked = 0
        for x, y in corner_points(win):
            lon, lat = to_ll(x, y)
            fx, fy = (lon - m.left) / m.span_x, (m.top - lat) / m.span_y
            if min(fx % 1, 1 - fx % 1, fy % 1, 1 - fy % 1) < 0.05:
                continue                                    # too near a tile edge to say
            checked += 1
            assert near(pixel(win, x, y), hexrgb(RED if (int(fx) + int(fy)) % 2 == 0 else BLUE), 30), (x, y)
        assert checked >= 2
        shot(win, "wmts_c_set_map_zh")
        # the plan keeps the matrix set, not the key
        style = win.document.plan.base_layers.loc[layer.record_id, "style"]
        assert "tk-777" not in str(style) and "4490" in str(style)


# ---------------------------------------------------------------------- cache dialog, offline area
def test_tile_cache_dialog_cap_clear_and_refresh(win, qtbot, shot):
    from gridmap.ui.tile_dialogs import TileCacheDialog

    with TileServer() as s:
        layer = win.add_base_layer("tiles", s.xyz, name="瓦片", style={"max_zoom": 19})
        assert win.wait_idle(30000)
        n = len(s.tiles)
        assert n and win.tile_fetcher.cache.count() == n
        dlg = win.layer_manager.tile_cache_dialog()
        assert isinstance(dlg, TileCacheDialog)
        assert f"{n}" in dlg.usage.text()
        shot(dlg, "cache_dialog_zh")
        dlg.refresh_button.click()                      # "refresh this view": the view's tiles asked again
        assert win.wait_idle(30000)
        assert len(s.tiles) == 2 * n and layer.missing == 0
        dlg.clear_button.click()
        assert win.tile_fetcher.cache.count() == 0 or win.wait_idle(30000)
        assert win.wait_idle(30000)
        assert len(s.tiles) == 3 * n                    # cleared: drawn again from the server
        dlg.cap.setValue(20)
        dlg.days.setValue(0)
        dlg._accept()
        assert win.tile_fetcher.cache.cap_bytes == 20 * 1024 * 1024 and win.tile_fetcher.cache.max_age_s is None
        assert int(QSettings().value("tiles/cache_mb")) == 20


def test_save_this_area_for_offline_use_from_the_app(win, qtbot, tmp_path, shot):
    from gridmap.ui.tile_dialogs import OfflineAreaDialog

    assert win.layer_manager.save_offline_dialog() is None           # no tile base map yet: said
    with TileServer() as s:
        layer = win.add_base_layer("tiles", s.xyz, name="街道底图", style={"max_zoom": 19})
        assert win.wait_idle(30000)
        dlg = win.layer_manager.save_offline_dialog()
        assert isinstance(dlg, OfflineAreaDialog) and dlg.current_layer() is layer
        dlg.zmin.setValue(15)
        dlg.zmax.setValue(17)
        out = tmp_path / "field.mbtiles"
        dlg.output.setText(str(out))
        expected = len(area_tiles(layer.source, dlg.extent_ll(), 15, 17))
        assert f"{expected}" in dlg.count.text()
        assert dlg.start()
        qtbot.waitUntil(lambda: dlg.result is not None, timeout=60000)
        assert dlg.result.path == out and dlg.result.written == expected and dlg.bar.value() == 100
        shot(dlg, "offline_area_done_zh")
        assert dlg.add_button.isVisible() and dlg.add_button.text() == "将文件添加为底图"
        saved = dlg.add_saved()
        assert win.wait_idle(30000)
        assert saved is not None and saved.kind == "mbtiles" and saved.drawn > 0
        con = sqlite3.connect(out)
        assert con.execute("SELECT COUNT(*) FROM tiles").fetchone()[0] == expected
        con.close()
        # an existing file is not overwritten
        dlg.start_button.setEnabled(True)
        assert not dlg.start() and out.exists()
        # a large range, cancelled at once: no file
        dlg.zmin.setValue(15)
        dlg.zmax.setValue(19)
        out2 = tmp_path / "big.mbtiles"
        dlg.output.setText(str(out2))
        s.mode = "hang"                                  # slow enough to be cancelled mid-way
        assert dlg.start()
        dlg.cancel()
        s.release.set()
        qtbot.waitUntil(lambda: not dlg.running and dlg.thread is None, timeout=60000)
        assert "已取消" in dlg.status.text(), dlg.status.text()
        assert dlg.result is not None and dlg.result.cancelled
        assert not out2.exists() and not list(tmp_path.glob("*.part"))
        dlg.reject()


# ---------------------------------------------------------------------- rasters, vector files without CRS
def test_raster_opened_once_and_block_reused_across_pans(win, tmp_path):
    import rasterio
    from rasterio.transform import from_origin

    path = tmp_path / "ortho.tif"
    data = (np.indices((3, 600, 900))[1] % 255).astype("uint8")
    with rasterio.open(path, "w", driver="GTiff", width=900, height=600, count=3, dtype="uint8", crs="EPSG:4547",
                       transform=from_origin(X0 - 300, Y0 + 400, 1.0, 1.0)) as ds:
        ds.write(data)
    layer = win.add_base_layer("raster", str(path))
    assert win.wait_idle(30000)
    opens, reads = layer.opens, layer.reads
    assert opens >= 1 and reads >= 1
    for i in range(10):
        win.canvas.pan_pixels(10 * (-1) ** i, 5)
        assert win.wait_idle(30000)
    assert layer.opens == opens                         # not re-opened per pan (10 opens for 10 pans before)
    assert layer.reads <= reads + 3                     # small pans reuse the decoded block


def test_add_vector_layer_without_crs_asks_through_the_import_dialog(win, tmp_path, qtbot):
    import geopandas as gpd

    from gridmap.ui.import_dialog import ImportDialog

    lonlat = gpd.GeoDataFrame({"名称": ["路口"]}, geometry=[shapely.Point(113.95, 22.56)])
    lonlat.to_file(tmp_path / "points.shp", encoding="utf-8")
    (tmp_path / "points.prj").unlink(missing_ok=True)
    before = len(win.document.plan.base_layers)
    dlg = win.layer_manager.add_vector_dialog(str(tmp_path / "points.shp"))
    assert isinstance(dlg, ImportDialog)
    qtbot.addWidget(dlg)
    choices = [dlg.crs.itemText(i) for i in range(dlg.crs.count())]
    assert any("4326" in c or "4490" in c for c in choices[:2]), choices       # guessed lon/lat first
    assert any("GCJ" in c for c in choices) and any("BD" in c for c in choices), choices
    assert len(win.document.plan.base_layers) == before                         # nothing added unasked
    dlg.reject()
    # a file with a CRS is added directly
    lonlat.set_crs("EPSG:4326").to_file(tmp_path / "with_crs.gpkg")
    layer = win.layer_manager.add_vector_dialog(str(tmp_path / "with_crs.gpkg"))
    assert layer is not None and len(win.document.plan.base_layers) == before + 1


def test_large_raster_without_overviews_is_offered_a_build(win, qtbot, tmp_path):
    import rasterio
    from PySide6.QtWidgets import QMessageBox
    from rasterio.transform import from_origin

    from gridmap.core.rasters import needs_overviews

    path = tmp_path / "wide.tif"
    w, h = 4400, 300
    data = (np.indices((1, h, w))[2] % 251).astype("uint8")
    with rasterio.open(path, "w", driver="GTiff", width=w, height=h, count=1, dtype="uint8", crs="EPSG:4547",
                       transform=from_origin(X0 - 500, Y0 + 300, 0.3, 0.3)) as ds:
        ds.write(data)
    before = path.read_bytes()
    assert needs_overviews(path)
    layer = win.add_base_layer("raster", str(path))
    assert win.wait_idle(30000)
    assert layer.needs_overviews
    box = win.layer_manager._overview_box
    qtbot.waitUntil(box.isVisible, timeout=5000)
    assert "4400" in box.text() and ".ovr" in box.text()
    box.button(QMessageBox.StandardButton.Yes).click()
    qtbot.waitUntil(lambda: not layer.needs_overviews, timeout=60000)
    assert win.wait_idle(30000)
    assert (tmp_path / "wide.tif.ovr").exists() and path.read_bytes() == before      # the file itself untouched
    assert not needs_overviews(path)


def test_a_view_coarser_than_the_lowest_zoom_asks_nothing(win):
    with TileServer() as s:
        layer = win.add_base_layer("tiles", s.xyz, name="街道级瓦片", style={"min_zoom": 15, "max_zoom": 18})
        assert win.wait_idle(30000)
        assert {t[0] for t in s.tiles} == {"18"} and layer.drawn > 0
        n = len(s.tiles)
        win.canvas.set_scale(2_000_000)                 # a province on the screen: thousands of z15 tiles
        assert win.wait_idle(30000)
        assert len(s.tiles) == n and layer.drawn == 0   # not asked at all
        win.canvas.set_scale(20_000)                    # back within the source's levels
        assert win.wait_idle(30000)
        assert {t[0] for t in s.tiles[n:]} == {"15"} and layer.drawn > 0 and layer.missing == 0


def test_reached_from_the_layers_menu_and_the_layer_context_menu(win, qtbot, shot):
    from PySide6.QtWidgets import QApplication, QDialog

    from gridmap.ui.tile_dialogs import OfflineAreaDialog, TileCacheDialog

    with TileServer() as s:
        layer = win.add_base_layer("tiles", s.xyz, name="街道底图", style={"max_zoom": 19})
        assert win.wait_idle(30000)
        texts = [a.text() for a in win.layer_manager.layer_menu(layer.id).actions()]
        assert {"刷新当前视图的瓦片", "保存此区域供离线使用…", "瓦片缓存…", "缩放到图层"} <= set(texts), texts
        menu = next(m for m in win.menuBar().actions() if m.text() == "图层(&L)").menu()
        names = [a.text() for a in menu.actions()]
        assert {"刷新当前视图的瓦片", "保存此区域供离线使用…", "瓦片缓存…"} <= set(names), names
        for key, cls in (("save_offline", OfflineAreaDialog), ("tile_cache", TileCacheDialog)):
            assert win.actions[key].isEnabled()
            win.actions[key].trigger()
            dlg = next(w for w in QApplication.topLevelWidgets() if isinstance(w, cls) and w.isVisible())
            assert isinstance(dlg, QDialog)
            dlg.reject()
        n = len(s.tiles)
        win.actions["refresh_tiles"].trigger()
        assert win.wait_idle(30000)
        assert len(s.tiles) == 2 * n and "重新请求" in win.status.currentMessage()


def test_offline_mbtiles_of_a_gcj02_provider_is_shifted_back_when_shown(win, tmp_path):
    from gridmap.core.tiles.download import download_area
    from gridmap.core.tiles.source import TileSource

    w, s_, e, n = (*to_ll(X0 - 400, Y0 - 400), *to_ll(X0 + 700, Y0 + 600))
    with TileServer() as s:
        src = TileSource.from_style(s.xyz, {"max_zoom": 22, "datum": "gcj02"})
        r = download_area(src, (w, s_, e, n), 17, 18, tmp_path / "gcj.mbtiles")
        assert r.path is not None
    layer = win.add_base_layer("mbtiles", str(tmp_path / "gcj.mbtiles"))
    assert win.wait_idle(30000)
    assert layer.style["datum"] == "gcj02" and layer.drawn > 0 and layer.missing == 0
    from gridmap.core import gcj02
    from gridmap.core.tiles.grid import lonlat_to_tile

    checked = 0
    for x, y in corner_points(win):
        lon, lat = to_ll(x, y)
        glon, glat = (float(np.ravel(v)[0]) for v in gcj02.wgs84_to_gcj02(np.array([lon]), np.array([lat])))
        fx, fy = lonlat_to_tile(glon, glat, layer.last_view[0])
        if min(fx % 1, 1 - fx % 1, fy % 1, 1 - fy % 1) < 0.05:
            continue
        checked += 1
        assert near(pixel(win, x, y), hexrgb(RED if (int(fx) + int(fy)) % 2 == 0 else BLUE), 30)
    assert checked >= 2
