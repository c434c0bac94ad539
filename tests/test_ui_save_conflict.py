"""The window never overwrites a plan that changed on disk, and says who else has it open."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from PySide6.QtWidgets import QMessageBox

from gridmap.core.editing.commands import SetCells
from gridmap.core.storage import lock as project_lock
from gridmap.core.storage import open_plan
from test_ui_window import make_window, plan_file  # noqa: F401  (fixture)

ROOT = Path(__file__).resolve().parents[1]


def _rename_elsewhere(path: Path, name: str) -> None:
    """Another process (as the CLI or a second window would) changes the plan and saves it."""
    code = ("import sys; from gridmap.core.storage import open_plan, save_plan\n"
            "p = open_plan(sys.argv[1]); p.grids.loc[p.grids.index[0], 'name'] = sys.argv[2]; save_plan(p, sys.argv[1])\n")
    subprocess.run([sys.executable, "-c", code, str(path), name], check=True, env={"PYTHONPATH": str(ROOT)},
                   timeout=120)


def _button(box: QMessageBox, text: str):
    return next(b for b in box.buttons() if b.text() == text)


def test_save_over_a_changed_file_asks_and_overwrites_only_when_told(qtbot, settings, plan_file):  # noqa: F811
    w = make_window(qtbot, plan_file)
    gid = int(w.document.plan.grids.index[1])
    w.document.push(SetCells("改名", "grids", gid, {"name": "窗口里的名字"}))
    _rename_elsewhere(plan_file, "别处的名字")

    assert w.save() is False                      # refused: the file changed since it was opened
    box = w.conflict_box
    assert box is not None and box.isVisible()
    assert "changed" in box.text() or "修改" in box.text()
    other = open_plan(plan_file)
    assert "别处的名字" in set(other.grids["name"])          # nothing overwritten yet
    assert w.document.dirty

    _button(box, w.tr("Overwrite")).click()
    qtbot.waitUntil(lambda: not w.document.dirty, timeout=10000)
    again = open_plan(plan_file)
    assert "窗口里的名字" in set(again.grids["name"])       # overwritten only after the user said so
    w.close()


def test_lock_file_while_open_and_notice_of_another_holder(qtbot, settings, plan_file):  # noqa: F811
    w = make_window(qtbot, plan_file)
    lock = project_lock.lock_path(plan_file)
    assert lock.exists() and project_lock.read_lock(plan_file).is_mine()
    w.close()
    assert not lock.exists()                      # removed on close

    # another live gridmap (on another computer) has it open: the window says so
    lock.write_text(json.dumps({"user": "张三", "host": "规划科-PC2", "pid": 1, "time": "2026-12-03T09:00:00+0800"},
                               ensure_ascii=False), encoding="utf-8")
    w2 = make_window(qtbot, plan_file)
    assert "张三" in w2.last_error and "规划科-PC2" in w2.last_error
    w2.close()
    assert lock.exists()                          # someone else's lock is left alone


def test_second_user_opens_read_only_and_saves_as(qtbot, settings, plan_file, tmp_path):  # noqa: F811
    """Another live gridmap process holds the plan: this window opens it read-only — Save refused, the
    title says so, the file untouched — and Save As into a file of its own makes it editable again."""
    code = ("import sys, time; from gridmap.core.storage import lock; lock.acquire(sys.argv[1]); "
            "print('held', flush=True); time.sleep(600)")
    other = subprocess.Popen([sys.executable, "-c", code, str(plan_file)], env={"PYTHONPATH": str(ROOT)},
                             stdout=subprocess.PIPE, text=True)
    try:
        assert other.stdout.readline().strip() == "held"
        before = plan_file.read_bytes()
        w = make_window(qtbot, plan_file)
        assert w.document.read_only and w.lock_box is not None
        assert not w.actions["save"].isEnabled() and w.actions["save_as"].isEnabled()
        assert "read-only" in w.windowTitle() or "只读" in w.windowTitle()
        gid = int(w.document.plan.grids.index[0])
        w.document.push(SetCells("改名", "grids", gid, {"name": "只读里改的"}))
        assert w.save() is False and plan_file.read_bytes() == before       # never into the held file
        copy = tmp_path / "mine.gpkg"
        assert w._save_to(copy)
        assert not w.document.read_only and w.actions["save"].isEnabled()
        assert "只读里改的" in set(open_plan(copy).grids["name"])
        assert project_lock.read_lock(plan_file).pid == other.pid            # the other's lock left alone

        # "Edit anyway" leaves read-only mode for the held plan itself
        w2 = make_window(qtbot, plan_file)
        assert w2.document.read_only
        edit = next(b for b in w2.lock_box.buttons() if b.text() in ("Edit anyway", "仍然编辑"))
        edit.click()
        assert not w2.document.read_only and w2.actions["save"].isEnabled()
        w.close(); w2.close()
    finally:
        other.kill()
        other.wait(timeout=30)
