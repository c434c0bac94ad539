"""What belongs to a grid follows its area: segments, places and roles after an edit.

When a split, reshape, boundary move or vertex edit changes which grid holds a
street segment (队员管段) or a place (小区、门店), the segment or place goes to
the grid that now holds it — a segment by the grid holding most of its length,
a place by the grid containing a point on it, as import assigns them.  A split
also cuts a segment crossing the cut into one segment per piece (each keeps its
road, officer and notes; the new parts' from/to descriptions are left to fill),
and gives every new piece copies of the old grid's roles, marked "待确认"
(to confirm) in their duty, so nobody's responsibility silently disappears and
the planner sees what to review.

The work is a :class:`FollowGrids` macro appended to the edit: its leaf
commands (plain :class:`SetCells`, :class:`SetGeometries`, :class:`AddRow`) are
worked out the first time it is applied, after the grid geometries of the edit,
so the edit buffer reports them exactly and undo/redo replay them.

>>> from shapely import LineString, Point, box
>>> from gridmap.core.plan import Plan
>>> from gridmap.core.editing.buffer import EditBuffer
>>> from gridmap.core.editing.commands import split_grid
>>> plan = Plan.new("例", "EPSG:4547", levels="one")
>>> g = plan.add_grid(box(0, 0, 200, 100), plan.levels[0].key, code="A")
>>> off = plan.add_person("王五", phone="13800000000")
>>> _ = plan.assign(g, "officer", person=off)
>>> s = plan.add_segment(LineString([(10, 50), (190, 50)]), "建安路", grid=g, officer=off)
>>> p = plan.add_place(Point(50, 20), "幸福小区", grid=g)
>>> buf = EditBuffer(plan)
>>> _ = buf.push(split_grid(plan, g, LineString([(100, -10), (100, 110)])))
>>> new = int(plan.grids.index.max())
>>> sorted(plan.segments["grid"].tolist()), int(plan.places.at[p, "grid"]) == new
([1, 2], True)
>>> [round(x) for x in plan.segments.length.tolist()], plan.segments["officer"].tolist()
([90, 90], [1, 1])
>>> plan.roles_of(new)["duty"].iloc[0]
'（分割自A，待确认）'
>>> buf.undo(); len(plan.segments), int(plan.places.at[p, "grid"]), len(plan.roles)
(1, 1, 1)
>>> buf.redo(); len(plan.segments), int(plan.places.at[p, "grid"]), len(plan.roles)
(2, 2, 2)
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import shapely

from ..plan import Plan
from .commands import AddRow, Macro, SetCells, SetGeometries

__all__ = ["FollowGrids", "REVIEW_MARK", "follow_commands"]

#: put in the duty of a role copied onto a new piece of a split grid
REVIEW_MARK = "待确认"


def _lines(geom):
    """The line parts of an intersection, merged where they join (None if nothing)."""
    if geom is None or geom.is_empty:
        return None
    parts = [p for p in shapely.get_parts(geom) if p.geom_type in ("LineString", "LinearRing")]
    if not parts:
        return None
    return shapely.line_merge(shapely.MultiLineString(parts))


def follow_commands(plan: Plan, grids, split_from: int | None = None, pieces=()) -> list:
    """The commands that move segments and places of ``grids`` to the one of ``grids``
    now holding them; with ``split_from`` (the grid that was split; ``pieces`` its new
    grids) also cut crossing segments and copy roles to the pieces."""
    grids = [int(g) for g in grids if int(g) in plan.grids.index]
    if not grids:
        return []
    cand = plan.grids.loc[grids]
    geoms = cand.geometry.values
    ids = cand.index.values
    cmds: list = []
    text = "归属随网格 Follow grid"
    segs = plan.segments
    if len(segs):
        mine = segs.index[segs["grid"].isin(grids).fillna(False).to_numpy(dtype=bool)]
        for sid in mine:
            line = segs.geometry[sid]
            if line is None or line.is_empty:
                continue
            inter = shapely.intersection(geoms, line)
            lengths = shapely.length(inter)
            total = float(line.length)
            if total <= 0 or lengths.max() <= 0:
                continue
            tol = max(total * 1e-6, 1e-9)
            holding = [k for k in range(len(ids)) if lengths[k] > tol]
            best = int(np.argmax(lengths))
            if split_from is not None and len(holding) > 1:
                # cut at the new boundary: the longest part keeps the row, the others are new rows
                row = segs.loc[sid]
                for k in sorted(holding, key=lambda k: -lengths[k]):
                    part = _lines(inter[k])
                    if part is None:
                        continue
                    if k == best:
                        cmds.append(SetGeometries(text, {int(sid): part}, table="segments"))
                        if int(ids[k]) != int(row["grid"]):
                            cmds.append(SetCells(text, "segments", int(sid), {"grid": int(ids[k])}))
                    else:
                        note = str(row["notes"] or "") if not pd.isna(row["notes"]) else ""
                        cmds.append(AddRow(text, "segments", dict(
                            road_name=row["road_name"], from_desc="", to_desc="", grid=int(ids[k]),
                            officer=row["officer"], geometry=part,
                            notes=(note + "；" if note else "") + f"由管段{int(sid)}分割，起止待补")))
            elif int(ids[best]) != int(segs.at[sid, "grid"]):
                cmds.append(SetCells(text, "segments", int(sid), {"grid": int(ids[best])}))
    places = plan.places
    if len(places):
        mine = places.index[places["grid"].isin(grids).fillna(False).to_numpy(dtype=bool)]
        if len(mine):
            pts = shapely.point_on_surface(places.geometry.loc[mine].values)
            for pid, pt in zip(mine, pts):
                if pt is None or pt.is_empty:
                    continue
                inside = np.flatnonzero(shapely.intersects(geoms, pt))
                if len(inside) and int(ids[inside[0]]) != int(places.at[pid, "grid"]):
                    cmds.append(SetCells(text, "places", int(pid), {"grid": int(ids[inside[0]])}))
    if split_from is not None and split_from in plan.grids.index:
        code = str(plan.grids.at[split_from, "code"] or split_from)
        for _, r in plan.roles[plan.roles["grid"] == split_from].iterrows():
            duty = "" if pd.isna(r["duty"]) else str(r["duty"])
            for piece in pieces:
                if int(piece) == int(split_from):
                    continue
                cmds.append(AddRow("复制职责 Copy roles", "roles", dict(
                    grid=int(piece), role=r["role"], person=r["person"], unit=r["unit"],
                    duty=f"{duty}（分割自{code}，{REVIEW_MARK}）")))
    return cmds


@dataclass
class FollowGrids(Macro):
    """Segments, places (and, after a split, roles) follow the grids of an edit.

    ``fixed``: grid ids known beforehand; ``piece_cmds``: the AddRow commands creating
    the pieces (their ids are known once applied); ``split_from``: the grid split."""

    text: str = "归属随网格 Follow grid"
    #: its leaf commands are worked out when it is first applied: nothing to prune before
    deferred = True
    fixed: list = field(default_factory=list)
    piece_cmds: list = field(default_factory=list)
    split_from: int | None = None
    ready: bool = False

    def _ids(self) -> list:
        ids = list(self.fixed)
        ids += [c.new_id for c in self.piece_cmds]
        return [int(i) for i in dict.fromkeys(ids) if i is not None]

    def redo(self, plan):
        if not self.ready:
            ids = self._ids()
            self.commands = follow_commands(plan, ids, split_from=self.split_from,
                                            pieces=[i for i in ids if i != self.split_from])
            self.ready = True
        super().redo(plan)


def following(plan: Plan, changed) -> FollowGrids | None:
    """A :class:`FollowGrids` for an edit changing the geometry of ``changed`` grids
    (None if the plan has no segments or places to follow)."""
    if not len(plan.segments) and not len(plan.places):
        return None
    return FollowGrids(fixed=[int(i) for i in changed])
