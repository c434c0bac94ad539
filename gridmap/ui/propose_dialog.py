"""The "propose grids" tool (智能划分): parameters, a preview on the map with each
proposed grid's workload and deviation, re-run, and accept as one undo step.

Only displays and dispatches: the proposal is computed by
:mod:`gridmap.core.proposals.propose` and applied through the window's edit
controller (the core edit buffer), so Ctrl+Z takes the whole proposal back.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import shapely
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPen
from PySide6.QtWidgets import (QAbstractItemView, QCheckBox, QComboBox, QDialog, QDialogButtonBox,
                               QDoubleSpinBox, QFormLayout, QHBoxLayout, QLabel, QLineEdit, QPushButton,
                               QSpinBox, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget)

__all__ = ["ProposeDialog"]

HEAVY = QColor(214, 69, 65)    # workload above the parent's mean
LIGHT = QColor(52, 120, 198)   # below it


class ProposeDialog(QDialog):
    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self.proposal = None
        self.setWindowTitle(self.tr("Propose grids from roads"))
        self.setModal(False)
        lay = QVBoxLayout(self)
        form = QFormLayout()
        self.road_layer = QComboBox()
        form.addRow(self.tr("Road layer:"), self.road_layer)
        self.level = QComboBox()
        form.addRow(self.tr("Level to propose:"), self.level)
        self.k = QSpinBox()
        self.k.setRange(1, 100000)
        form.addRow(self.tr("Number of grids:"), self.k)
        wrow = QWidget()
        wl = QHBoxLayout(wrow)
        wl.setContentsMargins(0, 0, 0, 0)
        self.weights = {}
        for key, text in (("area", self.tr("area")), ("roads", self.tr("road length")),
                          ("places", self.tr("places")), ("population", self.tr("population"))):
            box = QDoubleSpinBox()
            box.setRange(0, 100)
            box.setSingleStep(0.5)
            box.setValue(0.0 if key == "population" else 1.0)
            wl.addWidget(QLabel(text))
            wl.addWidget(box)
            self.weights[key] = box
        form.addRow(self.tr("Workload weights:"), wrow)
        prow = QWidget()
        pl = QHBoxLayout(prow)
        pl.setContentsMargins(0, 0, 0, 0)
        self.population_layer = QComboBox()
        self.population_layer.setObjectName("population_layer")
        self.population_field = QComboBox()
        self.population_field.setObjectName("population_field")
        self.population_field.setProperty("data_values", True)     # the layer's own field names
        self.population_layer.currentIndexChanged.connect(self._fill_population_fields)
        pl.addWidget(self.population_layer, 2)
        pl.addWidget(QLabel(self.tr("field")))
        pl.addWidget(self.population_field, 1)
        self.population_row = prow
        form.addRow(self.tr("Population from:"), prow)
        self.method = QComboBox()
        self.method.addItem(self.tr("Automatic (by the number of blocks)"), "auto")
        self.method.addItem(self.tr("Grow and refine (balanced, compact)"), "grow")
        self.method.addItem(self.tr("METIS graph partition, then refine"), "metis")
        form.addRow(self.tr("Method:"), self.method)
        self.keep_roads = QLineEdit()
        self.keep_roads.setPlaceholderText(self.tr("road names, separated by commas"))
        form.addRow(self.tr("Roads to keep as boundaries:"), self.keep_roads)
        self.lock = QCheckBox(self.tr("Keep the selected grids as they are"))
        form.addRow("", self.lock)
        arow = QWidget()
        al = QHBoxLayout(arow)
        al.setContentsMargins(0, 0, 0, 0)
        self.min_ha = QDoubleSpinBox()
        self.max_ha = QDoubleSpinBox()
        for b in (self.min_ha, self.max_ha):
            b.setRange(0, 1e6)
            b.setSuffix(" ha")
            b.setSpecialValueText(self.tr("none"))
        al.addWidget(QLabel(self.tr("min")))
        al.addWidget(self.min_ha)
        al.addWidget(QLabel(self.tr("max")))
        al.addWidget(self.max_ha)
        form.addRow(self.tr("Grid area:"), arow)
        lay.addLayout(form)
        self.run_button = QPushButton(self.tr("&Preview proposal"))
        self.run_button.clicked.connect(self.run)
        lay.addWidget(self.run_button)
        self.summary = QLabel(self.tr("Choose the settings and preview a proposal; the plan does not change until you accept it."))
        self.summary.setWordWrap(True)
        lay.addWidget(self.summary)
        self.table = QTableWidget(0, 6)
        self.table.setHorizontalHeaderLabels([self.tr("Grid"), self.tr("Parent"), self.tr("Blocks"),
                                              self.tr("Area (ha)"), self.tr("Workload"), self.tr("Deviation")])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        lay.addWidget(self.table, 1)
        self.buttons = QDialogButtonBox()
        self.accept_button = self.buttons.addButton(self.tr("&Accept proposal"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.close_button = self.buttons.addButton(self.tr("Close"), QDialogButtonBox.ButtonRole.RejectRole)
        self.accept_button.setEnabled(False)
        self.accept_button.clicked.connect(self.accept_proposal)
        self.close_button.clicked.connect(self.close)
        lay.addWidget(self.buttons)
        window.canvas.overlays.append(self._paint)
        self.level.currentIndexChanged.connect(self._default_k)
        self.refresh()
        self.resize(620, 640)

    # ------------------------------------------------------------------ state
    @property
    def plan(self):
        doc = self.window.document
        return doc.plan if doc is not None else None

    def refresh(self) -> None:
        self.road_layer.clear()
        for layer in self.window.segments.vector_layers("line"):
            self.road_layer.addItem(layer.name, layer.id)
        keep = self.population_layer.currentData()
        self.population_layer.blockSignals(True)
        self.population_layer.clear()
        self.population_layer.addItem(self.tr("the plan's places and grids (a population field)"), None)
        for layer in self.window.segments.vector_layers("point"):
            self.population_layer.addItem(layer.name, layer.id)
        k = self.population_layer.findData(keep)
        self.population_layer.setCurrentIndex(max(k, 0))
        self.population_layer.blockSignals(False)
        self._fill_population_fields()
        self.level.blockSignals(True)
        self.level.clear()
        plan = self.plan
        if plan is not None:
            for lv in plan.levels:
                self.level.addItem(lv.name, lv.key)
            self.level.setCurrentIndex(len(plan.levels) - 1)
        self.level.blockSignals(False)
        self._default_k()

    def _population_source(self):
        lid = self.population_layer.currentData()
        return None if lid is None else next((l for l in self.window.base_layers if l.id == lid), None)

    def _fill_population_fields(self) -> None:
        """The numeric fields of the chosen points layer (a field named like population — 人口, population,
        pop — first); for the plan's own places and grids, their ``population`` field."""
        layer = self._population_source()
        self.population_field.clear()
        if layer is None:
            self.population_field.addItem(self.tr("population (人口)"), "population")
            return
        df = layer.attrs
        names = [str(c) for c in df.columns if c != "geometry" and pd.api.types.is_numeric_dtype(df[c])
                 and not pd.api.types.is_bool_dtype(df[c]) and str(c).lower() not in ("id", "fid", "ogc_fid")]
        names.sort(key=lambda n: (not any(k in n.lower() for k in ("人口", "population", "pop")), n))
        for n in names:
            self.population_field.addItem(n, n)

    def _default_k(self) -> None:
        plan = self.plan
        key = self.level.currentData()
        if plan is not None and key:
            self.k.setValue(max(1, int((plan.grids["level"] == key).sum())))

    def settings(self):
        from ..core.proposals.propose import ProposalSettings

        plan = self.plan
        key = self.level.currentData()
        locked = []
        if self.lock.isChecked():
            sel = [int(g) for g in self.window.document.selection]
            locked = [g for g in sel if g in plan.grids.index and plan.grids.at[g, "level"] == key]
        roads = [r.strip() for r in self.keep_roads.text().replace("，", ",").split(",") if r.strip()]
        return ProposalSettings(level=key, k=int(self.k.value()),
                                weights={k: float(b.value()) for k, b in self.weights.items() if b.value() > 0},
                                method=self.method.currentData(), locked=locked, keep_roads=roads,
                                min_area_m2=self.min_ha.value() * 1e4, max_area_m2=self.max_ha.value() * 1e4,
                                population_field=self.population_field.currentData() or "population",
                                population_points=self._population_points())

    def _population_points(self):
        from .segments_panel import roads_frame

        layer = self._population_source()
        return None if layer is None else roads_frame(layer, self.plan.crs)

    def _roads(self):
        from .segments_panel import roads_frame

        lid = self.road_layer.currentData()
        layer = next((l for l in self.window.base_layers if l.id == lid), None)
        return None if layer is None else roads_frame(layer, self.plan.crs)

    # ------------------------------------------------------------------ commands
    def run(self) -> bool:
        """Compute a proposal and preview it (the plan does not change)."""
        from ..core.proposals.propose import propose

        plan = self.plan
        self.proposal = None
        self.accept_button.setEnabled(False)
        if plan is None:
            return False
        roads = self._roads()
        if roads is None:
            self.summary.setText(self.tr("Add a road layer (lines) as a base map first."))
            self.window.canvas.update()
            return False
        try:
            self.proposal = propose(plan, roads, self.settings())
        except Exception as exc:  # noqa: BLE001 - one line for the user, never a traceback
            self.summary.setText(self.tr("No proposal: %1").replace("%1", _half(str(exc))))
            self.table.setRowCount(0)
            self.window.canvas.update()
            return False
        self._show()
        self.accept_button.setEnabled(True)
        self.window.canvas.update()
        return True

    def accept_proposal(self) -> bool:
        """Apply the previewed proposal as one undo step."""
        from ..core.editing import guard as _guard
        from ..core.proposals.propose import apply_command

        if self.proposal is None or self.plan is None:
            return False
        n = len(self.proposal.grids)
        try:
            cmd = apply_command(self.plan, self.proposal)
        except Exception as exc:  # noqa: BLE001
            self.summary.setText(self.tr("No proposal: %1").replace("%1", _half(str(exc))))
            return False
        ok = self.window.edit.push(cmd, self.tr("Propose %n grid(s)", "", n), kinds=_guard.KINDS)
        if ok:
            self.proposal = None
            self.accept_button.setEnabled(False)
            self.table.setRowCount(0)
            self.summary.setText(self.tr("Accepted: %n grid(s) added (Ctrl+Z undoes it).", "", n))
            self.window.canvas.update()
        return ok

    def _show(self) -> None:
        p = self.proposal
        m = p.metrics
        self.summary.setText(self.tr(
            "%n grid(s) from %1 blocks. Workload deviation from the mean of each parent: max %2 %, mean %3 %. "
            "Compactness: mean %4, min %5. Boundary on roads or the parent's edge: %6 %.", "", m["grids"])
            .replace("%1", str(m["blocks"])).replace("%2", f"{m['max_deviation_pct']:.1f}")
            .replace("%3", f"{m['mean_deviation_pct']:.1f}").replace("%4", f"{m['compactness_mean']:.2f}")
            .replace("%5", f"{m['compactness_min']:.2f}").replace("%6", f"{m['boundary_on_roads_pct']:.1f}"))
        g = p.grids
        self.table.setRowCount(len(g))
        plan = self.plan
        for row, (i, r) in enumerate(g.iterrows()):
            parent = "" if pd.isna(r["parent"]) else str(plan.grids.at[int(r["parent"]), "name"] or r["parent_code"])
            vals = [str(i), parent, str(int(r["blocks"])), f"{r['area_m2'] / 1e4:.1f}", f"{r['workload']:.2f}",
                    f"{r['deviation_pct']:+.1f} %"]
            for col, v in enumerate(vals):
                item = QTableWidgetItem(v)
                if col >= 2:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(row, col, item)
        self.table.resizeColumnsToContents()

    # ------------------------------------------------------------------ drawing
    def _paint(self, painter: QPainter, vp) -> None:
        if self.proposal is None or not self.isVisible():
            return
        from .fastdraw import draw_geometries

        g = self.proposal.grids
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        dev = g["deviation_pct"].to_numpy()
        geoms = g.geometry.values
        for mask, color in ((dev > 0, HEAVY), (dev <= 0, LIGHT)):
            if mask.any():
                draw_geometries(painter, vp, np.asarray(geoms[mask], dtype=object), "polygon", color, 60, 2.5,
                                Qt.PenStyle.SolidLine)
        font = QFont(painter.font())
        font.setPointSizeF(9)
        font.setBold(True)
        painter.setFont(font)
        pts = shapely.get_coordinates(shapely.point_on_surface(geoms))
        for (x, y), (i, r) in zip(pts, g.iterrows()):
            sx, sy = _to_screen(vp, x, y)
            text = f"{i}: {r['deviation_pct']:+.0f}%"
            painter.setPen(QPen(QColor(255, 255, 255), 3))
            painter.drawText(QPointF(sx - 18, sy + 4), text)
            painter.setPen(QPen(QColor(20, 20, 20)))
            painter.drawText(QPointF(sx - 18, sy + 4), text)

    def closeEvent(self, event) -> None:
        if self._paint in self.window.canvas.overlays:
            self.window.canvas.overlays.remove(self._paint)
        self.proposal = None
        self.window.canvas.update()
        super().closeEvent(event)


def _to_screen(vp, x, y):
    px, py = vp.to_pixel(x, y)
    return float(px), float(py)


def _half(text: str) -> str:
    """The half of a "中文 / English" core message in the UI language."""
    from .fix_panel import _half as half

    return half(text)
