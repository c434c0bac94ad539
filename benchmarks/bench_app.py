"""The desktop window at city scale (issue 21): longest GUI stall per operation.

    .venv/bin/python benchmarks/bench_app.py PLAN.gpkg [--edits N] [--json]
    .venv/bin/python benchmarks/bench_app.py --generate 10000 [--json]     # a citygen plan in a temp folder

Opens the real main window (offscreen unless QT_QPA_PLATFORM is set) and drives it
through its own entry points as a click would: open, select a grid by a map click,
split by a line, merge two grids, delete one, change an attribute, assign an officer,
undo and redo, save.  For each it measures the longest stall of the GUI event loop
(a 10 ms heartbeat timer: the largest gap between two beats minus 10 ms), the time
until the problems list shows the re-checked result, and the process RSS.

The baseline measured in the same run is the stall of an empty event-loop turn
(``baseline_ms``): the figures are comparable between machines as ratios to it.
Output: one JSON object (``--json``) or a table.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))


def rss_mb() -> float:
    try:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
    except OSError:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class Heartbeat:
    """A 10 ms timer; ``max_stall_ms`` is the longest gap between beats beyond 10 ms."""

    def __init__(self, app):
        from PySide6.QtCore import QTimer

        self.app = app
        self.timer = QTimer()
        self.timer.setInterval(10)
        self.timer.timeout.connect(self._beat)
        self.last = time.perf_counter()
        self.worst = 0.0

    def _beat(self):
        now = time.perf_counter()
        gap = (now - self.last) * 1000 - 10
        self.worst = max(self.worst, gap)
        if gap > 50:
            self.gaps.append((now, gap))       # (when it ended, ms): stalls after a given moment
        self.last = now

    def start(self):
        self.last = time.perf_counter()
        self.worst = 0.0
        self.gaps = []
        self.timer.start()

    def worst_after(self, t: float) -> float:
        """The longest stall that ended after ``t`` (perf_counter) and began after it too."""
        return round(max([g for end, g in self.gaps if end - g / 1000 >= t] or [0.0]), 1)

    profile_dir = None

    def measure(self, fn, settle_s: float = 0.3, until=None, timeout_s: float = 120.0, name: str = "",
                exec_loop: bool = False) -> dict:
        """Run ``fn`` from the event loop; keep the loop running until ``until()`` (or
        ``settle_s``); return the longest stall, the time to ``until`` and the RSS.
        ``exec_loop``: run Qt's own event loop (as the app does, ``QEventLoop.exec``; ``until`` asked
        every 5 ms) instead of polling ``processEvents`` every millisecond — the polling wakes the GUI
        thread 1,000 times a second and so takes Python's GIL from the worker threads much more
        often than the app's idle event loop does (reading a city's tables: ~1.4× slower)."""
        from PySide6.QtCore import QEventLoop, QTimer

        done = {}

        def run():
            t0 = time.perf_counter()
            c0 = time.thread_time()
            done["t0"] = t0
            fn()
            done["fn_s"] = time.perf_counter() - t0
            done["cpu_s"] = time.thread_time() - c0       # the GUI thread's own CPU time: less load-dependent

        prof = None
        if self.profile_dir is not None and name:
            import cProfile

            prof = cProfile.Profile()
            prof.enable()
        self.start()
        QTimer.singleShot(0, run)
        t_end = time.perf_counter() + timeout_s
        seen = None
        if exec_loop:
            loop = QEventLoop()
            poll = QTimer()
            poll.setInterval(5)
            state = {}

            def check():
                now = time.perf_counter()
                if "fn_s" not in done:
                    if now > t_end:
                        loop.quit()
                    return
                if until is not None and "seen" not in state and until():
                    state["seen"] = (now - done["t0"]) * 1000
                if ((until is None or "seen" in state) and now - done["t0"] > settle_s) or now > t_end:
                    loop.quit()

            poll.timeout.connect(check)
            poll.start()
            loop.exec()
            poll.stop()
            seen = state.get("seen")
            t_end = 0.0                            # (the polling loops below are skipped)
        while "fn_s" not in done and time.perf_counter() < t_end:
            self.app.processEvents()
            time.sleep(0.001)
        while time.perf_counter() < t_end:
            self.app.processEvents()
            time.sleep(0.001)
            if until is not None and seen is None and until():
                seen = (time.perf_counter() - done["t0"]) * 1000
            if (until is None or seen is not None) and time.perf_counter() - done["t0"] > settle_s:
                break
        self.timer.stop()
        if prof is not None:
            prof.disable()
            n = len(list(self.profile_dir.glob(f"{name}-*.prof")))
            prof.dump_stats(str(self.profile_dir / f"{name}-{n}.prof"))
        out = {"max_stall_ms": round(max(self.worst, 0.0), 1), "call_ms": round(done.get("fn_s", 0) * 1000, 1),
               "call_cpu_ms": round(done.get("cpu_s", 0) * 1000, 1),
               "rss_mb": round(rss_mb(), 1)}
        if until is not None:
            out["problems_ms"] = None if seen is None else round(seen, 1)
        return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("plan", nargs="?", help="a plan .gpkg (copied to a temp folder before editing)")
    ap.add_argument("--generate", type=int, default=0, help="generate a citygen plan of about N grids")
    ap.add_argument("--edits", type=int, default=1, help="repeat the edit cycle N times (memory growth)")
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--memory", type=int, default=0, metavar="N",
                    help="after the cycle: N edits (a boundary moved, a name changed, in turn) and their undo; "
                         "RSS before and after (memory.growth_pct)")
    ap.add_argument("--open-only", action="store_true", help="measure the opening only (JSON)")
    ap.add_argument("--save-generated", metavar="PATH", help="with --generate: keep the plan file here "
                    "(then run again with PATH instead of generating it anew)")
    ap.add_argument("--poll-loop", action="store_true", help="open: poll processEvents every 1 ms as the "
                    "other operations do (the figures before 2026-12-07 night) instead of Qt's event loop")
    ap.add_argument("--profile", metavar="DIR", help="write a cProfile file per operation (open, select, …) here")
    a = ap.parse_args(argv)

    import shutil

    tmp = Path(tempfile.mkdtemp(prefix="gridmap-bench-app-"))
    path = tmp / "plan.gpkg"
    if a.generate:
        import citygen

        from gridmap.core.storage import save_plan

        save_plan(citygen.generate(a.generate, seed=1, inject=False).plan, path)
        if a.save_generated:
            shutil.copy(path, a.save_generated)
    elif a.plan:
        shutil.copy(a.plan, path)
    else:
        ap.error("give PLAN.gpkg or --generate N")

    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication
    from shapely import LineString

    app = QApplication.instance() or QApplication([])
    from gridmap.core.editing import commands as C
    from gridmap.ui.main_window import MainWindow

    hb = Heartbeat(app)
    if a.profile:
        Path(a.profile).mkdir(parents=True, exist_ok=True)
        hb.profile_dir = Path(a.profile)
    result: dict = {"ops": {}}
    result["baseline_ms"] = hb.measure(lambda: None, settle_s=0.5)["max_stall_ms"]
    rss0 = rss_mb()
    w = MainWindow()
    w.confirm_close = False
    w.resize(1280, 860)
    w.show()
    t0 = time.perf_counter()
    first = {}

    # open (issue 21): the first frame is the plan's grids drawn on the map (the document is shown
    # and the canvas has finished drawing it); "loaded" is every table read and the editing on;
    # "checked" the first whole-plan check done.  The stall is the longest after the first frame.
    def opened():
        now = time.perf_counter()
        if w.document is not None and "some" not in first and any(
                l.kind == "grids" and w.canvas.has_drawn([l]) for l in w.plan_layers):
            first["some"] = now - t0               # the first grid layer drawn (the large grids)
        if w.document is not None and "t" not in first and w.plan_layers and w.canvas.has_drawn(
                [l for l in w.plan_layers if l.kind == "grids"]):
            first["t"], first["at"] = now - t0, now
        if "t" in first and "loaded" not in first and not w.document.loading:
            first["loaded"] = now - t0
        if "loaded" in first and "checked" not in first and w.is_idle() and (
                live.session is not None or len(w.document.plan.grids) < live.CHECK_AT_OPEN):
            first["checked"] = now - t0
        return "checked" in first

    live = w.live
    r = hb.measure(lambda: w.open_path(path), settle_s=3.0, until=opened, timeout_s=300, name="open",
                   exec_loop=not a.poll_loop)
    result["open"] = {"first_grids_s": round(first.get("some", float("nan")), 2),
                      "first_frame_s": round(first.get("t", float("nan")), 2),
                      "loaded_s": round(first.get("loaded", float("nan")), 2),
                      "checked_s": round(first.get("checked", float("nan")), 2),
                      "max_stall_ms": r["max_stall_ms"],
                      "max_stall_after_first_frame_ms": hb.worst_after(first.get("at", t0)),
                      "rss_mb": r["rss_mb"]}
    if a.open_only:
        result["grids"] = int(len(w.document.plan.grids))
        w.close()
        print(json.dumps(result, ensure_ascii=False))
        shutil.rmtree(tmp, ignore_errors=True)
        return 0
    plan = w.document.plan
    result["grids"] = int(len(plan.grids))
    small = plan.levels[-1].key
    ids = plan.grids.index[plan.grids["level"] == small]
    live = w.live

    def checked(before):
        return lambda: live.generation != before[0] and not getattr(live, "_job", None) and not live._pending

    def op(name, fn, edits=True):
        before = [getattr(live, "generation", 0)]
        until = checked(before) if edits and hasattr(live, "generation") else None   # a click re-checks nothing
        r = hb.measure(fn, settle_s=0.3, until=until, name=name)
        result["ops"].setdefault(name, r)
        for k in ("max_stall_ms", "problems_ms"):
            if r.get(k) is not None and (result["ops"][name].get(k) or 0) < r[k]:
                result["ops"][name][k] = r[k]

    for cycle in range(max(1, a.edits)):
        g = int(ids[len(ids) // 2 + cycle])
        geom = plan.grids.geometry[g]
        c = geom.centroid

        def click():
            from PySide6.QtCore import QPoint
            from PySide6.QtTest import QTest

            w.canvas.zoom_to(tuple(geom.buffer(200).bounds))
            px, py = w.canvas.viewport.to_pixel(c.x, c.y)
            p = QPoint(int(round(float(px))), int(round(float(py))))
            QTest.mouseClick(w.canvas, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, p)

        op("select", click, edits=False)
        x0, y0, x1, y1 = geom.bounds
        # the split tool's own path (a line drawn across the selected grid): the app's split
        # command (children first, codes for the new pieces), not the bare core edit
        from gridmap.ui.edit_tools import split_grids as _split_tool

        op("split", lambda: _split_tool(w.edit, LineString([(c.x, y0 - 5), (c.x, y1 + 5)]), "分割"))
        op("undo", lambda: w.document.undo_stack.undo())
        op("redo", lambda: w.document.undo_stack.redo())
        pair = [int(i) for i in plan.grids.index[(plan.grids["level"] == small)
                                                 & (plan.grids["parent"] == plan.grids.at[g, "parent"])][:2]]
        if len(pair) == 2 and plan.grids.geometry[pair[0]].touches(plan.grids.geometry[pair[1]]):
            op("merge", lambda: w._merge(pair, pair[0]))
        op("attribute", lambda: w.edit.push(C.set_grid_attributes(plan, g, name=f"测试{cycle}"), "名称", kinds=()))
        person = int(plan.people.index[cycle % len(plan.people)]) if len(plan.people) else None
        if person is not None:
            op("assign", lambda: w.edit.push(C.assign_role(plan, g, "officer", person=person), "网格员", kinds=()))
        victims = [int(i) for i in plan.grids.index[plan.grids["level"] == small][-1 - cycle:][:1]]
        if victims:
            op("delete", lambda: w.edit.push(lambda p: C.delete_grid(p, victims[0]), "删除", kinds=()))
        # save (issue 21): in the background, only the rows changed since the last save; the stall is
        # the GUI's during the whole save, call_ms the time until the file is written
        def save_op(name, fn):      # (no re-check follows a save: nothing to wait for but the save)
            r = hb.measure(fn, settle_s=0.3)
            if name not in result["ops"] or result["ops"][name]["max_stall_ms"] < r["max_stall_ms"]:
                result["ops"][name] = r

        save_op("save", lambda: w._save_to(path, force=True))
        result["ops"]["save"].update(mode=w.last_save.get("mode"), rows=w.last_save.get("rows"))
        op("attribute", lambda: w.edit.push(C.set_grid_attributes(plan, g, name=f"再测{cycle}"), "名称", kinds=()))
        save_op("save_one_edit", lambda: w._save_to(path, force=True))
        result["ops"]["save_one_edit"].update(mode=w.last_save.get("mode"), rows=w.last_save.get("rows"))
        if cycle == 0:
            # the baseline in the same run: the old save, the whole file rewritten on the GUI thread
            from gridmap.core.storage import save_plan as _full_save

            save_op("save_full_old", lambda: _full_save(w.document.plan, path, force=True))
            w.document.save_tracker.unknown()          # the file was rewritten behind the window's back
            from gridmap.core.storage.gpkg import remember as _remember, identity_of as _ident

            _remember(w.document.plan, path, _ident(path))
            old, new = result["ops"]["save_full_old"], result["ops"]["save_one_edit"]
            result["save_ratio"] = {"time": round(old["call_ms"] / max(new["call_ms"], 0.1), 1),
                                    "stall": round(old["max_stall_ms"] / max(new["max_stall_ms"], 0.1), 1)}
    if a.memory:
        import gc

        import shapely

        def settle():
            for _ in range(20):
                app.processEvents()
            live.flush(120000)
            app.processEvents()
            gc.collect()

        settle()
        before = rss_mb()
        worst = 0.0
        t_mem = time.perf_counter()
        for k in range(a.memory):
            g = int(ids[(k * 37) % len(ids)])
            if g not in plan.grids.index:
                continue
            if k % 2:
                w.edit.push(C.set_grid_attributes(plan, g, name=f"内存{k}"), "名称", kinds=())
            else:
                w.edit.push(C.SetGeometries("改形", {g: shapely.buffer(plan.grids.geometry[g], -0.5)}), "改形",
                            kinds=())
            app.processEvents()
        for _ in range(a.memory):
            w.document.undo_stack.undo()
            app.processEvents()
        settle()
        after = rss_mb()
        result["memory"] = {"edits": a.memory, "rss_before_mb": round(before, 1), "rss_after_mb": round(after, 1),
                            "growth_pct": round(100.0 * (after - before) / before, 1),
                            "seconds": round(time.perf_counter() - t_mem, 1)}
    result["rss_mb"] = {"start": round(rss0, 1), "end": round(rss_mb(), 1)}
    w.close()
    if a.json:
        print(json.dumps(result, ensure_ascii=False))
    else:
        print(f"{result['grids']} grids; baseline stall {result['baseline_ms']} ms; open {result['open']}")
        for k, v in result["ops"].items():
            print(f"  {k:10s} stall {v['max_stall_ms']:>8} ms  call {v['call_ms']:>8} ms (GUI CPU {v['call_cpu_ms']} ms)"
                  f"  problems {v.get('problems_ms')}")
        print(f"  RSS {result['rss_mb']}")
        if "memory" in result:
            print(f"  memory {result['memory']}")
    shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
