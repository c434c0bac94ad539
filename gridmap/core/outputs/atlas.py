"""The map book (网格图册): a contents page, then one page per grid — the grid
highlighted among its neighbours at a fitting round scale, its code, name,
level, parent and area, its four sides (四至), and a table of its leader,
units, officers with phones, street segments and compounds.  One multi-page
PDF.

>>> from gridmap.core.outputs.tests_support import demo_plan
>>> pages = atlas_pages(demo_plan(), {})
>>> len(pages.grids), pages.contents_pages
(4, 1)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..plan import Plan
from .errors import OutputError
from .fonts import find_cjk_font
from .layout import MM_PER_PT, Page, Rect, Sheet, save_figure
from .mapdata import MapData
from .mapframe import MapFrame, grid_bounds
from .options import OutputOptions, plan_title
from .records import GridRecord, area_text, grid_records
from .scale import scale_text
from .sides import Side, grid_sides
from .textblock import Column, draw_table, wrap_text

__all__ = ["save_atlas", "atlas_pages", "atlas_figures", "atlas_page_preview_png", "AtlasPlan"]

_CONTENT_ROW_MM = 6.2


@dataclass
class AtlasPlan:
    """What goes on which page: grid ids in order and the contents' length."""

    data: MapData
    level: int
    grids: list[int]
    records: dict[int, GridRecord]
    contents_pages: int
    rows_per_contents_page: list[int] = field(default_factory=list)

    def page_of(self, gid: int) -> int:
        return self.contents_pages + self.grids.index(gid) + 1


def _level_index(plan: Plan, level: str) -> int:
    if not level:
        return len(plan.levels) - 1
    try:
        return plan.level_index(level)
    except Exception:
        keys = ", ".join(f"{lv.key} ({lv.name})" for lv in plan.levels)
        raise OutputError(f"atlas level {level!r} is not a level of this plan: {keys}") from None


def atlas_title(plan: Plan) -> str:
    """The map book's title from the plan's name (see :func:`.options.plan_title`).

    >>> from gridmap.core.plan import Plan
    >>> atlas_title(Plan.new("新安街道网格化管理划分方案（示例）", crs="EPSG:4547"))
    '新安街道网格化管理划分图册（示例）'
    """
    return plan_title(plan.name, "atlas")


def atlas_pages(plan: Plan, options=None, data: MapData | None = None) -> AtlasPlan:
    """Which grids get a page (a level's grids in code order) and how many
    contents pages precede them."""
    o = options if isinstance(options, OutputOptions) else OutputOptions.from_dict(options)
    li = _level_index(plan, o.level)
    if data is None:
        data = MapData.from_plan(plan, o.project, o.base_layers)
    sub = data.grids[data.grids["level_index"] == li]
    order = sorted(sub.index, key=lambda g: (str(sub.at[g, "code"]) or "~", int(g)))
    page = Page(o.paper, o.landscape)
    first = page.content.h - 55 * page.text_scale     # title block on the first contents page
    later = page.content.h - 25
    rows = []
    left = len(order)
    while left > 0 or not rows:
        cap = max(int((first if not rows else later) // _CONTENT_ROW_MM), 1)
        rows.append(min(cap, left))
        left -= cap
    return AtlasPlan(data, li, order, grid_records(plan), len(rows), rows)


# ---------------------------------------------------------------------- pages
def _header(sheet: Sheet, title: str, page_no: int) -> float:
    c = sheet.page.content
    y = c.top - 4
    sheet.text(c.x, y, title, 8, color="#555555")
    sheet.text(c.right, y, f"第 {page_no} 页", 8, ha="right", color="#555555")
    sheet.line([c.x, c.right], [y - 2, y - 2], lw=0.6)
    return y - 2


FOOTER_PT = 6.5
FOOTER_MM = 10.0     # room the footer takes above the bottom of the content box


def footer_lines(data: MapData, o: OutputOptions) -> list[str]:
    """The note at the foot of every map-book page: the CRS, the data sources
    once, the disclaimer and the issuing unit."""
    from .annex_map import credit_lines

    import re

    # the disclaimer's English half stays on the annex map; the footer keeps the Chinese
    lines = [re.split(r"(?<=。)\s*(?=[A-Za-z])", x)[0] for x in credit_lines(data)]
    if o.issuer:
        lines.insert(0, f"编制单位：{o.issuer}")
    return lines


def _footer(sheet: Sheet, lines: list[str]) -> None:
    c = sheet.page.content
    text = "；".join(lines)
    wrapped = wrap_text(text, FOOTER_PT, c.w, sheet.font)[:3]
    sheet.line([c.x, c.right], [c.y + FOOTER_MM - 1.5, c.y + FOOTER_MM - 1.5], lw=0.3, color="#999999")
    for i, line in enumerate(wrapped):
        sheet.text(c.x, c.y + FOOTER_MM - 4.2 - i * FOOTER_PT * MM_PER_PT * 1.3, line, FOOTER_PT, color="#444444")


def _contents(font, page: Page, ap: AtlasPlan, o: OutputOptions, title: str) -> list:
    figs = []
    start = 0
    data = ap.data
    for pi, n in enumerate(ap.rows_per_contents_page):
        sheet = Sheet(page, font)
        c = page.content
        s = page.text_scale
        if pi == 0:
            top = c.top
            if o.annex:
                sheet.text(c.x, top - 6 * s, o.annex, 14 * s)
            sheet.text(c.x + c.w / 2, top - 22 * s, title, 22 * s, ha="center")
            sub = o.subtitle or f"共 {len(ap.grids)} 个{data.plan.levels[ap.level].name}"
            sheet.text(c.x + c.w / 2, top - 31 * s, sub, 11 * s, ha="center", color="#333333")
            meta = "　".join(x for x in (o.issuer, o.date_text()) if x)
            sheet.text(c.x + c.w / 2, top - 39 * s, meta, 10 * s, ha="center", color="#333333")
            sheet.text(c.x + c.w / 2, top - 49 * s, "目录", 14 * s, ha="center")
            y = top - 52 * s
        else:
            y = _header(sheet, title, pi + 1) - 4
        parent_name = data.plan.levels[ap.level - 1].name if ap.level > 0 else ""
        cols = [Column("序号", 12, "center"), Column("网格编码", 42), Column("网格名称", 0),
                Column(f"所属{parent_name}" if parent_name else "层级", 0), Column("页码", 14, "center")]
        rest = c.w - sum(col.width for col in cols)
        cols[2].width, cols[3].width = rest * 0.45, rest * 0.55
        rows = []
        for k, gid in enumerate(ap.grids[start:start + n], start=start + 1):
            r = ap.records[gid]
            parent = f"{r.parent_code} {r.parent_name}".strip() if parent_name else r.level_name
            rows.append([str(k), r.code, r.name, parent, str(ap.page_of(gid))])
        draw_table(sheet, c.x, y, cols, rows, size=8.5, bottom=c.y + FOOTER_MM)
        _footer(sheet, footer_lines(data, o))
        start += n
        figs.append(sheet.fig)
    return figs


def _grid_page(font, page: Page, ap: AtlasPlan, gid: int, sides: list[Side], title: str, o: OutputOptions,
               common: int = 0, measure: bool = False):
    """One grid's page at the book's common scale ``common`` (or the larger one
    its grid needs, then marked); with ``measure``, only the scale it needs."""
    data = ap.data
    sheet = Sheet(page, font)
    c = page.content
    rec = ap.records[gid]
    y = _header(sheet, title, ap.page_of(gid))
    sheet.text(c.x, y - 9, f"{rec.code}　{rec.name}", 16)
    facts = [rec.level_name]
    if rec.parent_code:
        plevel = data.plan.levels[ap.level - 1].name if ap.level > 0 else ""
        facts.append(f"所属{plevel}：{rec.parent_code} {rec.parent_name}".strip())
    facts.append(f"面积：{area_text(rec.area_m2)}")
    sheet.text(c.x, y - 15.5, "　".join(facts), 9, color="#333333")
    map_top = y - 19
    size = 8.5
    line_mm = size * MM_PER_PT * 1.5
    always = ("leader", "officer", "lead_unit")      # every role under its own label (挂点领导 ≠ 网格长 …)
    rows = [list(r) for r in rec.role_rows(always=always)] + [
            ["责任路段", "、".join(rec.segments)],
            ["小区/场所", "、".join(rec.places)],
            ]     # duties: one line per person/unit under 职责分工 (rec.duty_lines), not a row here
    rows = [[k, v or "—"] for k, v in rows if v or k in ("网格长", "网格员", "牵头单位")]
    if o.extra.get("template"):
        # the per-grid table follows the annex template: its columns, under its (grouped) headers
        from ..exchange.templates import grid_rows, load_template

        rows = [[k, v or "—"] for k, v in grid_rows(data.plan, load_template(o.extra["template"], data.plan), gid,
                                                       sides)]
    # the map takes what the text below it leaves (portrait), within 40–65 % of the page
    if page.landscape:
        map_h = c.h * 0.80
        frame = Rect(c.x, map_top - map_h, c.w * 0.60, map_h)
        tx, ttop, tw = frame.right + 5, map_top, c.right - frame.right - 5
    else:
        tw = c.w
        side_lines = sum(len(wrap_text(sd.text, size, tw - 2, font)) for sd in sides)
        table_lines = sum(max(len(wrap_text(v, size, tw - 26 - 2.4, font)), 1) for _, v in rows)
        text_h = 5 + side_lines * line_mm + 9 + table_lines * size * MM_PER_PT * 1.45 + len(rows) * 2.4 + 10 \
            + FOOTER_MM + 8 + sum(len(wrap_text(d, 8.0, tw - 6, font)) for d in rec.duty_lines) * 8.0 * MM_PER_PT * 1.45
        map_h = min(max(map_top - c.y - text_h - 5, c.h * 0.33), c.h * 0.65)
        frame = Rect(c.x, map_top - map_h, c.w, map_h)
        tx, ttop = c.x, frame.y - 5
    inner = sheet.frame(frame, gap=1.0)
    geom = data.grids.at[gid, "geometry"]
    mf = MapFrame(sheet, inner, data, grid_bounds(geom, 0.3), pad=0.0, min_scale=common)
    if measure:
        import matplotlib.pyplot as plt

        plt.close(sheet.fig)
        return None, mf
    own = common and mf.n > common
    scale_note = f"比例尺 {scale_text(mf.n)}" + ("（本页另用，与图册统一比例尺不同）" if own else "")
    sheet.text(c.right, y - 15.5, scale_note, 10, ha="right", color="#a00000" if own else "#000000")
    mf.draw_base_layers(labels=False)
    mf.draw_grids(highlight=gid, muted=True)
    mf.draw_jurisdiction()
    mf.draw_segments(grid=gid)
    mf.north_arrow(size=8)
    mf.scale_block(size=6.5)
    iw = min(inner.w, inner.h) * 0.24
    mf.inset(Rect(inner.x + 2, inner.top - iw - 2, iw, iw), highlight_geom=geom)
    mf.draw_places(grid=gid, labels=False)      # in the legend
    mf.legend_block(size=6.5)
    mf.label_grids(levels=[ap.level], keep_all=False, emphasis=gid)
    mf.label_places(grid=gid, size=6.0)
    for bl in data.base_layers:
        if bl.label and bl.geom_kind == "line":
            mf.label_roads(bl.gdf[mf.visible(bl.gdf.geometry.values)], bl.label, 6.0)
    mf.draw_line_labels()

    sheet.text(tx, ttop - 3, "四至", 10)
    yy = ttop - 5
    for side in sides:
        for line in wrap_text(side.text, size, tw - 2, font):
            yy -= line_mm
            sheet.text(tx + 2, yy, line, size)
    yy -= 4
    sheet.text(tx, yy - 3, "责任信息（定人、定时、定责）", 10)
    cols = [Column("项目", 26), Column("内容", tw - 26)]
    # people and units first, then each one's duty (定责), then the segments and places (also in 路段分工表)
    later_keys = ("责任路段", "小区/场所")
    first_rows = [r for r in rows if r[0] not in later_keys]
    later_rows = [r for r in rows if r[0] in later_keys]
    floor = c.y + FOOTER_MM + 2
    bottom, drawn = draw_table(sheet, tx, yy - 5, cols, first_rows, size=size, bottom=floor, header=False)
    left = len(first_rows) - drawn
    yy = bottom - 2
    if rec.duty_lines and not left:     # 职责分工: one line (wrapped) per person or unit, as many as fit
        sheet.text(tx, yy - 4, "职责分工", 10)
        yy -= 6
        dsize = 8.0
        dline = dsize * MM_PER_PT * 1.45
        for k, duty in enumerate(rec.duty_lines):
            lines = wrap_text(duty, dsize, tw - 6, font)
            if yy - dline * len(lines) < floor + 4:
                left += len(rec.duty_lines) - k
                break
            for j, line in enumerate(lines):
                yy -= dline
                sheet.text(tx + (2 if j == 0 else 5), yy, ("· " if j == 0 else "") + line, dsize)
        yy -= 2
    if later_rows and not left and yy - 8 > floor:
        bottom, drawn = draw_table(sheet, tx, yy - 1, cols, later_rows, size=size, bottom=floor, header=False)
        left += len(later_rows) - drawn
        yy = bottom - 2
    else:
        left += len(later_rows)
    if left:
        sheet.text(tx, yy - 4, f"（另有 {left} 项见网格化管理划分表、路段分工表）", 7.5, color="#a00000")
    _footer(sheet, footer_lines(data, o))
    return sheet.fig, mf


def common_scale(needs: list[int]) -> int:
    """The book's one scale: the largest any page needs when that is at most 1.5 ×
    the median need, else the one 80 % of the pages fit (the others get their own,
    marked in red).

    >>> common_scale([7500, 10000, 12500]), common_scale([10000] * 8 + [12500, 40000])
    (12500, 10000)
    """
    if not needs:
        return 0
    ordered = sorted(needs)
    median = ordered[len(ordered) // 2]
    if ordered[-1] <= 1.5 * median:
        return ordered[-1]
    return ordered[min(int(0.8 * len(ordered) + 0.999) - 1, len(ordered) - 1)]


def atlas_figures(plan: Plan, options=None) -> tuple[list, dict]:
    """Every page of the map book as matplotlib figures, and a dict of facts."""
    o = options if isinstance(options, OutputOptions) else OutputOptions.from_dict(options)
    font = find_cjk_font()
    ap = atlas_pages(plan, o)
    if not ap.grids:
        raise OutputError(f"plan {plan.name!r} has no grids on level "
                          f"{plan.levels[ap.level].name}: the map book would be empty")
    page = Page(o.paper, o.landscape)
    title = o.title or atlas_title(plan)
    sides = grid_sides(ap.data, ap.level)
    figs = _contents(font, page, ap, o, title)
    scales = {}
    common = common_scale([_grid_page(font, page, ap, gid, sides[gid], title, o, measure=True)[1].n
                           for gid in ap.grids])
    for gid in ap.grids:
        fig, mf = _grid_page(font, page, ap, gid, sides[gid], title, o, common=common)
        figs.append(fig)
        scales[gid] = mf.n
    info = {"pages": len(figs), "contents_pages": ap.contents_pages, "grids": list(ap.grids), "scales": scales,
            "common_scale": common,
            "sides": {g: [s.text for s in v] for g, v in sides.items()}, "warnings": list(ap.data.warnings)}
    return figs, info


def save_atlas(plan: Plan, path, options=None) -> dict:
    """Write the map book as one multi-page PDF."""
    o = options if isinstance(options, OutputOptions) else OutputOptions.from_dict(options)
    path = Path(path)
    if path.suffix.lower() != ".pdf":
        raise OutputError(f"{path}: the map book is a PDF; name the file *.pdf")
    figs, info = atlas_figures(plan, o)
    meta = {"Title": o.title or atlas_title(plan), "Creator": "gridmap", "Subject": plan.name}
    if o.issuer:
        meta["Author"] = o.issuer
    save_figure(figs, path, "pdf", metadata=meta)
    return info


def atlas_page_preview_png(plan: Plan, options=None, grid: int | None = None, dpi: int = 60) -> bytes:
    """One grid's atlas page (default: the first) as PNG bytes, for a preview.

    >>> from gridmap.core.outputs.tests_support import demo_plan
    >>> atlas_page_preview_png(demo_plan(), {}, dpi=20)[1:4] == b"PNG"
    True
    """
    from .annex_map import figure_png

    o = options if isinstance(options, OutputOptions) else OutputOptions.from_dict(options)
    ap = atlas_pages(plan, o)
    if not ap.grids:
        raise OutputError(f"plan {plan.name!r} has no grids on level {plan.levels[ap.level].name}")
    gid = ap.grids[0] if grid is None else int(grid)
    if gid not in ap.grids:
        raise OutputError(f"grid {gid} is not on the atlas level {plan.levels[ap.level].name}")
    sides = grid_sides(ap.data, ap.level)
    fig, _ = _grid_page(find_cjk_font(), Page(o.paper, o.landscape), ap, gid, sides[gid],
                        o.title or atlas_title(plan), o)
    return figure_png(fig, dpi)

