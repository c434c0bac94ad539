"""Problems found by the checks, and the registry of rules that find them.

A :class:`Problem` is one finding: the rule that found it, its severity, the
grids involved (by code), where it is (a geometry in the input's CRS), how big
it is (true m² and, for gaps and slivers, the width in metres) and a message
in Chinese and English.

Every rule is registered once in :data:`RULES` with its default severity and
its bilingual title; messages are built from per-rule templates.

>>> p = make_problem("overlap", ["44030600100001", "44030600100002"], area_m2=12.5, width_m=2.0)
>>> p.severity, p.message_en
('error', 'Grids 44030600100001 and 44030600100002 overlap by 12.50 m² (up to 2.00 m wide).')
>>> p.message_zh
'网格 44030600100001 与 44030600100002 重叠 12.50 平方米（最宽 2.00 米）。'
>>> RULES["no_phone"].default_severity
'warning'
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace

import numpy as np
import shapely

__all__ = ["Problem", "Rule", "RULES", "RULE_IDS", "make_problem", "summary", "SEVERITIES"]

SEVERITIES = ("error", "warning")


@dataclass(frozen=True)
class Rule:
    """A check rule: id, default severity, group, and titles in both languages."""

    id: str
    default_severity: str
    group: str          # geometry | codes | responsibility | segments | workload | staffing
    title_zh: str
    title_en: str
    default_on: bool = True     # off: runs only when named (check.enabled, gridmap check --rules)


_RULE_LIST = [
    Rule("invalid", "error", "geometry", "几何无效", "Invalid geometry"),
    Rule("overlap", "error", "geometry", "网格重叠", "Overlap"),
    Rule("gap", "error", "geometry", "覆盖缝隙", "Gap"),
    Rule("sliver", "error", "geometry", "细缝/细重叠（绘制误差）", "Sliver (drawing error)"),
    Rule("edge_mismatch", "warning", "geometry", "公共边顶点不一致", "Edge mismatch"),
    Rule("outside_parent", "error", "geometry", "超出上级网格", "Outside parent grid"),
    Rule("outside_jurisdiction", "error", "geometry", "超出辖区", "Outside jurisdiction"),
    Rule("multipart", "error", "geometry", "网格分成多块", "Grid in several parts"),
    Rule("duplicate_code", "error", "codes", "编码重复", "Duplicate code"),
    Rule("bad_code", "error", "codes", "编码不规范", "Bad code"),
    Rule("no_leader", "error", "responsibility", "未落实网格长/挂点领导", "No leader"),
    Rule("no_unit", "warning", "responsibility", "未落实责任单位", "No responsible unit"),
    Rule("no_officer", "error", "responsibility", "未配备网格员", "No officer"),
    Rule("no_phone", "warning", "responsibility", "责任人无联系电话", "No phone"),
    Rule("role_to_confirm", "warning", "responsibility", "职责待确认（网格分割后复制）", "Role to confirm (copied by a split)"),
    Rule("segment_unassigned", "error", "segments", "路段未分配网格", "Segment unassigned"),
    Rule("segment_crosses_boundary", "warning", "segments", "路段跨网格边界", "Segment crosses a grid boundary"),
    Rule("segment_wrong_grid", "warning", "segments", "路段所属网格有误", "Segment in the wrong grid"),
    Rule("place_unassigned", "warning", "segments", "场所未分配网格", "Place unassigned"),
    Rule("area_range", "warning", "workload", "网格面积超出范围", "Grid area out of range"),
    Rule("imbalance", "warning", "workload", "工作量不均衡", "Workload imbalance"),
    Rule("staffing", "error", "staffing", "人员配备不符合定额", "Staffing off its quota"),
    Rule("place_no_person", "warning", "staffing", "场所未落实责任人", "Place without a responsible person",
         default_on=False),
    Rule("no_visit", "warning", "staffing", "本月无进社区台账记录", "No ledger visit this month"),   # checks/visits.py
]
RULES: dict[str, Rule] = {r.id: r for r in _RULE_LIST}
RULE_IDS: tuple[str, ...] = tuple(RULES)


@dataclass(frozen=True)
class Problem:
    """One finding of a rule.

    ``grids`` are grid codes (a grid without a code is written ``#id``);
    ``geometry`` is in the CRS of the checked data; ``ids`` are the grid ids
    in the plan (row numbers, 1-based, for a file) and ``scope`` tells which
    region a gap was computed in (the parent grid id, 0 for the jurisdiction) —
    both are for the application and incremental re-checks, not for output.
    """

    rule: str
    severity: str
    grids: tuple[str, ...]
    geometry: object = None
    area_m2: float | None = None
    width_m: float | None = None
    message_zh: str = ""
    message_en: str = ""
    detail: str = ""
    ids: tuple[int, ...] = ()
    scope: int | None = None
    level: str = ""
    extra: dict = field(default_factory=dict, compare=False, hash=False)

    @property
    def point(self):
        """A point on the problem (on its surface for areas, half-way along lines)."""
        return point_on(self.geometry)

    def to_json(self, point=...) -> dict:
        """The problem as the ``gridmap check --json`` record (x, y in the data's CRS);
        rules with measures of their own (``staffing`` …) add them (``extra["json"]``).
        ``point``: :attr:`point` when already computed (:func:`points_on` of many problems)."""
        pt = self.point if point is ... else point
        own = self.extra.get("json") if isinstance(self.extra.get("json"), dict) else {}
        return {**own, **{
            "rule": self.rule,
            "severity": self.severity,
            "grids": list(self.grids),
            "area_m2": _num(self.area_m2),
            "width_m": _num(self.width_m),
            "x": None if pt is None else _num(pt.x, 9),
            "y": None if pt is None else _num(pt.y, 9),
        }}

    def with_severity(self, severity: str) -> "Problem":
        return replace(self, severity=severity)

    def key(self) -> tuple:
        """What identifies a problem across re-checks: rule, grids, detail, rounded measures."""
        return (self.rule, self.ids or self.grids, self.detail,
                None if self.area_m2 is None else round(self.area_m2, 2))


def _num(v, digits: int = 3):
    if v is None or (isinstance(v, float) and not math.isfinite(v)):
        return None
    return round(float(v), digits)


def _longest_line(geom):
    """The first longest part of a MultiLineString of many parts (the location of a noisy
    edge mismatch has thousands): lengths from the coordinate array, then the few parts within
    1e-9 of the longest measured by GEOS (the same choice as ``shapely.length`` of every part,
    without making a Python object per part)."""
    # (the coordinates and the parts' offsets into them, as shapely.to_ragged_array gives them, ~10× faster)
    coords = shapely.get_coordinates(geom)
    ends = np.concatenate([[0], np.cumsum(shapely.get_num_coordinates(shapely.get_parts(geom)))])
    seg = np.hypot(*(coords[1:] - coords[:-1]).T)
    inside = np.ones(len(seg), dtype=bool)
    inside[ends[1:-1] - 1] = False            # the step from one part's last vertex to the next one's first
    cum = np.concatenate([[0.0], np.cumsum(np.where(inside, seg, 0.0))])
    lengths = cum[ends[1:] - 1] - cum[ends[:-1]]
    near = np.flatnonzero(lengths >= lengths.max() * (1 - 1e-9) - 1e-9)
    cand = shapely.get_geometry(geom, near)
    return cand[int(np.argmax(shapely.length(cand)))]


def point_on(geom):
    """A representative point of a geometry (None for None/empty).

    >>> point_on(shapely.LineString([(0, 0), (10, 0)])).wkt
    'POINT (5 0)'
    """
    if geom is None or shapely.is_empty(geom):
        return None
    dim = shapely.get_dimensions(geom)
    if dim == 2:
        return shapely.point_on_surface(geom)
    if dim == 1:
        line = geom
        if geom.geom_type == "MultiLineString" and shapely.get_num_geometries(geom) > 64:
            line = _longest_line(geom)
        elif geom.geom_type.startswith("Multi") or geom.geom_type == "GeometryCollection":
            parts = shapely.get_parts(geom)
            line = parts[shapely.length(parts).argmax()]
            if shapely.get_dimensions(line) != 1:
                return shapely.point_on_surface(geom)
        return shapely.line_interpolate_point(line, 0.5, normalized=True)
    return shapely.get_geometry(geom, 0) if geom.geom_type.startswith("Multi") else geom


def points_on(geoms) -> list:
    """:func:`point_on` of each geometry, the same points, with one GEOS call per kind for the
    common kinds (areas, lines, multilines of ≤ 64 parts) instead of one call per geometry.

    >>> [p and p.wkt for p in points_on([shapely.LineString([(0, 0), (10, 0)]), None, shapely.box(0, 0, 2, 2)])]
    ['POINT (5 0)', None, 'POINT (1 1)']
    """
    geoms = np.asarray(list(geoms) if not isinstance(geoms, np.ndarray) else geoms, dtype=object)
    out = [None] * len(geoms)
    if len(geoms) == 0:
        return out
    live = ~(shapely.is_missing(geoms) | shapely.is_empty(geoms))
    dim = np.where(live, shapely.get_dimensions(geoms), -1)
    types = shapely.get_type_id(geoms)
    done = np.zeros(len(geoms), dtype=bool)
    area = np.flatnonzero(dim == 2)
    for k, pt in zip(area, shapely.point_on_surface(geoms[area])):
        out[k] = pt
    done[area] = True
    line = np.flatnonzero((dim == 1) & (types == 1))
    multi = np.flatnonzero((dim == 1) & (types == 5) & (shapely.get_num_geometries(geoms) <= 64))
    pick = list(geoms[line])
    if len(multi):
        parts, src = shapely.get_parts(geoms[multi], return_index=True)
        length = shapely.length(parts)
        # the first longest part of each (as argmax): by source, then longest, then position
        order = np.lexsort((np.arange(len(parts)), -length, src))
        first = order[np.concatenate([[True], src[order][1:] != src[order][:-1]])]
        pick += list(parts[first])
        line = np.concatenate([line, multi[src[first]]])
    if len(line):
        for k, pt in zip(line, shapely.line_interpolate_point(np.array(pick, dtype=object), 0.5, normalized=True)):
            out[k] = pt
        done[line] = True
    for k in np.flatnonzero(live & ~done):
        out[k] = point_on(geoms[k])
    return out


def _fmt(v) -> str:
    return "?" if v is None else f"{v:,.2f}"


def _pair(grids, zh: bool) -> str:
    g = list(grids)
    if not g:
        return "（无）" if zh else "(none)"
    if len(g) == 1:
        return g[0]
    if len(g) == 2:
        return f"{g[0]} 与 {g[1]}" if zh else f"{g[0]} and {g[1]}"
    return ("、".join(g)) if zh else ", ".join(g)


def _messages(rule: str, grids, area, width, detail: str, extra: dict) -> tuple[str, str]:
    g = list(grids)
    a, w = _fmt(area), _fmt(width)
    first = g[0] if g else "?"
    if rule == "invalid":
        return (f"网格 {first} 的几何无效：{extra.get('reason_zh', detail)}。",
                f"Grid {first} has an invalid geometry: {detail}.")
    if rule == "overlap":
        return (f"网格 {_pair(g, True)} 重叠 {a} 平方米（最宽 {w} 米）。",
                f"Grids {_pair(g, False)} overlap by {a} m² (up to {w} m wide).")
    if rule == "gap":
        where_zh = extra.get("where_zh", "")
        where_en = extra.get("where_en", "")
        return (f"{where_zh}有 {a} 平方米未被网格覆盖（宽 {w} 米），相邻网格：{_pair(g, True)}。",
                f"{a} m² {where_en}not covered by any grid ({w} m wide); next to {_pair(g, False)}.")
    if rule == "sliver":
        if extra.get("kind") == "overlap":
            return (f"网格 {_pair(g, True)} 之间有细长重叠 {a} 平方米（宽仅 {w} 米），应为绘制误差。",
                    f"Sliver overlap of {a} m² between {_pair(g, False)}, only {w} m wide: a drawing error.")
        return (f"网格 {_pair(g, True)} 之间有细缝 {a} 平方米（宽仅 {w} 米），应为绘制误差。",
                f"Sliver gap of {a} m² next to {_pair(g, False)}, only {w} m wide: a drawing error.")
    if rule == "edge_mismatch":
        return (f"相邻网格 {_pair(g, True)} 的公共边顶点不一致。",
                f"Neighbours {_pair(g, False)} do not share identical vertices along their common edge.")
    if rule == "outside_parent":
        parent = extra.get("parent", "")
        return (f"网格 {first} 有 {a} 平方米超出上级网格 {parent}。",
                f"{a} m² of grid {first} lies outside its parent grid {parent}.")
    if rule == "outside_jurisdiction":
        return (f"网格 {first} 有 {a} 平方米超出辖区范围。",
                f"{a} m² of grid {first} lies outside the jurisdiction.")
    if rule == "multipart":
        n = extra.get("parts", "?")
        return (f"网格 {first} 由 {n} 块不相连的部分组成（该层级不允许），主体之外的部分共 {a} 平方米。",
                f"Grid {first} is in {n} separate parts (not allowed on this level); {a} m² lie apart "
                f"from its main part.")
    if rule == "duplicate_code":
        return (f"编码 {first} 被 {len(g)} 个网格重复使用。", f"Code {first} is used by {len(g)} grids.")
    if rule == "bad_code":
        return (f"网格 {first} 的编码不规范：{extra.get('reason_zh', detail)}。",
                f"Grid {first} has a bad code: {detail}.")
    if rule == "no_leader":
        return (f"网格 {first} 未落实网格长/挂点领导。", f"Grid {first} has no leader.")
    if rule == "no_unit":
        return (f"网格 {first} 未落实牵头单位或责任单位。", f"Grid {first} has no lead or responsible unit.")
    if rule == "no_officer":
        return (f"网格 {first} 未配备网格员。", f"Grid {first} has no officer.")
    if rule == "no_phone":
        who = extra.get("person", "?")
        return (f"{who} 负责网格 {_pair(g, True)}，但没有联系电话。",
                f"{who} has duties on grid(s) {_pair(g, False)} but no phone number.")
    if rule == "segment_unassigned":
        return (f"路段 {extra.get('segment', '')} 未分配到网格。",
                f"Street segment {extra.get('segment', '')} is not assigned to a grid.")
    if rule == "segment_crosses_boundary":
        return (f"路段 {extra.get('segment', '')} 跨越网格 {_pair(g, True)} 的边界（{_fmt(extra.get('length_m'))} 米在所属网格外）。",
                f"Street segment {extra.get('segment', '')} crosses the boundary of grids {_pair(g, False)} "
                f"({_fmt(extra.get('length_m'))} m outside its grid).")
    if rule == "segment_wrong_grid":
        return (f"路段 {extra.get('segment', '')} 分配给网格 {extra.get('assigned', '?')}，但大部分位于网格 {extra.get('best', '?')}。",
                f"Street segment {extra.get('segment', '')} is assigned to grid {extra.get('assigned', '?')} "
                f"but lies mostly in grid {extra.get('best', '?')}.")
    if rule == "place_unassigned":
        return (f"场所 {extra.get('place', '')} 未分配到网格。", f"Place {extra.get('place', '')} is not assigned to a grid.")
    if rule == "area_range":
        return (f"网格 {first} 面积 {a} 平方米，超出本层级范围 {extra.get('range', '')}。",
                f"Grid {first} has {a} m², outside its level's range {extra.get('range', '')}.")
    if rule == "imbalance":
        return (f"{extra.get('person', '?')} 的{extra.get('metric_zh', '工作量')}为 {_fmt(extra.get('value'))}，"
                f"偏离平均值 {_fmt(extra.get('mean'))} 达 {extra.get('pct', 0):.0f}%。",
                f"{extra.get('person', '?')}'s {extra.get('metric_en', 'workload')} is {_fmt(extra.get('value'))}, "
                f"{extra.get('pct', 0):.0f}% off the mean {_fmt(extra.get('mean'))}.")
    if rule == "staffing":
        what_zh, what_en = extra.get("post", "?"), extra.get("post_en", extra.get("post", "?"))
        req, have = extra.get("required", 0), extra.get("present", 0)
        unit_zh = "个" if extra.get("places") else "人"
        level = extra.get("level_name", "网格")
        if extra.get("short"):
            return (f"{level} {first} 的{what_zh}不足定额：应配 {req} {unit_zh}，现有 {have} {unit_zh}，缺 {req - have} {unit_zh}。",
                    f"Grid {first} is short of {what_en}: {req} required, {have} present ({req - have} missing).")
        return (f"{level} {first} 的{what_zh}超出定额：定额 {req} {unit_zh}，现有 {have} {unit_zh}，多 {have - req} {unit_zh}。",
                f"Grid {first} has more {what_en} than its quota: {req} allowed, {have} present "
                f"({have - req} over).")
    if rule == "role_to_confirm":
        who = extra.get("person", "") or "?"
        return (f"网格 {first} 的{extra.get('role_zh', '职责')} {who} 是分割时从原网格复制的，请确认后删去“待确认”。",
                f"The {extra.get('role_en', 'role')} {who} of grid {first} was copied from the grid it was split "
                f"from: confirm it and remove “待确认” from its duty.")
    if rule == "no_visit":
        last = extra.get("last_visit")
        return (f"社区 {first}（{extra.get('name', '')}）{extra.get('month', '')} 没有进社区工作台账记录"
                f"（每月至少走访一次）" + (f"；上次记录 {last}。" if last else "；此前也没有记录。"),
                f"Community {first} ({extra.get('name', '')}) has no ledger visit in {extra.get('month', '')} "
                f"(at least one a month)" + (f"; last record {last}." if last else "; no earlier record either."))
    if rule == "place_no_person":
        return (f"场所 {extra.get('place', '')}（{extra.get('kind', '')}）未落实责任人。",
                f"Place {extra.get('place', '')} ({extra.get('kind', '')}) has no responsible person.")
    return (f"{RULES[rule].title_zh}：{_pair(g, True)}", f"{RULES[rule].title_en}: {_pair(g, False)}")


def make_problem(rule: str, grids, geometry=None, area_m2=None, width_m=None, detail: str = "",
                 severity: str | None = None, ids=(), scope=None, level: str = "", **extra) -> Problem:
    """Build a :class:`Problem` with its messages; ``severity`` defaults to the rule's."""
    if rule not in RULES:
        raise KeyError(f"unknown rule {rule!r}")
    zh, en = _messages(rule, grids, area_m2, width_m, detail, extra)
    return Problem(rule=rule, severity=severity or RULES[rule].default_severity, grids=tuple(grids),
                   geometry=geometry, area_m2=None if area_m2 is None else float(area_m2),
                   width_m=None if width_m is None else float(width_m), message_zh=zh, message_en=en,
                   detail=detail, ids=tuple(int(i) for i in ids), scope=scope, level=level, extra=dict(extra))


def summary(problems) -> dict[str, int]:
    """Count of problems per rule, in registry order.

    >>> summary([make_problem("gap", []), make_problem("gap", []), make_problem("no_leader", ["1"])])
    {'gap': 2, 'no_leader': 1}
    """
    counts: dict[str, int] = {}
    for p in problems:
        counts[p.rule] = counts.get(p.rule, 0) + 1
    return {r: counts[r] for r in RULE_IDS if r in counts}
