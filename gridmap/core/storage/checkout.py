"""Offline laptops: check an area of a shared plan out into a .gpkg, edit it anywhere, check it in.

:func:`checkout` copies, from a plan on a PostGIS server, the grids under one parent grid
(all levels below it: the planner's area, editable), the grids touching that area (read-only
surroundings, so the overlap/gap checks see the neighbours), the segments, places, roles,
assessment and ledger rows of those grids, the units and people they name, the levels,
settings, base layers and the scoring template.  The local plan's jurisdiction is the area
grid itself (the surface the planner's grids must cover).  The file is an ordinary project:
the app, the CLI and QGIS open and save it as any other.

What the file remembers (plan settings ``checkout.*``, carried by every save): the server and
schema (never a password), the area, who checked out and when, the revision of every row
read, and the rows as they were read (the *base*, packed like a version delta).

:func:`checkin` compares the file with its base: every changed row, grouped into changesets
by neighbourhood (changed grids that touch, or are parent and child, and the rows that belong
to them), is committed by :func:`gridmap.core.storage.shared.commit` as one transaction with
the same neighbour locks and revision checks as the app's edits.  A changeset that conflicts
(another planner changed one of its rows or a neighbour since the checkout) or that the
database refuses is reported — whose change, when, what — and stays in the file, unchanged,
for a retry: ``reapply`` takes the server's rows and re-applies the local changes on top
(column by column), ``discard`` takes the server's rows instead of the local ones.  Rows added
offline get fresh server ids (references follow).  Changes to the read-only surroundings, the
jurisdiction or the settings are not sent (and reported).
"""

from __future__ import annotations

import base64
import json
import time
import zlib
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import shapely

from ..messages import bi
from ..plan import TABLES, Plan, coerce
from .base import StoreError

__all__ = ["checkout", "checkin", "CheckinResult", "Outcome", "is_checkout", "checkout_info", "KEY", "commit_edit"]

KEY = "checkout."
_TABLE_COLUMNS = {name: declared for name, declared, _ in TABLES}
_GEOM = {name for name, _, g in TABLES if g}
_BY_GRID = ("roles", "segments", "places", "assess_scores", "ledger", "survey")
# which columns of which tables hold ids of another table (remapped when rows added offline get server ids)
_REFS = {"grids": [("grids", "parent"), ("roles", "grid"), ("segments", "grid"), ("places", "grid"),
                   ("assess_scores", "grid"), ("ledger", "grid"), ("survey", "grid")],
         "people": [("roles", "person"), ("segments", "officer"), ("places", "person")],
         "units": [("people", "unit"), ("roles", "unit")]}


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def pack(obj) -> str:
    text = json.dumps(obj, ensure_ascii=False, separators=(",", ":"))
    return "zlib:" + base64.b64encode(zlib.compress(text.encode("utf-8"), 6)).decode("ascii")


def unpack(text: str):
    if text.startswith("zlib:"):
        text = zlib.decompress(base64.b64decode(text[5:])).decode("utf-8")
    return json.loads(text)


def _plain_url(url: str) -> str:
    """The URL without its password (the file never keeps one: libpq's PGPASSWORD/.pgpass or
    ``--url`` supply it at check-in)."""
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.split("@", 1)
    user = netloc[0].split(":", 1)[0]
    return urlunsplit((parts.scheme, f"{user}@{netloc[1]}", parts.path, parts.query, parts.fragment))


def is_checkout(plan: Plan) -> bool:
    return bool(plan.settings.get(KEY + "url"))


def checkout_info(plan: Plan) -> dict:
    """Server, schema, area, who and when of a checked-out plan (empty when it is not one)."""
    s = plan.settings
    if not is_checkout(plan):
        return {}
    return {"url": s.get(KEY + "url", ""), "schema": s.get(KEY + "schema", ""), "area": s.get(KEY + "area", ""),
            "by": s.get(KEY + "by", ""), "at": s.get(KEY + "at", ""), "last_checkin": s.get(KEY + "last_checkin", "")}


# ---------------------------------------------------------------------------- checkout
def checkout(url: str, area: str, author: str | None = None) -> Plan:
    """The plan of one area of the shared plan at ``url`` (a new :class:`Plan`, ready to save as a
    .gpkg), with everything check-in needs in its ``checkout.*`` settings.  ``area`` is the code
    (or id) of a parent grid."""
    import psycopg
    from pyproj import CRS

    from ..levels import Level
    from .gpkg import _single, newer_format
    from .postgis import (_LEVEL_COLUMNS, _META_KEYS, APPLICATION, _one_line, _shown, connect, default_author,
                          parse_url, read_rows, schema_exists)

    _, schema = parse_url(url)
    s = _q(schema)
    with connect(url) as conn:
        conn.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ      # one consistent snapshot
        conn.read_only = True
        try:
            if not schema_exists(conn, schema) or conn.execute(
                    "SELECT to_regclass(%s)", (f"{s}.settings",)).fetchone()[0] is None:
                raise StoreError(f"{_shown(url)}: " + bi(f"服务器上没有方案（模式 {schema} 不存在）",
                                                         f"no plan on the server (schema {schema} does not exist)"))
            settings = dict(conn.execute(f"SELECT key, value FROM {s}.settings").fetchall())
            if settings.get("application") != APPLICATION:
                raise StoreError(f"{_shown(url)}: " + bi("不是 gridmap 方案", "not a gridmap project"))
            newer = newer_format(settings)
            if newer:
                raise StoreError(f"{_shown(url)}: {newer}")
            hit = conn.execute(f"SELECT id FROM {s}.grids WHERE code = %s ORDER BY id", (str(area),)).fetchall()
            if not hit and str(area).isdigit():
                hit = conn.execute(f"SELECT id FROM {s}.grids WHERE id = %s", (int(area),)).fetchall()
            if len(hit) != 1:
                raise StoreError(f"{_shown(url)}: " + (bi(f"没有编码为 {area} 的网格", f"no grid with code {area}")
                                                       if not hit else
                                                       bi(f"编码 {area} 不唯一（{len(hit)} 个网格）",
                                                          f"code {area} is not unique ({len(hit)} grids)")))
            area_id = int(hit[0][0])
            editable = [int(r[0]) for r in conn.execute(
                f"""WITH RECURSIVE d(id) AS (SELECT id FROM {s}.grids WHERE parent = %(a)s
                        UNION SELECT g.id FROM {s}.grids g JOIN d ON g.parent = d.id)
                    SELECT id FROM d ORDER BY id""", {"a": area_id}).fetchall()]
            if not editable:
                raise StoreError(f"{_shown(url)}: " + bi(f"网格 {area} 下没有下级网格，无可签出的内容",
                                                         f"grid {area} has no grids under it; nothing to check out"))
            context = [int(r[0]) for r in conn.execute(
                f"""WITH e AS (SELECT geometry FROM {s}.grids WHERE id = ANY(%(ids)s))
                    SELECT DISTINCT n.id FROM {s}.grids n, e WHERE n.geometry && e.geometry
                           AND ST_Intersects(n.geometry, e.geometry) AND NOT n.id = ANY(%(ids)s)
                    UNION SELECT %(a)s ORDER BY 1""", {"ids": editable + [area_id], "a": area_id}).fetchall()]
            crs = CRS.from_user_input(settings["crs"])
            lv = conn.execute(f"SELECT {', '.join(_q(c) for c, _ in _LEVEL_COLUMNS)} FROM {s}.levels "
                              'ORDER BY "order"').fetchall()
            levels = [Level.from_record(dict(zip([c for c, _ in _LEVEL_COLUMNS], r))) for r in lv]
            grid_ids = sorted(set(editable) | set(context))
            tables, revisions = {}, {}

            def take(name, where, params):
                df, revs = read_rows(conn, schema, name, where, params)
                if name in _GEOM:
                    df = df.set_crs(crs, allow_override=True)
                tables[name], revisions[name] = df, revs

            take("grids", "WHERE id = ANY(%s)", (grid_ids,))
            for name in _BY_GRID:
                take(name, "WHERE grid = ANY(%s)", (grid_ids,))
            people = set()
            for name, col in (("roles", "person"), ("segments", "officer"), ("places", "person")):
                people |= {int(v) for v in tables[name][col].dropna()} if col in tables[name] else set()
            take("people", "WHERE id = ANY(%s)", (sorted(people),))
            for name in ("units", "base_layers", "assess_items"):
                take(name, "", ())
            last_seq = int(conn.execute(f"SELECT coalesce(max(seq), 0) FROM {s}.change_log").fetchone()[0])
        except StoreError:
            raise
        except Exception as exc:
            raise StoreError(f"{_shown(url)}: " + bi("服务器上的方案无法读取", "the plan on the server cannot be read")
                             + f" ({type(exc).__name__}: {_one_line(exc)})") from exc
    grids = tables["grids"]
    jurisdiction = _single(np.array([grids.geometry[area_id]]))[0]
    extra = {k: v for k, v in settings.items() if k not in _META_KEYS}
    code = str(grids.at[area_id, "code"]) or str(area_id)
    plan = Plan(name=f"{settings.get('name', schema)}（{grids.at[area_id, 'name'] or code}）", crs=crs,
                admin_code=settings.get("admin_code", ""), levels=levels, jurisdiction=jurisdiction,
                settings=extra, **tables)
    _set_base(plan, plan)
    plan.settings.update({
        KEY + "url": _plain_url(url), KEY + "schema": schema, KEY + "area": code, KEY + "area_id": str(area_id),
        KEY + "by": author or default_author(), KEY + "at": time.strftime("%Y-%m-%d %H:%M:%S"),
        KEY + "editable": pack(editable), KEY + "revisions": pack(_revs_json(revisions)),
        KEY + "last_seq": str(last_seq)})
    return plan


def _revs_json(revisions: dict) -> dict:
    return {t: {str(int(i)): int(r) for i, r in revs.items()} for t, revs in revisions.items()}


def _set_base(plan: Plan, base: Plan) -> None:
    """Keep ``base``'s tables as the state the server is known to have (in the plan's settings)."""
    from ..versions.store import plan_delta

    shell = base.copy()
    shell.settings = {k: v for k, v in base.settings.items() if not k.startswith(KEY)}
    shell.versions = None
    plan.settings[KEY + "base"] = pack(plan_delta(None, shell))


def _base_of(plan: Plan) -> Plan:
    from ..versions.store import apply_delta

    text = plan.settings.get(KEY + "base", "")
    if not text:
        raise StoreError(bi("签出文件缺少签出时的基准数据，无法签入；请重新签出",
                            "the checked-out file lacks the state it was checked out at; check out again"))
    return apply_delta(None, unpack(text))


# ---------------------------------------------------------------------------- differences
def _changed_rows(base: Plan, local: Plan, tables=None) -> dict[str, dict[str, list[int]]]:
    """Per table (of ``tables``, default all): ids ``added``, ``removed`` and ``changed`` (any column,
    geometry by WKB)."""
    from ..versions.store import _differs

    out = {}
    for t, declared, geom in TABLES:
        if tables is not None and t not in tables:
            continue
        b, l = getattr(base, t), getattr(local, t)
        added = sorted(int(i) for i in l.index.difference(b.index))
        removed = sorted(int(i) for i in b.index.difference(l.index))
        common = l.index.intersection(b.index)
        mask = np.zeros(len(common), dtype=bool)
        for c in list(declared) + (["geometry"] if geom else []):
            if c in l.columns and c in b.columns and len(common):
                mask |= _differs(b.loc[common, c], l.loc[common, c], geometry=(c == "geometry"))
        changed = sorted(int(i) for i in common[mask])
        if added or removed or changed:
            out[t] = {"added": added, "removed": removed, "changed": changed}
    return out


def _columns(t: str) -> list[str]:
    return list(_TABLE_COLUMNS[t]) + (["geometry"] if t in _GEOM else [])


def _row(df, rid) -> dict:
    return {c: df.at[rid, c] for c in df.columns}


def _commands(base: Plan, local: Plan, rows: list[tuple[str, int]], text: str):
    """A Macro recording the change of ``rows`` from base to local (never applied: the local plan
    is already in its after state; it is the changeset the change log keeps and replays)."""
    from ..editing import commands as C
    from ..editing.changeset import _same

    cmds = []
    for t, rid in rows:
        b, l = getattr(base, t), getattr(local, t)
        if rid not in b.index:
            vals = {c: l.at[rid, c] for c in _columns(t) if c in l.columns}
            cmds.append(C.AddRow(text, t, vals, new_id=int(rid)))
        elif rid not in l.index:
            cmds.append(C.DeleteRow(text, t, int(rid), saved={c: b.at[rid, c] for c in _columns(t) if c in b.columns}))
        else:
            before, after = {}, {}
            for c in _columns(t):
                if c in b.columns and c in l.columns and not _same(b.at[rid, c], l.at[rid, c]):
                    before[c], after[c] = b.at[rid, c], l.at[rid, c]
            if "geometry" in after:
                cmds.append(C.SetGeometries(text, {int(rid): after.pop("geometry")}, table=t,
                                            old={int(rid): before.pop("geometry")}))
            if after:
                cmds.append(C.SetCells(text, t, int(rid), after, old=before))
    return C.Macro(text, cmds)


class _Union:
    def __init__(self):
        self.up = {}

    def find(self, k):
        self.up.setdefault(k, k)
        while self.up[k] != k:
            self.up[k] = self.up[self.up[k]]
            k = self.up[k]
        return k

    def join(self, a, b):
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.up[rb] = ra


def _groups(base: Plan, local: Plan, diff: dict) -> list[list[tuple[str, int]]]:
    """The changed rows in changesets: changed grids that touch (before or after) or are parent and
    child are one changeset, with the rows of other tables that belong to them; other rows alone."""
    u = _Union()
    rows = [(t, i) for t, d in diff.items() for k in ("added", "removed", "changed") for i in d[k]]
    grids = sorted(i for t, i in rows if t == "grids")
    grid_set = set(grids)
    for t, i in rows:
        u.find((t, i))
    for t, i in rows:
        if t in _BY_GRID:
            for df in (getattr(base, t), getattr(local, t)):
                if i in df.index and pd.notna(df.at[i, "grid"]) and int(df.at[i, "grid"]) in grid_set:
                    u.join(("grids", int(df.at[i, "grid"])), (t, i))
        if t == "grids":
            for df in (base.grids, local.grids):
                if i in df.index and pd.notna(df.at[i, "parent"]) and int(df.at[i, "parent"]) in grid_set:
                    u.join(("grids", int(df.at[i, "parent"])), (t, i))
    geoms, owners = [], []
    for df in (base.grids, local.grids):
        for i in grids:
            if i in df.index and df.geometry[i] is not None:
                geoms.append(df.geometry[i])
                owners.append(i)
    if geoms:
        tree = shapely.STRtree(geoms)
        a, b = tree.query(geoms, predicate="intersects")
        for x, y in zip(a, b):
            u.join(("grids", owners[x]), ("grids", owners[y]))
    out: dict = {}
    for r in rows:
        out.setdefault(u.find(r), []).append(r)
    return sorted((sorted(g) for g in out.values()), key=lambda g: g[0])


def _describe(local: Plan, base: Plan, rows) -> str:
    codes = []
    for t, i in rows:
        if t != "grids":
            continue
        df = local.grids if i in local.grids.index else base.grids
        codes.append(str(df.at[i, "code"]) or str(i))
    others = sorted({t for t, _ in rows if t != "grids"})
    what = ("网格 " + "、".join(codes[:5]) + (" 等" if len(codes) > 5 else "")) if codes else \
        "、".join(f"{_NAMES.get(t, t)} {t} ×{sum(1 for tt, _ in rows if tt == t)}" for t in others)
    return f"签入 Check-in: {what}"


_NAMES = {"people": "人员", "units": "单位", "roles": "职责", "segments": "路段", "places": "场所",
          "assess_scores": "考核得分", "assess_items": "考核项目", "ledger": "工作台账", "survey": "满意度调查",
          "base_layers": "底图"}


# ---------------------------------------------------------------------------- new ids
def _remap_new_ids(conn, schema: str, base: Plan, local: Plan) -> dict[str, dict[int, int]]:
    """Give rows added offline ids the server has not used (references and lineage follow);
    changes ``local`` in place and returns {table: {old id: new id}}."""
    import re

    s = _q(schema)
    remaps = {}
    # ids given by an earlier check-in that was interrupted: already the server's, never given again
    assigned = {t: set(ids) for t, ids in unpack(local.settings.get(KEY + "assigned", pack({}))).items()}
    for t, _, _ in TABLES:
        df = getattr(local, t)
        added = sorted(int(i) for i in df.index.difference(getattr(base, t).index)
                       if int(i) not in assigned.get(t, ()))
        if not added:
            continue
        top = int(conn.execute(f"SELECT coalesce(max(id), 0) FROM {s}.{_q(t)}").fetchone()[0])
        if min(added) > top:
            continue
        start = max(top, int(df.index.max()), int(getattr(base, t).index.max()) if len(getattr(base, t)) else 0) + 1
        remaps[t] = {old: start + k for k, old in enumerate(added)}
        assigned.setdefault(t, set()).update(remaps[t].values())
    if remaps:
        local.settings[KEY + "assigned"] = pack({t: sorted(ids) for t, ids in assigned.items()})
    for t, m in remaps.items():
        df = getattr(local, t)
        df.index = pd.Index([m.get(int(i), int(i)) for i in df.index], name="id", dtype=np.int64)
        setattr(local, t, df.sort_index())
        for rt, col in _REFS.get(t, ()):
            rdf = getattr(local, rt)
            if col in rdf.columns and len(rdf):
                vals = rdf[col].astype(object).map(lambda v: m.get(int(v), int(v)) if pd.notna(v) else pd.NA)
                rdf[col] = pd.array(vals.tolist(), dtype="Int64")
                setattr(local, rt, rdf)
        if t == "grids" and "lineage" in local.grids.columns:
            pat = re.compile(r"(?<=[:,])(\d+)(?=[,;]|$)")

            def fix(text):
                if not isinstance(text, str) or not text:
                    return text
                return ";".join(e if e.startswith("import:") else pat.sub(lambda mm: str(m.get(int(mm.group(1)),
                                                                                          int(mm.group(1)))), e)
                                for e in text.split(";"))
            local.grids["lineage"] = local.grids["lineage"].map(fix)
    return remaps


# ---------------------------------------------------------------------------- checkin
@dataclass
class Outcome:
    """What happened to one local changeset."""

    text: str
    rows: list[str]
    status: str                 # "committed" | "conflict" | "refused" | "skipped"
    seq: int = 0
    message: str = ""
    by: str = ""
    at: str = ""
    other: str = ""             # the other planner's change (conflicts)


@dataclass
class CheckinResult:
    outcomes: list[Outcome] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    remapped: dict = field(default_factory=dict)

    @property
    def committed(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.status == "committed"]

    @property
    def failed(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.status in ("conflict", "refused", "skipped")]


def _key(t, i) -> str:
    return f"{t}:{i}"


def _set_rows(dst: Plan, src: Plan | None, rows, server: dict | None = None) -> None:
    """Make ``rows`` of ``dst`` what they are in ``src`` (or in ``server``: {table: DataFrame});
    rows missing there are removed."""
    by_table: dict = {}
    for t, i in rows:
        by_table.setdefault(t, set()).add(int(i))
    for t, ids in by_table.items():
        if t not in _TABLE_COLUMNS:
            continue
        df = getattr(dst, t)
        source = server[t] if server is not None else getattr(src, t)
        keep = df.drop(index=[i for i in ids if i in df.index])
        fresh = source.loc[[i for i in ids if i in source.index], [c for c in df.columns if c in source.columns]]
        merged = pd.concat([keep, fresh]) if len(fresh) else keep
        merged = merged.sort_index()
        if t in _GEOM:
            import geopandas as gpd

            merged = gpd.GeoDataFrame(merged, geometry="geometry", crs=dst.crs)
        setattr(dst, t, coerce(merged, _TABLE_COLUMNS[t]))


def _server_rows(conn, schema: str, keys, crs) -> tuple[dict, dict]:
    from .postgis import read_rows

    frames, revs = {}, {}
    by_table: dict = {}
    for t, i in keys:
        by_table.setdefault(t, []).append(int(i))
    for t, ids in by_table.items():
        if t not in _TABLE_COLUMNS:
            continue
        df, r = read_rows(conn, schema, t, "WHERE id = ANY(%s)", (sorted(ids),))
        if t in _GEOM:
            df = df.set_crs(crs, allow_override=True)
        frames[t], revs[t] = coerce(df, _TABLE_COLUMNS[t]), r
    return frames, revs


def _merge_onto_server(local: Plan, base: Plan, server: dict, rows) -> None:
    """Re-apply the local change of each row on top of the server's row, column by column
    (the columns the planner changed keep the local value, the others take the server's)."""
    from ..editing.changeset import _same

    for t, i in rows:
        if t not in server:
            continue
        l, b, srv = getattr(local, t), getattr(base, t), server[t]
        if i not in l.index or i not in b.index or i not in srv.index:
            continue          # added, removed (or removed on the server): the local row as it is
        for c in l.columns:
            if c in b.columns and c in srv.columns and _same(l.at[i, c], b.at[i, c]):
                v = srv.at[i, c]
                if c == "geometry":
                    geoms = l.geometry.values.copy()
                    geoms[l.index.get_loc(i)] = v
                    l["geometry"] = geoms
                else:
                    l.at[i, c] = v
        setattr(local, t, l)


def checkin(local: Plan, url: str | None = None, reapply: bool = False, discard: bool = False,
            author: str | None = None, save=None) -> CheckinResult:
    """Commit the changes made to a checked-out plan since its checkout (or its last check-in),
    one changeset per neighbourhood, each as one transaction.  ``local`` is updated in place
    (new ids, base and revisions of what went in; with ``discard``/``reapply`` the server's rows
    of the conflicting changesets); the caller saves it to its file.  Conflicting and refused
    changesets stay in ``local`` as they were.  ``save()`` (optional) is called after rows added
    offline got their server ids and before anything is committed, so that a check-in interrupted
    later (the file not saved at the end) never sends those rows a second time under other ids."""
    import psycopg

    from . import shared
    from .postgis import PgOrigin, _remember, connect, default_author, parse_url

    if not is_checkout(local):
        raise StoreError(bi("此方案不是从服务器签出的（没有 checkout.url 设置），无法签入",
                            "this plan was not checked out from a server (no checkout.url setting); nothing to check in"))
    settings = local.settings
    schema = settings.get(KEY + "schema", "")
    target = url or settings[KEY + "url"]
    if parse_url(target)[1] != schema:
        raise StoreError(bi(f"地址的模式与签出时不同（签出自模式 {schema}）", f"the URL names another schema than the "
                            f"one checked out from ({schema})"))
    author = author or default_author()
    base = _base_of(local)
    editable = set(unpack(settings.get(KEY + "editable", pack([]))))
    revisions = {t: {int(i): int(r) for i, r in revs.items()}
                 for t, revs in unpack(settings.get(KEY + "revisions", pack({}))).items()}
    result = CheckinResult()
    extra = {k for k in set(local.settings) | set(base.settings)
             if not k.startswith(KEY) and local.settings.get(k) != base.settings.get(k)}
    if extra:
        result.notes.append(bi(f"方案设置的修改不签入（{', '.join(sorted(extra)[:5])}）",
                               f"changes to plan settings are not checked in ({', '.join(sorted(extra)[:5])})"))
    from ..editing.changeset import _same

    if not _same(local.jurisdiction, base.jurisdiction):
        result.notes.append(bi("签出文件的辖区即签出区域，其修改不签入", "the checked-out file's jurisdiction is the "
                               "area checked out; its change is not checked in"))
    with connect(target) as conn:
        conn.autocommit = True
        srid = int(conn.execute("SELECT Find_SRID(%s, 'grids', 'geometry')", (schema,)).fetchone()[0])
        result.remapped = _remap_new_ids(conn, schema, base, local)
        if result.remapped and save is not None:
            save()
        diff = _changed_rows(base, local)
        if not diff:
            _finish(local, base, revisions)
            return result
        origin = PgOrigin(target, schema, srid, revisions)
        _remember(local, origin)
        # rows of grids outside the area (the read-only surroundings) are not sent
        new_grids = set(diff.get("grids", {}).get("added", []))
        for rows in _groups(base, local, diff):
            text = _describe(local, base, rows)
            keys = [_key(t, i) for t, i in rows]
            outside = [_key(t, i) for t, i in rows if _grid_of(base, local, t, i) is not None
                       and _grid_of(base, local, t, i) not in editable | new_grids]
            if outside:
                result.outcomes.append(Outcome(text, keys, "skipped", message=bi(
                    f"超出签出区域（只读的周边）：{', '.join(outside[:6])}；未签入，保留在本地文件",
                    f"outside the area checked out (read-only surroundings): {', '.join(outside[:6])}; not checked "
                    "in, kept in the local file")))
                continue
            attempt = 0
            while True:
                attempt += 1
                cs = _changeset(base, local, rows, text, author)
                try:
                    seq = shared.commit(local, cs, conn=conn, author=author)
                except shared.EditConflict as exc:
                    stale = [tuple(k.split(":", 1)) for k in exc.rows]
                    stale = [(t, int(i)) for t, i in stale if t != "settings"]
                    mine = set(rows)
                    if attempt == 1 and (reapply or discard or _already_in(conn, schema, local, rows, stale)):
                        server, srevs = _server_rows(conn, schema, set(stale) | mine, local.crs)
                        if discard and not _already_in(conn, schema, local, rows, stale):
                            _set_rows(local, None, set(stale) | mine, server)
                            _set_rows(base, None, set(stale) | mine, server)
                            _take_revs(origin.revisions, set(stale) | mine, srevs)
                            result.outcomes.append(Outcome(text, keys, "discarded", message=exc.args[0],
                                                           by=exc.by, at=exc.at, other=exc.text))
                            break
                        untouched = set(stale) - mine
                        _set_rows(local, None, untouched, server)
                        _merge_onto_server(local, base, server, mine)
                        _set_rows(base, None, set(stale) | mine, server)
                        _take_revs(origin.revisions, set(stale) | mine, srevs)
                        if not _changed_rows_of(base, local, rows):
                            result.outcomes.append(Outcome(text, keys, "committed", message=bi(
                                "服务器上已是这些修改（先前已签入）", "the server has these changes already "
                                "(checked in before)")))
                            break
                        continue
                    result.outcomes.append(Outcome(text, keys, "conflict", message=exc.args[0], by=exc.by,
                                                   at=exc.at, other=exc.text))
                except StoreError as exc:
                    result.outcomes.append(Outcome(text, keys, "refused", message=str(exc)))
                else:
                    _set_rows(base, local, rows)
                    result.outcomes.append(Outcome(text, keys, "committed", seq=seq))
                break
    _finish(local, base, origin.revisions)
    return result


def _take_revs(revisions: dict, keys, srevs: dict) -> None:
    for t, i in keys:
        known = revisions.setdefault(t, {})
        got = srevs.get(t, {})
        if i in got:
            known[i] = got[i]
        else:
            known.pop(i, None)


def _grid_of(base: Plan, local: Plan, t: str, i: int):
    """The grid a row belongs to (a grid: itself), None for rows of no grid."""
    if t == "grids":
        return int(i)
    if t not in _BY_GRID:
        return None
    for df in (local, base):
        d = getattr(df, t)
        if i in d.index and pd.notna(d.at[i, "grid"]):
            return int(d.at[i, "grid"])
    return None


def _changed_rows_of(base: Plan, local: Plan, rows) -> bool:
    from ..editing.changeset import _same

    for t, i in rows:
        b, l = getattr(base, t), getattr(local, t)
        if (i in b.index) != (i in l.index):
            return True
        if i in b.index and any(not _same(b.at[i, c], l.at[i, c]) for c in l.columns if c in b.columns):
            return True
    return False


def _already_in(conn, schema: str, local: Plan, rows, stale) -> bool:
    """Whether the server's rows are already exactly the local ones (a check-in whose file could
    not be saved afterwards, run again): then the conflict is with ourselves."""
    from ..editing.changeset import _same

    if not set(stale) <= set(rows):
        return False
    server, _ = _server_rows(conn, schema, rows, local.crs)
    for t, i in rows:
        l, srv = getattr(local, t), server.get(t)
        if srv is None or (i in l.index) != (i in srv.index):
            return False
        if i in l.index and any(not _same(l.at[i, c], srv.at[i, c]) for c in l.columns if c in srv.columns):
            return False
    return True


def _changeset(base: Plan, local: Plan, rows, text: str, author: str) -> dict:
    from ..editing.changeset import changeset

    return changeset(_commands(base, local, rows, text), author=author)


def _finish(local: Plan, base: Plan, revisions: dict) -> None:
    assigned = unpack(local.settings.pop(KEY + "assigned", pack({})))
    left = {t: [i for i in ids if i not in getattr(base, t).index] for t, ids in assigned.items()}
    left = {t: ids for t, ids in left.items() if ids}
    if left:
        local.settings[KEY + "assigned"] = pack(left)
    _set_base(local, base)
    local.settings[KEY + "revisions"] = pack(_revs_json(revisions))
    local.settings[KEY + "last_checkin"] = time.strftime("%Y-%m-%d %H:%M:%S")


# ---------------------------------------------------------------------------- one command on a server plan
def commit_edit(plan: Plan, command, author: str | None = None, conn=None) -> int | None:
    """Apply ``command`` to a plan opened from a server (through the edit buffer, so its guard
    applies) and commit it as one transaction of the rows it really changed: a command that
    replaces a whole table (an imported score sheet) becomes the rows added, removed and changed,
    so a planner's commit touches only their area's rows and two planners' imports of different
    areas never conflict.  Returns the change-log sequence number (None: nothing changed).
    Nothing is committed when the command is refused; :class:`EditConflict` / :class:`StoreError`
    as :func:`gridmap.core.storage.shared.commit`."""
    from ..editing import commands as C
    from ..editing.buffer import EditBuffer, PlanSnapshot
    from ..editing.changeset import _same, changeset
    from . import shared
    from .postgis import default_author

    before = PlanSnapshot(plan)          # shallow: copy-on-write keeps it as it was
    EditBuffer(plan).push(command)
    text = getattr(command, "text", "") or ""
    diff = _changed_rows(before, plan, _command_tables(command))
    rows = [(t, i) for t, d in diff.items() for k in ("added", "removed", "changed") for i in d[k]]
    macro = _commands(before, plan, rows, text)
    for k in sorted(set(before.settings) | set(plan.settings)):
        if before.settings.get(k) != plan.settings.get(k):
            macro.commands.append(C.SetSetting(text, k, plan.settings.get(k), old=before.settings.get(k),
                                               had=k in before.settings))
    if not _same(before.jurisdiction, plan.jurisdiction):
        macro.commands.append(C.SetJurisdiction(text, plan.jurisdiction, old=before.jurisdiction))
    if not macro.commands:
        return None
    author = author or default_author()
    try:
        return shared.commit(plan, changeset(macro, author=author), conn=conn, author=author)
    except BaseException:
        before.restore(plan)                 # nothing went in: the plan as it was read
        raise


def _command_tables(command) -> set[str] | None:
    """The tables a command may change (None: it cannot say; compare them all)."""
    subs = getattr(command, "commands", None)
    if subs is not None:
        out: set = set()
        for c in subs:
            got = _command_tables(c)
            if got is None:
                return None
            out |= got
        return out
    table = getattr(command, "table", None)
    if table in _TABLE_COLUMNS:
        return {table}
    if type(command).__name__ in ("SetSetting", "SetJurisdiction"):
        return set()
    if type(command).__name__ == "_Reparent":
        return {"grids"}
    return None
