"""Incremental re-checks: after a grid is edited, re-run the rules only on its neighbourhood.

A :class:`CheckSession` runs the full check once and keeps what it computed
(per level: measuring copies of the grids, a :class:`~.coverage.GridIndex`,
which grids have unmatched edges, the union of each parent's children).  When
one grid changes, :meth:`CheckSession.update` recomputes

* the grid's own rules (``invalid``, ``multipart``, ``area_range``);
* which grids around it have unmatched edges, and the pairs it forms with the
  grids its old or new shape touches (``overlap``, ``sliver``, ``edge_mismatch``);
* its ``outside_parent`` / ``outside_jurisdiction``, and the gaps of its parent
  (or of the jurisdiction) in a window around the edit that grows until no gap
  crosses the window's border;
* its own children's gaps and ``outside_parent`` when it is a parent;
* the ``segment_*`` rules of the street segments near it;

and returns what disappeared and what appeared.  The result is the same as a
full re-check (the tests compare them after random edits).  Rules that do not
depend on geometry (codes, responsibility, ``imbalance``) are refreshed by
:meth:`CheckSession.refresh_attributes`.

>>> from shapely import box
>>> from gridmap.core.plan import Plan
>>> plan = Plan.new("例", crs="EPSG:4547", levels="two")
>>> plan.set_jurisdiction(box(0, 0, 200, 100))
>>> big = plan.add_grid(box(0, 0, 200, 100), "large")
>>> a = plan.add_grid(box(0, 0, 100, 100), "small", parent=big)
>>> b = plan.add_grid(box(100, 0, 200, 100), "small", parent=big)
>>> s = CheckSession(plan, CheckSettings(disabled=frozenset({"no_leader", "no_officer", "no_unit", "bad_code"})))
>>> s.problems
[]
>>> delta = s.update(b, box(102, 0, 200, 100))
>>> [(p.rule, p.grids, p.area_m2) for p in delta.added]
[('gap', ('#2', '#3'), 200.0)]
>>> delta = s.update(b, box(100, 0, 200, 100))
>>> [p.rule for p in delta.removed], s.problems
(['gap'], [])
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import shapely

from . import coverage, segments
from .problems import Problem
from .runner import (CheckResult, LevelData, _attribute_problems, _Builder, check_plan, emit_findings,
                     sort_key)
from .settings import CheckSettings

__all__ = ["CheckSession", "CheckDelta"]

_PAIR_RULES = ("overlap", "edge_mismatch")
_ATTRIBUTE_RULES = ("duplicate_code", "bad_code", "no_leader", "no_unit", "no_officer", "no_phone", "role_to_confirm",
                    "segment_unassigned", "segment_crosses_boundary", "segment_wrong_grid", "place_unassigned",
                    "area_range", "imbalance", "staffing", "place_no_person", "no_visit")


_SEGMENT_RULES = ("segment_unassigned", "segment_crosses_boundary", "segment_wrong_grid")


@dataclass
class CheckDelta:
    """What one update changed."""

    removed: list[Problem] = field(default_factory=list)
    added: list[Problem] = field(default_factory=list)
    seconds: float = 0.0


def _is_gap(p: Problem) -> bool:
    return p.rule == "gap" or (p.rule == "sliver" and p.extra.get("kind") == "gap")


def _is_pair(p: Problem) -> bool:
    return p.rule in _PAIR_RULES or (p.rule == "sliver" and p.extra.get("kind") == "overlap")


class CheckSession:
    """Holds a full check and keeps it current while grids are edited."""

    def __init__(self, plan, settings: CheckSettings | None = None, result: CheckResult | None = None,
                 cancelled=None, progress=None):
        self.plan = plan
        self.settings = settings or CheckSettings.from_settings(plan.settings)
        result = result or check_plan(plan, self.settings, cancelled=cancelled, progress=progress)
        self.result = result
        self.frame = result.frame
        self.levels: list[LevelData] = result.levels
        self.jurisdiction = result.jurisdiction
        self._entries: list[tuple[Problem, object]] = list(zip(result.problems, result.metric))
        self._where: dict[int, tuple[int, int]] = {}
        self._children: list[dict] = []
        for L, lv in enumerate(self.levels):
            for pos, gid in enumerate(lv.ids.tolist()):
                self._where[int(gid)] = (L, pos)
            kids: dict[int, np.ndarray] = {}
            if L > 0 and len(lv.groups):
                order = np.argsort(lv.groups, kind="stable")
                g = lv.groups[order]
                cut = np.flatnonzero(np.diff(g)) + 1
                for chunk in np.split(order, cut):
                    if len(chunk) and lv.groups[chunk[0]] >= 0:
                        kids[int(lv.groups[chunk[0]])] = chunk
            self._children.append(kids)
        self._segs = None
        self._segment_index()

    # ------------------------------------------------------------------ queries
    @property
    def problems(self) -> list[Problem]:
        """The current problems, errors first."""
        return sorted((p for p, _ in self._entries), key=sort_key)

    @property
    def grid_ids(self) -> set:
        """The ids of the grids this session checks (a full re-check is needed when
        the plan's grids are no longer these)."""
        return set(self._where)

    def current_geometry(self, grid_id: int):
        """A grid's geometry as the session has it (plan CRS)."""
        L, p = self._where[int(grid_id)]
        return self.frame.backward(np.array([self.levels[L].geoms[p]], dtype=object))[0]

    def problems_of(self, grid_id: int) -> list[Problem]:
        """Problems involving a grid."""
        return [p for p, _ in self._entries if int(grid_id) in p.ids or p.scope == int(grid_id)]

    # ------------------------------------------------------------------ updates
    def update(self, grid_id: int, geometry) -> CheckDelta:
        """The grid now has ``geometry`` (plan CRS): re-check its neighbourhood."""
        return self.update_many({grid_id: geometry})

    def update_many(self, geometries: dict) -> CheckDelta:
        """Several grids changed (``{grid id: geometry}``, plan CRS), e.g. by a fix:
        re-check their neighbourhoods in one batch."""
        t0 = time.perf_counter()
        by_level: dict[int, dict[int, object]] = {}
        for gid, geom in geometries.items():
            gid = int(gid)
            if gid not in self._where:
                raise KeyError(f"grid {gid} is not in the checked plan")
            L, p = self._where[gid]
            by_level.setdefault(L, {})[p] = geom
        b = _Builder(self.frame, self.settings)
        drop: list = []
        for L in sorted(by_level):
            self._update_level(L, by_level[L], b, drop)
        problems, metric = b.build_with_metric()
        delta = self._apply(drop, list(zip(problems, metric)))
        delta.seconds = time.perf_counter() - t0
        return delta

    def _update_level(self, L: int, changes: dict, b: _Builder, drop: list) -> None:
        lv = self.levels[L]
        st = lv.state
        s = self.settings
        pos = np.array(sorted(changes), dtype=np.int64)
        gids = {int(lv.ids[p]) for p in pos}
        raw = np.array([changes[int(p)] for p in pos], dtype=object)
        present = ~shapely.is_missing(raw)
        gm = raw.copy()
        if present.any():
            gm[present] = self.frame.forward(raw[present])
        old = st.polys[pos].copy()
        bad, why, where = coverage.invalid_reasons(gm)
        poly = coverage.polygonal(gm, bad)
        lv.geoms[pos] = gm
        st.invalid[pos] = bad
        st.polys[pos] = poly
        areas = self.__dict__.get("_areas", {}).get(L)
        if areas is not None and len(areas) == len(st.polys):     # the kept areas follow (workload rules)
            areas[pos] = shapely.area(poly)
        for p, g in zip(pos, poly):
            st.tree.set(int(p), g)
        boxes = [_bounds(o, n) for o, n in zip(old, poly)]

        self._refresh_flags(st, pos, np.concatenate([old, poly]))

        rules = {r for r in coverage.GEOMETRY_RULES if s.enabled(r)}
        found: list = []
        # the grids' own rules
        drop.append(lambda q, g: q.level == lv.key and len(q.ids) == 1 and q.ids[0] in gids
                    and q.rule in ("invalid", "multipart", "outside_jurisdiction"))
        own = []
        if "invalid" in rules:
            own += coverage.invalid_findings(bad, why, where)
        if "multipart" in rules:
            own += coverage.multipart_findings(gm, lv.multipart_ok[pos] | bad)
        for f in own:
            f.members = (int(pos[f.members[0]]),)
        found += own

        # pairs with the grids they touch
        drop.append(lambda q, g: q.level == lv.key and _is_pair(q) and any(i in gids for i in q.ids))
        if rules & {"overlap", "sliver", "edge_mismatch"}:
            pairs = coverage.candidate_pairs(st.tree, st.polys, pos)
            # two grids whose edges all match cannot overlap or mismatch (as in the full run)
            pairs = pairs[st.flagged[pairs[:, 0]] | st.flagged[pairs[:, 1]]]
            pf = coverage.pair_findings(st.polys, pairs, s.overlap_tol_m2, s.sliver_width_m,
                                        mismatch="edge_mismatch" in rules, edges=st.edges)
            found += [f for f in pf if f.rule in rules]

        # gaps and nesting
        if L > 0:
            found += self._parent_windows(L, pos, boxes, rules, drop)
        elif self.jurisdiction is not None:
            if "outside_jurisdiction" in rules:
                of = coverage.outside_parts(poly, np.full(len(poly), self.jurisdiction, dtype=object),
                                            s.gap_tol_m2, s.sliver_width_m, "outside_jurisdiction")
                for f in of:
                    f.members = (int(pos[f.members[0]]),)
                found += of
            if rules & {"gap", "sliver"}:
                # one window around all the edits (it grows until no gap crosses its border)
                window, gaps = self._window_gaps(_union_all_boxes(boxes))
                drop.append(lambda q, g, w=window: q.level == lv.key and _is_gap(q)
                            and g is not None and shapely.intersects(g, w))
                found += [f for f in gaps if f.rule in rules]
        elif rules & {"gap", "sliver"}:
            window, gaps = self._window_holes(_union_all_boxes(boxes))
            drop.append(lambda q, g, w=window: q.level == lv.key and _is_gap(q)
                        and g is not None and shapely.intersects(g, w))
            found += [f for f in gaps if f.rule in rules]
        emit_findings(b, lv, self.levels[L - 1] if L > 0 else None, found,
                      has_region=self.jurisdiction is not None)

        # their children
        if L + 1 < len(self.levels):
            kids_of = [int(p) for p in pos if int(p) in self._children[L + 1]]
            if kids_of:
                drop.append(self._regions_drop(L + 1, kids_of))
                emit_findings(b, self.levels[L + 1], lv, self._regions(L + 1, kids_of, rules))

        # area range
        if s.enabled("area_range") and (lv.min_area > 0 or lv.max_area > 0):
            from .workload import area_out_of_range
            drop.append(lambda q, g: q.rule == "area_range" and len(q.ids) == 1 and q.ids[0] in gids)
            a = shapely.area(poly)
            for k, rng in area_out_of_range(a, np.full(len(a), lv.min_area), np.full(len(a), lv.max_area)):
                p = int(pos[k])
                b.add("area_range", [lv.names[p]], coverage_point(poly[k]), ids=[int(lv.ids[p])],
                      area_m2=float(a[k]), range=rng)

        # street segments near the edits
        seg_ids = self._segments_near(boxes, L, b)
        if seg_ids:
            drop.append(lambda q, g: q.rule in ("segment_crosses_boundary", "segment_wrong_grid")
                        and q.extra.get("segment_id") in seg_ids)

    def follow(self, plan, grid_ids, segments=None, related=None) -> "CheckDelta | None":
        """Grids were added, removed or changed in ``plan`` (``grid_ids``: the ids an edit
        touched, e.g. a split, a merge, a deletion, a code or multipart change): re-check
        their neighbourhoods (as :meth:`update_many`) and the attribute rules, without a
        whole-plan check.  An added grid gets a new position at its level, a removed one
        keeps its position, empty, and is never reported.  Returns None (nothing changed)
        when the edit needs a whole-plan check: a grid changed level or parent, a parent
        with children was removed, or a grid was added to a level under a new parent.
        ``segments``: the ids of the street segments the edit added, removed or changed
        (the segment rules run for them and the touched grids' segments only; None: all).
        ``related``: what else the edit touched, ``{"people": ids, "units": ids, "roles": ids,
        "role_grids": grid ids of those roles before and after}`` — then the attribute rules run
        for the touched grids, people and roles and what depends on them only
        (:class:`~.runner.AttributeScope`); None: over the whole plan."""
        from .runner import grid_names

        t0 = time.perf_counter()
        grids = plan.grids
        index = grids.index
        level_of = {lv.key: L for L, lv in enumerate(self.levels)}
        allowed = {lv.key: bool(lv.multipart_allowed) for lv in plan.levels}
        plan_levels = [lv.key for lv in plan.levels]
        if plan_levels != [lv.key for lv in self.levels]:
            return None
        work: list[list] = []          # [level, position, geometry, what, grid id]
        dead: set[int] = set()
        for gid in sorted(int(i) for i in grid_ids):
            here = gid in index
            known = gid in self._where
            if here:
                lvk = str(grids.at[gid, "level"])
                if lvk not in level_of:
                    return None
                L = level_of[lvk]
                par = grids.at[gid, "parent"]
                par = -1 if par is None or pd.isna(par) else int(par)
                gpos = -1
                if L > 0 and par >= 0:
                    where = self._where.get(par)
                    if where is None or where[0] != L - 1:
                        return None                       # a parent the session does not know (yet)
                    gpos = where[1]
                if known:
                    kL, pos = self._where[gid]
                    if kL != L or (L > 0 and int(self.levels[L].groups[pos]) != gpos):
                        return None
                    work.append([L, pos, grids.geometry[gid], "set", gid])
                else:
                    work.append([L, -1, grids.geometry[gid], "add", gid, gpos])
            elif known:
                L, pos = self._where[gid]
                if L + 1 < len(self.levels) and len(self._children[L + 1].get(pos, ())):
                    return None                           # its children are still there
                work.append([L, pos, None, "remove", gid])
                dead.add(gid)
        by_level: dict[int, dict[int, object]] = {}
        for w in work:
            L, pos, geom, what, gid = w[:5]
            lv = self.levels[L]
            if what == "add":                             # a new slot at its level
                self._append_slot(L)
                pos = w[1] = len(lv.ids) - 1
                lv.ids[pos] = gid
                self._where[gid] = (L, pos)
                gpos = w[5]
                if L > 0:
                    lv.groups[pos] = gpos
                    if gpos >= 0:
                        kids = self._children[L].get(gpos, np.zeros(0, dtype=np.int64))
                        self._children[L][gpos] = np.append(kids, pos)
            if what in ("add", "set"):                    # its code and multipart flag as they are now
                lv.names[pos] = grid_names([grids.at[gid, "code"]], [gid])[0]
                mp = grids.at[gid, "multipart_ok"] if "multipart_ok" in grids.columns else False
                lv.multipart_ok[pos] = bool(False if mp is None or pd.isna(mp) else mp) or allowed.get(lv.key, False)
            elif L > 0:                                   # removed: no longer its parent's child
                gpos = int(lv.groups[pos])
                if gpos in self._children[L]:
                    kids = self._children[L][gpos]
                    self._children[L][gpos] = kids[kids != pos]
            by_level.setdefault(L, {})[pos] = geom
        b = _Builder(self.frame, self.settings)
        drop: list = []
        for L in sorted(by_level):
            self._update_level(L, by_level[L], b, drop)
        problems, metric = b.build_with_metric()
        for L, pos, geom, what, gid, *_ in work:               # removed grids: no id any more
            if what == "remove":
                self._where.pop(gid, None)
                self._tombs = getattr(self, "_tombs", -1) - 1     # -2, -3 …: -1 means "no grid" in the rules
                self.levels[L].ids[pos] = self._tombs        # unique, negative: never reported
                self.levels[L].names[pos] = ""
        new = [(q, g) for q, g in zip(problems, metric) if not (set(q.ids) & dead)]
        delta = self._apply(drop, new)
        if plan is not self.plan:
            self.plan = plan
        if segments is not None:               # and the segments of the touched grids (their names changed?)
            segments = set(int(i) for i in segments)
            if len(plan.segments):
                sg = pd.array(plan.segments["grid"], dtype="Int64").fillna(-1).to_numpy(dtype=np.int64)
                mine = np.isin(sg, np.fromiter((int(i) for i in grid_ids), dtype=np.int64))
                segments |= set(plan.segments.index[mine].tolist())
        scope = None
        if related is not None:
            from .runner import AttributeScope

            scope = AttributeScope(grids={int(i) for i in grid_ids},
                                   people={int(i) for i in related.get("people", ())},
                                   units={int(i) for i in related.get("units", ())},
                                   roles={int(i) for i in related.get("roles", ())},
                                   role_grids={int(i) for i in related.get("role_grids", ())})
        attrs = self.refresh_attributes(segments=segments, scope=scope)
        delta.added += attrs.added
        delta.removed += attrs.removed
        delta.seconds = time.perf_counter() - t0
        return delta

    def _append_slot(self, L: int) -> None:
        """One more (empty) grid position at level L."""
        lv = self.levels[L]
        st = lv.state
        lv.ids = np.append(lv.ids, -1)
        lv.names = np.append(lv.names, np.array([""], dtype=object))
        lv.geoms = np.append(lv.geoms, np.array([None], dtype=object))
        lv.groups = np.append(lv.groups, -1)
        lv.multipart_ok = np.append(lv.multipart_ok, False)
        st.polys = np.append(st.polys, np.array([coverage.EMPTY], dtype=object))
        areas = self.__dict__.get("_areas", {}).get(L)
        if areas is not None:
            self._areas[L] = np.append(areas, 0.0)
        st.invalid = np.append(st.invalid, False)
        st.flagged = np.append(st.flagged, False)
        st.edges = np.append(st.edges, np.array([coverage.EMPTY], dtype=object))
        tree = st.tree
        tree.polys = np.append(tree.polys, np.array([coverage.EMPTY], dtype=object))
        tree.edited.add(len(tree.polys) - 1)
        if L + 1 < len(self.levels):            # the level below has one more possible parent
            below = self.levels[L + 1].state
            below.unions = np.append(below.unions, np.array([coverage.EMPTY], dtype=object))

    def apply(self, changes: dict, allow_new: bool = False) -> CheckDelta:
        """Apply a fix (``{grid id: geometry}`` in the plan CRS) and re-check its
        neighbourhood.  If any problem appears that was not there before (same
        rule and grids), the change is undone and :class:`~.fixes.FixError` is
        raised — a fix never creates a new problem.  The caller writes the same
        geometries into the plan (and its undo stack)."""
        from .fixes import FixError

        old = {int(gid): self.current_geometry(gid) for gid in changes}
        delta = self.update_many(changes)
        before = {(q.rule, frozenset(q.ids)) for q in delta.removed}
        new = [q for q in delta.added if (q.rule, frozenset(q.ids)) not in before]
        if new and not allow_new:
            self.update_many(old)
            raise FixError("the fix would create new problems: " + "; ".join(q.message_en for q in new[:5]))
        return delta

    def refresh_attributes(self, segments=None, scope=None) -> CheckDelta:
        """Re-run the rules that read the plan's attributes (codes, roles, people,
        segments, places, workload) against ``self.plan`` and the current geometry.
        ``segments``: the street-segment rules run again for these segment ids only (the
        others' findings are kept: they depend on a segment's own row and the grids it lies
        in, and :meth:`update_many` re-checks the segments near an edited grid).
        ``scope`` (:class:`~.runner.AttributeScope`): the code, responsibility, phone,
        role-to-confirm and area rules run for what it names and what depends on it only;
        the other findings of those rules are kept (the result is that of a whole re-run)."""
        from .runner import resolve_scope, scoped_drop, _SCOPED_RULES

        t0 = time.perf_counter()
        if segments is not None:
            segments = set(int(i) for i in segments)
        self._follow_segments(segments)
        lengths = self._segment_lengths(segments)
        b = _Builder(self.frame, self.settings)
        polys = None
        if scope is not None:
            g = scope.grids
            for q, _ in self._entries:            # the other grids of a duplicate code are re-checked too
                if q.rule == "duplicate_code" and any(i in g for i in q.ids):
                    scope.dup_members |= {int(i) for i in q.ids if int(i) >= 0}
            resolve_scope(self.plan, scope)
            polys = _SessionPolys(self)
        _attribute_problems(b, self.plan, self.levels, self.frame, self.settings, {}, only_segments=segments,
                            scope=scope, polys=polys, seg_lengths=lengths)
        problems, metric = b.build_with_metric()
        scoped = scoped_drop(scope) if scope is not None else None
        if segments is None and scoped is None:
            drop = lambda q, g: q.rule in _ATTRIBUTE_RULES                       # noqa: E731
        else:
            def drop(q, g):
                if q.rule not in _ATTRIBUTE_RULES:
                    return False
                if segments is not None and q.rule in _SEGMENT_RULES:
                    return q.extra.get("segment_id") in segments
                if scoped is not None and q.rule in _SCOPED_RULES:
                    return scoped(q, g)
                return True
        delta = self._apply([drop], list(zip(problems, metric)))
        delta.seconds = time.perf_counter() - t0
        return delta

    # ------------------------------------------------------------------ internals
    def _apply(self, drop, new) -> CheckDelta:
        new = [(q, g) for q, g in new if not any(int(i) < 0 for i in q.ids)]   # removed grids' slots
        keep, removed = [], []
        for q, g in self._entries:
            (removed if any(d(q, g) for d in drop) else keep).append((q, g))
        # problems that come back unchanged are neither removed nor added
        old_keys = {}
        for q, g in removed:
            old_keys.setdefault(_same_key(q), []).append((q, g))
        added, kept = [], []
        for q, g in new:
            k = _same_key(q)
            if old_keys.get(k):
                old = old_keys[k].pop()
                if old[0].message_zh == q.message_zh and old[0].message_en == q.message_en:
                    kept.append(old)
                else:                                # the same problem, worded anew (a grid renamed)
                    old_keys.setdefault(("__reworded__",), []).append(old)
                    added.append((q, g))
            else:
                added.append((q, g))
        really_removed = [x for v in old_keys.values() for x in v]
        self._entries = keep + kept + added
        return CheckDelta(removed=[q for q, _ in really_removed], added=[q for q, _ in added])

    def _refresh_flags(self, st, pos, shapes) -> None:
        """Which grids have unmatched edges, exactly, for the edited grids and the grids
        their old or new shapes touch (a grid's edges can only be invalidated by grids
        that touch it).  The edited grids and the touched grids that fitted all their
        neighbours before are validated together; a touched grid that already had an
        unmatched edge is validated again with all its own neighbours."""
        ring = np.array(sorted(self._neighbours(st, shapes) | set(pos.tolist())), dtype=np.int64)
        was = st.flagged[ring].copy()
        e = coverage.invalid_edges(st.polys[ring])
        simple = np.isin(ring, pos) | ~was
        st.flagged[ring[simple]] = st.invalid[ring[simple]] | ~shapely.is_empty(e[simple])
        st.edges[ring[simple]] = e[simple]
        again = ring[~simple]
        if len(again):
            r2 = np.array(sorted(set(again.tolist()) | self._neighbours(st, st.polys[again])), dtype=np.int64)
            e2 = coverage.invalid_edges(st.polys[r2])
            sel = np.isin(r2, again)
            st.flagged[r2[sel]] = st.invalid[r2[sel]] | ~shapely.is_empty(e2[sel])
            st.edges[r2[sel]] = e2[sel]

    def _neighbours(self, st, geoms) -> set:
        geoms = np.asarray([g for g in geoms if g is not None and not shapely.is_empty(g)], dtype=object)
        if len(geoms) == 0:
            return set()
        _, dst = st.tree.query(geoms, predicate="intersects")
        return {int(d) for d in dst}

    def _regions_drop(self, L: int, parents):
        key = self.levels[L].key
        above = self.levels[L - 1]
        qids = {int(above.ids[q]) for q in parents}
        kids = set()
        for q in parents:
            kids |= {int(self.levels[L].ids[k]) for k in self._children[L].get(q, [])}

        def pred(prob, g):
            if prob.level != key:
                return False
            if _is_gap(prob) and prob.scope in qids:
                return True
            return prob.rule == "outside_parent" and len(prob.ids) == 1 and prob.ids[0] in kids
        return pred

    def _regions(self, L: int, parents, rules: set) -> list:
        """Gaps and outside_parent of the children (level L) of the parent positions given."""
        lv = self.levels[L]
        st = lv.state
        above = self.levels[L - 1].state
        s = self.settings
        parents = np.array(sorted(parents), dtype=np.int64)
        local = np.full(len(self.levels[L - 1].ids), -1, dtype=np.int64)
        local[parents] = np.arange(len(parents))
        kids = np.concatenate([self._children[L].get(int(q), np.zeros(0, dtype=np.int64)) for q in parents])
        groups = np.full(len(st.polys), -1, dtype=np.int64)
        if len(kids):
            groups[kids] = local[lv.groups[kids]]
        unions = coverage.group_unions(st.polys[kids], groups[kids], len(parents), ~st.flagged[kids])
        st.unions[parents] = unions
        found = coverage.nesting_findings(st.polys, groups, above.polys[parents], unions, st.tree, s.gap_tol_m2,
                                          s.sliver_width_m, "outside_parent", gaps=bool(rules & {"gap", "sliver"}),
                                          outside="outside_parent" in rules)
        for f in found:
            if f.scope is not None:
                f.scope = int(parents[f.scope])
        return [f for f in found if f.rule in rules]

    def _parent_windows(self, L: int, pos, boxes, rules: set, drop: list) -> list:
        """Edited grids below the top level: their own ``outside_parent``, and their
        parents' gaps in one window per parent around the edits (grown until no gap
        crosses a window's border), all parents at once."""
        lv = self.levels[L]
        st = lv.state
        above = self.levels[L - 1]
        s = self.settings
        key = lv.key
        found: list = []
        gq = lv.groups[pos]
        has = gq >= 0
        gids = {int(lv.ids[p]) for p in pos}
        drop.append(lambda q, g: q.level == key and q.rule == "outside_parent" and len(q.ids) == 1
                    and q.ids[0] in gids)
        if "outside_parent" in rules and has.any():
            of = coverage.outside_parts(st.polys[pos[has]], above.state.polys[gq[has]], s.gap_tol_m2,
                                        s.sliver_width_m, "outside_parent")
            for f in of:
                f.members = (int(pos[has][f.members[0]]),)
            found += of
        if not (rules & {"gap", "sliver"}) or not has.any():
            return found
        win: dict[int, tuple] = {}
        for q, bx in zip(gq[has], np.asarray(boxes, dtype=object)[has]):
            win[int(q)] = _union_box(win[int(q)], bx) if int(q) in win else tuple(bx)
        qs = np.array(sorted(win), dtype=np.int64)
        w = np.array([_grow(win[q], max(_diag(win[q]) * 0.1, 10 * s.sliver_width_m, 1.0)) for q in qs])
        pbounds = shapely.bounds(above.state.polys[qs])
        qids = {int(above.ids[q]): k for k, q in enumerate(qs)}
        olds: dict[int, list] = {}
        for q, g in self._entries:
            if q.level == key and _is_gap(q) and q.scope in qids and g is not None:
                olds.setdefault(qids[q.scope], []).append(shapely.bounds(g))
        while True:
            grown = False
            for k, bl in olds.items():        # a window must hold every old gap it touches
                for gb in bl:
                    hit = gb[0] <= w[k, 2] and w[k, 0] <= gb[2] and gb[1] <= w[k, 3] and w[k, 1] <= gb[3]
                    if hit and not _within(gb, w[k]):
                        w[k] = _union_box(w[k], gb)
                        grown = True
            if grown:
                continue
            wg = shapely.box(w[:, 0], w[:, 1], w[:, 2], w[:, 3])
            src, kid = st.tree.query(wg)
            mine = lv.groups[kid] == qs[src]
            src, kid = src[mine], kid[mine]
            unions = coverage.group_unions(st.polys[kid], src, len(qs), ~st.flagged[kid])
            region = coverage.polygon_part(coverage._robust(shapely.intersection, above.state.polys[qs], wg))
            parts, psrc = coverage._parts(coverage._robust(shapely.difference, region, unions), s.gap_tol_m2)
            full = np.array([_within(pbounds[k], w[k]) for k in range(len(qs))])
            touch = np.zeros(len(parts), dtype=bool)
            if len(parts):
                touch = shapely.intersects(parts, shapely.boundary(wg[psrc])) & ~full[psrc]
            if touch.any():
                for k in np.unique(psrc[touch]):
                    w[k] = _grow(w[k], _diag(w[k]) * 0.5)
                continue
            break
        windows = {int(above.ids[q]): wg[k] for k, q in enumerate(qs)}
        drop.append(lambda q, g: q.level == key and _is_gap(q) and q.scope in windows and g is not None
                    and shapely.intersects(g, windows[q.scope]))
        gaps = coverage.gap_findings(parts, st.tree, st.polys, s.sliver_width_m, scopes=qs[psrc],
                                      gap_tol=s.gap_tol_m2)
        return found + [f for f in gaps if f.rule in rules]

    def _window_gaps(self, box):
        """Top-level gaps (jurisdiction − grids) in a window around ``box`` that
        grows until no gap crosses its border."""
        lv = self.levels[0]
        st = lv.state
        s = self.settings
        J = self.jurisdiction
        jb = shapely.bounds(J)
        w = _grow(box, max(_diag(box) * 0.1, 10 * s.sliver_width_m, 1.0))
        olds = [g for q, g in self._entries if q.level == lv.key and _is_gap(q) and g is not None]
        while True:
            wg = shapely.box(*w)
            grown = False
            for g in olds:
                if shapely.intersects(g, wg):
                    gb = shapely.bounds(g)
                    if not _within(gb, w):
                        w = _union_box(w, gb)
                        grown = True
            if grown:
                continue
            _, local = st.tree.query(np.array([wg], dtype=object), predicate="intersects")
            local = np.unique(local)
            u = coverage.union_of(st.polys[local], clean=~st.flagged[local])
            region = coverage.polygon_part(coverage._robust(shapely.intersection, np.array([J], dtype=object),
                                                            np.array([wg], dtype=object)))[0]
            diff = coverage._robust(shapely.difference, np.array([region], dtype=object),
                                    np.array([u], dtype=object))
            parts, _ = coverage._parts(diff, s.gap_tol_m2)
            full = _within(jb, w)
            if not full and len(parts) and shapely.intersects(parts, shapely.boundary(wg)).any():
                w = _grow(w, _diag(w) * 0.5)
                continue
            break
        gaps = coverage.gap_findings(parts, st.tree, st.polys, s.sliver_width_m,
                                     scopes=np.zeros(len(parts), dtype=np.int64), gap_tol=s.gap_tol_m2)
        return wg, gaps

    def _window_holes(self, box):
        """Top level without a jurisdiction: holes of the union, kept current by
        splicing the window's union into the level's union."""
        lv = self.levels[0]
        st = lv.state
        s = self.settings
        w = _grow(box, max(_diag(box) * 0.1, 10 * s.sliver_width_m, 1.0))
        wg = shapely.box(*w)
        _, local = st.tree.query(np.array([wg], dtype=object), predicate="intersects")
        local = np.unique(local)
        u_loc = coverage.union_of(st.polys[local], clean=~st.flagged[local])
        inside = coverage._robust(shapely.intersection, np.array([u_loc], dtype=object),
                                  np.array([wg], dtype=object))
        outside = coverage._robust(shapely.difference, np.array([st.unions[0]], dtype=object),
                                   np.array([wg], dtype=object))
        u = coverage.polygon_part(coverage._robust(shapely.union, outside, inside))[0]
        st.unions[0] = u
        holes = coverage.union_holes(u)
        if len(holes):
            holes = holes[shapely.intersects(holes, wg) & (shapely.area(holes) > s.gap_tol_m2)]
        gaps = coverage.gap_findings(holes, st.tree, st.polys, s.sliver_width_m,
                                     scopes=np.zeros(len(holes), dtype=np.int64), gap_tol=s.gap_tol_m2)
        # holes away from the window did not change: only those touching it are replaced
        return wg, gaps

    def _segment_index(self) -> None:
        """Street segments in the metric CRS, their index, and the level/position of their grid."""
        plan = self.plan
        if self._segs is not None or plan is None or len(plan.segments) == 0:
            return
        segs = self.frame.forward(np.asarray(plan.segments.geometry.values, dtype=object))
        sgrid = pd.array(plan.segments["grid"], dtype="Int64").fillna(-1).to_numpy(dtype=np.int64)
        level = np.full(len(segs), -1, dtype=np.int64)
        pos = np.full(len(segs), -1, dtype=np.int64)
        for k, g in enumerate(sgrid.tolist()):
            if g in self._where:
                level[k], pos[k] = self._where[g]
        self._segs = (segs, coverage.GridIndex(segs), level, pos, plan.segments.index.to_numpy(dtype=np.int64))
        self._seg_pos = {int(i): k for k, i in enumerate(self._segs[4].tolist())}

    def _follow_segments(self, segments) -> None:
        """The segment index after an edit of ``segments`` (ids; None: any — built again when
        next needed): their geometry and grid position, row by row."""
        if self._segs is None:
            return
        plan = self.plan
        if segments is None or plan is None:
            self._segs = None
            return
        segs, tree, level, pos, sids = self._segs
        table = plan.segments
        for sid in sorted(segments):
            k = self._seg_pos.get(sid)
            here = sid in table.index
            if k is None and not here:
                continue
            if k is None:                       # a new segment: one more slot
                k = len(sids)
                segs = np.append(segs, np.array([coverage.EMPTY], dtype=object))
                tree.polys = np.append(tree.polys, np.array([coverage.EMPTY], dtype=object))
                level, pos, sids = np.append(level, -1), np.append(pos, -1), np.append(sids, sid)
                self._seg_pos[sid] = k
            if here:
                geom = table.geometry[sid]
                m = self.frame.forward(np.array([geom], dtype=object))[0] if geom is not None else coverage.EMPTY
                g = table.at[sid, "grid"]
                L, p = self._where.get(int(g), (-1, -1)) if not pd.isna(g) else (-1, -1)
            else:                               # removed: an empty slot, never found
                m, L, p = coverage.EMPTY, -1, -1
            segs[k] = m
            tree.set(k, m)
            level[k], pos[k] = L, p
        self._segs = (segs, tree, level, pos, sids)

    def _segment_lengths(self, segments):
        """The metric length of every segment of ``self.plan`` (in its order), kept from one
        re-check to the next and measured again for ``segments`` only (None: all)."""
        plan = self.plan
        if plan is None or not len(plan.segments):
            return None
        cache = getattr(self, "_seg_len", None)
        if cache is None or segments is None:
            lengths = shapely.length(self.frame.forward(np.asarray(plan.segments.geometry.values, dtype=object)))
            self._seg_len = pd.Series(lengths, index=plan.segments.index.to_numpy(dtype=np.int64))
            return lengths
        table = plan.segments
        here = [s for s in segments if s in table.index]
        gone = [s for s in segments if s not in table.index and s in cache.index]
        if gone:
            cache = cache.drop(index=gone)
        if here:
            new = shapely.length(self.frame.forward(np.asarray(table.geometry.loc[here].values, dtype=object)))
            upd = pd.Series(new, index=np.asarray(here, dtype=np.int64))
            cache = pd.concat([cache[~cache.index.isin(here)], upd])
        self._seg_len = cache
        out = cache.reindex(table.index.to_numpy(dtype=np.int64))
        if out.isna().any():                  # a segment the cache never saw: measure all again
            return self._segment_lengths(None)
        return out.to_numpy(dtype=float)

    def _segments_near(self, boxes, L: int, b: _Builder) -> set:
        """Re-run segment_crosses_boundary / segment_wrong_grid for segments near ``box``."""
        s = self.settings
        plan = self.plan
        if not (s.enabled("segment_crosses_boundary") or s.enabled("segment_wrong_grid")):
            return set()
        if plan is None or len(plan.segments) == 0:
            return set()
        self._segment_index()
        segs, tree, level, pos, sids = self._segs
        _, hit = tree.query(np.array([shapely.box(*bx) for bx in boxes], dtype=object))
        hit = np.unique(hit)
        hit = hit[level[hit] == L]
        if len(hit) == 0:
            return set()
        lv = self.levels[L]
        out = set(int(sids[k]) for k in hit)
        for rule, k, gpos, loc, ex in segments.segment_findings(segs[hit], pos[hit], lv.state.polys, lv.state.tree,
                                                                s.segment_tol_m):
            if rule == "segment_unassigned":
                continue
            sid = int(sids[hit[k]])
            road = str(plan.segments.at[sid, "road_name"] or "")
            extra = {"segment": f"#{sid}" + (f"（{road}）" if road else ""), "segment_id": sid}
            if rule == "segment_wrong_grid":
                extra["assigned"] = lv.names[ex["assigned_pos"]]
                extra["best"] = lv.names[ex["best_pos"]] if ex["best_pos"] >= 0 else "（无）"
            else:
                extra["length_m"] = ex["length_m"]
            b.add(rule, [lv.names[g] for g in gpos], loc, ids=[int(lv.ids[g]) for g in gpos], **extra)
        return out


class _SessionPolys:
    """grid id → its metric polygon as the session has it (a mapping over ``_where``)."""

    def __init__(self, session):
        self.s = session

    def __contains__(self, gid) -> bool:
        try:
            return int(gid) in self.s._where
        except (TypeError, ValueError):
            return False

    def __getitem__(self, gid):
        L, p = self.s._where[int(gid)]
        return self.s.levels[L].state.polys[p]

    def get(self, gid, default=None):
        return self[gid] if gid is not None and gid in self else default

    def level_areas(self, L: int) -> np.ndarray:
        """The planar areas of level L's polygons, kept by the session between re-checks."""
        cache = self.s.__dict__.setdefault("_areas", {})
        polys = self.s.levels[L].state.polys
        a = cache.get(L)
        if a is None or len(a) != len(polys):
            a = cache[L] = shapely.area(polys)
        return a


def _same_key(q: Problem) -> tuple:
    """What makes a re-found problem the same one: its key, and the segment, place or
    person it is about (problems without grids — an unassigned segment — differ only there)."""
    ex = q.extra
    return (q.key(), ex.get("segment_id"), ex.get("place_id"), ex.get("person_id"))


def coverage_point(g):
    return None if g is None or shapely.is_empty(g) else shapely.point_on_surface(g)


def _union_all_boxes(boxes):
    b = np.array(boxes, dtype=float).reshape(-1, 4)
    return (b[:, 0].min(), b[:, 1].min(), b[:, 2].max(), b[:, 3].max())


def _bounds(*geoms):
    bs = [shapely.bounds(g) for g in geoms if g is not None and not shapely.is_empty(g)]
    if not bs:
        return (0.0, 0.0, 0.0, 0.0)
    b = np.array(bs)
    return (b[:, 0].min(), b[:, 1].min(), b[:, 2].max(), b[:, 3].max())


def _diag(b) -> float:
    return float(np.hypot(b[2] - b[0], b[3] - b[1]))


def _grow(b, d: float):
    return (b[0] - d, b[1] - d, b[2] + d, b[3] + d)


def _within(inner, outer) -> bool:
    return inner[0] >= outer[0] and inner[1] >= outer[1] and inner[2] <= outer[2] and inner[3] <= outer[3]


def _union_box(a, b):
    return (min(a[0], b[0]), min(a[1], b[1]), max(a[2], b[2]), max(a[3], b[3]))
