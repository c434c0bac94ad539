"""The app's 定人定额 dialog (检查 → 定人定额…) and the people table's category column."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtWidgets import QApplication, QDialogButtonBox

sys.path.insert(0, str(Path(__file__).parent))
from test_staffing import one_two_n  # noqa: E402
from ui_edit_support import open_window  # noqa: E402

from gridmap.core import staffing as S
from gridmap.core.storage import save_plan


def _window(qtbot, tmp_path, plan):
    path = tmp_path / "p.gpkg"
    save_plan(plan, path)
    return open_window(qtbot, path, zoom=False)


def test_quotas_are_set_in_the_dialog_with_a_live_preview_and_undone(qtbot, settings, tmp_path):
    plan = one_two_n(short_community=1)
    plan.settings = {k: v for k, v in plan.settings.items() if not k.startswith(S.QUOTA_PREFIX)}
    w = _window(qtbot, tmp_path, plan)
    assert w.actions["staffing_quotas"].isEnabled() and w.actions["staffing_quotas"].text().startswith("定人定额")
    w.actions["staffing_quotas"].trigger()
    dlg = next(d for d in QApplication.topLevelWidgets() if type(d).__name__ == "StaffingDialog" and d.isVisible())
    ok = dlg.buttons.button(QDialogButtonBox.StandardButton.Ok)
    dlg.edits["community"].setText("协管")                    # bad text: said in red, OK disabled
    assert not ok.isEnabled() and "协管" in dlg.error.text()
    dlg.edits["street"].setText("协管=2")
    dlg.edits["community"].setText("网格长=1；在编=2；协管=8")
    dlg.edits["unit"].setText("网格长[协管]=1；协管=2")
    assert ok.isEnabled() and dlg.error.text() == ""
    assert dlg.sentence.text() == "共需在编4人，协管36人"
    cells = [dlg.table.item(i, j).text() for i in range(dlg.table.rowCount()) for j in range(dlg.table.columnCount())]
    assert "街道 2 + 社区 2×8 + 五级网格 6×(1+2)" in cells
    assert "1 项不符合定额" in dlg.findings.text() and "7/8" in dlg.findings.text()
    qtbot.wait(50)
    dlg.grab().save(str(tmp_path / "staffing_dialog.png"))
    ok.click()
    p = w.document.plan
    assert p.settings[S.QUOTA_PREFIX + "community"] == "网格长=1；在编=2；协管=8"
    assert S.totals_text(p) == "共需在编4人，协管36人"
    # the problems list shows the community short of a 协管 (live checks after the change, or on demand)
    w.actions["run_checks"].trigger()
    qtbot.waitUntil(lambda: any(x.get("rule") == "staffing" for x in w.problems.problems), timeout=20000)
    row = next(x for x in w.problems.problems if x.get("rule") == "staffing")
    assert "应配 8 人，现有 7 人" in row["message"]
    w.undo_group.undo()                                       # one undo step removes all three
    assert not S.has_quotas(w.document.plan)
    w.undo_group.redo()
    assert S.has_quotas(w.document.plan)
    w.close()


def test_people_table_shows_and_edits_the_category(qtbot, settings, tmp_path):
    plan = one_two_n()
    w = _window(qtbot, tmp_path, plan)
    model = w.people.people.model
    pid = int(plan.people.index[0])
    assert model.df.at[pid, "category"] == "协管"
    assert w.people._edit_person(pid, "category", "志愿者")
    assert w.document.plan.people.at[pid, "category"] == "志愿者"
    # a post whose preset differs changes the category only when it followed the old post's preset
    assert w.people._edit_person(pid, "post", "城管队员")
    assert w.document.plan.people.at[pid, "category"] == "志愿者"
    other = int(plan.people.index[1])
    assert w.people._edit_person(other, "post", "城管队员")
    assert w.document.plan.people.at[other, "category"] == "在编"
    w.close()


def test_annex_table_from_a_template_is_previewed_and_saved(qtbot, settings, tmp_path):
    import importlib.util

    from openpyxl import load_workbook

    spec = importlib.util.spec_from_file_location("seed_structures", Path(__file__).parent.parent / "docs" /
                                                  "examples" / "seed_structures.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    w = _window(qtbot, tmp_path, mod.zaozhuang())
    assert w.actions["template_table"].text().startswith("按模板导出附件表")
    w.actions["template_table"].trigger()
    dlg = next(d for d in QApplication.topLevelWidgets() if type(d).__name__ == "TemplateDialog" and d.isVisible())
    assert dlg.template.currentData() == "zaozhuang_annex3"
    # the preview is the table as printed: two header rows (the group merged over its columns), then the rows
    assert dlg.header_rows == 2 and dlg.table.rowCount() == 2 + 6 and dlg.table.item(2, 2).text() == "示例1-1社区"
    assert dlg.table.item(0, 2).text() == "社区基本情况" and dlg.table.columnSpan(0, 2) == 3
    assert dlg.table.item(1, 2).text() == "社区名称"
    dlg.level.setCurrentIndex(dlg.level.findData("unit"))          # a level whose grids have no parent street name
    assert dlg.table.rowCount() == 2 + 6
    dlg.level.setCurrentIndex(0)
    qtbot.wait(50)
    dlg.grab().save(str(tmp_path / "template_dialog.png"))
    out = dlg.save(str(tmp_path / "a3.xlsx"))
    assert out and load_workbook(out).active["A2"].value == "“城市管理进社区”基本情况统计表"
    w.close()


def test_a_template_file_is_kept_in_the_plan_as_one_undo_step(qtbot, settings, tmp_path):
    import json

    from gridmap.core.exchange.templates import plan_templates

    plan = one_two_n()
    w = _window(qtbot, tmp_path, plan)
    own = tmp_path / "社区名单.json"
    own.write_text(json.dumps({"title": "{plan}社区名单", "level": "community", "columns": [
        {"header": "社区", "field": "name"}, {"header": "网格长", "field": "role.leader.text"}]}), encoding="utf-8")
    dlg = w.template_dialog()
    assert not dlg.keep_button.isEnabled()                   # a built-in needs no keeping
    dlg.template.addItem(own.name, str(own))
    dlg.template.setCurrentIndex(dlg.template.count() - 1)
    assert dlg.table.rowCount() == 1 + 2 and dlg.keep_button.isEnabled()
    dlg.keep_button.click()
    assert "社区名单" in plan_templates(w.document.plan)
    w.undo_group.undo()
    assert not plan_templates(w.document.plan)
    w.undo_group.redo()
    dlg.close()
    dlg = w.template_dialog()                                 # listed first next time, by its name
    assert dlg.template.itemData(0) == "社区名单" and dlg.table.rowCount() == 1 + 2
    dlg.close()
    w.close()
