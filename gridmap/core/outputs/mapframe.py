"""One map on a sheet: an axes showing an extent at a round scale 1:N, with
the plan's layers, collision-free labels, legend, scale bar and north arrow.

The extent is fitted so that the printed scale is exactly a round 1:N for the
CRS (see :mod:`.scale`): the scale text, the scale bar and label sizes agree.
Furniture (legend, scale bar, north arrow, inset) is drawn in millimetres on
the sheet's page axes, above the map, and registered as obstacles so labels
stay clear of it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import shapely

from .draw import add_lines, add_polygons
from ..view.labels import GridLabel, LabelPlacer, Placed, grid_label_items, place_grid_labels
from .layout import MM_PER_PT, Rect, Sheet
from .mapdata import MapData
from .measure import text_size_pt
from .scale import (
    convergence_deg,
    draw_north_arrow,
    draw_scale_bar,
    nice_scale,
    scale_factor,
    scale_text,
)
from ..view.style import (
    FILLS,
    HIGHLIGHT,
    JURISDICTION,
    LABEL,
    PLACE,
    ROAD,
    SEGMENT,
    grid_fills,
    level_styles,
)

__all__ = ["MapFrame", "LegendEntry", "grid_bounds", "road_class_entries", "ROAD_CLASS_NAMES"]

# OSM highway classes as Chinese road classes (城市道路等级), widest first
ROAD_CLASS_NAMES = {"motorway": "高速公路", "trunk": "快速路/干线公路", "primary": "主干路", "secondary": "次干路",
                    "tertiary": "支路", "residential": "街坊路", "unclassified": "其他道路", "service": "其他道路"}


def _text(v) -> str:
    import pandas as pd

    return "" if v is None or (not isinstance(v, str) and pd.isna(v)) else str(v)


def road_class_entries(bl, gdf) -> list:
    """Legend rows of a road layer drawn by class (a ``highway``-like rule):
    one row per Chinese road class, widest first; empty for other layers."""
    rule = bl.style.get("rule") if isinstance(bl.style.get("rule"), dict) else None
    field_ = rule.get("field") if rule else ("highway" if "highway" in gdf.columns else None)
    if not field_ or field_ not in gdf.columns or not len(gdf):
        return []
    vals = gdf[field_].astype(str).to_numpy()
    rows = {}
    for mask, width, color in bl.line_classes(gdf):
        cls = str(vals[mask][0]) if mask.any() else ""
        base = cls.replace("_link", "")
        name = ROAD_CLASS_NAMES.get(base, "其他道路" if base in ROAD_CLASS_NAMES or cls else cls)
        if name not in rows or rows[name].width < width:
            rows[name] = LegendEntry(name, "line", color, width)
    return sorted(rows.values(), key=lambda e: -e.width)

@dataclass
class LegendEntry:
    """One legend row: ``kind`` is ``line``, ``patch`` or ``point``."""

    label: str
    kind: str
    color: str
    width: float = 1.0
    fill: str = "none"
    dashes: tuple | None = None


class MapFrame:
    """A map of ``data`` in ``rect`` (mm) of ``sheet`` showing ``bounds`` (map units)."""

    def __init__(self, sheet: Sheet, rect: Rect, data: MapData, bounds, pad: float = 0.04,
                 min_scale: int = 0):
        self.sheet, self.rect, self.data = sheet, rect, data
        x0, y0, x1, y1 = bounds
        cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
        self.k = scale_factor(data.crs, cx, cy)
        self.convergence = convergence_deg(data.crs, cx, cy)
        w = max(x1 - x0, 1.0) * (1 + 2 * pad)
        h = max(y1 - y0, 1.0) * (1 + 2 * pad)
        need = max(w / self.k / (rect.w / 1000.0), h / self.k / (rect.h / 1000.0), float(min_scale))
        self.n = nice_scale(need)
        hw = self.n * rect.w / 1000.0 * self.k / 2
        hh = self.n * rect.h / 1000.0 * self.k / 2
        self.extent = (cx - hw, cy - hh, cx + hw, cy + hh)
        self.mm_per_unit = 1000.0 / (self.n * self.k)
        self.m_per_pt = MM_PER_PT / self.mm_per_unit
        self.ax = sheet.axes(rect, zorder=1)
        self.ax.set_xlim(self.extent[0], self.extent[2])
        self.ax.set_ylim(self.extent[1], self.extent[3])
        self.font = sheet.font
        self.placer = LabelPlacer(self.extent, self.m_per_pt, self._measure)
        self.legend: list[LegendEntry] = []
        self.unlabelled: list[str] = []
        self.numbered: list[tuple[int, str, str]] = []     # (number on the map, code, name): the side list
        self.dense = False          # too many grids too small for numbers: their codes are listed in a note
        self.text_scale = getattr(sheet.page, "text_scale", 1.0)
        self._clip = shapely.box(*self.extent)

    def _measure(self, text: str, size: float) -> tuple[float, float]:
        return text_size_pt(text, size, self.font)

    # ------------------------------------------------------------------ coordinates
    def to_units(self, r: Rect) -> tuple[float, float, float, float]:
        """Map-unit box of a page rectangle (mm)."""
        x0 = self.extent[0] + (r.x - self.rect.x) / self.mm_per_unit
        y0 = self.extent[1] + (r.y - self.rect.y) / self.mm_per_unit
        return (x0, y0, x0 + r.w / self.mm_per_unit, y0 + r.h / self.mm_per_unit)

    def keep_clear(self, r: Rect) -> None:
        """No label may cover the page rectangle ``r``."""
        self.placer.add_obstacle(self.to_units(r))

    def visible(self, geoms) -> np.ndarray:
        """Which geometries reach into the map's extent."""
        geoms = np.asarray(geoms, dtype=object)
        if len(geoms) == 0:
            return np.zeros(0, dtype=bool)
        return shapely.intersects(geoms, self._clip)

    # ------------------------------------------------------------------ layers
    def draw_base_layers(self, labels: bool = True, label_size: float = 5.5) -> None:
        """Base layers in their style (line widths per road class), road names along the roads."""
        for bl in self.data.base_layers:
            kind = bl.geom_kind
            geoms = bl.gdf.geometry.values
            # a polygon layer shows where its outline is in view (a district around the map does not)
            gdf = bl.gdf[self.visible(shapely.boundary(geoms) if kind == "polygon" else geoms)]
            if not len(gdf):
                continue
            if kind == "polygon":
                width = float(bl.style.get("width", 1.0)) * 0.5
                alpha = float(bl.style.get("fill_opacity", 0.25)) if bl.fill != "none" else 1.0
                if bl.fill != "none":
                    add_polygons(self.ax, gdf.geometry.values, facecolors=bl.fill, edgecolors="none",
                                 linewidths=0, zorder=0.3, alpha=alpha * bl.opacity)
                add_lines(self.ax, gdf.geometry.values, colors=bl.stroke, linewidths=width, zorder=0.5,
                          alpha=bl.opacity)
                entry = LegendEntry(bl.name, "line", bl.stroke, width)
            elif kind == "point":
                xy = shapely.get_coordinates(shapely.centroid(gdf.geometry.values))
                self.ax.scatter(xy[:, 0], xy[:, 1], s=3, color=bl.stroke, zorder=0.6, alpha=bl.opacity)
                entry = LegendEntry(bl.name, "point", bl.stroke)
            else:
                classes = sorted(bl.line_classes(gdf), key=lambda c: c[1])
                for mask, width, color in classes:     # thin first, wide roads on top
                    add_lines(self.ax, gdf.geometry.values[mask], colors=color, linewidths=width,
                              zorder=0.6, alpha=bl.opacity)
                road_rows = road_class_entries(bl, gdf)
                if road_rows:
                    self.legend.extend(road_rows)
                    if labels and bl.label:
                        self.label_roads(gdf, bl.label, label_size)
                    continue
                mask, width, color = classes[-1]
                entry = LegendEntry(bl.name, "line", color, width)
            entry.label = entry.label.split("©")[0].strip() or entry.label     # credits go in the footer
            self.legend.append(entry)
            if labels and bl.label and kind == "line":
                self.label_roads(gdf, bl.label, label_size)

    def label_roads(self, gdf, column: str, size: float) -> None:
        """Road names along the roads (merged per name, up to 3 per road, longest roads first)."""
        names = gdf[column].astype(object).where(gdf[column].notna(), "").astype(str).str.strip()
        gdf = gdf[names != ""]
        names = names[names != ""]
        if not len(gdf):
            return
        merged = []
        for name, geoms in gdf.geometry.groupby(names.values):
            line = shapely.line_merge(shapely.union_all(shapely.clip_by_rect(geoms.values, *self.extent)))
            parts = [p for p in shapely.get_parts(line) if p.geom_type == "LineString"]
            if parts:
                merged.append((sum(p.length for p in parts), name, sorted(parts, key=lambda p: -p.length)))
        merged.sort(key=lambda t: -t[0])
        spacing = 90.0 / self.mm_per_unit     # one label per ~9 cm of road on paper
        for total, name, parts in merged:
            want = max(1, min(3, int(total // spacing)))
            done = 0
            for part in parts:
                if done >= want:
                    break
                if self.placer.place_along_line(("road", name), part, name, size):
                    done += 1

    def draw_grids(self, highlight: int | None = None, fill: bool = True, muted: bool = False) -> None:
        """Grids filled by top-level grid (neighbours never alike) and outlined by
        level, lowest first so bold top-level lines stay on top."""
        grids = self.data.grids
        grids = grids[self.visible(grids.geometry.values)]
        nlev = len(self.data.plan.levels)
        styles = level_styles(nlev)
        if fill and len(grids):
            lowest = grids[grids["level_index"] == grids["level_index"].max()]
            fills = self.fills()
            colors = [fills.get(g, FILLS[0]) for g in lowest.index]
            add_polygons(self.ax, lowest.geometry.values, facecolors=colors, edgecolors="none",
                         linewidths=0, zorder=0.4, alpha=0.45 if muted else 0.85)
            if nlev > 1 and not muted:       # which colour is which top-level grid
                tops = self.data.grids[self.data.grids["level_index"] == 0]
                first = dict(zip(lowest["top"], colors))
                for tid, row in tops.sort_values("code").iterrows():
                    if tid in first:
                        label = f"{row['code']} {row['name']}".strip()
                        self.legend.append(LegendEntry(label, "patch", first[tid], 0.0, first[tid]))
        for li in sorted(grids["level_index"].unique(), reverse=True):
            st = styles[int(li)]
            sub = grids[grids["level_index"] == li]
            add_lines(self.ax, sub.geometry.values, colors=st.color, linewidths=st.width,
                      zorder=2 + (nlev - li) * 0.1, alpha=0.6 if muted else 1.0)
        for i, lv in enumerate(self.data.plan.levels):
            if (self.data.grids["level_index"] == i).any():
                self.legend.append(LegendEntry(lv.name, "line", styles[i].color, styles[i].width))
        if highlight is not None and highlight in self.data.grids.index:
            g = self.data.grids.loc[[highlight]].geometry.values
            add_polygons(self.ax, g, facecolors=HIGHLIGHT["fill"], edgecolors="none", zorder=0.45, alpha=0.75)
            add_lines(self.ax, g, colors=HIGHLIGHT["edge"], linewidths=HIGHLIGHT["width"], zorder=3.5)
            self.legend.append(LegendEntry("本网格", "patch", HIGHLIGHT["edge"], HIGHLIGHT["width"],
                                           HIGHLIGHT["fill"]))

    def fills(self) -> dict:
        """Fill colour per lowest-level grid id: the one style set the canvas uses too."""
        if getattr(self, "_fills", None) is None:
            self._fills = grid_fills(self.data.plan).to_dict()
        return self._fills

    def draw_jurisdiction(self) -> None:
        j = self.data.jurisdiction
        if j is None:
            return
        coll = add_lines(self.ax, [j], colors=JURISDICTION["color"], linewidths=JURISDICTION["width"],
                         zorder=3)
        coll.set_linestyle((0, JURISDICTION["dashes"]))
        self.legend.insert(0, LegendEntry("辖区界线", "line", JURISDICTION["color"], JURISDICTION["width"],
                                          dashes=JURISDICTION["dashes"]))

    def draw_segments(self, grid: int | None = None, width: float | None = None) -> None:
        segs = self.data.segments
        if grid is not None:
            segs = segs[segs["grid"] == grid]
        if not len(segs):
            return
        width = SEGMENT["width"] if width is None else width
        add_lines(self.ax, segs.geometry.values, colors=SEGMENT["color"], linewidths=width,
                  zorder=1.9, alpha=0.55 if width < SEGMENT["width"] else 0.8)
        self.legend.append(LegendEntry("责任路段", "line", SEGMENT["color"], width))

    def draw_places(self, grid: int | None = None, labels: bool = True, size: float = 5.5) -> None:
        places = self.data.places
        if grid is not None:
            places = places[places["grid"] == grid]
        places = places[self.visible(places.geometry.values)] if len(places) else places
        if not len(places):
            return
        geoms = places.geometry.values
        polys = np.isin(shapely.get_type_id(geoms), (3, 6))
        if polys.any():
            add_polygons(self.ax, geoms[polys], facecolors=PLACE["color"], edgecolors=PLACE["color"],
                         linewidths=0.6, zorder=2.6, alpha=0.35)
        pts = shapely.point_on_surface(geoms)
        xy = shapely.get_coordinates(pts)
        self.ax.scatter(xy[:, 0], xy[:, 1], s=10, marker="o", color=PLACE["color"], edgecolors="white",
                        linewidths=0.4, zorder=4)
        self.legend.append(LegendEntry("小区/场所", "point", PLACE["color"]))
        if labels:
            self.label_places(grid, size)

    def label_places(self, grid: int | None = None, size: float = 6.0) -> None:
        """Place names beside their points (after the legend and the grid labels,
        which they avoid)."""
        places = self.data.places
        if grid is not None:
            places = places[places["grid"] == grid]
        places = places[self.visible(places.geometry.values)] if len(places) else places
        if not len(places):
            return
        xy = shapely.get_coordinates(shapely.point_on_surface(places.geometry.values))
        for (x, y), name in zip(xy, places["name"]):
            if name:
                self.placer.place_in_polygon(("place", name), shapely.Point(x, y).buffer(
                    4 * self.m_per_pt), [name], [size], leader=False)

    # ------------------------------------------------------------------ labels
    def label_grids(self, levels: list[int] | None = None, names: bool = True,
                    color: str = LABEL["color"], keep_all: bool = True, emphasis: int | None = None,
                    min_size: float = 6.0) -> list[Placed]:
        """Label grids with code and name, lowest level first (the crowded one);
        codes that find no place are kept in :attr:`unlabelled`.  The
        ``emphasis`` grid (an atlas page's own grid) is labelled first, large."""
        grids = self.data.grids
        grids = grids[self.visible(grids.geometry.values)]
        if levels is None:
            levels = sorted(grids["level_index"].unique(), reverse=True)
        out = []
        exclude = set()
        if emphasis is not None and emphasis in grids.index:
            row = grids.loc[emphasis]
            code, name = str(row["code"]), str(row["name"])
            geom = shapely.clip_by_rect(row.geometry, *self.extent)
            sizes = [v * self.text_scale for v in (11.0, 10.0, 9.0, 8.0, 7.0)]
            res = place_grid_labels(self.placer, [GridLabel(emphasis, geom, code, name, sizes)], numbers=False)
            p = res.placed[0] if res.placed else None
            if p is not None:
                self._draw_label(p, LABEL["top"], bold=True)
                out.append(p)
            exclude.add(emphasis)
        # the one list and order of grids the canvas labels too (lowest level first, biggest first)
        sub = grids[grids["level_index"].isin(levels)]
        items = grid_label_items(sub.index.to_numpy(), sub.geometry.values, sub["code"].to_numpy(),
                                 sub["name"].to_numpy(), sub["level_index"].to_numpy(),
                                 len(self.data.plan.levels), self.extent, text_scale=self.text_scale,
                                 min_size=min_size, exclude=exclude)
        res = place_grid_labels(self.placer, items, names=names, leaders=True, numbers=keep_all,
                                first_number=len(self.numbered) + 1)
        level_of = {g.key: g.level for g in items}
        for p in res.placed:
            li = level_of[p.key[1]]
            self._draw_label(p, LABEL["emphasis_others"] if emphasis is not None else color,
                             bold=li == 0 and len(self.data.plan.levels) > 1)
            out.append(p)
        for n, g, p in res.numbered:
            self.numbered.append((n, g.code, g.name))
            if p is not None:
                self._draw_label(p, LABEL["number"], number=True)
                out.append(p)
            else:
                self.unlabelled.append(g.code)
        # too many for numbers (or numbers off): their codes go in the note of unlabelled codes
        self.unlabelled.extend(g.code for g in res.missing if g.code)
        self.dense = self.dense or res.dense
        return out

    def _draw_label(self, p: Placed, color: str = "black", bold: bool = False, number: bool = False) -> None:
        kw = {}
        if number:
            kw["bbox"] = dict(boxstyle="circle,pad=0.12", facecolor="white", edgecolor=LABEL["number"],
                              linewidth=0.4)
        elif bold:
            kw["bbox"] = dict(boxstyle=f"round,pad={0.7 / p.size:.3f}", facecolor="white", edgecolor="none", alpha=0.7)
        self.ax.text(p.x, p.y, p.text, fontproperties=self.font.prop(p.size), ha="center", va="center",
                     multialignment="center", color=LABEL["top"] if bold else color, rotation=p.angle,
                     rotation_mode="anchor", clip_on=True, zorder=6, linespacing=1.15, **kw)
        if p.leader is not None:
            bx = min(max(p.leader[0], p.box[0]), p.box[2])
            by = min(max(p.leader[1], p.box[1]), p.box[3])
            self.ax.plot([p.leader[0], bx], [p.leader[1], by], color=LABEL["leader"], linewidth=LABEL["leader_pt"],
                         zorder=5.5)

    def draw_line_labels(self, color: str = ROAD["label"]) -> None:
        """Draw the road-name labels the placer has accepted."""
        for p in self.placer.placed:
            if isinstance(p.key, tuple) and p.key[0] in ("road", "place"):
                self.ax.text(p.x, p.y, p.text, fontproperties=self.font.prop(p.size), ha="center", va="center",
                             color=color if p.key[0] == "road" else PLACE["color"], rotation=p.angle,
                             rotation_mode="anchor", clip_on=True, zorder=5)

    # ------------------------------------------------------------------ furniture
    def north_arrow(self, size: float = 9.0) -> Rect:
        """The north arrow in the top-right corner, turned to true north."""
        f = size / 9.0
        h = 12.0 * f
        r = Rect(self.rect.right - 16 * f, self.rect.top - h - 9 * f, 12 * f, h + 7 * f)
        bg = Rect(r.x - 1, r.y - 1, r.w + 2, r.h + 2)
        self.sheet.rect(bg, lw=0, fill="white", alpha=0.8, zorder=9)
        draw_north_arrow(self.sheet.ax, self.font, r.x + r.w / 2, r.y + 1, h, self.convergence, size)
        self.keep_clear(bg)
        return bg

    def scale_block(self, size: float = 7.0) -> Rect:
        """Scale bar and scale text in the bottom-right corner."""
        f = size / 7.0
        text = f"比例尺 {scale_text(self.n)}"
        tw = self.sheet.text_width_mm(text, size + 1)
        bar_max = 36.0 * f
        w = max(bar_max + 8 * f, tw + 4)
        r = Rect(self.rect.right - w - 3, self.rect.y + 3, w, 16 * f)
        self.sheet.rect(r, lw=0.4, color="#777777", fill="white", alpha=0.9, zorder=9)
        length = draw_scale_bar(self.sheet.ax, self.font, r.x + 4 * f, r.y + 9.5 * f, self.n, self.k,
                                self.mm_per_unit, max_mm=bar_max, size=size)
        self.sheet.text(r.x + r.w / 2, r.y + 2.5 * f, text, size + 1, ha="center", zorder=20)
        self.bar_mm = length
        self.keep_clear(r)
        return r

    def legend_block(self, title: str = "图例", size: float = 7.5) -> Rect | None:
        """The legend in the bottom-left corner, from the layers drawn."""
        from matplotlib.patches import Rectangle

        seen, entries = set(), []
        for e in self.legend:
            if e.label not in seen:
                seen.add(e.label)
                entries.append(e)
        if not entries:
            return None
        row = size * MM_PER_PT * 1.9
        sym = 9.0
        tw = max(self.sheet.text_width_mm(e.label, size) for e in entries)
        w = max(sym + tw + 8, self.sheet.text_width_mm(title, size + 1.5) + 6)
        h = row * (len(entries) + 1) + 3
        r = Rect(self.rect.x + 3, self.rect.y + 3, w, h)
        ax = self.sheet.ax
        self.sheet.rect(r, lw=0.5, color="#333333", fill="white", alpha=0.95, zorder=9)
        self.sheet.text(r.x + r.w / 2, r.top - row * 0.8, title, size + 1.5, ha="center", zorder=20)
        for i, e in enumerate(entries):
            y = r.top - row * (i + 1.5) - 0.5
            x = r.x + 3
            if e.kind == "line":
                kw = {"dashes": e.dashes} if e.dashes else {}
                ax.plot([x, x + sym], [y, y], color=e.color, linewidth=e.width, zorder=20, **kw)
            elif e.kind == "patch":
                ax.add_patch(Rectangle((x, y - row * 0.3), sym, row * 0.6, facecolor=e.fill, edgecolor=e.color,
                                       linewidth=min(e.width, 1.5), zorder=20))
            else:
                ax.scatter([x + sym / 2], [y], s=14, color=e.color, edgecolors="white", linewidths=0.4, zorder=20)
            self.sheet.text(x + sym + 2, y, e.label, size, va="center", zorder=20)
        self.keep_clear(r)
        return r

    def inset(self, r: Rect, highlight_geom=None, context: bool = False) -> Rect:
        """A locator inset at ``r``: the jurisdiction and top-level grids — with
        ``context``, inside the polygon base layers around them (e.g. the
        district) — and ``highlight_geom`` (or this map's extent) in red."""
        from matplotlib.patches import Rectangle

        self.sheet.rect(r, lw=0.6, fill="white", zorder=9)
        ax = self.sheet.axes(r.inset(1.0), zorder=11)
        tops = self.data.grids[self.data.grids["level_index"] == 0]
        jur = self.data.jurisdiction
        geoms = list(tops.geometry.values) + ([jur] if jur is not None else [])
        around = []
        if context and geoms:
            core = shapely.union_all(np.asarray(geoms, dtype=object))
            for bl in self.data.base_layers:
                if bl.geom_kind == "polygon":
                    g = bl.gdf.geometry.values
                    around += list(g[shapely.intersects(g, core)])
        shown = geoms + around
        bx0, by0, bx1, by1 = shapely.total_bounds(np.asarray(shown, dtype=object)) if shown else self.extent
        if highlight_geom is None:          # the map's own extent must be in the inset
            ex = self.extent
            bx0, by0, bx1, by1 = min(bx0, ex[0]), min(by0, ex[1]), max(bx1, ex[2]), max(by1, ex[3])
        inner = r.inset(1.0)
        cx, cy = (bx0 + bx1) / 2, (by0 + by1) / 2
        s = max((bx1 - bx0) / inner.w, (by1 - by0) / inner.h) * 1.08
        ax.set_xlim(cx - s * inner.w / 2, cx + s * inner.w / 2)
        ax.set_ylim(cy - s * inner.h / 2, cy + s * inner.h / 2)
        if around:
            add_polygons(ax, around, facecolors="#f0f0f0", edgecolors="#8e8e8e", linewidths=0.5)
        if jur is not None:
            add_polygons(ax, [jur], facecolors="#dddddd", edgecolors=JURISDICTION["color"], linewidths=0.6)
        add_lines(ax, tops.geometry.values, colors="#999999", linewidths=0.3)
        if highlight_geom is not None:
            add_polygons(ax, [highlight_geom], facecolors=HIGHLIGHT["edge"], edgecolors=HIGHLIGHT["edge"],
                         linewidths=0.5, alpha=0.85)
            c = highlight_geom.centroid
            ax.scatter([c.x], [c.y], s=60, facecolors="none", edgecolors=HIGHLIGHT["edge"], linewidths=1.0)
        else:
            ex = self.extent
            ax.add_patch(Rectangle((ex[0], ex[1]), ex[2] - ex[0], ex[3] - ex[1], fill=False,
                                   edgecolor=HIGHLIGHT["edge"], linewidth=0.8))
        self.keep_clear(r)
        return r

    def footnote_unlabelled(self, size: float = 5.5) -> Rect | None:
        """The last resort of a map too dense for every code: list the codes
        that found no place in a white box across the top of the map (left of
        the north arrow), so every code is still on the page."""
        if not self.unlabelled:
            return None
        from .textblock import wrap_text

        text = "注：图面过密未能标注的网格编码：" + "、".join(self.unlabelled)
        w = self.rect.w - 26
        lines = wrap_text(text, size, w - 4, self.font)
        h = len(lines) * size * MM_PER_PT * 1.4 + 3
        r = Rect(self.rect.x + 3, self.rect.top - h - 3, w, h)
        self.sheet.rect(r, lw=0.4, color="#777777", fill="white", alpha=0.95, zorder=9)
        self.sheet.text(r.x + 2, r.top - 1.5, "\n".join(lines), size, va="top", color="#444444", zorder=20,
                        linespacing=1.4)
        return r


def grid_bounds(geom, ratio: float) -> tuple[float, float, float, float]:
    """Bounds of ``geom`` grown by ``ratio`` of its size on each side (at least 50 m)."""
    x0, y0, x1, y1 = geom.bounds
    d = max(max(x1 - x0, y1 - y0) * ratio, 50.0)
    return (x0 - d, y0 - d, x1 + d, y1 + d)

