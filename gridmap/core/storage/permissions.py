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

__all__ = ["enable_permissions", "grant", "may_edit", "who_holds", "my_access", "grid_editable", "editable_mask",
           "edit_refusal", "KINDS"]

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


# ---------------------------------------------------------------------------- what this user may edit (the app asks)
def my_access(conn, schema: str) -> tuple[str, set[int]]:
    """``(kind, assigned parent grids)`` of the connected user: kind ``owner`` (superuser or owner of
    the plan's tables: row-level security does not apply), ``reviewer``, ``planner`` or ``viewer``."""
    s = _q(schema)
    row = conn.execute(
        "SELECT r.rolsuper OR coalesce(t.tableowner = current_user, false), "
        "       pg_has_role(current_user, %s, 'MEMBER'), pg_has_role(current_user, %s, 'MEMBER') "
        "FROM pg_roles r LEFT JOIN pg_tables t ON t.schemaname = %s AND t.tablename = 'grids' "
        "WHERE r.rolname = current_user",
        (_group(schema, "reviewer"), _group(schema, "planner"), schema)).fetchone()
    owner, reviewer, planner = (bool(v) for v in row) if row else (False, False, False)
    areas = {int(g) for (g,) in conn.execute(f"SELECT grid FROM {s}.assignments WHERE member = current_user")}
    kind = "owner" if owner else "reviewer" if reviewer else "planner" if planner else "viewer"
    return kind, areas


_TABLE_NAMES = {"grids": ("网格", "grids"), "segments": ("路段", "street segments"), "places": ("场所", "places"),
                "roles": ("职责", "duties"), "people": ("人员", "people"), "units": ("单位", "units"),
                "settings": ("方案设置", "plan settings"), "base_layers": ("底图", "base maps"),
                "jurisdiction": ("辖区边界", "the jurisdiction"), "levels": ("层级", "levels")}


def _under(grids, p, areas: set[int]) -> bool:
    """Whether grid ``p`` is one of ``areas`` or lies under one (the database's ``under_area``)."""
    seen = set()
    while p is not None and not _na(p):
        p = int(p)
        if p in areas:
            return True
        if p in seen or p not in grids.index:
            return False
        seen.add(p)
        p = grids.at[p, "parent"]
    return False


def _na(v) -> bool:
    import pandas as pd

    try:
        return bool(pd.isna(v))
    except (TypeError, ValueError):
        return False


def editable_mask(grids, areas: set[int]):
    """For every grid, whether a planner of ``areas`` may change it (vectorised: a few passes down the levels)."""
    import pandas as pd

    parent = pd.to_numeric(grids["parent"], errors="coerce")
    under = {int(a) for a in areas}
    frontier = set(under)
    while frontier:                        # grids below the areas, level by level
        kids = set(int(i) for i in grids.index[parent.isin(list(frontier))]) - under
        under |= kids
        frontier = kids
    return parent.isin(list(under)).to_numpy(dtype=bool)


def grid_editable(grids, g, areas: set[int]) -> bool:
    """Whether a planner of ``areas`` may change grid ``g`` (its parent lies in the area)."""
    return g in grids.index and _under(grids, grids.at[g, "parent"], areas)


def edit_refusal(kind: str, areas: set[int], command, before, plan) -> str | None:
    """Why this user may not make ``command`` (already applied to ``plan``; ``before`` the plan's
    tables before it), as the database would refuse it — asked by the app before trying.
    None: allowed."""
    if kind in ("owner", "reviewer"):
        return None
    if kind != "planner":
        return bi("您只有查看权限，不能修改此共享方案", "you may only view this shared plan, not change it")
    from ..editing.changes import changes_of

    def grid_label(state, g) -> str:
        df = state.grids
        if g in df.index:
            name = str(df.at[g, "name"] or "")
            return f"{df.at[g, 'code']}" + (f"（{name}）" if name else "")
        return str(g)

    def area_text(state) -> str:
        return "、".join(grid_label(state, a) for a in sorted(areas)) or "—"

    ch = changes_of(command)
    for t, tc in ch.per_table.items():
        if t == "grids":
            for i in sorted(tc.ids):
                for state in (before, plan):
                    if i in state.grids.index and not _under(state.grids, state.grids.at[i, "parent"], areas):
                        label = grid_label(state, i)
                        return bi(f"超出您负责的区域：网格 {label} 不在您负责的 {area_text(state)} 之内，不能修改",
                                  f"outside your assigned area: grid {label} is not under {area_text(state)}; "
                                  "you may not change it")
        elif t in _AREA_TABLES:
            zh, en = _TABLE_NAMES[t]
            for i in sorted(tc.ids):
                for state in (before, plan):
                    df = getattr(state, t)
                    if i not in df.index:
                        continue
                    g = df.at[i, "grid"]
                    if _na(g) or not grid_editable(state.grids, int(g), areas):
                        where = grid_label(state, int(g)) if not _na(g) else "—"
                        return bi(f"超出您负责的区域：{zh} {i} 属于网格 {where}，不在您负责的 {area_text(state)} 之内",
                                  f"outside your assigned area: {en} {i} belongs to grid {where}, not under "
                                  f"{area_text(state)}")
        else:
            zh, en = _TABLE_NAMES.get(t, (t, t))
            return bi(f"网格规划员不能修改{zh}（请联系审核员）", f"a planner may not change {en} (ask a reviewer)")
    return None
