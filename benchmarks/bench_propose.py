"""Benchmark and comparison of proposals (issue 17, 智能划分).

    .venv/bin/python benchmarks/bench_propose.py [--blocks 10000] [--grids 500] [--libs]

1. End to end on a generated city (a jittered street grid of ``--blocks`` blocks in one
   large grid, ~20 blocks per grid): blocks from roads, workload, partition, apply through
   the edit buffer (coverage guard) and the full check of the plan — per method
   (``grow``: ours; ``metis``: pymetis start), each in its own process for peak memory.
2. With ``--libs`` (GerryChain and spopt importable, e.g. ``PYTHONPATH=/tmp/evalpkgs/lib``):
   the same block graphs (the Bao'an sample's 65 blocks in its 4 large grids, and the
   generated city) partitioned by GerryChain ReCom and spopt, to compare balance and time.

Figures are ratios against a baseline measured in the same run: ``shapely.polygonize`` of
the same roads (the least any block-based method must do).
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import shapely

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def city(n_blocks: int, seed: int = 17):
    """Road lines of a jittered street grid with about ``n_blocks`` blocks, and its outline."""
    rng = np.random.default_rng(seed)
    side = int(round(np.sqrt(n_blocks)))
    xs = np.r_[0, np.cumsum(rng.uniform(60, 160, side))]
    ys = np.r_[0, np.cumsum(rng.uniform(60, 160, side))]
    x0, y0 = 500000.0, 2500000.0
    lines = [shapely.LineString([(x0 + x, y0 - 20), (x0 + x, y0 + ys[-1] + 20)]) for x in xs[1:-1]]
    lines += [shapely.LineString([(x0 - 20, y0 + y), (x0 + xs[-1] + 20, y0 + y)]) for y in ys[1:-1]]
    outline = shapely.box(x0, y0, x0 + xs[-1], y0 + ys[-1])
    return lines, outline


def large_grids(lines, outline, n: int = 5):
    """The city cut along every (side/n)-th street each way: n × n large grids of whole blocks."""
    vert = [l for l in lines if l.coords[0][0] == l.coords[1][0]]
    hor = [l for l in lines if l.coords[0][1] == l.coords[1][1]]
    cuts = [vert[i] for i in np.linspace(0, len(vert), n + 1)[1:-1].astype(int)]
    cuts += [hor[i] for i in np.linspace(0, len(hor), n + 1)[1:-1].astype(int)]
    net = shapely.union_all([outline.boundary] + [shapely.intersection(c, outline) for c in cuts])
    return list(shapely.get_parts(shapely.polygonize(shapely.get_parts(net))))


def run_one(method: str, n_blocks: int, k: int) -> dict:
    import geopandas as gpd

    from gridmap.core.checks import check_plan
    from gridmap.core.editing.buffer import EditBuffer
    from gridmap.core.plan import Plan
    from gridmap.core.proposals.propose import ProposalSettings, apply_command, propose

    lines, outline = city(n_blocks)
    t0 = time.perf_counter()
    faces = shapely.polygonize(shapely.get_parts(shapely.union_all(lines + [outline.boundary])))
    baseline = time.perf_counter() - t0
    plan = Plan.new("城", "EPSG:4547", "440306", levels="two")
    plan.set_jurisdiction(outline)
    for big in large_grids(lines, outline):   # 5 × 5 large grids along roads, ~20 small grids each
        plan.add_grid(big, "large")
    plan.auto_number()
    roads = gpd.GeoDataFrame({"name": [""] * len(lines)}, geometry=lines, crs="EPSG:4547")
    t0 = time.perf_counter()
    pr = propose(plan, roads, ProposalSettings(level="small", k=k, weights={"area": 1, "roads": 1}, method=method))
    t_propose = time.perf_counter() - t0
    buf = EditBuffer(plan)
    buf.push(apply_command(plan, pr))
    t_apply = time.perf_counter() - t0 - t_propose
    result = check_plan(plan)
    total = time.perf_counter() - t0
    errors = sorted({p.rule for p in result.problems if p.severity == "error"} - {"no_leader", "no_unit", "no_officer"})
    return {"method": method, "blocks": pr.metrics["blocks"], "grids": pr.metrics["grids"],
            "faces_baseline_s": round(baseline, 3), "propose_s": round(t_propose, 2), "apply_s": round(t_apply, 2),
            "total_s": round(total, 2), "ratio_to_baseline": round(total / baseline, 1),
            "peak_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
            "max_deviation_pct": pr.metrics["max_deviation_pct"], "mean_deviation_pct": pr.metrics["mean_deviation_pct"],
            "compactness_mean": pr.metrics["compactness_mean"], "compactness_min": pr.metrics["compactness_min"],
            "coverage_errors": errors, "faces": int(shapely.get_num_geometries(faces))}


# ---------------------------------------------------------------------- other libraries
def graphs_sample():
    """The Bao'an sample's block graphs, one per large grid: (weights, adjacency, k)."""
    import pyogrio

    from gridmap.core.proposals.blocks import shared_edges
    from gridmap.core.proposals.propose import ProposalSettings, propose
    from gridmap.core.storage import open_plan

    plan = open_plan(ROOT / "sample_layers" / "baoan_plan.gpkg")
    roads = pyogrio.read_dataframe(ROOT / "sample_layers" / "baoan_roads.gpkg")
    pr = propose(plan, roads, ProposalSettings(level="small", k=31))
    out = []
    for p, k in zip(plan.grids_of_level("large").index, pr.metrics["k_per_parent"].values()):
        b = pr.blocks[pr.blocks["parent"] == p]
        out.append((b["workload"].to_numpy(), shared_edges(b.geometry.values), int(k), b.geometry.values))
    return out


def graphs_city(n_blocks, k):
    from gridmap.core.proposals.blocks import shared_edges

    lines, outline = city(n_blocks)
    faces = np.asarray(shapely.get_parts(shapely.polygonize(shapely.get_parts(
        shapely.union_all(lines + [outline.boundary])))), dtype=object)
    w = shapely.area(faces) / shapely.area(faces).mean()
    return [(w, shared_edges(faces), k, faces)]


def devs(w, labels, k):
    W = np.bincount(labels, weights=w, minlength=k)
    d = np.abs(W - W.mean()) / W.mean() * 100
    return float(d.max()), float(d.mean()), int((np.bincount(labels, minlength=k) == 0).sum())


def lib_run(lib: str, which: str, n_blocks: int, k: int, seconds: float) -> dict:
    graphs = graphs_sample() if which == "sample" else graphs_city(n_blocks, k)
    t0 = time.perf_counter()
    maxd, meand, empty, comp = [], [], 0, []
    for w, adj, kk, geoms in graphs:
        if lib == "gerrychain":
            labels = _gerrychain(w, adj, kk, seconds / len(graphs))
        elif lib == "spopt":
            labels = _spopt(w, adj, kk, geoms)
        else:
            from gridmap.core.proposals.partition import partition

            labels = partition(w, adj, kk, areas=shapely.area(geoms), perimeters=shapely.length(geoms), method=lib)
        a, b, e = devs(w, labels, kk)
        maxd.append(a); meand += [b] * kk; empty += e
        from gridmap.core.proposals.blocks import compactness

        for r in range(kk):
            if (labels == r).any():
                comp.append(float(compactness([shapely.coverage_union_all(geoms[labels == r])])[0]))
    return {"lib": lib, "input": which, "seconds": round(time.perf_counter() - t0, 2),
            "max_deviation_pct": round(max(maxd), 1), "mean_deviation_pct": round(float(np.mean(meand)), 1),
            "empty_parts": empty, "compactness_mean": round(float(np.mean(comp)), 3),
            "compactness_min": round(float(np.min(comp)), 3),
            "peak_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)}


def _gerrychain(w, adj, k, seconds):
    """ReCom (spanning-tree recombination) from a recursive spanning-tree start, ±10 % balance."""
    import networkx as nx
    from functools import partial

    from gerrychain import Graph, MarkovChain, Partition, accept
    from gerrychain.constraints import contiguous
    from gerrychain.proposals import recom
    from gerrychain.tree import recursive_tree_part
    from gerrychain.updaters import Tally

    g = nx.Graph()
    for i in range(len(w)):
        g.add_node(i, pop=float(w[i]))
    for i, nbs in adj.items():
        for j in nbs:
            g.add_edge(i, j)
    graph = Graph.from_networkx(g)
    ideal = float(np.sum(w)) / k
    start = recursive_tree_part(graph, range(k), ideal, "pop", 0.5)
    part = Partition(graph, start, updaters={"pop": Tally("pop", alias="pop")})
    best = part
    t0 = time.perf_counter()

    def spread(p):
        v = np.array(list(p["pop"].values()))
        return float(np.abs(v - ideal).max())

    prop = partial(recom, pop_col="pop", pop_target=ideal, epsilon=0.5, node_repeats=2)
    chain = MarkovChain(prop, constraints=[contiguous], accept=accept.always_accept, initial_state=part,
                        total_steps=100000)
    for state in chain:
        if spread(state) < spread(best):
            best = state
        if time.perf_counter() - t0 > seconds:
            break
    a = best.assignment
    return np.array([int(a[i]) for i in range(len(w))])


def _spopt(w, adj, k, geoms):
    """spopt SKATER (spanning-tree regionalisation) on the same graph, workload as the attribute."""
    import geopandas as gpd
    import libpysal
    from spopt.region import Skater

    gdf = gpd.GeoDataFrame({"w": w}, geometry=list(geoms))
    W = libpysal.weights.W({i: list(adj[i]) for i in range(len(w))}, silence_warnings=True)
    model = Skater(gdf, W, ["w"], n_clusters=k, floor=1, trace=False, islands="increase")
    model.solve()
    return np.asarray(model.labels_, dtype=int)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--blocks", type=int, default=10000)
    ap.add_argument("--grids", type=int, default=500)
    ap.add_argument("--libs", action="store_true", help="also GerryChain ReCom and spopt SKATER")
    ap.add_argument("--seconds", type=float, default=60.0, help="time allowed to a ReCom chain")
    ap.add_argument("--one", help=argparse.SUPPRESS)
    ap.add_argument("--lib", nargs=2, help=argparse.SUPPRESS)
    a = ap.parse_args(argv)
    if a.one:
        print(json.dumps(run_one(a.one, a.blocks, a.grids)))
        return 0
    if a.lib:
        print(json.dumps(lib_run(a.lib[0], a.lib[1], a.blocks, a.grids, a.seconds)))
        return 0
    rows = []
    jobs = [["--one", m] for m in ("grow", "metis")]
    if a.libs:
        jobs += [["--lib", lib, which] for which in ("sample", "city")
                 for lib in ("grow", "metis", "gerrychain", "spopt")]
    for job in jobs:
        cmd = [sys.executable, __file__, "--blocks", str(a.blocks), "--grids", str(a.grids),
               "--seconds", str(a.seconds)] + job
        try:
            r = subprocess.run(cmd, capture_output=True, text=True, timeout=max(300, 4 * a.seconds))
            row = json.loads(r.stdout.strip().splitlines()[-1]) if r.returncode == 0 else \
                {"job": job, "error": (r.stderr.strip().splitlines() or ["?"])[-1][:200]}
        except subprocess.TimeoutExpired:
            row = {"job": job, "error": "timed out"}
        print(json.dumps(row, ensure_ascii=False), flush=True)
        rows.append(row)
    return 0


if __name__ == "__main__":
    sys.exit(main())
