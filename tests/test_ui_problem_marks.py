"""Problems on the map while the list is open (by severity) and one click on a row
selecting and zooming to the problem — through the real window on the errors sample."""

from __future__ import annotations

import numpy as np
import pytest
import shapely
from PySide6.QtCore import Qt

from gridmap.ui.problem_marks import SEVERITY_COLORS
from ui_edit_support import open_checked_errors_window, open_window


@pytest.fixture
def win(qtbot, settings, sample_errors_path, tmp_path):
    w = open_checked_errors_window(qtbot, sample_errors_path, tmp_path)
    yield w
    w.close()


def colour_pixels(w, hex_colour: str, tol: int = 10) -> int:
    img = w.canvas.grab().toImage()
    a = np.frombuffer(img.constBits(), dtype=np.uint8).reshape(img.height(), img.bytesPerLine())[:, : img.width() * 4]
    px = a.reshape(img.height(), img.width(), 4).astype(int)          # BGRA
    r, g, b = (int(hex_colour[i:i + 2], 16) for i in (1, 3, 5))
    return int(((abs(px[..., 2] - r) < tol) & (abs(px[..., 1] - g) < tol) & (abs(px[..., 0] - b) < tol)).sum())


def test_problems_are_drawn_by_severity_while_the_list_is_open(win, qtbot):
    w = win
    marks = w.problem_marks
    with_geom = [p for p in w.problems.problems if p.get("geometry") is not None]
    assert with_geom and sum(len(g[0]) for g in marks.groups.values()) == len(with_geom)
    w.canvas.zoom_full()
    assert w.wait_idle(20000)
    assert marks.count_in_view().get("error", 0) > 0
    red = colour_pixels(w, SEVERITY_COLORS["error"])
    assert red > 20
    w.docks["problems"].hide()                    # list closed: the marks go
    qtbot.waitUntil(lambda: not marks.visible, timeout=5000)
    assert colour_pixels(w, SEVERITY_COLORS["error"]) < red / 4
    w.docks["problems"].show()
    qtbot.waitUntil(lambda: marks.visible, timeout=5000)


def test_one_click_on_a_problem_selects_and_zooms(win, qtbot):
    w = win
    table = w.problems.table
    row = next(r for r in range(table.model().rowCount()) if w.problems.problem_at(r)["rule"] == "gap")
    p = w.problems.problem_at(row)
    before = w.canvas.viewport.res
    rect = w.problems.row_rect(row)
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    x0, y0, x1, y1 = w.canvas.viewport.extent
    gx0, gy0, gx1, gy1 = shapely.bounds(p["geometry"])
    assert x0 <= gx0 and gx1 <= x1 and y0 <= gy0 and gy1 <= y1       # the problem is in view
    assert w.canvas.viewport.res < before                               # zoomed in to it


def test_first_start_gives_the_problems_list_room(qtbot, settings, sample_errors_path, tmp_path):
    """No saved window state: the bottom docks get a third of the window, so a dozen
    problem rows show (the grid form on the right no longer squeezes them)."""
    path = tmp_path / "e.gpkg"
    path.write_bytes(sample_errors_path.read_bytes())
    w = open_window(qtbot, path, size=(1400, 900), zoom=False)
    dock = w.docks["problems"]
    assert dock.height() >= 250
    table = w.problems.table
    assert table.viewport().height() // table.verticalHeader().defaultSectionSize() >= 6
    w.close()
