"""Permissions in the database: each role tries out-of-area writes through SQL directly."""

from __future__ import annotations

import psycopg
import pytest

from gridmap.core.editing.changeset import changeset
from gridmap.core.editing.commands import SetCells
from gridmap.core.storage import StoreError, open_plan, save_plan
from gridmap.core.storage.permissions import grant, may_edit, who_holds
from gridmap.core.storage.postgis import parse_url
from gridmap.core.storage.shared import commit


def _as(pg_server, user):
    return psycopg.connect(host=pg_server.host, port=pg_server.port, dbname=pg_server.database, user=user,
                           autocommit=True)


def _refused(conn, sql, params=()):
    """True when the database refuses the write (an error, or no row passes the policy)."""
    try:
        return conn.execute(sql, params).rowcount == 0
    except psycopg.Error:
        return True


def test_roles_are_enforced_by_the_database(small_plan, pg_server, pg_url):
    save_plan(small_plan, pg_url)
    conninfo, schema = parse_url(pg_url)
    west = small_plan.grid_by_code("440306001000")          # grids 3-6 are under it, 7-10 under the east
    with psycopg.connect(conninfo, autocommit=True) as admin:
        grant(admin, schema, f"{schema}_w", "planner", [west])
        grant(admin, schema, f"{schema}_r", "reviewer")
        grant(admin, schema, f"{schema}_v", "viewer")
        assert who_holds(admin, schema) == [(f"{schema}_w", west)]
    g, s = f"{schema}.grids", f"{schema}.segments"
    with _as(pg_server, f"{schema}_w") as w:
        assert w.execute(f"UPDATE {g} SET name = '西' WHERE id = 3").rowcount == 1          # own area
        assert _refused(w, f"UPDATE {g} SET name = 'x' WHERE id = 7")                        # east child
        assert _refused(w, f"UPDATE {g} SET parent = 2 WHERE id = 4")                        # move it out
        assert _refused(w, f"UPDATE {g} SET name = 'x' WHERE id = {west}")                   # the parent itself
        assert _refused(w, f"DELETE FROM {g} WHERE id = 8")
        assert _refused(w, f"INSERT INTO {g} (id, level, parent) VALUES (99, 'small', 2)")
        assert _refused(w, f"UPDATE {s} SET notes = 'x' WHERE grid NOT IN (3, 4, 5, 6)")
        assert _refused(w, f"UPDATE {schema}.people SET name = 'x'")
        assert _refused(w, f"DELETE FROM {schema}.change_log")
        assert may_edit(w, schema, [3, 7]) == {3: True, 7: False}
    with _as(pg_server, f"{schema}_v") as v:
        assert _refused(v, f"UPDATE {g} SET name = 'x' WHERE id = 3")
        assert v.execute(f"SELECT count(*) FROM {g}").fetchone()[0] == 10
    with _as(pg_server, f"{schema}_r") as r:
        assert r.execute(f"UPDATE {g} SET name = '东' WHERE id = 7").rowcount == 1
    back = open_plan(pg_url)
    assert back.grids.at[3, "name"] == "西" and back.grids.at[7, "name"] == "东"
    assert back.grids.at[4, "parent"] == west and 99 not in back.grids.index


def test_commit_outside_the_area_is_refused(small_plan, pg_url):
    save_plan(small_plan, pg_url)
    conninfo, schema = parse_url(pg_url)
    with psycopg.connect(conninfo, autocommit=True) as admin:
        grant(admin, schema, f"{schema}_p", "planner", [small_plan.grid_by_code("440306001000")])
    url = pg_url.replace("gridmap_admin@", f"{schema}_p@")
    plan = open_plan(url)
    ok = SetCells("改名", "grids", 3, {"name": "我的"})
    ok.redo(plan)
    commit(plan, changeset(ok))
    bad = SetCells("改名", "grids", 9, {"name": "别人的"})
    bad.redo(plan)
    with pytest.raises(StoreError, match="outside your assigned area"):
        commit(plan, changeset(bad))
    assert open_plan(pg_url).grids.at[9, "name"] != "别人的"
