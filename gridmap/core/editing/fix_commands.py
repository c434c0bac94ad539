"""Fixes for planners as undoable commands (no Qt).

The fix algorithms (:mod:`gridmap.core.checks.fixes`) return new geometries;
this module turns them into edits of a plan:

* :func:`fixes_for` lists the fixes that apply to one problem of a
  :class:`~gridmap.core.checks.session.CheckSession` — merge a gap or gap
  sliver into the neighbour with the longest shared border or into a chosen
  one, give an overlap to either side, snap a mismatched edge, repair an
  invalid ring, merge a grid's separate parts into its neighbours, clean the
  neighbourhood;
* :func:`try_fix` computes one fix and re-checks the neighbourhood in the
  session: a fix that would create any new problem is refused
  (:class:`FixRefused`, a bilingual message) and nothing changes;
* :func:`try_fix_all` does the same for every problem of one rule ("fix all of
  this kind"), telling which were fixed and why the others were left;
* the :class:`FixOutcome` either becomes one undo step of an
  :class:`~gridmap.core.editing.buffer.EditBuffer` (:func:`apply_outcome`; a
  :class:`FixCommand` is a ``SetGeometries``, so it is recorded as a changeset)
  or is taken back from the session (:meth:`FixOutcome.revert`, after a preview).

>>> from shapely import box
>>> from gridmap.core.plan import Plan
>>> from gridmap.core.checks import CheckSession, CheckSettings
>>> from gridmap.core.editing.buffer import EditBuffer
>>> plan = Plan.new("例", "EPSG:4547", levels="two")
>>> plan.set_jurisdiction(box(0, 0, 200, 100))
>>> big = plan.add_grid(box(0, 0, 200, 100), "large")
>>> a = plan.add_grid(box(0, 0, 100, 100), "small", parent=big)
>>> b = plan.add_grid(box(100.3, 0, 200, 100), "small", parent=big)
>>> s = CheckSession(plan, CheckSettings(disabled=frozenset({"no_leader", "no_officer", "no_unit", "bad_code"})))
>>> [p.rule for p in s.problems]
['sliver']
>>> [f.kind for f in fixes_for(s, s.problems[0])]
['merge', 'merge', 'merge', 'clean']
>>> buf = EditBuffer(plan)
>>> out = apply_fix(buf, s, fixes_for(s, s.problems[0])[0])
>>> s.problems, plan.grids.geometry[a].bounds, len(buf.commands)
([], (0.0, 0.0, 100.3, 100.0), 1)
>>> buf.undo(); plan.grids.geometry[a].bounds
(0.0, 0.0, 100.0, 100.0)
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import shapely

from ..checks import fixes as F
from ..checks.problems import Problem
from .commands import SetGeometries
from .geometry import EditError

__all__ = ["Fix", "FixRefused", "FixCommand", "FixOutcome", "FIXABLE_RULES", "MAX_GAP_WIDTH_M",
           "fixes_for", "fix_changes", "try_fix", "try_fix_all", "apply_fix", "apply_outcome",
           "find_problem", "is_gap", "is_overlap"]

#: rules with at least one automatic fix
FIXABLE_RULES = ("gap", "sliver", "overlap", "edge_mismatch", "invalid", "multipart", "outside_parent",
                 "outside_jurisdiction")
#: "fix all" merges gaps up to this width (m); a wider one is a missing grid, not a drawing error
MAX_GAP_WIDTH_M = 30.0


class FixRefused(EditError):
    """A fix that cannot be made or would create a new problem (message "中文 / English")."""


def _bi(zh: str, en: str) -> str:
    from ..messages import bi

    return bi(zh, en)


def is_gap(p: Problem) -> bool:
    return p.rule == "gap" or (p.rule == "sliver" and p.extra.get("kind") == "gap")


def is_overlap(p: Problem) -> bool:
    return p.rule == "overlap" or (p.rule == "sliver" and p.extra.get("kind") == "overlap")


@dataclass(frozen=True)
class Fix:
    """One way of fixing one problem: ``kind`` is ``merge`` (gap into ``target``, or into the
    neighbour with the longest shared border when ``chosen`` is False), ``give`` (the overlap
    to ``target``), ``snap``, ``repair``, ``parts`` (a multipart grid's other parts into
    neighbours) or ``clean`` (local coverage cleaning)."""

    kind: str
    problem: Problem
    target: int | None = None
    chosen: bool = False
    label_zh: str = ""
    label_en: str = ""

    def label(self, lang: str = "zh") -> str:
        return self.label_en if lang == "en" else self.label_zh


@dataclass(eq=False)
class FixCommand(SetGeometries):
    """A fix as one undo step: new grid geometries.  It is checked by the check session
    (:func:`try_fix`), not again by the edit guard."""

    guard = ()
    fixed: list = field(default_factory=list)


@dataclass
class FixOutcome:
    """A fix computed and verified in a session: the session already has ``changes``.

    ``changes``/``before``: ``{grid id: geometry}`` in the plan CRS after/before;
    ``fixed``: problems gone; ``left``: ``[(problem, reason "中文 / English")]`` not fixed;
    ``text``: the undo step's text."""

    changes: dict
    before: dict
    fixed: list = field(default_factory=list)
    left: list = field(default_factory=list)
    text: str = ""
    reverted: bool = False

    def command(self) -> FixCommand:
        return FixCommand(self.text, dict(self.changes), old=dict(self.before), fixed=list(self.fixed))

    def revert(self, session) -> None:
        """Take the change back from the session (a preview that is not applied)."""
        if self.changes and not self.reverted:
            session.update_many(self.before)
        self.reverted = True


# ---------------------------------------------------------------------------- listing fixes
def _name(session, gid: int) -> str:
    L, pos = session._where[int(gid)]
    return str(session.levels[L].names[pos])


def _known(session, p: Problem) -> bool:
    return bool(p.ids) and all(int(i) in session._where for i in p.ids)


def fixes_for(session, problem: Problem) -> list[Fix]:
    """The fixes that apply to ``problem`` (a problem of ``session``), the usual one first."""
    if problem.rule not in FIXABLE_RULES or not _known(session, problem):
        return []
    out: list[Fix] = []
    if is_gap(problem):
        L, lv = F._level_of(session, problem)
        piece = F._metric_location(session, problem)
        nb = {int(lv.ids[p]): lv.state.polys[p] for p in F._positions(session, problem.ids)}
        try:
            best = F.choose_neighbour(piece, nb, "longest_border")
        except F.FixError:
            best = None
        if best is not None:
            n = _name(session, best)
            out.append(Fix("merge", problem, best, False, f"并入公共边最长的相邻网格 {n}",
                           f"Merge into the neighbour with the longest shared border ({n})"))
        for gid in problem.ids:
            n = _name(session, gid)
            out.append(Fix("merge", problem, int(gid), True, f"并入网格 {n}", f"Merge into grid {n}"))
    elif is_overlap(problem):
        for gid in problem.ids[:2]:
            n = _name(session, gid)
            out.append(Fix("give", problem, int(gid), True, f"重叠部分归网格 {n}", f"Give the overlap to grid {n}"))
    elif problem.rule == "edge_mismatch":
        out.append(Fix("snap", problem, None, False, "对齐公共边顶点", "Snap the shared edge"))
    elif problem.rule == "invalid":
        out.append(Fix("repair", problem, None, False, "修复几何（去掉自相交）", "Repair the geometry"))
    elif problem.rule == "multipart":
        out.append(Fix("parts", problem, None, False, "分离的部分并入相邻网格",
                       "Merge the separate parts into their neighbours"))
    if problem.rule != "multipart":
        out.append(Fix("clean", problem, None, False, "清理周边（局部拓扑清理）", "Clean the neighbourhood"))
    return out


def fix_changes(session, fix: Fix) -> dict:
    """The new geometries of a fix, ``{grid id: geometry}`` in the plan CRS (nothing changes)."""
    p = fix.problem
    try:
        if fix.kind == "merge":
            return F.fix_merge(session, p, how=int(fix.target) if fix.chosen else "longest_border")
        if fix.kind == "give":
            return F.fix_overlap(session, p, to=fix.target)
        if fix.kind == "snap":
            return F.fix_snap(session, p)
        if fix.kind == "repair":
            return F.fix_invalid(session, p)
        if fix.kind == "parts":
            return F.fix_multipart(session, p)
        if fix.kind == "clean":
            width = max(session.settings.sliver_width_m, (p.width_m or 0.0) * 1.01 + 0.01) if is_gap(p) else None
            return F.fix_clean(session, [p], gap_width=width)
    except F.FixError as exc:
        raise FixRefused(_bi("无法自动修复：" + _reason_zh(str(exc)), f"cannot fix this automatically: {exc}")) \
            from None
    except shapely.errors.GEOSException as exc:
        raise FixRefused(_bi("几何运算失败，无法自动修复", f"the geometry operation failed ({exc})")) from None
    raise FixRefused(_bi(f"未知的修复方式 {fix.kind}", f"unknown fix {fix.kind}"))


def _reason_zh(en: str) -> str:
    if "no neighbour" in en:
        return "没有可并入的相邻网格"
    if "one part" in en:
        return "网格只有一块"
    if "not in the checked plan" in en:
        return "网格已不在方案中，请重新检查"
    if "no area left" in en:
        return "修复后没有面积，请重新绘制该网格"
    return "修复算法没有给出结果"


def _new_problems_message(new: list) -> str:
    zh = "；".join(q.message_zh for q in new[:3])
    en = "; ".join(q.message_en for q in new[:3])
    more_zh = f"等 {len(new)} 个" if len(new) > 3 else ""
    more_en = f" ({len(new)} in all)" if len(new) > 3 else ""
    return _bi(f"该修复会产生新问题{more_zh}，未做修改：{zh}", f"the fix would create new problems{more_en}, "
               f"nothing was changed: {en}")


def _verify(session, changes: dict):
    """Apply ``changes`` to the session; if a new problem appears take them back and refuse.
    Returns (before, delta)."""
    before = {int(g): session.current_geometry(g) for g in changes}
    delta = session.update_many(changes)
    gone = {(q.rule, frozenset(q.ids)) for q in delta.removed}
    new = [q for q in delta.added if (q.rule, frozenset(q.ids)) not in gone]
    if new:
        session.update_many(before)
        raise FixRefused(_new_problems_message(new))
    return before, delta


def _step_text(zh: str, en: str) -> str:
    return f"{zh} / {en}"


def try_fix(session, fix: Fix) -> FixOutcome:
    """Compute ``fix``, apply it to the session and re-check the neighbourhood.  A fix that
    changes nothing, removes nothing or would create a new problem is refused
    (:class:`FixRefused`) and the session is left as it was."""
    changes = fix_changes(session, fix)
    if not changes:
        raise FixRefused(_bi("该修复不改变任何网格", "the fix changes no grid"))
    before, delta = _verify(session, changes)
    key = (fix.problem.rule, frozenset(fix.problem.ids))
    added = {(q.rule, frozenset(q.ids)) for q in delta.added}
    removed = [q for q in delta.removed if (q.rule, frozenset(q.ids)) not in added]
    if not any((q.rule, frozenset(q.ids)) == key for q in removed):
        session.update_many(before)
        raise FixRefused(_bi("该修复没有消除这个问题，未做修改", "the fix does not remove this problem; "
                             "nothing was changed"))
    return FixOutcome(changes, before, fixed=removed,
                      text=_step_text("修复：" + fix.label_zh, "Fix: " + fix.label_en))


def apply_fix(buffer, session, fix: Fix) -> FixOutcome:
    """:func:`try_fix` and, when it is accepted, one undo step in ``buffer``."""
    return apply_outcome(buffer, session, try_fix(session, fix))


def apply_outcome(buffer, session, outcome: FixOutcome) -> FixOutcome:
    """Push a verified outcome as one undo step (taken back from the session if the push fails).
    ``buffer`` is anything with ``push(command)`` (an EditBuffer or the app's document)."""
    if not outcome.changes:
        raise FixRefused(_bi("没有可修复的问题", "nothing to fix"))
    try:
        buffer.push(outcome.command())
    except BaseException:
        outcome.revert(session)
        raise
    return outcome


# ---------------------------------------------------------------------------- fix all of a kind
LEFT_WIDE = ("缝隙宽 {w} 米，超过 {m} 米：不是绘制误差，请补画网格或手动并入",
             "the gap is {w} m wide, more than {m} m: not a drawing error — draw a grid there or merge it by hand")
LEFT_NEW = ("每种修复方式都会产生新问题", "every way of fixing it would create a new problem")
LEFT_NONE = ("没有相邻网格可以并入", "no grid next to it to merge it into")
LEFT_RULE = ("此类问题没有自动修复", "this kind of problem has no automatic fix")


def _left(reason, **kw) -> str:
    zh, en = reason
    return _bi(zh.format(**kw), en.format(**kw))


def try_fix_all(session, rule: str, max_gap_width: float = MAX_GAP_WIDTH_M, problems=None) -> FixOutcome:
    """Fix every problem of ``rule`` (or the given ``problems``) that can be fixed without
    creating a new one, in the session: local cleaning (:func:`~gridmap.core.checks.fixes.fix_all`,
    per level), and for multipart grids their parts merged into neighbours one by one.
    Gaps wider than ``max_gap_width`` metres are left.  The session keeps the result;
    :meth:`FixOutcome.revert` takes it back."""
    probs = [p for p in (session.problems if problems is None else problems) if p.rule == rule]
    outcome = FixOutcome({}, {}, text=_step_text(f"全部修复：{_title(rule, 'zh')}（{{n}} 处）",
                                                 f"Fix all: {_title(rule, 'en')} ({{n}})"))
    todo = []
    for p in probs:
        if rule not in FIXABLE_RULES:
            outcome.left.append((p, _left(LEFT_RULE)))
        elif not _known(session, p):
            outcome.left.append((p, _left(LEFT_NONE)))
        elif is_gap(p) and p.width_m is not None and p.width_m >= max_gap_width:
            outcome.left.append((p, _left(LEFT_WIDE, w=f"{p.width_m:.2f}", m=f"{max_gap_width:g}")))
        else:
            todo.append(p)
    before_keys = {(q.rule, frozenset(q.ids)) for q in session.problems}
    try:
        if rule == "multipart":
            _parts_one_by_one(session, todo, outcome)
        else:
            levels: dict = {}
            for p in todo:
                levels.setdefault(p.level, []).append(p)
            for group in levels.values():
                widths = [p.width_m for p in group if is_gap(p) and p.width_m is not None]
                gap_width = max([session.settings.sliver_width_m] + [w * 1.01 + 0.01 for w in widths])
                gap_width = min(gap_width, max_gap_width)
                report = F.fix_all(session, group, gap_width=gap_width)
                for gid, g in report.before.items():
                    outcome.before.setdefault(int(gid), g)
                outcome.changes.update({int(k): v for k, v in report.changes.items()})
        after = {(q.rule, frozenset(q.ids)): q for q in session.problems}
        new = [q for k, q in after.items() if k not in before_keys]
        if new:        # fix_all leaves no new problem by construction; never keep one
            raise FixRefused(_new_problems_message(new))
    except BaseException:
        outcome.revert(session)
        raise
    outcome.before = {g: outcome.before[g] for g in outcome.changes}
    for p in todo:
        if (p.rule, frozenset(p.ids)) in after:
            outcome.left.append((p, _left(LEFT_NEW)))
        else:
            outcome.fixed.append(p)
    outcome.text = outcome.text.replace("{n}", str(len(outcome.fixed)))
    return outcome


def _parts_one_by_one(session, todo, outcome) -> None:
    for p in todo:
        try:
            changes = F.fix_multipart(session, p)
            before, _ = _verify(session, changes)
        except (F.FixError, FixRefused, shapely.errors.GEOSException):
            continue
        for g, geom in before.items():
            outcome.before.setdefault(g, geom)
        outcome.changes.update(changes)


def _title(rule: str, lang: str) -> str:
    from ..checks.problems import RULES

    r = RULES.get(rule)
    return rule if r is None else (r.title_en if lang == "en" else r.title_zh)


# ---------------------------------------------------------------------------- matching
def find_problem(session, rule: str, ids, geometry=None) -> Problem | None:
    """The session's problem with this rule and these grid ids (the nearest to
    ``geometry`` when several match), or None."""
    want = frozenset(int(i) for i in ids)
    hits = [p for p in session.problems if p.rule == rule and frozenset(p.ids) == want]
    if len(hits) <= 1 or geometry is None or shapely.is_empty(geometry):
        return hits[0] if hits else None
    d = [shapely.distance(geometry, p.geometry) if p.geometry is not None else np.inf for p in hits]
    return hits[int(np.argmin(d))]
