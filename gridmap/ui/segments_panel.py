"""Street segments (路段) and places (重点场所) of the plan.

* Split a road base layer at the grid boundaries of a level: each piece goes
  to the grid holding it, and to that grid's first officer — one undo step
  (:func:`gridmap.core.segments.segments_from_roads` + ``ReplaceTable``).
* Reassign segments: choose a grid and/or an officer, then click segments on
  the map (or assign the rows selected in the table) — 队员管段.
* Road-length totals per grid are in the grid form, per officer in the people table;
  here the totals of the segments shown.
* Load places (compounds, shops, schools …) from a base layer; each is assigned
  to the grid containing it (one undo step); counts per grid are in the grid form.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QFormLayout, QGroupBox, QHBoxLayout, QHeaderView,
                               QLabel, QPushButton, QTableView, QVBoxLayout, QWidget)

from ..core.editing import commands as C
from ..core.plan import PLACE_COLUMNS, coerce
from ..core.segments import segments_from_roads

__all__ = ["SegmentsPanel", "places_from_layer", "roads_frame"]

UNCHANGED = "__unchanged__"
NOBODY = -1


def _text(v) -> str:
    if v is None or (not isinstance(v, str) and pd.isna(v)):
        return ""
    return str(v)


def roads_frame(layer, crs) -> gpd.GeoDataFrame:
    """A loaded vector base layer (features already in the project CRS) as a GeoDataFrame."""
    attrs = layer.attrs.reset_index(drop=True)
    return gpd.GeoDataFrame(attrs, geometry=list(layer.geoms), crs=crs)


def places_from_layer(plan, geoms, names, kinds, level: str | None = None) -> gpd.GeoDataFrame:
    """The plan's places plus new ones (``geoms`` in the plan CRS with their names
    and kinds), every place assigned to the grid of ``level`` (default the lowest)
    containing a point on it.

    >>> from shapely import Point, box
    >>> from gridmap.core.plan import Plan
    >>> plan = Plan.new("例", "EPSG:4547", levels="two")
    >>> big = plan.add_grid(box(0, 0, 20, 10), "large")
    >>> a = plan.add_grid(box(0, 0, 10, 10), "small", parent=big)
    >>> b = plan.add_grid(box(10, 0, 20, 10), "small", parent=big)
    >>> places_from_layer(plan, [Point(15, 5)], ["学校"], ["学校"])["grid"].tolist() == [b]
    True
    """
    old = plan.places
    start = int(old.index.max()) + 1 if len(old) else 1
    new = gpd.GeoDataFrame(
        {"name": [_text(n) for n in names], "kind": [_text(k) for k in kinds], "grid": pd.NA, "address": "",
         "notes": ""},
        geometry=list(geoms), crs=plan.crs, index=pd.Index(np.arange(start, start + len(geoms)), name="id"))
    table = gpd.GeoDataFrame(pd.concat([old, new]) if len(old) else new, geometry="geometry", crs=plan.crs)
    table = coerce(table, PLACE_COLUMNS)
    grids = plan.grids_of_level(level or plan.levels[-1].key)
    col = pd.array([pd.NA] * len(table), dtype="Int64")
    if len(grids) and len(table):
        pts = shapely.point_on_surface(np.asarray(table.geometry.values, dtype=object))
        src, dst = shapely.STRtree(grids.geometry.values).query(pts, predicate="intersects")
        col[src] = grids.index.to_numpy()[dst]
    table["grid"] = col
    return table


class SegmentsPanel(QWidget):
    """Segments from roads, their assignment, and places from a layer."""

    pickRequested = Signal(bool)          # the "assign by clicking" tool on/off
    segmentsSelected = Signal(list)       # segment ids selected in the table

    def __init__(self, controller, window, parent=None):
        super().__init__(parent)
        self.setObjectName("segments_panel")
        self.ctl = controller
        self.window = window
        self.plan = None

        # roads → segments
        self.split_box = QGroupBox(self)
        self.road_layer = QComboBox(self)
        self.road_field = QComboBox(self)
        self.seg_level = QComboBox(self)
        self.split_button = QPushButton(self)
        f = QFormLayout(self.split_box)
        self.split_labels = [QLabel(self) for _ in range(3)]
        for lab, w in zip(self.split_labels, (self.road_layer, self.road_field, self.seg_level)):
            f.addRow(lab, w)
        f.addRow(self.split_button)

        # assignment
        self.assign_box = QGroupBox(self)
        from .inspector_form import searchable

        self.target_grid = searchable(QComboBox(self))        # type-to-search: a level of 100k grids
        self.target_officer = searchable(QComboBox(self))
        self.pick_button = QPushButton(self)
        self.pick_button.setCheckable(True)
        self.assign_button = QPushButton(self)
        f2 = QFormLayout(self.assign_box)
        self.assign_labels = [QLabel(self) for _ in range(2)]
        for lab, w in zip(self.assign_labels, (self.target_grid, self.target_officer)):
            f2.addRow(lab, w)
        row = QHBoxLayout()
        row.addWidget(self.pick_button)
        row.addWidget(self.assign_button)
        f2.addRow(row)

        # the segments as a model over the plan's table, updated row by row from each edit's
        # exact change (shared with the attribute table: gridmap.ui.attribute_table.PlanTableModel)
        from .attribute_table import PlanTableModel

        self.model = PlanTableModel("segments", self)
        self.table = QTableView(self)
        self.table.setObjectName("segments_table")
        self.table.setModel(self.model)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(22)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)

        # places
        self.places_box = QGroupBox(self)
        self.place_layer = QComboBox(self)
        self.place_name = QComboBox(self)
        self.place_kind = QComboBox(self)
        self.place_kind.setEditable(True)
        self.places_button = QPushButton(self)
        self.places_summary = QLabel(self)
        self.places_summary.setWordWrap(True)
        f3 = QFormLayout(self.places_box)
        self.place_labels = [QLabel(self) for _ in range(3)]
        for lab, w in zip(self.place_labels, (self.place_layer, self.place_name, self.place_kind)):
            f3.addRow(lab, w)
        f3.addRow(self.places_button)
        f3.addRow(self.places_summary)

        lay = QVBoxLayout(self)
        lay.setContentsMargins(2, 2, 2, 2)
        lay.addWidget(self.split_box)
        lay.addWidget(self.assign_box)
        lay.addWidget(self.summary)
        lay.addWidget(self.table, 1)
        lay.addWidget(self.places_box)

        self.road_layer.currentIndexChanged.connect(lambda i: self._fill_fields(self.road_layer, [self.road_field]))
        self.place_layer.currentIndexChanged.connect(
            lambda i: self._fill_fields(self.place_layer, [self.place_name, self.place_kind]))
        self.split_button.clicked.connect(self.split_roads)
        self.places_button.clicked.connect(self.load_places)
        self.assign_button.clicked.connect(self.assign_selected)
        self.pick_button.toggled.connect(self.pickRequested.emit)
        self.table.selectionModel().selectionChanged.connect(
            lambda *_: self.segmentsSelected.emit(self.selected_ids()))
        self.retranslate()

    # ------------------------------------------------------------------ data
    def set_plan(self, plan) -> None:
        self.plan = plan
        self.refresh_layers()
        self.refresh()

    def vector_layers(self, family: str | None = None) -> list:
        out = []
        for layer in self.window.base_layers:
            if getattr(layer, "kind", "") != "vector" or not getattr(layer, "ready", False):
                continue
            if family is None or getattr(layer, "family", "") == family:
                out.append(layer)
        return out

    def refresh_layers(self) -> None:
        """Fill the layer lists from the loaded vector base layers."""
        for combo, family in ((self.road_layer, "line"), (self.place_layer, None)):
            keep = combo.currentData()
            combo.blockSignals(True)
            combo.clear()
            for layer in self.vector_layers(family):
                combo.addItem(layer.name, layer.id)
            i = combo.findData(keep)
            combo.setCurrentIndex(i if i >= 0 else 0)
            combo.blockSignals(False)
        self._fill_fields(self.road_layer, [self.road_field])
        self._fill_fields(self.place_layer, [self.place_name, self.place_kind])
        plan = self.plan
        self.seg_level.clear()
        if plan is not None:
            lang = self.ctl.lang()
            for lv in reversed(plan.levels):
                self.seg_level.addItem(lv.name_en if lang == "en" else lv.name, lv.key)

    def _layer(self, combo):
        lid = combo.currentData()
        return next((l for l in self.window.base_layers if l.id == lid), None)

    def _fill_fields(self, combo, targets) -> None:
        layer = self._layer(combo)
        fields = layer.fields() if layer is not None else []
        for t, prefer in zip(targets, (("name", "名称", "NAME"), ("kind", "type", "amenity", "building", "类型"))):
            keep = t.currentText()
            t.clear()
            t.addItems(fields)
            pick = keep if keep in fields else next((f for f in prefer if f in fields), fields[0] if fields else "")
            t.setCurrentText(pick)

    def refresh(self) -> None:
        """Show the plan's segments anew (a new plan), the summaries and the target lists."""
        self.model.set_plan(self.plan)
        self._summaries()
        if self.plan is not None:
            self._fill_targets()

    def on_changes(self, changes) -> None:
        """After an edit: the rows it touched (never a rebuild), the summaries, and the
        target lists only when grids or people came, went or were renamed."""
        if self.plan is None:
            return
        self.model.apply_changes(changes)
        tables = changes.tables
        if tables & {"segments", "places"}:
            self._summaries(changes)
        if hasattr(self, "_picks"):
            for model in self._picks.values():         # the pick lists: the rows the edit touched
                model.follow(changes)

    def _lengths(self, changes=None) -> pd.Series:
        """The segments' lengths, kept between edits: measured again for the rows an edit
        touched only (all of them for a new plan or a whole table replaced)."""
        s = self.plan.segments
        cache = getattr(self, "_seg_lengths", None)
        tc = changes.per_table.get("segments") if changes is not None else None
        if cache is None or changes is None or (tc is not None and len(tc.ids) > 1000):
            cache = pd.Series(shapely.length(np.asarray(s.geometry.values, dtype=object)), index=s.index)
        elif tc is not None:
            cache = cache.drop(index=[i for i in tc.removed | tc.modified if i in cache.index])
            here = [i for i in tc.added | tc.modified if i in s.index]
            if here:
                cache = pd.concat([cache, pd.Series(shapely.length(s.geometry.loc[here].values), index=here)])
        self._seg_lengths = cache
        return cache

    def _summaries(self, changes=None) -> None:
        plan = self.plan
        if plan is None:
            self.summary.setText("")
            self.places_summary.setText("")
            return
        s = plan.segments
        total = float(self._lengths(changes).sum()) if len(s) else 0.0
        unassigned = int(s["grid"].isna().sum()) if len(s) else 0
        no_officer = int(s["officer"].isna().sum()) if len(s) else 0
        self.summary.setText(self.tr("%1 segment(s), %2 km; %3 without grid, %4 without officer")
                             .replace("%1", str(len(s))).replace("%2", f"{total / 1000:.2f}")
                             .replace("%3", str(unassigned)).replace("%4", str(no_officer)))
        p = plan.places
        kinds = p["kind"].value_counts() if len(p) else pd.Series(dtype=int)
        self.places_summary.setText(self.tr("%1 place(s), %2 without grid").replace("%1", str(len(p))).replace(
            "%2", str(int(p["grid"].isna().sum()) if len(p) else 0)) + (
            ": " + "、".join(f"{k or '?'} {v}" for k, v in kinds.items()) if len(kinds) else ""))

    def _fill_targets(self, new_plan: bool = True) -> None:
        """The grid and officer lists: lazy list models over the plan (the grids of the
        lowest level, the people) — setting a plan is one pass over the ids, a label is
        made when its row is shown or searched, and an edit changes only its rows."""
        from .inspector_form import PlanPickList, pick_source

        plan = self.plan
        if not hasattr(self, "_picks"):
            self._picks = {"grid": PlanPickList("grid", self), "officer": PlanPickList("person", self)}
        heads = {"grid": [(self.tr("(unchanged)"), UNCHANGED)],
                 "officer": [(self.tr("(unchanged)"), UNCHANGED), (self.tr("(nobody)"), NOBODY)]}
        for combo, kind in ((self.target_grid, "grid"), (self.target_officer, "officer")):
            model = self._picks[kind]
            keep = combo.currentData()
            combo.blockSignals(True)
            model.set_head(heads[kind])
            if new_plan:            # the sources the grid form's lists share (one per kind and level)
                model.use_source(pick_source(self.ctl, plan, "grid", plan.levels[-1].key) if kind == "grid"
                                 else pick_source(self.ctl, plan, "person"))
            if combo.model() is not model:
                combo.setModel(model)
                combo.completer().setModel(model)
            i = model.row_of(keep)
            combo.setCurrentIndex(i if i >= 0 else 0)
            combo.blockSignals(False)

    def selected_ids(self) -> list[int]:
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        return [self.model.id_at(r) for r in rows]

    def set_targets(self, grid=UNCHANGED, officer=UNCHANGED) -> None:
        self.target_grid.setCurrentIndex(max(0, self.target_grid.findData(grid)))
        self.target_officer.setCurrentIndex(max(0, self.target_officer.findData(officer)))

    # ------------------------------------------------------------------ commands
    def split_roads(self) -> bool:
        """Replace the segments with the chosen road layer cut at the grid boundaries."""
        plan = self.plan
        layer = self._layer(self.road_layer)
        if plan is None or layer is None:
            self.ctl.refused.emit(self.tr("Add a road layer (lines) as a base map first."))
            return False
        roads = roads_frame(layer, plan.crs)
        table = segments_from_roads(plan, roads, self.road_field.currentText(), level=self.seg_level.currentData())
        return self.ctl.push(C.ReplaceTable("路段", "segments", table),
                             self.tr("Split %1 into %2 segments").replace("%1", layer.name)
                             .replace("%2", str(len(table))), kinds=())

    def load_places(self) -> bool:
        plan = self.plan
        layer = self._layer(self.place_layer)
        if plan is None or layer is None:
            self.ctl.refused.emit(self.tr("Add a layer of places as a base map first."))
            return False
        a = layer.attrs
        name_f, kind_f = self.place_name.currentText(), self.place_kind.currentText()
        names = a[name_f].tolist() if name_f in a.columns else [""] * len(layer)
        kinds = a[kind_f].tolist() if kind_f in a.columns else [kind_f] * len(layer)
        ok = ~(shapely.is_missing(layer.geoms) | shapely.is_empty(layer.geoms))
        table = places_from_layer(plan, layer.geoms[ok], np.asarray(names, dtype=object)[ok],
                                  np.asarray(kinds, dtype=object)[ok])
        return self.ctl.push(C.ReplaceTable("场所", "places", table),
                             self.tr("Load %1 place(s) from %2").replace("%1", str(int(ok.sum())))
                             .replace("%2", layer.name), kinds=())

    def _values(self) -> dict | None:
        g, o = self.target_grid.currentData(), self.target_officer.currentData()
        values = {}
        if g != UNCHANGED:
            values["grid"] = int(g)
        if o != UNCHANGED:
            values["officer"] = None if o == NOBODY else int(o)
        if not values:
            self.ctl.last_error = self.tr("Choose the grid or officer to assign to first.")
            self.ctl.refused.emit(self.ctl.last_error)
            return None
        return values

    def assign(self, segment_ids) -> bool:
        """Give segments the chosen grid and/or officer (one undo step)."""
        values = self._values()
        if values is None or self.plan is None:
            return False
        ids = [int(s) for s in segment_ids if int(s) in self.plan.segments.index]
        if not ids:
            return False
        return self.ctl.push([lambda p, s=s: C.SetCells("路段", "segments", s, dict(values)) for s in ids],
                             self.tr("Assign %n segment(s)", "", len(ids)), kinds=())

    def assign_selected(self) -> bool:
        return self.assign(self.selected_ids())

    # ------------------------------------------------------------------ language
    def retranslate(self) -> None:
        self.split_box.setTitle(self.tr("Street segments from a road layer"))
        for lab, text in zip(self.split_labels, (self.tr("Road layer"), self.tr("Name field"), self.tr("Level"))):
            lab.setText(text)
        self.split_button.setText(self.tr("Split roads at grid boundaries"))
        self.assign_box.setTitle(self.tr("Assign segments (队员管段)"))
        for lab, text in zip(self.assign_labels, (self.tr("To grid"), self.tr("To officer"))):
            lab.setText(text)
        self.pick_button.setText(self.tr("Assign by clicking on the map"))
        self.assign_button.setText(self.tr("Assign selected rows"))
        self.model.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, max(0, self.model.columnCount() - 1))
        self.places_box.setTitle(self.tr("Places from a layer"))
        for lab, text in zip(self.place_labels, (self.tr("Layer"), self.tr("Name field"),
                                                 self.tr("Kind field or text"))):
            lab.setText(text)
        self.places_button.setText(self.tr("Load places and assign them to grids"))
        if self.plan is not None:
            self._summaries()
            self._fill_targets(new_plan=False)

    def changeEvent(self, e) -> None:
        if e.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(e)
