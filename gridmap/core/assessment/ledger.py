"""The work ledger (工作台账) of visits to communities, as the 枣庄 scheme keeps it.

Each record (table ``ledger``) is one visit or matter on a grid/community: date, 工作事项 (the
matter), 进社区人员及联系方式 (who went, with phone), 社区直接责任人及联系方式 (the community
contact), outcome, and the 蓬江 三事分流 category — 小事 (solved on the spot by the stationed
officer), 中事 (by the squad leader), 大事 (by the bureau's leader in charge) — with whom it went
to.  The month's ledger is exported in the layout of 枣庄's 附件2 (reported by the 2nd of the next
month) and a check lists communities with no visit in a month ("每月至少巡查和走访一次").

>>> from gridmap.core.assessment.scores import demo
>>> from gridmap.core.editing.buffer import EditBuffer
>>> plan = demo()
>>> _ = EditBuffer(plan).push(add_record(plan, "G01", "2026-01-05", "巡查门前三包", visitors="王五 13900000000"))
>>> [c for c, _ in no_visit(plan, "2026-01")]
['G02', 'G03', 'G04']
>>> LEDGER_HEADER
['序号', '时间', '社区名称', '工作事项', '进社区人员及联系方式', '社区直接责任人及联系方式']
"""

from __future__ import annotations

import re
from datetime import date, datetime
from pathlib import Path

import pandas as pd

from ..messages import bi
from ..plan import Plan
from .scores import AssessError, Rules, assessed_grids, parse_period

__all__ = ["CATEGORIES", "LEDGER_HEADER", "LEDGER_TITLE", "LEDGER_NOTE", "add_record", "import_ledger",
           "ledger_frame", "write_ledger", "no_visit", "parse_date"]

# 蓬江 三事分流: who resolves each kind of matter
CATEGORIES = {"小事": "进驻城管执法队员（社区城管服务站）", "中事": "城管执法中队中队长", "大事": "局分管领导"}
# 枣庄 附件2, word for word
LEDGER_TITLE = "“城市管理进社区”活动工作台账"
LEDGER_HEADER = ["序号", "时间", "社区名称", "工作事项", "进社区人员及联系方式", "社区直接责任人及联系方式"]
LEDGER_NOTE = "注：进社区人员为进社区开展城市管理服务的人员，社区直接责任人为在社区设置的城市管理岗人员。"


def parse_date(v) -> str:
    """A ledger date as YYYY-MM-DD ("2026-01-05", "2026年1月5日", "2026/1/5", an Excel date)."""
    if isinstance(v, (datetime, date)):
        return v.strftime("%Y-%m-%d")
    t = str(v or "").strip()
    m = re.match(r"^(\d{4})\s*[-./年]\s*(\d{1,2})\s*[-./月]\s*(\d{1,2})\s*日?(?:\s.*)?$", t)
    if m:
        try:
            return date(int(m.group(1)), int(m.group(2)), int(m.group(3))).strftime("%Y-%m-%d")
        except ValueError:
            pass
    raise AssessError(bi(f"日期 {t!r} 无法识别，应写作 2026-01-05 或 2026年1月5日",
                         f"date {t!r} is not understood; write 2026-01-05 or 2026年1月5日"))


def _grid_of(plan: Plan, key: str) -> int:
    key = str(key).strip()
    g = plan.grids
    hit = g.index[g["code"] == key]
    if len(hit) == 0:
        hit = g.index[g["name"] == key]
    if len(hit) != 1:
        raise AssessError(bi(f"没有编号或名称为 {key!r} 的网格（社区）" if len(hit) == 0 else f"名称 {key!r} 对应多个网格，请用网格编号",
                             f"no grid (community) with code or name {key!r}" if len(hit) == 0
                             else f"name {key!r} matches several grids; use the grid code"))
    return int(hit[0])


def _record_values(plan: Plan, grid_key, when, matter, visitors="", contact="", outcome="", category="",
                   handled_by="") -> dict:
    gid = _grid_of(plan, grid_key)
    matter = str(matter or "").strip()
    if not matter:
        raise AssessError(bi("工作事项不能为空", "the matter (工作事项) is empty"))
    category = str(category or "").strip()
    if category and category not in CATEGORIES:
        raise AssessError(bi(f"类别 {category!r} 应为 小事、中事 或 大事", f"category {category!r} must be 小事, 中事 or 大事"))
    return dict(grid=gid, grid_code=str(plan.grids.at[gid, "code"]), date=parse_date(when), matter=matter,
                visitors=str(visitors or ""), contact=str(contact or ""), outcome=str(outcome or ""),
                category=category, handled_by=str(handled_by or (CATEGORIES.get(category, "") if category else "")))


def add_record(plan: Plan, grid_key, when, matter, visitors="", contact="", outcome="", category="",
               handled_by="", text: str = "台账记录 Ledger record"):
    """A command adding one ledger record (the grid by code or name)."""
    from ..editing.commands import AddRow

    return AddRow(text, "ledger", _record_values(plan, grid_key, when, matter, visitors, contact, outcome,
                                                 category, handled_by))


def _col(header: list[str], *names) -> int | None:
    for n in names:
        for j, h in enumerate(header):
            if h.replace(" ", "") == n:
                return j
    return None


def import_ledger(plan: Plan, path) -> tuple[object, int]:
    """A command adding every record of a ledger workbook (the 附件2 columns; optional 网格编号,
    办理结果, 类别, 承办), and the number of records.  Nothing is added if any row is refused."""
    from ..editing.commands import AddRow, Macro

    from .sheets import open_workbook

    wb = open_workbook(path)
    cmds, problems = [], []
    for ws in wb.worksheets:
        rows = [list(r) for r in ws.iter_rows(values_only=True)]
        head = next((k for k, r in enumerate(rows[:10])
                     if {"时间", "工作事项"} <= {str(v or "").replace(" ", "") for v in r}), None)
        if head is None:
            continue
        header = [str(v or "").strip() for v in rows[head]]
        c_date, c_matter = _col(header, "时间"), _col(header, "工作事项")
        c_code, c_name = _col(header, "网格编号", "社区编号"), _col(header, "社区名称", "网格名称")
        c_vis, c_con = _col(header, "进社区人员及联系方式"), _col(header, "社区直接责任人及联系方式")
        c_out, c_cat, c_by = _col(header, "办理结果", "结果"), _col(header, "类别", "三事分流"), _col(header, "承办", "交办")
        for k, r in enumerate(rows[head + 1:], start=head + 2):
            def cell(j):
                return None if j is None or j >= len(r) else r[j]
            if all(v is None or str(v).strip() == "" for v in r):
                continue
            first = str(cell(0) or "").strip()
            if first.startswith("注"):
                continue
            key = cell(c_code) if c_code is not None and cell(c_code) else cell(c_name)
            try:
                vals = _record_values(plan, key or "", cell(c_date), cell(c_matter), cell(c_vis), cell(c_con),
                                      cell(c_out), cell(c_cat), cell(c_by))
            except AssessError as exc:
                problems.append(f"[{ws.title}] {k}: {exc}")
                continue
            cmds.append(AddRow("台账记录", "ledger", vals))
    wb.close()
    if problems:
        more = f" (+{len(problems) - 3})" if len(problems) > 3 else ""
        raise AssessError(f"{path}: " + "; ".join(problems[:3]) + more)
    if not cmds:
        raise AssessError(f"{path}: " + bi("没有含“时间、工作事项”表头的台账记录", "no ledger rows under a 时间/工作事项 header"))
    return Macro("导入工作台账 Import ledger", cmds), len(cmds)


def ledger_frame(plan: Plan, month: str) -> pd.DataFrame:
    """The month's records in the 附件2 columns, by date."""
    month = parse_period(month)
    d = plan.ledger[plan.ledger["date"].str.startswith(month)].sort_values(["date"], kind="stable")
    names = plan.grids["name"]
    rows = [[k, r.date, str(names.get(int(r.grid), "")) if pd.notna(r.grid) else r.grid_code, r.matter, r.visitors,
             r.contact] for k, r in enumerate(d.itertuples(), start=1)]
    return pd.DataFrame(rows, columns=LEDGER_HEADER)


def write_ledger(plan: Plan, path, month: str, unit: str = "", filler: str = "", phone: str = "",
                 filled: str = "") -> Path:
    """The month's ledger as XLSX in 附件2's layout: title, the 填表单位/填表时间/填表人/联系电话 line,
    the six columns, the note under the table.  Text is always text cells (never formulas)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, Side
    from openpyxl.utils import get_column_letter

    from ..exchange.tables import _put, _text_width

    df = ledger_frame(plan, month)
    path = Path(path)
    wb = Workbook()
    ws = wb.active
    ws.title = parse_period(month)
    n = len(LEDGER_HEADER)
    thin = Side(style="thin", color="000000")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    _put(ws, 1, 1, LEDGER_TITLE).font = Font(name="宋体", size=16, bold=True)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=n)
    ws.cell(row=1, column=1).alignment = Alignment(horizontal="center", vertical="center")
    ws.row_dimensions[1].height = 30
    filled = filled or date.today().strftime("%Y-%m-%d")
    _put(ws, 2, 1, f"填表单位：{unit}    填表时间：{filled}    填表人：{filler}    联系电话：{phone}")
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=n)
    for j, h in enumerate(LEDGER_HEADER, start=1):
        c = _put(ws, 3, j, h)
        c.font = Font(name="宋体", bold=True)
        c.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        c.border = border
    for i, row in enumerate(df.itertuples(index=False), start=4):
        for j, v in enumerate(row, start=1):
            c = _put(ws, i, j, v if j == 1 else str(v))
            c.border = border
            c.alignment = Alignment(vertical="center", wrap_text=True, horizontal="center" if j <= 3 else "left")
    last = 4 + len(df)
    _put(ws, last, 1, LEDGER_NOTE)
    ws.merge_cells(start_row=last, start_column=1, end_row=last, end_column=n)
    for j, h in enumerate(LEDGER_HEADER, start=1):
        width = max([_text_width(h)] + [_text_width(v) for v in df.iloc[:, j - 1].tolist()])
        ws.column_dimensions[get_column_letter(j)].width = min(max(width + 2, 6), 40)
    ws.print_title_rows = "3:3"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    try:
        wb.save(path)
    except OSError as exc:
        raise AssessError(f"{path}: " + bi("无法写入", "cannot write") + f" ({exc.strerror})") from exc
    return path


def no_visit(plan: Plan, month: str) -> list[tuple[str, str]]:
    """(code, name) of the assessed level's grids (communities) with no ledger record in the month."""
    month = parse_period(month)
    d = plan.ledger[plan.ledger["date"].str.startswith(month)]
    visited = {int(g) for g in d["grid"].dropna()}
    g = assessed_grids(plan, Rules.of(plan))
    return [(str(c), str(n)) for i, c, n in zip(g.index, g["code"], g["name"]) if int(i) not in visited]
