"""Import N grids into a plan open in the real main window (issue 21, long jobs).

    QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/bench_import.py PLAN.gpkg N

Writes a shapefile of N small square grids (once, beside /tmp/gridmap-bench-import/), opens PLAN
in the window, imports the file as grids of the lowest level through the window's own
``import_file`` (reading, checking and converting in the background task, one undo step) and
reports: the import dialog's inspection (GUI thread), the time until the import job is done,
the longest stall of the event loop (a 10 ms heartbeat) while it runs and after it (the live
check of the enlarged plan, the problems list, the map), and how long after Cancel a second
import's job stops.  Baseline for the stalls: the heartbeat's own 10 ms.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def grids_file(folder: Path, n: int, x0=500_000.0, y0=2_500_000.0) -> Path:
    import geopandas as gpd
    from shapely import box

    path = folder / f"many{n}.shp"
    if path.exists():
        return path
    cols = 200
    geoms = [box(x0 + 5 * (i % cols), y0 - 1000 - 5 * (i // cols), x0 + 5 * (i % cols) + 5,
                 y0 - 995 - 5 * (i // cols)) for i in range(n)]
    gpd.GeoDataFrame({"编码": [f"4403060010{i:05d}" for i in range(n)], "名称": [f"网格{i}" for i in range(n)]},
                     geometry=geoms, crs="EPSG:4547").to_file(path, encoding="utf-8")
    return path


def main() -> int:
    from PySide6.QtCore import QElapsedTimer, QTimer
    from PySide6.QtWidgets import QApplication

    app = QApplication([])
    from gridmap.ui.import_dialog import ImportDialog, ImportSpec
    from gridmap.ui.main_window import MainWindow

    folder = Path("/tmp/gridmap-bench-import")
    folder.mkdir(exist_ok=True)
    src = grids_file(folder, int(sys.argv[2]))
    w = MainWindow()
    w.confirm_close = False
    w.resize(1200, 800)
    w.show()
    w.open_path(sys.argv[1])
    assert w.wait_idle(300_000)
    stalls = []
    clock = QElapsedTimer()
    clock.start()
    last = [clock.elapsed()]

    def beat():
        now = clock.elapsed()
        stalls.append(now - last[0])
        last[0] = now

    hb = QTimer()
    hb.timeout.connect(beat)
    hb.start(10)
    t = time.time()
    ImportDialog(str(src), w.document.plan, w)
    t_dialog = time.time() - t
    spec = ImportSpec(path=str(src), as_grids=True, level=w.document.plan.levels[-1].key,
                      mapping={"code": "编码", "name": "名称"})
    stalls.clear()
    last[0] = clock.elapsed()
    t = time.time()
    w.import_file(spec)
    while w.tasks.busy:
        app.processEvents()
        time.sleep(0.002)
    t_job = time.time() - t
    during = max(stalls, default=0)
    stalls.clear()
    last[0] = clock.elapsed()
    w.wait_idle(600_000)
    after = max(stalls, default=0)
    print(f"grids {len(w.document.plan.grids)}; import dialog {t_dialog:.2f} s (GUI thread); import job "
          f"{t_job:.2f} s, longest stall while it ran {during:.0f} ms; after it (live check, list, map) "
          f"{after:.0f} ms; total {time.time() - t:.2f} s")
    t = time.time()
    task = w.import_file(spec)
    while time.time() - t < 1.0:
        app.processEvents()
        time.sleep(0.002)
    t0 = time.time()
    task.cancel()
    while not task.finished:
        app.processEvents()
        time.sleep(0.002)
    print(f"cancel: the job stopped {1000 * (time.time() - t0):.0f} ms after Cancel")
    w.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
