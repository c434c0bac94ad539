"""Downloading map tiles: asynchronous (``QNetworkAccessManager`` in the GUI thread),
into the on-disk cache of :class:`gridmap.core.tiles.cache.TileCache`, never more than
once at a time per URL.

Render threads ask for missing tiles through :meth:`TileFetcher.request` (thread-safe:
it posts a queued signal).  A finished download is checked (an answer that is not an
image — a proxy's login page, a WMTS ``ExceptionReport`` — is a failed tile), written to
the cache, and :attr:`TileFetcher.tileArrived` asks the canvas to redraw that layer.

A failing server is backed off (:class:`gridmap.core.tiles.policy.Backoff`): after a
failure only one probe request goes to that host, after 1 s, 2 s, 4 s … at most 60 s —
when the view changes or, on a still view, when the delay has passed
(:attr:`retryDue`).  :attr:`notice` tells the window what happened: ``"offline"`` (the
network or server is down), ``"not_image"`` (with what the server answered) and
``"back"`` (the server answers again; the view is redrawn).
"""

from __future__ import annotations

import time
from pathlib import Path

from PySide6.QtCore import QObject, QSettings, QStandardPaths, QTimer, QUrl, Signal, Slot
from PySide6.QtNetwork import QNetworkAccessManager, QNetworkReply, QNetworkRequest

from .. import __version__
from ..core.tiles.cache import DEFAULT_CAP_MB, DEFAULT_DAYS, TileCache
from ..core.tiles.keys import host_of, redact
from ..core.tiles.policy import Backoff, describe_answer, sniff_image

__all__ = ["TileFetcher", "default_cache_dir", "key_for", "set_key", "cache_settings"]

RETRY_AFTER_S = 60.0     # a tile the server does not have (404) is asked again after this
MAX_PENDING = 64


def default_cache_dir() -> Path:
    """``%LOCALAPPDATA%\\gridmap\\cache\\tiles`` on Windows (local, not roaming: tiles are big),
    ``~/.cache/gridmap/tiles`` on Linux (see :func:`gridmap.core.locations.user_dirs`)."""
    from ..core.locations import cache_dir

    return cache_dir() / "tiles"


def _key_setting(host: str) -> str:
    return "tiles/keys/" + host.replace("/", "_").replace(":", "_")


def key_for(template: str) -> str:
    """The user's key for a template's host, from the user's settings (never from a plan)."""
    if "{key}" not in template:
        return ""
    s = QSettings()
    value = s.value(_key_setting(host_of(template)), "")
    if not value and "tianditu" in template:
        value = s.value("tiles/tianditu_key", "")
    return str(value or "")


def set_key(template: str, key: str) -> None:
    host = host_of(template)
    if host:
        QSettings().setValue(_key_setting(host), str(key or "").strip())
    if "tianditu" in host:
        QSettings().setValue("tiles/tianditu_key", str(key or "").strip())


def cache_settings() -> tuple[int, int]:
    """(size cap in MB, expiry in days) from the settings."""
    s = QSettings()
    try:
        mb = int(s.value("tiles/cache_mb", DEFAULT_CAP_MB))
        days = int(s.value("tiles/cache_days", DEFAULT_DAYS))
    except (TypeError, ValueError):
        mb, days = DEFAULT_CAP_MB, DEFAULT_DAYS
    return max(mb, 1), max(days, 0)


class TileFetcher(QObject):
    tileArrived = Signal(int)               # layer id
    notice = Signal(str, str, str)          # kind ("offline", "not_image", "back"), host, detail
    retryDue = Signal()                     # a backed-off host may be probed again: redraw tile layers
    _requested = Signal(int, str, str, str, int, int)

    def __init__(self, parent=None, cache_dir: Path | None = None):
        super().__init__(parent)
        mb, days = cache_settings()
        self.cache = TileCache(Path(cache_dir) if cache_dir else default_cache_dir(), mb * 1024 * 1024,
                               days * 86400.0 if days else None)
        self.nam = QNetworkAccessManager(self)
        self.nam.setTransferTimeout(15000)
        self.backoff = Backoff(base=1.0, cap=60.0)
        self.pending: dict[str, tuple[set, str, str, int, int, QNetworkReply, str]] = {}
        self.failed: dict[str, float] = {}
        self.probe: dict[str, str] = {}      # host -> the URL of its probe request
        self.requests = 0
        self.downloaded = 0
        self.errors = 0
        self.last_answer: dict[str, str] = {}   # host -> what it last said instead of a tile
        self._retry = QTimer(self)
        self._retry.setSingleShot(True)
        self._retry.timeout.connect(self.retryDue)
        self._requested.connect(self._start)

    # ------------------------------------------------------------------ cache
    @property
    def cache_dir(self) -> Path:
        return self.cache.root

    @cache_dir.setter
    def cache_dir(self, path) -> None:
        self.cache.root = Path(path)
        self.cache._total = None

    def apply_settings(self) -> None:
        mb, days = cache_settings()
        self.cache.cap_bytes = mb * 1024 * 1024
        self.cache.max_age_s = days * 86400.0 if days else None
        self.cache.enforce()

    def cache_path(self, template: str, z, x: int, y: int) -> Path:
        """Where tile (z, x, y) of a URL template is cached."""
        return self.cache.path(template, z, x, y)

    def key_for(self, template: str) -> str:
        return key_for(template)

    # ------------------------------------------------------------------ requests
    def request(self, layer_id: int, url: str, template: str, z, x: int, y: int) -> None:
        """Ask for a tile (any thread)."""
        self._requested.emit(layer_id, url, template, str(z), int(x), int(y))

    def view_changed(self) -> None:
        """The view moved: tiles that were missing from the server may be asked again."""
        self.failed.clear()

    @Slot(int, str, str, str, int, int)
    def _start(self, layer_id: int, url: str, template: str, z: str, x: int, y: int) -> None:
        if url in self.pending:
            self.pending[url][0].add(layer_id)
            return
        if len(self.pending) >= MAX_PENDING:
            return
        t = self.failed.get(url)
        if t is not None and time.monotonic() - t < RETRY_AFTER_S:
            return
        path = self.cache.path(template, z, x, y)
        if path.exists() and self.cache.fresh(path):
            self.tileArrived.emit(layer_id)      # arrived while this request was queued
            return
        host = host_of(url)
        if not self.backoff.allowed(host):
            self._arm_retry()
            return
        if self.backoff.failing(host):
            self.backoff.sent(host)
            self.probe[host] = url
        req = QNetworkRequest(QUrl(url))
        req.setHeader(QNetworkRequest.KnownHeaders.UserAgentHeader, f"gridmap/{__version__} (desktop GIS)")
        req.setAttribute(QNetworkRequest.Attribute.RedirectPolicyAttribute,
                         QNetworkRequest.RedirectPolicy.NoLessSafeRedirectPolicy)
        reply = self.nam.get(req)
        self.requests += 1
        self.pending[url] = ({layer_id}, template, z, x, y, reply, host)
        reply.finished.connect(lambda url=url: self._finished(url))

    def _arm_retry(self) -> None:
        at = self.backoff.retry_at()
        if at is None or self._retry.isActive():
            return
        self._retry.start(max(10, int((at - time.monotonic()) * 1000) + 10))

    def _host_failed(self, host: str, url: str, kind: str, detail: str) -> None:
        self.errors += 1
        probe = self.probe.get(host)
        if self.backoff.failing(host) and probe is not None and probe != url:
            return          # one of the requests sent before the outage was noticed
        self.probe.pop(host, None)
        new = self.backoff.failed(host, detail)
        changed = self.last_answer.get(host) != detail
        self.last_answer[host] = detail
        if new or (kind == "not_image" and changed):
            self.notice.emit(kind, host, detail)
        self._arm_retry()

    def _finished(self, url: str) -> None:
        layers, template, z, x, y, reply, host = self.pending.pop(url)
        try:
            status = reply.attribute(QNetworkRequest.Attribute.HttpStatusCodeAttribute)
            status = int(status) if status else 0
            err = reply.error()
            data = bytes(reply.readAll().data())
            if status in (404, 204) or (status == 200 and not data):
                self.failed[url] = time.monotonic()      # no tile here; the server is fine
                if self.backoff.succeeded(host):
                    self.notice.emit("back", host, "")
                return
            if err != QNetworkReply.NetworkError.NoError or status >= 400:
                detail = f"HTTP {status} {reply.attribute(QNetworkRequest.Attribute.HttpReasonPhraseAttribute) or ''}" \
                    if status >= 400 else (reply.errorString() or "network error")
                key = key_for(template)
                self._host_failed(host, url, "offline", redact(detail.strip(), key))
                return
            if sniff_image(data) is None:
                ctype = str(reply.header(QNetworkRequest.KnownHeaders.ContentTypeHeader) or "")
                self._host_failed(host, url, "not_image", redact(describe_answer(ctype, data), key_for(template)))
                return
            self.cache.put(template, z, x, y, data)
            self.downloaded += 1
            self.failed.pop(url, None)
            self.probe.pop(host, None)
            if self.backoff.succeeded(host):
                self.last_answer.pop(host, None)
                self.notice.emit("back", host, "")
            for lid in layers:
                self.tileArrived.emit(lid)
        finally:
            reply.deleteLater()

    def busy(self) -> bool:
        return bool(self.pending)
