"""Edits made of several steps, and the app's policies for splits and codes (no Qt).

:class:`Steps` is one undo step built from several edits, each computed on the
plan as the previous ones left it (a split of a grid's children before the grid,
then codes for the new pieces).  Each step is computed and applied once, when
the command is first applied by the :class:`~gridmap.core.editing.buffer.EditBuffer`;
afterwards it redoes and undoes like a :class:`~gridmap.core.editing.commands.Macro`
(and is recorded as one in a changeset).

:func:`split_grids` is the split the app makes: children first (so they stay
inside their parents), then the grid; the new pieces get automatic codes
(:func:`propose_code`).  A script splits a grid exactly like the app:

>>> from shapely import box, LineString
>>> from gridmap.core.plan import Plan
>>> from gridmap.core.editing.buffer import EditBuffer
>>> plan = Plan.new("例", "EPSG:4547", "440306", levels="two")
>>> plan.set_jurisdiction(box(0, 0, 10, 10))
>>> big = plan.add_grid(box(0, 0, 10, 10), "large", code="440306001000")
>>> a = plan.add_grid(box(0, 0, 5, 10), "small", parent=big, code="44030600100001")
>>> b = plan.add_grid(box(5, 0, 10, 10), "small", parent=big, code="44030600100002")
>>> buf = EditBuffer(plan)
>>> cmd = buf.push(split_grids(plan, [big], LineString([(-1, 7), (11, 7)])))
>>> len(plan.grids), sorted(plan.grids["code"])[-3:]
(6, ['440306002000', '44030600200001', '44030600200002'])
>>> buf.undo(); len(plan.grids)
3
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import shapely

from .. import codes as _codes
from . import commands as C
from . import guard as _guard
from .changes import leaf_commands
from .geometry import EditError

__all__ = ["Steps", "prune", "propose_code", "code_steps", "new_grid_ids", "free_parent", "split_steps", "split_grids",
           "roles_to_carry", "carry_roles_step", "NOTHING"]

NOTHING = "没有可执行的修改 / nothing to change here"


def prune(command, plan):
    """Drop the parts of a command that would not change anything (a grid whose geometry
    stays exactly the same need not be redrawn, re-checked or recorded).  Returns the
    command, or None when nothing is left.  Nothing is applied.

    >>> from shapely import box
    >>> from gridmap.core.plan import Plan
    >>> plan = Plan.new("例", "EPSG:4547", levels="two")
    >>> a = plan.add_grid(box(0, 0, 1, 1), "large")
    >>> b = plan.add_grid(box(1, 0, 2, 1), "large")
    >>> sorted(prune(C.SetGeometries("t", {a: box(0, 0, 1, 1), b: box(1, 0, 3, 1)}), plan).new)
    [2]
    """
    def same(x, y) -> bool:
        return x is y or (x is not None and y is not None and bool(shapely.equals_exact(x, y, 0.0)))

    if getattr(command, "deferred", False):
        return command          # works out its commands when applied (segments, places, roles following)
    if isinstance(command, C.Macro) and not isinstance(command, Steps):
        command.commands[:] = [c for c in (prune(c, plan) for c in command.commands) if c is not None]
        return command if command.commands else None
    if isinstance(command, C.SetGeometries) and not command.old:
        df = getattr(plan, command.table)
        for k in [k for k, g in command.new.items() if k in df.index and same(df.geometry[k], g)]:
            del command.new[k]
        return command if command.new else None
    if isinstance(command, C.SetJurisdiction) and same(plan.jurisdiction, command.new):
        return None
    return command


class Steps(C.Macro):
    """One undo step from several edits.  ``steps`` are functions ``plan -> command |
    list of commands | None``, each called (once) on the plan as the previous ones
    left it when the command is first applied.  ``empty``: the refusal when no step
    gives a change."""

    def __init__(self, text: str, steps, empty: str = NOTHING, guard=()):
        super().__init__(text, [])
        self.steps = list(steps)
        self.empty = empty
        self.guard = tuple(guard)
        self._built = False

    def redo(self, plan):
        if self._built:
            return super().redo(plan)
        done = []
        try:
            for step in self.steps:
                cmds = step(plan)
                if cmds is None:
                    continue
                for cmd in (cmds if isinstance(cmds, (list, tuple)) else [cmds]):
                    cmd = prune(cmd, plan)
                    if cmd is None:
                        continue
                    cmd.redo(plan)
                    done.append(cmd)
                    if not self.hint and getattr(cmd, "hint", ""):
                        self.hint = cmd.hint
                    if not getattr(self, "what", "") and getattr(cmd, "what", ""):
                        self.what = cmd.what
        except BaseException:
            for cmd in reversed(done):
                cmd.undo(plan)
            raise
        if not done:
            raise EditError(self.empty)
        self.commands = done
        self._built = True
        self.steps = []
        new = [c.new_id for c in leaf_commands(self) if isinstance(c, C.AddRow) and c.table == "grids"]
        self.new_id = new[0] if new else None


def propose_code(plan, grid_id: int, taken=(), parent_code: str | None = None) -> str:
    """A code for a grid from its level's pattern: the first sequence number under
    its parent that no other grid uses ("" when the pattern cannot give one).
    ``taken``: codes given meanwhile; ``parent_code``: the parent's code if it is
    being given in the same step.

    >>> from shapely import box
    >>> from gridmap.core.plan import Plan
    >>> plan = Plan.new("例", "EPSG:4547", "440306", levels="two")
    >>> big = plan.add_grid(box(0, 0, 10, 10), "large", code="440306001000")
    >>> a = plan.add_grid(box(0, 0, 5, 10), "small", parent=big, code="44030600100001")
    >>> b = plan.add_grid(box(5, 0, 10, 10), "small", parent=big)
    >>> propose_code(plan, b)
    '44030600100002'
    """
    g = plan.grids
    lv = plan.level(str(g.at[grid_id, "level"]))
    parent = plan.parent_code(grid_id) if parent_code is None else parent_code
    taken = {str(t) for t in taken}
    codes = pd.Series(g["code"].to_numpy(dtype=object), dtype=object)
    mine = int(g.index.get_loc(grid_id))
    seq, batch = 1, 64
    while seq < 10_000:
        # the next candidates looked up in one hashed pass over the codes (not a set of every
        # code of the plan per new grid: issue 21)
        cands = []
        for k in range(seq, min(seq + batch, 10_000)):
            try:
                cands.append(_codes.format_code(lv.code_pattern, k, admin=plan.admin_code, parent=parent))
            except ValueError:
                break
        if not cands:
            return ""
        hit = np.flatnonzero(codes.isin(cands).to_numpy(dtype=bool)) if len(codes) else []   # (text: coerce)
        used = {str(codes.iat[k]) for k in hit if k != mine} | taken
        for code in cands:
            if code not in used:
                return code
        if len(cands) < batch:
            return ""
        seq += batch
        batch *= 4
    return ""


def code_steps(new_ids):
    """A step giving each grid of ``new_ids(plan)`` (evaluated when the step runs) that
    has no code a proposed one, one after another so no two get the same code."""

    def step(plan):
        ids = [g for g in new_ids(plan) if g in plan.grids.index]
        # parents first, so a child's code can start with its parent's
        ids.sort(key=lambda g: (plan.level_index(str(plan.grids.at[g, "level"])), g))
        given: dict[int, str] = {}
        for g in ids:
            if str(plan.grids.at[g, "code"] or ""):
                continue
            parent = plan.grids.at[g, "parent"]
            pcode = given.get(int(parent)) if parent is not None and not pd.isna(parent) else None
            code = propose_code(plan, g, taken=given.values(), parent_code=pcode)
            if code:
                given[int(g)] = code
        return [C.SetCells("编码", "grids", g, {"code": c}) for g, c in given.items()] or None
    return step


def new_grid_ids(before):
    """``plan -> ids`` of the grids not in ``before`` (a set or an array of ids; compared
    as arrays: no Python loop over the grids of a 100k plan, issue 21)."""
    import numpy as np

    was = np.fromiter((int(g) for g in before), dtype=np.int64) if isinstance(before, (set, frozenset, list, tuple)) \
        else np.asarray(before, dtype=np.int64)
    if len(was) > 1 and not (was[1:] > was[:-1]).all():
        was = np.sort(was)                     # (a plan's ids are in order already)

    def new(plan):
        now = plan.grids.index.to_numpy(dtype=np.int64)
        if not len(was):
            return [int(g) for g in now]
        at = np.minimum(np.searchsorted(was, now), len(was) - 1)
        return [int(g) for g in now[was[at] != now]]
    return new


def split_steps(plan, targets, line) -> list:
    """Steps splitting each target by ``line`` (and, first, its descendants the line
    crosses, so that they stay inside their parents), then codes for the new pieces."""
    before = plan.grids.index.to_numpy(dtype=np.int64).copy()

    def split(gid, must: bool):
        def step(p):
            if gid not in p.grids.index:
                return None
            try:
                return C.split_grid(p, gid, line)
            except EditError:
                if must:
                    raise
                return None
        return step

    steps = []

    def descend(gid, must):
        for kid in plan.children(gid).index:
            if shapely.intersects(plan.grids.geometry[kid], line):
                descend(int(kid), False)
        steps.append(split(gid, must))

    for t in targets:
        descend(int(t), len(targets) == 1)
    steps.append(code_steps(new_grid_ids(before)))
    return steps


def split_grids(plan, targets, line, text: str = "分割网格 Split grid", guard=_guard.KINDS) -> Steps:
    """The app's split as one command: ``targets`` (grid ids) and their crossed
    descendants split by ``line``, children first, new pieces coded automatically."""
    return Steps(text, split_steps(plan, targets, line),
                 empty="分割线必须完全穿过网格 / the split line must cross the grid from side to side",
                 guard=guard)


def free_parent(plan, level: str, pts) -> int | None:
    """The parent for a grid drawn with avoid-overlaps: the grid of the level above
    with the most free space (not yet covered by grids of ``level``) under the drawing.
    None on the top level, or when no parent has free space there (the edit
    function then explains)."""
    idx = plan.level_index(level)
    if idx == 0 or len(pts) < 3:
        return None
    poly = shapely.make_valid(shapely.Polygon(pts))
    up = plan.grids_of_level(plan.levels[idx - 1].key)
    same = plan.grids_of_level(level).geometry.values
    best, most = None, 0.0
    for pid, pg in zip(up.index, up.geometry.values):
        region = shapely.intersection(poly, pg)
        if region.is_empty:
            continue
        near = same[shapely.intersects(same, region)] if len(same) else same
        free = shapely.area(shapely.difference(region, shapely.union_all(near))) if len(near) else region.area
        if free > most:
            best, most = int(pid), float(free)
    return best


def roles_to_carry(plan, old_geoms, new_ids) -> dict[int, list[int]]:
    """After a split: for each new grid, the roles of the grid it was cut from (of the
    pre-split outlines ``old_geoms`` — a GeoSeries by grid id — the one of its level it
    overlaps most); only new grids whose source has roles."""
    out: dict[int, list[int]] = {}
    for n in new_ids:
        if n not in plan.grids.index:
            continue
        geom, level = plan.grids.geometry[n], plan.grids.at[n, "level"]
        cands = [g for g in old_geoms.index if g in plan.grids.index and g != n and plan.grids.at[g, "level"] == level]
        if not cands:
            continue
        src = max(cands, key=lambda g: shapely.area(shapely.intersection(old_geoms[g], geom)))
        roles = plan.roles.index[plan.roles["grid"] == src].tolist()
        if roles:
            out[int(n)] = [int(r) for r in roles]
    return out


def carry_roles_step(carry: dict[int, list[int]]):
    """A step giving each new grid of ``carry`` (see :func:`roles_to_carry`) the same
    roles; a role the plan refuses (e.g. a second leader) is left out."""

    def step(p):
        cmds = []
        for n, rids in carry.items():
            for r in rids:
                if r not in p.roles.index or n not in p.grids.index:
                    continue
                row = p.roles.loc[r]
                person = None if pd.isna(row["person"]) else int(row["person"])
                unit = None if pd.isna(row["unit"]) else int(row["unit"])
                duty = "" if pd.isna(row["duty"]) else str(row["duty"])
                try:
                    cmds.append(C.assign_role(p, n, str(row["role"]), person=person, unit=unit, duty=duty))
                except Exception:  # noqa: BLE001 - a role the plan refuses is not carried
                    continue
        return C.Macro("沿用人员 Carry people over", cmds) if cmds else None

    return step
