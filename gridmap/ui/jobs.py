"""Long work off the GUI thread: a :class:`TaskManager` runs functions in a
worker thread (:class:`~gridmap.core.workers.WorkerThread`) and reports back (done / failed / cancelled) in the GUI thread.
The status bar shows a progress bar with a cancel button while tasks run.

pyproj objects (CRS, Transformer) keep the PROJ context of the thread that made
them and crash when two threads use one context at once.  So the manager runs
its tasks one at a time in one long-lived thread, objects made there are
re-made in the GUI thread (:func:`gridmap.core.workers.rehome_crs`) and the
originals are released back in the worker (:meth:`TaskManager.dispose`).
"""

from __future__ import annotations

import threading
import traceback
from typing import Callable

from PySide6.QtCore import QObject, Signal

from .layers.base import Cancelled
from ..core.workers import WorkerThread

__all__ = ["Task", "TaskManager"]


class _Signals(QObject):
    done = Signal(object)
    failed = Signal(str)
    cancelled = Signal()
    progress = Signal(int)


class Task:
    """``fn(cancelled, progress)`` run in a worker thread; ``cancelled()`` says
    whether to stop, ``progress(percent)`` reports progress."""

    def __init__(self, label: str, fn: Callable):
        self.label = label
        self.fn = fn
        self.signals = _Signals()
        self._cancel = threading.Event()
        self.finished = False

    def cancel(self) -> None:
        self._cancel.set()

    def is_cancelled(self) -> bool:
        return self._cancel.is_set()

    def run(self) -> None:
        try:
            result = self.fn(self.is_cancelled, self.signals.progress.emit)
        except Cancelled:
            self.signals.cancelled.emit()
        except Exception as exc:  # reported as one clear line, never a traceback dialog
            traceback.print_exc()
            msg = str(exc) or type(exc).__name__
            self.signals.failed.emit(msg)
        else:
            if self._cancel.is_set():
                self.signals.cancelled.emit()
            else:
                self.signals.done.emit(result)



class TaskManager(QObject):
    """Runs tasks; ``busyChanged(busy, label)`` drives the status bar."""

    busyChanged = Signal(bool, str)
    progress = Signal(int)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.pool = WorkerThread("gridmap-tasks")
        self.tasks: list[Task] = []

    def submit(self, label: str, fn: Callable, on_done: Callable | None = None,
               on_failed: Callable[[str], None] | None = None,
               on_cancelled: Callable | None = None) -> Task:
        task = Task(label, fn)
        self.tasks.append(task)

        def finish():
            task.finished = True
            if task in self.tasks:
                self.tasks.remove(task)
            self._emit_state()

        def done(result):
            if task.finished:                # cancelled meanwhile: the late result is dropped (in the worker)
                self.dispose(result)
                return
            finish()
            if on_done:
                on_done(result)

        def failed(msg):
            if task.finished:
                return
            finish()
            if on_failed:
                on_failed(msg)

        def cancelled():
            if task.finished:
                return
            finish()
            if on_cancelled:
                on_cancelled()

        task.drop = cancelled                # cancel_all: the job is over for the window at once

        task.signals.done.connect(done)
        task.signals.failed.connect(failed)
        task.signals.cancelled.connect(cancelled)
        task.signals.progress.connect(self.progress.emit)
        self._emit_state()
        self.pool.start(task)
        return task

    def dispose(self, *objects) -> None:
        """Drop references to objects made in the worker thread, in that thread."""
        holder = list(objects)
        del objects

        def drop(cancelled, progress):
            holder.clear()

        task = Task("", drop)
        self.pool.start(task)

    def _emit_state(self) -> None:
        busy = bool(self.tasks)
        self.busyChanged.emit(busy, self.tasks[-1].label if busy else "")

    @property
    def busy(self) -> bool:
        return bool(self.tasks)

    def cancel_all(self) -> None:
        """Cancel every task: each is told to stop (it does at its next ``cancelled()``
        check, between chunks) and is over for the window at once — the status bar's
        bar goes, its ``on_cancelled`` runs now, a result still arriving is dropped."""
        for t in list(self.tasks):
            t.cancel()
            drop = getattr(t, "drop", None)
            if drop is not None:
                drop()

    def wait(self, ms: int = 30000) -> bool:
        return self.pool.waitForDone(ms)

    def shutdown(self) -> None:
        self.cancel_all()
        self.pool.stop()
