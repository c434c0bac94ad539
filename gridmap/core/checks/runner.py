"""Run the checks: all rules on a plan (:func:`check_plan`) or on one layer of
polygons from any file (:func:`check_grids`), in one pass that survives
invalid input and reports everything.

>>> from shapely import box
>>> from gridmap.core.plan import Plan
>>> plan = Plan.new("例", crs="EPSG:4547", admin_code="440306", levels="two")
>>> plan.set_jurisdiction(box(0, 0, 200, 100))
>>> big = plan.add_grid(box(0, 0, 200, 100), "large")
>>> a = plan.add_grid(box(0, 0, 100, 100), "small", parent=big)
>>> b = plan.add_grid(box(100, 0, 190, 100), "small", parent=big)
>>> plan.auto_number()
>>> result = check_plan(plan, CheckSettings(disabled=frozenset({"no_leader", "no_officer", "no_unit"})))
>>> result.summary()
{'gap': 1}
>>> p = result.problems[0]
>>> p.grids, p.area_m2, round(p.width_m, 2), p.scope == big
(('44030600100002',), 1000.0, 10.0, True)
>>> result.exit_code
1
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import CRS

from . import codes_rules, coverage, responsibility, segments, workload
from .metric import MetricFrame
from .problems import RULE_IDS, RULES, Problem, make_problem, point_on, points_on, summary
from .settings import CheckSettings, SettingsError

__all__ = ["CheckResult", "check_plan", "check_grids", "LevelData", "grid_names", "problems_frame"]


@dataclass
class LevelData:
    """One level's arrays as the checks see them (metric CRS)."""

    key: str
    name: str
    ids: np.ndarray          # grid ids (plan) or 1-based row numbers (file)
    names: np.ndarray        # code, or "#id" when a grid has no code
    geoms: np.ndarray        # metric geometries as given
    groups: np.ndarray       # position of each grid's parent in the level above (-1: none)
    multipart_ok: np.ndarray
    min_area: float = 0.0
    max_area: float = 0.0
    state: coverage.LevelState | None = None


@dataclass
class CheckResult:
    """The problems of one run, in the CRS of the checked data."""

    problems: list[Problem]
    crs: CRS
    timings: dict = field(default_factory=dict)
    levels: list = field(default_factory=list)
    frame: MetricFrame | None = None
    jurisdiction: object = None     # metric, polygonal
    metric: list = field(default_factory=list)   # each problem's location in the metric CRS

    def summary(self) -> dict[str, int]:
        return summary(self.problems)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def exit_code(self) -> int:
        """0 when there is no error-severity problem, 1 otherwise."""
        return 1 if self.errors else 0

    def to_json(self) -> dict:
        """``{"problems": [...], "summary": {rule: count}}`` (the ``gridmap check --json`` object)."""
        pts = points_on([p.geometry for p in self.problems])      # (one GEOS call per kind, not per problem)
        return {"problems": [p.to_json(point=pt) for p, pt in zip(self.problems, pts)], "summary": self.summary()}

    def to_frame(self) -> gpd.GeoDataFrame:
        return problems_frame(self.problems, self.crs)


def problems_frame(problems, crs) -> gpd.GeoDataFrame:
    """Problems as a GeoDataFrame (one row each) for a GIS layer.

    Columns: rule, severity, grids (comma-separated codes), area_m2, width_m,
    x, y, title_zh, message_zh, message_en, detail.
    """
    rows = []
    geoms = []
    for p in problems:
        j = p.to_json()
        rows.append({
            "rule": p.rule, "severity": p.severity, "grids": ",".join(p.grids),
            "area_m2": j["area_m2"], "width_m": j["width_m"], "x": j["x"], "y": j["y"],
            "title_zh": RULES[p.rule].title_zh, "message_zh": p.message_zh, "message_en": p.message_en,
            "detail": p.detail,
        })
        geoms.append(p.geometry)
    df = pd.DataFrame(rows, columns=["rule", "severity", "grids", "area_m2", "width_m", "x", "y", "title_zh",
                                     "message_zh", "message_en", "detail"])
    return gpd.GeoDataFrame(df, geometry=gpd.GeoSeries(geoms, crs=crs), crs=crs)


def grid_names(codes, ids) -> np.ndarray:
    """The name a grid has in problem reports: its code, or ``#id`` without one.

    >>> grid_names(["4403", "", None], [1, 2, 3]).tolist()
    ['4403', '#2', '#3']
    """
    out = []
    for c, i in zip(codes, ids):
        c = "" if c is None or (not isinstance(c, str) and pd.isna(c)) else str(c)
        out.append(c if c else f"#{int(i)}")
    return np.array(out, dtype=object)


def _polygonal_region(geom):
    if geom is None or shapely.is_empty(geom):
        return None
    g = geom
    if not shapely.is_valid(g):
        g = coverage.polygonal(np.array([g], dtype=object))[0]
    else:
        g = coverage.polygon_part(np.array([g], dtype=object))[0]
    return None if shapely.is_empty(g) else g


_ORDER = {r: k for k, r in enumerate(RULE_IDS)}


def sort_key(p: Problem):
    """Errors first, then rule order, level, grids."""
    return (p.severity != "error", _ORDER[p.rule], p.level, p.grids, p.detail, -(p.area_m2 or 0.0))


def _sort(problems: list[Problem]) -> list[Problem]:
    return sorted(problems, key=sort_key)


def _sort_pairs(problems: list[Problem], metric: list) -> tuple[list, list]:
    order = sorted(range(len(problems)), key=lambda k: sort_key(problems[k]))
    return [problems[k] for k in order], [metric[k] for k in order]


class _Builder:
    """Turns findings (positions, metric geometry) into problems (codes, input CRS)."""

    def __init__(self, frame: MetricFrame, settings: CheckSettings):
        self.frame = frame
        self.settings = settings
        self.pending: list[tuple] = []

    def add(self, rule, grids, geometry, ids=(), **kw):
        if not self.settings.enabled(rule):
            return
        self.pending.append((rule, tuple(grids), geometry, tuple(ids), kw))

    def build(self) -> list[Problem]:
        return self.build_with_metric()[0]

    def build_with_metric(self) -> tuple[list[Problem], list]:
        """The problems, and their locations in the metric CRS."""
        metric = [p[2] for p in self.pending]
        geoms = np.array(metric, dtype=object)
        if self.frame.geographic and len(geoms):
            self._true_measures(geoms)
        if len(geoms):
            present = ~shapely.is_missing(geoms)
            if present.any():
                geoms[present] = self.frame.backward(geoms[present])
        out = []
        for (rule, grids, _, ids, kw), g in zip(self.pending, geoms):
            out.append(make_problem(rule, grids, geometry=g, ids=ids,
                                    severity=self.settings.severity_of(rule), **kw))
        return out, metric


    def _true_measures(self, geoms) -> None:
        """Geographic data: areas and widths of the reported pieces measured again
        in an equal-area projection (the frame is only locally true)."""
        present = ~shapely.is_missing(geoms)
        dims = np.full(len(geoms), -1)
        dims[present] = shapely.get_dimensions(geoms[present])
        k = np.flatnonzero((dims == 2) & np.array([p[4].get("area_m2") is not None for p in self.pending]))
        if len(k) == 0:
            return
        ea = self.frame.equal_area(geoms[k])
        areas = shapely.area(ea)
        need_w = [j for j, i in enumerate(k) if self.pending[i][4].get("width_m") is not None]
        w = coverage.widths(ea[need_w], self.settings.sliver_width_m) if need_w else []
        for j, i in enumerate(k):
            self.pending[i][4]["area_m2"] = float(areas[j])
        for j, wd in zip(need_w, w):
            self.pending[k[j]][4]["width_m"] = float(wd)


def _coverage_problems(b: _Builder, levels: list[LevelData], jurisdiction, settings: CheckSettings,
                       timings: dict, step=None) -> None:
    rules = {r for r in coverage.GEOMETRY_RULES if settings.enabled(r)}
    above: LevelData | None = None
    for k, lv in enumerate(levels):
        if step is not None:
            step(k)
        t0 = time.perf_counter()
        state: dict = {}
        kw = dict(overlap_tol=settings.overlap_tol_m2, gap_tol=settings.gap_tol_m2,
                  sliver_width=settings.sliver_width_m, multipart_allowed=lv.multipart_ok, rules=rules,
                  state=state, step=None if step is None else (lambda f, k=k: step(k + f)))
        if above is None:
            found = coverage.check_level(lv.geoms, region=jurisdiction, **kw)
        else:
            found = coverage.check_level(lv.geoms, groups=lv.groups, regions=above.state.polys, **kw)
        lv.state = state["level"]
        emit_findings(b, lv, above, found, has_region=jurisdiction is not None)
        timings[f"coverage:{lv.key}"] = time.perf_counter() - t0
        above = lv


def emit_findings(b: _Builder, lv: LevelData, above: LevelData | None, found, has_region: bool = True) -> None:
    """Add coverage findings of one level to a builder as problems."""
    for f in found:
        members = f.members
        if f.rule in ("overlap", "edge_mismatch") or (f.rule == "sliver" and f.extra.get("kind") == "overlap"):
            members = tuple(sorted(members, key=lambda m: (lv.names[m], int(lv.ids[m]))))
        elif f.ranks and len(f.ranks) == len(members):
            # a gap's members: longest shared border (whole µm) first, ties by code
            rank = dict(zip(members, f.ranks))
            members = tuple(sorted(members, key=lambda m: (-rank[m], lv.names[m], int(lv.ids[m]))))
        ids = tuple(int(lv.ids[m]) for m in members)
        names = [lv.names[m] for m in members]
        extra = dict(f.extra)
        scope = None
        is_gap = f.rule == "gap" or (f.rule == "sliver" and f.extra.get("kind") == "gap")
        if is_gap:
            if above is not None and f.scope is not None and f.scope >= 0:
                scope = int(above.ids[f.scope])
                pname = above.names[f.scope]
                extra.update(where_zh=f"上级网格 {pname} 内", where_en=f"of parent grid {pname} ")
            else:
                scope = 0
                if has_region:
                    extra.update(where_zh="辖区内", where_en="of the jurisdiction ")
        if f.rule == "outside_parent" and above is not None:
            g = lv.groups[f.members[0]]
            extra["parent"] = above.names[g] if g >= 0 else ""
        b.add(f.rule, names, f.geometry, ids=ids, area_m2=f.area, width_m=f.width, detail=f.detail,
              scope=scope, level=lv.key, **extra)


def _code_problems(b: _Builder, grids: pd.DataFrame, names_by_id: pd.Series, geoms_by_id, patterns, admin: str,
                   parent_codes) -> None:
    codes = grids["code"].to_numpy(dtype=object)
    ids = grids.index.to_numpy(dtype=np.int64)
    if b.settings.enabled("duplicate_code"):
        for code, pos in codes_rules.duplicate_codes(codes):
            gids = [int(ids[p]) for p in pos]
            pts = [pt for pt in (point_on(geoms_by_id[g]) for g in gids) if pt is not None]
            b.add("duplicate_code", [code] * len(gids), shapely.MultiPoint(pts) if pts else None, ids=gids)
    if b.settings.enabled("bad_code"):
        if patterns is None:
            found = codes_rules.prefix_codes(codes, parent_codes)
        else:
            found = codes_rules.bad_codes(codes, patterns, admin, parent_codes)
        for pos, why, why_zh in found:
            gid = int(ids[pos])
            b.add("bad_code", [names_by_id[gid]], point_on(geoms_by_id[gid]), ids=[gid], detail=why,
                  reason_zh=why_zh)


def _points(geoms):
    """Representative points (metric) of polygonal geometries, None for empty."""
    geoms = np.asarray(geoms, dtype=object)
    out = np.full(len(geoms), None, dtype=object)
    ok = ~(shapely.is_missing(geoms) | shapely.is_empty(geoms))
    if ok.any():
        out[ok] = shapely.point_on_surface(geoms[ok])
    return out


def _no_phone(b: _Builder, roles, people, polys, names_by_id) -> None:
    """``no_phone`` for the people of ``people`` on duty in ``roles`` (``polys``: grid id → metric polygon)."""
    for pid, pname, gids in responsibility.missing_phones(roles, people):
        gids = [g for g in gids if g in polys]
        pt = point_on(polys[gids[0]]) if gids else None
        b.add("no_phone", [names_by_id[g] for g in gids], pt, ids=gids, person=pname, person_id=pid)


def _roles_to_confirm(b: _Builder, plan, roles, polys, names_by_id) -> None:
    """``role_to_confirm`` for the rows of ``roles`` whose duty carries the review mark."""
    from ..editing.follow import REVIEW_MARK
    from ..plan import ROLE_LABELS

    marked = roles[roles["duty"].fillna("").astype(str).str.contains(REVIEW_MARK, regex=False).to_numpy(dtype=bool)]
    for rid, row in marked.iterrows():
        gid = None if pd.isna(row["grid"]) else int(row["grid"])
        if gid not in polys:
            continue
        pname = ""
        if not pd.isna(row["person"]) and int(row["person"]) in plan.people.index:
            pname = str(plan.people.at[int(row["person"]), "name"] or "")
        elif not pd.isna(row["unit"]) and int(row["unit"]) in plan.units.index:
            pname = str(plan.units.at[int(row["unit"]), "name"] or "")
        zh, en = ROLE_LABELS.get(str(row["role"]), (str(row["role"]), str(row["role"])))
        b.add("role_to_confirm", [names_by_id[gid]], point_on(polys[gid]), ids=[gid], person=pname,
              role_id=int(rid), role_zh=zh, role_en=en)


def _attribute_problems(b: _Builder, plan, levels: list[LevelData], frame: MetricFrame, settings: CheckSettings,
                        timings: dict, only_segments=None, scope=None, polys=None, seg_lengths=None,
                        step=None) -> None:
    """Codes, responsibility, segments and places, workload (the rules that are not about coverage).
    ``only_segments``: the segment rules run for these segment ids only (an incremental re-check).
    ``scope`` (an :class:`AttributeScope`): the code, responsibility, phone, role-to-confirm and
    area rules run for the grids, people and roles it names only (an incremental re-check;
    :func:`scoped_drop` says which earlier findings they replace); ``polys``: a mapping grid
    id → metric polygon (default: built from ``levels``); ``seg_lengths``: the segments'
    metric lengths in the order of ``plan.segments`` (default: measured here).
    ``step(fraction)`` between the groups of rules (progress; it may raise to stop a cancelled check)."""
    step = step or (lambda f: None)
    if scope is not None:
        _attribute_problems_scoped(b, plan, levels, frame, settings, timings, only_segments, scope, polys,
                                   seg_lengths)
        return
    grids = plan.grids
    names = grid_names(grids["code"], grids.index)
    names_by_id = pd.Series(names, index=grids.index)
    parent_ids = pd.array(grids["parent"], dtype="Int64").fillna(-1).to_numpy(dtype=np.int64)
    level_col = grids["level"].astype(str).to_numpy()
    # codes
    t0 = time.perf_counter()
    polys_by_id = {}
    for lv in levels:
        polys_by_id.update(zip(lv.ids.tolist(), lv.state.polys))
    pattern_of = {lv.key: lv.code_pattern for lv in plan.levels}
    patterns = np.array([pattern_of.get(k, "{parent}{seq:02d}") for k in level_col], dtype=object)
    code_by_id = pd.Series(grids["code"].to_numpy(dtype=object), index=grids.index)
    parent_codes = code_by_id.reindex(parent_ids).fillna("").to_numpy(dtype=object)
    known_levels = np.isin(level_col, list(pattern_of))
    _code_problems(b, grids, names_by_id, polys_by_id, patterns, plan.admin_code, parent_codes)
    for i in np.flatnonzero(~known_levels):
        gid = int(grids.index[i])
        b.add("bad_code", [names[i]], point_on(polys_by_id.get(gid)), ids=[gid],
              detail=f"unknown level {level_col[i]!r}", reason_zh=f"层级 {level_col[i]!r} 不存在")
    timings["codes"] = time.perf_counter() - t0
    step(0.3)

    # responsibility
    t0 = time.perf_counter()
    required = {what: settings.required_levels(what, plan.level_keys) for what in ("leader", "officer", "unit")}
    if not settings.enabled("no_leader"):
        required["leader"] = []
    if not settings.enabled("no_officer"):
        required["officer"] = []
    if not settings.enabled("no_unit"):
        required["unit"] = []
    missing = responsibility.missing_roles(grids, plan.roles, required, plan.people.index, plan.units.index)
    if missing:
        gids = np.array([g for _, g in missing], dtype=np.int64)
        pts = _points([polys_by_id[g] for g in gids])
        for (rule, gid), pt in zip(missing, pts):
            b.add(rule, [names_by_id[gid]], pt, ids=[gid])
    if settings.enabled("no_phone"):
        _no_phone(b, plan.roles, plan.people, polys_by_id, names_by_id)
    if settings.enabled("role_to_confirm") and len(plan.roles):
        _roles_to_confirm(b, plan, plan.roles, polys_by_id, names_by_id)
    timings["responsibility"] = time.perf_counter() - t0
    step(0.5)

    _attribute_tail(b, plan, levels, frame, settings, timings, only_segments, names_by_id, polys_by_id, level_col,
                    seg_lengths, step=step)


@dataclass
class AttributeScope:
    """What an incremental re-check of the attribute rules covers: the grids an edit
    touched (added, removed, changed — their codes, levels, parents), the people, units
    and roles it touched (rows added, removed or changed), and the grids of those roles
    before and after.  :func:`resolve_scope` widens it to every grid and person whose
    findings can depend on them (children and descendants, code duplicates, ancestors for
    inherited roles, the people on duty on a grid)."""

    grids: set = field(default_factory=set)
    people: set = field(default_factory=set)
    units: set = field(default_factory=set)
    roles: set = field(default_factory=set)
    role_grids: set = field(default_factory=set)
    dup_members: set = field(default_factory=set)      # members of earlier duplicate findings of those grids
    # filled by resolve_scope
    code_grids: set = field(default_factory=set)       # bad_code re-run (the grids and their children)
    dup_grids: set = field(default_factory=set)        # duplicate_code re-run (every grid of the codes involved)
    role_scope: set = field(default_factory=set)       # no_leader/no_officer/no_unit re-run
    phone_people: set = field(default_factory=set)     # no_phone re-run
    confirm_roles: set = field(default_factory=set)    # role_to_confirm re-run
    resolved: bool = False


def _where_in(series: pd.Series, values) -> np.ndarray:
    if not len(values) or not len(series):
        return np.zeros(len(series), dtype=bool)
    return series.isin(list(values)).fillna(False).to_numpy(dtype=bool)


def resolve_scope(plan, scope: AttributeScope) -> AttributeScope:
    """Widen ``scope`` to every grid, person and role whose attribute findings the edit can
    change (vectorised lookups over the plan's columns; Python work proportional to them)."""
    if scope.resolved:
        return scope
    grids, roles = plan.grids, plan.roles
    present = {int(g) for g in scope.grids if int(g) in grids.index}
    kids = set(grids.index[_where_in(grids["parent"], scope.grids)].tolist())
    scope.code_grids = set(scope.grids) | kids
    codes = grids["code"].reindex([g for g in (present | {int(m) for m in scope.dup_members})
                                   if g in grids.index]).dropna()
    codes = {str(c) for c in codes.tolist() if str(c) != ""}
    scope.dup_grids = set(scope.grids) | set(scope.dup_members) | set(
        grids.index[_where_in(grids["code"].astype(object), codes)].tolist())
    # responsibility: the grids, the grids of the roles touched and of the people/units touched,
    # and every descendant of them (a leader or a unit is inherited)
    r_person = roles["person"] if len(roles) else pd.Series(dtype="Int64")
    r_unit = roles["unit"] if len(roles) else pd.Series(dtype="Int64")
    of_people = _where_in(r_person, scope.people) | _where_in(r_unit, scope.units)
    base = set(scope.grids) | set(scope.role_grids)
    if of_people.any():
        base |= set(roles.loc[of_people, "grid"].dropna().astype(np.int64).tolist())
    out, frontier = set(base), set(base)
    for _ in range(32):
        nxt = set(grids.index[_where_in(grids["parent"], frontier)].tolist()) - out
        if not nxt:
            break
        out |= nxt
        frontier = nxt
    scope.role_scope = out
    # phones: the people touched and everybody on duty on the grids whose names or roles changed
    on = _where_in(roles["grid"], set(scope.grids) | set(scope.role_grids)) if len(roles) else np.zeros(0, bool)
    scope.phone_people = set(scope.people)
    if len(roles):
        scope.phone_people |= set(roles.loc[on, "person"].dropna().astype(np.int64).tolist())
        sel = on | of_people | roles.index.isin(list(scope.roles))
        scope.confirm_roles = set(roles.index[sel].tolist()) | set(scope.roles)
    else:
        scope.confirm_roles = set(scope.roles)
    scope.resolved = True
    return scope


_SCOPED_RULES = ("duplicate_code", "bad_code", "no_leader", "no_unit", "no_officer", "no_phone", "role_to_confirm",
                 "area_range")


def scoped_drop(scope: AttributeScope):
    """Which earlier findings a scoped re-check replaces: ``pred(problem, geometry)``.  The
    rules it does not scope (segments and places, imbalance, staffing, visits) are
    replaced whole, as :func:`_attribute_problems` re-runs them over the plan."""
    g = {int(i) for i in scope.grids}
    code_g, dup_g, role_g = scope.code_grids, scope.dup_grids, scope.role_scope
    phone, confirm = scope.phone_people, scope.confirm_roles

    def pred(q, geom) -> bool:
        ids = q.ids
        r = q.rule
        if r == "duplicate_code":
            return any(i in dup_g for i in ids)
        if r == "bad_code":
            return any(i in code_g for i in ids)
        if r in ("no_leader", "no_unit", "no_officer"):
            return any(i in role_g for i in ids)
        if r == "no_phone":
            return q.extra.get("person_id") in phone or any(i in g for i in ids)
        if r == "role_to_confirm":
            return q.extra.get("role_id") in confirm or any(i in g for i in ids)
        if r == "area_range":
            return any(i in g for i in ids)
        return True
    return pred


class _LazyNames:
    """grid id → its name in reports (code, or #id), looked up when asked."""

    def __init__(self, grids):
        self.codes = grids["code"]

    def __getitem__(self, gid):
        c = self.codes.at[gid]
        c = "" if c is None or (not isinstance(c, str) and pd.isna(c)) else str(c)
        return c if c else f"#{int(gid)}"


def _attribute_problems_scoped(b: _Builder, plan, levels, frame, settings, timings, only_segments, scope,
                               polys, seg_lengths) -> None:
    """:func:`_attribute_problems` for the grids, people and roles of ``scope`` only (the
    rules that depend on the whole plan — imbalance, staffing — still run over it)."""
    scope = resolve_scope(plan, scope)
    grids = plan.grids
    if polys is None:
        polys = {}
        for lv in levels:
            polys.update(zip(lv.ids.tolist(), lv.state.polys))
    names_by_id = _LazyNames(grids)
    t0 = time.perf_counter()
    pattern_of = {lv.key: lv.code_pattern for lv in plan.levels}
    # codes: duplicates among every grid of the codes involved; the pattern of the grids and their children
    if settings.enabled("duplicate_code"):
        d = grids.reindex([i for i in sorted(scope.dup_grids) if i in grids.index])
        codes = d["code"].to_numpy(dtype=object)
        ids = d.index.to_numpy(dtype=np.int64)
        for code, pos in codes_rules.duplicate_codes(codes):
            gids = [int(ids[p]) for p in pos]
            pts = [pt for pt in (point_on(polys[g]) for g in gids) if pt is not None]
            b.add("duplicate_code", [code] * len(gids), shapely.MultiPoint(pts) if pts else None, ids=gids)
    c = grids.reindex([i for i in sorted(scope.code_grids) if i in grids.index])
    if len(c):
        level_c = c["level"].astype(str).to_numpy()
        known = np.isin(level_c, list(pattern_of))
        if settings.enabled("bad_code"):
            patterns = np.array([pattern_of.get(k, "{parent}{seq:02d}") for k in level_c], dtype=object)
            pids = pd.array(c["parent"], dtype="Int64").fillna(-1).to_numpy(dtype=np.int64)
            parent_codes = grids["code"].reindex(pids).astype(object).fillna("").to_numpy(dtype=object)
            ids = c.index.to_numpy(dtype=np.int64)
            for pos, why, why_zh in codes_rules.bad_codes(c["code"].to_numpy(dtype=object), patterns,
                                                          plan.admin_code, parent_codes):
                gid = int(ids[pos])
                b.add("bad_code", [names_by_id[gid]], point_on(polys.get(gid)), ids=[gid], detail=why,
                      reason_zh=why_zh)
        for i in np.flatnonzero(~known):
            gid = int(c.index[i])
            b.add("bad_code", [names_by_id[gid]], point_on(polys.get(gid)), ids=[gid],
                  detail=f"unknown level {level_c[i]!r}", reason_zh=f"层级 {level_c[i]!r} 不存在")
    timings["codes"] = time.perf_counter() - t0
    # responsibility: the grids in scope with their ancestors (inherited roles), their roles only
    t0 = time.perf_counter()
    required = {what: settings.required_levels(what, plan.level_keys) for what in ("leader", "officer", "unit")}
    for rule, what in (("no_leader", "leader"), ("no_officer", "officer"), ("no_unit", "unit")):
        if not settings.enabled(rule):
            required[what] = []
    want = {int(i) for i in scope.role_scope if int(i) in grids.index}
    if want and any(required.values()):
        parent = grids["parent"]
        cover, frontier = set(want), set(want)
        for _ in range(32):
            up = {int(p) for p in parent.reindex(list(frontier)).dropna().tolist()} - cover
            up &= set(grids.index[grids.index.isin(list(up))].tolist())
            if not up:
                break
            cover |= up
            frontier = up
        sub = grids.loc[sorted(cover)]
        r = plan.roles[_where_in(plan.roles["grid"], cover)] if len(plan.roles) else plan.roles
        missing = [(rule, g) for rule, g in responsibility.missing_roles(sub, r, required, plan.people.index,
                                                                          plan.units.index) if g in want]
        if missing:
            pts = _points([polys[g] for _, g in missing])
            for (rule, gid), pt in zip(missing, pts):
                b.add(rule, [names_by_id[gid]], pt, ids=[gid])
    roles = plan.roles
    if settings.enabled("no_phone") and scope.phone_people and len(roles):
        mine = roles[_where_in(roles["person"], scope.phone_people)]
        people = plan.people.loc[plan.people.index.intersection(pd.Index(sorted(scope.phone_people)))]
        _no_phone(b, mine, people, polys, names_by_id)
    if settings.enabled("role_to_confirm") and scope.confirm_roles and len(roles):
        _roles_to_confirm(b, plan, roles.loc[roles.index.intersection(pd.Index(sorted(scope.confirm_roles)))],
                          polys, names_by_id)
    timings["responsibility"] = time.perf_counter() - t0
    level_col = grids["level"].astype(str).to_numpy()
    _attribute_tail(b, plan, levels, frame, settings, timings, only_segments, names_by_id, polys, level_col,
                    seg_lengths, area_ids={int(g) for g in scope.grids},
                    level_areas=getattr(polys, "level_areas", None))


def _positions(ids: np.ndarray, keys: np.ndarray) -> np.ndarray:
    """The position of each key in ``ids`` (unique; negative ids — a session's removed grids —
    are never matched), -1 where it is not there: a lookup table when the ids are dense (plan
    ids count up), else a pandas index lookup."""
    ids = np.asarray(ids, dtype=np.int64)
    keys = np.asarray(keys, dtype=np.int64)
    out = np.full(len(keys), -1, dtype=np.int64)
    real = np.flatnonzero(ids >= 0)
    if not len(real) or not len(keys):
        return out
    lo, hi = int(ids[real].min()), int(ids[real].max())
    if hi - lo <= 4 * len(real) + 4096:
        lut = np.full(hi - lo + 1, -1, dtype=np.int64)
        lut[ids[real] - lo] = real
        inr = (keys >= lo) & (keys <= hi)
        out[inr] = lut[keys[inr] - lo]
        return out
    hit = pd.Index(ids[real]).get_indexer(keys)
    out[hit >= 0] = real[hit[hit >= 0]]
    return out


def _attribute_tail(b: _Builder, plan, levels, frame, settings, timings, only_segments, names_by_id, polys_by_id,
                    level_col, seg_lengths, area_ids=None, level_areas=None, step=None) -> None:
    """Segments and places, workload, staffing and visits (``area_ids``: the area rule for
    these grids only; None: all; ``level_areas(L)``: the planar areas of level L's polygons,
    kept by the caller); ``step(fraction)`` as in :func:`_attribute_problems`."""
    step = step or (lambda f: None)
    grids = plan.grids
    # segments and places
    t0 = time.perf_counter()
    given_lengths = seg_lengths
    seg_lengths = np.zeros(len(plan.segments)) if seg_lengths is None else np.asarray(seg_lengths, dtype=float)
    if len(plan.segments) and any(settings.enabled(r) for r in
                                  ("segment_unassigned", "segment_crosses_boundary", "segment_wrong_grid")):
        seg_ids = plan.segments.index.to_numpy(dtype=np.int64)
        wanted = None if only_segments is None else np.isin(seg_ids, np.fromiter(only_segments, dtype=np.int64))
        raw = np.asarray(plan.segments.geometry.values, dtype=object)
        if wanted is None:
            segs = frame.forward(raw)
            seg_lengths = shapely.length(segs)
        else:                                  # only the segments re-checked are projected
            segs = np.full(len(raw), None, dtype=object)
            if wanted.any():
                segs[wanted] = frame.forward(raw[wanted])
            if given_lengths is None:
                seg_lengths = np.zeros(len(raw))
        # the rows re-checked only (an incremental re-check: a few of 75k segments, issue 21)
        rows = np.arange(len(seg_ids)) if wanted is None else np.flatnonzero(wanted)
        col = plan.segments["grid"]
        sgrid = pd.array(col if wanted is None else col.iloc[rows], dtype="Int64").fillna(-1).to_numpy(dtype=np.int64)
        at = _positions(grids.index.to_numpy(dtype=np.int64), sgrid)
        sgrid = np.where(at >= 0, sgrid, -1)
        seg_level = np.where(at >= 0, level_col[np.maximum(at, 0)] if len(level_col) else "", "")
        for lv in levels:
            here = np.flatnonzero((seg_level == lv.key) | ((sgrid < 0) & (lv is levels[-1])))
            if len(here) == 0:
                continue
            sel = rows[here]
            where = _positions(lv.ids, sgrid[here])
            assigned = np.where(sgrid[here] >= 0, where, -1)
            for rule, k, gpos, loc, ex in segments.segment_findings(segs[sel], assigned, lv.state.polys,
                                                                    lv.state.tree, settings.segment_tol_m):
                sid = int(seg_ids[sel[k]])
                road = str(plan.segments.at[sid, "road_name"] or "")
                label = f"#{sid}" + (f"（{road}）" if road else "")
                extra = {"segment": label, "segment_id": sid}
                if rule == "segment_wrong_grid":
                    extra["assigned"] = lv.names[ex["assigned_pos"]]
                    extra["best"] = lv.names[ex["best_pos"]] if ex["best_pos"] >= 0 else "（无）"
                if rule == "segment_crosses_boundary":
                    extra["length_m"] = ex["length_m"]
                b.add(rule, [lv.names[g] for g in gpos], loc, ids=[int(lv.ids[g]) for g in gpos], **extra)
    if len(plan.places) and settings.enabled("place_unassigned"):
        pgrid = pd.array(plan.places["grid"], dtype="Int64").fillna(-1).to_numpy(dtype=np.int64)
        pgrid = np.where(np.isin(pgrid, grids.index.to_numpy(dtype=np.int64)), pgrid, -1)
        pts = frame.forward(np.asarray(plan.places.geometry.values, dtype=object))
        for _, k, _, loc, _ in segments.place_findings(pts, pgrid):
            pid = int(plan.places.index[k])
            b.add("place_unassigned", [], loc, place=f"#{pid}（{plan.places.at[pid, 'name']}）", place_id=pid)
    timings["segments"] = time.perf_counter() - t0
    step(0.8)

    # workload
    t0 = time.perf_counter()
    if settings.enabled("area_range"):
        want = None if area_ids is None else np.fromiter((int(i) for i in area_ids), dtype=np.int64)
        for lv in levels:
            if lv.min_area > 0 or lv.max_area > 0:
                at = np.arange(len(lv.ids)) if want is None else np.flatnonzero(np.isin(lv.ids, want))
                areas = frame.true_areas(lv.state.polys[at]) if len(at) else np.zeros(0)
                for k, rng in workload.area_out_of_range(areas, np.full(len(areas), lv.min_area),
                                                         np.full(len(areas), lv.max_area)):
                    pos = int(at[k])
                    b.add("area_range", [lv.names[pos]], point_on(lv.state.polys[pos]), ids=[int(lv.ids[pos])],
                          area_m2=float(areas[k]), range=rng)
    if settings.enabled("imbalance") and len(plan.roles):
        all_ids = np.concatenate([lv.ids for lv in levels]) if levels else np.zeros(0, dtype=np.int64)
        all_areas = np.concatenate([shapely.area(lv.state.polys) if level_areas is None else level_areas(L)
                                    for L, lv in enumerate(levels)]) if levels else np.zeros(0)
        seg_grid = pd.array(plan.segments["grid"], dtype="Int64").fillna(-1).to_numpy(dtype=np.int64) \
            if len(plan.segments) else None
        if len(plan.segments) and not seg_lengths.any():
            seg_lengths = shapely.length(frame.forward(np.asarray(plan.segments.geometry.values, dtype=object)))
        place_grid = pd.array(plan.places["grid"], dtype="Int64").dropna().to_numpy(dtype=np.int64) \
            if len(plan.places) else None
        population = None
        if "population" in grids.columns:
            pop = pd.to_numeric(grids["population"], errors="coerce")
            if pop.fillna(0).gt(0).any():
                population = pop.reindex(all_ids).to_numpy(dtype=float)
        seg_officer = pd.array(plan.segments["officer"], dtype="Int64").fillna(-1).to_numpy(dtype=np.int64) \
            if len(plan.segments) else None
        w = workload.officer_workloads(all_ids, all_areas, plan.roles, seg_grid, seg_lengths, place_grid, population,
                                       seg_officer=seg_officer)
        found = workload.imbalance(w, settings.imbalance_pct)
        grids_of: dict = {}
        if found:
            r = plan.roles[plan.roles["role"].astype(str).isin(workload.WORKLOAD_ROLES)]
            r = pd.DataFrame({"person": pd.array(r["person"], dtype="Int64"),
                              "grid": pd.array(r["grid"], dtype="Int64")}).dropna()
            r = r[r["person"].isin({f[0] for f in found})]
            grids_of = {int(k): sorted(set(int(g) for g in v)) for k, v in r.groupby("person")["grid"]}
        for pid, metric_key, value, mean, pct in found:
            gids = [g for g in grids_of.get(pid, []) if g in polys_by_id]
            name = str(plan.people.at[pid, "name"]) if pid in plan.people.index else f"#{pid}"
            zh, en = workload.METRICS[metric_key]
            b.add("imbalance", [names_by_id[g] for g in gids], point_on(polys_by_id[gids[0]]) if gids else None,
                  ids=gids, detail=metric_key, person=name, person_id=pid, metric_zh=zh, metric_en=en,
                  value=value, mean=mean, pct=pct)
    timings["workload"] = time.perf_counter() - t0
    step(0.95)

    # staffing (定额) and places without a responsible person
    t0 = time.perf_counter()
    _staffing_problems(b, plan, names_by_id, polys_by_id, settings)
    timings["staffing"] = time.perf_counter() - t0
    if settings.enabled("no_visit") and len(plan.ledger):      # the work ledger (checks/visits.py)
        from .visits import missing_visits

        month, found = missing_visits(plan)
        for f in found:
            gid = f["grid"]
            if gid in polys_by_id:
                b.add("no_visit", [names_by_id[gid]], point_on(polys_by_id[gid]), ids=[gid], detail=f"visit:{month}",
                      month=month, last_visit=f["last_visit"], name=str(plan.grids.at[gid, "name"] or ""),
                      json={"month": month, "community": str(plan.grids.at[gid, "name"] or ""),
                            "last_visit": f["last_visit"],
                            "measures": {"visits": 0, "days_since_last_visit": f["days_since"]}})


def _staffing_problems(b: _Builder, plan, names_by_id, polys_by_id, settings: CheckSettings) -> None:
    from .. import staffing as S

    level_name = {lv.key: lv.name for lv in plan.levels}
    if settings.enabled("staffing"):
        try:
            found = S.staffing_findings(plan)
        except S.StaffingError as exc:
            raise SettingsError(str(exc)) from None
        for f in found:
            gid, item = f["grid"], f["item"]
            if gid not in polys_by_id:
                continue
            cat_en = S.CATEGORIES.get(item.category, "")
            post_en = item.label + (f" ({cat_en})" if cat_en and item.kind != "place" else "")
            key = item.kind + ":" + item.value + (f"[{item.category}]" if item.category else "")
            record = {"post": item.label, "kind": item.kind, "category": item.category, "required": f["required"],
                      "present": f["present"], "op": item.op, "short": f["short"],
                      "measures": {"required": f["required"], "present": f["present"],
                                   "missing": max(f["required"] - f["present"], 0),
                                   "over": max(f["present"] - f["required"], 0)}}
            record["place_ids" if f["places"] else "person_ids"] = list(f["ids"])
            b.add("staffing", [names_by_id[gid]], point_on(polys_by_id[gid]), ids=[gid], detail=key,
                  level=str(plan.grids.at[gid, "level"]), post=item.label, post_en=post_en,
                  required=f["required"], present=f["present"], short=f["short"], places=f["places"],
                  level_name=level_name.get(str(plan.grids.at[gid, "level"]), "网格"), json=record)
    if settings.enabled("place_no_person") and len(plan.places):
        from .responsibility import places_without_person

        for pid, kind in places_without_person(plan.places, plan.people.index, settings.place_person_kinds):
            g = plan.places.at[pid, "grid"]
            gids = [int(g)] if not pd.isna(g) and int(g) in polys_by_id else []
            geom = plan.places.geometry[pid]
            loc = point_on(b.frame.forward(np.array([geom], dtype=object))[0]) if geom is not None else None
            b.add("place_no_person", [names_by_id[x] for x in gids], loc, ids=gids, detail=f"place:{pid}",
                  place=f"#{pid}（{plan.places.at[pid, 'name']}）", place_id=pid, kind=kind,
                  json={"place_id": pid, "place": str(plan.places.at[pid, "name"]), "kind": kind})



def check_plan(plan, settings: CheckSettings | None = None, cancelled=None, progress=None) -> CheckResult:
    """All rules on a plan: every level, parent nesting, codes, responsibility,
    segments, places and workload.  Settings default to the plan's ``check.*``.
    ``cancelled()`` is asked between the steps (each level, the attribute rules):
    when it says so, :class:`~gridmap.core.workers.Cancelled` is raised;
    ``progress(percent)`` hears how far the check is."""
    from ..workers import checkpoint

    checkpoint(cancelled, progress, 0)
    t_start = time.perf_counter()
    settings = settings or CheckSettings.from_settings(plan.settings)
    timings: dict = {}
    grids = plan.grids
    frame = MetricFrame.for_data(grids.geometry.values, plan.crs)
    metric = frame.forward(np.asarray(grids.geometry.values, dtype=object))
    by_id = pd.Series(np.arange(len(grids)), index=grids.index)
    names = grid_names(grids["code"], grids.index)
    parent_ids = pd.array(grids["parent"], dtype="Int64").fillna(-1).to_numpy(dtype=np.int64)
    level_col = grids["level"].astype(str).to_numpy()
    multipart_col = grids["multipart_ok"].to_numpy(dtype=bool)
    levels: list[LevelData] = []
    for lv in plan.levels:
        pos = np.flatnonzero(level_col == lv.key)
        levels.append(LevelData(key=lv.key, name=lv.name, ids=grids.index.to_numpy(dtype=np.int64)[pos],
                                names=names[pos], geoms=metric[pos], groups=np.full(len(pos), -1, dtype=np.int64),
                                multipart_ok=multipart_col[pos] | lv.multipart_allowed,
                                min_area=lv.min_area_m2, max_area=lv.max_area_m2))
    for above, lv in zip(levels, levels[1:]):
        where = pd.Series(np.arange(len(above.ids)), index=above.ids)
        p = parent_ids[by_id.reindex(lv.ids).to_numpy()]
        lv.groups = where.reindex(p).fillna(-1).to_numpy(dtype=np.int64)
    jurisdiction = None
    if plan.jurisdiction is not None:
        jurisdiction = _polygonal_region(frame.forward(plan.jurisdiction))
    b = _Builder(frame, settings)
    checkpoint(cancelled, progress, 5)
    _coverage_problems(b, levels, jurisdiction, settings, timings,
                       step=lambda k: checkpoint(cancelled, progress, 5 + 75 * k // max(len(levels), 1)))
    checkpoint(cancelled, progress, 80)
    _attribute_problems(b, plan, levels, frame, settings, timings,
                        step=lambda f: checkpoint(cancelled, progress, 80 + int(18 * f)))
    checkpoint(cancelled, progress, 98)

    t0 = time.perf_counter()
    problems, metric = _sort_pairs(*b.build_with_metric())
    timings["build"] = time.perf_counter() - t0
    timings["total"] = time.perf_counter() - t_start
    return CheckResult(problems=problems, crs=plan.crs, timings=timings, levels=levels, frame=frame,
                       jurisdiction=jurisdiction, metric=metric)


def check_grids(geoms, crs, codes=None, parent_codes=None, boundary=None, settings: CheckSettings | None = None,
                ids=None, multipart_ok=None) -> CheckResult:
    """All rules that apply to one layer of polygons from a file: coverage
    (``boundary`` is the jurisdiction, in the same CRS), codes (missing,
    duplicate, not extending ``parent_codes``).  Grids are named by code, or
    ``#row`` (1-based) without one.

    >>> from shapely import box
    >>> r = check_grids([box(0, 0, 10, 10), box(9, 0, 20, 10)], "EPSG:4547", codes=["A1", "A1"])
    >>> r.summary()
    {'overlap': 1, 'duplicate_code': 1}
    """
    t_start = time.perf_counter()
    settings = settings or CheckSettings()
    timings: dict = {}
    geoms = np.asarray(geoms, dtype=object)
    n = len(geoms)
    ids = np.arange(1, n + 1, dtype=np.int64) if ids is None else np.asarray(ids, dtype=np.int64)
    codes_arr = np.full(n, "", dtype=object) if codes is None else np.asarray(codes, dtype=object)
    names = grid_names(codes_arr, ids)
    frame = MetricFrame.for_data(geoms, crs)
    metric = np.asarray(frame.forward(geoms), dtype=object) if n else geoms
    allowed = np.zeros(n, dtype=bool) if multipart_ok is None else np.asarray(multipart_ok, dtype=bool)
    lv = LevelData(key="grids", name="网格", ids=ids, names=names, geoms=metric,
                   groups=np.full(n, -1, dtype=np.int64), multipart_ok=allowed)
    region = None
    if boundary is not None:
        region = _polygonal_region(frame.forward(boundary))
    b = _Builder(frame, settings)
    _coverage_problems(b, [lv], region, settings, timings)
    t0 = time.perf_counter()
    if codes is not None:
        grids = pd.DataFrame({"code": codes_arr}, index=pd.Index(ids, name="id"))
        polys_by_id = dict(zip(ids.tolist(), lv.state.polys))
        _code_problems(b, grids, pd.Series(names, index=ids), polys_by_id, None, "",
                       None if parent_codes is None else np.asarray(parent_codes, dtype=object))
    timings["codes"] = time.perf_counter() - t0
    problems, metric = _sort_pairs(*b.build_with_metric())
    timings["total"] = time.perf_counter() - t_start
    return CheckResult(problems=problems, crs=CRS.from_user_input(crs), timings=timings, levels=[lv], frame=frame,
                       jurisdiction=region, metric=metric)
