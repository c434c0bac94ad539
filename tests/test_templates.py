"""Annex tables from templates: the built-ins reproduce the seed documents' columns."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from openpyxl import load_workbook

from gridmap import cli
from gridmap.core.exchange import ExchangeError
from gridmap.core.exchange.templates import BUILTIN, export_template, load_template, template_table
from gridmap.core.storage import save_plan

SEEDS = Path(os.environ.get("GRIDMAP_SEEDS", Path(__file__).parent.parent.parent / "shared" / "seeds"))
if not SEEDS.is_dir():
    SEEDS = Path("/work/shared/seeds")


def _zaozhuang():
    import importlib.util

    spec = importlib.util.spec_from_file_location("seed_structures", Path(__file__).parent.parent / "docs" /
                                                  "examples" / "seed_structures.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def _seed_cells(name: str, start: str, stop: str) -> list[str]:
    text = next(SEEDS.glob(name)).read_text(encoding="utf-8")
    i = text.rindex(start)
    part = text[i:text.index(stop, i + len(start))] if stop else text[i:]
    return [c.strip() for c in part.split("\t") if c.strip()]


@pytest.mark.skipif(not SEEDS.is_dir(), reason="seed documents not found")
def test_zaozhuang_annex3_headers_equal_the_seed_table():
    cells = _seed_cells("004_*.txt", "“城市管理进社区”基本情况统计表", "兴仁街道")[1:]
    t = BUILTIN["zaozhuang_annex3"]
    groups = list(dict.fromkeys(c.get("group") or c["header"] for c in t["columns"]))
    subs = [c["header"] for c in t["columns"] if c.get("group")]
    assert cells == groups + subs            # 街道 序号 社区基本情况 执法局城管进社区负责人 / 社区名称 负责人 联系电话 姓名 职务 联系电话


@pytest.mark.skipif(not SEEDS.is_dir(), reason="seed documents not found")
def test_zaozhuang_annex2_headers_equal_the_seed_ledger():
    cells = _seed_cells("004_*.txt", "“城市管理进社区”活动工作台账", "注：")
    heads = [c for c in cells if "：" not in c and "台账" not in c]
    assert heads == [c["header"] for c in BUILTIN["zaozhuang_annex2"]["columns"]]


def test_wengyuan_annex1_has_the_documents_columns():
    assert [c["header"] for c in BUILTIN["wengyuan_annex1"]["columns"]] == ["网格", "挂点领导", "牵头单位", "责任单位",
                                                                             "范围"]


def test_annex3_xlsx_has_grouped_headers_merged_streets_and_the_people(tmp_path, capsys):
    plan = _zaozhuang().zaozhuang()
    path = tmp_path / "z.gpkg"
    save_plan(plan, path)
    out = tmp_path / "a3.xlsx"
    assert cli.main(["export", str(path), "-f", "xlsx", "--template", "zaozhuang_annex3", "-o", str(out)]) == 0
    ws = load_workbook(out).active
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert ws["A1"].value == "附件3" and ws["A2"].value == "“城市管理进社区”基本情况统计表"
    assert {"A3:A4", "B3:B4", "C3:E3", "F3:H3"} <= merged             # two-row header
    assert {"A5:A7", "A8:A10"} <= merged                               # street cells merged over its communities
    assert [ws.cell(row=4, column=j).value for j in range(3, 9)] == ["社区名称", "负责人", "联系电话", "姓名", "职务",
                                                                     "联系电话"]
    df = template_table(plan, BUILTIN["zaozhuang_annex3"])
    assert df.iloc[0].tolist()[:3] == ["示例1街道", "1", "示例1-1社区"] and df.iloc[0, 6] == "执法中队长"
    assert ws.print_title_rows == "$3:$4" and int(ws.page_setup.paperSize) == int(ws.PAPERSIZE_A4)
    # a JSON template of the user's; bad ones are refused clearly
    own = tmp_path / "own.json"
    own.write_text(json.dumps({"title": "{plan}{level}名单", "level": "社区", "columns": [
        {"header": "社区", "field": "name"}, {"header": "所属街道", "field": "parent.name"}]}), encoding="utf-8")
    assert cli.main(["export", str(path), "-f", "csv", "--template", str(own), "-o", str(tmp_path / "o.csv")]) == 0
    assert (tmp_path / "o.csv").read_text(encoding="utf-8-sig").splitlines()[1] == "示例1-1社区,示例1街道"
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"columns": [{"header": "x", "field": "role.nobody.name"}]}), encoding="utf-8")
    for t in ("nope", str(bad)):
        assert cli.main(["export", str(path), "-f", "xlsx", "--template", t, "-o", str(tmp_path / "x.xlsx")]) == 2
        assert " / " in capsys.readouterr().err
    with pytest.raises(ExchangeError):
        load_template("nope")
    export_template(plan, "wengyuan_annex1", tmp_path / "w.xlsx", level="unit")


def test_the_same_template_makes_a_real_word_table(tmp_path):
    import docx

    plan = _zaozhuang().zaozhuang()
    path = tmp_path / "z.gpkg"
    save_plan(plan, path)
    out = tmp_path / "a3.docx"
    assert cli.main(["export", str(path), "-f", "docx", "--template", "zaozhuang_annex3", "-o", str(out)]) == 0
    d = docx.Document(out)
    assert d.paragraphs[0].text == "附件3" and d.paragraphs[1].text == "“城市管理进社区”基本情况统计表"
    t = d.tables[0]
    assert len(t.rows) == 2 + 6
    assert [c.text for c in t.rows[1].cells] == ["街道", "序号", "社区名称", "负责人", "联系电话", "姓名", "职务",
                                                 "联系电话"]
    assert t.rows[0].cells[2].text == "社区基本情况" and t.rows[0].cells[2]._tc is t.rows[0].cells[4]._tc  # merged
    assert t.rows[2].cells[0]._tc is t.rows[4].cells[0]._tc and t.rows[2].cells[0].text == "示例1街道"


def test_the_map_books_per_grid_table_follows_the_template(tmp_path):
    import subprocess

    plan = _zaozhuang().wengyuan()
    path = tmp_path / "w.gpkg"
    save_plan(plan, path)
    out = tmp_path / "book.pdf"
    assert cli.main(["export", str(path), "-f", "atlas", "--template", "wengyuan_annex1", "--level", "small",
                     "-o", str(out)]) == 0
    text = subprocess.run(["pdftotext", "-f", "3", "-l", "3", str(out), "-"], capture_output=True,
                          text=True).stdout
    for head in ("网格", "挂点领导", "牵头单位", "责任单位", "范围"):
        assert head in text
    assert "县直牵头单位" in text and "东至" in text
    assert cli.main(["export", str(path), "-f", "atlas", "--template", "nope", "-o", str(out)]) == 2


def test_one_row_per_person_with_categories_and_a_totals_row():
    import sys

    sys.path.insert(0, str(Path(__file__).parent))
    from test_staffing import one_two_n

    plan = one_two_n()
    t = {"title": "{level}人员名单", "level": "unit", "rows": "person", "roles": ["leader", "officer"], "totals": True,
         "columns": [{"header": "序号", "field": "seq"}, {"header": "网格", "field": "code"},
                     {"header": "姓名", "field": "person.name"}, {"header": "角色", "field": "person.role"},
                     {"header": "类别", "field": "person.category"}, {"header": "所属社区", "field": "parent.name"}]}
    df = template_table(plan, t)
    assert len(df) == 6 * 3 + 1
    assert df.iloc[0, 3] == "网格长" and df.iloc[1, 3] == "网格员" and df.iloc[0, 4] == "协管"
    assert df.iloc[-1].tolist()[:2] == ["合计", "18"]
