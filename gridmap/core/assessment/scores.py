"""Monthly assessment and ranking of grids (考核评分、排名), as the 翁源 scheme runs it.

The rules are data, kept in the plan (``assess.*`` settings; defaults are the 翁源 scheme's
"八、考核办法 / 九、奖惩措施"):

* a **scoring template** (考核评分表): items with maximum points (table ``assess_items``);
* **one check a month**, every grid of the assessed level scored on every item
  (table ``assess_scores``, ``kind`` "monthly", ``period`` "YYYY-MM"), and a **year-end check**
  (``kind`` "year_end", ``period`` "YYYY");
* the month's **ranking** by total score (ties share a rank, "1224");
* the **yearly total** = monthly weight × the mean of the year's monthly totals + year-end weight ×
  the year-end total (翁源: 60 % + 40 %), ranked, with **award classes** by rank (一类网格 2, 二类 4,
  三类 6, the rest 达标网格);
* the **flag**: a grid among the bottom N (3) of M (3) checks in a row — its leader (挂点领导) must
  explain in writing (书面说明).

Every change is one undoable command for the edit buffer (:func:`record_scores`,
:func:`set_template`, :func:`set_rules`).

>>> from gridmap.core.assessment.scores import demo
>>> plan = demo()
>>> r = Rules.of(plan)
>>> r.weights, r.classes[0], r.bottom, r.streak
((60.0, 40.0), ('一类网格', 2), 3, 3)
>>> month_ranking(plan, "2026-01")[["网格编号", "合计", "排名"]].head(2).values.tolist()
[['G01', 90.0, 1], ['G02', 85.0, 2]]
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..messages import bi
from ..plan import ASSESS_ITEM_COLUMNS, SCORE_COLUMNS, Plan, PlanError, coerce

__all__ = ["AssessError", "DEFAULT_ITEMS", "Rules", "template", "set_template", "set_rules", "record_scores",
           "month_totals", "month_ranking", "year_ranking", "bottom_flags", "grid_history", "periods",
           "assessed_grids", "parse_period", "leaders_of", "period_text", "template_is_example", "EXAMPLE_NOTE_ZH",
           "EXAMPLE_NOTE_EN"]


class AssessError(PlanError):
    """Scores, a template or rules that cannot be used (one bilingual line)."""


# 翁源 scheme, 四、工作职责 (一)–(七): the items its 附件2 考核评分表 scores.  The seed text does not
# carry 附件2 itself, so the points are gridmap's placeholders (100 in all): edit them per plan.
DEFAULT_ITEMS: list[tuple[str, float]] = [
    ("公益宣传", 15.0), ("环境卫生", 20.0), ("基础设施", 15.0), ("公共秩序", 20.0),
    ("行业管理", 10.0), ("居民自治", 10.0), ("志愿服务", 10.0),
]

_DEFAULT_SETTINGS = {
    "assess.level": "",                               # "" = the lowest level
    "assess.weights": "60,40",                        # monthly checks %, year-end check %
    "assess.classes": "一类网格:2,二类网格:4,三类网格:6",
    "assess.rest_class": "达标网格",
    "assess.bottom": "3",                             # 末位三名
    "assess.streak": "3",                             # 连续3次
}

KINDS = {"monthly": ("月度检查", "monthly check"), "year_end": ("年终检查", "year-end check")}


@dataclass(frozen=True)
class Rules:
    """The assessment rules of a plan (its ``assess.*`` settings, 翁源 defaults)."""

    level: str
    weights: tuple[float, float]
    classes: tuple[tuple[str, int], ...]
    rest_class: str
    bottom: int
    streak: int

    @classmethod
    def of(cls, plan: Plan) -> "Rules":
        s = {k: plan.settings.get(k, v) or v for k, v in _DEFAULT_SETTINGS.items()}
        return cls.parse(s, plan)

    @classmethod
    def parse(cls, s: dict, plan: Plan | None = None) -> "Rules":
        s = {**_DEFAULT_SETTINGS, **{k: v for k, v in s.items() if v not in (None, "")}}
        level = s["assess.level"] or (plan.levels[-1].key if plan is not None and plan.levels else "")
        if plan is not None and level:
            try:
                level = plan.level(level).key
            except PlanError:
                raise AssessError(bi(f"考核层级 {level!r} 不存在", f"assessed level {level!r} does not exist")) from None
        try:
            w = [float(x) for x in re.split(r"[,，/]", s["assess.weights"])]
            if len(w) != 2 or min(w) < 0 or sum(w) <= 0:
                raise ValueError
        except ValueError:
            raise AssessError(bi(f"权重 {s['assess.weights']!r} 应为两个非负数，如 60,40（月度检查、年终检查）",
                                 f"weights {s['assess.weights']!r} must be two non-negative numbers such as "
                                 "60,40 (monthly checks, year-end check)")) from None
        classes = []
        for part in re.split(r"[,，;；]", s["assess.classes"]):
            if not part.strip():
                continue
            name, _, n = part.rpartition(":") if ":" in part else part.rpartition("：")
            try:
                count = int(n)
                if not name.strip() or count < 0:
                    raise ValueError
            except ValueError:
                raise AssessError(bi(f"奖励等次 {part!r} 应写作 名称:个数，如 一类网格:2",
                                     f"award class {part!r} must be name:count, e.g. 一类网格:2")) from None
            classes.append((name.strip(), count))
        ints = {}
        for key, zh, en in (("assess.bottom", "末位名次数", "bottom places"), ("assess.streak", "连续次数", "checks in a row")):
            try:
                ints[key] = int(s[key])
                if ints[key] < 1:
                    raise ValueError
            except ValueError:
                raise AssessError(bi(f"{zh} {s[key]!r} 应为正整数", f"{en} {s[key]!r} must be a positive whole number")) from None
        return cls(level=level, weights=(w[0], w[1]), classes=tuple(classes), rest_class=s["assess.rest_class"],
                   bottom=ints["assess.bottom"], streak=ints["assess.streak"])

    def settings(self) -> dict[str, str]:
        """The rules as plan settings (text)."""
        return {"assess.level": self.level, "assess.weights": f"{self.weights[0]:g},{self.weights[1]:g}",
                "assess.classes": ",".join(f"{n}:{c}" for n, c in self.classes),
                "assess.rest_class": self.rest_class, "assess.bottom": str(self.bottom),
                "assess.streak": str(self.streak)}

    def award(self, rank) -> str:
        """The award class of a yearly rank (1 = best): the first classes take their counts in order."""
        if rank is None or pd.isna(rank):
            return ""
        upto = 0
        for name, count in self.classes:
            upto += count
            if rank <= upto:
                return name
        return self.rest_class


# ---------------------------------------------------------------------------- template and rules
def template(plan: Plan) -> pd.DataFrame:
    """The scoring items (name, max_points) in order; the default items when the plan has none."""
    t = plan.assess_items
    if len(t) == 0:
        return pd.DataFrame({"name": [n for n, _ in DEFAULT_ITEMS], "max_points": [p for _, p in DEFAULT_ITEMS]})
    t = t.sort_values(["order"], kind="stable", na_position="last")
    return pd.DataFrame({"name": t["name"].tolist(), "max_points": t["max_points"].tolist()})


EXAMPLE_NOTE_ZH = ("示例分值：翁源方案的附件2《考核评分表》未随正文提供，这些项目取自其“工作职责”，分值是 gridmap 的"
                   "占位示例（合计 100 分），不是文件规定的分值；请按实际评分表修改。")
EXAMPLE_NOTE_EN = ("Example points: the 翁源 scheme's 附件2 score sheet is not in its text; the items come from its "
                   "duties and the points are gridmap's placeholders (100 in all), not the document's — edit them to "
                   "the real score sheet.")


def template_is_example(plan: Plan) -> bool:
    """Whether the scoring template is still gridmap's example (the default items and points).

    >>> from gridmap.core.plan import Plan
    >>> template_is_example(Plan.new("例", "EPSG:4547", levels="two"))
    True
    """
    t = template(plan)
    return [(str(n), float(m)) for n, m in zip(t["name"], t["max_points"])] == \
        [(n, float(m)) for n, m in DEFAULT_ITEMS]


def set_template(plan: Plan, items: list[tuple[str, float]], text: str = "考核评分表 Scoring template"):
    """A command replacing the scoring template (items in order, each with its maximum points)."""
    from ..editing.commands import ReplaceTable

    names = [str(n).strip() for n, _ in items]
    if not items:
        raise AssessError(bi("考核评分表至少要有一项", "the scoring template needs at least one item"))
    if any(not n for n in names):
        raise AssessError(bi("考核项目名称不能为空", "an item of the scoring template has no name"))
    dup = sorted({n for n in names if names.count(n) > 1})
    if dup:
        raise AssessError(bi(f"考核项目重名：{'、'.join(dup)}", f"items named twice: {', '.join(dup)}"))
    pts = []
    for n, p in items:
        try:
            v = float(p)
            if not np.isfinite(v) or v <= 0:
                raise ValueError
        except (TypeError, ValueError):
            raise AssessError(bi(f"考核项目 {n} 的分值 {p!r} 应为正数", f"item {n}: maximum points {p!r} must be a positive number")) from None
        pts.append(v)
    old = plan.assess_items
    old_by_name = {str(r["name"]): int(i) for i, r in old.iterrows()}
    used = set()
    ids = []
    nxt = int(old.index.max()) + 1 if len(old) else 1
    for n in names:
        if n in old_by_name:
            ids.append(old_by_name[n])
        else:
            ids.append(nxt)
            nxt += 1
        used.add(ids[-1])
    df = pd.DataFrame({"name": names, "max_points": pts, "order": list(range(1, len(names) + 1)),
                       "notes": [str(old.at[i, "notes"]) if i in old.index else "" for i in ids]},
                      index=pd.Index(ids, name="id"))
    return ReplaceTable(text, "assess_items", coerce(df.sort_index(), ASSESS_ITEM_COLUMNS))


def set_rules(plan: Plan, rules: Rules, text: str = "考核规则 Assessment rules"):
    """A command writing the rules into the plan settings (one undo step), or None if unchanged."""
    from ..editing.commands import Macro, SetSetting

    Rules.parse(rules.settings(), plan)          # refuses bad rules before anything changes
    cmds = [SetSetting(text, k, v) for k, v in rules.settings().items() if plan.settings.get(k) != v]
    return Macro(text, cmds) if cmds else None


# ---------------------------------------------------------------------------- scores
_PERIOD = re.compile(r"\s*(\d{4})\s*(?:[-./年]\s*(\d{1,2})\s*月?)?\s*\Z")


def parse_period(text, kind: str = "monthly") -> str:
    """"2026-01", "2026年1月", "2026.1" → "2026-01" (monthly); "2026" / "2026年" → "2026" (year-end).

    >>> parse_period("2026年3月"), parse_period("2026", "year_end")
    ('2026-03', '2026')
    """
    t = str(text or "").strip().rstrip("年").replace("年终", "")
    m = _PERIOD.match(t)
    if kind == "year_end":
        if m and not m.group(2):
            return m.group(1)
        raise AssessError(bi(f"年终检查的期间 {text!r} 应为年份，如 2026", f"year-end period {text!r} must be a year such as 2026"))
    if m and m.group(2) and 1 <= int(m.group(2)) <= 12:
        return f"{m.group(1)}-{int(m.group(2)):02d}"
    raise AssessError(bi(f"月份 {text!r} 无法识别，应写作 2026-01 或 2026年1月",
                         f"month {text!r} is not understood; write 2026-01 or 2026年1月"))


def period_text(period: str) -> str:
    """"2026-03" → "2026年3月", "2026" → "2026年".

    >>> period_text("2026-03"), period_text("2026")
    ('2026年3月', '2026年')
    """
    if len(period) == 7 and period[4] == "-":
        return f"{period[:4]}年{int(period[5:])}月"
    return f"{period}年"


def assessed_grids(plan: Plan, rules: Rules | None = None) -> pd.DataFrame:
    """The grids that are assessed (the rules' level), in code order."""
    rules = rules or Rules.of(plan)
    g = plan.grids[plan.grids["level"] == rules.level]
    return g.sort_values("code", kind="stable")


def record_scores(plan: Plan, period: str, scores, kind: str = "monthly", replace: bool = False,
                  text: str | None = None):
    """A command recording one check's scores (one undo step).

    ``scores``: rows of (grid code, item name, score) — a DataFrame with columns ``grid_code``,
    ``item``, ``score`` or a list of tuples.  Every grid code must be a grid of the assessed level,
    every item one of the template, every score a number from 0 to the item's maximum; a grid
    must not be given twice for one item.  Scores already recorded for the same check and grid are
    replaced only with ``replace`` (never silently).
    """
    from ..editing.commands import ReplaceTable

    if kind not in KINDS:
        raise AssessError(bi(f"检查类型 {kind!r} 未知（monthly、year_end）", f"unknown kind of check {kind!r} (monthly, year_end)"))
    period = parse_period(period, kind)
    rules = Rules.of(plan)
    if isinstance(scores, pd.DataFrame):
        rows = list(zip(scores["grid_code"], scores["item"], scores["score"]))
    else:
        rows = [tuple(r) for r in scores]
    if not rows:
        raise AssessError(bi("没有要录入的得分", "no scores to record"))
    items = dict(zip(template(plan)["name"], template(plan)["max_points"]))
    grids = assessed_grids(plan, rules)
    by_code = {str(c): int(i) for i, c in zip(grids.index, grids["code"])}
    problems, seen, clean = [], set(), []
    for code, item, score in rows:
        code, item = str(code).strip(), str(item).strip()
        if code not in by_code:
            problems.append(bi(f"网格 {code} 不是{_level_name(plan, rules)}", f"grid {code} is not a grid of the assessed level"))
            continue
        if item not in items:
            problems.append(bi(f"考核项目 {item} 不在考核评分表中", f"item {item} is not in the scoring template"))
            continue
        try:
            v = float(score)
            if not np.isfinite(v):
                raise ValueError
        except (TypeError, ValueError):
            problems.append(bi(f"网格 {code} {item} 的得分 {score!r} 不是数字", f"grid {code} {item}: score {score!r} is not a number"))
            continue
        if v < 0 or v > items[item] + 1e-9:
            problems.append(bi(f"网格 {code} {item} 的得分 {v:g} 超出 0–{items[item]:g} 分",
                               f"grid {code} {item}: score {v:g} is outside 0–{items[item]:g}"))
            continue
        if (code, item) in seen:
            problems.append(bi(f"网格 {code} {item} 的得分给了两次", f"grid {code} {item} is scored twice"))
            continue
        seen.add((code, item))
        clean.append((code, item, v))
    if problems:
        more = f" (+{len(problems) - 3})" if len(problems) > 3 else ""
        raise AssessError("; ".join(problems[:3]) + more)
    old = plan.assess_scores
    same_check = (old["kind"] == kind) & (old["period"] == period)
    codes = {c for c, _, _ in clean}
    hit = old[same_check & old["grid_code"].isin(codes)]
    if len(hit) and not replace:
        already = sorted(set(hit["grid_code"]))
        raise AssessError(bi(f"{period} {KINDS[kind][0]}已有网格 {'、'.join(already[:5])} 的得分；要替换请确认（--replace）",
                             f"{period} {KINDS[kind][1]} already has scores of grid {', '.join(already[:5])}; "
                             "confirm to replace them (--replace)"))
    key = {(str(r.grid_code), str(r.item)): int(i) for i, r in zip(hit.index, hit.itertuples())}
    keep = old.drop(index=[i for i, r in zip(hit.index, hit.itertuples())
                           if (str(r.grid_code), str(r.item)) not in {(c, it) for c, it, _ in clean}])
    nxt = int(old.index.max()) + 1 if len(old) else 1
    new_rows, new_ids = [], []
    for code, item, v in clean:
        rid = key.get((code, item))
        if rid is None:
            rid, nxt = nxt, nxt + 1
        new_ids.append(rid)
        new_rows.append(dict(grid=by_code[code], grid_code=code, kind=kind, period=period, item=item, score=v, notes=""))
    keep = keep.drop(index=[i for i in new_ids if i in keep.index])
    add = pd.DataFrame(new_rows, index=pd.Index(new_ids, name="id"))
    table = coerce(pd.concat([keep, add]).sort_index() if len(keep) else add, SCORE_COLUMNS)
    label = text or f"录入{period}{KINDS[kind][0]}得分 Record {period} {KINDS[kind][1]} scores"
    return ReplaceTable(label, "assess_scores", table)


def _level_name(plan: Plan, rules: Rules) -> str:
    try:
        return "考核层级（" + plan.level(rules.level).name + "）的网格"
    except PlanError:
        return "考核层级的网格"


def periods(plan: Plan, kind: str = "monthly", year: str | None = None) -> list[str]:
    s = plan.assess_scores
    p = sorted(set(s.loc[s["kind"] == kind, "period"]))
    return [x for x in p if year is None or x.startswith(str(year))]


# ---------------------------------------------------------------------------- rankings
def _grid_frame(plan: Plan, rules: Rules) -> pd.DataFrame:
    g = assessed_grids(plan, rules)
    return pd.DataFrame({"grid": g.index.astype(int), "网格编号": g["code"].values, "网格名称": g["name"].values})


def _rank_desc(values: pd.Series) -> pd.Series:
    """Competition ranking, highest first ("1224"); missing values unranked."""
    return values.rank(method="min", ascending=False).astype("Int64")


def month_totals(plan: Plan, period: str, kind: str = "monthly") -> pd.DataFrame:
    """Per assessed grid: one column per item, 合计 (total) and 完整 (every item scored)."""
    rules = Rules.of(plan)
    items = template(plan)["name"].tolist()
    base = _grid_frame(plan, rules)
    s = plan.assess_scores
    s = s[(s["kind"] == kind) & (s["period"] == period)]
    wide = s.pivot_table(index="grid", columns="item", values="score", aggfunc="sum")
    out = base.set_index("grid")
    for it in items:
        out[it] = wide[it].reindex(out.index) if it in wide.columns else np.nan
    scored = out[items].notna()
    out["合计"] = out[items].sum(axis=1, min_count=1)
    out["完整"] = scored.all(axis=1)
    return out


def month_ranking(plan: Plan, period: str, kind: str = "monthly") -> pd.DataFrame:
    """The ranking table of one check: 排名, 网格编号, 网格名称, item scores, 合计, 末位 (bottom N).

    Grids with no score in the check are listed last, unranked ("未检查")."""
    rules = Rules.of(plan)
    period = parse_period(period, kind)
    t = month_totals(plan, period, kind)
    t["排名"] = _rank_desc(t["合计"])
    n_lower = t["合计"].apply(lambda v: int((t["合计"] < v).sum()) if pd.notna(v) else -1)
    t["末位"] = (n_lower >= 0) & (n_lower < rules.bottom)
    t["备注"] = np.where(t["合计"].isna(), "未检查", np.where(~t["完整"], "部分项目未评分", ""))
    t = t.sort_values(["排名", "网格编号"], kind="stable", na_position="last")
    items = template(plan)["name"].tolist()
    t = t.reset_index()
    return t[["排名", "网格编号", "网格名称"] + items + ["合计", "末位", "备注", "grid"]]


def year_ranking(plan: Plan, year: str) -> pd.DataFrame:
    """The yearly ranking: 月度检查次数, 月度平均分, 年终检查得分, 年度总分 (weighted), 排名, 等次.

    A grid without a year-end score, or without any monthly check, gets no yearly total and no
    rank (备注 says which is missing) — never a total with a silent zero."""
    rules = Rules.of(plan)
    year = parse_period(year, "year_end")
    base = _grid_frame(plan, rules).set_index("grid")
    months = periods(plan, "monthly", year)
    totals = pd.DataFrame({m: month_totals(plan, m)["合计"] for m in months}, index=base.index)
    base["月度检查次数"] = totals.notna().sum(axis=1).astype(int) if months else 0
    base["月度平均分"] = totals.mean(axis=1).round(2) if months else np.nan
    ye = month_totals(plan, year, "year_end")["合计"] if year in periods(plan, "year_end") else pd.Series(np.nan, index=base.index)
    base["年终检查得分"] = ye.reindex(base.index)
    wm, wy = rules.weights
    total = (base["月度平均分"] * wm + base["年终检查得分"] * wy) / (wm + wy)
    base["年度总分"] = total.round(2)
    base["排名"] = _rank_desc(base["年度总分"])
    base["等次"] = [rules.award(r) for r in base["排名"]]
    notes = []
    for m, y in zip(base["月度检查次数"], base["年终检查得分"]):
        parts = []
        if m == 0:
            parts.append("无月度检查")
        if pd.isna(y):
            parts.append("缺年终检查")
        notes.append("；".join(parts))
    base["备注"] = notes
    flags = bottom_flags(plan, year)
    flagged = {f["grid"] for f in flags}
    base["须书面说明"] = ["是" if g in flagged else "" for g in base.index]
    base = base.sort_values(["排名", "网格编号"], kind="stable", na_position="last").reset_index()
    return base[["排名", "网格编号", "网格名称", "月度检查次数", "月度平均分", "年终检查得分", "年度总分", "等次",
                 "须书面说明", "备注", "grid"]]


def leaders_of(plan: Plan, grid: int) -> list[dict]:
    """The leaders (挂点领导/网格长) of a grid: name and phone."""
    p = plan.people_on(grid, "leader")
    return [{"name": str(r["name"]), "phone": str(r["phone"])} for _, r in p.iterrows()]


def bottom_flags(plan: Plan, year: str | None = None) -> list[dict]:
    """Grids among the bottom N of M monthly checks in a row (连续M次末位N名), in the order checks were
    held (the recorded months, oldest first; a month a grid was not checked ends its run).

    One entry per run: grid id and code, name, the months, and the leaders who must explain."""
    rules = Rules.of(plan)
    months = periods(plan, "monthly", year)
    if not months:
        return []
    grids = assessed_grids(plan, rules)
    bottom = {}
    for m in months:
        r = month_ranking(plan, m)
        bottom[m] = set(r.loc[r["末位"], "grid"].astype(int))
    out = []
    for gid, code, name in zip(grids.index, grids["code"], grids["name"]):
        run: list[str] = []
        for m in months + [None]:
            if m is not None and int(gid) in bottom[m]:
                run.append(m)
                continue
            if len(run) >= rules.streak:
                out.append({"grid": int(gid), "code": str(code), "name": str(name), "months": list(run),
                            "leaders": leaders_of(plan, int(gid))})
            run = []
    return out


def grid_history(plan: Plan, grid: int) -> pd.DataFrame:
    """One grid's checks over time: 期间, 检查, 合计, 排名, 参评网格数."""
    rows = []
    for kind in ("monthly", "year_end"):
        for p in periods(plan, kind):
            r = month_ranking(plan, p, kind)
            hit = r[r["grid"] == grid]
            if len(hit) == 0 or pd.isna(hit["合计"].iloc[0]):
                continue
            rows.append({"期间": p, "检查": KINDS[kind][0], "合计": float(hit["合计"].iloc[0]),
                         "排名": int(hit["排名"].iloc[0]), "参评网格数": int(r["合计"].notna().sum()),
                         "末位": bool(hit["末位"].iloc[0])})
    return pd.DataFrame(rows, columns=["期间", "检查", "合计", "排名", "参评网格数", "末位"])


# ---------------------------------------------------------------------------- doctest support
def demo() -> Plan:
    """A 4-grid plan with January scored (for examples)."""
    from shapely import box

    from ..editing.buffer import EditBuffer

    plan = Plan.new("示例", "EPSG:4547", levels="two")
    big = plan.add_grid(box(0, 0, 400, 100), "large", code="G")
    for k in range(4):
        plan.add_grid(box(100 * k, 0, 100 * (k + 1), 100), "small", parent=big, code=f"G0{k + 1}", name=f"第{k + 1}网格")
    buf = EditBuffer(plan)
    items = template(plan)
    rows = []
    for k, total_minus in enumerate((10, 15, 20, 30)):
        left = float(total_minus)
        for name, mx in zip(items["name"], items["max_points"]):
            take = min(left, mx)
            rows.append((f"G0{k + 1}", name, mx - take))
            left -= take
    buf.push(record_scores(plan, "2026-01", rows))
    return plan
