"""A long-lived Python worker thread that runs submitted jobs in order.

Why not ``QThreadPool``: PySide gives a pool thread a fresh Python thread
state for every ``QRunnable.run`` and deletes it afterwards, which frees
``threading.local`` data — and pyproj keeps each thread's PROJ context there
while caching the raw pointer per OS thread, so the next job on that thread
crashes in PROJ.  A plain ``threading.Thread`` keeps its thread state (and its
PROJ context) for its whole life.  Results go back to the GUI thread through
Qt signals (queued connections).

>>> w = WorkerThread("doc")
>>> out = []
>>> w.start(lambda: out.append(1))
>>> w.waitForDone(1000), out
(True, [1])
>>> w.stop()
"""

from __future__ import annotations

import queue
import threading
import traceback

__all__ = ["WorkerThread", "rehome_crs", "PlanSnapshot", "Cancelled", "shallow_copy", "checkpoint", "job", "step", "in_job", "cancel_point"]


class Cancelled(Exception):
    """Raised inside a long job (a check, a render, an import) when it was cancelled:
    jobs call :func:`checkpoint` between their chunks."""


def checkpoint(cancelled=None, progress=None, percent: int | None = None) -> None:
    """Between two chunks of a long job: raise :class:`Cancelled` if ``cancelled()``
    says so, and report ``percent`` to ``progress`` (both optional)."""
    if cancelled is not None and cancelled():
        raise Cancelled()
    if progress is not None and percent is not None:
        progress(int(percent))


_JOB = threading.local()


class job:
    """The long job this thread runs (an export, an import): deep loops of it call
    :func:`step` without being handed a cancel flag or a progress callback.  ``progress``
    gets a percent in ``lo``–``hi`` (a part of a larger job: one format of several).

    >>> seen = []
    >>> with job(lambda: False, seen.append, lo=50, hi=100):
    ...     for k in range(4):
    ...         step(k, 4)
    >>> seen
    [50, 62, 75, 87]
    >>> with job(lambda: True):
    ...     step(0, 10)
    Traceback (most recent call last):
    gridmap.core.workers.Cancelled
    >>> step(0, 10)            # outside a job: nothing
    """

    def __init__(self, cancelled=None, progress=None, lo: int = 0, hi: int = 100):
        self.cancelled, self.progress, self.lo, self.hi = cancelled, progress, lo, hi
        self.last = None

    def __enter__(self):
        self.outer = getattr(_JOB, "current", None)
        _JOB.current = self
        return self

    def __exit__(self, *exc):
        _JOB.current = self.outer
        return False


def cancel_point() -> None:
    """Between two steps of the job this thread runs: raise :class:`Cancelled` if it was
    cancelled (no progress reported).  Outside a job: nothing."""
    j = getattr(_JOB, "current", None)
    if j is not None and j.cancelled is not None and j.cancelled():
        raise Cancelled()


def in_job() -> bool:
    """Whether this thread runs a :class:`job` (which its loops may :func:`step` through)."""
    return getattr(_JOB, "current", None) is not None


def step(done: int, total: int) -> None:
    """Inside a long loop (``done`` of ``total`` items): raise :class:`Cancelled` if the job
    this thread runs was cancelled, and report its progress (each percent once).  Outside
    a job (the CLI, a test) it does nothing."""
    j = getattr(_JOB, "current", None)
    if j is None:
        return
    if j.cancelled is not None and j.cancelled():
        raise Cancelled()
    if j.progress is not None and total > 0:
        p = j.lo + (j.hi - j.lo) * min(max(done, 0), total) // total
        if p != j.last:
            j.last = p
            j.progress(int(p))


def shallow_copy(plan):
    """A copy of a plan whose tables share their data with the plan's (pandas
    copy-on-write, switched on by :mod:`gridmap.core.requirements`, keeps each side
    intact when the other is edited): O(tables), not O(rows) — what a worker gets to
    read while the user keeps editing.

    >>> from gridmap.core.plan import Plan
    >>> from shapely import box
    >>> p = Plan.new("x", "EPSG:4547", levels="two")
    >>> g = p.add_grid(box(0, 0, 1, 1), "large", name="甲")
    >>> q = shallow_copy(p); p.grids.at[g, "name"] = "乙"
    >>> q.grids.at[g, "name"], p.grids.at[g, "name"]
    ('甲', '乙')
    """
    import dataclasses

    from .plan import TABLES, Plan

    out = object.__new__(Plan)
    for f in dataclasses.fields(Plan):
        setattr(out, f.name, getattr(plan, f.name))
    out.levels = list(plan.levels)
    out.settings = dict(plan.settings)
    for attr, _, _ in TABLES:
        setattr(out, attr, getattr(plan, attr).copy(deep=False))
    return out


class WorkerThread:
    """Runs callables (or objects with ``run()``) one after another in one thread."""

    def __init__(self, name: str = "gridmap-worker"):
        self._q: queue.Queue = queue.Queue()
        self._cv = threading.Condition()
        self._pending = 0
        self._stopped = False
        self._thread = threading.Thread(target=self._loop, name=name, daemon=True)
        self._thread.start()

    def start(self, job) -> None:
        if self._stopped:
            return
        with self._cv:
            self._pending += 1
        self._q.put(job)

    def _loop(self) -> None:
        while True:
            job = self._q.get()
            if job is None:
                break
            try:
                (job.run if hasattr(job, "run") else job)()
            except Exception:  # a job reports its own errors; never kill the thread
                traceback.print_exc()
            finally:
                del job
                with self._cv:
                    self._pending -= 1
                    self._cv.notify_all()

    def pending(self) -> int:
        return self._pending

    def waitForDone(self, msecs: int = -1) -> bool:
        """Wait until every submitted job has run (``msecs`` < 0: no limit)."""
        with self._cv:
            return self._cv.wait_for(lambda: self._pending == 0, None if msecs < 0 else msecs / 1000.0)

    def stop(self, wait_ms: int = 5000) -> None:
        """Finish the queued jobs and end the thread."""
        if self._stopped:
            return
        self._stopped = True
        self._q.put(None)
        if threading.current_thread() is not self._thread:
            self._thread.join(wait_ms / 1000.0)


def rehome_crs(plan, wkt: str) -> list:
    """Give a plan made in another thread CRS objects made in this thread
    (pyproj objects must stay in the thread that made them).  Returns the old
    objects, to be released in their own thread."""
    from pyproj import CRS

    crs = CRS.from_wkt(wkt)
    old = [plan.crs]
    plan.crs = crs
    for attr in ("grids", "segments", "places"):
        df = getattr(plan, attr)
        old.append(df)
        setattr(plan, attr, df.set_crs(crs, allow_override=True))
    return old


class PlanSnapshot:
    """A copy of a plan for a worker thread, so the user can keep editing while it runs.

    Made in the GUI thread (:meth:`Plan.copy` is cheap: pandas copy-on-write shares
    the data until one side changes it); :meth:`take` is called in the worker and
    gives the copy that thread's own pyproj CRS objects (see :func:`rehome_crs`).

    >>> from gridmap.core.plan import Plan
    >>> p = Plan.new("x", "EPSG:4547", admin_code="440306")
    >>> snap = PlanSnapshot(p)
    >>> p.name = "changed"
    >>> snap.take().name, snap.take() is snap.take()
    ('x', True)
    """

    def __init__(self, plan):
        self._plan = plan.copy()
        self._wkt = plan.crs.to_wkt()
        self._taken = False
        self._old: list = []

    def take(self):
        """The snapshot, with CRS objects of the calling thread (call it in the worker)."""
        if not self._taken:
            self._old = rehome_crs(self._plan, self._wkt)
            self._taken = True
        return self._plan
