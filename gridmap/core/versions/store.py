"""Named versions of a plan (方案版本), kept in the project file's ``versions`` table.

A version is the plan as it was when the version was saved ("2024 年版", "2025 年调整稿"),
with its date in force, author and note.  The table stores, per version, only
what changed since the previous version: a row-level delta of every plan table
keyed by the plan's own stable ids (rows added, rows removed, cells changed;
geometries as WKB), plus the jurisdiction, the settings and the levels when they
changed.  The first version holds the whole plan (its delta from an empty plan).
Deltas are JSON (the value encoding of :mod:`gridmap.core.editing.changeset`),
zlib-compressed and base64-encoded when longer than 64 KB.

Any version is rebuilt by replaying the deltas from the first one
(:func:`load_version`); restoring one as the working plan is one undoable command
(:func:`restore_command`).

>>> from shapely import box
>>> from gridmap.core.plan import Plan
>>> plan = Plan.new("例", "EPSG:4547", levels="two")
>>> g = plan.add_grid(box(0, 0, 10, 10), "large", code="440306001000")
>>> v1 = save_version(plan, "2024 年版", in_force="2024-01-01", author="张三", time=0)
>>> plan.grids.at[g, "name"] = "第一大网格"
>>> v2 = save_version(plan, "2025 年调整稿", time=0)
>>> list_versions(plan)[["name", "summary"]].values.tolist()
[['2024 年版', 'grids +1'], ['2025 年调整稿', 'grids ~1']]
>>> load_version(plan, "2024 年版").grids.at[g, "name"]
''
"""

from __future__ import annotations

import base64
import json
import time as _time
import zlib

import numpy as np
import pandas as pd
import shapely

from ..levels import Level
from ..messages import bi
from ..plan import TABLES, Plan, PlanError, coerce
from ..editing.changeset import decode, encode

__all__ = ["VERSION_COLUMNS", "VersionError", "list_versions", "save_version", "load_version", "delete_version",
           "restore_command", "plan_delta", "apply_delta", "find_version", "versions_of", "SetVersions",
           "save_version_command", "delete_version_command", "in_a_version"]

DELTA_FORMAT = "gridmap-version-delta/1"
VERSION_COLUMNS = ["id", "name", "in_force", "author", "note", "created_at", "parent", "summary", "changes"]
_COMPRESS_OVER = 64 * 1024
# settings that belong to the file, not to the plan's content
_FILE_KEYS = ("revision", "saved_by", "saved_at")


class VersionError(PlanError):
    """A version request that cannot be carried out (unknown name, duplicate name …)."""


# ---------------------------------------------------------------------- the table
def versions_of(plan: Plan) -> pd.DataFrame:
    """The plan's versions table (an empty one if it has none)."""
    v = getattr(plan, "versions", None)
    if v is None or not len(v):
        return pd.DataFrame({c: pd.Series(dtype="int64" if c in ("id", "parent") else object)
                             for c in VERSION_COLUMNS})
    return v


def list_versions(plan: Plan) -> pd.DataFrame:
    """Versions, oldest first, without their deltas (id, name, in_force, author, note, created_at, summary)."""
    v = versions_of(plan)
    return v.drop(columns=["changes"]).sort_values("id").reset_index(drop=True)


def find_version(plan: Plan, name) -> int:
    """The id of the version called ``name`` (or with that id)."""
    v = versions_of(plan)
    hit = v.index[v["name"].astype(str) == str(name)]
    if len(hit) == 0 and str(name).isdigit():
        hit = v.index[v["id"].astype(int) == int(name)]
    if len(hit) == 0:
        names = "、".join(v["name"].astype(str)) or "-"
        raise VersionError(bi(f"没有名为 {name!r} 的版本（现有：{names}）", f"no version called {name!r} (versions: {names})"))
    return int(v.at[hit[-1], "id"])


# ---------------------------------------------------------------------- deltas
def _pack(obj) -> str:
    text = json.dumps(obj, ensure_ascii=False, separators=(",", ":"))
    if len(text) <= _COMPRESS_OVER:
        return text
    return "zlib:" + base64.b64encode(zlib.compress(text.encode("utf-8"), 6)).decode("ascii")


def _unpack(text: str):
    if text.startswith("zlib:"):
        text = zlib.decompress(base64.b64decode(text[5:])).decode("utf-8")
    return json.loads(text)


def _col_values(df: pd.DataFrame, col: str, ids) -> list:
    vals = df.loc[ids, col].tolist() if len(ids) else []
    return vals


def _encoded_column(values) -> list:
    return [encode(v) for v in values]


def _differs(a: pd.Series, b: pd.Series, geometry: bool) -> np.ndarray:
    """Elementwise "not the same value" of two aligned columns (missing equals missing,
    geometries by their exact WKB)."""
    if geometry:
        wa = shapely.to_wkb(np.asarray(a.values, dtype=object))
        wb = shapely.to_wkb(np.asarray(b.values, dtype=object))
        return np.asarray([x != y for x, y in zip(wa, wb)], dtype=bool)
    na, nb = pd.isna(a).to_numpy(), pd.isna(b).to_numpy()
    av = a.astype(object).to_numpy()
    bv = b.astype(object).to_numpy()
    eq = np.asarray([(x == y) if not (p or q) else (p and q) for x, y, p, q in zip(av, bv, na, nb)], dtype=bool)
    return ~eq


def _table_delta(old: pd.DataFrame | None, new: pd.DataFrame) -> dict | None:
    cols = list(new.columns)
    if old is None or not len(old.columns):
        old_ids = pd.Index([], dtype="int64")
    else:
        old_ids = old.index
    new_ids = new.index
    added = new_ids.difference(old_ids)
    removed = old_ids.difference(new_ids)
    common = new_ids.intersection(old_ids)
    out: dict = {"columns": cols}
    if len(added):
        sub = new.loc[added]
        enc = {c: _encoded_column(sub[c].tolist()) for c in cols}
        out["added"] = {str(int(i)): [enc[c][k] for c in cols] for k, i in enumerate(added)}
    if len(removed):
        out["removed"] = [int(i) for i in removed]
    changed: dict = {}
    if len(common):
        for c in cols:
            nc = new.loc[common, c]
            if old is None or c not in old.columns:
                mask = np.ones(len(common), dtype=bool)
            else:
                mask = _differs(old.loc[common, c], nc, geometry=(c == "geometry"))
            if mask.any():
                for i, v in zip(common[mask], nc[mask].tolist()):
                    changed.setdefault(str(int(i)), {})[c] = encode(v)
    if changed:
        out["changed"] = changed
    if old is not None and list(old.columns) != cols:
        out["columns_changed"] = True
    if len(out) == 1:
        return None
    return out


def _plan_info(plan: Plan) -> dict:
    from ..storage.gpkg import _crs_text

    return {"name": plan.name, "crs": _crs_text(plan.crs), "admin_code": plan.admin_code,
            "levels": [lv.to_record(i) for i, lv in enumerate(plan.levels)]}


def plan_delta(old: Plan | None, new: Plan) -> dict:
    """What changed from ``old`` (None: an empty plan) to ``new``, row by row (JSON-ready)."""
    tables = {}
    for t, _, _ in TABLES:
        d = _table_delta(getattr(old, t) if old is not None else None, getattr(new, t))
        if d is not None:
            tables[t] = d
    out: dict = {"format": DELTA_FORMAT, "tables": tables}
    info = _plan_info(new)
    if old is None or _plan_info(old) != info:
        out["plan"] = info
    oj = old.jurisdiction if old is not None else None
    if (oj is None) != (new.jurisdiction is None) or (
            oj is not None and shapely.to_wkb(oj) != shapely.to_wkb(new.jurisdiction)):
        out["jurisdiction"] = encode(new.jurisdiction)
    os_ = {k: v for k, v in (old.settings if old is not None else {}).items() if k not in _FILE_KEYS}
    ns = {k: v for k, v in new.settings.items() if k not in _FILE_KEYS}
    if os_ != ns:
        out["settings"] = ns
    return out


def _summary(delta: dict) -> str:
    parts = []
    for t, d in delta.get("tables", {}).items():
        bits = []
        if d.get("added"):
            bits.append(f"+{len(d['added'])}")
        if d.get("removed"):
            bits.append(f"−{len(d['removed'])}")
        if d.get("changed"):
            bits.append(f"~{len(d['changed'])}")
        if bits:
            parts.append(f"{t} {' '.join(bits)}")
    if "jurisdiction" in delta:
        parts.append("jurisdiction")
    return ", ".join(parts) or "-"


def _empty_like(info: dict) -> Plan:
    levels = [Level.from_record(r) for r in sorted(info["levels"], key=lambda r: r["order"])]
    return Plan(name=info["name"], crs=info["crs"], admin_code=info.get("admin_code", ""), levels=levels)


def apply_delta(plan: Plan | None, delta: dict) -> Plan:
    """A new plan: ``plan`` (None: empty) with ``delta`` applied (``plan`` is not changed)."""
    import geopandas as gpd

    if delta.get("format") != DELTA_FORMAT:
        raise VersionError(bi("版本数据格式无法识别", "version data in an unknown format") + f" ({delta.get('format')!r})")
    if plan is None:
        if "plan" not in delta:
            raise VersionError(bi("第一个版本缺少方案信息", "the first version lacks the plan's description"))
        out = _empty_like(delta["plan"])
    else:
        out = plan.copy()
        out.versions = None
        if "plan" in delta:
            info = delta["plan"]
            shell = _empty_like(info)
            out.name, out.crs, out.admin_code, out.levels = shell.name, shell.crs, shell.admin_code, shell.levels
    columns_of = {t: cols for t, cols, _ in TABLES}
    for t, d in delta.get("tables", {}).items():
        df = getattr(out, t)
        cols = d["columns"]
        geometry = "geometry" in cols
        if d.get("removed"):
            df = df.drop(index=[int(i) for i in d["removed"]])
        for c in cols:
            if c not in df.columns:
                df[c] = pd.NA
        if d.get("changed"):
            by_col: dict = {}
            for i, vals in d["changed"].items():
                for c, v in vals.items():
                    by_col.setdefault(c, ([], []))
                    by_col[c][0].append(int(i))
                    by_col[c][1].append(v)
            for c, (rows, vals) in by_col.items():
                if c == "geometry":
                    geoms = df.geometry.values.copy()
                    geoms[df.index.get_indexer(rows)] = np.asarray([decode(v) for v in vals], dtype=object)
                    df["geometry"] = geoms
                else:
                    col = df[c].astype(object).copy()
                    col.loc[rows] = [pd.NA if v is None else decode(v) for v in vals]
                    df[c] = col
        if d.get("added"):
            ids = [int(i) for i in d["added"]]
            data = {c: [r[k] for r in d["added"].values()] for k, c in enumerate(cols)}
            if geometry:
                data["geometry"] = shapely.from_wkb([v["wkb"] if isinstance(v, dict) else None
                                                     for v in data["geometry"]])
                add = gpd.GeoDataFrame({c: data[c] for c in cols}, index=pd.Index(ids, name="id"),
                                       geometry="geometry", crs=out.crs)
            else:
                add = pd.DataFrame({c: data[c] for c in cols}, index=pd.Index(ids, name="id"), columns=cols)
            both = pd.concat([df, add]) if len(df) else add
            df = gpd.GeoDataFrame(both, geometry="geometry", crs=out.crs) if geometry else both
        df = df[cols]
        df = df.sort_index()
        if geometry:
            df = gpd.GeoDataFrame(df, geometry="geometry", crs=out.crs)
        setattr(out, t, coerce(df, columns_of[t]))
    if "jurisdiction" in delta:
        out.jurisdiction = decode(delta["jurisdiction"])
    if "settings" in delta:
        out.settings = dict(delta["settings"])
    return out


# ---------------------------------------------------------------------- versions
def _chain(plan: Plan, upto: int) -> list[dict]:
    v = versions_of(plan).sort_values("id")
    v = v[v["id"].astype(int) <= int(upto)]
    return [_unpack(str(t)) for t in v["changes"]]


def load_version(plan: Plan, name) -> Plan:
    """The plan as it was saved as version ``name`` (a new Plan; the working plan is unchanged)."""
    vid = find_version(plan, name)
    out = None
    for delta in _chain(plan, vid):
        out = apply_delta(out, delta)
    out.versions = None
    v = versions_of(plan)
    row = v[v["id"].astype(int) == vid].iloc[0]
    object.__setattr__(out, "_version_name", str(row["name"]))
    return out


def _latest(plan: Plan) -> Plan | None:
    v = versions_of(plan)
    if not len(v):
        return None
    return load_version(plan, int(v["id"].astype(int).max()))


def save_version(plan: Plan, name: str, in_force: str = "", author: str = "", note: str = "",
                 time: float | None = None) -> dict:
    """Save the plan's present state as a named version (appended to ``plan.versions``;
    the caller saves the plan to keep it).  Returns the version's row (without the delta)."""
    name = str(name or "").strip()
    if not name:
        raise VersionError(bi("版本名称不能为空", "a version needs a name"))
    v = versions_of(plan)
    if (v["name"].astype(str) == name).any():
        raise VersionError(bi(f"已有名为 {name!r} 的版本，请换一个名称", f"a version called {name!r} exists; choose another name"))
    if in_force and not _is_date(in_force):
        raise VersionError(bi(f"施行日期 {in_force!r} 不是 YYYY-MM-DD 格式的日期",
                              f"date in force {in_force!r} is not a date (YYYY-MM-DD)"))
    previous = _latest(plan)
    delta = plan_delta(previous, plan)
    if not author:
        from ..storage.lock import user_host

        author = user_host()[0]
    vid = int(v["id"].astype(int).max()) + 1 if len(v) else 1
    row = {"id": vid, "name": name, "in_force": str(in_force or ""), "author": str(author), "note": str(note or ""),
           "created_at": _time.strftime("%Y-%m-%d %H:%M:%S", _time.localtime(_time.time() if time is None else time)),
           "parent": int(v["id"].astype(int).max()) if len(v) else 0, "summary": _summary(delta),
           "changes": _pack(delta)}
    plan.versions = pd.concat([v, pd.DataFrame([row])], ignore_index=True)[VERSION_COLUMNS]
    return {k: row[k] for k in VERSION_COLUMNS if k != "changes"}


def delete_version(plan: Plan, name) -> None:
    """Remove a version; the next version's delta is rewritten so that every other version stays as it was."""
    vid = find_version(plan, name)
    v = versions_of(plan).sort_values("id").reset_index(drop=True)
    ids = v["id"].astype(int).tolist()
    k = ids.index(vid)
    if k + 1 < len(ids):
        before = load_version(plan, ids[k - 1]) if k > 0 else None
        after = load_version(plan, ids[k + 1])
        delta = plan_delta(before, after)
        v.at[k + 1, "changes"] = _pack(delta)
        v.at[k + 1, "summary"] = _summary(delta)
        v.at[k + 1, "parent"] = ids[k - 1] if k > 0 else 0
    plan.versions = v.drop(index=k).reset_index(drop=True)


def _is_date(text: str) -> bool:
    try:
        _time.strptime(str(text), "%Y-%m-%d")
        return True
    except ValueError:
        return False


def restore_command(plan: Plan, version: Plan, text: str | None = None):
    """One undoable command making ``plan`` equal to ``version`` (tables, jurisdiction, settings);
    None when they are equal already."""
    from ..editing import commands as C

    cmds = []
    delta = plan_delta(plan, version)
    for t in delta["tables"]:
        cmds.append(C.ReplaceTable("恢复版本", t, getattr(version, t).copy()))
    if "jurisdiction" in delta:
        cmds.append(C.SetJurisdiction("恢复版本", version.jurisdiction))
    if "settings" in delta:
        cur = {k: v for k, v in plan.settings.items() if k not in _FILE_KEYS}
        for k, val in version.settings.items():
            if cur.get(k) != val:
                cmds.append(C.SetSetting("恢复版本", k, val))
        for k in cur:
            if k not in version.settings:
                cmds.append(C.SetSetting("恢复版本", k, None))
    if not cmds:
        return None
    name = getattr(version, "_version_name", "")
    return C.Macro(text or f"恢复版本 Restore version {name}".strip(), cmds)


# ---------------------------------------------------------------------- undoable version edits (the app)
class SetVersions:
    """Replace the plan's versions table as one undoable step (the app's 保存版本 / 删除版本:
    the change marks the plan unsaved, undo takes it back, saving the plan keeps it)."""

    merge_key = None
    guard: tuple = ()
    hint = ""
    table = "versions"

    def __init__(self, text: str, new: pd.DataFrame | None, old: pd.DataFrame | None):
        self.text, self.new, self.old = text, new, old
        self.grids: set = set()

    def redo(self, plan: Plan) -> None:
        plan.versions = None if self.new is None else self.new.copy()

    def undo(self, plan: Plan) -> None:
        plan.versions = None if self.old is None else self.old.copy()


def save_version_command(plan: Plan, name: str, in_force: str = "", author: str = "", note: str = "") -> SetVersions:
    """The undoable command saving the plan's present state as version ``name``
    (raises :class:`VersionError` for a bad name or date, before anything changes)."""
    old = None if plan.versions is None else plan.versions.copy()
    try:
        row = save_version(plan, name, in_force=in_force, author=author, note=note)
        new = plan.versions
    finally:
        plan.versions = old
    return SetVersions(f"保存版本 Save version {row['name']}", new, old)


def delete_version_command(plan: Plan, name) -> SetVersions:
    old = None if plan.versions is None else plan.versions.copy()
    try:
        delete_version(plan, name)
        new = plan.versions
    finally:
        plan.versions = old
    return SetVersions(f"删除版本 Delete version {name}", new, old)


def in_a_version(plan: Plan) -> bool:
    """Whether the plan's present state equals its latest version."""
    v = versions_of(plan)
    if not len(v):
        return False
    return restore_command(plan, load_version(plan, int(v["id"].astype(int).max()))) is None
