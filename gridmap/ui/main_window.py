"""The main window: map canvas in the middle, docks around it, menus, toolbar,
status bar.  Widgets only display and dispatch: plan logic stays in
:mod:`gridmap.core`, long work runs in worker threads (:mod:`gridmap.ui.jobs`)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import shapely
from PySide6.QtCore import QEvent, QSettings, Qt, Signal
from PySide6.QtGui import QAction, QActionGroup, QColor, QIcon, QKeySequence, QPen, QUndoGroup
from PySide6.QtWidgets import (QComboBox, QDockWidget, QFileDialog, QLabel, QLineEdit, QMainWindow,
                               QMenu, QMessageBox, QTabWidget, QToolBar)

from .. import __version__
from ..core.storage import ConflictError, StoreError, open_plan
from ..core.storage import lock as project_lock
from . import i18n
from .canvas import MapCanvas
from .document import PlanDocument
from .edit_tools import (DrawGridTool, MoveBoundaryTool, PickSegmentTool, ReshapeTool, SplitAlongRoadTool,
                         SplitTool, VertexTool)
from .editing import EditController
from .inspector_form import GridForm
from .inspector import GridInspector
from .jobs import TaskManager
from .workers import rehome_crs
from .layer_panel import LayerPanel
from .layers.base import MapLayer
from .layers.plan_layers import plan_layers, update_plan_layers
from .live_checks import LiveChecker
from .layers.vector import GridLayer, layer_from_record
from .overview import OverviewCanvas
from .people_dock import PeoplePanel
from .problems import ProblemsPanel, normalise_problems
from .segments_panel import SegmentsPanel
from .statusbar import MapStatusBar
from .tools import DrawPolygonTool, IdentifySelectTool, PanTool, ZoomBoxTool
from .undo import HistoryView

__all__ = ["MainWindow", "sample_plan_path", "icon"]

MAX_RECENT = 10
VECTOR_FILTER = "Vector (*.shp *.gpkg *.geojson *.json *.kml *.dxf *.gml *.fgb *.tab *.mif *.csv);;All files (*)"
RASTER_FILTER = "Raster (*.tif *.tiff *.img *.jp2 *.png *.jpg *.vrt *.ecw);;All files (*)"


def sample_plan_path() -> Path:
    """``sample_layers/baoan_plan.gpkg`` beside the package (repository checkout)."""
    here = Path(__file__).resolve()
    for root in (here.parents[2], here.parents[1]):
        p = root / "sample_layers" / "baoan_plan.gpkg"
        if p.exists():
            return p
    return here.parents[2] / "sample_layers" / "baoan_plan.gpkg"


def icon(name: str) -> QIcon:
    p = i18n.RESOURCES / "icons" / f"{name}.svg"
    return QIcon(str(p)) if p.exists() else QIcon()


class MainWindow(QMainWindow):
    """The gridmap main window."""

    documentChanged = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("MainWindow")
        self.resize(1400, 900)
        self.document: PlanDocument | None = None
        self.plan_layers: list[MapLayer] = []
        self.base_layers: list[MapLayer] = []
        self.confirm_close = True
        self.last_error = ""
        self.error_box = None
        self.tasks = TaskManager(self)
        self._loading = 0

        # canvas and tools
        self.canvas = MapCanvas(self)
        self.setCentralWidget(self.canvas)
        self.pan_tool = PanTool(self.canvas)
        self.zoom_tool = ZoomBoxTool(self.canvas)
        self.select_tool = IdentifySelectTool(self.canvas)
        self.draw_tool = DrawPolygonTool(self.canvas)
        self.select_tool.clicked.connect(self.select_at)
        self.select_tool.boxed.connect(self.select_box)

        # editing: one controller, one tool object per edit tool, the undo stacks of the documents
        self.edit = EditController(self)
        self.undo_group = QUndoGroup(self)
        self.live = LiveChecker(self)
        self.live.enabled = bool(self.edit.live_checks)
        self.edit_tools = {
            "draw_grid": DrawGridTool(self.canvas, self.edit),
            "vertex": VertexTool(self.canvas, self.edit),
            "split": SplitTool(self.canvas, self.edit),
            "split_road": SplitAlongRoadTool(self.canvas, self.edit),
            "reshape": ReshapeTool(self.canvas, self.edit),
            "move_boundary": MoveBoundaryTool(self.canvas, self.edit),
            "pick_segment": PickSegmentTool(self.canvas, self.edit, self._segments_layer),
        }
        self._overlay_lines = None
        self.canvas.overlays.append(self._paint_overlay_lines)

        from .tiles import TileFetcher
        self.tile_fetcher = TileFetcher(self)
        self.tile_fetcher.tileArrived.connect(self._on_tile_arrived)
        self.tile_fetcher.offline.connect(self._on_tiles_offline)

        # docks
        self.layer_panel = LayerPanel(self)
        self.inspector = GridInspector(self)
        self.form = GridForm(self.edit, self)
        self.inspector_tabs = QTabWidget(self)
        self.inspector_tabs.setObjectName("inspector_tabs")
        self.inspector_tabs.addTab(self.form, "")
        self.inspector_tabs.addTab(self.inspector, "")
        self.problems = ProblemsPanel(self)
        self.overview = OverviewCanvas(self.canvas, self)
        self.history = HistoryView(self.undo_group, self)
        self.history.setObjectName("undo_history")
        self.people = PeoplePanel(self.edit, self)
        self.segments = SegmentsPanel(self.edit, self, self)
        self.docks: dict[str, QDockWidget] = {}
        for key, widget, area in (("layers", self.layer_panel, Qt.DockWidgetArea.LeftDockWidgetArea),
                                  ("overview", self.overview, Qt.DockWidgetArea.LeftDockWidgetArea),
                                  ("inspector", self.inspector_tabs, Qt.DockWidgetArea.RightDockWidgetArea),
                                  ("segments", self.segments, Qt.DockWidgetArea.RightDockWidgetArea),
                                  ("history", self.history, Qt.DockWidgetArea.RightDockWidgetArea),
                                  ("problems", self.problems, Qt.DockWidgetArea.BottomDockWidgetArea),
                                  ("people", self.people, Qt.DockWidgetArea.BottomDockWidgetArea)):
            dock = QDockWidget(self)
            dock.setObjectName(f"dock_{key}")
            dock.setWidget(widget)
            self.addDockWidget(area, dock)
            self.docks[key] = dock
        self.tabifyDockWidget(self.docks["inspector"], self.docks["segments"])
        self.tabifyDockWidget(self.docks["segments"], self.docks["history"])
        self.tabifyDockWidget(self.docks["problems"], self.docks["people"])
        self.docks["inspector"].raise_()
        self.docks["problems"].raise_()
        self.resizeDocks([self.docks["layers"], self.docks["overview"]], [520, 220], Qt.Orientation.Vertical)
        self.resizeDocks([self.docks["inspector"]], [360], Qt.Orientation.Horizontal)
        self.resizeDocks([self.docks["problems"]], [170], Qt.Orientation.Vertical)

        self.status = MapStatusBar(self)
        self.setStatusBar(self.status)

        self._make_actions()
        self._make_menus()
        self._connect()
        self.set_tool("pan")
        self.retranslate()
        self._restore_settings()

    # ================================================================== actions
    def _make_actions(self) -> None:
        A = {}

        def act(name, slot=None, shortcut=None, checkable=False, icon_name=None):
            a = QAction(self)
            a.setObjectName(f"action_{name}")
            if shortcut:
                a.setShortcut(QKeySequence(shortcut))
            if checkable:
                a.setCheckable(True)
            if icon_name:
                a.setIcon(icon(icon_name))
            if slot:
                a.triggered.connect(slot)
            A[name] = a
            return a

        act("new", self.new_plan, QKeySequence.StandardKey.New, icon_name="new")
        act("open", self.open_dialog, QKeySequence.StandardKey.Open, icon_name="open")
        act("save", self.save, QKeySequence.StandardKey.Save, icon_name="save")
        act("save_as", self.save_as, "Ctrl+Shift+S")
        act("quit", self.close, QKeySequence.StandardKey.Quit)
        act("add_vector", self.add_vector_dialog, "Ctrl+Shift+V", icon_name="add_vector")
        act("add_raster", self.add_raster_dialog, "Ctrl+Shift+R", icon_name="add_raster")
        act("add_tiles", self.add_tiles_dialog, "Ctrl+Shift+T", icon_name="add_tiles")
        act("add_mbtiles", self.add_mbtiles_dialog, "Ctrl+Shift+M")
        act("zoom_in", self.canvas.zoom_in, QKeySequence.StandardKey.ZoomIn, icon_name="zoom_in")
        act("zoom_out", self.canvas.zoom_out, QKeySequence.StandardKey.ZoomOut, icon_name="zoom_out")
        act("zoom_full", self.canvas.zoom_full, "Ctrl+Shift+F", icon_name="zoom_full")
        act("zoom_layer", self.zoom_to_current_layer, icon_name="zoom_layer")
        act("zoom_selection", self.zoom_to_selection, "Ctrl+J", icon_name="zoom_selection")
        act("refresh", lambda: self.canvas.refresh(), "F5")
        act("labels", self._toggle_labels, "Ctrl+L", checkable=True).setChecked(True)
        act("pan", lambda: self.set_tool("pan"), "Ctrl+Shift+P", checkable=True, icon_name="pan")
        act("zoom_box", lambda: self.set_tool("zoom_box"), "Ctrl+Shift+B", checkable=True, icon_name="zoom_box")
        act("select", lambda: self.set_tool("select"), "Ctrl+Shift+I", checkable=True, icon_name="select")
        act("deselect", self._deselect, "Ctrl+Alt+A")
        act("run_checks", self.run_checks, "Ctrl+Shift+K", icon_name="check")
        act("export_image", self.export_image_dialog)
        act("export_plan", self.export_plan_dialog)
        act("print_layout", self.print_layout_dialog, QKeySequence.StandardKey.Print)
        act("import_file", self.import_dialog, "Ctrl+I")
        act("about", self.about)
        act("lang_zh_CN", lambda: self.set_language("zh_CN"), checkable=True)
        act("lang_en", lambda: self.set_language("en"), checkable=True)
        # editing
        g = self.undo_group
        undo = act("undo", g.undo, QKeySequence.StandardKey.Undo, icon_name="undo")
        redo = act("redo", g.redo, icon_name="redo")
        redo.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        undo.setEnabled(False)
        redo.setEnabled(False)
        g.canUndoChanged.connect(undo.setEnabled)
        g.canRedoChanged.connect(redo.setEnabled)
        g.undoTextChanged.connect(lambda t: self._update_undo_texts())
        g.redoTextChanged.connect(lambda t: self._update_undo_texts())
        for name, key in (("draw_grid", "Ctrl+Shift+G"), ("vertex", "Ctrl+Shift+E"), ("split", "Ctrl+Shift+X"),
                          ("split_road", None), ("reshape", "Ctrl+Shift+H"), ("move_boundary", None),
                          ("pick_segment", None)):
            act(name, lambda checked=False, n=name: self.set_tool(n), key, checkable=True, icon_name=name)
        act("merge", lambda: self.merge_selected(), icon_name="merge")
        act("delete_grids", lambda: self.delete_selected(), "Shift+Del", icon_name="delete_grid")
        act("batch_assign", lambda: self.batch_assign_dialog(), icon_name="batch_assign")
        act("split_roads", self.split_roads_dialog)
        act("load_places", self.load_places_dialog)
        act("edit_options", self.edit_options_dialog)
        for name in ("snapping", "trace", "avoid_overlaps", "fill", "topological", "keep_clean", "live_checks"):
            a = act(name, None, checkable=True,
                    icon_name=name if name in ("snapping", "trace", "avoid_overlaps", "fill", "topological") else None)
            a.setChecked(bool(getattr(self.edit, name)))
            a.toggled.connect(lambda on, n=name: self._set_edit_option(n, on))
        tools = QActionGroup(self)
        for k in ("pan", "zoom_box", "select", "draw_grid", "vertex", "split", "split_road", "reshape",
                  "move_boundary", "pick_segment"):
            tools.addAction(A[k])
        langs = QActionGroup(self)
        langs.addAction(A["lang_zh_CN"])
        langs.addAction(A["lang_en"])
        self.actions = A

    def _make_menus(self) -> None:
        A = self.actions
        mb = self.menuBar()
        self.menus: dict[str, QMenu] = {}

        def menu(key, items):
            m = mb.addMenu("")
            m.setObjectName(f"menu_{key}")
            for it in items:
                if it is None:
                    m.addSeparator()
                elif isinstance(it, QMenu):
                    m.addMenu(it)
                else:
                    m.addAction(A[it])
            self.menus[key] = m
            return m

        self.recent_menu = QMenu(self)
        self.recent_menu.setObjectName("menu_recent")
        self.lang_menu = QMenu(self)
        self.lang_menu.addAction(A["lang_zh_CN"])
        self.lang_menu.addAction(A["lang_en"])
        self.panels_menu = QMenu(self)
        menu("project", ["new", "open", self.recent_menu, None, "save", "save_as", None, "quit"])
        menu("layers", ["import_file", None, "add_vector", "add_raster", "add_tiles", "add_mbtiles"])
        v = menu("view", ["zoom_in", "zoom_out", "zoom_full", "zoom_layer", "zoom_selection", None, "labels",
                          "refresh", None])
        v.addMenu(self.panels_menu)
        for dock in self.docks.values():
            self.panels_menu.addAction(dock.toggleViewAction())
        self.snap_layers_menu = QMenu(self)
        self.snap_layers_menu.setObjectName("menu_snap_layers")
        self.snap_layers_menu.aboutToShow.connect(self._fill_snap_layers_menu)
        menu("edit", ["undo", "redo", None, "draw_grid", "vertex", "split", "split_road", "reshape", "move_boundary",
                      None, "merge", "delete_grids", None, "batch_assign", "pick_segment", "split_roads",
                      "load_places", None, "snapping", self.snap_layers_menu, "trace", "avoid_overlaps", "fill",
                      "topological", "keep_clean", "live_checks", "edit_options"])
        mb.insertMenu(self.menus["layers"].menuAction(), self.menus["edit"])
        menu("tools", ["pan", "zoom_box", "select", "deselect"])
        menu("checks", ["run_checks"])
        menu("export", ["print_layout", None, "export_plan", "export_image"])
        menu("settings", [self.lang_menu])
        menu("help", ["about"])

        tb = QToolBar(self)
        tb.setObjectName("toolbar_main")
        for k in ("new", "open", "save", None, "add_vector", "add_tiles", None, "pan", "zoom_box", "select",
                  None, "zoom_in", "zoom_out", "zoom_full", "zoom_selection", None, "run_checks"):
            if k is None:
                tb.addSeparator()
            else:
                tb.addAction(A[k])
        self.search = QLineEdit(self)
        self.search.setObjectName("grid_search")
        self.search.setClearButtonEnabled(True)
        self.search.setMaximumWidth(240)
        self.search.returnPressed.connect(lambda: self.search_grid(self.search.text()))
        tb.addSeparator()
        tb.addWidget(self.search)
        self.addToolBar(tb)
        self.toolbar = tb

        et = QToolBar(self)
        et.setObjectName("toolbar_edit")
        self.level_label = QLabel(self)
        self.level_combo = QComboBox(self)
        self.level_combo.setObjectName("edit_level")
        self.level_combo.currentIndexChanged.connect(
            lambda i: setattr(self.edit, "level", self.level_combo.itemData(i)))
        et.addWidget(self.level_label)
        et.addWidget(self.level_combo)
        for k in ("undo", "redo", None, "draw_grid", "vertex", "split", "split_road", "reshape", "move_boundary",
                  "merge", "delete_grids", "batch_assign", None, "snapping", "trace", "avoid_overlaps", "fill",
                  "topological"):
            if k is None:
                et.addSeparator()
            else:
                et.addAction(A[k])
        self.addToolBarBreak()
        self.addToolBar(et)
        self.edit_toolbar = et

    def _connect(self) -> None:
        c = self.canvas
        c.cursorMoved.connect(self.status.show_cursor)
        c.viewChanged.connect(lambda vp: self.status.show_scale(vp.scale()))
        c.layerFailed.connect(self._on_layer_failed)
        self.status.scaleEdited.connect(c.set_scale)
        self.status.cancelRequested.connect(self._cancel_jobs)
        self.tasks.busyChanged.connect(self.status.set_busy)
        lp = self.layer_panel
        lp.visibilityChanged.connect(self._on_visibility)
        lp.orderChanged.connect(self._on_order)
        lp.opacityChanged.connect(self._on_opacity)
        lp.styleRequested.connect(self.edit_style)
        lp.removeRequested.connect(self.remove_base_layer)
        self.problems.runRequested.connect(self.run_checks)
        self.problems.activated.connect(self._on_problem)
        self.draw_tool.finished.connect(self._on_drawn)
        self.draw_tool.cancelled.connect(lambda: self.set_tool("pan"))
        self.edit.refused.connect(lambda msg: self.status.showMessage(msg, 10000))
        self.edit.message.connect(lambda msg: self.status.showMessage(msg, 4000))
        self.live.updated.connect(self._on_live_problems)
        self.live.busyChanged.connect(self._on_live_busy)
        self.people.dutiesRequested.connect(self.show_duties)
        self.segments.pickRequested.connect(lambda on: self.set_tool("pick_segment" if on else "pan"))
        self.segments.segmentsSelected.connect(self._show_segments)
        self.edit_tools["pick_segment"].picked.connect(lambda sid: self.segments.assign([sid]))
        self.canvas.toolChanged.connect(self._on_tool_changed)
        from .fix_panel import FixController
        self.fixes = FixController(self)      # fixes in the problems list (preview, apply, fix all)

    # ================================================================== language
    def retranslate(self) -> None:
        A = self.actions
        texts = {
            "new": self.tr("&New plan…"), "open": self.tr("&Open…"), "save": self.tr("&Save"), "save_as": self.tr("Save &As…"),
            "quit": self.tr("&Quit"), "add_vector": self.tr("Add &vector layer…"), "add_raster": self.tr("Add &raster layer…"),
            "add_tiles": self.tr("Add &tile base map…"), "add_mbtiles": self.tr("Add &MBTiles file…"),
            "zoom_in": self.tr("Zoom &in"), "zoom_out": self.tr("Zoom &out"), "zoom_full": self.tr("Zoom &full"),
            "zoom_layer": self.tr("Zoom to &layer"), "zoom_selection": self.tr("Zoom to &selection"),
            "refresh": self.tr("&Refresh"), "labels": self.tr("Show &labels"), "pan": self.tr("&Pan"),
            "zoom_box": self.tr("&Zoom box"), "select": self.tr("&Identify and select"), "deselect": self.tr("&Deselect all"),
            "run_checks": self.tr("Run &checks"), "export_image": self.tr("Export map &image…"),
            "export_plan": self.tr("Export &plan…"),
            "print_layout": self.tr("&Print layout (annex map, map book, Word, web map)…"),
            "import_file": self.tr("&Import file (base layer or grids)…"), "about": self.tr("&About gridmap"),
            "lang_zh_CN": "中文", "lang_en": "English",
            "draw_grid": self.tr("&Draw grid"), "vertex": self.tr("&Vertex tool"), "split": self.tr("S&plit grid"),
            "split_road": self.tr("Split grid along a &road"), "reshape": self.tr("&Reshape grid"),
            "move_boundary": self.tr("&Move boundary"), "pick_segment": self.tr("Assign &segments by clicking"),
            "merge": self.tr("Mer&ge selected grids…"), "delete_grids": self.tr("De&lete selected grids"),
            "batch_assign": self.tr("Assign &to selected grids…"),
            "split_roads": self.tr("Split a road layer into &street segments…"),
            "load_places": self.tr("Load p&laces from a layer…"), "snapping": self.tr("S&napping"),
            "trace": self.tr("&Tracing (or hold Shift)"), "avoid_overlaps": self.tr("&Avoid overlaps"),
            "fill": self.tr("&Fill slivers beside new grids"), "topological": self.tr("Top&ological editing"),
            "keep_clean": self.tr("&Keep a clean coverage (refuse gaps and overlaps)"),
            "live_checks": self.tr("Live &checks after each edit"),
            "edit_options": self.tr("Editing &options…"),
        }
        for k, v in texts.items():
            A[k].setText(v)
            A[k].setToolTip(v.replace("&", "").replace("…", "") + (
                f" ({A[k].shortcut().toString(QKeySequence.SequenceFormat.NativeText)})" if not A[k].shortcut().isEmpty() else ""))
        for key, text in (("project", self.tr("&Project")), ("edit", self.tr("&Edit")), ("layers", self.tr("&Layers")),
                          ("view", self.tr("&View")),
                          ("tools", self.tr("&Tools")), ("checks", self.tr("&Checks")), ("export", self.tr("&Export")),
                          ("settings", self.tr("&Settings")), ("help", self.tr("&Help"))):
            self.menus[key].setTitle(text)
        self.recent_menu.setTitle(self.tr("Open &recent"))
        self.lang_menu.setTitle(self.tr("&Language"))
        self.panels_menu.setTitle(self.tr("&Panels"))
        self.toolbar.setWindowTitle(self.tr("Main toolbar"))
        self.edit_toolbar.setWindowTitle(self.tr("Editing toolbar"))
        self.level_label.setText(self.tr("Level:") + " ")
        self.snap_layers_menu.setTitle(self.tr("Snap to &layers"))
        self._update_undo_texts()
        self.inspector_tabs.setTabText(0, self.tr("Edit"))
        self.inspector_tabs.setTabText(1, self.tr("Summary"))
        self._fill_level_combo()
        self.search.setPlaceholderText(self.tr("Grid code or name…"))
        for key, text in (("layers", self.tr("Layers")), ("overview", self.tr("Overview")), ("inspector", self.tr("Grid inspector")),
                          ("problems", self.tr("Problems")), ("history", self.tr("Undo history")),
                          ("people", self.tr("People and units")), ("segments", self.tr("Segments and places"))):
            self.docks[key].setWindowTitle(text)
        for layer in self.plan_layers:
            self._name_plan_layer(layer)
        self.layer_panel.set_layers(self.canvas.layers) if self.canvas.layers else None
        self._update_recent_menu()
        self._update_title()
        lang = i18n.current_language()
        A["lang_zh_CN"].setChecked(lang == "zh_CN")
        A["lang_en"].setChecked(lang == "en")

    def changeEvent(self, e) -> None:
        if e.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(e)

    def set_language(self, lang: str) -> None:
        """Switch the UI language now and remember it."""
        QSettings().setValue("language", lang)
        i18n.install(lang)
        # LanguageChange events arrive later; retranslate now so the switch is immediate
        for w in (self, self.layer_panel, self.inspector, self.problems, self.status, self.form, self.people,
                  self.segments, self.history):
            w.retranslate()

    def _name_plan_layer(self, layer) -> None:
        if isinstance(layer, GridLayer) and self.document is not None:
            try:
                lv = self.document.plan.level(layer.level_key)
                layer.name = lv.name if i18n.current_language() != "en" else lv.name_en
            except Exception:
                pass
        elif layer.kind == "jurisdiction":
            layer.name = self.tr("Jurisdiction")
        elif layer.kind == "segments":
            layer.name = self.tr("Road segments")
        elif layer.kind == "places":
            layer.name = self.tr("Places")

    # ================================================================== settings
    def _restore_settings(self) -> None:
        s = QSettings()
        geo = s.value("window/geometry")
        if geo is not None:
            self.restoreGeometry(geo)
        state = s.value("window/state")
        if state is not None:
            self.restoreState(state)
        labels = s.value("view/labels", True)
        labels = labels if isinstance(labels, bool) else str(labels).lower() == "true"
        self.actions["labels"].setChecked(labels)
        self.canvas.show_labels = labels

    def save_settings(self) -> None:
        s = QSettings()
        s.setValue("window/geometry", self.saveGeometry())
        s.setValue("window/state", self.saveState())
        s.setValue("view/labels", self.canvas.show_labels)
        s.sync()

    def recent_files(self) -> list[str]:
        v = QSettings().value("recent", [])
        if isinstance(v, str):
            v = [v]
        return [str(x) for x in (v or [])]

    def _add_recent(self, path: Path) -> None:
        p = str(Path(path).resolve())
        rec = [p] + [r for r in self.recent_files() if r != p]
        QSettings().setValue("recent", rec[:MAX_RECENT])
        self._update_recent_menu()

    def _update_recent_menu(self) -> None:
        m = self.recent_menu
        m.clear()
        rec = self.recent_files()
        for r in rec:
            a = m.addAction(Path(r).name)
            a.setToolTip(r)
            a.setData(r)
            a.triggered.connect(lambda checked=False, r=r: self.open_path(r))
        m.setEnabled(bool(rec))

    # ================================================================== project
    def _update_title(self) -> None:
        if self.document is None:
            self.setWindowTitle("gridmap")
            return
        name = self.document.plan.name or (self.document.path.stem if self.document.path else self.tr("Untitled"))
        star = "*" if self.document.dirty else ""
        where = f" — {self.document.path}" if self.document.path else ""
        self.setWindowTitle(f"{star}{name}{where} — gridmap")

    def open_path(self, path) -> None:
        """Open a project file in a worker thread; the window stays responsive."""
        path = Path(path)
        label = self.tr("Opening %1…").replace("%1", path.name)
        self._loading += 1

        def done(plan):
            self._loading -= 1
            self.set_document(PlanDocument(plan, path, self))
            self._add_recent(path)
            self.status.showMessage(self.tr("Opened %1").replace("%1", str(path)), 5000)

        def failed(msg):
            self._loading -= 1
            self.last_error = msg
            self.status.showMessage(msg, 15000)
            self.show_error(self.tr("Cannot open project"), msg)

        def cancelled():
            self._loading -= 1

        def work(cancelled, progress):
            plan = open_plan(path)
            return plan, plan.crs.to_wkt()

        def adopt(result):
            plan, wkt = result
            self.tasks.dispose(rehome_crs(plan, wkt))
            done(plan)

        self.tasks.submit(label, work, adopt, failed, cancelled)

    def set_document(self, doc: PlanDocument) -> None:
        """Show a plan: its layers over its base maps, zoomed to its extent."""
        if self.document is not None:
            self._release_lock(self.document)
            self.undo_group.removeStack(self.document.undo_stack)
            self.document.deleteLater()
        self.canvas.set_tool(self.pan_tool)
        self.actions["pan"].setChecked(True)
        self.document = doc
        self._take_lock(doc)
        plan = doc.plan
        doc.selectionChanged.connect(self._on_selection)
        doc.dirtyChanged.connect(lambda d: self._update_title())
        doc.pathChanged.connect(lambda p: self._update_title())
        doc.edited.connect(self._on_edited)
        doc.editFailed.connect(lambda msg: self.status.showMessage(msg, 15000))
        self.undo_group.addStack(doc.undo_stack)
        self.undo_group.setActiveStack(doc.undo_stack)
        self.live.reset(plan)
        self.plan_layers = plan_layers(plan)
        for layer in self.plan_layers:
            self._name_plan_layer(layer)
        self.base_layers = []
        bl = plan.base_layers.sort_values("order") if len(plan.base_layers) else plan.base_layers
        for rid, row in bl.iterrows():
            try:
                layer = layer_from_record(row.to_dict(), doc.project_dir)
            except ValueError as exc:
                self.status.showMessage(str(exc), 10000)
                continue
            layer.record_id = int(rid)
            self.base_layers.append(layer)
        self.canvas.set_map_units(111320.0 if plan.crs.is_geographic else 1.0)
        self.status.set_crs(plan.crs)
        self._sync_layers()
        self.canvas.has_extent = True
        ext = self.canvas.full_extent()
        if ext is None and plan.jurisdiction is not None:
            ext = tuple(plan.jurisdiction.bounds)
        self.canvas.zoom_to(ext)
        for layer in self.base_layers:
            self._load_layer(layer)
        plan_layers_now = list(self.plan_layers)
        self.tasks.submit(self.tr("Indexing the plan…"),
                          lambda c, p: [l.warm(c) for l in plan_layers_now if hasattr(l, "warm")])
        overview_layers = [l for l in self.plan_layers if l.kind == "jurisdiction"]
        if plan.levels:
            overview_layers = [l for l in self.plan_layers if isinstance(l, GridLayer)
                               and l.level_key == plan.levels[0].key] + overview_layers
        self.overview.set_layers(overview_layers)
        self.inspector.show_grids(plan, [])
        self.form.show_grids(plan, [])
        self.people.set_plan(plan)
        self.segments.set_plan(plan)
        self._fill_level_combo()
        self.problems.clear()
        self._overlay_lines = None
        self.canvas.set_highlight(None)
        self._update_title()
        self.documentChanged.emit()

    def _sync_layers(self) -> None:
        layers = list(self.base_layers) + list(self.plan_layers)
        self.canvas.set_layers(layers)
        self.layer_panel.set_layers(layers)

    def _load_layer(self, layer: MapLayer) -> None:
        if layer.ready:
            return
        crs = self.document.plan.crs.to_wkt()  # threads build their own CRS objects
        if hasattr(layer, "fetcher"):
            layer.fetcher = self.tile_fetcher
        self._loading += 1

        def done(_):
            self._loading -= 1
            self.canvas.refresh(layer)
            self.layer_panel.refresh_layer(layer)
            self.segments.refresh_layers()

        def failed(msg):
            self._loading -= 1
            layer.error = layer.error or msg
            self.layer_panel.refresh_layer(layer)
            self.status.showMessage(self.tr("Layer %1: %2").replace("%1", layer.name).replace("%2", layer.error), 15000)

        def cancelled():
            self._loading -= 1

        self.tasks.submit(self.tr("Loading %1…").replace("%1", layer.name),
                          lambda c, p: layer.load(crs, c), done, failed, cancelled)

    def is_idle(self) -> bool:
        return (self._loading == 0 and not self.tasks.busy and not self.tile_fetcher.busy()
                and self.canvas.is_idle())

    def wait_idle(self, timeout_ms: int = 20000) -> bool:
        """Process events until loading and drawing are finished (tests, screenshots)."""
        from PySide6.QtCore import QCoreApplication, QElapsedTimer

        t = QElapsedTimer()
        t.start()
        while t.elapsed() < timeout_ms:
            QCoreApplication.processEvents()
            if self._loading == 0 and not self.tasks.busy and not self.tile_fetcher.busy():
                if self.canvas.wait_idle(max(1, timeout_ms - t.elapsed())) and self.is_idle():
                    return True
            else:
                self.tasks.wait(10)
        return False

    def open_dialog(self) -> None:
        start = str(self.document.project_dir) if self.document and self.document.project_dir else ""
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Open plan"), start,
                                              self.tr("gridmap project (*.gpkg)") + ";;*")
        if path:
            self.open_path(path)

    def save(self) -> bool:
        if self.document is None:
            return False
        if self.document.path is None:
            return self.save_as()
        return self._save_to(self.document.path)

    def save_as(self) -> bool:
        if self.document is None:
            return False
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Save plan as"),
                                              str(self.document.path or (self.document.plan.name + ".gpkg")),
                                              self.tr("gridmap project (*.gpkg)"))
        if not path:
            return False
        if not path.lower().endswith(".gpkg"):
            path += ".gpkg"
        return self._save_to(Path(path))

    def _save_to(self, path: Path, force: bool = False) -> bool:
        self._store_layer_state()
        old = self.document.path
        try:
            self.document.save(path, force=force)
        except ConflictError as exc:
            self._ask_conflict(path, str(exc))
            return False
        except (StoreError, OSError, ValueError) as exc:
            self.show_error(self.tr("Cannot save"), str(exc))
            return False
        if old is None or Path(old).resolve() != Path(path).resolve():
            self._release_lock_path(old)
            if project_lock.other_holder(path) is None:
                project_lock.acquire(path)
        self._add_recent(path)
        self.status.showMessage(self.tr("Saved %1").replace("%1", str(path)), 5000)
        self._update_title()
        return True

    def _store_layer_state(self) -> None:
        """Write visibility, opacity, order and style of base layers into the plan."""
        if self.document is None:
            return
        bl = self.document.plan.base_layers
        for order, layer in enumerate(self.base_layers):
            if layer.record_id is not None and layer.record_id in bl.index:
                bl.at[layer.record_id, "visible"] = bool(layer.visible)
                bl.at[layer.record_id, "opacity"] = float(layer.opacity)
                bl.at[layer.record_id, "order"] = order
                bl.at[layer.record_id, "style"] = layer.style_json()

    def new_plan(self) -> None:
        from .wizard import NewPlanWizard

        wiz = NewPlanWizard(self, canvas=self.canvas,
                            current_crs=self.document.plan.crs if self.document else None)
        if wiz.exec():
            self.create_plan(**wiz.result_options())

    def create_plan(self, name: str, crs, admin_code: str = "", levels: str = "two", scheme: str = "GB14",
                    jurisdiction=None, jurisdiction_crs=None, draw: bool = False, keep_base_layers: bool = True):
        """Start a new plan (what the wizard does when it finishes)."""
        from ..core.crs import to_crs
        from ..core.plan import Plan

        plan = Plan.new(name, crs=crs, admin_code=admin_code, levels=levels, scheme=scheme)
        if jurisdiction is not None:
            geom = to_crs(jurisdiction, jurisdiction_crs or crs, crs) if jurisdiction_crs else jurisdiction
            plan.set_jurisdiction(geom)
        if keep_base_layers and self.document is not None:
            for layer in self.base_layers:
                rec = self.document.plan.base_layers
                if layer.record_id in rec.index:
                    row = rec.loc[layer.record_id]
                    src = str(row["source"]) if row["kind"] == "tiles" else str(self.document.resolve(str(row["source"])))
                    plan.add_base_layer(str(row["name"]), src, kind=str(row["kind"]), layer=str(row["layer"]),
                                        style=str(row["style"]), visible=bool(row["visible"]),
                                        opacity=float(row["opacity"]))
        old_view = self.canvas.viewport
        doc = PlanDocument(plan, None, self)
        self.set_document(doc)
        doc.mark_unsaved()
        if draw:
            self.canvas.set_viewport(old_view)
            self.set_tool("draw_polygon")
            self.status.showMessage(self.tr("Draw the jurisdiction: click the corners, double-click to finish, "
                                            "Esc to cancel."), 30000)
        return doc

    def _on_drawn(self, poly) -> None:
        if self.document is not None:
            from ..core.editing.commands import SetJurisdiction

            if poly.geom_type in ("Polygon", "MultiPolygon"):
                self.edit.push(SetJurisdiction("辖区", poly), self.tr("Draw the jurisdiction"), kinds=())
            self.canvas.refresh()
            self.overview.zoom_full()
            self.overview.refresh()
        self.set_tool("pan")

    def closeEvent(self, e) -> None:
        if self.confirm_close and self.document is not None and self.document.dirty:
            r = QMessageBox.question(self, self.tr("Unsaved changes"),
                                     self.tr("Save the changes to the plan before closing?"),
                                     QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard
                                     | QMessageBox.StandardButton.Cancel)
            if r == QMessageBox.StandardButton.Cancel or (r == QMessageBox.StandardButton.Save and not self.save()):
                e.ignore()
                return
        self.save_settings()
        self._release_lock(self.document)
        self.tasks.cancel_all()
        self.live.shutdown()
        self.canvas.shutdown()
        self.overview.shutdown()
        self.tasks.shutdown()
        super().closeEvent(e)

    # ================================================================== base layers
    def add_base_layer(self, kind: str, source: str, name: str | None = None, style: dict | None = None,
                       layer: str = "") -> MapLayer | None:
        """Add a base map to the plan (vector/raster/mbtiles file, or a tiles URL template) and load it."""
        if self.document is None:
            return None
        import json

        plan = self.document.plan
        if kind == "tiles":
            src = source
            default_name = name or self.tr("Tile map")
        else:
            src = self.document.relative_source(source)
            default_name = name or Path(source).stem
        rid = plan.add_base_layer(default_name, src, kind=kind, layer=layer,
                                  style=json.dumps(style or {}, ensure_ascii=False))
        row = plan.base_layers.loc[rid].to_dict()
        try:
            lay = layer_from_record(row, self.document.project_dir)
        except ValueError as exc:
            plan.base_layers = plan.base_layers.drop(index=rid)
            self.status.showMessage(str(exc), 10000)
            return None
        lay.record_id = int(rid)
        self.base_layers.append(lay)
        self.document.mark_dirty()
        self._sync_layers()
        self._load_layer(lay)
        return lay

    def remove_base_layer(self, layer_id: int) -> None:
        layer = self.canvas.layer(layer_id)
        if layer is None or layer.group != "base" or self.document is None:
            return
        bl = self.document.plan.base_layers
        if layer.record_id in bl.index:
            self.document.plan.base_layers = bl.drop(index=layer.record_id)
        self.base_layers = [l for l in self.base_layers if l.id != layer_id]
        self.document.mark_dirty()
        self._sync_layers()

    def add_vector_dialog(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Add vector layer"), self._last_dir(), VECTOR_FILTER)
        if path:
            self._remember_dir(path)
            layers = self._sublayers(path)
            if len(layers) > 1:
                from PySide6.QtWidgets import QInputDialog

                name, ok = QInputDialog.getItem(self, self.tr("Choose a layer"), self.tr("Layer:"), layers, 0, False)
                if not ok:
                    return
                self.add_base_layer("vector", path, name=f"{Path(path).stem} — {name}", layer=name)
            else:
                self.add_base_layer("vector", path)

    @staticmethod
    def _sublayers(path) -> list[str]:
        try:
            import pyogrio

            return [str(n) for n, g in pyogrio.list_layers(path) if g is not None]
        except Exception:
            return []

    def add_raster_dialog(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Add raster layer"), self._last_dir(), RASTER_FILTER)
        if path:
            self._remember_dir(path)
            self.add_base_layer("raster", path)

    def add_mbtiles_dialog(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Add MBTiles file"), self._last_dir(),
                                              "MBTiles (*.mbtiles);;*")
        if path:
            self._remember_dir(path)
            self.add_base_layer("mbtiles", path)

    def add_tiles_dialog(self) -> None:
        from .dialogs import TileSourceDialog

        dlg = TileSourceDialog(self)
        if dlg.exec():
            name, source = dlg.result_source()
            self.add_base_layer("tiles", source, name=name, style=dlg.options())

    def _last_dir(self) -> str:
        return str(QSettings().value("last_dir", "") or (self.document.project_dir if self.document and
                                                         self.document.project_dir else ""))

    def _remember_dir(self, path) -> None:
        QSettings().setValue("last_dir", str(Path(path).parent))

    def _on_tile_arrived(self, layer_id: int) -> None:
        layer = self.canvas.layer(layer_id)
        if layer is not None:
            layer.touch()
            self.canvas.schedule()

    def _on_tiles_offline(self, message: str) -> None:
        self.status.showMessage(self.tr("Tiles: offline, showing cached tiles only (%1)").replace("%1", message), 10000)

    def _on_layer_failed(self, layer_id: int, message: str) -> None:
        layer = self.canvas.layer(layer_id)
        if layer is not None:
            self.layer_panel.refresh_layer(layer)
            self.status.showMessage(self.tr("Layer %1: %2").replace("%1", layer.name).replace("%2", message), 10000)

    # ================================================================== layer panel
    def _on_visibility(self, layer_id: int, visible: bool) -> None:
        layer = self.canvas.layer(layer_id)
        if layer is None:
            return
        layer.visible = visible
        if layer.group == "base" and self.document is not None:
            self.document.mark_dirty()
        self.canvas.update()
        self.canvas.schedule(immediate=True)

    def _on_order(self, ids: list) -> None:
        by_id = {l.id: l for l in self.canvas.layers}
        layers = [by_id[i] for i in ids if i in by_id]
        self.base_layers = [l for l in layers if l.group == "base"]
        self.plan_layers = [l for l in layers if l.group != "base"]
        self.canvas.set_layers(self.base_layers + self.plan_layers)
        if self.document is not None:
            self._store_layer_state()
            self.document.mark_dirty()

    def _on_opacity(self, layer_id: int, value: float) -> None:
        layer = self.canvas.layer(layer_id)
        if layer is not None:
            layer.opacity = value
            self.canvas.update()  # opacity applies when compositing: no re-render
            if layer.group == "base" and self.document is not None:
                self.document.mark_dirty()

    def edit_style(self, layer_id: int) -> None:
        from .dialogs import LayerStyleDialog

        layer = self.canvas.layer(layer_id)
        if layer is None:
            return
        dlg = LayerStyleDialog(layer, self)
        if dlg.exec():
            self.apply_style(layer_id, dlg.style())

    def apply_style(self, layer_id: int, style: dict) -> None:
        layer = self.canvas.layer(layer_id)
        if layer is None:
            return
        layer.set_style(**style)
        if layer.group == "base" and self.document is not None:
            self._store_layer_state()
            self.document.mark_dirty()
        self.canvas.schedule(immediate=True)

    def zoom_to_current_layer(self) -> None:
        lid = self.layer_panel.current_layer_id()
        layer = self.canvas.layer(lid) if lid is not None else None
        if layer is not None:
            self.canvas.zoom_to(layer.extent())

    def _toggle_labels(self, on: bool) -> None:
        self.canvas.show_labels = bool(on)
        self.canvas.update()
        self.canvas.schedule(immediate=True)

    # ================================================================== tools & selection
    def set_tool(self, name: str) -> None:
        tool = {"pan": self.pan_tool, "zoom_box": self.zoom_tool, "select": self.select_tool,
                "draw_polygon": self.draw_tool, **self.edit_tools}[name]
        if name in self.edit_tools and self.document is None:
            return
        self.canvas.set_tool(tool)
        if name in self.actions:
            self.actions[name].setChecked(True)
        self.canvas.setFocus()

    def _grid_layers_bottom_up(self) -> list[GridLayer]:
        """Visible grid layers, lowest level first."""
        layers = [l for l in self.plan_layers if isinstance(l, GridLayer) and l.visible]
        if self.document is None:
            return layers
        keys = self.document.plan.level_keys
        return sorted(layers, key=lambda l: -keys.index(l.level_key) if l.level_key in keys else 0)

    def select_at(self, x: float, y: float, tolerance: float = 0.0, add: bool = False) -> list[int]:
        """Select the grid under a map point (the lowest visible level first)."""
        if self.document is None:
            return []
        for layer in self._grid_layers_bottom_up():
            hit = layer.features_at(x, y, 0.0)
            if not len(hit) and tolerance > 0:
                hit = layer.features_at(x, y, tolerance)
            if len(hit):
                self.document.set_selection([int(hit[0])], add=add)
                return [int(hit[0])]
        if not add:
            self.document.clear_selection()
        return []

    def select_box(self, box, add: bool = False) -> list[int]:
        if self.document is None:
            return []
        for layer in self._grid_layers_bottom_up():
            hit = layer.features_in(box)
            if len(hit):
                ids = [int(i) for i in hit]
                if add:
                    ids = [i for i in ids if i not in self.document.selection]
                self.document.set_selection(ids, add=add)
                return ids
        if not add:
            self.document.clear_selection()
        return []

    def _deselect(self) -> None:
        if self.document is not None:
            self.document.clear_selection()

    def _on_selection(self, ids: list) -> None:
        plan = self.document.plan
        ids = [i for i in ids if i in plan.grids.index]
        self._overlay_lines = None
        self.canvas.set_highlight(plan.grids.geometry.loc[ids].values if ids else None)
        self.inspector.show_grids(plan, ids)
        self.form.show_grids(plan, ids)
        if ids:
            self.status.showMessage(self.tr("%n grid(s) selected", "", len(ids)), 5000)

    def zoom_to_selection(self) -> None:
        if self.document is None or not self.document.selection:
            return
        g = self.document.plan.grids.geometry.loc[self.document.selection].values
        b = shapely.total_bounds(g)
        self.canvas.zoom_to(tuple(b), margin=0.15, min_size=50.0)

    def search_grid(self, text: str) -> int | None:
        """Find a grid by code (exact, then prefix) or name; select it and zoom to it."""
        text = text.strip()
        if self.document is None or not text:
            return None
        g = self.document.plan.grids
        hit = g.index[g["code"] == text]
        if not len(hit):
            hit = g.index[g["code"].astype(str).str.startswith(text)]
        if not len(hit):
            hit = g.index[g["name"].astype(str).str.contains(text, regex=False)]
        if not len(hit):
            self.status.showMessage(self.tr("No grid matches “%1”").replace("%1", text), 5000)
            return None
        gid = int(hit[0])
        self.document.set_selection([gid])
        self.zoom_to_selection()
        return gid

    # ================================================================== editing
    def _set_edit_option(self, name: str, on: bool) -> None:
        self.edit.set_option(name, bool(on))
        if name == "live_checks":
            self.live.enabled = bool(on)
        self.canvas.update()

    def _update_undo_texts(self) -> None:
        g = self.undo_group
        for key, label, text in (("undo", self.tr("&Undo %1"), g.undoText()), ("redo", self.tr("&Redo %1"), g.redoText())):
            a = self.actions[key]
            a.setText(label.replace("%1", text).strip())
            keys = ", ".join(k.toString(QKeySequence.SequenceFormat.NativeText) for k in a.shortcuts())
            a.setToolTip(a.text().replace("&", "") + (f" ({keys})" if keys else ""))

    def _fill_level_combo(self) -> None:
        combo = self.level_combo
        combo.blockSignals(True)
        combo.clear()
        if self.document is not None:
            lang = i18n.current_language()
            for lv in self.document.plan.levels:
                combo.addItem(lv.name_en if lang == "en" else lv.name, lv.key)
            combo.setCurrentIndex(max(0, combo.findData(self.edit.edit_level())))
            self.edit.level = combo.currentData()
        combo.blockSignals(False)

    def set_edit_level(self, key: str) -> None:
        """The level the drawing and editing tools work on."""
        i = self.level_combo.findData(key)
        if i >= 0:
            self.level_combo.setCurrentIndex(i)

    def _fill_snap_layers_menu(self) -> None:
        m = self.snap_layers_menu
        m.clear()
        layers = [l for l in self.base_layers if getattr(l, "family", "") == "line"]
        if not layers:
            a = m.addAction(self.tr("(no line layers)"))
            a.setEnabled(False)
            return
        for layer in layers:
            a = m.addAction(layer.name)
            a.setCheckable(True)
            a.setChecked(self.edit.snap_layer_ids is None or layer.id in self.edit.snap_layer_ids)
            a.toggled.connect(lambda on, lid=layer.id: self.set_snap_layer(lid, on))

    def set_snap_layer(self, layer_id: int, on: bool) -> None:
        """Snap (and trace) to a line base layer or not."""
        ids = self.edit.snap_layer_ids
        if ids is None:
            ids = {l.id for l in self.base_layers if getattr(l, "family", "") == "line"}
        ids = set(ids)
        (ids.add if on else ids.discard)(layer_id)
        self.edit.snap_layer_ids = ids

    def _on_tool_changed(self, tool) -> None:
        pick = tool is self.edit_tools["pick_segment"]
        if self.segments.pick_button.isChecked() != pick:
            self.segments.pick_button.blockSignals(True)
            self.segments.pick_button.setChecked(pick)
            self.segments.pick_button.blockSignals(False)
        if pick:
            self.docks["segments"].show()
            self.docks["segments"].raise_()
        hints = {
            "draw_grid": self.tr("Draw grid: click the corners, double-click or Enter to finish, Backspace removes "
                                 "the last point, Esc cancels; hold Shift to trace along roads and boundaries."),
            "vertex": self.tr("Vertices: drag a vertex to move it, double-click a boundary to add one, click one "
                              "and press Delete to remove it."),
            "split": self.tr("Split: draw a line across the grid, double-click or Enter to finish."),
            "split_road": self.tr("Split along a road: click a road of a snapping layer."),
            "reshape": self.tr("Reshape: draw a line from the grid's boundary and back to it."),
            "move_boundary": self.tr("Move boundary: draw the new boundary across two neighbouring grids."),
            "pick_segment": self.tr("Click street segments to assign them to the grid or officer chosen in the "
                                    "segments panel."),
        }
        name = getattr(tool, "name", "")
        if name in hints:
            self.status.showMessage(hints[name], 15000)

    def _segments_layer(self):
        return next((l for l in self.plan_layers if l.kind == "segments"), None)

    def _on_edited(self, changes) -> None:
        """After every push, undo and redo: redraw the touched layers, refresh the
        panels, re-check the neighbourhood."""
        doc = self.document
        if doc is None:
            return
        plan = doc.plan
        touched = set(changes.grids)
        redraw_overview = changes.jurisdiction
        for layer in self.plan_layers:
            if isinstance(layer, GridLayer):
                if "grids" in changes.tables:
                    mine = set(layer.ids.tolist()) | set(plan.grids.index[plan.grids["level"] == layer.level_key])
                    if touched & mine or not touched:
                        layer.update_from(plan)
                        redraw_overview = redraw_overview or layer in self.overview.layers
            elif (layer.kind == "segments" and "segments" in changes.tables) or (
                    layer.kind == "places" and "places" in changes.tables) or (
                    layer.kind == "jurisdiction" and changes.jurisdiction):
                update_plan_layers([layer], plan)
        self.canvas.schedule(immediate=True)
        if redraw_overview:
            self.overview.schedule(immediate=True)
        ids = [i for i in doc.selection if i in plan.grids.index]
        if self._overlay_lines is None:
            self.canvas.set_highlight(plan.grids.geometry.loc[ids].values if ids else None)
        self.inspector.show_grids(plan, ids)
        self.form.show_grids(plan, ids)
        tables = set() if changes.geometry_only else changes.tables   # moved boundaries change no table row
        if tables & {"people", "units", "roles", "segments", "grids"}:
            self.people.refresh()
        if tables & {"people", "segments", "places", "grids"}:
            self.segments.refresh()
        if self.edit.live_checks:
            self.live.on_edit(changes)
        self._update_title()

    def _on_live_problems(self, problems, added: int, removed: int) -> None:
        lang = "en" if i18n.current_language() == "en" else "zh"
        self.problems.set_problems(normalise_problems(problems, lang))

    def _on_live_busy(self, busy: bool, text: str) -> None:
        """A whole-plan live check runs in the background: say so (the result follows)."""
        if busy:
            text = self.tr("Running checks…")
            self.problems.summary.setText(text)
            self.status.showMessage(text)
        else:
            if self.status.currentMessage() == self.problems.summary.text():
                self.status.clearMessage()
            if text:
                self.problems.summary.setText(self.tr("Checks failed: %1").replace("%1", text))

    def _paint_overlay_lines(self, painter, vp) -> None:
        if self._overlay_lines is None or not len(self._overlay_lines):
            return
        from .fastdraw import painter_path
        from .layers.vector import GeomArrays

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
        r = plan.roles
        if person is not None:
            grids = sorted({int(g) for g in r.loc[r["person"] == person, "grid"].dropna()})
            segs = [int(s) for s in plan.segments.index[plan.segments["officer"] == person]]
            who = str(plan.people.at[person, "name"]) if person in plan.people.index else ""
        elif unit is not None:
            grids = sorted({int(g) for g in r.loc[r["unit"] == unit, "grid"].dropna()})
            segs = []
            who = str(plan.units.at[unit, "name"]) if unit in plan.units.index else ""
        else:
            self._overlay_lines = None
            self.canvas.set_highlight(None)
            return [], []
        grids = [g for g in grids if g in plan.grids.index]
        self.canvas.set_highlight(plan.grids.geometry.loc[grids].values if grids else None)
        lines = plan.segments.geometry.loc[segs].values if segs else []
        self._overlay_lines = np.asarray(lines, dtype=object) if segs else None
        self.canvas.update()
        length = float(shapely.length(np.asarray(lines, dtype=object)).sum()) if segs else 0.0
        self.status.showMessage(self.tr("%1: on duty in %2 grid(s), %3 street segment(s), %4 m of road")
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

    def _selected_grids(self) -> list[int]:
        if self.document is None:
            return []
        plan = self.document.plan
        return [g for g in self.document.selection if g in plan.grids.index]

    def merge_selected(self, keep: int | None = None):
        """Merge the selected grids; a dialog asks whose attributes the merged grid keeps."""
        from .edit_dialogs import MergeDialog

        ids = self._selected_grids()
        if len(ids) < 2:
            self.edit.refused.emit(self.tr("Select at least two neighbouring grids to merge (Shift-click)."))
            return None
        if keep is not None:
            return self._merge(ids, keep)
        dlg = MergeDialog(self.document.plan, ids, self)
        dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        dlg.accepted.connect(lambda: self._merge(ids, dlg.keep()))
        self.merge_dialog = dlg
        dlg.open()
        return dlg

    def _merge(self, ids, keep) -> bool:
        from ..core.editing.commands import merge_grids

        return self.edit.push(lambda p: merge_grids(p, ids, keep), self.tr("Merge %n grids", "", len(ids)),
                              select=[keep])

    def delete_selected(self) -> bool:
        """Delete the selected grids (children before parents); their area becomes a gap
        to draw a new grid in."""
        from ..core.editing.commands import delete_grid

        ids = self._selected_grids()
        if not ids:
            self.edit.refused.emit(self.tr("Select the grids to delete first."))
            return False
        plan = self.document.plan
        depth = {g: plan.level_index(str(plan.grids.at[g, "level"])) for g in ids}
        ids = sorted(ids, key=lambda g: -depth[g])
        return self.edit.push([lambda p, g=g: delete_grid(p, g) for g in ids],
                              self.tr("Delete %n grid(s)", "", len(ids)), kinds=("invalid", "overlap", "outside", "nesting"))

    def batch_assign_dialog(self):
        from .edit_dialogs import BatchAssignDialog

        ids = self._selected_grids()
        if not ids:
            self.edit.refused.emit(self.tr("Select the grids first (Shift-click or drag a box)."))
            return None
        dlg = BatchAssignDialog(self.document.plan, ids, self.edit.lang(), self)
        dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        dlg.accepted.connect(lambda: self.batch_assign(ids, **dlg.result_values()))
        self.batch_dialog = dlg
        dlg.open()
        return dlg

    def batch_assign(self, grids, role: str, person: int | None = None, unit: int | None = None, duty: str = "",
                     replace: bool = False) -> bool:
        """Give several grids the same person or unit in one role (one undo step)."""
        from ..core.editing.commands import batch_assign, remove_role

        grids = [int(g) for g in grids]
        steps = []
        if replace:
            steps.append(lambda p: [remove_role(p, int(r)) for r in
                                    p.roles.index[p.roles["grid"].isin(grids) & (p.roles["role"] == role)]])
        steps.append(lambda p: batch_assign(p, grids, role, person=person, unit=unit, duty=duty))
        return self.edit.push(steps, self.tr("Assign to %n grid(s)", "", len(grids)), kinds=())

    def edit_options_dialog(self):
        from .edit_dialogs import EditOptionsDialog

        dlg = EditOptionsDialog(self.edit, self)
        dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        self.options_dialog = dlg
        dlg.open()
        return dlg

    def split_roads_dialog(self) -> None:
        self.docks["segments"].show()
        self.docks["segments"].raise_()
        self.segments.refresh_layers()
        self.segments.road_layer.setFocus()

    def load_places_dialog(self) -> None:
        self.docks["segments"].show()
        self.docks["segments"].raise_()
        self.segments.refresh_layers()
        self.segments.place_layer.setFocus()

    # ================================================================== checks and export
    def run_checks(self) -> None:
        """Run the plan checks (gridmap.core.checks) in a worker thread into the problems list."""
        if self.document is None:
            return
        try:
            from ..core import checks as checks_mod
        except ImportError:
            self.problems.summary.setText(self.tr("The checks module is not available in this build."))
            return
        plan = self.document.plan.copy()
        wkt = plan.crs.to_wkt()
        runner = getattr(checks_mod, "check_plan", None) or getattr(checks_mod, "run_checks", None)
        if runner is None:
            self.problems.summary.setText(self.tr("The checks module has no check_plan()."))
            return
        self.docks["problems"].show()

        def work(cancelled, progress):
            from .problems import normalise_problems

            rehome_crs(plan, wkt)  # this thread's own CRS objects
            result = runner(plan)
            problems = getattr(result, "problems", result)
            if hasattr(problems, "to_records") and not hasattr(problems, "to_dict"):
                problems = problems.to_records()
            lang = "en" if i18n.current_language() == "en" else "zh"
            return normalise_problems(problems, lang)  # plain dicts and shapely geometries only

        def done(problems):
            self.problems.set_problems(problems)

        self.tasks.submit(self.tr("Running checks…"), work, done,
                          lambda msg: self.problems.summary.setText(self.tr("Checks failed: %1").replace("%1", msg)))

    def _on_problem(self, problem: dict) -> None:
        plan = self.document.plan if self.document else None
        geom = problem.get("geometry")
        grids = [g for g in problem.get("grids", []) if plan is not None and g in plan.grids.index]
        if grids:
            self.document.set_selection(grids)
        if geom is not None and not shapely.is_empty(geom):
            self.canvas.zoom_to(tuple(shapely.bounds(geom)), margin=0.3, min_size=60.0)
            self.canvas.set_highlight([geom])
        elif grids:
            self.zoom_to_selection()

    def export_image_dialog(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Export map image"), self._last_dir(), "PNG (*.png)")
        if path:
            self.export_image(path)

    def export_image(self, path) -> bool:
        """Save the current map view (layers and labels) as a PNG."""
        from .render import render_layers

        self.canvas.wait_idle(10000)
        img = render_layers(self.canvas.layers, self.canvas.viewport, labels=self.canvas.show_labels,
                            background=self.canvas.background)
        ok = img.save(str(path))
        self.status.showMessage((self.tr("Exported %1") if ok else self.tr("Cannot write %1")).replace("%1", str(path)),
                                5000)
        return ok

    def export_plan_dialog(self) -> None:
        """Export the plan for other systems: shapefiles, GeoPackage, GeoJSON, KML, DXF, annex tables."""
        if self.document is None:
            return
        from PySide6.QtWidgets import QInputDialog

        from ..core.exchange.registry import EXPORT_FORMATS, export_plan

        names = [k for k in ("shp", "gpkg", "geojson", "kml", "dxf", "xlsx", "csv") if k in EXPORT_FORMATS]
        items = [f"{k} — {EXPORT_FORMATS[k].help}" for k in names]
        item, ok = QInputDialog.getItem(self, self.tr("Export plan"), self.tr("Format:"), items, 0, False)
        if not ok:
            return
        fmt = EXPORT_FORMATS[names[items.index(item)]]
        stem = Path(self.document.path).stem if self.document.path else "plan"
        start = str(Path(self._last_dir()) / f"{stem}{fmt.suffix}")
        if fmt.target == "dir":
            out = QFileDialog.getExistingDirectory(self, self.tr("Export plan to folder"), self._last_dir())
            if out:
                out = str(Path(out) / f"{stem}_{fmt.name}")
        else:
            out, _ = QFileDialog.getSaveFileName(self, self.tr("Export plan"), start, f"*{fmt.suffix}")
        if not out:
            return
        plan, project = self.document.plan, str(self.document.path or "")
        self.tasks.submit(self.tr("Exporting…"),
                          lambda c, p: export_plan(plan, fmt.name, out, project_path=project or None),
                          lambda r: self.status.showMessage(self.tr("Exported to %1").replace("%1", out), 8000),
                          lambda m: self.show_error(self.tr("Export"), m))

    def print_layout_dialog(self):
        """The annex map / map book / Word annex / web map, with a live preview."""
        if self.document is None:
            return None
        from .layout_dialog import LayoutDialog

        dlg = LayoutDialog(self.document.plan, str(self.document.path) if self.document.path else None, self)
        dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        dlg.open()
        return dlg

    def import_dialog(self, path: str | None = None):
        """Import a file: as a base layer (a clean CGCS2000 copy beside the project) or
        as grids of a level with a field mapping (one undo step)."""
        if self.document is None:
            return None
        if not path:
            path, _ = QFileDialog.getOpenFileName(self, self.tr("Import file"), self._last_dir(),
                                                  VECTOR_FILTER.replace("*.csv", "*.csv *.xlsx *.zip *.kmz"))
        if not path:
            return None
        self._remember_dir(path)
        from .import_dialog import ImportDialog

        try:
            dlg = ImportDialog(path, self.document.plan, self)
        except Exception as exc:  # the readers' messages name the file and the problem
            self.show_error(self.tr("Import"), str(exc))
            return None
        dlg.accepted.connect(lambda: self.import_file(dlg.spec()))
        dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        dlg.open()
        return dlg

    def import_file(self, spec) -> bool:
        """Carry out an :class:`~gridmap.ui.import_dialog.ImportSpec`."""
        from ..core.editing.commands import ReplaceTable

        try:
            if spec.as_grids:
                from ..core.exchange.importing import grids_with_layer

                table, notes = grids_with_layer(self.document.plan, spec.path, spec.level, spec.mapping,
                                                spec.layer, encoding=spec.encoding, crs=spec.crs)
                self.document.push(ReplaceTable(self.tr("Import grids"), "grids", table))
                self.status.showMessage("; ".join(notes), 15000)
            else:
                from ..core.exchange.importing import convert_to_gpkg

                folder = (self.document.project_dir or Path(self._last_dir())) / "imported"
                out, report = convert_to_gpkg(spec.path, folder, spec.layer, encoding=spec.encoding, crs=spec.crs)
                self.add_base_layer("vector", str(out), name=Path(spec.path).stem, layer=out.stem)
                self.status.showMessage(" ".join(report.lines()[1:]), 15000)
        except Exception as exc:
            self.show_error(self.tr("Import"), str(exc))
            return False
        return True

    def about(self) -> None:
        QMessageBox.about(self, self.tr("About gridmap"), self.tr(
            "<b>gridmap %1</b><br>Desktop GIS for urban grid management (城市网格化管理).<br><br>"
            "Sample base map: © OpenStreetMap contributors, ODbL.").replace("%1", __version__))

    def _ask_conflict(self, path: Path, message: str) -> QMessageBox:
        """The file changed on disk since it was opened: never overwrite silently — offer
        overwrite, save as, reload (losing this window's changes) or cancel.  Non-blocking."""
        box = QMessageBox(QMessageBox.Icon.Warning, self.tr("The plan file has changed"),
                          message + "\n\n" + self.tr("Overwrite it with this window's plan, save this plan under "
                                                      "another name, or reload the file (this window's changes are "
                                                      "lost)?"), QMessageBox.StandardButton.Cancel, self)
        overwrite = box.addButton(self.tr("Overwrite"), QMessageBox.ButtonRole.DestructiveRole)
        save_as = box.addButton(self.tr("Save As…"), QMessageBox.ButtonRole.AcceptRole)
        reload = box.addButton(self.tr("Reload"), QMessageBox.ButtonRole.ResetRole)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)

        def answered(*_):
            clicked = box.clickedButton()
            self.conflict_box = None
            if clicked is overwrite:
                self._save_to(path, force=True)
            elif clicked is save_as:
                self.save_as()
            elif clicked is reload:
                self.document.buffer.set_clean()      # the user chose to drop this window's changes
                self.open_path(path)
        box.finished.connect(answered)
        box.open()
        self.conflict_box = box
        return box

    def _take_lock(self, doc: PlanDocument) -> None:
        """Note this window in the project's lock file; tell the user when another live
        gridmap (on this or another computer) has the same plan open."""
        if doc.path is None:
            return
        holder = project_lock.other_holder(doc.path)
        if holder is not None:
            msg = self.tr("%1 is already open by %2 on %3 since %4. Changes saved there are detected when you save "
                          "here; nothing is overwritten without asking.").replace("%1", doc.path.name).replace(
                "%2", holder.user).replace("%3", holder.host).replace("%4", holder.time)
            self.status.showMessage(msg, 20000)
            self.show_error(self.tr("Plan already open"), msg)
        else:
            project_lock.acquire(doc.path)

    def _release_lock(self, doc: PlanDocument | None) -> None:
        if doc is not None:
            self._release_lock_path(doc.path)

    @staticmethod
    def _release_lock_path(path) -> None:
        if path is not None:
            project_lock.release(path)

    def show_error(self, title: str, message: str) -> QMessageBox:
        """A window-modal but non-blocking message (never a nested loop of dialogs):
        a second error replaces the first box instead of stacking."""
        self.last_error = message
        old = getattr(self, "error_box", None)
        if old is not None:
            old.close()
        box = QMessageBox(QMessageBox.Icon.Warning, title, message, QMessageBox.StandardButton.Ok, self)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        box.open()
        self.error_box = box
        box.finished.connect(lambda *a, b=box: setattr(self, "error_box", None) if self.error_box is b else None)
        return box

    def _cancel_jobs(self) -> None:
        self.tasks.cancel_all()
        self.canvas.cancel_render()
