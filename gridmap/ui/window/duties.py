"""Who is on duty where (highlight a person's grids and segments) and the checks shown in the problems list.

Part of the main window (:class:`gridmap.ui.main_window.MainWindow` mixes it in).
"""

from __future__ import annotations


import numpy as np
import shapely
from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QColor, QPen, Qt

from .. import i18n
from ..problems import normalise_problems

__all__ = ["DutiesMixin"]


class DutiesMixin:
    """Who is on duty where (highlight a person's grids and segments) and the checks shown in the problems list."""

    def _on_live_problems(self, problems, added: int, removed: int) -> None:
        """A (re-)check's problems into the list (records the live check made: passed as they are)."""
        lang = "en" if i18n.current_language() == "en" else "zh"
        self.problems.set_problems(normalise_problems(problems, lang))

    def _on_live_busy(self, busy: bool, text: str) -> None:
        """A whole-plan live check runs in the background: say so (the result follows)."""
        if busy:
            text = QCoreApplication.translate("MainWindow", "Running checks…")
            self.problems.summary.setText(text)
            self.status.showMessage(text)
        else:
            if self.status.currentMessage() == self.problems.summary.text():
                self.status.clearMessage()
            if text:
                self.problems.summary.setText(QCoreApplication.translate("MainWindow", "Checks failed: %1").replace("%1", text))

    def _paint_overlay_lines(self, painter, vp) -> None:
        if self._overlay_lines is None or not len(self._overlay_lines):
            return
        from ..fastdraw import painter_path
        from ..layers.vector import GeomArrays

        arr = GeomArrays(self._overlay_lines, "line")
        xy, starts, _ = arr.gather(np.arange(len(self._overlay_lines)))
        painter.setRenderHint(painter.RenderHint.Antialiasing, True)
        pen = QPen(QColor("#ff2d55"), 5)
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawPath(painter_path(vp.coords_to_pixel(xy), starts))

    def show_duties(self, person: int | None, unit: int | None = None) -> tuple[list, list]:
        """Where a person (or unit) is on duty: highlight their grids and segments."""
        if self.document is None:
            return [], []
        plan = self.document.plan
        if person is None and unit is None:
            self._overlay_lines = None
            self.canvas.set_highlight(None)
            return [], []
        grids, segs, who = plan.on_duty(person, unit)
        self.canvas.set_highlight(plan.grids.geometry.loc[grids].values if grids else None)
        lines = plan.segments.geometry.loc[segs].values if segs else []
        self._overlay_lines = np.asarray(lines, dtype=object) if segs else None
        self.canvas.update()
        length = float(shapely.length(np.asarray(lines, dtype=object)).sum()) if segs else 0.0
        self.status.showMessage(QCoreApplication.translate("MainWindow", "%1: on duty in %2 grid(s), %3 street segment(s), %4 m of road")
                                .replace("%1", who).replace("%2", str(len(grids))).replace("%3", str(len(segs)))
                                .replace("%4", f"{length:,.0f}"), 15000)
        geoms = [*plan.grids.geometry.loc[grids].values, *lines]
        if geoms:
            b = shapely.total_bounds(np.asarray(geoms, dtype=object))
            xmin, ymin, xmax, ymax = self.canvas.viewport.extent
            if not (b[0] >= xmin and b[1] >= ymin and b[2] <= xmax and b[3] <= ymax):
                self.canvas.zoom_to(tuple(b), margin=0.1, min_size=100.0)
        return grids, segs

    def _show_segments(self, ids: list) -> None:
        if self.document is None:
            return
        seg = self.document.plan.segments
        ids = [i for i in ids if i in seg.index]
        self._overlay_lines = np.asarray(seg.geometry.loc[ids].values, dtype=object) if ids else None
        self.canvas.update()

    def run_checks(self) -> None:
        """Check the whole plan now (the live checker's whole-plan check, in its worker thread)."""
        if self.document is None:
            return
        if self.document.loading:           # (the problems list's button: the plan is not all read yet)
            from ..document import LOADING_REFUSED
            from ..editing import bilingual

            self.status.showMessage(bilingual(LOADING_REFUSED, self.edit.lang()), 10000)
            return
        self.docks["problems"].show()
        self.live.check_all()
