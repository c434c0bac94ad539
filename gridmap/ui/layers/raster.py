"""Raster base maps (GeoTIFF and other GDAL rasters) through rasterio.

rasterio (which ships its own GDAL) is used because pyogrio reads only vector
data.  The file is opened once per render thread and kept open (not re-opened
on every pan).  A frame reads the window of the raster under the view plus a
margin of a quarter view on each side, decimated to about the screen resolution
(GDAL uses the overviews), and keeps that decoded block: pans within the margin
at the same scale only warp the kept block into the view's pixel grid in the
project CRS (``rasterio.warp.reproject``) — no read at all.  Large files
without overviews are flagged (:attr:`RasterLayer.needs_overviews`) so the app
can offer to build them (:mod:`gridmap.core.rasters`).
"""

from __future__ import annotations

import threading
from pathlib import Path

import numpy as np
from PySide6.QtCore import QPointF
from PySide6.QtGui import QImage

from .base import MapLayer, RenderContext, crs_text

__all__ = ["RasterLayer", "to_rgba"]


def to_rgba(bands: np.ndarray, valid: np.ndarray, stretch=None, colormap=None) -> np.ndarray:
    """(n, h, w) band values → (h, w, 4) uint8 RGBA; ``valid`` masks nodata.

    >>> a = np.array([[[0, 50], [100, 200]]], dtype=np.uint16)
    >>> to_rgba(a, np.ones((2, 2), bool), stretch=(0, 200))[..., 0].tolist()
    [[0, 64], [127, 255]]
    """
    n, h, w = bands.shape
    out = np.zeros((h, w, 4), dtype=np.uint8)
    if colormap is not None and n == 1:
        lut = np.zeros((256, 4), dtype=np.uint8)
        for k, v in colormap.items():
            if 0 <= int(k) < 256:
                lut[int(k)] = v[:4] if len(v) >= 4 else (*v[:3], 255)
        out[:] = lut[np.clip(bands[0], 0, 255).astype(np.intp)]
        out[..., 3] = np.where(valid, out[..., 3], 0)
        return out
    use = bands[:3] if n >= 3 else np.repeat(bands[:1], 3, axis=0)
    if use.dtype == np.uint8 and stretch is None:
        rgb = use
    else:
        lo, hi = stretch if stretch is not None else (float(np.nanmin(use)), float(np.nanmax(use)))
        scale = 255.0 / (hi - lo) if hi > lo else 1.0
        rgb = np.clip((use.astype(np.float64) - lo) * scale + 0.5, 0, 255).astype(np.uint8)
    out[..., :3] = np.moveaxis(rgb, 0, -1)
    alpha = bands[3] if n >= 4 and bands.dtype == np.uint8 else np.full((h, w), 255, np.uint8)
    out[..., 3] = np.where(valid, alpha, 0)
    return out


class RasterLayer(MapLayer):
    kind = "raster"
    default_style = {"resampling": "bilinear"}

    def __init__(self, name: str, path, **kw):
        super().__init__(name, **kw)
        self.path = Path(path)
        self.project_crs = None
        self.src_crs = None
        self._extent = None
        self.stretch = None
        self.colormap = None
        self.count = 0
        self.opens = 0            # times the file was opened for drawing (once per render thread)
        self.reads = 0            # decoded reads (a pan within the kept block needs none)
        self.needs_overviews = False
        self.size_px = (0, 0)
        self._local = threading.local()
        self._block = None        # (window, factor, data, mask, transform) kept from the last read

    def _ds(self):
        import rasterio

        ds = getattr(self._local, "ds", None)
        if ds is None or ds.closed:
            ds = self._local.ds = rasterio.open(self.path)
            self.opens += 1
        return ds

    def reopen(self) -> None:
        """Forget open handles and the kept block (after overviews were built)."""
        self._local = threading.local()
        self._block = None
        self.touch()

    def load(self, project_crs, cancelled=lambda: False) -> None:
        import rasterio
        from rasterio.warp import transform_bounds

        if not self.path.exists():
            self.error = f"{self.path}: file not found"
            raise FileNotFoundError(self.error)
        try:
            ds = rasterio.open(self.path)
        except Exception as exc:
            self.error = f"{self.path}: not a readable raster ({exc})"
            raise ValueError(self.error) from exc
        with ds:
            self.project_crs = crs_text(project_crs)
            self.src_crs = ds.crs.to_wkt() if ds.crs else self.project_crs
            self.count = ds.count
            self.size_px = (ds.width, ds.height)
            from ...core.rasters import LARGE_PX

            self.needs_overviews = max(ds.width, ds.height) > LARGE_PX and not ds.overviews(1)
            b = ds.bounds
            self._extent = transform_bounds(self.src_crs, self.project_crs, *b, densify_pts=21)
            if ds.count == 1:
                try:
                    self.colormap = ds.colormap(1)
                except ValueError:
                    self.colormap = None
            if self.colormap is None and not (ds.dtypes[0] == "uint8"):
                # a min/max stretch from a small decimated read (uses overviews)
                f = max(1, int(max(ds.width, ds.height) / 512))
                sample = ds.read(indexes=list(range(1, min(3, ds.count) + 1)), masked=True,
                                 out_shape=(min(3, ds.count), max(1, ds.height // f), max(1, ds.width // f)))
                if sample.count():
                    self.stretch = (float(sample.min()), float(sample.max()))
        self.ready = True

    def extent(self):
        return tuple(self._extent) if self._extent is not None else None

    def render(self, ctx: RenderContext) -> None:
        import rasterio
        from affine import Affine
        from rasterio.enums import Resampling
        from rasterio.warp import reproject, transform_bounds
        from rasterio.windows import from_bounds

        vp = ctx.viewport
        ext = self._extent
        xmin, ymin, xmax, ymax = vp.extent
        if ext is None or xmax < ext[0] or xmin > ext[2] or ymax < ext[1] or ymin > ext[3]:
            return
        dst_crs = self.project_crs
        src_crs = self.src_crs
        resampling = Resampling.nearest if self.colormap is not None else Resampling.bilinear
        ds = self._ds()
        sb = transform_bounds(dst_crs, src_crs, xmin, ymin, xmax, ymax, densify_pts=11) \
            if self.src_crs != self.project_crs else (xmin, ymin, xmax, ymax)
        full = rasterio.windows.Window(0, 0, ds.width, ds.height)
        win = from_bounds(*sb, transform=ds.transform)
        try:
            win = win.intersection(full)
        except rasterio.errors.WindowError:
            return
        if win.width <= 0 or win.height <= 0:
            return
        # decimate to about the screen resolution (a power of two, so near scales share a block)
        f = min(win.width / max(vp.width, 1), win.height / max(vp.height, 1)) / 2.0
        f = float(2.0 ** np.ceil(np.log2(f))) if f > 1 else 1.0
        block = self._block
        if not (block is not None and block[1] == f and block[0].col_off <= win.col_off
                and block[0].row_off <= win.row_off and block[0].col_off + block[0].width >= win.col_off + win.width
                and block[0].row_off + block[0].height >= win.row_off + win.height):
            pad = rasterio.windows.Window(win.col_off - win.width / 4, win.row_off - win.height / 4,
                                          win.width * 1.5, win.height * 1.5).intersection(full)
            pad = pad.round_offsets().round_lengths()
            out_h, out_w = max(1, int(pad.height / f)), max(1, int(pad.width / f))
            idx = list(range(1, min(ds.count, 4) + 1))
            with self._lock:
                data = ds.read(indexes=idx, window=pad, out_shape=(len(idx), out_h, out_w), masked=True,
                               resampling=resampling)
            self.reads += 1
            ctx.check()
            wt = ds.window_transform(pad) @ Affine.scale(pad.width / out_w, pad.height / out_h)
            mask = (~np.ma.getmaskarray(data).any(axis=0)).astype(np.uint8)
            block = self._block = (pad, f, np.ma.filled(data, 0), mask, wt)
        _, _, src, mask, wt = block
        idx = list(range(1, src.shape[0] + 1))
        dst = np.zeros((len(idx), vp.height, vp.width), dtype=src.dtype)
        dst_valid = np.zeros((vp.height, vp.width), dtype=np.uint8)
        dt = Affine(vp.res, 0, xmin, 0, -vp.res, ymax)
        reproject(src, dst, src_transform=wt, src_crs=src_crs, dst_transform=dt, dst_crs=dst_crs,
                  resampling=resampling)
        reproject(mask, dst_valid, src_transform=wt, src_crs=src_crs, dst_transform=dt, dst_crs=dst_crs,
                  resampling=Resampling.nearest)
        ctx.check()
        rgba = np.ascontiguousarray(to_rgba(dst, dst_valid.astype(bool), self.stretch, self.colormap))
        img = QImage(rgba.data, vp.width, vp.height, vp.width * 4, QImage.Format.Format_RGBA8888).copy()
        ctx.painter.drawImage(QPointF(0, 0), img)
