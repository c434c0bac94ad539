"""The open plan as the window sees it: plan, file, selection and undo stack.

Widgets never change a :class:`~gridmap.core.plan.Plan` behind the
document's back: every edit is a core command applied by :meth:`PlanDocument.push`
and kept on :attr:`PlanDocument.undo_stack` (see :mod:`gridmap.ui.undo`);
:attr:`PlanDocument.edited` says what changed after each push, undo and redo.
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoStack

from ..core.plan import Plan
from ..core.storage import open_plan, save_plan

__all__ = ["PlanDocument"]


class PlanDocument(QObject):
    """One plan opened in the window."""

    planChanged = Signal()               # the plan was replaced or edited
    selectionChanged = Signal(list)      # selected grid ids
    pathChanged = Signal(str)
    dirtyChanged = Signal(bool)
    edited = Signal(object)              # gridmap.ui.undo.Changes, after every push/undo/redo
    editFailed = Signal(str)             # an undo or redo failed (should not happen)

    def __init__(self, plan: Plan, path: str | os.PathLike | None = None, parent=None):
        super().__init__(parent)
        self.plan = plan
        self.path = Path(path) if path else None
        self.undo_stack = QUndoStack(self)
        self.undo_stack.cleanChanged.connect(self._on_clean_changed)
        self.selection: list[int] = []
        self._dirty = False

    def _on_clean_changed(self, clean: bool) -> None:
        # a method, not a lambda: Qt disconnects it when the document is deleted
        self.dirtyChanged.emit(not clean)

    @classmethod
    def open(cls, path, parent=None) -> "PlanDocument":
        """Read a project file (raises StoreError with a clear message)."""
        return cls(open_plan(path), path, parent)

    @property
    def project_dir(self) -> Path | None:
        return self.path.parent if self.path else None

    @property
    def dirty(self) -> bool:
        return self._dirty or not self.undo_stack.isClean()

    def mark_dirty(self) -> None:
        self._dirty = True
        self.dirtyChanged.emit(True)

    def save(self, path=None) -> Path:
        """Save (atomically) to ``path`` or the current file; base-layer paths are
        rewritten relative to the new project folder."""
        target = Path(path) if path else self.path
        if target is None:
            raise ValueError("no file name: use Save As")
        if self.path is not None and target.parent.resolve() != self.path.parent.resolve():
            self._rebase_sources(self.path.parent, target.parent)
        elif self.path is None:
            self._rebase_sources(None, target.parent)
        save_plan(self.plan, target)
        changed = target != self.path
        self.path = target
        self._dirty = False
        self.undo_stack.setClean()
        self.dirtyChanged.emit(False)
        if changed:
            self.pathChanged.emit(str(target))
        return target

    def _rebase_sources(self, old_dir: Path | None, new_dir: Path) -> None:
        bl = self.plan.base_layers
        for rid in bl.index:
            if bl.at[rid, "kind"] == "tiles":
                continue
            src = Path(str(bl.at[rid, "source"]))
            if not src.is_absolute():
                if old_dir is None:
                    continue
                src = old_dir / src
            bl.at[rid, "source"] = self.relative_source(src, new_dir)

    def resolve(self, source: str) -> Path:
        """A base layer source path as a real path (relative sources are relative to the project file)."""
        p = Path(source)
        if p.is_absolute() or self.project_dir is None:
            return p
        return self.project_dir / p

    def relative_source(self, path, base: Path | None = None) -> str:
        """How a file is recorded as a base layer source: relative to the project
        folder where possible (so a project folder can be moved as a whole)."""
        base = base if base is not None else self.project_dir
        p = Path(path).resolve()
        if base is None:
            return str(p)
        try:
            return os.path.relpath(p, Path(base).resolve())
        except ValueError:  # another drive on Windows
            return str(p)

    # ------------------------------------------------------------------ edits
    def push(self, command, text: str | None = None, verify=None):
        """Apply a core command, then put it on the undo stack as one step.

        ``verify(before)`` (optional) gets a :class:`~gridmap.ui.undo.PlanSnapshot`
        of the plan before the edit, once the edit is applied; if it returns a
        message the edit is taken back and ``EditError(message)`` raised.  An
        edit that fails half-way leaves the plan as it was.
        """
        from ..core.editing.geometry import EditError
        from .undo import PlanSnapshot, PlanUndoCommand, changes_of

        before = PlanSnapshot(self.plan)
        try:
            command.redo(self.plan)
            problem = verify(before) if verify is not None else None
        except BaseException:
            before.restore(self.plan)
            raise
        if problem:
            before.restore(self.plan)
            raise EditError(problem)
        self.undo_stack.push(PlanUndoCommand(self, command, text or getattr(command, "text", "")))
        self.notify(changes_of(command, "push"))
        return command

    def notify(self, changes) -> None:
        """Tell the window what an edit changed (drops deleted grids from the selection first)."""
        gone = [g for g in self.selection if g not in self.plan.grids.index]
        if gone:
            self.selection = [g for g in self.selection if g in self.plan.grids.index]
        self.edited.emit(changes)
        if gone:
            self.selectionChanged.emit(list(self.selection))

    # ------------------------------------------------------------------ selection
    def set_selection(self, ids, add: bool = False) -> None:
        """Select grids; with ``add``, ids already selected are deselected (toggle)."""
        ids = [int(i) for i in ids]
        if add:
            sel = list(self.selection)
            for i in ids:
                if i in sel:
                    sel.remove(i)
                else:
                    sel.append(i)
        else:
            sel = list(dict.fromkeys(ids))
        if sel != self.selection:
            self.selection = sel
            self.selectionChanged.emit(list(sel))

    def clear_selection(self) -> None:
        self.set_selection([])
