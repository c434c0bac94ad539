"""Issue 18: monthly assessment and ranking, yearly total, award classes, the "3 times in a row in
the bottom three" flag, the work ledger — on the sample plan with 12 months of generated scores
(tests/assess_support.py), through the core, the project file, the CLI and the app."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import load_workbook

from assess_support import YEAR, deduction, score_year, year_end_deduction
from gridmap.core.assessment import ledger as L
from gridmap.core.assessment import scores as S
from gridmap.core.assessment.sheets import read_score_sheet, write_rankings, write_score_sheet
from gridmap.core.editing.buffer import EditBuffer
from gridmap.core.storage import open_plan, save_plan

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture
def plan(sample_plan_path):
    return open_plan(sample_plan_path)


@pytest.fixture
def scored(plan):
    score_year(plan)
    return plan


def _hand_year(plan):
    """The yearly ranking computed by hand from the generator's formula (not by the library)."""
    codes = sorted(plan.grids.loc[plan.grids["level"] == "small", "code"])
    out = {}
    for i, c in enumerate(codes):
        monthly = [100 - deduction(i, m) for m in range(1, 13)]
        out[c] = round(0.6 * sum(monthly) / 12 + 0.4 * (100 - year_end_deduction(i)), 2)
    order = sorted(out, key=lambda c: -out[c])
    rank = {c: 1 + sum(1 for d in out.values() if d > out[c]) for c in out}
    return out, order, rank, codes


def test_month_ranking_matches_the_formula(scored):
    codes = sorted(scored.grids.loc[scored.grids["level"] == "small", "code"])
    r = S.month_ranking(scored, "2026-07").set_index("网格编号")
    for i, c in enumerate(codes):
        d = (7 * i + 21) % 31                      # month 7: every grid a different deduction
        assert r.at[c, "合计"] == 100 - d
        assert r.at[c, "排名"] == d + 1
    assert sorted(r.index[r["末位"]]) == sorted(c for i, c in enumerate(codes) if (7 * i + 21) % 31 >= 28)


def test_yearly_total_classes_and_flag_match_the_hand_computed_answer(scored):
    totals, order, rank, codes = _hand_year(scored)
    y = S.year_ranking(scored, YEAR).set_index("网格编号")
    for c in codes:
        assert y.at[c, "年度总分"] == pytest.approx(totals[c], abs=0.011)
        assert y.at[c, "排名"] == rank[c]
    assert y.at[order[0], "年度总分"] == pytest.approx(91.40)        # 新安一网格: 0.6×85.67 + 0.4×100
    classes = [y.at[c, "等次"] for c in order]
    assert classes == ["一类网格"] * 2 + ["二类网格"] * 4 + ["三类网格"] * 6 + ["达标网格"] * (len(codes) - 12)
    # grid 5 in the last three places in March–May: flagged, naming its leader; grid 9 three times but not in a row
    flags = S.bottom_flags(scored, YEAR)
    assert [(f["code"], f["months"]) for f in flags] == [(codes[5], ["2026-03", "2026-04", "2026-05"])]
    gid = scored.grid_by_code(codes[5])
    leader = scored.people_on(gid, "leader")["name"].tolist()
    assert leader and [p["name"] for p in flags[0]["leaders"]] == leader
    assert y.at[codes[5], "须书面说明"] == "是" and y.at[codes[9], "须书面说明"] == ""
    nine = S.grid_history(scored, scored.grid_by_code(codes[9]))
    assert nine["末位"].sum() >= 3


def test_scores_are_undoable_saved_and_reloaded(plan, tmp_path):
    buf = score_year(plan)
    assert len(plan.assess_scores) == 13 * 31 * 7
    path = tmp_path / "p.gpkg"
    save_plan(plan, path)
    again = open_plan(path)
    assert S.year_ranking(again, YEAR).drop(columns="grid").equals(S.year_ranking(plan, YEAR).drop(columns="grid"))
    buf.undo()                                     # the year-end check
    y = S.year_ranking(plan, YEAR)
    assert y["年度总分"].isna().all() and set(y["备注"]) == {"缺年终检查"}
    assert y["排名"].isna().all()                  # no silent zero for the missing check


def test_bad_scores_are_refused_bilingually(plan):
    code = S.assessed_grids(plan)["code"].iloc[0]
    with pytest.raises(S.AssessError, match="超出.*outside"):
        S.record_scores(plan, "2026-01", [(code, "环境卫生", 25)])
    with pytest.raises(S.AssessError, match="不在考核评分表.*not in the scoring template"):
        S.record_scores(plan, "2026-01", [(code, "绿化", 5)])
    with pytest.raises(S.AssessError, match="不是.*not"):
        S.record_scores(plan, "2026-01", [("999", "环境卫生", 5)])
    with pytest.raises(S.AssessError, match="月份.*month"):
        S.record_scores(plan, "2026-13", [(code, "环境卫生", 5)])
    EditBuffer(plan).push(S.record_scores(plan, "2026-01", [(code, "环境卫生", 5)]))
    with pytest.raises(S.AssessError, match="--replace"):        # never a silent overwrite
        S.record_scores(plan, "2026-01", [(code, "环境卫生", 6)])
    with pytest.raises(S.AssessError, match="权重.*weights"):
        S.Rules.parse({"assess.weights": "60"}, plan)


def test_rules_change_the_ranking(scored):
    buf = EditBuffer(scored)
    rules = S.Rules.parse({**S.Rules.of(scored).settings(), "assess.weights": "100,0",
                           "assess.classes": "先进网格:3"}, scored)
    buf.push(S.set_rules(scored, rules))
    y = S.year_ranking(scored, YEAR)
    assert (y["年度总分"] == y["月度平均分"]).all()
    assert y["等次"].tolist()[:4] == ["先进网格"] * 3 + ["达标网格"]
    buf.undo()
    assert S.Rules.of(scored).weights == (60.0, 40.0)


def test_score_sheet_round_trip_and_formula_text(plan, tmp_path):
    score_year(plan)
    sheet = tmp_path / "sheet.xlsx"
    write_score_sheet(plan, sheet, [("2026-02", "monthly"), ("2026", "year_end")])
    checks = read_score_sheet(plan, sheet)
    assert [(p, k, len(r)) for p, k, r in checks] == [("2026-02", "monthly", 217), (YEAR, "year_end", 217)]
    # a grid named like a formula stays text in the ranking workbook
    gid = S.assessed_grids(plan).index[0]
    plan.grids.at[gid, "name"] = "=HYPERLINK(\"http://x\")"
    out = tmp_path / "rank.xlsx"
    write_rankings(plan, out, year=YEAR)
    wb = load_workbook(out)
    assert wb.sheetnames[:2] == ["2026年1月检查排名", "2026年2月检查排名"] and "2026年度综合考核排名" in wb.sheetnames
    ws = wb["2026年度综合考核排名"]
    assert [c.value for c in ws[2]][:8] == ["排名", "网格编号", "网格名称", "月度检查次数", "月度平均分", "年终检查得分",
                                           "年度总分", "等次"]
    cells = [c for row in ws.iter_rows() for c in row if c.value == "=HYPERLINK(\"http://x\")"]
    assert cells and all(c.data_type == "s" for c in cells)


def test_ledger_export_has_the_seed_columns_and_visits_check(plan, tmp_path):
    import os

    cands = [REPO.parent / "shared" / "seeds", Path(os.environ.get("GRIDMAP_SHARED_DATA", "/nonexistent")).parent / "seeds"]
    seed = next((c / "004_eb3aac72a609e168.txt" for c in cands if (c / "004_eb3aac72a609e168.txt").exists()), None)
    if seed is not None:   # the columns of 附件2, as the document prints them
        text = seed.read_text(encoding="utf-8")
        block = text[text.index("“城市管理进社区”活动工作台账\n"):text.index("注：")]
        cols = [ln.strip() for ln in block.splitlines() if ln.startswith("\t")]
        assert cols == L.LEDGER_HEADER
    buf = EditBuffer(plan)
    codes = S.assessed_grids(plan)["code"].tolist()
    buf.push(L.add_record(plan, codes[0], "2026年1月5日", "巡查门前三包", "王五 13900000000", "赵六 13900000001",
                          category="小事"))
    buf.push(L.add_record(plan, codes[1], "2026-01-20", "=cmd|' /C calc'!A0"))
    assert plan.ledger["handled_by"].iloc[0] == L.CATEGORIES["小事"]
    missing = L.no_visit(plan, "2026-01")
    assert len(missing) == len(codes) - 2 and codes[0] not in [c for c, _ in missing]
    out = tmp_path / "ledger.xlsx"
    L.write_ledger(plan, out, "2026-01", unit="区综合执法局", filler="李四", phone="0632-0000000", filled="2026-02-01")
    ws = load_workbook(out).active
    assert ws["A1"].value == L.LEDGER_TITLE
    assert ws["A2"].value.startswith("填表单位：区综合执法局") and "填表人：李四" in ws["A2"].value
    assert [c.value for c in ws[3]] == L.LEDGER_HEADER
    assert ws["D5"].value == "=cmd|' /C calc'!A0" and ws["D5"].data_type == "s"
    assert ws["A6"].value == L.LEDGER_NOTE
    # and back in
    fresh = open_plan(REPO / "sample_layers" / "baoan_plan.gpkg")
    cmd, n = L.import_ledger(fresh, out)
    EditBuffer(fresh).push(cmd)
    assert n == 2 and len(L.no_visit(fresh, "2026-01")) == len(codes) - 2
    with pytest.raises(S.AssessError, match="日期.*date"):
        L.add_record(plan, codes[0], "yesterday", "巡查")


def test_ranking_map_pdf(scored, tmp_path):
    from gridmap.core.assessment.rankmap import save_ranking_map

    out = tmp_path / "rank.pdf"
    info = save_ranking_map(scored, out, year=YEAR)
    assert out.stat().st_size > 10_000 and info["unlabelled"] == []
    assert info["classes"] == ["一类网格", "二类网格", "三类网格", "达标网格"]
    codes = sorted(scored.grids.loc[scored.grids["level"] == "small", "code"])
    assert info["marked"] == [codes[5]]
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True).stdout \
        if subprocess.run(["which", "pdftotext"], capture_output=True).returncode == 0 else None
    if text is not None:
        assert "年度综合考核排名示意图" in text and "第1名" in text


def _cli(*args, cwd=REPO):
    return subprocess.run([sys.executable, "-m", "gridmap", "assess", *map(str, args)], capture_output=True, text=True,
                          cwd=cwd)


def test_cli_sheet_import_rank(sample_plan_path, tmp_path):
    path = tmp_path / "p.gpkg"
    path.write_bytes(sample_plan_path.read_bytes())
    scratch = open_plan(sample_plan_path)
    score_year(scratch)
    sheet = tmp_path / "year.xlsx"
    write_score_sheet(scratch, sheet, [(f"2026-{m:02d}", "monthly") for m in range(1, 13)] + [("2026", "year_end")])
    r = _cli("import", path, sheet)
    assert r.returncode == 0, r.stderr
    assert "2026-03 月度检查: 31" in r.stdout
    r = _cli("import", path, sheet)
    assert r.returncode == 2 and "--replace" in r.stderr and "Traceback" not in r.stderr
    r = _cli("rank", path, "--year", "2026", "-o", tmp_path / "rank.xlsx")
    assert r.returncode == 0, r.stderr
    assert "须书面说明" in r.stdout and (tmp_path / "rank.xlsx").exists()
    r = _cli("rank", path, "--year", "2026", "--json")
    import json

    data = json.loads(r.stdout)
    assert data["ranking"][0]["年度总分"] == pytest.approx(91.4) and len(data["flags"]) == 1
    r = _cli("rules", path, "--weights", "abc")
    assert r.returncode == 2 and "weights" in r.stderr and "Traceback" not in r.stderr
    r = _cli("ledger", path, "--month", "2026-01")
    assert r.returncode == 1 and "无进社区记录" in r.stdout


def test_app_dialog_records_scores_ranks_and_undoes(qtbot, sample_plan_path, tmp_path):
    from ui_edit_support import open_window

    path = tmp_path / "p.gpkg"
    path.write_bytes(sample_plan_path.read_bytes())
    w = open_window(qtbot, path, size=(1200, 850), zoom=False)
    assert w.actions["assessment"].isEnabled()
    w.actions["assessment"].trigger()
    from gridmap.ui.assessment_dialog import AssessmentDialog

    dlg = w.findChild(AssessmentDialog, "assessment_dialog")
    assert dlg is not None and dlg.isVisible()
    dlg.s_year.setValue(2026)
    dlg.s_month.setCurrentIndex(0)
    # type scores into the table: every grid, every item, full marks minus the row number
    tb = dlg.score_table
    for r in range(tb.rowCount()):
        tb.item(r, 3).setText(str(20 - (r % 20)))       # 环境卫生 (20)
    assert dlg.record_scores() is True
    assert len(w.document.plan.assess_scores) == tb.rowCount()
    dlg.r_year.setValue(2026)
    dlg.r_kind.setCurrentIndex(0)
    dlg.r_month.setCurrentIndex(0)
    assert dlg.rank_table.rowCount() == tb.rowCount() and dlg.rank_table.item(0, 0).text() == "1"
    dlg.rank_table.selectRow(0)
    assert "2026-01" in dlg.history_label.text() and dlg.rank_table.item(0, 1).text() in dlg.history_label.text()
    tb.item(0, 3).setText("99")                           # over the maximum: refused, nothing changes
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QMessageBox

    QTimer.singleShot(200, lambda: [m.close() for m in dlg.findChildren(QMessageBox)])
    assert dlg.record_scores(replace=True) is False
    assert "超出" in dlg.message.text() or "outside" in dlg.message.text()
    w.document.undo()
    assert len(w.document.plan.assess_scores) == 0
    # the ledger tab: one record, one undo step
    dlg.l_year.setValue(2026)
    dlg.l_month.setCurrentIndex(0)
    dlg.l_matter.setText("巡查门前三包")
    from PySide6.QtCore import QDate

    dlg.l_date.setDate(QDate(2026, 1, 8))
    assert dlg.add_record() is True
    assert dlg.ledger_table.rowCount() == 1
    dlg.export_ledger(str(tmp_path / "ledger.xlsx"))
    assert (tmp_path / "ledger.xlsx").exists()
    # the survey tab: tallies imported as one undo step, rates shown
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.append(["社区名称", "问题", "满意", "基本满意", "不满意", "不满意的原因"])
    wb.active.append([S.assessed_grids(w.document.plan)["name"].iloc[0], "城管执法", 8, 1, 1, "占道经营"])
    wb.save(tmp_path / "tallies.xlsx")
    dlg.v_year.setValue(2026)
    dlg.v_month.setCurrentIndex(0)
    assert dlg.import_survey(str(tmp_path / "tallies.xlsx")) is True
    assert dlg.survey_table.rowCount() == 2 and dlg.survey_table.item(0, 8).text() == "90"
    w.document.undo()
    assert dlg.survey_table.rowCount() == 0
    dlg.tabs.setCurrentIndex(0)
    assert not dlg.grab().isNull()


def test_survey_tallies_rates_and_cli(sample_plan_path, tmp_path):
    from openpyxl import Workbook

    from gridmap.core.assessment.survey import rate_table

    path = tmp_path / "p.gpkg"
    path.write_bytes(sample_plan_path.read_bytes())
    plan = open_plan(path)
    names = S.assessed_grids(plan)["name"].tolist()
    wb = Workbook()
    ws = wb.active
    ws.append(["满意度调查汇总"])
    ws.append(["社区名称", "问题", "满意", "基本满意", "不满意", "不满意的原因"])
    ws.append([names[0], "环卫保洁", 30, 15, 5, "=1+1"])
    ws.cell(row=3, column=6).data_type = "s"          # text that looks like a formula
    ws.append([names[0], "绿化养护", 20, 20, 10, ""])
    ws.append([names[1], "环卫保洁", 10, 5, 5, "垃圾清运不及时"])
    wb.save(tmp_path / "t.xlsx")
    r = _cli("survey", path, "--period", "2026-01", "--import", tmp_path / "t.xlsx", "-o", tmp_path / "rates.xlsx")
    assert r.returncode == 0, r.stderr
    t = rate_table(open_plan(path), "2026-01")
    row = t[(t["社区名称"] == names[0]) & (t["问题"] == "环卫保洁")].iloc[0]
    assert row["满意率（%）"] == 90.0 and row["不满意的原因"] == "=1+1"
    total = t[(t["社区名称"] == "总计") & (t["问题"] == "环卫保洁")].iloc[0]
    assert total["合计"] == 70 and total["满意率（%）"] == pytest.approx(85.7)
    cells = [c for row in load_workbook(tmp_path / "rates.xlsx").active.iter_rows() for c in row if c.value == "=1+1"]
    assert cells and cells[0].data_type == "s"
    r = _cli("survey", path, "--period", "2026-01", "--import", tmp_path / "t.xlsx")
    assert r.returncode == 2 and "--replace" in r.stderr


def test_assessment_tables_travel_with_the_plan_to_postgis(scored, pg_url):
    from gridmap.core.storage.postgis import publish

    EditBuffer(scored).push(L.add_record(scored, S.assessed_grids(scored)["code"].iloc[0], "2026-01-05", "巡查"))
    publish(scored, pg_url)
    back = open_plan(pg_url)
    assert len(back.assess_scores) == len(scored.assess_scores) and len(back.ledger) == 1
    a = S.year_ranking(back, YEAR).drop(columns="grid")
    assert a.equals(S.year_ranking(scored, YEAR).drop(columns="grid"))


def test_cli_history(sample_plan_path, tmp_path):
    plan = open_plan(sample_plan_path)
    score_year(plan)
    path = tmp_path / "p.gpkg"
    save_plan(plan, path)
    codes = sorted(plan.grids.loc[plan.grids["level"] == "small", "code"])
    r = _cli("history", path, "--grid", codes[5])
    assert r.returncode == 0, r.stderr
    assert r.stdout.count("是") == 4 and "2026-12" in r.stdout and "年终检查" in r.stdout   # Mar–May and Aug (alone)
    r = _cli("history", path, "--grid", "nope")
    assert r.returncode == 2 and "Traceback" not in r.stderr
