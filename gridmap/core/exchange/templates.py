"""Annex tables from templates: the tables the documents print, as data.

A template is a dict (JSON in a file, or a built-in of :data:`BUILTIN`)::

    {"title": "“城市管理进社区”基本情况统计表", "annex": "附件3", "level": "community",
     "columns": [{"header": "街道", "field": "parent.name", "merge": true},
                 {"header": "序号", "field": "seq"},
                 {"header": "社区名称", "field": "name", "group": "社区基本情况"}, …],
     "sort": ["parent.code", "code"], "totals": false, "paper": "A4", "landscape": false}

``title`` may hold ``{plan}`` and ``{level}``; ``level`` is the level whose
grids are the rows (a key or a name; ``--level`` overrides it; a plan without
that level lists its lowest); ``group``
puts a header over adjacent columns (two header rows, cells merged);
``merge`` merges repeated values down (the 街道 of its communities);
``width`` (characters) fixes a column's width, else it fits the text.
A plan keeps its own templates as settings ``template.NAME`` (the JSON text);
they are found by name before the built-ins.
Fields: ``seq``, ``code``, ``name``, ``area_km2``, ``sides`` (四至),
``parent.code``/``parent.name`` (and ``parent.parent.…``), ``role.ROLE.name``,
``.phone``, ``.post``, ``.text`` (name（post，phone）) for person roles and
``role.ROLE.name`` for unit roles (ROLE: patron, leader, deputy, officer, contact,
lead_unit, responsible_unit, partner …), ``blank`` (a column the user fills in).
``"rows": "person"`` lists one row per person and role of the grids (``"roles"``:
which, in that order) with ``person.name``/``.post``/``.phone``/``.category``/``.role``;
``"totals": true`` adds a 合计 row with the number of rows.

>>> [c["header"] for c in BUILTIN["zaozhuang_annex3"]["columns"]]
['街道', '序号', '社区名称', '负责人', '联系电话', '姓名', '职务', '联系电话']
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from ..messages import bi
from ..plan import ROLES, Plan
from . import ExchangeError

__all__ = ["BUILTIN", "load_template", "template_table", "write_template_xlsx", "write_template_docx",
           "export_template", "grid_rows", "plan_templates", "TEMPLATE_PREFIX"]

BUILTIN: dict[str, dict] = {
    # 004 枣庄高新区 附件3
    "zaozhuang_annex3": {
        "title": "“城市管理进社区”基本情况统计表", "annex": "附件3", "level": "community",
        "columns": [
            {"header": "街道", "field": "parent.name", "merge": True},
            {"header": "序号", "field": "seq"},
            {"header": "社区名称", "field": "name", "group": "社区基本情况"},
            {"header": "负责人", "field": "role.leader.name", "group": "社区基本情况"},
            {"header": "联系电话", "field": "role.leader.phone", "group": "社区基本情况"},
            {"header": "姓名", "field": "role.contact.name", "group": "执法局城管进社区负责人"},
            {"header": "职务", "field": "role.contact.post", "group": "执法局城管进社区负责人"},
            {"header": "联系电话", "field": "role.contact.phone", "group": "执法局城管进社区负责人"},
        ],
        "sort": ["parent.code", "code"], "paper": "A4", "landscape": False,
    },
    # 004 附件2: the ledger's header (rows per community, 时间/工作事项 filled in by hand)
    "zaozhuang_annex2": {
        "title": "“城市管理进社区”活动工作台账", "annex": "附件2", "level": "community",
        "columns": [
            {"header": "序号", "field": "seq"},
            {"header": "时间", "field": "blank"},
            {"header": "社区名称", "field": "name"},
            {"header": "工作事项", "field": "blank"},
            {"header": "进社区人员及联系方式", "field": "role.contact.text"},
            {"header": "社区直接责任人及联系方式", "field": "role.leader.text"},
        ],
        "sort": ["code"], "paper": "A4", "landscape": True,
    },
    # 001 翁源 附件1 划分表
    "wengyuan_annex1": {
        "title": "{plan}网格划分表", "annex": "附件1", "level": "small",
        "columns": [
            {"header": "网格", "field": "name"},
            {"header": "挂点领导", "field": "role.patron.text"},
            {"header": "牵头单位", "field": "role.lead_unit.name"},
            {"header": "责任单位", "field": "role.responsible_unit.name"},
            {"header": "范围", "field": "sides"},
        ],
        "sort": ["code"], "paper": "A4", "landscape": True,
    },
}


TEMPLATE_PREFIX = "template."


def plan_templates(plan) -> dict[str, dict]:
    """Templates kept in the plan (setting ``template.NAME`` = the JSON text)."""
    out = {}
    for key, text in (plan.settings.items() if plan is not None else ()):
        if str(key).startswith(TEMPLATE_PREFIX):
            try:
                t = json.loads(text)
            except ValueError:
                continue
            if isinstance(t, dict) and isinstance(t.get("columns"), list):
                out[str(key)[len(TEMPLATE_PREFIX):]] = t
    return out


def load_template(name_or_path, plan=None) -> dict:
    """A template kept in ``plan``, a built-in by name, or a JSON file."""
    own = plan_templates(plan)
    if str(name_or_path) in own:
        return own[str(name_or_path)]
    if str(name_or_path) in BUILTIN:
        return BUILTIN[str(name_or_path)]
    p = Path(str(name_or_path))
    if p.suffix.lower() == ".json" and p.is_file():
        try:
            t = json.loads(p.read_text(encoding="utf-8"))
        except (ValueError, UnicodeDecodeError) as exc:
            raise ExchangeError(f"{p}: " + bi("不是可读的模板 JSON", "not a readable template JSON") + f" ({exc})") \
                from None
        if not isinstance(t, dict) or not isinstance(t.get("columns"), list) or not t["columns"]:
            raise ExchangeError(f"{p}: " + bi("模板需要 columns 列表", "a template needs a list of columns"))
        return t
    raise ExchangeError(bi(f"没有模板 {name_or_path!r}；内置模板有：", f"no template {name_or_path!r}; built-in "
                           "templates: ") + ", ".join(BUILTIN) + bi("（或给一个 .json 文件）", " (or give a .json file)"))


def _field(plan: Plan, gid: int, field: str, people, units, sides) -> str:
    g = plan.grids
    if field in ("code", "name"):
        return str(g.at[gid, field])
    if field == "blank":
        return ""
    if field == "area_km2":
        return f"{float(plan.grid_areas().get(gid, 0.0)) / 1e6:.3f}"
    if field == "sides":
        from ..outputs.sides import sides_text

        return sides_text(sides[gid]) if gid in sides else ""
    if field.startswith("parent."):
        up = g.at[gid, "parent"]
        if pd.isna(up) or int(up) not in g.index:
            return ""
        return _field(plan, int(up), field[len("parent."):], people, units, sides)
    if field.startswith("role."):
        parts = field.split(".")
        role, attr = parts[1], (parts[2] if len(parts) > 2 else "name")
        rows = plan.roles[(plan.roles["grid"] == gid) & (plan.roles["role"] == role)]
        out = []
        for _, r in rows.iterrows():
            if ROLES.get(role) == "unit":
                if pd.notna(r["unit"]) and int(r["unit"]) in units.index:
                    out.append(str(units.at[int(r["unit"]), "name"]))
            elif pd.notna(r["person"]) and int(r["person"]) in people.index:
                p = people.loc[int(r["person"])]
                if attr == "text":
                    from ..outputs.records import person_text

                    out.append(person_text(str(p["name"]), str(p["post"]), str(p["phone"])))
                else:
                    out.append(str(p[attr]) if attr in p.index else "")
        return "、".join(x for x in out if x)
    raise ExchangeError(bi(f"模板字段 {field!r} 未知", f"unknown template field {field!r}"))


def grid_rows(plan: Plan, template: dict, gid: int, sides=None) -> list[tuple[str, str]]:
    """(header, value) of one grid for the template's columns (``seq`` and ``blank`` left out):
    the map book's per-grid table.  ``sides``: the grid's 四至 (list of sides)."""
    _check_fields(template)
    out = []
    for c in template["columns"]:
        if c["field"] in ("seq", "blank"):
            continue
        head = f"{c['group']}·{c['header']}" if c.get("group") else c["header"]
        out.append((head, _field(plan, int(gid), c["field"], plan.people, plan.units,
                                 {int(gid): sides} if sides is not None else {})))
    return out


def _check_fields(t: dict) -> None:
    for c in t["columns"]:
        f = str(c.get("field", ""))
        base = f
        while base.startswith("parent."):
            base = base[len("parent."):]
        ok = base in ("seq", "code", "name", "area_km2", "sides", "blank") or f in (
            "person.name", "person.post", "person.phone", "person.category", "person.role")
        if base.startswith("role."):
            parts = base.split(".")
            ok = len(parts) in (2, 3) and parts[1] in ROLES and (len(parts) == 2 or parts[2] in
                                                                 ("name", "phone", "post", "text"))
        if not ok or "header" not in c:
            raise ExchangeError(bi(f"模板列 {c!r} 无效（需要 header 和已知的 field）",
                                   f"template column {c!r} is not valid (needs a header and a known field)"))


def template_table(plan: Plan, template: dict, level: str | None = None, project=None) -> pd.DataFrame:
    """The rows of a template: one per grid of its level, columns in its order (headers may repeat)."""
    _check_fields(template)
    spec = level or template.get("level") or plan.levels[-1].key
    if not level and spec not in {x for lv in plan.levels for x in (lv.key, lv.name)}:
        spec = plan.levels[-1].key       # the template's level is not in this plan: its lowest level
    try:
        lv = plan.level(spec)
    except Exception:
        raise ExchangeError(bi(f"方案没有层级 {spec!r}；层级有：", f"the plan has no level {spec!r}; levels: ")
                            + ", ".join(f"{l.key}（{l.name}）" for l in plan.levels)) from None
    grids = plan.grids_of_level(lv.key)
    sides = {}
    if any(c["field"].endswith("sides") for c in template["columns"]):
        from ..outputs.sides import plan_sides

        sides = plan_sides(plan, lv.key, project)
    keys = template.get("sort") or ["code"]
    order = sorted(grids.index, key=lambda gid: tuple(_field(plan, int(gid), k, plan.people, plan.units, {})
                                                      for k in keys))
    items: list[tuple[int, str | None, int | None]] = [(int(g), None, None) for g in order]
    if template.get("rows") == "person":     # one row per person and role on the grids (人员名单)
        from ..plan import ROLE_LABELS

        wanted = template.get("roles") or [k for k, v in ROLES.items() if v == "person"]
        items = []
        for g in order:
            r = plan.roles[(plan.roles["grid"] == g) & plan.roles["role"].isin(wanted) & plan.roles["person"].notna()]
            r = r.assign(rank=r["role"].map({k: i for i, k in enumerate(wanted)})).sort_values("rank", kind="stable")
            items += [(int(g), str(x), int(pid)) for x, pid in zip(r["role"], r["person"])
                      if int(pid) in plan.people.index]
    rows = []
    for n, (gid, role, pid) in enumerate(items, start=1):
        row = []
        for c in template["columns"]:
            f = c["field"]
            if f == "seq":
                row.append(str(n))
            elif f.startswith("person."):
                attr = f.split(".", 1)[1]
                if pid is None:
                    row.append("")
                elif attr == "role":
                    row.append(ROLE_LABELS.get(role, (role,))[0])
                else:
                    row.append(str(plan.people.at[pid, attr]))
            else:
                row.append(_field(plan, gid, f, plan.people, plan.units, sides))
        rows.append(row)
    if template.get("totals") and rows:      # 合计: the number of rows under the first column
        total = [""] * len(template["columns"])
        total[0] = "合计"
        seq = next((j for j, c in enumerate(template["columns"]) if c["field"] == "seq"), None)
        total[seq if seq not in (None, 0) else min(1, len(total) - 1)] = str(len(rows))
        rows.append(total)
    df = pd.DataFrame(rows, columns=range(len(template["columns"])), dtype=object)
    df.attrs["headers"] = [c["header"] for c in template["columns"]]
    df.attrs["level_name"] = lv.name
    return df


def write_template_xlsx(plan: Plan, template: dict, df: pd.DataFrame, path) -> Path:
    """One sheet in the document's layout: annex label, title, one or two header rows
    (groups merged over their columns), merged repeated parents, A4/A3 print setup."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, Side
    from openpyxl.utils import get_column_letter

    from .tables import _put, _text_width

    cols = template["columns"]
    title = str(template.get("title", "")).replace("{plan}", plan.name).replace("{level}",
                                                                              df.attrs.get("level_name", ""))
    wb = Workbook()
    ws = wb.active
    ws.title = (template.get("annex") or "附表")[:31]
    thin = Side(style="thin", color="000000")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    center = Alignment(horizontal="center", vertical="center", wrap_text=True)
    n = len(cols)
    row = 1
    if template.get("annex"):
        _put(ws, row, 1, template["annex"]).font = Font(name="黑体", size=12)
        row += 1
    _put(ws, row, 1, title)
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=n)
    ws.cell(row=row, column=1).font = Font(name="宋体", size=16, bold=True)
    ws.cell(row=row, column=1).alignment = center
    ws.row_dimensions[row].height = 30
    row += 1
    grouped = any(c.get("group") for c in cols)
    head = row
    for j, c in enumerate(cols, start=1):
        if grouped and c.get("group"):
            _put(ws, head, j, c["group"])
            _put(ws, head + 1, j, c["header"])
        else:
            _put(ws, head, j, c["header"])
            if grouped:
                ws.merge_cells(start_row=head, start_column=j, end_row=head + 1, end_column=j)
    if grouped:
        j = 0
        while j < n:
            g = cols[j].get("group")
            k = j
            while k + 1 < n and g and cols[k + 1].get("group") == g:
                k += 1
            if g and k > j:
                ws.merge_cells(start_row=head, start_column=j + 1, end_row=head, end_column=k + 1)
            j = k + 1
    last_head = head + (1 if grouped else 0)
    for r in range(head, last_head + 1):
        for j in range(1, n + 1):
            c = ws.cell(row=r, column=j)
            c.font, c.alignment, c.border = Font(name="宋体", bold=True), center, border
    first = last_head + 1
    for i, values in enumerate(df.itertuples(index=False), start=first):
        for j, v in enumerate(values, start=1):
            c = _put(ws, i, j, v)
            c.border, c.alignment, c.number_format = border, center, "@"
        ws.row_dimensions[i].height = 22
    for j, c in enumerate(cols):
        if c.get("merge") and len(df):
            vals = df.iloc[:, j].tolist()
            start = 0
            for k in range(1, len(vals) + 1):
                if k == len(vals) or vals[k] != vals[start]:
                    if k - start > 1:
                        ws.merge_cells(start_row=first + start, start_column=j + 1, end_row=first + k - 1,
                                       end_column=j + 1)
                    start = k
    widths = []
    for j, c in enumerate(cols, start=1):
        w = max([_text_width(c["header"]) + 2] + [_text_width(v) + 2 for v in df.iloc[:, j - 1].tolist()] + [6])
        widths.append(float(c["width"]) if c.get("width") else min(w, 40))
        ws.column_dimensions[get_column_letter(j)].width = widths[-1]
    # header rows tall enough for their wrapped text (a group header over one narrow column)
    import math

    def lines(text, width) -> int:
        return max(1, math.ceil(_text_width(text) / max(width - 1.0, 1.0)))

    need = {head: 1, last_head: 1}
    j = 0
    while j < n:
        g = cols[j].get("group") if grouped else None
        k = j
        while g and k + 1 < n and cols[k + 1].get("group") == g:
            k += 1
        if g:
            need[head] = max(need[head], lines(g, sum(widths[j:k + 1])))
            for x in range(j, k + 1):
                need[last_head] = max(need[last_head], lines(cols[x]["header"], widths[x]))
        else:       # over both header rows when grouped
            per = lines(cols[j]["header"], widths[j])
            if grouped:
                per = math.ceil(per / 2)
            need[head] = max(need[head], per)
            need[last_head] = max(need[last_head], per)
        j = k + 1
    for r, k in need.items():
        ws.row_dimensions[r].height = 15.0 * k + 4.0
    ws.print_title_rows = f"{head}:{last_head}"
    ws.page_setup.orientation = "landscape" if template.get("landscape") else "portrait"
    ws.page_setup.paperSize = ws.PAPERSIZE_A3 if str(template.get("paper", "A4")).upper() == "A3" else ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    path = Path(path)
    try:
        wb.save(path)
    except OSError as exc:
        raise ExchangeError(f"{path}: " + bi("无法写入", "cannot write") + f" ({exc.strerror})") from exc
    return path


def write_template_docx(plan: Plan, template: dict, df: pd.DataFrame, path) -> Path:
    """The template's table as a real Word table: annex label (黑体), title, grouped
    header rows merged, repeated parents merged, header rows repeated on every page."""
    import docx
    from docx.enum.section import WD_ORIENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt

    from ..outputs.docx import _fonts

    cols = template["columns"]
    doc = docx.Document()
    _fonts(doc.styles["Normal"], "仿宋", 10.5, False)
    sec = doc.sections[0]
    a3 = str(template.get("paper", "A4")).upper() == "A3"
    w, h = (Mm(297), Mm(420)) if a3 else (Mm(210), Mm(297))
    if template.get("landscape"):
        sec.orientation, sec.page_width, sec.page_height = WD_ORIENT.LANDSCAPE, h, w
    else:
        sec.page_width, sec.page_height = w, h
    if template.get("annex"):
        r = doc.add_paragraph().add_run(str(template["annex"]))
        r.font.size = Pt(14)
        r._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), "黑体")
    title = str(template.get("title", "")).replace("{plan}", plan.name).replace("{level}", df.attrs.get("level_name", ""))
    tp = doc.add_paragraph()
    tp.alignment = WD_ALIGN_PARAGRAPH.CENTER
    tr = tp.add_run(title)
    tr.font.size, tr.font.bold = Pt(18), True
    tr._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), "宋体")
    grouped = any(c.get("group") for c in cols)
    nh = 2 if grouped else 1
    table = doc.add_table(rows=nh + len(df), cols=len(cols))
    table.style = "Table Grid"
    for j, c in enumerate(cols):
        if grouped and c.get("group"):
            table.cell(0, j).text, table.cell(1, j).text = c["group"], c["header"]
        else:
            table.cell(0, j).text = c["header"]
    if grouped:
        j = 0
        while j < len(cols):
            g = cols[j].get("group")
            if not g:
                table.cell(0, j).merge(table.cell(1, j)).text = cols[j]["header"]
                j += 1
                continue
            k = j
            while k + 1 < len(cols) and cols[k + 1].get("group") == g:
                k += 1
            if k > j:
                table.cell(0, j).merge(table.cell(0, k)).text = g
            j = k + 1
    for i, row in enumerate(df.itertuples(index=False), start=nh):
        for j, v in enumerate(row):
            table.cell(i, j).text = str(v)
    for j, c in enumerate(cols):
        if c.get("merge") and len(df):
            vals = df.iloc[:, j].tolist()
            start = 0
            for k in range(1, len(vals) + 1):
                if k == len(vals) or vals[k] != vals[start]:
                    if k - start > 1:
                        table.cell(nh + start, j).merge(table.cell(nh + k - 1, j)).text = str(vals[start])
                    start = k
    # column widths from the text (a phone number on one line), scaled to the text width of the page
    from .tables import _text_width

    need = [max([_text_width(c["header"])] + [_text_width(v) for v in df.iloc[:, j].tolist()] + [4]) + 3
            for j, c in enumerate(cols)]
    avail = (sec.page_width - sec.left_margin - sec.right_margin)
    table.autofit = False
    for j, n in enumerate(need):
        width = int(avail * n / sum(need))
        table.columns[j].width = width
        for cell in table.columns[j].cells:
            cell.width = width
    # 10.5 pt (五号) when the text fits the page on one line per cell, else 9 pt (小五)
    size = 10.5 if sum(need) * 10.5 * 0.3528 / 2 * 1.1 <= avail / 36000 else 9.0
    for r_i, row in enumerate(table.rows):
        for cell in row.cells:
            for par in cell.paragraphs:
                par.alignment = WD_ALIGN_PARAGRAPH.CENTER
                for run in par.runs:
                    run.font.size = Pt(size)
                    run.font.bold = r_i < nh
        if r_i < nh:          # header rows repeat on every page
            trpr = row._tr.get_or_add_trPr()
            el = OxmlElement("w:tblHeader")
            el.set(qn("w:val"), "true")
            trpr.append(el)
    path = Path(path)
    try:
        doc.save(path)
    except OSError as exc:
        raise ExchangeError(f"{path}: " + bi("无法写入", "cannot write") + f" ({exc.strerror})") from exc
    return path


def export_template(plan: Plan, template, out, level: str | None = None, project=None, fmt: str = "xlsx") -> Path:
    """The template's table as XLSX, DOCX (a real Word table) or CSV (headers: ``group/header``)."""
    t = load_template(template, plan) if not isinstance(template, dict) else template
    df = template_table(plan, t, level, project)
    if fmt == "docx":
        return write_template_docx(plan, t, df, out)
    if fmt == "csv":
        from .cellsafe import write_csv

        heads = [f"{c['group']}/{c['header']}" if c.get("group") else c["header"] for c in t["columns"]]
        out = Path(out)
        write_csv(df.set_axis(heads, axis=1), out)
        return out
    return write_template_xlsx(plan, t, df, out)
