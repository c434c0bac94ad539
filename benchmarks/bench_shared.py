"""The shared plan on PostGIS under load (issue 15): no lost update, every conflict told, the change
log replays; commit latency, open time and memory at 100k grids.  Not a test: run by hand.

    .venv/bin/python benchmarks/bench_shared.py conflicts [--grids 10000 --clients 4 --edits 250]
    .venv/bin/python benchmarks/bench_shared.py scale [--grids 100000 --edits 200]

Both start their own throwaway cluster (initdb/pg_ctl in a temporary folder, 127.0.0.1, a free
port, removed at the end: tests/pg_cluster.py), or use ``--url postgresql://…`` (a database with
PostGIS where the user may create schemas).

``conflicts``: a generated city is published; N client *processes* open it, wait for a start
signal, then each makes E random edits on the grids at the centre of one large grid (the same 40 neighbouring
grids for all clients, ``--zone``): 2/3 move a vertex of the boundary two neighbouring grids share (both grids
in one changeset: the coverage stays exact), 1/3 rename a grid.  Before each edit the client pulls
what the others committed; then it waits a random 0–``--think`` ms ("the planner drags") and
commits.  A conflict is undone locally, the rows it names are reloaded and the client goes on.
Checked afterwards, from the change log and the final plan:

* lost updates: a row whose final value is not the one its last committed changeset wrote (must be 0);
* unreported conflicts: a committed changeset whose "before" is not the state the changesets
  committed before it left (it was made on stale rows and should have been refused; must be 0);
* every conflict reported to the client that lost, naming another client as the author;
* the final plan: gridmap's checks find no geometry error (the same as on the published plan) and
  the union of the unit grids equals the jurisdiction;
* the change log replayed on the published plan (``apply_changeset`` with its before-checks) gives
  the final plan exactly.

``scale``: a 100k city published; one client commits E vertex moves one after another (latency
p50/p95 per commit); the city opened from PostGIS and from the .gpkg, each in a fresh process
(time, peak RSS), the ratio in the same run.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path[:0] = [str(REPO), str(HERE), str(REPO / "tests")]


# ---------------------------------------------------------------------------- the server
class Server:
    """A throwaway cluster (the tests' own) or an existing database."""

    def __init__(self, url: str | None):
        self.cluster = None
        if url:
            self.base = url.split("?")[0]
            return
        import psycopg
        from pg_cluster import DATABASE, SUPERUSER, _Cluster, pg_bindir

        bindir = pg_bindir()
        if bindir is None:
            sys.exit("PostgreSQL binaries (initdb, pg_ctl) not found; bash test.sh installs them as root")
        self.cluster = _Cluster(bindir)
        self.cluster.start()
        with psycopg.connect(host="127.0.0.1", port=self.cluster.port, dbname="postgres", user=SUPERUSER,
                             autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {DATABASE}")
        self.base = f"postgresql://{SUPERUSER}@127.0.0.1:{self.cluster.port}/{DATABASE}"
        with psycopg.connect(self.base, autocommit=True) as conn:
            conn.execute("CREATE EXTENSION postgis")

    def url(self, schema: str) -> str:
        return f"{self.base}?schema={schema}"

    def stop(self):
        if self.cluster is not None:
            self.cluster.stop()


def _pct(values, q):
    return float(np.percentile(np.asarray(values, dtype=float), q)) if len(values) else float("nan")


def _load() -> str:
    try:
        return "load average " + " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "load ?"


# ---------------------------------------------------------------------------- edits
def _shared_vertex_move(plan, a: int, b: int, others, rng, step: float = 0.5):
    """New geometries of grids a and b with one vertex of their shared boundary moved (None when
    they share no vertex that only the two of them have)."""
    import shapely

    ga, gb = plan.grids.geometry[a], plan.grids.geometry[b]
    ca = shapely.get_coordinates(ga.exterior)[:-1]
    cb = {tuple(c) for c in shapely.get_coordinates(gb.exterior)[:-1]}
    taken = set()
    for o in others:
        if o in plan.grids.index:
            taken |= {tuple(c) for c in shapely.get_coordinates(plan.grids.geometry[o].exterior)}
    cands = [tuple(c) for c in ca if tuple(c) in cb and tuple(c) not in taken]
    if not cands:
        return None
    for _ in range(5):
        old = cands[int(rng.integers(len(cands)))]
        new = (old[0] + float(rng.uniform(-step, step)), old[1] + float(rng.uniform(-step, step)))

        def moved(g):
            ring = [new if tuple(c) == old else tuple(c) for c in shapely.get_coordinates(g.exterior)]
            return shapely.Polygon(ring, [list(i.coords) for i in g.interiors])

        na, nb = moved(ga), moved(gb)
        if na.is_valid and nb.is_valid:
            return {a: na, b: nb}
    return None


def client(url: str, name: str, zone: list[int], edits: int, think_ms: float, seed: int, out: str) -> None:
    """One planner process: open, wait for "go", then ``edits`` attempts; results as JSON in ``out``."""
    import shapely

    from gridmap.core.editing.changeset import changeset
    from gridmap.core.editing.commands import SetCells, SetGeometries
    from gridmap.core.storage import open_plan
    from gridmap.core.storage.checkout import _server_rows, _set_rows, _take_revs
    from gridmap.core.storage.postgis import connect, origin_of
    from gridmap.core.storage.shared import EditConflict, commit, pull

    rng = np.random.default_rng(seed)
    t0 = time.perf_counter()
    plan = open_plan(url)
    opened = time.perf_counter() - t0
    origin = origin_of(plan)
    zone = [g for g in zone if g in plan.grids.index]
    all_ids = plan.grids.index.to_numpy()
    tree = shapely.STRtree(plan.grids.geometry.values)
    touching = {g: [int(all_ids[j]) for j in tree.query(plan.grids.geometry[g], predicate="intersects")
                    if int(all_ids[j]) != g] for g in zone}
    pairs = {g: [h for h in touching[g] if h in set(zone)] for g in zone}
    conn = connect(url)
    conn.autocommit = True
    print("ready", flush=True)
    sys.stdin.readline()
    attempts = []
    for k in range(edits):
        pull(plan, conn=conn)
        base_seq = origin.last_seq
        a = zone[int(rng.integers(len(zone)))]
        if rng.random() < 2 / 3 and pairs[a]:
            b = pairs[a][int(rng.integers(len(pairs[a])))]
            geoms_new = _shared_vertex_move(plan, a, b, [o for o in touching[a] + touching[b] if o not in (a, b)], rng)
            if geoms_new is None:
                cmd = SetCells(f"改名 Rename {name}#{k}", "grids", a, {"name": f"{name}-{k}"})
            else:
                cmd = SetGeometries(f"改形 Reshape {name}#{k}", geoms_new)
        else:
            cmd = SetCells(f"改名 Rename {name}#{k}", "grids", a, {"name": f"{name}-{k}"})
        cmd.redo(plan)
        cs = changeset(cmd, author=name)
        if think_ms:
            time.sleep(float(rng.uniform(0, think_ms)) / 1000)
        t1 = time.perf_counter()
        try:
            seq = commit(plan, cs, conn=conn, author=name)
            attempts.append({"k": k, "base": base_seq, "seq": seq, "ms": (time.perf_counter() - t1) * 1000,
                             "rows": sorted(f"grids:{g}" for g in (cmd.new if hasattr(cmd, "new") else [cmd.row]))})
        except EditConflict as exc:
            ms = (time.perf_counter() - t1) * 1000
            cmd.undo(plan)
            stale = [(t, int(i)) for t, i in (r.split(":", 1) for r in exc.rows) if t != "settings"]
            server, revs = _server_rows(conn, origin.schema, stale, plan.crs)      # reload what conflicted
            _set_rows(plan, None, stale, server)
            _take_revs(origin.revisions, stale, revs)
            attempts.append({"k": k, "base": base_seq, "conflict": True, "by": exc.by, "ms": ms,
                             "rows": exc.rows})
    print("done", flush=True)
    sys.stdin.readline()                 # everyone has finished: the last pull must give the server's state
    pull(plan, conn=conn)
    conn.close()
    from gridmap.core.editing.changeset import rows_equal

    final = open_plan(url)
    differ = [g for g in zone if not rows_equal(plan.grids.loc[g], final.grids.loc[g, plan.grids.columns])]
    Path(out).write_text(json.dumps({"name": name, "opened_s": opened, "attempts": attempts,
                                     "view_differs_after_pull": differ,
                                     "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))


# ---------------------------------------------------------------------------- conflicts
def conflicts(args) -> dict:
    import shapely

    import citygen
    from gridmap.core.checks import check_plan
    from gridmap.core.editing.changeset import apply_changeset, plan_differences
    from gridmap.core.storage import open_plan
    from gridmap.core.storage.postgis import connect, publish

    server = Server(args.url)
    try:
        city = citygen.generate(args.grids, seed=1, inject=False)
        plan = city.plan
        url = server.url("bench_conflicts")
        t0 = time.perf_counter()
        publish(plan, url, replace=True, author="publisher")
        published_s = time.perf_counter() - t0
        large = plan.grids.index[plan.grids["level"] == "large"]
        block = int(large[len(large) // 2])
        kids = plan.grids.index[plan.grids["parent"] == block]
        centre = plan.grids.geometry[block].centroid
        near = np.argsort(plan.grids.geometry[kids].centroid.distance(centre).to_numpy(), kind="stable")
        zone = sorted(int(kids[k]) for k in near[:args.zone])      # the grids nearest the block's centre
        tmp = Path(tempfile.mkdtemp(prefix="bench-shared-"))
        env = {**os.environ, "PYTHONPATH": str(REPO)}
        procs = []
        for c in range(args.clients):
            out = tmp / f"client{c}.json"
            procs.append((subprocess.Popen(
                [sys.executable, __file__, "client", url, f"p{c}", ",".join(map(str, zone)), str(args.edits),
                 str(args.think), str(100 + c), str(out)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                text=True, env=env, cwd=REPO), out))
        for p, _ in procs:
            line = p.stdout.readline().strip()
            if line != "ready":
                raise SystemExit(f"a client failed to start: {line!r}")
        t0 = time.perf_counter()
        for p, _ in procs:
            p.stdin.write("go\n")
            p.stdin.flush()
        for p, _ in procs:
            if p.stdout.readline().strip() != "done":
                raise SystemExit("a client failed")
        wall = time.perf_counter() - t0
        for p, _ in procs:
            p.stdin.write("check\n")
            p.stdin.flush()
        for p, _ in procs:
            p.wait()
            if p.returncode:
                raise SystemExit(f"a client failed ({p.returncode})")
        results = [json.loads(out.read_text()) for _, out in procs]

        # ---- the change log and the final plan
        final = open_plan(url)
        schema = "bench_conflicts"
        with connect(url) as conn:
            log = conn.execute(f"SELECT seq, author, changeset, rows FROM {schema}.change_log ORDER BY seq").fetchall()
        committed = {(r["name"], a["seq"]): a for r in results for a in r["attempts"] if "seq" in a}
        in_log = {(row[1], int(row[0])) for row in log}
        acknowledged_missing = [k for k in committed if k not in in_log]
        # lost updates: every row's final value must be what the last changeset touching it wrote
        from gridmap.core.editing.changeset import decode

        last = {}
        for seq, _, cs, _ in log:
            for cmd in (cs["command"]["commands"] if cs["command"]["kind"] == "Macro" else [cs["command"]]):
                if cmd["kind"] == "SetGeometries":
                    for i, v in cmd["after"].items():
                        last[(int(i), "geometry")] = decode(v)
                elif cmd["kind"] == "SetCells":
                    for c, v in cmd["after"].items():
                        last[(int(cmd["ids"][0]), c)] = v
        lost = []
        for (g, c), v in last.items():
            now = final.grids.at[g, c]
            same = shapely.equals_exact(now, v, 0) if c == "geometry" else now == v
            if not same:
                lost.append((g, c))
        conflicts_ = [a for r in results for a in r["attempts"] if a.get("conflict")]
        told_by_other = sum(1 for r in results for a in r["attempts"] if a.get("conflict") and a["by"]
                            and a["by"] != r["name"])
        # the final plan: gridmap's checks, coverage of the jurisdiction
        rules = ("invalid", "overlap", "gap", "sliver", "outside_parent", "outside_jurisdiction")

        def geometry_errors(p):
            res = check_plan(p)
            return sorted(pr.rule for pr in res.problems if pr.rule in rules and pr.severity == "error")

        errors_before, errors_after = geometry_errors(plan), geometry_errors(final)
        small = final.grids.geometry[final.grids["level"] == "small"].values
        union = shapely.coverage_union_all(small)
        sym = shapely.symmetric_difference(union, final.jurisdiction).area
        # the change log replays onto the published plan
        # (with its before-checks: a changeset committed on stale rows — an unreported conflict, a lost
        # update — does not fit the state the changesets before it left)
        from gridmap.core.editing.changeset import ChangesetConflict

        replay = plan.copy()
        unreported = 0
        t1 = time.perf_counter()
        for _, _, cs, _ in log:
            try:
                apply_changeset(replay, cs, check=True)
            except ChangesetConflict:
                unreported += 1
                apply_changeset(replay, cs, check=False)
        replay_s = time.perf_counter() - t1
        replay_diff = plan_differences(replay, final)
        lat = [a["ms"] for r in results for a in r["attempts"] if "seq" in a]
        n_attempts = sum(len(r["attempts"]) for r in results)
        return {
            "grids": int(len(plan.grids)), "zone_grids": len(zone), "clients": args.clients, "edits": args.edits,
            "think_ms": args.think, "published_s": round(published_s, 2), "wall_s": round(wall, 2),
            "commits_per_s": round(len(committed) / wall, 1),
            "attempts": n_attempts, "committed": len(committed), "conflicts": len(conflicts_),
            "conflict_share": round(len(conflicts_) / n_attempts, 3),
            "conflicts_told_with_author": told_by_other,
            "acknowledged_but_missing": len(acknowledged_missing), "lost_updates": len(lost),
            "unreported_conflicts": unreported, "geometry_errors_published": len(errors_before),
            "geometry_errors_final": len(errors_after), "coverage_symdiff_m2": round(float(sym), 6),
            "jurisdiction_m2": round(float(final.jurisdiction.area), 1),
            "log_entries": len(log), "replay_differences": len(replay_diff), "replay_s": round(replay_s, 2),
            "commit_ms_p50": round(_pct(lat, 50), 1), "commit_ms_p95": round(_pct(lat, 95), 1),
            "client_open_s": [round(r["opened_s"], 2) for r in results],
            "client_rss_mb": [round(r["rss_mb"]) for r in results],
            "client_views_differing_after_pull": [len(r["view_differs_after_pull"]) for r in results],
            "load": _load()}
    finally:
        server.stop()


# ---------------------------------------------------------------------------- scale
OPEN = """
import resource, sys, time
sys.path.insert(0, {repo!r})
t = time.perf_counter()
from gridmap.core.storage import open_plan
import gridmap.core.storage.gpkg, gridmap.core.storage.postgis, psycopg, pyogrio, geopandas, pyproj  # not timed
imported = time.perf_counter() - t
t = time.perf_counter()
plan = open_plan(sys.argv[1])
took = time.perf_counter() - t
print(len(plan.grids), took, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, imported)
"""


def _open_in_process(location: str) -> tuple[float, float]:
    out = subprocess.run([sys.executable, "-c", OPEN.format(repo=str(REPO)), location], capture_output=True,
                         text=True, cwd=REPO)
    if out.returncode:
        raise SystemExit(out.stderr)
    n, took, rss, _ = out.stdout.split()
    return float(took), float(rss)


def scale(args) -> dict:
    import shapely

    import citygen
    from gridmap.core.editing.changeset import changeset
    from gridmap.core.editing.commands import SetGeometries
    from gridmap.core.storage import open_plan, save_plan
    from gridmap.core.storage.postgis import publish
    from gridmap.core.storage.shared import commit, pull

    server = Server(args.url)
    tmp = Path(tempfile.mkdtemp(prefix="bench-shared-"))
    try:
        t0 = time.perf_counter()
        city = citygen.generate(args.grids, seed=2, inject=False)
        gen_s = time.perf_counter() - t0
        plan = city.plan
        path = tmp / "city.gpkg"
        t0 = time.perf_counter()
        save_plan(plan, path)
        save_s = time.perf_counter() - t0
        url = server.url("bench_scale")
        t0 = time.perf_counter()
        publish(plan, url, replace=True, author="publisher")
        publish_s = time.perf_counter() - t0
        opens = {"postgis": [], "gpkg": []}
        for _ in range(args.repeat):
            for kind, loc in (("postgis", url), ("gpkg", str(path))):
                opens[kind].append(_open_in_process(loc))
        # one client, commits one after another
        t0 = time.perf_counter()
        client_plan = open_plan(url)
        client_open_s = time.perf_counter() - t0
        rng = np.random.default_rng(3)
        small = client_plan.grids.index[client_plan.grids["level"] == "small"].to_numpy()
        geoms = client_plan.grids.geometry[small].values
        tree = shapely.STRtree(geoms)
        parent = client_plan.grids["parent"]
        from gridmap.core.storage.postgis import connect

        conn = connect(url)
        conn.autocommit = True
        lat, pulls = [], []
        while len(lat) < args.edits:
            a = int(small[int(rng.integers(len(small)))])
            hits = [int(small[j]) for j in tree.query(client_plan.grids.geometry[a], predicate="intersects")]
            same_block = [h for h in hits if h != a and parent[h] == parent[a]]
            if not same_block:
                continue
            b = same_block[int(rng.integers(len(same_block)))]
            others = [h for h in hits if h not in (a, b)]
            new = _shared_vertex_move(client_plan, a, b, others, rng)
            if new is None:
                continue
            cmd = SetGeometries("改形 Reshape", new)
            cmd.redo(client_plan)
            t1 = time.perf_counter()
            commit(client_plan, changeset(cmd, author="bench"), conn=conn, author="bench")
            lat.append((time.perf_counter() - t1) * 1000)
            t1 = time.perf_counter()
            pull(client_plan, conn=conn)
            pulls.append((time.perf_counter() - t1) * 1000)
        size = conn.execute("SELECT sum(pg_total_relation_size(c.oid)) FROM pg_class c JOIN pg_namespace n ON "
                            "n.oid = c.relnamespace WHERE n.nspname = 'bench_scale' AND c.relkind IN ('r', 'm')"
                            ).fetchone()[0]
        conn.close()
        best = {k: min(v, key=lambda x: x[0]) for k, v in opens.items()}
        return {"grids": int(len(plan.grids)), "generate_s": round(gen_s, 2), "gpkg_save_s": round(save_s, 2),
                "publish_s": round(publish_s, 2),
                "open_postgis_s": [round(t, 2) for t, _ in opens["postgis"]],
                "open_gpkg_s": [round(t, 2) for t, _ in opens["gpkg"]],
                "open_ratio_postgis_over_gpkg": round(best["postgis"][0] / best["gpkg"][0], 2),
                "rss_mb_postgis": round(best["postgis"][1]), "rss_mb_gpkg": round(best["gpkg"][1]),
                "schema_mb": round(int(size) / 2**20), "gpkg_mb": round(path.stat().st_size / 2**20),
                "commits": len(lat), "commit_ms_p50": round(_pct(lat, 50), 1), "commit_ms_p95": round(_pct(lat, 95), 1),
                "commit_ms_max": round(max(lat), 1), "pull_ms_p50": round(_pct(pulls, 50), 1),
                "client_open_in_bench_s": round(client_open_s, 2), "load": _load()}
    finally:
        server.stop()


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] == "client":
        url, name, zone, edits, think, seed, out = argv[1:8]
        client(url, name, [int(z) for z in zone.split(",")], int(edits), float(think), int(seed), out)
        return 0
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="what", required=True)
    c = sub.add_parser("conflicts")
    c.add_argument("--grids", type=int, default=10_000)
    c.add_argument("--clients", type=int, default=4)
    c.add_argument("--edits", type=int, default=250)
    c.add_argument("--think", type=float, default=40.0, help="random wait before each commit, ms (0–this)")
    c.add_argument("--zone", type=int, default=40, help="the grids all clients edit: the N grids nearest the "
                                                         "centre of one large grid")
    c.add_argument("--url", default="")
    s = sub.add_parser("scale")
    s.add_argument("--grids", type=int, default=100_000)
    s.add_argument("--edits", type=int, default=200)
    s.add_argument("--repeat", type=int, default=1, help="opens of each store (fresh processes)")
    s.add_argument("--url", default="")
    args = ap.parse_args(argv)
    out = conflicts(args) if args.what == "conflicts" else scale(args)
    print(json.dumps(out, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
