"""What one edit changed, exactly: per table the ids added, removed and modified.

The :class:`~gridmap.core.editing.buffer.EditBuffer` sends a :class:`Changes`
to its listeners after every push, undo and redo, so a view redraws only the
touched rows and a checker re-checks only the edited neighbourhood.  The
report is the *net* effect of the command: a row added and then modified in one
macro is "added"; undo swaps added and removed.

>>> from shapely import box
>>> from gridmap.core.editing.commands import AddRow, Macro, SetCells, SetGeometries
>>> ch = changes_of(Macro("例", [SetGeometries("a", {3: box(0, 0, 1, 1)}), SetCells("b", "roles", 7, {"duty": "x"})]))
>>> sorted(ch.tables), sorted(ch.grids), ch.geometry_only, ch.modified("roles")
(['grids', 'roles'], [3], False, {7})
>>> changes_of(SetGeometries("a", {3: box(0, 0, 1, 1)})).geometry_only
True
>>> ch = changes_of(AddRow("c", "units", {"name": "x"}, new_id=5), how="undo")
>>> ch.removed("units"), ch.added("units"), ch.how
({5}, set(), 'undo')
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

__all__ = ["TABLES", "Changes", "TableChanges", "changes_of", "leaf_commands", "rows_or_columns_changed",
           "touched_values"]

#: every part of a plan a command can change ("jurisdiction" has the single id 0,
#: "settings" uses the setting keys as ids)
TABLES = ("grids", "segments", "places", "people", "roles", "units", "settings", "base_layers", "jurisdiction",
          "assess_items", "assess_scores", "ledger", "survey")


def leaf_commands(command):
    """The simple commands inside a (nested) macro, in order."""
    from .commands import Macro

    if isinstance(command, Macro):
        for c in command.commands:
            yield from leaf_commands(c)
    else:
        yield command


@dataclass
class TableChanges:
    """Ids of one table added, removed and modified (disjoint sets)."""

    added: set = field(default_factory=set)
    removed: set = field(default_factory=set)
    modified: set = field(default_factory=set)

    def add(self, i) -> None:
        if i in self.removed:           # deleted then put back: the row is there again, maybe changed
            self.removed.discard(i)
            self.modified.add(i)
        else:
            self.added.add(i)

    def remove(self, i) -> None:
        if i in self.added:             # added then deleted within one step: no net change
            self.added.discard(i)
            return
        self.modified.discard(i)
        self.removed.add(i)

    def modify(self, i) -> None:
        if i not in self.added:
            self.modified.add(i)

    def __bool__(self) -> bool:
        return bool(self.added or self.removed or self.modified)

    @property
    def ids(self) -> set:
        return self.added | self.removed | self.modified


@dataclass
class Changes:
    """What one push, undo or redo changed.

    ``per_table[t]`` holds the ids added/removed/modified in table ``t`` (one of
    :data:`TABLES`); ``how`` is "push", "undo" or "redo"; ``command`` the core
    command.  ``geometry_only``: only geometries of existing grids changed (an
    incremental re-check is enough).
    """

    command: object = None
    how: str = "push"
    per_table: dict = field(default_factory=dict)
    geometry_only: bool = True

    def table(self, name: str) -> TableChanges:
        return self.per_table.setdefault(name, TableChanges())

    def added(self, name: str) -> set:
        return set(self.per_table[name].added) if name in self.per_table else set()

    def removed(self, name: str) -> set:
        return set(self.per_table[name].removed) if name in self.per_table else set()

    def modified(self, name: str) -> set:
        return set(self.per_table[name].modified) if name in self.per_table else set()

    @property
    def tables(self) -> set:
        """Tables with any change (the jurisdiction is reported by :attr:`jurisdiction`)."""
        return {t for t, c in self.per_table.items() if c and t != "jurisdiction"}

    @property
    def grids(self) -> set:
        """Grid ids added, removed or modified."""
        return self.per_table["grids"].ids if "grids" in self.per_table else set()

    @property
    def jurisdiction(self) -> bool:
        return bool(self.per_table.get("jurisdiction"))

    def __bool__(self) -> bool:
        return any(bool(c) for c in self.per_table.values())


def _frame_diff(tc: TableChanges, old: pd.DataFrame | None, new: pd.DataFrame) -> None:
    """Ids added, removed and modified between two versions of a table (exact)."""

    old_ids = set() if old is None else set(old.index.tolist())
    new_ids = set(new.index.tolist())
    for i in new_ids - old_ids:
        tc.add(i)
    for i in old_ids - new_ids:
        tc.remove(i)
    common = sorted(old_ids & new_ids)
    if common:
        if set(old.columns) != set(new.columns):
            for i in common:
                tc.modify(i)
            return
        # one lookup per table, then cell by cell with the same rule as rows_equal (a row lookup
        # per id took ~1 ms: seconds for a table of a few thousand rows)
        from .changeset import _same

        cols = [c for c in new.columns if c in old.columns]
        a, b = old.loc[common, cols], new.loc[common, cols]
        same = np.ones(len(common), dtype=bool)
        for c in cols:
            same &= _same_column(a[c], b[c], _same)
        for i, ok in zip(common, same):
            if not ok:
                tc.modify(i)


def _same_column(a: pd.Series, b: pd.Series, same) -> np.ndarray:
    """``same(p, q)`` cell by cell for two aligned columns — by whole arrays where that gives the
    same answer (one integer or boolean dtype on both sides; cells that are the same object), the
    rule only for the rest: an import's new table keeps the old rows' objects (100k cells, 1.4 s
    one by one)."""
    n = len(a)
    if a.dtype == b.dtype and (pd.api.types.is_integer_dtype(a.dtype) or pd.api.types.is_bool_dtype(a.dtype)):
        na_x, na_y = a.isna().to_numpy(dtype=bool), b.isna().to_numpy(dtype=bool)
        eq = (a.reset_index(drop=True) == b.reset_index(drop=True)).fillna(False).to_numpy(dtype=bool)
        return np.where(na_x | na_y, na_x & na_y, eq)
    x, y = a.to_numpy(dtype=object), b.to_numpy(dtype=object)
    out = np.fromiter(map(id, x), dtype=np.int64, count=n) == np.fromiter(map(id, y), dtype=np.int64, count=n)
    rest = np.flatnonzero(~out)
    if len(rest):
        out[rest] = np.fromiter((same(x[k], y[k]) for k in rest.tolist()), dtype=bool, count=len(rest))
    return out


def changes_of(command, how: str = "push") -> Changes:
    """The exact net changes of a command once applied (``how`` "push"/"redo") or
    taken back ("undo")."""
    from .commands import AddRow, DeleteRow, ReplaceTable, SetCells, SetGeometries, SetJurisdiction, SetSetting

    ch = Changes(command=command, how=how)
    geometry_only = True
    for c in leaf_commands(command):
        if isinstance(c, SetGeometries):
            t = ch.table(c.table)
            for i in c.new:
                t.modify(int(i))
            if c.table != "grids":
                geometry_only = False
        elif isinstance(c, SetCells):
            ch.table(c.table).modify(int(c.row))
            geometry_only = False
        elif isinstance(c, AddRow):
            if c.new_id is not None:
                ch.table(c.table).add(int(c.new_id))
            geometry_only = False
        elif isinstance(c, DeleteRow):
            ch.table(c.table).remove(int(c.row))
            geometry_only = False
        elif isinstance(c, ReplaceTable):
            _frame_diff(ch.table(c.table), c.old, c.new)
            geometry_only = False
        elif isinstance(c, SetJurisdiction):
            ch.table("jurisdiction").modify(0)
            geometry_only = False
        elif isinstance(c, SetSetting):
            ch.table("settings").modify(c.key)
            geometry_only = False
        else:  # another command kind (e.g. the re-parenting step of a split): the grids it names
            t = ch.table(getattr(c, "table", "grids"))
            for i in getattr(c, "grids", ()):
                t.modify(int(i))
            geometry_only = False
    for t in ch.per_table.values():  # a row modified and also added/removed is reported once
        t.modified -= t.added | t.removed
    if how == "undo":
        for t in ch.per_table.values():
            t.added, t.removed = t.removed, t.added
    ch.per_table = {k: v for k, v in ch.per_table.items() if v}
    ch.geometry_only = geometry_only and bool(ch.per_table) and set(ch.per_table) == {"grids"} \
        and not ch.per_table["grids"].added and not ch.per_table["grids"].removed
    return ch


def rows_or_columns_changed(changes: Changes, table: str, columns) -> bool:
    """Whether an edit added or removed rows of ``table`` or set one of ``columns`` in it
    (a whole-table replacement counts): what a list showing those columns must follow.

    >>> from gridmap.core.editing.commands import SetCells
    >>> ch = changes_of(SetCells("名称", "grids", 3, {"name": "甲"}))
    >>> rows_or_columns_changed(ch, "grids", {"code"}), rows_or_columns_changed(ch, "grids", {"code", "name"})
    (False, True)
    """
    from .commands import ReplaceTable, SetCells

    tc = changes.per_table.get(table)
    if tc is None:
        return False
    if tc.added or tc.removed:
        return True
    columns = set(columns)
    for c in leaf_commands(changes.command):
        if isinstance(c, SetCells) and c.table == table and columns & set(c.values):
            return True
        if isinstance(c, ReplaceTable) and c.table == table:
            return True
    return False


def touched_values(changes: Changes, table: str, column: str, plan=None) -> set:
    """Every value ``column`` of ``table`` had or has in the rows an edit touched, before
    and after it (read from the edit's own commands: a cell's old and new value, an added
    row's, a deleted row's saved one; with ``plan`` also the current value of the rows
    modified otherwise, e.g. a moved segment): what a view derived from that column
    must refresh (the officer of a segment re-assigned: both officers' road lengths).
    Missing values are left out.  Proportional to the edit, not to the table.

    >>> from gridmap.core.editing.commands import SetCells
    >>> c = SetCells("改", "segments", 4, {"officer": 7}, old={"officer": 3})
    >>> sorted(touched_values(changes_of(c), "segments", "officer"))
    [3, 7]
    """
    from .commands import AddRow, DeleteRow, ReplaceTable, SetCells

    out: set = set()

    def put(v):
        if v is None:
            return
        try:
            if pd.isna(v):
                return
        except (TypeError, ValueError):
            pass
        out.add(int(v) if isinstance(v, (int, np.integer, float, np.floating)) and float(v).is_integer() else v)

    tc = changes.per_table.get(table)
    if tc is None:
        return out
    for c in leaf_commands(changes.command):
        if getattr(c, "table", None) != table:
            continue
        if isinstance(c, SetCells):
            if column in c.values:
                put(c.values[column])
                put(c.old.get(column))
        elif isinstance(c, AddRow):
            put(c.values.get(column))
        elif isinstance(c, DeleteRow):
            if c.saved is not None:
                put(c.saved.get(column))
        elif isinstance(c, ReplaceTable):
            for df in (c.old, c.new):
                if df is not None and column in df.columns:
                    for v in pd.unique(df[column].dropna()):
                        put(v)
        else:                                  # e.g. the re-parenting step of a split: {row: value}
            for d in (getattr(c, "old", None), getattr(c, "new", None)):
                if isinstance(d, dict) and column == "parent":
                    for v in d.values():
                        put(v)
    if plan is not None:
        df = getattr(plan, table)
        if column in df.columns:
            for i in tc.modified | tc.added:
                if i in df.index:
                    put(df.at[i, column])
    return out
