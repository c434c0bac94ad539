"""Word annex: the division table is a real Word table with a row per grid, the
annex map is a figure, and the styles carry 仿宋/宋体/黑体 as East Asian fonts.
Read back with python-docx."""

from __future__ import annotations

import docx
import pytest
from docx.oxml.ns import qn
from docx.shared import Mm

from gridmap.core.outputs import OutputError
from gridmap.core.outputs.docx import save_docx
from gridmap.core.outputs.tests_support import add_demo_roads
from gridmap.core.storage import save_plan


def _east_asia(style) -> str:
    rfonts = style.element.rPr.rFonts
    return rfonts.get(qn("w:eastAsia"))


@pytest.fixture
def annex(small_plan, tmp_path):
    add_demo_roads(small_plan, tmp_path)
    path = tmp_path / "plan.gpkg"
    save_plan(small_plan, path)
    out = tmp_path / "附件1.docx"
    info = save_docx(small_plan, out, {"project": path, "annex": "附件1", "issuer": "某区城市管理局"})
    return small_plan, docx.Document(str(out)), info


def test_division_table_has_a_row_per_grid(annex):
    plan, doc, info = annex
    small = plan.grids_of_level("small")
    assert len(doc.tables) == 1
    table = doc.tables[0]
    header = [c.text for c in table.rows[0].cells]
    assert header[:4] == ["序号", "所属大网格", "网格编码", "网格名称"] and "四至" in header
    assert len(table.rows) == 1 + len(small) == 1 + info["rows"]
    codes = [row.cells[2].text for row in table.rows[1:]]
    assert sorted(codes) == sorted(small["code"])         # codes as text, every grid once
    assert [row.cells[0].text for row in table.rows[1:]] == [str(i) for i in range(1, len(small) + 1)]
    # the header row repeats on every page
    assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    # the parent column is merged down over each large grid's rows (one cell, shown in every row)
    parents = [row.cells[1].text for row in table.rows[1:]]
    assert parents == ["440306001000\n西片"] * 4 + ["440306002000\n东片"] * 4
    vmerge = [row._tr.tc_lst[1].tcPr.find(qn("w:vMerge")) for row in table.rows[1:]]
    assert [v.get(qn("w:val"), "continue") for v in vmerge] == ["restart", "continue", "continue", "continue"] * 2
    first = next(row for row in table.rows[1:] if row.cells[2].text == "44030600100001")
    text = " ".join(c.text for c in first.cells)
    assert "李四（副局长，13900000000）" in text and "张三（城管队员，13800000000）" in text
    assert "区城市管理局" in text and "东至" in text and "北至北环路" in text


def test_map_figure_styles_and_sections(annex):
    plan, doc, info = annex
    assert len(doc.inline_shapes) == 1
    assert abs(doc.inline_shapes[0].width - Mm(210 - 28 - 26)) < Mm(1)
    captions = [p.text for p in doc.paragraphs if p.style.name == "Caption"]
    assert any(c.startswith("图1") and f"1:{info['scale']:,}".replace(",", " ") in c for c in captions)
    texts = [p.text for p in doc.paragraphs]
    assert texts[0] == "附件1" and texts[1] == "测试方案网格化管理划分表"
    styles = doc.styles
    assert _east_asia(styles["Normal"]) == "仿宋"
    assert _east_asia(styles["Heading 1"]) == "黑体"
    assert _east_asia(styles["Title"]) == "宋体"
    assert _east_asia(styles["表格文字"]) == "宋体"
    assert styles["Normal"].font.size.pt == 16
    assert doc.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr")) \
        .find(qn("w:lang")).get(qn("w:eastAsia")) == "zh-CN"
    portrait, landscape = doc.sections
    assert portrait.page_width < portrait.page_height and landscape.page_width > landscape.page_height
    assert abs(portrait.left_margin - Mm(28)) < Mm(0.1) and abs(portrait.top_margin - Mm(37)) < Mm(0.1)
    assert doc.core_properties.author == "某区城市管理局"


def test_word_annex_errors(small_plan, tmp_path):
    with pytest.raises(OutputError, match=r"\.docx file"):
        save_docx(small_plan, tmp_path / "x.doc", {})
    with pytest.raises(OutputError, match="does not exist"):
        save_docx(small_plan, tmp_path / "no" / "x.docx", {})
