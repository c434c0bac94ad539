"""``gridmap staffing PROJECT``: the staffing quotas (定人定额) of a plan and their totals.

- ``gridmap staffing PLAN``: per level and post the quota, the grids, required
  (定额 × 网格数) and present people, the totals per category with how they are
  made up, the document's sentence ("共需在编4人，协管36人"), and every grid
  short of or over its quota.
- ``gridmap staffing PLAN --quota LEVEL=TEXT [--quota …] [--grid-quota CODE=TEXT]``:
  set quotas (an empty TEXT removes one) and save the plan (or ``-o COPY.gpkg``).
  TEXT is e.g. ``在编=2；协管=8；城管队员>=2；场所:station=1`` or ``网格长[协管]=1；协管=2``.
- ``--place-person PLACE=PERSON[:PHONE]``: a place (name or ``#id``) gets its responsible person
  (a name of the roster, or a new person added), with phone; saved like the quotas.
- ``--json``: one object ``{"quotas", "totals", "sentence", "findings"}``.
"""

from __future__ import annotations

import json

from . import UsageError


def add_arguments(p) -> None:
    p.add_argument("project", help="gridmap project file (.gpkg) or postgresql:// URL")
    p.add_argument("--quota", action="append", default=[], metavar="LEVEL=TEXT",
                   help="设置某层级的定额 / set a level's quota, e.g. 社区=在编=2；协管=8 (LEVEL: key or name; "
                        "empty TEXT removes it)")
    p.add_argument("--grid-quota", action="append", default=[], metavar="CODE=TEXT",
                   help="设置单个网格的定额（替换其层级的同名项） / set one grid's quota (replaces its level's items "
                        "of the same name)")
    p.add_argument("--place-person", action="append", default=[], metavar="PLACE=PERSON[:PHONE]",
                   help="场所责任人：场所名称或 #编号 = 人员姓名（名单中没有则新增）[:电话] / a place's responsible "
                        "person: place name or #id = person's name (added if not on the roster) [:phone]")
    p.add_argument("-o", "--output", metavar="COPY.gpkg",
                   help="把设置了定额的方案另存为此文件（默认保存到原方案） / save the plan with the quotas here "
                        "(default: into PROJECT)")
    p.add_argument("--force", action="store_true", help="overwrite an existing -o file")
    p.add_argument("--json", action="store_true", help="print one JSON object")


def _bi(zh, en):
    from ..core.messages import bi

    return bi(zh, en)


def _split(spec: str, what: str) -> tuple[str, str]:
    key, sep, text = spec.partition("=")
    if not sep or not key.strip():
        raise UsageError(_bi(f"{what} {spec!r} 应写作 名称=定额，如 社区=在编=2；协管=8",
                             f"{what} {spec!r} is not NAME=QUOTA, e.g. 社区=在编=2；协管=8"))
    return key.strip(), text.strip()


def _set_quotas(plan, args) -> list[str]:
    from ..core import staffing as S
    from ..core.plan import PlanError

    done = []
    settings = dict(plan.settings)
    try:
        for spec in args.quota:
            key, text = _split(spec, "--quota")
            try:
                lv = plan.level(key)
            except PlanError:
                raise UsageError(_bi(f"--quota：方案没有层级 {key!r}；层级有：", f"--quota: the plan has no level "
                                     f"{key!r}; levels: ") + ", ".join(f"{l.key}（{l.name}）" for l in plan.levels)) \
                    from None
            settings = S.set_quota(settings, text, level=lv.key)
            done.append(f"{lv.name}: {settings.get(S.QUOTA_PREFIX + lv.key, '（已删除 removed）')}")
        for spec in args.grid_quota:
            code, text = _split(spec, "--grid-quota")
            if not (plan.grids["code"].astype(str) == code).any():
                raise UsageError(_bi(f"--grid-quota：没有编码为 {code} 的网格", f"--grid-quota: no grid has code {code}"))
            settings = S.set_quota(settings, text, code=code)
            done.append(f"{code}: {settings.get(S.QUOTA_PREFIX + 'grid.' + code, '（已删除 removed）')}")
    except S.StaffingError as exc:
        raise UsageError(str(exc)) from None
    plan.settings = settings
    return done


def _set_place_people(plan, specs) -> list[str]:
    done = []
    for spec in specs:
        key, sep, who = spec.partition("=")
        key, who = key.strip(), who.strip()
        name, _, phone = who.replace("：", ":").partition(":")
        name, phone = name.strip(), phone.strip()
        if not sep or not key or not name:
            raise UsageError(_bi(f"--place-person {spec!r} 应写作 场所=人员[:电话]，如 示例便利店=张三:13900000000",
                                 f"--place-person {spec!r} is not PLACE=PERSON[:PHONE], e.g. 示例便利店=张三:13900000000"))
        places = plan.places
        if key.startswith("#") and key[1:].isdigit():
            hit = [int(key[1:])] if int(key[1:]) in places.index else []
        else:
            hit = [int(i) for i in places.index[places["name"].astype(str) == key]]
        if len(hit) != 1:
            raise UsageError(_bi(f"--place-person：{'没有' if not hit else '有多个'}名为 {key} 的场所" +
                                 ("（用 #编号）" if hit else ""),
                                 f"--place-person: {'no' if not hit else 'more than one'} place named {key}" +
                                 (" (use #id)" if hit else "")))
        same = [int(i) for i in plan.people.index[plan.people["name"].astype(str) == name]]
        if same:
            pid = same[0]
            if phone:
                plan.people.at[pid, "phone"] = phone
        else:
            pid = plan.add_person(name, phone=phone)
        plan.places.at[hit[0], "person"] = pid
        done.append(f"{plan.places.at[hit[0], 'name']} → {name}" + (f" {plan.people.at[pid, 'phone']}"
                                                                   if str(plan.people.at[pid, "phone"]) else ""))
    return done


def run(args) -> int:
    from pathlib import Path

    from ..core import staffing as S
    from ..core.storage import open_plan, project_refusal, save_plan

    refusal = project_refusal(args.project) if not str(args.project).startswith("postgresql") else None
    if refusal:
        raise UsageError(refusal)
    plan = open_plan(args.project)
    changed = _set_quotas(plan, args) if (args.quota or args.grid_quota) else []
    placed = _set_place_people(plan, args.place_person) if args.place_person else []
    if args.output and not (changed or placed):
        raise UsageError(_bi("-o 只与 --quota/--grid-quota/--place-person 一起使用",
                             "-o goes with --quota/--grid-quota/--place-person"))
    try:
        quotas = {lv: S.format_quota(items) for lv, items in S.level_quotas(plan).items()}
        grid_q = {str(plan.grids.at[g, "code"]): S.format_quota(items) for g, items in S.grid_quotas(plan).items()}
        totals = S.totals_table(plan)
        sentence = S.totals_text(plan)
        findings = S.staffing_findings(plan)
    except S.StaffingError as exc:
        raise UsageError(str(exc)) from None
    for line in placed if not args.json else ():
        print(f"场所责任人 place person  {line}")
    changed = changed + placed
    if changed:
        target = args.output or args.project
        if args.output and Path(args.output).exists() and not args.force:
            raise UsageError(f"{args.output}: " + _bi("已存在；加 --force 覆盖", "exists; add --force to overwrite"))
        if args.output and Path(args.output).exists():
            Path(args.output).unlink()
        save_plan(plan, target)
    codes = plan.grids["code"].astype(str)
    rows = [{"grid": codes[f["grid"]], "level": str(plan.grids.at[f["grid"], "level"]), "post": f["item"].label,
             "category": f["item"].category, "required": f["required"], "present": f["present"],
             "short": f["short"], ("place_ids" if f["places"] else "person_ids"): list(f["ids"])} for f in findings]
    if args.json:
        print(json.dumps({"quotas": quotas, "grid_quotas": grid_q, "saved": bool(changed),
                          "totals": totals.to_dict("records"), "sentence": sentence, "findings": rows},
                         ensure_ascii=False, indent=2, default=str))
        return 1 if rows else 0
    for line in changed[:len(changed) - len(placed)]:
        print(f"定额 quota  {line}")
    if changed:
        print(_bi(f"已保存 {args.output or args.project}", f"saved {args.output or args.project}"))
    if not quotas and not grid_q:
        print(_bi("方案没有定额；用 --quota LEVEL=TEXT 设置，如 --quota 社区=在编=2；协管=8",
                  "the plan has no quotas; set them with --quota LEVEL=TEXT, e.g. --quota 社区=在编=2；协管=8"))
        return 0
    names = {lv.key: lv.name for lv in plan.levels}
    for lv, text in quotas.items():
        print(f"{names.get(lv, lv)}（{lv}）每格 per grid: {text}")
    for code, text in grid_q.items():
        print(f"网格 grid {code}: {text}")
    for code in S.stale_grid_quotas(plan):
        print(_bi(f"警告：网格 {code} 已不存在，其定额不再使用（--grid-quota {code}= 删除）",
                  f"warning: grid {code} no longer exists; its quota is not used (--grid-quota {code}= removes it)"))
    print(totals.to_string(index=False))
    if sentence:
        print(sentence)
    for r in rows:
        what = _bi(f"缺 {r['required'] - r['present']}", f"{r['required'] - r['present']} short") if r["short"] \
            else _bi(f"多 {r['present'] - r['required']}", f"{r['present'] - r['required']} over")
        print(f"{r['grid']}  {r['post']}: {r['present']}/{r['required']}  {what}")
    print(_bi(f"{len(rows)} 处不符合定额", f"{len(rows)} off their quota"))
    return 1 if rows else 0
