"""A plan on PostgreSQL/PostGIS: one schema per plan, the same tables as the GeoPackage.

URL: ``postgresql://USER[:PASSWORD]@HOST[:PORT]/DATABASE?schema=SCHEMA`` (any other
query parameter is a libpq one, e.g. ``sslmode=require``; default schema ``gridmap``).

Tables of the schema (QGIS opens them as ordinary PostGIS layers):

=============  =================================  ======================================
table          geometry                           columns
=============  =================================  ======================================
grids          geometry(MultiPolygon, SRID)       id, code, name, level, parent, notes, …
jurisdiction   geometry(MultiPolygon, SRID)       id, name, admin_code, area_m2
segments       geometry(MultiLineString, SRID)    id, road_name, from_desc, to_desc, grid, officer, notes
places         geometry(Geometry, SRID)           id, name, kind, grid, address, notes
levels, units, people, roles, base_layers, settings  as in the GeoPackage
assess_items, assess_scores, ledger, survey          as in the GeoPackage (考核、台账、满意度)
versions                                          id, name, in_force, author, note, created_at, parent, summary, changes
change_log     (append-only)                      seq, at, author, db_user, text, changeset, rows
assignments                                       member (database role), grid, role
=============  =================================  ======================================

Every plan row also has ``revision`` (raised by one on every committed change: the
optimistic concurrency check of :mod:`gridmap.core.storage.shared`).

Named versions (:mod:`gridmap.core.versions`) live in ``versions`` (written by reviewers,
:func:`save_versions`); the assessment, ledger and survey rows are under row-level security
like the grids: a planner writes only the rows of grids in their area (:func:`server_permissions`).
"""

from __future__ import annotations

import getpass
import re
import socket
import time
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import numpy as np
import pandas as pd
import shapely

from ..levels import Level
from ..messages import bi
from ..plan import FORMAT_VERSION, TABLES, Plan
from .base import StoreError

__all__ = ["is_url", "parse_url", "connect", "PostgisStore", "publish", "open_url", "PgOrigin", "origin_of",
           "GEOMETRY_TYPES", "table_columns", "save_versions", "server_permissions", "VERSION_SQL"]

APPLICATION = "gridmap"
_SCHEMA_RE = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")
# the geometry type of each spatial table (promoted to Multi on write, single parts back on read)
GEOMETRY_TYPES = {"grids": "MultiPolygon", "segments": "MultiLineString", "places": "Geometry",
                  "jurisdiction": "MultiPolygon"}
_META_KEYS = ("application", "format_version", "name", "crs", "admin_code", "revision", "saved_by", "saved_at")
_SQL_TYPES = {"str": "text NOT NULL DEFAULT ''", "Int64": "bigint", "bool": "boolean NOT NULL DEFAULT false",
              "float": "double precision", "num": "double precision"}
_LEVEL_COLUMNS = [("order", "integer"), ("key", "text"), ("name", "text"), ("name_en", "text"),
                  ("code_pattern", "text"), ("min_area_m2", "double precision"),
                  ("max_area_m2", "double precision"), ("multipart_allowed", "integer")]


def is_url(text) -> bool:
    """Whether ``text`` names a PostgreSQL plan rather than a file."""
    return isinstance(text, str) and text.lower().startswith(("postgresql://", "postgres://"))


def parse_url(url: str) -> tuple[str, str]:
    """(libpq URL without ``schema``, schema name) of a plan URL."""
    parts = urlsplit(url)
    query = parse_qsl(parts.query, keep_blank_values=True)
    schema = next((v for k, v in query if k == "schema"), "") or "gridmap"
    if not _SCHEMA_RE.match(schema):
        raise StoreError(f"{_shown(url)}: " + bi(
            f"模式名 {schema!r} 无效（只能用小写字母、数字和下划线，且不以数字开头）",
            f"schema name {schema!r} is not valid (lower-case letters, digits and underscores, not starting "
            "with a digit)"))
    rest = urlencode([(k, v) for k, v in query if k != "schema"])
    return urlunsplit((parts.scheme, parts.netloc, parts.path, rest, parts.fragment)), schema


def _shown(url: str) -> str:
    """The URL with any password hidden (for messages)."""
    parts = urlsplit(url)
    if parts.password:
        netloc = parts.netloc.replace(f":{parts.password}@", ":***@")
        return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))
    return url


def connect(url: str, **kw):
    """A psycopg connection to the plan's database, or :class:`StoreError` saying why not."""
    import psycopg

    conninfo, _ = parse_url(url)
    try:
        return psycopg.connect(conninfo, connect_timeout=10, **kw)
    except psycopg.Error as exc:
        raise StoreError(f"{_shown(url)}: " + bi("无法连接数据库服务器", "cannot connect to the database server")
                         + f" ({_one_line(exc)})") from exc


def _one_line(exc) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text if len(text) <= 300 else text[:297] + "…"


def _q(name: str) -> str:
    """A quoted SQL identifier."""
    return '"' + name.replace('"', '""') + '"'


# ---------------------------------------------------------------------------- what the client read
@dataclass
class PgOrigin:
    """Which server plan a :class:`Plan` object was read from, and the revision of every row it read."""

    url: str
    schema: str
    srid: int
    revisions: dict[str, dict[int, int]] = field(default_factory=dict)
    last_seq: int = 0          # the last change-log entry the client has seen
    version_ids: list[int] | None = None   # the versions the client read (None: none read yet)


_ORIGIN = "_gridmap_pg_origin"


def origin_of(plan: Plan) -> PgOrigin | None:
    return getattr(plan, _ORIGIN, None)


def _remember(plan: Plan, origin: PgOrigin) -> None:
    object.__setattr__(plan, _ORIGIN, origin)


# ---------------------------------------------------------------------------- columns and values
def table_columns(df: pd.DataFrame, declared: dict) -> list[tuple[str, str]]:
    """(column, SQL type) of a plan table in the table's own column order: declared columns by
    their kind, any extra column by its dtype."""
    out = []
    for c in df.columns:
        if c == "geometry":
            continue
        if c in declared:
            out.append((str(c), _SQL_TYPES[declared[c]]))
            continue
        kind = str(df[c].dtype)
        sql = ("bigint" if kind.lower().startswith("int") else "double precision" if kind.startswith("float")
               else "boolean" if kind == "bool" else "text")
        out.append((str(c), sql))
    out += [(c, _SQL_TYPES[k]) for c, k in declared.items() if c not in df.columns]
    return out


def py(v):
    """A cell as a plain Python value for psycopg (NA → None)."""
    if v is None or v is pd.NA or v is pd.NaT:
        return None
    if isinstance(v, (np.bool_, bool)):
        return bool(v)
    if isinstance(v, np.integer):
        return int(v)
    if isinstance(v, (float, np.floating)):
        return None if np.isnan(v) else float(v)
    return v


def ewkb(geom, kind: str, srid: int) -> str | None:
    """Hex EWKB of a geometry, promoted to the table's Multi type (PostGIS reads it as text)."""
    if geom is None or (not isinstance(geom, shapely.Geometry)):
        return None
    if kind == "MultiPolygon" and geom.geom_type == "Polygon":
        geom = shapely.MultiPolygon([geom])
    elif kind == "MultiLineString" and geom.geom_type == "LineString":
        geom = shapely.MultiLineString([geom])
    return shapely.to_wkb(shapely.set_srid(geom, srid), hex=True, include_srid=True)


def _srid(conn, crs) -> int:
    epsg = crs.to_epsg()
    if epsg:
        hit = conn.execute("SELECT 1 FROM spatial_ref_sys WHERE srid = %s", (epsg,)).fetchone()
        if hit:
            return int(epsg)
    return 0


def _crs_text(crs) -> str:
    auth = crs.to_authority()
    return f"{auth[0]}:{auth[1]}" if auth else crs.to_wkt()


# ---------------------------------------------------------------------------- publish
def schema_exists(conn, schema: str) -> bool:
    return conn.execute("SELECT 1 FROM pg_namespace WHERE nspname = %s", (schema,)).fetchone() is not None


def absolute_base_sources(plan: Plan, project_dir=None):
    """The plan's base layers with file sources made absolute (a plan file records them relative
    to itself; on a server there is no project folder to resolve them against).  ``project_dir``:
    the folder of the plan's file (default: the file it was opened from or saved to)."""
    import os

    from ..sources import resolve_source
    from .gpkg import _ORIGIN as _FILE

    bl = plan.base_layers
    if project_dir is None:
        came = getattr(plan, _FILE, None)
        project_dir = os.path.dirname(came[0]) if came else None
    if project_dir is None or not len(bl) or "source" not in bl.columns:
        return bl
    out = bl.copy()
    files = out["kind"].astype(str).isin(("vector", "raster", "mbtiles")) & ~out["source"].astype(str).str.contains("://")
    out.loc[files, "source"] = [resolve_source(str(v), project_dir) for v in out.loc[files, "source"]]
    return out


def publish(plan: Plan, url: str, replace: bool = False, author: str | None = None, project_dir=None) -> PgOrigin:
    """Upload a whole plan into the URL's schema (one transaction).  An existing schema is
    refused unless ``replace`` (then it is dropped and written anew).  Base maps that the plan
    file names relative to itself are published with their absolute paths."""
    _, schema = parse_url(url)
    author = author or default_author()
    own_layers = plan.base_layers
    plan.base_layers = absolute_base_sources(plan, project_dir)
    try:
        return _publish(plan, url, schema, replace, author)
    finally:
        plan.base_layers = own_layers


def _publish(plan: Plan, url: str, schema: str, replace: bool, author: str) -> PgOrigin:
    with connect(url) as conn:
        try:
            with conn.transaction():
                if schema_exists(conn, schema):
                    if not replace:
                        raise StoreError(f"{_shown(url)}: " + bi(
                            f"模式 {schema} 已存在；要覆盖请加 --replace", f"schema {schema} exists; "
                            "add --replace to overwrite it"))
                    conn.execute(f"DROP SCHEMA {_q(schema)} CASCADE")
                srid = _srid(conn, plan.crs)
                origin = PgOrigin(url, schema, srid)
                conn.execute(f"CREATE SCHEMA {_q(schema)}")
                _write_plan(conn, schema, plan, srid, origin, author)
                from . import shared

                shared.create_shared_tables(conn, schema)
                server_permissions(conn, schema)
        except StoreError:
            raise
        except Exception as exc:
            import psycopg

            if isinstance(exc, psycopg.Error):
                raise StoreError(f"{_shown(url)}: " + bi("上传失败，服务器上的方案未改变",
                                                         "publishing failed; the plan on the server is unchanged")
                                 + f" ({_one_line(exc)})") from exc
            raise
    _remember(plan, origin)
    return origin


def default_author() -> str:
    try:
        user = getpass.getuser()
    except Exception:
        user = "?"
    return f"{user}@{socket.gethostname()}"


def _write_plan(conn, schema: str, plan: Plan, srid: int, origin: PgOrigin, author: str) -> None:
    s = _q(schema)
    settings = {"application": APPLICATION, "format_version": str(FORMAT_VERSION), "name": plan.name,
                "crs": _crs_text(plan.crs), "admin_code": plan.admin_code, "revision": "1",
                "saved_by": author, "saved_at": time.strftime("%Y-%m-%d %H:%M:%S")}
    # (a checked-out file's own bookkeeping, gridmap.core.storage.checkout, stays in the file)
    settings.update({k: str(v) for k, v in plan.settings.items() if k not in settings and not k.startswith("checkout.")})
    conn.execute(f"CREATE TABLE {s}.settings (key text PRIMARY KEY, value text NOT NULL DEFAULT '', "
                 "revision bigint NOT NULL DEFAULT 1)")
    with conn.cursor().copy(f"COPY {s}.settings (key, value) FROM STDIN") as cp:
        for k, v in settings.items():
            cp.write_row((k, v))
    conn.execute(f"CREATE TABLE {s}.levels ({', '.join(f'{_q(c)} {t}' for c, t in _LEVEL_COLUMNS)})")
    with conn.cursor().copy(f"COPY {s}.levels ({', '.join(_q(c) for c, _ in _LEVEL_COLUMNS)}) FROM STDIN") as cp:
        for i, lv in enumerate(plan.levels):
            rec = lv.to_record(i)
            rec["multipart_allowed"] = int(bool(rec["multipart_allowed"]))
            cp.write_row(tuple(py(rec[c]) for c, _ in _LEVEL_COLUMNS))

    conn.execute(f"CREATE TABLE {s}.jurisdiction (id bigint PRIMARY KEY, name text, admin_code text, "
                 f"area_m2 double precision, revision bigint NOT NULL DEFAULT 1, "
                 f"geometry geometry(MultiPolygon, {srid}))")
    if plan.jurisdiction is not None:
        from ..crs import areas_m2

        area = round(float(areas_m2([plan.jurisdiction], plan.crs)[0]), 2)
        conn.execute(f"INSERT INTO {s}.jurisdiction (id, name, admin_code, area_m2, geometry) "
                     "VALUES (1, %s, %s, %s, %s::geometry)",
                     (plan.name, plan.admin_code, area, ewkb(plan.jurisdiction, "MultiPolygon", srid)))
    origin.revisions["jurisdiction"] = {1: 1} if plan.jurisdiction is not None else {}
    origin.revisions["settings"] = {}

    for name, declared, has_geometry in TABLES:
        df = getattr(plan, name)
        cols = table_columns(df, declared)
        ddl = ["id bigint PRIMARY KEY"] + [f"{_q(c)} {t}" for c, t in cols] + ["revision bigint NOT NULL DEFAULT 1"]
        if has_geometry:
            ddl.append(f"geometry geometry({GEOMETRY_TYPES[name]}, {srid})")
        conn.execute(f"CREATE TABLE {s}.{_q(name)} ({', '.join(ddl)})")
        names = ["id"] + [c for c, _ in cols] + (["geometry"] if has_geometry else [])
        copy_rows(conn, schema, name, df, [c for c, _ in cols], has_geometry, srid)
        origin.revisions[name] = {int(i): 1 for i in df.index}
        if has_geometry:
            conn.execute(f"CREATE INDEX ON {s}.{_q(name)} USING gist (geometry)")
        for col in ("parent", "grid"):
            if col in declared:
                conn.execute(f"CREATE INDEX ON {s}.{_q(name)} ({_q(col)})")
        del names
    conn.execute(f"CREATE TABLE {s}.versions ({VERSION_SQL})")
    origin.version_ids = _write_versions(conn, schema, getattr(plan, "versions", None))


# the versions table (gridmap.core.versions.store.VERSION_COLUMNS)
VERSION_SQL = ("id bigint PRIMARY KEY, name text NOT NULL DEFAULT '', in_force text NOT NULL DEFAULT '', "
               "author text NOT NULL DEFAULT '', note text NOT NULL DEFAULT '', created_at text NOT NULL DEFAULT '', "
               "parent bigint, summary text NOT NULL DEFAULT '', changes text NOT NULL DEFAULT '', "
               "revision bigint NOT NULL DEFAULT 1")
_VERSION_COLS = ("id", "name", "in_force", "author", "note", "created_at", "parent", "summary", "changes")


def _version_rows(versions) -> list[tuple]:
    if versions is None or not len(versions):
        return []
    out = []
    for rec in pd.DataFrame(versions).to_dict("records"):
        row = []
        for c in _VERSION_COLS:
            v = py(rec.get(c))
            row.append((int(v) if v is not None else None) if c in ("id", "parent") else ("" if v is None else str(v)))
        out.append(tuple(row))
    return out


def _write_versions(conn, schema: str, versions, only=None) -> list[int]:
    rows = [r for r in _version_rows(versions) if only is None or r[0] in only]
    if rows:
        with conn.cursor().copy(f"COPY {_q(schema)}.versions ({', '.join(_VERSION_COLS)}) FROM STDIN") as cp:
            for r in rows:
                cp.write_row(r)
    return sorted(r[0] for r in _version_rows(versions))


def _read_versions(conn, schema: str) -> pd.DataFrame | None:
    if conn.execute("SELECT to_regclass(%s)", (f"{_q(schema)}.versions",)).fetchone()[0] is None:
        return None            # published before versions were kept on the server
    rows = conn.execute(f"SELECT {', '.join(_VERSION_COLS)} FROM {_q(schema)}.versions ORDER BY id").fetchall()
    if not rows:
        return None
    df = pd.DataFrame(rows, columns=list(_VERSION_COLS))
    df["id"] = df["id"].astype("int64")
    df["parent"] = df["parent"].fillna(0).astype("int64")
    return df


def save_versions(plan: Plan, url: str | None = None) -> None:
    """Write the plan's versions table to the server it was opened from (one transaction): the
    versions added, changed (a delete rewrites the next one's delta) and deleted since it was read.
    Refused when someone else changed the versions meanwhile (nothing written; open again)."""
    import psycopg

    origin = origin_of(plan)
    if origin is None:
        raise StoreError(bi("此方案不是从服务器打开的", "this plan was not opened from a server"))
    url = url or origin.url
    s = _q(origin.schema)
    mine = {r[0]: r for r in _version_rows(getattr(plan, "versions", None))}
    with connect(url) as conn:
        try:
            with conn.transaction():
                conn.execute(f"LOCK TABLE {s}.versions IN SHARE ROW EXCLUSIVE MODE")
                there = {r[0]: tuple(r) for r in conn.execute(
                    f"SELECT {', '.join(_VERSION_COLS)} FROM {s}.versions ORDER BY id").fetchall()}
                if origin.version_ids is not None and sorted(there) != sorted(origin.version_ids):
                    raise StoreError(f"{_shown(url)}: " + bi(
                        "服务器上的版本列表已被他人修改，未保存；请重新打开方案后再试",
                        "someone else changed the versions on the server meanwhile; nothing saved: open the plan "
                        "again and retry"))
                gone = sorted(set(there) - set(mine))
                changed = sorted(i for i in set(there) & set(mine) if there[i] != mine[i])
                if gone or changed:
                    conn.execute(f"DELETE FROM {s}.versions WHERE id = ANY(%s)", (gone + changed,))
                new = set(mine) - set(there) | set(changed)
                _write_versions(conn, origin.schema, plan.versions, only=new)
        except StoreError:
            raise
        except psycopg.errors.InsufficientPrivilege as exc:
            raise StoreError(f"{_shown(url)}: " + bi("数据库拒绝保存版本：只有审核人（reviewer）可以修改版本",
                                                     "the database refused to save the versions: only reviewers "
                                                     "may change them") + f" ({_one_line(exc)})") from exc
        except psycopg.Error as exc:
            raise StoreError(f"{_shown(url)}: " + bi("版本保存失败，服务器上的版本未改变",
                                                     "saving the versions failed; the versions on the server are "
                                                     "unchanged") + f" ({_one_line(exc)})") from exc
    origin.version_ids = sorted(mine)


# assessment, work ledger and survey rows belong to a grid: planners write those of their area only
_AREA_ASSESS = ("assess_scores", "ledger", "survey")


def server_permissions(conn, schema: str) -> None:
    """Row-level security of the assessment, ledger and survey tables (a planner writes the rows
    of grids in their area; reviewers all; the scoring template and the versions: reviewers only).
    Needs the roles and area functions of :func:`gridmap.core.storage.permissions.enable_permissions`."""
    s = _q(schema)
    planner = _q(f"{schema}_planner")
    conn.execute(f"GRANT INSERT, UPDATE, DELETE ON {', '.join(f'{s}.{_q(t)}' for t in _AREA_ASSESS)} TO {planner}")
    for table in _AREA_ASSESS:
        t = f"{s}.{_q(table)}"
        expr = f"{s}.grid_in_area(grid)"
        conn.execute(f"ALTER TABLE {t} ENABLE ROW LEVEL SECURITY")
        conn.execute(f"CREATE POLICY read_all ON {t} FOR SELECT USING (true)")
        conn.execute(f"CREATE POLICY area_insert ON {t} FOR INSERT WITH CHECK ({expr})")
        conn.execute(f"CREATE POLICY area_update ON {t} FOR UPDATE USING ({expr}) WITH CHECK ({expr})")
        conn.execute(f"CREATE POLICY area_delete ON {t} FOR DELETE USING ({expr})")


def copy_rows(conn, schema: str, table: str, df: pd.DataFrame, cols: list[str], has_geometry: bool,
              srid: int) -> None:
    names = ["id"] + cols + (["geometry"] if has_geometry else [])
    kind = GEOMETRY_TYPES.get(table, "Geometry")
    values = [df[c].tolist() for c in cols]
    geoms = df.geometry.values if has_geometry else None
    with conn.cursor().copy(f"COPY {_q(schema)}.{_q(table)} ({', '.join(_q(c) for c in names)}) FROM STDIN") as cp:
        for k, rid in enumerate(df.index.tolist()):
            row = [int(rid)] + [py(v[k]) for v in values]
            if has_geometry:
                row.append(ewkb(geoms[k], kind, srid))
            cp.write_row(row)


# ---------------------------------------------------------------------------- open
def read_rows(conn, schema: str, table: str, where: str = "", params=()) -> tuple[pd.DataFrame, dict[int, int]]:
    """Rows of a plan table as a DataFrame indexed by id (geometries as shapely, single parts),
    and their revisions."""
    from .gpkg import _single

    cols = [r[0] for r in conn.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_schema = %s AND table_name = %s "
        "ORDER BY ordinal_position", (schema, table)).fetchall()]
    plain = [c for c in cols if c not in ("id", "revision", "geometry")]
    has_geometry = "geometry" in cols
    select = ["id", "revision"] + [_q(c) for c in plain] + (["ST_AsBinary(geometry)"] if has_geometry else [])
    rows = conn.execute(f"SELECT {', '.join(select)} FROM {_q(schema)}.{_q(table)} {where} ORDER BY id",
                        params).fetchall()
    ids = [int(r[0]) for r in rows]
    revisions = {int(r[0]): int(r[1]) for r in rows}
    data = {c: [r[2 + k] for r in rows] for k, c in enumerate(plain)}
    index = pd.Index(ids, name="id", dtype=np.int64)
    if has_geometry:
        import geopandas as gpd

        wkb = np.array([bytes(r[-1]) if r[-1] is not None else None for r in rows], dtype=object)
        geoms = _single(shapely.from_wkb(wkb)) if len(rows) else np.array([], dtype=object)
        return gpd.GeoDataFrame(data, index=index, geometry=geoms), revisions
    return pd.DataFrame(data, index=index, columns=plain), revisions


def open_url(url: str) -> Plan:
    """Open the plan published at ``url``."""
    from pyproj import CRS

    from .gpkg import newer_format

    _, schema = parse_url(url)
    import psycopg

    with connect(url) as conn:
        conn.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ   # one consistent snapshot
        conn.read_only = True
        try:
            if not schema_exists(conn, schema) or conn.execute(
                    "SELECT to_regclass(%s)", (f"{_q(schema)}.settings",)).fetchone()[0] is None:
                raise StoreError(f"{_shown(url)}: " + bi(f"服务器上没有方案（模式 {schema} 不存在）；先用 gridmap publish 上传",
                                                         f"no plan on the server (schema {schema} does not exist); "
                                                         "upload one with gridmap publish first"))
            if True:
                s = _q(schema)
                settings = dict(conn.execute(f"SELECT key, value FROM {s}.settings").fetchall())
                if settings.get("application") != APPLICATION:
                    raise StoreError(f"{_shown(url)}: " + bi("不是 gridmap 方案", "not a gridmap project"))
                newer = newer_format(settings)
                if newer:
                    raise StoreError(f"{_shown(url)}: {newer}")
                crs = CRS.from_user_input(settings["crs"])
                lv = conn.execute(f"SELECT {', '.join(_q(c) for c, _ in _LEVEL_COLUMNS)} FROM {s}.levels "
                                  'ORDER BY "order"').fetchall()
                levels = [Level.from_record(dict(zip([c for c, _ in _LEVEL_COLUMNS], r))) for r in lv]
                srid = int(conn.execute("SELECT Find_SRID(%s, 'grids', 'geometry')", (schema,)).fetchone()[0])
                origin = PgOrigin(url, schema, srid)
                tables = {}
                for name, _, has_geometry in TABLES:
                    df, revs = read_rows(conn, schema, name)
                    if has_geometry:
                        df = df.set_crs(crs, allow_override=True)
                    tables[name] = df
                    origin.revisions[name] = revs
                j, jrev = read_rows(conn, schema, "jurisdiction")
                origin.revisions["jurisdiction"] = jrev
                jurisdiction = None
                if len(j):
                    from .gpkg import _single

                    jurisdiction = _single(np.array([shapely.union_all(j.geometry.values)]))[0]
                origin.last_seq = int(conn.execute(f"SELECT coalesce(max(seq), 0) FROM {s}.change_log").fetchone()[0])
                versions = _read_versions(conn, schema)
                origin.version_ids = [] if versions is None else sorted(int(i) for i in versions["id"])
        except StoreError:
            raise
        except Exception as exc:
            raise StoreError(f"{_shown(url)}: " + bi("服务器上的方案无法读取", "the plan on the server cannot be read")
                             + f" ({type(exc).__name__}: {_one_line(exc)})") from exc
    extra = {k: v for k, v in settings.items() if k not in _META_KEYS}
    plan = Plan(name=settings.get("name", schema), crs=crs, admin_code=settings.get("admin_code", ""),
                levels=levels, jurisdiction=jurisdiction, settings=extra, versions=versions, **tables)
    _remember(plan, origin)
    return plan


class PostgisStore:
    """The store interface (``load``/``save``/``location``) over a schema on a PostGIS server."""

    def __init__(self, url: str):
        parse_url(url)
        self.url = url
        self.location = _shown(url)

    def load(self) -> Plan:
        return open_url(self.url)

    def save(self, plan: Plan, force: bool = False) -> None:
        """Publish the whole plan; an existing plan in the schema is replaced only with ``force``."""
        publish(plan, self.url, replace=force)
