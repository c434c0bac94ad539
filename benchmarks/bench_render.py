"""Rendering benchmark (issue 4): the generated 100k-grid city with ~75k road
segments (benchmarks/citygen.py), drawn by gridmap's renderer and by a naive
QPainter loop over all features, in the same run.

Frames (1600 × 1000 px): full extent and street scale (1:2,000 in the centre),
with and without labels.  For gridmap: the first frame (which builds the
spatial index, the coordinate arrays and, at small scales, the simplified
geometry — once per layer or per tolerance) and a warm frame (a panned view
at the same scale: what panning and zooming cost afterwards).  The naive
baseline builds a ``QPolygonF`` of ``QPointF``\\ s per feature and draws every
feature of every layer (no spatial index, no simplification), labels with
``drawText`` at each grid's centroid (no collision test).

Run:  QT_QPA_PLATFORM=offscreen python benchmarks/bench_render.py [--grids 100000] [--json out.json]
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import sys
import time
from pathlib import Path

import numpy as np
import shapely

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent))

from PySide6.QtCore import QPointF, Qt  # noqa: E402
from PySide6.QtGui import QColor, QFont, QGuiApplication, QImage, QPainter, QPen, QPolygonF  # noqa: E402

W, H = 1600, 1000


def rss_mb() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def naive_frame(plan, vp, labels: bool) -> float:
    """A plain QPainter loop over all features (the baseline)."""
    from gridmap.ui.render import label_font

    img = QImage(W, H, QImage.Format.Format_ARGB32_Premultiplied)
    img.fill(QColor("#f5f4f0"))
    t0 = time.perf_counter()
    p = QPainter(img)
    p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    cx, cy, r = vp.cx, vp.cy, vp.res

    def pt(x, y):
        return QPointF((x - cx) / r + W / 2, (cy - y) / r + H / 2)

    p.setBrush(QColor(169, 198, 234, 56))
    for level, color, width in (("small", "#1f5fa8", 0.8), ("large", "#7a1f5c", 2.2)):
        p.setPen(QPen(QColor(color), width))
        for g in plan.grids.geometry.values[plan.grids["level"].values == level]:
            for part in getattr(g, "geoms", [g]):
                p.drawPolygon(QPolygonF([pt(x, y) for x, y in part.exterior.coords]))
    p.setPen(QPen(QColor("#e65100"), 2.0))
    for g in plan.segments.geometry.values:
        for part in getattr(g, "geoms", [g]):
            p.drawPolyline(QPolygonF([pt(x, y) for x, y in part.coords]))
    if labels:
        p.setFont(label_font(12))
        p.setPen(QColor("#1a1a1a"))
        for g, name in zip(plan.grids.geometry.values, plan.grids["name"].values):
            c = g.centroid
            p.drawText(pt(c.x, c.y), str(name))
    p.end()
    return (time.perf_counter() - t0) * 1000.0


def ours_frame(layers, vp, labels: bool) -> float:
    from gridmap.ui.render import render_layers

    t0 = time.perf_counter()
    render_layers(layers, vp, labels=labels, background=QColor("#f5f4f0"))
    return (time.perf_counter() - t0) * 1000.0


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--grids", type=int, default=100_000)
    ap.add_argument("--json", type=Path)
    ap.add_argument("--screenshot", type=Path, help="save the street-scale frame as PNG")
    args = ap.parse_args(argv)
    app = QGuiApplication.instance() or QGuiApplication([])

    import citygen
    from gridmap.ui.layers.plan_layers import plan_layers
    from gridmap.ui.render import render_layers
    from gridmap.core.view.viewport import Viewport

    t0 = time.perf_counter()
    city = citygen.generate(args.grids, seed=1)
    plan = city.plan
    for g in (plan.grids,):
        g["name"] = g["code"].str[-3:]
    gen_s = time.perf_counter() - t0
    gc.collect()
    rss0 = rss_mb()
    layers = plan_layers(plan)
    t0 = time.perf_counter()
    for layer in layers:           # what the app does in the background right after opening a plan
        layer.warm()
    index_s = time.perf_counter() - t0
    xmin, ymin, xmax, ymax = shapely.total_bounds(plan.grids.geometry.values)
    base = Viewport(width=W, height=H)
    full = base.fitted((xmin, ymin, xmax, ymax))
    street = base.centered((xmin + xmax) / 2, (ymin + ymax) / 2).with_scale(2000)
    full_pan = full.panned(300, 0)
    street_pan = street.panned(400, 250)
    n_grids, n_segs = len(plan.grids), len(plan.segments)
    verts = int(shapely.get_num_coordinates(plan.grids.geometry.values).sum())
    print(f"city: {n_grids:,} grids ({verts:,} vertices), {n_segs:,} road segments; generated in {gen_s:.1f} s")
    print(f"frame {W}×{H}; full extent 1:{full.scale():,.0f}; street 1:{street.scale():,.0f}")
    print(f"indexes and coordinate arrays built in {index_s:.1f} s (once, in a worker thread when a plan opens)")

    results = {}
    for name, vp, pan in (("full", full, full_pan), ("street", street, street_pan)):
        for labels in (False, True):
            key = f"{name}{'+labels' if labels else ''}"
            first = ours_frame(layers, vp, labels)
            warm = min(ours_frame(layers, pan, labels), ours_frame(layers, vp, labels))
            results[key] = {"first_ms": first, "warm_ms": warm}
    rss_ours = rss_mb()
    for key in results:
        name, labels = key.split("+")[0], key.endswith("+labels")
        vp = full if name == "full" else street
        results[key]["naive_ms"] = naive_frame(plan, vp, labels)
        r = results[key]
        r["ratio_first"] = r["naive_ms"] / r["first_ms"]
        r["ratio_warm"] = r["naive_ms"] / r["warm_ms"]
    rss_naive = rss_mb()
    print()
    print(f"{'frame':18s} {'naive ms':>10s} {'first ms':>10s} {'warm ms':>9s} {'× first':>8s} {'× warm':>8s}")
    for key, r in results.items():
        print(f"{key:18s} {r['naive_ms']:10.0f} {r['first_ms']:10.0f} {r['warm_ms']:9.1f} "
              f"{r['ratio_first']:8.1f} {r['ratio_warm']:8.1f}")
    mem = {"plan_mb": rss0, "layers_and_caches_mb": rss_ours - rss0, "after_naive_mb": rss_naive}
    print(f"\nmemory (RSS): plan {rss0:.0f} MB; + gridmap layer caches {rss_ours - rss0:.0f} MB "
          f"(spatial indexes, coordinate arrays, simplified geometry, label points); after the naive runs "
          f"{rss_naive:.0f} MB")
    if args.screenshot:
        render_layers(layers, street, labels=True, background=QColor("#f5f4f0")).save(str(args.screenshot))
    if args.json:
        args.json.write_text(json.dumps({"grids": n_grids, "segments": n_segs, "vertices": verts,
                                         "frames": results, "memory": mem}, indent=2))
    del app
    return 0


if __name__ == "__main__":
    sys.exit(main())
