"""The editing state of the window: options, snapping, tracing, and the one
path every edit takes onto the undo stack.

Map tools (:mod:`gridmap.ui.edit_tools`), the inspector form, the people and
segments panels all call :meth:`EditController.push` with a core command from
:mod:`gridmap.core.editing.commands` — they never compute geometry
themselves.  ``push`` applies the command, refuses it (with a message in the
status bar) when it fails or would break a clean coverage
(:mod:`gridmap.ui.coverage_guard`), and puts it on the document's undo stack.

>>> from shapely import box
>>> from gridmap.core.plan import Plan
>>> plan = Plan.new("例", "EPSG:4547", "440306", levels="two")
>>> big = plan.add_grid(box(0, 0, 10, 10), "large", code="440306001000")
>>> a = plan.add_grid(box(0, 0, 5, 10), "small", parent=big, code="44030600100001")
>>> b = plan.add_grid(box(5, 0, 10, 10), "small", parent=big)
>>> propose_code(plan, b)
'44030600100002'
>>> bilingual("两个网格不相邻 / the two grids are not neighbours", "en")
'the two grids are not neighbours'
"""

from __future__ import annotations

import traceback

import shapely
from PySide6.QtCore import QObject, QSettings, Signal

from ..core import codes as _codes
from ..core.editing.commands import Macro
from ..core.editing.geometry import EditError
from ..core.editing.snapping import snap_point, trace
from ..core.plan import PlanError
from . import i18n
from .coverage_guard import KINDS, coverage_regressions

__all__ = ["EditController", "propose_code", "compose", "prune", "set_code_steps", "bilingual"]


def bilingual(message: str, lang: str) -> str:
    """The Chinese or English half of a core message written "中文 / English"."""
    if " / " in message:
        zh, en = message.split(" / ", 1)
        if any("\u4e00" <= ch <= "\u9fff" for ch in zh):
            return en if lang == "en" else zh
    return message


def propose_code(plan, grid_id: int) -> str:
    """A code for a grid from its level's pattern: the first sequence number
    under its parent that no other grid uses ("" when the pattern cannot give one)."""
    g = plan.grids
    lv = plan.level(str(g.at[grid_id, "level"]))
    parent = plan.parent_code(grid_id)
    used = set(g["code"].astype(str).drop(index=grid_id).tolist())
    for seq in range(1, 10_000):
        try:
            code = _codes.format_code(lv.code_pattern, seq, admin=plan.admin_code, parent=parent)
        except ValueError:
            return ""
        if code not in used:
            return code
    return ""


def prune(command, plan):
    """Drop the parts of a command that would not change anything (the editing core
    lists every grid it looked at; a grid whose geometry stays exactly the same need
    not be redrawn or re-checked).  Returns the command, or None when nothing is left.

    >>> from shapely import box
    >>> from gridmap.core.editing.commands import SetGeometries
    >>> from gridmap.core.plan import Plan
    >>> plan = Plan.new("例", "EPSG:4547", levels="two")
    >>> a = plan.add_grid(box(0, 0, 1, 1), "large")
    >>> b = plan.add_grid(box(1, 0, 2, 1), "large")
    >>> sorted(prune(SetGeometries("t", {a: box(0, 0, 1, 1), b: box(1, 0, 3, 1)}), plan).new)
    [2]
    """
    from ..core.editing.commands import SetGeometries, SetJurisdiction

    def same(x, y) -> bool:
        return x is y or (x is not None and y is not None and bool(shapely.equals_exact(x, y, 0.0)))

    if isinstance(command, Macro):
        command.commands[:] = [c for c in (prune(c, plan) for c in command.commands) if c is not None]
        return command if command.commands else None
    if isinstance(command, SetGeometries) and not command.old:
        df = getattr(plan, command.table)
        for k in [k for k, g in command.new.items() if k in df.index and same(df.geometry[k], g)]:
            del command.new[k]
        return command if command.new else None
    if isinstance(command, SetJurisdiction) and same(plan.jurisdiction, command.new):
        return None
    return command


def compose(plan, text: str, steps, empty: str = "没有可执行的修改 / nothing to change here") -> Macro:
    """One undo step from several edits, each computed on the plan as the
    previous ones left it.  ``steps`` are functions ``plan -> Command | list | None``.
    The plan is left unchanged (the returned macro is applied when pushed);
    when no step gives a command, ``EditError(empty)`` is raised."""
    done = []
    try:
        for step in steps:
            cmds = step(plan)
            if cmds is None:
                continue
            for cmd in (cmds if isinstance(cmds, (list, tuple)) else [cmds]):
                cmd = prune(cmd, plan)
                if cmd is None:
                    continue
                cmd.redo(plan)
                done.append(cmd)
    finally:
        for cmd in reversed(done):
            cmd.undo(plan)
    if not done:
        raise EditError(empty)
    return Macro(text, done)


def set_code_steps(new_ids):
    """Steps giving each grid of ``new_ids(plan)`` (evaluated when the step runs)
    that has no code a proposed one, one after another so no two get the same code."""
    from ..core.editing.commands import SetCells

    def step(plan):
        ids = [g for g in new_ids(plan) if g in plan.grids.index and not str(plan.grids.at[g, "code"] or "")]
        if not ids:
            return None

        def one(g):
            def s(p):
                code = propose_code(p, g)
                return SetCells("编码", "grids", int(g), {"code": code}) if code else None
            return s
        try:
            return compose(plan, "编码 Codes", [one(g) for g in ids])
        except EditError:
            return None
    return step


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
        plan = self.plan
        g = plan.grids[plan.grids["level"] == (level or self.edit_level())]
        if not len(g):
            return []
        hit = shapely.STRtree(g.geometry.values).query(line, predicate="intersects")
        hit = [i for i in hit if shapely.length(shapely.intersection(g.geometry.values[i], line)) > 0]
        return [int(g.index[i]) for i in hit]

    # ------------------------------------------------------------------ the one path of every edit
    def push(self, command, text: str, kinds=KINDS, select=None, empty: str | None = None) -> bool:
        """Apply an edit (a core command, a step ``plan -> command`` or a list of steps
        for :func:`compose`) as one
        undo step named ``text``.  Refused edits leave the plan as it was, emit
        :attr:`refused` with the reason and return False."""
        doc = self.document
        if doc is None:
            return False
        plan = doc.plan
        try:
            if callable(command) and not hasattr(command, "redo"):
                command = [command]
            if isinstance(command, (list, tuple)):
                command = compose(plan, text, command, **({"empty": empty} if empty else {}))
            elif prune(command, plan) is None:
                raise EditError(empty or "没有可执行的修改 / nothing to change here")
            verify = None
            if self.keep_clean and kinds:
                verify = lambda before, c=command: self._verify(c, before, kinds)  # noqa: E731
            doc.push(command, text, verify)
        except Exception as exc:  # the plan is left as it was; the user gets one line, never a traceback
            if isinstance(exc, (EditError, PlanError)):
                msg = bilingual(str(exc).strip("'\""), self.lang())
            else:
                traceback.print_exc()
                msg = self.tr("The edit failed: %1").replace("%1", f"{type(exc).__name__}: {exc}")
            self.last_error = msg
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

    def _verify(self, command, before, kinds) -> str | None:
        from .undo import changes_of

        plan = self.document.plan
        regs = coverage_regressions(before, plan, changes_of(command).grids, plan.level_keys, kinds)
        if not regs:
            return None
        r = regs[0]
        try:
            lv = plan.level(r.level)
            name = lv.name_en if self.lang() == "en" else lv.name
        except PlanError:
            name = r.level
        texts = {
            "invalid": self.tr("the edit would make an invalid %1 grid (self-intersecting or degenerate)"),
            "overlap": self.tr("the edit would make %1 grids overlap"),
            "gap": self.tr("the edit would leave a gap between %1 grids"),
            "outside": self.tr("the edit would put %1 grids outside the jurisdiction"),
            "nesting": self.tr("the edit would put part of a %1 grid outside its parent"),
        }
        return texts[r.kind].replace("%1", name)
