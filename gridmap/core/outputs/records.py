"""Who and what is on each grid (定人、定时、定责), as text rows for tables,
map books and web-map popups.

>>> from gridmap.core.outputs.tests_support import demo_plan
>>> plan = demo_plan()
>>> u = plan.add_unit("区城管局")
>>> p = plan.add_person("张三", post="城管队员", unit=u, phone="13800000000")
>>> gid = plan.grid_by_code("44030600100001")
>>> _ = plan.assign(gid, "officer", person=p)
>>> _ = plan.assign(gid, "lead_unit", unit=u)
>>> r = grid_records(plan)[gid]
>>> r.officers, r.units["lead_unit"], r.parent_code
(['张三（城管队员，13800000000）'], ['区城管局'], '440306001000')
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from ..crs import areas_m2
from ..plan import ROLE_LABELS, Plan

__all__ = ["GridRecord", "grid_records", "person_text", "area_text"]


def person_text(name: str, post: str = "", phone: str = "") -> str:
    """``name（post，phone）`` with the empty parts left out.

    >>> person_text("李四", "", "13900000000"), person_text("王五")
    ('李四（13900000000）', '王五')
    """
    extra = "，".join(x for x in (post, phone) if x)
    return f"{name}（{extra}）" if extra else name


def area_text(m2: float) -> str:
    """An area as planners write it: m² below 0.1 km², km² above.

    >>> area_text(8500.4), area_text(1_234_567)
    ('8,500 m²', '1.235 km²')
    """
    return f"{m2 / 1e6:,.3f} km²" if m2 >= 1e5 else f"{m2:,.0f} m²"


@dataclass
class GridRecord:
    """One grid with its people, units, segments and places, all as text."""

    id: int
    code: str
    name: str
    level: str
    level_name: str
    parent_code: str = ""
    parent_name: str = ""
    area_m2: float = 0.0
    leaders: list[str] = field(default_factory=list)
    deputies: list[str] = field(default_factory=list)
    officers: list[str] = field(default_factory=list)
    units: dict[str, list[str]] = field(default_factory=dict)
    segments: list[str] = field(default_factory=list)
    places: list[str] = field(default_factory=list)
    duties: list[str] = field(default_factory=list)
    roles: dict[str, list[str]] = field(default_factory=dict)        # every role's texts, by role key
    parent_leaders: list[tuple[str, str]] = field(default_factory=list)   # (label, text) of the ancestors' leaders
    duty_lines: list[str] = field(default_factory=list)   # "who: duty", one per person or unit

    @property
    def label(self) -> str:
        return f"{self.code} {self.name}".strip()

    def role_rows(self, always=(), parents: bool = True) -> list[tuple[str, str]]:
        """(label, text) of every role on the grid under its own label (挂点领导, 网格长,
        常务副网格长, 副网格长, 中队, 网格责任人, 队员, 联系人, 协作力量 …), in that order;
        roles in ``always`` are listed even when empty; ``parents``: the leaders of the
        grids above (a small grid's row shows its large grid's leader) after them.

        >>> r = GridRecord(1, "0101", "甲", "small", "小网格", roles={"patron": ["王五（副县长）"], "deputy": ["赵六"]},
        ...                parent_leaders=[("大网格网格长", "钱七")])
        >>> r.role_rows(always=("leader",))
        [('挂点领导', '王五（副县长）'), ('网格长', ''), ('副网格长', '赵六'), ('大网格网格长', '钱七')]
        """
        out = [(zh, "、".join(self.roles.get(k, []))) for k, (zh, _) in ROLE_LABELS.items()
               if self.roles.get(k) or k in always]
        return out + (list(self.parent_leaders) if parents else [])

    def role_text(self, *keys, sep: str = "\n") -> str:
        """The roles ``keys`` as ``label：names`` lines (only those present)."""
        return sep.join(f"{ROLE_LABELS[k][0]}：{'、'.join(self.roles[k])}" for k in keys if self.roles.get(k))


def grid_records(plan: Plan) -> dict[int, GridRecord]:
    """A :class:`GridRecord` per grid id, in the plan's grid order."""
    grids = plan.grids
    names = {lv.key: lv.name for lv in plan.levels}
    areas = areas_m2(grids.geometry.values, plan.crs) if len(grids) else []
    out: dict[int, GridRecord] = {}
    for (gid, row), area in zip(grids.iterrows(), areas):
        parent = row["parent"]
        pc = pn = ""
        if pd.notna(parent) and int(parent) in grids.index:
            pc, pn = str(grids.at[int(parent), "code"]), str(grids.at[int(parent), "name"])
        out[int(gid)] = GridRecord(int(gid), str(row["code"]), str(row["name"]), str(row["level"]),
                                   names.get(row["level"], str(row["level"])), pc, pn, float(area),
                                   units={"lead_unit": [], "responsible_unit": [], "partner": []})
    people, units = plan.people, plan.units
    for _, r in plan.roles.iterrows():
        if pd.isna(r["grid"]) or int(r["grid"]) not in out:
            continue
        rec = out[int(r["grid"])]
        role = str(r["role"])
        if pd.notna(r["person"]) and int(r["person"]) in people.index:
            p = people.loc[int(r["person"])]
            text = person_text(str(p["name"]), str(p["post"]), str(p["phone"]))
            group = {"leader": rec.leaders, "patron": rec.leaders, "deputy": rec.deputies,
                     "executive_deputy": rec.deputies, "contact": None}.get(role, rec.officers)
            if group is not None:
                group.append(text)
            rec.roles.setdefault(role, []).append(text)
        elif pd.notna(r["unit"]) and int(r["unit"]) in units.index:
            rec.units.setdefault(role, []).append(str(units.at[int(r["unit"]), "name"]))
            rec.roles.setdefault(role, []).append(str(units.at[int(r["unit"]), "name"]))
        if r["duty"]:
            rec.duties.append(str(r["duty"]))
            who = ""
            if pd.notna(r["person"]) and int(r["person"]) in people.index:
                p = people.loc[int(r["person"])]
                who = f"{p['name']}（{p['post']}）" if str(p["post"] or "") else str(p["name"])
            elif pd.notna(r["unit"]) and int(r["unit"]) in units.index:
                who = str(units.at[int(r["unit"]), "name"])
            line = f"{who}：{r['duty']}" if who else str(r["duty"])
            if line not in rec.duty_lines:
                rec.duty_lines.append(line)
    # the leaders of the grids above each grid (nearest first): 大网格挂点领导, 社区网格长 …
    level_name = {lv.key: lv.name for lv in plan.levels}
    for gid, rec in out.items():
        up = grids.at[gid, "parent"]
        while pd.notna(up) and int(up) in out:
            above = out[int(up)]
            for k in ("patron", "leader"):
                if above.roles.get(k):
                    rec.parent_leaders.append((f"{level_name.get(above.level, above.level_name)}{ROLE_LABELS[k][0]}",
                                               "、".join(above.roles[k])))
            up = grids.at[int(up), "parent"]
    for _, s in plan.segments.iterrows():
        if pd.notna(s["grid"]) and int(s["grid"]) in out:
            ends = "—".join(x for x in (s["from_desc"], s["to_desc"]) if x)
            text = f"{s['road_name'] or '未命名路段'}" + (f"（{ends}）" if ends else "")
            segs = out[int(s["grid"])].segments
            if text not in segs:
                segs.append(text)
    for _, p in plan.places.iterrows():
        if pd.notna(p["grid"]) and int(p["grid"]) in out and p["name"]:
            out[int(p["grid"])].places.append(f"{p['name']}" + (f"（{p['kind']}）" if p["kind"] else ""))
    return out
