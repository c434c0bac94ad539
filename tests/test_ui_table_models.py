"""The attribute table's models follow an edit row by row (issue 21): on a generated
city of a few thousand grids, a one-grid edit emits row-level signals for the rows it
touched and nothing for the rest — never a model reset, never a layout change."""

from __future__ import annotations

import sys

import pytest
from shapely import LineString

from gridmap.core.editing import commands as C
from gridmap.core.editing.buffer import EditBuffer


@pytest.fixture(scope="module")
def city(repo_root):
    sys.path.insert(0, str(repo_root / "benchmarks"))
    import citygen

    return citygen.generate(3000, seed=3, inject=False).plan


class Spy:
    """Every structural and data signal of a model."""

    def __init__(self, model):
        self.events = []
        for name in ("modelReset", "layoutChanged", "rowsInserted", "rowsRemoved", "dataChanged"):
            getattr(model, name).connect(lambda *a, n=name: self.events.append((n, a)))

    def kinds(self):
        return {n for n, _ in self.events}

    def rows(self, name):
        out = set()
        for n, a in self.events:
            if n != name:
                continue
            if name == "dataChanged":
                out |= set(range(a[0].row(), a[1].row() + 1))
            else:
                out |= set(range(a[1], a[2] + 1))
        return out


def _models(plan, qtbot):
    from gridmap.ui.attribute_table import PlanTableModel

    small = plan.levels[-1].key
    models = {k: PlanTableModel(k) for k in ("grids", "segments", "places", "people")}
    for k, m in models.items():
        m.set_plan(plan, small if k == "grids" else None)
    return models


def test_one_grid_edit_signals_only_its_rows(city, qtbot):
    plan = city.copy() if hasattr(city, "copy") else city
    buf = EditBuffer(plan)
    models = _models(plan, qtbot)
    buf.subscribe(lambda ch: [m.apply_changes(ch) for m in models.values()])
    small = plan.grids[plan.grids["level"] == plan.levels[-1].key]
    assert len(small) > 2000
    # a grid with segments: renaming its code changes its row and its segments' grid column
    g = int(plan.segments["grid"].dropna().astype(int).value_counts().index[0])
    seg_rows = {models["segments"].row_of(s) for s in plan.segments.index[plan.segments["grid"] == g]}
    spies = {k: Spy(m) for k, m in models.items()}
    buf.push(C.set_grid_attributes(plan, g, code="440200999999"))
    assert spies["grids"].kinds() == {"dataChanged"}
    assert spies["grids"].rows("dataChanged") == {models["grids"].row_of(g)}
    assert spies["segments"].kinds() == {"dataChanged"}
    assert spies["segments"].rows("dataChanged") == seg_rows
    assert spies["people"].events == []
    m = models["grids"]
    col = [c.key for c in m.columns].index("code")
    assert m.data(m.index(m.row_of(g), col)) == "440200999999"

    # undo: the same rows again, nothing else
    spies = {k: Spy(m) for k, m in models.items()}
    buf.undo()
    assert spies["grids"].rows("dataChanged") == {models["grids"].row_of(g)}
    assert spies["grids"].kinds() == {"dataChanged"}

    # a split: one row inserted in the grids tab (and the pieces' segments), no reset
    spies = {k: Spy(m) for k, m in models.items()}
    geom = plan.grids.geometry[g]
    c = geom.centroid
    x0, y0, x1, y1 = geom.bounds
    n_before = models["grids"].rowCount()
    old_ids = set(plan.grids.index)
    buf.push(C.split_grid(plan, g, LineString([(c.x, y0 - 5), (c.x, y1 + 5)])))
    new = sorted(set(plan.grids.index) - old_ids)
    assert new
    assert spies["grids"].kinds() <= {"rowsInserted", "dataChanged"}
    assert spies["grids"].rows("rowsInserted") == set(range(n_before, models["grids"].rowCount()))
    assert models["grids"].rowCount() == n_before + len(new)
    assert len(spies["grids"].rows("dataChanged")) <= 1 + len(new)          # the old grid (its area)
    for k in ("segments", "places", "people"):
        assert not spies[k].kinds() & {"modelReset", "layoutChanged"}, k
    # every model shows exactly what a fresh model shows
    fresh = _models(plan, qtbot)
    for k, m in models.items():
        f = fresh[k]
        assert m.rowCount() == f.rowCount(), k
        for rid in list(f.frame.index[:50]) + new:
            if f.row_of(rid) is None:
                continue
            assert [m.data(m.index(m.row_of(rid), j)) for j in range(m.columnCount())] == \
                   [f.data(f.index(f.row_of(rid), j)) for j in range(f.columnCount())], (k, rid)

    # undo the split: the new rows are removed, row by row
    spies = {k: Spy(m) for k, m in models.items()}
    buf.undo()
    assert spies["grids"].kinds() <= {"rowsRemoved", "dataChanged"}
    assert models["grids"].rowCount() == n_before
    assert spies["grids"].rows("rowsRemoved") == set(range(n_before, n_before + len(new)))


def test_removing_a_person_updates_their_grids_and_segments_only(city, qtbot):
    plan = city
    buf = EditBuffer(plan)
    models = _models(plan, qtbot)
    buf.subscribe(lambda ch: [m.apply_changes(ch) for m in models.values()])
    person = int(plan.segments["officer"].dropna().astype(int).value_counts().index[0])
    their_segments = {models["segments"].row_of(s) for s in plan.segments.index[plan.segments["officer"] == person]}
    their_grids = {models["grids"].row_of(int(g)) for g in plan.roles.loc[plan.roles["person"] == person, "grid"]
                   if models["grids"].row_of(int(g)) is not None}
    spies = {k: Spy(m) for k, m in models.items()}
    buf.push(C.SetCells("改名", "people", person, {"name": "张三丰"}))
    assert spies["segments"].rows("dataChanged") == their_segments
    assert spies["grids"].rows("dataChanged") == their_grids
    assert spies["people"].rows("dataChanged") == {models["people"].row_of(person)}
    for s in spies.values():
        assert not s.kinds() & {"modelReset", "layoutChanged", "rowsInserted", "rowsRemoved"}
    m = models["segments"]
    col = [c.key for c in m.columns].index("officer_name")
    assert m.data(m.index(next(iter(their_segments)), col)) == "张三丰"
    buf.undo()


def test_people_table_follows_an_edit_row_by_row(city, qtbot):
    """The people dock's model: renaming one person and removing a role change only their rows."""
    from gridmap.ui.people_dock import FrameModel, person_rows

    plan = city
    buf = EditBuffer(plan)
    rows = person_rows(plan)
    model = FrameModel(list(rows.columns))
    model.set_frame(rows)
    person = int(plan.roles["person"].dropna().astype(int).value_counts().index[0])
    role = int(plan.roles.index[plan.roles["person"] == person][0])
    spy = Spy(model)
    buf.push(C.Macro("改", [C.SetCells("改名", "people", person, {"name": "李四光"}), C.DeleteRow("删", "roles", role)]))
    model.update_frame(person_rows(plan))
    assert spy.kinds() == {"dataChanged"}
    assert spy.rows("dataChanged") == {model.row_of(person)}
    assert model.df.at[person, "name"] == "李四光"
    assert model.df.at[person, "roles"] == rows.at[person, "roles"] - 1
    # a new person: one row appended
    spy = Spy(model)
    buf.push(C.AddRow("加", "people", {"name": "新人"}))
    model.update_frame(person_rows(plan))
    assert spy.kinds() == {"rowsInserted"} and spy.rows("rowsInserted") == {len(rows)}
    buf.undo()
    model.update_frame(person_rows(plan))
    assert spy.kinds() == {"rowsInserted", "rowsRemoved"} and model.rowCount() == len(rows)
    buf.undo()
    model.update_frame(person_rows(plan))
    assert (model.df["name"] == rows["name"]).all()
