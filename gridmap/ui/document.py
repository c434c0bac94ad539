"""The open plan as the window sees it: plan, file, selection and undo stack.

Widgets never change a :class:`~gridmap.core.plan.Plan` behind the
document's back: every edit is a core command applied by :meth:`PlanDocument.push`
through the document's core :class:`~gridmap.core.editing.buffer.EditBuffer`
(:attr:`PlanDocument.buffer`), which owns the plan, undo/redo and the saved
position.  :attr:`PlanDocument.undo_stack` (a ``QUndoStack``, for the Edit menu
and the history view) is a thin view of that buffer: each of its entries undoes
and redoes by asking the buffer (see :mod:`gridmap.ui.undo`).
:attr:`PlanDocument.edited` carries the buffer's exact
:class:`~gridmap.core.editing.changes.Changes` after each push, undo and redo.
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoStack

from ..core.editing.buffer import EditBuffer
from ..core.plan import Plan
from ..core.storage import open_plan, save_plan

__all__ = ["PlanDocument", "LOADING_REFUSED"]

LOADING_REFUSED = "方案仍在载入，载入完成后才能编辑或保存 / The plan is still loading; it can be edited and saved once it is loaded"


class PlanDocument(QObject):
    """One plan opened in the window."""

    planChanged = Signal()               # the plan was replaced or edited
    selectionChanged = Signal(list)      # selected grid ids
    pathChanged = Signal(str)
    dirtyChanged = Signal(bool)
    edited = Signal(object)              # gridmap.core.editing.changes.Changes, after every push/undo/redo
    editFailed = Signal(str)             # an undo or redo failed (should not happen)

    def __init__(self, plan: Plan, path: str | os.PathLike | None = None, parent=None):
        super().__init__(parent)
        self.buffer = EditBuffer(plan)
        self.path = Path(path) if path else None
        self.undo_stack = QUndoStack(self)
        self.selection: list[int] = []
        self.read_only = False      # opened while another gridmap holds the plan: Save refused, Save As allowed
        # the window shows the grids while the other tables are still being read (issue 21,
        # gridmap.core.storage.gpkg.GpkgStore.load_first): no edit, no save until it is False
        self.loading = False
        self._was_dirty = False
        self._unsubscribe = self.buffer.subscribe(self._on_buffer_changed)
        # the rows edited since the last save: a save writes only those (gridmap.core.storage.delta)
        from ..core.storage.delta import SaveTracker

        self.save_tracker = SaveTracker(self.buffer, known=self.path is not None)
        self.journal = None          # the crash journal beside the file (gridmap.core.storage.journal)

    @property
    def plan(self) -> Plan:
        return self.buffer.plan

    def _on_buffer_changed(self, changes) -> None:
        self.notify(changes)

    @classmethod
    def open(cls, path, parent=None) -> "PlanDocument":
        """Read a project file (raises StoreError with a clear message)."""
        return cls(open_plan(path), path, parent)

    @property
    def project_dir(self) -> Path | None:
        return self.path.parent if self.path else None

    @property
    def dirty(self) -> bool:
        """Not at the saved position of the edit buffer."""
        return self.buffer.dirty

    def mark_unsaved(self) -> None:
        """A plan never saved (e.g. just created): no position of the history is "saved"."""
        self.buffer.clean_index = -1
        self.undo_stack.resetClean()
        self._emit_dirty()

    def _emit_dirty(self) -> None:
        d = self.buffer.dirty
        if d != self._was_dirty:
            self._was_dirty = d
            self.dirtyChanged.emit(d)

    def save(self, path=None, force: bool = False) -> Path:
        """Save (atomically) to ``path`` or the current file, in this thread; base-layer paths are
        rewritten relative to the new project folder.  Raises ConflictError when the
        file changed since it was opened or last saved (unless ``force``).  The window saves
        in the background instead (:class:`gridmap.ui.saving.Saver`); both write only the rows
        changed since the last save when they can."""
        from .saving import SaveJob

        target = Path(path) if path else self.path
        if target is None:
            raise ValueError("no file name: use Save As")
        self.prepare_save(target)
        job = SaveJob(self, target, force)
        job.run()
        self.finish_save(job)
        if job.exception is not None:
            raise job.exception
        return target

    def prepare_save(self, target) -> None:
        """Before a save to ``target`` is snapshotted: base-layer paths relative to its folder.
        A plan still loading is refused (EditError, a bilingual message): half a plan is never written."""
        self.refuse_if_loading()
        target = Path(target)
        if self.path is not None and target.parent.resolve() != self.path.parent.resolve():
            self._rebase_sources(self.path.parent, target.parent)
        elif self.path is None:
            self._rebase_sources(None, target.parent)

    def finish_save(self, job) -> None:
        """A save ended (GUI thread): on success the saved position is where the edits stood
        when the save started (edits made during it stay unsaved); on failure nothing changes."""
        from ..core.storage.gpkg import remember

        buf = self.buffer
        if not job.ok:
            self.save_tracker.failed(job.taken)
            return
        remember(self.plan, job.target, job.identity)
        same_history = len(buf.commands) >= job.index and (
            job.index == 0 or buf.commands[job.index - 1] is job.top)
        buf.clean_index = job.index if same_history else -1
        if buf.index == buf.clean_index:
            self.undo_stack.setClean()
        else:
            self.undo_stack.resetClean()
        self.save_tracker.saved()
        changed = self.path is None or Path(self.path).resolve() != job.target.resolve()
        if self.journal is not None:
            if changed:
                self.journal.moved(job.target)
            self.journal.saved(job.journal_len)
        self.path = job.target
        self._was_dirty = buf.dirty
        self.dirtyChanged.emit(buf.dirty)
        if changed:
            self.pathChanged.emit(str(job.target))

    def _rebase_sources(self, old_dir: Path | None, new_dir: Path) -> None:
        """Base-layer file paths relative to the new project folder — in the plan and in
        the undo history (an undone or redone base layer gets the right path too)."""
        from ..core.editing.layer_commands import rebase_sources

        def rebase(source: str) -> str:
            from ..core.sources import is_absolute_source, resolve_source_path

            if not is_absolute_source(source) and old_dir is None:
                return source
            return self.relative_source(resolve_source_path(source, old_dir), new_dir)

        rebase_sources(self.plan, self.buffer.commands, rebase)

    def resolve(self, source: str) -> Path:
        """A base layer source path as a real path (relative sources are relative to the project file)."""
        from ..core.sources import resolve_source_path

        return resolve_source_path(source, self.project_dir)   # "底图\\道路.gpkg" of a Windows plan too

    def relative_source(self, path, base: Path | None = None) -> str:
        """How a file is recorded as a base layer source: relative to the project
        folder where possible (so a project folder can be moved as a whole)."""
        base = base if base is not None else self.project_dir
        from ..core.sources import record_source

        p = Path(path).resolve()
        if base is None:
            return str(p)
        return record_source(p, Path(base).resolve())   # relative with "/", or absolute on another drive

    # ------------------------------------------------------------------ edits
    def push(self, command, text: str | None = None, verify=None, guard=None):
        """Apply a core command through the edit buffer as one undo step.

        ``guard``: the coverage checks (default: the command's own; see
        :meth:`~gridmap.core.editing.buffer.EditBuffer.push`), applied once; a
        refused edit is taken back and ``EditError(message)`` raised.  An edit
        that fails half-way leaves the plan as it was.  The buffer reports
        the change (:attr:`edited`); the Qt undo stack gets an entry that mirrors it.
        """
        from .undo import PlanUndoCommand

        self.refuse_if_loading()
        if text:
            command.text = text
        self.buffer.push(command, verify=verify, guard=guard)
        entry = PlanUndoCommand(self, command, text or getattr(command, "text", ""))
        entry.merged = self.buffer.last_merged
        self.undo_stack.push(entry)
        return command

    def refuse_if_loading(self) -> None:
        """Raise (a clear bilingual message) while the plan is still being read."""
        from ..core.storage.gpkg import is_partial

        if self.loading or is_partial(self.plan):
            from ..core.editing.geometry import EditError

            raise EditError(LOADING_REFUSED)

    def undo(self) -> None:
        self.undo_stack.undo()

    def redo(self) -> None:
        self.undo_stack.redo()

    def notify(self, changes) -> None:
        """Tell the window what an edit changed (drops deleted grids from the selection first)."""
        gone = [g for g in self.selection if g not in self.plan.grids.index]
        if gone:
            self.selection = [g for g in self.selection if g in self.plan.grids.index]
        self.edited.emit(changes)
        if gone:
            self.selectionChanged.emit(list(self.selection))
        self._emit_dirty()

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
