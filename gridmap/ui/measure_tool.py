"""Measure tools (测量距离 / 测量面积), as QGIS's: click points, the running total follows the
cursor; right-click or double-click ends the measurement, Esc clears it, Backspace drops the last
point.  Lengths and areas are in metres and square metres (:mod:`gridmap.core.measure`: planar in a
projected CRS, geodesic in lon/lat).  The result stays on the map until the next measurement and is
shown in the status bar."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPen, QPolygonF

from ..core.measure import format_area, format_length, measure
from .tools import MapTool

__all__ = ["MeasureTool"]


class MeasureTool(MapTool):
    """``mode`` is "distance" or "area".  :attr:`measured` carries the text of the result."""

    cursor = Qt.CursorShape.CrossCursor
    measured = Signal(str)

    def __init__(self, canvas, mode: str = "distance", crs=lambda: None, lang=lambda: "zh"):
        super().__init__(canvas)
        self.mode = mode
        self.name = "measure_" + mode
        self._crs = crs
        self._lang = lang
        self.points: list[tuple[float, float]] = []
        self._hover: tuple[float, float] | None = None
        self.done = False

    # ------------------------------------------------------------------ result
    def result(self, with_hover: bool = True):
        pts = list(self.points)
        if with_hover and self._hover is not None and not self.done:
            pts.append(self._hover)
        crs = self._crs()
        if crs is None:
            return None, pts
        return measure(pts, crs), pts

    def text(self, with_hover: bool = True) -> str:
        m, pts = self.result(with_hover)
        if m is None:
            return ""
        lang = self._lang()
        if self.mode == "area":
            if len(pts) < 3:
                return self.tr("Click at least three points")
            return self.tr("Area %1, perimeter %2").replace("%1", format_area(m.area, lang)).replace(
                "%2", format_length(m.perimeter, lang))
        if len(pts) < 2:
            return self.tr("Click the first point")
        last = m.segments[-1] if m.segments else 0.0
        text = self.tr("Length %1 (last segment %2)").replace("%1", format_length(m.length, lang)).replace(
            "%2", format_length(last, lang))
        if m.method == "geodesic":
            text += self.tr(" (geodesic)")
        return text

    # ------------------------------------------------------------------ events
    def deactivate(self) -> None:
        self.clear()

    def clear(self) -> None:
        self.points = []
        self._hover = None
        self.done = False
        self.canvas.update()

    def mousePress(self, e) -> None:
        if e.button() == Qt.MouseButton.LeftButton:
            if self.done:
                self.clear()
            self.points.append(self.canvas.map_point(e.position()))
            self._emit()
        elif e.button() == Qt.MouseButton.RightButton:
            self.finish()

    def mouseMove(self, e) -> None:
        self._hover = self.canvas.map_point(e.position())
        if self.points and not self.done:
            self._emit()

    def mouseDoubleClick(self, e) -> None:
        self.finish()

    def keyPress(self, e) -> bool:
        if e.key() == Qt.Key.Key_Escape:
            self.clear()
            self.measured.emit("")
            return True
        if e.key() == Qt.Key.Key_Backspace and self.points and not self.done:
            self.points.pop()
            self._emit()
            return True
        if e.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.finish()
            return True
        return False

    def finish(self) -> None:
        pts = []
        for p in self.points:           # a double click adds its point twice
            if not pts or p != pts[-1]:
                pts.append(p)
        self.points = pts
        self.done = bool(pts)
        self._emit()

    def _emit(self) -> None:
        self.canvas.update()
        self.measured.emit(self.text())

    # ------------------------------------------------------------------ drawing
    def paint(self, painter) -> None:
        pts = list(self.points)
        if self._hover is not None and not self.done and pts:
            pts.append(self._hover)
        if not pts:
            return
        vp = self.canvas.viewport
        px = [QPointF(*[float(v) for v in vp.to_pixel(x, y)]) for x, y in pts]
        pen = QPen(QColor("#d1008f"), 2)
        painter.setPen(pen)
        if self.mode == "area" and len(px) >= 3:
            painter.setBrush(QColor(209, 0, 143, 45))
            painter.drawPolygon(QPolygonF(px))
        else:
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawPolyline(QPolygonF(px))
        painter.setBrush(QColor("#ffffff"))
        for p in px:
            painter.drawEllipse(p, 3.0, 3.0)
        text = self.text()
        if not text:
            return
        font = QFont(painter.font())
        font.setPointSizeF(10)
        painter.setFont(font)
        fm = QFontMetricsF(font)
        anchor = px[-1]
        box = QRectF(anchor.x() + 12, anchor.y() + 12, fm.horizontalAdvance(text) + 12, fm.height() + 8)
        if box.right() > self.canvas.width():
            box.moveRight(anchor.x() - 12)
        if box.bottom() > self.canvas.height():
            box.moveBottom(anchor.y() - 12)
        painter.setPen(QPen(QColor("#d1008f"), 1))
        painter.setBrush(QColor(255, 255, 255, 230))
        painter.drawRoundedRect(box, 4, 4)
        painter.setPen(QColor("#202020"))
        painter.drawText(box, Qt.AlignmentFlag.AlignCenter, text)
