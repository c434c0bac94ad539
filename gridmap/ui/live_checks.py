"""Live re-checks while editing: the problems dock follows every edit.

A :class:`LiveChecker` keeps a :class:`gridmap.core.checks.session.CheckSession`
of the open plan.  After an edit that only moved grid boundaries the session
re-checks the neighbourhood of the changed grids (``update_many``, in the GUI
thread: milliseconds); after edits of roles, people, units, segments or places
only the attribute rules run again.  Edits arriving together are re-checked
once.

Edits that add or delete grids, change codes, parents or the jurisdiction need
the whole plan checked again (seconds at city scale), and so does the first
edit after a plan is opened.  That runs in a background
:class:`~gridmap.core.workers.WorkerThread`, never in the GUI thread:

* the GUI thread takes a copy of the plan's tables (the plan keeps changing
  while the check runs) and the CRS as WKT text;
* the worker gives the copy CRS objects of its own, builds a new
  ``CheckSession`` on it and hands it back through a queued Qt signal;
* every edit bumps a generation counter.  A result whose plan is no longer
  open is dropped.  A result overtaken by newer edits is dropped too when one
  of those edits needs a whole-plan check again (a new one starts); when the
  newer edits only moved boundaries or changed attributes, the result is kept
  and those edits are re-checked on it incrementally, so it becomes current;
* the session is "re-homed" in the GUI thread before it is used there: its
  metric frame (which holds pyproj objects) is made again from the GUI
  thread's CRS, and the worker's pyproj objects are released in the worker
  (pyproj objects must stay in the thread that made them);
* :attr:`LiveChecker.busyChanged` says when a whole-plan check runs, for the
  problems dock and the status bar ("checking…").

:meth:`LiveChecker.flush` re-checks at once and waits for a background check
to finish (tests, scripts); edits from the UI never wait.
"""

from __future__ import annotations

import gc
import threading
import time
import traceback

import numpy as np
import shapely
from PySide6.QtCore import QObject, Qt, QTimer, Signal

from ..core.workers import Cancelled, WorkerThread, rehome_crs, shallow_copy


def _lang() -> str:
    """The language of the problems list's texts (as the window sets it)."""
    from . import i18n

    return "en" if i18n.current_language() == "en" else "zh"

__all__ = ["LiveChecker"]


class LiveChecker(QObject):
    """Keeps the problems of the open plan current while it is edited."""

    updated = Signal(object, int, int)      # problems (the list's records), added, removed (object: not converted)
    busyChanged = Signal(bool, str)         # a whole-plan check started (True, "") / ended (False, error or "")
    progress = Signal(int)                  # percent of the whole-plan check done (from the worker: queued)
    _arrived = Signal()                     # emitted by the worker: a result waits in the inbox

    def __init__(self, parent=None):
        super().__init__(parent)
        self.enabled = True
        self.plan = None
        self.session = None
        self.last_seconds = 0.0
        self.last_mode = ""                  # "full", "local" or "attributes"
        self.error = ""
        self.generation = 0                  # bumps with every edit and every new plan
        self.dropped = 0                     # background results dropped as stale (for tests, diagnostics)
        self._pending: list = []             # edits the session does not know yet
        self._job = None                     # token of the background check in flight
        self._row_cache = None               # (lang, {id: (problem, record)}): the worker's, see _rows_of
        self._job_kind = ""                  # "full" (whole plan) or "follow" (the edited neighbourhoods)
        self._cancel = threading.Event()
        self.cancelled = 0                   # whole-plan checks cancelled (for tests)
        self._stopped = [0]                  # … that the worker stopped before the end (raised Cancelled)
        self._inbox: list = []
        self._lock = threading.Lock()
        self._worker: WorkerThread | None = None
        self._frozen = False
        #: ``hold()`` true while the window's own follow-up of an edit waits for its turns (the map's
        #: layers, the grid panels, issue 21): the re-check starts after them (:meth:`kick`), so that
        #: the worker does not take Python's GIL from those turns; None: at once
        self.hold = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self._process)
        self._arrived.connect(self._deliver, Qt.ConnectionType.QueuedConnection)

    # ------------------------------------------------------------------ public
    #: plans of at least this many grids are checked as soon as they are open (in the
    #: background, progress in the status bar), so that the first edit is re-checked
    #: around itself instead of waiting for a whole-plan check (issue 21)
    CHECK_AT_OPEN = 20000

    def reset(self, plan) -> None:
        """A new plan is open: forget the old session (the next edit checks in full, or
        a city-scale plan is checked now in the background); a check still running on
        the old plan is dropped when it arrives."""
        self.plan = plan
        self.session = None
        self.generation += 1
        self._pending = []
        self._timer.stop()
        if self._job is not None:
            self._job = None
            self._freeze(False)
            self.busyChanged.emit(False, "")
        if plan is not None and self.enabled and len(plan.grids) >= self.CHECK_AT_OPEN:
            QTimer.singleShot(300, self, lambda p=plan: self.plan is p and self.session is None
                              and self._job is None and self.check_all())   # after the first frame

    def on_edit(self, changes) -> None:
        if not self.enabled or self.plan is None:
            return
        self.generation += 1
        self._pending.append(changes)
        self._timer.start()

    def check_all(self) -> None:
        """Check the whole plan now, in the background (检查 → 运行检查): the one checks path."""
        if self.plan is None:
            return
        self._timer.stop()
        self._pending = []
        self.session = None
        self.generation += 1
        if self._job is None:
            self._start_full()

    @property
    def stopped_early(self) -> int:
        """How many cancelled checks the worker stopped between two steps (not run to the end)."""
        return self._stopped[0]

    def pending(self) -> bool:
        """Whether edits wait to be re-checked (or a whole-plan check runs)."""
        return bool(self._pending) or self._job is not None

    def busy(self) -> bool:
        """Whether a whole-plan check runs in the background."""
        return self._job is not None

    def flush(self, timeout_ms: int = -1) -> bool:
        """Re-check now what the pending edits changed, and wait for a whole-plan
        check to finish (its result is shown before this returns)."""
        self._timer.stop()
        self._process(force=True)
        return self.wait(timeout_ms)

    def kick(self) -> None:
        """The window's follow-up of the last edits is done: re-check what waits."""
        if self._pending:
            self._timer.start()

    def wait(self, timeout_ms: int = -1) -> bool:
        """Wait for the background check (and any it leads to) to be delivered."""
        while self._job is not None:
            if self._worker is None or not self._worker.waitForDone(timeout_ms):
                return False
            self._deliver()
        return True

    def shutdown(self) -> None:
        """End the worker thread (the window closes); a check running in it stops at its next step."""
        self._cancel.set()
        self._job = None
        self._freeze(False)
        if self._worker is not None:
            self._worker.stop()
            self._worker = None

    def cancel(self) -> bool:
        """Stop the whole-plan check that runs (the status bar's ✕): its result is dropped
        at once and the worker stops at its next step.  The problems list keeps what it
        showed; the next edit or 检查 → 运行检查 checks again.  Returns whether a check ran."""
        if self._job is None:
            return False
        self._cancel.set()
        self._job = None
        self.session = None                   # (a session being followed in the worker is not used again)
        self._pending = []
        self._freeze(False)
        self.cancelled += 1
        self.busyChanged.emit(False, "")
        return True

    # ------------------------------------------------------------------ internals
    def _process(self, force: bool = False) -> None:
        """Re-check the pending edits: boundary moves here (milliseconds), everything else
        incrementally in the worker (added/removed grids, attributes), the whole plan only
        when the session cannot follow the edit (the first edit, the jurisdiction …).
        While :attr:`hold` says so (and not ``force``), nothing starts: :meth:`kick` later."""
        self._timer.stop()
        if not self._pending or self.plan is None or self._job is not None:
            return                               # a running check takes them when it arrives
        if not force and self.hold is not None and self.hold():
            return
        plan = self.plan
        s = self.session
        if s is None or any(_structural(c) for c in self._pending):
            self._pending = []
            self._start_full()
            return
        local = all(c.geometry_only for c in self._pending)
        if local and s.grid_ids != {int(i) for i in plan.grids.index}:
            local = False
        if not local:
            pending, self._pending = self._pending, []
            ids, segs = set(), set()
            for c in pending:
                ids |= {int(g) for g in c.grids}
                tc = c.per_table.get("segments")
                if tc:
                    segs |= {int(i) for i in tc.ids}
            self._start_follow(ids, segs, related_of(pending, plan))
            return
        pending, self._pending = self._pending, []
        t0 = time.perf_counter()
        added = removed = 0
        try:
            geo = set()
            for c in pending:
                geo |= {g for g in c.grids if g in plan.grids.index}
            if geo:
                d = s.update_many({g: plan.grids.geometry[g] for g in geo})
                added, removed = len(d.added), len(d.removed)
            self.last_mode = "local"
            self.error = ""
        except Exception as exc:  # a failed re-check must not break editing
            traceback.print_exc()
            self.error = f"{type(exc).__name__}: {exc}"
            self.session = None
            return
        self.last_seconds = time.perf_counter() - t0
        self.updated.emit(self._rows_of(s.problems, _lang()), added, removed)   # (no job in flight)

    def _begin(self, kind: str):
        token = (object(), self.generation)
        self._job = token
        self._job_kind = kind
        self._cancel = threading.Event()
        if self._worker is None:
            self._worker = WorkerThread("gridmap-live-checks")
        self._freeze(True)
        if kind == "full":
            self.busyChanged.emit(True, "")
        return token

    def _start_full(self) -> None:
        """Check a copy of the plan in full in the worker thread (progress and cancel:
        :attr:`progress`, :meth:`cancel`)."""
        from ..core.checks.session import CheckSession

        plan = self.plan
        snapshot = [shallow_copy(plan)]          # tables shared copy-on-write: no copy of the rows
        wkt = plan.crs.to_wkt()
        token = self._begin("full")
        inbox, lock, arrived, cancel = self._inbox, self._lock, self._arrived, self._cancel
        progress, stopped = self.progress.emit, self._stopped
        rows_of, lang = self._rows_of, _lang()

        def work():
            t0 = time.perf_counter()
            rec = {"token": token, "session": None, "error": None, "kind": "full"}
            copy = snapshot.pop()
            rec["old"] = rehome_crs(copy, wkt)     # this thread's own CRS objects
            try:
                rec["session"] = CheckSession(copy, cancelled=cancel.is_set, progress=progress)
                rec["rows"] = rows_of(rec["session"].problems, lang)      # the list's records, made here
            except Cancelled:
                rec["cancelled"] = True
                stopped[0] += 1
            except Exception as exc:
                traceback.print_exc()
                rec["error"] = f"{type(exc).__name__}: {exc}"
            del copy
            rec["seconds"] = time.perf_counter() - t0
            with lock:
                inbox.append(rec)
            arrived.emit()

        self._worker.start(work)

    def _start_follow(self, ids: set, segments: set, related=None) -> None:
        """Re-check the neighbourhoods of the grids an edit added, removed or changed, and
        the attribute rules, in the worker (:meth:`CheckSession.follow`) on a copy of the
        plan; the session is the worker's until the result is delivered.  If the session
        cannot follow the edit, the worker checks the whole plan instead."""
        from ..core.checks.session import CheckSession

        plan = self.plan
        session = self.session
        snapshot = [shallow_copy(plan)]
        wkt = plan.crs.to_wkt()
        token = self._begin("follow")
        inbox, lock, arrived, cancel = self._inbox, self._lock, self._arrived, self._cancel
        rows_of, lang = self._rows_of, _lang()

        def work():
            from ..core.checks.metric import MetricFrame

            t0 = time.perf_counter()
            rec = {"token": token, "session": None, "error": None, "kind": "follow"}
            copy = snapshot.pop()
            rec["old"] = rehome_crs(copy, wkt)
            gui = (session.frame, session.result.frame, session.plan)
            frame = MetricFrame.for_data(np.array([shapely.Point(gui[0].origin)], dtype=object), copy.crs)
            session.frame = session.result.frame = frame
            try:
                delta = session.follow(copy, ids, segments=segments, related=related)
                if delta is None:
                    rec["session"] = CheckSession(copy, cancelled=cancel.is_set)
                    rec["kind"] = "full"
                    rec["rows"] = rows_of(rec["session"].problems, lang)
                else:
                    rec["delta"] = (len(delta.added), len(delta.removed))
                    rec["rows"] = rows_of(session.problems, lang)
            except Cancelled:
                rec["cancelled"] = True
            except Exception as exc:
                traceback.print_exc()
                rec["error"] = f"{type(exc).__name__}: {exc}"
            finally:
                session.frame, session.result.frame, session.plan = gui   # back to the GUI thread's objects
            del copy, frame
            rec["seconds"] = time.perf_counter() - t0
            with lock:
                inbox.append(rec)
            arrived.emit()

        self._worker.start(work)

    def _deliver(self) -> None:
        """A background check arrived (GUI thread): adopt it, or drop it if stale.

        The worker's objects are only ever held in ``rec`` here, so that
        :meth:`_dispose` can hand the last reference back to the worker."""
        with self._lock:
            items, self._inbox[:] = list(self._inbox), []
        while items:
            rec = items.pop(0)
            rec["old"].clear()                   # GUI-thread CRS objects, released here
            if rec["token"] is not self._job:    # the plan was closed or replaced, or the check cancelled
                self.dropped += 1
                self._dispose(rec, "session")
                continue
            self._job = None
            self._freeze(False)
            was_full = self._job_kind == "full"
            if rec.get("cancelled"):
                self.session = None
                if was_full:
                    self.busyChanged.emit(False, "")
                continue
            if rec["error"] is not None:
                self.error = rec["error"]
                self.session = None
                self.busyChanged.emit(False, self.error)
                continue
            plan = self.plan
            stale = rec["token"][1] != self.generation
            if rec["kind"] == "follow":          # the session itself was brought up to date
                self.error = ""
                self.last_mode = "follow"
                self.last_seconds = rec["seconds"]
                if stale:
                    self._process()              # newer edits: on to them
                else:
                    a, r = rec["delta"]
                    self.updated.emit(rec.get("rows") or self.session.problems, a, r)
                continue
            if stale and any(_structural(c) for c in self._pending):
                # newer edits need another whole-plan check: this result is not shown
                self.dropped += 1
                self._dispose(rec, "session")
                self.busyChanged.emit(False, "")
                self._process()
                continue
            try:
                rec["junk"] = _adopt(rec["session"], plan)
            except Exception as exc:
                traceback.print_exc()
                self.error = f"{type(exc).__name__}: {exc}"
                self.session = None
                self._dispose(rec, "session")
                self.busyChanged.emit(False, self.error)
                continue
            self._dispose(rec, "junk")
            self.session = rec.pop("session")
            self.error = ""
            self.last_mode = "full"
            self.last_seconds = rec["seconds"]
            self.busyChanged.emit(False, "")
            if stale:                            # newer edits: re-check them on it
                self._process()
            else:
                self.updated.emit(rec.get("rows") or self.session.problems, 0, 0)

    def _rows_of(self, problems, lang: str):
        """The problems list's records of ``problems`` (in the worker thread, or here when no job is
        in flight: one user of this cache at a time): a problem the check kept (the same object) keeps its record, only new
        ones are made — 300,000 problems of a city and an edit that changes three."""
        from .problems import Normalised, normalise_problems

        cache = self._row_cache if self._row_cache is not None and self._row_cache[0] == lang else (lang, {})
        old, rows = cache[1], {}
        out = Normalised()
        fresh = []
        for k, p in enumerate(problems):
            hit = old.get(id(p))
            if hit is not None and hit[0] is p:
                out.append(hit[1])
            else:
                out.append(None)
                fresh.append(k)
            rows[id(p)] = (p, out[-1])
        for k, r in zip(fresh, normalise_problems([problems[k] for k in fresh], lang)):
            out[k] = r
            rows[id(problems[k])] = (problems[k], r)
        self._row_cache = (lang, rows)
        # what the GUI thread would do next with 300,000 records, done here: each row's key, the
        # list's order (errors first, stable) and the map's marks grouped by severity (a new record's
        # mark made once: ProblemMarks keeps "_mark")
        from .problem_marks import mark_groups
        from .problems import RANK, _row_key

        for k in fresh:
            _row_key(out[k])
        ranked = Normalised(sorted(out, key=lambda r: RANK.get(r["severity"], 3)))
        ranked.ranked = True
        ranked.row_keys = [r["_key"] for r in ranked]
        ranked.errors = sum(r["severity"] == "error" for r in ranked)
        ranked.marks = mark_groups(ranked)
        return ranked

    def _freeze(self, on: bool) -> None:
        """While a whole-plan check runs, keep the objects that existed before it out of
        Python's cyclic garbage collector (``gc.freeze``).  A full collection holds the
        GIL for as long as it walks every object (~0.2 s with a plan and the UI loaded);
        the check allocates enough to trigger one, and the GUI thread would stop for that
        long.  Unfrozen again when the check is delivered or dropped."""
        if on and not self._frozen:
            gc.freeze()
            self._frozen = True
        elif not on and self._frozen:
            gc.unfreeze()
            self._frozen = False

    def _dispose(self, rec: dict, key: str) -> None:
        """Release ``rec[key]`` (made in the worker thread) in that thread: the
        reference moves into the job before the job is queued."""
        holder = [rec.pop(key, None)]
        if self._worker is None:
            holder.clear()
            return
        self._worker.start(holder.clear)


def _adopt(session, plan) -> list:
    """Make a session built in the worker usable in the GUI thread: its metric frame
    made again from ``plan``'s CRS (same origin and scale), and ``plan`` (the open,
    live plan) as the plan it reads attributes from.  Returns the worker's objects
    to be released in the worker."""
    from ..core.checks.metric import MetricFrame

    old = session.frame
    frame = MetricFrame.for_data(np.array([shapely.Point(old.origin)], dtype=object), plan.crs)
    if frame.origin != old.origin or frame.scale != old.scale or frame.geographic != old.geographic:
        raise RuntimeError("the metric frame could not be made again in the GUI thread")
    worker_objects = [old, session.result.crs, session.plan]
    session.frame = frame
    session.result.frame = frame
    session.result.crs = plan.crs
    session.plan = plan
    return worker_objects


#: the tables whose row edits the attribute rules can follow row by row (anything else —
#: settings, levels, a whole table replaced — re-runs them over the plan)
_FOLLOWED_TABLES = {"grids", "segments", "places", "people", "roles", "units"}


def related_of(pending, plan):
    """What the attribute rules of :meth:`CheckSession.follow` must re-check besides the
    grids of some edits: the people, units and roles they touched and the grids of those
    roles before and after (read from the edits' own commands); None when an edit is not
    a row edit of the tables followed (the rules then run over the whole plan)."""
    from ..core.editing.changes import leaf_commands, touched_values
    from ..core.editing.commands import ReplaceTable

    out = {"people": set(), "units": set(), "roles": set(), "role_grids": set()}
    for c in pending:
        if set(c.per_table) - _FOLLOWED_TABLES:
            return None
        if any(isinstance(x, ReplaceTable) and x.table in ("grids", "people", "roles", "units")
               for x in leaf_commands(c.command)):
            return None
        for t, key in (("people", "people"), ("units", "units"), ("roles", "roles")):
            tc = c.per_table.get(t)
            if tc:
                out[key] |= {int(i) for i in tc.ids}
        if c.per_table.get("roles"):
            out["role_grids"] |= {int(v) for v in touched_values(c, "roles", "grid", plan)}
            out["people"] |= {int(v) for v in touched_values(c, "roles", "person", plan)}
            out["units"] |= {int(v) for v in touched_values(c, "roles", "unit", plan)}
        if c.per_table.get("people"):
            out["units"] |= {int(v) for v in touched_values(c, "people", "unit", plan)}
    return out


def _structural(changes) -> bool:
    """Whether an edit needs a whole-plan check: the jurisdiction changed, or a whole
    grid table was replaced (an import).  Grids added, removed, re-coded or edited are
    followed by :meth:`CheckSession.follow` (which asks for a whole-plan check itself
    when it cannot follow, e.g. a grid moved to another parent)."""
    from ..core.editing.changes import leaf_commands
    from ..core.editing.commands import ReplaceTable

    if changes.jurisdiction:
        return True
    if "grids" in changes.tables and any(isinstance(c, ReplaceTable) and c.table == "grids"
                                         for c in leaf_commands(changes.command)):
        return True
    return False
