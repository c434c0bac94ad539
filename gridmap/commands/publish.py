"""``gridmap publish PLAN.gpkg postgresql://USER@HOST/DB?schema=S``: upload a plan to a PostGIS server."""

from __future__ import annotations


def add_arguments(p) -> None:
    p.add_argument("project", help="gridmap project file (.gpkg) or postgresql:// URL to copy from")
    p.add_argument("url", help="postgresql://USER[:PASSWORD]@HOST[:PORT]/DATABASE?schema=SCHEMA")
    p.add_argument("--replace", action="store_true", help="overwrite a plan already in that schema")


def run(args) -> int:
    from . import UsageError
    from ..core.messages import bi
    from ..core.storage import is_url, open_plan
    from ..core.storage.postgis import _shown, publish

    if not is_url(args.url):
        raise UsageError(f"{args.url}: " + bi("目标须是 postgresql:// 地址", "the target must be a postgresql:// URL"))
    plan = open_plan(args.project)
    publish(plan, args.url, replace=args.replace)
    print(f"{_shown(args.url)}: " + bi(f"已上传 {len(plan.grids)} 个网格", f"published {len(plan.grids)} grids"))
    return 0
