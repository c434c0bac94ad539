"""What changed between two plans (再版对照): grids split, merged, added, removed,
boundaries moved (area moved between each pair of grids), renamed, recoded;
people and units per grid (who left, who came); segments and places reassigned.

Matching the grids of the two plans:

* ``lineage`` — the plans share history (two versions of one project, or a plan and
  a copy of it): a grid is the same grid when it has the same id, and the lineage
  column (:mod:`gridmap.core.lineage`) says which grids were split off or merged in;
* ``code+overlap`` — two plans from different sources: grids of a level are matched
  by their code first, the rest by area overlap (each covers ≥ 50 % of the other).

The result is one JSON-ready dict (``gridmap diff --json``, format ``gridmap-diff/1``,
documented in the README), with each change's geometry kept aside for the change
map and the ``--out`` layer.

>>> from shapely import box
>>> from gridmap.core.plan import Plan
>>> old = Plan.new("例", "EPSG:4547", levels="two")
>>> a = old.add_grid(box(0, 0, 10, 10), "large", code="A", name="甲")
>>> b = old.add_grid(box(10, 0, 20, 10), "large", code="B", name="乙")
>>> new = old.copy()
>>> new.grids.loc[a, "geometry"] = box(0, 0, 12, 10); new.grids.loc[b, "geometry"] = box(12, 0, 20, 10)
>>> d = diff_plans(old, new)
>>> d["matching"]["method"], [(c["type"], c["area_m2"]) for c in d["changes"]]
('lineage', [('boundary', 20.0)])
>>> d["changes"][0]["detail"]
'甲、乙边界调整：乙→甲 20 m²（20.0%）'
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import shapely

from .. import lineage as _lin
from ..crs import areas_m2
from ..messages import bi
from ..plan import Plan

__all__ = ["FORMAT", "diff_plans", "read_plan_ref", "PlanRef", "TYPE_LABELS", "change_geometries"]

FORMAT = "gridmap-diff/1"
#: change types, in the order they are listed, with their Chinese and English labels
TYPE_LABELS: dict[str, tuple[str, str]] = {
    "split": ("拆分", "split"),
    "merge": ("合并", "merge"),
    "replaced": ("重划", "replaced"),
    "added": ("新增", "added"),
    "removed": ("撤销", "removed"),
    "boundary": ("边界调整", "boundary moved"),
    "recoded": ("编码变更", "recoded"),
    "renamed": ("更名", "renamed"),
    "reparented": ("上级变更", "parent changed"),
    "jurisdiction": ("辖区调整", "jurisdiction changed"),
}
_ORDER = {t: i for i, t in enumerate(TYPE_LABELS)}
MIN_AREA = 0.01   # m²: smaller area moves are float noise of noded edges, not changes


# ---------------------------------------------------------------------- reading "PLAN.gpkg@版本"
@dataclass
class PlanRef:
    plan: Plan
    label: str
    path: str = ""
    version: str = ""


def read_plan_ref(text: str) -> PlanRef:
    """A plan from ``PLAN.gpkg`` (the working plan) or ``PLAN.gpkg@版本名`` (a saved version)."""
    from ..storage import StoreError, open_plan
    from .store import VersionError, load_version

    text = str(text)
    path, version = text, ""
    if not os.path.exists(text) and "@" in text:
        path, version = text.rsplit("@", 1)
    if not os.path.exists(path):
        raise StoreError(f"{path}: " + bi("文件不存在", "file not found"))
    plan = open_plan(path)
    if version:
        try:
            plan = load_version(plan, version)
        except VersionError as exc:
            raise StoreError(f"{path}: {exc}") from None
    return PlanRef(plan, text, os.path.normcase(os.path.abspath(path)), version)


# ---------------------------------------------------------------------- helpers
def _who(plan: Plan, gid) -> dict:
    g = plan.grids
    return {"id": int(gid), "code": str(g.at[gid, "code"] or ""), "name": str(g.at[gid, "name"] or "")}


def _label(d: dict) -> str:
    return d["name"] or d["code"] or f"#{d['id']}"


def _fmt_area(a: float) -> str:
    return f"{a / 1e6:,.3f} km²" if a >= 1e5 else f"{a:,.0f} m²"


def _shared_history(old: Plan, new: Plan) -> bool:
    """Same ids are the same grids: most ids both plans have keep their level and overlap themselves."""
    common = old.grids.index.intersection(new.grids.index)
    if len(common) == 0:
        return False
    if len(common) > 5000:
        common = common[np.linspace(0, len(common) - 1, 5000).astype(int)]
    og, ng = old.grids.geometry.loc[common].values, new.grids.geometry.loc[common].values
    same_level = old.grids.loc[common, "level"].to_numpy() == new.grids.loc[common, "level"].to_numpy()
    eq = shapely.equals_exact(og, ng, 0.0)
    rest = ~eq
    ok = eq.copy()
    if rest.any():
        inter = shapely.area(shapely.intersection(og[rest], ng[rest]))
        ok[rest] = inter >= 0.5 * np.minimum(shapely.area(og[rest]), shapely.area(ng[rest]))
    frac_common = len(old.grids.index.intersection(new.grids.index)) / max(1, min(len(old.grids), len(new.grids)))
    return bool((ok & same_level).mean() >= 0.9 and frac_common >= 0.5)


def _new_events(old: Plan, new: Plan, gid) -> list[tuple[str, list]]:
    """Lineage events of new grid ``gid`` that it did not have in ``old``."""
    lin_new = str(new.grids.at[gid, "lineage"] or "")
    had = set()
    if gid in old.grids.index:
        had = set(str(old.grids.at[gid, "lineage"] or "").split(";"))
    return [(k, xs) for e in lin_new.split(";") if e and e not in had for k, xs in _lin.events(e)]


# ---------------------------------------------------------------------- the diff
@dataclass
class _Match:
    o2n: dict = field(default_factory=dict)
    method: str = "lineage"
    counts: dict = field(default_factory=dict)


def _match(old: Plan, new: Plan, shared: bool | None) -> _Match:
    og, ng = old.grids, new.grids
    if shared is None:
        shared = _shared_history(old, new)
    m = _Match()
    if shared:
        common = og.index.intersection(ng.index)
        same = og.loc[common, "level"].to_numpy() == ng.loc[common, "level"].to_numpy()
        m.o2n = {int(i): int(i) for i in common[same]}
        # an id used again for another grid after its grid was merged away
        if "lineage" in ng.columns:
            for k in ng.index[ng["lineage"].astype(str).str.contains("merge:", regex=False)]:
                for kind, xs in _new_events(old, new, k):
                    if kind == "merge":
                        for a in xs:
                            if a != k and a in m.o2n:
                                del m.o2n[a]
        m.method = "lineage"
        m.counts = {"by_id": len(m.o2n)}
        return m
    m.method = "code+overlap"
    by_code = 0
    for lv in set(og["level"]) & set(ng["level"]):
        o = og[(og["level"] == lv) & (og["code"].astype(str) != "")]
        n = ng[(ng["level"] == lv) & (ng["code"].astype(str) != "")]
        oc = o["code"].astype(str)
        nc = n["code"].astype(str)
        ou = oc[~oc.duplicated(keep=False)]
        nu = nc[~nc.duplicated(keep=False)]
        j = pd.merge(pd.DataFrame({"o": ou.index, "code": ou.values}),
                     pd.DataFrame({"n": nu.index, "code": nu.values}), on="code")
        for a, b in zip(j["o"], j["n"]):
            m.o2n[int(a)] = int(b)
        by_code += len(j)
    by_overlap = 0
    taken = set(m.o2n.values())
    for lv in set(og["level"]) & set(ng["level"]):
        o = og[(og["level"] == lv) & ~og.index.isin(list(m.o2n))]
        n = ng[(ng["level"] == lv) & ~ng.index.isin(list(taken))]
        if not len(o) or not len(n):
            continue
        tree = shapely.STRtree(n.geometry.values)
        src, dst = tree.query(o.geometry.values, predicate="intersects")
        if not len(src):
            continue
        inter = shapely.area(shapely.intersection(o.geometry.values[src], n.geometry.values[dst]))
        ao = shapely.area(o.geometry.values[src])
        an = shapely.area(n.geometry.values[dst])
        ok = (inter >= 0.5 * ao) & (inter >= 0.5 * an)
        for s, d in zip(src[ok], dst[ok]):
            a, b = int(o.index[s]), int(n.index[d])
            if a not in m.o2n and b not in taken:
                m.o2n[a] = b
                taken.add(b)
                by_overlap += 1
    m.counts = {"by_code": by_code, "by_overlap": by_overlap}
    return m


def diff_plans(old: Plan, new: Plan, shared: bool | None = None, old_label: str = "", new_label: str = "",
               keep_geometry: bool = True) -> dict:
    """The changes from ``old`` to ``new`` (see the module docstring).  ``shared``: whether the
    plans share history (None: find out from their ids).  The changes' geometries are in
    ``result["_geometries"]`` (not part of the JSON) when ``keep_geometry``."""
    crs = new.crs
    og, ng = old.grids, new.grids
    m = _match(old, new, shared)
    o2n = m.o2n
    n2o = {b: a for a, b in o2n.items()}
    matched_o = np.fromiter(o2n.keys(), dtype=np.int64, count=len(o2n))
    matched_n = np.fromiter(o2n.values(), dtype=np.int64, count=len(o2n))

    # grids whose outline changed
    if len(matched_o):
        gm_o = og.geometry.loc[matched_o].values
        gm_n = ng.geometry.loc[matched_n].values
        moved = ~shapely.equals_exact(gm_o, gm_n, 0.0)
    else:
        moved = np.zeros(0, dtype=bool)
    unmatched_o = og.index[~og.index.isin(matched_o)].to_numpy()
    unmatched_n = ng.index[~ng.index.isin(matched_n)].to_numpy()
    ch_o = np.concatenate([matched_o[moved], unmatched_o]).astype(np.int64)
    ch_n = np.concatenate([matched_n[moved], unmatched_n]).astype(np.int64)

    # area flows between changed old and changed new grids of the same level
    flows: dict[tuple[int, int], float] = {}
    inter_geom: dict[tuple[int, int], object] = {}
    old_area = {}
    new_area = {}
    if len(ch_o) and len(ch_n):
        go = og.geometry.loc[ch_o].values
        gn = ng.geometry.loc[ch_n].values
        lo = og.loc[ch_o, "level"].to_numpy()
        ln = ng.loc[ch_n, "level"].to_numpy()
        old_area = dict(zip(ch_o.tolist(), areas_m2(go, old.crs)))
        new_area = dict(zip(ch_n.tolist(), areas_m2(gn, crs)))
        tree = shapely.STRtree(gn)
        src, dst = tree.query(go, predicate="intersects")
        keep = lo[src] == ln[dst]
        src, dst = src[keep], dst[keep]
        inter = shapely.intersection(go[src], gn[dst])
        areas = areas_m2(inter, crs)
        for s, d, a, g in zip(src, dst, areas, inter):
            if a > MIN_AREA:
                key = (int(ch_o[s]), int(ch_n[d]))
                flows[key] = float(a)
                inter_geom[key] = g
    out_of: dict[int, list] = {}
    into: dict[int, list] = {}
    for (a, b), v in flows.items():
        out_of.setdefault(a, []).append((b, v))
        into.setdefault(b, []).append((a, v))

    uo, un = set(unmatched_o.tolist()), set(unmatched_n.tolist())
    lineage_mode = m.method == "lineage" and "lineage" in ng.columns
    # origin of each unmatched new grid, destination of each unmatched old grid
    origin: dict[int, int] = {}
    dest: dict[int, int] = {}
    for n in un:
        src_old = None
        if lineage_mode:
            for kind, xs in reversed(_lin.events(ng.at[n, "lineage"])):
                if kind == "split" and xs and xs[0] in og.index and og.at[xs[0], "level"] == ng.at[n, "level"]:
                    src_old = xs[0]
                    break
        if src_old is None and into.get(n):
            a, v = max(into[n], key=lambda t: t[1])
            if v >= 0.5 * new_area.get(n, 0.0):
                src_old = a
        if src_old is not None:
            origin[n] = int(src_old)
    if lineage_mode:
        for k in ng.index[ng["lineage"].astype(str).str.contains("merge:", regex=False)]:
            for kind, xs in _new_events(old, new, k):
                if kind == "merge":
                    for a in xs:
                        if a in uo and a != k:
                            dest[int(a)] = int(k)
    for o in uo:
        if o in dest or not out_of.get(o):
            continue
        b, v = max(out_of[o], key=lambda t: t[1])
        if v >= 0.5 * old_area.get(o, 0.0):
            dest[o] = b

    changes: list[dict] = []
    geoms: list = []

    def flow_list(pairs) -> list[dict]:
        rows = []
        for a, b in sorted(pairs, key=lambda ab: -flows.get(ab, 0.0)):
            v = flows.get((a, b), 0.0)
            rows.append({"from": _who(old, a), "to": _who(new, b), "area_m2": round(v, 6),
                         "percent": round(100.0 * v / old_area[a], 6) if old_area.get(a) else None})
        return rows

    def add(kind, olds, news, area, detail, geom, flow_pairs=(), percent=None, level=None):
        lv = level or (str(ng.at[news[0], "level"]) if news else str(og.at[olds[0], "level"]))
        pt = shapely.point_on_surface(geom) if geom is not None and not geom.is_empty else None
        changes.append({
            "type": kind, "level": lv,
            "old": [_who(old, g) for g in olds], "new": [_who(new, g) for g in news],
            "area_m2": round(float(area), 6) if area is not None else None,
            "percent": None if percent is None else round(float(percent), 6),
            "flows": flow_list(flow_pairs), "detail": detail,
            "x": round(pt.x, 3) if pt is not None else None, "y": round(pt.y, 3) if pt is not None else None})
        geoms.append(geom)

    done_o: set = set()
    done_n: set = set()
    # splits
    pieces_of: dict[int, list] = {}
    for n, s in origin.items():
        pieces_of.setdefault(s, []).append(n)
    for s, pieces in sorted(pieces_of.items()):
        pieces = sorted(pieces)
        news = ([o2n[s]] if s in o2n else []) + pieces
        if s not in o2n and len(pieces) == 1 and dest.get(s, pieces[0]) == pieces[0]:
            n = pieces[0]
            add("replaced", [s], [n], new_area.get(n), f"{_label(_who(old, s))}重划为{_label(_who(new, n))}",
                ng.geometry[n], [(s, n)] if (s, n) in flows else ())
            done_o.add(s)
            done_n.add(n)
            continue
        cut = sum(flows.get((s, n), 0.0) for n in pieces)
        pairs = [(a, b) for (a, b) in flows if b in pieces or (a == s and b in news)]
        geom = shapely.union_all([ng.geometry[n] for n in pieces])
        add("split", [s], news, cut,
            f"原{_label(_who(old, s))}拆分为{'、'.join(_label(_who(new, n)) for n in news)}", geom, pairs,
            percent=100.0 * cut / old_area[s] if old_area.get(s) else None)
        done_o.add(s)
        done_n.update(pieces)
    # merges
    absorbed_by: dict[int, list] = {}
    for o, k in dest.items():
        if o not in done_o:
            absorbed_by.setdefault(k, []).append(o)
    for k, absorbed in sorted(absorbed_by.items()):
        absorbed = sorted(absorbed)
        olds = ([n2o[k]] if k in n2o else []) + absorbed
        if k not in n2o and len(absorbed) == 1:
            o = absorbed[0]
            add("replaced", [o], [k], new_area.get(k), f"{_label(_who(old, o))}重划为{_label(_who(new, k))}",
                ng.geometry[k], [(o, k)] if (o, k) in flows else ())
            done_o.add(o)
            done_n.add(k)
            continue
        moved_in = sum(flows.get((o, k), 0.0) for o in absorbed)
        pairs = [(a, b) for (a, b) in flows if a in absorbed or (b == k and a in olds)]
        geom = shapely.union_all([og.geometry[o] for o in absorbed])
        add("merge", olds, [k], moved_in,
            f"{'、'.join(_label(_who(old, o)) for o in olds)}合并为{_label(_who(new, k))}", geom, pairs,
            percent=100.0 * moved_in / sum(old_area.get(o, 0.0) for o in olds) if olds else None)
        done_o.update(absorbed)
        done_n.add(k)
    for n in sorted(un - done_n):
        pairs = [(a, n) for a, _ in into.get(n, [])]
        add("added", [], [n], new_area.get(n), f"新增{_label(_who(new, n))}", ng.geometry[n], pairs)
    for o in sorted(uo - done_o):
        pairs = [(o, b) for b, _ in out_of.get(o, [])]
        add("removed", [o], [], old_area.get(o), f"撤销{_label(_who(old, o))}", og.geometry[o], pairs)
    # boundaries moved between grids that are in both plans
    pair_flows: dict[tuple[int, int], list] = {}
    for (a, b), v in flows.items():
        if a in o2n and b in n2o and o2n[a] != b:
            na = o2n[a]
            key = (min(na, b), max(na, b))
            pair_flows.setdefault(key, []).append((a, b))
    for (x, y), pairs in sorted(pair_flows.items()):
        total = sum(flows[p] for p in pairs)
        ox, oy = n2o[x], n2o[y]
        parts = "；".join(f"{_label(_who(old, a))}→{_label(_who(new, b))} {_fmt_area(flows[(a, b)])}"
                         f"（{100.0 * flows[(a, b)] / old_area[a]:.1f}%）" for a, b in
                         sorted(pairs, key=lambda p: -flows[p]))
        geom = shapely.union_all([inter_geom[p] for p in pairs])
        add("boundary", [ox, oy], [x, y], total,
            f"{_label(_who(new, x))}、{_label(_who(new, y))}边界调整：{parts}", geom, pairs,
            percent=100.0 * total / max(old_area.get(ox, 0.0), old_area.get(oy, 0.0), 1e-12))
    # attributes of grids in both plans
    if len(matched_o):
        oa = og.loc[matched_o]
        na_ = ng.loc[matched_n]
        oc, nc = oa["code"].astype(str).to_numpy(), na_["code"].astype(str).to_numpy()
        on, nn = oa["name"].astype(str).to_numpy(), na_["name"].astype(str).to_numpy()
        op = pd.array(oa["parent"], dtype="Int64").fillna(-1).to_numpy()
        np_ = pd.array(na_["parent"], dtype="Int64").fillna(-1).to_numpy()
        op_mapped = np.asarray([o2n.get(int(p), -2) if p >= 0 else -1 for p in op])
        for i in np.nonzero(oc != nc)[0]:
            a, b = int(matched_o[i]), int(matched_n[i])
            add("recoded", [a], [b], None, f"{_label(_who(new, b))}编码 {oc[i] or '-'} → {nc[i] or '-'}",
                ng.geometry[b])
        for i in np.nonzero(on != nn)[0]:
            a, b = int(matched_o[i]), int(matched_n[i])
            add("renamed", [a], [b], None, f"{on[i] or oc[i]} 更名为 {nn[i] or '-'}", ng.geometry[b])
        for i in np.nonzero(op_mapped != np_)[0]:
            a, b = int(matched_o[i]), int(matched_n[i])
            if b in done_n:
                continue
            pold = _label(_who(old, int(op[i]))) if op[i] >= 0 else "-"
            pnew = _label(_who(new, int(np_[i]))) if np_[i] >= 0 else "-"
            add("reparented", [a], [b], None, f"{_label(_who(new, b))}上级 {pold} → {pnew}", ng.geometry[b])
    if not _same_geom(old.jurisdiction, new.jurisdiction):
        oj = old.jurisdiction if old.jurisdiction is not None else shapely.Polygon()
        nj = new.jurisdiction if new.jurisdiction is not None else shapely.Polygon()
        sd = shapely.symmetric_difference(oj, nj)
        a = float(areas_m2([sd], crs)[0]) if not sd.is_empty else 0.0
        if a > MIN_AREA:
            add("jurisdiction", [], [], a, f"辖区范围调整 {_fmt_area(a)}", sd, level="")
    order = sorted(range(len(changes)), key=lambda i: (_ORDER[changes[i]["type"]],
                                                        [g["code"] for g in changes[i]["old"] + changes[i]["new"]]))
    changes = [changes[i] for i in order]
    geoms = [geoms[i] for i in order]

    people = _people(old, new, o2n, uo - {o for o in dest if o not in pieces_of})
    segments = _reassigned(old, new, o2n, "segments", m.method == "lineage")
    places = _reassigned(old, new, o2n, "places", m.method == "lineage")
    summary: dict = {}
    for c in changes:
        summary[c["type"]] = summary.get(c["type"], 0) + 1
    summary.update(people=len(people), segments=len(segments), places=len(places))
    result = {
        "format": FORMAT,
        "old": {"source": old_label, "name": old.name, "grids": int(len(og))},
        "new": {"source": new_label, "name": new.name, "grids": int(len(ng))},
        "matching": {"method": m.method, **m.counts, "unmatched_old": int(len(uo)), "unmatched_new": int(len(un))},
        "changes": changes, "people": people, "segments": segments, "places": places, "summary": summary,
        "crs": _crs_text(crs),
    }
    if keep_geometry:
        result["_geometries"] = geoms
    return result


def _crs_text(crs) -> str:
    from ..storage.gpkg import _crs_text as t

    return t(crs)


def _same_geom(a, b) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return shapely.to_wkb(a) == shapely.to_wkb(b)


_ROLE_ZH = {"leader": "网格长", "deputy": "副网格长", "officer": "网格员", "lead_unit": "牵头单位",
            "responsible_unit": "责任单位", "partner": "协作力量"}


def _role_rows(plan: Plan) -> pd.DataFrame:
    r = plan.roles
    pid = pd.array(r["person"], dtype="Int64")
    uid = pd.array(r["unit"], dtype="Int64")
    pname = plan.people["name"].astype(str)
    pphone = plan.people["phone"].astype(str)
    uname = plan.units["name"].astype(str)
    names = []
    phones = []
    for p, u in zip(pid, uid):
        if p is not pd.NA and int(p) in pname.index:
            names.append(pname[int(p)])
            phones.append(pphone[int(p)])
        elif u is not pd.NA and int(u) in uname.index:
            names.append(uname[int(u)])
            phones.append("")
        else:
            names.append("")
            phones.append("")
    return pd.DataFrame({"grid": pd.array(r["grid"], dtype="Int64").fillna(-1).to_numpy(),
                         "role": r["role"].astype(str).to_numpy(), "name": names, "phone": phones})


def _people(old: Plan, new: Plan, o2n: dict, removed: set) -> list[dict]:
    """Who left and who came, per grid (by role and name; a phone tells two people of one name apart)."""
    ro, rn = _role_rows(old), _role_rows(new)
    ro["to"] = [o2n.get(int(g), -1) for g in ro["grid"]]
    key = ["role", "name", "phone"]
    o_in = ro[ro["to"] >= 0].rename(columns={"grid": "old_grid"}).rename(columns={"to": "grid"})
    mo = o_in.merge(rn[["grid", *key]].drop_duplicates(), on=["grid", *key], how="left", indicator=True)
    left = mo[mo["_merge"] == "left_only"]
    mn = rn.merge(o_in[["grid", *key]].drop_duplicates(), on=["grid", *key], how="left", indicator=True)
    came = mn[mn["_merge"] == "left_only"]
    gone = ro[ro["grid"].isin(list(removed))]
    out: dict = {}

    def entry(grid_new, grid_old):
        k = (grid_new, grid_old)
        if k not in out:
            e = {"grid": _who(new, grid_new) if grid_new >= 0 else None,
                 "old_grid": _who(old, grid_old) if grid_old >= 0 else None, "left": [], "came": []}
            out[k] = e
        return out[k]

    n2o = {b: a for a, b in o2n.items()}
    for r in left.itertuples(index=False):
        entry(int(r.grid), int(r.old_grid))["left"].append({"role": r.role, "name": r.name})
    for r in came.itertuples(index=False):
        g = int(r.grid)
        if g not in new.grids.index:
            continue
        entry(g, n2o.get(g, -1))["came"].append({"role": r.role, "name": r.name})
    for r in gone.itertuples(index=False):
        g = int(r.grid)
        if g in old.grids.index:
            entry(-1, g)["left"].append({"role": r.role, "name": r.name})
    rows = []
    for e in out.values():
        for side in ("left", "came"):
            e[side].sort(key=lambda x: (x["role"], x["name"]))
        e["detail"] = _people_text(e)
        rows.append(e)
    rows.sort(key=lambda e: ((e["grid"] or e["old_grid"])["code"], (e["grid"] or e["old_grid"])["id"]))
    return rows


def _people_text(e: dict) -> str:
    def names(xs):
        return "、".join(f"{x['name']}（{_ROLE_ZH.get(x['role'], x['role'])}）" for x in xs)

    parts = []
    if e["left"]:
        parts.append("离任：" + names(e["left"]))
    if e["came"]:
        parts.append("接任：" + names(e["came"]))
    return "；".join(parts)


def _reassigned(old: Plan, new: Plan, o2n: dict, table: str, by_id: bool) -> list[dict]:
    """Segments (or places) whose grid — or, for segments, officer — changed."""
    a, b = getattr(old, table), getattr(new, table)
    if not len(a) or not len(b):
        return []
    if by_id:
        common = a.index.intersection(b.index)
        pairs = list(zip(common, common))
    else:
        ka = pd.Series(a.index, index=[w for w in shapely.to_wkb(a.geometry.values)])
        kb = pd.Series(b.index, index=[w for w in shapely.to_wkb(b.geometry.values)])
        ka = ka[~ka.index.duplicated(keep=False)]
        kb = kb[~kb.index.duplicated(keep=False)]
        both = ka.index.intersection(kb.index)
        pairs = list(zip(ka[both].to_numpy(), kb[both].to_numpy()))
    if not pairs:
        return []
    ia = np.asarray([p[0] for p in pairs])
    ib = np.asarray([p[1] for p in pairs])
    ga = pd.array(a.loc[ia, "grid"], dtype="Int64").fillna(-1).to_numpy()
    gb = pd.array(b.loc[ib, "grid"], dtype="Int64").fillna(-1).to_numpy()
    mapped = np.asarray([o2n.get(int(g), -2) if g >= 0 else -1 for g in ga])
    diff = mapped != gb
    if table == "segments":
        oa = pd.array(a.loc[ia, "officer"], dtype="Int64").fillna(-1).to_numpy()
        ob = pd.array(b.loc[ib, "officer"], dtype="Int64").fillna(-1).to_numpy()
        name_a = [str(old.people.at[int(p), "name"]) if p >= 0 and p in old.people.index else "" for p in oa]
        name_b = [str(new.people.at[int(p), "name"]) if p >= 0 and p in new.people.index else "" for p in ob]
        off_diff = np.asarray([x != y for x, y in zip(name_a, name_b)], dtype=bool)
    else:
        off_diff = np.zeros(len(ia), dtype=bool)
    rows = []
    label = "road_name" if table == "segments" else "name"
    for i in np.nonzero(diff | off_diff)[0]:
        r = {"id": int(ib[i]), "name": str(b.at[ib[i], label] or ""),
             "old_grid": _who(old, int(ga[i])) if ga[i] >= 0 and ga[i] in old.grids.index else None,
             "new_grid": _who(new, int(gb[i])) if gb[i] >= 0 and gb[i] in new.grids.index else None,
             "grid_changed": bool(diff[i])}
        if table == "segments":
            r["old_officer"], r["new_officer"] = name_a[i], name_b[i]
            r["officer_changed"] = bool(off_diff[i])
        rows.append(r)
    return rows


def change_geometries(result: dict):
    """The changes as a GeoDataFrame (type, label, old/new codes, area, percent, detail) for ``--out``."""
    import geopandas as gpd

    geoms = result.get("_geometries") or [None] * len(result["changes"])
    rows = []
    for c, g in zip(result["changes"], geoms):
        rows.append({"type": c["type"], "type_zh": TYPE_LABELS[c["type"]][0], "level": c["level"],
                     "old_codes": ",".join(x["code"] for x in c["old"]),
                     "new_codes": ",".join(x["code"] for x in c["new"]),
                     "old_names": "、".join(x["name"] for x in c["old"]),
                     "new_names": "、".join(x["name"] for x in c["new"]),
                     "area_m2": c["area_m2"], "percent": c["percent"], "detail": c["detail"],
                     "geometry": g if g is not None and not g.is_empty else None})
    return gpd.GeoDataFrame(rows, geometry="geometry", crs=result.get("crs"))
