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
    """A :class:`GridRecord` per grid id, in the plan's grid order.  (Column arrays and dicts,
    not a pandas row lookup per grid, role and segment: a city's 10k grids in a second.)"""
    grids = plan.grids
    names = {lv.key: lv.name for lv in plan.levels}
    areas = areas_m2(grids.geometry.values, plan.crs) if len(grids) else []
    ids = [int(g) for g in grids.index.tolist()]
    code = grids["code"].tolist()
    name = grids["name"].tolist()
    level = grids["level"].tolist()
    parent = [None if pd.isna(v) else int(v) for v in grids["parent"].tolist()]
    pos = {g: k for k, g in enumerate(ids)}
    parent_of = dict(zip(ids, parent))
    out: dict[int, GridRecord] = {}
    for k, (gid, area) in enumerate(zip(ids, areas)):
        pc = pn = ""
        up = parent[k]
        if up is not None and up in pos:
            pc, pn = str(code[pos[up]]), str(name[pos[up]])
        lv = level[k]
        out[gid] = GridRecord(gid, str(code[k]), str(name[k]), str(lv), names.get(lv, str(lv)), pc, pn, float(area),
                              units={"lead_unit": [], "responsible_unit": [], "partner": []})
    people, units = plan.people, plan.units
    person = {int(i): (n, po, ph) for i, n, po, ph in zip(people.index.tolist(), people["name"].tolist(),
                                                         people["post"].tolist(), people["phone"].tolist())}
    unit_name = {int(i): n for i, n in zip(units.index.tolist(), units["name"].tolist())}

    def _id(v):
        return None if pd.isna(v) else int(v)

    r = plan.roles
    for g, role, pid, uid, duty in zip(r["grid"].tolist(), r["role"].tolist(), r["person"].tolist(),
                                       r["unit"].tolist(), r["duty"].tolist()):
        g, pid, uid = _id(g), _id(pid), _id(uid)
        if g is None or g not in out:
            continue
        rec = out[g]
        role = str(role)
        if pid is not None and pid in person:
            pn_, post, phone = person[pid]
            text = person_text(str(pn_), str(post), str(phone))
            group = {"leader": rec.leaders, "patron": rec.leaders, "deputy": rec.deputies,
                     "executive_deputy": rec.deputies, "contact": None}.get(role, rec.officers)
            if group is not None:
                group.append(text)
            rec.roles.setdefault(role, []).append(text)
        elif uid is not None and uid in unit_name:
            rec.units.setdefault(role, []).append(str(unit_name[uid]))
            rec.roles.setdefault(role, []).append(str(unit_name[uid]))
        if duty:
            rec.duties.append(str(duty))
            who = ""
            if pid is not None and pid in person:
                pn_, post, _ = person[pid]
                who = f"{pn_}（{post}）" if str(post or "") else str(pn_)
            elif uid is not None and uid in unit_name:
                who = str(unit_name[uid])
            line = f"{who}：{duty}" if who else str(duty)
            if line not in rec.duty_lines:
                rec.duty_lines.append(line)
    # the leaders of the grids above each grid (nearest first): 大网格挂点领导, 社区网格长 …
    level_name = {lv.key: lv.name for lv in plan.levels}
    for gid, rec in out.items():
        up = parent_of[gid]
        while up is not None and up in out:
            above = out[up]
            for k in ("patron", "leader"):
                if above.roles.get(k):
                    rec.parent_leaders.append((f"{level_name.get(above.level, above.level_name)}{ROLE_LABELS[k][0]}",
                                               "、".join(above.roles[k])))
            up = parent_of[up]
    sg = plan.segments
    for g, road, a, b in zip(sg["grid"].tolist(), sg["road_name"].tolist(), sg["from_desc"].tolist(),
                             sg["to_desc"].tolist()):
        g = _id(g)
        if g is not None and g in out:
            ends = "—".join(x for x in (a, b) if x)
            text = f"{road or '未命名路段'}" + (f"（{ends}）" if ends else "")
            segs = out[g].segments
            if text not in segs:
                segs.append(text)
    pl = plan.places
    for g, pname, kind in zip(pl["grid"].tolist(), pl["name"].tolist(), pl["kind"].tolist()):
        g = _id(g)
        if g is not None and g in out and pname:
            out[g].places.append(f"{pname}" + (f"（{kind}）" if kind else ""))
    return out
