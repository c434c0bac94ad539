"""Two planners editing one shared plan on a real PostGIS cluster: no lost update,
conflicts on the same row and across a shared boundary, the change log."""

from __future__ import annotations

import psycopg
import pytest
from shapely import box

from gridmap.core.editing.changeset import changeset, plan_differences
from gridmap.core.editing.commands import SetCells, SetGeometries
from gridmap.core.storage import open_plan, save_plan
from gridmap.core.storage.postgis import parse_url
from gridmap.core.storage.shared import EditConflict, commit, pull

X0, Y0 = 500_000.0, 2_500_000.0


def _edit(plan, cmd, author):
    cmd.redo(plan)
    return commit(plan, changeset(cmd, author=author))


def test_two_planners_no_lost_update(small_plan, pg_url):
    save_plan(small_plan, pg_url)
    a, b = open_plan(pg_url), open_plan(pg_url)
    # grid 3 = box(0, 0, 75, 100); 4 above it shares its top edge; 10 is far away in the east
    _edit(a, SetCells("改名 Rename", "grids", 3, {"name": "甲改"}), "张三")
    with pytest.raises(EditConflict) as same:                       # the same row
        _edit(b, SetCells("改名 Rename", "grids", 3, {"name": "乙改"}), "李四")
    assert same.value.by == "张三" and "grids:3" in same.value.rows and "改名" in same.value.text
    b_geom = box(X0, Y0 + 100, X0 + 75, Y0 + 190)
    with pytest.raises(EditConflict) as nb:                         # a neighbour across the shared edge
        _edit(b, SetGeometries("改形 Reshape", {4: b_geom}), "李四")
    assert "grids:3" in nb.value.rows
    # discard: reload what the others did, then re-apply
    b = open_plan(pg_url)
    _edit(b, SetGeometries("改形 Reshape", {4: b_geom}), "李四")
    _edit(a, SetCells("改名 Rename", "grids", 10, {"name": "远处"}), "张三")   # far away: no conflict
    assert pull(a) >= {("grids", 4)}
    final = open_plan(pg_url)
    assert final.grids.at[3, "name"] == "甲改" and final.grids.at[10, "name"] == "远处"
    assert final.grids.geometry[4].equals(b_geom)
    assert plan_differences(a, final) == []                          # a pulled client equals the server
    conninfo, schema = parse_url(pg_url)
    with psycopg.connect(conninfo) as conn:
        log = conn.execute(f"SELECT author, text FROM {schema}.change_log ORDER BY seq").fetchall()
        assert [r[0] for r in log] == ["张三", "李四", "张三"]
        with pytest.raises(psycopg.Error, match="append-only"):
            conn.execute(f"DELETE FROM {schema}.change_log")


def test_concurrent_same_grid_one_wins_one_told(small_plan, pg_url):
    save_plan(small_plan, pg_url)
    clients = [open_plan(pg_url) for _ in range(4)]
    results = []
    for k, plan in enumerate(clients):
        try:
            _edit(plan, SetCells("改名", "grids", 5, {"name": f"名{k}"}), f"p{k}")
            results.append("ok")
        except EditConflict:
            results.append("conflict")
    assert results == ["ok", "conflict", "conflict", "conflict"]
    assert open_plan(pg_url).grids.at[5, "name"] == "名0"


def test_log_numbers_in_commit_order(small_plan, pg_url):
    """A transaction that takes a log number and commits later never hides behind a later number: the
    second append waits for the first transaction's commit, so ``seq > last_seq`` misses nothing."""
    import threading

    from gridmap.core.storage.shared import append_log, fetch_changes

    save_plan(small_plan, pg_url)
    conninfo, schema = parse_url(pg_url)
    with psycopg.connect(conninfo) as c1, psycopg.connect(conninfo) as c2, psycopg.connect(conninfo) as reader:
        c1.execute("BEGIN")
        first = append_log(c1, schema, "甲", "一", "{}", ["grids:3"])       # numbered, not yet committed
        got = {}
        t = threading.Thread(target=lambda: got.setdefault("second", (c2.execute("BEGIN"), append_log(
            c2, schema, "乙", "二", "{}", ["grids:10"]), c2.execute("COMMIT"))[1]))
        t.start()
        t.join(timeout=1.0)
        assert t.is_alive() and "second" not in got          # waits for the first transaction to end
        seen = fetch_changes(reader, schema, first - 1)
        assert seen["entries"] == [] and seen["last_seq"] == first - 1
        c1.execute("COMMIT")
        t.join(timeout=60)
        assert got["second"] > first
        seen = fetch_changes(reader, schema, first - 1)
        assert [e[0] for e in seen["entries"]] == [first, got["second"]]
