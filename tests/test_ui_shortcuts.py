"""Every menu shortcut, pressed in the real window, reaches its action.

Each action's own slot is disconnected first (so a dialog does not open), a counter
is connected instead, and the key sequence is sent to the map canvas the way a user
presses it.  A shortcut that is ambiguous (two actions, or an action and a widget's
own shortcut), or an action that is not in the window, does not fire: this test
catches both (Ctrl+Shift+E and Ctrl+Shift+S did not respond once)."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QKeySequence
from PySide6.QtTest import QTest

from gridmap.core.storage import save_plan
from gridmap.ui.window.actions import ACTIONS
from ui_edit_support import open_window

WITH_KEYS = [a for a in ACTIONS if a.shortcut is not None]


@pytest.fixture
def win(qtbot, settings, small_plan, tmp_path):
    path = tmp_path / "plan.gpkg"
    save_plan(small_plan, path)
    w = open_window(qtbot, path)
    w.activateWindow()
    qtbot.waitUntil(lambda: w.isActiveWindow(), timeout=5000)
    yield w
    w.close()


def _all_sequences():
    out = []
    for spec in WITH_KEYS:
        s = spec.shortcut
        keys = s if isinstance(s, tuple) else (s,)
        for k in keys:
            out.append((spec.id, QKeySequence(k)))
    return out


def test_no_two_actions_share_a_shortcut(settings):
    seen: dict[str, str] = {}
    for aid, seq in _all_sequences():
        text = seq.toString()
        assert text, f"{aid}: empty key sequence"
        assert text not in seen, f"{aid} and {seen[text]} share {text}"
        seen[text] = aid


def test_every_shortcut_triggers_its_action(win, qtbot):
    w = win
    fired: dict[str, int] = {}
    for spec in WITH_KEYS:
        a = w.actions[spec.id]
        a.setEnabled(True)
        try:
            a.triggered.disconnect()
        except (RuntimeError, TypeError):
            pass
        a.triggered.connect(lambda checked=False, i=spec.id: fired.__setitem__(i, fired.get(i, 0) + 1))
    w.update_actions = lambda *a, **k: None          # keep every action enabled while keys are pressed
    missed = []
    for aid, seq in _all_sequences():
        before = fired.get(aid, 0)
        w.canvas.setFocus()
        QTest.keySequence(w.canvas, seq)
        qtbot.wait(5)
        if fired.get(aid, 0) != before + 1:
            missed.append(f"{aid} ({seq.toString()})")
    assert not missed, "shortcuts that did not reach their action: " + ", ".join(missed)
