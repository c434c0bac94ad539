"""Satisfaction survey tallies (满意度调查, 枣庄 附件1): per community and question, how many answered
满意 / 基本满意 / 不满意, with the reasons given; the per-question satisfaction rate table.

Satisfaction rate (满意率) = (满意 + 基本满意) / all answers, as a percentage with one decimal.

>>> from gridmap.core.assessment.scores import demo
>>> from gridmap.core.editing.buffer import EditBuffer
>>> plan = demo()
>>> _ = EditBuffer(plan).push(record_tallies(plan, "2026-01", [("G01", "环卫保洁", 30, 15, 5, "垃圾清运不及时")]))
>>> row = rate_table(plan, "2026-01").iloc[0]
>>> row["社区名称"], row["问题"], float(row["满意率（%）"])
('第1网格', '环卫保洁', 90.0)
"""

from __future__ import annotations


import pandas as pd

from ..messages import bi
from ..plan import SURVEY_COLUMNS, Plan, coerce
from .ledger import _grid_of
from .scores import AssessError, parse_period

__all__ = ["QUESTIONS", "record_tallies", "read_tallies", "rate_table"]

# 附件1's three rated questions
QUESTIONS = ("环卫保洁", "绿化养护", "城管执法")


def record_tallies(plan: Plan, period: str, rows, replace: bool = False, text: str = "满意度调查 Survey tallies"):
    """A command recording tallies ``(grid code or name, question, 满意, 基本满意, 不满意, reasons)`` of a
    survey period (one undo step); tallies already recorded for the same community and question
    are replaced only with ``replace``."""
    from ..editing.commands import ReplaceTable

    period = parse_period(period)
    clean, problems = [], []
    for r in rows:
        key, q, a, b, c = r[:5]
        reasons = r[5] if len(r) > 5 else ""
        try:
            gid = _grid_of(plan, key)
            q = str(q).strip()
            if q not in QUESTIONS:
                raise AssessError(bi(f"问题 {q!r} 应为 {'、'.join(QUESTIONS)} 之一", f"question {q!r} must be one of {', '.join(QUESTIONS)}"))
            counts = []
            for v in (a, b, c):
                n = int(float(v or 0))
                if n < 0 or float(v or 0) != n:
                    raise ValueError
                counts.append(n)
        except AssessError as exc:
            problems.append(str(exc))
            continue
        except (TypeError, ValueError):
            problems.append(bi(f"{key} {q}: 人数应为非负整数", f"{key} {q}: counts must be whole numbers ≥ 0"))
            continue
        clean.append(dict(grid=gid, grid_code=str(plan.grids.at[gid, "code"]), period=period, question=q,
                          satisfied=counts[0], basic=counts[1], unsatisfied=counts[2], reasons=str(reasons or "")))
    if problems:
        raise AssessError("; ".join(problems[:3]) + (f" (+{len(problems) - 3})" if len(problems) > 3 else ""))
    if not clean:
        raise AssessError(bi("没有满意度调查数据", "no survey tallies"))
    old = plan.survey
    keys = {(r["grid"], r["question"]) for r in clean}
    same = [i for i, r in zip(old.index, old.itertuples()) if r.period == period and (int(r.grid), r.question) in keys]
    if same and not replace:
        raise AssessError(bi(f"{period} 已有这些社区的满意度数据；要替换请确认（--replace）",
                             f"{period} already has tallies of these communities; confirm to replace them (--replace)"))
    keep = old.drop(index=same)
    nxt = int(old.index.max()) + 1 if len(old) else 1
    add = pd.DataFrame(clean, index=pd.Index(range(nxt, nxt + len(clean)), name="id"))
    return ReplaceTable(text, "survey", coerce(pd.concat([keep, add]) if len(keep) else add, SURVEY_COLUMNS))


def read_tallies(path) -> list[tuple]:
    """Tally rows of a workbook whose header has 社区名称 (or 网格编号), 问题, 满意, 基本满意, 不满意
    (optional 不满意的原因)."""
    from .sheets import open_workbook

    wb = open_workbook(path)
    out = []
    for ws in wb.worksheets:
        rows = [list(r) for r in ws.iter_rows(values_only=True)]
        head = next((k for k, r in enumerate(rows[:10]) if {"问题", "满意", "不满意"} <= {str(v or "").strip() for v in r}), None)
        if head is None:
            continue
        h = [str(v or "").strip() for v in rows[head]]

        def col(*names):
            return next((h.index(n) for n in names if n in h), None)
        ck, cq = col("网格编号", "社区名称", "网格名称"), col("问题")
        ca, cb, cc, cr = col("满意"), col("基本满意"), col("不满意"), col("不满意的原因", "原因")
        if ck is None:
            raise AssessError(f"{path} [{ws.title}]: " + bi("表头没有 社区名称 或 网格编号", "the header has no 社区名称 or 网格编号"))
        for r in rows[head + 1:]:
            def cell(j):
                return None if j is None or j >= len(r) else r[j]
            if cell(ck) in (None, ""):
                continue
            out.append((cell(ck), cell(cq), cell(ca), cell(cb), cell(cc), cell(cr) or ""))
    wb.close()
    if not out:
        raise AssessError(f"{path}: " + bi("没有满意度调查数据（表头：社区名称、问题、满意、基本满意、不满意）",
                                          "no tallies (header: 社区名称, 问题, 满意, 基本满意, 不满意)"))
    return out


def rate_table(plan: Plan, period: str) -> pd.DataFrame:
    """Per community and question: 满意, 基本满意, 不满意, 合计, 满意率（%）, 不满意的原因; then one
    总计 row per question over all communities."""
    period = parse_period(period)
    s = plan.survey[plan.survey["period"] == period]
    names = plan.grids["name"]
    rows = []
    for r in s.sort_values(["grid_code", "question"], kind="stable").itertuples():
        total = int(r.satisfied) + int(r.basic) + int(r.unsatisfied)
        rows.append({"网格编号": r.grid_code, "社区名称": str(names.get(int(r.grid), "")), "问题": r.question,
                     "满意": int(r.satisfied), "基本满意": int(r.basic), "不满意": int(r.unsatisfied), "合计": total,
                     "满意率（%）": round(100.0 * (int(r.satisfied) + int(r.basic)) / total, 1) if total else None,
                     "不满意的原因": r.reasons})
    df = pd.DataFrame(rows, columns=["网格编号", "社区名称", "问题", "满意", "基本满意", "不满意", "合计", "满意率（%）", "不满意的原因"])
    for q in QUESTIONS:
        sub = df[df["问题"] == q]
        if len(sub):
            t = int(sub["合计"].sum())
            good = int(sub["满意"].sum() + sub["基本满意"].sum())
            df.loc[len(df)] = ["", "总计", q, int(sub["满意"].sum()), int(sub["基本满意"].sum()), int(sub["不满意"].sum()), t,
                               round(100.0 * good / t, 1) if t else None, ""]
    df.insert(0, "序号", range(1, len(df) + 1))
    return df
