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
