"""The proof scenario of plan versions on the sample plan (tests/test_versions*.py):
split 2 grids, merge 2, move 3 boundaries, swap 4 officers — each through the edit buffer."""

from __future__ import annotations

import shapely
from shapely.geometry import LineString

from gridmap.core.editing import commands as C
from gridmap.core.editing.buffer import EditBuffer
from gridmap.core.editing.geometry import EditError
from gridmap.core.editing.steps import split_grids


def _cut_line(geom):
    """A horizontal line through the middle of a grid, well past its sides."""
    minx, miny, maxx, maxy = geom.bounds
    c = shapely.point_on_surface(geom)
    return LineString([(minx - 50, c.y), (maxx + 50, c.y)])


def _moved_line(a, b, shift=25.0):
    """The shared edge of a and b, shifted ``shift`` m into b and extended across both."""
    edge = shapely.line_merge(shapely.intersection(a.boundary, b.boundary))
    if edge.geom_type != "LineString" or edge.length < 60:
        return None
    ca, cb = shapely.centroid(a), shapely.centroid(b)
    (x0, y0), (x1, y1) = edge.coords[0], edge.coords[-1]
    dx, dy = x1 - x0, y1 - y0
    n = (dx * dx + dy * dy) ** 0.5
    nx, ny = -dy / n, dx / n
    if (cb.x - ca.x) * nx + (cb.y - ca.y) * ny < 0:
        nx, ny = -nx, -ny
    moved = shapely.affinity.translate(edge, nx * shift, ny * shift)
    coords = list(moved.coords)
    ux, uy = dx / n, dy / n
    start = (coords[0][0] - ux * 400, coords[0][1] - uy * 400)
    end = (coords[-1][0] + ux * 400, coords[-1][1] + uy * 400)
    return LineString([start, *coords, end])


def edit_scenario(plan, buf=None):
    """Apply the scenario to ``plan`` (in place, through an edit buffer); returns what was done:
    ``{"split": [(grid, new_piece)], "merge": (keep, other), "boundary": [(a, b)], "swap": [(g1, g2)]}``.
    ``buf``: what the edits are pushed to (push/undo: an EditBuffer of ``plan`` or the app's document)."""
    import shapely.affinity  # noqa: F401

    buf = buf if buf is not None else EditBuffer(plan)
    small = plan.grids_of_level("small")
    used: set = set()
    done = {"split": [], "merge": None, "boundary": [], "swap": []}
    # split 2 grids
    for g in small.sort_values("code").index:
        if len(done["split"]) == 2:
            break
        before = set(plan.grids.index)
        try:
            buf.push(split_grids(plan, [int(g)], _cut_line(plan.grids.geometry[g])))
        except EditError:
            continue
        new = sorted(set(plan.grids.index) - before)
        if len(new) != 1:
            buf.undo()
            continue
        done["split"].append((int(g), new[0]))
        used |= {int(g), new[0]}
    # merge 2 neighbours of one parent
    small = plan.grids_of_level("small")
    for a in small.sort_values("code", ascending=False).index:
        if done["merge"] or a in used:
            continue
        nb = small[(small["parent"] == small.at[a, "parent"]) & ~small.index.isin(list(used | {a}))]
        nb = nb[shapely.length(shapely.intersection(nb.geometry.values, plan.grids.geometry[a].boundary)) > 10]
        for b in nb.index:
            try:
                buf.push(C.merge_grids(plan, [int(a), int(b)], keep=int(a)))
            except EditError:
                continue
            done["merge"] = (int(a), int(b))
            used |= {int(a), int(b)}
            break
    # move 3 boundaries between neighbours of one parent
    small = plan.grids_of_level("small")
    for a in small.sort_values("code").index:
        if len(done["boundary"]) == 3:
            break
        if a in used:
            continue
        nb = small[(small["parent"] == small.at[a, "parent"]) & ~small.index.isin(list(used | {a}))]
        for b in nb.index:
            line = _moved_line(plan.grids.geometry[a], plan.grids.geometry[b])
            if line is None:
                continue
            try:
                buf.push(C.move_boundary(plan, int(a), int(b), line))
            except EditError:
                continue
            done["boundary"].append((int(a), int(b)))
            used |= {int(a), int(b)}
            break
    # swap the officers of 2 pairs of grids (4 officers)
    roles = plan.roles[plan.roles["role"] == "officer"]
    cands = [int(g) for g in plan.grids_of_level("small").sort_values("code").index
             if int(g) not in used and (roles["grid"] == g).sum() >= 1]
    pairs = [(cands[0], cands[1]), (cands[2], cands[3])]
    cmds = []
    for g1, g2 in pairs:
        r1 = int(roles.index[roles["grid"] == g1][0])
        r2 = int(roles.index[roles["grid"] == g2][0])
        p1, p2 = int(plan.roles.at[r1, "person"]), int(plan.roles.at[r2, "person"])
        cmds += [C.SetCells("换人", "roles", r1, {"person": p2}), C.SetCells("换人", "roles", r2, {"person": p1})]
    buf.push(C.Macro("交换网格员 Swap officers", cmds))
    done["swap"] = pairs
    assert len(done["split"]) == 2 and done["merge"] and len(done["boundary"]) == 3, done
    return done
