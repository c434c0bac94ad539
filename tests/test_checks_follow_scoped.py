"""The live check's attribute rules follow an edit (issue 21): with ``related`` (what the
edit touched besides its grids: people, units, roles and the grids of those roles),
:meth:`CheckSession.follow` re-runs the code, responsibility, phone, role-to-confirm and
area rules for the touched grids, people and roles and what depends on them only — and
after a series of edits (split, merge, codes made duplicate and undone, a leader removed
from a large grid, an officer assigned and removed, a phone cleared, a person deleted,
a role marked for review, undo and redo) the followed result is exactly a fresh
whole-plan check's."""

from __future__ import annotations

import sys

import pytest
from shapely import LineString

from gridmap.core.checks import runner
from gridmap.core.checks.runner import check_plan
from gridmap.core.checks.session import CheckSession, _same_key
from gridmap.core.editing import commands as C
from gridmap.core.editing.buffer import EditBuffer
from gridmap.ui.live_checks import related_of


@pytest.fixture(scope="module")
def city(repo_root):
    sys.path.insert(0, str(repo_root / "benchmarks"))
    import citygen

    return citygen.generate(2500, seed=5, inject=True).plan


def _keys(problems):
    """The problems as a whole-plan check identifies them, with the wording of the attribute
    rules' findings (a renamed grid or person is named anew)."""
    from gridmap.core.checks.session import _ATTRIBUTE_RULES

    return sorted(repr((_same_key(p), p.message_en if p.rule in _ATTRIBUTE_RULES else "")) for p in problems)


def test_scoped_follow_matches_a_whole_plan_check_after_a_series_of_edits(city, monkeypatch):
    plan = city.copy()
    s = CheckSession(plan)
    buf = EditBuffer(plan)
    seen, scoped = [], []
    real = runner._attribute_problems_scoped

    def spy(*a, **k):
        scoped.append(a[7])                     # the scope: the rules ran for it, not the whole plan
        return real(*a, **k)
    monkeypatch.setattr(runner, "_attribute_problems_scoped", spy)

    def follow(ch):
        segs = ch.per_table["segments"].ids if "segments" in ch.per_table else set()
        related = related_of([ch], plan)
        assert related is not None, ch.command.text
        n = len(scoped)
        delta = s.follow(plan, ch.grids, segments=segs, related=related)
        assert delta is not None, ch.command.text
        assert len(scoped) == n + 1
        assert _keys(s.problems) == _keys(check_plan(plan, s.settings).problems), (ch.how, ch.command.text)
        seen.append(ch.how)

    buf.subscribe(follow)
    large, small = plan.levels[0].key, plan.levels[-1].key
    ids = plan.grids.index[plan.grids["level"] == small]
    g = int(ids[len(ids) // 3])
    geom = plan.grids.geometry[g]
    c = geom.centroid
    x0, y0, x1, y1 = geom.bounds
    buf.push(C.split_grid(plan, g, LineString([(c.x, y0 - 5), (c.x, y1 + 5)])))   # roles copied: to confirm
    assert any(p.rule == "role_to_confirm" for p in s.problems)
    buf.undo()
    buf.redo()
    pair = [int(i) for i in plan.grids.index[(plan.grids["level"] == small)
                                             & (plan.grids["parent"] == plan.grids.at[g, "parent"])][:2]]
    buf.push(C.merge_grids(plan, pair, pair[0]))
    # a code made duplicate, then made unique again: both grids' findings follow
    other = int(ids[len(ids) // 2])
    buf.push(C.set_grid_attributes(plan, g, code=str(plan.grids.at[other, "code"])))
    assert any(p.rule == "duplicate_code" and g in p.ids and other in p.ids for p in s.problems)
    buf.push(C.set_grid_attributes(plan, other, code=""))
    buf.undo()
    # a large grid re-coded: its children's codes no longer extend it
    big = int(plan.grids.at[g, "parent"])
    buf.push(C.set_grid_attributes(plan, big, code="440306999"))
    assert any(p.rule == "bad_code" and g in p.ids for p in s.problems)
    buf.undo()
    # the leader of a large grid removed: inherited by every child
    leaders = plan.roles[(plan.roles["grid"] == big) & plan.roles["role"].isin(["leader", "patron"])]
    for rid in leaders.index:
        buf.push(C.remove_role(plan, int(rid)))
    # an officer assigned, then all officers of a grid removed
    person = int(plan.people.index[3])
    buf.push(C.assign_role(plan, other, "officer", person=person))
    for rid in plan.roles.index[(plan.roles["grid"] == other) & (plan.roles["role"] == "officer")]:
        buf.push(C.remove_role(plan, int(rid)))
    assert any(p.rule == "no_officer" and other in p.ids for p in s.problems)
    buf.undo()
    # a phone cleared, a person renamed, a person deleted (their roles stay: they no longer count)
    on_duty = plan.roles["person"].dropna().astype(int)
    p1, p2 = int(on_duty.iloc[0]), int(on_duty.iloc[-1])
    buf.push(C.SetCells("电话", "people", p1, {"phone": ""}))
    assert any(p.rule == "no_phone" and p.extra.get("person_id") == p1 for p in s.problems)
    buf.push(C.SetCells("改名", "people", p1, {"name": "王二小"}))
    buf.push(C.DeleteRow("删人", "people", p2))
    buf.undo()
    buf.redo()
    # a duty marked for review by hand
    rid = int(plan.roles.index[plan.roles["grid"] == g][0]) if (plan.roles["grid"] == g).any() \
        else int(plan.roles.index[0])
    buf.push(C.SetCells("职责", "roles", rid, {"duty": "（待确认）"}))
    buf.push(C.delete_grid(plan, int(ids[-1])))
    buf.undo()
    buf.redo()
    assert len(seen) >= 20
    # the rules ran for a few grids each time, not the plan
    assert max(len(sc.role_scope) for sc in scoped) < len(plan.grids) // 2


def test_related_is_none_for_edits_the_rules_cannot_follow(city):
    from gridmap.core.editing.changes import changes_of

    plan = city.copy()
    ch = changes_of(C.SetSetting("设置", "check.imbalance_pct", "30"))
    assert related_of([ch], plan) is None
    ch = changes_of(C.ReplaceTable("人员", "people", plan.people.copy()))
    assert related_of([ch], plan) is None


def test_segment_edits_rechecked_alone_match_a_whole_plan_check(city, monkeypatch):
    """Edits of single street segments (issue 21: the segment rules look up only the segments
    re-checked, not every segment's grid and level): a segment moved to a wrong grid, left
    without a grid, given a grid of the large level, after a grid was deleted (the session
    keeps its removed slot) — each followed result is a whole-plan check's."""
    plan = city.copy()
    s = CheckSession(plan)
    buf = EditBuffer(plan)
    counts = []
    real = runner._attribute_tail

    def spy(*a, **k):
        counts.append(None if a[6] is None else len(a[6]))      # only_segments: how many re-checked
        return real(*a, **k)
    monkeypatch.setattr(runner, "_attribute_tail", spy)

    def follow(ch):
        segs = ch.per_table["segments"].ids if "segments" in ch.per_table else set()
        delta = s.follow(plan, ch.grids, segments=segs, related=related_of([ch], plan))
        assert delta is not None, ch.command.text
        assert _keys(s.problems) == _keys(check_plan(plan, s.settings).problems), ch.command.text

    buf.subscribe(follow)
    small, large = plan.levels[-1].key, plan.levels[0].key
    ids = plan.grids.index[plan.grids["level"] == small]
    segs = plan.segments.index[plan.segments["grid"].notna()]
    sid, sid2 = int(segs[len(segs) // 2]), int(segs[len(segs) // 3])
    far = int(ids[0]) if int(ids[0]) != int(plan.segments.at[sid, "grid"]) else int(ids[1])
    buf.push(C.SetCells("管段", "segments", sid, {"grid": far}))
    assert any(p.rule == "segment_wrong_grid" and p.extra.get("segment_id") == sid for p in s.problems)
    buf.push(C.SetCells("管段", "segments", sid2, {"grid": None}))
    assert any(p.rule == "segment_unassigned" and p.extra.get("segment_id") == sid2 for p in s.problems)
    big = int(plan.grids.index[plan.grids["level"] == large][0])
    buf.push(C.SetCells("管段", "segments", sid2, {"grid": big}))
    buf.push(C.delete_grid(plan, int(ids[-1])))
    buf.push(C.SetCells("管段", "segments", sid, {"grid": int(ids[-2])}))
    buf.undo()
    buf.undo()
    buf.redo()
    assert counts and max(c for c in counts if c is not None) < len(plan.segments) // 10
