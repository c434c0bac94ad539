"""The window on a shared plan (issue 15, the app side): how long until a step is on the server,
until another planner's commit shows in the window, and the longest GUI stall meanwhile.

    .venv/bin/python benchmarks/bench_shared_app.py [PLAN.gpkg | --generate 10000] [--edits N] [--json]

Starts a throwaway PostgreSQL/PostGIS cluster (tests/pg_cluster.py), publishes the plan (default:
the sample plan), opens the real main window on its URL (offscreen) and then, N times each:

* **commit**: the window renames a grid (``edit.push``); time until the step is committed
  (the window's queue idle again), and ``push_ms``: the part spent in ``edit.push`` itself (the
  window's own handling of an edit — redraw, lists, live checks — the same for a plan file);
* **appear**: a second client (its own connection) renames another grid with ``shared.commit``;
  time from its commit's return until the window's plan has the new name (LISTEN → pull →
  brought in and reported to the canvas/lists/checks);

and the longest gap of a 10 ms heartbeat timer in the GUI thread while that happens.
Baseline measured in the same run: the same rename committed headless by ``shared.commit`` on an
open connection (``baseline_ms``); the figures are reported as ratios to it too.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE.parent / "tests"))


def pct(values, q):
    v = sorted(values)
    return v[min(len(v) - 1, int(round(q * (len(v) - 1))))]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("plan", nargs="?", default=str(HERE.parent / "sample_layers" / "baoan_plan.gpkg"))
    ap.add_argument("--edits", type=int, default=20)
    ap.add_argument("--generate", type=int, default=0, help="a citygen plan of about N grids instead of PLAN")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)

    import psycopg
    from pg_cluster import DATABASE, SUPERUSER, PgServer, _Cluster, pg_bindir

    bindir = pg_bindir()
    if bindir is None:
        print("PostgreSQL binaries not found (bash test.sh installs them as root)", file=sys.stderr)
        return 2
    cluster = _Cluster(bindir)
    cluster.start()
    try:
        srv = PgServer("127.0.0.1", cluster.port, DATABASE, SUPERUSER, cluster.folder)
        with psycopg.connect(host=srv.host, port=srv.port, dbname="postgres", user=SUPERUSER, autocommit=True) as c:
            c.execute(f"CREATE DATABASE {DATABASE}")
        with srv.connect(autocommit=True) as c:
            c.execute("CREATE EXTENSION postgis")
        return run(args, srv.url(schema="bench"))
    finally:
        cluster.stop()


def run(args, url) -> int:
    from PySide6.QtCore import QCoreApplication, QElapsedTimer, QSettings, QTimer

    from gridmap.core.editing.changeset import changeset
    from gridmap.core.editing.commands import SetCells
    from gridmap.core.storage import open_plan, save_plan
    from gridmap.core.storage.postgis import connect
    from gridmap.core.storage.shared import commit, pull

    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, tempfile.mkdtemp(prefix="gm-bench-"))
    from gridmap.ui.app import create_app
    from gridmap.ui.main_window import MainWindow

    create_app([])
    if args.generate:
        sys.path.insert(0, str(HERE))
        import citygen

        plan = citygen.generate(args.generate, seed=1, inject=False).plan
        args.plan = f"citygen-{args.generate}"
    else:
        plan = open_plan(args.plan)
    plan.base_layers = plan.base_layers.iloc[:0]          # the map under the grids is not what is measured
    save_plan(plan, url)
    small = [int(i) for i in plan.grids.index[plan.grids["level"] == plan.levels[-1].key]]
    mine_ids, theirs_ids = small[0::2], small[1::2]

    beats = []
    timer = QTimer()
    timer.setInterval(10)
    timer.timeout.connect(lambda: beats.append(time.perf_counter()))

    def spin(cond, ms=60000):
        t = QElapsedTimer()
        t.start()
        while not cond() and t.elapsed() < ms:
            QCoreApplication.processEvents()
        if not cond():
            raise SystemExit("timed out")

    w = MainWindow()
    w.confirm_close = False
    w.resize(1200, 800)
    w.show()
    w.open_path(url)
    spin(lambda: w.document is not None and getattr(w, "shared", None) is not None and w.shared.kind is not None
         and w.shared.listener.listening.is_set())
    w.wait_idle(60000)

    def stall(t0):
        b = [t0] + [x for x in beats if x >= t0]
        return max((y - x for x, y in zip(b, b[1:])), default=0.0) * 1000 - 10

    # baseline: the same rename committed headless on an open connection
    other = open_plan(url)
    base = []
    with connect(url, autocommit=True) as conn:
        for k in range(args.edits):
            g = theirs_ids[k % len(theirs_ids)]
            cmd = SetCells("改名", "grids", g, {"name": f"基线{k}"})
            cmd.redo(other)
            t = time.perf_counter()
            commit(other, changeset(cmd, author="基线"), conn=conn)
            base.append((time.perf_counter() - t) * 1000)
    spin(lambda: w.shared.idle() and w.document.plan.grids.at[theirs_ids[(args.edits - 1) % len(theirs_ids)], "name"]
         == f"基线{args.edits - 1}")
    other = open_plan(url)
    timer.start()
    commits, appears, stalls, pushes = [], [], [], []
    with connect(url, autocommit=True) as conn:
        for k in range(args.edits):
            g = mine_ids[k % len(mine_ids)]
            beats.clear()
            t = time.perf_counter()
            w.edit.push(SetCells("改名", "grids", g, {"name": f"窗口{k}"}), "改名")
            pushes.append((time.perf_counter() - t) * 1000)       # the window's own edit handling (as for a file)
            spin(lambda: w.shared.idle())
            commits.append((time.perf_counter() - t) * 1000)
            stalls.append(stall(t))
            g2 = theirs_ids[k % len(theirs_ids)]
            pull(other, conn)                           # a headless client: it reads what the window did first
            cmd = SetCells("改名", "grids", g2, {"name": f"他人{k}"})
            cmd.redo(other)
            commit(other, changeset(cmd, author="他人"), conn=conn)
            beats.clear()
            t = time.perf_counter()
            spin(lambda: w.document.plan.grids.at[g2, "name"] == f"他人{k}")
            appears.append((time.perf_counter() - t) * 1000)
            stalls.append(stall(t))
            spin(lambda: w.shared.idle())
    timer.stop()
    w.close()
    b50 = statistics.median(base)
    out = {"plan": Path(args.plan).name, "grids": len(plan.grids), "edits": args.edits, "load": os.getloadavg(),
           "baseline_ms": round(b50, 2),
           "push_ms": {"p50": round(pct(pushes, .5), 1), "p95": round(pct(pushes, .95), 1)},
           "commit_ms": {"p50": round(pct(commits, .5), 1), "p95": round(pct(commits, .95), 1)},
           "appear_ms": {"p50": round(pct(appears, .5), 1), "p95": round(pct(appears, .95), 1),
                         "max": round(max(appears), 1)},
           "gui_stall_ms_max": round(max(stalls), 1),
           "ratios": {"commit_p50": round(pct(commits, .5) / b50, 1), "appear_p50": round(pct(appears, .5) / b50, 1)}}
    if args.json:
        print(json.dumps(out, ensure_ascii=False))
    else:
        for k, v in out.items():
            print(f"{k:18} {v}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
