"""Whole-process benchmark of ``gridmap diff`` (issue 16) against reading both files (not a test).

    .venv/bin/python benchmarks/bench_diff.py [N_GRIDS] [--repeat K] [--dir DIR]

Writes a generated city (``citygen.generate``, no injected problems) as OLD.gpkg and a copy with
1 % of its unit grids changed as NEW.gpkg: 0.5 % of the grids merged into a touching neighbour
(so 1 % of the grids take part, with the merge recorded in the lineage as the app does) and
0.5 % renamed.  Then runs, alternately, K times each:

* ``gridmap diff OLD.gpkg NEW.gpkg --json`` (whole process: start, read both, match, diff, print);
* the baseline: a process that reads both plan files with gridmap's reader (``open_plan``),

and prints the medians and their ratio (goal ≤ 3×).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time

import numpy as np
import shapely

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
sys.path.insert(0, HERE)
sys.path.insert(0, REPO)

BASELINE = """
import sys
from gridmap.core.storage import open_plan
a = open_plan(sys.argv[1]); b = open_plan(sys.argv[2])
print(len(a.grids), len(b.grids))
"""


def make(n: int, folder: str) -> tuple[str, str, dict]:
    from citygen import generate

    from gridmap.core import lineage
    from gridmap.core.storage import save_plan

    plan = generate(n, seed=0, inject=False).plan
    old = os.path.join(folder, f"diff_old_{n}.gpkg")
    new = os.path.join(folder, f"diff_new_{n}.gpkg")
    save_plan(plan, old, force=True)
    rng = np.random.default_rng(0)
    small = plan.grids_of_level("small")
    g = plan.grids
    tree = shapely.STRtree(small.geometry.values)
    used: set = set()
    merged = []
    want = max(1, n // 200)
    for a in rng.permutation(small.index.to_numpy()):
        if len(merged) >= want:
            break
        if a in used:
            continue
        for j in tree.query(g.geometry[a], predicate="touches"):
            b = int(small.index[j])
            if b in used or b == a or small.at[b, "parent"] != small.at[a, "parent"]:
                continue
            if shapely.length(shapely.intersection(g.geometry[a].boundary, g.geometry[b].boundary)) < 10:
                continue
            merged.append((int(a), b))
            used |= {int(a), b}
            break
    geoms = g.geometry.values.copy()
    lin = g["lineage"].astype(object).to_numpy().copy()
    pos = {int(i): k for k, i in enumerate(g.index)}
    for a, b in merged:
        geoms[pos[a]] = shapely.union(geoms[pos[a]], geoms[pos[b]])
        lin[pos[a]] = lineage.add(lin[pos[a]], lineage.merge_event([b]))
    g = g.copy()
    g["geometry"] = geoms
    g["lineage"] = lin
    renamed = [int(i) for i in rng.choice(small.index[~small.index.isin(list(used))].to_numpy(), want, replace=False)]
    g.loc[renamed, "name"] = [f"更名网格{k}" for k in range(len(renamed))]
    gone = [b for _, b in merged]
    plan.grids = g.drop(index=gone)
    plan.roles = plan.roles[~plan.roles["grid"].isin(gone)]
    for t in ("segments", "places"):
        df = getattr(plan, t)
        m = dict(merged)
        inv = {b: a for a, b in merged}
        df["grid"] = [inv.get(int(x), x) if x is not None and x == x and x is not np.nan else x
                      for x in df["grid"].astype(object)]
    plan.__post_init__()
    save_plan(plan, new, force=True)
    return old, new, {"merged_pairs": len(merged), "renamed": len(renamed)}


def timed(cmd) -> tuple[float, str]:
    env = dict(os.environ, PYTHONPATH=REPO)
    t = time.perf_counter()
    r = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
    return time.perf_counter() - t, r.stdout


def main(argv=None) -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("n", nargs="?", type=int, default=100_000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--dir", default="/tmp")
    args = ap.parse_args(argv)
    t = time.perf_counter()
    old, new, made = make(args.n, args.dir)
    print(f"wrote {old} and {new} in {time.perf_counter() - t:.1f} s: {made}")
    diff = [sys.executable, "-m", "gridmap", "diff", old, new, "--json"]
    base = [sys.executable, "-c", BASELINE, old, new]
    td, tb = [], []
    out = ""
    for _ in range(args.repeat):
        tb.append(timed(base)[0])
        s, out = timed(diff)
        td.append(s)
    d = json.loads(out)
    print("diff summary:", d["summary"], "matching:", d["matching"]["method"])
    assert d["summary"].get("merge") == made["merged_pairs"] and d["summary"].get("renamed") == made["renamed"], d["summary"]
    md, mb = statistics.median(td), statistics.median(tb)
    print(f"gridmap diff: median {md:.2f} s {[round(x, 2) for x in td]}")
    print(f"read both (open_plan ×2): median {mb:.2f} s {[round(x, 2) for x in tb]}")
    print(f"ratio diff / read both = {md / mb:.2f}× (goal ≤ 3×)")


if __name__ == "__main__":
    main()
