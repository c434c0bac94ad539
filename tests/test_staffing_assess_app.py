"""Issues 13 and 18, the parts a planner reaches in the app (and the CLI beside them):
per-grid quotas (grid form → 本网格定额…, the staffing dialog's grid table), the place form
(识别结果 → 设置场所责任人…), the annex-table template editor, the satisfaction map, the
``no_visit`` check rule and the example points of the scoring template."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import load_workbook
from PySide6.QtWidgets import QApplication, QDialogButtonBox
from shapely import Point

sys.path.insert(0, str(Path(__file__).parent))
from test_staffing import one_two_n  # noqa: E402
from ui_edit_support import open_window  # noqa: E402

from gridmap.core import staffing as S  # noqa: E402
from gridmap.core.assessment import ledger as L  # noqa: E402
from gridmap.core.assessment import scores as SC  # noqa: E402
from gridmap.core.checks import check_plan  # noqa: E402
from gridmap.core.editing.buffer import EditBuffer  # noqa: E402
from gridmap.core.exchange.templates import plan_templates  # noqa: E402
from gridmap.core.storage import open_plan, save_plan  # noqa: E402

REPO = Path(__file__).resolve().parent.parent


def _window(qtbot, tmp_path, plan):
    path = tmp_path / "p.gpkg"
    save_plan(plan, path)
    return open_window(qtbot, path, zoom=False)


def _cli(*args):
    return subprocess.run([sys.executable, "-m", "gridmap", *map(str, args)], capture_output=True, text=True, cwd=REPO)


def _seed_module():
    spec = importlib.util.spec_from_file_location("seed_structures", REPO / "docs" / "examples" / "seed_structures.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


# ---------------------------------------------------------------------------- per-grid quotas
def test_a_grid_quota_from_the_grid_form_is_one_undo_step_and_checked(qtbot, settings, tmp_path):
    plan = one_two_n()
    w = _window(qtbot, tmp_path, plan)
    gid = int(plan.grids.index[plan.grids["level"] == "community"][0])
    code = str(plan.grids.at[gid, "code"])
    w.document.set_selection([gid])
    assert w.form.quota.text() == "网格长=1；在编=2；协管=8"         # the level's quota, shown on the form
    assert w.form.quota_button.text() == "本网格定额…"
    w.form.quota_button.click()
    dlg = next(d for d in QApplication.topLevelWidgets() if type(d).__name__ == "StaffingDialog" and d.isVisible())
    assert dlg.grid_table.rowCount() == 1 and dlg.grid_table.item(0, 2).text() == "网格长=1；在编=2；协管=8"
    dlg.set_grid_quota(code, "在编=3；协管=8；服务站=1")
    assert "在编: 2/3" in dlg.findings.text() and "城管服务站: 0/1" in dlg.findings.text()
    dlg.set_grid_quota(code, "在编=")                                  # bad text: said, OK disabled
    ok = dlg.buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert not ok.isEnabled() and code in dlg.error.text()
    dlg.set_grid_quota(code, "在编=3；协管=8；服务站=1")
    qtbot.wait(30)
    dlg.grab().save(str(tmp_path / "staffing_grid_quota.png"))
    ok.click()
    p = w.document.plan
    assert p.settings[S.QUOTA_PREFIX + "grid." + code] == "在编=3；协管=8；服务站=1"
    assert "本网格自定" in w.form.quota.text()
    found = {(x.grids[0], x.extra["post"]) for x in check_plan(p).problems if x.rule == "staffing"}
    assert found == {(code, "在编"), (code, "城管服务站")}
    w.undo_group.undo()
    assert S.QUOTA_PREFIX + "grid." + code not in w.document.plan.settings
    assert not [x for x in check_plan(w.document.plan).problems if x.rule == "staffing"]
    w.undo_group.redo()
    # the grid's own quota follows its code when the code is changed in the form
    w.form.code.setText(code[:-1] + "9")
    w.form._commit_code()
    p = w.document.plan
    assert S.QUOTA_PREFIX + "grid." + code not in p.settings
    assert p.settings[S.QUOTA_PREFIX + "grid." + code[:-1] + "9"] == "在编=3；协管=8；服务站=1"
    w.undo_group.undo()
    assert w.document.plan.settings[S.QUOTA_PREFIX + "grid." + code] == "在编=3；协管=8；服务站=1"
    # removing the row removes the grid's own quota
    dlg = w.staffing_dialog()
    dlg.grid_table.selectRow(0)
    dlg.remove_selected_grids()
    dlg.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    assert S.QUOTA_PREFIX + "grid." + code not in w.document.plan.settings
    w.close()


# ---------------------------------------------------------------------------- the place form
def test_a_place_gets_its_responsible_person_from_identify(qtbot, settings, tmp_path):
    plan = one_two_n()
    unit = int(plan.grids.index[plan.grids["level"] == "unit"][0])
    shop = plan.add_place(Point(50, 100), "示例便利店", kind="门前三包", grid=unit)
    owner = plan.add_person("测试店主", post="店主", phone="13900009999")
    plan.settings = {**plan.settings, "check.enabled": "place_no_person"}
    w = _window(qtbot, tmp_path, plan)
    assert any(x.rule == "place_no_person" for x in check_plan(w.document.plan).problems)
    res = w.identify_at(50, 100, 5)
    panel = w.identify_panel
    place_hits = [h for _, hits in res for h in hits if len(h) > 2]
    assert place_hits and place_hits[0][2] == ("place", shop)
    assert dict(place_hits[0][1])["责任人"] == "（无）"
    # the panel selects the first feature: the place (plan layers come first) → the button opens its form
    assert panel.current_place() == shop and panel.place_button.isEnabled()
    assert panel.place_button.text() == "设置场所责任人…"
    panel.place_button.click()
    dlg = next(d for d in QApplication.topLevelWidgets() if type(d).__name__ == "PlaceDialog" and d.isVisible())
    dlg.person.setCurrentIndex(dlg.person.findData(owner))
    assert dlg.phone.text() == "13900009999" and dlg.post.text() == "店主"
    dlg.phone.setText("13900008888")
    qtbot.wait(30)
    dlg.grab().save(str(tmp_path / "place_dialog.png"))
    assert dlg.apply()
    p = w.document.plan
    assert int(p.places.at[shop, "person"]) == owner and p.people.at[owner, "phone"] == "13900008888"
    assert not any(x.rule == "place_no_person" for x in check_plan(p).problems)
    res = w.identify_at(50, 100, 5)
    hit = next(h for _, hits in res for h in hits if len(h) > 2)
    assert dict(hit[1])["责任人"] == "测试店主 · 店主" and dict(hit[1])["电话"] == "13900008888"
    w.undo_group.undo()                                         # one undo step: person and phone back
    p = w.document.plan
    assert str(p.places.at[shop, "person"]) == "<NA>" and p.people.at[owner, "phone"] == "13900009999"
    # a typed name not in the roster adds the person
    from gridmap.ui.place_dialog import open_place_dialog

    dlg = open_place_dialog(w, shop)
    dlg.person.setEditText("新来的楼长")
    dlg.post.setText("楼长")
    dlg.phone.setText("13900007777")
    assert dlg.apply()
    p = w.document.plan
    pid = int(p.places.at[shop, "person"])
    assert p.people.at[pid, "name"] == "新来的楼长" and p.people.at[pid, "category"] == "志愿者"
    w.undo_group.undo()
    assert pid not in w.document.plan.people.index
    w.close()


# ---------------------------------------------------------------------------- the template editor
def test_template_editor_copies_a_builtin_edits_columns_and_saves(qtbot, settings, tmp_path):
    w = _window(qtbot, tmp_path, _seed_module().zaozhuang())
    dlg = w.template_dialog()
    assert dlg.new_button.text() == "新建模板…" and dlg.edit_button.text() == "编辑模板…"
    ed = dlg.edit_template()                                   # the built-in 附件3: a copy
    assert ed.name.text() == "zaozhuang_annex3_副本" and ed.columns.rowCount() == 8
    grouped = ed.preview                                       # two header rows, the groups merged over columns
    assert grouped.item(0, 2).text() == "社区基本情况" and grouped.columnSpan(0, 2) == 3
    assert grouped.item(0, 0).text() == "街道" and grouped.rowSpan(0, 0) == 2
    assert grouped.rowSpan(2, 0) == 3                          # 街道 merged over its three communities
    ed.add_column({"header": "网格编码", "field": "code", "width": 16})
    ed.columns.item(8, 1).setText("补充")                      # a group header of its own
    ed.title.setText("{plan}社区统计表")
    ed.landscape.setChecked(True)
    t = ed.template()
    assert t["columns"][-1] == {"header": "网格编码", "field": "code", "group": "补充", "width": 16}
    assert t["landscape"] is True and t["title"] == "{plan}社区统计表"
    ed.move_column(-1)                                         # the new column one place to the left
    assert ed.template()["columns"][7]["header"] == "网格编码"
    assert ed.preview.rowCount() == 2 + 6
    qtbot.wait(30)
    ed.grab().save(str(tmp_path / "template_editor.png"))
    out = ed.save_json(str(tmp_path / "社区统计.json"))
    assert json.loads(out.read_text(encoding="utf-8"))["columns"][7]["field"] == "code"
    assert ed.save_to_plan()
    kept = plan_templates(w.document.plan)
    assert "zaozhuang_annex3_副本" in kept and dlg.template.currentData() == "zaozhuang_annex3_副本"
    from gridmap.core.exchange.templates import BUILTIN

    assert len(BUILTIN["zaozhuang_annex3"]["columns"]) == 8           # the built-in is unchanged
    w.undo_group.undo()
    assert not plan_templates(w.document.plan)
    w.undo_group.redo()
    # a new template from scratch, one row per person
    ed = dlg.edit_template(new=True)
    ed.name.setText("人员名单")
    ed.rows.setCurrentIndex(ed.rows.findData("person"))
    ed.level.setCurrentIndex(ed.level.findData("community"))
    ed.add_column({"header": "姓名", "field": "person.name"})
    ed.add_column({"header": "联系电话", "field": "person.phone"})
    assert ed.error.text() == "" and ed.preview.rowCount() > 1
    assert ed.save_to_plan()
    w.document.save()
    path = w.document.path
    w.close()
    # the kept template is found by name from the CLI too
    r = _cli("export", path, "-f", "xlsx", "--template", "zaozhuang_annex3_副本", "-o", tmp_path / "a.xlsx")
    assert r.returncode == 0, r.stderr
    ws = load_workbook(tmp_path / "a.xlsx").active
    assert ws.page_setup.orientation == "landscape"
    assert [c.value for c in ws[3]][:3] == ["街道", "序号", "社区基本情况"] and ws[3][7].value == "补充"
    assert ws.row_dimensions[3].height >= 34          # a group header over one column wraps: its row is taller
    assert [c.value for c in ws[4]][2:9] == ["社区名称", "负责人", "联系电话", "姓名", "职务", "网格编码", "联系电话"]


# ---------------------------------------------------------------------------- satisfaction map
def _tallies(plan):
    from gridmap.core.assessment.survey import record_tallies

    rows = []
    for i, c in enumerate(SC.assessed_grids(plan)["code"].tolist()):
        if i == 3:
            continue                                           # one community without data
        rows.append((c, "环卫保洁", 20 + (i * 7) % 30, 10, (i * 5) % 9))
        rows.append((c, "城管执法", 30, 5 + i % 4, (i * 3) % 7))
    EditBuffer(plan).push(record_tallies(plan, "2026-01", rows))


def test_satisfaction_map_core_cli_and_dialog(qtbot, settings, sample_plan_path, tmp_path):
    from gridmap.core.assessment.surveymap import save_satisfaction_map

    path = tmp_path / "p.gpkg"
    path.write_bytes(sample_plan_path.read_bytes())
    plan = open_plan(path)
    _tallies(plan)
    save_plan(plan, path)
    codes = SC.assessed_grids(plan)["code"].tolist()
    infos = save_satisfaction_map(plan, tmp_path / "s.pdf", "2026-01")
    assert [i["question"] for i in infos] == ["环卫保洁", "城管执法"]         # a page per question asked
    first = codes[0]
    assert infos[0]["rates"][first] == pytest.approx(100.0 * 30 / 30)
    assert codes[3] not in infos[0]["rates"] and "无调查数据" in infos[0]["bands"]
    assert infos[0]["unlabelled"] == []
    if subprocess.run(["which", "pdftotext"], capture_output=True).returncode == 0:
        text = subprocess.run(["pdftotext", str(tmp_path / "s.pdf"), "-"], capture_output=True, text=True).stdout
        assert "环卫保洁满意度示意图" in text and "城管执法满意度示意图" in text and "100.0%" in text
    r = _cli("assess", "survey", path, "--period", "2026-01", "--map", tmp_path / "m.png", "--question", "城管执法")
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "m.png").stat().st_size > 20_000
    r = _cli("assess", "survey", path, "--period", "2026-01", "--map", tmp_path / "m.png")
    assert r.returncode == 2 and "--force" in r.stderr                        # never overwritten silently
    r = _cli("assess", "survey", path, "--period", "2026-01", "--map", tmp_path / "m.svg", "--force")
    assert r.returncode == 2 and ".pdf" in r.stderr
    # from the app's 考核 dialog
    w = open_window(qtbot, path, zoom=False)
    from gridmap.ui.assessment_dialog import AssessmentDialog

    dlg = AssessmentDialog(w.document, w)
    qtbot.addWidget(dlg)
    dlg.v_year.setValue(2026)
    dlg.v_month.setCurrentIndex(dlg.v_month.findData(1))
    assert dlg.survey_map_btn.text() == "导出满意度示意图（PDF/PNG）…"
    dlg.survey_question.setCurrentIndex(dlg.survey_question.findData("环卫保洁"))
    infos = dlg.export_survey_map(str(tmp_path / "app.png"))
    assert len(infos) == 1 and (tmp_path / "app.png").exists() and "已写入" in dlg.message.text()
    dlg.survey_question.setCurrentIndex(0)
    assert len(dlg.export_survey_map(str(tmp_path / "app.pdf"))) == 2
    dlg.close()
    w.close()


# ---------------------------------------------------------------------------- the no_visit rule
def test_no_visit_rule_in_check_cli_and_problems_list(qtbot, settings, sample_plan_path, tmp_path):
    path = tmp_path / "p.gpkg"
    path.write_bytes(sample_plan_path.read_bytes())
    plan = open_plan(path)
    assert not [x for x in check_plan(plan).problems if x.rule == "no_visit"]       # no ledger: nothing to read
    buf = EditBuffer(plan)
    codes = SC.assessed_grids(plan)["code"].tolist()
    for c in codes[:-2]:
        buf.push(L.add_record(plan, c, "2026-01-10", "巡查"))
    buf.push(L.add_record(plan, codes[0], "2026-02-03", "巡查"))
    save_plan(plan, path)
    found = [x for x in check_plan(plan).problems if x.rule == "no_visit"]
    assert sorted(x.grids[0] for x in found) == sorted(codes[1:])                     # the latest month, 2026-02
    j = found[0].to_json()
    assert j["month"] == "2026-02" and j["measures"]["visits"] == 0 and j["severity"] == "warning"
    r = _cli("check", path, "--rules", "no_visit", "--month", "2026-01", "--json")
    data = json.loads(r.stdout)
    rows = [p for p in data["problems"] if p["rule"] == "no_visit"]
    assert sorted(p["grids"][0] for p in rows) == sorted(codes[-2:])
    assert rows[0]["last_visit"] is None and rows[0]["measures"]["days_since_last_visit"] is None
    r = _cli("check", path, "--rules", "no_visit", "--month", "2026-13")
    assert r.returncode == 2 and "2026-13" in r.stderr and "Traceback" not in r.stderr
    # the problems list of the app shows them; adding a visit removes one (live attribute re-check)
    w = open_window(qtbot, path, zoom=False)
    w.actions["run_checks"].trigger()
    qtbot.waitUntil(lambda: sum(x.get("rule") == "no_visit" for x in w.problems.problems) == len(codes) - 1,
                    timeout=30000)
    row = next(x for x in w.problems.problems if x.get("rule") == "no_visit")
    assert "没有进社区工作台账记录" in row["message"]
    w.document.push(L.add_record(w.document.plan, codes[1], "2026-02-20", "走访"), "台账")
    qtbot.waitUntil(lambda: sum(x.get("rule") == "no_visit" for x in w.problems.problems) == len(codes) - 2,
                    timeout=30000)
    w.close()


# ---------------------------------------------------------------------------- example points
def test_example_points_are_marked_in_the_app_and_cli(qtbot, settings, sample_plan_path, tmp_path):
    path = tmp_path / "p.gpkg"
    path.write_bytes(sample_plan_path.read_bytes())
    r = _cli("assess", "show", path)
    assert r.returncode == 0 and "示例分值" in r.stdout and "附件2" in r.stdout
    assert json.loads(_cli("assess", "show", path, "--json").stdout)["example_points"] is True
    w = open_window(qtbot, path, zoom=False)
    from gridmap.ui.assessment_dialog import AssessmentDialog

    dlg = AssessmentDialog(w.document, w)
    qtbot.addWidget(dlg)
    dlg.show()
    dlg.tabs.setCurrentIndex(2)
    assert dlg.example_note.isVisible() and "不是文件规定的分值" in dlg.example_note.text()
    assert "示例分值" in dlg.scores_example.text()
    qtbot.wait(30)
    dlg.grab().save(str(tmp_path / "assess_rules_example.png"))
    dlg.items_table.item(0, 1).setText("20")                  # the planner's own points
    dlg.items_table.item(1, 1).setText("15")
    assert dlg.apply_rules()
    assert not SC.template_is_example(w.document.plan)
    assert not dlg.example_note.isVisible() and dlg.scores_example.text() == ""
    dlg.close()
    w.close()


def test_place_person_from_the_cli(sample_plan_path, tmp_path):
    path = tmp_path / "p.gpkg"
    path.write_bytes(sample_plan_path.read_bytes())
    plan = open_plan(path)
    first, second = [str(n) for n in plan.places["name"].iloc[:2]]
    r = _cli("staffing", path, "--place-person", f"{first}=测试楼长:13900001234", "--place-person",
             f"#{int(plan.places.index[1])}=测试楼长")
    assert r.returncode == 0, r.stderr
    assert f"{first} → 测试楼长 13900001234" in r.stdout
    p = open_plan(path)
    pid = int(p.places["person"].iloc[0])
    assert p.people.at[pid, "name"] == "测试楼长" and p.people.at[pid, "phone"] == "13900001234"
    assert int(p.places["person"].iloc[1]) == pid and second
    r = _cli("staffing", path, "--place-person", "无此场所=某人")
    assert r.returncode == 2 and "无此场所" in r.stderr and "Traceback" not in r.stderr


def test_the_new_dialogs_are_chinese(qtbot, settings, tmp_path, sample_plan_path):
    """Every string a user sees on the dialogs of this file is Chinese (the walker of test_ui_chinese_walk)."""
    from test_ui_chinese_walk import offending, widget_texts

    from gridmap.ui.assessment_dialog import AssessmentDialog
    from gridmap.ui.place_dialog import open_place_dialog

    plan = _seed_module().zaozhuang()
    unit = int(plan.grids.index[plan.grids["level"] == plan.levels[-1].key][0])
    shop = plan.add_place(plan.grids.geometry[unit].representative_point(), "示例便利店", kind="门前三包", grid=unit)
    w = _window(qtbot, tmp_path, plan)
    bad = []
    dlg = w.staffing_dialog(grid_id=unit)
    bad += offending(widget_texts(dlg))
    dlg.close()
    tdlg = w.template_dialog()
    bad += offending(widget_texts(tdlg))
    ed = tdlg.edit_template()
    bad += offending(widget_texts(ed))
    ed.close()
    tdlg.close()
    pd_ = open_place_dialog(w, shop)
    bad += offending(widget_texts(pd_))
    pd_.close()
    pt = plan.places.geometry[shop]
    w.identify_at(pt.x, pt.y, 5)
    bad += offending(widget_texts(w.identify_panel))
    w.document.set_selection([unit])
    bad += offending([t for t in widget_texts(w.form) if "placeholder" not in t[0]])
    a = AssessmentDialog(w.document, w)
    qtbot.addWidget(a)
    a.show()
    for i in range(a.tabs.count()):
        a.tabs.setCurrentIndex(i)
        bad += offending(widget_texts(a))
    a.close()
    w.close()
    assert not bad, "\n".join(bad)


def test_a_quota_of_a_grid_that_is_gone_does_not_stop_the_checks(qtbot, settings, tmp_path):
    plan = one_two_n()
    plan.settings = {**plan.settings, S.QUOTA_PREFIX + "grid.999": "在编=9"}
    assert S.stale_grid_quotas(plan) == ["999"]
    with pytest.raises(S.StaffingError, match="999"):
        S.grid_quotas(plan, strict=True)
    assert not [x for x in check_plan(plan).problems if x.rule == "staffing"]       # checked, quota of 999 unused
    path = tmp_path / "p.gpkg"
    save_plan(plan, path)
    r = _cli("staffing", path)
    assert r.returncode == 0 and "999 已不存在" in r.stdout
    w = open_window(qtbot, path, zoom=False)
    dlg = w.staffing_dialog()
    assert dlg.grid_table.rowCount() == 1 and "无此网格" in dlg.grid_table.item(0, 0).text()
    assert "999" in dlg.sentence.text() and dlg.buttons.button(QDialogButtonBox.StandardButton.Ok).isEnabled()
    dlg.grid_table.selectRow(0)
    dlg.remove_selected_grids()
    dlg.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    assert not S.stale_grid_quotas(w.document.plan)
    w.close()
