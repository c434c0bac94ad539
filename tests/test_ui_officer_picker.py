"""The person picker of the grid form is searchable by any part of a name, post or phone
(issue 12: an unsearchable list of 99 officers), and a phone is edited in the grid form."""

from __future__ import annotations

import pytest

from ui_edit_support import open_window, write_project


@pytest.fixture
def win(qtbot, settings, tmp_path, small_plan):
    w = open_window(qtbot, write_project(small_plan, tmp_path))
    w.document.set_selection([int(w.document.plan.grid_by_code("44030600100001"))])
    yield w
    w.close()


def popup_texts(combo):
    comp = combo.completer()
    m = comp.completionModel()
    return [m.index(r, 0).data() for r in range(m.rowCount())]


@pytest.mark.parametrize("typed", ["1380000", "队员", "张"])
def test_the_officer_picker_finds_by_phone_post_or_name(win, typed):
    combo = win.form.add_who
    combo.completer().setCompletionPrefix(typed)
    hits = popup_texts(combo)
    assert hits and all("张三" in h for h in hits), hits
    assert any("13800000000" in h and "城管队员" in h for h in hits)


def test_a_phone_is_edited_in_the_grid_form_as_one_undo_step(win):
    form, plan = win.form, win.document.plan
    roles = form.roles
    row = next(r for r in range(roles.rowCount()) if roles.item(r, 1).text() == "张三")
    roles.item(row, 3).setText("13912345678")
    pid = int(plan.people.index[plan.people["name"] == "张三"][0])
    assert plan.people.at[pid, "phone"] == "13912345678"
    assert win.document.undo_stack.count() == 1
    win.document.undo_stack.undo()
    assert plan.people.at[pid, "phone"] == "13800000000"
