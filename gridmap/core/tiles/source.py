"""A tile source as the plan records it: a URL template and options (its tile grid
— Web Mercator unless a WMTS matrix set is recorded —, subdomains, datum, zoom range).

>>> s = TileSource.from_style("http://h/{z}/{x}/{y}.png", {"max_zoom": 16, "min_zoom": 3})
>>> [m.level for m in s.matrices()][:2], s.matrices()[-1].level, s.grid.is_web_mercator
([3, 4], 16, True)
>>> s.url(s.grid.matrix(5), 1, 2)
'http://h/5/1/2.png'
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .grid import TileGrid, TileMatrix, expand_url, web_mercator_grid

__all__ = ["TileSource"]


@dataclass
class TileSource:
    template: str
    grid: TileGrid = field(default_factory=lambda: web_mercator_grid(0, 22))
    subdomains: str = ""
    datum: str = "wgs84"
    min_zoom: int = 0
    max_zoom: int = 19

    @classmethod
    def from_style(cls, template: str, style: dict | None) -> TileSource:
        style = style or {}
        g = style.get("grid")
        grid = TileGrid.from_dict(g) if isinstance(g, dict) and g.get("matrices") else web_mercator_grid(0, 22)
        levels = [m.level for m in grid.matrices] or [0]
        try:
            lo = int(style.get("min_zoom", min(levels)))
            hi = int(style.get("max_zoom", 19 if not isinstance(g, dict) else max(levels)))
        except (TypeError, ValueError):
            lo, hi = min(levels), max(levels)
        return cls(str(template), grid, str(style.get("subdomains", "") or ""),
                   str(style.get("datum", "wgs84") or "wgs84"), max(lo, min(levels)), min(hi, max(levels)))

    @property
    def gcj(self) -> bool:
        return self.datum.lower().replace("-", "") == "gcj02"

    def matrices(self) -> list[TileMatrix]:
        return self.grid.levels(self.min_zoom, self.max_zoom)

    def url(self, m: TileMatrix, x: int, y: int, key: str = "") -> str:
        return expand_url(self.template, m.ident, x, y, self.subdomains, key)
