"""Five-level numbering (市 → 区 → 街道 → 社区 → 五级网格): every level gets its own code.

The bug (issue 13): the city's ``{code:6}`` proposal was the sequence number
(000001) and the district's ``{parent_prefix:4}{seq:02d}`` of it was 0000 + 01 —
the same code, so 市 and 区 shared 000001.
"""

from __future__ import annotations

import pytest
from shapely import box

from gridmap.core import codes
from gridmap.core.editing.steps import propose_code
from gridmap.core.levels import Level
from gridmap.core.plan import Plan


def _five(admin: str, levels="市/区/街道/社区/五级网格") -> tuple[Plan, dict]:
    plan = Plan.new("五级", crs="EPSG:4547", admin_code=admin, levels=levels)
    ids = {}
    ids["city"] = plan.add_grid(box(0, 0, 400, 200), "city")
    ids["d1"] = plan.add_grid(box(0, 0, 200, 200), "district", parent=ids["city"])
    ids["d2"] = plan.add_grid(box(200, 0, 400, 200), "district", parent=ids["city"])
    ids["street"] = plan.add_grid(box(0, 0, 200, 200), "street", parent=ids["d1"])
    ids["community"] = plan.add_grid(box(0, 0, 200, 200), "community", parent=ids["street"])
    ids["u1"] = plan.add_grid(box(0, 100, 200, 200), "unit", parent=ids["community"])
    ids["u2"] = plan.add_grid(box(0, 0, 200, 100), "unit", parent=ids["community"])
    return plan, ids


@pytest.mark.parametrize("admin", ["440306", "440300", "440301", ""])
def test_auto_number_gives_city_and_district_different_codes(admin):
    plan, ids = _five(admin)
    plan.auto_number()
    code = {k: str(plan.grids.at[g, "code"]) for k, g in ids.items()}
    assert len(set(code.values())) == len(code), code
    assert code["city"] != code["d1"]
    assert code["city"].endswith("00") and len(code["city"]) == 6
    assert code["d1"][:4] == code["city"][:4] and len(code["d1"]) == 6
    assert code["street"].startswith(code["d1"]) and len(code["street"]) == 9
    assert code["u1"].startswith(code["community"]) and len(code["u1"]) == 14
    if admin:
        assert code["city"] == admin[:4] + "00"        # GB/T 2260: the city of district 440306 is 440300
        assert (code["d1"], code["d2"]) == (admin[:4] + "01", admin[:4] + "02")
    # every code follows its level's pattern (the codes check would pass)
    for k, g in ids.items():
        lv = plan.level(str(plan.grids.at[g, "level"]))
        assert codes.is_valid_code(code[k], lv.code_pattern, admin, plan.parent_code(g)), (k, code[k])


def test_drawn_grids_get_different_codes_too():
    """Drawing in the app proposes each new grid's code (propose_code): 市 440300, 区 440301."""
    plan = Plan.new("五级", crs="EPSG:4547", admin_code="440306", levels="five")
    city = plan.add_grid(box(0, 0, 100, 100), "city")
    plan.grids.at[city, "code"] = propose_code(plan, city)
    dist = plan.add_grid(box(0, 0, 50, 100), "district", parent=city)
    plan.grids.at[dist, "code"] = propose_code(plan, dist)
    street = plan.add_grid(box(0, 0, 50, 100), "street", parent=dist)
    plan.grids.at[street, "code"] = propose_code(plan, street)
    assert plan.grids["code"].tolist() == ["440300", "440301", "440301001"]


def test_typed_city_code_is_kept_and_old_plans_do_not_collide():
    # a code the planner typed for a level of free digits survives auto-numbering
    plan, ids = _five("450305")
    plan.grids.at[ids["city"], "code"] = "450300"
    plan.auto_number()
    assert plan.grids.at[ids["city"], "code"] == "450300"
    assert plan.grids.at[ids["d1"], "code"] == "450301"
    # a plan saved before the fix keeps its city pattern {code:6}: its proposal is the admin code,
    # and the first district (4403 + 01 = the admin code 440301) skips it rather than share it
    plan, ids = _five("440301")
    plan.levels = [Level(lv.key, lv.name, lv.name_en, "{code:6}") if lv.key == "city" else lv
                   for lv in plan.levels]
    plan.auto_number()
    got = plan.grids["code"].astype(str).tolist()
    assert len(set(got)) == len(got)
    assert plan.grids.at[ids["city"], "code"] == "440301"
    assert plan.grids.at[ids["d1"], "code"] == "440302"


def test_four_level_top_is_the_district_code():
    plan = Plan.new("四级", crs="EPSG:4547", admin_code="440306", levels="区/街道/社区/网格")
    d = plan.add_grid(box(0, 0, 100, 100), plan.levels[0].key)
    s = plan.add_grid(box(0, 0, 100, 100), plan.levels[1].key, parent=d)
    plan.auto_number()
    assert plan.grids["code"].tolist() == ["440306", "440306001"]
