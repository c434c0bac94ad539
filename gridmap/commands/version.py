"""``gridmap version save|list|restore|delete|extract PLAN …``: named versions kept in the project file.

    gridmap version save PLAN.gpkg NAME [--in-force YYYY-MM-DD] [--author A] [--note TEXT]
    gridmap version list PLAN.gpkg [--json]
    gridmap version restore PLAN.gpkg NAME      # the present state is kept as a version first
    gridmap version delete PLAN.gpkg NAME
    gridmap version extract PLAN.gpkg NAME -o OUT.gpkg [--force]   # a version as a plan file of its own
"""

from __future__ import annotations

import json
import time
from pathlib import Path

from . import UsageError


def add_arguments(p) -> None:
    sub = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    s = sub.add_parser("save", help="save the plan's present state as a named version")
    s.add_argument("plan", metavar="PLAN")
    s.add_argument("name", metavar="NAME", help="版本名称, e.g. 2025年调整稿")
    s.add_argument("--in-force", dest="in_force", default="", metavar="YYYY-MM-DD", help="施行日期 date in force")
    s.add_argument("--author", default="", help="编制人 author (default: the user)")
    s.add_argument("--note", default="", help="说明 note")
    s = sub.add_parser("list", help="list the versions")
    s.add_argument("plan", metavar="PLAN")
    s.add_argument("--json", action="store_true")
    for name, text in (("restore", "make a version the working plan again (the present state is saved first)"),
                       ("delete", "delete a version (the others stay as they are)")):
        s = sub.add_parser(name, help=text)
        s.add_argument("plan", metavar="PLAN")
        s.add_argument("name", metavar="NAME")
    s = sub.add_parser("extract", help="write a version as a plan file of its own (to open read-only, share …)")
    s.add_argument("plan", metavar="PLAN")
    s.add_argument("name", metavar="NAME")
    s.add_argument("-o", "--output", required=True, metavar="OUT.gpkg")
    s.add_argument("--force", action="store_true")


def _keep(plan, location) -> None:
    """Keep the plan's versions: save the file, or write them to the shared store."""
    from ..core.storage import is_url, save_plan

    if is_url(location):
        from ..core.storage.postgis import save_versions

        save_versions(plan)
    else:
        save_plan(plan, location)


def run(args) -> int:
    from ..core.storage import is_url, open_plan, save_plan
    from ..core.versions import store as V
    from ..core.messages import bi

    plan = open_plan(args.plan)
    try:
        if args.action == "save":
            row = V.save_version(plan, args.name, in_force=args.in_force, author=args.author, note=args.note)
            _keep(plan, args.plan)
            print(bi(f"已保存版本 {row['name']}", f"saved version {row['name']}") + f" ({row['summary']})")
        elif args.action == "list":
            rows = V.list_versions(plan)
            if args.json:
                print(json.dumps(rows.to_dict("records"), ensure_ascii=False, indent=1))
            elif not len(rows):
                print(bi("方案中还没有版本", "the plan has no versions yet"))
            else:
                for r in rows.itertuples(index=False):
                    print(f"{r.id:>3}  {r.name}  施行 {r.in_force or '-'}  {r.author}  {r.created_at}  {r.summary}"
                          + (f"  — {r.note}" if r.note else ""))
        elif args.action == "restore":
            version = V.load_version(plan, args.name)
            cmd = V.restore_command(plan, version)
            if cmd is None:
                print(bi(f"当前方案与版本 {args.name} 相同，无需恢复", f"the plan is the same as version {args.name}"))
                return 0
            kept = _keep_present(plan, V)
            if is_url(args.plan):        # the shared store: the version first, then the restore as one commit
                from ..core.storage.checkout import commit_edit
                from ..core.storage.postgis import save_versions

                if kept:
                    save_versions(plan)
                commit_edit(plan, cmd)
            else:
                from ..core.editing.buffer import EditBuffer

                EditBuffer(plan).push(cmd)
                save_plan(plan, args.plan)
            print(bi(f"已恢复版本 {args.name}", f"restored version {args.name}")
                  + (f"; " + bi(f"恢复前的方案已存为版本 {kept}", f"the plan before was saved as version {kept}")
                     if kept else ""))
        elif args.action == "delete":
            V.delete_version(plan, args.name)
            _keep(plan, args.plan)
            print(bi(f"已删除版本 {args.name}", f"deleted version {args.name}"))
        elif args.action == "extract":
            out = Path(args.output)
            if out.exists() and not args.force:
                raise UsageError(f"{out}: " + bi("文件已存在，未覆盖（加 --force 覆盖）", "exists; not overwritten (--force replaces it)"))
            version = V.load_version(plan, args.name)
            save_plan(version, out, force=True)
            print(bi(f"版本 {args.name} 已写入 {out}", f"version {args.name} written to {out}"))
    except V.VersionError as exc:
        raise UsageError(str(exc)) from None
    return 0


def _keep_present(plan, V) -> str:
    """Save the present state as a version unless it equals the latest one; returns its name or ""."""
    rows = V.list_versions(plan)
    if len(rows):
        latest = V.load_version(plan, int(rows["id"].max()))
        if V.restore_command(plan, latest) is None:
            return ""
    name = time.strftime("恢复前自动保存 %Y-%m-%d %H:%M:%S")
    V.save_version(plan, name, note="restore")
    return name
