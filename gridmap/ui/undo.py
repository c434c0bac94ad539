"""Undo and redo in the desktop app: the ``QUndoStack`` as a view of the core edit buffer.

Every change to the plan is a headless :class:`~gridmap.core.editing.commands.Command`
applied by the document's :class:`~gridmap.core.editing.buffer.EditBuffer`.
Each step of the buffer has a :class:`PlanUndoCommand` on the document's
``QUndoStack``, so the Edit menu, Ctrl+Z / Ctrl+Shift+Z, the undo history view
come from Qt — but undoing and redoing ask the buffer, which reports exactly
what changed (:class:`~gridmap.core.editing.changes.Changes`, re-exported here).

>>> from shapely import box
>>> from gridmap.core.editing.commands import Macro, SetCells, SetGeometries
>>> ch = changes_of(Macro("例", [SetGeometries("a", {3: box(0, 0, 1, 1)}), SetCells("b", "roles", 7, {"duty": "x"})]))
>>> sorted(ch.tables), sorted(ch.grids), ch.geometry_only
(['grids', 'roles'], [3], False)
>>> changes_of(SetGeometries("a", {3: box(0, 0, 1, 1)})).geometry_only
True
"""

from __future__ import annotations

import traceback

from PySide6.QtCore import QEvent
from PySide6.QtGui import QUndoCommand
from PySide6.QtWidgets import QUndoView

from ..core.editing.buffer import PlanSnapshot
from ..core.editing.changes import Changes, changes_of, leaf_commands
from ..core.editing.commands import Command

__all__ = ["PlanUndoCommand", "Changes", "changes_of", "leaf_commands", "HistoryView", "PlanSnapshot"]


class PlanUndoCommand(QUndoCommand):
    """One step of the document's edit buffer on the Qt undo stack.

    The buffer has already applied the command when it is pushed, so the first
    ``redo()`` that ``QUndoStack.push`` calls does nothing; later undo and redo
    ask the buffer (which notifies the document).  Steps merged by the buffer
    (same ``merge_key``) are merged here too (``id``/``mergeWith``).
    """

    def __init__(self, document, command: Command, text: str):
        super().__init__(text)
        self.document = document
        self.command = command
        self.merged = False
        self._pushed = False
        key = getattr(command, "merge_key", None)
        self._id = -1 if key is None else hash(key) & 0x3FFFFFFF

    def id(self) -> int:  # noqa: A003 - Qt's name
        return self._id

    def mergeWith(self, other) -> bool:  # noqa: N802 - Qt's name
        return bool(getattr(other, "merged", False))

    def redo(self) -> None:
        if not self._pushed:
            self._pushed = True
            return
        self._run("redo")

    def undo(self) -> None:
        self._run("undo")

    def _run(self, how: str) -> None:
        try:
            getattr(self.document.buffer, how)()
        except Exception as exc:  # never a traceback dialog; the message goes to the status bar
            traceback.print_exc()
            self.document.editFailed.emit(f"{type(exc).__name__}: {exc}")


class HistoryView(QUndoView):
    """The undo history (QUndoView): click an entry to go back to that state."""

    def __init__(self, group=None, parent=None):
        super().__init__(parent)
        if group is not None:
            self.setGroup(group)
        self.retranslate()

    def retranslate(self) -> None:
        self.setEmptyLabel(self.tr("<opened plan>"))

    def changeEvent(self, e) -> None:
        if e.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(e)
