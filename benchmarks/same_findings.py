"""Save or compare the JSON findings of ``gridmap check`` on the benchmark inputs (not a test).

    .venv/bin/python benchmarks/same_findings.py save DIR      # run the checks, write DIR/<case>.json
    .venv/bin/python benchmarks/same_findings.py compare DIR   # run them again, compare with DIR (exit 1 if any differs)

Inputs (``--data``, default /tmp/speed): city_{10000,100000}_{exact,noisy}.gpkg (``citygen.write_layers``),
mv_{exact,noisy}.gpkg (``manyvertex.py``), and ``sample_layers/baoan_plan_errors.gpkg`` (a project).
Findings are compared exactly (every rule, grid list, area, width, x, y) after sorting.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def cases(data: str):
    out = {"baoan_plan_errors": [os.path.join(REPO, "sample_layers", "baoan_plan_errors.gpkg")]}
    for name in ("city_10000_exact", "city_10000_noisy", "city_100000_exact", "city_100000_noisy",
                 "mv_exact", "mv_noisy"):
        p = os.path.join(data, name + ".gpkg")
        if os.path.exists(p):
            out[name] = [p, "--layer", "grids", "--code-field", "code", "--boundary", f"{p}:jurisdiction"]
    return out


def run(args) -> dict:
    env = dict(os.environ, PYTHONPATH=REPO)
    r = subprocess.run([sys.executable, "-m", "gridmap", "check", *args, "--json"], env=env,
                       capture_output=True, text=True)
    if r.returncode not in (0, 1):
        raise SystemExit(f"check failed ({r.returncode}): {r.stderr}")
    return json.loads(r.stdout)


def canonical(doc: dict) -> dict:
    probs = sorted(doc["problems"], key=lambda p: json.dumps(p, sort_keys=True, ensure_ascii=False))
    return {"problems": probs, "summary": doc["summary"]}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("mode", choices=("save", "compare"))
    ap.add_argument("dir")
    ap.add_argument("--data", default="/tmp/speed")
    ap.add_argument("--only", nargs="*")
    a = ap.parse_args(argv)
    os.makedirs(a.dir, exist_ok=True)
    bad = 0
    for name, args in cases(a.data).items():
        if a.only and name not in a.only:
            continue
        doc = canonical(run(args))
        path = os.path.join(a.dir, name + ".json")
        if a.mode == "save":
            with open(path, "w", encoding="utf-8") as f:
                json.dump(doc, f, ensure_ascii=False, indent=0, sort_keys=True)
            print(f"{name}: saved {doc['summary']}")
            continue
        with open(path, encoding="utf-8") as f:
            ref = json.load(f)
        if ref == doc:
            print(f"{name}: identical ({len(doc['problems'])} problems)")
            continue
        bad += 1
        rs = {json.dumps(p, sort_keys=True, ensure_ascii=False) for p in ref["problems"]}
        ds = {json.dumps(p, sort_keys=True, ensure_ascii=False) for p in doc["problems"]}
        print(f"{name}: DIFFERENT summary {ref['summary']} -> {doc['summary']}")
        for p in sorted(rs - ds)[:5]:
            print("  only before:", p)
        for p in sorted(ds - rs)[:5]:
            print("  only after: ", p)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
