"""Official annex tables (附件表格) as XLSX and CSV.

- 网格划分表 (``division``): 序号, 网格编号, 网格名称, 所属层级, 上级网格, 四至范围
  (east/south/west/north: the road running along that side, else the
  neighbouring grid, else the jurisdiction boundary — derived from the
  geometry), 面积, 挂点领导, 牵头单位, 责任单位, 网格长/网格员 with phones, 路段, 小区;
- 基本情况统计表 (``statistics``) by street and community (for a two-level plan:
  by large and small grid), the street cell merged over its rows as in printed annexes;
- 人员名单 (``roster``) and 路段分工表 (``segments``).

XLSX: a title row, the header repeated on every printed page, codes and
phone numbers as text cells (``@``) so Excel keeps leading zeros, column
widths fitted to the (Chinese) text.  CSV: UTF-8 with BOM so Excel opens it.

>>> from shapely import box, LineString
>>> from gridmap.core.plan import Plan
>>> plan = Plan.new("示例", crs="EPSG:4547", levels="two")
>>> plan.set_jurisdiction(box(0, 0, 200, 100))
>>> big = plan.add_grid(box(0, 0, 200, 100), "large", code="01", name="一片")
>>> a = plan.add_grid(box(0, 0, 100, 100), "small", parent=big, code="0101", name="甲")
>>> b = plan.add_grid(box(100, 0, 200, 100), "small", parent=big, code="0102", name="乙")
>>> _ = plan.add_segment(LineString([(0, -2), (200, -2)]), road_name="建设路")
>>> four_boundaries(plan, "small").loc[a].tolist()
['0102 乙', '建设路（辖区边界）', '辖区边界', '辖区边界']
"""

from __future__ import annotations

import re
from copy import copy
from pathlib import Path

import numpy as np
import pandas as pd
import shapely

from ..crs import is_metric
from ..plan import ROLE_LABELS, Plan
from ..messages import bi
from . import ExchangeError
from .cellsafe import write_csv
from .registry import ExportResult

__all__ = ["four_boundaries", "division_table", "statistics_table", "roster_table", "segment_table",
           "staffing_table", "TABLES", "default_tables", "build_tables", "write_xlsx", "export_xlsx", "export_csv"]

_DIRS = ("east", "south", "west", "north")
_DIR_ZH = {"east": "东", "south": "南", "west": "西", "north": "北"}


def four_boundaries(plan: Plan, level: str | None = None, project=None, sides=None) -> pd.DataFrame:
    """四至 of every grid of ``level`` (default: the lowest): columns east, south, west, north.

    The same 四至 as the Word annex and the map book
    (:func:`gridmap.core.outputs.sides.plan_sides`): a side names the road
    running along it (base-layer roads and street segments), else the
    neighbouring grids across it (``code name``), else 辖区边界.  ``sides``:
    already computed :func:`plan_sides` of the level."""
    from ..outputs.sides import SIDE_KEYS, plan_sides

    level = level or plan.levels[-1].key
    grids = plan.grids_of_level(level)
    out = pd.DataFrame("", index=grids.index, columns=list(_DIRS), dtype=object)
    if not len(grids):
        return out
    if sides is None:
        sides = plan_sides(plan, level, project)
    for gid, four in sides.items():
        if gid in out.index:
            for key, side in zip(SIDE_KEYS, four):
                out.at[gid, key] = side.what
    return out


def _people_text(plan: Plan, gid: int, role: str, phone=True) -> str:
    p = plan.people_on(gid, role)
    return "、".join(f"{n} {t}".strip() if phone else n for n, t in zip(p["name"], p["phone"]))


def _units_text(plan: Plan, gid: int, role: str) -> str:
    return "、".join(plan.units_on(gid, role)["name"])


def division_table(plan: Plan, level: str | None = None, project=None) -> pd.DataFrame:
    """网格划分表 of the grids of ``level`` (default: the lowest), in code order.

    四至范围 is the Word annex's text (``东至…；南至…；西至…；北至…``)."""
    from ..outputs.sides import plan_sides, sides_text
    from ..workers import step

    level = level or plan.levels[-1].key
    grids = plan.grids_of_level(level).sort_values("code", kind="stable")
    sides = plan_sides(plan, level, project)
    areas = plan.grid_areas()
    lvname = plan.level(level).name
    from ..outputs.records import grid_records

    recs = grid_records(plan)
    # each grid's road names and 小区, in table order: one pass over the segments and places
    # (a filter of the whole table per grid was 100k × 75k comparisons at city scale)
    roads: dict[int, list] = {}
    for gid, name in zip(pd.to_numeric(plan.segments["grid"], errors="coerce").astype("float64").tolist(),
                         plan.segments["road_name"].tolist()):
        if gid == gid and gid is not None and name:          # (NaN: no grid)
            roads.setdefault(int(gid), []).append(name)
    estates: dict[int, list] = {}
    for gid, kind, name in zip(pd.to_numeric(plan.places["grid"], errors="coerce").astype("float64").tolist(),
                               plan.places["kind"].tolist(), plan.places["name"].tolist()):
        if gid == gid and gid is not None and kind == "小区" and name:
            estates.setdefault(int(gid), []).append(name)
    rows = []
    code_of = dict(zip(plan.grids.index.tolist(), plan.grids["code"].tolist()))
    name_of = dict(zip(plan.grids.index.tolist(), plan.grids["name"].tolist()))
    for n, (gid, code, name, up) in enumerate(zip(grids.index.tolist(), grids["code"].tolist(),
                                                  grids["name"].tolist(), grids["parent"].tolist()), start=1):
        step(n, len(grids)) if n % 512 == 0 else None       # Cancel and progress of an export
        r = recs[int(gid)]
        up = None if pd.isna(up) else int(up)
        parent = "" if up is None else str(code_of[up])      # (plan.parent_code, by one lookup)
        pname = name_of[up] if up is not None else ""
        rows.append({
            "序号": n, "网格编号": code, "网格名称": name,
            "所属层级/上级网格": f"{lvname}／{parent} {pname}".strip() if parent else lvname,
            "四至范围": sides_text(sides[gid]) if gid in sides else "",
            "面积(m²)": round(float(areas.get(gid, 0.0)), 1),
            # every role under its own label: 挂点领导 is not 网格长, 常务副网格长 not 副网格长
            "挂点领导": "、".join(r.roles.get("patron", [])),
            "网格长/副网格长及电话": r.role_text("leader", "executive_deputy", "deputy", sep="；"),
            "牵头单位": "、".join(r.roles.get("lead_unit", [])),
            "责任单位": "、".join(r.roles.get("responsible_unit", [])),
            "中队/责任人/队员/网格员及电话": r.role_text("squad", "responsible", "member", "officer", "contact",
                                                        sep="；"),
            "协作力量": "、".join(r.roles.get("partner", [])),
            "上级网格负责人": "；".join(f"{k}：{v}" for k, v in r.parent_leaders),
            "路段": "、".join(dict.fromkeys(roads.get(int(gid), ()))),
            "小区": "、".join(dict.fromkeys(estates.get(int(gid), ()))),
        })
    cols = ["序号", "网格编号", "网格名称", "所属层级/上级网格", "四至范围", "面积(m²)", "挂点领导",
            "网格长/副网格长及电话", "牵头单位", "责任单位", "中队/责任人/队员/网格员及电话", "协作力量",
            "上级网格负责人", "路段", "小区"]
    df = pd.DataFrame(rows, columns=cols)
    # columns no grid fills (no 挂点领导, no partner forces in the plan) are left out
    optional = ("挂点领导", "协作力量", "上级网格负责人")
    return df[[c for c in cols if c not in optional or (df[c].astype(str) != "").any()]]


def statistics_table(plan: Plan) -> pd.DataFrame:
    """基本情况统计表: one row per community (two-level plan: per small grid), grouped by street
    (large grid), with counts of unit grids, area, officers, segments and places, and a total row."""
    lv = plan.levels
    if len(lv) >= 3:
        group_lv = next((l for l in lv if l.key == "street"), lv[-3])
        row_lv = lv[lv.index(group_lv) + 1]
    else:
        group_lv, row_lv = lv[0], lv[-1]
    areas = plan.grid_areas()
    lowest = lv[-1].key
    g = plan.grids
    # one pass over each table: children per parent (in code order), roles, segments and places per grid
    kids: dict[int, list[int]] = {}          # in table order (as a filter of the table gives them)
    parents = pd.to_numeric(g["parent"], errors="coerce").astype("float64").tolist()
    for cid, par in zip(g.index.tolist(), parents):
        if par == par:
            kids.setdefault(int(par), []).append(int(cid))
    level_of = dict(zip(g.index.tolist(), g["level"].tolist()))

    def by_grid(df) -> dict[int, list[int]]:
        out: dict[int, list[int]] = {}
        for k, gid in enumerate(pd.to_numeric(df["grid"], errors="coerce").astype("float64").tolist()):
            if gid == gid:
                out.setdefault(int(gid), []).append(k)
        return out

    roles_at, segs_at, places_at = by_grid(plan.roles), by_grid(plan.segments), by_grid(plan.places)
    role_kind, role_person = plan.roles["role"].tolist(), plan.roles["person"].tolist()
    seg_len = (shapely.length(plan.segments.geometry.values) if is_metric(plan.crs) and len(plan.segments)
               else np.zeros(len(plan.segments)))
    place_kind = plan.places["kind"].tolist()

    def descendants(gid: int) -> list[int]:
        out, todo = [], [gid]
        while todo:
            x = todo.pop()
            out.append(x)
            todo += kids.get(x, [])
        return out

    def persons(ks, kinds) -> int:
        return len({role_person[k] for k in ks if role_kind[k] in kinds and pd.notna(role_person[k])})

    rows = []
    # (dicts, not a pandas lookup per row: 34 s of a 10k city's table)
    name_of = dict(zip(g.index.tolist(), g["name"].tolist()))
    code_of = dict(zip(g.index.tolist(), g["code"].tolist()))
    area_of = dict(zip(areas.index.tolist(), areas.to_numpy(dtype=float).tolist()))
    for gid in plan.grids_of_level(group_lv.key).sort_values("code").index:
        mine = kids.get(int(gid), [])
        for rid in (plan.grids.loc[mine].sort_values("code").index if mine else []):
            rid = int(rid)
            desc = descendants(rid)
            units = [d for d in desc if level_of[d] == lowest]
            ks = [k for d in desc for k in roles_at.get(d, ())]
            ss = sorted(k for d in desc for k in segs_at.get(d, ()))
            ps = [k for d in desc for k in places_at.get(d, ())]
            length = float(seg_len[ss].sum()) if ss else 0.0
            rows.append({
                group_lv.name: f"{name_of[int(gid)]}",
                row_lv.name: name_of[rid],
                f"{row_lv.name}编号": code_of[rid],
                f"{lv[-1].name}数": len(units),
                "面积(km²)": float(np.nansum(np.array([area_of[u] for u in units], dtype=float))) / 1e6 if units else 0.0,
                "网格长数": persons(ks, ("leader",)),
                "网格员数": persons(ks, ("officer", "responsible", "member")),
                "路段数": len(ss), "路段长度(km)": length / 1000.0,
                "小区数": sum(place_kind[k] == "小区" for k in ps), "场所数": len(ps),
            })
    df = pd.DataFrame(rows, columns=[group_lv.name, row_lv.name, f"{row_lv.name}编号", f"{lv[-1].name}数",
                                     "面积(km²)", "网格长数", "网格员数", "路段数", "路段长度(km)", "小区数", "场所数"])
    if len(df):
        total = {c: (df[c].sum() if df[c].dtype.kind in "if" else "") for c in df.columns}
        total[group_lv.name] = "合计"
        df = pd.concat([df, pd.DataFrame([total])], ignore_index=True)
        df["面积(km²)"] = df["面积(km²)"].astype(float).round(3)
        df["路段长度(km)"] = df["路段长度(km)"].astype(float).round(2)
    return df


def roster_table(plan: Plan) -> pd.DataFrame:
    """人员名单: one row per person and grid role (people with no role listed once, role empty)."""
    rows = []
    roles = plan.roles[plan.roles["person"].notna()]
    mine_of: dict[int, list] = {}                # each person's roles, in table order (one pass)
    for pid, grid, role, duty in zip(pd.to_numeric(roles["person"]).tolist(), roles["grid"].tolist(),
                                     roles["role"].tolist(), roles["duty"].tolist()):
        mine_of.setdefault(int(pid), []).append((grid, role, duty))
    code, name = plan.grids["code"], plan.grids["name"]
    for pid, p in plan.people.iterrows():
        unit = plan.units.at[int(p["unit"]), "name"] if pd.notna(p["unit"]) and int(p["unit"]) in plan.units.index else ""
        mine = mine_of.get(int(pid), [])
        base = {"姓名": p["name"], "职务": p["post"], "所在单位": unit, "联系电话": p["phone"]}
        if not len(mine):
            rows.append({**base, "网格角色": "", "网格编号": "", "网格名称": "", "职责": ""})
        for grid, role, duty in mine:
            gid = int(grid)
            rows.append({**base, "网格角色": ROLE_LABELS.get(role, (role,))[0],
                         "网格编号": code.at[gid], "网格名称": name.at[gid], "职责": duty})
    df = pd.DataFrame(rows, columns=["姓名", "职务", "所在单位", "联系电话", "网格角色", "网格编号", "网格名称", "职责"])
    df = df.sort_values(["网格编号", "姓名"], kind="stable").reset_index(drop=True)
    df.insert(0, "序号", range(1, len(df) + 1))
    return df


def segment_table(plan: Plan) -> pd.DataFrame:
    """路段分工表: every street segment with its grid and responsible officer."""
    from .layers import plan_layers

    seg = plan_layers(plan)["segments"]
    df = pd.DataFrame({"路段名称": seg["road_name"], "起点": seg["from_desc"], "止点": seg["to_desc"],
                       "长度(m)": seg["length_m"], "网格编号": seg["grid_code"], "网格名称": seg["grid_name"],
                       "责任人": seg["officer"], "联系电话": seg["officer_phone"]})
    df = df.sort_values(["网格编号", "路段名称"], kind="stable").reset_index(drop=True)
    df.insert(0, "序号", range(1, len(df) + 1))
    return df


def staffing_table(plan: Plan) -> pd.DataFrame:
    """人员配备汇总表: the staffing quotas per level and post, required (定额 × 网格数) and
    present, and the totals per category with how they are made up
    (:func:`gridmap.core.staffing.totals_table`)."""
    from ..staffing import totals_table

    return totals_table(plan)


# name → (sheet/file title, builder, column merged per group)
TABLES = {
    "division": ("网格划分表", division_table, None),
    "statistics": ("基本情况统计表", statistics_table, 0),
    "roster": ("人员名单", roster_table, None),
    "segments": ("路段分工表", segment_table, None),
    "staffing": ("人员配备汇总表", staffing_table, 0),
}


def default_tables(plan: Plan) -> list[str]:
    """The tables exported when none are named: all, the staffing totals only when the plan has quotas."""
    from ..staffing import has_quotas

    return [n for n in TABLES if n != "staffing" or has_quotas(plan)]


def build_tables(plan: Plan, names=None, level: str | None = None,
                 project=None) -> dict[str, tuple[str, pd.DataFrame, int | None]]:
    """The named tables (default: all) as (title, table, merged column).  ``level`` is the
    level the division table lists (default: the lowest); ``project`` the project file
    (base-layer roads for the 四至)."""
    names = list(names or default_tables(plan))
    unknown = [n for n in names if n not in TABLES]
    if unknown:
        raise ExchangeError(bi(f"未知的表 {', '.join(unknown)}；表有：", f"unknown table {', '.join(unknown)}; tables: ")
                            + ", ".join(TABLES))
    if level:
        try:
            level = plan.level(level).key
        except Exception:
            raise ExchangeError(bi(f"方案没有层级 {level!r}；层级有：", f"the plan has no level {level!r}; levels: ")
                                + ", ".join(f"{lv.key}（{lv.name}）" for lv in plan.levels)) from None
    out = {}
    for n in names:
        title, builder, merge = TABLES[n]
        if n == "division":
            df = builder(plan, level, project)
        else:
            df = builder(plan)
        out[n] = (title, df, merge)
    return out


_WIDE = re.compile("[\u2e81-\U0010ffff]")
_TOKEN = re.compile(r"[A-Za-z0-9.+\-_/:@#]+|.")


def _text_width(value) -> int:
    """Width of the longest line in half-width units (a CJK character is 2).

    >>> _text_width("网格A1"), _text_width("ab" + chr(10) + "网格网格")
    (6, 8)
    """
    s = "" if value is None else str(value)
    return max((len(line) + len(_WIDE.findall(line)) for line in s.split("\n")), default=0)


def _is_text_column(name: str) -> bool:
    return any(k in name for k in ("编号", "电话", "代码", "编码"))


def _put(ws, row: int, col: int, value):
    """Set a cell; text is always a string cell, never a formula (openpyxl reads a leading ``=`` as one)."""
    c = ws.cell(row=row, column=col, value=value)
    if isinstance(value, str) and c.data_type != "s":
        c.data_type = "s"
    return c


# Printing (A4 landscape at ≥ 9 pt): text at 10.5 pt wraps in columns that share the paper's width by how much
# text each holds (half-width units: a CJK character is 2); the sheet prints at a fixed zoom, so the text size does not depend
# on how an application measures a column: A4 landscape when it fits at ≥ MIN_PRINT_PT, else A3; the
# header rows repeat and the footer numbers the pages.
CELL_PT = 10.5
MIN_PRINT_PT = 9.0
# the widest a column unit prints (LibreOffice with the CJK fallback font: 8.8 px = 2.33 mm; Excel and WPS
# with 宋体 are narrower), and the printable width (margins 15 mm) in those units
UNIT_MM = 2.33
A4_LANDSCAPE_CHARS = 0.97 * (297 - 31) / UNIT_MM     # 3 % to spare: column gaps and rounding
A3_LANDSCAPE_CHARS = 0.97 * (420 - 31) / UNIT_MM


def _tokens(text: str) -> list[str]:
    """Pieces a line breaks between: runs of Latin letters and digits (codes, phones) stay whole,
    every other character is a piece of its own."""
    return _TOKEN.findall(text)


def wrapped_lines(text, width: float) -> int:
    """Lines ``text`` takes in a wrapping column ``width`` Excel characters wide (a CJK character is
    2; a run of Latin letters or digits moves to the next line whole when it fits on one).

    >>> wrapped_lines("东至建安一路", 8), wrapped_lines("网格长：胡德胜 13800000005", 16)
    (2, 2)
    """
    s = "" if text is None else str(text)
    cap = max(float(width) - 1.5, 2.0)
    lines = 0
    for para in s.split("\n"):
        if len(para) + len(_WIDE.findall(para)) <= cap:
            lines += 1
            continue
        n, used = 1, 0.0
        for tok in _TOKEN.findall(para):
            w = len(tok) if len(tok) > 1 else (2 if ord(tok) > 0x2E80 else 1)
            if used + w <= cap:
                used += w
            elif w > cap:                 # longer than a line: broken anywhere
                w -= cap - used
                n += int(-(-w // cap))
                used = w - (int(-(-w // cap)) - 1) * cap
            else:
                n += 1
                used = w
        lines += n
    return lines


def column_widths(df: pd.DataFrame) -> list[float]:
    """Natural column widths (Excel characters): codes and phones whole; text as wide as its
    longest line up to 60 (:func:`fit_widths` narrows them to the paper).

    >>> column_widths(pd.DataFrame({"网格编码": ["44030600100001"], "四至": ["东至" * 40]}))
    [17.0, 60.0]
    """
    out = []
    for col in df.columns:
        vals = [_text_width(v) for v in df[col].tolist()]
        longest = max([-(-_text_width(col) // 2)] + vals)     # a header may wrap onto two lines
        if _is_text_column(str(col)):
            out.append(float(min(max(longest + 3, 6), 22)))   # codes and phones never wrap
        else:
            out.append(float(min(max(longest + 2, 6), 60)))
    return out


def print_scale(widths: list[float]) -> tuple[str, int]:
    """(paper, zoom %) a table of these column widths prints at: A4 landscape if
    the text stays ≥ 9 pt there, else A3 (landscape).

    >>> print_scale([10] * 10), print_scale([18] * 7), print_scale([18] * 9)
    (('A4', 100), ('A4', 87), ('A3', 99))
    """
    total = sum(widths)
    zoom = 100
    for paper, room in (("A4", A4_LANDSCAPE_CHARS), ("A3", A3_LANDSCAPE_CHARS)):
        zoom = min(100, int(100 * room / max(total, 1)))
        if CELL_PT * zoom / 100 >= MIN_PRINT_PT:
            return paper, zoom
    return "A3", max(zoom, 10)


def _floor(values, header) -> float:
    """The narrowest a wrapping column may get: 8 characters, its header's longer half, and its
    longest unbreakable run (a phone or a code inside the text stays on one line)."""
    runs = [_text_width(t) for v in values for t in _tokens("" if v is None else str(v)) if len(t) > 1]
    return float(max(8, -(-_text_width(header) // 2) + 1, max(runs, default=0) + 2))


def _balance(res: dict, floor: dict, top: dict, vals, rounds: int = 60, sample: int = 200) -> dict:
    """Move width between wrapping columns (8, 4, 2 or 1 characters at a time) while it lowers the printed
    height of the table (the sum over rows of the row's tallest cell), on up to ``sample`` rows."""
    cols = list(res)
    n = len(vals[cols[0]]) if cols else 0
    if n == 0 or len(cols) < 2:
        return res
    rows = sorted({int(k * (n - 1) / max(sample - 1, 1)) for k in range(min(n, sample))})
    res = dict(res)

    def lines_at(j, w):
        return np.array([wrapped_lines(vals[j][i], w) for i in rows])

    m = np.vstack([lines_at(j, res[j]) for j in cols])
    best = int(m.max(axis=0).sum())
    for _ in range(rounds):
        move = None
        for step in (8, 4, 2, 1):        # wider steps first: one character may not yet save a line
            narrower = {k: lines_at(j, res[j] - step) for k, j in enumerate(cols) if res[j] - step >= floor[j]}
            wider = {k: lines_at(j, res[j] + step) for k, j in enumerate(cols) if res[j] + step <= top[j]}
            for t, nt in narrower.items():
                for g, wg in wider.items():
                    if g == t:
                        continue
                    trial = m.copy()
                    trial[t], trial[g] = nt, wg
                    h = int(trial.max(axis=0).sum())
                    if h < best and (move is None or h < move[0]):
                        move = (h, t, g, trial, step)
            if move is not None:
                break
        if move is None:
            break
        best, t, g, m, step = move
        res[cols[t]] -= step
        res[cols[g]] += step
    return res


def fit_widths(widths: list[float], fixed: list[bool], values=None, headers=None) -> list[float]:
    """Widths that print at ≥ 9 pt on A4 landscape, else on A3 landscape: code and phone columns
    (``fixed``) keep their width; the wrapping columns share what is left in proportion to how
    much text each holds (``values``: the column's cells; without them, to their natural width),
    never below their floor (:func:`_floor`) nor above their natural width.

    >>> w = fit_widths([17.0] + [30.0] * 12, [True] + [False] * 12)
    >>> paper, zoom = print_scale(w); paper, CELL_PT * zoom / 100 >= MIN_PRINT_PT, w[0]
    ('A3', True, 17.0)
    >>> fit_widths([6.0, 60.0, 10.0], [True, False, False], [[1], ["东至" * 200], ["甲"]])
    [6.0, 60.0, 10.0]
    """
    import math

    zoom = math.ceil(100 * MIN_PRINT_PT / CELL_PT)
    out = [float(w) for w in widths]
    for room in (A4_LANDSCAPE_CHARS, A3_LANDSCAPE_CHARS):
        allowed = room * 100 / (zoom + 0.5)
        if sum(out) <= allowed:
            return out
    wrap = [j for j, f in enumerate(fixed) if not f]
    vals = values if values is not None else [[] for _ in widths]
    heads = headers if headers is not None else [""] * len(widths)
    floor = {j: min(out[j], _floor(vals[j], heads[j]) if values is not None else 8.0) for j in wrap}
    volume = {j: max(sum(_text_width(v) for v in vals[j]), 1) if values is not None else out[j] for j in wrap}
    room = allowed - sum(w for j, w in enumerate(out) if fixed[j])
    free = set(wrap)
    res = {j: floor[j] for j in wrap}
    # water-filling: share the room by text volume; a column that reaches its natural width or stays
    # at its floor leaves the rest to the others
    for _ in range(len(wrap) + 1):
        left = room - sum(res[j] for j in wrap if j not in free)
        total = sum(volume[j] for j in free)
        if not free or total <= 0:
            break
        share = {j: left * volume[j] / total for j in free}
        done = {j for j in free if share[j] <= floor[j] or share[j] >= out[j]}
        for j in free:
            res[j] = min(max(share[j], floor[j]), out[j])
        if not done:
            break
        free -= done
    if values is not None:
        res = _balance(res, floor, {j: out[j] for j in wrap}, vals)
    for j in wrap:
        out[j] = math.floor(res[j] * 10) / 10
    # still too wide (floors): code/phone columns wider than a code give up room, as before
    for _ in range(6):
        over = sum(out) - allowed
        can = [j for j, f in enumerate(fixed) if f and out[j] > 17.0]
        if over <= 0 or not can:
            break
        room_f = sum(out[j] - 17.0 for j in can)
        for j in can:
            out[j] = math.floor((out[j] - min(over, room_f) * (out[j] - 17.0) / room_f) * 10) / 10
    return out


def _default_font(wb) -> None:
    """The workbook's default (Normal) font 宋体 10.5 pt: column widths are counted in
    its digit width, so they mean the same in Excel, WPS and LibreOffice (a missing
    Calibri falls back to a far wider font and the sheet would print at 60 %)."""
    from openpyxl.styles import Font

    for st in wb._named_styles:
        if st.name == "Normal":
            st.font = Font(name="宋体", size=CELL_PT)
    wb._fonts[0] = Font(name="宋体", size=CELL_PT)     # fonts[0] is what LibreOffice takes as the default


def _print_setup(ws, df: pd.DataFrame) -> None:
    from openpyxl.utils import get_column_letter

    cells = [["" if v is None or (not isinstance(v, str) and pd.isna(v)) else str(v) for v in df[c].tolist()]
             for c in df.columns]
    widths = fit_widths(column_widths(df), [_is_text_column(str(c)) for c in df.columns], cells,
                        [str(c) for c in df.columns])
    for j, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(j)].width = w
    for i in range(len(df)):      # (the body cells' font: set with their style, see write_xlsx)
        lines = max(wrapped_lines(cells[j][i], w) for j, w in enumerate(widths)) if widths else 1
        ws.row_dimensions[i + 3].height = max(lines, 1) * CELL_PT * 1.3 + 5
    ws.row_dimensions[2].height = 2 * CELL_PT * 1.35 + 4
    paper, zoom = print_scale(widths)
    ws.print_title_rows = "1:2"
    ws.freeze_panes = "A3"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4 if paper == "A4" else ws.PAPERSIZE_A3
    ws.page_setup.scale = zoom          # fixed: ≥ 9 pt whatever the application's column unit
    ws.sheet_properties.pageSetUpPr.fitToPage = False
    ws.page_margins.left = ws.page_margins.right = 0.6
    ws.page_margins.top, ws.page_margins.bottom = 0.7, 0.8
    ws.print_options.horizontalCentered = True
    ws.oddFooter.center.text = "— &P —"
    ws.oddFooter.center.size = 12     # ≥ 9 pt after the zoom (≥ 86 %)
    ws.evenFooter.center.text = "— &P —"
    ws.oddFooter.right.text = "共 &N 页"
    ws.oddFooter.right.size = 11


def write_xlsx(tables: dict[str, tuple[str, pd.DataFrame, int | None]], path, plan_name: str = "") -> Path:
    """Write tables to a workbook, one sheet each, in the printed-annex layout."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter

    path = Path(path)
    wb = Workbook()
    wb.remove(wb.active)
    _default_font(wb)
    thin = Side(style="thin", color="000000")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    body = Font(name="宋体", size=CELL_PT)
    for title, df, merge_col in tables.values():
        ws = wb.create_sheet(title[:31])
        ncol = max(len(df.columns), 1)
        _put(ws, 1, 1, f"{plan_name}{title}" if plan_name else title)
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=ncol)
        ws.cell(row=1, column=1).font = Font(name="宋体", size=16, bold=True)
        ws.cell(row=1, column=1).alignment = Alignment(horizontal="center", vertical="center")
        ws.row_dimensions[1].height = 30
        for j, col in enumerate(df.columns, start=1):
            c = _put(ws, 2, j, str(col))
            c.font = Font(name="宋体", bold=True)
            c.fill = PatternFill("solid", fgColor="D9D9D9")
            c.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
            c.border = border
        text_cols = {j for j, col in enumerate(df.columns, start=1) if _is_text_column(str(col))}
        # one style object per kind of cell, not one per cell (a city's tables have 10^6 cells)
        centred = Alignment(vertical="center", wrap_text=True, horizontal="center")
        left = Alignment(vertical="center", wrap_text=True, horizontal="left")
        align = {j: centred if j == 1 or j in text_cols else left for j in range(1, len(df.columns) + 1)}
        # a column's cells share one style: set on its first cell, then its index array copied (openpyxl
        # hashes every style object it is given — 60 % of a city's workbook, 10^6 cells)
        kinds: dict[int, object] = {}
        for i, row in enumerate(df.itertuples(index=False), start=3):
            for j, v in enumerate(row, start=1):
                if v is None or (not isinstance(v, str) and pd.isna(v)):
                    v = ""
                if isinstance(v, np.generic):
                    v = v.item()
                if j in text_cols:
                    v = "" if v == "" else str(v)
                c = _put(ws, i, j, v)
                style = kinds.get(j)
                if style is not None:
                    c._style = copy(style)
                    continue
                c.border = border
                c.alignment = align[j]
                if j in text_cols:
                    c.number_format = "@"
                c.font = body
                kinds[j] = copy(c._style)
        if merge_col is not None and len(df):
            col = merge_col + 1
            vals = df.iloc[:, merge_col].tolist()
            start = 0
            for k in range(1, len(vals) + 1):
                if k == len(vals) or vals[k] != vals[start]:
                    if k - start > 1:
                        ws.merge_cells(start_row=start + 3, start_column=col, end_row=k + 2, end_column=col)
                        ws.cell(row=start + 3, column=col).alignment = Alignment(horizontal="center",
                                                                                vertical="center", wrap_text=True)
                    start = k
        _print_setup(ws, df)
    try:
        wb.save(path)
    except OSError as exc:
        raise ExchangeError(f"{path}: " + bi("无法写入", "cannot write") + f" ({exc.strerror})") from exc
    return path


def export_xlsx(plan: Plan, out, tables=None, level=None, project_path=None, **_) -> ExportResult:
    """The annex tables (default: all) in one XLSX workbook; ``level``: the level the division table lists."""
    out = Path(out)
    write_xlsx(build_tables(plan, tables, level, project_path), out, plan.name)
    return ExportResult(paths=[out])


def export_csv(plan: Plan, out, tables=None, level=None, project_path=None, **_) -> ExportResult:
    """The annex tables (default: all) as CSV files (UTF-8 with BOM) in folder ``out``.

    A CSV has no cell types: Excel shows long codes in scientific notation and
    drops leading zeros when it opens one; use XLSX for Excel users.  Text a
    spreadsheet would run as a formula gets a ``'`` in front (see ``cellsafe``)."""
    out = Path(out)
    if out.suffix.lower() == ".csv":
        built = build_tables(plan, tables, level, project_path)
        if len(built) != 1:
            raise ExchangeError(f"{out}: " + bi("一个 CSV 文件只能放一张表；请用 --tables 只给一个表名，或给一个文件夹",
                                               "one CSV file holds one table; give --tables with one name or a folder"))
        out.parent.mkdir(parents=True, exist_ok=True)
        write_csv(next(iter(built.values()))[1], out)
        return ExportResult(paths=[out])
    out.mkdir(parents=True, exist_ok=True)
    result = ExportResult()
    for title, df, _ in build_tables(plan, tables, level, project_path).values():
        p = out / f"{title}.csv"
        write_csv(df, p)
        result.paths.append(p)
    return result
