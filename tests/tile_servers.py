"""Real tile servers on 127.0.0.1 for the tests of issue #19 (no mocks).

:class:`TileServer` answers XYZ paths (``/z/x/y.png``), WMTS KVP ``GetTile`` requests
and ``GetCapabilities`` (a document from tests/data/tiles with ``@BASE@`` replaced by
its own address), and REST paths ``/rest/LAYER/STYLE/SET/z/row/col.png``.  Its
:attr:`mode` can change while it runs:

* ``"png"``  – a 256 px PNG, red where x + y is even, blue where odd;
* ``"xml"``  – HTTP 200 with a WMTS ``ExceptionReport`` (a broken mirror);
* ``"html"`` – HTTP 200 with a proxy's login page;
* ``"hang"`` – accepts the request and never answers (until stopped);
* ``"down"`` – HTTP 503.

With :attr:`key` set, a request without ``tk=<key>`` gets an XML exception (as Tianditu
answers a wrong key).  Every request's path and query is kept in :attr:`requests`.
PNGs are written with zlib, so the Qt-free tests use the same server.
"""

from __future__ import annotations

import http.server
import struct
import threading
import zlib
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

DATA = Path(__file__).parent / "data" / "tiles"
RED, BLUE = (221, 0, 0), (0, 0, 221)
EXCEPTION = (b'<?xml version="1.0" encoding="UTF-8"?><ows:ExceptionReport xmlns:ows="http://www.opengis.net/ows/1.1" '
             b'version="1.0.0"><ows:Exception exceptionCode="InvalidParameterValue"><ows:ExceptionText>'
             b'TileMatrixSet w is not published here</ows:ExceptionText></ows:Exception></ows:ExceptionReport>')
LOGIN = b"<html><head><title>Intranet proxy login</title></head><body><form>user</form></body></html>"


def png_bytes(rgb, size: int = 256) -> bytes:
    """A one-colour RGB PNG."""
    row = b"\x00" + bytes(rgb) * size
    raw = row * size

    def chunk(tag, data):
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data) & 0xFFFFFFFF)

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b""))


TILES = {0: png_bytes(RED), 1: png_bytes(BLUE)}


def colour_of(x: int, y: int):
    return RED if (x + y) % 2 == 0 else BLUE


class TileServer:
    def __init__(self, mode: str = "png", capabilities: str | None = None, key: str | None = None):
        self.mode = mode
        self.key = key
        self.requests: list[str] = []
        self.tiles: list[tuple] = []           # (z, x, y) of every tile request, in order
        self.release = threading.Event()       # ends hanging requests
        self.lock = threading.Lock()
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self):
                outer._handle(self)

            def log_message(self, *a):
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.base = f"http://127.0.0.1:{self.port}"
        self.capabilities = None
        if capabilities:
            self.capabilities = (DATA / capabilities).read_text(encoding="utf-8").replace("@BASE@", self.base + "/wmts")
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    @property
    def xyz(self) -> str:
        return self.base + "/{z}/{x}/{y}.png"

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()

    def stop(self):
        self.release.set()
        self.httpd.shutdown()
        self.httpd.server_close()

    # ------------------------------------------------------------------ answers
    @staticmethod
    def _send(h, status: int, ctype: str, body: bytes):
        h.send_response(status)
        h.send_header("Content-Type", ctype)
        h.send_header("Content-Length", str(len(body)))
        h.end_headers()
        h.wfile.write(body)

    def _tile_of(self, parts, q):
        if q.get("REQUEST", "").lower() == "gettile":
            return (q.get("TILEMATRIX", ""), int(q["TILECOL"]), int(q["TILEROW"]))
        segs = [s for s in parts.path.split("/") if s]
        if segs and segs[-1].endswith(".png"):
            segs[-1] = segs[-1][:-4]
            if segs[0] == "rest":            # /rest/layer/style/set/z/row/col
                return (segs[-3], int(segs[-1]), int(segs[-2]))
            return (segs[-3], int(segs[-2]), int(segs[-1]))
        return None

    def _handle(self, h):
        with self.lock:
            self.requests.append(h.path)
        parts = urlsplit(h.path)
        q = {k.upper(): v for k, v in parse_qsl(parts.query, keep_blank_values=True)}
        if q.get("REQUEST", "").lower() == "getcapabilities" or parts.path.lower().endswith("capabilities.xml"):
            if self.capabilities is None:
                return self._send(h, 404, "text/plain", b"no capabilities")
            return self._send(h, 200, "application/xml", self.capabilities.encode("utf-8"))
        try:
            tile = self._tile_of(parts, q)
        except (KeyError, ValueError):
            tile = None
        if tile is None:
            return self._send(h, 404, "text/plain", b"not a tile")
        with self.lock:
            self.tiles.append(tile)
        mode = self.mode
        if mode == "hang":
            self.release.wait(60)
            return
        if mode == "down":
            return self._send(h, 503, "text/plain", b"maintenance")
        if mode == "xml" or (self.key is not None and q.get("TK") != self.key):
            return self._send(h, 200, "application/xml", EXCEPTION)
        if mode == "html":
            return self._send(h, 200, "text/html; charset=utf-8", LOGIN)
        z, x, y = tile
        return self._send(h, 200, "image/png", TILES[(x + y) % 2])
