"""Whole-process benchmark of ``gridmap check`` against a baseline process (not a test).

    .venv/bin/python benchmarks/bench_check_process.py [N_GRIDS] [--repeat K] [--dir DIR]

Writes the exact and the noisy generated city (``citygen.write_layers``) and runs, alternately, K times each:

* ``gridmap check CITY --layer grids --code-field code --boundary CITY:jurisdiction --json``
* the baseline: a process that reads the same layer with pyogrio and runs ``shapely.coverage_invalid_edges``

and prints the medians and their ratio.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
sys.path.insert(0, HERE)

BASELINE = """
import sys, pyogrio, shapely
_, _, wkb, _ = pyogrio.raw.read(sys.argv[1], layer="grids", columns=[])
e = shapely.coverage_invalid_edges(shapely.from_wkb(wkb))
print(int((~shapely.is_empty(e)).sum()))
"""


def timed(cmd) -> float:
    env = dict(os.environ, PYTHONPATH=REPO)
    t = time.perf_counter()
    subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - t


def compare(path: str, baseline: str, repeat: int) -> tuple[float, float, list, list]:
    """Time ``gridmap check`` on *path* against the *baseline* script, alternating,
    *repeat* times each; returns (median check, median baseline, check runs, baseline runs)."""
    check = [sys.executable, "-m", "gridmap", "check", path, "--layer", "grids", "--code-field", "code",
             "--boundary", f"{path}:jurisdiction", "--json"]
    base = [sys.executable, "-c", baseline, path]
    tb, tc = [], []
    for _ in range(repeat):
        tb.append(timed(base))
        tc.append(timed(check))
    return statistics.median(tc), statistics.median(tb), tc, tb


def main(argv=None) -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("n", nargs="?", type=int, default=100_000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--dir", default="/tmp")
    ap.add_argument("--only", choices=("exact", "noisy"))
    args = ap.parse_args(argv)
    import citygen

    for noisy in (False, True):
        if args.only and args.only != ("noisy" if noisy else "exact"):
            continue
        path = os.path.join(args.dir, f"city_{args.n}_{'noisy' if noisy else 'exact'}.gpkg")
        if not os.path.exists(path):
            citygen.write_layers(citygen.generate(args.n, noisy=noisy), path)
        c, b, tc, tb = compare(path, BASELINE, args.repeat)
        print(f"{'noisy' if noisy else 'exact'} {args.n}: gridmap check {c:.2f} s, baseline {b:.2f} s, "
              f"ratio {c / b:.2f}×  (runs: check {', '.join(f'{x:.2f}' for x in tc)}; "
              f"baseline {', '.join(f'{x:.2f}' for x in tb)})", flush=True)


if __name__ == "__main__":
    main()
