"""Fixes for planners (core/editing/fix_commands.py and ``gridmap check --fix``): every fix one undo
step recorded as a changeset, verified by a re-check of its neighbourhood — a fix never creates a
new problem — on the errors sample and on a generated 10k city with 100 injected defects."""

from __future__ import annotations

import hashlib
import json
import sys
from collections import Counter

import numpy as np
import pytest
import shapely

from gridmap.cli import main
from gridmap.core.checks import CheckSession, check_plan
from gridmap.core.editing import fix_commands as FC
from gridmap.core.editing.buffer import EditBuffer
from gridmap.core.editing.changeset import apply_changeset, dumps, loads, plan_differences
from gridmap.core.storage import open_plan

GEOMETRY = {"invalid", "overlap", "gap", "sliver", "edge_mismatch", "outside_parent", "outside_jurisdiction",
            "multipart"}


def keys(problems):
    return Counter((p.rule, frozenset(p.ids)) for p in problems)


def full_keys(plan):
    return keys(check_plan(plan).problems)


# ---------------------------------------------------------------------------- the errors sample

def test_every_fixable_problem_of_the_errors_sample_fixed_one_step_each(sample_errors_path):
    plan = open_plan(sample_errors_path)
    original = plan.copy()
    before = full_keys(plan)
    s = CheckSession(plan)
    buf = EditBuffer(plan, author="测试")
    fixable = [p for p in s.problems if FC.fixes_for(s, p)]
    assert {p.rule for p in fixable} == {"invalid", "overlap", "gap", "sliver", "multipart"}
    applied = 0
    while True:
        todo = [p for p in s.problems if FC.fixes_for(s, p)]
        if not todo:
            break
        p = todo[0]
        for fix in FC.fixes_for(s, p):          # the usual fix first; a refused one changes nothing
            n = len(buf.commands)
            try:
                FC.apply_fix(buf, s, fix)
            except FC.FixRefused as exc:
                assert " / " in str(exc) and len(buf.commands) == n
                continue
            assert len(buf.commands) == n + 1      # one undo step
            applied += 1
            break
        else:
            pytest.fail(f"no fix accepted for {p.message_en}")
    assert applied == 6                           # overlap ×2, gap, sliver, invalid, multipart
    after = full_keys(plan)
    assert not [k for k in after if k[0] in GEOMETRY]
    assert not [k for k in after if k not in before], "a fix created a new problem"
    assert keys(s.problems) == after              # the session re-checks agree with a full check
    # every step is a changeset that replays on a copy of the plan as it was
    replay = original.copy()
    for cs in loads(dumps(buf.changesets())):
        apply_changeset(replay, cs)
    assert plan_differences(plan, replay) == []
    # and undo takes everything back
    while buf.can_undo:
        buf.undo()
    assert plan_differences(plan, original) == []


def test_a_fix_that_would_create_a_problem_is_refused_and_changes_nothing(sample_errors_path):
    plan = open_plan(sample_errors_path)
    original = plan.copy()
    s = CheckSession(plan)
    before = keys(s.problems)
    buf = EditBuffer(plan)
    ov = next(p for p in s.problems if p.rule == "overlap" and "44030600100001" in p.grids)
    give = [f for f in FC.fixes_for(s, ov) if f.kind == "give"]
    assert len(give) == 2 and all("重叠部分归网格" in f.label("zh") for f in give)
    refused, which = [], None
    for f in give:
        try:
            FC.try_fix(s, f).revert(s)
        except FC.FixRefused as exc:
            refused.append(str(exc))
            which = f
    # giving the overlap to 44030600100003 would put a street segment in the wrong grid
    assert len(refused) == 1 and "产生新问题" in refused[0] and "new problems" in refused[0]
    with pytest.raises(FC.FixRefused):
        FC.apply_fix(buf, s, which)
    assert buf.commands == [] and keys(s.problems) == before and plan_differences(plan, original) == []


def test_fix_all_of_a_kind_counts_then_applies_as_one_step(sample_errors_path):
    plan = open_plan(sample_errors_path)
    s = CheckSession(plan)
    buf = EditBuffer(plan)
    preview = FC.try_fix_all(s, "overlap")
    assert len(preview.fixed) == 2 and preview.left == []
    preview.revert(s)
    assert sum(p.rule == "overlap" for p in s.problems) == 2      # the preview changed nothing
    out = FC.apply_outcome(buf, s, FC.try_fix_all(s, "overlap"))
    assert len(buf.commands) == 1 and "全部修复" in out.text
    assert not any(p.rule == "overlap" for p in s.problems)
    nothing = FC.try_fix_all(s, "no_leader")
    assert nothing.fixed == [] and len(nothing.left) == 2 and "没有自动修复" in nothing.left[0][1]
    buf.undo()
    assert full_keys(plan) == keys(CheckSession(plan).problems) and sum(
        p.rule == "overlap" for p in check_plan(plan).problems) == 2


# ---------------------------------------------------------------------------- a generated city

@pytest.fixture(scope="module")
def citygen(repo_root):
    sys.path.insert(0, str(repo_root / "benchmarks"))
    import citygen as module
    return module


def _city_with_100_defects(citygen):
    """A 10k-grid city: 16 overlaps, 16 overlap slivers, 16 gaps, 16 gap slivers, 16 invalid rings,
    4 missing grids (citygen) and 16 mismatched edges (a vertex 1 mm off the shared edge of one side)."""
    nbx, nby, block = citygen.layout(10_000)
    nx, ny = nbx * block, nby * block
    n = nx * ny
    city = citygen.generate(10_000, seed=7, rate=16.0 / n)
    plan = city.plan
    ci, cj = np.divmod(np.arange(n), ny)
    used = {e["cell"] for e in city.injected if "cell" in e}
    cand = [c for c in np.flatnonzero((ci > 1) & (ci < nx - 2) & (cj > 1) & (cj < ny - 2) & (ci % 3 == 0)
                                      & (cj % 3 == 0)) if not {c, c - 1, c + ny} & used]
    for c in np.random.default_rng(11).permutation(cand)[:16]:
        gid = int(city.cell_ids[c])
        ring = shapely.get_coordinates(plan.grids.geometry[gid])
        d = ring[4] - ring[3]                      # a segment of the bottom edge (ring counter-clockwise)
        mid = (ring[3] + ring[4]) / 2 + np.array([d[1], -d[0]]) / np.hypot(*d) * 0.001
        plan.grids.at[gid, "geometry"] = shapely.polygons(np.concatenate([ring[:4], [mid], ring[4:]]))
    injected = Counter(e["rule"] for e in city.injected if e["rule"] in GEOMETRY)
    injected["edge_mismatch"] = 16
    assert sum(injected.values()) == 100
    return plan


def test_generated_city_with_100_defects_every_fixable_one_fixed_none_new(citygen):
    plan = _city_with_100_defects(citygen)
    s = CheckSession(plan)
    before = keys(s.problems)
    found = Counter(p.rule for p in s.problems if p.rule in GEOMETRY)
    assert found["edge_mismatch"] == 16 and found["overlap"] == 16 and found["sliver"] == 32
    assert found["invalid"] == 16 and found["gap"] == 20
    buf = EditBuffer(plan)
    fixed, left = Counter(), Counter()
    # one problem of each kind by its usual single fix (snap, merge, give, repair), one step each
    for rule, kind in (("edge_mismatch", "snap"), ("gap", "merge"), ("overlap", "give"), ("invalid", "repair")):
        for p in [q for q in s.problems if q.rule == rule and (q.width_m or 0) < FC.MAX_GAP_WIDTH_M]:
            fix = next(f for f in FC.fixes_for(s, p) if f.kind == kind)
            try:
                out = FC.apply_fix(buf, s, fix)
            except FC.FixRefused as exc:       # e.g. a road segment would cross the moved edge
                assert "新问题" in str(exc)
                continue
            assert p in out.fixed
            fixed[rule] += 1
            break
    assert len(buf.commands) == 4
    for rule in ("invalid", "overlap", "sliver", "gap", "edge_mismatch", "multipart", "outside_parent"):
        out = FC.try_fix_all(s, rule)
        fixed[rule] += len(out.fixed)
        left.update(p.rule for p, _ in out.left)
        if out.changes:
            FC.apply_outcome(buf, s, out)
    after = full_keys(plan)
    assert not [k for k in after if k not in before], "a fix created a new problem"
    assert keys(s.problems) == after
    geo_left = [p for p in check_plan(plan).problems if p.rule in GEOMETRY]
    # left: the 4 removed grids' holes (≈140 m wide: missing grids, not drawing errors), with the reason
    assert [p.rule for p in geo_left] == ["gap"] * 4 and all(p.width_m > FC.MAX_GAP_WIDTH_M for p in geo_left)
    assert left == Counter({"gap": 4})
    assert fixed["invalid"] == 16 and fixed["overlap"] == 16 and fixed["sliver"] == 32
    assert fixed["gap"] == 16 and fixed["edge_mismatch"] == 16
    assert len(buf.commands) == 4 + 5               # one undo step per fix, and per rule that had fixes


# ---------------------------------------------------------------------------- gridmap check --fix

def _digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_check_fix_writes_a_fixed_copy_and_reports(sample_errors_path, tmp_path, capsys):
    src = tmp_path / "errors.gpkg"
    src.write_bytes(sample_errors_path.read_bytes())
    digest = _digest(src)
    out = tmp_path / "fixed.gpkg"
    assert main(["check", str(src), "--fix", "all", "-o", str(out)]) == 1     # codes and roles still wrong
    text = capsys.readouterr().out
    assert "overlap" in text and "已修复 2 个" in text and "fixed 2, left 0" in text
    assert _digest(src) == digest
    left = check_plan(open_plan(out)).summary()
    assert not set(left) & GEOMETRY
    # an existing output is refused (exit 2, bilingual), unless --force; the input never
    assert main(["check", str(src), "--fix", "gap", "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert "已存在" in err and "--force" in err
    assert main(["check", str(src), "--fix", "gap", "-o", str(src), "--force"]) == 2
    assert "不能覆盖输入文件" in capsys.readouterr().err and _digest(src) == digest
    assert main(["check", str(src), "--fix", "gap,no_leader", "-o", str(out), "--force", "--json"]) == 1
    doc = json.loads(capsys.readouterr().out)
    assert doc["fixes"]["gap"]["fixed"] == 1 and doc["fixes"]["no_leader"]["fixed"] == 0
    assert len(doc["fixes"]["no_leader"]["left"]) == 2 and doc["summary"].get("gap") is None
    for bad in (["--fix", "gap"], ["--fix", "nonsense", "-o", str(tmp_path / "x.gpkg")],
                ["-o", str(tmp_path / "y.gpkg")]):
        assert main(["check", str(src), *bad]) == 2
        assert " / " in capsys.readouterr().err
