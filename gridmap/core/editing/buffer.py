"""The edit buffer: the one place where a plan is changed, undone and recorded.

In the manner of QGIS's edit buffer, every change is a core command
(:mod:`gridmap.core.editing.commands`); :class:`EditBuffer` owns the plan,
applies commands, keeps undo/redo, knows the saved position ("modified" means
not at it) and tells its listeners exactly what changed
(:class:`~gridmap.core.editing.changes.Changes`) after every push, undo and
redo.  Every push, undo and redo is also kept in :attr:`EditBuffer.journal`;
:meth:`EditBuffer.changesets` serialises it (see
:mod:`gridmap.core.editing.changeset`).  The desktop app's ``QUndoStack`` is a
view of a buffer (:mod:`gridmap.ui.document`).

>>> from shapely import box
>>> from gridmap.core.plan import Plan
>>> from gridmap.core.editing.commands import SetCells, SetGeometries
>>> plan = Plan.new("例", "EPSG:4547", levels="two")
>>> g = plan.add_grid(box(0, 0, 1, 1), "large")
>>> buf = EditBuffer(plan)
>>> seen = []
>>> _ = buf.subscribe(lambda ch: seen.append((ch.how, sorted(ch.modified("grids")))))
>>> _ = buf.push(SetCells("名称", "grids", g, {"name": "甲"}))
>>> buf.dirty, buf.can_undo
(True, True)
>>> buf.undo(); buf.dirty, plan.grids.at[g, "name"], seen
(False, '', [('push', [1]), ('undo', [1])])

Two pushes with the same ``merge_key`` (one drag) are one undo step:

>>> a = SetGeometries("拖动", {g: box(0, 0, 2, 1)}); a.merge_key = "drag"
>>> b = SetGeometries("拖动", {g: box(0, 0, 3, 1)}); b.merge_key = "drag"
>>> _ = buf.push(a); _ = buf.push(b); len(buf.commands), plan.grids.geometry[g].bounds
(1, (0.0, 0.0, 3.0, 1.0))
>>> buf.undo(); plan.grids.geometry[g].bounds
(0.0, 0.0, 1.0, 1.0)
"""

from __future__ import annotations

import time as _time
from typing import Callable

from ..plan import Plan
from .changes import Changes, changes_of

__all__ = ["EditBuffer", "PlanSnapshot"]

_TABLES = ("grids", "units", "people", "roles", "segments", "places", "base_layers",
           "assess_items", "assess_scores", "ledger", "survey")


class PlanSnapshot:
    """The plan's parts as they were before an edit, to check the edit against and
    to restore the plan if it is refused or fails half-way.  Tables are shallow
    copies: pandas copy-on-write (switched on by :mod:`gridmap.core.requirements`)
    keeps them intact when the plan is edited in place."""

    def __init__(self, plan: Plan):
        self.levels = list(plan.levels)
        self.level_keys = [lv.key for lv in plan.levels]
        self.crs = plan.crs
        self.jurisdiction = plan.jurisdiction
        self.settings = dict(plan.settings)
        for t in _TABLES:
            setattr(self, t, getattr(plan, t).copy(deep=False))
        # the grids near a place as they are now, from an index kept elsewhere (the window's
        # grid layers): the edit guard measures only the grids around an edit with it
        finder = plan.__dict__.get("_neighbour_index")
        frozen = getattr(finder, "frozen", None)
        self.neighbours = frozen() if frozen is not None else None

    def restore(self, plan: Plan) -> None:
        plan.jurisdiction = self.jurisdiction
        plan.settings = dict(self.settings)
        for t in _TABLES:
            setattr(plan, t, getattr(self, t).copy(deep=False))


class EditBuffer:
    """Applies commands to a plan, keeps them for undo/redo and reports what changed.

    ``subscribe(callback)``: ``callback(changes)`` after every push, undo and redo.
    ``index``: how many commands are applied; ``clean_index``: the saved position
    (-1 when it can no longer be reached); ``dirty``: not at the saved position.
    """

    def __init__(self, plan: Plan, author: str = ""):
        self.plan = plan
        self.author = author
        self.commands: list = []
        self.index = 0
        self.clean_index = 0
        self.listeners: list[Callable[[Changes], None]] = []
        #: every push/undo/redo in order: ``(how, command, author, unix time)``
        self.journal: list[tuple] = []
        #: whether the last push merged into the previous step
        self.last_merged = False
        #: who may make an edit (a shared plan, :mod:`gridmap.ui.shared_session`):
        #: ``permit(command, before, plan)`` after the command is applied, a refusal message or None
        self.permit: Callable | None = None

    # ------------------------------------------------------------------ listeners
    def subscribe(self, callback: Callable[[Changes], None]) -> Callable[[], None]:
        """Call ``callback(changes)`` after every edit; returns a function that unsubscribes."""
        self.listeners.append(callback)

        def unsubscribe():
            if callback in self.listeners:
                self.listeners.remove(callback)
        return unsubscribe

    def _notify(self, command, how: str) -> Changes:
        ch = changes_of(command, how)
        for f in list(self.listeners):
            f(ch)
        return ch

    # ------------------------------------------------------------------ edits
    def push(self, command, verify: Callable | None = None, text: str | None = None, guard=None):
        """Apply ``command`` and keep it as one undo step (or merge it into the previous
        step when both have the same ``merge_key``).

        The coverage guard (:mod:`gridmap.core.editing.guard`, "regressions only") is
        applied once, after the command: ``guard`` lists its checks (default: the
        command's own ``guard``, set by the edit function; ``()``: none).  A refused
        edit is rolled back from the snapshot taken before it and ``EditError`` raised.
        ``verify(before)`` (optional) gets that :class:`PlanSnapshot` too; if it
        returns a message the edit is refused the same way.  An edit that fails
        half-way leaves the plan as it was.
        """
        from . import guard as _guard
        from .geometry import EditError

        if text:
            command.text = text
        kinds = tuple(getattr(command, "guard", ()) if guard is None else guard)
        before = PlanSnapshot(self.plan)
        try:
            command.redo(self.plan)
            problem = self.permit(command, before, self.plan) if self.permit is not None else None
            if not problem and verify is not None:
                problem = verify(before)
            if not problem and kinds:
                problem = _guard.refusal(before, self.plan, changes_of(command).grids, kinds,
                                         what=getattr(command, "what", "") or "",
                                         hint=getattr(command, "hint", "") or "")
        except BaseException:
            before.restore(self.plan)
            raise
        if problem:
            where = _changed_area(before, self.plan, changes_of(command).grids)
            before.restore(self.plan)
            raise EditError(problem, where=where)
        del self.commands[self.index:]
        if self.clean_index > self.index:
            self.clean_index = -1
        key = getattr(command, "merge_key", None)
        top = self.commands[-1] if self.commands else None
        merged = None
        if (key is not None and top is not None and getattr(top, "merge_key", None) == key
                and self.clean_index != self.index):
            merged = top.merge_with(command)
        self.last_merged = merged is not None
        if merged is not None:
            self.commands[-1] = merged
        else:
            self.commands.append(command)
            self.index += 1
        self.journal.append(("push", command, self.author, _time.time()))
        self._notify(command, "push")
        return command

    def undo(self) -> None:
        if not self.can_undo:
            return
        self.index -= 1
        cmd = self.commands[self.index]
        cmd.undo(self.plan)
        self.journal.append(("undo", cmd, self.author, _time.time()))
        self._notify(cmd, "undo")

    def redo(self) -> None:
        if not self.can_redo:
            return
        cmd = self.commands[self.index]
        cmd.redo(self.plan)
        self.index += 1
        self.journal.append(("redo", cmd, self.author, _time.time()))
        self._notify(cmd, "redo")

    # ------------------------------------------------------------------ state
    @property
    def can_undo(self) -> bool:
        return self.index > 0

    @property
    def can_redo(self) -> bool:
        return self.index < len(self.commands)

    @property
    def dirty(self) -> bool:
        return self.index != self.clean_index

    is_dirty = dirty

    def set_clean(self) -> None:
        """Mark the current state as saved."""
        self.clean_index = self.index

    def history(self) -> list[str]:
        """The text of every step, oldest first."""
        return [c.text for c in self.commands]

    def changesets(self) -> list[dict]:
        """The journal as JSON-ready changesets (see :mod:`gridmap.core.editing.changeset`)."""
        from .changeset import changeset

        return [changeset(cmd, how=how, author=author, time=t) for how, cmd, author, t in self.journal]


def _changed_area(before, plan, grids):
    """Where a refused edit changed the grids (the symmetric difference of their outlines
    before and after), shown to the user beside the refusal; None if it cannot be told."""
    import shapely

    try:
        ids = [int(i) for i in grids]

        def outline(state):
            g = state.grids
            geoms = [g.geometry[i] for i in ids if i in g.index and g.geometry[i] is not None]
            return shapely.union_all(geoms) if geoms else shapely.Polygon()

        a, b = outline(plan), outline(before)
        d = shapely.symmetric_difference(a, b)
        return None if d.is_empty else d
    except Exception:  # noqa: BLE001 - only the drawing of the spot is lost
        return None
