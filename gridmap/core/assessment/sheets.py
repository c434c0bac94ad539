"""Assessment workbooks: the score sheet to fill in (考核评分表), reading it back, and the
ranking tables (排名表) as XLSX.

Text cells are always string cells (never formulas: a grid name such as ``=HYPERLINK(…)`` stays
text), codes are text cells so leading zeros survive, as in :mod:`gridmap.core.exchange.tables`.
A score sheet has one sheet per check, named by its period (``2026-01``, or ``2026年终`` for the
year-end check); its header row holds 网格编号 and one column per item ("公益宣传（15分）").
Reading is by value (a formula cell counts with Excel's stored result).
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from ..exchange.tables import write_xlsx
from ..messages import bi
from ..plan import Plan
from .scores import (AssessError, Rules, assessed_grids, bottom_flags, leaders_of, month_ranking,
                     parse_period, period_text, periods, template, year_ranking)

__all__ = ["score_sheet_frame", "write_score_sheet", "read_score_sheet", "ranking_tables", "write_rankings",
           "sheet_name", "flags_frame", "open_workbook"]


def open_workbook(path):
    """A filled-in workbook (values, not formulas), or a clear bilingual refusal."""
    from openpyxl import load_workbook

    path = Path(path)
    if not path.exists():
        raise AssessError(f"{path}: " + bi("文件不存在", "file not found"))
    try:
        return load_workbook(path, data_only=True, read_only=True)
    except Exception as exc:  # not a workbook
        raise AssessError(f"{path}: " + bi("不是可读的 XLSX 工作簿", "not a readable XLSX workbook")
                          + f" ({type(exc).__name__})") from exc


def sheet_name(period: str, kind: str) -> str:
    return f"{period}年终" if kind == "year_end" else period


def _item_header(name: str, points: float) -> str:
    return f"{name}（{points:g}分）"


def score_sheet_frame(plan: Plan, period: str, kind: str = "monthly") -> pd.DataFrame:
    """The score sheet of one check as a table (scores already recorded are filled in)."""
    period = parse_period(period, kind)
    rules = Rules.of(plan)
    items = template(plan)
    grids = assessed_grids(plan, rules)
    s = plan.assess_scores
    s = s[(s["kind"] == kind) & (s["period"] == period)]
    have = {(int(g), str(i)): float(v) for g, i, v in zip(s["grid"], s["item"], s["score"]) if pd.notna(g)}
    rows = []
    for k, (gid, code, name) in enumerate(zip(grids.index, grids["code"], grids["name"]), start=1):
        row = {"序号": k, "网格编号": str(code), "网格名称": str(name),
               "挂点领导": "、".join(p["name"] for p in leaders_of(plan, int(gid)))}
        vals = []
        for it, mx in zip(items["name"], items["max_points"]):
            v = have.get((int(gid), str(it)))
            row[_item_header(it, mx)] = "" if v is None else v
            if v is not None:
                vals.append(v)
        row["合计"] = sum(vals) if vals else ""
        row["备注"] = ""
        rows.append(row)
    cols = ["序号", "网格编号", "网格名称", "挂点领导"] + [_item_header(i, m) for i, m in
                                                  zip(items["name"], items["max_points"])] + ["合计", "备注"]
    return pd.DataFrame(rows, columns=cols)


def write_score_sheet(plan: Plan, path, checks: list[tuple[str, str]]) -> Path:
    """A workbook with one score sheet per (period, kind) check."""
    tables = {}
    for period, kind in checks:
        p = parse_period(period, kind)
        name = sheet_name(p, kind)
        tables[name] = (name, score_sheet_frame(plan, p, kind), None)
    _write(tables, path, plan, "考核评分表")
    return Path(path)


def _write(tables, path, plan: Plan, what: str):
    # sheet titles: "<plan>考核评分表（2026-01）"; write_xlsx names each sheet by the table title
    out = {k: (t, df, m) for k, (t, df, m) in tables.items()}
    path = Path(path)
    write_xlsx(out, path, "")
    from openpyxl import load_workbook

    wb = load_workbook(path)
    for ws in wb.worksheets:
        ws.cell(row=1, column=1).value = f"{plan.name}{what}（{ws.title}）"
        ws.cell(row=1, column=1).data_type = "s"
    wb.save(path)


_HEADER_ITEM = re.compile(r"^\s*(.+?)\s*(?:[（(]\s*[\d.]+\s*分?\s*[)）])?\s*$")


def _kind_of_sheet(title: str) -> tuple[str, str] | None:
    t = title.strip()
    if "年终" in t:
        try:
            return parse_period(t.replace("年终", "").replace("检查", ""), "year_end"), "year_end"
        except AssessError:
            return None
    try:
        return parse_period(t, "monthly"), "monthly"
    except AssessError:
        return None


def read_score_sheet(plan: Plan, path, period: str | None = None, kind: str = "monthly") -> list[tuple[str, str, list]]:
    """Scores of a filled-in score sheet: ``[(period, kind, [(code, item, score), …]), …]``.

    Each sheet is one check named by its period (or ``period``/``kind`` given for a one-sheet
    workbook).  Blank score cells are skipped; a cell that is not a number is refused with its
    sheet and cell named."""
    wb = open_workbook(path)
    items = set(template(plan)["name"])
    out = []
    for ws in wb.worksheets:
        rows = [list(r) for r in ws.iter_rows(values_only=True)]
        head = next((k for k, r in enumerate(rows[:10]) if any(str(v or "").strip() == "网格编号" for v in r)), None)
        if head is None:
            continue
        header = [str(v or "").strip() for v in rows[head]]
        code_col = header.index("网格编号")
        cols = {}
        for j, h in enumerate(header):
            m = _HEADER_ITEM.match(h)
            if m and m.group(1) in items:
                cols[j] = m.group(1)
        if not cols:
            raise AssessError(f"{path} [{ws.title}]: " + bi("表头中没有考核评分表的项目", "no item of the scoring template in the header")
                              + f" ({'、'.join(sorted(items))})")
        if period is not None:
            check = (parse_period(period, kind), kind)
        else:
            check = _kind_of_sheet(ws.title)
            if check is None:
                raise AssessError(f"{path} [{ws.title}]: " + bi(
                    "工作表名不是检查期间（如 2026-01、2026年终），请用 --period 指定",
                    "the sheet name is not a period (2026-01, 2026年终); give --period"))
        scores = []
        for k, r in enumerate(rows[head + 1:], start=head + 2):
            code = r[code_col] if code_col < len(r) else None
            if code is None or str(code).strip() == "":
                continue
            code = str(int(code)) if isinstance(code, float) and code.is_integer() else str(code).strip()
            for j, item in cols.items():
                v = r[j] if j < len(r) else None
                if v is None or (isinstance(v, str) and not v.strip()):
                    continue
                if isinstance(v, str):
                    try:
                        v = float(v.strip())
                    except ValueError:
                        from openpyxl.utils import get_column_letter

                        raise AssessError(f"{path} [{ws.title}] {get_column_letter(j + 1)}{k}: " + bi(
                            f"得分 {v!r} 不是数字", f"score {v!r} is not a number")) from None
                scores.append((code, item, v))
        out.append((check[0], check[1], scores))
    wb.close()
    if not out:
        raise AssessError(f"{path}: " + bi("没有含“网格编号”表头的考核评分表", "no score sheet with a 网格编号 header"))
    return out


# ---------------------------------------------------------------------------- rankings
def _shown(df: pd.DataFrame) -> pd.DataFrame:
    """A ranking for print: no internal ids, ticks as 是, missing as blank."""
    out = df.drop(columns=[c for c in ("grid",) if c in df.columns]).copy()
    if "末位" in out.columns:
        out["末位"] = ["是" if v else "" for v in out["末位"]]
    return out


def flags_frame(plan: Plan, year: str | None = None) -> pd.DataFrame:
    rules = Rules.of(plan)
    rows = []
    for k, f in enumerate(bottom_flags(plan, year), start=1):
        rows.append({"序号": k, "网格编号": f["code"], "网格名称": f["name"],
                     "挂点领导": "、".join(p["name"] for p in f["leaders"]),
                     "联系电话": "、".join(p["phone"] for p in f["leaders"] if p["phone"]),
                     f"连续末位{rules.bottom}名的检查": "、".join(f["months"]),
                     "次数": len(f["months"]), "要求": "挂点领导须书面说明"})
    return pd.DataFrame(rows, columns=["序号", "网格编号", "网格名称", "挂点领导", "联系电话",
                                       f"连续末位{rules.bottom}名的检查", "次数", "要求"])


def ranking_tables(plan: Plan, period: str | None = None, year: str | None = None) -> dict:
    """Tables for :func:`write_xlsx`: a month's ranking, or a year's monthly rankings, the year-end
    check, the yearly ranking and the flags."""
    tables = {}
    if period is not None:
        p = parse_period(period)
        tables[p] = (f"{period_text(p)}检查排名", _shown(month_ranking(plan, p)), None)
        return tables
    y = parse_period(year, "year_end")
    for p in periods(plan, "monthly", y):
        tables[p] = (f"{period_text(p)}检查排名", _shown(month_ranking(plan, p)), None)
    if y in periods(plan, "year_end"):
        tables[f"{y}年终"] = (f"{y}年终检查排名", _shown(month_ranking(plan, y, "year_end")), None)
    tables["year"] = (f"{y}年度综合考核排名", _shown(year_ranking(plan, y)), None)
    tables["flags"] = (f"{y}连续末位名单", flags_frame(plan, y), None)
    return tables


def write_rankings(plan: Plan, path, period: str | None = None, year: str | None = None) -> Path:
    path = Path(path)
    write_xlsx(ranking_tables(plan, period, year), path, plan.name)
    return path
