"""Who may change what in a shared plan, enforced by PostgreSQL itself (roles and row-level security).

Three group roles per plan schema S: ``S_viewer`` reads everything; ``S_planner`` reads
everything and writes grids (and their segments, places and roles) only under the parent
grids assigned to that member in ``S.assignments``; ``S_reviewer`` reads and writes all
(and publishes).  The app asks :func:`may_edit` before trying; the database refuses the
rest even when someone connects with psql or QGIS.
"""

from __future__ import annotations

from ..messages import bi
from .base import StoreError

__all__ = ["enable_permissions", "grant", "may_edit", "KINDS"]

KINDS = ("viewer", "planner", "reviewer")
_AREA_TABLES = ("segments", "places", "roles")
_ALL = ("grids", "jurisdiction", "segments", "places", "units", "people", "roles", "levels", "settings",
        "base_layers", "assignments", "change_log")


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _group(schema: str, kind: str) -> str:
    return f"{schema}_{kind}"


def enable_permissions(conn, schema: str) -> None:
    """Create the group roles, grants, the area function and the row-level security policies."""
    s = _q(schema)
    for kind in KINDS:
        role = _group(schema, kind)
        if conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (role,)).fetchone() is None:
            conn.execute(f"CREATE ROLE {_q(role)} NOLOGIN")
        conn.execute(f"GRANT USAGE ON SCHEMA {s} TO {_q(role)}")
        conn.execute(f"GRANT SELECT ON ALL TABLES IN SCHEMA {s} TO {_q(role)}")
    reviewer, planner = _q(_group(schema, "reviewer")), _q(_group(schema, "planner"))
    conn.execute(f"GRANT INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {s} TO {reviewer}")
    conn.execute(f"REVOKE UPDATE, DELETE ON {s}.change_log FROM {reviewer}")
    conn.execute(f"GRANT INSERT, UPDATE, DELETE ON {s}.grids, {s}.segments, {s}.places, {s}.roles TO {planner}")
    conn.execute(f"GRANT INSERT ON {s}.change_log TO {planner}, {reviewer}")
    conn.execute(f"GRANT USAGE ON ALL SEQUENCES IN SCHEMA {s} TO {planner}, {reviewer}")
    rev_name = _group(schema, "reviewer").replace("'", "''")
    conn.execute(f"""
        CREATE OR REPLACE FUNCTION {s}.under_area(p bigint) RETURNS boolean LANGUAGE sql STABLE AS $$
            SELECT pg_has_role(current_user, '{rev_name}', 'MEMBER') OR EXISTS (
                WITH RECURSIVE up(id, parent) AS (
                    SELECT id, parent FROM {s}.grids WHERE id = p
                    UNION SELECT g.id, g.parent FROM {s}.grids g JOIN up ON g.id = up.parent)
                SELECT 1 FROM up JOIN {s}.assignments a ON a.grid = up.id AND a.member = current_user) $$;
        CREATE OR REPLACE FUNCTION {s}.grid_in_area(g bigint) RETURNS boolean LANGUAGE sql STABLE AS $$
            SELECT pg_has_role(current_user, '{rev_name}', 'MEMBER')
                   OR coalesce({s}.under_area((SELECT parent FROM {s}.grids WHERE id = g)), false) $$;
    """)
    policies = {"grids": f"{s}.under_area(parent)"}
    policies.update({t: f"{s}.grid_in_area(grid)" for t in _AREA_TABLES})
    for table, expr in policies.items():
        t = f"{s}.{_q(table)}"
        conn.execute(f"ALTER TABLE {t} ENABLE ROW LEVEL SECURITY")
        conn.execute(f"CREATE POLICY read_all ON {t} FOR SELECT USING (true)")
        conn.execute(f"CREATE POLICY area_insert ON {t} FOR INSERT WITH CHECK ({expr})")
        conn.execute(f"CREATE POLICY area_update ON {t} FOR UPDATE USING ({expr}) WITH CHECK ({expr})")
        conn.execute(f"CREATE POLICY area_delete ON {t} FOR DELETE USING ({expr})")


def grant(conn, schema: str, member: str, kind: str, areas: list[int] = (), password: str | None = None) -> None:
    """Make the database login ``member`` a viewer, planner (of the grids under ``areas``) or reviewer."""
    if kind not in KINDS:
        raise StoreError(bi(f"未知的权限 {kind}（可用：{', '.join(KINDS)}）", f"unknown permission {kind} "
                            f"(use {', '.join(KINDS)})"))
    if conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (member,)).fetchone() is None:
        conn.execute(f"CREATE ROLE {_q(member)} LOGIN")
    if password:
        from psycopg import sql

        conn.execute(sql.SQL("ALTER ROLE {} PASSWORD {}").format(sql.Identifier(member), sql.Literal(password)))
    conn.execute(f"GRANT {_q(_group(schema, kind))} TO {_q(member)}")
    for g in areas:
        conn.execute(f"INSERT INTO {_q(schema)}.assignments (member, grid) VALUES (%s, %s) ON CONFLICT DO NOTHING",
                     (member, int(g)))


def who_holds(conn, schema: str) -> list[tuple[str, int]]:
    """(member, grid id) of every assigned area."""
    return [(m, int(g)) for m, g in conn.execute(
        f"SELECT member, grid FROM {_q(schema)}.assignments ORDER BY member, grid").fetchall()]


def may_edit(conn, schema: str, grid_ids: list[int]) -> dict[int, bool]:
    """Whether the connected user may change each grid (asked before trying an edit)."""
    rows = conn.execute(f"SELECT id, {_q(schema)}.under_area(parent) AND has_table_privilege("
                        f"'{schema}.grids', 'UPDATE') FROM {_q(schema)}.grids WHERE id = ANY(%s)",
                        ([int(g) for g in grid_ids],)).fetchall()
    return {int(i): bool(ok) for i, ok in rows}
