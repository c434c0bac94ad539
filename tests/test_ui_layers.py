"""Base layers of every kind added to the real window: vector files (shapefile,
GeoPackage, GeoJSON, KML, DXF), a GeoTIFF, XYZ tiles from a local HTTP server
(with the disk cache and without network), MBTiles, and GCJ-02 tile offsets."""

from __future__ import annotations

import http.server
import sqlite3
import threading
from pathlib import Path

import geopandas as gpd
import numpy as np
import pytest
import shapely
from PySide6.QtCore import QBuffer, QByteArray, QIODevice
from PySide6.QtGui import QColor, QImage

from gridmap.core import gcj02
from gridmap.core.crs import to_crs
from gridmap.core.storage import save_plan
from ui_edit_support import near, pixel

X0, Y0 = 500_000.0, 2_500_000.0
RED, BLUE = "#dd0000", "#0000dd"


@pytest.fixture
def win(qtbot, settings, small_plan, tmp_path):
    from gridmap.ui.main_window import MainWindow

    path = tmp_path / "plan.gpkg"
    save_plan(small_plan, path)
    w = MainWindow()
    w.confirm_close = False
    w.tile_fetcher.cache_dir = tmp_path / "tile-cache"
    qtbot.addWidget(w)
    w.resize(1400, 1000)  # leaves the map about as large as the docks' default sizes allow
    w.show()
    w.open_path(path)
    assert w.wait_idle()
    yield w
    w.close()


def png(color: str, size: int = 256) -> bytes:
    img = QImage(size, size, QImage.Format.Format_RGB32)
    img.fill(QColor(color))
    ba = QByteArray()
    buf = QBuffer(ba)
    buf.open(QIODevice.OpenModeFlag.WriteOnly)
    img.save(buf, "PNG")
    return bytes(ba.data())


def road_lines_4326():
    """Two roads across the plan (a primary and a residential one), in lon/lat."""
    lines = [shapely.LineString([(X0 - 50, Y0 + 60), (X0 + 350, Y0 + 60)]),
             shapely.LineString([(X0 + 110, Y0 - 50), (X0 + 110, Y0 + 250)])]
    return to_crs(np.array(lines, dtype=object), "EPSG:4547", "EPSG:4326")


# ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("driver,name", [("ESRI Shapefile", "roads.shp"), ("GPKG", "roads.gpkg"),
                                         ("GeoJSON", "roads.geojson"), ("KML", "roads.kml"),
                                         ("DXF", "roads.dxf")])
def test_add_vector_base_layer_of_each_format(win, tmp_path, driver, name):
    lines = road_lines_4326()
    if driver == "DXF":  # DXF has no CRS: written in the project's coordinates
        gdf = gpd.GeoDataFrame(geometry=list(to_crs(lines, "EPSG:4326", "EPSG:4547")))
    else:
        gdf = gpd.GeoDataFrame({"name": ["主路", "支路"], "highway": ["primary", "residential"]},
                               geometry=list(lines), crs="EPSG:4326")
    path = tmp_path / name
    gdf.to_file(path, driver=driver)
    layer = win.add_base_layer("vector", str(path), style={"stroke": "#00c000", "width": 5})
    assert win.wait_idle()
    assert layer.ready and not layer.error and len(layer) == 2
    xmin, ymin, xmax, ymax = layer.extent()          # reprojected into EPSG:4547
    assert xmin == pytest.approx(X0 - 50, abs=0.5) and xmax == pytest.approx(X0 + 350, abs=0.5)
    assert ymin == pytest.approx(Y0 - 50, abs=0.5) and ymax == pytest.approx(Y0 + 250, abs=0.5)
    assert layer in win.canvas.layers and layer.group == "base"
    c = pixel(win, X0 + 20, Y0 + 60)
    if driver == "DXF":
        assert near(c, "#00c000", 70)
    else:
        # the highway rule styles roads by class (the primary wider than the residential)
        widths = {k: w for k, w, col in layer.classes()[1]}
        assert widths["primary"] > widths["residential"]
        assert layer.style["rule"]["field"] == "highway"
        assert not near(c, "#f5f4f0", 10)
    # recorded in the plan relative to the project file
    row = win.document.plan.base_layers.loc[layer.record_id]
    assert row["source"] == name and row["kind"] == "vector"


def test_real_baoan_roads_reprojected_indexed_and_simplified(shared_data):
    from gridmap.ui.layers.base import RenderContext
    from gridmap.ui.layers.vector import VectorFileLayer
    from gridmap.ui.render import new_image
    from gridmap.core.view.viewport import Viewport
    from PySide6.QtGui import QPainter

    layer = VectorFileLayer("roads", shared_data / "baoan-osm" / "roads.geojson")
    layer.load("EPSG:4547")
    assert len(layer) == 2142
    xmin, ymin, xmax, ymax = layer.extent()
    assert 480_000 < xmin < xmax < 500_000 and 2_488_000 < ymin < ymax < 2_506_000
    widths = {k: w for k, w, _ in layer.classes()[1]}
    assert widths["motorway"] > widths["primary"] > widths["tertiary"]
    full = Viewport(width=800, height=600).fitted(layer.extent())
    img = new_image(full)
    p = QPainter(img)
    ctx = RenderContext(p, full)
    layer.render(ctx)
    p.end()
    assert ctx.stats["features"] == 2142
    assert any(k > 0 for k in layer._arrays)          # simplified at this scale
    street = full.with_scale(2000)                    # 1:2,000 in the centre: few roads, exact geometry
    img = new_image(street)
    p = QPainter(img)
    ctx = RenderContext(p, street)
    layer.render(ctx)
    p.end()
    assert 0 < ctx.stats["features"] < 200
    assert layer.tolerance_for(street.res) == 0.0


def test_add_geotiff_in_lonlat(win, tmp_path):
    import rasterio
    from rasterio.transform import from_bounds

    west, south = to_crs(shapely.Point(X0 - 100, Y0 - 100), "EPSG:4547", "EPSG:4326").coords[0]
    east, north = to_crs(shapely.Point(X0 + 400, Y0 + 300), "EPSG:4547", "EPSG:4326").coords[0]
    mid = to_crs(shapely.Point(X0 + 150, Y0 + 100), "EPSG:4547", "EPSG:4326").x
    w, h = 200, 160
    data = np.zeros((3, h, w), dtype=np.uint8)
    col = int(round((mid - west) / (east - west) * w))
    data[0, :, :col] = 220   # west half red
    data[2, :, col:] = 220   # east half blue
    path = tmp_path / "image.tif"
    with rasterio.open(path, "w", driver="GTiff", width=w, height=h, count=3, dtype="uint8", crs="EPSG:4326",
                       transform=from_bounds(west, south, east, north, w, h)) as ds:
        ds.write(data)
    layer = win.add_base_layer("raster", str(path))
    assert win.wait_idle()
    assert layer.ready and not layer.error
    ext = layer.extent()
    assert ext[0] == pytest.approx(X0 - 100, abs=2) and ext[3] == pytest.approx(Y0 + 300, abs=2)
    a, b = pixel(win, X0 + 60, Y0 + 130), pixel(win, X0 + 240, Y0 + 130)
    assert a.red() > a.blue() + 60 and b.blue() > b.red() + 60
    # outside the raster: nothing drawn (background shows)
    win.canvas.zoom_out()
    assert win.wait_idle()
    assert win.canvas.viewport.extent[0] < X0 - 150
    assert near(pixel(win, X0 - 150, Y0 + 100), "#f5f4f0", 3)


class _TileServer:
    """XYZ tiles on 127.0.0.1: red where x + y is even, blue where odd."""

    def __init__(self):
        tiles = {0: png(RED), 1: png(BLUE)}
        self.requests = []
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                outer.requests.append(self.path)
                try:
                    z, x, y = (int(v) for v in self.path.strip("/").removesuffix(".png").split("/"))
                except ValueError:
                    self.send_error(404)
                    return
                body = tiles[(x + y) % 2]
                self.send_response(200)
                self.send_header("Content-Type", "image/png")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *a):
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()


def expected_colour(lon, lat, z):
    from gridmap.ui.layers.tiles import lonlat_to_tile

    x, y = lonlat_to_tile(lon, lat, z)
    return RED if (int(x) + int(y)) % 2 == 0 else BLUE


def test_xyz_tiles_from_a_local_server_then_from_the_disk_cache(win, tmp_path):
    server = _TileServer()
    try:
        url = f"http://127.0.0.1:{server.port}/{{z}}/{{x}}/{{y}}.png"
        layer = win.add_base_layer("tiles", url, name="本地瓦片", style={"max_zoom": 19})
        assert win.wait_idle(30000)
        assert server.requests and win.tile_fetcher.downloaded == len(set(server.requests))
        assert layer.drawn > 0 and layer.missing == 0
        cached = list((tmp_path / "tile-cache").rglob("*.tile"))
        assert len(cached) == win.tile_fetcher.downloaded
        # the pixel outside the plan shows the colour of the tile it falls in
        x, y = (float(v) for v in win.canvas.viewport.to_map(5, 5))
        lon, lat = to_crs(shapely.Point(x, y), "EPSG:4547", "EPSG:4326").coords[0]
        z = int(cached[0].parent.parent.name)
        assert near(pixel(win, x, y), expected_colour(lon, lat, z), 30)
    finally:
        server.stop()
    # the server is gone: a new layer with the same template draws from the disk cache
    n = len(server.requests)

    win.tile_fetcher.downloaded = 0
    layer.fetcher = None
    win.layer_manager.remove_base_layer(layer.id)
    again = win.add_base_layer("tiles", url, name="缓存瓦片", style={"max_zoom": 19})
    assert win.wait_idle(30000)
    assert again.drawn > 0 and again.missing == 0 and win.tile_fetcher.downloaded == 0
    assert len(server.requests) == n
    assert win.error_box is None


def test_no_network_shows_cached_tiles_and_one_quiet_notice(win, tmp_path):
    import socket

    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()     # nothing listens there now
    url = f"http://127.0.0.1:{port}/{{z}}/{{x}}/{{y}}.png"
    layer = win.add_base_layer("tiles", url, name="离线瓦片")
    assert win.wait_idle(30000)
    f = win.tile_fetcher
    assert f.errors > 0 and f.downloaded == 0 and layer.drawn == 0
    assert "offline" in win.status.currentMessage().lower() or "网络" in win.status.currentMessage()
    assert win.error_box is None                      # no dialog
    errors = f.errors
    win.canvas.zoom_in()                              # more frames: failed tiles are not asked again at once
    win.canvas.zoom_out()
    assert win.wait_idle(30000)
    assert f.errors == errors


def make_mbtiles(path: Path, z: int, lon: float, lat: float, span: int = 3) -> tuple[int, int]:
    """An MBTiles file with tiles around lon/lat at zoom z coloured by x parity."""
    from gridmap.ui.layers.tiles import lonlat_to_tile

    tx, ty = (int(v) for v in lonlat_to_tile(lon, lat, z))
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE metadata (name text, value text)")
    con.execute("CREATE TABLE tiles (zoom_level integer, tile_column integer, tile_row integer, tile_data blob)")
    con.executemany("INSERT INTO metadata VALUES (?, ?)", [("name", "test"), ("format", "png")])
    red, blue = png(RED), png(BLUE)
    for x in range(tx - span, tx + span + 1):
        for y in range(ty - span, ty + span + 1):
            con.execute("INSERT INTO tiles VALUES (?, ?, ?, ?)", (z, x, 2 ** z - 1 - y, red if x % 2 == 0 else blue))
    con.commit()
    con.close()
    return tx, ty


def test_mbtiles_base_layer(win, tmp_path):
    lon, lat = to_crs(shapely.Point(X0 + 150, Y0 + 100), "EPSG:4547", "EPSG:4326").coords[0]
    make_mbtiles(tmp_path / "offline.mbtiles", 15, lon, lat)
    layer = win.add_base_layer("mbtiles", str(tmp_path / "offline.mbtiles"))
    assert win.wait_idle()
    assert layer.ready and not layer.error and layer.drawn > 0
    x, y = (float(v) for v in win.canvas.viewport.to_map(5, 5))
    plon, plat = to_crs(shapely.Point(x, y), "EPSG:4547", "EPSG:4326").coords[0]
    from gridmap.ui.layers.tiles import lonlat_to_tile

    tx = int(lonlat_to_tile(plon, plat, 15)[0])
    assert near(pixel(win, x, y), RED if tx % 2 == 0 else BLUE, 30)
    bad = tmp_path / "bad.mbtiles"
    bad.write_bytes(b"not sqlite at all")
    broken = win.add_base_layer("mbtiles", str(bad))
    assert win.wait_idle()
    assert "bad.mbtiles" in broken.error and win.error_box is None


def test_gcj02_tiles_are_shifted_back_onto_wgs84(tmp_path, qapp):
    """The same tile file drawn as WGS84 and as GCJ-02: the tile edges move by the GCJ offset."""
    from gridmap.ui.layers.tiles import MBTilesLayer, tile_to_lonlat
    from gridmap.ui.render import render_layers
    from gridmap.core.view.viewport import Viewport

    z = 16
    lon0, lat0 = 113.9, 22.55
    tx, ty = make_mbtiles(tmp_path / "t.mbtiles", z, lon0, lat0, span=4)
    edge_lon, _ = tile_to_lonlat(tx + 1, ty, z)     # a vertical tile edge (red | blue)
    row_lat = tile_to_lonlat(tx, ty + 0.5, z)[1]
    centre = to_crs(shapely.Point(lon0, lat0), "EPSG:4326", "EPSG:4547")
    vp = Viewport(centre.x, centre.y, res=1.0, width=1600, height=1400)

    def edge_column(datum):
        layer = MBTilesLayer("t", tmp_path / "t.mbtiles", style={"datum": datum})
        layer.load("EPSG:4547")
        img = render_layers([layer], vp, labels=False)
        true_lon = edge_lon if datum == "wgs84" else float(gcj02.gcj02_to_wgs84(edge_lon, row_lat)[0])
        true_lat = row_lat if datum == "wgs84" else float(gcj02.gcj02_to_wgs84(edge_lon, row_lat)[1])
        p = to_crs(shapely.Point(true_lon, true_lat), "EPSG:4326", "EPSG:4547")
        px, py = vp.to_pixel(p.x, p.y)
        row = int(round(float(py)))
        colors = [img.pixelColor(i, row) for i in range(vp.width)]
        left = RED if tx % 2 == 0 else BLUE
        col = [i for i in range(1, vp.width) if near(colors[i - 1], left, 60) and not near(colors[i], left, 60)]
        return float(px), col

    expected_w, found_w = edge_column("wgs84")
    expected_g, found_g = edge_column("gcj02")
    assert any(abs(c - expected_w) <= 1.5 for c in found_w)
    assert any(abs(c - expected_g) <= 1.5 for c in found_g)
    shift = expected_w - expected_g
    assert 300 < abs(shift) < 700   # metres (1 m/px) — the GCJ-02 offset in Shenzhen


def test_layer_order_by_panel_is_drawn_and_saved(win, tmp_path):
    lines = road_lines_4326()
    for name, colour in (("a.geojson", "#00c000"), ("b.geojson", "#c000c0")):
        gpd.GeoDataFrame(geometry=list(lines), crs="EPSG:4326").to_file(tmp_path / name)
    a = win.add_base_layer("vector", str(tmp_path / "a.geojson"), style={"stroke": "#00c000", "width": 8})
    b = win.add_base_layer("vector", str(tmp_path / "b.geojson"), style={"stroke": "#c000c0", "width": 8})
    assert win.wait_idle()
    c = pixel(win, X0 + 20, Y0 + 60)
    assert c.red() > c.green() + 40 and c.blue() > c.green() + 40     # b (magenta) on top
    win.layer_panel.move_layer(b.id, +1)                          # down in the list = drawn below
    assert win.wait_idle()
    assert [l.id for l in win.canvas.layers].index(a.id) > [l.id for l in win.canvas.layers].index(b.id)
    c = pixel(win, X0 + 20, Y0 + 60)
    assert c.green() > c.red() + 40 and c.green() > c.blue() + 40     # now a (green)
    win._save_to(tmp_path / "ordered.gpkg")
    from gridmap.core.storage import open_plan

    bl = open_plan(tmp_path / "ordered.gpkg").base_layers.sort_values("order")
    assert list(bl["source"]) == ["b.geojson", "a.geojson"]
    win.layer_manager.remove_base_layer(a.id)
    assert a not in win.canvas.layers and a.record_id not in win.document.plan.base_layers.index
