"""The Word annex (附件): the division table as a real Word table and the
annex map as a figure, ready to paste into a government document.

Styles carry the Chinese fonts through ``w:eastAsia``: body text 仿宋 三号
(16 pt), headings 黑体, the title 宋体 二号 bold, table text 宋体 8 pt; Latin
text and digits Times New Roman.  Page margins follow GB/T 9704 (公文格式).
The table gets a landscape section, its header row repeats on every page and
the parent-grid column is merged down over its grids.

>>> from gridmap.core.outputs.tests_support import demo_plan
>>> import tempfile, os, docx as _docx
>>> path = os.path.join(tempfile.mkdtemp(), "annex.docx")
>>> info = save_docx(demo_plan(), path, {"annex": "附件1"})
>>> doc = _docx.Document(path)
>>> len(doc.tables[0].rows) - 1, info["rows"]
(4, 4)
"""

from __future__ import annotations

import io
from pathlib import Path

from ..plan import Plan
from .annex_map import annex_figure, crs_text
from .errors import OutputError
from .layout import Page
from .mapdata import MapData
from .options import OutputOptions, plan_title
from .records import area_text, grid_records
from .sides import grid_sides

__all__ = ["save_docx", "STYLE_FONTS", "TABLE_STYLE"]

# style name → (East Asian font, size pt, bold)
STYLE_FONTS: dict[str, tuple[str, float, bool]] = {
    "Normal": ("仿宋", 16.0, False),
    "Title": ("宋体", 22.0, True),
    "Heading 1": ("黑体", 16.0, False),
    "Heading 2": ("黑体", 14.0, False),
    "Caption": ("宋体", 10.5, False),
}
TABLE_STYLE = "表格文字"
_LATIN = "Times New Roman"


def _fonts(style, east_asia: str, size: float, bold: bool) -> None:
    from docx.oxml.ns import qn
    from docx.shared import Pt, RGBColor

    style.font.name = _LATIN
    style.font.size = Pt(size)
    style.font.bold = bold
    style.font.italic = False
    style.font.color.rgb = RGBColor(0, 0, 0)
    rfonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    for attr in ("w:ascii", "w:hAnsi", "w:cs"):
        rfonts.set(qn(attr), _LATIN)
    rfonts.set(qn("w:eastAsia"), east_asia)
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        rfonts.attrib.pop(qn(theme), None)


def _styles(doc) -> None:
    from docx.enum.style import WD_STYLE_TYPE
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt

    # document defaults: Chinese language for East Asian text
    rpr_default = doc.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    lang = rpr_default.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr_default.append(lang)
    lang.set(qn("w:eastAsia"), "zh-CN")
    for name, (font, size, bold) in STYLE_FONTS.items():
        st = doc.styles[name]
        _fonts(st, font, size, bold)
        pf = st.paragraph_format
        if name == "Title":
            pf.alignment = WD_ALIGN_PARAGRAPH.CENTER
            pf.space_before, pf.space_after = Pt(12), Pt(18)
            # the default template underlines titles with a blue rule: remove it
            ppr = st.element.get_or_add_pPr()
            for b in ppr.findall(qn("w:pBdr")):
                ppr.remove(b)
        elif name.startswith("Heading"):
            pf.space_before, pf.space_after = Pt(12), Pt(6)
        elif name == "Caption":
            pf.alignment = WD_ALIGN_PARAGRAPH.CENTER
    if TABLE_STYLE not in [s.name for s in doc.styles]:
        st = doc.styles.add_style(TABLE_STYLE, WD_STYLE_TYPE.PARAGRAPH)
        st.base_style = doc.styles["Normal"]
        _fonts(st, "宋体", 8.0, False)
        st.paragraph_format.space_before = st.paragraph_format.space_after = Pt(0)
        st.paragraph_format.line_spacing = 1.0
        st.paragraph_format.first_line_indent = Pt(0)


def _margins(section, landscape: bool) -> None:
    from docx.enum.section import WD_ORIENT
    from docx.shared import Mm

    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = Mm(297), Mm(210)
        section.top_margin, section.bottom_margin = Mm(28), Mm(26)
        section.left_margin, section.right_margin = Mm(25), Mm(20)
    else:
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = Mm(210), Mm(297)
        # GB/T 9704: top 37 mm, bottom 35 mm, left (binding) 28 mm, right 26 mm
        section.top_margin, section.bottom_margin = Mm(37), Mm(35)
        section.left_margin, section.right_margin = Mm(28), Mm(26)


def _repeat_header(row) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    trpr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    trpr.append(el)


def _fixed_layout(table, widths) -> None:
    """Column widths Word and LibreOffice both keep: grid columns, fixed layout."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    for col, w in zip(table.columns, widths):
        col.width = w
    tblpr = table._tbl.tblPr
    layout = tblpr.find(qn("w:tblLayout"))
    if layout is None:
        layout = OxmlElement("w:tblLayout")
        tblpr.append(layout)
    layout.set(qn("w:type"), "fixed")


def _cell(cell, text: str, width, bold: bool = False, center: bool = False) -> None:
    from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    cell.width = width
    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    p = cell.paragraphs[0]
    p.style = TABLE_STYLE
    if center:
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    lines = str(text).split("\n")
    for i, line in enumerate(lines):
        run = p.add_run(line)
        run.bold = bold
        if i < len(lines) - 1:
            run.add_break()


def save_docx(plan: Plan, path, options=None) -> dict:
    """Write the Word annex; returns ``{"rows": n, "scale": N, "warnings": [...]}``."""
    try:
        import docx
    except ImportError as exc:  # pragma: no cover - a dependency of gridmap
        raise OutputError("the Word annex needs python-docx: pip install python-docx") from exc
    from docx.enum.section import WD_SECTION
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.shared import Mm, Pt

    o = options if isinstance(options, OutputOptions) else OutputOptions.from_dict(options)
    path = Path(path)
    if path.suffix.lower() != ".docx":
        raise OutputError(f"{path}: the Word annex is a .docx file")
    if not path.parent.is_dir():
        raise OutputError(f"{path}: folder {path.parent} does not exist")
    data = MapData.from_plan(plan, o.project, o.base_layers)
    level = len(plan.levels) - 1 if not o.level else plan.level_index(o.level)
    records = grid_records(plan)
    sides = grid_sides(data, level)

    doc = docx.Document()
    _styles(doc)
    core = doc.core_properties
    title = o.title or plan_title(plan.name, "table")
    core.title, core.author, core.subject = title, o.issuer or "gridmap", plan.name
    sec = doc.sections[0]
    _margins(sec, landscape=False)
    text_w = 210 - 28 - 26
    if o.annex:
        doc.add_paragraph(o.annex, style="Heading 1")
    doc.add_paragraph(title, style="Title")
    if o.subtitle:
        doc.add_paragraph(o.subtitle, style="Caption")
    summary = plan.summary()
    counts = "，".join(f"{lv['name']} {lv['grids']} 个" for lv in summary["levels"])
    doc.add_paragraph(f"辖区面积 {area_text(summary['jurisdiction_area_m2'])}，共划分{counts}。"
                      + (f"编制单位：{o.issuer}。" if o.issuer else "") + f"日期：{o.date_text()}。")

    # ------------------------------------------------------------------ figure
    doc.add_paragraph("一、网格划分示意图", style="Heading 1")
    bx0, by0, bx1, by1 = data.bounds
    # the figure fits the first page under the title and heading (A4, GB/T 9704 margins)
    fig_h = min(max(text_w * (by1 - by0) / max(bx1 - bx0, 1.0), 95.0), 118.0)
    fig_page = Page(custom_mm=(text_w, fig_h), binding_mm=0.5, margin_mm=0.5)
    fig, info = annex_figure(plan, o, data=data, titles=False, page=fig_page)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=min(o.dpi, 250))
    buf.seek(0)
    doc.add_picture(buf, width=Mm(text_w))
    doc.paragraphs[-1].alignment = 1  # centre
    doc.add_paragraph(f"图1　{plan_title(plan.name, 'map')}（比例尺 1:{info['scale']:,}）".replace(",", " "),
                      style="Caption")
    credits = "；".join([crs_text(data.crs)] + [f"数据来源：{c}" for c in data.attributions()]
                       + ([data.disclaimer] if data.disclaimer else []))

    # ------------------------------------------------------------------ table (landscape)
    sec = doc.add_section(WD_SECTION.NEW_PAGE)
    _margins(sec, landscape=True)
    doc.add_paragraph("二、网格化管理划分表", style="Heading 1")
    grids = data.grids[data.grids["level_index"] == level]
    order = sorted(grids.index, key=lambda g: (records[g].parent_code, records[g].code, g))
    parent_level = plan.levels[level - 1].name if level > 0 else ""
    cols = [("序号", 10)]
    if parent_level:
        cols.append((f"所属{parent_level}", 26))
    cols += [("网格编码", 31), ("网格名称", 18), ("面积", 15), ("四至", 38), ("挂点领导/网格长", 23),
             ("牵头单位/责任单位", 26), ("网格员（电话）", 30), ("责任路段/小区", 0)]
    table_w = 297 - 25 - 20
    rest = table_w - sum(w for _, w in cols)
    cols[-1] = (cols[-1][0], max(rest, 20))
    table = doc.add_table(rows=1, cols=len(cols))
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    widths = [Mm(w) for _, w in cols]
    _fixed_layout(table, widths)
    for cell, (name, _), w in zip(table.rows[0].cells, cols, widths):
        _cell(cell, name, w, bold=True, center=True)
    _repeat_header(table.rows[0])
    parents = [records[g].parent_code for g in order]
    for n, gid in enumerate(order, start=1):
        r = records[gid]
        # every role under its own label; a small grid's row shows its large grid's leader
        units = r.role_text("squad", "lead_unit", "responsible_unit", "partner")
        leaders = "\n".join([r.role_text("patron", "leader", "executive_deputy", "deputy")]
                            + [f"{k}：{v}" for k, v in r.parent_leaders]).strip()
        same_parent = n > 1 and parents[n - 1] == parents[n - 2]
        cells = [str(n)]
        if parent_level:   # the parent is written once and merged down over its grids
            cells.append("" if same_parent else f"{r.parent_code}\n{r.parent_name}".strip())
        cells += [r.code, r.name, area_text(r.area_m2), "；".join(s.text for s in sides.get(gid, [])),
                  leaders, units, r.role_text("responsible", "member", "officer", "contact"),
                  "\n".join(x for x in ("、".join(r.segments), "、".join(r.places)) if x)]
        row = table.add_row()
        for i, (cell, text, w) in enumerate(zip(row.cells, cells, widths)):
            _cell(cell, text, w, center=i in (0, 1, 2, 4) if parent_level else i in (0, 1, 3))
    if parent_level:
        first = 1
        for n in range(2, len(order) + 2):
            if n > len(order) or parents[n - 1] != parents[first - 1]:
                if n - 1 > first:
                    merged = table.cell(first, 1).merge(table.cell(n - 1, 1))
                    for par in merged.paragraphs[1:]:     # the empty cells' paragraphs
                        if not par.text:
                            par._element.getparent().remove(par._element)
                first = n
    for row in table.rows:
        row.height = None
    note = doc.add_paragraph("注：面积按" + crs_text(plan.crs).replace("坐标系：", "") + "计算；"
                             "四至由网格边界与道路、相邻网格的位置关系自动生成，请核对。", style=TABLE_STYLE)
    note.paragraph_format.space_before = Pt(6)
    doc.add_paragraph(f"图1 {credits}", style=TABLE_STYLE)      # the figure's CRS and data credits
    try:
        doc.save(str(path))
    except OSError as exc:
        raise OutputError(f"{path}: cannot write ({exc.strerror or exc})") from exc
    return {"rows": len(order), "scale": info["scale"], "warnings": list(data.warnings)}
