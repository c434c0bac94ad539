"""Workers run on a snapshot of the plan: the user keeps editing while an export,
a layout export or a whole-plan check runs, and what the worker writes is the
plan as it was when the work was asked for (pytest-qt, real window offscreen).

The worker is held on a gate (a job queued ahead of the export waits for an
event) so the edit is made while the export is queued or running — no timing.
"""

from __future__ import annotations

import subprocess
import threading

import pytest

from gridmap.core.editing.commands import SetCells, delete_grid
from gridmap.core.storage import save_plan
from gridmap.core.workers import PlanSnapshot


@pytest.fixture
def win(qtbot, settings, tmp_path, small_plan):
    from test_ui_window import make_window

    path = tmp_path / "plan.gpkg"
    save_plan(small_plan, path)
    w = make_window(qtbot, path)
    yield w
    w.close()


def _gate(start):
    """Queue a job that blocks the worker until the returned event is set."""
    gate = threading.Event()
    start(lambda *_: gate.wait(30))
    return gate


def test_an_edit_during_an_export_does_not_change_the_exported_file(win, qtbot, tmp_path):
    plan = win.document.plan
    gid = int(plan.grids.index[-1])
    before = sorted(str(n) for n in plan.grids["name"])
    codes_before = sorted(str(c) for c in plan.grids["code"])
    gate = _gate(lambda job: win.tasks.submit("gate", job))
    out = tmp_path / "export.geojson"
    task = win.export_plan("geojson", str(out))
    # edit while the export waits behind the gate: rename one grid, delete another
    win.document.push(SetCells("改名", "grids", gid, {"name": "导出期间改的名"}))
    leaf = next(int(g) for g in plan.grids.index if not (plan.grids["parent"] == g).any() and g != gid)
    win.document.push(delete_grid(win.document.plan, leaf))
    assert "导出期间改的名" in set(win.document.plan.grids["name"])
    gate.set()
    assert win.wait_idle(30000)
    assert task.finished
    written = [p for p in sorted(tmp_path.rglob("*.geojson")) if p.is_file() and p.stat().st_size]
    assert written, "nothing exported"
    text = "".join(p.read_text(encoding="utf-8") for p in written)
    assert "导出期间改的名" not in text                     # the edit is not in the file
    for code in codes_before:                              # every grid of the snapshot is, the deleted one too
        assert code in text
    assert sorted(str(n) for n in win.document.plan.grids["name"]) != before   # and the edits stayed


def _pdftext(path) -> str:
    out = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True)
    return out.stdout


def test_an_edit_during_a_layout_export_does_not_change_the_pdf(win, qtbot, tmp_path):
    from gridmap.core.outputs import write_output

    dlg = win.print_layout_dialog()
    assert dlg.wait_for_preview(60000)
    assert dlg.current_format() == "pdf"
    plan = win.document.plan
    gid = int(plan.grids.index[0])
    expected = tmp_path / "expected.pdf"
    write_output(plan.copy(), "pdf", str(expected), dlg.options())      # the plan as it is now
    gate = _gate(dlg._worker.start)
    out = tmp_path / "annex.pdf"
    dlg.export_to(str(out))
    win.document.push(SetCells("改名", "grids", gid, {"name": "打印期间改名"}))
    win.document.push(delete_grid(win.document.plan, int(plan.grids.index[-1])))
    gate.set()
    assert dlg.wait_for_preview(60000)
    qtbot.waitUntil(lambda: dlg.export_button.isEnabled(), timeout=10000)
    text = _pdftext(out)
    assert "打印期间改名" not in text.replace(" ", "")
    assert text == _pdftext(expected)
    dlg.close()


def test_a_snapshot_is_taken_when_asked_for_and_has_its_own_crs(small_plan):
    snap = PlanSnapshot(small_plan)
    small_plan.grids.loc[small_plan.grids.index[0], "name"] = "之后改的"
    got = {}

    def work():
        p = snap.take()
        got["name"] = str(p.grids.iloc[0]["name"])
        got["same_crs"] = p.crs is small_plan.crs
        got["equal_crs"] = p.crs == small_plan.crs

    t = threading.Thread(target=work)
    t.start()
    t.join()
    assert got == {"name": got["name"], "same_crs": False, "equal_crs": True}
    assert got["name"] != "之后改的"
