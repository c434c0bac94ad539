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
>>> info["scale"] >= 500 and info["unlabelled"] == []
True
"""

from __future__ import annotations

from pathlib import Path

from ..plan import Plan
from .errors import OutputError
from .fonts import find_cjk_font, missing_glyphs
from .layout import MM_PER_PT, Page, Rect, Sheet, save_figure
from .mapdata import MapData
from .mapframe import MapFrame
from .options import OutputOptions, plan_title
from .textblock import wrap_text

__all__ = ["annex_figure", "save_annex_map", "annex_preview_png", "figure_png", "default_title", "crs_text"]


def default_title(plan: Plan) -> str:
    """The annex map's title from the plan's name (see :func:`.options.plan_title`).

    >>> from gridmap.core.plan import Plan
    >>> default_title(Plan.new("新安街道", crs="EPSG:4547")), default_title(Plan.new("测试方案", crs="EPSG:4547"))
    ('新安街道网格化管理划分示意图', '测试方案网格化管理划分示意图')
    """
    return plan_title(plan.name, "map")


def crs_text(crs) -> str:
    """A short CRS line for map footers.

    >>> crs_text("EPSG:4547")
    '坐标系：CGCS2000 / 3-degree Gauss-Kruger CM 114E（EPSG:4547）'
    """
    from pyproj import CRS

    crs = CRS.from_user_input(crs)
    auth = crs.to_authority()
    code = f"（{auth[0]}:{auth[1]}）" if auth else ""
    return f"坐标系：{crs.name}{code}"


def annex_figure(plan: Plan, options=None, data: MapData | None = None, titles: bool = True,
                 page: Page | None = None):
    """The annex map as a matplotlib figure and a dict of what was drawn
    (``scale``, ``labelled``, ``unlabelled`` codes, ``warnings``).  With
    ``titles=False`` the page is only the framed map (a figure for Word);
    ``page`` overrides the paper from the options."""
    o = options if isinstance(options, OutputOptions) else OutputOptions.from_dict(options)
    font = find_cjk_font()
    if data is None:
        data = MapData.from_plan(plan, o.project, o.base_layers)
    page = page or Page(o.paper, o.landscape)
    sheet = Sheet(page, font)
    s = page.text_scale
    content = page.content
    title = o.title or default_title(plan)
    fs, cs = 9.0 * s, 6.5 * s                  # footer and credits text sizes
    credits = [crs_text(data.crs)] + [f"数据来源：{c}" for c in data.attributions()]
    if data.disclaimer:
        credits.append(data.disclaimer)
    credit_lines = wrap_text("；".join(credits), cs, content.w, font)
    if titles:
        th = sheet.title_height(title, o.subtitle, o.annex)
        title_r, rest = content.split_top(th)
        sheet.title_block(title_r, title, o.subtitle, o.annex)
        foot_h = 3.0 + fs * MM_PER_PT * 1.6 + len(credit_lines) * cs * MM_PER_PT * 1.35
    else:
        rest, foot_h = content, 0.0
    foot_r, frame_r = rest.split_bottom(foot_h)
    inner = sheet.frame(frame_r)
    mf = MapFrame(sheet, inner, data, data.bounds, pad=0.02)

    # furniture first: labels keep clear of it
    mf.draw_base_layers(labels=False)
    mf.draw_grids()
    mf.draw_jurisdiction()
    mf.draw_places(labels=False)              # compounds and other places: a legend row of their own
    small = 0.8 if not titles else 1.0           # a figure for Word is printed smaller: compact furniture
    mf.north_arrow(size=9 * small)
    mf.scale_block(size=7 * small)
    if o.inset:
        iw = inner.w * 0.22
        ih = iw * 0.8
        mf.inset(Rect(inner.x + 3, inner.top - ih - 3, iw, ih), highlight_geom=data.jurisdiction, context=True)
    mf.legend_block(size=7.5 * small)
    mf.label_grids()
    for bl in data.base_layers:
        if bl.label and bl.geom_kind == "line":
            mf.label_roads(bl.gdf[mf.visible(bl.gdf.geometry.values)], bl.label, 5.5)
    mf.draw_line_labels()

    # footer: issuer left, date right, CRS and credits centred under the frame
    y = foot_r.top - fs * MM_PER_PT - 2.0
    if titles and o.issuer:
        sheet.text(foot_r.x, y, f"编制单位：{o.issuer}", fs)
    if titles:
        sheet.text(foot_r.right, y, f"日期：{o.date_text()}", fs, ha="right")
        sheet.text(foot_r.x + foot_r.w / 2, y - fs * MM_PER_PT * 0.6, "\n".join(credit_lines), cs,
                   ha="center", va="top", color="#555555", linespacing=1.35)
    mf.footnote_unlabelled()
    texts = [title, o.subtitle, o.issuer, o.annex, *data.grids["code"], *data.grids["name"],
             *[lv.name for lv in plan.levels]]
    for bl in data.base_layers:
        if bl.label:
            texts += [str(v) for v in bl.gdf[bl.label].dropna().unique()]
    missing = missing_glyphs(texts, font)
    if missing:
        data.warnings.append(f"font {font.name} has no glyph for {''.join(missing[:20])!r}: "
                             "these characters print as empty boxes (set GRIDMAP_CJK_FONT to a fuller font)")
    info = {"scale": mf.n, "credits": credits, "extent": mf.extent, "map_mm": (inner.w, inner.h), "labelled": len(mf.placer.placed), "unlabelled": list(mf.unlabelled),
            "warnings": list(data.warnings), "scale_bar_mm": getattr(mf, "bar_mm", 0.0), "k": mf.k,
            "legend": [e.label for e in mf.legend]}
    return sheet.fig, info


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

