"""The ranking map (考核排名示意图): assessed grids coloured by rank class or by score, each
labelled with its rank and total, the bottom places (or the grids flagged for a written
explanation) outlined in red; legend, scale bar and north arrow as on the annex map.

>>> from gridmap.core.assessment.scores import demo
>>> fig, info = ranking_figure(demo(), period="2026-01")
>>> info["classes"]
['第1–2名', '第3–6名', '第7–12名', '其余']
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from ..outputs.annex_map import crs_text
from ..outputs.draw import add_lines, add_polygons
from ..outputs.fonts import find_cjk_font
from ..outputs.layout import MM_PER_PT, Page, Sheet, save_figure
from ..outputs.mapdata import MapData
from ..outputs.mapframe import LegendEntry, MapFrame
from ..plan import Plan
from .scores import AssessError, Rules, month_ranking, parse_period, period_text, year_ranking
from ..messages import bi

__all__ = ["ranking_figure", "save_ranking_map"]

# light → dark green for better ranks; the last class pale
_CLASS_COLOURS = ["#1a7f37", "#58b368", "#a6d96a", "#e6f5d0", "#f7f7f7"]
_SCORE_COLOURS = ["#d7301f", "#fc8d59", "#fdcc8a", "#a6d96a", "#1a9641"]
_MARK = "#ff7f00"   # not the red of the large-grid outlines


def _classes(rules: Rules, year: bool) -> list[tuple[str, int]]:
    """(legend label, last rank in it) per class: award classes for a year, rank bands of the
    same sizes for a month."""
    out, upto = [], 0
    for name, count in rules.classes:
        if count <= 0:
            continue
        lo, upto = upto + 1, upto + count
        out.append((name if year else (f"第{lo}名" if lo == upto else f"第{lo}–{upto}名"), upto))
    out.append((rules.rest_class if year else "其余", 10 ** 9))
    return out


def ranking_figure(plan: Plan, period: str | None = None, year: str | None = None, by: str = "rank",
                   paper: str = "A4", landscape: bool = False, title: str = ""):
    """The ranking map of a month (``period``) or a year as a matplotlib figure and what was drawn."""
    rules = Rules.of(plan)
    if (period is None) == (year is None):
        raise AssessError(bi("排名图需要一个月份或一个年份", "a ranking map needs a month or a year"))
    if period is not None:
        p = parse_period(period)
        table = month_ranking(plan, p)
        score_col, mark_col = "合计", "末位"
        heading = title or f"{plan.name}{period_text(p)}检查排名示意图"
        mark_label = f"末位{rules.bottom}名"
    else:
        p = parse_period(year, "year_end")
        table = year_ranking(plan, p)
        table["须标记"] = table["须书面说明"] == "是"
        score_col, mark_col = "年度总分", "须标记"
        heading = title or f"{plan.name}{p}年度综合考核排名示意图"
        mark_label = f"连续{rules.streak}次末位{rules.bottom}名（须书面说明）"
    if table[score_col].notna().sum() == 0:
        raise AssessError(bi(f"{p} 没有可排名的得分", f"{p} has no scores to rank"))
    font = find_cjk_font()
    data = MapData.from_plan(plan, None, False)
    page = Page(paper, landscape)
    sheet = Sheet(page, font)
    s = page.text_scale
    content = page.content
    sub = {"rank": "按名次着色", "score": "按得分着色"}.get(by)
    if sub is None:
        raise AssessError(bi(f"着色方式 {by!r} 未知（rank、score）", f"unknown colouring {by!r} (rank, score)"))
    title_r, rest = content.split_top(sheet.title_height(heading, sub, ""))
    sheet.title_block(title_r, heading, sub, "")
    fs = 7.0 * s
    foot_r, frame_r = rest.split_bottom(3.0 + fs * MM_PER_PT * 2.0)
    inner = sheet.frame(frame_r)
    mf = MapFrame(sheet, inner, data, data.bounds, pad=0.02)

    grids = data.grids
    t = table.set_index("grid")
    ids = [g for g in t.index if g in grids.index]
    geoms = grids.loc[ids].geometry.values
    ranks = t.loc[ids, "排名"]
    scores = t.loc[ids, score_col]
    colours, legend_labels = [], []
    if by == "rank":
        classes = _classes(rules, year is not None)
        legend_labels = [c for c, _ in classes]
        for r in ranks:
            if pd.isna(r):
                colours.append("#ffffff")
                continue
            k = next(i for i, (_, last) in enumerate(classes) if r <= last)
            colours.append(_CLASS_COLOURS[min(k, len(_CLASS_COLOURS) - 1)] if k < len(classes) - 1 else _CLASS_COLOURS[-1])
        for k, (lab, _) in enumerate(classes):
            c = _CLASS_COLOURS[min(k, len(_CLASS_COLOURS) - 1)] if k < len(classes) - 1 else _CLASS_COLOURS[-1]
            mf.legend.append(LegendEntry(lab, "patch", "#666666", 0.5, c))
    else:
        vals = scores.dropna().to_numpy(dtype=float)
        edges = np.unique(np.quantile(vals, np.linspace(0, 1, 6)))
        if len(edges) < 2:
            edges = np.array([vals.min() - 0.5, vals.max() + 0.5])
        n = len(edges) - 1
        pal = _SCORE_COLOURS if n == 5 else [_SCORE_COLOURS[int(round(i * 4 / max(n - 1, 1)))] for i in range(n)]
        for v in scores:
            if pd.isna(v):
                colours.append("#ffffff")
                continue
            k = min(int(np.searchsorted(edges, v, side="right")) - 1, n - 1)
            colours.append(pal[max(k, 0)])
        for k in range(n - 1, -1, -1):
            lab = f"{edges[k]:.1f}–{edges[k + 1]:.1f} 分"
            legend_labels.append(lab)
            mf.legend.append(LegendEntry(lab, "patch", "#666666", 0.5, pal[k]))
        classes = []
    add_polygons(mf.ax, geoms, facecolors=colours, edgecolors="none", linewidths=0, zorder=0.4, alpha=0.95)
    mf.draw_grids(fill=False)
    mf.draw_jurisdiction()
    marked = [g for g in ids if bool(t.at[g, mark_col])]
    if marked:
        add_lines(mf.ax, grids.loc[marked].geometry.values, colors=_MARK, linewidths=2.6, zorder=3.6)
        mf.legend.append(LegendEntry(mark_label, "line", _MARK, 2.6))
    unscored = [g for g in ids if pd.isna(t.at[g, score_col])]
    if unscored:
        mf.legend.append(LegendEntry("未检查 / 无总分", "patch", "#666666", 0.5, "#ffffff"))
    mf.north_arrow(size=9)
    mf.scale_block(size=7)
    mf.legend_block(title="图例", size=7.0)
    # labels: rank and score (the name where it fits)
    lowest = int(grids["level_index"].max())
    lab = data.grids.copy()
    for g in ids:
        r, v = t.at[g, "排名"], t.at[g, score_col]
        lab.at[g, "code"] = f"第{int(r)}名" if pd.notna(r) else "未排名"
        lab.at[g, "name"] = (f"{v:.1f}分" if pd.notna(v) else str(t.at[g, "网格名称"]))
    data.grids = lab
    mf.label_grids(levels=[lowest], names=True)
    y = foot_r.top - fs * MM_PER_PT - 2.0
    wm, wy = rules.weights
    basis = (f"年度总分 = 月度平均分×{wm:g}% + 年终检查×{wy:g}%" if year is not None else
             "合计为各考核项目得分之和；名次相同者并列")
    sheet.text(foot_r.x, y, basis, fs)
    sheet.text(foot_r.right, y, crs_text(data.crs), fs, ha="right")
    info = {"scale": mf.n, "classes": [c for c, _ in classes] if by == "rank" else legend_labels,
            "marked": [str(t.at[g, "网格编号"]) for g in marked], "labelled": len(mf.placer.placed),
            "unlabelled": list(mf.unlabelled), "title": heading}
    return sheet.fig, info


def save_ranking_map(plan: Plan, path, period: str | None = None, year: str | None = None, by: str = "rank",
                     dpi: int = 300, **kw) -> dict:
    """Write the ranking map as PDF (vector, selectable Chinese text) or PNG/TIFF."""
    path = Path(path)
    fmt = path.suffix.lstrip(".").lower()
    if fmt not in ("pdf", "png", "tif", "tiff"):
        raise AssessError(f"{path}: " + bi("排名图应为 .pdf、.png 或 .tif", "a ranking map is written as .pdf, .png or .tif"))
    fig, info = ranking_figure(plan, period=period, year=year, by=by, **kw)
    save_figure(fig, path, fmt, dpi=dpi, metadata={"Title": info["title"], "Creator": "gridmap", "Subject": plan.name})
    return info
