"""Map tools (QGIS's QgsMapTool): each interaction is an object that receives
the canvas's mouse and key events; the canvas has one current tool.

Editing tools (move vertex, split grid …) will be further subclasses; their
changes go through the document's ``QUndoStack``.
"""

from __future__ import annotations

import shapely
from PySide6.QtCore import QObject, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QPen, QPolygonF

__all__ = ["MapTool", "PanTool", "ZoomBoxTool", "IdentifySelectTool", "DrawPolygonTool"]

CLICK_PX = 4  # a press and release closer than this is a click, not a drag


class MapTool(QObject):
    """Base class: override the event methods you need; return True from
    :meth:`keyPress` to consume a key."""

    name = "tool"
    cursor = Qt.CursorShape.ArrowCursor

    def __init__(self, canvas):
        super().__init__(canvas)
        self.canvas = canvas

    def activate(self) -> None:
        pass

    def deactivate(self) -> None:
        pass

    def mousePress(self, e) -> None:
        pass

    def mouseMove(self, e) -> None:
        pass

    def mouseRelease(self, e) -> None:
        pass

    def mouseDoubleClick(self, e) -> None:
        pass

    def keyPress(self, e) -> bool:
        return False

    def paint(self, painter) -> None:
        pass


class PanTool(MapTool):
    """Drag to pan (the cached image follows the mouse; re-render on settle)."""

    name = "pan"
    cursor = Qt.CursorShape.OpenHandCursor

    def __init__(self, canvas):
        super().__init__(canvas)
        self._last: QPointF | None = None

    def mousePress(self, e) -> None:
        if e.button() == Qt.MouseButton.LeftButton:
            self._last = e.position()
            self.canvas.setCursor(Qt.CursorShape.ClosedHandCursor)

    def mouseMove(self, e) -> None:
        if self._last is not None:
            d = e.position() - self._last
            self._last = e.position()
            self.canvas.pan_pixels(d.x(), d.y())

    def mouseRelease(self, e) -> None:
        self._last = None
        self.canvas.setCursor(self.cursor)


class _BoxTool(MapTool):
    """Shared rubber band logic."""

    def __init__(self, canvas):
        super().__init__(canvas)
        self._start: QPointF | None = None
        self._end: QPointF | None = None

    def mousePress(self, e) -> None:
        if e.button() == Qt.MouseButton.LeftButton:
            self._start = self._end = e.position()

    def mouseMove(self, e) -> None:
        if self._start is not None:
            self._end = e.position()
            self.canvas.update()

    def _take_box(self, e):
        if self._start is None:
            return None, False
        start, end = self._start, e.position()
        self._start = self._end = None
        self.canvas.update()
        is_click = abs(end.x() - start.x()) < CLICK_PX and abs(end.y() - start.y()) < CLICK_PX
        x0, y0 = self.canvas.map_point(start)
        x1, y1 = self.canvas.map_point(end)
        return (min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1)), is_click

    def paint(self, painter) -> None:
        if self._start is not None and self._end is not None:
            painter.setPen(QPen(QColor("#1f6fd1"), 1, Qt.PenStyle.DashLine))
            painter.setBrush(QColor(31, 111, 209, 40))
            painter.drawRect(QRectF(self._start, self._end).normalized())


class ZoomBoxTool(_BoxTool):
    """Drag a box to zoom into it; click to zoom in around the point (Shift: out)."""

    name = "zoom_box"
    cursor = Qt.CursorShape.CrossCursor

    def mouseRelease(self, e) -> None:
        box, click = self._take_box(e)
        if box is None:
            return
        if click:
            f = 0.5 if e.modifiers() & Qt.KeyboardModifier.ShiftModifier else 2.0
            self.canvas.zoom_by(f, (e.position().x(), e.position().y()))
        else:
            self.canvas.zoom_to(box, margin=0.0)


class IdentifySelectTool(_BoxTool):
    """Click a grid to select it (Shift/Ctrl-click adds or removes), drag a box to
    select all grids it touches.  Emits :attr:`clicked`/:attr:`boxed` with map
    coordinates; the main window turns them into a selection."""

    name = "select"
    cursor = Qt.CursorShape.PointingHandCursor
    clicked = Signal(float, float, float, bool)   # x, y, tolerance (map units), add
    boxed = Signal(tuple, bool)                   # (xmin, ymin, xmax, ymax), add

    def mouseRelease(self, e) -> None:
        box, click = self._take_box(e)
        if box is None:
            return
        add = bool(e.modifiers() & (Qt.KeyboardModifier.ShiftModifier | Qt.KeyboardModifier.ControlModifier))
        if click:
            x, y = self.canvas.map_point(e.position())
            self.clicked.emit(x, y, self.canvas.viewport.res * 3, add)
        else:
            self.boxed.emit(box, add)


class DrawPolygonTool(MapTool):
    """Click vertices; double-click or Enter closes the polygon, Backspace removes
    the last vertex, Esc cancels.  Emits :attr:`finished` with a shapely Polygon
    in map coordinates."""

    name = "draw_polygon"
    cursor = Qt.CursorShape.CrossCursor
    finished = Signal(object)
    cancelled = Signal()

    def __init__(self, canvas):
        super().__init__(canvas)
        self.points: list[tuple[float, float]] = []
        self._hover: tuple[float, float] | None = None

    def mousePress(self, e) -> None:
        if e.button() == Qt.MouseButton.LeftButton:
            self.points.append(self.canvas.map_point(e.position()))
            self.canvas.update()
        elif e.button() == Qt.MouseButton.RightButton:
            self.finish()

    def mouseMove(self, e) -> None:
        self._hover = self.canvas.map_point(e.position())
        if self.points:
            self.canvas.update()

    def mouseDoubleClick(self, e) -> None:
        self.finish()

    def keyPress(self, e) -> bool:
        if e.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.finish()
            return True
        if e.key() == Qt.Key.Key_Backspace and self.points:
            self.points.pop()
            self.canvas.update()
            return True
        if e.key() == Qt.Key.Key_Escape:
            self.points = []
            self.canvas.update()
            self.cancelled.emit()
            return True
        return False

    def finish(self) -> None:
        pts = []
        for p in self.points:  # a double click also adds its point twice
            if not pts or p != pts[-1]:
                pts.append(p)
        self.points = []
        self.canvas.update()
        if len(pts) >= 3:
            poly = shapely.make_valid(shapely.Polygon(pts))
            if poly.geom_type == "GeometryCollection":
                polys = [g for g in poly.geoms if g.geom_type in ("Polygon", "MultiPolygon")]
                poly = shapely.union_all(polys) if polys else shapely.Polygon()
            if not poly.is_empty:
                self.finished.emit(poly)
                return
        self.cancelled.emit()

    def paint(self, painter) -> None:
        if not self.points:
            return
        vp = self.canvas.viewport
        pts = self.points + ([self._hover] if self._hover else [])
        poly = QPolygonF([QPointF(*[float(v) for v in vp.to_pixel(x, y)]) for x, y in pts])
        painter.setPen(QPen(QColor("#d12f1f"), 2))
        painter.setBrush(QColor(209, 47, 31, 40))
        painter.drawPolygon(poly)
