"""The attribute table's models follow an edit row by row (issue 21): on a generated
city of a few thousand grids, a one-grid edit emits row-level signals for the rows it
touched and nothing for the rest — never a model reset, never a layout change."""

from __future__ import annotations

import sys

import pytest
from PySide6.QtCore import Qt
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


def _people_panel(city, qtbot):
    """A people dock on a copy of the city, following that copy's edit buffer: (plan, buffer, panel)."""
    from gridmap.ui.people_dock import PeoplePanel

    class Ctl:
        refused = None

    plan = city.copy()
    buf = EditBuffer(plan)
    panel = PeoplePanel(Ctl())
    qtbot.addWidget(panel)
    panel.set_plan(plan)
    buf.subscribe(panel.on_changes)
    return plan, buf, panel


def test_people_dock_follows_an_edit_from_its_change_report(city, qtbot):
    """PeoplePanel.on_changes: a one-grid edit, an officer assigned, a person renamed and
    their undo give row-level signals for the people they touch only — never a reset — and
    the table then shows what a fresh one shows."""
    from gridmap.ui.people_dock import person_rows, unit_rows

    plan, buf, panel = _people_panel(city, qtbot)
    people, units = panel.people.model, panel.units.model
    assert not people.loaded and people.rowCount() == len(plan.people)   # nothing computed at opening
    assert len(people.df) == len(plan.people) and len(units.df) == len(plan.units)   # (Qt asked for a value)
    g = int(plan.roles["grid"].dropna().astype(int).value_counts().index[0])
    on_duty = {int(p) for p in plan.roles.loc[plan.roles["grid"] == g, "person"].dropna()}
    assert on_duty
    spy, uspy = Spy(people), Spy(units)
    buf.push(C.set_grid_attributes(plan, g, code="440200888888"))      # the codes on duty of its people
    assert spy.kinds() == {"dataChanged"}
    assert spy.rows("dataChanged") == {people.row_of(p) for p in on_duty}
    assert uspy.events == []
    for p in on_duty:
        assert "440200888888" in people.df.at[p, "grids"]
    # an officer assigned: that person's row only
    person = int(plan.people.index[len(plan.people) // 2])
    spy = Spy(people)
    buf.push(C.assign_role(plan, g, "officer", person=person))
    assert spy.kinds() == {"dataChanged"} and spy.rows("dataChanged") == {people.row_of(person)}
    # a person added, then the additions undone: rows inserted and removed, nothing reset
    spy = Spy(people)
    buf.push(C.AddRow("加", "people", {"name": "新来的", "post": "网格员"}))
    buf.undo()
    buf.undo()
    buf.undo()
    assert spy.kinds() <= {"rowsInserted", "rowsRemoved", "dataChanged"}
    assert len(spy.rows("dataChanged")) <= len(on_duty) + 1
    fresh_p, fresh_u = person_rows(plan), unit_rows(plan)
    assert list(people.df.index) == list(fresh_p.index)
    for c in fresh_p.columns:
        a, b = people.df[c].tolist(), fresh_p[c].tolist()
        assert [str(x) for x in a] == [str(x) for x in b] if c != "road_m" else \
            all(abs(float(x) - float(y)) < 1e-6 for x, y in zip(a, b)), c
    assert list(units.df.index) == list(fresh_u.index)


def test_pick_lists_are_lazy_and_follow_an_edit_row_by_row(city, qtbot):
    """The grid and people pick lists (PlanPickList): setting a plan makes no label, a split
    inserts one row (in id order), a rename changes one row, findData is exact."""
    from gridmap.ui.inspector_form import PlanPickList

    plan = city.copy()
    buf = EditBuffer(plan)
    small = plan.levels[-1].key
    grids = PlanPickList("grid", level=small)
    grids.set_head([("(不变)", "__unchanged__")])
    people = PlanPickList("person")
    for m in (grids, people):
        m.set_plan(plan)
        buf.subscribe(m.follow)
    assert all(t is None for t in grids.labels) and all(t is None for t in people.labels)
    n = grids.rowCount()
    assert n == 1 + int((plan.grids["level"] == small).sum())
    g = int(plan.grids.index[plan.grids["level"] == small][10])
    r = grids.row_of(g)
    assert grids.data(grids.index(r), Qt.ItemDataRole.UserRole) == g
    assert sum(t is not None for t in grids.labels) == 0
    assert str(plan.grids.at[g, "code"]) in grids.data(grids.index(r))
    assert sum(t is not None for t in grids.labels) == 1                 # only the row asked for
    spy = Spy(grids)
    buf.push(C.set_grid_attributes(plan, g, name="改名网格"))
    assert spy.kinds() == {"dataChanged"} and spy.rows("dataChanged") == {r}
    assert "改名网格" in grids.data(grids.index(r))
    spy = Spy(grids)
    geom = plan.grids.geometry[g]
    c = geom.centroid
    x0, y0, x1, y1 = geom.bounds
    buf.push(C.split_grid(plan, g, LineString([(c.x, y0 - 5), (c.x, y1 + 5)])))
    assert spy.kinds() <= {"rowsInserted", "dataChanged"} and len(spy.rows("rowsInserted")) == 1
    assert grids.rowCount() == n + 1
    new = int(plan.grids.index.max())
    assert grids.row_of(new) == grids.rowCount() - 1
    spy = Spy(people)
    p = int(plan.people.index[5])
    buf.push(C.SetCells("改", "people", p, {"name": "赵六"}))
    assert spy.kinds() == {"dataChanged"} and spy.rows("dataChanged") == {people.row_of(p)}
    from PySide6.QtWidgets import QComboBox

    combo = QComboBox()
    combo.setModel(people)
    assert combo.findData(p) == people.row_of(p)
    assert combo.findText("赵六") == people.row_of(p) or "赵六" in combo.itemText(people.row_of(p))


def test_people_dock_not_yet_shown_follows_only_the_row_count(city, qtbot):
    """Before anybody looks at the people table, an edit computes nothing: a person added
    is one row inserted at the end; the values are computed when first asked for."""
    from gridmap.ui.people_dock import person_rows

    plan, buf, panel = _people_panel(city, qtbot)
    model = panel.people.model
    n = model.rowCount()
    spy = Spy(model)
    buf.push(C.AddRow("加", "people", {"name": "后来的"}))
    buf.push(C.SetCells("改", "people", int(plan.people.index[0]), {"name": "改过的"}))
    assert not model.loaded
    assert spy.kinds() == {"rowsInserted"} and spy.rows("rowsInserted") == {n}
    assert model.rowCount() == n + 1
    assert list(model.df.index) == list(person_rows(plan).index)
    assert model.df.at[int(plan.people.index[0]), "name"] == "改过的"


def test_grid_form_and_segments_panel_share_one_people_list(qtbot, tmp_path, small_plan):
    """The person pick lists of the grid form (with and without "(none)") and the segments
    panel's officer list are views of one source: its rows and labels are made once, an
    edit is followed once and each view says which of its rows changed."""
    from gridmap.ui.inspector_form import PlanPickList
    from ui_edit_support import open_window, write_project

    w = open_window(qtbot, write_project(small_plan, tmp_path))
    w.ensure_panel("segments")
    w.segments._fill_targets()
    plan = w.document.plan
    w.form.show_grids(plan, [int(plan.grids.index[-1])])
    views = [w.form.picks[("person", True)], w.form.picks[("person", False)], w.segments._picks["officer"]]
    assert all(isinstance(v, PlanPickList) for v in views)
    assert len({id(v.src) for v in views}) == 1
    assert views[0].rowCount() == views[1].rowCount() + 1 == views[2].rowCount() - 1  # heads: 1, 0, 2
    src = views[0].src
    src.ensure_labels()
    p = int(plan.people.index[0])
    spies = [Spy(v) for v in views]
    assert w.edit.push(C.SetCells("改名", "people", p, {"name": "新名字"}), "改名")
    for v, spy in zip(views, spies):
        assert spy.kinds() == {"dataChanged"} and spy.rows("dataChanged") == {v.row_of(p)}
        assert "新名字" in v.data(v.index(v.row_of(p)))
    assert sum(t is None for t in src.labels) == 0            # only the renamed row was made again
