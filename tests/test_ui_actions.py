"""The action registry: every command of the window is declared once
(gridmap/ui/window/actions.py) and the window's actions, menus, toolbars,
texts and enabled states come from it (pytest-qt, real window offscreen)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QCoreApplication

from gridmap.core.storage import save_plan
from gridmap.ui.window.actions import ACTIONS, MENUS, TOOLBARS


@pytest.fixture
def plan_file(tmp_path, small_plan):
    path = tmp_path / "plan.gpkg"
    save_plan(small_plan, path)
    return path


def test_every_action_menu_and_toolbar_comes_from_the_registry(qtbot, settings):
    from test_ui_window import make_window

    w = make_window(qtbot)
    assert set(w.actions) == {a.id for a in ACTIONS}
    for key, _title, items in MENUS:
        ids = [a.objectName().removeprefix("action_") for a in w.menus[key].actions()
               if a.objectName().startswith("action_")]
        assert ids == [i for i in items if i and not i.startswith("@")], key
    for name, _title, items in TOOLBARS:
        ids = [a.objectName().removeprefix("action_") for a in w.toolbars[name].actions()
               if a.objectName().startswith("action_")]
        assert ids == [i for i in items if i and not i.startswith("@")], name
    for spec in ACTIONS:                           # texts are the registry's, translated (Chinese by default)
        if spec.id not in ("undo", "redo"):
            assert w.actions[spec.id].text() == QCoreApplication.translate("MainWindow", spec.text)
    assert w.actions["save"].text() == "保存(&S)"
    assert w.actions["save"].isCheckable() is False and w.actions["labels"].isCheckable() is True
    assert w.actions["delete_grids"].shortcut().toString() == "Shift+Del"
    w.actions["lang_en"].trigger()
    assert w.actions["save"].text() == "&Save" and w.menus["edit"].title() == "&Edit"
    w.close()


def test_actions_are_enabled_by_their_rule_over_the_window_state(qtbot, settings, plan_file):
    from test_ui_window import make_window

    w = make_window(qtbot)
    A = w.actions
    # no plan: nothing that needs one
    assert A["open"].isEnabled() and A["new"].isEnabled()
    assert not any(A[k].isEnabled() for k in ("save", "run_checks", "export_plan", "draw_grid", "merge",
                                              "delete_grids", "zoom_selection"))
    w.open_path(plan_file)
    assert w.wait_idle(20000)
    assert A["save"].isEnabled() and A["run_checks"].isEnabled() and A["draw_grid"].isEnabled()
    assert not A["delete_grids"].isEnabled() and not A["merge"].isEnabled()
    plan = w.document.plan
    small = [int(g) for g in plan.grids.index[plan.grids["level"] == plan.levels[-1].key]]
    w.document.set_selection(small[:1])
    assert A["delete_grids"].isEnabled() and A["zoom_selection"].isEnabled() and not A["merge"].isEnabled()
    w.document.set_selection(small[:2])
    assert A["merge"].isEnabled()
    w.document.clear_selection()
    assert not A["delete_grids"].isEnabled() and not A["merge"].isEnabled()
    w.close()


def test_run_checks_goes_through_the_live_checker(qtbot, settings, plan_file):
    from test_ui_window import make_window

    w = make_window(qtbot, plan_file)
    before = w.live.generation
    w.actions["run_checks"].trigger()
    assert w.live.busy() or w.live.generation > before
    assert w.wait_idle(30000)
    assert w.problems.ran and len(w.problems.problems) > 0
    w.close()
