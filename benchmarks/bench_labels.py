"""Grid labels on the canvas (issue 10: one label engine on screen and paper): what
the printed maps' engine costs a canvas frame of a generated city
(benchmarks/citygen.py, default 10,000 grids), at the full extent, 1:10,000 and
1:2,000, in the same run:

* ``no labels``: the frame's layers only (the baseline);
* ``engine``: layers and the grid labels by the print engine (code and name,
  leader lines, numbered key), the road names after them — what the canvas does;
* ``engine pan``: the same scale panned by about 300 × 200 px, three times
  (median; anchors kept per grid: what a pan costs once the view settles).
  ``no labels`` is the median of the same four views without labels.

Frames are rendered synchronously here (render_layers); in the app the
labels run in the render worker after the view settles, while the cached
images are moved at once.  Ratios are against ``no labels`` of the same view.

Run:  QT_QPA_PLATFORM=offscreen python benchmarks/bench_labels.py [--grids 10000] [--json out.json]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

import numpy as np

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent))

W, H = 1600, 1000


def _frame(layers, vp, labels: bool) -> float:
    from PySide6.QtGui import QColor

    from gridmap.ui.render import render_layers

    t0 = time.perf_counter()
    render_layers(layers, vp, labels=labels, background=QColor("#f5f4f0"))
    return (time.perf_counter() - t0) * 1000.0


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--grids", type=int, default=10_000)
    ap.add_argument("--json", type=Path)
    args = ap.parse_args(argv)
    from PySide6.QtGui import QGuiApplication

    app = QGuiApplication.instance() or QGuiApplication([])
    import shapely

    import citygen
    from gridmap.core.view.viewport import Viewport
    from gridmap.ui.layers.plan_layers import plan_layers

    try:
        from gridmap.ui.grid_labels import place_view_labels, screen_font
    except ImportError:          # an older gridmap (its own canvas labels): frames only, for comparison
        place_view_labels, screen_font = None, (lambda: None)

    plan = citygen.generate(args.grids, seed=1).plan
    plan.grids["name"] = "网格" + plan.grids["code"].str[-3:]
    layers = plan_layers(plan)
    for layer in layers:
        layer.warm()
    screen_font()
    xmin, ymin, xmax, ymax = shapely.total_bounds(plan.grids.geometry.values)
    base = Viewport(width=W, height=H)
    views = {"full": base.fitted((xmin, ymin, xmax, ymax)),
             "1:10000": base.centered((xmin + xmax) / 2, (ymin + ymax) / 2).with_scale(10000),
             "1:2000": base.centered((xmin + xmax) / 2, (ymin + ymax) / 2).with_scale(2000)}
    print(f"city: {len(plan.grids):,} grids; frame {W}×{H}; load {os.getloadavg()[0]:.2f}")
    print(f"{'view':9s} {'no labels':>10s} {'engine 1st':>11s} {'engine pan':>11s} {'× 1st':>7s} {'× pan':>7s}"
          f" {'labels':>7s} {'numbered':>9s} {'dense':>6s}")
    out = {}
    for name, vp in views.items():
        pans = [vp.panned(dx, dy) for dx, dy in ((300, 200), (-250, 150), (200, -300))]
        off = float(np.median([_frame(layers, v, False) for v in [vp] + pans]))
        first = _frame(layers, vp, True)
        pan = float(np.median([_frame(layers, v, True) for v in pans]))     # each pan a new view
        res = place_view_labels(layers, vp)[0] if place_view_labels else None
        r = {"no_labels_ms": off, "engine_first_ms": first, "engine_pan_ms": pan, "ratio_first": first / off,
             "ratio_pan": pan / off, "labels": len(res.placed) if res else -1,
             "numbered": len(res.numbered) if res else -1, "dense": bool(res.dense) if res else None,
             "scale": round(vp.scale())}
        out[name] = r
        print(f"{name:9s} {off:10.0f} {first:11.0f} {pan:11.0f} {r['ratio_first']:7.2f} {r['ratio_pan']:7.2f}"
              f" {r['labels']:7d} {r['numbered']:9d} {str(r['dense']):>6s}")
    if args.json:
        args.json.write_text(json.dumps({"grids": len(plan.grids), "frames": out}, indent=2))
    del app
    return 0


if __name__ == "__main__":
    sys.exit(main())
