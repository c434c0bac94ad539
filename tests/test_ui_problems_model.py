"""The problems list as a table model: 60,000 problems are a list, not items; a re-check that
changes a few problems moves only their rows; a header click sorts in one pass."""

from __future__ import annotations

from PySide6.QtCore import Qt

from gridmap.ui.problems import ProblemsPanel


def _problems(n, start=0):
    return [{"severity": "warning" if i % 3 else "error", "rule": "no_officer", "check": "无网格员",
             "message": f"网格 {i} 没有网格员", "grids": [i]} for i in range(start, start + n)]


def _spy(model):
    events = []
    for name in ("modelReset", "layoutChanged", "rowsInserted", "rowsRemoved"):
        getattr(model, name).connect(lambda *a, n=name: events.append((n, a[1:3] if len(a) >= 3 else ())))
    return events


def test_a_few_changed_problems_move_only_their_rows(qtbot):
    panel = ProblemsPanel()
    qtbot.addWidget(panel)
    probs = _problems(60_000)
    events = _spy(panel.model)
    panel.set_problems(probs)
    assert [n for n, _ in events] == ["modelReset"] and panel.row_count() == 60_000
    sev = [panel.problem_at(r)["severity"] for r in range(panel.row_count())]
    assert sev == sorted(sev, key={"error": 0, "warning": 1}.get)          # errors first
    del events[:]
    changed = [p for p in probs if p["grids"][0] not in (5, 6, 7, 40_000)] + _problems(2, start=70_000)
    panel.set_problems(changed)
    kinds = [n for n, _ in events]
    assert "modelReset" not in kinds and "layoutChanged" not in kinds
    removed = sum(b - a + 1 for n, (a, b) in events if n == "rowsRemoved")
    inserted = sum(b - a + 1 for n, (a, b) in events if n == "rowsInserted")
    assert (removed, inserted) == (4, 2) and panel.row_count() == 60_000 - 4 + 2
    shown = {panel.problem_at(r)["grids"][0] for r in range(panel.row_count())}
    assert shown == {p["grids"][0] for p in changed}
    model = panel.model
    assert model.data(model.index(0, 3)) .startswith("网格") and model.data(model.index(0, 0)) in ("错误", "Error")
    # a header click: one layout change, rows by message
    del events[:]
    panel.table.sortByColumn(3, Qt.SortOrder.DescendingOrder)
    assert [n for n, _ in events] == ["layoutChanged"]
    texts = [model.data(model.index(r, 3)) for r in range(model.rowCount())]
    assert texts == sorted(texts, reverse=True)
    # sorted by the user: a new problem goes at the end, the order of the others stays
    panel.set_problems(changed + _problems(1, start=80_000))
    assert panel.problem_at(panel.row_count() - 1)["grids"] == [80_000]
    panel.clear()
    assert panel.row_count() == 0 and not panel.ran
