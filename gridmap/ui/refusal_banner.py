"""A refused edit shown where the user looks: a banner across the top of the map with
the reason, and the spot that made the edit fail (where a split line stops inside the
grid, the grid of another parent in a merge, the area a refused edit would have
changed) drawn on the map until the banner goes.  The banner goes after a few seconds
or on a click."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QLabel

from .problem_marks import ProblemMarks

__all__ = ["RefusalBanner", "SHOW_MS"]

SHOW_MS = 9000


class RefusalBanner(QLabel):
    """The banner over ``canvas`` (a child widget, so it moves and resizes with it)."""

    def __init__(self, canvas):
        super().__init__(canvas)
        self.canvas = canvas
        self.setObjectName("refusal_banner")
        self.setWordWrap(True)
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setStyleSheet("QLabel#refusal_banner { background: rgba(255, 236, 179, 240); color: #5d4000;"
                           " border: 1px solid #e0a800; border-radius: 4px; padding: 6px 12px; font-weight: bold; }")
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.hide()
        self.spot = ProblemMarks(canvas)
        self.spot.set_visible(False)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self.dismiss)

    def show_refusal(self, message: str, spot=None) -> None:
        self.setText("⚠ " + message)
        w = max(240, int(self.canvas.width() * 0.7))
        self.setFixedWidth(w)
        self.adjustSize()
        self.move((self.canvas.width() - w) // 2, 8)
        self.show()
        self.raise_()
        self.spot.set_problems([{"severity": "error", "geometry": spot}] if spot is not None else [])
        self.spot.set_visible(spot is not None)
        self.timer.start(SHOW_MS)

    def dismiss(self) -> None:
        self.timer.stop()
        self.hide()
        self.spot.set_problems([])
        self.spot.set_visible(False)

    def mousePressEvent(self, event) -> None:
        self.dismiss()
