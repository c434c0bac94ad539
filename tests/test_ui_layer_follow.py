"""The canvas layers follow an edit row by row (issue 21): on a generated city of a few
thousand grids, a one-grid edit (split, merge, delete, attribute, undo, redo) patches
the touched rows into the plan layers — their spatial index (the snapping index too),
bounds, label points and drawing arrays — and rebuilds nothing; the patched layers
answer exactly as layers built afresh from the edited plan."""

from __future__ import annotations

import sys

import numpy as np
import pytest
import shapely
from shapely import LineString

from gridmap.core.editing import commands as C
from gridmap.core.editing.buffer import EditBuffer


@pytest.fixture(scope="module")
def city(repo_root):
    sys.path.insert(0, str(repo_root / "benchmarks"))
    import citygen

    return citygen.generate(3000, seed=5, inject=False).plan


def _warm_layers(plan):
    from gridmap.ui.layers.plan_layers import plan_layers

    layers = plan_layers(plan)
    for layer in layers:
        layer.warm()
        if layer.kind != "jurisdiction":
            layer.arrays(2.0)          # a simplified version cached too (zoomed out)
    return layers


def _same_as_fresh(layers, plan, probe):
    """Every patched layer holds what a fresh layer of the plan holds: the same features
    by id, the same drawing coordinates and label anchors, the same query answers."""
    from gridmap.ui.layers.plan_layers import plan_layers

    for a, b in zip(layers, plan_layers(plan)):
        if a.kind == "jurisdiction":
            continue
        pa, pb = a.positions(), b.positions()
        assert set(pa) == set(pb), a.name
        ids = sorted(pa)
        assert [a.geoms[pa[i]].equals_exact(b.geoms[pb[i]], 0) for i in ids] == [True] * len(ids)
        ka, kb = np.array([pa[i] for i in ids]), np.array([pb[i] for i in ids])
        assert np.array_equal(a.arrays(0.0).gather(ka)[0], b.arrays(0.0).gather(kb)[0]), a.name
        assert np.allclose(a.label_points()[ka], b.label_points()[kb], equal_nan=True), a.name
        assert np.allclose(a.bounds[ka], b.bounds[kb], equal_nan=True), a.name
        for field in b.attrs.columns:
            assert list(a.attrs[field].to_numpy()[ka]) == list(b.attrs[field].to_numpy()[kb]), (a.name, field)
        box = shapely.box(*probe.buffer(400).bounds)
        assert sorted(a.ids[a.tree.query(box)].tolist()) == sorted(b.ids[b.tree.query(box)].tolist()), a.name
        pt = probe.centroid
        assert a.features_at(pt.x, pt.y).tolist() == b.features_at(pt.x, pt.y).tolist(), a.name
        if getattr(b, "_fills", None) is not None:
            assert [a._fills[pa[i]] for i in ids] == [b._fills[pb[i]] for i in ids]


def test_one_grid_edits_patch_the_layers_and_rebuild_nothing(city, qtbot):
    from gridmap.ui.layers.plan_layers import update_plan_layers
    from gridmap.ui.layers.vector import GridLayer

    plan = city.copy()
    layers = _warm_layers(plan)
    buf = EditBuffer(plan)
    changed = []
    buf.subscribe(lambda ch: changed.append(update_plan_layers(layers, plan, ch)))
    small = plan.levels[-1].key
    grid_layer = next(x for x in layers if isinstance(x, GridLayer) and x.level_key == small)
    large_layer = next(x for x in layers if isinstance(x, GridLayer) and x.level_key != small)
    ids = plan.grids.index[plan.grids["level"] == small]
    assert len(ids) > 2000
    g = int(ids[len(ids) // 2])
    geom = plan.grids.geometry[g]
    x0, y0, x1, y1 = geom.bounds
    c = geom.centroid

    # what must stay as it is: the layers' trees, the untouched layer's every structure
    trees = {x.name: x.tree.tree for x in layers if len(x)}
    large = (large_layer.geoms, large_layer.tree, large_layer.arrays(0.0), large_layer.revision)
    rebuilds = {x.name: x.rebuilds for x in layers}

    buf.push(C.split_grid(plan, g, LineString([(c.x, y0 - 5), (c.x, y1 + 5)])))
    new = max(int(i) for i in plan.grids.index)
    assert grid_layer in changed[-1] and large_layer not in changed[-1]
    assert new in grid_layer.positions()
    _same_as_fresh(layers, plan, geom)
    buf.undo()
    assert new not in grid_layer.positions()
    _same_as_fresh(layers, plan, geom)
    buf.redo()
    _same_as_fresh(layers, plan, geom)
    pair = [int(i) for i in plan.grids.index[(plan.grids["level"] == small)
                                             & (plan.grids["parent"] == plan.grids.at[g, "parent"])][:2]]
    buf.push(C.merge_grids(plan, pair, pair[0]))
    _same_as_fresh(layers, plan, plan.grids.geometry[pair[0]])
    buf.push(C.set_grid_attributes(plan, g, name="测试", code="440200999999"))
    assert grid_layer.attrs["code"].to_numpy()[grid_layer.positions()[g]] == "440200999999"
    victim = int(ids[-1])
    buf.push(C.delete_grid(plan, victim))
    assert victim not in grid_layer.positions()
    _same_as_fresh(layers, plan, geom)
    buf.undo()
    _same_as_fresh(layers, plan, geom)

    # nothing was rebuilt: no new STRtree, no layer rebuilt, the untouched layer is the same object graph
    assert {x.name: x.rebuilds for x in layers} == rebuilds
    assert {x.name: x.tree.tree for x in layers if len(x)} == trees
    assert (large_layer.geoms, large_layer.tree, large_layer.arrays(0.0), large_layer.revision) == large
    assert grid_layer.patches >= 6


def test_snapping_follows_an_edit_without_a_rebuild(city, qtbot):
    """The snapping candidates come from the grid layers' index: after a split the new
    edge is snapped to at once, with the same tree as before the edit."""
    from gridmap.core.editing.snapping import snap_point
    from gridmap.ui.layers.plan_layers import update_plan_layers
    from gridmap.ui.layers.vector import GridLayer

    plan = city.copy()
    layers = _warm_layers(plan)
    buf = EditBuffer(plan)
    buf.subscribe(lambda ch: update_plan_layers(layers, plan, ch))
    small = plan.levels[-1].key
    layer = next(x for x in layers if isinstance(x, GridLayer) and x.level_key == small)
    tree = layer.tree.tree
    g = int(plan.grids.index[plan.grids["level"] == small][100])
    geom = plan.grids.geometry[g]
    x0, y0, x1, y1 = geom.bounds
    cx = geom.centroid.x
    buf.push(C.split_grid(plan, g, LineString([(cx, y0 - 5), (cx, y1 + 5)])))
    probe = (cx + 0.3, geom.centroid.y)
    q = shapely.box(probe[0] - 1, probe[1] - 1, probe[0] + 1, probe[1] + 1)
    near = layer.geoms[layer.tree.query(q)]
    x, y, kind = snap_point(probe, list(near), tol=1.0)
    assert kind in ("edge", "vertex") and abs(x - cx) < 0.35
    assert layer.tree.tree is tree


def test_many_edits_rebuild_the_index_once_in_a_while(city, qtbot):
    """Past FeatureIndex.REBUILD edited features the tree is built again (once), and the
    answers stay exact."""
    from gridmap.ui.layers.vector import FeatureIndex, GridLayer

    plan = city.copy()
    small = plan.levels[-1].key
    layer = GridLayer(plan, small)
    layer.warm()
    ids = list(layer.positions())[:FeatureIndex.REBUILD + 10]
    builds = FeatureIndex.builds
    moved = {}
    for i in ids:
        g = shapely.affinity.translate(layer.geoms[layer.positions()[i]], 10000, 0)
        moved[i] = g
        layer.patch({i: (g, {})})
        layer.tree                           # a query between edits, as the canvas makes
    assert FeatureIndex.builds == builds + 1
    probe = moved[ids[0]]
    hit = set(layer.ids[layer.tree.query(probe, predicate="intersects")].tolist())
    assert ids[0] in hit


def _payload(obj, seen=None):
    """Every pandas/numpy object and the largest dict reachable from a command's fields."""
    import dataclasses

    import pandas as pd

    seen = set() if seen is None else seen
    if id(obj) in seen:
        return []
    seen.add(id(obj))
    if isinstance(obj, (pd.DataFrame, pd.Series, np.ndarray)):
        return [("frame", len(obj))]
    if isinstance(obj, dict):
        out = [("dict", len(obj))]
        for v in obj.values():
            out += _payload(v, seen)
        return out
    if isinstance(obj, (list, tuple, set)):
        out = []
        for v in obj:
            out += _payload(v, seen)
        return out
    if dataclasses.is_dataclass(obj) or hasattr(obj, "__dict__"):
        out = []
        for v in vars(obj).values():
            if callable(v) and not hasattr(v, "__dict__"):
                continue
            out += _payload(v, seen)
        return out
    return []


def test_undo_history_keeps_only_the_changed_rows(city):
    """Split, merge, delete, an attribute, an officer assigned, a boundary moved — the undo
    history (and the journal) holds the rows each edit changed, never a copy of a table."""
    plan = city.copy()
    buf = EditBuffer(plan)
    small = plan.levels[-1].key
    ids = plan.grids.index[plan.grids["level"] == small]
    n = len(plan.grids)
    g = int(ids[len(ids) // 2])
    geom = plan.grids.geometry[g]
    x0, y0, x1, y1 = geom.bounds
    c = geom.centroid
    buf.push(C.split_grid(plan, g, LineString([(c.x, y0 - 5), (c.x, y1 + 5)])))
    pair = [int(i) for i in plan.grids.index[(plan.grids["level"] == small)
                                             & (plan.grids["parent"] == plan.grids.at[g, "parent"])][:2]]
    buf.push(C.merge_grids(plan, pair, pair[0]))
    buf.push(C.delete_grid(plan, int(ids[-1])))
    buf.push(C.set_grid_attributes(plan, g, name="测试"))
    buf.push(C.assign_role(plan, g, "officer", person=int(plan.people.index[0])))
    h = int(ids[10])
    buf.push(C.SetGeometries("改形", {h: shapely.buffer(plan.grids.geometry[h], -1.0)}))
    for _ in range(3):
        buf.undo()
    buf.redo()
    assert len(buf.commands) == 6
    biggest = 0
    for how, cmd, *_ in buf.journal:
        for kind, size in _payload(cmd):
            assert kind != "frame" or size <= 50, (cmd.text, kind, size)     # no table, no column
            biggest = max(biggest, size)
    assert 0 < biggest < 100 < n    # each step names a few dozen rows at most (a grid, its neighbours, segments)


def test_noding_finds_neighbours_in_the_layers_index(city, qtbot):
    """Edit functions node with the neighbours the window's grid layers know (their index is
    patched after every edit) instead of an STRtree of the whole level per call: the same
    edits come out, split after split."""
    from gridmap.core.editing.commands import set_neighbour_index
    from gridmap.ui.layers.plan_layers import neighbour_finder, update_plan_layers

    plans = [city.copy(), city.copy()]
    layers = _warm_layers(plans[0])
    calls = []
    finder = neighbour_finder(layers, plans[0])
    set_neighbour_index(plans[0], lambda level, geom: calls.append(finder(level, geom) is not None)
                        or finder(level, geom))
    bufs = [EditBuffer(p) for p in plans]
    bufs[0].subscribe(lambda ch: update_plan_layers(layers, plans[0], ch))
    small = city.levels[-1].key
    ids = city.grids.index[city.grids["level"] == small]
    for k in (5, 6, 400):                   # 5 and 6 are neighbours: the second split sees the first's pieces
        out = []
        for p, buf in zip(plans, bufs):
            g = int(ids[k])
            geom = p.grids.geometry[g]
            x0, y0, x1, y1 = geom.bounds
            line = LineString([(x0 - 5, (y0 + y1) / 2), (x1 + 5, (y0 + y1) / 2)])
            cmd = buf.push(C.split_grid(p, g, line))
            out.append(cmd)
        a, b = (sorted((int(i), g.wkb) for i, g in plans[j].grids.geometry.items()) for j in (0, 1))
        assert a == b
    assert calls and all(calls)            # every noding call before the edit was answered by the layers
