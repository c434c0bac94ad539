"""A plan as flat GIS layers and tables for other programs.

Ids mean nothing outside gridmap, so exported layers carry codes and names:
each grid row has its parent's code, its level's name, its area, and its
roles flattened to text (leader, officers with phones, lead unit, responsible
units, partners).  The relational tables (units, people, roles keyed by grid
code) go along so gridmap can rebuild the plan from an export.

>>> from shapely import box
>>> from gridmap.core.plan import Plan
>>> plan = Plan.new("示例", crs="EPSG:4547", admin_code="440306", levels="two")
>>> big = plan.add_grid(box(0, 0, 200, 100), level="large", name="一片")
>>> a = plan.add_grid(box(0, 0, 100, 100), level="small", parent=big, name="甲")
>>> plan.auto_number()
>>> grids = plan_layers(plan)["grids"]
>>> grids[["code", "parent_code", "level_name", "area_m2"]].values.tolist()[1]
['44030600100001', '440306001000', '小网格', 10000.0]
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import CRS

from .. import gcj02
from ..crs import areas_m2
from ..plan import ROLE_LABELS, Plan

__all__ = ["plan_layers", "plan_tables", "project", "lookup", "GRID_FIELDS", "SEGMENT_FIELDS", "PLACE_FIELDS",
           "grid_roles_text"]

# exported grid columns → description (written into field maps and docs)
GRID_FIELDS = {
    "code": "网格编号 grid code (text)",
    "name": "网格名称 name",
    "level": "层级 level key",
    "level_name": "层级名称 level name",
    "parent_code": "上级网格编号 parent grid code",
    "parent_name": "上级网格名称 parent grid name",
    "area_m2": "面积 area (m²)",
    "leader": "挂点领导/网格长 leader",
    "leader_phone": "领导电话 leader phone",
    "deputy": "副网格长 deputy",
    "officers": "网格员 officers",
    "officer_phones": "网格员电话 officer phones",
    "lead_unit": "牵头单位 lead unit",
    "responsible_units": "责任单位 responsible units",
    "partners": "协作力量 partner forces",
    "duties": "职责 duties",
    "notes": "备注 notes",
    "valid_from": "生效日期 valid from",
    "valid_to": "失效日期 valid to",
}
SEGMENT_FIELDS = {
    "road_name": "路段名称 road", "from_desc": "起点 from", "to_desc": "止点 to",
    "grid_code": "所属网格编号 grid code", "grid_name": "所属网格 grid name",
    "officer": "责任人 officer", "officer_phone": "责任人电话 officer phone",
    "length_m": "长度 length (m)", "notes": "备注 notes",
}
PLACE_FIELDS = {
    "name": "名称 name", "kind": "类型 kind", "grid_code": "所属网格编号 grid code",
    "grid_name": "所属网格 grid name", "address": "地址 address", "notes": "备注 notes",
}


def lookup(ids, values: pd.Series, missing="") -> list:
    """``values`` at each of ``ids`` (a column of grid, person or unit ids, NA for none), in
    one vectorised lookup: ``missing`` for no id or an id ``values`` does not have.

    >>> lookup(pd.Series([2, None, 7, 1]), pd.Series(["甲", "乙"], index=[1, 2]))
    ['乙', '', '', '甲']
    """
    ids = pd.to_numeric(pd.Series(ids, dtype=object) if not isinstance(ids, pd.Series) else ids,
                        errors="coerce").astype("float64").to_numpy()
    known = ~np.isnan(ids)
    keys = np.where(known, ids, -1).astype(np.int64)
    known &= np.isin(keys, values.index.to_numpy())
    got = values.reindex(keys).to_numpy(dtype=object) if len(keys) else np.zeros(0, dtype=object)
    return [v if ok else missing for ok, v in zip(known.tolist(), got.tolist())]


def _join(values) -> str:
    seen = []
    for v in values:
        v = "" if v is None or (not isinstance(v, str) and pd.isna(v)) else str(v)
        if v and v not in seen:
            seen.append(v)
    return "、".join(seen)


def grid_roles_text(plan: Plan) -> pd.DataFrame:
    """Roles of every grid as text columns (leader, leader_phone, deputy, officers,
    officer_phones, lead_unit, responsible_units, partners, duties), indexed by grid id."""
    cols = ["leader", "leader_phone", "deputy", "officers", "officer_phones", "lead_unit",
            "responsible_units", "partners", "duties"]
    out = pd.DataFrame("", index=plan.grids.index, columns=cols, dtype=object)
    if not len(plan.roles):
        return out
    r = plan.roles

    fields = {"pname": lookup(r["person"], plan.people["name"]), "pphone": lookup(r["person"], plan.people["phone"]),
              "uname": lookup(r["unit"], plan.units["name"])}
    # the text columns each kind of role fills, and from which name
    fills = {"leader": (("leader", "pname"), ("leader_phone", "pphone")), "deputy": (("deputy", "pname"),),
             "officer": (("officers", "pname"), ("officer_phones", "pphone")), "lead_unit": (("lead_unit", "uname"),),
             "responsible_unit": (("responsible_units", "uname"),), "partner": (("partners", "uname"),)}
    grid = pd.to_numeric(r["grid"], errors="coerce").to_numpy(dtype=float)
    ours = set(plan.grids.index.tolist())
    acc: dict[int, dict[str, list]] = {}
    # one pass over the roles in their order (as a grouping per grid would keep it)
    for k, (g, role, duty) in enumerate(zip(grid, r["role"].tolist(), r["duty"].tolist())):
        if np.isnan(g) or int(g) not in ours:
            continue
        got = acc.setdefault(int(g), {c: [] for c in cols})
        for col, src in fills.get(role, ()):
            got[col].append(fields[src][k])
        if duty:
            got["duties"].append(f"{ROLE_LABELS.get(role, (role,))[0]}：{duty}")
    if acc:
        rows = list(acc)
        out.loc[rows, cols] = [[_join(acc[g][c]) for c in cols] for g in rows]
    return out


def project(geoms, src, dst):
    """Reproject geometries to ``dst``: a CRS, or ``"gcj02"``/``"bd09"`` (WGS84 lon/lat shifted)."""
    src = CRS.from_user_input(src)
    if isinstance(dst, str) and dst.lower().replace("-", "") in ("gcj02", "bd09"):
        wgs = gpd.GeoSeries(geoms, crs=src).to_crs(4326).values
        return np.asarray(gcj02.transform_geometry(np.asarray(wgs, dtype=object), "wgs84",
                                                   dst.lower().replace("-", "")), dtype=object)
    dst = CRS.from_user_input(dst)
    if dst == src:
        return np.asarray(geoms, dtype=object)
    return np.asarray(gpd.GeoSeries(geoms, crs=src).to_crs(dst).values, dtype=object)


def _out_crs(dst, plan_crs):
    if dst is None:
        return CRS.from_user_input(plan_crs)
    if isinstance(dst, str) and dst.lower().replace("-", "") in ("gcj02", "bd09"):
        return CRS.from_epsg(4326)
    return CRS.from_user_input(dst)


def plan_layers(plan: Plan, crs=None) -> dict[str, gpd.GeoDataFrame]:
    """The plan as flat layers ``grids``, ``jurisdiction``, ``segments``, ``places``
    with codes and names instead of ids, in ``crs`` (default: the plan's;
    ``"gcj02"``/``"bd09"`` for shifted lon/lat)."""
    out_crs = _out_crs(crs, plan.crs)
    g = plan.grids
    code = g["code"]
    names = {lv.key: lv.name for lv in plan.levels}
    parent = g["parent"].astype("float")
    grids = pd.DataFrame({
        "code": code.values,
        "name": g["name"].values,
        "level": g["level"].values,
        "level_name": g["level"].map(names).fillna("").values,
        "parent_code": lookup(parent, code),
        "parent_name": lookup(parent, g["name"]),
        "area_m2": np.round(areas_m2(g.geometry.values, plan.crs), 2) if len(g) else np.zeros(0),
    }, index=g.index)
    grids = grids.join(grid_roles_text(plan))
    for c in ("notes", "valid_from", "valid_to"):
        grids[c] = g[c].values
    geoms = project(g.geometry.values, plan.crs, crs) if crs is not None else g.geometry.values
    layers = {"grids": gpd.GeoDataFrame(grids.reset_index(drop=True), geometry=list(geoms), crs=out_crs)}

    if plan.jurisdiction is not None:
        jg = project([plan.jurisdiction], plan.crs, crs) if crs is not None else [plan.jurisdiction]
        layers["jurisdiction"] = gpd.GeoDataFrame(
            {"name": [plan.name], "admin_code": [plan.admin_code],
             "area_m2": [round(float(areas_m2([plan.jurisdiction], plan.crs)[0]), 2)]},
            geometry=list(jg), crs=out_crs)

    def grid_ref(col):
        return lookup(col, code), lookup(col, g["name"])

    s = plan.segments
    gc, gn = grid_ref(s["grid"])
    off = s["officer"].astype("float")
    people = plan.people
    seg = pd.DataFrame({
        "road_name": s["road_name"].values, "from_desc": s["from_desc"].values, "to_desc": s["to_desc"].values,
        "grid_code": gc, "grid_name": gn,
        "officer": lookup(off, people["name"]),
        "officer_phone": lookup(off, people["phone"]),
        "length_m": np.round(shapely.length(s.geometry.values), 1) if len(s) and plan.crs.is_projected
        else np.round(_geod_lengths(s.geometry.values, plan.crs), 1),
        "notes": s["notes"].values,
    })
    sg = project(s.geometry.values, plan.crs, crs) if crs is not None else s.geometry.values
    layers["segments"] = gpd.GeoDataFrame(seg, geometry=list(sg), crs=out_crs)

    p = plan.places
    gc, gn = grid_ref(p["grid"])
    pl = pd.DataFrame({"name": p["name"].values, "kind": p["kind"].values, "grid_code": gc, "grid_name": gn,
                       "address": p["address"].values, "notes": p["notes"].values})
    pg = project(p.geometry.values, plan.crs, crs) if crs is not None else p.geometry.values
    layers["places"] = gpd.GeoDataFrame(pl, geometry=list(pg), crs=out_crs)
    return layers


def _geod_lengths(geoms, crs) -> np.ndarray:
    crs = CRS.from_user_input(crs)
    if not len(geoms):
        return np.zeros(0)
    geod = (crs.geodetic_crs or CRS.from_epsg(4490)).get_geod()
    if not crs.is_geographic:
        geoms = gpd.GeoSeries(geoms, crs=crs).to_crs(4490).values
    return np.array([geod.geometry_length(gm) if gm is not None else 0.0 for gm in geoms])


def plan_tables(plan: Plan) -> dict[str, pd.DataFrame]:
    """The relational tables with grid codes: ``units``, ``people``, ``roles``
    (grid_code, role, role_label, person id and name, unit id and name, duty)."""
    units = plan.units.reset_index()[["id", "name", "kind", "phone", "notes"]]
    people = plan.people.reset_index()
    people["unit_name"] = lookup(people["unit"], plan.units["name"])
    people = people[["id", "name", "post", "unit", "unit_name", "phone", "notes"]]
    r = plan.roles.reset_index()
    codes = plan.grids["code"]
    roles = pd.DataFrame({
        "grid_code": lookup(r["grid"], codes),
        "role": r["role"].values,
        "role_label": [ROLE_LABELS.get(k, (k,))[0] for k in r["role"]],
        "person": r["person"].values,
        "person_name": lookup(r["person"], plan.people["name"]),
        "unit": r["unit"].values,
        "unit_name": lookup(r["unit"], plan.units["name"]),
        "duty": r["duty"].values,
    })
    return {"units": units, "people": people, "roles": roles}
