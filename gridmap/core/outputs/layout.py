"""Pages: paper size and orientation, binding margin, title block, frame.

Everything on a page is placed in millimetres from the page's lower-left
corner.  The binding margin (装订边) is wider, on the left.  A
:class:`Sheet` is one matplotlib figure (no pyplot, no Qt) with a full-page
axes whose data units are millimetres.

Two layouts: ``gongwen`` (GB/T 9704 公文: top margin 37 mm, binding margin
28 mm, 版心 156 × 225 mm on A4; a landscape page turns the 版心, 225 × 156
with the binding margin at the top) and ``full`` (the page nearly to its
edges, a 25 mm binding margin).

>>> Page("A4").content
Rect(x=28.0, y=35.0, w=156.0, h=225.0)
>>> Page("A4", landscape=True).content
Rect(x=37.0, y=26.0, w=225.0, h=156.0)
>>> page = Page("A4", landscape=True, layout="full")
>>> page.size_mm
(297.0, 210.0)
>>> page.content
Rect(x=25.0, y=12.0, w=260.0, h=186.0)
>>> Rect(0, 0, 100, 50).split_top(10)
(Rect(x=0, y=40, w=100, h=10), Rect(x=0, y=0, w=100, h=40))
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from .errors import OutputError
from .fonts import CJKFont
from .options import PAPERS

__all__ = ["Page", "Rect", "Sheet", "save_figure", "MM_PER_PT", "LAYOUTS", "GONGWEN_MARGINS"]

LAYOUTS = ("gongwen", "full")
# GB/T 9704-2012 on A4 portrait: top 37, bottom 35, left (binding) 28, right 26 mm → 版心 156 × 225 mm.
GONGWEN_MARGINS = {"top": 37.0, "bottom": 35.0, "left": 28.0, "right": 26.0}

MM_PER_PT = 25.4 / 72.0


class Rect(NamedTuple):
    """A rectangle in millimetres: lower-left corner, width, height."""

    x: float
    y: float
    w: float
    h: float

    @property
    def right(self) -> float:
        return self.x + self.w

    @property
    def top(self) -> float:
        return self.y + self.h

    def inset(self, d: float) -> Rect:
        """The rectangle shrunk by ``d`` mm on every side.

        >>> Rect(0, 0, 10, 10).inset(1)
        Rect(x=1, y=1, w=8, h=8)
        """
        return Rect(self.x + d, self.y + d, self.w - 2 * d, self.h - 2 * d)

    def split_top(self, h: float) -> tuple[Rect, Rect]:
        """(a band of height ``h`` at the top, the rest below)."""
        return Rect(self.x, self.top - h, self.w, h), Rect(self.x, self.y, self.w, self.h - h)

    def split_bottom(self, h: float) -> tuple[Rect, Rect]:
        """(a band of height ``h`` at the bottom, the rest above)."""
        return Rect(self.x, self.y, self.w, h), Rect(self.x, self.y + h, self.w, self.h - h)


@dataclass(frozen=True)
class Page:
    """A sheet of paper: ``A4``/``A3``, portrait or landscape, with a wider
    binding margin on the left."""

    paper: str = "A4"
    landscape: bool = False
    binding_mm: float = 25.0
    margin_mm: float = 12.0
    custom_mm: tuple[float, float] | None = None   # a figure of this size (mm) instead of a paper
    layout: str = "gongwen"                         # "gongwen" (GB/T 9704 版心) or "full"

    def __post_init__(self):
        if self.custom_mm is None and self.paper not in PAPERS:
            raise OutputError(f"paper {self.paper!r} is not one of {', '.join(PAPERS)}")
        if self.layout not in LAYOUTS:
            raise OutputError(f"layout {self.layout!r} is not one of {', '.join(LAYOUTS)}")

    @property
    def gongwen(self) -> bool:
        return self.layout == "gongwen" and self.custom_mm is None

    @property
    def margins(self) -> dict[str, float]:
        """Margins (mm) of the page: ``top``, ``bottom``, ``left``, ``right``."""
        w, h = self.size_mm
        c = self.content
        return {"top": h - c.top, "bottom": c.y, "left": c.x, "right": w - c.right}

    @property
    def size_mm(self) -> tuple[float, float]:
        if self.custom_mm is not None:
            return tuple(float(v) for v in self.custom_mm)
        w, h = PAPERS[self.paper]
        return (h, w) if self.landscape else (w, h)

    @property
    def content(self) -> Rect:
        """The page inside its margins."""
        w, h = self.size_mm
        if self.gongwen:
            g = GONGWEN_MARGINS
            if self.landscape:   # the 版心 turned: the binding margin at the top, the top margin at the left
                return Rect(g["top"], g["right"], w - g["top"] - g["bottom"], h - g["left"] - g["right"])
            return Rect(g["left"], g["bottom"], w - g["left"] - g["right"], h - g["top"] - g["bottom"])
        m = self.margin_mm
        return Rect(self.binding_mm, m, w - self.binding_mm - m, h - 2 * m)

    @property
    def text_scale(self) -> float:
        """Title sizes grow with the paper: 1 on A4, 1.25 on A3."""
        return 1.25 if self.paper == "A3" and self.custom_mm is None else 1.0


class Sheet:
    """One page as a matplotlib figure, drawn in millimetres."""

    def __init__(self, page: Page, font: CJKFont):
        from matplotlib.figure import Figure

        self.page, self.font = page, font
        w, h = page.size_mm
        self.fig = Figure(figsize=(w / 25.4, h / 25.4))
        self.ax = self.fig.add_axes((0, 0, 1, 1), zorder=10)   # above every map axes
        self.ax.set_xlim(0, w)
        self.ax.set_ylim(0, h)
        self.ax.set_axis_off()

    # ------------------------------------------------------------------ placing
    def axes(self, rect: Rect, zorder: float = 1.0):
        """A new axes filling ``rect`` (mm), without ticks or spines."""
        w, h = self.page.size_mm
        ax = self.fig.add_axes((rect.x / w, rect.y / h, rect.w / w, rect.h / h), zorder=zorder)
        ax.set_axis_off()
        return ax

    def text(self, x: float, y: float, s: str, size: float, ha: str = "left", va: str = "baseline",
             font: CJKFont | None = None, bold: bool = False, **kw):
        """Real (selectable) text at (x, y) mm, in ``font`` (default: the sheet's);
        ``bold`` thickens a font that has no bold face with a thin outline."""
        prop = (font or self.font).prop(size)
        if bold:   # an outline under the real text (the text itself stays selectable)
            from matplotlib import patheffects

            self.ax.text(x, y, s, fontproperties=prop, ha=ha, va=va, **kw).set_path_effects(
                [patheffects.Stroke(linewidth=size * 0.035, foreground=kw.get("color", "black"))])
        return self.ax.text(x, y, s, fontproperties=prop, ha=ha, va=va, **kw)

    def text_width_mm(self, s: str, size: float, font: CJKFont | None = None) -> float:
        from .measure import text_size_pt

        return text_size_pt(s, size, font or self.font)[0] * MM_PER_PT

    def rect(self, r: Rect, lw: float = 0.5, color: str = "black", fill: str | None = None, **kw):
        from matplotlib.patches import Rectangle

        patch = Rectangle((r.x, r.y), r.w, r.h, linewidth=lw, edgecolor=color,
                          facecolor=fill or "none", fill=fill is not None, **kw)
        self.ax.add_patch(patch)
        return patch

    def line(self, xs, ys, lw: float = 0.5, color: str = "black", **kw):
        return self.ax.plot(xs, ys, linewidth=lw, color=color, solid_capstyle="butt", **kw)

    def frame(self, r: Rect, gap: float = 1.5) -> Rect:
        """A map frame (图廓): a heavy outer line and a thin inner line ``gap`` mm
        inside; returns the inner rectangle."""
        self.rect(r, lw=1.6)
        inner = r.inset(gap)
        self.rect(inner, lw=0.5)
        return inner

    def title_block(self, r: Rect, title: str, subtitle: str = "", annex: str = "") -> None:
        """Annex label (附件N) at the top left, title and subtitle centred in ``r``."""
        s = self.page.text_scale
        if annex:
            self.text(r.x, r.top - 6 * s, annex, 14 * s, va="baseline")
        y = r.top - (16 if annex else 9) * s
        if title:
            self.text(r.x + r.w / 2, y, title, self.fit_size(title, 20 * s, r.w), ha="center")
        if subtitle:
            self.text(r.x + r.w / 2, y - 8 * s, subtitle, self.fit_size(subtitle, 11 * s, r.w), ha="center",
                      color="#333333")

    def fit_size(self, text: str, size: float, width_mm: float, smallest: float = 6.0) -> float:
        """``size``, or the largest smaller size (0.5 pt steps) at which ``text`` fits ``width_mm``."""
        while size > smallest and self.text_width_mm(text, size) > width_mm:
            size -= 0.5
        return size

    def title_height(self, title: str, subtitle: str = "", annex: str = "") -> float:
        """Height (mm) :meth:`title_block` needs."""
        s = self.page.text_scale
        h = (16 if annex else 9) * s + (8 * s if subtitle else 0) + 5 * s
        return h if (title or subtitle or annex) else 0.0


def save_figure(figs, path, fmt: str, dpi: int = 300, metadata: dict | None = None) -> Path:
    """Write one figure (PNG/TIFF/PDF) or several (PDF pages) with fonts
    embedded as TrueType (selectable text)."""
    import matplotlib

    path = Path(path)
    if not path.parent.is_dir():
        raise OutputError(f"{path}: folder {path.parent} does not exist")
    figs = list(figs) if isinstance(figs, (list, tuple)) else [figs]
    # rasters: glyphs unhinted, so text is as wide as measured (and as in the PDF) at any dpi — hinted
    # advances round up to whole pixels and a 7.5 pt line grew 5 % at 72 dpi, past the margins
    rc = {"pdf.fonttype": 42, "ps.fonttype": 42, "svg.fonttype": "none", "pdf.compression": 6,
          "text.hinting": "no_hinting"}
    try:
        with matplotlib.rc_context(rc):
            if fmt == "pdf":
                from matplotlib.backends.backend_pdf import PdfPages

                with PdfPages(path, metadata=metadata or {}) as pdf:
                    for fig in figs:
                        pdf.savefig(fig)
            elif fmt == "png":
                figs[0].savefig(path, format="png", dpi=dpi, metadata={"Software": "gridmap"})
            elif fmt in ("tif", "tiff"):
                import io

                from PIL import Image

                buf = io.BytesIO()
                figs[0].savefig(buf, format="png", dpi=dpi)
                buf.seek(0)
                with Image.open(buf) as im:   # RGB (no alpha), LZW, resolution tags set
                    im.convert("RGB").save(path, format="TIFF", compression="tiff_lzw", dpi=(dpi, dpi))
            else:
                raise OutputError(f"{path}: unknown image format {fmt!r}")
    except OSError as exc:
        raise OutputError(f"{path}: cannot write ({exc.strerror or exc})") from exc
    return path
