"""Fixes in the problems list, through the real window (Chinese UI) on a copy of the errors sample:
select a problem, the fix is previewed on the map without changing anything, applied as one undo
step, Ctrl+Z restores; "fix all of this kind" shows the count first; a refused fix changes nothing."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from ui_edit_support import open_checked_errors_window, shortcut


@pytest.fixture
def win(qtbot, settings, sample_errors_path, tmp_path):
    w = open_checked_errors_window(qtbot, sample_errors_path, tmp_path)
    yield w
    w.close()


def click_row(qtbot, w, rule, grids=None):
    table = w.problems.table
    row = next(r for r in range(table.model().rowCount()) if w.problems.problem_at(r)["rule"] == rule
               and (grids is None or set(grids) <= set(w.problems.problem_at(r)["codes"])))
    rect = w.problems.row_rect(row)
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert w.problems.current()["rule"] == rule
    return row, rect


def green_pixels(w) -> int:
    """Pixels of the map in the fix preview's colour."""
    img = w.canvas.grab().toImage()
    ptr = img.constBits()
    a = np.frombuffer(ptr, dtype=np.uint8).reshape(img.height(), img.bytesPerLine())[:, : img.width() * 4]
    px = a.reshape(img.height(), img.width(), 4).astype(int)     # BGRA
    return int(((abs(px[..., 2] - 0) < 12) & (abs(px[..., 1] - 168) < 12) & (abs(px[..., 0] - 107) < 12)).sum())


def rules_listed(w):
    return [p["rule"] for p in w.problems.problems]


def test_select_preview_apply_one_undo_step_and_undo(win, qtbot):
    w = win
    plan = w.document.plan
    stack = w.document.undo_stack
    click_row(qtbot, w, "gap")
    bar = w.fixes.bar
    assert bar.choice.count() == 4 and bar.choice.itemText(0).startswith("并入公共边最长的相邻网格")
    assert not bar.apply_button.isEnabled()                     # nothing to apply before a preview
    before = plan.grids.geometry.copy()
    steps = stack.count()
    assert green_pixels(w) == 0
    qtbot.mouseClick(bar.preview_button, Qt.MouseButton.LeftButton)
    assert w.fixes.preview is not None and "预览" in bar.note.text()
    qtbot.waitUntil(lambda: green_pixels(w) > 50, timeout=10000)  # the resulting grid drawn on the map
    assert stack.count() == steps and plan.grids.geometry.equals(before)   # nothing changed yet
    assert bar.apply_button.isEnabled()
    qtbot.mouseClick(bar.apply_button, Qt.MouseButton.LeftButton)
    assert stack.count() == steps + 1 and len(w.document.buffer.commands) == 1
    changed = [g for g in plan.grids.index if not plan.grids.geometry[g].equals(before[g])]
    assert len(changed) == 1
    assert w.document.buffer.changesets()[-1]["command"]["kind"] == "SetGeometries"
    assert "gap" not in rules_listed(w) and "已修复" in bar.note.text()
    qtbot.waitUntil(lambda: green_pixels(w) == 0, timeout=10000)   # the preview is gone
    shortcut(w, "undo")
    assert stack.index() == steps
    assert plan.grids.geometry.equals(before)
    w.live.flush(20000)
    qtbot.waitUntil(lambda: "gap" in rules_listed(w), timeout=20000)


def test_fix_all_of_a_kind_from_the_context_menu_counts_first(win, qtbot):
    w = win
    plan = w.document.plan
    stack = w.document.undo_stack
    row, rect = click_row(qtbot, w, "overlap")
    before = plan.grids.geometry.copy()
    w.problems.table.customContextMenuRequested.emit(rect.center())     # right-click on the row
    menu = w.fixes.menu
    texts = [a.text() for a in menu.actions()]
    assert any(t.startswith("预览：重叠部分归网格") for t in texts)
    next(a for a in menu.actions() if a.text() == "全部修复此类问题…").trigger()
    box = w.fixes.confirm_box
    assert isinstance(box, QMessageBox) and box.isVisible()
    assert "修复 2 个“网格重叠”问题中的 2 个" in box.text()
    assert plan.grids.geometry.equals(before) and stack.count() == 0       # asked first, nothing changed
    qtbot.mouseClick(box.button(QMessageBox.StandardButton.Yes), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: w.fixes.confirm_box is None, timeout=5000)
    assert stack.count() == 1 and "overlap" not in rules_listed(w)
    shortcut(w, "undo")
    assert plan.grids.geometry.equals(before)


def test_a_refused_fix_says_why_and_changes_nothing(win, qtbot):
    w = win
    plan = w.document.plan
    click_row(qtbot, w, "overlap", grids=["44030600100001"])
    bar = w.fixes.bar
    before = plan.grids.geometry.copy()
    gives = [k for k in range(bar.choice.count()) if bar.choice.itemText(k).startswith("重叠部分归网格")]
    results = [w.fixes.preview_fix(k) for k in gives]
    assert sorted(results) == [False, True]
    refused = gives[results.index(False)]
    w.fixes.preview_fix(refused)
    assert "无法应用此修复" in bar.note.text() and "新问题" in bar.note.text()
    assert not bar.apply_button.isEnabled() and w.document.undo_stack.count() == 0
    assert plan.grids.geometry.equals(before)
