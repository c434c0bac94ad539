"""The docks around the map: layers, overview, grid inspector and form, segments,
undo history, problems, people and units."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDockWidget, QTabWidget

from ..identify import IdentifyPanel
from ..inspector import GridInspector
from ..inspector_form import GridForm
from ..layer_panel import LayerPanel
from ..overview import OverviewCanvas
from ..people_dock import PeoplePanel
from ..problem_marks import ProblemMarks
from ..problems import ProblemsPanel
from ..segments_panel import SegmentsPanel
from ..undo import HistoryView

__all__ = ["DocksMixin"]


class DocksMixin:
    """Makes the dock widgets (``self.docks``: key → QDockWidget) and the panels in them."""

    def _make_docks(self) -> None:
        self.layer_panel = LayerPanel(self)
        self.inspector = GridInspector(self)
        self.form = GridForm(self.edit, self)
        self.form.quotaRequested.connect(self.staffing_dialog)       # the grid's own quota (定额)
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
        self.identify_panel = IdentifyPanel(self)
        from ..place_dialog import open_place_dialog

        self.identify_panel.editPlace.connect(lambda pid: open_place_dialog(self, pid))   # 场所责任人
        self.docks: dict[str, QDockWidget] = {}
        for key, widget, area in (("layers", self.layer_panel, Qt.DockWidgetArea.LeftDockWidgetArea),
                                  ("overview", self.overview, Qt.DockWidgetArea.LeftDockWidgetArea),
                                  ("inspector", self.inspector_tabs, Qt.DockWidgetArea.RightDockWidgetArea),
                                  ("segments", self.segments, Qt.DockWidgetArea.RightDockWidgetArea),
                                  ("history", self.history, Qt.DockWidgetArea.RightDockWidgetArea),
                                  ("identify", self.identify_panel, Qt.DockWidgetArea.RightDockWidgetArea),
                                  ("problems", self.problems, Qt.DockWidgetArea.BottomDockWidgetArea),
                                  ("people", self.people, Qt.DockWidgetArea.BottomDockWidgetArea)):
            dock = QDockWidget(self)
            dock.setObjectName(f"dock_{key}")
            dock.setWidget(widget)
            self.addDockWidget(area, dock)
            self.docks[key] = dock
        self.tabifyDockWidget(self.docks["inspector"], self.docks["segments"])
        self.tabifyDockWidget(self.docks["segments"], self.docks["history"])
        self.tabifyDockWidget(self.docks["history"], self.docks["identify"])
        self.tabifyDockWidget(self.docks["problems"], self.docks["people"])
        self.docks["inspector"].raise_()
        self.docks["problems"].raise_()
        # the right docks (grid form, segments, history) run the full height, so the forms'
        # height never squeezes the problems and people tables below the map
        self.setCorner(Qt.Corner.BottomRightCorner, Qt.DockWidgetArea.RightDockWidgetArea)
        self._docks_sized = False
        # the problems are drawn on the map, by severity, while their list is open
        self.problem_marks = ProblemMarks(self.canvas)
        self.problems.changed.connect(lambda: self.problem_marks.set_problems(self.problems.problems))
        self.docks["problems"].visibilityChanged.connect(self.problem_marks.set_visible)

    def default_dock_sizes(self) -> None:
        """Sizes a first start gets (no saved window state): the bottom docks a third
        of the window high, so the problems and people tables show a dozen rows, the
        side docks wide enough for their forms.  Every dock is resizable by dragging
        its edge, and the window remembers the sizes (see ``save_settings``)."""
        h, w = max(self.height(), 600), max(self.width(), 800)
        self.resizeDocks([self.docks["layers"], self.docks["overview"]], [int(h * 0.45), int(h * 0.2)],
                         Qt.Orientation.Vertical)
        self.resizeDocks([self.docks["layers"]], [max(240, int(w * 0.18))], Qt.Orientation.Horizontal)
        self.resizeDocks([self.docks["inspector"]], [max(340, int(w * 0.25))], Qt.Orientation.Horizontal)
        self.resizeDocks([self.docks["problems"]], [max(250, int(h * 0.33))], Qt.Orientation.Vertical)
        self.docks["inspector"].raise_()          # the grid form and the problems list in front
        self.docks["problems"].raise_()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if not self._docks_sized:
            self._docks_sized = True
            if not getattr(self, "_state_restored", False):
                self.default_dock_sizes()
