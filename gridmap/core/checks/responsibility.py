"""Responsibility rules (定人、定责): ``no_leader``, ``no_unit``, ``no_officer``, ``no_phone``.

Which levels need what is a setting (``check.require.*``, see
:mod:`gridmap.core.checks.settings`).  A leader (挂点领导/网格长) and a lead or
responsible unit are inherited: a grid whose parent (or grandparent …) has
one is covered.  An officer (网格员) must be on the grid itself.  Every person
holding a role on a grid needs a phone number.

>>> import pandas as pd
>>> grids = pd.DataFrame({"level": ["large", "small", "small"], "parent": pd.array([pd.NA, 1, 1], dtype="Int64")},
...                      index=pd.Index([1, 2, 3], name="id"))
>>> roles = pd.DataFrame({"grid": [1, 2], "role": ["leader", "officer"], "person": pd.array([7, 8], dtype="Int64"),
...                       "unit": pd.array([pd.NA, pd.NA], dtype="Int64")})
>>> people = pd.DataFrame({"name": ["李四", "张三"], "phone": ["139", ""]}, index=pd.Index([7, 8], name="id"))
>>> missing_roles(grids, roles, {"leader": ["large", "small"], "officer": ["small"], "unit": []})
[('no_officer', 3)]
>>> missing_phones(roles, people)
[(8, '张三', [2])]
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..plan import ROLE_GROUPS

__all__ = ["missing_roles", "missing_phones", "ROLE_OF_RULE", "places_without_person"]

# rule → (requirement, roles that satisfy it, inherited from ancestors)
ROLE_OF_RULE = {
    "no_leader": ("leader", ROLE_GROUPS["leader"], True),        # 挂点领导 or 网格长
    "no_unit": ("unit", ROLE_GROUPS["unit"], True),              # 牵头/责任单位 or 中队
    "no_officer": ("officer", ROLE_GROUPS["officer"], False),    # 网格员, 网格责任人 or 队员
}


def _ids(values) -> np.ndarray:
    return pd.array(values, dtype="Int64").fillna(-1).to_numpy(dtype=np.int64)


def missing_roles(grids: pd.DataFrame, roles: pd.DataFrame, required: dict[str, list[str]],
                  people_index=None, units_index=None) -> list[tuple[str, int]]:
    """(rule, grid id) for each grid lacking a required role.

    ``required`` maps ``leader``/``officer``/``unit`` to the level keys that need
    it.  Role rows naming a person or unit that does not exist do not count.
    """
    out: list[tuple[str, int]] = []
    if len(grids) == 0:
        return out
    gid = grids.index.to_numpy(dtype=np.int64)
    parent = _ids(grids["parent"])
    pos = pd.Series(np.arange(len(gid)), index=gid)
    ppos = pos.reindex(parent).fillna(-1).to_numpy(dtype=np.int64)
    level = grids["level"].astype(str).to_numpy()
    rgrid = _ids(roles["grid"]) if len(roles) else np.zeros(0, dtype=np.int64)
    rrole = roles["role"].astype(str).to_numpy() if len(roles) else np.zeros(0, dtype=object)
    rperson = _ids(roles["person"]) if len(roles) else np.zeros(0, dtype=np.int64)
    runit = _ids(roles["unit"]) if len(roles) else np.zeros(0, dtype=np.int64)
    person_ok = rperson >= 0
    if people_index is not None:
        person_ok &= np.isin(rperson, np.asarray(people_index, dtype=np.int64))
    unit_ok = runit >= 0
    if units_index is not None:
        unit_ok &= np.isin(runit, np.asarray(units_index, dtype=np.int64))
    for rule, (what, role_names, inherited) in ROLE_OF_RULE.items():
        levels = required.get(what, [])
        if not levels:
            continue
        ok_rows = np.isin(rrole, role_names) & (unit_ok if what == "unit" else person_ok)
        own = np.isin(gid, rgrid[ok_rows])
        has = own.copy()
        if inherited:
            # walk up the hierarchy: a grid is covered when an ancestor is
            cur = ppos.copy()
            for _ in range(32):
                live = cur >= 0
                if not live.any():
                    break
                has[live] |= own[cur[live]]
                nxt = np.full_like(cur, -1)
                nxt[live] = ppos[cur[live]]
                cur = nxt
        need = np.isin(level, levels)
        for i in np.flatnonzero(need & ~has):
            out.append((rule, int(gid[i])))
    return out


def missing_phones(roles: pd.DataFrame, people: pd.DataFrame) -> list[tuple[int, str, list[int]]]:
    """(person id, name, [grid ids]) for each person with a role on a grid but no phone."""
    if len(roles) == 0 or len(people) == 0:
        return []
    rperson = _ids(roles["person"])
    rgrid = _ids(roles["grid"])
    on_grid = (rperson >= 0) & (rgrid >= 0)
    phone = people["phone"].fillna("").astype(str).str.strip() if "phone" in people else pd.Series("", index=people.index)
    no_phone = set(people.index[phone == ""].astype(np.int64))
    out = []
    if not no_phone:
        return out
    rows = pd.DataFrame({"person": rperson[on_grid], "grid": rgrid[on_grid]})
    rows = rows[rows["person"].isin(no_phone)]
    for pid, grp in rows.groupby("person", sort=True):
        name = str(people.at[pid, "name"]) if "name" in people else str(pid)
        out.append((int(pid), name, sorted(set(int(g) for g in grp["grid"]))))
    return out


def places_without_person(places: pd.DataFrame, people_index, kinds) -> list[tuple[int, str]]:
    """(place id, kind) of each place of ``kinds`` (小区, 门前三包 …) whose responsible
    person (物业/楼长, the shop's owner) is missing or names nobody in the plan.

    >>> places = pd.DataFrame({"kind": ["小区", "小区", "公园"], "person": pd.array([7, pd.NA, pd.NA], dtype="Int64")},
    ...                       index=pd.Index([1, 2, 3], name="id"))
    >>> places_without_person(places, [7], ("小区",))
    [(2, '小区')]
    """
    if len(places) == 0:
        return []
    person = _ids(places["person"]) if "person" in places else np.full(len(places), -1)
    ok = np.isin(person, np.asarray(list(people_index), dtype=np.int64))
    kind = places["kind"].fillna("").astype(str).str.strip().to_numpy()
    need = np.isin(kind, list(kinds))
    return [(int(places.index[i]), str(kind[i])) for i in np.flatnonzero(need & ~ok)]
