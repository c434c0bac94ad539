"""The app on a shared plan (real throwaway PostgreSQL/PostGIS cluster, offscreen Qt, no mocks):
every undo step commits as one transaction, undo too; a conflicting edit from a second client
brings up the conflict dialog and both answers work; a second client's edit appears in the
window by itself; an edit outside the planner's area is refused in the app before trying; a
viewer gets a read-only window."""

from __future__ import annotations

import psycopg
import pytest
from shapely import box

from gridmap.core.editing.changeset import changeset
from gridmap.core.editing.commands import SetCells, SetGeometries
from gridmap.core.storage import open_plan, save_plan
from gridmap.core.storage.permissions import grant
from gridmap.core.storage.postgis import parse_url
from gridmap.core.storage.shared import commit

pytestmark = pytest.mark.ui

X0, Y0 = 500_000.0, 2_500_000.0
WAIT = 60000          # generous: the tests share two cores with others; nothing is timed


def _window(qtbot, url):
    from gridmap.ui.main_window import MainWindow

    w = MainWindow()
    w.confirm_close = False
    qtbot.addWidget(w)
    w.resize(1000, 720)
    w.show()
    w.open_path(url)
    qtbot.waitUntil(lambda: w.document is not None and getattr(w, "shared", None) is not None
                    and w.shared.kind is not None and w.shared.listener.listening.is_set(), timeout=WAIT)
    assert w.wait_idle(WAIT)
    return w


def _log(url):
    conninfo, schema = parse_url(url)
    with psycopg.connect(conninfo) as conn:
        return conn.execute(f"SELECT author, text, changeset->>'how' FROM {schema}.change_log ORDER BY seq").fetchall()


def _other(url, cmd, author="李四"):
    """A second client (its own connection) commits one change."""
    plan = open_plan(url)
    cmd.redo(plan)
    return commit(plan, changeset(cmd, author=author))


def _idle(qtbot, w):
    qtbot.waitUntil(lambda: w.shared.idle(), timeout=WAIT)


def test_each_step_and_undo_is_one_transaction(qtbot, settings, small_plan, pg_url):
    save_plan(small_plan, pg_url)
    w = _window(qtbot, pg_url)
    assert "gridmap_admin" in w.windowTitle() and "schema=" in w.windowTitle()
    assert "gridmap_admin" in w.shared.label.text()
    assert w.edit.push(SetCells("改名", "grids", 3, {"name": "窗口改名"}), "改名")
    assert w.edit.push(SetGeometries("改形", {4: box(X0, Y0 + 100, X0 + 75, Y0 + 190)}), "改形", kinds=())
    _idle(qtbot, w)
    assert [r[1:] for r in _log(pg_url)] == [("改名", "push"), ("改形", "push")]
    server = open_plan(pg_url)
    assert server.grids.at[3, "name"] == "窗口改名" and server.grids.geometry[4].bounds[3] == Y0 + 190
    w.document.undo()
    _idle(qtbot, w)
    assert [r[1:] for r in _log(pg_url)][-1] == ("改形", "undo")
    assert open_plan(pg_url).grids.geometry[4].bounds[3] == Y0 + 200
    w.document.redo()
    _idle(qtbot, w)
    assert len(_log(pg_url)) == 4 and open_plan(pg_url).grids.geometry[4].bounds[3] == Y0 + 190
    assert not w.document.dirty                    # every step is on the server
    assert w.save() and ("提交" in w.status.currentMessage() or "committed" in w.status.currentMessage())
    assert len(_log(pg_url)) == 4                  # Save wrote nothing
    w.close()


def _deaf(w):
    """Stop the window's LISTEN thread, so it does not hear another planner's commit (as when a
    notification is lost): the commit itself must catch the conflict."""
    w.shared.listener.stop.set()
    w.shared.listener.join(30)


def _conflict(qtbot, w):
    qtbot.waitUntil(lambda: w.shared.conflict_dialog is not None and w.shared.conflict_dialog.isVisible(),
                    timeout=WAIT)
    return w.shared.conflict_dialog


def test_conflict_dialog_discard(qtbot, settings, small_plan, pg_url, tmp_path):
    save_plan(small_plan, pg_url)
    w = _window(qtbot, pg_url)
    _deaf(w)
    _other(pg_url, SetCells("改名 Rename", "grids", 3, {"name": "李四的名字"}))
    assert w.edit.push(SetCells("改名", "grids", 3, {"name": "我的名字"}), "改名")   # local: fine
    dlg = _conflict(qtbot, w)
    text = dlg.headline.text()
    assert "李四" in text and "改名 Rename" in text and "改名" in text          # whose, what
    assert any(ch.isdigit() for ch in text.split("李四")[1])                     # when
    versions = {dlg.table.item(r, 1).text(): dlg.table.item(r, 2).text() for r in range(dlg.table.rowCount())}
    assert versions == {"我的名字": "李四的名字"}                                   # both versions
    assert dlg.table.item(0, 0).text().endswith("名称")                          # of what, in Chinese
    assert w.shared.overlay is not None and w.document.dirty and w.shared.pending() == 1
    assert w.shared.label.text() and ("冲突" in w.shared.label.text() or "conflict" in w.shared.label.text())
    dlg.reject()                                           # Escape: the question stays
    assert dlg.isVisible()
    dlg.discard.click()
    _idle(qtbot, w)
    assert w.document.plan.grids.at[3, "name"] == "李四的名字"                      # the server's version
    assert [r[0] for r in _log(pg_url)] == ["李四"]                               # nothing of mine written
    assert w.shared.overlay is None and not w.document.dirty
    w.close()


@pytest.mark.parametrize("case", ["same row, other column", "neighbour's boundary", "same cell"])
def test_conflict_dialog_reload_and_reapply(qtbot, settings, small_plan, pg_url, case):
    save_plan(small_plan, pg_url)
    w = _window(qtbot, pg_url)
    _deaf(w)
    if case == "same row, other column":
        _other(pg_url, SetCells("改名", "grids", 4, {"name": "李四改名"}))
        mine = SetCells("备注", "grids", 4, {"notes": "我的备注"})
    elif case == "neighbour's boundary":                   # 3 lies under 4 (shared edge): 3's west edge moves
        _other(pg_url, SetGeometries("改形", {3: box(X0 + 5, Y0, X0 + 75, Y0 + 100)}))
        mine = SetCells("备注", "grids", 4, {"notes": "我的备注"})
    else:
        _other(pg_url, SetCells("改名", "grids", 4, {"name": "李四改名"}))
        mine = SetCells("改名", "grids", 4, {"name": "我改名"})
    assert w.edit.push(mine, mine.text)
    dlg = _conflict(qtbot, w)
    assert "李四" in dlg.headline.text()
    if case == "neighbour's boundary":
        assert w.shared.overlay[1] is not None                  # the server's outlines are drawn
    dlg.reapply.click()
    _idle(qtbot, w)
    server = open_plan(pg_url)
    if case == "same cell":                                     # no longer fits: said, nothing overwritten
        assert server.grids.at[4, "name"] == "李四改名" and w.document.plan.grids.at[4, "name"] == "李四改名"
        assert "我改名" not in str(_log(pg_url)) or len(_log(pg_url)) == 1
        assert "改名" in w.edit.last_error and "不再相符" in w.edit.last_error
        assert len(_log(pg_url)) == 1
    else:
        assert server.grids.at[4, "notes"] == "我的备注"        # mine re-applied on the fresh rows …
        assert [r[0] for r in _log(pg_url)][0] == "李四" and len(_log(pg_url)) == 2
        if case == "same row, other column":
            assert server.grids.at[4, "name"] == "李四改名"     # … and theirs kept
        else:
            assert server.grids.geometry[3].bounds[0] == X0 + 5
        assert w.document.plan.grids.at[4, "notes"] == "我的备注"
    w.close()


def test_another_clients_edit_appears(qtbot, settings, small_plan, pg_url):
    save_plan(small_plan, pg_url)
    a = _window(qtbot, pg_url)
    b = _window(qtbot, pg_url)
    layer = next(l for l in b.plan_layers if getattr(l, "level_key", None) == "small")
    # a second psycopg client commits through shared.commit: the window shows it by itself
    _other(pg_url, SetGeometries("改形", {7: box(X0 + 150, Y0, X0 + 225, Y0 + 80)}))
    qtbot.waitUntil(lambda: b.document.plan.grids.geometry[7].bounds[3] == Y0 + 80, timeout=WAIT)
    qtbot.waitUntil(lambda: layer.geoms[list(layer.ids).index(7)].bounds[3] == Y0 + 80, timeout=WAIT)
    assert not b.document.dirty and not b.document.buffer.can_undo       # not an undo step of this window
    # the live checks see the gap the other planner left (the neighbourhood re-checked)
    qtbot.waitUntil(lambda: not b.live.pending() and any(p["rule"] == "gap" for p in b.problems.problems),
                    timeout=WAIT)
    # window a edits: window b shows it (two windows, one server)
    assert a.edit.push(SetCells("改名", "grids", 8, {"name": "甲窗口改的"}), "改名")
    qtbot.waitUntil(lambda: b.document.plan.grids.at[8, "name"] == "甲窗口改的", timeout=WAIT)
    qtbot.waitUntil(lambda: a.document.plan.grids.geometry[7].bounds[3] == Y0 + 80, timeout=WAIT)
    _idle(qtbot, a)
    _idle(qtbot, b)
    assert b.shared.pulls >= 2 and a.shared.committed == 1
    a.close()
    b.close()


def _as(pg_url, small_plan, kind, areas=()):
    conninfo, schema = parse_url(pg_url)
    user = f"{schema}_{kind[0]}"
    with psycopg.connect(conninfo, autocommit=True) as admin:
        grant(admin, schema, user, kind, list(areas))
    return pg_url.replace("gridmap_admin@", f"{user}@")


def test_planner_refused_outside_the_area_viewer_read_only(qtbot, settings, small_plan, pg_url):
    save_plan(small_plan, pg_url)
    west = small_plan.grid_by_code("440306001000")         # grids 3-6 are under it, 7-10 under the east
    w = _window(qtbot, _as(pg_url, small_plan, "planner", [west]))
    assert w.shared.kind == "planner" and w.shared.editable(3) and not w.shared.editable(9)
    assert not w.edit.push(SetCells("改名", "grids", 9, {"name": "别人的"}), "改名")
    assert "负责的区域" in w.edit.last_error and "440306002" in w.edit.last_error
    assert w.refusal_banner.isVisible() and w.document.plan.grids.at[9, "name"] != "别人的"
    assert not w.edit.push(SetCells("改名", "grids", west, {"name": "西"}), "改名")   # the parent itself
    person = int(small_plan.people.index[0])
    assert not w.edit.push(SetCells("改名", "people", person, {"name": "x"}), "改名")  # a table planners may not write
    assert "人员" in w.edit.last_error
    geoms, _ = w.shared.locked_geometries()                 # the east's four small grids are hatched
    assert len(geoms) == 4 and "440306001000" in w.shared.label.toolTip()
    assert w.edit.push(SetCells("改名", "grids", 3, {"name": "我的"}), "改名")
    _idle(qtbot, w)
    assert [r[1] for r in _log(pg_url)] == ["改名"]                    # only the edit in the area was sent
    assert open_plan(pg_url).grids.at[3, "name"] == "我的"
    w.close()
    v = _window(qtbot, _as(pg_url, small_plan, "viewer"))
    assert v.document.read_only and "只读" in v.windowTitle()
    assert not v.actions["split"].isEnabled() and not v.actions["draw_grid"].isEnabled()   # editing tools off
    assert v.actions["select"].isEnabled() and v.actions["attribute_table"].isEnabled()
    assert not v.edit.push(SetCells("改名", "grids", 3, {"name": "x"}), "改名")
    assert "查看权限" in v.edit.last_error
    assert len(_log(pg_url)) == 1
    v.close()


def _sample_on_server(sample_plan_path, url):
    """The sample plan published, its base maps named by absolute path (a server plan has no project folder)."""
    plan = open_plan(sample_plan_path)
    folder = sample_plan_path.parent
    plan.base_layers["source"] = [s if s.startswith(("http:", "https:", "/")) else str((folder / s).resolve())
                                  for s in plan.base_layers["source"]]
    save_plan(plan, url)
    return plan


def _neighbours(plan):
    """Two small grids with the longest shared edge (among the first ones)."""
    import shapely

    small = plan.grids[plan.grids["level"] == plan.levels[-1].key]
    geoms = small.geometry.values
    tree = shapely.STRtree(geoms)
    best = (0.0, None, None)
    for k in range(min(len(small), 60)):
        for j in tree.query(geoms[k], predicate="touches"):
            edge = shapely.intersection(geoms[k].boundary, geoms[j].boundary).length
            if edge > best[0]:
                best = (edge, int(small.index[k]), int(small.index[j]))
    return best[1], best[2]


def test_screenshots_conflict_and_two_windows(qtbot, settings, sample_plan_path, pg_url):
    """The conflict on a shared boundary of the sample plan, and two windows on one server plan
    (docs/screenshots/shared_*_zh.png, looked at for the README)."""
    import shapely
    from PySide6.QtGui import QImage, QPainter

    from test_ui_versions import SHOTS

    plan = _sample_on_server(sample_plan_path, pg_url)
    a_id, b_id = _neighbours(plan)
    ga, gb = plan.grids.geometry[a_id], plan.grids.geometry[b_id]
    edge = shapely.intersection(ga.boundary, gb.boundary)
    w = _window(qtbot, pg_url)
    _deaf(w)
    strip = shapely.intersection(ga, shapely.buffer(edge, 25))         # 李四 moves the shared edge by 25 m
    _other(pg_url, SetGeometries("移动边界", {a_id: shapely.difference(ga, strip), b_id: shapely.union(gb, strip)}),
           author="李四（新安街道）")
    mine = shapely.difference(ga, shapely.buffer(edge, 12))             # this planner trims the same grid
    assert w.edit.push(SetGeometries("修整边界", {a_id: mine}), "修整边界", kinds=())
    dlg = _conflict(qtbot, w)
    assert w.shared.overlay[0] is not None and w.shared.overlay[1] is not None
    assert w.wait_idle(WAIT)
    SHOTS.mkdir(parents=True, exist_ok=True)
    w.grab().save(str(SHOTS / "shared_conflict_map_zh.png"))
    dlg.grab().save(str(SHOTS / "shared_conflict_dialog_zh.png"))
    dlg.reapply.click()                                               # the same geometry: it no longer fits
    _idle(qtbot, w)
    assert "修整边界" in w.edit.last_error
    assert w.document.plan.grids.geometry[a_id].equals(open_plan(pg_url).grids.geometry[a_id])
    w.refusal_banner.dismiss()
    # two windows on one server plan: what one does, the other shows
    w2 = _window(qtbot, pg_url)
    for x in (w, w2):
        x.resize(900, 620)
    assert w.edit.push(SetCells("改名", "grids", b_id, {"name": "甲窗口改的名字"}), "改名")
    qtbot.waitUntil(lambda: w2.document.plan.grids.at[b_id, "name"] == "甲窗口改的名字", timeout=WAIT)
    for x in (w, w2):
        x.document.set_selection([b_id])
        x.zoom_to_selection()
        assert x.wait_idle(WAIT)
    left, right = w.grab().toImage(), w2.grab().toImage()
    both = QImage(left.width() + right.width() + 8, max(left.height(), right.height()), QImage.Format.Format_RGB32)
    both.fill(0x808080)
    p = QPainter(both)
    p.drawImage(0, 0, left)
    p.drawImage(left.width() + 8, 0, right)
    p.end()
    both.save(str(SHOTS / "shared_two_windows_zh.png"))
    w.close()
    w2.close()


@pytest.mark.parametrize("theirs", ["same cell", "neighbour", "same row, other cell"])
def test_undo_never_overwrites_a_later_change_by_another(qtbot, settings, small_plan, pg_url, theirs):
    save_plan(small_plan, pg_url)
    w = _window(qtbot, pg_url)
    assert w.edit.push(SetGeometries("改形", {4: box(X0, Y0 + 100, X0 + 75, Y0 + 195)}), "改形", kinds=())
    _idle(qtbot, w)
    if theirs == "same cell":                        # they reshape the same grid again
        _other(pg_url, SetGeometries("改形 Reshape", {4: box(X0, Y0 + 100, X0 + 75, Y0 + 190)}))
    elif theirs == "neighbour":                      # 3 shares 4's bottom edge
        _other(pg_url, SetGeometries("改形 Reshape", {3: box(X0 + 5, Y0, X0 + 75, Y0 + 100)}))
    else:                                            # they rename the grid I reshaped
        _other(pg_url, SetCells("改名", "grids", 4, {"name": "李四改名"}))
    qtbot.waitUntil(lambda: w.shared.pulls == 1, timeout=WAIT)           # heard and brought in
    top = w.document.plan.grids.geometry[4].bounds[3]
    w.document.undo()
    if theirs == "same row, other cell":             # nothing of theirs is overwritten: the undo goes through
        _idle(qtbot, w)
        server = open_plan(pg_url)
        assert server.grids.geometry[4].bounds[3] == Y0 + 200 and server.grids.at[4, "name"] == "李四改名"
        assert [r[2] for r in _log(pg_url)] == ["push", "push", "undo"]
    else:
        qtbot.waitUntil(lambda: "李四" in w.edit.last_error, timeout=WAIT)  # refused, saying by whom
        _idle(qtbot, w)
        assert w.document.plan.grids.geometry[4].bounds[3] == top            # the undo was taken back …
        assert w.document.buffer.can_undo and not w.document.buffer.can_redo
        assert [r[2] for r in _log(pg_url)] == ["push", "push"]              # … and never sent
        assert open_plan(pg_url).grids.geometry[4].bounds[3] == top
    w.close()


def test_lost_connection_keeps_the_step_and_retries(qtbot, settings, small_plan, pg_url):
    """The server drops the window's connection: the step is kept (nothing lost), the window says
    so and offers 重试; retrying commits it on a new connection."""
    from PySide6.QtWidgets import QMessageBox

    save_plan(small_plan, pg_url)
    w = _window(qtbot, pg_url)
    conninfo, _ = parse_url(pg_url)
    with psycopg.connect(conninfo, autocommit=True) as admin:
        killed = admin.execute("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                               "WHERE application_name = 'gridmap' AND pid <> pg_backend_pid()").fetchone()[0]
    assert killed >= 1
    assert w.edit.push(SetCells("改名", "grids", 5, {"name": "断线后"}), "改名")
    qtbot.waitUntil(lambda: w.shared.error_box is not None and w.shared.error_box.isVisible(), timeout=WAIT)
    box = w.shared.error_box
    assert "提交" in box.text() or "commit" in box.text()
    assert w.shared.pending() == 1 and w.document.dirty and _log(pg_url) == []
    retry = next(b for b in box.buttons() if box.buttonRole(b) == QMessageBox.ButtonRole.AcceptRole)
    retry.click()
    _idle(qtbot, w)
    assert [r[1] for r in _log(pg_url)] == ["改名"] and open_plan(pg_url).grids.at[5, "name"] == "断线后"
    assert not w.document.dirty
    w.close()


def test_pulled_rows_are_one_exact_command(small_plan, pg_url):
    """What the window brings in: rows added, deleted and changed by another client, as one core
    command whose exact Changes name those rows only; the client then equals the server."""
    from gridmap.core.editing.changes import changes_of
    from gridmap.core.editing.changeset import plan_differences
    from gridmap.core.editing.commands import AddRow, DeleteRow, Macro, SetSetting
    from gridmap.core.storage.postgis import connect
    from gridmap.core.storage.shared import apply_changes, fetch_changes

    save_plan(small_plan, pg_url)
    mine = open_plan(pg_url)
    east = small_plan.grid_by_code("440306002000")
    role = int(small_plan.roles.index[0])
    _other(pg_url, Macro("改", [SetGeometries("改形", {10: box(X0 + 225, Y0 + 100, X0 + 300, Y0 + 150)}),
                               AddRow("新增", "grids", {"level": "small", "parent": east, "name": "新网格",
                                                       "code": "44030600200099",
                                                       "geometry": box(X0 + 225, Y0 + 150, X0 + 300, Y0 + 200)},
                                      new_id=11),
                               DeleteRow("删职责", "roles", role), SetSetting("设置", "note", "李四的设置")]))
    with connect(pg_url) as conn:
        fetched = fetch_changes(conn, parse_url(pg_url)[1], 0)
    command, rows = apply_changes(mine, fetched, "来自服务器")
    ch = changes_of(command, "pull")
    assert ch.added("grids") == {11} and ch.modified("grids") == {10} and ch.removed("roles") == {role}
    assert ch.modified("settings") == {"note"} and not ch.modified("people")
    assert plan_differences(mine, open_plan(pg_url)) == []
    again, _ = apply_changes(mine, fetched)             # the same rows again: nothing differs, no command
    assert again is None


def test_planner_refusal_mirrors_the_database(small_plan):
    """The app's check (before trying) and the row-level security policies agree on the same cases
    tested through SQL in test_shared_permissions."""
    from gridmap.core.editing.buffer import EditBuffer
    from gridmap.core.editing.commands import AddRow
    from gridmap.core.storage.permissions import edit_refusal, editable_mask

    west = small_plan.grid_by_code("440306001000")
    buf = EditBuffer(small_plan)
    buf.permit = lambda cmd, before, plan: edit_refusal("planner", {west}, cmd, before, plan)
    ok = [SetCells("a", "grids", 3, {"name": "西"})]
    refused = [SetCells("b", "grids", 7, {"name": "x"}), SetCells("c", "grids", 4, {"parent": 2}),
               SetCells("d", "grids", west, {"name": "x"}),
               AddRow("e", "grids", {"level": "small", "parent": 2, "geometry": box(0, 0, 1, 1)}, new_id=99),
               SetCells("f", "people", int(small_plan.people.index[0]), {"name": "x"})]
    for cmd in ok:
        buf.push(cmd)
    from gridmap.core.editing.geometry import EditError

    for cmd in refused:
        with pytest.raises(EditError):
            buf.push(cmd)
    assert small_plan.grids.at[4, "parent"] == west and 99 not in small_plan.grids.index
    mask = dict(zip(small_plan.grids.index, editable_mask(small_plan.grids, {west})))
    assert {g for g, ok in mask.items() if ok} == {3, 4, 5, 6}
    assert edit_refusal("viewer", set(), ok[0], small_plan, small_plan)
    assert edit_refusal("reviewer", set(), refused[0], small_plan, small_plan) is None


def test_split_merge_delete_in_the_window_reach_the_server(qtbot, settings, small_plan, pg_url):
    """The app's own edits (steps worked out when applied, people and segments following their grid)
    commit as they are: the server equals the window after each one, one change-log entry per step."""
    from shapely import LineString

    from gridmap.core.editing.changeset import plan_differences
    from gridmap.core.editing.commands import delete_grid, merge_grids, split_grid

    save_plan(small_plan, pg_url)
    w = _window(qtbot, pg_url)
    steps = 0
    for text, step in (("拆分", lambda p: split_grid(p, 3, LineString([(X0 + 40, Y0 - 5), (X0 + 40, Y0 + 105)]))),
                       ("合并", lambda p: merge_grids(p, [5, 6], keep=5)),
                       ("删除", lambda p: delete_grid(p, 10))):
        kinds = ("invalid", "overlap", "outside", "nesting") if text == "删除" else None   # as 删除网格 does
        assert (w.edit.push(step, text, kinds=kinds) if kinds else w.edit.push(step, text)), w.edit.last_error
        steps += 1
        _idle(qtbot, w)
        assert plan_differences(w.document.plan, open_plan(pg_url)) == [], text
        assert len(_log(pg_url)) == steps
    for _ in range(steps):
        w.document.undo()
    _idle(qtbot, w)
    assert plan_differences(open_plan(pg_url), small_plan) == []             # all undone on the server too
    w.close()


def test_closing_the_window_commits_what_is_queued(qtbot, settings, small_plan, pg_url):
    save_plan(small_plan, pg_url)
    w = _window(qtbot, pg_url)
    for k in range(3):
        assert w.edit.push(SetCells("改名", "grids", 3 + k, {"name": f"关前{k}"}), "改名")
    w.close()                                           # no waiting in the test: closing waits for the queue
    server = open_plan(pg_url)
    assert [server.grids.at[3 + k, "name"] for k in range(3)] == ["关前0", "关前1", "关前2"]
    assert len(_log(pg_url)) == 3


def test_versions_saved_in_the_window_go_to_the_server(qtbot, settings, small_plan, pg_url):
    """方案 → 版本与对照 on a shared plan: a saved version (and its undo) is written to the server's versions
    table, in turn with the steps; a planner, whom the database would refuse, is refused before trying."""
    from gridmap.core.versions.store import list_versions, save_version_command

    def server_versions(url):
        return list(list_versions(open_plan(url))["name"])

    save_plan(small_plan, pg_url)
    w = _window(qtbot, pg_url)
    assert w.edit.push(SetCells("改名", "grids", 3, {"name": "窗口改名"}), "改名")
    w.document.push(save_version_command(w.document.plan, "2025年版"))
    qtbot.waitUntil(lambda: w.shared.idle() and w.shared.versions_saved == 1, timeout=WAIT)
    assert server_versions(pg_url) == ["2025年版"] and [r[1] for r in _log(pg_url)] == ["改名"]
    assert not w.document.dirty
    w.document.undo()                                             # the version is taken back on the server too
    qtbot.waitUntil(lambda: w.shared.idle() and w.shared.versions_saved == 2, timeout=WAIT)
    assert server_versions(pg_url) == []
    w.close()
    west = small_plan.grid_by_code("440306001000")
    p = _window(qtbot, _as(pg_url, small_plan, "planner", [west]))
    p.document.push(save_version_command(p.document.plan, "2026年版"))
    qtbot.waitUntil(lambda: "审核" in p.edit.last_error, timeout=WAIT)
    assert p.document.plan.versions is None or not len(p.document.plan.versions)
    assert server_versions(pg_url) == []
    p.close()
