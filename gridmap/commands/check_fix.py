"""``gridmap check PLAN --fix RULES -o FIXED.gpkg``: fix problems headless, into a copy.

For every rule asked for (in the order that repairs first: invalid geometry
before overlaps, gaps and edges), every problem that can be fixed without
creating a new one is fixed ("fix all of this kind" of the app,
:func:`gridmap.core.editing.fix_commands.try_fix_all`), each rule one step of
an edit buffer.  The fixed plan is written to ``-o`` (never the input; an
existing file only with ``--force``), then checked as ``gridmap check`` does:
the report says per rule how many were fixed and why the others were left,
and the exit status is that of the check of the fixed copy (0: no error left,
1: errors left, 2: unusable input).
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

from . import UsageError

__all__ = ["parse_rules", "run_fix", "FIX_ORDER"]

#: the order rules are fixed in: repairs first, then overlaps, gaps, edges, parts, nesting
FIX_ORDER = ("invalid", "overlap", "sliver", "gap", "edge_mismatch", "multipart", "outside_parent",
             "outside_jurisdiction")


def _bi(zh: str, en: str) -> str:
    from ..core.messages import bi

    return bi(zh, en)


def parse_rules(text: str) -> list[str]:
    """Rule ids from ``a,b,c`` or ``all`` (all fixable rules), in :data:`FIX_ORDER`.

    >>> parse_rules("gap, overlap")
    ['overlap', 'gap']
    >>> parse_rules("all")[:2]
    ['invalid', 'overlap']
    """
    from ..core.checks.problems import RULES

    names = [t.strip() for t in str(text).split(",") if t.strip()]
    if not names:
        raise UsageError(_bi("--fix 需要规则编号（逗号分隔）或 all", "--fix needs rule ids (comma-separated) or all"))
    if any(n.lower() == "all" for n in names):
        return list(FIX_ORDER)
    unknown = [n for n in names if n not in RULES]
    if unknown:
        raise UsageError(_bi(f"未知的规则 {', '.join(unknown)}；可修复的规则：{', '.join(FIX_ORDER)}",
                             f"unknown rule {', '.join(unknown)}; rules with fixes: {', '.join(FIX_ORDER)}"))
    order = {r: k for k, r in enumerate(FIX_ORDER)}
    return sorted(dict.fromkeys(names), key=lambda r: (order.get(r, len(order)), r))


def _output_path(args) -> Path:
    if not args.output:
        raise UsageError(_bi("--fix 需要 -o FIXED.gpkg（修复结果写入副本，不改动输入文件）",
                             "--fix needs -o FIXED.gpkg (the fixes are written to a copy, never to the input)"))
    out = Path(args.output)
    if out.suffix.lower() != ".gpkg":
        raise UsageError(_bi(f"{out}：输出须为 .gpkg 方案文件", f"{out}: the output must be a .gpkg plan file"))
    src = Path(args.input)
    if out.exists() and src.exists() and os.path.samefile(out, src) or \
            os.path.normcase(os.path.abspath(out)) == os.path.normcase(os.path.abspath(src)):
        raise UsageError(_bi(f"{out}：不能覆盖输入文件，请另选输出文件",
                             f"{out}: the input is never overwritten; choose another output file"))
    if out.exists() and not args.force:
        raise UsageError(_bi(f"{out}：文件已存在（加 --force 覆盖）", f"{out}: exists (use --force to replace it)"))
    if not out.parent.exists():
        raise UsageError(_bi(f"{out}：文件夹 {out.parent} 不存在", f"{out}: folder {out.parent} does not exist"))
    return out


def run_fix(args, plan) -> int:
    """Fix ``plan`` (opened from ``args.input``), write it to ``args.output``, report, check."""
    from ..core.checks import CheckSession, check_plan
    from ..core.editing.buffer import EditBuffer
    from ..core.editing.fix_commands import FIXABLE_RULES, apply_outcome, try_fix_all
    from ..core.storage import save_plan

    rules = parse_rules(args.fix)
    out = _output_path(args)
    session = CheckSession(plan)
    buffer = EditBuffer(plan, author="gridmap check --fix")
    report = {}
    for rule in rules:
        outcome = try_fix_all(session, rule, max_gap_width=args.max_gap_width)
        if outcome.changes:
            apply_outcome(buffer, session, outcome)
        report[rule] = {"fixed": len(outcome.fixed), "grids_changed": len(outcome.changes),
                        "fixable": rule in FIXABLE_RULES,
                        "left": [{"grids": list(p.grids), "reason": reason} for p, reason in outcome.left]}
    try:
        save_plan(plan, out, force=True)      # an existing -o was refused above unless --force
    except Exception as exc:
        if exc.__class__.__name__ in ("StoreError", "ConflictError") or isinstance(exc, OSError):
            raise UsageError(f"{out}: " + _bi("无法写入", "cannot write") + f" ({' '.join(str(exc).split())})") \
                from None
        raise
    result = check_plan(plan)
    if args.out:
        from .check import write_problems

        write_problems(result, args.out)
    try:
        if args.json:
            doc = result.to_json()
            doc["fixes"] = report
            doc["output"] = str(out)
            print(json.dumps(doc, ensure_ascii=False))
        else:
            _print_report(report, out, result, args.input)
        sys.stdout.flush()
    except BrokenPipeError:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return result.exit_code


def _print_report(report: dict, out: Path, result, label: str) -> None:
    from .check import _print_text

    for rule, r in report.items():
        left = r["left"]
        print(f"{rule:<22} " + _bi(f"已修复 {r['fixed']} 个，剩余 {len(left)} 个",
                                   f"fixed {r['fixed']}, left {len(left)}"))
        reasons: dict[str, list] = {}
        for item in left:
            reasons.setdefault(item["reason"], []).append(", ".join(item["grids"]) or "—")
        for reason, grids in reasons.items():
            shown = "; ".join(grids[:5]) + (" …" if len(grids) > 5 else "")
            print(f"    {len(grids)} × {reason} [{shown}]")
    print(_bi(f"已写入修复后的副本 {out}；修复后的检查结果：", f"fixed copy written to {out}; its check:"))
    _print_text(result, str(out))
