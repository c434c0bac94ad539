"""A refused edit shown where the user looks: a banner across the top of the map with
the reason, and the spot that made the edit fail (where a split line stops inside the
grid, the grid of another parent in a merge, the area a refused edit would have
changed) drawn on the map until the banner goes.  The banner goes after a few seconds
or on a click."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QLabel, QPushButton

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
        self.button = QPushButton(self)          # the offer's action (see show_offer)
        self.button.hide()
        self.button.clicked.connect(self._accept)
        self._offer = None

    def show_offer(self, message: str, action_text: str, action) -> None:
        """A question after an edit, answered with one button (or ignored: it goes away):
        e.g. whether the people of a split grid carry over to the new piece."""
        self.show_refusal(message, None, icon="ℹ")
        self._offer = action
        self.button.setText(action_text)
        self.button.adjustSize()
        self.setFixedHeight(max(self.height(), self.button.height() + 16))
        self.setContentsMargins(0, 0, self.button.width() + 12, 0)
        self.button.move(self.width() - self.button.width() - 8, (self.height() - self.button.height()) // 2)
        self.button.show()

    def _accept(self) -> None:
        action, self._offer = self._offer, None
        self.dismiss()
        if action is not None:
            action()

    def show_refusal(self, message: str, spot=None, icon: str = "⚠") -> None:
        self._offer = None
        self.button.hide()
        self.setContentsMargins(0, 0, 0, 0)
        self.setMinimumHeight(0)
        self.setMaximumHeight(16777215)
        self.setText(icon + " " + message)
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
