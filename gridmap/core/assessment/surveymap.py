"""The satisfaction map (满意度示意图, 枣庄 附件1): for one survey period and one question
(环卫保洁 / 绿化养护 / 城管执法), the communities coloured by their satisfaction rate
(满意率 = (满意 + 基本满意) / all answers) in fixed bands, each labelled with its name and
rate; communities without tallies left white.  A PDF holds one page per question asked.

>>> from gridmap.core.assessment.scores import demo
>>> from gridmap.core.editing.buffer import EditBuffer
>>> from gridmap.core.assessment.survey import record_tallies
>>> plan = demo()
>>> _ = EditBuffer(plan).push(record_tallies(plan, "2026-01", [("G01", "环卫保洁", 30, 15, 5)]))
>>> fig, info = satisfaction_figure(plan, "2026-01", "环卫保洁")
>>> info["rates"]
{'G01': 90.0}
>>> info["bands"][-1]
'无调查数据'
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..messages import bi
from ..outputs.annex_map import crs_text
from ..outputs.draw import add_polygons
from ..outputs.fonts import find_cjk_font
from ..outputs.layout import MM_PER_PT, Page, Sheet, save_figure
from ..outputs.mapdata import MapData
from ..outputs.mapframe import LegendEntry, MapFrame
from ..plan import Plan
from .scores import AssessError, parse_period, period_text
from .survey import QUESTIONS, rate_table

__all__ = ["BANDS", "satisfaction_figure", "save_satisfaction_map", "survey_questions"]

# (legend label, lowest rate in the band, colour): fixed bands, so months compare
BANDS = [("95% 及以上", 95.0, "#1a9641"), ("90%–95%", 90.0, "#a6d96a"), ("80%–90%", 80.0, "#fdcc8a"),
         ("低于 80%", -1.0, "#d7301f")]
NO_DATA = ("无调查数据", "#ffffff")


def _band(rate) -> int | None:
    if rate is None or pd.isna(rate):
        return None
    return next(k for k, (_, lo, _) in enumerate(BANDS) if float(rate) >= lo)


def survey_questions(plan: Plan, period: str) -> list[str]:
    """The questions with tallies in a period, in 附件1's order."""
    p = parse_period(period)
    asked = set(plan.survey.loc[plan.survey["period"] == p, "question"].astype(str))
    return [q for q in QUESTIONS if q in asked]


def satisfaction_figure(plan: Plan, period: str, question: str, paper: str = "A4", landscape: bool = False,
                        title: str = ""):
    """The satisfaction map of one question of a period as a matplotlib figure and what was drawn."""
    p = parse_period(period)
    q = str(question or "").strip()
    if q not in QUESTIONS:
        raise AssessError(bi(f"问题 {q!r} 应为 {'、'.join(QUESTIONS)} 之一",
                             f"question {q!r} must be one of {', '.join(QUESTIONS)}"))
    table = rate_table(plan, p)
    rows = table[(table["问题"] == q) & (table["社区名称"] != "总计")]
    if not len(rows):
        raise AssessError(bi(f"{period_text(p)} 没有“{q}”的满意度调查数据",
                             f"{p} has no survey tallies for {q}"))
    total = table[(table["问题"] == q) & (table["社区名称"] == "总计")]["满意率（%）"]
    code_to_id = pd.Series(plan.grids.index, index=plan.grids["code"].astype(str))
    code_to_id = code_to_id[~code_to_id.index.duplicated()]
    rate_of = {int(code_to_id[c]): r for c, r in zip(rows["网格编号"].astype(str), rows["满意率（%）"])
               if c in code_to_id.index}
    # the level the tallies are on (communities); every grid of that level is drawn, white without data
    levels = {str(plan.grids.at[g, "level"]) for g in rate_of}
    level_key = min(levels, key=plan.level_index) if levels else plan.levels[-1].key
    ids = [int(g) for g in plan.grids.index[plan.grids["level"] == level_key]]
    font = find_cjk_font()
    data = MapData.from_plan(plan, None, False)
    page = Page(paper, landscape)
    sheet = Sheet(page, font)
    s = page.text_scale
    heading = title or f"{plan.name}{period_text(p)}{q}满意度示意图"
    sub = "满意率 =（满意 + 基本满意）÷ 全部答卷"
    title_r, rest = page.content.split_top(sheet.title_height(heading, sub, ""))
    sheet.title_block(title_r, heading, sub, "")
    fs = 7.0 * s
    foot_r, frame_r = rest.split_bottom(3.0 + fs * MM_PER_PT * 2.0)
    inner = sheet.frame(frame_r)
    mf = MapFrame(sheet, inner, data, data.bounds, pad=0.02)
    grids = data.grids
    ids = [g for g in ids if g in grids.index]
    colours = []
    for g in ids:
        k = _band(rate_of.get(g))
        colours.append(NO_DATA[1] if k is None else BANDS[k][2])
    add_polygons(mf.ax, grids.loc[ids].geometry.values, facecolors=colours, edgecolors="none", linewidths=0,
                 zorder=0.4, alpha=0.95)
    mf.draw_grids(fill=False)
    mf.draw_jurisdiction()
    used = {_band(rate_of.get(g)) for g in ids}
    for k, (lab, _, c) in enumerate(BANDS):
        mf.legend.append(LegendEntry(lab, "patch", "#666666", 0.5, c))
    if None in used:
        mf.legend.append(LegendEntry(NO_DATA[0], "patch", "#666666", 0.5, NO_DATA[1]))
    mf.north_arrow(size=9)
    mf.scale_block(size=7)
    mf.legend_block(title="图例", size=7.0)
    lab = data.grids.copy()
    for g in ids:
        r = rate_of.get(g)
        lab.at[g, "code"] = str(plan.grids.at[g, "name"] or plan.grids.at[g, "code"])
        lab.at[g, "name"] = f"{float(r):.1f}%" if r is not None and not pd.isna(r) else "无数据"
    data.grids = lab
    mf.label_grids(levels=[int(plan.level_index(level_key))], names=True)
    y = foot_r.top - fs * MM_PER_PT - 2.0
    overall = f"；全部社区 {float(total.iloc[0]):.1f}%" if len(total) and pd.notna(total.iloc[0]) else ""
    sheet.text(foot_r.x, y, f"{q}：{len(rate_of)} 个社区有调查数据{overall}", fs)
    sheet.text(foot_r.right, y, crs_text(data.crs), fs, ha="right")
    codes = plan.grids["code"].astype(str)
    info = {"title": heading, "question": q, "rates": {codes[g]: float(r) for g, r in rate_of.items()},
            "bands": [b[0] for b in BANDS] + ([NO_DATA[0]] if None in used else []),
            "labelled": len(mf.placer.placed), "unlabelled": list(mf.unlabelled)}
    return sheet.fig, info


def save_satisfaction_map(plan: Plan, path, period: str, question: str | None = None, dpi: int = 300,
                          **kw) -> list[dict]:
    """Write satisfaction maps: a PDF with one page per question (or only ``question``); a PNG/TIFF
    of one question (without ``question``, one file per question: ``NAME_环卫保洁.png`` …)."""
    path = Path(path)
    fmt = path.suffix.lstrip(".").lower()
    if fmt not in ("pdf", "png", "tif", "tiff"):
        raise AssessError(f"{path}: " + bi("满意度图应为 .pdf、.png 或 .tif",
                                          "a satisfaction map is written as .pdf, .png or .tif"))
    qs = [question] if question else survey_questions(plan, period)
    if not qs:
        raise AssessError(bi(f"{period_text(parse_period(period))} 没有满意度调查数据",
                             f"{parse_period(period)} has no survey tallies"))
    made = [satisfaction_figure(plan, period, q, **kw) for q in qs]
    import matplotlib.pyplot as plt

    try:
        if fmt == "pdf":
            save_figure([f for f, _ in made], path, fmt, metadata={"Title": made[0][1]["title"],
                                                                   "Creator": "gridmap", "Subject": plan.name})
            for _, info in made:
                info["path"] = str(path)
        else:
            for fig, info in made:
                out = path if len(made) == 1 else path.with_name(f"{path.stem}_{info['question']}{path.suffix}")
                save_figure(fig, out, fmt, dpi=dpi)
                info["path"] = str(out)
    finally:
        for f, _ in made:
            plt.close(f)
    return [info for _, info in made]
