"""The annex map (附件示意图): the whole plan on one A4/A3 page, print-ready.

Title, subtitle and annex label above a framed map (图廓); inside it the grids
styled by level with collision-free code/name labels, the jurisdiction, the
base layers with road names, a legend, a scale bar and 1:N text right for the
CRS and the page, a north arrow turned to true north and an optional locator
inset; below it the issuing unit, the date, the CRS and data credits.
Written as vector PDF (real, selectable text in an embedded CJK font) or as
PNG/TIFF at the requested dpi.

>>> from gridmap.core.outputs.tests_support import demo_plan
>>> fig, info = annex_figure(demo_plan(), {"paper": "A4"})
>>> info["scale"] >= 500 and info["unlabelled"] == [] and min(info["label_sizes"]) >= 6
True
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ..plan import Plan
from .errors import OutputError
from .fonts import find_cjk_font, missing_glyphs
from .layout import MM_PER_PT, Page, Rect, Sheet, save_figure
from .mapdata import MapData
from .mapframe import MapFrame
from .options import OutputOptions, plan_title
from .textblock import wrap_text

__all__ = ["annex_figure", "save_annex_map", "annex_preview_png", "figure_png", "default_title", "crs_text",
           "credit_lines", "title_lines"]


def default_title(plan: Plan) -> str:
    """The annex map's title from the plan's name (see :func:`.options.plan_title`).

    >>> from gridmap.core.plan import Plan
    >>> default_title(Plan.new("新安街道", crs="EPSG:4547")), default_title(Plan.new("测试方案", crs="EPSG:4547"))
    ('新安街道网格化管理划分示意图', '测试方案网格化管理划分示意图')
    """
    return plan_title(plan.name, "map")


def crs_text(crs) -> str:
    """The CRS line of map footers, in Chinese (see :func:`.notes.crs_note`).

    >>> crs_text("EPSG:4547")
    '坐标系：2000国家大地坐标系 高斯-克吕格投影 3度带 中央经线114°'
    """
    from .notes import crs_note

    return f"坐标系：{crs_note(crs)}"


def credit_lines(data: MapData) -> list[str]:
    """The notes under a map: the CRS, the data sources once (no repository
    names or commit hashes) and the plan's disclaimer."""
    from .notes import source_notes

    out = [crs_text(data.crs)]
    sources = source_notes(data.plan.settings, data.attributions())
    if sources:
        out.append("数据来源：" + "；".join(sources))
    if data.disclaimer:
        out.append(data.disclaimer)
    return out


def title_lines(sheet: Sheet, title: str, size: float, width_mm: float, font) -> list[str]:
    """The title on as few lines as fit ``width_mm`` at ``size`` (never smaller):
    broken before a bracket or after 网格化管理 where it can, else in the middle,
    each line a little shorter than the one above (GB/T 9704's 梯形)."""
    if not title or sheet.text_width_mm(title, size, font) <= width_mm:
        return [title] if title else []
    for mark in ("（", "(", "网格化管理", "划分"):
        i = title.find(mark)
        if 0 < i < len(title) - 1:
            cut = i if mark in ("（", "(") else i + len(mark)
            a, b = title[:cut], title[cut:]
            if sheet.text_width_mm(a, size, font) <= width_mm and sheet.text_width_mm(b, size, font) <= width_mm:
                return [a, b]
    out, line = [], ""
    for ch in title:
        if line and sheet.text_width_mm(line + ch, size, font) > width_mm:
            out.append(line)
            line = ""
        line += ch
    return out + [line]


# GB/T 9704 sizes: 附件 label 3号 (16 pt) 黑体, title 2号 (22 pt) 小标宋, subtitle 3号
ANNEX_PT, TITLE_PT, SUBTITLE_PT = 16.0, 22.0, 16.0


def _title_block(sheet: Sheet, r: Rect, title: str, subtitle: str, annex: str, draw: bool = True) -> tuple[float, list]:
    """The annex label at the top left, the title centred under it: the height used (mm) and notices."""
    from .fonts import find_role_font

    hei, tf, song = find_role_font("hei"), find_role_font("title"), find_role_font("song")
    notices = [tf.notice] if tf.notice and title else []
    y = r.top
    if annex:
        y -= ANNEX_PT * MM_PER_PT * 0.88
        if draw:
            sheet.text(r.x, y, annex, ANNEX_PT, font=hei.font)
        y -= ANNEX_PT * MM_PER_PT * 0.9          # one empty line (28 pt pitch) before the title
    lines = title_lines(sheet, title, TITLE_PT, r.w, tf.font)
    for line in lines:
        y -= TITLE_PT * MM_PER_PT * 1.25
        if draw:
            sheet.text(r.x + r.w / 2, y, line, TITLE_PT, ha="center", font=tf.font, bold=tf.bold)
    if subtitle:
        size = sheet.fit_size(subtitle, SUBTITLE_PT, r.w)
        y -= size * MM_PER_PT * 1.6
        if draw:
            sheet.text(r.x + r.w / 2, y, subtitle, size, ha="center", font=song.font, color="#333333")
    return (r.top - y) + 4.0, notices


def fit_label(sheet: Sheet, text: str, size: float, width_mm: float) -> str:
    """``text`` as it fits ``width_mm`` at ``size``: whole, else without its
    bracketed remark, else cut with "…" (a legend row never runs off its panel).

    >>> from gridmap.core.outputs.fonts import find_cjk_font
    >>> sh = Sheet(Page("A4"), find_cjk_font())
    >>> fit_label(sh, "宝安区界（GCJ-02 已纠偏为 CGCS2000）", 7, 20), fit_label(sh, "道路", 7, 20)
    ('宝安区界', '道路')
    """
    if sheet.text_width_mm(text, size) <= width_mm:
        return text
    short = re.sub(r"\s*[（(][^（()）]*[)）]\s*", "", text).strip()
    if short and sheet.text_width_mm(short, size) <= width_mm:
        return short
    short = short or text
    while len(short) > 1 and sheet.text_width_mm(short + "…", size) > width_mm:
        short = short[:-1]
    return short + "…"


@dataclass
class _Panel:
    """The legend and the numbered key beside or under the map (never on it)."""

    size: float
    key_size: float
    legend: list
    key: list            # (number, code, name)

    def rows(self, sheet: Sheet, width: float):
        """(legend columns, legend rows, key columns, key rows, legend col width, key col width)."""
        sym = 8.0
        lw = max([sheet.text_width_mm(e.label, self.size) for e in self.legend] or [20.0]) + sym + 5
        lcols = max(1, min(int(width // lw), len(self.legend) or 1))
        kw = max([sheet.text_width_mm(f"{n}  {c} {nm}", self.key_size) for n, c, nm in self.key] or [20.0]) + 4
        kcols = max(1, min(int(width // kw), len(self.key) or 1))
        lrows = -(-len(self.legend) // lcols)
        krows = -(-len(self.key) // kcols) if self.key else 0
        return lcols, lrows, kcols, krows, width / lcols, width / kcols

    def height(self, sheet: Sheet, width: float) -> float:
        _, lrows, _, krows, _, _ = self.rows(sheet, width)
        row, krow = self.size * MM_PER_PT * 1.75, self.key_size * MM_PER_PT * 1.6
        h = 3 + (self.size + 1.5) * MM_PER_PT * 1.6 + lrows * row + 2
        if self.key:
            h += (self.key_size + 1) * MM_PER_PT * 1.8 + krows * krow + 1
        return h

    def draw(self, sheet: Sheet, r: Rect) -> None:
        from matplotlib.patches import Rectangle

        lcols, lrows, kcols, krows, lcw, kcw = self.rows(sheet, r.w)
        row, krow = self.size * MM_PER_PT * 1.75, self.key_size * MM_PER_PT * 1.6
        sheet.rect(r, lw=0.5, color="#333333")
        y = r.top - 2 - (self.size + 1.5) * MM_PER_PT
        sheet.text(r.x + 2.5, y, "图例", self.size + 1.5)
        y -= 2.5
        ax, sym = sheet.ax, 8.0
        for i, e in enumerate(self.legend):
            c, rr = divmod(i, lrows) if lrows else (0, 0)
            x, yy = r.x + 2.5 + c * lcw, y - row * (rr + 0.5)
            if e.kind == "line":
                kw = {"dashes": e.dashes} if e.dashes else {}
                ax.plot([x, x + sym], [yy, yy], color=e.color, linewidth=max(e.width, 0.4), zorder=20, **kw)
            elif e.kind == "patch":
                ax.add_patch(Rectangle((x, yy - row * 0.3), sym, row * 0.6, facecolor=e.fill,
                                       edgecolor=e.color if e.width else "#777777",
                                       linewidth=min(e.width, 1.5) or 0.3, zorder=20))
            else:
                ax.scatter([x + sym / 2], [yy], s=14, color=e.color, edgecolors="white", linewidths=0.4, zorder=20)
            sheet.text(x + sym + 1.8, yy, fit_label(sheet, e.label, self.size, lcw - sym - 3), self.size,
                       va="center", zorder=20)
        y -= row * lrows + 1
        if self.key:
            y -= (self.key_size + 1) * MM_PER_PT * 1.3
            title = "图上序号（网格过小，编码和名称列此）"
            if sheet.text_width_mm(title, self.key_size + 1) > r.w - 4:
                title = "图上序号"
            sheet.text(r.x + 2.5, y, title, self.key_size + 1)
            y -= 1.2
            for i, (n, code, name) in enumerate(self.key):
                c, rr = divmod(i, krows)
                x, yy = r.x + 2.5 + c * kcw, y - krow * (rr + 0.5)
                sheet.text(x, yy, f"{n}", self.key_size, va="center", zorder=20)
                nx = sheet.text_width_mm("88", self.key_size) + 1.5
                sheet.text(x + nx, yy, fit_label(sheet, f"{code} {name}".strip(), self.key_size, kcw - nx - 3),
                           self.key_size, va="center", zorder=20)


def annex_figure(plan: Plan, options=None, data: MapData | None = None, titles: bool = True,
                 page: Page | None = None):
    """The annex map as a matplotlib figure and a dict of what was drawn
    (``scale``, ``labelled``, ``numbered`` (the side list), ``unlabelled``
    codes, ``legend``, ``notices``, ``warnings``).  With ``titles=False`` the
    page is only the framed map with its legend (a figure for Word);
    ``page`` overrides the paper and layout of the options."""
    o = options if isinstance(options, OutputOptions) else OutputOptions.from_dict(options)
    if data is None:
        data = MapData.from_plan(plan, o.project, o.base_layers)
    page = page or Page(o.paper, o.landscape, layout=o.layout)
    warnings0 = list(data.warnings)
    legend, key = [], []
    for _ in range(4):      # the panel's size depends on what the map needed: settle it
        data.warnings[:] = warnings0
        fig, info, mf = _compose(plan, o, data, titles, page, legend, key)
        new_legend, new_key = _legend_rows(mf), list(mf.numbered)
        if [e.label for e in new_legend] == [e.label for e in legend] and len(new_key) <= len(key):
            break
        legend, key = new_legend, new_key if len(new_key) > len(key) else key
    return fig, info


def _legend_rows(mf: MapFrame) -> list:
    seen, out = set(), []
    for e in mf.legend:
        if e.label not in seen:
            seen.add(e.label)
            out.append(e)
    return out


def _compose(plan, o, data, titles, page, legend, key):
    font = find_cjk_font()
    sheet = Sheet(page, font)
    s = 1.0 if page.gongwen else page.text_scale
    content = page.content
    title = o.title or default_title(plan)
    notices: list[str] = []
    fs, cs = 10.5 * s, 7.5 * s                 # footer and notes text sizes
    credits = credit_lines(data)
    credit_lines_ = wrap_text("；".join(credits), cs, content.w, font)
    if titles:
        th, notices = _title_block(sheet, content, title, o.subtitle, o.annex, draw=False)
        title_r, rest = content.split_top(th)
        _title_block(sheet, title_r, title, o.subtitle, o.annex)
        foot_h = 2.0 + fs * MM_PER_PT * 1.5 + len(credit_lines_) * cs * MM_PER_PT * 1.35
    else:
        rest, foot_h = content, 0.0
    foot_r, map_r = rest.split_bottom(foot_h)
    small = 0.8 if not titles else 1.0
    panel = _Panel(max(7.5 * s * small, 6.0), max(7.0 * s * small, 6.0), legend, key)    # never under 6 pt
    side = map_r.w > map_r.h * 1.15            # landscape: legend and key at the right
    if side:
        # as wide as its widest row needs (a long layer name, a key entry), within 27–40 % of the map
        need = max([sheet.text_width_mm(e.label, panel.size) + 8.0 + 5 for e in legend]
                   + [sheet.text_width_mm(f"88  {c} {nm}", panel.key_size) + 6 for _, c, nm in key] + [0.0])
        pw = min(max(map_r.w * 0.27, need), map_r.w * 0.40)
        frame_r = Rect(map_r.x, map_r.y, map_r.w - pw - 3, map_r.h)
        panel_r = Rect(frame_r.right + 3, map_r.y, pw, map_r.h)
        ph = panel.height(sheet, pw)
        panel_r = Rect(panel_r.x, panel_r.top - min(ph, panel_r.h), pw, min(ph, panel_r.h))
    else:
        ph = panel.height(sheet, map_r.w)
        panel_r, frame_r = map_r.split_bottom(ph)
        frame_r = Rect(frame_r.x, frame_r.y + 2.5, frame_r.w, frame_r.h - 2.5)
    inner = sheet.frame(frame_r)
    mf = MapFrame(sheet, inner, data, data.bounds, pad=0.02)

    mf.draw_base_layers(labels=False)
    mf.draw_grids()
    mf.draw_jurisdiction()
    mf.draw_segments(width=0.8)
    mf.draw_places(labels=False)
    mf.north_arrow(size=9 * small)
    mf.scale_block(size=7 * small)
    if o.inset:
        iw = inner.w * 0.22
        ih = iw * 0.8
        mf.inset(Rect(inner.x + 3, inner.top - ih - 3, iw, ih), highlight_geom=data.jurisdiction, context=True)
    mf.label_grids()
    for bl in data.base_layers:
        if bl.label and bl.geom_kind == "line":
            mf.label_roads(bl.gdf[mf.visible(bl.gdf.geometry.values)], bl.label, 6.0 * s)
    mf.draw_line_labels()
    if legend or key:
        panel.draw(sheet, panel_r)

    y = foot_r.top - fs * MM_PER_PT - 1.0
    if titles and o.issuer:
        sheet.text(foot_r.x, y, f"编制单位：{o.issuer}", fs)
    if titles:
        sheet.text(foot_r.right, y, f"日期：{o.date_text()}", fs, ha="right")
        sheet.text(foot_r.x + foot_r.w / 2, y - fs * MM_PER_PT * 0.5, "\n".join(credit_lines_), cs,
                   ha="center", va="top", color="#333333", linespacing=1.35)
    mf.footnote_unlabelled(size=6.0)
    texts = [title, o.subtitle, o.issuer, o.annex, *data.grids["code"], *data.grids["name"],
             *[lv.name for lv in plan.levels]]
    for bl in data.base_layers:
        if bl.label:
            texts += [str(v) for v in bl.gdf[bl.label].dropna().unique()]
    missing = missing_glyphs(texts, font)
    if missing:
        data.warnings.append(f"font {font.name} has no glyph for {''.join(missing[:20])!r}: "
                             "these characters print as empty boxes (set GRIDMAP_CJK_FONT to a fuller font)")
    info = {"scale": mf.n, "credits": credits, "extent": mf.extent, "map_mm": (inner.w, inner.h),
            "frame_mm": tuple(frame_r), "labelled": len(mf.placer.placed), "unlabelled": list(mf.unlabelled),
            "numbered": list(mf.numbered), "warnings": list(data.warnings) + notices, "notices": notices,
            "scale_bar_mm": getattr(mf, "bar_mm", 0.0), "k": mf.k, "legend": [e.label for e in _legend_rows(mf)],
            "layout": page.layout, "margins": page.margins if page.custom_mm is None else {},
            "label_sizes": sorted({p.size for p in mf.placer.placed})}
    return sheet.fig, info, mf


def save_annex_map(plan: Plan, path, options=None, fmt: str | None = None) -> dict:
    """Write the annex map to ``path`` as PDF, PNG or TIFF (from the suffix or ``fmt``)."""
    o = options if isinstance(options, OutputOptions) else OutputOptions.from_dict(options)
    path = Path(path)
    fmt = (fmt or path.suffix.lstrip(".")).lower()
    if fmt not in ("pdf", "png", "tif", "tiff"):
        raise OutputError(f"{path}: annex maps are written as .pdf, .png or .tif, not {fmt!r}")
    fig, info = annex_figure(plan, o)
    meta = {"Title": o.title or default_title(plan), "Creator": "gridmap", "Subject": plan.name}
    if o.issuer:
        meta["Author"] = o.issuer
    save_figure(fig, path, fmt, dpi=o.dpi, metadata=meta)
    return info


def figure_png(fig, dpi: int = 60) -> bytes:
    """A figure as PNG bytes (Agg, no Qt) — what a dialog shows as a preview."""
    import io

    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi)
    return buf.getvalue()


def annex_preview_png(plan: Plan, options=None, dpi: int = 60) -> bytes:
    """The annex map, as it will print, as PNG bytes at a low resolution for a
    layout dialog's live preview.

    >>> from gridmap.core.outputs.tests_support import demo_plan
    >>> annex_preview_png(demo_plan(), {"paper": "A4"}, dpi=20)[1:4] == b"PNG"
    True
    """
    fig, _ = annex_figure(plan, options)
    return figure_png(fig, dpi)

