"""Save or compare the JSON findings of ``gridmap check`` on the benchmark inputs (not a test).

    .venv/bin/python benchmarks/same_findings.py save DIR      # run the checks, write DIR/<case>.json
    .venv/bin/python benchmarks/same_findings.py compare DIR   # run them again, compare with DIR (exit 1 if any differs)
    .venv/bin/python benchmarks/same_findings.py diff DIR OTHER   # compare two saves

Inputs (``--data``, default /tmp/speed): city_{10000,100000}_{exact,noisy}.gpkg (``citygen.write_layers``),
mv_{exact,noisy}.gpkg (``manyvertex.py``), and ``sample_layers/baoan_plan_errors.gpkg`` (a project).
A finding is the same (the lead's decision for issue 11) when its rule, severity and grid list (members in
order) are identical, the summary (the count of findings per rule) is identical, every finding is matched one
to one, and its area, width, x and y — and any other number in its record — agree within 1e-6 (m, m²) or,
for large values, within a relative 1e-9.  ``compare`` prints the largest deviation it accepted per field;
``--exact`` compares the records exactly instead.
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


ABS_TOL = 1e-6
REL_TOL = 1e-9


def _key(p: dict) -> str:
    return json.dumps({k: v for k, v in p.items() if not isinstance(v, float)}, sort_keys=True,
                      ensure_ascii=False)


def _close(a, b) -> bool:
    if a is None or b is None:
        return a is b
    return abs(a - b) <= max(ABS_TOL, REL_TOL * max(abs(a), abs(b)))


def _same(p: dict, q: dict) -> bool:
    if p.keys() != q.keys():
        return False
    for k, v in p.items():
        w = q[k]
        if isinstance(v, float) or isinstance(w, float):
            if not isinstance(v, (int, float, type(None))) or not isinstance(w, (int, float, type(None))) \
                    or not _close(v, w):
                return False
        elif v != w:
            return False
    return True


def match(ref: list, doc: list, dev: dict) -> tuple[list, list]:
    """Match findings one to one (same non-numeric fields, numbers within the tolerance);
    returns (unmatched of ref, unmatched of doc) and records the deviations in ``dev``
    (field -> (largest absolute deviation, its relative deviation))."""
    groups: dict[str, list] = {}
    for q in doc:
        groups.setdefault(_key(q), []).append(q)
    left = []
    for p in ref:
        cands = groups.get(_key(p), [])
        for i, q in enumerate(cands):
            if _same(p, q):
                for k, v in p.items():
                    if isinstance(v, float) and isinstance(q[k], (int, float)):
                        d = abs(v - q[k])
                        if d > dev.get(k, (0.0, 0.0))[0]:
                            dev[k] = (d, d / max(abs(v), abs(q[k]), 1e-300))
                del cands[i]
                break
        else:
            left.append(p)
    return left, [q for c in groups.values() for q in c]


def report(name: str, ref: dict, doc: dict, exact: bool = False) -> bool:
    """Print how ``doc`` compares with ``ref``; True when they are the same (within the tolerance)."""
    if ref == doc:
        print(f"{name}: identical ({len(doc['problems'])} problems)")
        return True
    only_ref = only_doc = None
    if not exact and ref["summary"] == doc["summary"]:
        dev: dict = {}
        only_ref, only_doc = match(ref["problems"], doc["problems"], dev)
        if not only_ref and not only_doc:
            devs = ", ".join(f"{k} {d:.3g} (rel {r:.3g})" for k, (d, r) in sorted(dev.items())) or "none"
            print(f"{name}: same within tolerance ({len(doc['problems'])} problems; largest deviations: {devs})")
            return True
    if only_ref is None:
        rs = {json.dumps(p, sort_keys=True, ensure_ascii=False) for p in ref["problems"]}
        ds = {json.dumps(p, sort_keys=True, ensure_ascii=False) for p in doc["problems"]}
        only_ref = [json.loads(p) for p in sorted(rs - ds)]
        only_doc = [json.loads(p) for p in sorted(ds - rs)]
    print(f"{name}: DIFFERENT summary {ref['summary']} -> {doc['summary']} "
          f"({len(only_ref)} only before, {len(only_doc)} only after)")
    for p in only_ref[:5]:
        print("  only before:", json.dumps(p, sort_keys=True, ensure_ascii=False))
    for p in only_doc[:5]:
        print("  only after: ", json.dumps(p, sort_keys=True, ensure_ascii=False))
    return False


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("mode", choices=("save", "compare", "diff"),
                    help="diff DIR OTHER: compare two saves without running the checks")
    ap.add_argument("dir")
    ap.add_argument("other", nargs="?")
    ap.add_argument("--data", default="/tmp/speed")
    ap.add_argument("--only", nargs="*")
    ap.add_argument("--exact", action="store_true", help="compare exactly (no tolerance)")
    a = ap.parse_args(argv)
    bad = 0
    if a.mode == "diff":
        for path in sorted(os.listdir(a.dir)):
            name = path[:-5]
            if not path.endswith(".json") or (a.only and name not in a.only):
                continue
            if not os.path.exists(os.path.join(a.other, path)):
                print(f"{name}: not in {a.other}")
                continue
            with open(os.path.join(a.dir, path), encoding="utf-8") as f:
                ref = json.load(f)
            with open(os.path.join(a.other, path), encoding="utf-8") as f:
                doc = json.load(f)
            bad += not report(name, ref, doc, a.exact)
        return 1 if bad else 0
    os.makedirs(a.dir, exist_ok=True)
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
        bad += not report(name, ref, doc, a.exact)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
