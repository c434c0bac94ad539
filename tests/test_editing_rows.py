"""Rows added and removed column by column (issue 21): the same table as pandas makes.

An added or deleted row copies each column once (``commands._put_cells``, ``_without``)
instead of a pandas concat/take of the whole frame; the result must be exactly the frame
the general path gives — columns, dtypes, index, class, CRS — for every table, with
columns the plan does not declare, in id order, and after undo/redo.
"""

import numpy as np
import pandas as pd
from shapely import box

from gridmap.core.editing import commands as C
from gridmap.core.editing.buffer import EditBuffer
from gridmap.core.plan import Plan, coerce


def _plan():
    plan = Plan.new("例", "EPSG:4547", "440306", levels="two")
    plan.set_jurisdiction(box(0, 0, 100, 10))
    big = plan.add_grid(box(0, 0, 100, 10), "large", code="440306001000")
    for i in range(10):
        plan.add_grid(box(i * 10, 0, i * 10 + 10, 10), "small", parent=big, name=f"甲{i}")
    grids = plan.grids.copy()
    grids["population"] = np.arange(len(grids), dtype=np.int64)      # a column the plan does not declare
    grids["share"] = np.linspace(0, 1, len(grids))
    plan.grids = grids
    u = plan.add_unit("城管局")
    p = plan.add_person("张三", unit=u, phone="13800000000")
    for g in plan.grids.index[1:]:
        plan.assign(int(g), "officer", person=p)
    return plan


def _reference_without(df, row):
    return df.take(np.delete(np.arange(len(df)), df.index.get_loc(row)))


def test_deleted_row_is_the_frame_pandas_makes():
    plan = _plan()
    for table in ("grids", "roles", "people"):
        df = getattr(plan, table)
        row = int(df.index[len(df) // 2])
        out = C._without(df, row)
        pd.testing.assert_frame_equal(out, _reference_without(df, row), check_index_type=True)
        assert type(out) is type(df)
        # the column-by-column path itself (not its fallback) made it
        assert C._rebuilt(df, [C._column(df, j) for j in range(df.shape[1])], df.index) is not None
        cells = C._typed_cells(df, df.loc[row].to_dict(), C._COLUMNS[table])
        assert cells is not None and C._put_cells(df, cells, int(df.index.max()) + 1) is not None
        if table == "grids":
            assert out.crs == df.crs and out.geometry.name == "geometry"


def test_added_rows_in_id_order_with_their_dtypes_and_undo():
    plan = _plan()
    before = {t: getattr(plan, t).copy() for t in ("grids", "roles")}
    buf = EditBuffer(plan)
    mid = int(plan.grids.index[5])
    buf.push(C.DeleteRow("删除", "grids", mid))
    buf.push(C.AddRow("加", "grids", dict(code="X", name="新", level="small", parent=1, geometry=box(0, 20, 1, 21),
                                          population=7, share=0.5)))
    new = buf.commands[-1].new_id
    assert new == int(before["grids"].index.max()) + 1
    g = plan.grids
    assert g.index.is_monotonic_increasing and g.index.dtype == np.int64 and g.index.name == "id"
    assert g.dtypes.equals(before["grids"].dtypes) and g.crs == before["grids"].crs
    assert g.at[new, "population"] == 7 and g.at[new, "parent"] == 1 and g.geometry[new].bounds == (0, 20, 1, 21)
    buf.undo()
    buf.undo()                         # the deleted row back at its place (the middle of the table)
    pd.testing.assert_frame_equal(plan.grids, before["grids"], check_index_type=True)
    buf.redo()
    buf.redo()
    ref = pd.concat([_reference_without(before["grids"], mid), g.loc[[new]]])
    pd.testing.assert_frame_equal(plan.grids, ref, check_index_type=True)


def test_a_value_that_does_not_fit_takes_the_general_path():
    plan = _plan()
    buf = EditBuffer(plan)
    # a text in the undeclared integer column: the general path types the table (object column)
    buf.push(C.AddRow("加", "grids", dict(code="Y", level="large", geometry=box(0, 30, 1, 31), population="many")))
    new = buf.commands[-1].new_id
    assert plan.grids.at[new, "population"] == "many"
    buf.undo()
    assert new not in plan.grids.index
    # roles: a role row typed as declared
    buf.push(C.AddRow("角色", "roles", dict(grid=2, role="leader", person=1, unit=None, duty="")))
    r = plan.roles.loc[buf.commands[-1].new_id]
    assert pd.isna(r["unit"]) and r["person"] == 1
    assert plan.roles.dtypes.equals(coerce(plan.roles.copy(), C._COLUMNS["roles"]).dtypes)


def test_undeclared_integer_column_without_a_value_becomes_float_as_pandas_makes_it():
    plan = _plan()
    before = plan.grids.copy()
    row = dict(code="Z", name="", level="large", parent=None, notes="", valid_from="", valid_to="",
               multipart_ok=False, lineage="", share=0.25, geometry=box(0, 40, 1, 41))
    buf = EditBuffer(plan)
    buf.push(C.AddRow("加", "grids", row))
    new = buf.commands[-1].new_id
    ref = coerce(pd.concat([before, pd.DataFrame([row], index=pd.Index([new], name="id")).pipe(
        lambda d: before.__class__(d, geometry="geometry", crs=before.crs))]), C._COLUMNS["grids"])
    pd.testing.assert_frame_equal(plan.grids, ref[list(before.columns)], check_index_type=True)
    assert plan.grids["population"].dtype == np.float64 and np.isnan(plan.grids.at[new, "population"])
    cells = C._typed_cells(before, row, C._COLUMNS["grids"])
    assert cells is not None and C._put_cells(before, cells, new) is not None     # the fast path made it
    buf.undo()
    assert new not in plan.grids.index
