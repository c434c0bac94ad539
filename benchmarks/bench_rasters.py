"""Raster base maps (issue 19): frames of a large GeoTIFF without overviews, panned.

    .venv/bin/python benchmarks/bench_rasters.py [--width 10000 --height 7000] [--dir /tmp]

Writes an RGB GeoTIFF (10000 × 7000 × 3 bytes = 210 MB, no overviews, EPSG:4547), then times
frames of a 1000 × 700 view over the whole raster and at 1:4 of it, each panned 10 times by 20 px:

* baseline — what the app did before: the same RasterLayer with its handle and decoded block
  forgotten before every frame (so the file is opened and read on every pan), warped and drawn;
* the RasterLayer (kept open, decoded block reused across pans);
* the RasterLayer after ``build_overviews`` (``.ovr`` beside the file).

Prints ms per frame (median of the pans) and the ratios to the baseline of the same run.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def write_raster(path: Path, w: int, h: int) -> None:
    import rasterio
    from rasterio.transform import from_origin

    with rasterio.open(path, "w", driver="GTiff", width=w, height=h, count=3, dtype="uint8", crs="EPSG:4547",
                       transform=from_origin(480_000, 2_510_000, 2.0, 2.0), tiled=True, blockxsize=512,
                       blockysize=512) as ds:
        step = 1024
        for r0 in range(0, h, step):
            n = min(step, h - r0)
            yy, xx = np.mgrid[r0:r0 + n, 0:w]
            band = ((xx // 37 + yy // 41) % 256).astype("uint8")
            ds.write(np.stack([band, band[::-1], ((band.astype(np.uint16) * 3) % 256).astype(np.uint8)]), window=rasterio.windows.Window(0, r0, w, n))


def layer_frames(layer, vp, pans, forget=False):
    from PySide6.QtGui import QPainter

    from gridmap.ui.layers.base import RenderContext
    from gridmap.ui.render import new_image

    times = []
    for i in range(pans + 1):
        v = vp.panned(20 * i, 0)
        if forget:                      # the previous behaviour: open and read the file on every frame
            layer.reopen()
        img = new_image(v)
        p = QPainter(img)
        t = time.perf_counter()
        layer.render(RenderContext(p, v))
        times.append((time.perf_counter() - t) * 1000)
        p.end()
    return times


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--width", type=int, default=10000)
    ap.add_argument("--height", type=int, default=7000)
    ap.add_argument("--dir", default=tempfile.gettempdir())
    ap.add_argument("--pans", type=int, default=10)
    a = ap.parse_args()

    from gridmap.core.rasters import build_overviews
    from gridmap.core.view.viewport import Viewport
    from gridmap.ui.app import create_app
    from gridmap.ui.layers.raster import RasterLayer

    create_app([])
    folder = Path(tempfile.mkdtemp(dir=a.dir))
    path = folder / "large.tif"
    t = time.perf_counter()
    write_raster(path, a.width, a.height)
    print(f"wrote {path} ({path.stat().st_size / 1e6:.0f} MB) in {time.perf_counter() - t:.1f} s")

    layer = RasterLayer("large", path)
    layer.load("EPSG:4547")
    full = Viewport(width=1000, height=700).fitted(layer.extent())
    quarter = Viewport(full.cx, full.cy, full.res / 4, 1000, 700)
    rows = []
    for name, vp in (("whole raster", full), ("1/4 of it", quarter)):
        old = RasterLayer("large", path)
        old.load("EPSG:4547")
        base = layer_frames(old, vp, a.pans, forget=True)
        lay = RasterLayer("large", path)
        lay.load("EPSG:4547")
        kept = layer_frames(lay, vp, a.pans)
        rows.append((name, base, kept, lay.opens, lay.reads))
    factors = build_overviews(path)
    print(f"overviews built: {factors}")
    for k, (name, vp) in enumerate((("whole raster", full), ("1/4 of it", quarter))):
        lay = RasterLayer("large", path)
        lay.load("EPSG:4547")
        ovr = layer_frames(lay, vp, a.pans)
        name, base, kept, opens, reads = rows[k]
        b = statistics.median(base[1:])
        print(f"\n{name} (1000×700 px, {a.pans} pans of 20 px):")
        print(f"  baseline (open + read every frame): first {base[0]:.0f} ms, pans median {b:.0f} ms")
        print(f"  RasterLayer, no overviews:        first {kept[0]:.0f} ms, pans median "
              f"{statistics.median(kept[1:]):.0f} ms  ({statistics.median(kept[1:]) / b:.2f}× baseline); "
              f"opens {opens}, reads {reads} for {a.pans + 1} frames")
        print(f"  RasterLayer, with overviews:      first {ovr[0]:.0f} ms, pans median "
              f"{statistics.median(ovr[1:]):.0f} ms  ({statistics.median(ovr[1:]) / b:.2f}× baseline); "
              f"first frame {ovr[0] / base[0]:.2f}× baseline")
    for p in folder.iterdir():
        p.unlink()
    folder.rmdir()


if __name__ == "__main__":
    main()
