"""The crash journal: unsaved changes kept beside the plan, offered back after a crash.

While a plan has unsaved changes, every push, undo and redo of its edit buffer is
appended to ``.NAME.gpkg.journal`` beside the file, as one JSON changeset a line
(:mod:`gridmap.core.editing.changeset`), the moment it is made (flushed, so a killed
process loses nothing it had done).  The first line says which state of the file the
changes apply to (its revision, size and time).  A save rewrites the journal to the
changes made since that save (usually none: the file is removed); closing the plan
cleanly removes it.  A journal found when the plan is opened again means the last
session ended without saving: :func:`pending` describes it, :func:`replay` applies
its changes to the plan read from the file (checked: a change that does not fit the
file is refused with a clear message and nothing applied), :func:`discard` removes it.

>>> import tempfile, os
>>> from shapely import box
>>> from gridmap.core.plan import Plan
>>> from gridmap.core.storage import save_plan, open_plan
>>> from gridmap.core.editing.buffer import EditBuffer
>>> from gridmap.core.editing.commands import SetCells
>>> d = tempfile.mkdtemp(); path = os.path.join(d, "例.gpkg")
>>> plan = Plan.new("例", "EPSG:4547", levels="two"); g = plan.add_grid(box(0, 0, 1, 1), "large")
>>> _ = save_plan(plan, path); plan = open_plan(path)
>>> buf = EditBuffer(plan); j = CrashJournal(path, buf)
>>> _ = buf.push(SetCells("名称", "grids", g, {"name": "甲"}))
>>> info = pending(path); info.steps, info.fits
(1, True)
>>> again = open_plan(path); replay(again, path); again.grids.at[g, "name"]
1
'甲'
>>> j.close(); pending(path) is None
True
"""

from __future__ import annotations

import json
import os
import queue
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ..messages import bi
from .base import StoreError

__all__ = ["CrashJournal", "JournalInfo", "journal_path", "pending", "replay", "discard", "FORMAT"]

FORMAT = "gridmap-journal/1"


def journal_path(plan_path) -> Path:
    p = Path(plan_path)
    return p.with_name(f".{p.name}.journal")


def _identity(plan_path) -> dict:
    from .identity import identity_of

    ident = identity_of(plan_path)
    if ident is None:
        return {"revision": 0, "size": 0, "mtime_ns": 0}
    return {"revision": ident.revision, "size": ident.size, "mtime_ns": ident.mtime_ns}


def _entry(how: str, command, author: str, t: float) -> dict:
    """One push/undo/redo as a JSON-ready dict (a changeset; named versions as their tables)."""
    from ..editing.changeset import changeset, encode

    if type(command).__name__ == "SetVersions":
        def frame(df):
            if df is None:
                return None
            return {"columns": [str(c) for c in df.columns],
                    "rows": [[encode(v) for v in row] for row in df.itertuples(index=False)]}
        return {"format": "gridmap-versions/1", "how": how, "text": command.text, "author": author, "time": t,
                "new": frame(command.new), "old": frame(command.old)}
    try:
        return changeset(command, how=how, author=author, time=t)
    except TypeError:
        return {"format": "unrecorded", "how": how, "text": getattr(command, "text", ""), "time": t}


class CrashJournal:
    """Journals the unsaved edits of ``buffer`` (the plan of file ``plan_path``)."""

    def __init__(self, plan_path, buffer, keep: bool = False):
        self.plan_path = Path(plan_path)
        self.path = journal_path(plan_path)
        self.buffer = buffer
        self.base = _identity(plan_path)
        #: (index in buffer.journal, JSON line) of every edit not yet saved
        self.lines: list[tuple[int, str]] = []
        self.failed = ""
        if keep and self.path.exists():
            # restored changes: the journal goes on from where the last session left it
            try:
                text = self.path.read_text(encoding="utf-8").splitlines()
                self.base = json.loads(text[0]).get("base", self.base)
                self.lines = [(-1, line) for line in text[1:] if line.strip()]
            except (OSError, ValueError, IndexError):
                self.lines = []
        self._lock = threading.Lock()
        self._queue: queue.Queue = queue.Queue()      # large edits, written by a thread of their own
        self._writer = None
        self._unsubscribe = buffer.subscribe(self._on_change)

    #: an edit of more rows than this is encoded and written off the GUI thread (an import of
    #: 100k grids: seconds of JSON); smaller ones are written at once, in order behind them
    BACKGROUND_ROWS = 2000

    def _header(self) -> str:
        return json.dumps({"format": FORMAT, "plan": self.plan_path.name, "base": self.base, "pid": os.getpid(),
                           "started": time.strftime("%Y-%m-%d %H:%M:%S")}, ensure_ascii=False)

    def _on_change(self, changes) -> None:
        if not self.buffer.journal:
            return
        k = len(self.buffer.journal) - 1
        item = (k, *self.buffer.journal[k])
        rows = sum(len(tc.ids) for tc in getattr(changes, "per_table", {}).values())
        if rows > self.BACKGROUND_ROWS or self._queue.unfinished_tasks:
            self._queue.put(item)
            if self._writer is None:
                self._writer = threading.Thread(target=self._write_queued, name="gridmap-journal", daemon=True)
                self._writer.start()
            return
        self._write(item)

    def _write_queued(self) -> None:
        while True:
            item = self._queue.get()
            try:
                self._write(item)
            finally:
                self._queue.task_done()

    def flush(self) -> None:
        """Wait until every edit so far is in the journal file."""
        self._queue.join()

    def _write(self, item) -> None:
        k, how, command, author, t = item
        try:
            line = json.dumps(_entry(how, command, author, t), ensure_ascii=False, separators=(",", ":"))
        except Exception as exc:  # noqa: BLE001 - the edit stands; only its journal line is lost
            self.failed = str(exc)
            return
        with self._lock:
            self._append(k, line)

    def _append(self, k: int, line: str) -> None:
        self.lines.append((k, line))
        try:
            new = not self.path.exists()
            with open(self.path, "a", encoding="utf-8") as f:
                if new:
                    f.write(self._header() + "\n")
                    for _, old in self.lines[:-1]:
                        f.write(old + "\n")
                f.write(line + "\n")
                f.flush()
        except OSError as exc:   # a read-only folder: no journal, the plan still works
            self.failed = str(exc)

    def saved(self, upto: int) -> None:
        """A save wrote the edits ``buffer.journal[:upto]``: keep only the later ones, against the new file."""
        self.flush()
        self.base = _identity(self.plan_path)
        self.lines = [(k, line) for k, line in self.lines if k >= upto]
        self._rewrite()

    def moved(self, plan_path) -> None:
        """Saved under another name (Save As): the journal follows the new file."""
        self.flush()
        self._remove()
        self.plan_path = Path(plan_path)
        self.path = journal_path(plan_path)

    def _rewrite(self) -> None:
        if not self.lines:
            self._remove()
            return
        tmp = self.path.with_name(self.path.name + ".tmp")
        try:
            with open(tmp, "w", encoding="utf-8") as f:
                f.write(self._header() + "\n")
                for _, line in self.lines:
                    f.write(line + "\n")
            os.replace(tmp, self.path)
        except OSError as exc:
            self.failed = str(exc)

    def _remove(self) -> None:
        try:
            self.path.unlink()
        except OSError:
            pass

    def close(self) -> None:
        """The plan is closed (saved, or its changes discarded on purpose): no journal is left."""
        self._unsubscribe()
        self.flush()
        self.lines = []
        self._remove()

    def detach(self) -> None:
        """Stop journalling but leave the file (a window closing with changes it did not save or drop)."""
        self._unsubscribe()
        self.flush()


@dataclass
class JournalInfo:
    path: Path
    steps: int           # journalled pushes, undos and redos
    started: str         # when the unsaved session started
    last: str            # time of the last change
    texts: list          # the undo-step texts, oldest first
    fits: bool           # the file is still the state the changes were made on
    pid: int


def pending(plan_path) -> JournalInfo | None:
    """The unsaved changes journalled beside ``plan_path`` by a session that did not save them (None: none)."""
    from .lock import pid_alive

    path = journal_path(plan_path)
    try:
        text = path.read_text(encoding="utf-8").splitlines()
    except OSError:
        return None
    try:
        head = json.loads(text[0])
        entries = [json.loads(line) for line in text[1:] if line.strip()]
    except (ValueError, IndexError):
        return None
    if head.get("format") != FORMAT or not entries:
        return None
    pid = int(head.get("pid", 0) or 0)
    if pid != os.getpid() and pid_alive(pid) and _held_by(plan_path, pid):
        return None      # the journal of a gridmap still running with the plan open
    base = head.get("base", {})
    now = _identity(plan_path)
    fits = int(base.get("revision", -1)) == int(now["revision"])
    last = entries[-1].get("time", 0)
    return JournalInfo(path, len(entries), head.get("started", ""),
                       time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(last)) if last else "",
                       [e.get("text", "") for e in entries], fits, pid)


def _held_by(plan_path, pid: int) -> bool:
    from .lock import read_lock

    info = read_lock(plan_path)
    return info is not None and info.pid == pid


def replay(plan, plan_path) -> int:
    """Apply the journalled changes to ``plan`` (read from ``plan_path``); returns how many steps.
    Raises :class:`StoreError` (the plan unchanged) when they do not fit it."""
    from ..editing.buffer import PlanSnapshot
    from ..editing.changeset import ChangesetConflict, apply_changeset, decode

    path = journal_path(plan_path)
    try:
        lines = path.read_text(encoding="utf-8").splitlines()[1:]
        entries = [json.loads(line) for line in lines if line.strip()]
    except (OSError, ValueError) as exc:
        raise StoreError(f"{path}: " + bi("未保存修改的记录无法读取", "the record of unsaved changes is unreadable")
                         + f" ({exc})") from exc
    snap = PlanSnapshot(plan)
    versions = plan.versions
    n = 0
    try:
        for e in entries:
            fmt = e.get("format")
            if fmt == "unrecorded":
                continue
            if fmt == "gridmap-versions/1":
                d = e["old"] if e.get("how") == "undo" else e["new"]
                plan.versions = None if d is None else pd.DataFrame(
                    [[decode(v) for v in r] for r in d["rows"]], columns=d["columns"])
            else:
                apply_changeset(plan, e, check=True)
            n += 1
    except (ChangesetConflict, KeyError, ValueError, TypeError) as exc:
        snap.restore(plan)
        plan.versions = versions
        raise StoreError(f"{plan_path}: " + bi(
            f"第 {n + 1} 步修改与文件不一致，未恢复（文件在崩溃后被修改过？）",
            f"change {n + 1} does not fit the file, nothing restored (was the file changed after the crash?)")
            + f" ({exc})") from exc
    return n


def discard(plan_path) -> None:
    """Drop the journalled changes of ``plan_path``."""
    try:
        journal_path(plan_path).unlink()
    except OSError:
        pass
