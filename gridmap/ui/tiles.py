"""Downloading map tiles: asynchronous (``QNetworkAccessManager`` in the GUI
thread), into an on-disk cache, never more than once at a time per URL.

Render threads ask for missing tiles through :meth:`TileFetcher.request`
(thread-safe: it posts a queued signal).  A finished download is written to
the cache file and :attr:`TileFetcher.tileArrived` asks the canvas to redraw
that layer.  When the network is down, a URL that failed is not asked again
for a while and :attr:`TileFetcher.offline` fires at most once a minute — a
quiet status-bar notice, never a dialog loop.
"""

from __future__ import annotations

import hashlib
import time
from pathlib import Path

from PySide6.QtCore import QObject, QSettings, QUrl, Signal, Slot
from PySide6.QtNetwork import QNetworkAccessManager, QNetworkReply, QNetworkRequest

from .. import __version__

__all__ = ["TileFetcher", "default_cache_dir"]

RETRY_AFTER_S = 60.0
MAX_PENDING = 64


def default_cache_dir() -> Path:
    """``%LOCALAPPDATA%\\gridmap\\cache\\tiles`` on Windows (local, not roaming: tiles are big),
    ``~/.cache/gridmap/tiles`` on Linux (see :func:`gridmap.core.locations.user_dirs`)."""
    from ..core.locations import cache_dir

    return cache_dir() / "tiles"


class TileFetcher(QObject):
    tileArrived = Signal(int)         # layer id
    offline = Signal(str)             # a quiet notice (error text)
    _requested = Signal(int, str, str)

    def __init__(self, parent=None, cache_dir: Path | None = None):
        super().__init__(parent)
        self.cache_dir = Path(cache_dir) if cache_dir else default_cache_dir()
        self.nam = QNetworkAccessManager(self)
        self.nam.setTransferTimeout(15000)
        self.pending: dict[str, tuple[int, Path, QNetworkReply]] = {}
        self.failed: dict[str, float] = {}
        self.downloaded = 0
        self.errors = 0
        self._last_notice = 0.0
        self._requested.connect(self._start)

    # ------------------------------------------------------------------ cache
    def cache_path(self, template: str, z: int, x: int, y: int) -> Path:
        """Where tile (z, x, y) of a URL template is cached."""
        h = hashlib.sha1(template.encode("utf-8")).hexdigest()[:16]
        return self.cache_dir / h / str(z) / str(x) / f"{y}.tile"

    def key_for(self, template: str) -> str:
        """The user key for a provider (Tianditu tk), kept in the settings, not in plans."""
        if "tianditu" in template:
            return str(QSettings().value("tiles/tianditu_key", "") or "")
        return ""

    # ------------------------------------------------------------------ requests
    def request(self, layer_id: int, url: str, path: Path) -> None:
        """Ask for a tile (any thread)."""
        self._requested.emit(layer_id, url, str(path))

    @Slot(int, str, str)
    def _start(self, layer_id: int, url: str, path: str) -> None:
        if url in self.pending or len(self.pending) >= MAX_PENDING:
            return
        t = self.failed.get(url)
        if t is not None and time.monotonic() - t < RETRY_AFTER_S:
            return
        req = QNetworkRequest(QUrl(url))
        req.setHeader(QNetworkRequest.KnownHeaders.UserAgentHeader, f"gridmap/{__version__} (desktop GIS)")
        req.setAttribute(QNetworkRequest.Attribute.RedirectPolicyAttribute,
                         QNetworkRequest.RedirectPolicy.NoLessSafeRedirectPolicy)
        reply = self.nam.get(req)
        self.pending[url] = (layer_id, Path(path), reply)
        reply.finished.connect(lambda url=url: self._finished(url))

    def _finished(self, url: str) -> None:
        layer_id, path, reply = self.pending.pop(url)
        try:
            status = reply.attribute(QNetworkRequest.Attribute.HttpStatusCodeAttribute)
            if reply.error() != QNetworkReply.NetworkError.NoError or (status and int(status) >= 400):
                self.errors += 1
                self.failed[url] = time.monotonic()
                now = time.monotonic()
                if now - self._last_notice > 60.0:
                    self._last_notice = now
                    self.offline.emit(reply.errorString() or f"HTTP {status}")
                return
            data = bytes(reply.readAll().data())
            if not data:
                return
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(".part")
            tmp.write_bytes(data)
            tmp.replace(path)
            self.downloaded += 1
            self.failed.pop(url, None)
            self.tileArrived.emit(layer_id)
        finally:
            reply.deleteLater()

    def busy(self) -> bool:
        return bool(self.pending)
