"""The name index of a level (issue 21): a split's new names come from an index kept by
comparing the level's names with the last ones seen, and propose exactly what
:func:`propose_name` proposes from every name of the level."""

from __future__ import annotations

import random

import pandas as pd
from shapely import box

from gridmap.core.naming import NameIndex, cn_number, propose_level_name, propose_name, warm_up
from gridmap.core.plan import Plan


def test_index_proposes_what_the_full_scan_proposes_after_random_changes():
    rnd = random.Random(7)
    index = NameIndex()
    styles = ["新安{}网格", "第{}网格", "{}号", "西片", ""]
    for _ in range(400):
        n = rnd.randint(0, 30)
        names = []
        for _ in range(n):
            st, k = rnd.choice(styles), rnd.randint(1, 40)
            names.append(st.format(cn_number(k) if rnd.random() < 0.5 else k) if "{}" in st else st)
        ids = sorted(rnd.sample(range(1, 200), n))
        index.sync(pd.Series(names, index=ids, dtype=object))
        taken = [rnd.choice(names)] if names else []
        assert index.propose(taken=taken, fallback="某") == propose_name(names, taken=taken, fallback="某")


def test_plan_index_follows_renames_and_warm_up():
    plan = Plan.new("例", "EPSG:4547", levels="one")
    lv = plan.levels[0].key
    for i, n in enumerate(["第1网格", "第2网格", "第3网格"]):
        plan.add_grid(box(i, 0, i + 1, 1), lv, name=n)
    warm_up(plan).join()
    assert propose_level_name(plan, lv) == "第4网格"
    plan.grids.loc[plan.grids.index[0], "name"] = "第9网格"
    assert propose_level_name(plan, lv) == "第10网格"
    plan.add_grid(box(5, 0, 6, 1), lv, name="第10网格")
    assert propose_level_name(plan, lv, taken=["第11网格"]) == "第12网格"


def test_missing_names_count_as_no_name():
    import numpy as np

    index = NameIndex()
    index.sync(pd.Series(["第1网格", None, np.nan], index=[1, 2, 3], dtype=object))
    assert index.propose() == "第2网格"
    index.sync(pd.Series(["第1网格", pd.NA, "第5网格"], index=[1, 2, 4], dtype=object))   # NA does not compare
    assert index.propose() == "第6网格" and "nan" not in index.count and "<NA>" not in index.count
    index.sync(pd.Series([pd.NA, "第2网格"], index=[2, 4], dtype=object))
    assert index.propose() == propose_name(["", "第2网格"]) == "第3网格"
