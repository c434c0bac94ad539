"""Grid labels on the canvas: the printed maps' label engine at the screen's dpi.

The canvas labels grids exactly as a printed map of the same extent and
scale does (:func:`~gridmap.core.view.labels.grid_label_items` and
:func:`~gridmap.core.view.labels.place_grid_labels`): code and name inside the
grid at ≥ 6 pt, else beside it with a leader line, else a number named in a
key — a point being ``dpi / 72`` pixels, so a view of W × H pixels shows what
a page of W × H points (at 72 dpi) would.  Text is measured with the same
font file the printed maps embed and drawn in it.

Cheap per view: the grids come from each layer's spatial index (only those
in view), anchors (poles of inaccessibility) are kept per layer revision,
text widths are cached per text, and a grid too small for any label is
skipped before anything is measured; the placement runs in the render
worker, once per settled view (see :mod:`gridmap.ui.render`).
"""

from __future__ import annotations

import threading

import numpy as np
import pandas as pd
from PySide6.QtCore import QCoreApplication, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontDatabase, QPainter, QPen

from ..core.view.labels import (DENSE_FRACTION, GridLabelResult, LabelPlacer, grid_label_items, level_label_sizes,
                                place_grid_labels)
from ..core.view.style import LABEL

__all__ = ["uses_engine", "place_view_labels", "draw_view_labels", "screen_font", "KEY_ROWS"]

KEY_ROWS = 12              # rows of the numbered key drawn on the canvas (the rest: "zoom in")
_lock = threading.Lock()
_font = {"cjk": None, "family": None, "tried": False}


def uses_engine(layer) -> bool:
    """Whether ``layer`` is a grid layer labelled by the engine (code and name)."""
    return getattr(layer, "kind", "") == "grids" and getattr(layer, "level_depth", None) is not None \
        and layer.style.get("label_field") in ("code", "name")


def screen_font():
    """(the print font — a :class:`~gridmap.core.outputs.fonts.CJKFont` — or None,
    the Qt family it was loaded as, or the canvas's fallback families)."""
    with _lock:
        if not _font["tried"]:
            _font["tried"] = True
            try:
                from ..core.outputs.fonts import find_cjk_font

                cjk = find_cjk_font()
                fid = QFontDatabase.addApplicationFont(str(cjk.path))
                fams = QFontDatabase.applicationFontFamilies(fid) if fid >= 0 else []
                _font["cjk"] = cjk
                _font["family"] = fams[0] if fams else cjk.name
            except Exception:     # no TrueType CJK font: Qt's measure and fonts (still no overlap)
                _font["cjk"] = None
        return _font["cjk"], _font["family"]


def _measure():
    cjk, family = screen_font()
    if cjk is not None:
        from ..core.outputs.measure import text_size_pt

        return lambda text, size: text_size_pt(text, size, cjk)
    from PySide6.QtGui import QFontMetricsF

    from .render import label_font

    cache = {}

    def measure(text, size):          # in points: Qt metrics at 100 px, scaled
        fm = cache.get(0)
        if fm is None:
            fm = cache[0] = QFontMetricsF(label_font(100))
        lines = text.split("\n")
        return (max(fm.horizontalAdvance(t) for t in lines) * size / 100.0,
                size * (1.0 + 1.2 * (len(lines) - 1)) * 1.15)
    return measure


def _anchor_cache(layer) -> np.ndarray:
    """The layer's label anchors (NaN: not yet known), kept on the layer for its present revision."""
    with _lock:
        hit = getattr(layer, "_label_anchors", None)
        if hit is None or hit[0] != layer.revision or len(hit[1]) != len(layer.geoms):
            hit = (layer.revision, np.full((len(layer.geoms), 2), np.nan))
            layer._label_anchors = hit
        return hit[1]


def _smallest_pt(layer, n_levels: int) -> float:
    """The smallest label size (pt) of ``layer``'s grids, as :func:`grid_label_items` gives them."""
    return level_label_sizes(int(layer.level_depth), n_levels)[-1]


def _too_low(layer, rows, placer: LabelPlacer, extent, n_levels: int) -> np.ndarray:
    """Grids ``rows`` of ``layer`` lower in view (their box cut to ``extent``) than
    :func:`place_grid_labels` needs for one line: it leaves them without an inside label."""
    b = layer.bounds[rows]
    h = np.minimum(b[:, 3], extent[3]) - np.maximum(b[:, 1], extent[1])
    return 0.7 * placer.box_size("国", _smallest_pt(layer, n_levels))[1] > h


def _has_text(layer, rows) -> np.ndarray:
    """Grids ``rows`` of ``layer`` with a code or a name (the others get no label at all)."""
    out = np.zeros(len(rows), dtype=bool)
    for col in ("code", "name"):
        if col in layer.attrs:
            v = pd.Series(layer.attrs[col].to_numpy(dtype=object)[rows], dtype=object)
            out |= (v.notna() & (v.astype(str) != "")).to_numpy(dtype=bool)
    return out


def _surely_dense(picked, placer: LabelPlacer, extent, n_levels: int) -> bool:
    """Whether :func:`~gridmap.core.view.labels.too_dense` is sure to stop the leaders and
    numbers for this view: the grids too low for an inside label alone (every one of them is
    left over) would need too much of the map as numbers at the smallest size of all.  A city
    at full extent: 100k grids, of which none can be labelled — known without making 100k items."""
    if not picked:
        return False
    low = sum(int((_too_low(l, rows, placer, extent, n_levels) & _has_text(l, rows)).sum()) for l, rows in picked)
    if not low:
        return False
    w, h = placer.box_size("88", min(_smallest_pt(l, n_levels) for l, _ in picked))
    ex0, ey0, ex1, ey1 = extent
    return low * w * h > DENSE_FRACTION * (ex1 - ex0) * (ey1 - ey0)


def place_view_labels(layers, vp, cancelled=lambda: False):
    """Place the grid labels of ``layers`` (the engine's ones) for viewport ``vp``:
    (:class:`GridLabelResult`, the placer, points → pixels factor)."""
    layers = [l for l in layers if uses_engine(l) and len(l.geoms)]
    px_per_pt = float(vp.dpi) / 72.0
    placer = LabelPlacer(vp.extent, vp.res * px_per_pt, _measure())
    if not layers:
        return GridLabelResult([], [], []), placer, px_per_pt
    n_levels = max(int(getattr(l, "n_levels", 1)) for l in layers)
    picked = [(l, l.query_box(vp.extent)) for l in layers]
    picked = [(l, rows) for l, rows in picked if len(rows)]
    dense = _surely_dense(picked, placer, vp.extent, n_levels)
    keys, geoms, codes, names, levels, anchors, where = [], [], [], [], [], [], []
    for l, rows in picked:
        if dense:
            rows = rows[~_too_low(l, rows, placer, vp.extent, n_levels)]
            if not len(rows):
                continue
        cache = _anchor_cache(l)
        attrs = l.attrs
        code = attrs["code"].to_numpy(dtype=object) if "code" in attrs else np.full(len(l.geoms), "", dtype=object)
        name = attrs["name"].to_numpy(dtype=object) if "name" in attrs else np.full(len(l.geoms), "", dtype=object)
        keys.append(l.ids[rows].astype(object))
        geoms.append(l.geoms[rows])
        codes.append(code[rows])
        names.append(name[rows])
        levels.append(np.full(len(rows), int(l.level_depth)))
        anchors.append(cache[rows])
        where += [(cache, int(r)) for r in rows]
    if not keys:
        return GridLabelResult([], [], []), placer, px_per_pt
    keys, geoms = np.concatenate(keys), np.concatenate(geoms)
    anchors = np.concatenate(anchors)
    items = grid_label_items(keys, geoms, np.concatenate(codes), np.concatenate(names), np.concatenate(levels),
                             n_levels, vp.extent, anchors=anchors)
    known = {g.key: g.anchor for g in items}

    def poll():
        if cancelled():
            from .layers.base import Cancelled

            raise Cancelled()

    try:
        # (surely dense: the grids too low for any label are left out before, and so are the leaders
        # and numbers they would have been denied — the same labels on the map)
        res = place_grid_labels(placer, items, names=True, leaders=not dense, numbers=not dense, cancelled=poll)
        res.dense = res.dense or dense
        res.level_of = {g.key: g.level for g in items}
    finally:           # keep the anchors found (of grids not clipped by the view) for the next views
        pos = {k: i for i, k in enumerate(keys.tolist())}
        for g in items:
            if known.get(g.key) is None and g.anchor is not None and g.geom is geoms[pos[g.key]]:
                cache, r = where[pos[g.key]]
                cache[r] = g.anchor
    return res, placer, px_per_pt


def _qfont(px: float, family) -> QFont:
    from .render import FONT_FAMILIES

    f = QFont()
    f.setFamilies(([family] if family else []) + FONT_FAMILIES)
    f.setPixelSize(max(1, int(round(px))))
    return f


def draw_view_labels(painter: QPainter, res: GridLabelResult, placer: LabelPlacer, vp, px_per_pt: float,
                     occupied=None) -> int:
    """Draw the placed grid labels (and the key of numbered grids, bottom left);
    their pixel boxes go into ``occupied`` so other layers' labels stay clear.
    Returns how many labels were drawn."""
    _, family = screen_font()
    painter.setRenderHint(QPainter.RenderHint.TextAntialiasing, True)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    fonts: dict[float, QFont] = {}
    drawn = 0
    halo = QColor(LABEL["halo"])
    halo.setAlpha(220)
    box_fill = QColor(LABEL["halo"])
    box_fill.setAlpha(180)
    level_of = getattr(res, "level_of", {})
    for p in list(res.placed) + [q for _, _, q in res.numbered if q is not None]:
        x0, y1 = vp.to_pixel(p.box[0], p.box[1])
        x1, y0 = vp.to_pixel(p.box[2], p.box[3])
        x0, y0, x1, y1 = float(x0), float(y0), float(x1), float(y1)
        if occupied is not None:
            occupied.add(x0, y0, x1, y1)
        pad = placer.pad / vp.res
        rect = QRectF(x0 + pad, y0 + pad, x1 - x0 - 2 * pad, y1 - y0 - 2 * pad)
        f = fonts.get(p.size)
        if f is None:
            f = fonts[p.size] = _qfont(p.size * px_per_pt, family)
        painter.setFont(f)
        number = p.key[0] == "key"
        if p.leader is not None:
            lx, ly = (float(v) for v in vp.to_pixel(*p.leader))
            bx, by = min(max(lx, x0), x1), min(max(ly, y0), y1)
            painter.setPen(QPen(QColor(LABEL["leader"]), max(1.0, LABEL["leader_pt"] * px_per_pt)))
            painter.drawLine(QPointF(lx, ly), QPointF(bx, by))
        top = level_of.get(p.key[1]) == 0 and not number
        if number:
            painter.setPen(QPen(QColor(LABEL["number"]), max(1.0, 0.4 * px_per_pt)))
            painter.setBrush(QColor("#ffffff"))
            r = max(rect.width(), rect.height()) / 2
            painter.drawEllipse(rect.center(), r, r)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, p.text)
        elif top:
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(box_fill)
            painter.drawRoundedRect(rect, 3, 3)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.setPen(QPen(QColor(LABEL["top"])))
            painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, p.text)
        else:
            painter.setPen(QPen(halo))
            for dx, dy in ((-1, 0), (1, 0), (0, -1), (0, 1)):
                painter.drawText(rect.translated(dx, dy), Qt.AlignmentFlag.AlignCenter, p.text)
            painter.setPen(QPen(QColor(LABEL["color"])))
            painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, p.text)
        drawn += 1
    if res.numbered:
        _draw_key(painter, res, vp, px_per_pt, family)
    return drawn


def _draw_key(painter: QPainter, res: GridLabelResult, vp, px_per_pt: float, family) -> None:
    """The numbered grids' key (the printed map's side list), in the bottom-left corner."""
    from PySide6.QtGui import QFontMetricsF

    f = _qfont(7.0 * px_per_pt, family)
    fm = QFontMetricsF(f)
    lh = fm.height() * 1.15
    # at most a third of the view's height: the rest of the key is one "zoom in" line
    fit = max(1, min(KEY_ROWS, int((vp.height / 3 - 8) // lh) - 2))
    shown = len(res.numbered) if len(res.numbered) <= fit + 1 else fit
    rows = [f"{n}  {g.code} {g.name}".strip() for n, g, _ in res.numbered[:shown]]
    title = QCoreApplication.translate("MapCanvas", "Numbers on the map")
    more = len(res.numbered) - shown
    if more > 0:
        rows.append(QCoreApplication.translate("MapCanvas", "… and %1 more (zoom in)").replace("%1", str(more)))
    w = max(fm.horizontalAdvance(t) for t in [title] + rows) + 12
    h = lh * (len(rows) + 1) + 8
    r = QRectF(6, vp.height - h - 6, min(w, vp.width - 12), h)
    painter.setPen(QPen(QColor("#777777"), 1))
    painter.setBrush(QColor(255, 255, 255, 235))
    painter.drawRect(r)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.setFont(f)
    painter.setPen(QPen(QColor(LABEL["number"])))
    y = r.y() + 4
    for i, t in enumerate([title] + rows):
        painter.drawText(QRectF(r.x() + 6, y, r.width() - 8, lh), Qt.AlignmentFlag.AlignLeft
                         | Qt.AlignmentFlag.AlignVCenter, t)
        y += lh
