"""Every command of the main window, declared once (napari-style action registry).

An :class:`ActionSpec` says what an action is — id, text (English source,
translated in the ``MainWindow`` context), shortcut, icon, whether it is
checkable, which window method it runs, and when it is enabled (a predicate
over the window state).  :mod:`.menus` builds the ``QAction`` objects, the
menus and toolbars from this table, and retranslates them from it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from PySide6.QtCore import QT_TRANSLATE_NOOP
from PySide6.QtGui import QKeySequence

__all__ = ["vector_filter", "raster_filter", "ActionSpec", "ACTIONS", "MENUS", "TOOLBARS", "TOOL_GROUP", "EDIT_OPTIONS", "by_id",
           "has_plan", "has_selection", "has_two_selected"]

SK = QKeySequence.StandardKey

# file-dialog filters of the actions that open files
VECTOR_PATTERNS = "*.shp *.gpkg *.geojson *.json *.kml *.dxf *.gml *.fgb *.tab *.mif *.csv"
RASTER_PATTERNS = "*.tif *.tiff *.img *.jp2 *.png *.jpg *.vrt *.ecw"


def vector_filter(extra: str = "") -> str:
    """The file-dialog filter of vector files, in the UI's language (``extra``: more patterns)."""
    from PySide6.QtCore import QCoreApplication

    tr = QCoreApplication.translate
    pats = VECTOR_PATTERNS + (" " + extra if extra else "")
    return f"{tr('MainWindow', 'Vector files')} ({pats});;{tr('MainWindow', 'All files')} (*)"


def raster_filter() -> str:
    """The file-dialog filter of raster files, in the UI's language."""
    from PySide6.QtCore import QCoreApplication

    tr = QCoreApplication.translate
    return f"{tr('MainWindow', 'Raster files')} ({RASTER_PATTERNS});;{tr('MainWindow', 'All files')} (*)"


# lupdate sees the texts of the two filters here
_FILTER_TEXTS = (QT_TRANSLATE_NOOP("MainWindow", "Vector files"), QT_TRANSLATE_NOOP("MainWindow", "Raster files"),
                 QT_TRANSLATE_NOOP("MainWindow", "All files"))


# ---------------------------------------------------------------------- enablement rules (window state)
def always(win) -> bool:
    return True


def has_plan(win) -> bool:
    """A plan is open and fully loaded (while its tables are still read only the map is usable)."""
    return win.document is not None and not win.document.loading


def can_save(win) -> bool:
    """Save in place: a plan is open and not opened read-only (another gridmap holds it)."""
    return has_plan(win) and not win.document.read_only


def has_selection(win) -> bool:
    return has_plan(win) and bool(win.document.selection)


def has_two_selected(win) -> bool:
    return has_plan(win) and len(win.document.selection) >= 2


@dataclass(frozen=True)
class ActionSpec:
    """One command: ``run`` names a window method (called with no argument), or
    ``tool`` a map tool the action switches to, or ``option`` an editing option it toggles."""

    id: str
    text: str
    run: str = ""
    shortcut: object = None                       # a string, a StandardKey or a tuple of strings
    icon: str = ""
    checkable: bool = False
    enabled_when: Callable = always
    tool: str = ""
    option: str = ""


# Texts: QT_TRANSLATE_NOOP("MainWindow", …) marks the source string for lupdate (translated in menus.py);
# lupdate only sees the literal call, so it is spelled out on every row.

ACTIONS: tuple[ActionSpec, ...] = (
    # project
    ActionSpec("new", QT_TRANSLATE_NOOP("MainWindow", "&New plan…"), "new_plan", SK.New, "new"),
    ActionSpec("open", QT_TRANSLATE_NOOP("MainWindow", "&Open…"), "open_dialog", SK.Open, "open"),
    ActionSpec("save", QT_TRANSLATE_NOOP("MainWindow", "&Save"), "save", SK.Save, "save", enabled_when=can_save),
    ActionSpec("save_as", QT_TRANSLATE_NOOP("MainWindow", "Save &As…"), "save_as", "Ctrl+Shift+S", enabled_when=has_plan),
    ActionSpec("server", QT_TRANSLATE_NOOP("MainWindow", "Shared plan on a &server…"), "server_dialog"),
    ActionSpec("checkout", QT_TRANSLATE_NOOP("MainWindow", "Check &out to this computer…"), "checkout_dialog"),
    ActionSpec("checkin", QT_TRANSLATE_NOOP("MainWindow", "Check &in to the server…"), "checkin_dialog",
               enabled_when=has_plan),
    ActionSpec("quit", QT_TRANSLATE_NOOP("MainWindow", "&Quit"), "close", "Ctrl+Q"),   # StandardKey.Quit is empty on Windows
    # layers
    ActionSpec("import_file", QT_TRANSLATE_NOOP("MainWindow", "&Import file (base layer or grids)…"), "import_dialog", "Ctrl+I",
               enabled_when=has_plan),
    ActionSpec("add_vector", QT_TRANSLATE_NOOP("MainWindow", "Add &vector layer…"), "layer_manager.add_vector_dialog", "Ctrl+Shift+V", "add_vector"),
    ActionSpec("add_raster", QT_TRANSLATE_NOOP("MainWindow", "Add &raster layer…"), "layer_manager.add_raster_dialog", "Ctrl+Shift+R", "add_raster"),
    ActionSpec("add_tiles", QT_TRANSLATE_NOOP("MainWindow", "Add &tile base map…"), "layer_manager.add_tiles_dialog", "Ctrl+Shift+T", "add_tiles"),
    ActionSpec("add_mbtiles", QT_TRANSLATE_NOOP("MainWindow", "Add &MBTiles file…"), "layer_manager.add_mbtiles_dialog", "Ctrl+Shift+M"),
    ActionSpec("refresh_tiles", QT_TRANSLATE_NOOP("MainWindow", "Refresh tiles in this view"), "layer_manager.refresh_tiles_in_view",
               enabled_when=has_plan),
    ActionSpec("save_offline", QT_TRANSLATE_NOOP("MainWindow", "Save this area for offline use…"), "layer_manager.save_offline_dialog",
               enabled_when=has_plan),
    ActionSpec("tile_cache", QT_TRANSLATE_NOOP("MainWindow", "Tile cache…"), "layer_manager.tile_cache_dialog"),
    # view
    ActionSpec("zoom_in", QT_TRANSLATE_NOOP("MainWindow", "Zoom &in"), "canvas.zoom_in", SK.ZoomIn, "zoom_in"),
    ActionSpec("zoom_out", QT_TRANSLATE_NOOP("MainWindow", "Zoom &out"), "canvas.zoom_out", SK.ZoomOut, "zoom_out"),
    ActionSpec("zoom_full", QT_TRANSLATE_NOOP("MainWindow", "Zoom &full"), "canvas.zoom_full", "Ctrl+Shift+F", "zoom_full"),
    ActionSpec("zoom_layer", QT_TRANSLATE_NOOP("MainWindow", "Zoom to &layer"), "layer_manager.zoom_to_current_layer", icon="zoom_layer"),
    ActionSpec("zoom_selection", QT_TRANSLATE_NOOP("MainWindow", "Zoom to &selection"), "zoom_to_selection", "Ctrl+J", "zoom_selection",
               enabled_when=has_selection),
    ActionSpec("labels", QT_TRANSLATE_NOOP("MainWindow", "Show &labels"), "layer_manager.toggle_labels", "Ctrl+L", checkable=True),
    ActionSpec("refresh", QT_TRANSLATE_NOOP("MainWindow", "&Refresh"), "canvas.refresh", "F5"),
    ActionSpec("attribute_table", QT_TRANSLATE_NOOP("MainWindow", "Open &attribute table"), "open_attribute_table", "F6",
               enabled_when=has_plan),
    # tools
    ActionSpec("pan", QT_TRANSLATE_NOOP("MainWindow", "&Pan"), shortcut="Ctrl+Shift+P", icon="pan", checkable=True, tool="pan"),
    ActionSpec("zoom_box", QT_TRANSLATE_NOOP("MainWindow", "&Zoom box"), shortcut="Ctrl+Shift+B", icon="zoom_box", checkable=True,
               tool="zoom_box"),
    ActionSpec("select", QT_TRANSLATE_NOOP("MainWindow", "&Identify and select"), shortcut="Ctrl+Shift+I", icon="select", checkable=True,
               tool="select"),
    ActionSpec("identify", QT_TRANSLATE_NOOP("MainWindow", "Identify &features (all layers)"), shortcut="Ctrl+Shift+D",
               icon="identify", checkable=True, tool="identify"),
    ActionSpec("measure_distance", QT_TRANSLATE_NOOP("MainWindow", "Measure &distance"), shortcut="Ctrl+Shift+J", icon="measure_distance", checkable=True,
               tool="measure_distance"),
    ActionSpec("measure_area", QT_TRANSLATE_NOOP("MainWindow", "Measure &area"), shortcut="Ctrl+Shift+A", icon="measure_area", checkable=True,
               tool="measure_area"),
    ActionSpec("deselect", QT_TRANSLATE_NOOP("MainWindow", "&Deselect all"), "_deselect", "Ctrl+Alt+A", enabled_when=has_selection),
    # checks, outputs, help
    ActionSpec("run_checks", QT_TRANSLATE_NOOP("MainWindow", "Run &checks"), "run_checks", "Ctrl+Shift+K", "check", enabled_when=has_plan),
    ActionSpec("template_table", QT_TRANSLATE_NOOP("MainWindow", "Annex table from a &template…"), "template_dialog",
               enabled_when=has_plan),
    ActionSpec("staffing_quotas", QT_TRANSLATE_NOOP("MainWindow", "Staffing &quotas…"), "staffing_dialog",
               enabled_when=has_plan),
    ActionSpec("print_layout", QT_TRANSLATE_NOOP("MainWindow", "&Print layout (annex map, map book, Word, web map)…"), "print_layout_dialog",
               SK.Print, enabled_when=has_plan),
    ActionSpec("export_plan", QT_TRANSLATE_NOOP("MainWindow", "Export &plan…"), "export_plan_dialog", enabled_when=has_plan),
    ActionSpec("export_image", QT_TRANSLATE_NOOP("MainWindow", "Export map &image…"), "export_image_dialog"),
    ActionSpec("manual", QT_TRANSLATE_NOOP("MainWindow", "User &manual (README)"), "open_manual", SK.HelpContents),
    ActionSpec("open_sample", QT_TRANSLATE_NOOP("MainWindow", "Open the &sample plan"), "open_sample"),
    ActionSpec("assessment", QT_TRANSLATE_NOOP("MainWindow", "&Assessment, ranking and work ledger…"), "assessment_dialog",
               enabled_when=has_plan),
    # plan versions and the compare view (issue 16)
    ActionSpec("versions", QT_TRANSLATE_NOOP("MainWindow", "&Versions and compare…"), "versions_dialog", enabled_when=has_plan),
    ActionSpec("about", QT_TRANSLATE_NOOP("MainWindow", "&About gridmap"), "about"),
    ActionSpec("lang_zh_CN", "中文", "set_language_zh", checkable=True),
    ActionSpec("lang_en", "English", "set_language_en", checkable=True),
    # editing (undo/redo texts follow the undo stack: see menus.update_undo_texts)
    ActionSpec("undo", QT_TRANSLATE_NOOP("MainWindow", "&Undo %1"), "undo_group.undo", SK.Undo, "undo"),
    ActionSpec("redo", QT_TRANSLATE_NOOP("MainWindow", "&Redo %1"), "undo_group.redo", ("Ctrl+Shift+Z", "Ctrl+Y"), "redo"),
    ActionSpec("draw_grid", QT_TRANSLATE_NOOP("MainWindow", "&Draw grid"), shortcut="Ctrl+Shift+G", icon="draw_grid", checkable=True,
               tool="draw_grid", enabled_when=has_plan),
    ActionSpec("vertex", QT_TRANSLATE_NOOP("MainWindow", "&Vertex tool"), shortcut="Ctrl+Shift+E", icon="vertex", checkable=True,
               tool="vertex", enabled_when=has_plan),
    ActionSpec("split", QT_TRANSLATE_NOOP("MainWindow", "S&plit grid"), shortcut="Ctrl+Shift+X", icon="split", checkable=True, tool="split",
               enabled_when=has_plan),
    ActionSpec("split_road", QT_TRANSLATE_NOOP("MainWindow", "Split grid along a &road"), icon="split_road", checkable=True, tool="split_road",
               enabled_when=has_plan),
    ActionSpec("reshape", QT_TRANSLATE_NOOP("MainWindow", "&Reshape grid"), shortcut="Ctrl+Shift+H", icon="reshape", checkable=True,
               tool="reshape", enabled_when=has_plan),
    ActionSpec("move_boundary", QT_TRANSLATE_NOOP("MainWindow", "&Move boundary"), icon="move_boundary", checkable=True, tool="move_boundary",
               enabled_when=has_plan),
    ActionSpec("pick_segment", QT_TRANSLATE_NOOP("MainWindow", "Assign &segments by clicking"), icon="pick_segment", checkable=True,
               tool="pick_segment", enabled_when=has_plan),
    ActionSpec("merge", QT_TRANSLATE_NOOP("MainWindow", "Mer&ge selected grids…"), "merge_selected", icon="merge", enabled_when=has_two_selected),
    ActionSpec("delete_grids", QT_TRANSLATE_NOOP("MainWindow", "De&lete selected grids"), "delete_selected", "Shift+Del", "delete_grid",
               enabled_when=has_selection),
    ActionSpec("batch_assign", QT_TRANSLATE_NOOP("MainWindow", "Assign &to selected grids…"), "batch_assign_dialog", icon="batch_assign",
               enabled_when=has_selection),
    ActionSpec("split_roads", QT_TRANSLATE_NOOP("MainWindow", "Split a road layer into &street segments…"), "split_roads_dialog",
               enabled_when=has_plan),
    ActionSpec("load_places", QT_TRANSLATE_NOOP("MainWindow", "Load p&laces from a layer…"), "load_places_dialog", enabled_when=has_plan),
    ActionSpec("propose_grids", QT_TRANSLATE_NOOP("MainWindow", "&Propose grids from roads…"), "propose_grids_dialog",
               enabled_when=has_plan),
    ActionSpec("edit_options", QT_TRANSLATE_NOOP("MainWindow", "Editing &options…"), "edit_options_dialog"),
    ActionSpec("snapping", QT_TRANSLATE_NOOP("MainWindow", "S&napping"), icon="snapping", checkable=True, option="snapping"),
    ActionSpec("trace", QT_TRANSLATE_NOOP("MainWindow", "&Tracing (or hold Shift)"), icon="trace", checkable=True, option="trace"),
    ActionSpec("avoid_overlaps", QT_TRANSLATE_NOOP("MainWindow", "&Avoid overlaps"), icon="avoid_overlaps", checkable=True,
               option="avoid_overlaps"),
    ActionSpec("fill", QT_TRANSLATE_NOOP("MainWindow", "&Fill slivers beside new grids"), icon="fill", checkable=True, option="fill"),
    ActionSpec("topological", QT_TRANSLATE_NOOP("MainWindow", "Top&ological editing"), icon="topological", checkable=True, option="topological"),
    ActionSpec("keep_clean", QT_TRANSLATE_NOOP("MainWindow", "&Keep a clean coverage (refuse gaps and overlaps)"), checkable=True,
               option="keep_clean"),
    ActionSpec("live_checks", QT_TRANSLATE_NOOP("MainWindow", "Live &checks after each edit"), checkable=True, option="live_checks"),
)

_BY_ID = {a.id: a for a in ACTIONS}


def by_id(action_id: str) -> ActionSpec:
    return _BY_ID[action_id]


TOOL_GROUP = ("pan", "zoom_box", "select", "identify", "measure_distance", "measure_area", "draw_grid", "vertex", "split", "split_road", "reshape",
              "move_boundary", "pick_segment")
EDIT_OPTIONS = tuple(a.id for a in ACTIONS if a.option)

# Menus in menu-bar order: (key, title, items); None is a separator, "@name" a sub-menu the window makes.
MENUS = (
    ("project", QT_TRANSLATE_NOOP("MainWindow", "&Project"), ("new", "open", "@recent", None, "save", "save_as", None, "server", "checkout", "checkin", None, "quit")),
    ("edit", QT_TRANSLATE_NOOP("MainWindow", "&Edit"), ("undo", "redo", None, "draw_grid", "vertex", "split", "split_road", "reshape",
                          "move_boundary", None, "merge", "delete_grids", None, "batch_assign", "pick_segment",
                          "split_roads", "load_places", "propose_grids", None, "snapping", "@snap_layers", "trace",
                          "avoid_overlaps", "fill", "topological", "keep_clean", "live_checks", "edit_options")),
    ("plan", QT_TRANSLATE_NOOP("MainWindow", "Pl&an"), ("versions",)),
    ("layers", QT_TRANSLATE_NOOP("MainWindow", "&Layers"), ("import_file", None, "add_vector", "add_raster", "add_tiles", "add_mbtiles", None,
                                                           "refresh_tiles", "save_offline", "tile_cache", None,
                                                           "attribute_table")),
    ("view", QT_TRANSLATE_NOOP("MainWindow", "&View"), ("zoom_in", "zoom_out", "zoom_full", "zoom_layer", "zoom_selection", None, "labels",
                          "refresh", None, "@panels")),
    ("tools", QT_TRANSLATE_NOOP("MainWindow", "&Tools"), ("pan", "zoom_box", "select", "deselect", None, "identify",
                                                         "measure_distance", "measure_area")),
    ("checks", QT_TRANSLATE_NOOP("MainWindow", "&Checks"), ("run_checks", None, "staffing_quotas")),
    ("assess", QT_TRANSLATE_NOOP("MainWindow", "&Assessment"), ("assessment",)),
    ("export", QT_TRANSLATE_NOOP("MainWindow", "&Export"), ("print_layout", None, "export_plan", "template_table", "export_image")),
    ("settings", QT_TRANSLATE_NOOP("MainWindow", "&Settings"), ("@language",)),
    ("help", QT_TRANSLATE_NOOP("MainWindow", "&Help"), ("manual", "open_sample", None, "about")),
)

SUBMENUS = {"recent": QT_TRANSLATE_NOOP("MainWindow", "Open &recent"), "snap_layers": QT_TRANSLATE_NOOP("MainWindow", "Snap to &layers"), "panels": QT_TRANSLATE_NOOP("MainWindow", "&Panels"),
            "language": QT_TRANSLATE_NOOP("MainWindow", "&Language")}

# Toolbars: (object name, title, items); "@search" and "@level" are widgets the window makes.
TOOLBARS = (
    ("toolbar_main", QT_TRANSLATE_NOOP("MainWindow", "Main toolbar"),
     ("new", "open", "save", None, "add_vector", "add_tiles", None, "pan", "zoom_box", "select", "identify",
      "measure_distance", "measure_area", None,
      "zoom_in", "zoom_out", "zoom_full", "zoom_selection", None, "run_checks", None, "@search")),
    ("toolbar_edit", QT_TRANSLATE_NOOP("MainWindow", "Editing toolbar"),
     ("@level", "undo", "redo", None, "draw_grid", "vertex", "split", "split_road", "reshape", "move_boundary",
      "merge", "delete_grids", "batch_assign", None, "snapping", "trace", "avoid_overlaps", "fill",
      "topological")),
)

DOCK_TITLES = (("layers", QT_TRANSLATE_NOOP("MainWindow", "Layers")), ("overview", QT_TRANSLATE_NOOP("MainWindow", "Overview")), ("inspector", QT_TRANSLATE_NOOP("MainWindow", "Grid inspector")),
               ("problems", QT_TRANSLATE_NOOP("MainWindow", "Problems")), ("history", QT_TRANSLATE_NOOP("MainWindow", "Undo history")), ("people", QT_TRANSLATE_NOOP("MainWindow", "People and units")),
               ("segments", QT_TRANSLATE_NOOP("MainWindow", "Segments and places")),
               ("identify", QT_TRANSLATE_NOOP("MainWindow", "Identify results")))
