"""The server dialog in the app: connect, see who holds which area, open, publish (real cluster, offscreen Qt)."""

from __future__ import annotations

import psycopg
import pytest

from gridmap.core.storage import open_plan, save_plan
from gridmap.core.storage.permissions import grant
from gridmap.core.storage.postgis import parse_url

pytestmark = pytest.mark.ui


def test_server_dialog_connect_open_publish(qtbot, settings, small_plan, pg_url, sample_plan_path):
    from gridmap.ui.main_window import MainWindow
    from gridmap.ui.server_dialog import ServerDialog

    save_plan(small_plan, pg_url)
    conninfo, schema = parse_url(pg_url)
    with psycopg.connect(conninfo, autocommit=True) as admin:
        grant(admin, schema, f"{schema}_w", "planner", [small_plan.grid_by_code("440306001000")])
    win = MainWindow()
    win.confirm_close = False
    qtbot.addWidget(win)
    assert "action_server" in {a.objectName() for a in win.menus["project"].actions()}
    dlg = ServerDialog(win)
    qtbot.addWidget(dlg)
    dlg.url.setText(pg_url)
    assert dlg.connect_server()
    assert dlg.areas.rowCount() == 1 and dlg.areas.item(0, 1).text() == "440306001000"
    assert dlg.access[0] == "owner" and "所有者" in dlg.status.text()
    assert dlg.open_shared() and win.document.plan is dlg.plan and len(win.document.plan.grids) == 10
    # publish the window's plan to another schema, then it opens back from there
    other = pg_url.replace(f"schema={schema}", f"schema={schema}_copy")
    dlg.url.setText(other)
    assert dlg.publish_current()
    assert len(open_plan(other).grids) == 10
    dlg.url.setText("postgresql://nobody@127.0.0.1:1/x?schema=s")
    assert not dlg.connect_server() and "无法连接" in dlg.status.text()


def test_window_opens_a_url(qtbot, settings, small_plan, pg_url):
    from gridmap.ui.app import start_window

    save_plan(small_plan, pg_url)
    win = start_window(pg_url)
    win.confirm_close = False
    qtbot.addWidget(win)
    qtbot.waitUntil(lambda: win.document is not None and len(win.document.plan.grids) == 10, timeout=30000)
    assert win.document.path is None            # Save asks for a file: the server copy is not overwritten
