"""Workload rules: ``area_range`` and ``imbalance``.

``area_range``: a grid's area outside its level's ``min_area_m2``/``max_area_m2``
(0 = no bound).  ``imbalance``: per officer (网格员), the total area, road
length, number of places and population (where the grids have a
``population`` column) of the grids they hold; an officer deviating from the
mean of all officers by more than ``pct`` percent is reported, per measure.

>>> area_out_of_range(np.array([50.0, 500.0, 5000.0]), np.array([100.0] * 3), np.array([1000.0] * 3))
[(0, '100–1,000 m²'), (2, '100–1,000 m²')]
>>> w = pd.DataFrame({"area_m2": [100.0, 100.0, 300.0]}, index=pd.Index([1, 2, 3], name="person"))
>>> [(p, m, round(pct)) for p, m, v, mean, pct in imbalance(w, 50)]
[(3, 'area_m2', 80)]
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["area_out_of_range", "officer_workloads", "imbalance", "METRICS"]

# the roles whose workloads are compared: 网格员/队员 (网格责任人 and leaders manage, they hold no beat)
WORKLOAD_ROLES = ("officer", "member")

# measure → (Chinese, English)
METRICS = {
    "area_m2": ("负责面积(平方米)", "area (m²)"),
    "road_m": ("负责道路长度(米)", "road length (m)"),
    "places": ("负责场所数", "number of places"),
    "population": ("服务人口", "population"),
}


def _range_text(lo: float, hi: float) -> str:
    lo_t = f"{lo:,.0f}" if lo > 0 else "0"
    hi_t = f"{hi:,.0f}" if hi > 0 else "∞"
    return f"{lo_t}–{hi_t} m²"


def area_out_of_range(areas, mins, maxs) -> list[tuple[int, str]]:
    """(position, range text) of each area below its min or above its max (0: no bound)."""
    areas = np.asarray(areas, dtype=float)
    mins = np.asarray(mins, dtype=float)
    maxs = np.asarray(maxs, dtype=float)
    low = (mins > 0) & (areas < mins)
    high = (maxs > 0) & (areas > maxs)
    return [(int(i), _range_text(mins[i], maxs[i])) for i in np.flatnonzero(low | high)]


def officer_workloads(grid_ids, areas, roles: pd.DataFrame, seg_grid=None, seg_length=None,
                      place_grid=None, population=None, seg_officer=None) -> pd.DataFrame:
    """One row per officer (person id) with the measures of the grids they hold.

    ``seg_officer`` (the person of each segment, -1 for none): road length is then
    measured per officer from their own segments (队员管段), plus an equal share of
    their grids' segments nobody holds — two officers of one grid no longer both
    get the whole grid's roads.

    >>> roles = pd.DataFrame({"grid": [1, 1], "role": ["officer", "member"], "person": [7, 8]})
    >>> officer_workloads(np.array([1]), np.array([10.0]), roles, seg_grid=np.array([1, 1, 1]),
    ...                   seg_length=np.array([5.0, 1.0, 2.0]), seg_officer=np.array([7, -1, 8]))["road_m"].to_dict()
    {7: 5.5, 8: 2.5}

    >>> roles = pd.DataFrame({"grid": [1, 2, 3], "role": ["officer"] * 3, "person": [7, 7, 8]})
    >>> officer_workloads(np.array([1, 2, 3]), np.array([10.0, 20.0, 40.0]), roles,
    ...                   seg_grid=np.array([1, 3, 3]), seg_length=np.array([5.0, 1.0, 2.0])).to_dict("index")
    {7: {'area_m2': 30.0, 'road_m': 5.0, 'places': 0.0}, 8: {'area_m2': 40.0, 'road_m': 3.0, 'places': 0.0}}
    """
    grid_ids = np.asarray(grid_ids, dtype=np.int64)
    if len(roles) == 0:
        return pd.DataFrame(columns=["area_m2", "road_m", "places"]).rename_axis("person")
    fast = _workloads_arrays(grid_ids, areas, roles, seg_grid, seg_length, place_grid, population, seg_officer)
    if fast is not None:
        return fast
    return _workloads_frames(grid_ids, areas, roles, seg_grid, seg_length, place_grid, population, seg_officer)


def _find(at: np.ndarray, keys: np.ndarray):
    """(position in the sorted unique ``at``, found) of each key: a lookup table when the
    ids are dense (they are: plan ids count up), else a binary search."""
    keys = np.asarray(keys, dtype=np.int64)
    if not len(at):
        return np.zeros(len(keys), dtype=np.int64), np.zeros(len(keys), dtype=bool)
    lo, hi = int(at[0]), int(at[-1])
    if hi - lo <= 4 * len(at) + 4096:
        lut = np.full(hi - lo + 1, -1, dtype=np.int64)
        lut[at - lo] = np.arange(len(at))
        inr = (keys >= lo) & (keys <= hi)
        pos = np.full(len(keys), -1, dtype=np.int64)
        pos[inr] = lut[keys[inr] - lo]
        ok = pos >= 0
        return np.where(ok, pos, 0), ok
    pos = np.minimum(np.searchsorted(at, keys), len(at) - 1)
    return pos, at[pos] == keys


def _sums(keys: np.ndarray, weights: np.ndarray, at: np.ndarray, found=None) -> np.ndarray:
    """Per key of the sorted unique ``at``: the sum of ``weights`` of its rows in ``keys``
    (in row order, as a groupby sums); ``found``: ``_find(at, keys)`` when the caller has it."""
    pos, ok = _find(at, keys) if found is None else found
    if ok.all():
        return np.bincount(pos, weights=np.asarray(weights, dtype=float), minlength=len(at)).astype(float)
    return np.bincount(pos[ok], weights=np.asarray(weights, dtype=float)[ok], minlength=len(at)).astype(float)


def _workloads_arrays(grid_ids, areas, roles, seg_grid, seg_length, place_grid, population, seg_officer):
    """:func:`officer_workloads` with sorted arrays and ``bincount`` (no joins, no groupby
    of frames): the live check runs it after every edit over the whole plan (issue 21).
    None when the input is not what it handles (duplicate grid ids): then the frames path."""
    order = np.argsort(grid_ids, kind="stable")
    gid = grid_ids[order]
    if len(gid) > 1 and not (gid[1:] > gid[:-1]).all():
        return None
    role = roles["role"].to_numpy(dtype=object)
    want = np.zeros(len(role), dtype=bool)
    for name in WORKLOAD_ROLES:
        want |= role == name
    person = pd.array(roles["person"], dtype="Int64")[want]
    grid = pd.array(roles["grid"], dtype="Int64")[want]
    ok = ~(np.asarray(person.isna()) | np.asarray(grid.isna()))
    person = np.asarray(person[ok], dtype=np.int64)
    grid = np.asarray(grid[ok], dtype=np.int64)
    if len(person):                                   # one row per (person, grid), in first-seen order
        lo, span = int(grid.min()), int(grid.max()) - int(grid.min()) + 1
        if int(np.abs(person).max()) < (2 ** 62) // max(span, 1):
            _, first = np.unique(person * span + (grid - lo), return_index=True)   # (one int64 key per pair)
        else:
            _, first = np.unique(np.stack([person, grid], axis=1), axis=0, return_index=True)
        first.sort()
        person, grid = person[first], grid[first]
    # the grid of each row among the grids measured (-1: not measured, the inner join drops it)
    gpos, inside = _find(gid, grid)
    rpos = np.where(inside, order[gpos] if len(gid) else 0, -1)
    per = {"area_m2": np.asarray(areas, dtype=float)}
    road = np.zeros(len(grid_ids))
    back = None                                       # (one inverse permutation, not one per measure)
    if seg_grid is not None and len(seg_grid):
        back = np.argsort(order)
        road = _sums(np.asarray(seg_grid, dtype=np.int64), np.asarray(seg_length, dtype=float), gid)[back]
    per["road_m"] = road
    places = np.zeros(len(grid_ids))
    if place_grid is not None and len(place_grid):
        back = np.argsort(order) if back is None else back
        pg = np.asarray(place_grid, dtype=np.int64)
        places = _sums(pg, np.ones(len(pg)), gid)[back]
    per["places"] = places
    cols = ["area_m2", "road_m", "places"]
    if population is not None:
        per["population"] = np.nan_to_num(np.asarray(population, dtype=float))
        cols.append("population")
    jp = person[inside]
    jr = rpos[inside]
    people = np.unique(jp)
    found = _find(people, jp)                         # (the rows' people looked up once for every measure)
    out = pd.DataFrame({c: _sums(jp, per[c][jr], people, found) for c in cols},
                       index=pd.Index(people, dtype=np.int64, name="person"))
    if seg_officer is not None and seg_grid is not None and len(seg_grid) and len(out):
        so = np.asarray(seg_officer, dtype=np.int64)
        sgr = np.asarray(seg_grid, dtype=np.int64)
        sl = np.asarray(seg_length, dtype=float)
        own = _sums(so[so >= 0], sl[so >= 0], people)
        free_keys = np.unique(sgr[so < 0])
        free = _sums(sgr[so < 0], sl[so < 0], free_keys)
        # officers per grid (all rows, measured or not), the free roads shared among them
        n_keys, n_off = np.unique(grid, return_counts=True)
        at, has = _find(n_keys, free_keys)
        share_keys = free_keys[has]
        share = free[has] / n_off[at[has]]
        spos, hit = _find(share_keys, grid)
        m = np.where(hit, share[spos] if len(share_keys) else 0.0, 0.0)
        shared = _sums(person, m, people, found if len(person) == len(jp) else None)
        out["road_m"] = own + shared
    return out


def _workloads_frames(grid_ids, areas, roles, seg_grid=None, seg_length=None, place_grid=None, population=None,
                      seg_officer=None) -> pd.DataFrame:
    """:func:`officer_workloads` with pandas joins and groupbys (the reference; and for
    input the array path does not take)."""
    r = roles[roles["role"].astype(str).isin(WORKLOAD_ROLES)]
    person = pd.array(r["person"], dtype="Int64")
    grid = pd.array(r["grid"], dtype="Int64")
    ok = ~(pd.isna(person) | pd.isna(grid))
    rows = pd.DataFrame({"person": np.asarray(person[ok], dtype=np.int64),
                         "grid": np.asarray(grid[ok], dtype=np.int64)}).drop_duplicates()
    per_grid = pd.DataFrame({"area_m2": np.asarray(areas, dtype=float)}, index=pd.Index(grid_ids, name="grid"))
    per_grid["road_m"] = 0.0
    if seg_grid is not None and len(seg_grid):
        sg = pd.Series(np.asarray(seg_length, dtype=float)).groupby(np.asarray(seg_grid, dtype=np.int64)).sum()
        per_grid["road_m"] = sg.reindex(per_grid.index).fillna(0.0).to_numpy()
    per_grid["places"] = 0.0
    if place_grid is not None and len(place_grid):
        pc = pd.Series(1.0, index=np.asarray(place_grid, dtype=np.int64)).groupby(level=0).sum()
        per_grid["places"] = pc.reindex(per_grid.index).fillna(0.0).to_numpy()
    cols = ["area_m2", "road_m", "places"]
    if population is not None:
        per_grid["population"] = np.nan_to_num(np.asarray(population, dtype=float))
        cols.append("population")
    joined = rows.join(per_grid, on="grid", how="inner")
    out = joined.groupby("person")[cols].sum()
    if seg_officer is not None and seg_grid is not None and len(seg_grid) and len(out):
        so = np.asarray(seg_officer, dtype=np.int64)
        sgr = np.asarray(seg_grid, dtype=np.int64)
        sl = np.asarray(seg_length, dtype=float)
        own = pd.Series(sl[so >= 0]).groupby(so[so >= 0]).sum()
        free = pd.Series(sl[so < 0]).groupby(sgr[so < 0]).sum()
        n_off = rows.groupby("grid")["person"].nunique()
        share = (free / n_off.reindex(free.index)).dropna()
        shared = rows.assign(m=rows["grid"].map(share).fillna(0.0)).groupby("person")["m"].sum()
        out["road_m"] = (own.reindex(out.index).fillna(0.0) + shared.reindex(out.index).fillna(0.0)).to_numpy()
    return out


def imbalance(workloads: pd.DataFrame, pct: float) -> list[tuple[int, str, float, float, float]]:
    """(person, measure, value, mean, deviation %) beyond ``pct`` percent of the mean.

    Measures whose mean is 0 (nothing known) are skipped.
    """
    out = []
    if len(workloads) < 2:
        return out
    for col in workloads.columns:
        v = workloads[col].to_numpy(dtype=float)
        mean = float(v.mean())
        if not np.isfinite(mean) or mean <= 0:
            continue
        dev = np.abs(v - mean) / mean * 100.0
        for k in np.flatnonzero(dev > pct):
            out.append((int(workloads.index[k]), str(col), float(v[k]), mean, float(dev[k])))
    out.sort(key=lambda t: (t[0], list(workloads.columns).index(t[1])))
    return out
