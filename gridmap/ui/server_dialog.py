"""The shared plan on a PostgreSQL/PostGIS server: connect, open it, publish the current plan,
and see which planner holds which area (菜单“项目 → 服务器上的共享方案…”)."""

from __future__ import annotations

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import (QDialog, QDialogButtonBox, QFormLayout, QHBoxLayout, QLabel, QLineEdit,
                               QPushButton, QTableWidget, QTableWidgetItem, QVBoxLayout)

__all__ = ["ServerDialog"]


class ServerDialog(QDialog):
    """Connect to a server plan (``postgresql://USER@HOST:PORT/DB?schema=S``)."""

    def __init__(self, window=None):
        super().__init__(window)
        self.window_ = window
        self.plan = None
        self.access = None
        self.setWindowTitle(self.tr("Shared plan on a server"))
        self.url = QLineEdit(self)
        self.url.setObjectName("server_url")
        self.url.setPlaceholderText("postgresql://user@127.0.0.1:5432/gridmap?schema=city")
        self.url.setText(str(QSettings().value("server/url", "") or ""))
        form = QFormLayout()
        form.addRow(self.tr("Server address"), self.url)
        self.connect_button = QPushButton(self.tr("Connect"), self)
        self.open_button = QPushButton(self.tr("Open the shared plan"), self)
        self.publish_button = QPushButton(self.tr("Publish the current plan"), self)
        self.connect_button.clicked.connect(self.connect_server)
        self.open_button.clicked.connect(self.open_shared)
        self.publish_button.clicked.connect(self.publish_current)
        self.publish_button.setEnabled(window is not None and getattr(window, "document", None) is not None)
        row = QHBoxLayout()
        for b in (self.connect_button, self.open_button, self.publish_button):
            row.addWidget(b)
        self.areas = QTableWidget(0, 3, self)
        self.areas.setObjectName("server_areas")
        self.areas.setHorizontalHeaderLabels([self.tr("Planner"), self.tr("Area (grid code)"), self.tr("Grid name")])
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addLayout(form)
        lay.addLayout(row)
        lay.addWidget(QLabel(self.tr("Who holds which area"), self))
        lay.addWidget(self.areas)
        lay.addWidget(self.status)
        lay.addWidget(buttons)

    def _say(self, text: str) -> None:
        self.status.setText(text)

    def connect_server(self) -> bool:
        """Read the plan and the assigned areas; False (with the reason shown) if that fails."""
        from ..core.storage import StoreError, open_plan
        from ..core.storage.permissions import my_access, who_holds
        from ..core.storage.postgis import connect, parse_url

        url = self.url.text().strip()
        try:
            _, schema = parse_url(url)
            plan = open_plan(url)
            with connect(url) as conn:
                held = who_holds(conn, schema)
                kind, areas = my_access(conn, schema)
        except StoreError as exc:
            self._say(str(exc))
            return False
        QSettings().setValue("server/url", url)
        self.plan = plan
        self.areas.setRowCount(len(held))
        for r, (member, grid) in enumerate(held):
            code = str(plan.grids.at[grid, "code"]) if grid in plan.grids.index else str(grid)
            name = str(plan.grids.at[grid, "name"]) if grid in plan.grids.index else ""
            for c, text in enumerate((member, code, name)):
                self.areas.setItem(r, c, QTableWidgetItem(text))
        kinds = {"owner": self.tr("owner (may edit everything)"), "reviewer": self.tr("reviewer (may edit everything)"),
                 "planner": self.tr("planner"), "viewer": self.tr("viewer (read-only)")}
        mine = "、".join(str(plan.grids.at[g, "code"]) for g in sorted(areas) if g in plan.grids.index)
        self.access = (kind, areas)
        self._say(self.tr("Connected: %1, %2 grid(s)").replace("%1", plan.name).replace("%2", str(len(plan.grids)))
                  + "\n" + self.tr("You are: %1").replace("%1", kinds[kind]) + (f" — {mine}" if mine else ""))
        return True

    def open_shared(self) -> bool:
        """Open the server's plan in the window: every step is committed to the server
        (:mod:`gridmap.ui.shared_session`)."""
        if self.plan is None and not self.connect_server():
            return False
        if self.window_ is not None:
            from .document import PlanDocument

            self.window_.set_document(PlanDocument(self.plan, None, self.window_))
        return True

    def publish_current(self) -> bool:
        from ..core.storage import StoreError
        from ..core.storage.postgis import publish

        doc = getattr(self.window_, "document", None)
        if doc is None:
            return False
        try:
            publish(doc.plan, self.url.text().strip())
        except StoreError as exc:
            self._say(str(exc))
            return False
        self._say(self.tr("Published %1 grid(s)").replace("%1", str(len(doc.plan.grids))))
        return self.connect_server()
