"""What the core relies on in its libraries: pandas copy-on-write (undo snapshots and
refused edits) and shapely.coverage_clean on GEOS >= 3.14."""

import pandas as pd
import pytest
import shapely
from shapely import box

from gridmap.core import requirements
from gridmap.core.editing import commands as C
from gridmap.core.editing.buffer import EditBuffer, PlanSnapshot
from gridmap.core.editing.geometry import EditError
from gridmap.core.plan import Plan


def _plan():
    plan = Plan.new("例", "EPSG:4547", levels="two")
    plan.add_grid(box(0, 0, 1, 1), "large", name="甲")
    return plan


def test_copy_on_write_is_on_once_the_plan_model_is_imported():
    assert requirements.copy_on_write()
    if int(pd.__version__.split(".")[0]) < 3:
        assert pd.options.mode.copy_on_write is True


def test_a_snapshot_survives_an_in_place_attribute_edit():
    plan = _plan()
    snap = PlanSnapshot(plan)
    plan.grids.at[1, "name"] = "乙"           # an in-place edit, as SetCells makes
    assert snap.grids.at[1, "name"] == "甲"


def test_a_refused_attribute_edit_is_rolled_back():
    plan = _plan()
    buf = EditBuffer(plan)
    with pytest.raises(EditError, match="不行"):
        buf.push(C.SetCells("名称", "grids", 1, {"name": "乙"}), verify=lambda before: "不行 / no")
    assert plan.grids.at[1, "name"] == "甲" and not buf.can_undo


def test_coverage_clean_and_geos_are_recent_enough():
    assert hasattr(shapely, "coverage_clean") and shapely.geos_version >= (3, 14, 0)
    requirements.require_coverage_clean()
    with pytest.raises(requirements.RequirementError, match="GEOS ≥ 3.14.*GEOS >= 3.14"):
        requirements.require_coverage_clean(geos_version=(3, 13, 1))
