"""Two versions of a plan side by side or swiped (再版对照的对照视图).

:class:`CompareView` is a window with two map canvases, the earlier plan and the later
one, whose views follow each other. In **左右对照** (side by side) they sit next to each
other; in **卷帘对照** (swipe) they lie on top of each other and a divider, dragged with the
mouse (or the arrow keys), shows the earlier plan left of it and the later one right of it.
Both draw the change overlay of the diff (changed areas hatched, the earlier boundaries of
the changed grids dashed, the later ones solid); the list of changes beside them zooms
both maps to a change when clicked.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QCoreApplication, QRect, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QPen, QRegion
from PySide6.QtWidgets import (QAbstractItemView, QButtonGroup, QHBoxLayout, QHeaderView, QLabel, QRadioButton,
                               QSplitter, QStackedWidget, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget)

from .canvas import MapCanvas

__all__ = ["CompareView", "change_overlay", "paint_changes"]

SIDE, SWIPE = "side", "swipe"


def change_overlay(old, new, d: dict):
    """(earlier outlines, later outlines, changed areas) of diff ``d`` as drawable arrays (or None each)."""
    import shapely

    from .layers.vector import GeomArrays

    def outlines(plan, key):
        if plan is None:
            return None
        ids = sorted({g["id"] for c in d["changes"] for g in c[key] if g["id"] in plan.grids.index})
        return GeomArrays(np.asarray(plan.grids.geometry.loc[ids].values, dtype=object), "line") if ids else None

    areas = [g for g in d.get("_geometries", []) if g is not None and not g.is_empty]
    areas = [g for g in areas if g.geom_type in ("Polygon", "MultiPolygon", "GeometryCollection")]
    polys = [p for g in areas for p in shapely.get_parts(g) if p.geom_type in ("Polygon", "MultiPolygon")]
    return (outlines(old, "old"), outlines(new, "new"),
            GeomArrays(np.asarray(polys, dtype=object), "polygon") if polys else None)


def paint_changes(painter, vp, overlay, old: bool = True, new: bool = True) -> None:
    """Draw a :func:`change_overlay` for viewport ``vp``: hatched areas, later outlines solid, earlier dashed."""
    if overlay is None:
        return
    from .fastdraw import painter_path

    def path(arr):
        n = len(arr.feat_part) - 1
        xy, starts, _ = arr.gather(np.arange(n))
        p = painter_path(vp.coords_to_pixel(xy), starts)
        p.setFillRule(Qt.FillRule.OddEvenFill)
        return p

    old_lines, new_lines, areas = overlay
    painter.save()
    painter.setRenderHint(painter.RenderHint.Antialiasing, True)
    if areas is not None:
        painter.setPen(QPen(QColor("#d62728"), 1))
        painter.setBrush(QBrush(QColor("#d62728"), Qt.BrushStyle.BDiagPattern))
        painter.drawPath(path(areas))
    painter.setBrush(Qt.BrushStyle.NoBrush)
    if new and new_lines is not None:
        painter.setPen(QPen(QColor("#e07000"), 2.5))
        painter.drawPath(path(new_lines))
    if old and old_lines is not None:
        pen = QPen(QColor("#111111"), 2.0)
        pen.setStyle(Qt.PenStyle.DashLine)
        painter.setPen(pen)
        painter.drawPath(path(old_lines))
    painter.restore()


def _caption(painter, vp, text: str, right: bool = False) -> None:
    """A plan's name in a box at the top left (or right) corner of a canvas."""
    painter.save()
    f = QFont(painter.font())
    f.setPointSizeF(11)
    f.setBold(True)
    painter.setFont(f)
    m = painter.fontMetrics()
    w, h = m.horizontalAdvance(text) + 16, m.height() + 8
    x = vp.width - w - 8 if right else 8
    r = QRect(int(x), 8, int(w), int(h))
    painter.setPen(QPen(QColor("#444444"), 1))
    painter.setBrush(QColor(255, 255, 255, 230))
    painter.drawRect(r)
    painter.setPen(QColor("#111111"))
    painter.drawText(r, Qt.AlignmentFlag.AlignCenter, text)
    painter.restore()


class _Divider(QWidget):
    """The swipe's handle: a vertical bar dragged left and right."""

    moved = Signal(int)      # new x in the parent's coordinates

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("swipe_divider")
        self.setCursor(Qt.CursorShape.SplitHCursor)
        self.setFixedWidth(9)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAutoFillBackground(False)

    def paintEvent(self, event) -> None:
        from PySide6.QtGui import QPainter

        p = QPainter(self)
        p.fillRect(self.rect(), QColor(255, 255, 255, 200))
        p.fillRect(QRect(3, 0, 3, self.height()), QColor("#1f4e9c"))
        cy = self.height() // 2
        p.fillRect(QRect(0, cy - 18, 9, 36), QColor("#1f4e9c"))
        p.end()

    def mouseMoveEvent(self, e) -> None:
        if e.buttons() & Qt.MouseButton.LeftButton:
            self.moved.emit(int(self.mapToParent(e.position().toPoint()).x()))

    def keyPressEvent(self, e) -> None:
        step = 40 if e.modifiers() & Qt.KeyboardModifier.ShiftModifier else 8
        if e.key() == Qt.Key.Key_Left:
            self.moved.emit(self.x() + self.width() // 2 - step)
        elif e.key() == Qt.Key.Key_Right:
            self.moved.emit(self.x() + self.width() // 2 + step)
        else:
            super().keyPressEvent(e)


class _SwipeArea(QWidget):
    """Holds both canvases on top of each other; the earlier one is shown left of the divider only."""

    def __init__(self, view: "CompareView"):
        super().__init__(view)
        self.view = view
        self.fraction = 0.5
        self.divider = _Divider(self)
        self.divider.moved.connect(self._moved)

    def _moved(self, x: int) -> None:
        self.set_fraction(x / max(1, self.width()))

    def set_fraction(self, f: float) -> None:
        self.fraction = min(1.0, max(0.0, float(f)))
        self.layout_children()

    def split_x(self) -> int:
        return int(round(self.fraction * self.width()))

    def layout_children(self) -> None:
        r = self.rect()
        for c in (self.view.new_canvas, self.view.old_canvas):
            if c.parent() is self:
                c.setGeometry(r)
        x = self.split_x()
        if self.view.old_canvas.parent() is self:
            self.view.old_canvas.setMask(QRegion(QRect(0, 0, max(1, x), max(1, r.height()))))
            self.view.old_canvas.raise_()
        self.divider.setGeometry(x - self.divider.width() // 2, 0, self.divider.width(), r.height())
        self.divider.raise_()
        self.view.old_canvas.update()
        self.view.new_canvas.update()

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self.layout_children()


class CompareView(QWidget):
    """The earlier and the later plan side by side or swiped, views linked, changes listed."""

    def __init__(self, old_plan, new_plan, diff: dict, old_label: str, new_label: str, rows: list,
                 row_texts: list, base_layers=(), viewport=None, parent=None):
        super().__init__(parent, Qt.WindowType.Window)
        from .layers.plan_layers import plan_layers

        self.setObjectName("CompareView")
        self.old_plan, self.new_plan, self.diff = old_plan, new_plan, diff
        self.old_label, self.new_label = old_label, new_label
        self.rows = rows
        self.mode = SIDE
        self.resize(1280, 760)
        self.overlay = change_overlay(old_plan, new_plan, diff)
        self.old_canvas = MapCanvas(self)
        self.old_canvas.setObjectName("compare_old_canvas")
        self.new_canvas = MapCanvas(self)
        self.new_canvas.setObjectName("compare_new_canvas")
        base = [l for l in base_layers if getattr(l, "group", "") == "base"]
        self.old_canvas.set_layers(base + plan_layers(old_plan))
        self.new_canvas.set_layers(base + plan_layers(new_plan))
        self.old_canvas.overlays.append(self._paint_old)
        self.new_canvas.overlays.append(self._paint_new)
        self._syncing = False
        self.old_canvas.viewChanged.connect(lambda vp: self._follow(self.new_canvas, vp))
        self.new_canvas.viewChanged.connect(lambda vp: self._follow(self.old_canvas, vp))

        lay = QVBoxLayout(self)
        bar = QHBoxLayout()
        self.mode_label = QLabel(self)
        self.side_button, self.swipe_button = QRadioButton(self), QRadioButton(self)
        self.side_button.setObjectName("compare_side")
        self.swipe_button.setObjectName("compare_swipe")
        self.side_button.setChecked(True)
        group = QButtonGroup(self)
        group.addButton(self.side_button)
        group.addButton(self.swipe_button)
        self.side_button.toggled.connect(lambda on: on and self.set_mode(SIDE))
        self.swipe_button.toggled.connect(lambda on: on and self.set_mode(SWIPE))
        self.hint = QLabel(self)
        self.hint.setStyleSheet("color: #555;")
        for w in (self.mode_label, self.side_button, self.swipe_button, self.hint):
            bar.addWidget(w)
        bar.addStretch(1)
        lay.addLayout(bar)

        self.outer = QSplitter(Qt.Orientation.Horizontal, self)
        self.stack = QStackedWidget(self.outer)
        self.maps = QSplitter(Qt.Orientation.Horizontal, self.stack)
        self.maps.setObjectName("compare_maps")
        self.swipe_area = _SwipeArea(self)
        self.maps.addWidget(self.old_canvas)
        self.maps.addWidget(self.new_canvas)
        self.stack.addWidget(self.maps)
        self.stack.addWidget(self.swipe_area)
        self.outer.addWidget(self.stack)
        self.changes = QTableWidget(len(row_texts), 4, self.outer)
        self.changes.setObjectName("compare_changes")
        self.changes.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.changes.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.changes.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.changes.horizontalHeader().setStretchLastSection(True)
        self.changes.verticalHeader().hide()
        for i, vals in enumerate(row_texts):
            for j, v in enumerate(vals[:4]):
                self.changes.setItem(i, j, QTableWidgetItem(v))
        self.changes.itemSelectionChanged.connect(self._zoom_to_selected)
        self.changes.cellClicked.connect(lambda *_: self._zoom_to_selected())
        self.outer.addWidget(self.changes)
        self.outer.setStretchFactor(0, 4)
        self.outer.setStretchFactor(1, 1)
        self.outer.setSizes([1000, 280])
        self.changes.setMinimumWidth(200)
        lay.addWidget(self.outer, 1)
        self.retranslate()
        self._start_vp = viewport

    # ------------------------------------------------------------------ texts
    def retranslate(self) -> None:
        self.setWindowTitle(QCoreApplication.translate("CompareView", "Compare plans: %1 → %2").replace("%1", self.old_label).replace("%2", self.new_label))
        self.mode_label.setText(QCoreApplication.translate("CompareView", "View:"))
        self.side_button.setText(QCoreApplication.translate("CompareView", "&Side by side"))
        self.swipe_button.setText(QCoreApplication.translate("CompareView", "S&wipe"))
        self.hint.setText(QCoreApplication.translate("CompareView", "Drag the divider (or use ← →) to swipe between the earlier and the later plan.")
                          if self.mode == SWIPE else QCoreApplication.translate("CompareView", "The two maps follow each other when you pan or zoom."))
        self.changes.setHorizontalHeaderLabels([QCoreApplication.translate("CompareView", "No."), QCoreApplication.translate("CompareView", "Change"), QCoreApplication.translate("CompareView", "Old grids"), QCoreApplication.translate("CompareView", "New grids")])

    # ------------------------------------------------------------------ views
    def showEvent(self, event) -> None:
        super().showEvent(event)
        if self._start_vp is not None:
            vp, self._start_vp = self._start_vp, None
            self.new_canvas.set_viewport(vp.resized(max(1, self.new_canvas.width()), max(1, self.new_canvas.height())))
        elif not self.new_canvas.has_extent:
            self.zoom_full()

    def zoom_full(self) -> None:
        plan = self.new_plan if self.new_plan is not None else self.old_plan
        ext = tuple(plan.jurisdiction.bounds) if plan.jurisdiction is not None else (
            tuple(plan.grids.total_bounds) if len(plan.grids) else None)
        self.new_canvas.has_extent = self.old_canvas.has_extent = True
        self.new_canvas.zoom_to(ext)

    def _follow(self, other: MapCanvas, vp) -> None:
        if self._syncing:
            return
        self._syncing = True
        try:
            other.set_viewport(vp.resized(max(1, other.width()), max(1, other.height())))
        finally:
            self._syncing = False

    def set_mode(self, mode: str) -> None:
        """:data:`SIDE` (the two maps next to each other) or :data:`SWIPE` (one over the other, a divider)."""
        if mode == self.mode:
            return
        self.mode = mode
        vp = self.new_canvas.viewport
        if mode == SWIPE:
            for c in (self.new_canvas, self.old_canvas):
                c.setParent(self.swipe_area)
                c.show()
            self.stack.setCurrentWidget(self.swipe_area)
            self.swipe_area.layout_children()
            self.swipe_button.setChecked(True)
        else:
            self.old_canvas.clearMask()
            self.maps.insertWidget(0, self.old_canvas)
            self.maps.insertWidget(1, self.new_canvas)
            self.stack.setCurrentWidget(self.maps)
            self.side_button.setChecked(True)
        self.old_canvas.show()
        self.new_canvas.show()
        self._follow(self.new_canvas, vp)
        self._follow(self.old_canvas, vp)
        self.retranslate()

    def set_swipe(self, fraction: float) -> None:
        """Place the swipe divider at ``fraction`` of the width (0 = all later plan, 1 = all earlier)."""
        self.swipe_area.set_fraction(fraction)

    # ------------------------------------------------------------------ drawing
    def _paint_old(self, painter, vp) -> None:
        paint_changes(painter, vp, self.overlay, old=True, new=False)
        _caption(painter, vp, QCoreApplication.translate("CompareView", "Earlier: %1").replace("%1", self.old_label))

    def _paint_new(self, painter, vp) -> None:
        paint_changes(painter, vp, self.overlay, old=False, new=True)
        _caption(painter, vp, QCoreApplication.translate("CompareView", "Later: %1").replace("%1", self.new_label), right=True)

    # ------------------------------------------------------------------ changes
    def change_geometry(self, row: int):
        import shapely

        d = self.diff
        if row < 0 or row >= len(self.rows):
            return None
        if row < len(d["changes"]):
            g = d["_geometries"][row]
            if g is not None and not g.is_empty:
                return g
        c = self.rows[row]
        geoms = []
        for plan, key in ((self.new_plan, "new"), (self.old_plan, "old")):
            if plan is not None:
                geoms += [plan.grids.geometry[x["id"]] for x in c[key] if x["id"] in plan.grids.index]
        return shapely.union_all(geoms) if geoms else None

    def zoom_to_change(self, row: int) -> None:
        g = self.change_geometry(row)
        if g is None:
            return
        self.new_canvas.has_extent = self.old_canvas.has_extent = True
        self.new_canvas.zoom_to(g.bounds, margin=0.4, min_size=100.0)
        self.new_canvas.set_highlight([g])
        self.old_canvas.set_highlight([g])

    def _zoom_to_selected(self) -> None:
        rows = self.changes.selectionModel().selectedRows()
        if rows:
            self.zoom_to_change(rows[0].row())

    def closeEvent(self, event) -> None:
        for c in (self.old_canvas, self.new_canvas):
            c.shutdown()
        super().closeEvent(event)
