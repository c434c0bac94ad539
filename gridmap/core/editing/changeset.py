"""Changesets: an applied command as JSON, re-applicable to a copy of the plan.

A changeset is the unit a shared plan store or plan versions exchange: what
kind of change, in which table, the ids, the values before and after
(geometries as WKB hex), who made it, when, and the text of the undo step.
:func:`apply_changeset` replays one on a plan that is at the state the change
was made from (``check=True`` refuses it when the "before" values differ).

>>> from shapely import box
>>> from gridmap.core.plan import Plan
>>> from gridmap.core.editing.commands import SetGeometries
>>> plan = Plan.new("例", "EPSG:4547", levels="two")
>>> g = plan.add_grid(box(0, 0, 1, 1), "large")
>>> copy = plan.copy()
>>> cmd = SetGeometries("改形 Reshape", {g: box(0, 0, 2, 1)}); cmd.redo(plan)
>>> text = dumps([changeset(cmd, author="张三", time=0)])
>>> apply_changeset(copy, loads(text)[0]); plan_differences(plan, copy)
[]
>>> apply_changeset(copy, loads(text)[0])
Traceback (most recent call last):
...
gridmap.core.editing.changeset.ChangesetConflict: 变更集与当前方案不一致（grids 1 geometry）/ the changeset does not fit the plan (grids 1 geometry)
"""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
import shapely

from ..plan import Plan, PlanError, coerce
from . import commands as C

__all__ = ["FORMAT", "ChangesetConflict", "changeset", "command_from", "apply_changeset", "dumps", "loads",
           "encode", "decode", "rows_equal", "plan_differences"]

FORMAT = "gridmap-changeset/1"


class ChangesetConflict(PlanError):
    """A changeset's "before" does not match the plan it is applied to."""


# ---------------------------------------------------------------------- values
def encode(v):
    """A cell value as JSON: geometries ``{"wkb": hex}``, missing values None."""
    if v is None:
        return None
    if isinstance(v, shapely.Geometry):
        return {"wkb": shapely.to_wkb(v, hex=True, include_srid=False)}
    if v is pd.NA or v is pd.NaT:
        return None
    if isinstance(v, (np.bool_, bool)):
        return bool(v)
    if isinstance(v, (np.integer,)):
        return int(v)
    if isinstance(v, (float, np.floating)):
        return None if math.isnan(v) else float(v)
    if isinstance(v, (int, str)):
        return v
    return str(v)


def decode(v):
    if isinstance(v, dict) and "wkb" in v:
        return shapely.from_wkb(v["wkb"])
    return v


def _enc_map(d: dict) -> dict:
    return {str(k): encode(v) for k, v in d.items()}


def _dec_ids(d: dict) -> dict:
    return {int(k): decode(v) for k, v in d.items()}


def _dec_cols(d: dict) -> dict:
    return {k: decode(v) for k, v in d.items()}


def _frame(df: pd.DataFrame | None) -> dict | None:
    if df is None:
        return None
    return {"columns": list(df.columns),
            "rows": {str(int(i)): [encode(v) for v in row] for i, row in zip(df.index, df.itertuples(index=False))}}


def _unframe(d: dict | None, table: str, crs) -> pd.DataFrame | None:
    if d is None:
        return None
    cols = d["columns"]
    ids = [int(i) for i in d["rows"]]
    data = {c: [decode(r[k]) for r in d["rows"].values()] for k, c in enumerate(cols)}
    if "geometry" in cols:
        import geopandas as gpd

        data["geometry"] = np.asarray(data["geometry"], dtype=object)
        df = gpd.GeoDataFrame(data, index=pd.Index(ids, name="id"), geometry="geometry", crs=crs)
    else:
        df = pd.DataFrame(data, index=pd.Index(ids, name="id"), columns=cols)
    return coerce(df, C._COLUMNS[table])


# ---------------------------------------------------------------------- commands <-> JSON
def _command(cmd) -> dict:
    if isinstance(cmd, C.Macro):
        return {"kind": "Macro", "text": cmd.text, "commands": [_command(c) for c in cmd.commands]}
    if isinstance(cmd, C.SetGeometries):
        return {"kind": "SetGeometries", "table": cmd.table, "ids": [int(i) for i in cmd.new],
                "before": _enc_map(cmd.old), "after": _enc_map(cmd.new)}
    if isinstance(cmd, C.SetCells):
        return {"kind": "SetCells", "table": cmd.table, "ids": [int(cmd.row)],
                "before": _enc_map(cmd.old), "after": _enc_map(cmd.values)}
    if isinstance(cmd, C.AddRow):
        return {"kind": "AddRow", "table": cmd.table, "ids": [int(cmd.new_id)], "after": _enc_map(cmd.values)}
    if isinstance(cmd, C.DeleteRow):
        return {"kind": "DeleteRow", "table": cmd.table, "ids": [int(cmd.row)], "before": _enc_map(cmd.saved or {})}
    if isinstance(cmd, C.SetJurisdiction):
        return {"kind": "SetJurisdiction", "table": "jurisdiction", "ids": [0],
                "before": encode(cmd.old), "after": encode(cmd.new)}
    if isinstance(cmd, C.ReplaceTable):
        return {"kind": "ReplaceTable", "table": cmd.table, "ids": [],
                "before": _frame(cmd.old), "after": _frame(cmd.new)}
    if isinstance(cmd, C.SetSetting):
        return {"kind": "SetSetting", "table": "settings", "ids": [cmd.key],
                "before": cmd.old if cmd.had else None, "had": bool(cmd.had), "after": cmd.value}
    if isinstance(cmd, C._Reparent):
        return {"kind": "SetParents", "table": "grids", "ids": [int(k) for k in cmd.kids],
                "before": _enc_map(cmd.old), "after": _enc_map(cmd.new)}
    raise TypeError(f"cannot record a {type(cmd).__name__} as a changeset")


def command_from(d: dict, plan: Plan):
    """A core command from its JSON form, with its before-state set (so it can also be undone)."""
    kind = d["kind"]
    if kind == "Macro":
        return C.Macro(d["text"], [command_from(c, plan) for c in d["commands"]])
    if kind == "SetGeometries":
        return C.SetGeometries("", _dec_ids(d["after"]), table=d["table"], old=_dec_ids(d["before"]))
    if kind == "SetCells":
        return C.SetCells("", d["table"], int(d["ids"][0]), _dec_cols(d["after"]), old=_dec_cols(d["before"]))
    if kind == "AddRow":
        return C.AddRow("", d["table"], _dec_cols(d["after"]), new_id=int(d["ids"][0]))
    if kind == "DeleteRow":
        return C.DeleteRow("", d["table"], int(d["ids"][0]), saved=_dec_cols(d["before"]))
    if kind == "SetJurisdiction":
        return C.SetJurisdiction("", decode(d["after"]), old=decode(d["before"]))
    if kind == "ReplaceTable":
        return C.ReplaceTable("", d["table"], _unframe(d["after"], d["table"], plan.crs),
                              old=_unframe(d["before"], d["table"], plan.crs))
    if kind == "SetSetting":
        return C.SetSetting("", d["ids"][0], d["after"], old=d["before"], had=d["had"])
    if kind == "SetParents":
        before, after = _dec_ids(d["before"]), _dec_ids(d["after"])
        return C.Macro("", [C.SetCells("", "grids", k, {"parent": after.get(k)}, old={"parent": before.get(k)})
                            for k in after])
    raise ChangesetConflict(f"未知的变更类型 {kind} / unknown change kind {kind}")


def changeset(command, how: str = "push", author: str = "", time: float | None = None) -> dict:
    """An applied command (``how``: "push"/"redo" applied it, "undo" took it back) as a JSON-ready dict."""
    import time as _t

    return {"format": FORMAT, "how": how, "text": getattr(command, "text", ""), "author": author,
            "time": _t.time() if time is None else float(time), "command": _command(command)}


def dumps(changesets: list[dict]) -> str:
    return json.dumps(changesets, ensure_ascii=False, separators=(",", ":"))


def loads(text: str) -> list[dict]:
    out = json.loads(text)
    for cs in out:
        if cs.get("format") != FORMAT:
            raise ChangesetConflict(f"不是 gridmap 变更集 / not a gridmap changeset ({cs.get('format')!r})")
    return out


# ---------------------------------------------------------------------- replay
def _same(a, b) -> bool:
    if isinstance(a, shapely.Geometry) or isinstance(b, shapely.Geometry):
        if not (isinstance(a, shapely.Geometry) and isinstance(b, shapely.Geometry)):
            return False
        return shapely.to_wkb(a) == shapely.to_wkb(b)
    na, nb = _missing(a), _missing(b)
    if na or nb:
        return na and nb
    return encode(a) == encode(b)


def _missing(v) -> bool:
    try:
        return v is None or bool(pd.isna(v))
    except (TypeError, ValueError):
        return False


def rows_equal(a: pd.Series, b: pd.Series) -> bool:
    """Two rows with the same values (geometries: identical WKB; missing equals missing)."""
    return len(a) == len(b) and all(_same(x, y) for x, y in zip(a.tolist(), b.tolist()))


def _check(plan: Plan, d: dict, how: str) -> None:
    """Raise ChangesetConflict unless the plan is at the state ``d`` was made from."""
    kind = d["kind"]
    if kind == "Macro":
        return  # checked leaf by leaf as they are applied
    state = "before" if how != "undo" else "after"
    table = d["table"]

    def conflict(what):
        raise ChangesetConflict(f"变更集与当前方案不一致（{table} {what}）/ the changeset does not fit the plan "
                                f"({table} {what})")

    if kind in ("SetGeometries", "SetParents", "SetCells"):
        df = getattr(plan, table)
        col = {"SetGeometries": "geometry", "SetParents": "parent"}.get(kind)
        for k, v in d[state].items():
            row, c = (int(k), col) if col else (int(d["ids"][0]), k)
            if row not in df.index or not _same(df.at[row, c], decode(v)):
                conflict(f"{row} {c}")
    elif kind == "AddRow":
        present = int(d["ids"][0]) in getattr(plan, table).index
        if present != (how == "undo"):
            conflict(f"{d['ids'][0]} {'missing' if how == 'undo' else 'exists'}")
    elif kind == "DeleteRow":
        present = int(d["ids"][0]) in getattr(plan, table).index
        if present != (how != "undo"):
            conflict(f"{d['ids'][0]} {'exists' if how == 'undo' else 'missing'}")
    elif kind == "SetJurisdiction":
        if not _same(plan.jurisdiction, decode(d[state])):
            conflict("boundary")


def _apply(plan: Plan, d: dict, how: str, check: bool) -> None:
    if d["kind"] == "Macro":
        subs = d["commands"] if how != "undo" else list(reversed(d["commands"]))
        for c in subs:
            _apply(plan, c, how, check)
        return
    if check:
        _check(plan, d, how)
    cmd = command_from(d, plan)
    (cmd.undo if how == "undo" else cmd.redo)(plan)


def apply_changeset(plan: Plan, cs: dict, check: bool = True) -> None:
    """Re-apply a recorded changeset to ``plan`` (a push or redo applies it, an undo takes it back).

    With ``check`` every part is compared with the plan first (ChangesetConflict
    when the plan is not at the state the change was made from); a changeset that
    fails half-way leaves the plan as it was.
    """
    from .buffer import PlanSnapshot

    snap = PlanSnapshot(plan)
    try:
        _apply(plan, cs["command"], cs.get("how", "push"), check)
    except BaseException:
        snap.restore(plan)
        raise


# ---------------------------------------------------------------------- comparing plans
def plan_differences(a: Plan, b: Plan) -> list[str]:
    """Where two plans differ (empty: identical tables, values, geometries as WKB,
    jurisdiction and settings)."""
    out = []
    if not _same(a.jurisdiction, b.jurisdiction):
        out.append("jurisdiction")
    if dict(a.settings) != dict(b.settings):
        out.append("settings")
    for t in C._COLUMNS:
        x, y = getattr(a, t), getattr(b, t)
        if list(x.columns) != list(y.columns):
            out.append(f"{t}: columns {list(x.columns)} != {list(y.columns)}")
            continue
        if list(x.index) != list(y.index):
            out.append(f"{t}: ids differ ({len(x)} vs {len(y)} rows)")
            continue
        for c in x.columns:
            if str(x[c].dtype) != str(y[c].dtype) and c != "geometry":
                out.append(f"{t}.{c}: dtype {x[c].dtype} != {y[c].dtype}")
        for i in x.index:
            if not rows_equal(x.loc[i], y.loc[i]):
                out.append(f"{t} {i}")
    return out
