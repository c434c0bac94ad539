"""Saving in the background: the window stays usable while a plan is written.

:meth:`Saver.start` takes, in the GUI thread, what the save needs — the rows changed
since the last save (a :class:`~gridmap.core.storage.delta.PlanDelta`, small) or, when
the whole file must be rewritten, a copy-on-write snapshot of the plan — and writes it
in one worker thread, saves one after another (a second save waits for the first).
Editing goes on meanwhile: the saved position becomes the edit the snapshot was taken
at, so edits made during the save leave the plan unsaved (dirty), as they should.  A
save that fails changes nothing in the window: its rows are still to be saved and the
message says why (:attr:`SaveJob.error`).
"""

from __future__ import annotations

import threading
import traceback
from pathlib import Path

from PySide6.QtCore import QEventLoop, QObject, Signal

from ..core.storage import ConflictError, StoreError
from ..core.storage.delta import DeltaRefused
from ..core.workers import WorkerThread

__all__ = ["SaveJob", "Saver"]


class _Signals(QObject):
    finished = Signal(object)     # the SaveJob, in the GUI thread


class SaveJob:
    """One save of a document to ``target``: made in the GUI thread, run in the worker."""

    def __init__(self, doc, target: Path, force: bool):
        from ..core.storage.gpkg import _ORIGIN, _known_identity

        self.doc = doc
        self.target = Path(target)
        self.force = force
        self.signals = _Signals()
        self.done = threading.Event()
        self.ok = False
        self.error = ""              # why it failed (bilingual), "" when it did not
        self.conflict = False        # the file changed since it was read: ask before overwriting
        self.exception = None        # the StoreError/ConflictError of a failed save
        self.info: dict = {}         # how it was saved (GpkgStore.last_save)
        buf = doc.buffer
        plan = doc.plan
        self.same_file = doc.path is not None and Path(doc.path).resolve() == self.target.resolve() \
            if self.target.exists() else False
        # where the edit history stands: the saved position once this save succeeds
        self.index = buf.index
        self.top = buf.commands[buf.index - 1] if buf.index else None
        self.journal_len = len(buf.journal)
        self.known = _known_identity(plan, self.target)
        tracker = doc.save_tracker
        self.delta = tracker.delta(plan) if (self.same_file and self.known is not None) else None
        self.taken = tracker.take()
        # the whole plan as it is now, for a full rewrite (or when the delta does not fit the
        # file): shallow copies, kept intact by pandas copy-on-write while the user edits on
        self.snapshot = _shallow(plan, _ORIGIN)
        self.wkt = plan.crs.to_wkt()
        self.identity = None
        self.previous = None         # the save still running when this one was started

    # ------------------------------------------------------------------ worker thread
    def run(self) -> None:
        from ..core.storage.gpkg import GpkgStore, _known_identity
        from ..core.workers import rehome_crs

        store = GpkgStore(self.target)
        try:
            prev = self.previous
            self.previous = None
            if prev is not None and prev.target.resolve() == self.target.resolve():
                if not prev.ok:
                    # this save's rows follow that one's: it fails too, and both are saved by the next
                    self.error, self.exception, self.conflict = prev.error, prev.exception, prev.conflict
                    return
                # the file is as the save before this one left it
                from ..core.storage.gpkg import remember

                self.known = prev.identity
                remember(self.snapshot, self.target, prev.identity)
            if self.delta is not None:
                try:
                    self.info = store.save_delta(self.delta, self.known, self.force)
                    self.identity = self.info.pop("identity")
                except DeltaRefused as exc:
                    self.info = {"mode": "refused", "reason": str(exc)}
                    if exc.touched:       # only the journal mode in its header changed: still the known file
                        from ..core.storage.gpkg import identity_of, remember

                        remember(self.snapshot, self.target, identity_of(self.target))
            if self.delta is None or self.info.get("mode") == "refused":
                reason = self.info.get("reason", "")
                plan = self.snapshot
                rehome_crs(plan, self.wkt)      # pyproj objects of this thread
                self.info = store.save(plan, force=self.force)
                if reason:
                    self.info["reason"] = reason
                self.identity = _known_identity(plan, self.target)
                del plan
            self.ok = True
        except ConflictError as exc:
            self.conflict, self.error, self.exception = True, str(exc), exc
        except StoreError as exc:
            self.error, self.exception = str(exc), exc
        except Exception as exc:  # noqa: BLE001 - reported as one clear line, nothing lost
            traceback.print_exc()
            from ..core.storage.gpkg import _save_failure

            self.error = _save_failure(self.target, self.target.parent, exc)
            self.exception = StoreError(self.error)
        finally:
            self.snapshot = None       # released in this thread (its CRS objects were made here)
            self.delta = None
            self.done.set()
            self.signals.finished.emit(self)


def _shallow(plan, origin_attr):
    """A copy of ``plan`` sharing its tables (copy-on-write keeps them as they are now), with its
    versions and the file it came from."""
    from ..core.workers import shallow_copy

    out = shallow_copy(plan)
    if plan.versions is not None:
        out.versions = plan.versions.copy(deep=False)
    origin = getattr(plan, origin_attr, None)
    if origin is not None:
        object.__setattr__(out, origin_attr, origin)
    return out


class Saver(QObject):
    """Runs a window's saves one after another in one worker thread."""

    jobFinished = Signal(object)

    def __init__(self, parent=None):
        super().__init__(parent)
        self._worker: WorkerThread | None = None
        self.running: list[SaveJob] = []

    @property
    def busy(self) -> bool:
        return bool(self.running)

    def start(self, doc, target, force: bool = False, then=None) -> SaveJob:
        """Start saving ``doc`` to ``target`` (after any save still running); ``then(job)`` is
        called in the GUI thread when it is finished."""
        if self._worker is None:
            self._worker = WorkerThread("gridmap-save")
        doc.prepare_save(target)
        job = SaveJob(doc, Path(target), force)
        job.then = then
        job.previous = self.running[-1] if self.running else None
        job.signals.finished.connect(self._finished)
        self.running.append(job)
        self._worker.start(job)
        return job

    def _finished(self, job: SaveJob) -> None:
        try:
            job.doc.finish_save(job)
            if job.then is not None:
                job.then(job)
        finally:
            if job in self.running:
                self.running.remove(job)
            self.jobFinished.emit(job)

    def wait(self, job: SaveJob | None = None) -> None:
        """Process events (the window stays usable) until ``job`` (default: every save) is finished."""
        while (job is not None and job in self.running) or (job is None and self.running):
            loop = QEventLoop()
            self.jobFinished.connect(loop.quit)
            if (job is not None and job in self.running) or (job is None and self.running):
                loop.exec()
            self.jobFinished.disconnect(loop.quit)

    def shutdown(self) -> None:
        """Wait for the saves still running (closing the window waits for them), then stop."""
        self.wait()
        if self._worker is not None:
            self._worker.stop()
            self._worker = None
