"""Undoable edits of a plan (the QGIS edit-buffer idea, without Qt).

Every change to a plan is a :class:`Command` with ``redo(plan)`` and
``undo(plan)``; an :class:`~gridmap.core.editing.buffer.EditBuffer` applies
them, so undo, redo and "has the plan changed since it was saved" are one
mechanism.  The desktop app's ``QUndoStack`` is a view of that buffer; tests
and scripts use the buffer directly.  An edit function marks its command with
the coverage checks it needs (``command.guard``); the buffer applies them once,
when the command is pushed (:mod:`gridmap.core.editing.guard`).

Edit functions (``draw_grid``, ``split_grid``, ``merge_grids`` …) compute the
new geometries with :mod:`gridmap.core.editing.geometry` and return a command
without applying it, so a tool can preview it first.

>>> from shapely import box
>>> from gridmap.core.plan import Plan
>>> plan = Plan.new("例", "EPSG:4547", "440306", levels="two")
>>> plan.set_jurisdiction(box(0, 0, 100, 100))
>>> stack = EditBuffer(plan)
>>> big = stack.push(draw_grid(plan, box(0, 0, 100, 100).exterior.coords, "large")).new_id
>>> west = stack.push(draw_grid(plan, [(0, 0), (60, 0), (60, 100), (0, 100)], "small")).new_id
>>> east = stack.push(draw_grid(plan, [(40, 0), (100, 0), (100, 100), (40, 100)], "small")).new_id
>>> plan.grids.geometry[east].bounds            # clipped to its neighbour: no overlap
(60.0, 0.0, 100.0, 100.0)
>>> stack.undo(); len(plan.grids), stack.can_redo
(2, True)
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import shapely

from ..plan import (ASSESS_ITEM_COLUMNS, BASE_LAYER_COLUMNS, GRID_COLUMNS, LEDGER_COLUMNS, PERSON_COLUMNS,
                    PLACE_COLUMNS, ROLE_COLUMNS, SCORE_COLUMNS, SEGMENT_COLUMNS, SURVEY_COLUMNS, UNIT_COLUMNS,
                    Plan, PlanError, coerce, coerce_value)
from .. import lineage as _lineage
from . import geometry as geo
from . import guard, topology

__all__ = [
    "Command", "Macro", "SetGeometries", "SetCells", "AddRow", "DeleteRow", "SetJurisdiction", "ReplaceTable",
    "SetSetting", "EditBuffer",
    "draw_grid", "split_grid", "merge_grids", "reshape_grid", "move_boundary", "delete_grid",
    "move_vertex", "insert_vertex", "delete_vertex", "set_grid_attributes", "assign_role", "remove_role",
    "batch_assign", "merge_refusal", "set_neighbour_index",
]

_COLUMNS = {
    "grids": GRID_COLUMNS, "units": UNIT_COLUMNS, "people": PERSON_COLUMNS, "roles": ROLE_COLUMNS,
    "segments": SEGMENT_COLUMNS, "places": PLACE_COLUMNS, "base_layers": BASE_LAYER_COLUMNS,
    "assess_items": ASSESS_ITEM_COLUMNS, "assess_scores": SCORE_COLUMNS, "ledger": LEDGER_COLUMNS,
    "survey": SURVEY_COLUMNS,
}


# ---------------------------------------------------------------------- commands
class Command:
    """One undoable change.  ``grids`` lists the grid ids it touches (for re-checks and redraws)."""

    text: str
    grids: set
    #: commands with the same non-None key pushed one after another (one drag of a
    #: vertex, one slider move) become one undo step (QUndoCommand's ``id``)
    merge_key = None
    #: the coverage checks the edit buffer applies when the command is pushed
    #: (kinds of :data:`gridmap.core.editing.guard.KINDS`; empty: none)
    guard: tuple = ()
    #: appended to a refusal (e.g. what to do instead)
    hint: str = ""

    def redo(self, plan: Plan) -> None:
        raise NotImplementedError

    def undo(self, plan: Plan) -> None:
        raise NotImplementedError

    def merge_with(self, other: "Command") -> "Command | None":
        """This command followed by ``other`` as one command (None: they cannot merge)."""
        if isinstance(self, SetGeometries) and isinstance(other, SetGeometries) and self.table == other.table:
            old = dict(self.old)
            for k, v in other.old.items():
                old.setdefault(k, v)
            out = SetGeometries(self.text, {**self.new, **other.new}, table=self.table, old=old)
            out.merge_key = self.merge_key
            return out
        out = Macro(self.text, [self, other])
        out.merge_key = self.merge_key
        return out


@dataclass
class Macro(Command):
    """Several commands as one undo step."""

    text: str
    commands: list = field(default_factory=list)
    new_id: int | None = None

    @property
    def grids(self) -> set:
        out = set()
        for c in self.commands:
            out |= c.grids
        return out

    def redo(self, plan):
        for c in self.commands:
            c.redo(plan)

    def undo(self, plan):
        for c in reversed(self.commands):
            c.undo(plan)


@dataclass
class SetGeometries(Command):
    """Replace the geometry of some rows of a layer (grids by default)."""

    text: str
    new: dict
    table: str = "grids"
    old: dict = field(default_factory=dict)

    @property
    def grids(self) -> set:
        return set(self.new) if self.table == "grids" else set()

    def _apply(self, plan, values: dict):
        df = getattr(plan, self.table)
        ids = list(values)
        geoms = df.geometry.values.copy()
        pos = df.index.get_indexer(ids)
        if (pos < 0).any():
            raise PlanError(f"{self.table}: unknown ids {[i for i, p in zip(ids, pos) if p < 0]}")
        geoms[pos] = np.asarray([values[i] for i in ids], dtype=object)
        df["geometry"] = geoms
        setattr(plan, self.table, df)

    def redo(self, plan):
        df = getattr(plan, self.table)
        if not self.old:
            self.old = {i: df.geometry[i] for i in self.new}
        self._apply(plan, self.new)

    def undo(self, plan):
        self._apply(plan, self.old)


@dataclass
class SetCells(Command):
    """Set attribute values of one row: ``values = {column: value}``."""

    text: str
    table: str
    row: int
    values: dict
    old: dict = field(default_factory=dict)

    @property
    def grids(self) -> set:
        return {self.row} if self.table == "grids" else set()

    def _apply(self, plan, values):
        df = getattr(plan, self.table)
        if self.row not in df.index:
            raise PlanError(f"{self.table}: no row {self.row}")
        kinds = _COLUMNS[self.table]
        if any(col not in df.columns for col in values):
            for col, v in values.items():
                df.at[self.row, col] = pd.NA if v is None else v
            setattr(plan, self.table, coerce(df, kinds))
            return
        # typed cell writes: only this row's cells, never whole columns re-converted
        for col, v in values.items():
            df.at[self.row, col] = coerce_value(v, kinds[col]) if col in kinds else (pd.NA if v is None else v)
        setattr(plan, self.table, df)

    def redo(self, plan):
        df = getattr(plan, self.table)
        if not self.old:
            self.old = {c: df.at[self.row, c] for c in self.values}
        self._apply(plan, self.values)

    def undo(self, plan):
        self._apply(plan, self.old)


@dataclass
class AddRow(Command):
    """Add a row (a grid, unit, person, role …); ``new_id`` is its id once done."""

    text: str
    table: str
    values: dict
    new_id: int | None = None

    @property
    def grids(self) -> set:
        if self.table == "grids" and self.new_id is not None:
            return {self.new_id}
        g = self.values.get("grid")
        return {int(g)} if self.table == "roles" and g is not None and not pd.isna(g) else set()

    def redo(self, plan):
        df = getattr(plan, self.table)
        if self.new_id is None:
            self.new_id = int(df.index.max()) + 1 if len(df) else 1
        _insert(plan, self.table, self.new_id, self.values)

    def undo(self, plan):
        setattr(plan, self.table, _without(getattr(plan, self.table), self.new_id))


@dataclass
class DeleteRow(Command):
    """Delete a row; undo puts it back with the same id."""

    text: str
    table: str
    row: int
    saved: dict | None = None

    @property
    def grids(self) -> set:
        return {self.row} if self.table == "grids" else set()

    def redo(self, plan):
        df = getattr(plan, self.table)
        if self.saved is None:
            self.saved = df.loc[self.row].to_dict()
        setattr(plan, self.table, _without(df, self.row))

    def undo(self, plan):
        _insert(plan, self.table, self.row, self.saved)


@dataclass
class SetJurisdiction(Command):
    text: str
    new: object
    old: object = None
    grids: set = field(default_factory=set)

    def redo(self, plan):
        self.old = plan.jurisdiction
        plan.jurisdiction = self.new

    def undo(self, plan):
        plan.jurisdiction = self.old


@dataclass
class ReplaceTable(Command):
    """Swap a whole table (e.g. re-splitting all street segments)."""

    text: str
    table: str
    new: pd.DataFrame
    old: pd.DataFrame | None = None
    grids: set = field(default_factory=set)

    def redo(self, plan):
        self.old = getattr(plan, self.table)
        # a copy-on-write view: later in-place edits of the plan's table never change ``new``
        # (the recorded changeset and a later redo keep the table as it was given)
        setattr(plan, self.table, self.new.copy(deep=False))

    def undo(self, plan):
        setattr(plan, self.table, self.old.copy(deep=False))


@dataclass
class SetSetting(Command):
    """Set (``value`` a string) or remove (``value`` None) one plan setting."""

    text: str
    key: str
    value: str | None
    old: str | None = None
    had: bool | None = None
    grids: set = field(default_factory=set)

    def redo(self, plan):
        if self.had is None:
            self.had = self.key in plan.settings
            self.old = plan.settings.get(self.key)
        settings = dict(plan.settings)
        if self.value is None:
            settings.pop(self.key, None)
        else:
            settings[self.key] = str(self.value)
        plan.settings = settings

    def undo(self, plan):
        settings = dict(plan.settings)
        if self.had:
            settings[self.key] = self.old
        else:
            settings.pop(self.key, None)
        plan.settings = settings


def _typed_cells(df, vals: dict, kinds: dict):
    """The cells of one new row for ``df``, one array of length 1 per column with exactly
    that column's dtype (each cell typed as :func:`~gridmap.core.plan.coerce_value` types
    it), or None when a value does not fit a column's dtype as it is (then the slower,
    general path types it)."""
    if set(vals) - set(df.columns):
        return None
    out = []
    for j, c in enumerate(df.columns):
        dtype = df.dtypes.iloc[j]
        v = vals.get(c)
        if c in kinds:
            v = coerce_value(v, kinds[c])
        try:
            if c == "geometry" or str(dtype) == "geometry":
                from geopandas.array import from_shapely

                arr = from_shapely(np.array([v], dtype=object), crs=df.crs)
            elif dtype == object:
                arr = np.empty(1, dtype=object)
                arr[0] = ("" if kinds.get(c) == "str" else pd.NA) if v is None else v
            elif isinstance(dtype, np.dtype) and dtype.kind == "b":
                if not isinstance(v, (bool, np.bool_)):
                    return None
                arr = np.array([bool(v)])
            elif isinstance(dtype, np.dtype) and dtype.kind in "iuf":
                if v is None or (not isinstance(v, str) and pd.isna(v)):
                    if dtype.kind != "f":
                        if c in kinds:
                            return None
                        # a column the plan does not declare (e.g. population from a file) and no
                        # value: as pandas appends it, the column becomes float with NaN
                        out.append(np.array([np.nan]))
                        continue
                    v = np.nan
                if isinstance(v, (bool, str)) or (dtype.kind in "iu" and not float(v).is_integer()):
                    return None
                arr = np.array([v], dtype=dtype)
            elif isinstance(dtype, np.dtype):
                return None
            else:                           # an extension dtype (nullable integers …)
                arr = pd.array([pd.NA if v is None else v], dtype=dtype)
        except (TypeError, ValueError, OverflowError):
            return None
        if arr.dtype != dtype:
            return None
        out.append(arr)
    return out


def _expected_dtypes(df, cells):
    """The dtypes of ``df`` with a row of ``cells`` added (an integer column given NaN: float)."""
    dt = df.dtypes.copy()
    for j, one in enumerate(cells):
        if isinstance(one, np.ndarray) and one.dtype != dt.iloc[j]:
            dt.iloc[j] = one.dtype
    return dt


def _column(df, j: int):
    """Column ``j`` of ``df`` as its array (an ExtensionArray, or a 1-d numpy array)."""
    s = df.iloc[:, j]
    return s.array if isinstance(s.dtype, pd.api.extensions.ExtensionDtype) else s.to_numpy()


def _rebuilt(df, arrays, index, dtypes=None):
    """A frame like ``df`` (same class, columns, dtypes — or ``dtypes`` —, CRS) from one
    array per column: built from the arrays as they are, one block per column (no
    consolidation copy, no re-typing), or None when the result is not exactly like that."""
    try:
        from pandas.api.internals import create_dataframe_from_blocks

        blocks = [(a.reshape(1, -1) if isinstance(a, np.ndarray) else a, np.array([j], dtype=np.intp))
                  for j, a in enumerate(arrays)]
        out = create_dataframe_from_blocks(blocks, index=index, columns=df.columns)
        if type(df) is not pd.DataFrame:
            out = df._constructor_from_mgr(out._mgr, out._mgr.axes)
        if type(out) is not type(df) or not out.dtypes.equals(df.dtypes if dtypes is None else dtypes):
            return None
        if "geometry" in df.columns and (getattr(out, "crs", None) != getattr(df, "crs", None)
                                         or out.geometry.name != df.geometry.name):
            return None
        return out
    except Exception:  # noqa: BLE001 - the general (slower) pandas path is always there
        return None


def _put(df, add, row_id):
    """``add`` (one row) put into ``df`` at its place in id order (no sort of the table)."""
    if row_id > df.index[-1]:
        return pd.concat([df, add])
    if df.index.is_monotonic_increasing:
        p = int(df.index.searchsorted(row_id))
        return pd.concat([df.iloc[:p], add, df.iloc[p:]])
    return pd.concat([df, add]).sort_index()


def _put_cells(df, cells, row_id):
    """``df`` with a row of ``cells`` (see :func:`_typed_cells`) at its place in id order:
    each column copied once (issue 21: a pandas concat of a 100k-row table cost twice
    that), or None (then :func:`_put`)."""
    index = df.index
    if not index.is_monotonic_increasing:
        return None
    p = len(index) if row_id > index[-1] else int(index.searchsorted(row_id))
    arrays = []
    for j, one in enumerate(cells):
        a = _column(df, j)
        if isinstance(a, np.ndarray):
            if one.dtype != a.dtype:
                a = a.astype(one.dtype)            # (an integer column given NaN: float, as pandas does)
            arrays.append(np.concatenate([a[:p], one, a[p:]]))
        else:
            arrays.append(type(a)._concat_same_type([a[:p], one, a[p:]]))
    new_index = index.insert(p, row_id)
    if new_index.dtype != np.int64:
        return None
    return _rebuilt(df, arrays, new_index, _expected_dtypes(df, cells))


def _without(df, row_id):
    """``df`` without the row ``row_id``: each column copied once without it (cheaper than
    ``take`` or ``drop``, issue 21)."""
    p = df.index.get_loc(row_id)
    if not isinstance(p, (int, np.integer)):
        return df.drop(index=row_id)
    p = int(p)
    arrays = []
    for j in range(df.shape[1]):
        a = _column(df, j)
        if isinstance(a, np.ndarray):
            arrays.append(np.delete(a, p))
        else:
            arrays.append(type(a)._concat_same_type([a[:p], a[p + 1:]]))
    out = _rebuilt(df, arrays, df.index.delete(p))
    return out if out is not None else df.take(np.delete(np.arange(len(df)), p))


def _insert(plan, table, row_id, values):
    df = getattr(plan, table)
    if row_id in df.index:
        raise PlanError(f"{table}: id {row_id} exists")
    vals = {k: v for k, v in values.items()}
    kinds = _COLUMNS[table]
    cells = _typed_cells(df, vals, kinds) if len(df) else None
    if cells is not None:               # the row typed cell by cell as the table's columns are
        out = _put_cells(df, cells, row_id)
        if out is not None:
            setattr(plan, table, out)
            return
    # the new row typed on its own, then appended: the table's columns are not re-converted
    if "geometry" in df.columns:
        import geopandas as gpd

        add = coerce(gpd.GeoDataFrame([vals], index=pd.Index([row_id], name="id"), geometry="geometry",
                                      crs=df.crs), kinds)
        out = gpd.GeoDataFrame(_put(df, add, row_id) if len(df) else add, geometry="geometry", crs=df.crs)
    else:
        add = coerce(pd.DataFrame([vals], index=pd.Index([row_id], name="id")), kinds)
        out = _put(df, add, row_id) if len(df) else add
    if any(out[c].dtype != df[c].dtype for c in kinds if c in df.columns and c in out.columns) \
            or out.index.dtype != np.int64:
        out = coerce(out, kinds)       # a column the old table did not type yet (e.g. all-missing)
    setattr(plan, table, out)


# ---------------------------------------------------------------------- edit functions
def set_neighbour_index(plan: Plan, finder) -> None:
    """Let edit functions find a level's grids near a place with an index kept current
    elsewhere (the window's grid layers, patched after every edit: issue 21) instead of
    building an STRtree of the whole level for every call: ``finder(level, geom)`` →
    the ids of the grids of ``level`` whose boxes meet ``geom``'s box (a superset is
    fine), or None when it cannot tell (e.g. the plan's grids changed since the index
    last heard of an edit: half-way through one).  ``None`` removes it."""
    plan.__dict__["_neighbour_index"] = finder


def _level_neighbours(plan: Plan, level: str, geom, exclude=()) -> pd.Series:
    """Grids of ``level`` whose boxes meet ``geom``'s box."""
    finder = plan.__dict__.get("_neighbour_index")
    if finder is not None:
        ids = finder(level, geom)
        if ids is not None:
            grids = plan.grids
            ids = grids.index.intersection(pd.Index(np.asarray(ids, dtype=np.int64)))
            out = grids.geometry.loc[ids]
            lv = grids["level"].loc[ids].to_numpy()
            out = out[(lv == level) & shapely.intersects(shapely.envelope(out.values), shapely.envelope(geom))]
            return out[~out.index.isin(list(exclude))]
    g = plan.grids[plan.grids["level"] == level]
    if len(g) == 0:
        return g.geometry
    tree = shapely.STRtree(g.geometry.values)
    hit = tree.query(geom)
    out = g.geometry.iloc[hit]
    return out[~out.index.isin(list(exclude))]


def _node(plan: Plan, level: str, changed: dict, simplify: bool = True) -> tuple[dict, dict]:
    """Node edited geometries of one level with their neighbours so shared edges have
    identical vertices.  ``changed`` maps a key (grid id, or any key for a grid not
    yet added) to its new geometry; returns (changed', {neighbour id: geometry'})."""
    keys = list(changed)
    geoms = [changed[k] for k in keys]
    area = shapely.union_all([shapely.envelope(g) for g in geoms]).buffer(1e-3)
    neigh = _level_neighbours(plan, level, area, exclude=[k for k in keys if isinstance(k, (int, np.integer))])
    new, nb = topology.node_polygons(geoms, list(neigh.values), simplify=simplify)
    return dict(zip(keys, new)), {int(neigh.index[i]): g for i, g in nb.items()}


def _set_noded(plan: Plan, text: str, changes: dict, simplify: bool = True) -> SetGeometries:
    """A SetGeometries command for grid changes, noded with their neighbours per level."""
    out: dict = {}
    levels = plan.grids.loc[list(changes), "level"]
    for level in levels.unique():
        ids = [k for k in changes if levels[k] == level]
        ch, nb = _node(plan, level, {k: changes[k] for k in ids}, simplify=simplify)
        out.update(ch)
        for k, g in nb.items():
            if k not in changes:
                out[k] = g
    return SetGeometries(text, out)


def _parent_for(plan: Plan, level: str, geom) -> int | None:
    """The parent-level grid holding most of ``geom``."""
    idx = plan.level_index(level)
    if idx == 0:
        return None
    up = plan.levels[idx - 1].key
    cands = _level_neighbours(plan, up, geom)
    if len(cands) == 0:
        raise geo.EditError(f"没有可作为上级的{plan.levels[idx - 1].name} / no {plan.levels[idx - 1].name} "
                            "grid here to be the parent")
    shares = shapely.area(shapely.intersection(cands.values, geom))
    if shares.max() <= 0:
        raise geo.EditError("网格不在任何上级网格内 / the grid lies in no parent grid")
    return int(cands.index[int(np.argmax(shares))])


def _container(plan: Plan, level: str, parent: int | None):
    if parent is not None:
        return plan.grids.geometry[parent]
    return plan.jurisdiction


def draw_grid(plan: Plan, coords, level: str, parent: int | None = None, avoid_overlaps: bool = True,
              fill: bool = False, fill_width: float = 5.0, name: str = "", code: str = "") -> Macro:
    """A new grid from clicked vertices, clipped to its parent and neighbours
    (avoid overlaps) and optionally grown over slivers left around it (fill)."""
    level = plan.level(level).key
    geom = geo.polygon_from_ring(coords) if not hasattr(coords, "geom_type") else coords
    if not geom.is_valid:
        geom = geo.clean_polygon(geom)
    if parent is None:
        parent = _parent_for(plan, level, geom)
    container = _container(plan, level, parent)
    if avoid_overlaps:
        neigh = _level_neighbours(plan, level, geom.buffer(fill_width if fill else 0)).values
        geom = geo.clip_to_neighbours(geom, neigh, parent=container)
        if fill and container is not None:
            geom = geo.fill_to_neighbours(geom, neigh, container, max_width=fill_width)
    ch, nb = _node(plan, level, {"new": geom})
    add = AddRow("绘制网格", "grids", dict(
        code=code, name=name, level=level, parent=parent, notes="", valid_from="", valid_to="",
        multipart_ok=False, geometry=ch["new"]))
    cmds: list[Command] = [add]
    if nb:
        cmds.insert(0, SetGeometries("绘制网格", nb))
    macro = _with_new_id(Macro("绘制网格 Draw grid", cmds), add)
    return _guard(plan, macro, "绘制网格 Draw grid", kinds=_KINDS if avoid_overlaps else ("invalid",))


def _with_new_id(macro: Macro, add: AddRow) -> Macro:
    orig = macro.redo

    def redo(plan):
        orig(plan)
        macro.new_id = add.new_id

    macro.redo = redo  # type: ignore[method-assign]
    return macro


def _without_sides(notes) -> str:
    """Notes minus their 四至 sentences (east/south/west/north of an outline that changed).

    >>> _without_sides("四至：东至建安一路，西至宝安大道。含3个小区")
    '含3个小区'
    """
    import re

    if notes is None or (isinstance(notes, float) and pd.isna(notes)):
        return ""
    parts = re.split(r"(?<=[。；;\n])", str(notes))
    return "".join(p for p in parts if not re.search(r"四至|[东南西北]至", p)).strip()


def split_grid(plan: Plan, grid: int, line) -> Macro:
    """Split a grid by a line: it keeps the largest piece; each other piece becomes a
    new grid of the same level and parent (code to be numbered, the next name of the
    level's numbering — :func:`gridmap.core.naming.propose_name` — and the notes without
    their 四至, which belongs to the old outline; the annex tables derive it anew)."""
    from ..naming import propose_level_name

    row = plan.grids.loc[grid]
    given: list[str] = []
    pieces = geo.split_polygon(row.geometry, line)
    ch, nb = _node(plan, row["level"], {grid: pieces[0], **{("new", k): p for k, p in enumerate(pieces[1:])}})
    pieces = [ch[grid]] + [ch[("new", k)] for k in range(len(pieces) - 1)]
    cmds: list[Command] = [SetGeometries("分割网格", {grid: pieces[0], **nb})]
    for k, p in enumerate(pieces[1:], start=2):
        name = propose_level_name(plan, row["level"], taken=given, fallback=str(row["name"] or ""), k=k) \
            if row["name"] else ""
        given.append(name)
        cmds.append(AddRow("分割网格", "grids", dict(
            code="", name=name, level=row["level"],
            parent=row["parent"], notes=_without_sides(row["notes"]), valid_from=row["valid_from"],
            valid_to=row["valid_to"],
            multipart_ok=row["multipart_ok"], geometry=p,
            lineage=_lineage.add(row.get("lineage", ""), _lineage.split_event(grid)))))
    # child grids follow the piece that holds them
    kids = plan.children(grid)
    m = Macro(f"分割网格 Split grid {row['code'] or grid}", cmds)
    if len(kids):
        m.commands.append(_Reparent(kids.index.tolist(), list(cmds)))
    # segments, places and roles follow the pieces (cut where a segment crosses the cut)
    from .follow import FollowGrids

    m.commands.append(FollowGrids(fixed=[int(grid)], piece_cmds=[c for c in cmds if isinstance(c, AddRow)],
                                  split_from=int(grid)))
    return _guard(plan, m, "分割网格 Split grid")


@dataclass
class _Reparent(Command):
    """After a split: move child grids to whichever new piece holds most of them."""

    kids: list
    piece_cmds: list
    text: str = "调整下级网格"
    table = "grids"
    old: dict = field(default_factory=dict)
    new: dict = field(default_factory=dict)

    @property
    def grids(self):
        return set(self.kids)

    def redo(self, plan):
        ids = [c.new_id if isinstance(c, AddRow) else next(iter(c.new)) for c in self.piece_cmds]
        geoms = plan.grids.geometry.loc[ids].values
        for k in self.kids:
            kg = plan.grids.geometry[k]
            best = ids[int(np.argmax(shapely.area(shapely.intersection(geoms, kg))))]
            self.old.setdefault(k, plan.grids.at[k, "parent"])
            self.new[k] = best
            plan.grids.at[k, "parent"] = best

    def undo(self, plan):
        for k, p in self.old.items():
            plan.grids.at[k, "parent"] = p


def merge_refusal(plan: Plan, grids, touching: bool = True) -> geo.EditError | None:
    """Why ``grids`` cannot be merged (checked before anything is asked), or None.
    The error's ``where`` is the grids that do not fit.  ``touching``: also refuse
    grids that would merge into several parts (the app asks this; scripts may not).

    >>> from shapely import box
    >>> p = Plan.new("p", crs="EPSG:4547", levels="two")
    >>> a, b = p.add_grid(box(0, 0, 1, 1), "large"), p.add_grid(box(1, 0, 2, 1), "large")
    >>> x, y = p.add_grid(box(0, 0, 1, 1), "small", parent=a), p.add_grid(box(1, 0, 2, 1), "small", parent=b)
    >>> str(merge_refusal(p, [x, y])).split(" / ")[1]
    'only grids of one level and parent can be merged'
    >>> merge_refusal(p, [a, b]) is None
    True
    """
    grids = [int(g) for g in grids if int(g) in plan.grids.index]
    if len(grids) < 2:
        return geo.EditError("至少选择两个网格 / select at least two grids to merge")
    sub = plan.grids.loc[grids]
    parents = sub["parent"].astype("float").fillna(-1)
    if sub["level"].nunique() != 1 or parents.nunique() != 1:
        main = parents.mode().iloc[0]
        odd = sub.geometry[(parents != main).values]
        return geo.EditError("只能合并同一层级、同一上级的网格 / only grids of one level and parent can be merged",
                             where=shapely.union_all(odd.values) if len(odd) else None)
    if not touching:
        return None
    merged = shapely.union_all(sub.geometry.values)
    if merged.geom_type != "Polygon":
        parts = shapely.get_parts(merged)
        small = parts[np.argsort(shapely.area(parts))[:-1]]
        return geo.EditError("所选网格不相邻，合并后会成为多块 / the selected grids do not touch: the merged grid "
                             "would be in several parts", where=shapely.union_all(small))
    return None


def merge_grids(plan: Plan, grids: list[int], keep: int | None = None) -> Macro:
    """Merge grids of one level and parent into ``keep`` (default: the largest);
    the others' roles, children, segments and places move to it, then they are deleted."""
    grids = [int(g) for g in grids]
    why = merge_refusal(plan, grids, touching=False)
    if why is not None:
        raise why
    sub = plan.grids.loc[grids]
    if keep is None:
        keep = int(sub.geometry.area.idxmax())
    merged = geo.merge_polygons(sub.geometry.values)
    others = [g for g in grids if g != keep]
    ch, nb = _node(plan, sub["level"].iloc[0], {keep: merged})
    nb = {k: v for k, v in nb.items() if k not in others}
    cmds: list[Command] = [SetGeometries("合并网格", {**ch, **nb})]
    for table, col in (("roles", "grid"), ("segments", "grid"), ("places", "grid"), ("grids", "parent")):
        df = getattr(plan, table)
        for rid in df.index[df[col].isin(others)]:
            cmds.append(SetCells("合并网格", table, int(rid), {col: keep}))
    # lineage: the kept grid records what it absorbed (and inherits their history)
    lin = plan.grids["lineage"] if "lineage" in plan.grids else None
    joined = _lineage.join(*([lin.get(g, "") for g in [keep, *others]] if lin is not None else []))
    cmds.append(SetCells("合并网格", "grids", int(keep), {"lineage": _lineage.add(joined, _lineage.merge_event(others))}))
    cmds += [DeleteRow("合并网格", "grids", g) for g in others]
    return _guard(plan, Macro(f"合并网格 Merge {len(grids)} grids", cmds), "合并网格 Merge")


def _donate(plan: Plan, grid: int, removed, exclude=()) -> list[Command]:
    """Give area cut off a grid to the same-level sibling sharing the longest border."""
    row = plan.grids.loc[grid]
    cmds = []
    for piece in shapely.get_parts(geo.clean_polygon(removed, min_area=1e-6)):
        sib = _level_neighbours(plan, row["level"], piece, exclude=(grid, *exclude))
        sib = sib[plan.grids.loc[sib.index, "parent"].astype("float").fillna(-1)
                  == (-1 if pd.isna(row["parent"]) else float(row["parent"]))]
        if len(sib) == 0:
            continue
        shared = shapely.length(shapely.intersection(sib.values, piece.boundary))
        if shared.max() <= 0:
            continue
        to = int(sib.index[int(np.argmax(shared))])
        cmds.append((to, piece))
    return cmds


def reshape_grid(plan: Plan, grid: int, line, avoid_overlaps: bool = True) -> Macro:
    """Reshape a grid's boundary with a line.  With avoid-overlaps (default) the
    level stays a clean coverage: the new shape is clipped to the parent, the area
    it gains is taken from its neighbours, and the area it loses goes to the
    neighbour with the longest shared border."""
    row = plan.grids.loc[grid]
    old = row.geometry
    new = geo.reshape_polygon(old, line)
    if not avoid_overlaps:
        return _guard(plan, Macro(f"修整网格 Reshape {row['code'] or grid}", [SetGeometries("修整网格", {grid: new})]),
                      "修整网格 Reshape", kinds=("invalid",))
    container = _container(plan, row["level"], None if pd.isna(row["parent"]) else int(row["parent"]))
    if container is not None:
        new = geo.clean_polygon(shapely.intersection(new, container))
    changes = {grid: new}
    gained = shapely.difference(new, old)
    if not gained.is_empty:
        for nid, ng in _level_neighbours(plan, row["level"], gained, exclude=(grid,)).items():
            if shapely.intersection(ng, gained).area > 0:
                rest = geo.clean_polygon(shapely.difference(ng, gained), min_area=1e-6)
                if rest.is_empty:
                    raise geo.EditError("修整会吞并整个相邻网格 / the reshape would swallow a whole neighbour; "
                                        "merge them instead")
                changes[int(nid)] = rest
    for to, piece in _donate(plan, grid, shapely.difference(old, new), exclude=tuple(changes)):
        base = changes.get(to, plan.grids.geometry[to])
        changes[to] = geo.clean_polygon(shapely.union(base, piece))
    noded = _set_noded(plan, "修整网格", changes)
    return _guard(plan, Macro(f"修整网格 Reshape {row['code'] or grid}", _followed(plan, [noded])),
                  "修整网格 Reshape")


def move_boundary(plan: Plan, a: int, b: int, line) -> Macro:
    """Move the shared boundary of grids ``a`` and ``b`` onto ``line``."""
    na, nb = geo.move_boundary(plan.grids.geometry[a], plan.grids.geometry[b], line)
    return _guard(plan, Macro("移动边界 Move boundary", _followed(plan, [_set_noded(plan, "移动边界", {a: na, b: nb})])),
                  "移动边界 Move boundary")


def _followed(plan: Plan, cmds: list) -> list:
    """``cmds`` (grid geometry changes) and then the segments and places changing sides
    following them (:mod:`gridmap.core.editing.follow`)."""
    from .follow import following

    changed = set()
    for c in cmds:
        if isinstance(c, SetGeometries) and c.table == "grids":
            changed |= set(c.new)
    f = following(plan, changed) if changed else None
    return cmds + ([f] if f is not None else [])


def delete_grid(plan: Plan, grid: int) -> Macro:
    """Delete a grid with its roles; its segments and places become unassigned."""
    if (plan.grids["parent"] == grid).any():
        raise geo.EditError("该网格还有下级网格 / the grid has child grids: delete or move them first")
    cmds: list[Command] = [DeleteRow("删除职责", "roles", int(r)) for r in plan.roles.index[plan.roles["grid"] == grid]]
    for table in ("segments", "places"):
        df = getattr(plan, table)
        cmds += [SetCells("删除网格", table, int(r), {"grid": None}) for r in df.index[df["grid"] == grid]]
    cmds.append(DeleteRow("删除网格", "grids", int(grid)))
    return Macro(f"删除网格 Delete {plan.grids.at[grid, 'code'] or grid}", cmds)


def _vertex_edit(plan: Plan, fn, text: str, xy, *args, tol: float, topological: bool, grid: int | None,
                 hint: str = ""):
    g = plan.grids
    if topological:
        box = shapely.box(xy[0] - tol, xy[1] - tol, xy[0] + tol, xy[1] + tol)
        pos = shapely.STRtree(g.geometry.values).query(box)
        geoms, ids = list(g.geometry.values[pos]), list(g.index.values[pos])
        if plan.jurisdiction is not None:
            geoms.append(plan.jurisdiction)
            ids.append("jurisdiction")
    else:
        geoms, ids = [g.geometry[grid]], [grid]
    arr = np.asarray(geoms, dtype=object)
    changed: dict = {}
    if topological and len(arr) > 1:
        # node the features meeting here across levels first (a parent's edge gets
        # its children's vertices), so every one of them follows the edit
        noded, _ = topology.node_polygons(list(arr), [], simplify=False)
        changed = {i: ng for i, ng in enumerate(noded) if ng is not arr[i]}
        arr = np.asarray(noded, dtype=object)
    changed.update(fn(arr, xy, *args, tol=tol))
    grids = {int(ids[i]): geom for i, geom in changed.items() if ids[i] != "jurisdiction"}
    if not grids:
        raise geo.EditError("此处没有顶点或边 / no vertex or edge here")
    cmds: list[Command] = [_set_noded(plan, text, grids, simplify=False) if topological
                           else SetGeometries(text, grids)]
    for i, geom in changed.items():
        if ids[i] == "jurisdiction":
            cmds.append(SetJurisdiction(text, geom))
    return _guard(plan, Macro(text, _followed(plan, cmds)), text, kinds=_KINDS if topological else ("invalid",), hint=hint)


def move_vertex(plan: Plan, xy, new_xy, tol: float = 1e-6, topological: bool = True,
                grid: int | None = None) -> Macro:
    """Move a vertex; topologically (default) in every grid of every level sharing it,
    and in the jurisdiction."""
    return _vertex_edit(plan, topology.move_vertex, "移动顶点 Move vertex", xy, new_xy, tol=tol,
                        topological=topological, grid=grid)


def insert_vertex(plan: Plan, xy, tol: float = 1e-6, topological: bool = True, grid: int | None = None) -> Macro:
    return _vertex_edit(plan, topology.insert_vertex, "添加顶点 Add vertex", xy, tol=tol,
                        topological=topological, grid=grid)


def delete_vertex(plan: Plan, xy, tol: float = 1e-6, topological: bool = True, grid: int | None = None) -> Macro:
    return _vertex_edit(plan, topology.delete_vertex, "删除顶点 Delete vertex", xy, tol=tol,
                        topological=topological, grid=grid,
                        hint=" (多个网格交汇的顶点不能删除，请移动它 / a vertex where three or more grids meet "
                             "cannot be deleted: move it instead)")


def set_grid_attributes(plan: Plan, grid: int, **values) -> SetCells:
    """Change code, name, level, parent, notes or dates of a grid."""
    unknown = set(values) - set(GRID_COLUMNS)
    if unknown:
        raise PlanError(f"grids have no column(s) {sorted(unknown)}")
    return SetCells(f"修改网格属性 Edit {plan.grids.at[grid, 'code'] or grid}", "grids", grid, values)


def assign_role(plan: Plan, grid: int, role: str, person: int | None = None, unit: int | None = None,
                duty: str = "") -> AddRow:
    """Give a person or unit a role on a grid (validated like :meth:`Plan.assign`)."""
    plan.validate_role(grid, role, person=person, unit=unit)
    return AddRow("分配职责 Assign role", "roles", dict(grid=grid, role=role, person=person, unit=unit, duty=duty))


def remove_role(plan: Plan, role_id: int) -> DeleteRow:
    return DeleteRow("移除职责 Remove role", "roles", int(role_id))


def batch_assign(plan: Plan, grids: list[int], role: str, person: int | None = None,
                 unit: int | None = None, duty: str = "") -> Macro:
    """Set the same unit or officer on several grids at once (one undo step)."""
    return Macro(f"批量分配 Assign to {len(grids)} grids",
                 [assign_role(plan, g, role, person=person, unit=unit, duty=duty) for g in grids])


# ---------------------------------------------------------------------- coverage guard
_KINDS = guard.KINDS


def _guard(plan: Plan, command, what: str, kinds=guard.KINDS, hint: str = ""):
    """``command`` marked with the coverage checks the edit buffer applies when it is
    pushed (:mod:`gridmap.core.editing.guard`: regressions only, measured once)."""
    command.guard = tuple(kinds)
    command.hint = hint
    command.what = what
    return command


from .buffer import EditBuffer  # noqa: E402,F401  (the buffer applies these commands)
