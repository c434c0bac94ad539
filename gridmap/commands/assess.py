"""``gridmap assess …``: monthly assessment and ranking of grids, work ledgers (考核、台账).

- ``gridmap assess show PLAN``: template, rules and the checks recorded.
- ``gridmap assess rules PLAN [--items 公益宣传:15,…] [--weights 60,40] [--classes 一类网格:2,…]
  [--rest-class 达标网格] [--bottom 3] [--streak 3] [--level KEY]``: set the scoring rules.
- ``gridmap assess sheet PLAN --period 2026-01 [--year-end] -o SHEET.xlsx``: a score sheet to fill in.
- ``gridmap assess import PLAN SCORES.xlsx [--period P] [--year-end] [--replace]``: record scores.
- ``gridmap assess rank PLAN --period 2026-01 | --year 2026 [--json] [-o RANKING.xlsx|MAP.pdf|MAP.png]``.
- ``gridmap assess survey PLAN --period 2026-01 [--import TALLIES.xlsx] [-o RATES.xlsx]``: satisfaction
  survey tallies (满意度调查) and the per-question satisfaction rate table.
- ``gridmap assess history PLAN --grid CODE``: one grid's checks over time.
- ``gridmap assess ledger PLAN --month 2026-01 [-o LEDGER.xlsx] [--import LEDGER.xlsx]``: the work
  ledger (工作台账), communities with no visit that month.

Changes are edit-buffer commands saved into the plan file (never over scores already recorded
without ``--replace``).
"""

from __future__ import annotations

import json
from pathlib import Path

from . import UsageError


def add_arguments(p) -> None:
    sub = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    s = sub.add_parser("show", help="template, rules and checks recorded")
    s.add_argument("project")
    s.add_argument("--json", action="store_true")

    s = sub.add_parser("rules", help="set the scoring template and ranking rules")
    s.add_argument("project")
    s.add_argument("--items", help="scoring items with maximum points: 公益宣传:15,环境卫生:20,…")
    s.add_argument("--weights", help="monthly %% and year-end %% of the yearly total (60,40)")
    s.add_argument("--classes", help="award classes by yearly rank: 一类网格:2,二类网格:4,三类网格:6")
    s.add_argument("--rest-class", help="class of the other grids (达标网格)")
    s.add_argument("--bottom", type=int, help="bottom places that count (3)")
    s.add_argument("--streak", type=int, help="checks in a row in the bottom places that flag a grid (3)")
    s.add_argument("--level", help="level whose grids are assessed (default: the lowest)")

    s = sub.add_parser("sheet", help="write a score sheet (考核评分表) to fill in")
    s.add_argument("project")
    s.add_argument("--period", required=True, action="append", help="2026-01 (repeat for several months)")
    s.add_argument("--year-end", action="store_true", help="the year-end check (--period 2026)")
    s.add_argument("-o", "--output", required=True)
    s.add_argument("--force", action="store_true", help="overwrite an existing output file")

    s = sub.add_parser("import", help="record the scores of a filled-in score sheet")
    s.add_argument("project")
    s.add_argument("scores", help="XLSX score sheet (one sheet per check, named 2026-01 / 2026年终)")
    s.add_argument("--period", help="the check of a one-sheet workbook whose sheet is not named by it")
    s.add_argument("--year-end", action="store_true")
    s.add_argument("--replace", action="store_true", help="replace scores already recorded for these checks")

    s = sub.add_parser("rank", help="ranking of a month or a year")
    s.add_argument("project")
    g = s.add_mutually_exclusive_group(required=True)
    g.add_argument("--period", help="a month: 2026-01")
    g.add_argument("--year", help="a year: 2026 (monthly rankings, yearly total, award classes, flags)")
    s.add_argument("--json", action="store_true")
    s.add_argument("-o", "--output", help="RANKING.xlsx, or a ranking map .pdf/.png")
    s.add_argument("--by", choices=("rank", "score"), default="rank", help="ranking map colours (rank)")
    s.add_argument("--force", action="store_true", help="overwrite an existing output file")

    s = sub.add_parser("history", help="one grid's checks over time (score, rank, bottom places)")
    s.add_argument("project")
    s.add_argument("--grid", required=True, help="grid code")

    s = sub.add_parser("ledger", help="work ledger (工作台账): export, import, visits check")
    s.add_argument("project")
    s.add_argument("--month", required=True, help="2026-01")
    s.add_argument("--import", dest="import_", metavar="LEDGER.xlsx", help="add the records of a ledger workbook")
    s.add_argument("-o", "--output", help="the month's ledger in the 附件2 layout (.xlsx)")
    s.add_argument("--unit", default="", help="填表单位")
    s.add_argument("--filler", default="", help="填表人")
    s.add_argument("--phone", default="", help="联系电话 of the filler")
    s.add_argument("--force", action="store_true", help="overwrite an existing output file")

    s = sub.add_parser("survey", help="satisfaction survey (满意度调查): import tallies, rate table")
    s.add_argument("project")
    s.add_argument("--period", required=True, help="the survey month: 2026-01")
    s.add_argument("--import", dest="import_", metavar="TALLIES.xlsx",
                   help="tallies: 社区名称 (or 网格编号), 问题, 满意, 基本满意, 不满意, 不满意的原因")
    s.add_argument("--replace", action="store_true", help="replace tallies already recorded")
    s.add_argument("-o", "--output", help="the satisfaction rate table (.xlsx)")
    s.add_argument("--map", metavar="MAP.pdf|png",
                   help="满意度示意图：各社区按满意率着色并标注（PDF 每个问题一页；PNG 每个问题一个文件） / "
                        "satisfaction map: communities coloured and labelled by rate (PDF: a page per question; "
                        "PNG: a file per question)")
    s.add_argument("--question", help="只画这个问题 / only this question: 环卫保洁, 绿化养护 or 城管执法")
    s.add_argument("--force", action="store_true", help="overwrite an existing output file")


def _bi(zh, en):
    from ..core.messages import bi

    return bi(zh, en)


def run(args) -> int:
    from ..core.assessment.scores import AssessError

    try:
        return _ACTIONS[args.action](args)
    except AssessError as exc:
        raise UsageError(str(exc)) from exc


def _open(args):
    from ..core.storage import open_plan

    return open_plan(args.project)       # a file, or a postgresql:// URL (the shared store)


def _push_save(plan, project, command) -> None:
    from ..core.editing.buffer import EditBuffer
    from ..core.storage import is_url, save_plan

    if command is None:
        return
    if is_url(project):                  # the shared store: one transaction of the rows changed
        from ..core.storage.checkout import commit_edit

        commit_edit(plan, command)
        return
    EditBuffer(plan).push(command)
    save_plan(plan, project)


def _out(path, force: bool) -> Path:
    p = Path(path)
    if p.exists() and not force:
        raise UsageError(f"{p}: " + _bi("文件已存在；要覆盖请加 --force", "file exists; add --force to overwrite it"))
    if not p.parent.is_dir():
        raise UsageError(f"{p}: " + _bi("文件夹不存在", "folder does not exist"))
    return p


# ---------------------------------------------------------------------------- actions
def _show(args) -> int:
    from ..core.assessment.scores import EXAMPLE_NOTE_EN, EXAMPLE_NOTE_ZH, Rules, periods, template, template_is_example

    plan = _open(args)
    r = Rules.of(plan)
    t = template(plan)
    example = template_is_example(plan)
    data = {"items": [{"name": n, "max_points": float(m)} for n, m in zip(t["name"], t["max_points"])],
            "example_points": example,
            "rules": r.settings(), "monthly": periods(plan, "monthly"), "year_end": periods(plan, "year_end"),
            "ledger_records": int(len(plan.ledger)), "survey_rows": int(len(plan.survey))}
    if args.json:
        print(json.dumps(data, ensure_ascii=False, indent=2))
        return 0
    print("考核评分表 Scoring template: " + "，".join(f"{i['name']} {i['max_points']:g}分" for i in data["items"])
          + f"（共 {t['max_points'].sum():g} 分）")
    if example:
        print(_bi(EXAMPLE_NOTE_ZH + "（gridmap assess rules --items …）",
                  EXAMPLE_NOTE_EN + " (gridmap assess rules --items …)"))
    print(f"考核层级 Level: {r.level}; 权重 Weights: 月度 {r.weights[0]:g}% + 年终 {r.weights[1]:g}%")
    print("等次 Classes: " + "，".join(f"{n} {c} 个" for n, c in r.classes) + f"，其余 {r.rest_class}")
    print(f"末位 Flag: 连续 {r.streak} 次末位 {r.bottom} 名 → 挂点领导书面说明")
    print("月度检查 Monthly checks: " + ("、".join(data["monthly"]) or "-"))
    print("年终检查 Year-end checks: " + ("、".join(data["year_end"]) or "-"))
    print(f"工作台账 Ledger records: {data['ledger_records']}")
    return 0


def _rules(args) -> int:
    import re

    from ..core.assessment.scores import AssessError, Rules, set_rules, set_template
    from ..core.editing.commands import Macro

    plan = _open(args)
    cmds = []
    if args.items:
        items = []
        for part in re.split(r"[,，]", args.items):
            if not part.strip():
                continue
            name, sep, pts = part.replace("：", ":").rpartition(":")
            if not sep:
                raise AssessError(_bi(f"考核项目 {part!r} 应写作 名称:分值", f"item {part!r} must be name:points"))
            items.append((name, pts))
        cmds.append(set_template(plan, items))
    s = dict(Rules.of(plan).settings())
    for key, val in (("assess.weights", args.weights), ("assess.classes", args.classes),
                     ("assess.rest_class", args.rest_class), ("assess.level", args.level),
                     ("assess.bottom", args.bottom), ("assess.streak", args.streak)):
        if val is not None:
            s[key] = str(val)
    rc = set_rules(plan, Rules.parse(s, plan))
    if rc is not None:
        cmds.append(rc)
    if cmds:
        _push_save(plan, args.project, Macro("考核规则 Assessment rules", cmds))
    args.json = False
    return _show(args)


def _sheet(args) -> int:
    from ..core.assessment.sheets import write_score_sheet

    plan = _open(args)
    out = _out(args.output, args.force)
    kind = "year_end" if args.year_end else "monthly"
    write_score_sheet(plan, out, [(p, kind) for p in args.period])
    print(f"{out}")
    return 0


def _import(args) -> int:
    from ..core.assessment.scores import KINDS, record_scores
    from ..core.assessment.sheets import read_score_sheet
    from ..core.editing.commands import Macro

    plan = _open(args)
    kind = "year_end" if args.year_end else "monthly"
    checks = read_score_sheet(plan, args.scores, period=args.period, kind=kind)
    cmds, lines = [], []
    for period, k, rows in checks:
        if not rows:
            lines.append(f"{period} {KINDS[k][0]}: " + _bi("没有得分，跳过", "no scores, skipped"))
            continue
        cmds.append(record_scores(plan, period, rows, kind=k, replace=args.replace))
        # later checks build on the table as it will be: apply to a scratch copy in order
        cmds[-1].redo(plan)
        grids = len({c for c, _, _ in rows})
        lines.append(f"{period} {KINDS[k][0]}: {grids} " + _bi("个网格", "grids") + f", {len(rows)} " + _bi("项得分", "scores"))
    for c in reversed(cmds):
        c.undo(plan)
    if cmds:
        _push_save(plan, args.project, Macro("导入考核得分 Import scores", cmds))
    for line in lines:
        print(line)
    return 0


def _rank(args) -> int:
    from ..core.assessment.scores import bottom_flags, month_ranking, year_ranking

    plan = _open(args)
    if args.period:
        table = month_ranking(plan, args.period)
        flags = []
    else:
        table = year_ranking(plan, args.year)
        flags = bottom_flags(plan, args.year)
    if args.output:
        out = _out(args.output, args.force)
        suffix = out.suffix.lower()
        if suffix == ".xlsx":
            from ..core.assessment.sheets import write_rankings

            write_rankings(plan, out, period=args.period, year=args.year)
        elif suffix in (".pdf", ".png", ".tif", ".tiff"):
            from ..core.assessment.rankmap import save_ranking_map

            save_ranking_map(plan, out, period=args.period, year=args.year, by=args.by)
        else:
            raise UsageError(f"{out}: " + _bi("输出应为 .xlsx（排名表）或 .pdf/.png（排名图）",
                                              "the output must be .xlsx (ranking table) or .pdf/.png (ranking map)"))
    if args.json:
        rows = [{k: _plain(v) for k, v in r.items()} for r in table.drop(columns=["grid"]).to_dict("records")]
        print(json.dumps({"ranking": rows, "flags": flags}, ensure_ascii=False, indent=1))
        return 0
    from ..core.assessment.sheets import _shown

    shown = _shown(table).astype(object)
    print(shown.where(shown.notna(), "").to_string(index=False))
    for f in flags:
        who = "、".join(p["name"] for p in f["leaders"]) or _bi("（未设挂点领导）", "(no leader set)")
        print(_bi(f"连续末位：{f['code']} {f['name']}（{'、'.join(f['months'])}）→ 挂点领导 {who} 须书面说明",
                  f"bottom in a row: {f['code']} {f['name']} ({', '.join(f['months'])}) → leader {who} must explain in writing"))
    if args.output:
        print(args.output)
    return 0


def _plain(v):
    """A table cell as JSON: numpy scalars as numbers, missing as null."""
    import pandas as pd

    if v is None or (not isinstance(v, str) and pd.isna(v)):
        return None
    return v.item() if hasattr(v, "item") else v


def _ledger(args) -> int:
    from ..core.assessment.ledger import import_ledger, no_visit, write_ledger
    from ..core.assessment.scores import parse_period

    plan = _open(args)
    month = parse_period(args.month)
    if args.import_:
        cmd, n = import_ledger(plan, args.import_)
        _push_save(plan, args.project, cmd)
        print(f"{args.import_}: {n} " + _bi("条台账记录已加入", "ledger records added"))
    if args.output:
        out = _out(args.output, args.force)
        write_ledger(plan, out, month, unit=args.unit, filler=args.filler, phone=args.phone)
        print(out)
    missing = no_visit(plan, month)
    for code, name in missing:
        print(_bi(f"{month} 无进社区记录：{code} {name}", f"{month}: no visit recorded: {code} {name}"))
    return 1 if missing else 0


def _survey(args) -> int:
    from ..core.assessment.scores import parse_period, period_text
    from ..core.assessment.survey import rate_table, read_tallies, record_tallies

    plan = _open(args)
    period = parse_period(args.period)
    if args.import_:
        rows = read_tallies(args.import_)
        _push_save(plan, args.project, record_tallies(plan, period, rows, replace=args.replace))
        print(f"{args.import_}: {len(rows)} " + _bi("行满意度数据已加入", "tally rows added"))
    table = rate_table(plan, period)
    if args.output:
        from ..core.exchange.tables import write_xlsx

        out = _out(args.output, args.force)
        write_xlsx({"s": (f"{period_text(period)}满意度调查统计表", table, None)}, out, plan.name)
        print(out)
    if args.map:
        from ..core.assessment.surveymap import save_satisfaction_map

        out = _out(args.map, args.force)
        for info in save_satisfaction_map(plan, out, period, question=args.question):
            print(f"{info['path']}  {info['question']}  " + _bi(f"{len(info['rates'])} 个社区", f"{len(info['rates'])} "
                                                                 "communities"))
    shown = table.astype(object)
    print(shown.where(shown.notna(), "").to_string(index=False))
    return 0


def _history(args) -> int:
    from ..core.assessment.scores import grid_history

    plan = _open(args)
    try:
        gid = plan.grid_by_code(args.grid)
    except Exception:
        raise UsageError(_bi(f"没有编号为 {args.grid} 的网格", f"no grid with code {args.grid}")) from None
    h = grid_history(plan, gid).astype(object)
    h["末位"] = ["是" if v else "" for v in h["末位"]]
    print(f"{args.grid} {plan.grids.at[gid, 'name']}")
    print(h.to_string(index=False) if len(h) else _bi("没有考核记录", "no checks recorded"))
    return 0


_ACTIONS = {"show": _show, "rules": _rules, "sheet": _sheet, "import": _import, "rank": _rank, "ledger": _ledger,
            "survey": _survey, "history": _history}
