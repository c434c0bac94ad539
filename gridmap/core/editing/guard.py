"""The one coverage guard of every edit: "regressions only".

An edit is refused when, where the plan was clean, it

* ``invalid`` — makes a grid an invalid or empty polygon;
* ``overlap`` — makes a level an invalid coverage (overlaps, unmatched edges);
* ``gap`` — leaves area of the jurisdiction uncovered;
* ``outside`` — covers area outside the jurisdiction;
* ``nesting`` — puts part of a grid outside its parent.

Only regressions count: where a level already had a gap (a plan still being
drawn) or an overlap (an imported plan being repaired) near the edit, the edit
is allowed even if that problem grows.  The edit is applied once: the
:class:`~gridmap.core.editing.buffer.EditBuffer` keeps a snapshot of the plan,
applies the command, and this module compares the two states in a window
around the grids the command touched (:func:`regressions`); a refused edit is
rolled back from the snapshot.  One tolerance (:data:`REL_TOL` of the window's
area) and one rule for geometry too broken to measure (a ``GEOSException``):
if the plan *before* cannot be measured it was not clean there, so nothing can
regress; if only the plan *after* cannot be measured, the edit broke it and is
refused as ``invalid``.

>>> from types import SimpleNamespace
>>> import geopandas as gpd
>>> from shapely import box
>>> def state(*geoms, jur=box(0, 0, 2, 1)):
...     g = gpd.GeoDataFrame({"level": ["small"] * len(geoms), "parent": [None] * len(geoms)},
...                          geometry=list(geoms), index=range(1, len(geoms) + 1))
...     return SimpleNamespace(grids=g, jurisdiction=jur)
>>> before = state(box(0, 0, 1, 1), box(1, 0, 2, 1))
>>> [r.kind for r in regressions(before, state(box(0, 0, 0.9, 1), box(1, 0, 2, 1)), {1}, ["small"])]
['gap']
>>> regressions(before, state(box(0, 0, 1.5, 1), box(1.5, 0, 2, 1)), {1, 2}, ["small"])
[]

Shrinking a grid next to a gap that is already there is allowed (regressions only):

>>> gappy = state(box(0, 0, 0.9, 1), box(1, 0, 2, 1))
>>> regressions(gappy, state(box(0, 0, 0.8, 1), box(1, 0, 2, 1)), {1}, ["small"])
[]
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import shapely

from ..messages import bi

__all__ = ["KINDS", "REL_TOL", "Regression", "regressions", "message", "refusal"]

KINDS = ("invalid", "overlap", "gap", "outside", "nesting")

#: an area counts when it exceeds this fraction of the window around the edit
REL_TOL = 1e-7

_MESSAGES = {
    "invalid": ("会使{name}无效（自相交、退化或为空）", "would make a grid of level “{name}” invalid "
                "(self-intersecting, degenerate or empty)"),
    "overlap": ("会使{name}重叠或公共边不一致", "would make grids of level “{name}” overlap or their shared edges "
                "mismatch"),
    "gap": ("会在{name}之间留下空隙", "would leave a gap between grids of level “{name}”"),
    "outside": ("会使{name}超出辖区", "would make grids of level “{name}” cover area outside the jurisdiction"),
    "nesting": ("会使{name}超出其上级网格", "would put part of a grid of level “{name}” outside its parent"),
}


@dataclass(frozen=True)
class Regression:
    """One way an edit would make the plan worse: kind, level key, area (map units²)."""

    kind: str
    level: str
    area: float = 0.0


class _Broken(Exception):
    pass


def _window(before, after, ids) -> shapely.Geometry | None:
    boxes = []
    for state in (before, after):
        g = state.grids
        present = [i for i in ids if i in g.index]
        if present:
            geoms = np.asarray(g.geometry.loc[present].values, dtype=object)
            geoms = geoms[~(shapely.is_missing(geoms) | shapely.is_empty(geoms))]
            if len(geoms):
                boxes.append(shapely.total_bounds(geoms))
    jb, ja = before.jurisdiction, after.jurisdiction
    if jb is not ja and jb is not None and ja is not None and not shapely.equals_exact(jb, ja, 0.0):
        d = shapely.symmetric_difference(jb, ja)
        if not d.is_empty:
            boxes.append(shapely.bounds(d))
    if not boxes:
        return None
    b = np.asarray(boxes, dtype=float)
    x0, y0, x1, y1 = b[:, 0].min(), b[:, 1].min(), b[:, 2].max(), b[:, 3].max()
    pad = max(x1 - x0, y1 - y0, 1e-9) * 0.05
    return shapely.box(x0 - pad, y0 - pad, x1 + pad, y1 + pad)


def _measure(state, key: str, depth: int, window, kinds, near=None) -> dict:
    """Coverage validity, gap, outside and nesting areas of one level inside the window
    (``near``: ids of every grid of the state that can meet the window, when known —
    then only those are read)."""
    g = state.grids
    if near is not None:
        at = g.index.get_indexer(near)
        g = g.iloc[np.unique(at[at >= 0])]
    g = g[(g["level"] == key).to_numpy(dtype=bool)]
    geoms = np.asarray(g.geometry.values, dtype=object)
    ok = ~(shapely.is_missing(geoms) | shapely.is_empty(geoms)) if len(geoms) else np.zeros(0, bool)
    hit = np.zeros(len(geoms), dtype=bool)
    out = {"valid": True, "gap": 0.0, "outside": 0.0, "nesting": 0.0}
    try:
        if ok.any():
            hit[ok] = shapely.intersects(geoms[ok], window)
        sel = geoms[hit]
        if "overlap" in kinds and len(sel) > 1:
            out["valid"] = bool(shapely.coverage_is_valid(sel))
        J = state.jurisdiction
        if J is not None and ({"gap", "outside"} & set(kinds)):
            U = shapely.intersection(shapely.union_all(sel), window) if len(sel) else shapely.Polygon()
            Jw = shapely.intersection(J, window)
            out["gap"] = float(shapely.area(shapely.difference(Jw, U)))
            out["outside"] = float(shapely.area(shapely.difference(U, Jw)))
        if "nesting" in kinds and depth > 0 and len(sel):
            parents = pd.array(g["parent"].to_numpy()[hit], dtype="Int64")
            pid = parents.fillna(-1).to_numpy(dtype=np.int64)
            known = state.grids.index.get_indexer(pid) >= 0
            if known.any():
                pg = np.asarray(state.grids.geometry.loc[pid[known]].values, dtype=object)
                out["nesting"] = float(shapely.area(shapely.difference(sel[known], pg)).sum())
    except shapely.errors.GEOSException as exc:
        raise _Broken() from exc
    return out


def _levels_of(before, after, ids) -> set:
    """The levels of the grids ``ids`` in either state (an id in neither: every level)."""
    out = set()
    order = sorted(ids)
    seen = np.zeros(len(order), dtype=bool)
    for state in (before, after):
        g = state.grids
        at = g.index.get_indexer(order) if len(order) else np.zeros(0, dtype=np.int64)
        if (at >= 0).any():
            lv = g["level"].to_numpy(dtype=object)[at[at >= 0]]
            out |= {str(v) for v in lv}
        seen |= at >= 0
    if not seen.all():
        out.add(None)                 # (a grid in neither state: nothing skipped)
    return out


def regressions(before, after, grids, levels, kinds=KINDS, rel_tol: float = REL_TOL) -> list[Regression]:
    """How an edit of ``grids`` (ids touched, before or after) makes the coverage worse,
    comparing the plan ``before`` and ``after`` (objects with ``grids`` and
    ``jurisdiction``, e.g. a :class:`~gridmap.core.editing.buffer.PlanSnapshot` and the
    :class:`~gridmap.core.plan.Plan`) level by level (``levels``: keys, top first).
    An empty list means the edit keeps the plan as clean as it was."""
    kinds = tuple(kinds or ())
    if not kinds:
        return []
    ids = {int(i) for i in grids}
    out: list[Regression] = []
    if "invalid" in kinds:
        g = after.grids
        present = [i for i in sorted(ids) if i in g.index]
        geoms = np.asarray(g.geometry.loc[present].values, dtype=object)
        bad = (~shapely.is_valid(geoms) | shapely.is_empty(geoms)) & ~shapely.is_missing(geoms) \
            if len(geoms) else np.zeros(0, bool)
        for i in np.asarray(present)[bad] if bad.any() else []:
            was = before.grids.geometry.get(int(i)) if int(i) in before.grids.index else None
            if was is None or (shapely.is_valid(was) and not shapely.is_empty(was)):
                out.append(Regression("invalid", str(g.at[int(i), "level"])))
                break
    window = _window(before, after, ids)
    if window is None:
        return out
    tol = max(float(window.area) * rel_tol, 1e-12)
    query = getattr(before, "neighbours", None)
    touched = _levels_of(before, after, ids)
    jb, ja = before.jurisdiction, after.jurisdiction
    same_j = jb is ja or (jb is not None and ja is not None and shapely.equals_exact(jb, ja, 0.0))
    for depth, key in enumerate(levels):
        # a level none of whose grids changed (nor its parents', for nesting; nor the
        # jurisdiction) measures the same before and after: it cannot regress (issue 21)
        if same_j and None not in touched and key not in touched and not (depth > 0 and "nesting" in kinds and levels[depth - 1] in touched):
            continue
        # the grids that can meet the window: those of the index (the state before the edit)
        # and the edited ones (the only grids whose geometry differs after it)
        near = query(key, window) if query is not None else None
        if near is not None:
            near = np.union1d(np.asarray(near, dtype=np.int64), np.fromiter(ids, dtype=np.int64, count=len(ids)))
        try:
            b = _measure(before, key, depth, window, kinds, near)
        except _Broken:
            continue            # not clean before: nothing can regress here
        try:
            a = _measure(after, key, depth, window, kinds, near)
        except _Broken:
            out.append(Regression("invalid", key))
            continue
        if "overlap" in kinds and b["valid"] and not a["valid"]:
            out.append(Regression("overlap", key))
        for kind in ("gap", "outside", "nesting"):
            if kind in kinds and b[kind] <= tol < a[kind]:
                out.append(Regression(kind, key, a[kind]))
    return out


def _halves(text: str) -> tuple[str, str]:
    if " / " in text:
        a, b = text.split(" / ", 1)
        return a, b
    a, _, b = text.partition(" ")
    return a, b


def message(regression: Regression, plan=None, what: str = "", hint: str = "") -> str:
    """The bilingual refusal for a regression (``what``: the edit, ``hint``: what to do
    instead; both "中文 English" or "中文 / English")."""
    name = regression.level
    if plan is not None:
        try:
            lv = plan.level(regression.level)
            name_zh, name_en = lv.name, getattr(lv, "name_en", "") or lv.name
        except Exception:  # noqa: BLE001 - an unknown level key only changes the wording
            name_zh = name_en = name
    else:
        name_zh = name_en = name
    zh, en = _MESSAGES[regression.kind]
    zh_what, en_what = _halves(what)
    zh_hint, en_hint = _halves(hint.strip().strip("()")) if hint.strip() else ("", "")
    zh_what = zh_what or "此修改"
    en_what = en_what or "the edit"
    return bi(f"{zh_what}{zh.format(name=name_zh)}，已取消" + (f"（{zh_hint}）" if zh_hint else ""),
              f"{en_what} {en.format(name=name_en)}: refused" + (f" ({en_hint})" if en_hint else ""))


def refusal(before, plan, grids, kinds=KINDS, what: str = "", hint: str = "") -> str | None:
    """The message refusing an edit (None: it keeps the plan as clean as it was)."""
    regs = regressions(before, plan, grids, plan.level_keys, kinds)
    return message(regs[0], plan, what, hint) if regs else None
