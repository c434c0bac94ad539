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
    # code and name share a column (the name under the code) so that 四至 and 路段 get the room
    assert header[:3] == ["序号", "所属大网格", "网格编码\n网格名称"] and "四至" in header
    assert len(table.rows) == 1 + len(small) == 1 + info["rows"]
    codes = [row.cells[2].text.split("\n")[0] for row in table.rows[1:]]
    assert sorted(codes) == sorted(small["code"])         # codes as text, every grid once
    assert [row.cells[0].text for row in table.rows[1:]] == [str(i) for i in range(1, len(small) + 1)]
    # the header row repeats on every page
    assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    # the parent column is merged down over each large grid's rows (one cell, shown in every row)
    parents = [row.cells[1].text for row in table.rows[1:]]
    assert parents == ["西片"] * 4 + ["东片"] * 4
    vmerge = [row._tr.tc_lst[1].tcPr.find(qn("w:vMerge")) for row in table.rows[1:]]
    assert [v.get(qn("w:val"), "continue") for v in vmerge] == ["restart", "continue", "continue", "continue"] * 2
    first = next(row for row in table.rows[1:] if row.cells[2].text.startswith("44030600100001\n"))
    text = " ".join(c.text for c in first.cells)
    # one 责任人 column, a line per role "岗位：姓名 电话" (as the documents' annex tables list people)
    assert "网格长：李四 13900000000" in text and "网格员：张三 13800000000" in text
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
    assert _east_asia(styles["Title"]) == "方正小标宋简体" and styles["Title"].font.size.pt == 22
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


def test_gbt9704_page_numbers_rows_and_type(annex):
    """Page numbers 4号宋体 "— N —" as a PAGE field (odd right, even left); rows never split;
    table text ≥ 五号 (10.5 pt); body 仿宋 16 pt, 28 pt exact line spacing, 2-character indent;
    the landscape section turns the 版心 (225 × 156 mm)."""
    plan, doc, info = annex
    settings = doc.settings.element
    assert settings.find(qn("w:evenAndOddHeaders")) is not None
    for sec in doc.sections:
        odd, even = sec.footer, sec.even_page_footer
        for footer, align in ((odd, 2), (even, 0)):
            xml = footer._element.xml
            assert "PAGE" in xml and "fldChar" in xml, xml[:300]
            par = footer.paragraphs[0]
            assert par.alignment == align
            assert par.text.startswith("— ") and par.text.endswith(" —")
            assert all(r.font.size.pt == 14 for r in par.runs if r.text.strip())
    table = doc.tables[0]
    for row in table.rows:
        assert row._tr.trPr.find(qn("w:cantSplit")) is not None
    assert doc.styles["表格文字"].font.size.pt >= 10.5
    body = doc.styles["正文（公文）"]
    assert body.font.size.pt == 16 and _east_asia(body) == "仿宋"
    assert body.paragraph_format.line_spacing.pt == 28
    assert body.paragraph_format.first_line_indent.pt == 32
    land = doc.sections[1]
    text_w = land.page_width - land.left_margin - land.right_margin
    text_h = land.page_height - land.top_margin - land.bottom_margin
    assert abs(text_w - Mm(225)) < Mm(1) and abs(text_h - Mm(156)) < Mm(1)
    # the figure's CRS/source note sits right under 图1, before the table section
    texts = [p.text for p in doc.paragraphs]
    cap = next(i for i, t in enumerate(texts) if t.startswith("图1"))
    assert texts[cap + 1].startswith("注：") and "2000国家大地坐标系" in texts[cap + 1]
    assert info["figure_dpi"] >= 300
