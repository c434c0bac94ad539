"""Whole-process benchmark of ``gridmap check`` on a layer of few polygons with very many vertices (issue 11).

    .venv/bin/python benchmarks/bench_manyvertex.py [--repeat K] [--dir DIR] [--nx 10 --ny 5 --vertices 20000]

Writes the exact and the noisy many-vertex layer (``manyvertex.py``: 50 districts × 20,000 vertices, one overlap
and one gap injected; noisy: every other district round-tripped through lon/lat, so every shared edge differs by
float noise) and runs, alternately, K times each:

* ``gridmap check MV --layer grids --code-field code --boundary MV:jurisdiction --json``
* the baseline: a brute-force pairwise check in a process that reads the same layer with pyogrio and runs
  ``shapely.intersects`` on all pairs and ``shapely.intersection`` (+ area) on the intersecting ones

and prints the medians and their ratio.
"""

from __future__ import annotations

import argparse
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

from bench_check_process import compare  # noqa: E402

BASELINE = """
import sys, numpy as np, pyogrio, shapely
_, _, wkb, _ = pyogrio.raw.read(sys.argv[1], layer="grids", columns=[])
g = shapely.from_wkb(wkb)
i, j = np.triu_indices(len(g), 1)
hit = shapely.intersects(g[i], g[j])
inter = shapely.intersection(g[i[hit]], g[j[hit]])
print(int((shapely.area(inter) > 0.01).sum()))
"""


def main(argv=None) -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--dir", default="/tmp")
    ap.add_argument("--nx", type=int, default=10)
    ap.add_argument("--ny", type=int, default=5)
    ap.add_argument("--vertices", type=int, default=20_000)
    ap.add_argument("--only", choices=("exact", "noisy"))
    args = ap.parse_args(argv)
    import manyvertex

    for noisy in (False, True):
        kind = "noisy" if noisy else "exact"
        if args.only and kind != args.only:
            continue
        path = os.path.join(args.dir, f"mv_{kind}.gpkg")
        if not os.path.exists(path):
            manyvertex.write(*manyvertex.generate(args.nx, args.ny, args.vertices, noisy=noisy), path)
        c, b, tc, tb = compare(path, BASELINE, args.repeat)
        print(f"many-vertex {kind} ({args.nx * args.ny} × {args.vertices}): gridmap check {c:.2f} s, "
              f"brute force {b:.2f} s, ratio {c / b:.2f}×  (runs: check {', '.join(f'{x:.2f}' for x in tc)}; "
              f"baseline {', '.join(f'{x:.2f}' for x in tb)})", flush=True)


if __name__ == "__main__":
    main()
