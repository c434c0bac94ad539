"""The overview map: the whole plan small, with the main view's extent as a
box; click or drag in it to move the main view."""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QPen

from .canvas import MapCanvas
from .tools import MapTool

__all__ = ["OverviewCanvas"]


class _RecenterTool(MapTool):
    cursor = Qt.CursorShape.PointingHandCursor

    def __init__(self, overview):
        super().__init__(overview)
        self.overview = overview
        self._down = False

    def mousePress(self, e) -> None:
        if e.button() == Qt.MouseButton.LeftButton:
            self._down = True
            self.overview.recenter_main(e.position())

    def mouseMove(self, e) -> None:
        if self._down:
            self.overview.recenter_main(e.position())

    def mouseRelease(self, e) -> None:
        self._down = False


class OverviewCanvas(MapCanvas):
    """A non-interactive canvas that always shows its layers' full extent."""

    def __init__(self, main: MapCanvas, parent=None):
        super().__init__(parent, interactive=False)
        self.main = main
        self.show_labels = False
        self.setMinimumSize(160, 120)
        self.overlays.append(self._draw_main_box)
        self.set_tool(_RecenterTool(self))
        main.viewChanged.connect(lambda vp: self.update())

    def set_layers(self, layers) -> None:
        super().set_layers(layers)
        self.zoom_full()

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self.zoom_full()

    def zoom_full(self) -> None:
        ext = self.full_extent()
        if ext is not None:
            self.set_viewport(self.viewport.resized(self.width(), self.height()).fitted(ext, 0.03))

    def recenter_main(self, pos) -> None:
        x, y = self.map_point(pos)
        self.main.set_viewport(self.main.viewport.centered(x, y))

    def _draw_main_box(self, painter, vp) -> None:
        xmin, ymin, xmax, ymax = self.main.viewport.extent
        x0, y0 = vp.to_pixel(xmin, ymax)
        x1, y1 = vp.to_pixel(xmax, ymin)
        r = QRectF(float(x0), float(y0), max(3.0, float(x1 - x0)), max(3.0, float(y1 - y0)))
        painter.setPen(QPen(QColor("#d81b60"), 2))
        painter.setBrush(QColor(216, 27, 96, 40))
        painter.drawRect(r)
