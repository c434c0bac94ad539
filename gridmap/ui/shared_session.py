"""The window editing a shared plan on PostgreSQL/PostGIS (opened from a ``postgresql://`` URL).

:class:`SharedSession` ties a window's document to the server plan it came from:

* **every step is a transaction**: each push, undo and redo of the document's edit buffer is
  serialised (:mod:`gridmap.core.editing.changeset`) with a copy-on-write view of the plan as it
  was right after the step, and committed by :func:`gridmap.core.storage.shared.commit` in one
  worker thread, in order, one at a time (the window stays responsive).  Nothing is left for
  "Save" to write.
* **a conflict is never silent**: when the server says another planner changed a row the step
  locks (:class:`~gridmap.core.storage.shared.EditConflict`), the queue stops, the map draws both
  versions and :class:`~gridmap.ui.shared_conflict.ConflictDialog` says whose change it was, when
  and what, and offers 重新载入并重做 (reload, then re-apply the step if it still fits) or
  放弃我的修改 (take it back locally, reload).
* **others' edits arrive by themselves**: a second thread LISTENs on ``gridmap_<schema>``
  (its own connection); a notification queues a pull, whose rows are brought into the plan as one
  core command and reported through the same :class:`~gridmap.core.editing.changes.Changes`
  path as an edit (canvas, lists and live checks update for those rows only).  A pull is brought
  in only when no own step waits to be committed (so a step is always committed against the
  rows it was made on).
* **permissions are visible**: the session asks the server what this user may edit
  (:func:`gridmap.core.storage.permissions.my_access`) and refuses an edit outside the area in
  the edit buffer (:attr:`~gridmap.core.editing.buffer.EditBuffer.permit`: the refusal banner,
  before anything is sent); a viewer gets a read-only window; the grids a planner may not change
  are hatched on the map.
"""

from __future__ import annotations

import queue
import threading
import traceback
from collections import deque

import numpy as np
from PySide6.QtCore import QCoreApplication, QElapsedTimer, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QLabel

from ..core.editing.changeset import ChangesetConflict, apply_changeset, changeset, command_from
from ..core.editing.geometry import EditError
from ..core.plan import PlanError
from ..core.storage.base import StoreError

__all__ = ["SharedSession", "PlanView", "attach", "session_of"]

_VIEW_TABLES = ("grids", "units", "people", "roles", "segments", "places", "base_layers",
                "assess_items", "assess_scores", "ledger", "survey")


class PlanView:
    """The plan's tables as they are now (pandas copy-on-write: later edits of the plan do not
    change them): what a step commits, made when the step is made."""

    def __init__(self, plan):
        from ..core.storage.postgis import _ORIGIN, origin_of

        for t in _VIEW_TABLES:
            setattr(self, t, getattr(plan, t).copy(deep=False))
        self.settings = dict(plan.settings)
        self.jurisdiction = plan.jurisdiction
        self.name, self.admin_code, self.crs = plan.name, plan.admin_code, plan.crs
        self.levels = list(plan.levels)
        self.level_keys = [lv.key for lv in plan.levels]
        setattr(self, _ORIGIN, origin_of(plan))


class _VersionsView:
    """The plan's versions table as it is now, with the server it came from (for save_versions)."""

    def __init__(self, plan):
        from ..core.storage.postgis import _ORIGIN, origin_of

        v = getattr(plan, "versions", None)
        self.versions = None if v is None else v.copy()
        setattr(self, _ORIGIN, origin_of(plan))


class _Job:
    def __init__(self, kind: str, **kw):
        self.kind = kind
        self.cs = kw.get("cs")
        self.view = kw.get("view")
        self.event = kw.get("event")          # (how, core command)
        self.origin = kw.get("origin")        # the server plan (pull, access)
        self.last_seq = 0
        self.then = []                        # called after a pull is brought in


class _Bridge(QObject):
    """Carries results from the threads into the GUI thread (queued signals)."""

    result = Signal(object, object)          # job, (status, value, extra)
    notified = Signal(str)


class _Worker(threading.Thread):
    """Commits and pulls, one at a time, on one connection of its own."""

    def __init__(self, url: str, bridge: _Bridge):
        super().__init__(name="gridmap-shared", daemon=True)
        self.url, self.bridge = url, bridge
        self.jobs: queue.Queue = queue.Queue()
        self.conn = None

    def _connection(self):
        from ..core.storage.postgis import connect

        if self.conn is None or self.conn.closed or self.conn.broken:
            if self.conn is not None:
                try:
                    self.conn.close()
                except Exception:  # noqa: BLE001 - a broken connection is dropped either way
                    pass
            self.conn = connect(self.url, autocommit=True, application_name="gridmap")
        return self.conn

    def run(self) -> None:
        while True:
            job = self.jobs.get()
            if job is None:
                break
            try:
                out = self._do(job)
            except Exception as exc:  # reported to the user as one line, never a traceback dialog
                if not isinstance(exc, StoreError):
                    traceback.print_exc()
                out = ("error", str(exc) or type(exc).__name__, None)
            self.bridge.result.emit(job, out)
        if self.conn is not None:
            self.conn.close()

    def _do(self, job: _Job):
        from ..core.storage.permissions import my_access
        from ..core.storage.postgis import origin_of, read_rows
        from ..core.storage.shared import EditConflict, commit, fetch_changes, touched_rows

        conn = self._connection()
        if job.kind == "access":
            return ("ok", my_access(conn, job.origin.schema), None)
        if job.kind == "pull":
            return ("ok", fetch_changes(conn, job.origin.schema, job.last_seq), None)
        if job.kind == "versions":
            from ..core.storage.postgis import save_versions

            save_versions(job.view)
            return ("ok", None, None)
        try:
            seq = commit(job.view, job.cs, conn=conn, author=job.cs.get("author") or None)
        except EditConflict as exc:
            origin = origin_of(job.view)
            grids = sorted({int(k.split(":")[1]) for k in exc.rows if k.startswith("grids:")}
                           | {int(i) for t, i in touched_rows(job.cs) if t == "grids"})
            server, _ = read_rows(conn, origin.schema, "grids", "WHERE id = ANY(%s)", (grids,))
            return ("conflict", exc, server)
        except StoreError as exc:
            refused = "InsufficientPrivilege" in repr(exc.__cause__) or "outside your assigned area" in str(exc)
            return ("refused" if refused else "error", str(exc), None)
        return ("ok", seq, None)


class _Listener(threading.Thread):
    """LISTEN on the plan's channel with a connection of its own; every notification goes to
    the GUI thread.  Reconnects after a lost connection until stopped."""

    def __init__(self, url: str, channel: str, bridge: _Bridge):
        super().__init__(name="gridmap-listen", daemon=True)
        self.url, self.channel, self.bridge = url, channel, bridge
        self.stop = threading.Event()
        self.listening = threading.Event()

    def run(self) -> None:
        import psycopg
        from psycopg import sql

        from ..core.storage.postgis import parse_url

        conninfo, _ = parse_url(self.url)
        while not self.stop.is_set():
            try:
                with psycopg.connect(conninfo, autocommit=True, connect_timeout=10,
                                     application_name="gridmap-listen") as conn:
                    conn.execute(sql.SQL("LISTEN {}").format(sql.Identifier(self.channel)))
                    self.listening.set()
                    while not self.stop.is_set():
                        for n in conn.notifies(timeout=0.25):
                            self.bridge.notified.emit(n.payload)
            except psycopg.Error:
                self.listening.clear()
                self.stop.wait(1.0)


def _reshapes_grids(cmd) -> bool:
    """Whether a step changes grid outlines (adds, deletes or reshapes grids): only then do the grids
    touching it matter to an undo."""
    from ..core.editing.changes import leaf_commands
    from ..core.editing.commands import AddRow, DeleteRow, SetGeometries

    return any(isinstance(c, (SetGeometries, AddRow, DeleteRow)) and getattr(c, "table", "") == "grids"
               for c in leaf_commands(cmd))


def session_of(window) -> "SharedSession | None":
    s = getattr(window, "shared", None)
    return s if s is not None and s.document is window.document else None


def attach(window, doc) -> "SharedSession | None":
    """Called when the window shows a document: end the session of the previous one, start one
    when this plan came from a server."""
    import sys

    old = getattr(window, "shared", None)
    if old is not None:
        old.close()
        window.shared = None
    if doc is None or "gridmap.core.storage.postgis" not in sys.modules:
        return None      # (no plan came from a server: its store was never imported — and is not now, 0.1 s)
    from ..core.storage.postgis import origin_of

    if origin_of(doc.plan) is None:
        return None
    window.shared = SharedSession(window, doc)
    return window.shared


class SharedSession(QObject):
    """One window's document on a server plan (see the module docstring)."""

    changed = Signal()               # status changed (queue, conflict, access)
    pulled = Signal(object)          # Changes brought in from others
    conflict = Signal(object)        # the ConflictDialog shown

    def __init__(self, window, doc):
        super().__init__(window)
        from PySide6.QtCore import QSettings

        from ..core.storage.postgis import _shown, default_author, origin_of, parse_url

        self.window, self.document = window, doc
        self.origin = origin_of(doc.plan)
        self.url = self.origin.url
        self.shown = _shown(self.url)
        conninfo, _ = parse_url(self.url)
        from psycopg.conninfo import conninfo_to_dict

        info = conninfo_to_dict(conninfo)
        self.db_user = str(info.get("user") or "")
        self.server = f"{info.get('host') or 'localhost'}:{info.get('port') or 5432}/{info.get('dbname') or ''}"
        self.author = str(QSettings().value("shared/author", "") or "") or (
            f"{self.db_user}@{default_author().split('@')[-1]}" if self.db_user else default_author())
        self.kind: str | None = None     # owner / reviewer / planner / viewer once known
        self.areas: set[int] = set()
        self.jobs: deque = deque()
        self.in_flight: _Job | None = None
        self.paused = False
        self.unconfirmed: list[_Job] = []
        self.committed = 0               # steps committed by this window
        self.versions_saved = 0          # version-table writes to the server by this window
        self.pulls = 0                   # pulls that brought others' rows in (the pull generation)
        self.arrived: dict = {}          # (table, id) -> (generation, who, when, what) of others' last change
        self.own_seqs: set[int] = set()
        self.last_error = ""
        self.conflict_dialog = None
        self.error_box = None
        self.overlay = None              # (mine, server) outlines of a conflict, GeomArrays
        self._quiet = 0
        self._closed = False
        self._shade_cache = None
        self._last_view = PlanView(doc.plan)   # the plan as of the last step or pull (what an undo starts from)
        self.bridge = _Bridge()
        self.bridge.result.connect(self._on_result, Qt.ConnectionType.QueuedConnection)
        self.bridge.notified.connect(self._on_notify, Qt.ConnectionType.QueuedConnection)
        self.worker = _Worker(self.url, self.bridge)
        self.worker.start()
        self.listener = _Listener(self.url, f"gridmap_{self.origin.schema}", self.bridge)
        self.listener.start()
        self._unsubscribe = doc.buffer.subscribe(self._on_buffer)
        doc.buffer.permit = self._permit
        self.label = QLabel(window)
        self.label.setObjectName("shared_status")
        window.status.addPermanentWidget(self.label)
        window.canvas.overlays.append(self._paint)
        self._submit(_Job("access", origin=self.origin))
        self._show_status()

    # ------------------------------------------------------------------ state
    def idle(self) -> bool:
        """Nothing waits to be committed or pulled, no conflict is open."""
        return self.in_flight is None and not self.jobs and not self.paused and not self.unconfirmed

    def pending(self) -> int:
        """Steps not yet committed (queued, in flight, or held by a conflict)."""
        n = sum(1 for j in self.jobs if j.kind == "commit") + len(self.unconfirmed)
        return n + (1 if self.in_flight is not None and self.in_flight.kind == "commit" else 0)

    def wait_idle(self, timeout_ms: int = 30000) -> bool:
        """Process events until every step is committed (closing the window, tests)."""
        t = QElapsedTimer()
        t.start()
        while not self.idle() and t.elapsed() < timeout_ms:
            QCoreApplication.processEvents()
            if not self.idle():
                self.worker.join(0.005)
        return self.idle()

    def where(self) -> str:
        """What the title shows: the server and the user."""
        return self.tr("shared on %1 as %2").replace("%1", f"{self.server}?schema={self.origin.schema}").replace(
            "%2", self.db_user or "?")

    def kind_text(self) -> str:
        return {"owner": self.tr("owner (may edit everything)"), "reviewer": self.tr("reviewer (may edit everything)"),
                "planner": self.tr("planner"), "viewer": self.tr("viewer (read-only)")}.get(self.kind or "", "…")

    def _show_status(self) -> None:
        if self._closed:
            return
        who = f"{self.db_user}@{self.server}"
        kind = self.kind_text()
        if self.kind == "planner":
            kind += self.tr(", %n grid area(s)", "", len(self.areas))
        if self.paused and self.unconfirmed:
            state = self.tr("conflict: not committed")
        elif self.pending():
            state = self.tr("committing %n step(s)…", "", self.pending())
        else:
            state = self.tr("all changes on the server")
        self.label.setText(self.tr("Shared: %1 · %2 · %3").replace("%1", who).replace("%2", kind).replace("%3", state))
        if self.kind == "planner":
            grids = self.document.plan.grids
            names = [f"{grids.at[a, 'code']} {grids.at[a, 'name']}".strip() for a in sorted(self.areas)
                     if a in grids.index]
            self.label.setToolTip(self.tr("You may edit the grids under: %1 (the others are hatched on the map)")
                                  .replace("%1", "、".join(names) or "—"))
        self.changed.emit()

    # ------------------------------------------------------------------ permissions
    def _permit(self, command, before, plan):
        if self.kind is None:
            return None                  # not known yet: the database still decides
        from ..core.storage.permissions import edit_refusal

        return edit_refusal(self.kind, self.areas, command, before, plan)

    #: the window's actions that change the plan (off for a viewer)
    EDIT_ACTIONS = ("draw_grid", "vertex", "split", "split_road", "reshape", "move_boundary", "pick_segment", "merge",
                    "delete_grids", "batch_assign", "split_roads", "load_places", "propose_grids", "import_file")

    def restrict_actions(self) -> None:
        if self.kind == "viewer":
            for a in self.EDIT_ACTIONS:
                if a in self.window.actions:
                    self.window.actions[a].setEnabled(False)

    def editable(self, grid_id: int) -> bool:
        from ..core.storage.permissions import grid_editable

        if self.kind in ("owner", "reviewer"):
            return True
        if self.kind != "planner":
            return False
        return grid_editable(self.document.plan.grids, int(grid_id), self.areas)

    # ------------------------------------------------------------------ the edit buffer's steps
    def _on_buffer(self, changes) -> None:
        if self._quiet or changes.how == "pull" or self._closed:
            return
        self._shade_cache = None
        cmd = changes.command
        if getattr(cmd, "table", None) == "versions":       # 保存/删除版本: the server's versions table
            self._queue_versions(changes.how, cmd)
            return
        try:
            cs = changeset(cmd, how=changes.how, author=self.author)
        except TypeError as exc:      # a kind of step a shared plan cannot record: take it back
            from .editing import bilingual

            msg = self.tr("This change cannot be committed to the shared plan and was taken back: %1").replace(
                "%1", bilingual(str(getattr(cmd, "text", "") or exc), self.window.edit.lang()))
            QTimer.singleShot(0, lambda: self._take_back([(changes.how, cmd)], msg))
            return
        if changes.how in ("undo", "redo"):
            why = self._overtaken(cmd, cs)
            if why:                   # another planner changed this place since the step: never undo over it
                before = self._last_view
                QTimer.singleShot(0, lambda: self._take_back([(changes.how, cmd)], why, before))
                return
        cmd._shared_generation = self.pulls          # the step is made on the plan as of this pull
        self._last_view = PlanView(self.document.plan)
        self.jobs.append(_Job("commit", cs=cs, view=self._last_view, event=(changes.how, cmd)))
        self._dispatch()
        self._show_status()

    def _queue_versions(self, how: str, cmd) -> None:
        """A version saved, deleted or restored-away (one undo step) is written to the server's versions
        table by :func:`~gridmap.core.storage.postgis.save_versions` in the worker, in turn with the steps
        (one locked transaction; refused when someone changed the versions meanwhile). Reviewers only, as
        the database's row-level security says: a planner's is taken back before trying."""
        if self.kind not in (None, "owner", "reviewer"):
            msg = self.tr("Only a reviewer may save or delete versions of the shared plan; the change was taken back.")
            QTimer.singleShot(0, lambda: self._take_back([(how, cmd)], msg))
            return
        self._last_view = PlanView(self.document.plan)
        self.jobs.append(_Job("versions", view=_VersionsView(self.document.plan), event=(how, cmd)))
        self._dispatch()
        self._show_status()

    def _overtaken(self, cmd, cs) -> str:
        """Why undoing/redoing ``cmd`` would overwrite another planner's later change ("" when it would not):
        a row it sets, or a grid touching the grids it reshapes, was changed by someone else after the step."""
        import shapely

        from ..core.storage.shared import touched_rows

        since = getattr(cmd, "_shared_generation", 0)
        later = {k: v for k, v in self.arrived.items() if v[0] > since}
        if not later:
            return ""
        touched = touched_rows(cs)
        hit = next((k for k in touched if k in later), None)
        if hit is not None:
            try:          # the same rows, but do the cells this step sets still hold what it left? (the row is
                apply_changeset(PlanView(self._last_view), cs, check=True)   # written whole: theirs stay)
                hit = None
            except (ChangesetConflict, PlanError):
                pass
        if hit is None and _reshapes_grids(cmd):
            grids = self.document.plan.grids
            mine = [grids.geometry[i] for t, i in touched if t == "grids" and i in grids.index]
            if mine:
                area = shapely.union_all(mine)
                hit = next((k for k in later if k[0] == "grids" and k not in touched and k[1] in grids.index
                            and shapely.intersects(grids.geometry[k[1]], area)), None)
        if hit is None:
            return ""
        _, who, when, what = later[hit]
        how = self.tr("undo") if cs.get("how") == "undo" else self.tr("redo")
        return self.tr("Cannot %1 “%2”: %3 changed the same place at %4 (“%5”) after it; it would be "
                       "overwritten.").replace("%1", how).replace("%2", cs.get("text", "")).replace(
            "%3", who).replace("%4", when).replace("%5", what)

    def _take_back(self, events, message: str, before: PlanView | None = None) -> None:
        """Take local steps back (without committing); with ``before``, the plan ends exactly as it was then
        (a redo re-applies the step's own values, which may not be what others brought in since)."""
        if self._revert(events) and before is not None:
            plan = self.document.plan
            for t in _VIEW_TABLES:
                setattr(plan, t, getattr(before, t).copy(deep=False))
            plan.settings = dict(before.settings)
            plan.jurisdiction = before.jurisdiction
            self._last_view = PlanView(plan)
            self.document.buffer._notify(events[-1][1], "pull")      # redraw those rows as they are now
        self.window.edit.last_error = message
        self.window.edit.refused.emit(message)

    def _revert(self, events) -> bool:
        """Undo/redo the given steps locally without committing (newest first); False when the
        history no longer allows it."""
        doc, buf = self.document, self.document.buffer
        self._quiet += 1
        try:
            for how, cmd in reversed(events):
                if how in ("push", "redo"):
                    if not (buf.index > 0 and buf.commands[buf.index - 1] is cmd):
                        return False
                    doc.undo()
                else:
                    if not (buf.index < len(buf.commands) and buf.commands[buf.index] is cmd):
                        return False
                    doc.redo()
        finally:
            self._quiet -= 1
            self._last_view = PlanView(doc.plan)
        return True

    # ------------------------------------------------------------------ the queue
    def _submit(self, job: _Job) -> None:
        self.worker.jobs.put(job)

    def _dispatch(self) -> None:
        if self._closed or self.in_flight is not None or self.paused or not self.jobs:
            return
        job = self.jobs.popleft()
        if job.kind == "pull":
            job.last_seq = self.origin.last_seq
            job.origin = self.origin
        self.in_flight = job
        self._submit(job)

    def request_pull(self, then=None) -> None:
        """Bring in what others committed (queued after the steps waiting to be committed)."""
        job = next((j for j in self.jobs if j.kind == "pull"), None)
        if job is None:
            job = _Job("pull")
            self.jobs.append(job)
        if then is not None:
            job.then.append(then)
        self._dispatch()

    def _on_notify(self, payload: str) -> None:
        if self._closed:
            return
        try:
            seq = int(payload)
        except ValueError:
            seq = None
        if seq is not None and (seq <= self.origin.last_seq or seq in self.own_seqs):
            return
        self.request_pull()

    def _on_result(self, job: _Job, out) -> None:
        if self._closed:
            return
        status, value, extra = out
        if job.kind == "access":
            if status == "ok":
                self.kind, self.areas = value
                self._shade_cache = None
                if self.kind == "viewer":
                    self.document.read_only = True
                    self.window.update_actions()
                    self.window._update_title()
                self.window.canvas.update()
            else:
                self.last_error = value
            self._show_status()
            return
        self.in_flight = None
        if job.kind == "versions":
            if status == "ok":
                self.window.status.showMessage(self.tr("The plan's versions are saved on the server."), 8000)
                self.versions_saved += 1
            else:
                self._take_back([job.event], value)
            self._dispatch()
            self._mark_clean()
            self._show_status()
            return
        if job.kind == "pull":
            if status != "ok":
                self.last_error = value
                self.window.status.showMessage(value, 10000)
                for f in job.then:
                    f(False)
            elif any(j.kind == "commit" for j in self.jobs):
                # own steps were made meanwhile on the rows as they were: commit them first, then pull again
                again = next((j for j in self.jobs if j.kind == "pull"), None)
                if again is None:
                    self.jobs.append(job)
                else:
                    again.then.extend(job.then)
            else:
                self._bring_in(value)
                for f in job.then:
                    f(True)
        elif status == "ok":
            self.committed += 1
            self.own_seqs.add(int(value))
            if int(value) == self.origin.last_seq + 1:
                self.origin.last_seq = int(value)
        else:
            self.paused = True
            self.unconfirmed = [job] + [j for j in self.jobs if j.kind == "commit"]
            self.jobs = deque(j for j in self.jobs if j.kind != "commit")
            if status == "conflict":
                self._show_conflict(job, value, extra)
            elif status == "refused":
                self._refused(value)
            else:
                self._failed(value)
        self._dispatch()
        self._mark_clean()
        self._show_status()

    def _mark_clean(self) -> None:
        """Every step is on the server: nothing for Save (or closing) to ask about."""
        if self.idle() and self.document.buffer.dirty:
            doc = self.document
            doc.buffer.set_clean()
            doc.undo_stack.setClean()
            doc._emit_dirty()

    def _bring_in(self, fetched) -> None:
        """Others' rows into the plan, reported like an edit (only those rows are redrawn and re-checked)."""
        from ..core.editing.changes import changes_of
        from ..core.storage.shared import apply_changes

        who = sorted({e[1] for e in fetched["entries"] if int(e[0]) not in self.own_seqs})
        text = self.tr("From the server: %1").replace("%1", "、".join(who))
        doc = self.document
        try:
            command, _ = apply_changes(doc.plan, fetched, text)
        except (PlanError, ValueError, KeyError) as exc:
            traceback.print_exc()
            self.window.status.showMessage(str(exc), 15000)
            return
        if command is None:
            return
        self.pulls += 1
        self._last_view = PlanView(doc.plan)
        for seq, who_, when, what, rows in fetched["entries"]:
            if int(seq) not in self.own_seqs:
                for k in rows:
                    t, i = k.split(":", 1)
                    self.arrived[(t, i if t == "settings" else int(i))] = (self.pulls, who_, when, what)
        self._shade_cache = None
        doc.buffer._notify(command, "pull")         # the listeners of the edit buffer: canvas, lists, checks
        changes = changes_of(command, "pull")
        self.pulled.emit(changes)
        if who:
            texts = "；".join(dict.fromkeys(str(e[3]) for e in fetched["entries"] if int(e[0]) not in self.own_seqs))
            self.window.status.showMessage(self.tr("%1 changed the plan: %2").replace("%1", "、".join(who)).replace(
                "%2", texts), 8000)

    # ------------------------------------------------------------------ conflicts and refusals
    def _show_conflict(self, job: _Job, exc, server) -> None:
        from .shared_conflict import ConflictDialog, overlay_of

        self.overlay = overlay_of(job, server)
        self.window.canvas.update()
        dlg = ConflictDialog(self, job, exc, server)
        self.conflict_dialog = dlg
        dlg.choice.connect(self.resolve)
        dlg.open()
        self.conflict.emit(dlg)

    def resolve(self, reapply: bool) -> None:
        """The planner's answer to a conflict: reload, then re-apply the refused steps (if they still fit), or
        discard them; either way the plan ends as the server's, plus whatever could be re-applied."""
        dlg, self.conflict_dialog = self.conflict_dialog, None
        if dlg is not None:
            dlg.done_ = True
            dlg.close()
        self.overlay = None
        self.window.canvas.update()
        jobs, self.unconfirmed = self.unconfirmed, []
        events = [j.event for j in jobs]
        ok = self._revert(events)
        self.paused = False
        if not ok:
            self.window.status.showMessage(self.tr("The history does not allow taking the change back: the plan is "
                                                   "opened again from the server."), 15000)
            self.window.open_url(self.url, ask=False)      # (the server's plan, as the conflict dialog said)
            return
        if reapply:
            self.request_pull(lambda fine: self._reapply(jobs) if fine else None)
        else:
            self.request_pull(lambda fine: self.window.status.showMessage(
                self.tr("Your change was discarded; the plan shows the server's version."), 10000))
        self._show_status()

    def _reapply(self, jobs) -> None:
        from ..core.editing.guard import KINDS

        doc = self.document
        edit = self.window.edit
        kinds = tuple(k for k in KINDS if edit.keep_clean or k == "invalid")
        for job in jobs:
            how, cmd = job.event
            cs = job.cs
            try:
                apply_changeset(PlanView(doc.plan), cs, check=True)     # does it still fit the fresh rows?
                if how == "undo":
                    doc.undo()
                else:
                    again = command_from(cs["command"], doc.plan)
                    again.text = cs.get("text", "")
                    doc.push(again, cs.get("text", ""), guard=kinds)
            except (ChangesetConflict, EditError, PlanError) as exc:
                from .editing import bilingual

                why = str(exc).replace("）/ ", "） / ")            # "中文（…）/ English" as one message
                msg = self.tr("Your change “%1” no longer fits the server's version and was not re-applied: %2").replace(
                    "%1", cs.get("text", "")).replace("%2", bilingual(why, edit.lang()))
                edit.last_error = msg
                edit.refused.emit(msg)
                return
        self.window.status.showMessage(self.tr("Reloaded; your change was re-applied."), 10000)

    def _refused(self, message: str) -> None:
        """The database refused a step (permissions): take it back, tell why, reload."""
        jobs, self.unconfirmed = self.unconfirmed, []
        self.paused = False
        self._revert([j.event for j in jobs])
        from .editing import bilingual

        self.window.edit.last_error = bilingual(message, self.window.edit.lang())
        self.window.edit.refused.emit(self.window.edit.last_error)
        self.request_pull()

    def _failed(self, message: str) -> None:
        """The server could not be reached (or failed): keep the steps, offer to retry or discard."""
        from PySide6.QtWidgets import QMessageBox

        self.last_error = message
        box = QMessageBox(QMessageBox.Icon.Warning, self.tr("Not committed"),
                          self.tr("Your change could not be committed to the shared plan:") + "\n" + message,
                          QMessageBox.StandardButton.NoButton, self.window)
        retry = box.addButton(self.tr("Retry"), QMessageBox.ButtonRole.AcceptRole)
        box.addButton(self.tr("Discard my change"), QMessageBox.ButtonRole.DestructiveRole)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)

        def answered(*_):
            self.error_box = None
            if box.clickedButton() is retry:
                self.jobs.extendleft(reversed(self.unconfirmed))
                self.unconfirmed = []
                self.paused = False
                self._dispatch()
                self._show_status()
            else:
                self.conflict_dialog = None
                self.resolve(False)
        box.finished.connect(answered)
        box.open()
        self.error_box = box

    # ------------------------------------------------------------------ the map: conflict versions, areas
    def _paint(self, painter, vp) -> None:
        from .shared_conflict import paint_overlay, paint_shading

        if self._closed:
            return
        if self.kind == "planner":
            paint_shading(self, painter, vp)
        if self.overlay is not None:
            paint_overlay(self.overlay, painter, vp)

    def locked_geometries(self):
        """Geometries of the grids of the edit level this planner may not change (hatched on the map)."""
        plan = self.document.plan
        key = (id(plan.grids), self.kind, tuple(sorted(self.areas)))
        if self._shade_cache is not None and self._shade_cache[0] == key:
            return self._shade_cache[1]
        import shapely

        from ..core.storage.permissions import editable_mask

        level = self.window.edit.edit_level()
        at_level = (plan.grids["level"] == level).to_numpy(dtype=bool) if level else np.zeros(len(plan.grids), bool)
        locked = at_level & ~editable_mask(plan.grids, self.areas) if self.kind == "planner" else at_level & False
        geoms = np.asarray(plan.grids.geometry.values[locked], dtype=object)
        tree = shapely.STRtree(geoms) if len(geoms) else None
        self._shade_cache = (key, (geoms, tree))
        return geoms, tree

    def save(self) -> bool:
        """Save on a shared plan: nothing left to write (each step is a transaction); says so."""
        if not self.paused:
            self.wait_idle(15000)
        if self.idle():
            msg = self.tr("Nothing to save: every change is already committed to the shared plan on %1 "
                          "(Save As keeps a local copy in a file).").replace("%1", self.server)
            self._mark_clean()
        else:
            msg = self.tr("%n step(s) not yet committed to the shared plan.", "", self.pending())
        self.window.status.showMessage(msg, 10000)
        return self.idle()

    # ------------------------------------------------------------------ end
    def close(self) -> None:
        """Stop the threads (after the steps already handed to the worker are committed)."""
        if self._closed:
            return
        if not self.paused and not self.unconfirmed:
            self.wait_idle(15000)            # the steps still queued go to the server first
        self._closed = True
        self.listener.stop.set()
        self.worker.jobs.put(None)
        self.worker.join(30)
        self.listener.join(5)
        self._unsubscribe()
        if self.document.buffer.permit == self._permit:
            self.document.buffer.permit = None
        if self._paint in self.window.canvas.overlays:
            self.window.canvas.overlays.remove(self._paint)
        try:
            self.window.status.removeWidget(self.label)
            self.label.deleteLater()
        except RuntimeError:
            pass
        for w in (self.conflict_dialog, self.error_box):
            if w is not None:
                try:
                    w.done_ = True
                    w.close()
                except RuntimeError:
                    pass
