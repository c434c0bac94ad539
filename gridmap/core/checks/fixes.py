"""Fixes: pure functions that return new geometries, so the app can preview and undo them.

Nothing here changes a plan.  The building blocks work on geometries in a
metric CRS (metres):

* :func:`merge_into` — a gap or sliver merged into a neighbour;
* :func:`choose_neighbour` — which neighbour: longest shared border, largest,
  smallest, or a chosen one;
* :func:`give_overlap` — an overlap given to one side;
* :func:`clean_subset` — GEOS coverage cleaning limited to some grids (those
  around the problems), grown until the grids around them are untouched, so
  fixing 100 problems in a 100k-grid plan takes seconds, not minutes.

The ``fix_*`` functions take a :class:`~.session.CheckSession` (for the
current geometry and the spatial index) and a :class:`~.problems.Problem`, and
return ``{grid id: new geometry in the plan CRS}``.  Apply them with
:meth:`~.session.CheckSession.apply`, which re-checks the neighbourhood and
refuses (and undoes) a fix that would create any new problem.

>>> from shapely import box
>>> grids = {1: box(0, 0, 10, 10), 2: box(10.5, 0, 20, 10)}
>>> gap = box(10, 0, 10.5, 10)
>>> choose_neighbour(gap, grids, "largest")
1
>>> merge_into(gap, grids[1]).bounds
(0.0, 0.0, 10.5, 10.0)
>>> a, b = give_overlap(box(0, 0, 11, 10), box(10, 0, 20, 10), to="b")
>>> a.bounds, b.bounds
((0.0, 0.0, 10.0, 10.0), (10.0, 0.0, 20.0, 10.0))
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import shapely

from . import coverage

__all__ = [
    "FixError",
    "SNAPPING_DISTANCE",
    "choose_neighbour",
    "merge_into",
    "give_overlap",
    "clean",
    "clean_subset",
    "fix_merge",
    "fix_overlap",
    "fix_snap",
    "fix_clean",
    "fix_invalid",
    "fix_multipart",
    "repair",
    "fix_all",
    "FixReport",
]

# Coverage cleaning snaps vertices closer than this (metres).  Never 0: GEOS
# 3.14's CoverageCleaner merges neighbours whose shared edge has an unmatched
# vertex when snapping is off (libgeos/geos#1525).
SNAPPING_DISTANCE = 1e-6


class FixError(ValueError):
    """A fix cannot be made, or would create a new problem."""


def choose_neighbour(piece, neighbours: dict, how="longest_border"):
    """The key of the neighbour a piece (gap, sliver, overlap) should go to.

    ``how``: ``"longest_border"`` (the most shared border), ``"largest"`` /
    ``"smallest"`` (by area), or a key of ``neighbours`` (a chosen one).

    >>> from shapely import box
    >>> choose_neighbour(box(1, 0, 2, 1), {7: box(0, 0, 1, 5), 8: box(2, 0, 3, 1)})
    7
    """
    if not neighbours:
        raise FixError("the piece has no neighbour to merge into")
    keys = list(neighbours)
    if how in neighbours and not isinstance(how, str):
        return how
    geoms = np.array([neighbours[k] for k in keys], dtype=object)
    if how == "longest_border":
        border = shapely.length(shapely.intersection(shapely.boundary(geoms), piece))
        return keys[int(np.argmax(border))]
    if how == "largest":
        return keys[int(np.argmax(shapely.area(geoms)))]
    if how == "smallest":
        return keys[int(np.argmin(shapely.area(geoms)))]
    raise FixError(f"unknown choice {how!r}: use longest_border, largest, smallest or a neighbour's id")


def merge_into(piece, target):
    """``target`` grown by ``piece`` (one polygon when they share a border).

    >>> from shapely import box
    >>> merge_into(box(1, 0, 2, 1), box(0, 0, 1, 1)).area
    2.0
    """
    out = coverage.polygon_part(coverage._robust(shapely.union, np.array([target], dtype=object),
                                                 np.array([piece], dtype=object)))[0]
    return _single(out)


def give_overlap(a, b, to: str = "a"):
    """(new a, new b): the overlap of a and b kept by ``to`` and cut from the other."""
    if to not in ("a", "b"):
        raise FixError("to must be 'a' or 'b'")
    if to == "a":
        nb = coverage.polygon_part(coverage._robust(shapely.difference, np.array([b], dtype=object),
                                                    np.array([a], dtype=object)))[0]
        return a, _single(nb)
    na = coverage.polygon_part(coverage._robust(shapely.difference, np.array([a], dtype=object),
                                                np.array([b], dtype=object)))[0]
    return _single(na), b


def _single(g):
    if g.geom_type == "MultiPolygon" and shapely.get_num_geometries(g) == 1:
        return shapely.get_geometry(g, 0)
    return g


def clean(polys, gap_width: float = 0.0, snapping_distance: float = SNAPPING_DISTANCE,
          merge_strategy: str = "longest_border") -> np.ndarray:
    """:func:`shapely.coverage_clean` on polygonal copies (invalid input is made
    valid first), never with snapping off (see :data:`SNAPPING_DISTANCE`).

    >>> from shapely import box
    >>> out = clean([box(0, 0, 10, 10), box(9, 0, 20, 10)], merge_strategy="min_index")
    >>> [g.area for g in out]
    [100.0, 100.0]
    """
    polys = np.asarray(polys, dtype=object)
    bad = coverage.invalid_reasons(polys)[0]
    p = coverage.polygonal(polys, bad)
    if snapping_distance is None or snapping_distance <= 0:
        snapping_distance = SNAPPING_DISTANCE
    # GEOS may leave a floating-point "invalid" flag set internally; what matters is the output
    with np.errstate(invalid="ignore"):
        out = shapely.coverage_clean(p, gap_width=gap_width, snapping_distance=snapping_distance,
                                     merge_strategy=merge_strategy)
    missing = shapely.is_missing(out)
    if missing.any():
        raise FixError(f"coverage cleaning gave no result for {int(missing.sum())} grid(s)")
    return out


def clean_subset(polys, subset, index=None, gap_width: float = 0.0, snapping_distance: float = SNAPPING_DISTANCE,
                 merge_strategy: str = "longest_border", max_rounds: int = 6, flagged=None) -> dict:
    """Coverage cleaning limited to the grids ``subset`` (positions in ``polys``).

    The subset is cleaned with :func:`clean`; then every cleaned grid is
    validated against its neighbours outside the subset (GEOS coverage
    validation of that small set).  Where a cleaned edge no longer matches an
    outside neighbour, that neighbour joins the subset and the cleaning is
    redone — so the grids outside the returned ones are untouched and still fit.
    ``flagged`` (optional, per position) marks the grids that already have
    unmatched edges; the others need no "before" validation.
    Returns ``{position: new geometry}`` for the grids that changed.

    >>> from shapely import box
    >>> g = np.array([box(0, 0, 10, 10), box(9, 0, 20, 10), box(20, 0, 30, 10)])
    >>> out = clean_subset(g, [0, 1], merge_strategy="min_index")
    >>> sorted(out), out[1].bounds       # grid 0 gains the overlap's nodes (9 0), (9 10)
    ([0, 1], (10.0, 0.0, 20.0, 10.0))
    """
    polys = np.asarray(polys, dtype=object)
    if index is None:
        index = coverage.GridIndex(polys)
    sub = set(int(s) for s in subset)
    for _ in range(max_rounds):
        pos = np.array(sorted(sub), dtype=np.int64)
        out = clean(polys[pos], gap_width, snapping_distance, merge_strategy)
        changed = ~shapely.equals_exact(shapely.normalize(out), shapely.normalize(polys[pos]), tolerance=0.0)
        if not changed.any():
            return {}
        cpos = pos[changed]
        # neighbours outside the subset of every changed grid
        _, near = index.query(out[changed])
        near = np.unique(near)
        outside = near[~np.isin(near, pos)]
        if len(outside) == 0:
            return dict(zip(cpos.tolist(), out[changed]))
        test = np.concatenate([out[changed], polys[outside]])
        edges = coverage.invalid_edges(test)
        after_bad = ~shapely.is_empty(edges[len(cpos):])
        was_bad = np.zeros(len(outside), dtype=bool)
        check = after_bad if flagged is None else after_bad & np.asarray(flagged, dtype=bool)[outside]
        if check.any():
            before = coverage.invalid_edges(np.concatenate([polys[cpos], polys[outside]]))
            was_bad = ~shapely.is_empty(before[len(cpos):])
        # outside grids whose edges became invalid against the cleaned ones
        newly = after_bad & ~was_bad
        # …and cleaned grids whose edges do not fit an outside neighbour
        bad_clean = ~shapely.is_empty(edges[: len(cpos)])
        grow = set(outside[newly].tolist())
        if bad_clean.any():
            _, n2 = index.query(out[changed][bad_clean])
            grow |= {int(k) for k in n2 if k not in sub}
        if not grow:
            return dict(zip(cpos.tolist(), out[changed]))
        sub |= grow
    raise FixError(f"cleaning did not settle within {max_rounds} rounds ({len(sub)} grids)")


# ---------------------------------------------------------------------------- on a session

def _level_of(session, problem):
    for L, lv in enumerate(session.levels):
        if lv.key == problem.level:
            return L, lv
    raise FixError(f"problem {problem.rule} is not about a level of the checked plan")


def _positions(session, ids):
    out = []
    for gid in ids:
        if int(gid) not in session._where:
            raise FixError(f"grid {gid} is not in the checked plan")
        out.append(session._where[int(gid)][1])
    return out


def _metric_location(session, problem):
    for q, g in session._entries:
        if q is problem:
            return g
    return session.frame.forward(np.array([problem.geometry], dtype=object))[0]


def _to_plan(session, changes: dict) -> dict:
    if not changes:
        return {}
    keys = list(changes)
    geoms = session.frame.backward(np.array([changes[k] for k in keys], dtype=object))
    return dict(zip(keys, geoms))


def _noded(session, L: int, lv, changes_pos: dict) -> dict:
    """Apply changed geometries and node them with their neighbours (clean, no gap filling)."""
    polys = lv.state.polys.copy()
    for pos, g in changes_pos.items():
        polys[pos] = g
    # the session's index finds the neighbours (the changed grids are in the subset)
    extra = clean_subset(polys, list(changes_pos), lv.state.tree, gap_width=0.0)
    merged = dict(changes_pos)
    merged.update(extra)
    return {int(lv.ids[pos]): g for pos, g in merged.items()}


def fix_merge(session, problem, how="longest_border") -> dict:
    """Merge a gap or gap sliver into one of the grids around it (see :func:`choose_neighbour`;
    ``how`` may be a grid id).  Returns ``{grid id: geometry}`` in the plan CRS."""
    if not (problem.rule == "gap" or (problem.rule == "sliver" and problem.extra.get("kind") == "gap")):
        raise FixError(f"fix_merge needs a gap or a gap sliver, not {problem.rule}")
    L, lv = _level_of(session, problem)
    piece = _metric_location(session, problem)
    pos = _positions(session, problem.ids)
    neighbours = {int(lv.ids[p]): lv.state.polys[p] for p in pos}
    target = choose_neighbour(piece, neighbours, how)
    tpos = session._where[int(target)][1]
    new = merge_into(piece, lv.state.polys[tpos])
    return _to_plan(session, _noded(session, L, lv, {tpos: new}))


def fix_overlap(session, problem, to=None) -> dict:
    """Give an overlap (or overlap sliver) to one of its two grids (default: the
    first), cutting it from the other.  ``to`` is a grid id."""
    if not (problem.rule == "overlap" or (problem.rule == "sliver" and problem.extra.get("kind") == "overlap")):
        raise FixError(f"fix_overlap needs an overlap or an overlap sliver, not {problem.rule}")
    L, lv = _level_of(session, problem)
    a_id, b_id = problem.ids[:2]
    to = a_id if to is None else int(to)
    if to not in (a_id, b_id):
        raise FixError(f"grid {to} is not one of the overlapping grids {a_id}, {b_id}")
    pa, pb = _positions(session, (a_id, b_id))
    na, nb = give_overlap(lv.state.polys[pa], lv.state.polys[pb], "a" if to == a_id else "b")
    changes = {pa: na} if to == b_id else {pb: nb}
    return _to_plan(session, _noded(session, L, lv, changes))


def fix_snap(session, problem, tolerance: float = 0.01) -> dict:
    """Make a mismatched shared edge identical in both grids: cleaning of the
    pair with snapping (``tolerance`` metres) and noding."""
    if problem.rule != "edge_mismatch":
        raise FixError(f"fix_snap needs an edge_mismatch, not {problem.rule}")
    _, lv = _level_of(session, problem)
    pos = _positions(session, problem.ids)
    out = clean_subset(lv.state.polys, pos, lv.state.tree, gap_width=0.0, snapping_distance=tolerance)
    return _to_plan(session, {int(lv.ids[p]): g for p, g in out.items()})


def repair(geom):
    """A valid polygon for an invalid one: :func:`shapely.make_valid` (``structure``
    method), without holes the drawing did not have — a small loop drawn by
    mistake is closed, not cut out.

    >>> from shapely import Polygon
    >>> loop = Polygon([(0, 0), (10, 0), (10, 10), (0, 10), (0, 5), (2, 6), (2, 4), (0, 5)])
    >>> repair(loop).area, len(repair(loop).interiors)
    (100.0, 0)
    """
    if geom is None or shapely.is_empty(geom):
        return geom
    fixed = coverage.polygonal(np.array([geom], dtype=object))[0]
    had_holes = any(shapely.get_num_interior_rings(p) > 0 for p in shapely.get_parts(geom)
                    if p.geom_type == "Polygon")
    if had_holes or shapely.is_empty(fixed):
        return fixed
    shells = shapely.polygons(shapely.get_exterior_ring(shapely.get_parts(fixed)))
    return _single(coverage.polygon_part(np.array([shapely.union_all(shells)], dtype=object))[0])


def fix_invalid(session, problem) -> dict:
    """Replace an invalid grid by a valid one (:func:`repair`), noded with its neighbours."""
    if problem.rule != "invalid":
        raise FixError(f"fix_invalid needs an invalid geometry, not {problem.rule}")
    L, lv = _level_of(session, problem)
    pos = _positions(session, problem.ids)[0]
    fixed = repair(lv.geoms[pos]) if lv.geoms[pos] is not None else None
    if fixed is None or shapely.is_empty(fixed):
        raise FixError(f"grid {problem.grids[0]} has no area left to keep: redraw it")
    return _to_plan(session, _noded(session, L, lv, {pos: fixed}))


def fix_multipart(session, problem, how="longest_border") -> dict:
    """A grid in several parts keeps its largest part; each other part goes to
    the neighbour it shares most border with (or ``how``: see :func:`choose_neighbour`)."""
    if problem.rule != "multipart":
        raise FixError(f"fix_multipart needs a multipart grid, not {problem.rule}")
    L, lv = _level_of(session, problem)
    pos = _positions(session, problem.ids)[0]
    parts = shapely.get_parts(lv.state.polys[pos])
    if len(parts) < 2:
        raise FixError(f"grid {problem.grids[0]} is in one part")
    main = int(np.argmax(shapely.area(parts)))
    changes = {pos: parts[main]}
    for k, piece in enumerate(parts):
        if k == main:
            continue
        _, near = lv.state.tree.query(np.array([piece], dtype=object), predicate="intersects")
        cand = {int(lv.ids[n]): changes.get(int(n), lv.state.polys[n]) for n in near if int(n) != pos}
        cand = {g: geom for g, geom in cand.items()
                if shapely.length(shapely.intersection(shapely.boundary(geom), piece)) > 0}
        target = choose_neighbour(piece, cand, how)
        tpos = session._where[int(target)][1]
        changes[tpos] = merge_into(piece, changes.get(tpos, lv.state.polys[tpos]))
    return _to_plan(session, _noded(session, L, lv, changes))


def _subset_of(session, problems):
    problems = list(problems)
    levels = {p.level for p in problems}
    if len(levels) != 1:
        raise FixError("fix_clean works on the problems of one level at a time")
    L, lv = _level_of(session, problems[0])
    subset: set = set()
    for p in problems:
        subset |= set(_positions(session, p.ids))
    return L, lv, subset


def _clipped(session, L: int, lv, subset) -> np.ndarray:
    """The level's polygons with the subset's grids cut back to their parent
    (or the jurisdiction), so cleaning does not push a grid into a neighbouring parent."""
    polys = lv.state.polys.copy()
    pos = np.array(sorted(subset), dtype=np.int64)
    if L > 0:
        has = lv.groups[pos] >= 0
        pos = pos[has]
        region = session.levels[L - 1].state.polys[lv.groups[pos]]
    elif session.jurisdiction is not None:
        region = np.full(len(pos), session.jurisdiction, dtype=object)
    else:
        return polys
    if len(pos) == 0:
        return polys
    shapely.prepare(region)
    out = ~shapely.covers(region, polys[pos])
    if out.any():
        cut = coverage.polygon_part(coverage._robust(shapely.intersection, polys[pos][out], region[out]))
        polys[pos[out]] = [_single(g) for g in cut]
    return polys


def fix_clean(session, problems, gap_width: float | None = None, merge_strategy: str = "longest_border",
              snapping_distance: float = SNAPPING_DISTANCE, gap_rank: int = 0) -> dict:
    """Local GEOS coverage cleaning around the given problems (all on one level):
    grids cut back to their parent, gaps narrower than ``gap_width`` (default:
    the sliver width) merged into a neighbour (``gap_rank`` 0: the one with the
    longest shared border, 1: the next …), overlaps merged by ``merge_strategy``,
    invalid rings made valid, edges noded.  Only the grids involved (and any
    neighbour whose edge the cleaning had to touch) are returned:
    ``{grid id: geometry}`` in the plan CRS."""
    problems = [p for p in problems if p.ids]
    if not problems:
        return {}
    L, lv, subset = _subset_of(session, problems)
    if gap_width is None:
        gap_width = session.settings.sliver_width_m
    polys = _clipped(session, L, lv, subset)
    for p in problems:          # invalid rings: repaired, not just made valid
        if p.rule == "invalid" and lv.geoms[session._where[p.ids[0]][1]] is not None:
            pos = session._where[p.ids[0]][1]
            fixed = repair(lv.geoms[pos])
            if fixed is not None and not shapely.is_empty(fixed):
                polys[pos] = fixed
    for p in problems:
        is_gap = p.rule == "gap" or (p.rule == "sliver" and p.extra.get("kind") == "gap")
        if not is_gap or p.width_m is None or p.width_m >= gap_width:
            continue
        piece = _metric_location(session, p)
        pos = _positions(session, p.ids)
        border = shapely.length(coverage._robust(shapely.intersection, shapely.boundary(polys[pos]),
                                                 np.array([piece] * len(pos), dtype=object)))
        ranked = [pos[k] for k in np.argsort(-border, kind="stable")]
        target = ranked[min(gap_rank, len(ranked) - 1)]
        polys[target] = merge_into(piece, polys[target])
    out = clean_subset(polys, sorted(subset), lv.state.tree, gap_width=gap_width,
                       snapping_distance=snapping_distance, merge_strategy=merge_strategy,
                       flagged=lv.state.flagged)
    for pos in subset:   # clipped or made-valid grids that cleaning left as they were
        if pos not in out and not lv.state.polys[pos].equals_exact(polys[pos], 0.0):
            out[pos] = polys[pos]
    for p in problems:
        if p.rule == "invalid":
            pos = session._where[p.ids[0]][1]
            out.setdefault(pos, polys[pos])
    return _to_plan(session, {int(lv.ids[p]): g for p, g in out.items()})


@dataclass
class FixReport:
    """What :func:`fix_all` did: the geometries it applied (plan CRS), the
    problems gone, and the problems it left because every strategy it tried
    would have created a new problem."""

    changes: dict = field(default_factory=dict)
    #: the geometries (plan CRS) the changed grids had before, to take the fix back
    before: dict = field(default_factory=dict)
    removed: list = field(default_factory=list)
    added: list = field(default_factory=list)
    unfixed: list = field(default_factory=list)
    rounds: int = 0


def _clusters(session, problems):
    """Problems grouped where their grids touch (cleaning one group cannot move
    another), and the group owning each grid id around them."""
    problems = [p for p in problems if p.ids]
    if not problems:
        return [], {}
    L, lv, _ = _subset_of(session, problems)
    parent = list(range(len(problems)))

    def find(i):
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i
    owner: dict[int, int] = {}
    for k, p in enumerate(problems):
        pos = _positions(session, p.ids)
        _, near = lv.state.tree.query(lv.state.polys[pos])
        for g in set(pos) | {int(n) for n in near}:
            if g in owner:
                a, b = find(k), find(owner[g])
                if a != b:
                    parent[a] = b
            else:
                owner[g] = k
    roots: dict[int, int] = {}
    groups: list[list] = []
    for k, p in enumerate(problems):
        r = find(k)
        if r not in roots:
            roots[r] = len(groups)
            groups.append([])
        groups[roots[r]].append(p)
    owner_ids = {int(lv.ids[g]): roots[find(k)] for g, k in owner.items()}
    return groups, owner_ids


def fix_all(session, problems, gap_width: float | None = None,
            strategies=(("longest_border", 0), ("max_area", 1), ("min_area", 2), ("min_index", 3))) -> FixReport:
    """Fix many problems of one level by local cleaning, verified.

    The problems are grouped where their grids touch; every group is cleaned
    (:func:`fix_clean`) and all groups are applied in one batch through
    :meth:`CheckSession.apply`.  A group whose result would create a new
    problem (say, a road segment that now crosses the moved boundary) is
    undone and tried again with the next strategy (overlap merge strategy,
    rank of the neighbour a gap goes to); a group no strategy fixes cleanly is
    left as it was and listed in ``unfixed``.  Unlike the
    ``fix_*`` functions this updates the session; the caller writes
    ``report.changes`` into the plan."""
    report = FixReport()

    def key(q):
        return (q.rule, frozenset(q.ids))

    before_all = {key(q) for q in session.problems}
    groups, owner = _clusters(session, problems)
    todo = list(range(len(groups)))
    for strategy, rank in strategies:
        if not todo:
            break
        report.rounds += 1
        # all groups cleaned in one go (they do not touch), then told apart again
        try:
            batch = fix_clean(session, [p for k in todo for p in groups[k]], gap_width,
                              merge_strategy=strategy, gap_rank=rank)
        except FixError:      # one group GEOS cannot clean: clean them one by one, skip that one
            batch = {}
            for k in todo:
                try:
                    batch.update(fix_clean(session, groups[k], gap_width, merge_strategy=strategy, gap_rank=rank))
                except FixError:
                    pass
        if not batch:
            break
        group_of = {}
        for gid in batch:
            g = owner.get(int(gid))
            if g is None:   # a neighbour the cleaning had to node: the group next to it
                L, pos = session._where[int(gid)]
                _, near = session.levels[L].state.tree.query(np.array([batch[gid]], dtype=object))
                g = next((owner[int(session.levels[L].ids[n])] for n in near
                          if int(session.levels[L].ids[n]) in owner), -1)
            group_of[int(gid)] = g
        old = {gid: session.current_geometry(gid) for gid in batch}
        for gid, g in old.items():
            report.before.setdefault(gid, g)
        delta = session.apply(batch, allow_new=True)
        removed = {key(q) for q in delta.removed}
        bad_groups: set = set()
        for q in delta.added:
            if key(q) not in removed:
                bad_groups |= {group_of.get(int(i), owner.get(int(i), -2)) for i in q.ids}
        undo = {gid: old[gid] for gid in batch if group_of[int(gid)] in bad_groups}
        report.changes.update({gid: g for gid, g in batch.items() if group_of[int(gid)] not in bad_groups})
        if undo:
            session.update_many(undo)
        todo = [k for k in todo if k in bad_groups]
    report.before = {gid: g for gid, g in report.before.items() if gid in report.changes}
    after = {key(q): q for q in session.problems}
    report.removed = [q for q in problems if key(q) not in after]
    report.unfixed = [q for q in problems if key(q) in after]
    report.added = [q for k, q in after.items() if k not in before_all]
    return report
