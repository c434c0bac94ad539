"""The layer interface and the render context handed to it."""

from __future__ import annotations

import itertools
import json
import threading
from dataclasses import dataclass, field
from typing import Callable

from PySide6.QtGui import QColor, QPainter

from ...core.view.viewport import Viewport

__all__ = ["MapLayer", "RenderContext", "Cancelled", "qcolor", "parse_style", "local_transformer", "crs_text"]

_ids = itertools.count(1)


_local = threading.local()


def crs_text(crs) -> str:
    """A CRS as WKT text: the form CRSs cross threads in.

    pyproj objects keep the PROJ context of the thread that made them and must
    not be used from another thread, so threads exchange WKT and build their own.
    """
    return crs if isinstance(crs, str) else crs.to_wkt()


def local_transformer(src, dst):
    """An always_xy pyproj Transformer owned by the calling thread (cached per thread).

    >>> t = local_transformer("EPSG:4326", "EPSG:4547")
    >>> round(t.transform(114.0, 22.5)[0])
    500000
    """
    from pyproj import Transformer

    key = (crs_text(src), crs_text(dst))
    cache = getattr(_local, "transformers", None)
    if cache is None:
        cache = _local.transformers = {}
    t = cache.get(key)
    if t is None:
        t = cache[key] = Transformer.from_crs(key[0], key[1], always_xy=True)
    return t


from ...core.workers import Cancelled  # noqa: E402  (raised inside a render, load or check when cancelled)


@dataclass
class RenderContext:
    """What a layer needs to draw one frame."""

    painter: QPainter
    viewport: Viewport
    cancelled: Callable[[], bool] = lambda: False
    labels: bool = True
    stats: dict = field(default_factory=dict)

    def check(self) -> None:
        if self.cancelled():
            raise Cancelled()


def qcolor(text: str | None, alpha: float | None = None) -> QColor:
    """A ``QColor`` from ``#rrggbb``/``#aarrggbb``/a colour name, with an optional alpha 0–1.

    >>> qcolor("#ff0000", 0.5).alpha()
    128
    """
    c = QColor(text or "#000000")
    if not c.isValid():
        c = QColor("#000000")
    if alpha is not None:
        c.setAlphaF(max(0.0, min(1.0, float(alpha))))
    return c


def parse_style(text: str | dict | None) -> dict:
    """A style dict from the JSON text stored in a plan's ``base_layers.style``.

    >>> parse_style('{"stroke": "#123456"}')["stroke"]
    '#123456'
    >>> parse_style("not json")
    {}
    """
    if isinstance(text, dict):
        return dict(text)
    if not text:
        return {}
    try:
        value = json.loads(text)
    except (TypeError, ValueError):
        return {}
    return value if isinstance(value, dict) else {}


class MapLayer:
    """Base class of everything drawn on the canvas.

    ``group`` is ``"plan"`` for the plan's own layers and ``"base"`` for base
    maps.  ``revision`` goes up whenever what the layer draws changes, which
    invalidates the canvas's cached image of it.  ``record_id`` is the row id
    in ``plan.base_layers`` for base layers recorded in the plan.
    """

    kind = "layer"
    default_style: dict = {}

    def __init__(self, name: str, *, visible: bool = True, opacity: float = 1.0,
                 style: dict | None = None, group: str = "base"):
        self.id = next(_ids)
        self.name = name
        self.visible = bool(visible)
        self.opacity = float(opacity)
        self.style = {**self.default_style, **(style or {})}
        self.group = group
        self.revision = 0
        self.error = ""
        self.ready = False
        self.record_id: int | None = None
        self.notice = ""  # a quiet message for the status bar (e.g. tiles offline)
        self._lock = threading.RLock()

    # ------------------------------------------------------------------ lifecycle
    def load(self, project_crs, cancelled: Callable[[], bool] = lambda: False) -> None:
        """Read and reproject the layer's data (worker thread). Sets ``ready``."""
        self.ready = True

    def extent(self):
        """(xmin, ymin, xmax, ymax) in the project CRS, or None if unknown."""
        return None

    def render(self, ctx: RenderContext) -> None:  # pragma: no cover - interface
        """Draw into ``ctx.painter`` (worker thread); call ``ctx.check()`` often."""

    def touch(self) -> None:
        """Mark the layer changed so the canvas renders it again."""
        self.revision += 1

    def set_style(self, **changes) -> None:
        self.style.update(changes)
        self.touch()

    def style_json(self) -> str:
        return json.dumps(self.style, ensure_ascii=False, sort_keys=True)

    def fields(self) -> list[str]:
        """Attribute fields that can label the features."""
        return []

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.id} {self.name!r}>"
