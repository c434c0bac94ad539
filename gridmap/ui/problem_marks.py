"""Problems drawn on the map while the problems list is open: every problem at
its place, coloured by severity (errors red on top, warnings orange, notes
blue) — a marker at a point on the problem, and its outline where it is large
enough to see at the current scale.  Painted as a canvas overlay from arrays
prepared once per check, only what is in view."""

from __future__ import annotations

import numpy as np
import shapely
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPainter, QPen

__all__ = ["ProblemMarks", "SEVERITY_COLORS", "mark_groups"]

SEVERITY_COLORS = {"error": "#e0182d", "warning": "#f08c00", "info": "#1971c2"}
_ORDER = ("info", "warning", "error")          # painted bottom to top
_MIN_OUTLINE_PX = 6.0                            # smaller problems get only their marker


def mark_groups(problems) -> dict:
    """{severity: (geometries, mark points (n, 2), their bounds)} of the problems that have a
    geometry.  A record's mark (a point on its geometry) is made once and kept in the record
    ("_mark"): a re-check that keeps 300,000 problems and adds three places three points.
    Pure (no Qt): the live check calls it in its worker."""
    problems = list(problems or [])
    geoms = np.array([p.get("geometry") for p in problems], dtype=object)
    if len(geoms):
        ok = ~(shapely.is_missing(geoms) | shapely.is_empty(geoms))
    else:
        ok = np.zeros(0, dtype=bool)
    todo = [k for k in np.flatnonzero(ok).tolist() if "_mark" not in problems[k]]
    if todo:
        xy = shapely.get_coordinates(shapely.point_on_surface(geoms[todo]))
        for k, (x, y) in zip(todo, xy.tolist()):
            problems[k]["_mark"] = (x, y)
    by: dict[str, list] = {}
    for k in np.flatnonzero(ok).tolist():
        by.setdefault(problems[k].get("severity") or "error", []).append(k)
    groups = {}
    for sev, ks in by.items():
        arr = geoms[ks]
        pts = np.array([problems[k]["_mark"] for k in ks], dtype=float).reshape(-1, 2)
        groups[sev] = (arr, pts, shapely.bounds(arr))
    return groups


class ProblemMarks:
    """A canvas overlay of the current problems (see :meth:`set_problems`)."""

    def __init__(self, canvas):
        self.canvas = canvas
        self.visible = True
        self.groups: dict[str, tuple[np.ndarray, np.ndarray, np.ndarray]] = {}
        canvas.overlays.append(self.paint)

    def set_problems(self, problems) -> None:
        """Problems as :func:`gridmap.ui.problems.normalise_problems` gives them; their marks
        grouped by severity as :func:`mark_groups` makes them (made in the live check's worker when
        the list carries them: ``problems.marks``)."""
        groups = getattr(problems, "marks", None)
        self.groups = groups if groups is not None else mark_groups(problems)
        self.canvas.update()

    def set_visible(self, on: bool) -> None:
        self.visible = bool(on)
        self.canvas.update()

    def count_in_view(self) -> dict[str, int]:
        """How many problems of each severity would be drawn in the current view."""
        x0, y0, x1, y1 = self.canvas.viewport.extent
        return {sev: int(self._in_view(b, x0, y0, x1, y1).sum()) for sev, (_, _, b) in self.groups.items()}

    @staticmethod
    def _in_view(b, x0, y0, x1, y1):
        return (b[:, 2] >= x0) & (b[:, 0] <= x1) & (b[:, 3] >= y0) & (b[:, 1] <= y1)

    def paint(self, p: QPainter, vp) -> None:
        if not self.visible or not self.groups:
            return
        from .fastdraw import draw_geometries

        x0, y0, x1, y1 = vp.extent
        p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        for sev in sorted(self.groups, key=lambda s: _ORDER.index(s) if s in _ORDER else -1):
            arr, pts, b = self.groups[sev]
            on = self._in_view(b, x0, y0, x1, y1)
            if not on.any():
                continue
            color = QColor(SEVERITY_COLORS.get(sev, "#e0182d"))
            size = np.maximum(b[:, 2] - b[:, 0], b[:, 3] - b[:, 1]) / vp.res
            big = on & (size >= _MIN_OUTLINE_PX)
            if big.any():
                geoms = arr[big]
                types = shapely.get_type_id(geoms)
                for fam, ids in (("polygon", (3, 6)), ("line", (1, 2, 5))):
                    sel = geoms[np.isin(types, ids)]
                    if len(sel):
                        draw_geometries(p, vp, sel, fam, color, 70, 2.0)
            pix = vp.coords_to_pixel(pts[on])
            xs, ys = np.ascontiguousarray(pix[:, 0]), np.ascontiguousarray(pix[:, 1])
            halo = QPen(QColor("white"), 11)
            halo.setCapStyle(Qt.PenCapStyle.RoundCap)
            p.setPen(halo)
            p.drawPointsNp(xs, ys)
            dot = QPen(color, 8)
            dot.setCapStyle(Qt.PenCapStyle.RoundCap)
            p.setPen(dot)
            p.drawPointsNp(xs, ys)
