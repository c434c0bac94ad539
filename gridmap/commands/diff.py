"""``gridmap diff OLD NEW``: what changed between two plans (再版对照).

    gridmap diff OLD NEW [--json] [--out CHANGES.gpkg] [--table CHANGES.xlsx|.docx|.csv]
                 [--map CHANGES.pdf|.png] [--title TEXT] [--force]

OLD and NEW are plan files (the working plan) or ``PLAN.gpkg@版本名`` (a saved version).
``--json`` prints one ``gridmap-diff/1`` object (see the README).  Exit status: 0 the plans
are the same, 1 they differ, 2 unusable input.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from . import UsageError


def add_arguments(p) -> None:
    p.add_argument("old", metavar="OLD", help="the earlier plan: PLAN.gpkg or PLAN.gpkg@版本名")
    p.add_argument("new", metavar="NEW", help="the later plan: PLAN.gpkg or PLAN.gpkg@版本名")
    p.add_argument("--json", action="store_true", help="print one JSON object (format gridmap-diff/1)")
    p.add_argument("--out", metavar="CHANGES.gpkg", help="write the changes as a GeoPackage layer 'changes'")
    p.add_argument("--table", metavar="TABLE.xlsx", help="write the 变更对照表 (.xlsx, .docx or .csv)")
    p.add_argument("--map", metavar="MAP.pdf", help="write the change map (.pdf or .png)")
    p.add_argument("--title", default="", help="title of the table and map")
    p.add_argument("--dpi", type=int, default=200, help="resolution of a PNG change map")
    p.add_argument("--force", action="store_true", help="覆盖已存在的输出文件 / replace existing output files")


def _bi(zh, en):
    from ..core.messages import bi

    return bi(zh, en)


def _target(path: str, force: bool, suffixes) -> Path:
    t = Path(path)
    if t.suffix.lower() not in suffixes:
        raise UsageError(f"{path}: " + _bi(f"文件类型须为 {'/'.join(suffixes)}", f"the file must be {'/'.join(suffixes)}"))
    if not (t.parent if str(t.parent) else Path(".")).is_dir():
        raise UsageError(f"{path}: " + _bi(f"文件夹 {t.parent} 不存在", f"folder {t.parent} does not exist"))
    if t.exists() and not force:
        raise UsageError(f"{path}: " + _bi("文件已存在，未覆盖（加 --force 覆盖）", "exists; not overwritten (--force replaces it)"))
    return t


def run(args) -> int:
    from ..core.versions.diff import diff_plans, read_plan_ref

    targets = {}
    if args.out:
        targets["out"] = _target(args.out, args.force, (".gpkg",))
    if args.table:
        targets["table"] = _target(args.table, args.force, (".xlsx", ".docx", ".csv"))
    if args.map:
        targets["map"] = _target(args.map, args.force, (".pdf", ".png"))
    old = read_plan_ref(args.old)
    new = read_plan_ref(args.new)
    shared = True if old.path == new.path else None
    result = diff_plans(old.plan, new.plan, shared=shared, old_label=args.old, new_label=args.new)
    if "out" in targets:
        write_changes_gpkg(result, targets["out"])
    if "table" in targets:
        from ..core.versions.outputs import write_change_table

        write_change_table(result, targets["table"], title=args.title or "网格调整变更对照表")
    if "map" in targets:
        from ..core.versions.outputs import draw_change_map

        draw_change_map(old.plan, new.plan, result, targets["map"], title=args.title or "网格调整变更示意图",
                        dpi=args.dpi)
    geoms = result.pop("_geometries", None)
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=1))
    else:
        _print_text(result)
    del geoms
    s = result["summary"]
    changed = any(v for k, v in s.items())
    return 1 if changed else 0


def write_changes_gpkg(result: dict, target: Path) -> None:
    import pyogrio

    from ..core.versions.diff import change_geometries
    from ..core.versions.outputs import polygonal

    df = change_geometries(result)
    df["geometry"] = [polygonal(g) for g in df.geometry.values]
    tmp = target.with_name(f".{target.name}.tmp-{os.getpid()}.gpkg")
    try:
        pyogrio.write_dataframe(df, tmp, layer="changes", driver="GPKG", geometry_type="MultiPolygon",
                                promote_to_multi=True, dataset_options={"VERSION": "1.2"})
        os.replace(tmp, target)
    except Exception as exc:
        if tmp.exists():
            tmp.unlink()
        raise UsageError(f"{target}: " + _bi("无法写入变更图层", "cannot write the changes layer")
                         + f" ({' '.join(str(exc).split())[:200]})") from None


def _print_text(result: dict) -> None:
    from ..core.versions.diff import TYPE_LABELS

    m = result["matching"]
    how = {"lineage": "按沿革（共同历史，同一网格 id）/ by lineage (shared history)",
           "code+overlap": f"按编码 {m.get('by_code', 0)} 个、按面积重叠 {m.get('by_overlap', 0)} 个 / "
                           "by code, then by area overlap"}[m["method"]]
    print(f"匹配方式 Matching: {how}")
    for c in result["changes"]:
        zh, en = TYPE_LABELS[c["type"]]
        print(f"{zh} {en:<16} {c['detail']}")
    for e in result["people"]:
        g = e["grid"] or e["old_grid"]
        print(f"人员 people           {g['name'] or g['code']}：{e['detail']}")
    for s in result["segments"]:
        if s["grid_changed"]:
            print(f"路段 segment          {s['name'] or s['id']}：{(s['old_grid'] or {}).get('code', '-')} → "
                  f"{(s['new_grid'] or {}).get('code', '-')}")
        if s.get("officer_changed"):
            print(f"路段 segment          {s['name'] or s['id']}：队员 {s['old_officer'] or '-'} → {s['new_officer'] or '-'}")
    for s in result["places"]:
        print(f"场所 place            {s['name']}：{(s['old_grid'] or {}).get('code', '-')} → {(s['new_grid'] or {}).get('code', '-')}")
    counts = ", ".join(f"{k} {v}" for k, v in result["summary"].items() if v) or "无变化 no changes"
    print(f"合计 summary: {counts}")
