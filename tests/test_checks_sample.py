"""The sample plan (sample_layers/): the clean plan passes, every deliberate error is found."""

from __future__ import annotations

import json

import pytest

from gridmap.core.checks import check_plan
from gridmap.core.storage import open_plan


def test_clean_sample_plan_has_no_error(sample_plan_path):
    r = check_plan(open_plan(sample_plan_path))
    assert r.errors == [], [p.message_en for p in r.errors]
    assert r.exit_code == 0


def test_every_listed_error_is_found(sample_errors_path):
    listed = json.loads(sample_errors_path.with_suffix(".json").read_text(encoding="utf-8"))
    r = check_plan(open_plan(sample_errors_path))
    assert listed
    for e in listed:
        # one problem naming all the grids, or (per-grid rules) one problem per grid
        hits = [p for p in r.problems if p.rule == e["rule"] and (set(p.grids) & set(e["grids"]) or not e["grids"])]
        assert hits, f"{e['rule']} {e['grids']} not found: {r.summary()}"
        assert set(e["grids"]) <= {g for p in hits for g in p.grids}
        if "area_m2" in e:
            assert any(p.area_m2 == pytest.approx(e["area_m2"], rel=0.01) for p in hits), e
        if "width_m" in e:
            assert any(p.width_m == pytest.approx(e["width_m"], abs=0.01) for p in hits), e
        if e["rule"] == "segment_unassigned":
            assert {p.extra["segment_id"] for p in hits} >= set(e["segments"])
    assert r.exit_code == 1


def test_sample_errors_are_fixed_locally_without_new_problems(sample_errors_path):
    from gridmap.core.checks import fixes
    from gridmap.core.checks.session import CheckSession

    plan = open_plan(sample_errors_path)
    s = CheckSession(plan)
    geometry = {"invalid", "overlap", "gap", "sliver", "edge_mismatch", "outside_parent"}
    probs = [p for p in s.problems if p.rule in geometry]
    report = fixes.fix_all(s, probs, gap_width=25.0)
    assert report.unfixed == [] and report.added == []
    enclave = next(p for p in s.problems if p.rule == "multipart")
    changes = fixes.fix_multipart(s, enclave)
    s.apply(changes)
    report.changes.update(changes)
    for gid, g in report.changes.items():
        plan.grids.at[gid, "geometry"] = g
    left = check_plan(plan).summary()
    assert not set(left) & (geometry | {"multipart"}), left
    assert set(left) == {"duplicate_code", "bad_code", "no_leader", "segment_unassigned", "imbalance"}
