"""``gridmap checkout URL --area CODE -o LOCAL.gpkg``: an area of a shared plan into a file, for a laptop.

The file holds the grids under parent grid CODE (editable), the grids around them (read-only),
their segments, places, roles, assessment and ledger rows, the units and people they name, and
remembers the server, schema, area and the revision of every row read.  Edit it with the app or
the CLI anywhere, then ``gridmap checkin LOCAL.gpkg``.
"""

from __future__ import annotations

from pathlib import Path


def add_arguments(p) -> None:
    p.add_argument("url", help="postgresql://USER@HOST[:PORT]/DATABASE?schema=SCHEMA (or a saved connection's URL)")
    p.add_argument("--area", required=True, metavar="CODE", help="code of the parent grid whose grids to check out")
    p.add_argument("-o", "--output", required=True, metavar="LOCAL.gpkg")
    p.add_argument("--force", action="store_true", help="overwrite an existing output file")
    p.add_argument("--author", default="", help="who checks out (default: user@host)")


def run(args) -> int:
    from . import UsageError
    from ..core.messages import bi
    from ..core.storage import is_url, save_plan
    from ..core.storage.checkout import checkout, unpack

    if not is_url(args.url):
        raise UsageError(f"{args.url}: " + bi("须是 postgresql:// 地址", "must be a postgresql:// URL"))
    out = Path(args.output)
    if out.exists() and not args.force:
        raise UsageError(f"{out}: " + bi("文件已存在，未覆盖（加 --force 覆盖）", "exists; not overwritten (--force replaces it)"))
    if not (out.parent if str(out.parent) else Path(".")).is_dir():
        raise UsageError(f"{out}: " + bi("文件夹不存在", "folder does not exist"))
    plan = checkout(args.url, args.area, author=args.author or None)
    save_plan(plan, out, force=True)
    editable = len(unpack(plan.settings["checkout.editable"]))
    print(f"{out}: " + bi(f"已签出区域 {args.area}：可编辑网格 {editable} 个，周边只读网格 {len(plan.grids) - editable} 个；"
                          f"修改后用 gridmap checkin {out} 签入",
                          f"checked out area {args.area}: {editable} editable grids, {len(plan.grids) - editable} "
                          f"read-only around them; check in with gridmap checkin {out}"))
    return 0
