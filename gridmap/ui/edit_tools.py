"""Editing map tools: one object per tool, each edit one undo step.

* :class:`DrawGridTool` — click vertices, double-click / Enter to finish,
  Backspace removes the last vertex (or the last traced run), Esc cancels;
  clicks snap to vertices, crossings and edges of grids, the jurisdiction and
  the chosen road layers; with *trace* on (or Shift held) a click after a
  snapped click follows the roads / boundaries between the two.
* :class:`SplitTool`, :class:`ReshapeTool`, :class:`MoveBoundaryTool` — the
  same line capture, then split / reshape / move the boundary.
* :class:`SplitAlongRoadTool` — click a road: the grids it crosses are split along it.
* :class:`VertexTool` — drag a vertex, double-click an edge to add one, Delete
  removes the picked one; topological by default (every grid sharing the
  vertex, on every level, and the jurisdiction follow).
* :class:`PickSegmentTool` — click a street segment (the segments panel assigns it).

Tools compute nothing themselves: they call the edit functions of
:mod:`gridmap.core.editing.commands` (the split and code policies are in
:mod:`gridmap.core.editing.steps`) and hand the command to
:meth:`gridmap.ui.editing.EditController.push`.
"""

from __future__ import annotations

import numpy as np
import shapely
from PySide6.QtCore import QCoreApplication, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QPen, QPolygonF

from ..core.editing import commands as C
from ..core.editing.geometry import EditError
from ..core.editing.topology import vertices_near
from ..core.editing.steps import code_steps, free_parent, new_grid_ids
from ..core.editing.steps import split_grids as split_grids_command
from .editing import bilingual
from .tools import CLICK_PX, MapTool

__all__ = ["EditTool", "CaptureTool", "DrawGridTool", "SplitTool", "ReshapeTool", "MoveBoundaryTool",
           "SplitAlongRoadTool", "VertexTool", "PickSegmentTool"]

MARKER = QColor("#e91e63")
BAND = QColor("#d12f1f")


def _px(vp, x, y) -> QPointF:
    px, py = vp.to_pixel(x, y)
    return QPointF(float(px), float(py))


class EditTool(MapTool):
    """Base of the editing tools: snapping with a marker under the cursor."""

    cursor = Qt.CursorShape.CrossCursor
    snap_modes = ("vertex", "intersection", "edge")

    def __init__(self, canvas, controller):
        super().__init__(canvas)
        self.ctl = controller
        self.hover: tuple | None = None     # (x, y, kind) under the cursor, snapped

    @property
    def plan(self):
        return self.ctl.plan

    def snapped(self, e, **kw) -> tuple:
        return self.ctl.snap(self.canvas.map_point(e.position()), **({"modes": self.snap_modes} | kw))

    def deactivate(self) -> None:
        self.hover = None
        self.reset()
        self.canvas.update()

    def reset(self) -> None:
        pass

    def refuse(self, message: str) -> None:
        self.ctl.last_error = message
        self.ctl.refused.emit(message)

    def paint_marker(self, p) -> None:
        if self.hover is None or self.hover[2] is None:
            return
        c = _px(self.canvas.viewport, self.hover[0], self.hover[1])
        p.setRenderHint(p.RenderHint.Antialiasing, True)
        p.setPen(QPen(MARKER, 2))
        p.setBrush(Qt.BrushStyle.NoBrush)
        kind = self.hover[2]
        if kind == "vertex":
            p.drawRect(QRectF(c.x() - 6, c.y() - 6, 12, 12))
        elif kind == "intersection":
            p.drawLine(QPointF(c.x() - 6, c.y() - 6), QPointF(c.x() + 6, c.y() + 6))
            p.drawLine(QPointF(c.x() - 6, c.y() + 6), QPointF(c.x() + 6, c.y() - 6))
        else:
            p.drawEllipse(c, 5, 5)

    def paint(self, p) -> None:
        self.paint_marker(p)


class CaptureTool(EditTool):
    """Click vertices of a line (or a polygon); Enter / double-click / right-click
    finishes, Backspace removes the last vertex, Esc cancels."""

    polygon = False

    def __init__(self, canvas, controller):
        super().__init__(canvas, controller)
        self.runs: list[list[tuple[float, float]]] = []
        self._last_kind = None

    @property
    def points(self) -> list[tuple[float, float]]:
        return [p for run in self.runs for p in run]

    def reset(self) -> None:
        self.runs = []
        self._last_kind = None

    def add_point(self, x: float, y: float, kind, trace: bool = False) -> None:
        pts = self.points
        if trace and pts and self._last_kind is not None and kind is not None:
            try:
                path = self.ctl.trace_path(pts[-1], (x, y))
                self.runs.append([tuple(c) for c in path[1:]] or [(x, y)])
            except EditError as exc:
                self.refuse(bilingual(str(exc), self.ctl.lang()))
                self.runs.append([(x, y)])
        else:
            self.runs.append([(x, y)])
        self._last_kind = kind
        self.canvas.update()

    def mousePress(self, e) -> None:
        if e.button() == Qt.MouseButton.LeftButton:
            x, y, kind = self.snapped(e)
            trace = self.ctl.trace or bool(e.modifiers() & Qt.KeyboardModifier.ShiftModifier)
            self.add_point(x, y, kind, trace)
        elif e.button() == Qt.MouseButton.RightButton:
            self.finish()

    def mouseMove(self, e) -> None:
        self.hover = self.snapped(e)
        self.canvas.update()

    def mouseDoubleClick(self, e) -> None:
        if e.button() != Qt.MouseButton.LeftButton:
            return
        x, y, kind = self.snapped(e)
        pts = self.points
        if not pts or (abs(pts[-1][0] - x) > 1e-9 or abs(pts[-1][1] - y) > 1e-9):
            trace = self.ctl.trace or bool(e.modifiers() & Qt.KeyboardModifier.ShiftModifier)
            self.add_point(x, y, kind, trace)
        self.finish()

    def keyPress(self, e) -> bool:
        k = e.key()
        if k in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.finish()
            return True
        if k == Qt.Key.Key_Backspace:
            if self.runs:
                self.runs.pop()
                self.canvas.update()
            return True
        if k == Qt.Key.Key_Escape:
            self.reset()
            self.canvas.update()
            return True
        return False

    def finish(self) -> None:
        pts = []
        for p in self.points:
            if not pts or p != pts[-1]:
                pts.append(p)
        if self.polygon and len(pts) > 1 and pts[0] == pts[-1]:
            pts.pop()
        need = 3 if self.polygon else 2
        self.reset()
        self.canvas.update()
        if len(pts) < need:
            self.refuse(self.tr("Too few points: click at least %1.").replace("%1", str(need)))
            return
        self.finished(pts)

    def finished(self, pts) -> None:  # pragma: no cover - interface
        raise NotImplementedError

    def paint(self, p) -> None:
        pts = self.points
        vp = self.canvas.viewport
        if pts:
            band = pts + ([self.hover[:2]] if self.hover else [])
            poly = QPolygonF([_px(vp, x, y) for x, y in band])
            p.setRenderHint(p.RenderHint.Antialiasing, True)
            p.setPen(QPen(BAND, 2))
            if self.polygon:
                p.setBrush(QColor(209, 47, 31, 40))
                p.drawPolygon(poly)
            else:
                p.setBrush(Qt.BrushStyle.NoBrush)
                p.drawPolyline(poly)
            p.setBrush(QColor("#ffffff"))
            p.setPen(QPen(BAND, 1.5))
            for x, y in pts:
                p.drawEllipse(_px(vp, x, y), 3, 3)
        self.paint_marker(p)


class DrawGridTool(CaptureTool):
    """Draw a new grid on the edit level; it is clipped to its parent and its
    neighbours (avoid overlaps) and, with *fill*, grown over slivers beside them."""

    name = "draw_grid"
    polygon = True

    def finished(self, pts) -> None:
        ctl = self.ctl
        plan = ctl.plan
        level = ctl.edit_level()
        before = plan.grids.index.to_numpy(dtype=np.int64).copy()      # (an array: issue 21)
        parent = free_parent(plan, level, pts) if ctl.avoid_overlaps else None
        steps = [lambda p: C.draw_grid(p, pts, level, parent=parent, avoid_overlaps=ctl.avoid_overlaps,
                                       fill=ctl.fill, fill_width=ctl.fill_width),
                 code_steps(new_grid_ids(before))]
        kinds = ("invalid", "overlap", "gap", "outside", "nesting") if ctl.avoid_overlaps else ("invalid", "gap")
        ctl.push(steps, self.tr("Draw grid"), kinds=kinds, select=lambda c: new_grid_ids(before)(plan))


class SplitTool(CaptureTool):
    """Draw a line across grids to split them (the selected ones, or those of the
    edit level the line crosses).  Child grids crossed are split too."""

    name = "split"

    def finished(self, pts) -> None:
        line = shapely.LineString(pts)
        split_grids(self.ctl, line, self.tr("Split grid"))


def split_grids(ctl, line, text: str) -> bool:
    plan = ctl.plan
    sel = [g for g in ctl.document.selection if g in plan.grids.index
           and shapely.intersects(plan.grids.geometry[g], line)]
    targets = sel or ctl.grids_crossed(line)
    if not targets:
        ctl.last_error = bilingual("分割线未穿过网格 / the split line does not cross the grid", ctl.lang())
        ctl.refused.emit(ctl.last_error)
        return False
    before = plan.grids.index.to_numpy(dtype=np.int64).copy()          # (an array: issue 21)
    ok = ctl.push(split_grids_command(plan, targets, line, text=text), text,
                  select=lambda c: [*targets, *new_grid_ids(before)(plan)])
    if ok:
        # the core split gives the new pieces copies of the old grid's roles, marked 待确认
        # (gridmap.core.editing.follow): say so; the problems list lists them (role_to_confirm)
        from ..core.editing.follow import REVIEW_MARK

        new = new_grid_ids(before)(plan)
        copied = [n for n in new if plan.roles.loc[plan.roles["grid"] == n, "duty"].fillna("")
                  .str.contains(REVIEW_MARK, regex=False).any()]
        if copied:
            names = "、".join(str(plan.grids.at[n, "name"] or plan.grids.at[n, "code"]) for n in copied)
            ctl.message.emit(QCoreApplication.translate(
                "EditTools", "The new grid(s) %1 have the people of the grid they were split from, marked "
                "“待确认” (to confirm): see the problems list.").replace("%1", names))
    return ok


class ReshapeTool(CaptureTool):
    """Draw a line from a grid's boundary and back to it: outside the grid it adds
    the area it encloses, across it it cuts off the smaller side (the neighbours
    give and take the area).  Acts on the selected grid, else the grid the line
    starts and ends on."""

    name = "reshape"

    def finished(self, pts) -> None:
        ctl = self.ctl
        line = shapely.LineString(pts)
        gid = self.target(line)
        if gid is None:
            self.refuse(self.tr("Start and end the line on the boundary of a grid."))
            return
        ctl.push(lambda p: C.reshape_grid(p, gid, line, avoid_overlaps=ctl.avoid_overlaps),
                 self.tr("Reshape grid"), select=[gid])

    def target(self, line) -> int | None:
        ctl = self.ctl
        plan = ctl.plan
        sel = [g for g in ctl.document.selection if g in plan.grids.index]
        if len(sel) == 1:
            return sel[0]
        g = plan.grids[plan.grids["level"] == ctl.edit_level()]
        if not len(g):
            return None
        tol = ctl.tolerance()
        a, b = shapely.Point(line.coords[0]), shapely.Point(line.coords[-1])
        bnd = shapely.boundary(g.geometry.values)
        near = (shapely.distance(bnd, a) <= tol) & (shapely.distance(bnd, b) <= tol)
        if not near.any():
            return None
        cand = g[near]
        inside = shapely.length(shapely.intersection(cand.geometry.values, line))
        return int(cand.index[int(np.argmax(inside))])


class MoveBoundaryTool(CaptureTool):
    """Draw the new course of the boundary between two neighbours (the two selected
    grids, or the neighbours of the edit level the line runs through)."""

    name = "move_boundary"

    def finished(self, pts) -> None:
        ctl = self.ctl
        line = shapely.LineString(pts)
        pair = self.pair(line)
        if pair is None:
            self.refuse(self.tr("Draw the new boundary across two neighbouring grids."))
            return
        a, b = pair
        ctl.push(lambda p: C.move_boundary(p, a, b, line), self.tr("Move boundary"), select=[a, b])

    def pair(self, line):
        ctl = self.ctl
        plan = ctl.plan
        sel = [g for g in ctl.document.selection if g in plan.grids.index]
        if len(sel) == 2:
            return tuple(sel)
        tol = ctl.tolerance()
        cand = set(ctl.grids_crossed(line))
        for xy in (line.coords[0], line.coords[-1]):
            cand |= set(ctl.grids_at(xy[0], xy[1], tolerance=tol))
        cand = sorted(cand)
        geoms = plan.grids.geometry
        level = plan.grids["level"]
        ends = [shapely.Point(line.coords[0]), shapely.Point(line.coords[-1])]
        best, score = None, np.inf
        for i, a in enumerate(cand):
            for b in cand[i + 1:]:
                if level[a] != level[b]:
                    continue
                shared = shapely.intersection(geoms[a].boundary, geoms[b].boundary)
                if shapely.length(shared) <= 0:
                    continue
                union = shapely.union(geoms[a], geoms[b])
                # the line runs inside the two grids, from the edge of their union to its edge …
                if any(shapely.distance(union.boundary, p) > tol for p in ends):
                    continue
                if shapely.length(shapely.intersection(union, line)) < 0.99 * line.length:
                    continue
                # … and the boundary it replaces is the one closest to it
                s = shapely.hausdorff_distance(shared, line)
                if s < score:
                    best, score = (a, b), s
        return best


class SplitAlongRoadTool(EditTool):
    """Click a road of a snapping layer: the grids it crosses (the selected ones,
    or those of the edit level) are split along it."""

    name = "split_road"
    cursor = Qt.CursorShape.PointingHandCursor

    def __init__(self, canvas, controller):
        super().__init__(canvas, controller)
        self.road = None

    def reset(self) -> None:
        self.road = None

    def road_at(self, x: float, y: float):
        """The road under a map point: the clicked feature joined with the connected
        features of the same name (an OSM road comes in many pieces)."""
        tol = self.ctl.tolerance()
        p = shapely.Point(x, y)
        best = None
        for layer in self.ctl.snap_layers():
            pos = layer.tree.query(p.buffer(tol))
            for i in pos:
                d = shapely.distance(layer.geoms[i], p)
                if d <= tol and (best is None or d < best[0]):
                    best = (d, layer, int(i))
        if best is None:
            return None
        _, layer, i = best
        geom = layer.geoms[i]
        name_col = next((c for c in ("name", "road_name", "NAME", "名称") if c in layer.attrs.columns), None)
        if name_col is not None:
            name = layer.attrs[name_col].iloc[i]
            if isinstance(name, str) and name:
                same = np.flatnonzero(layer.attrs[name_col].to_numpy() == name)
                merged = shapely.line_merge(shapely.union_all(layer.geoms[same]))
                parts = shapely.get_parts(merged)
                geom = parts[int(np.argmin(shapely.distance(parts, p)))]
        return geom

    def mouseMove(self, e) -> None:
        x, y = self.canvas.map_point(e.position())
        self.road = self.road_at(x, y)
        self.canvas.update()

    def mousePress(self, e) -> None:
        if e.button() != Qt.MouseButton.LeftButton:
            return
        x, y = self.canvas.map_point(e.position())
        road = self.road_at(x, y)
        if road is None:
            self.refuse(self.tr("No road here: click a road of a snapping layer."))
            return
        split_grids(self.ctl, road, self.tr("Split grid along road"))

    def paint(self, p) -> None:
        if self.road is None:
            return
        from .fastdraw import painter_path
        from .layers.vector import GeomArrays

        arr = GeomArrays(np.array([self.road], dtype=object), "line")
        xy, starts, _ = arr.gather(np.array([0]))
        p.setRenderHint(p.RenderHint.Antialiasing, True)
        p.setPen(QPen(MARKER, 4))
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.drawPath(painter_path(self.canvas.viewport.coords_to_pixel(xy), starts))


class VertexTool(EditTool):
    """Drag a vertex to move it, double-click an edge to add one, click a vertex and
    press Delete to remove it.  Topological (default): the vertex moves in every grid
    of every level that has it, and in the jurisdiction."""

    name = "vertex"
    cursor = Qt.CursorShape.CrossCursor
    _drags = 0

    def __init__(self, canvas, controller):
        super().__init__(canvas, controller)
        self.picked: tuple[float, float] | None = None     # the vertex Delete removes
        self.drag_from: tuple[float, float] | None = None
        self.drag_to: tuple | None = None
        self._anchors: list = []
        self._press_px = None
        self._under: list = []              # the grid under the cursor, whose vertices are shown
        self._drag_key = None
        self._vertices = None

    def reset(self) -> None:
        self.picked = self.drag_from = self.drag_to = None
        self._anchors = []
        self._under, self._vertices = [], None

    def vertex_at(self, e):
        x, y, kind = self.ctl.snap(self.canvas.map_point(e.position()), modes=("vertex",), roads=False)
        return (x, y) if kind == "vertex" else None

    def mouseMove(self, e) -> None:
        if self.drag_from is not None:
            self.drag_to = self.snapped(e)
            self.hover = self.drag_to
        else:
            x, y = self.canvas.map_point(e.position())
            under = self.ctl.grids_at(x, y)[:1]
            if under != self._under:
                self._under = under
                g = self.plan.grids.geometry.loc[under].values if under else []
                self._vertices = shapely.get_coordinates(np.asarray(g, dtype=object))[:4000] if under else None
            v = self.vertex_at(e)
            if v is not None:
                self.hover = (v[0], v[1], "vertex")
            else:
                x, y, kind = self.ctl.snap(self.canvas.map_point(e.position()), modes=("edge",), roads=False)
                self.hover = (x, y, kind)
        self.canvas.update()

    def mousePress(self, e) -> None:
        if e.button() != Qt.MouseButton.LeftButton:
            return
        v = self.vertex_at(e)
        self.picked = v
        self.drag_from = v
        self.drag_to = None
        self._press_px = e.position()
        self._anchors = self._neighbours(v) if v is not None else []
        VertexTool._drags += 1
        self._drag_key = ("vertex-drag", id(self), VertexTool._drags)   # every push of this drag: one undo step
        self.canvas.update()

    def mouseRelease(self, e) -> None:
        if e.button() != Qt.MouseButton.LeftButton or self.drag_from is None:
            return
        start, self.drag_from = self.drag_from, None
        d = e.position() - self._press_px if self._press_px is not None else QPointF(0, 0)
        if abs(d.x()) < CLICK_PX and abs(d.y()) < CLICK_PX:
            return                       # a click: the vertex is picked (for Delete)
        x, y, _ = self.snapped(e)
        self.drag_to = None
        self._anchors = []
        if (x, y) == tuple(start):
            return
        ctl = self.ctl
        tol = ctl.vertex_tol()
        grid = self._grid_of(start)
        if self.picked == start:
            self.picked = (x, y)
        ctl.push(lambda p: C.move_vertex(p, start, (x, y), tol=tol, topological=ctl.topological, grid=grid),
                 self.tr("Move vertex"), kinds=self._kinds(), merge_key=self._drag_key)

    def mouseDoubleClick(self, e) -> None:
        if e.button() != Qt.MouseButton.LeftButton:
            return
        if self.vertex_at(e) is not None:
            return
        x, y, kind = self.ctl.snap(self.canvas.map_point(e.position()), modes=("edge",), roads=False)
        if kind is None:
            self.refuse(self.tr("Double-click on a boundary to add a vertex."))
            return
        ctl = self.ctl
        tol = ctl.vertex_tol()
        grid = self._grid_of((x, y), edge=True)
        if ctl.push(lambda p: C.insert_vertex(p, (x, y), tol=tol, topological=ctl.topological, grid=grid),
                    self.tr("Add vertex"), kinds=self._kinds()):
            self.picked = (x, y)

    def keyPress(self, e) -> bool:
        if e.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            if self.picked is None:
                return True
            xy = self.picked
            ctl = self.ctl
            tol = ctl.vertex_tol()
            grid = self._grid_of(xy)
            if ctl.push(lambda p: C.delete_vertex(p, xy, tol=tol, topological=ctl.topological, grid=grid),
                        self.tr("Delete vertex"), kinds=self._kinds()):
                self.picked = None
            self.canvas.update()
            return True
        if e.key() == Qt.Key.Key_Escape:
            self.reset()
            self.canvas.update()
            return True
        return False

    def _kinds(self):
        # without topological editing the user moves one grid alone: no coverage guard
        return ("invalid", "overlap", "gap", "outside", "nesting") if self.ctl.topological else ("invalid",)

    def _grid_of(self, xy, edge: bool = False) -> int | None:
        """For non-topological edits: the selected grid having the vertex (or edge),
        else the smallest grid of the edit level that has it."""
        if self.ctl.topological:
            return None
        plan = self.plan
        tol = self.ctl.vertex_tol()
        sel = [g for g in self.ctl.document.selection if g in plan.grids.index]
        g = plan.grids
        cands = sel + [i for i in self.ctl.grids_at(xy[0], xy[1], tolerance=max(tol, self.ctl.tolerance()))
                       if i not in sel]
        for gid in cands:
            geom = g.geometry[gid]
            if edge and shapely.distance(geom.boundary, shapely.Point(xy)) <= tol:
                return gid
            if not edge and len(vertices_near([geom], xy, tol)):
                return gid
        return cands[0] if cands else None

    def _neighbours(self, v) -> list:
        """The vertices before and after ``v`` in the grids that have it (rubber band anchors)."""
        tol = self.ctl.vertex_tol()
        x, y = v
        box = shapely.box(x - tol, y - tol, x + tol, y + tol)
        geoms = list(self.ctl.candidates(box.bounds, roads=False))
        out = []
        for g in geoms:
            for ring in shapely.get_rings(shapely.get_parts(g)) if g.geom_type != "LineString" else [g]:
                c = np.asarray(ring.coords)[:-1]
                if len(c) < 3:
                    continue
                d = np.hypot(c[:, 0] - x, c[:, 1] - y)
                for k in np.flatnonzero(d <= tol):
                    out.append(tuple(c[k - 1]))
                    out.append(tuple(c[(k + 1) % len(c)]))
        return list(dict.fromkeys(out))

    def paint(self, p) -> None:
        vp = self.canvas.viewport
        p.setRenderHint(p.RenderHint.Antialiasing, True)
        if self._vertices is not None and len(self._vertices):
            pix = vp.coords_to_pixel(self._vertices)
            p.setPen(QPen(BAND, 1))
            p.setBrush(QColor(255, 255, 255, 200))
            for px, py in pix:
                p.drawRect(QRectF(px - 3, py - 3, 6, 6))
        if self.drag_from is not None and self.drag_to is not None:
            pen = QPen(BAND, 1.5, Qt.PenStyle.DashLine)
            p.setPen(pen)
            end = _px(vp, self.drag_to[0], self.drag_to[1])
            for a in self._anchors:
                p.drawLine(_px(vp, *a), end)
        if self.picked is not None:
            c = _px(vp, *self.picked)
            p.setPen(QPen(QColor("#1f6fd1"), 2))
            p.setBrush(QColor(31, 111, 209, 120))
            p.drawRect(QRectF(c.x() - 5, c.y() - 5, 10, 10))
        self.paint_marker(p)


class PickSegmentTool(EditTool):
    """Click a street segment: :attr:`picked` gives its id (the segments panel
    assigns it to the chosen grid or officer)."""

    name = "pick_segment"
    cursor = Qt.CursorShape.PointingHandCursor
    picked = Signal(int)

    def __init__(self, canvas, controller, layer_getter):
        super().__init__(canvas, controller)
        self.layer_getter = layer_getter
        self.hover_geom = None

    def segment_at(self, e):
        layer = self.layer_getter()
        if layer is None or not len(layer):
            return None, None
        x, y = self.canvas.map_point(e.position())
        tol = self.ctl.tolerance()
        p = shapely.Point(x, y)
        pos = layer.tree.query(p.buffer(tol))
        if not len(pos):
            return None, None
        d = shapely.distance(layer.geoms[pos], p)
        k = int(np.argmin(d))
        if d[k] > tol:
            return None, None
        return int(layer.ids[pos[k]]), layer.geoms[pos[k]]

    def mouseMove(self, e) -> None:
        _, self.hover_geom = self.segment_at(e)
        self.canvas.update()

    def mousePress(self, e) -> None:
        if e.button() != Qt.MouseButton.LeftButton:
            return
        sid, _ = self.segment_at(e)
        if sid is None:
            self.refuse(self.tr("No street segment here."))
            return
        self.picked.emit(sid)

    def paint(self, p) -> None:
        if self.hover_geom is None:
            return
        from .fastdraw import painter_path
        from .layers.vector import GeomArrays

        arr = GeomArrays(np.array([self.hover_geom], dtype=object), "line")
        xy, starts, _ = arr.gather(np.array([0]))
        p.setRenderHint(p.RenderHint.Antialiasing, True)
        p.setPen(QPen(MARKER, 5))
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.drawPath(painter_path(self.canvas.viewport.coords_to_pixel(xy), starts))
