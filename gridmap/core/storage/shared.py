"""Editing a shared plan on PostGIS: changesets as transactions, no lost update.

Every changeset of the edit buffer (one undo step, :mod:`gridmap.core.editing.changeset`)
is committed by :func:`commit` as one transaction:

1. the rows it changes, and their neighbours (grids whose geometry touches the edited grids
   before or after the edit, and the segments and places of the edited grids), are locked
   (transaction-level advisory locks, taken in one sorted order so two clients never deadlock);
2. each of them must still have the revision the client read: if another planner changed
   one since (the same row, or a neighbour across a shared boundary), the transaction is
   rolled back and :class:`EditConflict` says whose change it was, when and what;
3. the changed rows are written (row-level security decides whether this user may), their
   revision raised by one, the changeset appended to ``change_log`` and a NOTIFY sent on
   channel ``gridmap_<schema>``.

:func:`pull` brings the rows others changed into a client's plan (after a conflict:
reload, then re-apply or discard).
"""

from __future__ import annotations

from ..messages import bi
from ..plan import TABLES
from .base import StoreError

__all__ = ["create_shared_tables", "EditConflict", "append_log", "commit", "pull", "fetch_changes", "apply_changes",
           "touched_rows"]

_TABLE_COLUMNS = {name: declared for name, declared, _ in TABLES}
_GEOM = {name for name, _, g in TABLES if g}


class EditConflict(StoreError):
    """Another planner changed a row this changeset locks since the client read it."""

    def __init__(self, message: str, rows: list[str], by: str = "", at: str = "", text: str = ""):
        super().__init__(message)
        self.rows, self.by, self.at, self.text = rows, by, at, text


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def create_shared_tables(conn, schema: str) -> None:
    """The append-only change log and the planners' assigned areas."""
    s = _q(schema)
    conn.execute(f"""
        CREATE TABLE {s}.change_log (
            seq bigserial PRIMARY KEY, at timestamptz NOT NULL DEFAULT now(), author text NOT NULL DEFAULT '',
            db_user text NOT NULL DEFAULT current_user, text text NOT NULL DEFAULT '',
            changeset jsonb NOT NULL, rows text[] NOT NULL DEFAULT '{{}}');
        CREATE INDEX ON {s}.change_log USING gin (rows);
        CREATE FUNCTION {s}.change_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN RAISE EXCEPTION 'change_log is append-only'; END $$;
        CREATE TRIGGER append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON {s}.change_log
            FOR EACH STATEMENT EXECUTE FUNCTION {s}.change_log_append_only();
        CREATE TABLE {s}.assignments (member text NOT NULL, grid bigint NOT NULL, PRIMARY KEY (member, grid));
    """)
    from .permissions import enable_permissions

    enable_permissions(conn, schema)


# ---------------------------------------------------------------------------- which rows a changeset touches
def touched_rows(cs: dict) -> set[tuple[str, object]]:
    """(table, id) of every row a changeset changes (settings rows by key, jurisdiction id 1)."""
    out: set[tuple[str, object]] = set()

    def walk(d):
        kind = d["kind"]
        if kind == "Macro":
            for c in d["commands"]:
                walk(c)
        elif kind == "SetJurisdiction":
            out.add(("jurisdiction", 1))
        elif kind == "SetSetting":
            out.add(("settings", str(d["ids"][0])))
        elif kind == "ReplaceTable":
            for frame in (d.get("before"), d.get("after")):
                for i in (frame or {}).get("rows", {}):
                    out.add((d["table"], int(i)))
        else:
            for i in d["ids"]:
                out.add((d["table"], int(i)))
    walk(cs["command"])
    return out


def _key(schema: str, table: str, rid) -> str:
    return f"{table}:{rid}"


def _neighbours(conn, schema: str, plan, touched, srid: int) -> set[tuple[str, object]]:
    """Grids touching the edited grids (their server geometry or the client's new one), and the
    segments and places of the edited grids."""
    from .postgis import ewkb

    s = _q(schema)
    grids = sorted(int(i) for t, i in touched if t == "grids")
    if not grids:
        return set()
    new = [ewkb(plan.grids.geometry[i], "MultiPolygon", srid) for i in grids if i in plan.grids.index]
    rows = conn.execute(
        f"""WITH edited AS (SELECT geometry FROM {s}.grids WHERE id = ANY(%(ids)s)
                            UNION ALL SELECT g::geometry FROM unnest(%(new)s::text[]) g)
            SELECT DISTINCT 'grids', n.id FROM {s}.grids n, edited e WHERE n.geometry && e.geometry
                   AND ST_Intersects(n.geometry, e.geometry)
            UNION SELECT 'segments', id FROM {s}.segments WHERE grid = ANY(%(ids)s)
            UNION SELECT 'places', id FROM {s}.places WHERE grid = ANY(%(ids)s)""",
        {"ids": grids, "new": new}).fetchall()
    return {(t, int(i)) for t, i in rows}


def _revisions(conn, schema: str, keys) -> dict[tuple[str, object], int | None]:
    s = _q(schema)
    out: dict = {k: None for k in keys}
    by_table: dict[str, list] = {}
    for t, i in keys:
        by_table.setdefault(t, []).append(i)
    for t, ids in by_table.items():
        col = "key" if t == "settings" else "id"
        for rid, rev in conn.execute(f"SELECT {col}, revision FROM {s}.{_q(t)} WHERE {col} = ANY(%s)",
                                     (ids,)).fetchall():
            out[(t, int(rid) if t != "settings" else rid)] = int(rev)
    return out


def _conflict(conn, schema: str, stale: list[str]) -> EditConflict:
    row = conn.execute(f"SELECT author, db_user, to_char(at, 'YYYY-MM-DD HH24:MI:SS'), text FROM {_q(schema)}.change_log "
                       "WHERE rows && %s ORDER BY seq DESC LIMIT 1", (stale,)).fetchone()
    by, at, text = ((row[0] or row[1]), row[2], row[3]) if row else ("", "", "")
    shown = ", ".join(stale[:6]) + (" …" if len(stale) > 6 else "")
    msg = bi(f"编辑冲突：{by} 于 {at} 已修改（{text}）：{shown}；请重新载入后再应用，或放弃本次修改",
             f"edit conflict: {by} changed {shown} at {at} ({text}); reload and re-apply, or discard your change")
    return EditConflict(msg, stale, by, at, text)


# ---------------------------------------------------------------------------- commit
def append_log(conn, schema: str, author: str, text: str, changeset_json: str, rows: list[str]) -> int:
    """Append one entry to the change log as the last write of the caller's transaction and
    NOTIFY it; returns its sequence number.

    The entry takes the schema's log lock (a transaction-level advisory lock, held until the
    commit), so sequence numbers are given in commit order: a reader that sees entry *n* has
    seen every entry before it, and :func:`fetch_changes` can ask for ``seq > last_seq``
    without missing a transaction that took a lower number but committed later.  The lock is
    taken after every row lock, so it adds no deadlock; it serialises only the insert and the
    commit itself."""
    conn.execute("SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))", (f"{schema}.change_log",))
    seq = conn.execute(
        f"INSERT INTO {_q(schema)}.change_log (author, text, changeset, rows) VALUES (%s, %s, %s, %s) "
        "RETURNING seq", (author, text, changeset_json, rows)).fetchone()[0]
    conn.execute("SELECT pg_notify(%s, %s)", (f"gridmap_{schema}", str(seq)))
    return int(seq)


def commit(plan, cs: dict, conn=None, author: str | None = None) -> int:
    """Commit one changeset (already applied to ``plan``, which was opened from the server) as one
    transaction; returns its change-log sequence number.  :class:`EditConflict` when a row it
    locks changed since ``plan`` read it; nothing is written then."""
    import json

    import psycopg

    from .postgis import connect, default_author, origin_of

    origin = origin_of(plan)
    if origin is None:
        raise StoreError(bi("此方案不是从服务器打开的", "this plan was not opened from a server"))
    own = conn is None
    conn = conn or connect(origin.url)
    schema = origin.schema
    touched = touched_rows(cs)
    try:
        with conn.transaction():
            keys = touched | _neighbours(conn, schema, plan, touched, origin.srid)
            locks = sorted(f"{schema}.{_key(schema, t, i)}" for t, i in keys)
            conn.execute("SELECT count(pg_advisory_xact_lock(hashtextextended(k, 0))) FROM "
                         "(SELECT unnest(%s::text[]) k ORDER BY 1) l", (locks,))
            grown = _neighbours(conn, schema, plan, touched, origin.srid) - keys
            now = _revisions(conn, schema, keys | grown)
            stale = sorted(_key(schema, t, i) for (t, i), rev in now.items()
                           if rev != origin.revisions.get(t, {}).get(i))
            if stale:
                raise _conflict(conn, schema, stale)
            new_revs = {k: _write_row(conn, schema, plan, k, origin.srid) for k in sorted(touched, key=str)}
            seq = append_log(conn, schema, author or cs.get("author") or default_author(), cs.get("text", ""),
                             json.dumps(cs, ensure_ascii=False), sorted(_key(schema, t, i) for t, i in touched))
    except psycopg.errors.InsufficientPrivilege as exc:
        raise StoreError(bi("数据库拒绝了此修改：超出您负责的区域或没有写权限",
                            "the database refused this change: outside your assigned area or no write permission")
                         + f" ({' '.join(str(exc).split())[:200]})") from exc
    except psycopg.Error as exc:
        raise StoreError(bi("提交失败，服务器上的方案未改变", "commit failed; the plan on the server is unchanged")
                         + f" ({' '.join(str(exc).split())[:200]})") from exc
    finally:
        if own:
            conn.close()
    for (t, i), rev in new_revs.items():
        if rev is None:
            origin.revisions.get(t, {}).pop(i, None)
        else:
            origin.revisions.setdefault(t, {})[i] = rev
    return int(seq)


def _write_row(conn, schema: str, plan, key, srid: int) -> int | None:
    """Write one row from the client's plan (delete it when the plan no longer has it);
    returns its new revision (None: deleted)."""
    from .postgis import GEOMETRY_TYPES, ewkb, py, table_columns

    table, rid = key
    s = _q(schema)
    if table == "settings":
        from .postgis import _META_KEYS

        if rid in _META_KEYS:
            return None
        if rid not in plan.settings:
            conn.execute(f"DELETE FROM {s}.settings WHERE key = %s", (rid,))
            return None
        return conn.execute(f"INSERT INTO {s}.settings AS t (key, value) VALUES (%s, %s) ON CONFLICT (key) DO "
                            "UPDATE SET value = EXCLUDED.value, revision = t.revision + 1 RETURNING revision",
                            (rid, str(plan.settings[rid]))).fetchone()[0]
    if table == "jurisdiction":
        if plan.jurisdiction is None:
            conn.execute(f"DELETE FROM {s}.jurisdiction")
            return None
        return conn.execute(f"INSERT INTO {s}.jurisdiction AS t (id, name, admin_code, geometry) VALUES "
                            "(1, %s, %s, %s::geometry) ON CONFLICT (id) DO UPDATE SET geometry = EXCLUDED.geometry, "
                            "revision = t.revision + 1 RETURNING revision",
                            (plan.name, plan.admin_code, ewkb(plan.jurisdiction, "MultiPolygon", srid))).fetchone()[0]
    df = getattr(plan, table)
    if rid not in df.index:
        conn.execute(f"DELETE FROM {s}.{_q(table)} WHERE id = %s", (rid,))
        return None
    cols = [c for c, _ in table_columns(df, _TABLE_COLUMNS[table])]
    row = df.loc[rid]
    values = [rid] + [py(row[c]) for c in cols]
    names = ["id"] + cols
    marks = ["%s"] * len(names)
    if table in _GEOM:
        names.append("geometry")
        values.append(ewkb(row["geometry"], GEOMETRY_TYPES[table], srid))
        marks.append("%s::geometry")
    sets = ", ".join(f"{_q(c)} = EXCLUDED.{_q(c)}" for c in names[1:])
    return conn.execute(
        f"INSERT INTO {s}.{_q(table)} AS t ({', '.join(_q(c) for c in names)}) VALUES ({', '.join(marks)}) "
        f"ON CONFLICT (id) DO UPDATE SET {sets}, revision = t.revision + 1 RETURNING revision",
        values).fetchone()[0]


# ---------------------------------------------------------------------------- pull
def fetch_changes(conn, schema: str, last_seq: int) -> dict:
    """What others committed after change-log entry ``last_seq``: the entries (seq, author, time,
    text, rows) and the present server rows of every row they name.  Database work only (no
    plan, no CRS object), so the app runs it in a worker thread; :func:`apply_changes` brings
    it into the plan."""
    from .postgis import read_rows

    s = _q(schema)
    with conn.transaction():
        entries = conn.execute(
            f"SELECT seq, coalesce(nullif(author, ''), db_user), to_char(at, 'YYYY-MM-DD HH24:MI:SS'), text, rows "
            f"FROM {s}.change_log WHERE seq > %s ORDER BY seq", (int(last_seq),)).fetchall()
        changed: dict[str, set] = {}
        for *_, rows in entries:
            for k in rows:
                t, i = k.split(":", 1)
                changed.setdefault(t, set()).add(i if t == "settings" else int(i))
        out: dict = {"entries": [tuple(e[:4]) + (list(e[4]),) for e in entries], "tables": {},
                     "last_seq": int(entries[-1][0]) if entries else int(last_seq)}
        for t, ids in changed.items():
            ids = sorted(ids)
            if t == "settings":
                got = dict(conn.execute(f"SELECT key, value FROM {s}.settings WHERE key = ANY(%s)", (ids,)).fetchall())
                out["settings"] = {k: got.get(k) for k in ids}
            elif t == "jurisdiction":
                out["jurisdiction"] = read_rows(conn, schema, "jurisdiction")
            else:
                fresh, revs = read_rows(conn, schema, t, "WHERE id = ANY(%s)", (ids,))
                out["tables"][t] = (fresh, revs, ids)
    return out


def apply_changes(plan, fetched: dict, text: str = ""):
    """Bring rows fetched by :func:`fetch_changes` into ``plan`` as one core command (applied
    here, outside any undo history): per row only the cells and geometries that differ, so the
    window can report it through the same exact :class:`~gridmap.core.editing.changes.Changes`
    path as an edit.  Returns ``(command or None when nothing differed, changed (table, id) rows)``."""
    from ..editing import commands as C
    from ..editing.changeset import _same
    from ..plan import coerce_value
    from .postgis import _META_KEYS, origin_of

    origin = origin_of(plan)
    cmds: list = []
    changed: set = set()
    for t, (fresh, revs, ids) in fetched.get("tables", {}).items():
        df = getattr(plan, t)
        kinds = _TABLE_COLUMNS[t]
        cols = [c for c in df.columns if c != "geometry" and c in fresh.columns]
        has_geometry = t in _GEOM
        geoms = {}
        for i in ids:
            changed.add((t, i))
            there, here = i in fresh.index, i in df.index
            if there and here:
                vals = {}
                for c in cols:
                    new = fresh.at[i, c]
                    if c in kinds:
                        new = coerce_value(new, kinds[c])
                    if not _same(new, df.at[i, c]):
                        vals[c] = new
                if vals:
                    cmds.append(C.SetCells("", t, i, vals))
                if has_geometry and not _same(fresh.geometry[i], df.geometry[i]):
                    geoms[i] = fresh.geometry[i]
            elif there:
                vals = {c: fresh.at[i, c] for c in cols}
                if has_geometry:
                    vals["geometry"] = fresh.geometry[i]
                cmds.append(C.AddRow("", t, vals, new_id=int(i)))
            elif here:
                cmds.append(C.DeleteRow("", t, int(i)))
        if geoms:
            cmds.append(C.SetGeometries("", geoms, table=t))
        if origin is not None:
            known = origin.revisions.setdefault(t, {})
            for i in ids:
                known.pop(i, None)
            known.update(revs)
    for k, v in fetched.get("settings", {}).items():
        changed.add(("settings", k))
        if k not in _META_KEYS and plan.settings.get(k) != v:
            cmds.append(C.SetSetting("", k, v))
    if "jurisdiction" in fetched:
        j, jrev = fetched["jurisdiction"]
        changed.add(("jurisdiction", 1))
        geom = shapely_union(j.geometry.values) if len(j) else None
        if not _same(geom, plan.jurisdiction):
            cmds.append(C.SetJurisdiction("", geom))
        if origin is not None:
            origin.revisions["jurisdiction"] = jrev
    if origin is not None:
        origin.last_seq = max(origin.last_seq, int(fetched.get("last_seq", 0)))
    if not cmds:
        return None, changed
    command = C.Macro(text, cmds)
    command.redo(plan)
    return command, changed


def shapely_union(geoms):
    import numpy as np
    import shapely

    from .gpkg import _single

    return _single(np.array([shapely.union_all(geoms)]))[0]


def pull(plan, conn=None) -> set[tuple[str, object]]:
    """Bring every row others committed since ``plan`` last saw the change log into it;
    returns the (table, id) rows that changed (for the canvas and problems list to update)."""
    from .postgis import connect, origin_of

    origin = origin_of(plan)
    own = conn is None
    conn = conn or connect(origin.url)
    try:
        fetched = fetch_changes(conn, origin.schema, origin.last_seq)
    finally:
        if own:
            conn.close()
    _, changed = apply_changes(plan, fetched)
    return changed
