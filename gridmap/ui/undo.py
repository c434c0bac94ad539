"""Undo and redo in the desktop app.

Every change to the plan is a headless :class:`~gridmap.core.editing.commands.Command`
(the same objects scripts and tests use with an ``EditStack``).  Here each one
is wrapped in a ``QUndoCommand`` on the document's ``QUndoStack``, so the Edit
menu, Ctrl+Z / Ctrl+Shift+Z, the undo history view and "is the plan saved?"
all come from Qt.  After every push, undo and redo the document tells the
window *what* changed (:class:`Changes`), so only the touched layers are
redrawn and only the edited neighbourhood is re-checked.

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
from dataclasses import dataclass, field

from PySide6.QtCore import QEvent
from PySide6.QtGui import QUndoCommand
from PySide6.QtWidgets import QUndoView

from ..core.editing.commands import (AddRow, Command, DeleteRow, Macro, ReplaceTable, SetCells, SetGeometries,
                                     SetJurisdiction)

__all__ = ["PlanUndoCommand", "Changes", "changes_of", "leaf_commands", "HistoryView", "PlanSnapshot"]

TABLES = ("grids", "units", "people", "roles", "segments", "places", "base_layers")


def leaf_commands(command: Command):
    """The simple commands inside a (nested) macro, in order."""
    if isinstance(command, Macro):
        for c in command.commands:
            yield from leaf_commands(c)
    else:
        yield command


@dataclass
class Changes:
    """What one command changed: tables, grid ids, jurisdiction; ``geometry_only``
    when only grid geometries of existing grids changed (an incremental re-check
    is enough); ``how`` is "push", "undo" or "redo"."""

    command: Command | None = None
    tables: set = field(default_factory=set)
    grids: set = field(default_factory=set)
    jurisdiction: bool = False
    geometry_only: bool = True
    how: str = "push"


def changes_of(command: Command, how: str = "push") -> Changes:
    """Summarise a command for redraws and re-checks."""
    ch = Changes(command=command, how=how)
    for c in leaf_commands(command):
        try:
            ch.grids |= {int(g) for g in c.grids}
        except (TypeError, ValueError):
            pass
        if isinstance(c, SetGeometries):
            ch.tables.add(c.table)
            if c.table != "grids":
                ch.geometry_only = False
        elif isinstance(c, SetJurisdiction):
            ch.jurisdiction = True
            ch.geometry_only = False
        elif isinstance(c, (SetCells, AddRow, DeleteRow, ReplaceTable)):
            ch.tables.add(c.table)
            ch.geometry_only = False
        else:  # e.g. the re-parenting step of a split
            ch.tables.add("grids")
            ch.geometry_only = False
    if not ch.tables and not ch.jurisdiction:
        ch.geometry_only = False
    return ch


class PlanSnapshot:
    """The plan's tables as they were before an edit (shallow copies: pandas
    copy-on-write keeps them intact), to check an edit against and to restore
    the plan if the edit is refused or fails half-way."""

    def __init__(self, plan):
        self.levels = list(plan.levels)
        self.level_keys = [lv.key for lv in plan.levels]
        self.crs = plan.crs
        self.jurisdiction = plan.jurisdiction
        for t in TABLES:
            setattr(self, t, getattr(plan, t).copy(deep=False))

    def restore(self, plan) -> None:
        plan.jurisdiction = self.jurisdiction
        for t in TABLES:
            setattr(plan, t, getattr(self, t).copy(deep=False))


class PlanUndoCommand(QUndoCommand):
    """A core command on the Qt undo stack.

    The document applies the command (and checks it) *before* pushing, so the
    first ``redo()`` that ``QUndoStack.push`` calls does nothing; later undo
    and redo run the core command and notify the document.
    """

    def __init__(self, document, command: Command, text: str):
        super().__init__(text)
        self.document = document
        self.command = command
        self._pushed = False

    def redo(self) -> None:
        if not self._pushed:
            self._pushed = True
            return
        self._run("redo")

    def undo(self) -> None:
        self._run("undo")

    def _run(self, how: str) -> None:
        plan = self.document.plan
        try:
            getattr(self.command, how)(plan)
        except Exception as exc:  # never a traceback dialog; the message goes to the status bar
            traceback.print_exc()
            self.document.editFailed.emit(f"{type(exc).__name__}: {exc}")
        self.document.notify(changes_of(self.command, how))


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
