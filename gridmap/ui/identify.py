"""Identify features (识别要素), as QGIS's identify tool: a click lists what lies under it in every
visible layer — the plan's grids, segments and places and every base map (vector features with all
their attributes, raster pixel values) — in the 识别结果 panel, top layer first.  A place of the
plan shows its responsible person and phone, and opens the place form (设置场所责任人…)."""

from __future__ import annotations

import math

import numpy as np
from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget

from .tools import CLICK_PX, MapTool

__all__ = ["IdentifyTool", "IdentifyPanel", "identify_at"]

MAX_FEATURES = 20     # per layer: a click in a dense layer lists the 20 nearest


class IdentifyTool(MapTool):
    """Emits :attr:`clicked` (x, y, tolerance in map units) on a click."""

    name = "identify"
    cursor = Qt.CursorShape.WhatsThisCursor
    clicked = Signal(float, float, float)

    def __init__(self, canvas):
        super().__init__(canvas)
        self._press = None

    def mousePress(self, e) -> None:
        if e.button() == Qt.MouseButton.LeftButton:
            self._press = e.position()

    def mouseRelease(self, e) -> None:
        if self._press is None:
            return
        d = e.position() - self._press
        self._press = None
        if abs(d.x()) < CLICK_PX and abs(d.y()) < CLICK_PX:
            x, y = self.canvas.map_point(e.position())
            self.clicked.emit(x, y, self.canvas.viewport.res * 4)


def _text(value) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if hasattr(value, "geom_type"):
        return value.geom_type
    return str(value)


def _vector_hits(layer, x, y, tol, plan=None) -> list[tuple[str, list[tuple[str, str]]]]:
    hit = layer.features_at(x, y, 0.0)
    if not len(hit) and tol > 0:
        hit = layer.features_at(x, y, tol)
    out = []
    if not len(hit):
        return out
    rows = {int(i): k for k, i in enumerate(layer.ids)}
    for fid in list(hit)[:MAX_FEATURES]:
        fid = int(fid)
        pairs: list[tuple[str, str]] = []
        grid_row = None
        if plan is not None and getattr(layer, "level_key", None) is not None and fid in plan.grids.index:
            grid_row = plan.grids.loc[fid]
        if grid_row is not None:
            for col, val in grid_row.items():
                if col != "geometry":
                    pairs.append((str(col), _text(val)))
            title = f"{_text(grid_row.get('code'))} {_text(grid_row.get('name'))}".strip()
        elif plan is not None and getattr(layer, "kind", "") == "places" and fid in plan.places.index:
            out.append(_place_hit(plan, fid))
            continue
        else:
            k = rows.get(fid)
            rec = layer.attrs.iloc[k].to_dict() if k is not None and k < len(layer.attrs) else {}
            pairs = [(str(c), _text(v)) for c, v in rec.items() if c != "geometry"]
            title = next((v for c, v in pairs if c.lower() in ("name", "名称", "code", "编码") and v), "") or f"#{fid}"
        out.append((title, pairs))
    return out


def _place_hit(plan, pid: int) -> tuple[str, list[tuple[str, str]], tuple[str, int]]:
    """A place of the plan: its fields, its grid, the responsible person and phone."""
    import pandas as pd

    row = plan.places.loc[pid]
    g = row.get("grid")
    grid = ""
    if g is not None and not pd.isna(g) and int(g) in plan.grids.index:
        grid = f"{_text(plan.grids.at[int(g), 'code'])} {_text(plan.grids.at[int(g), 'name'])}".strip()
    name = phone = ""
    person = row.get("person")
    if person is not None and not pd.isna(person) and int(person) in plan.people.index:
        p = plan.people.loc[int(person)]
        name = " · ".join(x for x in (_text(p["name"]), _text(p["post"])) if x)
        phone = _text(p["phone"])
    pairs = [(QCoreApplication.translate("IdentifyPanel", "Id"), str(pid)),
             (QCoreApplication.translate("IdentifyPanel", "Name"), _text(row.get("name"))),
             (QCoreApplication.translate("IdentifyPanel", "Kind"), _text(row.get("kind"))),
             (QCoreApplication.translate("IdentifyPanel", "Grid"), grid),
             (QCoreApplication.translate("IdentifyPanel", "Address"), _text(row.get("address"))),
             (QCoreApplication.translate("IdentifyPanel", "Notes"), _text(row.get("notes"))),
             (QCoreApplication.translate("IdentifyPanel", "Responsible person"),
              name or QCoreApplication.translate("IdentifyPanel", "(none)")),
             (QCoreApplication.translate("IdentifyPanel", "Phone"), phone)]
    kind = _text(row.get("kind"))
    title = (_text(row.get("name")) + (f"（{kind}）" if kind else "")) or f"#{pid}"
    return title, pairs, ("place", int(pid))


def _raster_hit(layer, x, y) -> list[tuple[str, list[tuple[str, str]]]]:
    import rasterio
    from pyproj import Transformer

    src = getattr(layer, "src_crs", None)
    dst = getattr(layer, "project_crs", None)
    if not src or not dst:
        return []
    try:
        sx, sy = Transformer.from_crs(dst, src, always_xy=True).transform(x, y)
        with rasterio.open(layer.path) as ds:
            r, c = ds.index(sx, sy)
            if not (0 <= r < ds.height and 0 <= c < ds.width):
                return []
            vals = next(ds.sample([(sx, sy)]))
    except Exception:        # an unreadable file says nothing here; the layer shows its own error
        return []
    pairs = [(f"波段 {i + 1} / band {i + 1}", _text(v.item() if hasattr(v, "item") else v)) for i, v in enumerate(vals)]
    return [(f"({sx:.6g}, {sy:.6g})", pairs)]


def identify_at(window, x: float, y: float, tol: float = 0.0) -> list[tuple[str, list]]:
    """``[(layer name, [(feature title, [(field, value), …]), …]), …]`` for the visible layers
    under a map point, from the top of the drawing order down (plan layers above base maps)."""
    from .layers.raster import RasterLayer
    from .layers.vector import FeatureLayer

    plan = window.document.plan if window.document is not None else None
    layers = list(reversed(window.plan_layers)) + list(reversed(window.base_layers))
    results = []
    for layer in layers:
        if not layer.visible or not layer.ready:
            continue
        if isinstance(layer, FeatureLayer):
            hits = _vector_hits(layer, x, y, tol, plan if layer.group == "plan" else None)
        elif isinstance(layer, RasterLayer):
            hits = _raster_hit(layer, x, y)
        else:
            continue
        if hits:
            results.append((layer.name, hits))
    return results


class IdentifyPanel(QWidget):
    """The 识别结果 panel: layer → feature → field/value; a place of the plan opens its form."""

    featureCount = Signal(int)
    editPlace = Signal(int)         # the place form (场所责任人) of a place id

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("identify_panel")
        self.hint = QLabel(self)
        self.hint.setWordWrap(True)
        self.tree = QTreeWidget(self)
        self.tree.setColumnCount(2)
        self.tree.setUniformRowHeights(True)
        self.place_button = QPushButton(self)
        self.place_button.setObjectName("identify_place_person")
        self.place_button.setEnabled(False)
        self.place_button.clicked.connect(self._edit_current_place)
        self.tree.currentItemChanged.connect(lambda *_: self.place_button.setEnabled(self.current_place() is not None))
        self.tree.itemDoubleClicked.connect(lambda *_: self._edit_current_place())
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.place_button)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(2, 2, 2, 2)
        lay.addWidget(self.hint)
        lay.addWidget(self.tree, 1)
        lay.addLayout(row)
        self.results: list = []
        self.retranslate()

    def current_place(self) -> int | None:
        """The place id of the selected feature (or of a field under it), else None."""
        item = self.tree.currentItem()
        while item is not None:
            ref = item.data(0, Qt.ItemDataRole.UserRole)
            if isinstance(ref, (list, tuple)) and len(ref) == 2 and ref[0] == "place":
                return int(ref[1])
            item = item.parent()
        return None

    def _edit_current_place(self) -> None:
        pid = self.current_place()
        if pid is not None:
            self.editPlace.emit(pid)

    def retranslate(self) -> None:
        self.tree.setHeaderLabels([self.tr("Feature"), self.tr("Value")])
        self.place_button.setText(self.tr("Responsible person of the place…"))
        self.place_button.setToolTip(self.tr("Give the selected place its responsible person from the roster, "
                                             "with phone"))
        self._show_hint()

    def _show_hint(self) -> None:
        if not self.results:
            self.hint.setText(self.tr("Choose Tools → Identify features and click the map: every visible layer, "
                                      "base maps included, lists what lies under the click."))
        else:
            n = sum(len(h) for _, h in self.results)
            self.hint.setText(self.tr("%n feature(s) under the click", "", n))

    def show_results(self, results) -> None:
        self.results = results
        self.tree.clear()
        first = None
        for layer_name, hits in results:
            top = QTreeWidgetItem(self.tree, [layer_name, self.tr("%n feature(s)", "", len(hits))])
            for hit in hits:
                title, pairs = hit[0], hit[1]
                item = QTreeWidgetItem(top, [title, ""])
                if len(hit) > 2:
                    item.setData(0, Qt.ItemDataRole.UserRole, list(hit[2]))
                for field, value in pairs:
                    QTreeWidgetItem(item, [field, value])
                if first is None:
                    first = item
            top.setExpanded(True)
        if first is not None:
            first.setExpanded(True)
            self.tree.setCurrentItem(first)
        self.tree.resizeColumnToContents(0)
        self._show_hint()
        self.featureCount.emit(int(np.sum([len(h) for _, h in results])) if results else 0)
