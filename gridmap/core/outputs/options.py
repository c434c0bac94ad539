"""Options shared by every output, parsed once from a plain dict (the CLI's
``options``) with clear messages for bad values.

>>> o = OutputOptions.from_dict({"paper": "a3", "landscape": True, "title": "附件1"})
>>> o.paper, o.landscape, o.title, o.dpi
('A3', True, '附件1', 300)
>>> OutputOptions.from_dict({"paper": "B5"})
Traceback (most recent call last):
...
gridmap.core.outputs.errors.OutputError: paper 'B5' is not one of A4, A3
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field, fields
from pathlib import Path

from .errors import OutputError

__all__ = ["OutputOptions", "PAPERS", "today_text", "plan_title"]

# Paper sizes in millimetres, portrait (width, height).
PAPERS: dict[str, tuple[float, float]] = {"A4": (210.0, 297.0), "A3": (297.0, 420.0)}


def today_text(day: _dt.date | None = None) -> str:
    """A date the way official documents write it.

    >>> today_text(_dt.date(2024, 3, 5))
    '2024年3月5日'
    """
    day = day or _dt.date.today()
    return f"{day.year}年{day.month}月{day.day}日"


# kind → (what replaces "划分方案" in a plan's name, what follows a name with 网格 in it, what follows a bare name)
_TITLES = {
    "map": ("划分示意图", "示意图", "网格化管理划分示意图"),
    "table": ("划分表", "划分表", "网格化管理划分表"),
    "atlas": ("划分图册", "图册", "网格图册"),
    "web": ("划分网页地图", "网页地图", "网格化管理网页地图"),
}


def plan_title(name: str, kind: str) -> str:
    """The default title of an output (``map``, ``table``, ``atlas``, ``web``) from the plan's name.

    >>> plan_title("新安街道网格化管理划分方案（示例）", "map")
    '新安街道网格化管理划分示意图（示例）'
    >>> plan_title("新安街道", "table"), plan_title("测试方案", "atlas"), plan_title("新安网格", "web")
    ('新安街道网格化管理划分表', '测试方案网格图册', '新安网格网页地图')
    """
    replace, after_grid, after_name = _TITLES[kind]
    name = str(name).strip()
    if "划分方案" in name:
        i = name.rindex("划分方案")
        return name[:i] + replace + name[i + 4:]
    if "网格" in name:
        return name + after_grid
    return name + after_name


@dataclass
class OutputOptions:
    """Everything the annex map, atlas, Word annex and web map can be told.

    ``project`` is the plan's file: base layers are stored relative to it.
    ``level`` picks the grid level of atlas pages (default: the lowest).
    ``color_by`` colours the web map by ``"large"`` (top-level grid) or ``"level"``.
    """

    paper: str = "A4"
    landscape: bool = False
    title: str = ""
    subtitle: str = ""
    issuer: str = ""
    date: str = ""
    annex: str = ""
    dpi: int = 300
    inset: bool = False
    project: Path | None = None
    level: str = ""
    color_by: str = "large"
    base_layers: bool = True
    layout: str = "gongwen"          # "gongwen": GB/T 9704 margins and 版心; "full": the page nearly to its edges
    extra: dict = field(default_factory=dict)

    @classmethod
    def from_dict(cls, options: dict | None) -> OutputOptions:
        options = dict(options or {})
        if options.get("project") is None and options.get("project_path") is not None:
            options["project"] = options.pop("project_path")    # the name ``gridmap export`` passes
        known = {f.name for f in fields(cls)} - {"extra"}
        kw = {k: v for k, v in options.items() if k in known and v is not None}
        extra = {k: v for k, v in options.items() if k not in known}
        o = cls(**kw, extra=extra)
        o.paper = str(o.paper).upper()
        if o.paper not in PAPERS:
            raise OutputError(f"paper {o.paper!r} is not one of {', '.join(PAPERS)}")
        try:
            o.dpi = int(o.dpi)
        except (TypeError, ValueError):
            raise OutputError(f"dpi {o.dpi!r} is not a whole number") from None
        if not 50 <= o.dpi <= 1200:
            raise OutputError(f"dpi {o.dpi} is out of range (50–1200)")
        if o.color_by not in ("large", "level"):
            raise OutputError(f"color_by {o.color_by!r} is not 'large' or 'level'")
        for name in ("title", "subtitle", "issuer", "date", "annex", "level"):
            setattr(o, name, str(getattr(o, name) or ""))
        o.landscape = bool(o.landscape)
        o.layout = str(o.layout or "gongwen").lower()
        if o.layout not in ("gongwen", "full"):
            raise OutputError(f"layout {o.layout!r} is not 'gongwen' (GB/T 9704) or 'full'")
        o.inset = bool(o.inset)
        if o.project is not None:
            o.project = Path(o.project)
        return o

    def date_text(self) -> str:
        return self.date or today_text()
