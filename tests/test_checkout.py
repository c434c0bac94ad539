"""Offline laptops: gridmap checkout → edit the .gpkg → gridmap checkin, on a real throwaway cluster."""

from __future__ import annotations

import json

import psycopg
from shapely import box

from gridmap.cli import main
from gridmap.core.editing.buffer import EditBuffer
from gridmap.core.editing.changeset import apply_changeset, changeset, plan_differences
from gridmap.core.editing.commands import AddRow, SetCells, SetGeometries
from gridmap.core.storage import open_plan, save_plan
from gridmap.core.storage.checkout import checkout_info, unpack
from gridmap.core.storage.permissions import grant
from gridmap.core.storage.postgis import parse_url
from gridmap.core.storage.shared import commit

X0, Y0 = 500_000.0, 2_500_000.0
WEST = "440306001000"          # grids 3-6 are under it (x 0-150), 7-10 under the east (x 150-300)


def _checkout(url, local, capsys):
    assert main(["checkout", url, "--area", WEST, "-o", str(local)]) == 0
    assert "4" in capsys.readouterr().out


def _edit_file(path, *cmds):
    plan = open_plan(path)
    buf = EditBuffer(plan)
    for c in cmds:
        buf.push(c)
    save_plan(plan, path)


def _log(url):
    conninfo, schema = parse_url(url)
    with psycopg.connect(conninfo) as conn:
        return conn.execute(f"SELECT author, text, changeset FROM {schema}.change_log ORDER BY seq").fetchall()


def test_checkout_edit_checkin_round_trip(small_plan, pg_url, tmp_path, capsys):
    small_plan.assign(10, "officer", person=int(small_plan.people.index[0]))   # a role outside the area, last id
    save_plan(small_plan, pg_url)
    local = tmp_path / "笔记本.gpkg"
    _checkout(pg_url, local, capsys)
    plan = open_plan(local)
    info = checkout_info(plan)
    assert info["area"] == WEST and info["schema"] == parse_url(pg_url)[1] and "@" in info["url"]
    assert sorted(unpack(plan.settings["checkout.editable"])) == [3, 4, 5, 6]
    assert {1, 2, 3, 4, 5, 6, 7, 8} == set(plan.grids.index)           # the east grids 7, 8 touch the area
    assert plan.jurisdiction.equals(small_plan.grids.geometry[1])
    assert set(plan.roles["grid"]) <= set(plan.grids.index) and len(plan.people) == 2
    # offline: rename one grid, move the boundary between 3 and 4, give grid 6 an officer (a new role)
    officer = int(plan.people.index[plan.people["name"] == "张三"][0])
    _edit_file(local,
               SetCells("改名 Rename", "grids", 5, {"name": "离线改名"}),
               SetGeometries("改形 Reshape", {3: box(X0, Y0, X0 + 75, Y0 + 90), 4: box(X0, Y0 + 90, X0 + 75, Y0 + 200)}),
               AddRow("网格员 Officer", "roles", {"grid": 6, "role": "officer", "person": officer}))
    assert main(["checkin", str(local), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["failed"] == 0 and out["committed"] >= 1
    assert "roles" in out["remapped"]                                  # the new role got a server id
    server = open_plan(pg_url)
    assert server.grids.at[5, "name"] == "离线改名"
    assert server.grids.geometry[3].equals(box(X0, Y0, X0 + 75, Y0 + 90))
    assert server.grids.geometry[4].equals(box(X0, Y0 + 90, X0 + 75, Y0 + 200))
    new_role = server.roles[(server.roles["grid"] == 6) & (server.roles["role"] == "officer")]
    assert len(new_role) == 1 and int(new_role["person"].iloc[0]) == officer
    assert not set(new_role.index) & set(small_plan.roles.index)       # no row of someone else overwritten
    # the change log replays the check-in onto the published plan
    replay = small_plan.copy()
    for _, _, cs in _log(pg_url):
        apply_changeset(replay, cs)
    assert plan_differences(replay, server) == []
    # the local file now agrees with the server; a second check-in has nothing to send
    back = open_plan(local)
    assert list(back.roles.index) == sorted(set(back.roles.index))
    for t in ("grids", "roles"):
        ids = getattr(back, t).index
        assert plan_differences_rows(getattr(back, t), getattr(server, t).loc[ids]) == []
    assert main(["checkin", str(local)]) == 0
    assert "nothing to check in" in capsys.readouterr().out


def plan_differences_rows(a, b):
    from gridmap.core.editing.changeset import rows_equal

    return [i for i in a.index if not rows_equal(a.loc[i], b.loc[i, a.columns])]


def test_conflicting_checkin_is_reported_and_kept(small_plan, pg_url, tmp_path, capsys):
    save_plan(small_plan, pg_url)
    local = tmp_path / "local.gpkg"
    _checkout(pg_url, local, capsys)
    online = open_plan(pg_url)                                 # meanwhile a colleague online renames grid 4
    cmd = SetCells("改名 Rename", "grids", 4, {"name": "同事改的"})
    cmd.redo(online)
    commit(online, changeset(cmd, author="王五"))
    person = int(small_plan.people.index[0])
    _edit_file(local,
               SetGeometries("改形 Reshape", {3: box(X0, Y0, X0 + 75, Y0 + 110)}),     # touches grid 4: conflict
               SetCells("电话 Phone", "people", person, {"phone": "13700000000"}))     # elsewhere: goes in
    assert main(["checkin", str(local)]) == 1
    io = capsys.readouterr()
    assert "王五" in io.err and "改名" in io.err and "grids:4" in io.err            # whose, what, which row
    assert "编辑冲突" in io.err and "edit conflict" in io.err and "保留在本地文件" in io.err
    server = open_plan(pg_url)
    assert server.people.at[person, "phone"] == "13700000000"
    assert server.grids.at[4, "name"] == "同事改的"
    assert server.grids.geometry[3].equals(small_plan.grids.geometry[3])
    kept = open_plan(local)
    assert kept.grids.geometry[3].equals(box(X0, Y0, X0 + 75, Y0 + 110))         # nothing lost
    assert main(["checkin", str(local)]) == 1                                     # still a conflict
    capsys.readouterr()
    # reload and re-apply: the colleague's rename stays, the local reshape goes in
    assert main(["checkin", str(local), "--reapply"]) == 0
    server = open_plan(pg_url)
    assert server.grids.at[4, "name"] == "同事改的"
    assert server.grids.geometry[3].equals(box(X0, Y0, X0 + 75, Y0 + 110))
    assert open_plan(local).grids.at[4, "name"] == "同事改的"
    authors = [a for a, _, _ in _log(pg_url)]
    assert authors[0] == "王五" and len(authors) == 3


def test_discard_takes_the_servers_rows(small_plan, pg_url, tmp_path, capsys):
    save_plan(small_plan, pg_url)
    local = tmp_path / "local.gpkg"
    _checkout(pg_url, local, capsys)
    online = open_plan(pg_url)
    cmd = SetCells("改名 Rename", "grids", 6, {"name": "线上"})
    cmd.redo(online)
    commit(online, changeset(cmd, author="王五"))
    _edit_file(local, SetCells("改名 Rename", "grids", 6, {"name": "线下"}))
    assert main(["checkin", str(local)]) == 1
    assert main(["checkin", str(local), "--discard"]) == 0
    capsys.readouterr()
    assert open_plan(local).grids.at[6, "name"] == "线上" == open_plan(pg_url).grids.at[6, "name"]
    assert main(["checkin", str(local)]) == 0


def test_planner_checkout_surroundings_are_read_only(small_plan, pg_server, pg_url, tmp_path, capsys):
    save_plan(small_plan, pg_url)
    conninfo, schema = parse_url(pg_url)
    with psycopg.connect(conninfo, autocommit=True) as admin:
        grant(admin, schema, f"{schema}_w", "planner", [small_plan.grid_by_code(WEST)])
    url = pg_url.replace("gridmap_admin@", f"{schema}_w@")
    local = tmp_path / "planner.gpkg"
    _checkout(url, local, capsys)
    _edit_file(local, SetCells("改名 Rename", "grids", 7, {"name": "别人的"}),        # east: read-only here
               SetCells("改名 Rename", "grids", 3, {"name": "我的"}))
    assert main(["checkin", str(local)]) == 1
    err = capsys.readouterr().err
    assert "read-only surroundings" in err and "grids:7" in err
    server = open_plan(pg_url)
    assert server.grids.at[7, "name"] == small_plan.grids.at[7, "name"]
    assert open_plan(local).grids.at[7, "name"] == "别人的"                     # kept locally


def test_checkin_of_a_plain_file_is_one_clear_line(small_plan, tmp_path, capsys):
    path = tmp_path / "plain.gpkg"
    save_plan(small_plan, path)
    assert main(["checkin", str(path)]) == 2
    err = capsys.readouterr().err
    assert "不是从服务器签出" in err and "not checked out" in err and "Traceback" not in err


def test_checkin_run_again_after_an_unsaved_file_finds_its_own_changes(small_plan, pg_url, tmp_path, capsys):
    from gridmap.core.storage.checkout import checkin

    save_plan(small_plan, pg_url)
    local = tmp_path / "local.gpkg"
    _checkout(pg_url.replace("gridmap_admin@", "gridmap_admin:secret@"), local, capsys)   # trust auth: any password
    assert "secret" not in json.dumps(open_plan(local).settings)                          # never kept in the file
    _edit_file(local, SetCells("改名 Rename", "grids", 6, {"name": "已改"}))
    result = checkin(open_plan(local))            # went in, but the file is not saved afterwards (power cut …)
    assert len(result.committed) == 1
    assert main(["checkin", str(local)]) == 0     # the same changes again: recognised, not a conflict
    assert "server has these changes already" in capsys.readouterr().out
    assert len(_log(pg_url)) == 1


def test_rows_added_offline_are_never_sent_twice(small_plan, pg_url, tmp_path, capsys):
    from gridmap.core.storage.checkout import checkin

    small_plan.assign(10, "officer", person=int(small_plan.people.index[0]))   # the server's last role id is not ours
    save_plan(small_plan, pg_url)
    local = tmp_path / "local.gpkg"
    _checkout(pg_url, local, capsys)
    _edit_file(local, AddRow("网格员 Officer", "roles", {"grid": 5, "role": "officer", "person": 1}))
    plan = open_plan(local)
    result = checkin(plan, save=lambda: save_plan(plan, local))   # the new ids are saved before committing …
    assert result.remapped and len(result.committed) == 1          # … and the file is not saved afterwards
    assert main(["checkin", str(local)]) == 0
    roles = open_plan(pg_url).roles
    assert len(roles[(roles["grid"] == 5) & (roles["role"] == "officer")]) == 1
