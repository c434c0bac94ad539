"""Background rendering (QGIS's map renderer job, simplified).

A :class:`RenderJob` draws the layers whose cached image is stale into one
``QImage`` each, in the canvas's worker thread, then places the
labels of all layers together (one label engine per frame, so labels of
different layers never collide) into one more image.  A job checks its cancel
flag between layers and, inside each layer, between feature batches: a newer
view cancels an older render.
"""

from __future__ import annotations

import threading
import time
import traceback

import numpy as np
from PySide6.QtCore import QObject, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QImage, QPainter, QPen

from ..core.view.labels import OccupiedIndex, place
from .layers.base import Cancelled, RenderContext
from ..core.view.viewport import Viewport

__all__ = ["RenderJob", "RenderSignals", "new_image", "label_font", "draw_label_candidates", "draw_labels",
           "render_layers"]

REPEAT_PX = 300.0  # the same line label (a road name) is shown at most once within this distance

FONT_FAMILIES = ["Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC",
                 "WenQuanYi Micro Hei", "sans-serif"]


def new_image(vp: Viewport) -> QImage:
    img = QImage(max(1, vp.width), max(1, vp.height), QImage.Format.Format_ARGB32_Premultiplied)
    img.fill(Qt.GlobalColor.transparent)
    return img


def label_font(px: int) -> QFont:
    f = QFont()
    f.setFamilies(FONT_FAMILIES)
    f.setPixelSize(int(px))
    return f


def draw_label_candidates(painter: QPainter, candidates: list, width: int, height: int,
                          cancelled=lambda: False, occupied: OccupiedIndex | None = None) -> int:
    """Place and draw the label candidates of several layers (first layer first),
    clear of the boxes in ``occupied`` (the grid labels); returns how many labels were drawn."""
    occ = occupied if occupied is not None else OccupiedIndex(48.0)
    seen: dict[str, list[tuple[float, float]]] = {}   # a road name is repeated at most every REPEAT_PX
    fonts: dict[int, tuple[QFont, QFontMetricsF]] = {}
    drawn = 0
    painter.setRenderHint(QPainter.RenderHint.TextAntialiasing, True)
    halo = QColor(255, 255, 255, 220)
    for cand in candidates:
        if cand is None or not len(cand):
            continue
        order = np.argsort(-cand.priority, kind="stable")
        n = len(order)
        w = np.zeros(n)
        h = np.zeros(n)
        for j, i in enumerate(order):
            size = int(cand.font_px[i])
            if size not in fonts:
                f = label_font(size)
                fonts[size] = (f, QFontMetricsF(f))
            fm = fonts[size][1]
            options = cand.variants[i] if getattr(cand, "variants", None) is not None else [cand.texts[i]]
            for text in options or [""]:      # the fullest text that fits its feature (as on paper)
                sz = fm.size(0, text) if text else None
                w[j] = sz.width() if sz is not None else 0.0
                h[j] = sz.height() if sz is not None else fm.height()
                if w[j] <= cand.max_w[i] and h[j] <= cand.max_h[i]:
                    break
            cand.texts[i] = text
        if cancelled():
            raise Cancelled()
        ok = (w > 0) & (w <= cand.max_w[order]) & (h <= cand.max_h[order])
        idx = order[ok]
        keep = place(cand.px[idx], cand.py[idx], w[ok], h[ok], width, height, occupied=occ)
        color = QColor(cand.color)
        for k in keep:
            i = idx[k]
            if getattr(cand, "dedupe", False):
                prev = seen.setdefault(cand.texts[i], [])
                if any((cand.px[i] - x) ** 2 + (cand.py[i] - y) ** 2 < REPEAT_PX ** 2 for x, y in prev):
                    continue
                prev.append((cand.px[i], cand.py[i]))
            f = fonts[int(cand.font_px[i])][0]
            painter.setFont(f)
            rect = QRectF(cand.px[i] - w[ok][k] / 2, cand.py[i] - h[ok][k] / 2, w[ok][k], h[ok][k])
            painter.setPen(QPen(halo))
            for dx, dy in ((-1, 0), (1, 0), (0, -1), (0, 1)):
                painter.drawText(rect.translated(dx, dy), Qt.AlignmentFlag.AlignCenter, cand.texts[i])
            painter.setPen(QPen(color))
            painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, cand.texts[i])
            drawn += 1
    return drawn


def draw_labels(painter: QPainter, label_layers: list, vp: Viewport, cancelled=lambda: False):
    """All labels of one frame: the grids' by the label engine the printed maps use
    (:mod:`gridmap.ui.grid_labels`), then the other layers' (road names, places, …)
    clear of them, top layer first.  Returns (count drawn, the grid labels' result)."""
    from .grid_labels import draw_view_labels, place_view_labels, uses_engine

    occ = OccupiedIndex(48.0)
    res, placer, px_per_pt = place_view_labels(label_layers, vp, cancelled)
    count = draw_view_labels(painter, res, placer, vp, px_per_pt, occupied=occ)
    ctx = RenderContext(None, vp, cancelled)
    cands = [layer.label_candidates(ctx) for layer in label_layers if not uses_engine(layer)]
    count += draw_label_candidates(painter, cands, vp.width, vp.height, cancelled, occupied=occ)
    return count, res


def render_layers(layers, vp: Viewport, labels: bool = True, background: QColor | None = None) -> QImage:
    """Draw ``layers`` (bottom first) and their labels into one image, synchronously
    (for exports, the overview map and benchmarks)."""
    img = new_image(vp)
    if background is not None:
        img.fill(background)
    p = QPainter(img)
    lab = []
    for layer in layers:
        if not (layer.visible and layer.ready):
            continue
        p.save()
        p.setOpacity(layer.opacity)
        layer.render(RenderContext(p, vp, labels=labels))
        p.restore()
        if labels and hasattr(layer, "label_candidates") and layer.style.get("label_field"):
            lab.append(layer)
    if labels:
        draw_labels(p, list(reversed(lab)), vp)
    p.end()
    return img


class RenderSignals(QObject):
    """Signals of render jobs, delivered in the GUI thread."""

    layerRendered = Signal(int, int, int, object, QImage, float)   # job, layer id, revision, viewport, image, ms
    labelsRendered = Signal(int, object, QImage, int)               # job, viewport, image, count
    layerFailed = Signal(int, int, str)                             # job, layer id, message
    finished = Signal(int, bool, float)                             # job, cancelled, ms


class RenderJob:
    """Render ``layers`` (a list of (layer, revision)) for ``viewport`` in a worker thread."""

    def __init__(self, job_id: int, viewport: Viewport, layers: list, label_layers: list,
                 signals: RenderSignals, labels: bool = True):
        self.job_id = job_id
        self.viewport = viewport
        self.layers = layers
        self.label_layers = label_layers
        self.signals = signals
        self.labels = labels
        self.grid_labels = None          # what the label engine placed for the grids (GridLabelResult)
        self.cancel_event = threading.Event()

    def cancel(self) -> None:
        self.cancel_event.set()

    def cancelled(self) -> bool:
        return self.cancel_event.is_set()

    def run(self) -> None:  # worker thread
        t0 = time.perf_counter()
        vp = self.viewport
        try:
            for layer, revision in self.layers:
                if self.cancelled():
                    raise Cancelled()
                t1 = time.perf_counter()
                img = new_image(vp)
                p = QPainter(img)
                try:
                    layer.render(RenderContext(p, vp, self.cancelled, labels=self.labels))
                except Cancelled:
                    raise
                except Exception as exc:  # a broken layer must not stop the others
                    layer.error = f"{type(exc).__name__}: {exc}"
                    self.signals.layerFailed.emit(self.job_id, layer.id, layer.error)
                    traceback.print_exc()
                finally:
                    p.end()
                self.signals.layerRendered.emit(self.job_id, layer.id, revision, vp, img,
                                                (time.perf_counter() - t1) * 1000.0)
            if self.label_layers is not None:
                img = new_image(vp)
                count = 0
                if self.labels and self.label_layers:
                    p = QPainter(img)
                    try:
                        count, self.grid_labels = draw_labels(p, self.label_layers, vp, self.cancelled)
                    finally:
                        p.end()
                self.signals.labelsRendered.emit(self.job_id, vp, img, count)
        except Cancelled:
            self.signals.finished.emit(self.job_id, True, (time.perf_counter() - t0) * 1000.0)
            return
        self.signals.finished.emit(self.job_id, False, (time.perf_counter() - t0) * 1000.0)
