"""The editing state of the window: options, snapping, tracing, and the one
path every edit takes into the plan's edit buffer.

Map tools (:mod:`gridmap.ui.edit_tools`), the inspector form, the people and
segments panels all call :meth:`EditController.push` with a core command from
:mod:`gridmap.core.editing.commands` (or steps for
:class:`gridmap.core.editing.steps.Steps`) — they never compute geometry
themselves.  ``push`` hands the command to the document's
:class:`~gridmap.core.editing.buffer.EditBuffer`, which applies it once, checks
it with the core coverage guard (:mod:`gridmap.core.editing.guard`, regressions
only) and refuses it (the message goes to the status bar) when it fails or
would make a clean plan worse.

>>> bilingual("两个网格不相邻 / the two grids are not neighbours", "en")
'the two grids are not neighbours'
"""

from __future__ import annotations

import traceback

import shapely
from PySide6.QtCore import QObject, QSettings, Signal

from ..core.editing.geometry import EditError
from ..core.editing.guard import KINDS
from ..core.editing.snapping import snap_point, trace
from ..core.editing.steps import NOTHING, Steps, prune, propose_code
from ..core.plan import PlanError
from . import i18n

__all__ = ["EditController", "propose_code", "bilingual"]


def bilingual(message: str, lang: str) -> str:
    """The Chinese or English half of a core message written "中文 / English" (either order)."""
    if " / " in message:
        a, b = message.split(" / ", 1)
        if any("\u4e00" <= ch <= "\u9fff" for ch in a):
            return b if lang == "en" else a
        if any("\u4e00" <= ch <= "\u9fff" for ch in b.split(":")[0]):
            return a if lang == "en" else b
    return message


class EditController(QObject):
    """Editing options and the path of every edit onto the undo stack."""

    message = Signal(str)          # a status message (edit done)
    refused = Signal(str)          # an edit was refused or failed: why
    optionsChanged = Signal()

    OPTIONS = {"snapping": True, "snap_px": 12, "trace": False, "avoid_overlaps": True, "fill": False,
               "fill_width": 5.0, "topological": True, "keep_clean": True, "live_checks": True}

    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self.level: str | None = None            # the level drawn and edited (default: the lowest)
        self.snap_layer_ids: set | None = None   # base layers snapped to (None: every line layer)
        self.last_error = ""
        self.refusal_spot = None       # where the last refused edit failed (a geometry), when known
        self.offer = None              # (message, action text, action) -> None: a question after an edit
        self.last_command = None
        for k, v in self.OPTIONS.items():
            setattr(self, k, v)
        self.load_options()

    # ------------------------------------------------------------------ options
    def load_options(self) -> None:
        s = QSettings()
        for k, default in self.OPTIONS.items():
            v = s.value(f"edit/{k}", default)
            if isinstance(default, bool):
                v = v if isinstance(v, bool) else str(v).lower() == "true"
            else:
                try:
                    v = type(default)(v)
                except (TypeError, ValueError):
                    v = default
            setattr(self, k, v)

    def set_option(self, name: str, value) -> None:
        setattr(self, name, value)
        QSettings().setValue(f"edit/{name}", value)
        self.optionsChanged.emit()

    # ------------------------------------------------------------------ context
    @property
    def document(self):
        return self.window.document

    @property
    def plan(self):
        return self.window.document.plan if self.window.document is not None else None

    @property
    def canvas(self):
        return self.window.canvas

    def edit_level(self) -> str | None:
        plan = self.plan
        if plan is None or not plan.levels:
            return None
        if self.level in plan.level_keys:
            return self.level
        return plan.levels[-1].key

    def lang(self) -> str:
        return "en" if i18n.current_language() == "en" else "zh"

    def tolerance(self) -> float:
        """The snapping distance in map units (N pixels at the current zoom)."""
        return float(self.snap_px) * self.canvas.viewport.res

    def vertex_tol(self) -> float:
        """How close two vertices must be to be "the same" vertex (a fraction of a pixel)."""
        return max(self.canvas.viewport.res * 0.05, 1e-9)

    # ------------------------------------------------------------------ snapping
    def snap_layers(self) -> list:
        """Base layers with lines that snapping and tracing use."""
        out = []
        for layer in self.window.base_layers:
            if not getattr(layer, "ready", False) or not hasattr(layer, "tree") or getattr(layer, "family", "") != "line":
                continue
            if self.snap_layer_ids is None or layer.id in self.snap_layer_ids:
                out.append(layer)
        return out

    def candidates(self, box, grids: bool = True, roads: bool = True) -> list:
        """Features near a map box (xmin, ymin, xmax, ymax): grids of every level,
        the jurisdiction and the snapping base layers."""
        plan = self.plan
        if plan is None:
            return []
        q = shapely.box(*box)
        out = []
        if grids:
            from .layers.vector import GridLayer

            for layer in self.window.plan_layers:
                if isinstance(layer, GridLayer) and len(layer):
                    out.extend(layer.geoms[layer.tree.query(q)])
            if plan.jurisdiction is not None and shapely.intersects(plan.jurisdiction.envelope, q):
                out.append(plan.jurisdiction)
        if roads:
            for layer in self.snap_layers():
                if len(layer):
                    out.extend(layer.geoms[layer.tree.query(q)])
        return [g for g in out if g is not None]

    def snap(self, xy, modes=("vertex", "intersection", "edge"), grids: bool = True, roads: bool = True):
        """``(x, y, kind)``: the click moved onto the nearest vertex, crossing or edge
        within the snapping distance (kind None when nothing is near or snapping is off)."""
        x, y = float(xy[0]), float(xy[1])
        if not self.snapping or self.plan is None:
            return (x, y, None)
        tol = self.tolerance()
        geoms = self.candidates((x - tol, y - tol, x + tol, y + tol), grids=grids, roads=roads)
        return snap_point((x, y), geoms, tol, modes=modes)

    def trace_path(self, start, end) -> list[tuple[float, float]]:
        """Points along roads and grid boundaries from ``start`` to ``end`` (both
        included); raises EditError when they are not connected."""
        (x0, y0), (x1, y1) = start, end
        d = max(abs(x1 - x0), abs(y1 - y0)) * 0.5 + self.tolerance() * 2
        box = (min(x0, x1) - d, min(y0, y1) - d, max(x0, x1) + d, max(y0, y1) + d)
        lines = self.candidates(box)
        clip = shapely.box(*box)
        lines = [shapely.clip_by_rect(g.boundary if g.geom_type in ("Polygon", "MultiPolygon") else g, *box)
                 for g in lines if shapely.intersects(g, clip)]
        path = trace([g for g in lines if not g.is_empty], start, end)
        return [tuple(map(float, c)) for c in path.coords]

    # ------------------------------------------------------------------ grids at a place
    def grids_at(self, x: float, y: float, level: str | None = None, tolerance: float = 0.0) -> list[int]:
        """Grid ids of one level (default: the edit level) under a map point, smallest first."""
        from .layers.vector import GridLayer

        level = level or self.edit_level()
        for layer in self.window.plan_layers:
            if isinstance(layer, GridLayer) and layer.level_key == level:
                return [int(i) for i in layer.features_at(x, y, tolerance)]
        return []

    def grids_crossed(self, line, level: str | None = None) -> list[int]:
        """Grid ids of one level whose area a line passes through."""
        from .layers.vector import GridLayer

        plan = self.plan
        level = level or self.edit_level()
        for layer in self.window.plan_layers:       # the level's layer index (kept current per edit)
            if isinstance(layer, GridLayer) and layer.level_key == level and layer.follows(plan):
                pos = layer.tree.query(line, predicate="intersects")
                ids = [int(i) for i in layer.ids[pos] if int(i) in plan.grids.index] if len(pos) else []
                geoms = plan.grids.geometry.loc[ids].values if ids else []
                return sorted(i for i, gm in zip(ids, geoms)
                              if gm is not None and shapely.length(shapely.intersection(gm, line)) > 0)
        g = plan.grids[plan.grids["level"] == level]
        if not len(g):
            return []
        hit = shapely.STRtree(g.geometry.values).query(line, predicate="intersects")
        hit = [i for i in hit if shapely.length(shapely.intersection(g.geometry.values[i], line)) > 0]
        return [int(g.index[i]) for i in hit]

    # ------------------------------------------------------------------ the one path of every edit
    def push(self, command, text: str, kinds=KINDS, select=None, empty: str | None = None,
             merge_key=None) -> bool:
        """Apply an edit (a core command, a step ``plan -> command`` or a list of steps
        for :class:`~gridmap.core.editing.steps.Steps`) as one undo step named ``text``,
        guarded by the core coverage guard for ``kinds`` (only ``invalid`` when *keep clean*
        is off).
        ``merge_key``: pushes with the same key one after another (one drag) are one
        undo step.  Refused edits leave the plan as it was, emit :attr:`refused` with
        the reason and return False."""
        doc = self.document
        if doc is None:
            return False
        plan = doc.plan
        try:
            if callable(command) and not hasattr(command, "redo"):
                command = [command]
            if isinstance(command, (list, tuple)):
                command = Steps(text, command, empty=empty or NOTHING)
            elif prune(command, plan) is None:
                raise EditError(empty or NOTHING)
            if merge_key is not None:
                command.merge_key = merge_key
            # *keep clean* off: gaps and overlaps are allowed, invalid grids never are
            guard = tuple(k for k in (kinds or ()) if self.keep_clean or k == "invalid")
            doc.push(command, text, guard=guard)
        except Exception as exc:  # the plan is left as it was; the user gets one line, never a traceback
            if isinstance(exc, (EditError, PlanError)):
                msg = bilingual(str(exc).strip("'\""), self.lang())
            else:
                traceback.print_exc()
                msg = self.tr("The edit failed: %1").replace("%1", f"{type(exc).__name__}: {exc}")
            self.last_error = msg
            self.refusal_spot = getattr(exc, "where", None)
            self.refused.emit(msg)
            return False
        self.last_error = ""
        self.last_command = command
        if select is not None:
            ids = select(command) if callable(select) else select
            ids = [int(i) for i in ids if int(i) in plan.grids.index]
            if ids:
                doc.set_selection(ids)
        self.message.emit(text)
        return True
