"""``gridmap checkin LOCAL.gpkg``: send the changes made offline to the shared plan they came from.

Every changed neighbourhood is one transaction (the same neighbour locks and revision checks as
the app's edits).  Exit status 0: everything went in; 1: some changesets conflicted or were
refused — each is listed (whose change, when, what) and stays in the file for a retry
(``--reapply``: take the server's rows and re-apply the local change on top; ``--discard``:
take the server's rows); 2: unusable input.
"""

from __future__ import annotations

import json


def add_arguments(p) -> None:
    p.add_argument("local", metavar="LOCAL.gpkg", help="a file made by gridmap checkout")
    p.add_argument("--url", default="", help="the server URL to use instead of the one remembered (e.g. with a "
                                             "password or another host name); same schema")
    g = p.add_mutually_exclusive_group()
    g.add_argument("--reapply", action="store_true",
                   help="for conflicting changesets: take the server's rows and re-apply the local changes on top")
    g.add_argument("--discard", action="store_true",
                   help="for conflicting changesets: drop the local changes, take the server's rows")
    p.add_argument("--author", default="", help="who checks in (default: user@host)")
    p.add_argument("--json", action="store_true", help="print the outcome of every changeset as JSON")


def run(args) -> int:
    from dataclasses import asdict

    from ..core.messages import bi
    from ..core.storage import open_plan, save_plan
    from ..core.storage.checkout import checkin

    plan = open_plan(args.local)
    result = checkin(plan, url=args.url or None, reapply=args.reapply, discard=args.discard,
                     author=args.author or None, save=lambda: save_plan(plan, args.local))
    save_plan(plan, args.local)
    failed = result.failed
    if args.json:
        print(json.dumps({"committed": len(result.committed), "failed": len(failed), "notes": result.notes,
                          "remapped": {t: {str(k): v for k, v in m.items()} for t, m in result.remapped.items()},
                          "changesets": [asdict(o) for o in result.outcomes]}, ensure_ascii=False, indent=1))
    else:
        for o in result.outcomes:
            if o.status == "committed":
                print(bi("已签入", "checked in") + f": {o.text}" + (f" (#{o.seq})" if o.seq else f" ({o.message})"))
            elif o.status == "discarded":
                print(bi("已放弃本地修改，采用服务器上的", "local change discarded, the server's taken") + f": {o.text}")
        for n in result.notes:
            print(bi("注意", "note") + f": {n}")
        if not result.outcomes:
            print(bi("没有需要签入的修改", "nothing to check in"))
    if failed:
        import sys

        for o in failed:
            print(f"{args.local}: {o.text}: {o.message}", file=sys.stderr)
        print(f"{args.local}: " + bi(f"{len(failed)} 个变更集未签入（冲突或被拒绝），已保留在本地文件中；处理后可再次签入"
                                     "（--reapply 在服务器的最新数据上重新应用，--discard 放弃本地修改）",
                                     f"{len(failed)} changesets not checked in (conflicts or refused); they stay in the "
                                     "local file: check in again (--reapply re-applies them on the server's latest "
                                     "rows, --discard drops them)"), file=sys.stderr)
        return 1
    return 0
