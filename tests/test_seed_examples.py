"""docs/examples/seed_structures.py builds the five seed documents' structures and exports them."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

from gridmap.core import staffing as S
from gridmap.core.checks import check_plan
from gridmap.core.storage import open_plan

SCRIPT = Path(__file__).parent.parent / "docs" / "examples" / "seed_structures.py"


def _module():
    spec = importlib.util.spec_from_file_location("seed_structures", SCRIPT)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_the_five_structures_are_built_saved_checked_and_exported(tmp_path):
    mod = _module()
    summary = mod.build_all(tmp_path)
    assert set(summary) == {"wengyuan", "one_two_n", "jishui", "pengjiang", "zaozhuang"}
    for name in summary:
        assert (tmp_path / f"{name}.xlsx").stat().st_size > 0
        json.loads((tmp_path / f"{name}.check.json").read_text(encoding="utf-8"))
    # 翁源: 2 large + 28 small grids, every small grid with its 挂点领导, 牵头单位 and 责任单位
    w = open_plan(tmp_path / "wengyuan.gpkg")
    small = w.grids_of_level("small").index
    assert len(w.grids_of_level("large")) == 2 and len(small) == 28
    for role in ("patron", "lead_unit", "responsible_unit"):
        assert set(w.roles.loc[w.roles["role"] == role, "grid"]) >= set(small)
    # 1+2+N: the document's sums, staffing met
    assert summary["one_two_n"]["staffing"] == "共需在编4人，协管36人"
    assert "staffing" not in summary["one_two_n"]["checks"]
    # 吉水: three tiers, every segment held by a 队员
    j = open_plan(tmp_path / "jishui.gpkg")
    assert {"squad", "responsible", "member"} <= set(j.roles["role"])
    assert j.segments["officer"].notna().all()
    # 蓬江: one station and ≥ 2 officers pass; without the station the community is flagged
    p = open_plan(tmp_path / "pengjiang.gpkg")
    assert "staffing" not in summary["pengjiang"]["checks"]
    p.places = p.places.iloc[0:0]
    found = [x for x in check_plan(p).problems if x.rule == "staffing"]
    assert len(found) == 1 and "服务站" in found[0].message_zh
    assert S.has_quotas(p)
