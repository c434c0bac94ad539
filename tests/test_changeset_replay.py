"""500 random edits of every kind on the sample plan, recorded as JSON changesets
and replayed on a fresh copy: the two plans are identical, also after saving
and reopening both (fixed seed, no Qt)."""

from __future__ import annotations

import json
import math
import random
import shutil
from pathlib import Path

import pandas as pd
import shapely
from shapely import LineString

from gridmap.core.editing import changeset as CS
from gridmap.core.editing import commands as C
from gridmap.core.editing.buffer import EditBuffer
from gridmap.core.editing.geometry import EditError
from gridmap.core.editing.steps import split_grids
from gridmap.core.plan import PlanError
from gridmap.core.storage import open_plan, save_plan

SAMPLE = Path(__file__).resolve().parent.parent / "sample_layers" / "baoan_plan.gpkg"
EDITS = 500


def _smalls(plan):
    return [int(i) for i in plan.grids.index[plan.grids["level"] == plan.levels[-1].key]]


def _vertex(plan, rng, g):
    c = shapely.get_coordinates(plan.grids.geometry[g])[:-1]
    return tuple(map(float, c[rng.randrange(len(c))]))


def _neighbours(plan, g):
    row = plan.grids.loc[g]
    geom = row.geometry
    same = plan.grids[(plan.grids["level"] == row["level"]) & (plan.grids.index != g)]
    if pd.notna(row["parent"]):
        same = same[same["parent"] == row["parent"]]
    shared = shapely.length(shapely.intersection(same.geometry.values, geom.boundary))
    return [int(i) for i, s in zip(same.index, shared) if s > 1.0]


def _line_through(geom, rng, spread: float = 0.3):
    x0, y0, x1, y1 = geom.bounds
    c = geom.representative_point()
    cx = c.x + rng.uniform(-spread, spread) * (x1 - x0) * 0.3
    cy = c.y + rng.uniform(-spread, spread) * (y1 - y0) * 0.3
    a = rng.uniform(0, math.pi)
    r = max(x1 - x0, y1 - y0) * 1.5
    return LineString([(cx - r * math.cos(a), cy - r * math.sin(a)), (cx + r * math.cos(a), cy + r * math.sin(a))])


def _chord(geom, rng):
    """A line across a grid between two points of its boundary (a reshape that cuts a side off)."""
    ring = geom.exterior if geom.geom_type == "Polygon" else max(geom.geoms, key=lambda p: p.area).exterior
    t = rng.random()
    a = ring.interpolate(t, normalized=True)
    b = ring.interpolate((t + rng.uniform(0.15, 0.35)) % 1.0, normalized=True)
    return LineString([a, b])


def _edit(plan, rng, kind):
    """One random edit of ``kind`` as a core command (None: nothing to do here)."""
    smalls = _smalls(plan)
    g = rng.choice(smalls)
    geom = plan.grids.geometry[g]
    if kind == "move_vertex":
        x, y = _vertex(plan, rng, g)
        return C.move_vertex(plan, (x, y), (x + rng.uniform(-8, 8), y + rng.uniform(-8, 8)), tol=0.01)
    if kind == "insert_vertex":
        p = geom.boundary.interpolate(rng.random(), normalized=True)
        return C.insert_vertex(plan, (p.x, p.y), tol=0.01)
    if kind == "delete_vertex":
        return C.delete_vertex(plan, _vertex(plan, rng, g), tol=0.01)
    if kind == "split":
        return split_grids(plan, [g], _line_through(geom, rng))
    if kind == "merge":
        nb = _neighbours(plan, g)
        return C.merge_grids(plan, [g, rng.choice(nb)]) if nb else None
    if kind == "reshape":
        return C.reshape_grid(plan, g, _chord(geom, rng))
    if kind == "move_boundary":
        nb = _neighbours(plan, g)
        if not nb:
            return None
        b = rng.choice(nb)
        shared = shapely.line_merge(shapely.intersection(geom.boundary, plan.grids.geometry[b].boundary))
        if shared.geom_type != "LineString":
            return None
        p, q = shared.coords[0], shared.coords[-1]
        m = shared.interpolate(0.5, normalized=True)
        d = rng.uniform(-0.2, 0.2) * shared.length
        dx, dy = q[1] - p[1], p[0] - q[0]
        n = math.hypot(dx, dy) or 1.0
        return C.move_boundary(plan, g, b, LineString([p, (m.x + d * dx / n, m.y + d * dy / n), q]))
    if kind == "delete":
        return C.delete_grid(plan, g) if len(smalls) > 20 else None
    if kind == "attributes":
        return C.set_grid_attributes(plan, g, name=f"网格{rng.randrange(1000)}", notes=rng.choice(["", "备注", "n"]))
    if kind == "role":
        role = rng.choice(["officer", "partner", "responsible_unit"])
        if role == "responsible_unit":
            return C.assign_role(plan, g, role, unit=int(rng.choice(list(plan.units.index))), duty="随机")
        return C.assign_role(plan, g, role, person=int(rng.choice(list(plan.people.index))), duty="随机")
    if kind == "role_edit":
        r = int(rng.choice(list(plan.roles.index)))
        if rng.random() < 0.3:
            return C.remove_role(plan, r)
        return C.SetCells("职责", "roles", r, {"duty": f"职责{rng.randrange(100)}"})
    if kind == "segment":
        s = int(rng.choice(list(plan.segments.index)))
        return C.SetCells("路段", "segments", s, {"grid": rng.choice(smalls + [None])})
    if kind == "place":
        s = int(rng.choice(list(plan.places.index)))
        return C.SetCells("场所", "places", s, {"grid": rng.choice(smalls)})
    if kind == "batch":
        some = rng.sample(smalls, min(len(smalls), rng.randint(2, 5)))
        return C.batch_assign(plan, some, "officer", person=int(rng.choice(list(plan.people.index))))
    if kind == "setting":
        key = rng.choice(["label_font", "title", "note"])
        return C.SetSetting("设置", key, None if rng.random() < 0.2 else f"值{rng.randrange(100)}")
    raise AssertionError(kind)


KINDS = ["move_vertex", "insert_vertex", "delete_vertex", "split", "merge", "reshape", "move_boundary", "delete",
         "attributes", "role", "role_edit", "segment", "place", "batch", "setting"]
WEIGHTS = [6, 3, 2, 3, 2, 3, 3, 1, 3, 2, 2, 2, 2, 1, 1]


def test_500_random_edits_replay_identically_also_after_save_and_reopen(tmp_path):
    work, fresh = tmp_path / "work.gpkg", tmp_path / "fresh.gpkg"
    shutil.copy(SAMPLE, work)
    shutil.copy(SAMPLE, fresh)
    plan = open_plan(work)
    buf = EditBuffer(plan, author="测试")
    rng = random.Random(20261203)
    applied, refused, kinds_done = 0, 0, set()
    attempts = 0
    while applied < EDITS:
        attempts += 1
        assert attempts < 4 * EDITS, f"too many refusals: {applied} applied, {refused} refused"
        if buf.can_undo and rng.random() < 0.06:
            buf.undo()
            if buf.can_redo and rng.random() < 0.5:
                buf.redo()
            continue
        kind = rng.choices(KINDS, WEIGHTS)[0]
        try:
            cmd = _edit(plan, rng, kind)
            if cmd is None:
                continue
            buf.push(cmd)
        except (EditError, PlanError):
            refused += 1
            continue
        applied += 1
        kinds_done.add(kind)
    assert kinds_done == set(KINDS)
    # every changeset as its own JSON text, read back, replayed on a fresh copy of the sample
    texts = [json.dumps(cs, ensure_ascii=False) for cs in buf.changesets()]
    assert len(texts) >= EDITS
    copy = open_plan(fresh)
    for t in texts:
        CS.apply_changeset(copy, CS.loads("[" + t + "]")[0])
    assert CS.plan_differences(plan, copy) == []
    # saved and reopened, both still identical
    save_plan(plan, work, force=True)
    save_plan(copy, fresh, force=True)
    assert CS.plan_differences(open_plan(work), open_plan(fresh)) == []
