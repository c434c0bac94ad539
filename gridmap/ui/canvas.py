"""The map canvas (QGIS's QgsMapCanvas, simplified).

* One :class:`~gridmap.core.view.viewport.Viewport` says what is shown; every change
  (pan, zoom, resize) re-uses the cached layer images at once — translated and
  scaled — and re-renders when the view has settled (a debounce timer).
* Rendering runs in a worker thread (:class:`~gridmap.ui.render.RenderJob`);
  only layers whose cached image is stale are redrawn; a newer view cancels an
  older render.  Input is never blocked by drawing.
* Interaction goes through one current :class:`~gridmap.ui.tools.MapTool`;
  the middle button always pans, the wheel zooms around the cursor, arrow keys
  pan and +/− zoom.
"""

from __future__ import annotations

import numpy as np
import shapely
from PySide6.QtCore import QPointF, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor, QPainter, QPen
from PySide6.QtWidgets import QWidget

from .fastdraw import painter_path
from .layers.base import MapLayer
from .layers.vector import GeomArrays
from .render import RenderJob, RenderSignals
from ..core.view.viewport import Viewport
from ..core.workers import WorkerThread

__all__ = ["MapCanvas"]

ZOOM_STEP = 2.0 ** 0.5       # per wheel notch / key press
SETTLE_MS = 90               # re-render this long after the last view change


class MapCanvas(QWidget):
    """A widget drawing map layers (bottom first) for a viewport."""

    viewChanged = Signal(object)            # Viewport
    cursorMoved = Signal(float, float)      # map coordinates under the mouse
    renderStarted = Signal()
    frameFinished = Signal(float)           # ms of the last job
    layerFailed = Signal(int, str)          # layer id, message
    toolChanged = Signal(object)

    def __init__(self, parent=None, interactive: bool = True):
        super().__init__(parent)
        self.setMinimumSize(120, 90)
        self.setMouseTracking(True)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus if interactive else Qt.FocusPolicy.NoFocus)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent, True)
        self.interactive = interactive
        self.background = QColor("#f5f4f0")
        self.show_labels = True
        self._vp = Viewport(width=max(1, self.width()), height=max(1, self.height()),
                            dpi=float(self.logicalDpiX() or 96))
        self._layers: list[MapLayer] = []
        self._cache: dict[int, tuple[Viewport, int, object]] = {}
        self._labels: tuple[Viewport, object] | None = None
        self._labels_key = None
        self._pool = WorkerThread("gridmap-render")
        self._signals = RenderSignals(self)
        self._signals.layerRendered.connect(self._on_layer_rendered)
        self._signals.labelsRendered.connect(self._on_labels_rendered)
        self._signals.layerFailed.connect(lambda job, lid, msg: self.layerFailed.emit(lid, msg))
        self._signals.finished.connect(self._on_job_finished)
        self._job: RenderJob | None = None
        self._jobs: dict[int, RenderJob] = {}
        self._job_seq = 0
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SETTLE_MS)
        self._timer.timeout.connect(self._start_render)
        self._tool = None
        self._pan_from: QPointF | None = None
        self._highlight: GeomArrays | None = None
        self._highlight_family = "polygon"
        self.highlight_color = QColor("#ff2d55")
        self.overlays: list = []  # callables(painter, viewport) drawn on top (e.g. the overview's box)
        self.last_frame_ms = 0.0
        self.has_extent = False
        self.stats = {"jobs": 0, "cancelled": 0, "layers_rendered": 0}

    # ------------------------------------------------------------------ view
    @property
    def viewport(self) -> Viewport:
        return self._vp

    def set_viewport(self, vp: Viewport) -> None:
        vp = vp.resized(max(1, self.width()), max(1, self.height())) if (vp.width, vp.height) != (
            self.width(), self.height()) and self.width() > 1 else vp
        if vp.res <= 0 or not np.isfinite(vp.res):
            return
        if vp == self._vp:
            return
        self._vp = vp
        self.update()
        self.viewChanged.emit(vp)
        self.schedule()

    def set_map_units(self, metres_per_unit: float) -> None:
        from dataclasses import replace

        self._vp = replace(self._vp, metres_per_unit=float(metres_per_unit))
        self.viewChanged.emit(self._vp)

    def scale(self) -> float:
        return self._vp.scale()

    def set_scale(self, scale: float) -> None:
        if scale > 0:
            self.set_viewport(self._vp.with_scale(scale))

    def zoom_by(self, factor: float, anchor: tuple[float, float] | None = None) -> None:
        self.set_viewport(self._vp.zoomed(factor, anchor))

    def zoom_in(self) -> None:
        self.zoom_by(ZOOM_STEP ** 2)

    def zoom_out(self) -> None:
        self.zoom_by(1.0 / ZOOM_STEP ** 2)

    def pan_pixels(self, dx: float, dy: float) -> None:
        self.set_viewport(self._vp.panned(dx, dy))

    def zoom_to(self, extent, margin: float = 0.05, min_size: float = 0.0) -> None:
        """Show the map rectangle ``extent`` (xmin, ymin, xmax, ymax)."""
        if extent is None:
            return
        xmin, ymin, xmax, ymax = extent
        if min_size > 0:
            cx, cy = (xmin + xmax) / 2, (ymin + ymax) / 2
            half = max(xmax - xmin, ymax - ymin, min_size) / 2
            xmin, ymin, xmax, ymax = cx - half, cy - half, cx + half, cy + half
        self.set_viewport(self._vp.resized(max(1, self.width()), max(1, self.height())).fitted(
            (xmin, ymin, xmax, ymax), margin))

    def full_extent(self):
        """Union of the extents of the visible layers (plan layers first)."""
        exts = [l.extent() for l in self._layers if l.ready and l.group == "plan" and l.extent()]
        if not exts:
            exts = [l.extent() for l in self._layers if l.ready and l.extent()]
        exts = [e for e in exts if e and all(np.isfinite(e))]
        if not exts:
            return None
        a = np.array(exts)
        return (a[:, 0].min(), a[:, 1].min(), a[:, 2].max(), a[:, 3].max())

    def zoom_full(self) -> None:
        self.zoom_to(self.full_extent())

    def map_point(self, pos) -> tuple[float, float]:
        x, y = self._vp.to_map(pos.x(), pos.y())
        return float(x), float(y)

    # ------------------------------------------------------------------ layers
    @property
    def layers(self) -> list[MapLayer]:
        """Layers bottom first."""
        return list(self._layers)

    def set_layers(self, layers: list[MapLayer]) -> None:
        self._layers = list(layers)
        ids = {l.id for l in self._layers}
        self._cache = {k: v for k, v in self._cache.items() if k in ids}
        self.update()
        self.schedule(immediate=True)

    def layer(self, layer_id: int) -> MapLayer | None:
        return next((l for l in self._layers if l.id == layer_id), None)

    def refresh(self, layer: MapLayer | None = None) -> None:
        """Draw again (``layer`` changed, or everything)."""
        if layer is None:
            self._cache.clear()
            self._labels_key = None
        self.update()
        self.schedule(immediate=True)

    # ------------------------------------------------------------------ selection highlight
    def set_highlight(self, geoms) -> None:
        """Geometries (project CRS) drawn highlighted on top of all layers."""
        geoms = np.asarray([g for g in (geoms if geoms is not None else []) if g is not None], dtype=object)
        if len(geoms):
            fam = "point" if set(shapely.get_type_id(geoms).tolist()) <= {0, 4} else (
                "line" if set(shapely.get_type_id(geoms).tolist()) <= {1, 2, 5} else "polygon")
            self._highlight = GeomArrays(geoms, fam)
            self._highlight_family = fam
        else:
            self._highlight = None
        self.update()

    # ------------------------------------------------------------------ tools
    @property
    def tool(self):
        return self._tool

    def set_tool(self, tool) -> None:
        if self._tool is tool:
            return
        if self._tool is not None:
            self._tool.deactivate()
        self._tool = tool
        if tool is not None:
            tool.activate()
            self.setCursor(tool.cursor)
        else:
            self.unsetCursor()
        self.toolChanged.emit(tool)
        self.update()

    # ------------------------------------------------------------------ rendering
    def schedule(self, immediate: bool = False) -> None:
        """(Re)start the settle timer; rendering begins when the view stops changing."""
        if immediate and not self._timer.isActive():
            self._timer.start(0)
        else:
            self._timer.start(SETTLE_MS)

    def render_now(self) -> None:
        """Start drawing at the next event-loop turn, without the settle time of a view change (a
        plan just shown: nothing else will move the view)."""
        self._timer.start(0)

    def _visible(self):
        return [l for l in self._layers if l.visible and l.ready]

    def _label_state(self):
        lab = [l for l in reversed(self._visible()) if hasattr(l, "label_candidates") and l.style.get("label_field")]
        key = (self._vp.key(), self.show_labels, tuple((l.id, l.revision) for l in lab))
        return lab, key

    def stale_layers(self):
        key = self._vp.key()
        out = []
        for l in self._visible():
            c = self._cache.get(l.id)
            if c is None or c[0].key() != key or c[1] != l.revision:
                out.append((l, l.revision))
        return out

    def has_drawn(self, layers) -> bool:
        """Whether each of ``layers`` (visible ones) is drawn for the current view: e.g. the
        plan's grids — the first frame of an opening (benchmarks)."""
        key = self._vp.key()
        for l in layers:
            if not (l.visible and l.ready):
                continue
            c = self._cache.get(l.id)
            if c is None or c[0].key() != key:
                return False
        return True

    def is_idle(self) -> bool:
        """Nothing to draw and nothing being drawn (tests and benchmarks wait on this)."""
        return (not self._timer.isActive() and self._job is None and not self.stale_layers()
                and self._label_state()[1] == self._labels_key)

    def _start_render(self) -> None:
        if self._job is not None:
            self._job.cancel()
            self._timer.start(10)  # start after the old job has stopped
            return
        if self.width() <= 1 or self.height() <= 1:
            return
        self._vp = self._vp.resized(self.width(), self.height())
        # the smallest layers first (they are composed in layer order whatever order they are drawn
        # in): the jurisdiction and the large grids appear before the 100k small ones are done
        stale = sorted(self.stale_layers(), key=lambda lr: len(lr[0]) if hasattr(lr[0], "geoms") else 0)
        lab, key = self._label_state()
        labels_stale = key != self._labels_key
        if not stale and not labels_stale:
            return
        self._job_seq += 1
        job = RenderJob(self._job_seq, self._vp, stale, lab if labels_stale else None, self._signals,
                        labels=self.show_labels)
        job.labels_key = key
        self._job = job
        self._jobs[job.job_id] = job
        self.stats["jobs"] += 1
        self.renderStarted.emit()
        self._pool.start(job)

    def cancel_render(self) -> None:
        if self._job is not None:
            self._job.cancel()

    def _on_layer_rendered(self, job_id, layer_id, revision, vp, image, ms) -> None:
        self._cache[layer_id] = (vp, revision, image)
        self.stats["layers_rendered"] += 1
        self.update()

    def _on_labels_rendered(self, job_id, vp, image, count) -> None:
        job = self._jobs.get(job_id)
        self._labels = (vp, image)
        self.labels_drawn = count
        if job is not None:
            self._labels_key = job.labels_key
            self.grid_labels = job.grid_labels      # the label engine's choices for this view (tests read them)
        self.update()

    def _on_job_finished(self, job_id, cancelled, ms) -> None:
        self._jobs.pop(job_id, None)
        if self._job is not None and self._job.job_id == job_id:
            self._job = None
        if cancelled:
            self.stats["cancelled"] += 1
        else:
            self.last_frame_ms = ms
            self.frameFinished.emit(ms)
        if self._job is None and (self.stale_layers() or self._label_state()[1] != self._labels_key):
            if not self._timer.isActive():
                self._timer.start(0 if not cancelled else 10)

    def wait_idle(self, timeout_ms: int = 10000) -> bool:
        """Process events until the canvas has finished drawing (tests, benchmarks)."""
        from PySide6.QtCore import QCoreApplication, QElapsedTimer

        t = QElapsedTimer()
        t.start()
        while t.elapsed() < timeout_ms:
            if self._timer.isActive() and self._job is None:
                self._timer.stop()
                self._start_render()
            QCoreApplication.processEvents()
            if self.is_idle():
                return True
            self._pool.waitForDone(5)
        return False

    # ------------------------------------------------------------------ painting
    def _draw_cached(self, p: QPainter, vp0: Viewport, image) -> None:
        vp = self._vp
        s = vp0.res / vp.res
        x = (-vp0.width / 2.0) * s + (vp0.cx - vp.cx) / vp.res + vp.width / 2.0
        y = (-vp0.height / 2.0) * s + (vp.cy - vp0.cy) / vp.res + vp.height / 2.0
        if abs(s - 1.0) < 1e-9:
            p.drawImage(QPointF(x, y), image)
        else:
            p.drawImage(QRectF(x, y, vp0.width * s, vp0.height * s), image)

    def paintEvent(self, event) -> None:
        p = QPainter(self)
        p.fillRect(self.rect(), self.background)
        p.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, True)
        for layer in self._layers:
            if not layer.visible:
                continue
            c = self._cache.get(layer.id)
            if c is None:
                continue
            p.setOpacity(max(0.0, min(1.0, layer.opacity)))
            self._draw_cached(p, c[0], c[2])
        p.setOpacity(1.0)
        if self.show_labels and self._labels is not None:
            self._draw_cached(p, *self._labels)
        if self._highlight is not None:
            self._paint_highlight(p)
        for overlay in self.overlays:
            overlay(p, self._vp)
        if self._tool is not None:
            self._tool.paint(p)
        p.end()

    def _paint_highlight(self, p: QPainter) -> None:
        arr = self._highlight
        n = len(arr.feat_part) - 1
        xy, starts, _ = arr.gather(np.arange(n))
        pix = self._vp.coords_to_pixel(xy)
        p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        c = QColor(self.highlight_color)
        if self._highlight_family == "point":
            pen = QPen(c, 10)
            pen.setCapStyle(Qt.PenCapStyle.RoundCap)
            p.setPen(pen)
            p.drawPointsNp(np.ascontiguousarray(pix[:, 0]), np.ascontiguousarray(pix[:, 1]))
            return
        path = painter_path(pix, starts)
        path.setFillRule(Qt.FillRule.WindingFill)
        fill = QColor(c)
        fill.setAlpha(60 if self._highlight_family == "polygon" else 0)
        p.setBrush(QBrush(fill) if self._highlight_family == "polygon" else Qt.BrushStyle.NoBrush)
        p.setPen(QPen(c, 2.5))
        p.drawPath(path)

    # ------------------------------------------------------------------ events
    def resizeEvent(self, event) -> None:
        old = self._vp
        self._vp = old.resized(self.width(), self.height())
        if not self.has_extent:
            ext = self.full_extent()
            if ext is not None:
                self._vp = self._vp.fitted(ext)
        self.viewChanged.emit(self._vp)
        self.schedule()
        super().resizeEvent(event)

    def mousePressEvent(self, e) -> None:
        if not self.interactive:
            return self._tool.mousePress(e) if self._tool else None
        if e.button() == Qt.MouseButton.MiddleButton:
            self._pan_from = e.position()
            self.setCursor(Qt.CursorShape.ClosedHandCursor)
            return
        if self._tool is not None:
            self._tool.mousePress(e)

    def mouseMoveEvent(self, e) -> None:
        x, y = self.map_point(e.position())
        self.cursorMoved.emit(x, y)
        if self._pan_from is not None:
            d = e.position() - self._pan_from
            self._pan_from = e.position()
            self.pan_pixels(d.x(), d.y())
            return
        if self._tool is not None:
            self._tool.mouseMove(e)

    def mouseReleaseEvent(self, e) -> None:
        if self._pan_from is not None and e.button() == Qt.MouseButton.MiddleButton:
            self._pan_from = None
            self.setCursor(self._tool.cursor if self._tool else Qt.CursorShape.ArrowCursor)
            return
        if self._tool is not None:
            self._tool.mouseRelease(e)

    def mouseDoubleClickEvent(self, e) -> None:
        if self._tool is not None:
            self._tool.mouseDoubleClick(e)

    def wheelEvent(self, e) -> None:
        if not self.interactive:
            return
        steps = e.angleDelta().y() / 120.0
        if steps:
            pos = e.position()
            self.zoom_by(ZOOM_STEP ** steps, (pos.x(), pos.y()))

    def keyPressEvent(self, e) -> None:
        if self._tool is not None and self._tool.keyPress(e):
            return
        k = e.key()
        w, h = self.width(), self.height()
        if k == Qt.Key.Key_Left:
            self.pan_pixels(w / 4, 0)
        elif k == Qt.Key.Key_Right:
            self.pan_pixels(-w / 4, 0)
        elif k == Qt.Key.Key_Up:
            self.pan_pixels(0, h / 4)
        elif k == Qt.Key.Key_Down:
            self.pan_pixels(0, -h / 4)
        elif k in (Qt.Key.Key_Plus, Qt.Key.Key_Equal):
            self.zoom_in()
        elif k == Qt.Key.Key_Minus:
            self.zoom_out()
        else:
            super().keyPressEvent(e)

    def leaveEvent(self, e) -> None:
        super().leaveEvent(e)

    def closeEvent(self, e) -> None:
        self.shutdown()
        super().closeEvent(e)

    def shutdown(self) -> None:
        """Cancel rendering and wait for the worker (on close)."""
        self._timer.stop()
        for job in list(self._jobs.values()):
            job.cancel()
        self._pool.stop()
