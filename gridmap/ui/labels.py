"""Label placement without collisions (greedy, QGIS-PAL in spirit, much simpler).

Candidates come in priority order; each is a text box centred on an anchor
pixel.  A box is placed if it lies inside the image and overlaps no box placed
before it.  Overlap tests go through a bucket grid of occupied rectangles, so
placing n labels costs about O(n).  Pure Python/numpy: no Qt.

>>> px = np.array([20.0, 22.0, 60.0]); py = np.array([20.0, 21.0, 20.0])
>>> w = np.array([20.0, 20.0, 20.0]); h = np.array([10.0, 10.0, 10.0])
>>> place(px, py, w, h, width=100, height=100).tolist()   # the 2nd would overlap the 1st
[0, 2]
"""

from __future__ import annotations

import numpy as np

__all__ = ["place", "font_px_for", "OccupiedIndex"]


class OccupiedIndex:
    """Rectangles already taken, bucketed on a coarse pixel grid.

    >>> idx = OccupiedIndex(cell=32)
    >>> idx.add(0, 0, 10, 10)
    >>> idx.hits(5, 5, 20, 20), idx.hits(11, 0, 20, 5)
    (True, False)
    """

    def __init__(self, cell: float = 64.0):
        self.cell = float(cell)
        self.buckets: dict[tuple[int, int], list[tuple[float, float, float, float]]] = {}

    def _cells(self, x0, y0, x1, y1):
        c = self.cell
        for i in range(int(x0 // c), int(x1 // c) + 1):
            for j in range(int(y0 // c), int(y1 // c) + 1):
                yield i, j

    def hits(self, x0, y0, x1, y1) -> bool:
        for key in self._cells(x0, y0, x1, y1):
            for a0, b0, a1, b1 in self.buckets.get(key, ()):
                if x0 < a1 and a0 < x1 and y0 < b1 and b0 < y1:
                    return True
        return False

    def add(self, x0, y0, x1, y1) -> None:
        r = (x0, y0, x1, y1)
        for key in self._cells(x0, y0, x1, y1):
            self.buckets.setdefault(key, []).append(r)


def place(px, py, w, h, width: int, height: int, pad: float = 2.0,
          occupied: OccupiedIndex | None = None) -> np.ndarray:
    """Indices of the candidates that get a label, in priority (input) order.

    ``px, py`` are box centres in pixels, ``w, h`` box sizes; boxes leaving the
    ``width`` × ``height`` image are dropped; ``pad`` pixels of air around each.
    """
    px, py, w, h = (np.asarray(a, float) for a in (px, py, w, h))
    x0 = px - w / 2 - pad
    x1 = px + w / 2 + pad
    y0 = py - h / 2 - pad
    y1 = py + h / 2 + pad
    inside = (x0 >= 0) & (y0 >= 0) & (x1 <= width) & (y1 <= height)
    cell = float(max(32.0, np.median(w) if len(w) else 32.0))
    occ = occupied if occupied is not None else OccupiedIndex(cell)
    keep = []
    for i in np.flatnonzero(inside):
        a, b, c, d = x0[i], y0[i], x1[i], y1[i]
        if not occ.hits(a, b, c, d):
            occ.add(a, b, c, d)
            keep.append(int(i))
    return np.asarray(keep, dtype=np.int64)


def font_px_for(feature_px: np.ndarray, sizes=(10, 12, 14, 17)) -> np.ndarray:
    """A font pixel size for each feature by its size on screen (a few steps,
    so text metrics can be cached): bigger grids get bigger labels.

    >>> font_px_for(np.array([20.0, 150.0, 400.0, 2000.0])).tolist()
    [10, 12, 14, 17]
    """
    f = np.asarray(feature_px, float)
    steps = np.array([0.0, 120.0, 300.0, 700.0])
    return np.asarray(sizes)[np.searchsorted(steps, f, side="right") - 1]
