"""A conflict on a shared plan, shown to the planner: whose change it was, when and what, both
versions (a table of the values, and on the map the refused outlines red dashed over the
server's green), and the two ways on: 重新载入并重做 or 放弃我的修改.  Also the hatching of the
grids a planner may not change."""

from __future__ import annotations

import numpy as np
import shapely
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor, QPen
from PySide6.QtWidgets import (QDialog, QHBoxLayout, QLabel, QPushButton, QTableWidget, QTableWidgetItem,
                               QVBoxLayout)

__all__ = ["ConflictDialog", "overlay_of", "paint_overlay", "paint_shading", "MINE", "THEIRS"]

MINE = "#d62728"      # the planner's refused version: red, dashed
THEIRS = "#00a35a"    # the server's present version: green, solid (the grids themselves are blue)


def _touched_grids(cs) -> list[int]:
    from ..core.storage.shared import touched_rows

    return sorted(int(i) for t, i in touched_rows(cs) if t == "grids")


def overlay_of(job, server):
    """(the planner's outlines, the server's outlines) of the grids in a conflict, as GeomArrays."""
    from .layers.vector import GeomArrays

    mine_ids = [g for g in _touched_grids(job.cs) if g in job.view.grids.index]
    mine = np.asarray([job.view.grids.geometry[g] for g in mine_ids], dtype=object)
    theirs = np.asarray([g for g in server.geometry.values if g is not None], dtype=object) if len(server) else \
        np.empty(0, dtype=object)
    mine = np.asarray([g for g in mine if g is not None and not g.is_empty], dtype=object)
    return (GeomArrays(mine, "line") if len(mine) else None, GeomArrays(theirs, "line") if len(theirs) else None,
            _bounds(list(mine) + list(theirs)))


def _bounds(geoms):
    geoms = [g for g in geoms if g is not None and not g.is_empty]
    if not geoms:
        return None
    return tuple(shapely.total_bounds(np.asarray(geoms, dtype=object)))


def _path(arr, vp):
    from .fastdraw import painter_path

    n = len(arr.feat_part) - 1
    xy, starts, _ = arr.gather(np.arange(n))
    return painter_path(vp.coords_to_pixel(xy), starts)


def paint_overlay(overlay, painter, vp) -> None:
    mine, theirs, _ = overlay
    painter.save()
    painter.setRenderHint(painter.RenderHint.Antialiasing, True)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    if theirs is not None:
        painter.setPen(QPen(QColor(THEIRS), 4.0))
        painter.drawPath(_path(theirs, vp))
    if mine is not None:
        pen = QPen(QColor(MINE), 2.5)
        pen.setStyle(Qt.PenStyle.DashLine)
        painter.setPen(pen)
        painter.drawPath(_path(mine, vp))
    painter.restore()


def paint_shading(session, painter, vp) -> None:
    """Hatch the grids of the edit level this planner may not change (only those in view)."""
    from .fastdraw import painter_path
    from .layers.vector import GeomArrays

    geoms, tree = session.locked_geometries()
    if tree is None:
        return
    hit = tree.query(shapely.box(*vp.extent))
    if not len(hit):
        return
    arr = GeomArrays(geoms[hit], "polygon")
    xy, starts, _ = arr.gather(np.arange(len(hit)))
    p = painter_path(vp.coords_to_pixel(xy), starts)
    p.setFillRule(Qt.FillRule.OddEvenFill)
    painter.save()
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QBrush(QColor(90, 90, 90, 110), Qt.BrushStyle.BDiagPattern))
    painter.drawPath(p)
    painter.restore()


def _column_label(table: str, col: str) -> str:
    """A plan column as the attribute table names it (in the UI language)."""
    from PySide6.QtCore import QCoreApplication

    from .attribute_table import KINDS

    alias = {"parent": "parent_code", "grid": "grid_code", "officer": "officer_name", "unit": "unit_name"}
    for c in KINDS.get(table, ()):
        if c.key in (col, alias.get(col)):
            return QCoreApplication.translate("AttributeTable", c.header)
    return col


def _value_text(v) -> str:
    from ..core.editing.changeset import decode

    v = decode(v)
    if v is None:
        return "—"
    if isinstance(v, shapely.Geometry):
        return ""
    try:
        import pandas as pd

        if pd.isna(v):
            return "—"
    except (TypeError, ValueError):
        pass
    return str(v)


class ConflictDialog(QDialog):
    """Window-modal; it goes only with one of the two answers (``choice(reapply)``)."""

    choice = Signal(bool)

    def __init__(self, session, job, exc, server):
        super().__init__(session.window)
        self.setObjectName("shared_conflict")
        self.session, self.job, self.exc = session, job, exc
        self.done_ = False
        self.setWindowTitle(self.tr("Edit conflict on the shared plan"))
        self.setWindowModality(Qt.WindowModality.WindowModal)
        cs = job.cs
        plan = session.document.plan
        by = exc.by or self.tr("another planner")
        self.headline = QLabel(self.tr("Your change “%1” was not committed: %2 changed the same place on the server "
                                       "at %3 (“%4”). Nothing has been overwritten.").replace("%1", cs.get("text", ""))
                               .replace("%2", by).replace("%3", exc.at or "?").replace("%4", exc.text or "?"), self)
        self.headline.setObjectName("conflict_headline")
        self.headline.setWordWrap(True)
        rows = [self._row_label(k, plan) for k in exc.rows]
        shown = "、".join(rows[:8]) + (" …" if len(rows) > 8 else "")
        self.rows = QLabel(self.tr("Changed by %1 since you read it: %2").replace("%1", by).replace("%2", shown), self)
        self.rows.setWordWrap(True)
        self.table = QTableWidget(0, 3, self)
        self.table.setObjectName("conflict_versions")
        self.table.setHorizontalHeaderLabels([self.tr("What"), self.tr("Your version"), self.tr("On the server now")])
        self._fill(cs, server)
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setStretchLastSection(True)
        legend = QLabel(self.tr("On the map: your version red dashed, the server's version green."), self)
        legend.setStyleSheet(f"color: {MINE};")
        self.reapply = QPushButton(self.tr("Reload and re-apply"), self)
        self.reapply.setObjectName("conflict_reapply")
        self.reapply.setToolTip(self.tr("Bring in the server's version, then make your change again on it if it still "
                                        "fits (checked like any edit)."))
        self.discard = QPushButton(self.tr("Discard my change"), self)
        self.discard.setObjectName("conflict_discard")
        self.discard.setToolTip(self.tr("Take your change back and show the server's version."))
        self.reapply.clicked.connect(lambda: self._answer(True))
        self.discard.clicked.connect(lambda: self._answer(False))
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.reapply)
        buttons.addWidget(self.discard)
        lay = QVBoxLayout(self)
        for w in (self.headline, self.rows, self.table, legend):
            lay.addWidget(w)
        lay.addLayout(buttons)
        self.resize(620, 360)
        bounds = session.overlay[2] if session.overlay is not None else None
        if bounds is not None:
            session.window.canvas.zoom_to(bounds, margin=0.25, min_size=60.0)

    def _row_label(self, key: str, plan) -> str:
        t, _, i = key.partition(":")
        names = {"grids": self.tr("grid"), "segments": self.tr("segment"), "places": self.tr("place"),
                 "roles": self.tr("duty"), "people": self.tr("person"), "units": self.tr("unit"),
                 "settings": self.tr("setting"), "jurisdiction": self.tr("jurisdiction")}
        if t == "grids" and int(i) in plan.grids.index:
            code, name = plan.grids.at[int(i), "code"], plan.grids.at[int(i), "name"]
            return f"{names['grids']} {code}" + (f"（{name}）" if name else "")
        return f"{names.get(t, t)} {i}"

    def _fill(self, cs, server) -> None:
        """Your values and the server's, per changed cell of the grids (geometries: on the map)."""
        from ..core.editing.changes import leaf_commands
        from ..core.editing.changeset import command_from

        plan = self.session.document.plan
        rows = []
        try:
            cmd = command_from(cs["command"], plan)
        except Exception:  # noqa: BLE001 - only the table of values is lost; the map still shows both
            cmd = None
        for c in (leaf_commands(cmd) if cmd is not None else []):
            table = getattr(c, "table", "")
            if table != "grids":
                continue
            if hasattr(c, "values") and hasattr(c, "row"):              # SetCells
                gid = int(c.row)
                for col, mine in c.values.items():
                    theirs = server.at[gid, col] if gid in server.index and col in server.columns else None
                    rows.append((self._row_label(f"grids:{gid}", plan) + " · " + _column_label("grids", col),
                                 _value_text(mine),
                                 _value_text(theirs)))
            elif hasattr(c, "new"):                                      # SetGeometries
                for gid in c.new:
                    rows.append((self._row_label(f"grids:{int(gid)}", plan) + " · " + self.tr("boundary"),
                                 self.tr("red dashed on the map"), self.tr("green on the map")))
        if not rows:
            rows.append((cs.get("text", ""), self.tr("your change"), self.tr("changed by %1").replace(
                "%1", self.exc.by or "?")))
        self.table.setRowCount(len(rows))
        for r, vals in enumerate(rows):
            for k, v in enumerate(vals):
                self.table.setItem(r, k, QTableWidgetItem(v))

    def _answer(self, reapply: bool) -> None:
        self.done_ = True
        self.choice.emit(reapply)

    def reject(self) -> None:
        """Escape or the close button: the conflict stays open until it is answered."""
        if self.done_:
            super().reject()
