"""The Word annex (附件): the division table as a real Word table and the
annex map as a figure, ready to paste into a government document.

Styles carry the Chinese fonts through ``w:eastAsia`` and follow GB/T 9704
(公文格式): body text 仿宋 三号 (16 pt) with a two-character first-line
indent and exact 28 pt line spacing (22 lines of 28 characters), headings
黑体, the title 方正小标宋简体 二号 (22 pt), table text 宋体 五号 (10.5 pt);
Latin text and digits Times New Roman.  Margins: top 37, left 28 mm (版心
156 × 225 mm); the table's landscape section turns the 版心 (225 × 156 mm).
Footers carry the page number as a PAGE field, 4号宋体 "— 1 —", on the right
of odd pages and the left of even ones.  Table rows never split across
pages, the header row repeats, phone numbers never break, and the
parent-grid column (with the parent's leaders) is merged down over its
grids.  People are listed as the documents' annex tables list them: one
责任人 column, a line per role "岗位：姓名 电话", the units in 责任单位 — so a
row takes a few lines and a page holds about eight grids, not three.

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
import re
from pathlib import Path

from ..plan import Plan
from .annex_map import annex_figure, crs_text
from .errors import OutputError
from .layout import Page
from .mapdata import MapData
from .options import OutputOptions, plan_title
from .records import area_text, grid_records
from .sides import grid_sides

__all__ = ["save_docx", "STYLE_FONTS", "TABLE_STYLE", "TABLE_PT", "PAGE_NUMBER_PT", "BODY_STYLE"]

# style name → (East Asian font, size pt, bold)
STYLE_FONTS: dict[str, tuple[str, float, bool]] = {
    "Normal": ("仿宋", 16.0, False),
    "Title": ("方正小标宋简体", 22.0, False),
    "Heading 1": ("黑体", 16.0, False),
    "Heading 2": ("黑体", 14.0, False),
    "Caption": ("宋体", 10.5, False),
}
TABLE_STYLE = "表格文字"
BODY_STYLE = "正文（公文）"
TABLE_PT = 10.5          # 五号
TABLE_LINE_PT = 13.0     # exact line pitch of table text (1.24 em)
PAGE_NUMBER_PT = 14.0    # 4号
LINE_PT = 28.0           # 每页22行
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
        elif name == "Normal":
            pf.line_spacing = Pt(LINE_PT)          # exact 28 pt
            pf.space_before = pf.space_after = Pt(0)
    if BODY_STYLE not in [s.name for s in doc.styles]:
        st = doc.styles.add_style(BODY_STYLE, WD_STYLE_TYPE.PARAGRAPH)
        st.base_style = doc.styles["Normal"]
        _fonts(st, "仿宋", 16.0, False)
        pf = st.paragraph_format
        pf.first_line_indent = Pt(32)             # two characters of 16 pt
        pf.line_spacing = Pt(LINE_PT)
        pf.space_before = pf.space_after = Pt(0)
        ind = st.element.get_or_add_pPr().find(qn("w:ind"))
        if ind is not None:
            ind.set(qn("w:firstLineChars"), "200")
    if TABLE_STYLE not in [s.name for s in doc.styles]:
        st = doc.styles.add_style(TABLE_STYLE, WD_STYLE_TYPE.PARAGRAPH)
        st.base_style = doc.styles["Normal"]
        _fonts(st, "宋体", TABLE_PT, False)
        st.paragraph_format.space_before = st.paragraph_format.space_after = Pt(0)
        st.paragraph_format.line_spacing = Pt(TABLE_LINE_PT)     # exact: CJK fonts at "single" take 1.45 em
        st.paragraph_format.first_line_indent = Pt(0)


def _margins(section, landscape: bool) -> None:
    from docx.enum.section import WD_ORIENT
    from docx.shared import Mm

    if landscape:   # the 版心 turned: 225 × 156 mm
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = Mm(297), Mm(210)
        section.top_margin, section.bottom_margin = Mm(28), Mm(26)
        section.left_margin, section.right_margin = Mm(37), Mm(35)
    else:
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = Mm(210), Mm(297)
        # GB/T 9704: top 37 mm, bottom 35 mm, left (binding) 28 mm, right 26 mm
        section.top_margin, section.bottom_margin = Mm(37), Mm(35)
        section.left_margin, section.right_margin = Mm(28), Mm(26)


def _page_number_paragraph(par, align) -> None:
    """ "— N —" with N a PAGE field, 4号宋体, one character in from the edge."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt

    par.alignment = align
    pf = par.paragraph_format
    pf.first_line_indent = Pt(0)
    pf.line_spacing = 1.0
    if align == 2:
        pf.right_indent = Pt(PAGE_NUMBER_PT)
    else:
        pf.left_indent = Pt(PAGE_NUMBER_PT)

    def run(text=None):
        r = par.add_run(text)
        r.font.size = Pt(PAGE_NUMBER_PT)
        r.font.name = "宋体"
        rfonts = r._element.get_or_add_rPr().get_or_add_rFonts()
        for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
            rfonts.set(qn(attr), "宋体")
        return r

    run("— ")
    for kind, text in (("begin", None), ("instr", " PAGE "), ("separate", None), ("num", "1"), ("end", None)):
        r = run()
        if kind == "instr":
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = text
        elif kind == "num":
            el = OxmlElement("w:t")
            el.text = text
        else:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        r._element.append(el)
    run(" —")


def _page_numbers(doc, section) -> None:
    """Odd pages right, even pages left (GB/T 9704 7.5)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    settings = doc.settings.element
    if settings.find(qn("w:evenAndOddHeaders")) is None:
        settings.append(OxmlElement("w:evenAndOddHeaders"))
    odd = section.footer.paragraphs[0]
    _page_number_paragraph(odd, 2)
    even = section.even_page_footer.paragraphs[0]
    _page_number_paragraph(even, 0)


def _cant_split(row) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    trpr = row._tr.get_or_add_trPr()
    if trpr.find(qn("w:cantSplit")) is None:
        el = OxmlElement("w:cantSplit")
        trpr.insert(0, el)


def nobreak(text: str) -> str:
    """Phone numbers (and codes) that never break: spaces in digit runs become
    no-break spaces, hyphens between digits no-break hyphens (U+2011).

    >>> nobreak("张三（网格员，138 0000 0001）") == "张三（网格员，138\u00a00000\u00a00001）"
    True
    """
    import re

    text = re.sub(r"(?<=\d) (?=\d)", "\u00a0", str(text))
    return re.sub(r"(?<=\d)-(?=\d)", "\u2011", text)


PERSON_ROLES = ("patron", "leader", "executive_deputy", "deputy", "responsible", "officer", "member", "contact")
UNIT_ROLES = ("squad", "lead_unit", "responsible_unit", "partner")


def person_line(text: str) -> str:
    """ "name（post，phone）" as "name phone" on one line — the role's label
    says what the person does in the grid ("岗位：姓名 电话", as the documents'
    annex tables list people; the post is in the people table) — the phone
    unbroken (it moves to the next line whole where the line is full).

    >>> person_line("张三（网格员，13800000001）"), person_line("李四（城管队员，139 0000 0002）"), person_line("王五")
    ('张三 13800000001', '李四 139\u00a00000\u00a00002', '王五')
    """
    m = re.match(r"^(.*?)（(.*)，\s*(\+?[\d][\d\s-]{5,})）$", str(text))
    if not m:
        return nobreak(text)
    return f"{m.group(1)} {nobreak(m.group(3).strip())}"


def role_lines(r, keys, skip: dict | None = None) -> list[str]:
    """One "岗位：姓名 电话、姓名 电话" line per role of ``keys`` (units: "牵头单位：…"),
    leaving out the entries of ``skip`` (role → entries every grid shares)."""
    from ..plan import ROLE_LABELS

    out = []
    for k in keys:
        entries = [x for x in r.roles.get(k) or [] if x not in (skip or {}).get(k, ())]
        if entries:
            label = ROLE_LABELS[k][0]
            out.append(f"{label}：" + "、".join(person_line(x) for x in entries))
    return out


def shared_units(records: list) -> dict[str, list[str]]:
    """The units every grid of ``records`` has in a role (牵头单位, 协作力量 …): the
    table names them once, in a note, instead of on every row."""
    out = {}
    for k in UNIT_ROLES:
        lists = [list(r.roles.get(k) or []) for r in records]
        if len(lists) > 1 and lists[0]:
            common = [x for x in lists[0] if all(x in other for other in lists[1:])]
            if common:
                out[k] = common
    return out


def text_lines(text: str, width_mm: float, pt: float = TABLE_PT, exact: bool = False) -> float:
    """Lines a cell's text takes at ``pt`` in a column ``width_mm`` wide (1 mm cell
    margins): CJK characters one em, Latin and digits 0.62 em (DejaVu, the widest fallback);
    a column too narrow for a phone number or code in it counts 50 lines more.

    >>> text_lines("东至宝民一路", 30), text_lines("东至宝民一路" * 3, 30), text_lines("a\\nb", 30)
    (1, 3, 2)
    """
    em = pt * 25.4 / 72
    room = max(width_mm - 2.2, em)
    n = 0
    # a phone number or code never breaks: a column narrower than one is as bad as 50 more lines
    # (with the closing mark after it: a line never starts with 、，；。）)
    if any(0.64 * em * len(tok) + (em if mark else 0) > room
           for tok, mark in re.findall(r"([0-9A-Za-z\u00a0\u2011]{6,})([、，；。）]?)", str(text))):
        n += 50
    for line in str(text).split("\n"):
        w = sum(em if ord(c) > 0x2E80 else 0.62 * em for c in line)
        n += max(1.0, w / room) if exact else max(1, -int(-w // room))
    return n


def balance_widths(mins: list[float], rows: list[list[str]], total: float) -> list[float]:
    """Column widths (mm) adding up to ``total``: each column at least its minimum
    (0 = no minimum, 12 mm), the rest handed out 1 mm at a time to the column that
    holds up the most row lines — so that long 四至 and 路段 text gets the room.

    >>> balance_widths([10, 0, 0], [["1", "东至" * 20, "路"]], 60)
    [10.0, 38.0, 12.0]
    """
    widths = [float(w or 12.0) for w in mins]
    spare = int(total - sum(widths))
    for _ in range(max(spare, 0)):
        gain = []
        for j in range(len(widths)):
            if mins[j]:                     # fixed columns keep their width
                gain.append(-1)
                continue
            trial = widths[:]
            trial[j] += 1
            gain.append(sum(max(text_lines(t, w, exact=True) for t, w in zip(r, widths))
                            - max(text_lines(t, w, exact=True) for t, w in zip(r, trial)) for r in rows))
        best = max(range(len(widths)), key=lambda j: (gain[j], -widths[j] if mins[j] == 0 else -1e9))
        if mins[best]:
            break
        widths[best] += 1
    widths[-1] += total - sum(widths)

    # then move room between the free columns while the table gets fewer lines (whole lines, as
    # printed): the 1 mm steps above stall where a column needs several mm before it saves a line
    def cost(ws):
        return sum(max(text_lines(t, w) for t, w in zip(r, ws)) for r in rows)

    free = [j for j in range(len(widths)) if not mins[j]]
    best = cost(widths)
    for _ in range(400):
        moved = False
        for step in (16, 8, 4, 2, 1):
            for i in free:
                for j in free:
                    if i == j or widths[i] - step < 12.0:
                        continue
                    trial = widths[:]
                    trial[i] -= step
                    trial[j] += step
                    c = cost(trial)
                    if c < best:
                        best, widths, moved = c, trial, True
        if not moved:
            break
    return [round(w, 1) for w in widths]


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
        look = tblpr.find(qn("w:tblLook"))
        if look is not None:
            look.addprevious(layout)
        else:
            tblpr.append(layout)
    layout.set(qn("w:type"), "fixed")
    mar = tblpr.find(qn("w:tblCellMar"))
    if mar is None:     # schema order: … tblLayout, tblCellMar, tblLook
        mar = OxmlElement("w:tblCellMar")
        look = tblpr.find(qn("w:tblLook"))
        if look is not None:
            look.addprevious(mar)
        else:
            tblpr.append(mar)
    for side in ("left", "right"):      # 1 mm: a 14-digit code fits its column at 10.5 pt
        el = OxmlElement(f"w:{side}")
        el.set(qn("w:w"), "57")
        el.set(qn("w:type"), "dxa")
        mar.append(el)


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
    _page_numbers(doc, sec)
    text_w = 210 - 28 - 26
    if o.annex:
        p = doc.add_paragraph(o.annex, style="Heading 1")      # 附件 label: 3号黑体, top left
        p.paragraph_format.space_before = Pt(0)
    doc.add_paragraph(title, style="Title")
    if o.subtitle:
        doc.add_paragraph(o.subtitle, style="Caption")
    summary = plan.summary()
    counts = "，".join(f"{lv['name']} {lv['grids']} 个" for lv in summary["levels"])
    doc.add_paragraph(f"辖区面积 {area_text(summary['jurisdiction_area_m2'])}，共划分{counts}。"
                      + (f"编制单位：{o.issuer}。" if o.issuer else "") + f"日期：{o.date_text()}。",
                      style=BODY_STYLE)

    # ------------------------------------------------------------------ figure
    doc.add_paragraph("一、网格划分示意图", style="Heading 1")
    bx0, by0, bx1, by1 = data.bounds
    # the map and its legend (under the map, off the plan) fit the first page under the title
    fig_h = min(max(text_w * (by1 - by0) / max(bx1 - bx0, 1.0) + 30.0, 105.0), 118.0)
    fig_page = Page(custom_mm=(text_w, fig_h), binding_mm=0.5, margin_mm=0.5)
    fig, info = annex_figure(plan, o, data=data, titles=False, page=fig_page)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=max(o.dpi, 300))
    buf.seek(0)
    doc.add_picture(buf, width=Mm(text_w))
    doc.paragraphs[-1].alignment = 1  # centre
    doc.paragraphs[-1].paragraph_format.line_spacing = 1.0     # an exact 28 pt would clip the picture
    doc.paragraphs[-1].paragraph_format.first_line_indent = Pt(0)
    doc.add_paragraph(f"图1　{plan_title(plan.name, 'map')}（比例尺 1:{info['scale']:,}）".replace(",", " "),
                      style="Caption")
    from .annex_map import credit_lines

    # under 图1, on the figure's page: the disclaimer's English half stays on the annex map
    credits = [re.split(r"(?<=。)\s*(?=[A-Za-z])", x)[0].rstrip("。") for x in credit_lines(data)]
    note = doc.add_paragraph("注：" + "；".join(credits) + "。", style=TABLE_STYLE)
    note.alignment = 3

    # ------------------------------------------------------------------ table (landscape)
    sec = doc.add_section(WD_SECTION.NEW_PAGE)
    _margins(sec, landscape=True)
    doc.add_paragraph("二、网格化管理划分表", style="Heading 1")
    grids = data.grids[data.grids["level_index"] == level]
    order = sorted(grids.index, key=lambda g: (records[g].parent_code, records[g].code, g))
    parent_level = plan.levels[level - 1].name if level > 0 else ""
    # widths (mm) in the 225 mm 版心: codes and phones whole at 10.5 pt, the room left to 四至 and 路段
    cols = [("序号", 8)]
    if parent_level:
        cols.append((f"所属{parent_level}", 29))     # an 11-digit phone whole (DejaVu: 26 mm)
    # (sized for the widest Latin fallback, DejaVu: a 14-digit code 33 mm)
    # one 责任人 column, a line per role ("岗位：姓名 电话"), as the documents' annex tables print them;
    # the grid above's leaders are written once in its merged cell
    cols += [("网格编码\n网格名称", 36), ("面积\n/km²", 13), ("四至", 0), ("责任人及电话", 0),
             ("责任单位", 0), ("责任路段/小区", 0)]
    table_w = 297 - 37 - 35
    parents = [records[g].parent_code for g in order]
    shared = shared_units([records[g] for g in order])
    if shared:
        from ..plan import ROLE_LABELS

        said = "；".join(f"{ROLE_LABELS[k][0]}" + ("均为" if all(len(records[g].roles.get(k) or []) == len(v)
                                                                for g in order) else "均含")
                        + "、".join(v) for k, v in shared.items())
        doc.add_paragraph(f"说明：各网格的{said}，表中不再逐格列出。", style=TABLE_STYLE)
    rows = []
    for n, gid in enumerate(order, start=1):
        r = records[gid]
        same_parent = n > 1 and parents[n - 1] == parents[n - 2]
        cells = [str(n)]
        if parent_level:   # the parent (and its leaders) written once and merged down over its grids
            above = [f"{k[len(parent_level):] if k.startswith(parent_level) else k}：{person_line(v)}"
                     for k, v in r.parent_leaders]
            cells.append("" if same_parent else "\n".join([r.parent_name or r.parent_code] + above))
        roads = list(dict.fromkeys(seg.split("（")[0] for seg in r.segments))   # the full list: 路段分工表
        places = [pl.split("（")[0] for pl in r.places]
        cells += [f"{r.code}\n{r.name}", f"{r.area_m2 / 1e6:.3f}",     # neighbours by name: codes are in 网格编码
                  "；".join(re.sub(r"\d{6,}\s*", "", sd.text) for sd in sides.get(gid, [])),
                  "\n".join(role_lines(r, PERSON_ROLES)), "\n".join(role_lines(r, UNIT_ROLES, shared)),
                  "\n".join(x for x in ("路段：" + "、".join(roads) if roads else "",
                                         "小区/场所：" + "、".join(places) if places else "") if x)]
        rows.append(cells)
    unit_col = next(i for i, (name, _) in enumerate(cols) if name == "责任单位")
    if not any(r[unit_col] for r in rows):       # every unit is shared: the note names them all
        del cols[unit_col]
        rows = [r[:unit_col] + r[unit_col + 1:] for r in rows]
    else:     # one role left in the column (责任单位 says it): the label is not repeated on every row
        labels = {line.split("：")[0] for r in rows for line in r[unit_col].split("\n") if line}
        if len(labels) == 1:
            only = labels.pop()
            cols[unit_col] = (only, 0)
            rows = [r[:unit_col] + [r[unit_col].replace(f"{only}：", "")] + r[unit_col + 1:] for r in rows]
    # the merged parent cell spans its grids' rows: its lines do not make one row taller
    fit_rows = [r[:1] + [""] + r[2:] for r in rows] if parent_level else rows
    cols = list(zip([n for n, _ in cols], balance_widths([w for _, w in cols], fit_rows, table_w)))
    table = doc.add_table(rows=1, cols=len(cols))
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    widths = [Mm(w) for _, w in cols]
    _fixed_layout(table, widths)
    for cell, (name, _), w in zip(table.rows[0].cells, cols, widths):
        _cell(cell, name, w, bold=True, center=True)
    _repeat_header(table.rows[0])
    _cant_split(table.rows[0])
    for cells in rows:
        row = table.add_row()
        _cant_split(row)
        for i, (cell, text, w) in enumerate(zip(row.cells, cells, widths)):
            _cell(cell, text, w, center=i in (0, 2, 3) if parent_level else i in (0, 1, 2))
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
    note = doc.add_paragraph("注：面积按" + crs_text(data.crs).replace("坐标系：", "") + "计算；"
                             "四至由网格边界与道路、相邻网格的位置关系自动生成，请核对。", style=TABLE_STYLE)
    note.paragraph_format.space_before = Pt(6)
    try:
        doc.save(str(path))
    except OSError as exc:
        raise OutputError(f"{path}: cannot write ({exc.strerror or exc})") from exc
    return {"rows": len(order), "scale": info["scale"], "warnings": list(data.warnings), "notices": [],
            "figure_dpi": max(o.dpi, 300), "columns": [n for n, _ in cols]}
