"""The window saves in the background and keeps a crash journal (issue 21): editing goes on during a
save and ends up unsaved again; a second save waits for the first; a failed save says why and loses
nothing; a gridmap killed after an edit offers the change back when the plan is opened again."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pytest

from gridmap.core.editing.commands import SetCells
from gridmap.core.storage import journal as J
from gridmap.core.storage import open_plan
from gridmap.core.storage.gpkg import GpkgStore
from test_ui_window import make_window, plan_file  # noqa: F401  (fixture)

ROOT = Path(__file__).resolve().parents[1]


def _name(path, gid):
    return open_plan(path).grids.at[gid, "name"]


@pytest.fixture
def held_save(monkeypatch):
    """Every delta save stops just before its commit until ``release`` is set."""
    reached, release = threading.Event(), threading.Event()

    def hold(con):
        reached.set()
        assert release.wait(60)

    monkeypatch.setattr(GpkgStore, "_hold", staticmethod(hold), raising=False)
    return reached, release


def test_editing_during_a_save_leaves_the_plan_unsaved(qtbot, settings, plan_file, held_save):  # noqa: F811
    reached, release = held_save
    w = make_window(qtbot, plan_file)
    doc = w.document
    a, b = (int(i) for i in doc.plan.grids.index[:2])
    doc.push(SetCells("改名", "grids", a, {"name": "保存前的修改"}))
    assert w._save_to(plan_file, wait=False)
    qtbot.waitUntil(reached.is_set, timeout=30000)
    # the save is running in its thread: the window takes an edit meanwhile
    doc.push(SetCells("改名", "grids", b, {"name": "保存中的修改"}))
    assert w._save_to(plan_file, wait=False)              # a second save waits for the first
    release.set()
    qtbot.waitUntil(lambda: not w.saver.busy, timeout=60000)
    assert not doc.dirty and w.last_save["mode"] == "delta" and w.last_save["rows"] == 1
    assert _name(plan_file, a) == "保存前的修改" and _name(plan_file, b) == "保存中的修改"

    reached.clear()
    doc.push(SetCells("改名", "grids", a, {"name": "第三次"}))
    assert w._save_to(plan_file, wait=False)
    qtbot.waitUntil(reached.is_set, timeout=30000)
    doc.push(SetCells("改名", "grids", b, {"name": "第四次"}))
    qtbot.waitUntil(lambda: not w.saver.busy, timeout=60000)
    assert doc.dirty                                      # the edit made during the save is not saved
    assert "*" in w.windowTitle()
    assert _name(plan_file, a) == "第三次" and _name(plan_file, b) == "保存中的修改"
    assert w.save() and not doc.dirty                     # the next save writes it
    assert _name(plan_file, b) == "第四次"
    doc.undo()                                            # undo past the saved position: unsaved again
    assert doc.dirty
    w.close()
    assert not J.journal_path(plan_file).exists()         # a clean close leaves no journal


def test_a_failed_save_says_why_and_loses_nothing(qtbot, settings, plan_file, monkeypatch):  # noqa: F811
    import sqlite3

    from gridmap.core.storage import gpkg

    w = make_window(qtbot, plan_file)
    doc = w.document
    gid = int(doc.plan.grids.index[0])
    doc.push(SetCells("改名", "grids", gid, {"name": "未能保存"}))

    def full(*a, **k):
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(gpkg, "write_delta", full)
    assert w.save() is False
    assert "磁盘空间不足" in w.last_error and "disk full" in w.last_error
    assert doc.dirty and doc.plan.grids.at[gid, "name"] == "未能保存"
    assert _name(plan_file, gid) != "未能保存"
    monkeypatch.undo()
    assert w.save() and not doc.dirty and w.last_save["mode"] == "delta"
    assert _name(plan_file, gid) == "未能保存"            # the rows of the failed save were written now
    w.close()


_CRASHER = textwrap.dedent("""
    import sys, time
    from gridmap.ui.app import create_app
    app = create_app([])
    from gridmap.ui.main_window import MainWindow
    from gridmap.core.editing.commands import SetCells
    from gridmap.core.storage import journal
    w = MainWindow(); w.confirm_close = False; w.show()
    w.open_path(sys.argv[1]); assert w.wait_idle(60000)
    gid = int(w.document.plan.grids.index[1])
    w.document.push(SetCells("改名", "grids", gid, {"name": "崩溃前的修改"}))
    assert journal.journal_path(sys.argv[1]).exists()
    print(gid, flush=True)
    while True:
        app.processEvents(); time.sleep(0.05)
""")


def _crash_after_an_edit(plan_file, tmp_path) -> int:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "offscreen",
           "XDG_CONFIG_HOME": str(tmp_path / "child-config"), "HOME": str(tmp_path)}
    p = subprocess.Popen([sys.executable, "-c", _CRASHER, str(plan_file)], stdout=subprocess.PIPE, text=True,
                         env=env)
    try:
        line = p.stdout.readline().strip()
    finally:
        p.send_signal(signal.SIGKILL)            # a crash: nothing runs after this
        p.wait()
    assert line, "the child window did not make its edit"
    return int(line)


def test_a_killed_session_offers_its_changes_back(qtbot, settings, plan_file, tmp_path):  # noqa: F811
    gid = _crash_after_an_edit(plan_file, tmp_path)
    assert _name(plan_file, gid) != "崩溃前的修改"          # never saved
    info = J.pending(plan_file)
    assert info is not None and info.steps == 1 and info.fits

    w = make_window(qtbot, plan_file)
    box = w.journal_box
    assert box is not None and box.isVisible()
    assert "1" in box.text() and "改名" in box.text()
    restore = next(b for b in box.buttons() if b.text() == w.tr("Restore"))
    restore.click()
    qtbot.waitUntil(lambda: w.document is not None and w.document.plan.grids.at[gid, "name"] == "崩溃前的修改",
                    timeout=20000)
    assert w.document.dirty and "*" in w.windowTitle()
    assert w.save() and not w.document.dirty
    assert _name(plan_file, gid) == "崩溃前的修改"
    assert not J.journal_path(plan_file).exists()           # saved: nothing pending any more
    w.close()

    # killed again; this time the user discards the changes
    _crash_after_an_edit(plan_file, tmp_path)
    w2 = make_window(qtbot, plan_file)
    box = w2.journal_box
    next(b for b in box.buttons() if b.text() == w2.tr("Discard")).click()
    qtbot.waitUntil(lambda: w2.document is not None, timeout=20000)
    assert not w2.document.dirty and J.pending(plan_file) is None
    w2.close()


def test_closing_while_a_save_runs_waits_for_it(qtbot, settings, plan_file, held_save):  # noqa: F811
    from PySide6.QtCore import QTimer

    reached, release = held_save
    w = make_window(qtbot, plan_file)
    gid = int(w.document.plan.grids.index[0])
    w.document.push(SetCells("改名", "grids", gid, {"name": "关闭时保存"}))
    assert w._save_to(plan_file, wait=False)
    qtbot.waitUntil(reached.is_set, timeout=30000)
    QTimer.singleShot(50, release.set)           # the save ends while the window is closing
    w.close()
    assert release.is_set() and not w.saver.busy
    assert _name(plan_file, gid) == "关闭时保存"
    assert not J.journal_path(plan_file).exists()


def test_a_large_edit_is_journalled_off_the_gui_thread_in_order(tmp_path, small_plan, monkeypatch):
    """An edit of thousands of rows (an import) is encoded and written by the journal's own
    thread; a small edit after it waits its turn; after ``flush`` both are in the file in
    order and replay rebuilds the plan."""
    from shapely import box

    from gridmap.core.editing.buffer import EditBuffer
    from gridmap.core.editing.changeset import plan_differences
    from gridmap.core.editing.commands import ReplaceTable
    from gridmap.core.storage import save_plan

    path = tmp_path / "plan.gpkg"
    save_plan(small_plan, path)
    plan = open_plan(path)
    buf = EditBuffer(plan)
    journal = J.CrashJournal(path, buf)
    g = plan.grids
    big = int(g.index[g["level"] == "large"][0])
    monkeypatch.setattr(J.CrashJournal, "BACKGROUND_ROWS", 100)    # (an import is thousands of rows)
    n = 300
    more = plan.copy()                      # the grids an import reads, as the plan makes them
    for i in range(n):
        more.add_grid(box(500_000 + i, 2_499_000, 500_001 + i, 2_499_001), "small", parent=big, name=f"导入{i}")
    table = more.grids
    buf.push(ReplaceTable("导入网格", "grids", table))
    gid = int(plan.grids.index[0])
    buf.push(SetCells("改名", "grids", gid, {"name": "后改的"}))
    journal.flush()
    info = J.pending(path)
    assert info is not None and info.texts == ["导入网格", "改名"]
    again = open_plan(path)
    assert J.replay(again, path) == 2
    assert plan_differences(plan, again) == []
    journal.close()
    assert not J.journal_path(path).exists()
