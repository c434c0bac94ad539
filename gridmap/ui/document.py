"""The open plan as the window sees it: plan, file, selection and undo stack.

Widgets never change a :class:`~gridmap.core.plan.Plan` behind the
document's back: edits will be ``QUndoCommand``\\ s pushed on
:attr:`PlanDocument.undo_stack` (editing tools come with a later issue).
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

    def __init__(self, plan: Plan, path: str | os.PathLike | None = None, parent=None):
        super().__init__(parent)
        self.plan = plan
        self.path = Path(path) if path else None
        self.undo_stack = QUndoStack(self)
        self.undo_stack.cleanChanged.connect(lambda clean: self.dirtyChanged.emit(not clean))
        self.selection: list[int] = []
        self._dirty = False

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
