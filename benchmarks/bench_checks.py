"""Benchmark of the coverage checks at city scale (not a test).

    .venv/bin/python benchmarks/bench_checks.py [N_GRIDS] [--repeat K]

Prints, for a generated plan of about N_GRIDS unit grids (default 100,000):

* the full check of the unit-grid level (all geometry rules) and of the whole
  plan (all rules, both levels), and their ratios to
  ``shapely.coverage_invalid_edges`` alone on the same array, measured in the
  same run (best of K runs each, interleaved, to be fair on a shared machine);
* the re-check after editing one grid (:class:`CheckSession.update`), median,
  95th percentile and worst of 100 edits;
* fixing the injected problems by local cleaning (problems → ``fix_clean`` →
  ``CheckSession.apply``, which re-checks the neighbourhoods) vs
  ``shapely.coverage_clean`` on the whole level, with the same gap width and
  snapping distance, and the validity of both results;
* peak memory (maximum resident set size of the process).
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import sys
import time

import numpy as np
import shapely

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import citygen  # noqa: E402

from gridmap.core.checks import CheckSettings, check_plan, coverage, fixes  # noqa: E402
from gridmap.core.checks.session import CheckSession  # noqa: E402

GEOMETRY = ("invalid", "overlap", "gap", "sliver", "edge_mismatch", "outside_parent")


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def timed(f):
    t = time.perf_counter()
    out = f()
    return time.perf_counter() - t, out


def level_arrays(plan):
    g = plan.grids
    small = g[g["level"] == "small"]
    large = g[g["level"] == "large"]
    geoms = np.array(list(small.geometry.values), dtype=object)
    parents = np.array(list(large.geometry.values), dtype=object)
    groups = large.index.get_indexer(small["parent"].astype("float").fillna(-1).astype(int))
    return small, geoms, parents, groups


def main(argv=None) -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("n", nargs="?", type=int, default=100_000)
    ap.add_argument("--repeat", type=int, default=2)
    ap.add_argument("--edits", type=int, default=100)
    ap.add_argument("--gap-width", type=float, default=5.0, help="gap width for both cleanings (m)")
    args = ap.parse_args(argv)

    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"shapely {shapely.__version__}, GEOS {'.'.join(map(str, shapely.geos_version))}")
    t, city = timed(lambda: citygen.generate(args.n))
    plan = city.plan
    small, geoms, parents, groups = level_arrays(plan)
    nverts = shapely.get_num_coordinates(geoms).mean()
    print(f"plan: {len(geoms):,} unit grids (~{nverts:.0f} vertices each), {len(parents):,} large grids, "
          f"{len(plan.segments):,} road segments, {len(city.injected):,} injected problems; generated in {t:.1f} s")

    # ------------------------------------------------------------------ full check
    base, lvl, whole = [], [], []
    result = None
    settings = CheckSettings()
    for _ in range(args.repeat):
        base.append(timed(lambda: shapely.coverage_invalid_edges(geoms))[0])
        lvl.append(timed(lambda: coverage.check_level(geoms, groups=groups, regions=parents))[0])
        t, result = timed(lambda: check_plan(plan, settings))
        whole.append(t)
    b, lv, wh = min(base), min(lvl), min(whole)
    print(f"shapely.coverage_invalid_edges alone ({len(geoms):,} polygons): {b:.2f} s  (runs: "
          f"{', '.join(f'{x:.2f}' for x in base)})")
    print(f"full check of the unit-grid level (all geometry rules): {lv:.2f} s = {lv / b:.2f}× the baseline  "
          f"(runs: {', '.join(f'{x:.2f}' for x in lvl)})")
    print(f"full check of the whole plan (all rules, both levels): {wh:.2f} s = {wh / b:.2f}× the baseline  "
          f"(runs: {', '.join(f'{x:.2f}' for x in whole)})")
    print("  parts: " + ", ".join(f"{k} {v:.2f} s" for k, v in result.timings.items()))
    print("  found: " + ", ".join(f"{k} {v}" for k, v in result.summary().items()))
    print(f"peak memory so far: {peak_mb():,.0f} MB")

    # ------------------------------------------------------------------ incremental
    t, session = timed(lambda: CheckSession(plan, settings, result=result))
    rng = np.random.default_rng(7)
    ids = small.index.to_numpy()
    times = []
    for _ in range(args.edits):
        gid = int(rng.choice(ids))
        g = plan.grids.at[gid, "geometry"]
        xy = shapely.get_coordinates(g)
        k = int(rng.integers(1, len(xy) - 1))
        xy[k] += rng.normal(0, 2.0, 2)
        times.append(session.update(gid, shapely.polygons(xy)).seconds)
        times.append(session.update(gid, g).seconds)    # and back
    ms = np.array(times) * 1000
    print(f"re-check after editing one grid ({len(ms)} edits): median {np.median(ms):.1f} ms, "
          f"p95 {np.percentile(ms, 95):.1f} ms, worst {ms.max():.1f} ms  (session set-up {t:.2f} s)")

    # ------------------------------------------------------------------ fixing
    def fixed_run(sess):
        probs = [p for p in sess.problems if p.level == "small" and p.rule in GEOMETRY and p.ids]
        t, report = timed(lambda: fixes.fix_all(sess, probs, gap_width=args.gap_width))
        return t, probs, report

    t_fix, probs, report = fixed_run(session)
    local_runs = [t_fix]
    for _ in range(args.repeat - 1):          # a fresh session (full check, not timed) for each run
        local_runs.append(fixed_run(CheckSession(plan, settings))[0])
    changes = report.changes
    after = geoms.copy()
    where = {int(gid): k for k, gid in enumerate(ids)}
    for gid, g in changes.items():
        after[where[int(gid)]] = g
    left = [p for p in session.problems if p.level == "small" and p.rule in GEOMETRY]
    valid_local = bool(shapely.coverage_is_valid(after)) and bool(shapely.is_valid(after).all())
    whole_runs = []
    for _ in range(args.repeat):
        t, cleaned = timed(lambda: fixes.clean(geoms, gap_width=args.gap_width))
        whole_runs.append(t)
    t_fix, t_whole = min(local_runs), min(whole_runs)
    valid_whole = bool(shapely.coverage_is_valid(cleaned)) and bool(shapely.is_valid(cleaned).all())
    left_whole = coverage.check_level(cleaned, groups=groups, regions=parents)
    changed_whole = int((~shapely.equals_exact(shapely.normalize(cleaned), shapely.normalize(
        coverage.polygonal(geoms)), tolerance=0.0)).sum())

    def kinds(found):
        out = {}
        for f in found:
            out[f.rule] = out.get(f.rule, 0) + 1
        return out
    new_rules = sorted({q.rule for q in report.added})
    print(f"fixing {len(probs)} problems by local cleaning (verified, {report.rounds} rounds): {t_fix:.2f} s "
          f"(runs: {', '.join(f'{x:.2f}' for x in local_runs)}), {len(changes)} grids changed; "
          f"left: {kinds(left) or 'none'}; new problems: {new_rules or 'none'}; coverage valid: {valid_local}")
    print(f"shapely.coverage_clean on the whole level: {t_whole:.2f} s (runs: "
          f"{', '.join(f'{x:.2f}' for x in whole_runs)}), {changed_whole} grids changed; "
          f"left: {kinds(left_whole) or 'none'}; coverage valid: {valid_whole}")
    print(f"local cleaning is {t_whole / t_fix:.1f}× faster")
    print(f"peak memory: {peak_mb():,.0f} MB")


if __name__ == "__main__":
    main()
