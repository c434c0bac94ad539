"""The real sample town through shapefiles (UTF-8 and GBK) and back: nothing lost."""

from __future__ import annotations

import pandas as pd
import pytest
import shapely

from gridmap.core.exchange.as_plan import plan_from_export
from gridmap.core.exchange.registry import export_plan
from gridmap.core.storage import open_plan


@pytest.mark.parametrize("encoding", ["utf-8", "gbk"])
def test_sample_plan_round_trips_through_shapefiles(sample_plan_path, tmp_path, encoding):
    plan = open_plan(sample_plan_path)
    export_plan(plan, "shp", tmp_path / "out", encoding=encoding)
    back, notes = plan_from_export(tmp_path / "out")
    a = plan.grids.sort_values("code")
    b = back.grids.sort_values("code")
    assert a["code"].tolist() == b["code"].tolist()
    assert a["name"].tolist() == b["name"].tolist()
    assert a["level"].tolist() == b["level"].tolist()
    parent_code = lambda p, g: [p.grids.at[int(x), "code"] if pd.notna(x) else "" for x in g["parent"]]
    assert parent_code(plan, a) == parent_code(back, b)
    assert shapely.equals_exact(a.geometry.values, b.geometry.values, tolerance=1e-6).all()
    assert back.jurisdiction.symmetric_difference(plan.jurisdiction).area < 1e-3
    assert len(back.segments) == len(plan.segments) and len(back.places) == len(plan.places)
    assert sorted(back.people["name"]) == sorted(plan.people["name"])
    assert len(back.roles) == len(plan.roles)
