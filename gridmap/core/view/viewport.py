"""The view transform of a map canvas: map units ↔ pixels, and the scale 1:N.

Pure arithmetic on numbers and numpy arrays (no Qt), like QGIS's
``QgsMapToPixel``.  A :class:`Viewport` is immutable: panning or zooming
returns a new one, so a renderer can keep the viewport it drew for.

>>> v = Viewport(cx=500.0, cy=200.0, res=2.0, width=100, height=50)
>>> v.extent
(400.0, 150.0, 600.0, 250.0)
>>> [float(a) for a in v.to_pixel(400.0, 250.0)]     # top-left corner
[0.0, 0.0]
>>> [float(a) for a in v.to_map(50, 25)]
[500.0, 200.0]
>>> round(v.scale())                                 # 2 m per pixel at 96 dpi
7559
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

import numpy as np

__all__ = ["Viewport", "INCH_M"]

INCH_M = 0.0254


@dataclass(frozen=True)
class Viewport:
    """Centre (map units), resolution (map units per pixel) and size (pixels)."""

    cx: float = 0.0
    cy: float = 0.0
    res: float = 1.0
    width: int = 1
    height: int = 1
    dpi: float = 96.0
    metres_per_unit: float = 1.0  # ≈111 km for degrees (scale display only)

    # ------------------------------------------------------------------ geometry
    @property
    def extent(self) -> tuple[float, float, float, float]:
        """(xmin, ymin, xmax, ymax) of the visible map area."""
        hw, hh = self.width * self.res / 2.0, self.height * self.res / 2.0
        return (self.cx - hw, self.cy - hh, self.cx + hw, self.cy + hh)

    def to_pixel(self, x, y):
        """Map coordinates → pixel coordinates (scalars or numpy arrays)."""
        px = (np.asarray(x, float) - self.cx) / self.res + self.width / 2.0
        py = (self.cy - np.asarray(y, float)) / self.res + self.height / 2.0
        return px, py

    def coords_to_pixel(self, xy: np.ndarray) -> np.ndarray:
        """An (n, 2) array of map coordinates → a new C-contiguous (n, 2) pixel array.

        >>> Viewport(0, 0, 1, 10, 10).coords_to_pixel(np.array([[0.0, 0.0], [5.0, 5.0]])).tolist()
        [[5.0, 5.0], [10.0, 0.0]]
        """
        out = np.empty((len(xy), 2), dtype=np.float64)
        inv = 1.0 / self.res
        np.multiply(xy[:, 0], inv, out=out[:, 0])
        out[:, 0] += self.width / 2.0 - self.cx * inv
        np.multiply(xy[:, 1], -inv, out=out[:, 1])
        out[:, 1] += self.height / 2.0 + self.cy * inv
        return out

    def to_map(self, px, py):
        """Pixel coordinates → map coordinates."""
        x = (np.asarray(px, float) - self.width / 2.0) * self.res + self.cx
        y = self.cy - (np.asarray(py, float) - self.height / 2.0) * self.res
        return x, y

    def scale(self) -> float:
        """The scale denominator N of 1:N for this resolution and screen DPI."""
        return self.res * self.metres_per_unit * self.dpi / INCH_M

    def res_for_scale(self, scale: float) -> float:
        """Resolution (map units per pixel) that shows the map at 1:``scale``.

        >>> v = Viewport(dpi=96.0)
        >>> round(v.res_for_scale(2000), 4)
        0.5292
        """
        return float(scale) * INCH_M / (self.dpi * self.metres_per_unit)

    # ------------------------------------------------------------------ new views
    def panned(self, dx_px: float, dy_px: float) -> "Viewport":
        """The view moved so that the map follows the mouse by (dx, dy) pixels.

        >>> Viewport(0.0, 0.0, 2.0, 10, 10).panned(5, 0).cx
        -10.0
        """
        return replace(self, cx=self.cx - dx_px * self.res, cy=self.cy + dy_px * self.res)

    def zoomed(self, factor: float, anchor_px: tuple[float, float] | None = None) -> "Viewport":
        """Zoom in by ``factor`` (>1 zooms in) keeping the map point under ``anchor_px`` fixed.

        >>> v = Viewport(0, 0, 1, 100, 100).zoomed(2.0, (100, 50))
        >>> v.res, v.cx
        (0.5, 25.0)
        """
        new_res = self.res / factor
        if anchor_px is None:
            return replace(self, res=new_res)
        ax, ay = (float(a) for a in self.to_map(*anchor_px))
        px, py = anchor_px
        cx = ax - (px - self.width / 2.0) * new_res
        cy = ay + (py - self.height / 2.0) * new_res
        return replace(self, cx=cx, cy=cy, res=new_res)

    def with_scale(self, scale: float) -> "Viewport":
        return replace(self, res=self.res_for_scale(scale))

    def resized(self, width: int, height: int) -> "Viewport":
        return replace(self, width=max(1, int(width)), height=max(1, int(height)))

    def centered(self, x: float, y: float) -> "Viewport":
        return replace(self, cx=float(x), cy=float(y))

    def fitted(self, extent, margin: float = 0.05) -> "Viewport":
        """The view showing all of ``extent`` (xmin, ymin, xmax, ymax) with a margin.

        >>> Viewport(width=200, height=100).fitted((0, 0, 100, 100), margin=0).res
        1.0
        """
        xmin, ymin, xmax, ymax = (float(v) for v in extent)
        w = max(xmax - xmin, 1e-9)
        h = max(ymax - ymin, 1e-9)
        res = max(w / self.width, h / self.height) * (1.0 + 2 * margin)
        if not math.isfinite(res) or res <= 0:
            res = 1.0
        return replace(self, cx=(xmin + xmax) / 2.0, cy=(ymin + ymax) / 2.0, res=res)

    def key(self) -> tuple:
        """A hashable identity of what this view shows."""
        return (round(self.cx, 9), round(self.cy, 9), round(self.res, 12), self.width, self.height)
