"""Propose grids of a level from the road network, with balanced workload (智能划分).

For every parent grid (or the jurisdiction, for the top level): street blocks
from the roads (:mod:`.blocks`), a workload per block from the planner's
weights (area, road length, places, population), and a balanced, contiguous,
compact partition of the block graph into the parent's number of grids
(:mod:`.partition`).  Grids are unions of whole blocks, so their boundaries run
along roads or the parent's edge and they nest in the parent exactly.

:func:`propose` computes a :class:`Proposal` without changing the plan;
:func:`apply_command` turns it into one undoable step for the edit buffer
(unlocked existing grids of those parents replaced, codes numbered, places and
street segments re-assigned).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from ..crs import is_metric, to_crs
from ..messages import bi
from ..plan import Plan
from .blocks import compactness, shared_edges, street_blocks_of
from .partition import METHODS, PartitionError, partition

__all__ = ["ProposalSettings", "Proposal", "ProposalError", "propose", "apply_command", "measure_division",
           "measure_existing",
           "MEASURES", "parse_weights", "allocate_k"]

MEASURES = {
    "area": ("面积", "area"),
    "roads": ("道路长度", "road length"),
    "places": ("场所数", "places"),
    "population": ("人口", "population"),
}


class ProposalError(ValueError):
    """Settings or data a proposal cannot be made from (one bilingual sentence)."""


def parse_weights(text: str) -> dict[str, float]:
    """``"area=1,roads=1,places=1"`` → weights.

    >>> parse_weights("area=1, roads=2")
    {'area': 1.0, 'roads': 2.0}
    >>> parse_weights("speed=1")
    Traceback (most recent call last):
    ...
    gridmap.core.proposals.propose.ProposalError: 未知的工作量指标 speed（可用 area, roads, places, population） / unknown workload measure speed (known: area, roads, places, population)
    """
    out: dict[str, float] = {}
    for part in str(text or "").split(","):
        part = part.strip()
        if not part:
            continue
        key, _, val = part.partition("=")
        key = key.strip()
        if key not in MEASURES:
            raise ProposalError(bi(f"未知的工作量指标 {key}（可用 {', '.join(MEASURES)}）",
                                   f"unknown workload measure {key} (known: {', '.join(MEASURES)})"))
        try:
            out[key] = float(val) if val.strip() else 1.0
        except ValueError:
            raise ProposalError(bi(f"权重 {part} 不是数字", f"weight {part} is not a number")) from None
        if out[key] < 0 or not math.isfinite(out[key]):
            raise ProposalError(bi(f"权重 {part} 必须是非负数", f"weight {part} must be a non-negative number"))
    if out and sum(out.values()) <= 0:
        raise ProposalError(bi("权重不能全为 0", "the weights cannot all be 0"))
    return out


@dataclass
class ProposalSettings:
    """What a planner chooses.  ``k``: grids in all parents together (shared out by
    workload) unless ``k_per_parent`` ({parent id: k}) names a parent's own."""

    level: str
    k: int | None = None
    k_per_parent: dict = field(default_factory=dict)
    parents: list | None = None          # parent grid ids (None: every parent of the level above)
    weights: dict = field(default_factory=lambda: {"area": 1.0, "roads": 1.0, "places": 1.0})
    method: str = "auto"
    locked: list = field(default_factory=list)   # existing grids kept as they are
    keep_roads: list = field(default_factory=list)  # road names that must stay grid boundaries
    min_area_m2: float = 0.0
    max_area_m2: float = 0.0
    block_min_width: float = 15.0
    block_min_area: float = 2000.0
    compactness_weight: float = 0.1
    population_field: str = "population"
    population_points: object = None     # a points layer (GeoDataFrame, any CRS) with population_field


@dataclass
class Proposal:
    """Proposed grids (``grids``: parent, geometry, measures, workload, deviation %) and
    the blocks they are made of (``blocks``), with summary ``metrics``."""

    settings: ProposalSettings
    level: str
    grids: gpd.GeoDataFrame
    blocks: gpd.GeoDataFrame
    replaced: list
    metrics: dict

    def to_json(self) -> dict:
        rows = []
        for i, r in self.grids.iterrows():
            rows.append({"grid": int(i), "parent": None if pd.isna(r["parent"]) else int(r["parent"]),
                         "parent_code": r["parent_code"], "blocks": int(r["blocks"]),
                         "area_m2": round(float(r["area_m2"]), 1), "road_m": round(float(r["road_m"]), 1),
                         "places": int(r["places"]), "population": float(r["population"]),
                         "workload": round(float(r["workload"]), 4),
                         "deviation_pct": round(float(r["deviation_pct"]), 2),
                         "compactness": round(float(r["compactness"]), 3)})
        return {"level": self.level, "grids": rows, "metrics": self.metrics,
                "replaced": [int(g) for g in self.replaced]}


def _roads_array(plan: Plan, roads) -> tuple[np.ndarray, np.ndarray]:
    """Road lines in the plan CRS and their names."""
    if roads is None or len(roads) == 0:
        raise ProposalError(bi("没有道路数据：请指定道路图层", "no roads: give a road layer"))
    geoms = roads.geometry.values
    if roads.crs is not None and not plan.crs.equals(roads.crs):
        geoms = to_crs(geoms, roads.crs, plan.crs)
    geoms = np.asarray(geoms, dtype=object)
    kinds = shapely.get_type_id(geoms)
    ok = np.isin(kinds, (1, 2, 5)) & ~shapely.is_empty(geoms)
    if not ok.any():
        raise ProposalError(bi("道路图层中没有线要素", "the road layer has no lines"))
    names = roads["name"].fillna("").astype(str).to_numpy() if "name" in roads else np.full(len(roads), "")
    return geoms[ok], names[ok]


def allocate_k(total: int, loads: dict, caps: dict) -> dict:
    """Share ``total`` grids among parents in proportion to their workload (largest
    remainder), at least 1 and at most ``caps[p]`` (its number of blocks) each.

    >>> allocate_k(5, {1: 3.0, 2: 1.0}, {1: 10, 2: 10})
    {1: 4, 2: 1}
    """
    parents = list(loads)
    if total < len(parents):
        raise ProposalError(bi(f"要划分 {total} 个网格，但有 {len(parents)} 个上级网格（每个至少一个）",
                               f"{total} grids requested for {len(parents)} parent grids (each needs at least one)"))
    out = {p: 1 for p in parents}
    left = total - len(parents)
    tot = sum(loads.values()) or 1.0
    while left > 0:
        open_ = [p for p in parents if out[p] < caps[p]]
        if not open_:
            break
        # the parent whose grids would be heaviest (workload per grid) gets the next one
        p = max(open_, key=lambda q: (loads[q] / tot / out[q], -parents.index(q)))
        out[p] += 1
        left -= 1
    return out


def _numbers(frame, column: str) -> np.ndarray:
    return pd.to_numeric(frame[column], errors="coerce").fillna(0).to_numpy(dtype=float)


def block_population(plan, blocks, pop_field: str = "population", points=None) -> np.ndarray:
    """Population of each block (``blocks``: polygons in the plan's CRS), from whatever gives it:

    * a **points layer** (``points``: e.g. building or address points with a population field; any CRS):
      each point's number goes to the block containing it;
    * the plan's **places** with that field (a compound's 户籍人口): likewise;
    * a field of the plan's **grids** (the population each present grid holds): shared among the blocks
      by the area of the block inside each grid (areal weighting).

    They add up (a planner gives one of them as a rule).

    >>> import geopandas as gpd
    >>> from shapely import box, Point
    >>> from gridmap.core.plan import Plan
    >>> plan = Plan.new("x", "EPSG:4547")
    >>> b = gpd.GeoDataFrame(geometry=[box(0, 0, 10, 10), box(10, 0, 20, 10)], crs="EPSG:4547")
    >>> pts = gpd.GeoDataFrame({"population": [120, 30, 50]}, geometry=[Point(1, 1), Point(2, 2), Point(15, 5)],
    ...                        crs="EPSG:4547")
    >>> block_population(plan, b, points=pts).tolist()
    [150.0, 50.0]
    """
    geoms = np.asarray(blocks.geometry.values, dtype=object)
    pop = np.zeros(len(geoms))
    if not len(geoms):
        return pop
    tree = shapely.STRtree(geoms)
    sources = []
    if points is not None and len(points):
        if pop_field not in points.columns:
            raise ProposalError(bi(f"人口图层没有字段 {pop_field}", f"the population layer has no field {pop_field}"))
        pts = np.asarray(points.geometry.values, dtype=object)
        if points.crs is not None and not plan.crs.equals(points.crs):
            pts = np.asarray(to_crs(pts, points.crs, plan.crs), dtype=object)
        sources.append((pts, _numbers(points, pop_field)))
    places = plan.places
    if len(places) and pop_field in places.columns:
        sources.append((np.asarray(places.geometry.values, dtype=object), _numbers(places, pop_field)))
    for pts, vals in sources:
        ok = ~shapely.is_empty(pts) & ~shapely.is_missing(pts)
        pts, vals = shapely.point_on_surface(pts[ok]), vals[ok]
        src, dst = tree.query(pts, predicate="within")
        np.add.at(pop, dst, vals[src])
    grids = plan.grids
    if len(grids) and pop_field in grids.columns:
        vals = _numbers(grids, pop_field)
        has = vals > 0
        if has.any():
            gg = np.asarray(grids.geometry.values, dtype=object)[has]
            vals = vals[has]
            src, dst = tree.query(gg, predicate="intersects")
            if len(src):
                inside = shapely.area(shapely.intersection(gg[src], geoms[dst]))
                whole = shapely.area(gg)[src]
                np.add.at(pop, dst, np.where(whole > 0, vals[src] * inside / np.maximum(whole, 1e-12), 0.0))
    return pop


def _block_measures(plan, b, parent_ids, weights, pop_field, points=None) -> pd.DataFrame:
    places = plan.places
    n = len(b)
    counts = np.zeros(n)
    if len(places):
        pts = shapely.point_on_surface(places.geometry.values)
        src, dst = shapely.STRtree(b.geometry.values).query(pts, predicate="within")
        np.add.at(counts, dst, 1.0)
    pop = block_population(plan, b, pop_field, points)
    return pd.DataFrame({"area_m2": shapely.area(b.geometry.values), "road_m": b["road_m"].to_numpy(),
                         "places": counts, "population": pop}, index=b.index)


_COL = {"area": "area_m2", "roads": "road_m", "places": "places", "population": "population"}


def _workload(m: pd.DataFrame, weights: dict, means: dict | None = None) -> tuple[np.ndarray, dict, dict]:
    """Each measure divided by its mean over the blocks (so weights are unit-free), weighted.
    Returns the workloads, the weights used and the means (to measure other grids alike)."""
    w = np.zeros(len(m))
    used, out_means = {}, {}
    for key, wt in weights.items():
        col = m[_COL[key]].to_numpy(dtype=float)
        mean = (means or {}).get(key, col.mean() if len(col) else 0.0)
        if wt <= 0 or mean <= 0:
            continue
        w += wt * col / mean
        used[key] = wt
        out_means[key] = float(mean)
    if not used:
        mean = (means or {}).get("area", max(m["area_m2"].mean(), 1e-9))
        w = m["area_m2"].to_numpy(dtype=float) / mean
        used, out_means = {"area": 1.0}, {"area": float(mean)}
    return w, used, out_means


def metric_copy(plan: Plan) -> tuple[Plan, object]:
    """``(plan, None)`` for a plan in metres; for a lon/lat plan a copy projected to its suggested
    CRS (:func:`~gridmap.core.crs.suggest_crs`: the CGCS2000 3° Gauss-Krüger zone of its centre in
    China, UTM elsewhere) and that CRS.  Blocks, widths, areas and compactness are measured there.
    A projected plan in other units (feet) is refused."""
    if is_metric(plan.crs):
        return plan, None
    if not plan.crs.is_geographic:
        raise ProposalError(bi("智能划分需要以米为单位的坐标系（本方案的投影坐标系单位不是米）",
                               "proposals need a CRS in metres (this plan's projected CRS is not in metres)"))
    from ..crs import suggest_crs

    extent = plan.jurisdiction
    if extent is None or shapely.is_empty(extent):
        geoms = plan.grids.geometry.values
        if not len(geoms):
            raise ProposalError(bi("方案没有辖区边界", "the plan has no jurisdiction boundary"))
        extent = shapely.envelope(shapely.GeometryCollection(list(geoms)))
    work = suggest_crs(extent, plan.crs)
    out = plan.copy()
    out.crs = work
    for attr in ("grids", "places", "segments"):
        df = getattr(out, attr)
        setattr(out, attr, _reproject(df, plan.crs, work))
    if out.jurisdiction is not None:
        out.jurisdiction = to_crs(np.array([out.jurisdiction], dtype=object), plan.crs, work)[0]
    return out, work


def _reproject(df, src, dst, back=None):
    col = df.geometry.name
    out = df.copy()
    geoms = np.asarray(df.geometry.values, dtype=object)
    if len(df):
        geoms = to_crs(geoms, src, dst) if back is None else shapely.transform(geoms, back)
    out[col] = gpd.GeoSeries(geoms if len(df) else [], index=df.index, crs=dst)
    return gpd.GeoDataFrame(out, geometry=col, crs=dst)


def _ring_segments(geoms) -> np.ndarray:
    """(n, 2, 2) array of the segments of the rings of polygonal geometries."""
    rings = shapely.get_rings(shapely.get_parts(np.asarray(geoms, dtype=object)))
    if not len(rings):
        return np.zeros((0, 2, 2))
    xy, ri = shapely.get_coordinates(rings, return_index=True)
    same = ri[1:] == ri[:-1]
    return np.stack([xy[:-1][same], xy[1:][same]], axis=1)


def _back_projection(plan: Plan, metric: Plan, region=None):
    """``xy -> xy`` from the metric copy back to the plan's lon/lat: a vertex that is one of the
    plan's own (a grid's or the jurisdiction's, as projected by :func:`metric_copy`) gets its
    original coordinates back exactly, so proposed grids still share their edges vertex for
    vertex with the grids beside them; any other vertex is projected back."""
    from ..crs import transformer

    orig = [plan.grids.geometry.values, np.array([plan.jurisdiction], dtype=object)]
    proj = [metric.grids.geometry.values, np.array([metric.jurisdiction], dtype=object)]
    a = np.concatenate([shapely.get_coordinates(g) for g in orig if g is not None and len(g) and g[0] is not None])
    b = np.concatenate([shapely.get_coordinates(g) for g in proj if g is not None and len(g) and g[0] is not None])
    # the plan's segments (consecutive vertices of one ring), projected and as they are
    ends = np.concatenate([_ring_segments(g) for g in orig if g is not None and len(g) and g[0] is not None])
    seg_ll = ends
    seg_m = np.concatenate([_ring_segments(g) for g in proj if g is not None and len(g) and g[0] is not None])
    key = np.ascontiguousarray(b).view(np.complex128).ravel()
    order = np.argsort(key)
    key, a = key[order], a[order]
    t = transformer(metric.crs, plan.crs)
    inside = region
    if inside is not None:
        shapely.prepare(inside)
    tree = shapely.STRtree(shapely.linestrings(seg_m.reshape(-1, 2, 2))) if len(seg_m) else None

    def back(xy):
        out = np.column_stack(t.transform(xy[:, 0], xy[:, 1]))
        q = np.ascontiguousarray(xy).view(np.complex128).ravel()
        pos = np.clip(np.searchsorted(key, q), 0, max(len(key) - 1, 0))
        hit = (key[pos] == q) if len(key) else np.zeros(len(q), dtype=bool)
        out[hit] = a[pos[hit]]
        # a new vertex on one of the plan's edges (a road crossing a parent's boundary) stays on
        # that edge: the same fraction of it in lon/lat (projected back on its own it would fall
        # ~1 mm off, which leaves slivers outside the parent)
        rest = np.flatnonzero(~hit)
        if tree is not None and len(rest):
            src, seg = tree.query(shapely.points(xy[rest]), predicate="dwithin", distance=1e-6)
            if len(src):
                _, first = np.unique(src, return_index=True)
                src, seg = src[first], seg[first]
                p0, p1 = seg_m[seg, 0], seg_m[seg, 1]
                d = p1 - p0
                f = np.clip(((xy[rest[src]] - p0) * d).sum(axis=1) / np.maximum((d * d).sum(axis=1), 1e-300), 0, 1)
                l0, l1 = seg_ll[seg, 0], seg_ll[seg, 1]
                pt = l0 + f[:, None] * (l1 - l0)
                if inside is not None:
                    # rounding may put it a hair beyond the edge, inside the grid across it: then move
                    # it a hair (1e-12 of a degree) into the area being divided instead
                    off = ~shapely.covers(inside, shapely.points(pt))
                    if off.any():
                        d = (l1 - l0)[off]
                        nrm = np.column_stack([-d[:, 1], d[:, 0]]) / np.maximum(np.hypot(d[:, 0], d[:, 1]),
                                                                               1e-300)[:, None]
                        for step in (1e-12, 1e-11, 1e-10):
                            cand = pt[off] + nrm * step
                            ok = shapely.covers(inside, shapely.points(cand))
                            cand2 = pt[off] - nrm * step
                            ok2 = shapely.covers(inside, shapely.points(cand2)) & ~ok
                            sub = pt[off]
                            sub[ok] = cand[ok]
                            sub[ok2] = cand2[ok2]
                            pt[off] = sub
                            left = ~(ok | ok2)
                            if not left.any():
                                break
                            idx = np.flatnonzero(off)
                            off = np.zeros(len(pt), dtype=bool)
                            off[idx[left]] = True
                out[rest[src]] = pt
        return out

    return back


def propose(plan: Plan, roads, settings: ProposalSettings) -> Proposal:
    """A proposal for ``settings.level`` (nothing in the plan is changed).

    A lon/lat plan is proposed in its suggested projected CRS (:func:`metric_copy`) and the
    proposal's grids and blocks are brought back to the plan's CRS; the measures stay in metres
    (``metrics["measured_in"]`` names the CRS)."""
    metric, work = metric_copy(plan)
    if work is not None:
        pr = propose(metric, roads, settings)
        parents = pr.grids["parent"].dropna().astype(int).unique().tolist()
        region = shapely.union_all([plan.grids.geometry[int(p)] for p in parents]) if parents else plan.jurisdiction
        back = _back_projection(plan, metric, region)
        for attr in ("grids", "blocks"):
            df = getattr(pr, attr)
            setattr(pr, attr, _reproject(df, work, plan.crs, back))
        pr.metrics["measured_in"] = work.to_string()
        return pr
    level = plan.level(settings.level).key
    if settings.method not in METHODS:
        raise ProposalError(bi(f"未知的划分方法 {settings.method}", f"unknown partition method {settings.method}")
                            + f" ({', '.join(METHODS)})")
    li = plan.level_index(level)
    lines, names = _roads_array(plan, roads)
    if li == 0:
        if plan.jurisdiction is None:
            raise ProposalError(bi("方案没有辖区边界", "the plan has no jurisdiction boundary"))
        containers = {None: plan.jurisdiction}
    else:
        up = plan.levels[li - 1].key
        pg = plan.grids_of_level(up)
        ids = list(pg.index) if settings.parents is None else [int(p) for p in settings.parents]
        for p in ids:
            if p not in pg.index:
                raise ProposalError(bi(f"上级网格 {p} 不存在或不是{plan.levels[li - 1].name}",
                                       f"parent grid {p} does not exist or is not a {plan.levels[li - 1].name_en}"))
        if not ids:
            raise ProposalError(bi(f"没有{plan.levels[li - 1].name}可划分", f"no {plan.levels[li - 1].name_en} to divide"))
        containers = {int(p): pg.geometry[p] for p in ids}
    locked = {int(g) for g in settings.locked}
    level_grids = plan.grids_of_level(level)
    for g in locked:
        if g not in level_grids.index:
            raise ProposalError(bi(f"锁定的网格 {g} 不是本级网格", f"locked grid {g} is not a grid of this level"))
    replaced, free = [], {}
    for p, geom in containers.items():
        kids = level_grids if p is None else level_grids[level_grids["parent"] == p]
        keep = [int(g) for g in kids.index if int(g) in locked]
        replaced += [int(g) for g in kids.index if int(g) not in locked]
        area = geom
        if keep:
            area = shapely.difference(geom, shapely.union_all(kids.geometry[keep].values))
        free[p] = area
    if any(int(g) in plan.grids["parent"].dropna().astype(int).tolist() for g in replaced):
        raise ProposalError(bi("要替换的网格还有下级网格：请先锁定或删除它们",
                               "grids to be replaced have child grids: lock or delete them first"))
    keep_lines = None
    if settings.keep_roads:
        wanted = set(settings.keep_roads)
        missing = wanted - set(names.tolist())
        if missing:
            raise ProposalError(bi(f"道路图层中没有名为 {'、'.join(sorted(missing))} 的道路",
                                   f"the road layer has no road named {', '.join(sorted(missing))}"))
        keep_lines = shapely.union_all(lines[np.isin(names, list(wanted))]).buffer(2.0)

    # blocks of each parent
    frames = []
    usable = [p for p, area in free.items() if area is not None and not area.is_empty and area.area >= 1.0]
    made = street_blocks_of(lines, [free[p] for p in usable], min_width=settings.block_min_width,
                            min_area=settings.block_min_area) if usable else []
    for p, b in zip(usable, made):
        if not len(b.blocks):
            continue
        frames.append(gpd.GeoDataFrame({"parent": [p] * len(b.blocks), "road_m": b.road_m},
                                       geometry=list(b.blocks), crs=plan.crs))
    if not frames:
        raise ProposalError(bi("没有可划分的街区", "no blocks to divide"))
    blocks = pd.concat(frames, ignore_index=True)
    blocks = gpd.GeoDataFrame(blocks, geometry="geometry", crs=plan.crs)
    measures = _block_measures(plan, blocks, list(free), settings.weights, settings.population_field,
                               settings.population_points)
    for c in measures.columns:
        blocks[c] = measures[c].to_numpy()
    work, used, means = _workload(measures, settings.weights)
    blocks["workload"] = work

    # k per parent
    parents = [p for p in free if (blocks["parent"].astype(object) == p).any()
               or (p is None and blocks["parent"].isna().any())]
    pmask = {p: (blocks["parent"].isna() if p is None else blocks["parent"] == p).to_numpy() for p in parents}
    caps = {p: int(pmask[p].sum()) for p in parents}
    if settings.k_per_parent:
        ks = {p: int(settings.k_per_parent.get(p, 0)) for p in parents}
        bad = [p for p, k in ks.items() if k < 1]
        if bad:
            raise ProposalError(bi(f"未给上级网格 {_pname(plan, bad[0])} 指定网格数",
                                   f"no number of grids given for parent {_pname(plan, bad[0])}"))
    else:
        if not settings.k or settings.k < 1:
            raise ProposalError(bi("请指定要划分的网格数（k ≥ 1）", "give the number of grids (k ≥ 1)"))
        ks = allocate_k(int(settings.k), {p: float(work[pmask[p]].sum()) for p in parents}, caps)
        if sum(ks.values()) < settings.k:
            raise ProposalError(bi(f"只有 {len(blocks)} 个街区，少于要划分的 {settings.k} 个网格",
                                   f"only {len(blocks)} blocks, fewer than the {settings.k} grids requested"))

    labels = np.full(len(blocks), -1)
    out_rows = []
    for p in parents:
        idx = np.flatnonzero(pmask[p])
        geoms = blocks.geometry.values[idx]
        nb = shared_edges(geoms)
        if keep_lines is not None:
            nb = _cut_kept(geoms, nb, keep_lines)
        try:
            lab = partition(work[idx], nb, ks[p], areas=shapely.area(geoms), perimeters=shapely.length(geoms),
                            method=settings.method, alpha=settings.compactness_weight,
                            min_area=settings.min_area_m2, max_area=settings.max_area_m2)
        except PartitionError as exc:
            raise ProposalError(f"{_pname(plan, p)}: {exc}") from None
        base = len(out_rows)
        labels[idx] = lab + base
        for r in range(ks[p]):
            members = idx[lab == r]
            geom = shapely.coverage_union_all(blocks.geometry.values[members])
            out_rows.append(dict(parent=p, parent_code="" if p is None else str(plan.grids.at[p, "code"]),
                                 blocks=len(members), geometry=geom,
                                 **{c: float(measures[c].to_numpy()[members].sum()) for c in measures.columns},
                                 workload=float(work[members].sum())))
    blocks["proposed"] = labels
    grids = gpd.GeoDataFrame(out_rows, geometry="geometry", crs=plan.crs)
    grids["parent"] = pd.array(grids["parent"], dtype="Int64")
    grids["compactness"] = compactness(grids.geometry.values)
    dev = np.zeros(len(grids))
    for p in parents:
        m = (grids["parent"].isna() if p is None else grids["parent"] == p).to_numpy()
        mean = grids.loc[m, "workload"].mean()
        dev[m] = (grids.loc[m, "workload"].to_numpy() - mean) / mean * 100 if mean > 0 else 0.0
    grids["deviation_pct"] = dev
    grids.index = pd.RangeIndex(1, len(grids) + 1, name="proposed")
    metrics = measure_division(grids.geometry.values, grids["workload"].to_numpy(), grids["parent"].to_numpy(),
                               lines, {p: containers[p] for p in parents})
    metrics.update(blocks=int(len(blocks)), grids=int(len(grids)), weights=used, means=means,
                   method=settings.method,
                   k_per_parent={("" if p is None else str(plan.grids.at[p, "code"])): int(ks[p]) for p in parents})
    return Proposal(settings=settings, level=level, grids=grids, blocks=blocks, replaced=replaced, metrics=metrics)


def measure_existing(plan: Plan, roads, level: str, parents: list, weights: dict, means: dict,
                     pop_field: str = "population", min_width: float = 15.0, points=None) -> dict:
    """The metrics of :func:`measure_division` for the plan's own grids of ``level`` in
    ``parents`` (e.g. the hand-made division), with workloads measured like a
    proposal's: road edges shared half and half, each measure divided by ``means``."""
    from .blocks import _road_lengths, network_edges

    plan, _ = metric_copy(plan)
    lines, _ = _roads_array(plan, roads)
    level = plan.level(level).key
    g = plan.grids_of_level(level)
    rows, geoms, pars, containers = [], [], [], {}
    for p in parents:
        kids = g if p is None else g[g["parent"] == p]
        if not len(kids):
            continue
        cont = plan.jurisdiction if p is None else plan.grids.geometry[p]
        containers[p] = cont
        edges = network_edges(lines, cont, min_width=min_width)
        road = _road_lengths(edges, lines, kids.geometry.values)
        geoms += list(kids.geometry.values)
        pars += [p] * len(kids)
        for geom, r in zip(kids.geometry.values, road):
            rows.append({"area_m2": geom.area, "road_m": r})
    m = pd.DataFrame(rows)
    frame = gpd.GeoDataFrame(m, geometry=geoms, crs=plan.crs)
    extra = _block_measures(plan, frame.assign(road_m=m["road_m"].to_numpy()), parents, weights, pop_field, points)
    work, _, _ = _workload(extra, weights, means)
    out = measure_division(geoms, work, pars, lines, containers)
    out["grids"] = len(geoms)
    return out


def _pname(plan, p) -> str:
    if p is None:
        return bi("辖区", "jurisdiction")
    r = plan.grids.loc[p]
    return str(r["name"] or r["code"] or p)


def _cut_kept(geoms, nb, keep_lines) -> dict:
    """Drop graph edges whose shared block edge lies on a road that must stay a boundary."""
    out = {i: dict(v) for i, v in nb.items()}
    for i, nbs in nb.items():
        for j in nbs:
            if i < j:
                edge = shapely.intersection(shapely.boundary(geoms[i]), shapely.boundary(geoms[j]))
                if edge.length > 0 and shapely.intersection(edge, keep_lines).length >= 0.5 * edge.length:
                    out[i].pop(j, None)
                    out[j].pop(i, None)
    return out


def _segments(lines) -> np.ndarray:
    """Every straight piece of some lines, as 2-point lines."""
    coords, idx = shapely.get_coordinates(np.asarray(lines, dtype=object), return_index=True)
    same = idx[1:] == idx[:-1]
    a, b = coords[:-1][same], coords[1:][same]
    return shapely.linestrings(np.stack([a, b], axis=1)) if len(a) else np.zeros(0, dtype=object)


def _length_near(lines, targets, tol: float, step: float = 5.0) -> float:
    """Length of ``lines`` lying within ``tol`` of ``targets`` (pieces of at most ``step`` m
    judged by their midpoints)."""
    lines = shapely.segmentize(np.asarray(lines, dtype=object), step)
    segs = _segments(lines)
    if not len(segs) or not len(targets):
        return 0.0
    mids = shapely.line_interpolate_point(segs, 0.5, normalized=True)
    src, _ = shapely.STRtree(np.asarray(targets, dtype=object)).query(mids, predicate="dwithin", distance=tol)
    near = np.zeros(len(segs), dtype=bool)
    near[src] = True
    return float(shapely.length(segs[near]).sum())


def measure_division(geoms, workload, parents, road_lines, containers: dict, tol: float = 1.0) -> dict:
    """Balance, compactness and boundaries-on-roads of a division (proposed or hand-made):
    workload deviation from the mean of each parent (max and mean, %), Polsby–Popper
    compactness (mean, min), and the share of grid boundary length within ``tol`` metres
    of a road or of the parent's edge.

    >>> from shapely import box, LineString
    >>> m = measure_division([box(0, 0, 1, 1), box(1, 0, 3, 1)], [1.0, 3.0], [None, None],
    ...                      [LineString([(1, -1), (1, 2)])], {None: box(0, 0, 3, 1)}, tol=0.01)
    >>> m["max_deviation_pct"], m["boundary_on_roads_pct"], m["compactness_min"]
    (50.0, 100.0, 0.698)
    """
    geoms = np.asarray(geoms, dtype=object)
    workload = np.asarray(workload, dtype=float)
    parents = pd.array(list(parents), dtype="Int64")
    devs = np.zeros(len(geoms))
    edges_ok = 0.0
    edges_all = 0.0
    road_lines = np.asarray(road_lines, dtype=object)
    for p, cont in containers.items():
        m = np.asarray(pd.isna(parents) if p is None else (parents == p).fillna(False), dtype=bool)
        if not m.any():
            continue
        mean = workload[m].mean()
        devs[m] = np.abs(workload[m] - mean) / mean * 100 if mean > 0 else 0
        env = shapely.buffer(shapely.envelope(cont), 10 * tol + 1)
        near = road_lines[shapely.intersects(road_lines, env)]
        targets = list(near) + list(shapely.get_parts(shapely.boundary(cont)))
        bound = shapely.get_parts(shapely.union_all(shapely.boundary(geoms[m])))
        edges_all += float(shapely.length(bound).sum())
        edges_ok += _length_near(bound, targets, tol)
    pp = compactness(geoms)
    single = int(sum(1 for g in geoms if g.geom_type == "Polygon"))
    return {"max_deviation_pct": round(float(devs.max()), 2) if len(devs) else 0.0,
            "mean_deviation_pct": round(float(devs.mean()), 2) if len(devs) else 0.0,
            "compactness_mean": round(float(pp.mean()), 3) if len(pp) else 0.0,
            "compactness_min": round(float(pp.min()), 3) if len(pp) else 0.0,
            "boundary_on_roads_pct": round(100.0 * edges_ok / edges_all, 2) if edges_all else 100.0,
            "single_part": single}


def apply_command(plan: Plan, proposal: Proposal, name_prefix: str = ""):
    """One undoable step: the unlocked grids of the proposal's parents deleted (with their
    roles), the proposed grids added with automatic codes, places and street segments in
    them re-assigned (segments cut at the new boundaries; their officers cleared)."""
    from ..editing import commands as C
    from ..editing import guard as _guard
    from ..editing.steps import Steps
    from ..segments import split_lines

    for g in proposal.replaced:
        if g not in plan.grids.index:
            raise ProposalError(bi("方案在建议之后已改变：请重新生成建议",
                                   "the plan changed since the proposal was made: make it again"))
    before_ids = set(int(g) for g in plan.grids.index)
    level = proposal.level
    replaced = list(proposal.replaced)
    order = _reading(proposal.grids)

    def delete_step(plan):
        cmds = []
        for g in replaced:
            cmds += [C.DeleteRow("删除职责", "roles", int(r)) for r in plan.roles.index[plan.roles["grid"] == g]]
            cmds.append(C.DeleteRow("删除网格", "grids", int(g)))
        return cmds or None

    first_id = max(before_ids, default=0) + 1   # new ids, never a deleted grid's (their history stays apart)

    def add_step(plan):
        cmds = _AddRows("添加网格", [])
        codes = _new_codes(plan, level, [None if pd.isna(proposal.grids.at[i, "parent"])
                                         else int(proposal.grids.at[i, "parent"]) for i in order])
        for n, i in enumerate(order, start=1):
            r = proposal.grids.loc[i]
            parent = None if pd.isna(r["parent"]) else int(r["parent"])
            cmds.append(C.AddRow("添加网格", "grids", dict(
                code=codes[n - 1], name=f"{name_prefix}{n}" if name_prefix else "", level=level, parent=parent,
                notes="", valid_from="", valid_to="", multipart_ok=False, geometry=r.geometry),
                new_id=first_id + n - 1))
        return cmds

    def assign_step(plan):
        new = [int(g) for g in plan.grids.index if int(g) not in before_ids]
        gvals = plan.grids.geometry[new].values
        tree = shapely.STRtree(gvals)
        cmds = []
        area = shapely.union_all(gvals)
        if len(plan.places):
            pts = shapely.point_on_surface(plan.places.geometry.values)
            src, dst = tree.query(pts, predicate="within")
            for s, d in zip(src.tolist(), dst.tolist()):
                pid = int(plan.places.index[s])
                if plan.places.at[pid, "grid"] != new[d]:
                    cmds.append(C.SetCells("场所", "places", pid, {"grid": new[d]}))
        segs = plan.segments
        if len(segs):
            gone = set(replaced)
            inside = shapely.within(shapely.point_on_surface(segs.geometry.values), area.buffer(0.01))
            touch = segs["grid"].isin(list(gone)).to_numpy() | (segs["grid"].isna().to_numpy() & inside)
            if touch.any():
                pieces, li, gi = split_lines(segs.geometry.values[touch], gvals)
                # a street on a shared boundary is cut into both grids: keep it once
                keys = shapely.to_wkb(shapely.normalize(pieces))
                _, first = np.unique(np.asarray([f"{a}:{k.hex()}" for a, k in zip(li, keys)]), return_index=True)
                first = np.sort(first)
                pieces, li, gi = pieces[first], li[first], gi[first]
                kept = segs[~touch]
                src = segs[touch]
                add = gpd.GeoDataFrame({
                    "road_name": src["road_name"].to_numpy()[li], "from_desc": "", "to_desc": "",
                    "grid": np.asarray(new)[gi], "officer": pd.array([pd.NA] * len(pieces), dtype="Int64"),
                    "notes": src["notes"].to_numpy()[li]}, geometry=list(pieces), crs=plan.crs)
                start = int(segs.index.max()) + 1
                add.index = pd.Index(np.arange(start, start + len(add)), name="id")
                table = pd.concat([kept, add]) if len(kept) else add
                table = gpd.GeoDataFrame(table, geometry="geometry", crs=plan.crs)
                from ..plan import SEGMENT_COLUMNS, coerce
                cmds.append(C.ReplaceTable("路段", "segments", coerce(table, SEGMENT_COLUMNS)))
        return cmds or None

    n = len(proposal.grids)
    return Steps(f"智能划分 Propose {n} grids", [delete_step, add_step, assign_step],
                 guard=_guard.KINDS)


def _new_codes(plan: Plan, level: str, parents: list) -> list[str]:
    """Codes for new grids of ``level`` under ``parents`` (in this order), as the editor's
    automatic numbering gives them one after another (:func:`~gridmap.core.editing.steps.propose_code`:
    the first sequence number under the parent that no grid uses; "" when the level's pattern
    gives none) — with one set of used codes instead of the whole code column per grid
    (500 grids: 8.6 s → milliseconds)."""
    from .. import codes as _codes

    pattern = plan.level(level).code_pattern
    used = set(plan.grids["code"].astype(str).tolist())
    out = []
    next_seq: dict = {}
    for p in parents:
        pcode = "" if p is None else str(plan.grids.at[int(p), "code"])
        code = ""
        seq = next_seq.get(pcode, 1)
        while seq < 10_000:
            try:
                c = _codes.format_code(pattern, seq, admin=plan.admin_code, parent=pcode)
            except ValueError:
                break
            if c not in used:
                code = c
                break
            seq += 1
        next_seq[pcode] = seq
        if code:
            used.add(code)
        out.append(code)
    return out


def _add_rows_class():
    from ..editing import commands as C

    class AddRows(C.Macro):
        """Several :class:`AddRow` of one table inserted at once (one concat, not one per row);
        recorded and replayed as its AddRow commands."""

        def append(self, cmd):
            self.commands.append(cmd)

        def redo(self, plan):
            if not self.commands:
                return
            table = self.commands[0].table
            df = getattr(plan, table)
            ids = [int(c.new_id) for c in self.commands]
            if set(ids) & set(df.index):
                raise ValueError(f"{table}: ids exist")
            add = gpd.GeoDataFrame([dict(c.values) for c in self.commands], index=pd.Index(ids, name="id"),
                                   geometry="geometry", crs=df.crs)
            out = gpd.GeoDataFrame(pd.concat([df, add]), geometry="geometry", crs=df.crs)
            setattr(plan, table, C.coerce(out.sort_index(), C._COLUMNS[table]))

        def undo(self, plan):
            if not self.commands:
                return
            table = self.commands[0].table
            setattr(plan, table, getattr(plan, table).drop(index=[int(c.new_id) for c in self.commands]))

    return AddRows


def _AddRows(text, cmds):
    return _add_rows_class()(text, cmds)


def _reading(grids) -> list:
    """Proposed grid ids in reading order within each parent (parents in order)."""
    from .. import codes as _codes

    out = []
    par = grids["parent"].astype("float").fillna(-1)
    for _, group in grids.groupby(par, sort=True):
        order = _codes.reading_order(group.geometry.values)
        out += [group.index[i] for i in order]
    return out
