"""Dialogs of tile base maps: the source (XYZ template, a preset, or a WMTS service read
from its capabilities — layer, style, tile matrix set), the tile cache (size cap, expiry,
clear, refresh this view) and "save this area for offline use" (an MBTiles file with a
progress bar and cancel).

All tile logic is in :mod:`gridmap.core.tiles`; these dialogs only show and dispatch.
Keys typed here go to the user's settings (per host), never into the plan.
"""

from __future__ import annotations

import threading
from pathlib import Path

from PySide6.QtCore import QEventLoop, QObject, QTimer, QUrl, Signal
from PySide6.QtNetwork import QNetworkAccessManager, QNetworkReply, QNetworkRequest
from PySide6.QtWidgets import (QCheckBox, QComboBox, QDialog, QDialogButtonBox, QFileDialog, QFormLayout,
                               QGroupBox, QHBoxLayout, QLabel, QLineEdit, QProgressBar, QPushButton, QSpinBox,
                               QVBoxLayout, QWidget)

from ..core.tiles.cache import DEFAULT_CAP_MB, DEFAULT_DAYS
from ..core.tiles.keys import carry_key, key_param, needs_key, split_key
from ..core.tiles.wmts import (CapabilitiesError, build_source, capabilities_url, is_capabilities_url,
                               parse_capabilities)
from .layers.tiles import TILE_PRESETS
from .tiles import cache_settings, key_for, set_key

__all__ = ["TileSourceDialog", "TileCacheDialog", "OfflineAreaDialog", "fetch_bytes"]


def fetch_bytes(url: str, timeout_ms: int = 15000) -> tuple[bytes, str]:
    """GET a small document (capabilities) with a local event loop: (body, error text)."""
    if url.startswith("file:") or Path(url).exists():
        try:
            path = QUrl(url).toLocalFile() if url.startswith("file:") else url
            return Path(path).read_bytes(), ""
        except OSError as exc:
            return b"", str(exc)
    nam = QNetworkAccessManager()
    nam.setTransferTimeout(timeout_ms)
    reply = nam.get(QNetworkRequest(QUrl(url)))
    loop = QEventLoop()
    reply.finished.connect(loop.quit)
    loop.exec()
    data = bytes(reply.readAll().data())
    status = reply.attribute(QNetworkRequest.Attribute.HttpStatusCodeAttribute)
    err = ""
    if reply.error() != QNetworkReply.NetworkError.NoError:
        err = reply.errorString() or "network error"
    elif status and int(status) >= 400:
        err = f"HTTP {int(status)}"
    reply.deleteLater()
    return data, err


class TileSourceDialog(QDialog):
    """Pick a tile provider (OpenStreetMap, 天地图, 高德 GCJ-02), a custom URL template,
    or a WMTS service (its capabilities are read and its layers offered)."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("Add tile base map"))
        self.caps = None
        self.preset = QComboBox()
        for key, (name, url, opts) in TILE_PRESETS.items():
            self.preset.addItem(name, key)
        self.preset.addItem(self.tr("Custom URL template"), "custom")
        self.preset.addItem(self.tr("WMTS service (read its capabilities)"), "wmts")
        self.name = QLineEdit()
        self.url = QLineEdit()
        self.url.setPlaceholderText("https://example.org/{z}/{x}/{y}.png")
        self.read_button = QPushButton(self.tr("Read capabilities"))
        url_row = QHBoxLayout()
        url_row.setContentsMargins(0, 0, 0, 0)
        url_row.addWidget(self.url, 1)
        url_row.addWidget(self.read_button)
        url_box = QWidget()
        url_box.setLayout(url_row)
        self.key = QLineEdit()
        self.key.setPlaceholderText(self.tr("Service key (Tianditu tk, token of a mirror)"))
        self.key.setEchoMode(QLineEdit.EchoMode.PasswordEchoOnEdit)
        self.key_note = QLabel(self.tr("Kept in your user settings, never saved in the plan or its exports."))
        self.key_note.setWordWrap(True)
        self.gcj = QCheckBox(self.tr("Provider uses GCJ-02 (offset, e.g. Amap/Tencent)"))
        self.subdomains = QLineEdit()
        self.min_zoom = QSpinBox()
        self.min_zoom.setRange(0, 24)
        self.max_zoom = QSpinBox()
        self.max_zoom.setRange(0, 24)
        self.max_zoom.setValue(19)
        zoom_row = QHBoxLayout()
        zoom_row.setContentsMargins(0, 0, 0, 0)
        zoom_row.addWidget(self.min_zoom)
        zoom_row.addWidget(QLabel(self.tr("to")))
        zoom_row.addWidget(self.max_zoom)
        zoom_row.addStretch(1)
        zoom_box = QWidget()
        zoom_box.setLayout(zoom_row)

        # WMTS choices
        self.wmts_layer = QComboBox()
        self.wmts_layer.setProperty("data_values", True)      # the service's own identifiers
        self.wmts_style = QComboBox()
        self.wmts_style.setProperty("data_values", True)
        self.wmts_set = QComboBox()
        self.wmts_set.setProperty("data_values", True)
        self.wmts_format = QComboBox()
        self.wmts_format.setProperty("data_values", True)
        self.wmts_request = QComboBox()
        self.wmts_request.addItem(self.tr("KVP (GetTile parameters)"), "kvp")
        self.wmts_request.addItem(self.tr("REST (resource URL)"), "rest")
        wform = QFormLayout()
        wform.addRow(self.tr("Layer"), self.wmts_layer)
        wform.addRow(self.tr("Style"), self.wmts_style)
        wform.addRow(self.tr("Tile matrix set"), self.wmts_set)
        wform.addRow(self.tr("Format"), self.wmts_format)
        wform.addRow(self.tr("Requests"), self.wmts_request)
        self.wmts_box = QGroupBox(self.tr("WMTS service"))
        self.wmts_box.setLayout(wform)
        self.status = QLabel()
        self.status.setWordWrap(True)

        form = QFormLayout()
        form.addRow(self.tr("Provider"), self.preset)
        form.addRow(self.tr("Name"), self.name)
        form.addRow(self.tr("URL template"), url_box)
        form.addRow(self.tr("Subdomains"), self.subdomains)
        form.addRow(self.tr("Key"), self.key)
        form.addRow("", self.key_note)
        form.addRow(self.tr("Zoom levels"), zoom_box)
        form.addRow("", self.gcj)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        lay = QVBoxLayout(self)
        lay.addLayout(form)
        lay.addWidget(self.wmts_box)
        lay.addWidget(self.status)
        lay.addWidget(buttons)
        self.preset.currentIndexChanged.connect(self._preset_changed)
        self.url.textChanged.connect(self._url_changed)
        self.read_button.clicked.connect(self.read_capabilities)
        self.wmts_layer.currentIndexChanged.connect(self._wmts_layer_changed)
        self.wmts_set.currentIndexChanged.connect(self._wmts_set_changed)
        self._preset_changed()

    # ------------------------------------------------------------------ state
    def _preset_changed(self, *_) -> None:
        key = self.preset.currentData()
        if key in TILE_PRESETS:
            name, url, opts = TILE_PRESETS[key]
            self.name.setText(name)
            self.url.setText(url)
            self.subdomains.setText(opts.get("subdomains", ""))
            self.gcj.setChecked(opts.get("datum") == "gcj02")
            self.min_zoom.setValue(int(opts.get("min_zoom", 0)))
            self.max_zoom.setValue(int(opts.get("max_zoom", 19)))
        elif key == "wmts":
            self.url.setPlaceholderText("http://10.0.0.8/vec_c/wmts?request=GetCapabilities&service=wmts&tk={key}")
        self.caps = None if key != "wmts" else self.caps
        self._url_changed()

    def _template_needs_key(self) -> bool:
        text = self.url.text()
        return needs_key(text) or bool(split_key(text)[1]) or bool(key_param(text))

    def _url_changed(self, *_) -> None:
        text = self.url.text().strip()
        wmts = self.preset.currentData() == "wmts" or is_capabilities_url(text)
        self.read_button.setVisible(wmts)
        self.wmts_box.setVisible(wmts and self.caps is not None)
        on = self._template_needs_key()
        self.key.setEnabled(on)
        if on and not self.key.text():
            literal = split_key(text)[1]
            self.key.setText(literal or key_for(split_key(text)[0]))

    def read_capabilities(self) -> bool:
        """Fetch and read the WMTS capabilities of the address; offer its layers."""
        template, literal = split_key(self.url.text().strip())
        key = self.key.text().strip() or literal
        url = capabilities_url(template)
        data, err = fetch_bytes(url.replace("{key}", key))
        if err:
            self._say(self.tr("Cannot read the capabilities: %1").replace("%1", err.replace(key, "***") if key else err))
            return False
        try:
            caps = parse_capabilities(data, url)
        except CapabilitiesError as exc:
            self._say(self.tr("Not a WMTS capabilities document: %1").replace("%1", str(exc)))
            return False
        self.caps = caps
        self.wmts_layer.blockSignals(True)
        self.wmts_layer.clear()
        for lay in caps.layers:
            self.wmts_layer.addItem(f"{lay.ident} · {lay.title}" if lay.title != lay.ident else lay.ident, lay.ident)
        self.wmts_layer.blockSignals(False)
        self._wmts_layer_changed()
        if not self.name.text().strip() or self.preset.currentData() in ("custom", "wmts"):
            self.name.setText(caps.title or caps.layers[0].ident)
        self._say(self.tr("%1 layer(s), %2 tile matrix set(s)").replace("%1", str(len(caps.layers)))
                  .replace("%2", str(len(caps.matrix_sets))))
        self._url_changed()
        return True

    def _wmts_layer_changed(self, *_) -> None:
        if self.caps is None or self.wmts_layer.currentIndex() < 0:
            return
        lay = self.caps.layer(self.wmts_layer.currentData())
        for combo, values, default in ((self.wmts_style, lay.styles, lay.default_style),
                                       (self.wmts_format, lay.formats or ["image/png"], None)):
            combo.clear()
            for v in values:
                combo.addItem(v, v)
            if default:
                combo.setCurrentIndex(max(0, combo.findData(default)))
        self.wmts_set.blockSignals(True)
        self.wmts_set.clear()
        for ms in lay.matrix_sets:
            g = self.caps.matrix_sets.get(ms)
            if g is not None:
                self.wmts_set.addItem(f"{ms} · {g.crs}", ms)
        self.wmts_set.blockSignals(False)
        self.wmts_request.setEnabled(bool(lay.resource_urls) and self.caps.kvp_url is not None)
        self.wmts_request.setCurrentIndex(0 if self.caps.kvp_url is not None else 1)
        self._wmts_set_changed()

    def _wmts_set_changed(self, *_) -> None:
        g = self.caps.matrix_sets.get(self.wmts_set.currentData()) if self.caps is not None else None
        if g is None or not g.matrices:
            return
        levels = [m.level for m in g.matrices]
        self.min_zoom.setValue(min(levels))
        self.max_zoom.setValue(max(levels))

    def _say(self, text: str) -> None:
        self.status.setText(text)

    # ------------------------------------------------------------------ result
    def _accept(self) -> None:
        if self.min_zoom.value() > self.max_zoom.value():
            self._say(self.tr("The lowest zoom level is above the highest"))
            return
        if (self.preset.currentData() == "wmts" or is_capabilities_url(self.url.text())) and self.caps is None:
            if not self.read_capabilities():
                return
            return          # the planner picks a layer first
        if self.caps is None:
            t = self.url.text()
            if "{z}" not in t and "{TileMatrix}" not in t:
                self._say(self.tr("The URL template needs {z}, {x} and {y}"))
                return
        self.accept()

    def grid_and_template(self):
        """(template, TileGrid or None)."""
        template, _ = split_key(self.url.text().strip())
        if self.caps is None:
            return template, None
        src, grid = build_source(self.caps, self.wmts_layer.currentData(), self.wmts_style.currentData(),
                                 self.wmts_set.currentData(), self.wmts_format.currentData(),
                                 rest=self.wmts_request.currentData() == "rest")
        return carry_key(split_key(src)[0], self.url.text().strip()), grid

    def options(self) -> dict:
        opts = {"datum": "gcj02" if self.gcj.isChecked() else "wgs84",
                "min_zoom": int(self.min_zoom.value()), "max_zoom": int(self.max_zoom.value())}
        if self.subdomains.text().strip():
            opts["subdomains"] = self.subdomains.text().strip()
        template, grid = self.grid_and_template()
        if grid is not None:
            opts["grid"] = grid.to_dict()
            opts["wmts"] = {"layer": self.wmts_layer.currentData(), "style": self.wmts_style.currentData(),
                            "matrix_set": self.wmts_set.currentData()}
        return opts

    def result_source(self) -> tuple[str, str]:
        """(name, URL template with ``{key}`` where the key goes); the key goes to the settings."""
        template, _ = self.grid_and_template()
        if needs_key(template) and self.key.text().strip():
            set_key(template, self.key.text().strip())
        return self.name.text().strip() or self.tr("Tile map"), template


class TileCacheDialog(QDialog):
    """The tile cache: where, how large, the size cap and expiry; clear; refresh this view."""

    def __init__(self, win):
        super().__init__(win)
        self.win = win
        self.setWindowTitle(self.tr("Tile cache"))
        f = win.tile_fetcher
        mb, days = cache_settings()
        self.where = QLabel(str(f.cache_dir))
        self.where.setProperty("data_values", True)
        self.usage = QLabel()
        self.cap = QSpinBox()
        self.cap.setRange(10, 100_000)
        self.cap.setSuffix(" MB")
        self.cap.setValue(mb)
        self.days = QSpinBox()
        self.days.setRange(0, 3650)
        self.days.setValue(days)
        self.days.setSpecialValueText(self.tr("never"))
        self.clear_button = QPushButton(self.tr("Clear the cache"))
        self.refresh_button = QPushButton(self.tr("Refresh tiles in this view"))
        form = QFormLayout()
        form.addRow(self.tr("Folder"), self.where)
        form.addRow(self.tr("In use"), self.usage)
        form.addRow(self.tr("Size limit"), self.cap)
        form.addRow(self.tr("Ask again after (days)"), self.days)
        row = QHBoxLayout()
        row.addWidget(self.refresh_button)
        row.addWidget(self.clear_button)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addLayout(form)
        lay.addLayout(row)
        lay.addWidget(buttons)
        self.clear_button.clicked.connect(self._clear)
        self.refresh_button.clicked.connect(self._refresh)
        self._show_usage()

    def _show_usage(self) -> None:
        c = self.win.tile_fetcher.cache
        self.usage.setText(self.tr("%1 MB in %2 tile(s)").replace("%1", f"{c.size() / 1048576:.1f}")
                           .replace("%2", str(c.count())))

    def _clear(self) -> None:
        self.win.layer_manager.clear_tile_cache()
        self._show_usage()

    def _refresh(self) -> None:
        self.win.layer_manager.refresh_tiles_in_view()
        self._show_usage()

    def _accept(self) -> None:
        from PySide6.QtCore import QSettings

        QSettings().setValue("tiles/cache_mb", int(self.cap.value()))
        QSettings().setValue("tiles/cache_days", int(self.days.value()))
        self.win.tile_fetcher.apply_settings()
        self.accept()


class _Download(QObject):
    progress = Signal(int, int)
    finished = Signal(object)
    failed = Signal(str)


class OfflineAreaDialog(QDialog):
    """Save the tiles of an extent (the view by default) and a zoom range into an MBTiles
    file — to prepare laptops for field visits.  Progress bar and cancel; the download
    runs in its own thread (the map stays usable)."""

    def __init__(self, win, layers, layer_id: int | None = None):
        super().__init__(win)
        self.win = win
        self.layers = list(layers)
        self.setWindowTitle(self.tr("Save this area for offline use"))
        self.layer = QComboBox()
        self.layer.setProperty("data_values", True)        # the plan's own layer names
        for l in self.layers:
            self.layer.addItem(l.name, l.id)
        if layer_id is not None and self.layer.findData(layer_id) >= 0:
            self.layer.setCurrentIndex(self.layer.findData(layer_id))
        self.extent = QLineEdit()
        self.extent.setPlaceholderText(self.tr("west,south,east,north in degrees"))
        self.zmin = QSpinBox()
        self.zmax = QSpinBox()
        for s in (self.zmin, self.zmax):
            s.setRange(0, 24)
        self.count = QLabel()
        self.output = QLineEdit()
        self.browse = QPushButton(self.tr("Browse…"))
        out_row = QHBoxLayout()
        out_row.setContentsMargins(0, 0, 0, 0)
        out_row.addWidget(self.output, 1)
        out_row.addWidget(self.browse)
        out_box = QWidget()
        out_box.setLayout(out_row)
        zoom_row = QHBoxLayout()
        zoom_row.setContentsMargins(0, 0, 0, 0)
        zoom_row.addWidget(self.zmin)
        zoom_row.addWidget(QLabel(self.tr("to")))
        zoom_row.addWidget(self.zmax)
        zoom_row.addStretch(1)
        zoom_box = QWidget()
        zoom_box.setLayout(zoom_row)
        self.bar = QProgressBar()
        self.bar.setRange(0, 100)
        self.bar.setValue(0)
        self.status = QLabel()
        self.status.setWordWrap(True)
        form = QFormLayout()
        form.addRow(self.tr("Tile base map"), self.layer)
        form.addRow(self.tr("Extent (lon/lat)"), self.extent)
        form.addRow(self.tr("Zoom levels"), zoom_box)
        form.addRow("", self.count)
        form.addRow(self.tr("MBTiles file"), out_box)
        self.start_button = QPushButton(self.tr("Save"))
        self.cancel_button = QPushButton(self.tr("Cancel"))
        self.close_button = QPushButton(self.tr("Close"))
        self.add_button = QPushButton(self.tr("Add the file as a base map"))
        self.add_button.setVisible(False)
        row = QHBoxLayout()
        row.addWidget(self.add_button)
        row.addStretch(1)
        row.addWidget(self.start_button)
        row.addWidget(self.cancel_button)
        row.addWidget(self.close_button)
        lay = QVBoxLayout(self)
        lay.addLayout(form)
        lay.addWidget(self.bar)
        lay.addWidget(self.status)
        lay.addLayout(row)
        self.cancel_button.setEnabled(False)
        self.start_button.clicked.connect(self.start)
        self.cancel_button.clicked.connect(self.cancel)
        self.close_button.clicked.connect(self.reject)
        self.browse.clicked.connect(self._browse)
        self.add_button.clicked.connect(self.add_saved)
        self.layer.currentIndexChanged.connect(self._layer_changed)
        self.extent.textChanged.connect(self._update_count)
        self.zmin.valueChanged.connect(self._update_count)
        self.zmax.valueChanged.connect(self._update_count)
        self._cancel = threading.Event()
        self.thread: threading.Thread | None = None
        self.result = None
        self._set_view_extent()
        self._layer_changed()

    # ------------------------------------------------------------------ inputs
    def current_layer(self):
        lid = self.layer.currentData()
        return next((l for l in self.layers if l.id == lid), None)

    def _set_view_extent(self) -> None:
        from .layers.base import local_transformer

        vp = self.win.canvas.viewport
        crs = self.win.document.plan.crs.to_wkt()
        xmin, ymin, xmax, ymax = vp.extent
        w, s, e, n = local_transformer(crs, "EPSG:4326").transform_bounds(xmin, ymin, xmax, ymax, densify_pts=11)
        self.extent.setText(f"{w:.6f},{s:.6f},{e:.6f},{n:.6f}")

    def _layer_changed(self, *_) -> None:
        layer = self.current_layer()
        if layer is None:
            return
        src = layer.source
        lo, hi = src.min_zoom, src.max_zoom
        for s in (self.zmin, self.zmax):
            s.blockSignals(True)
            s.setRange(lo, hi)
            s.blockSignals(False)
        now = layer.last_view[0] if layer.last_view else lo
        self.zmin.setValue(max(lo, min(hi, now)))
        self.zmax.setValue(max(lo, min(hi, now + 2)))
        if not self.output.text():
            folder = self.win.document.project_dir if self.win.document.project_dir else Path.home()
            self.output.setText(str(Path(folder) / "offline_area.mbtiles"))
        self._update_count()

    def extent_ll(self):
        try:
            values = [float(v) for v in self.extent.text().replace(" ", "").split(",")]
        except ValueError:
            return None
        return tuple(values) if len(values) == 4 else None

    def _update_count(self, *_) -> None:
        from ..core.tiles.download import area_tiles

        layer, ext = self.current_layer(), self.extent_ll()
        if layer is None or ext is None:
            self.count.setText(self.tr("Write the extent as west,south,east,north"))
            return
        if not layer.source.grid.is_web_mercator:
            self.count.setText(self.tr("MBTiles holds only Web-Mercator tiles: choose another tile matrix set"))
            self.start_button.setEnabled(False)
            return
        self.start_button.setEnabled(self.thread is None)
        try:
            n = len(area_tiles(layer.source, ext, self.zmin.value(), self.zmax.value()))
        except Exception:
            n = 0
        self.count.setText(self.tr("%1 tile(s)").replace("%1", f"{n:,}"))

    def _browse(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Save this area for offline use"), self.output.text(),
                                              "MBTiles (*.mbtiles)")
        if path:
            self.output.setText(path if path.endswith(".mbtiles") else path + ".mbtiles")

    # ------------------------------------------------------------------ running
    def start(self) -> bool:
        from ..core.tiles.download import DownloadError, download_area
        from ..core.tiles.source import TileSource

        layer, ext = self.current_layer(), self.extent_ll()
        out = self.output.text().strip()
        if layer is None or ext is None or not out:
            self.status.setText(self.tr("Write the extent as west,south,east,north"))
            return False
        if Path(out).exists():
            self.status.setText(self.tr("%1 exists: choose another file name (it is not overwritten)").replace("%1", out))
            return False
        s = layer.source
        source = TileSource(layer.template, s.grid, s.subdomains, s.datum, s.min_zoom, s.max_zoom)
        key = key_for(layer.template)
        cache = self.win.tile_fetcher.cache
        zmin, zmax = self.zmin.value(), self.zmax.value()
        self._cancel.clear()
        sig = _Download(self)
        sig.progress.connect(self._progress)
        sig.finished.connect(self._finished)
        sig.failed.connect(self._failed)
        self._signals = sig
        cancel = self._cancel

        def run():
            try:
                r = download_area(source, ext, zmin, zmax, out, key=key, cache=cache,
                                  progress=lambda d, t: sig.progress.emit(d, t), cancelled=cancel.is_set,
                                  name=layer.name)
            except DownloadError as exc:
                sig.failed.emit(str(exc))
            except Exception as exc:   # one line, never a traceback dialog
                sig.failed.emit(f"{type(exc).__name__}: {exc}")
            else:
                sig.finished.emit(r)

        self.start_button.setEnabled(False)
        self.add_button.setVisible(False)
        self.cancel_button.setEnabled(True)
        self.status.setText(self.tr("Downloading…"))
        self.thread = threading.Thread(target=run, name="gridmap-offline-tiles", daemon=True)
        self.thread.start()
        return True

    @property
    def running(self) -> bool:
        return self.thread is not None and self.thread.is_alive()

    def cancel(self) -> None:
        self._cancel.set()
        self.status.setText(self.tr("Cancelling…"))

    def _progress(self, done: int, total: int) -> None:
        self.bar.setValue(int(100 * done / max(total, 1)))
        self.status.setText(self.tr("%1 of %2 tile(s)").replace("%1", str(done)).replace("%2", str(total)))

    def _done(self) -> None:
        self.thread = None
        self.cancel_button.setEnabled(False)
        self._update_count()

    def _finished(self, r) -> None:
        self.result = r
        self._done()
        if r.cancelled:
            self.status.setText(self.tr("Cancelled: no file was written"))
        elif r.path is None:
            self.status.setText(self.tr("No tile could be downloaded: no file was written"))
        else:
            text = self.tr("Saved %1 tile(s) to %2").replace("%1", str(r.written)).replace("%2", str(r.path))
            if r.failed:
                text += " " + self.tr("(%1 failed: %2)").replace("%1", str(r.failed)).replace(
                    "%2", "; ".join(list(r.reasons)[:2]))
            self.status.setText(text)
            self.bar.setValue(100)
            self.add_button.setVisible(True)

    def add_saved(self):
        """Add the MBTiles file just written as a base map (to check it before the field visit)."""
        if self.result is None or self.result.path is None:
            return None
        self.add_button.setVisible(False)
        return self.win.add_base_layer("mbtiles", str(self.result.path))

    def _failed(self, msg: str) -> None:
        self.result = None
        self._done()
        self.status.setText(msg)

    def reject(self) -> None:
        if self.running:
            self.cancel()
            self.thread.join(10)
        super().reject()


def default_limits() -> tuple[int, int]:
    return DEFAULT_CAP_MB, DEFAULT_DAYS
