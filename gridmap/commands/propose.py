"""``gridmap propose PLAN --roads ROADS --level L --k N -o PROPOSED.gpkg``: propose grids
from the road network with balanced workload (智能划分), headless.

The proposal replaces the grids of level L in every parent (or in the parents
named by ``--parents``), except those locked with ``--lock``; it is applied to
a copy of the plan through the edit buffer (the same coverage guard as every
edit) and written to ``-o`` (never over an existing file without ``--force``).
Without ``-o`` nothing is written.  ``--json`` prints the proposed grids with
their workload and deviation, and the metrics of the proposal and of the
division it replaces.  Exit status 0, or 2 for unusable input.
"""

from __future__ import annotations

import json
import sys

from . import UsageError


def add_arguments(p) -> None:
    p.add_argument("project", help="gridmap project file (.gpkg) or postgresql:// URL")
    p.add_argument("--roads", required=True, metavar="PATH[:LAYER]", help="road lines (any file GDAL reads)")
    p.add_argument("--level", required=True, help="level to propose (key or name, e.g. small / 小网格)")
    p.add_argument("--k", type=int, help="number of grids in all parents together (shared out by workload)")
    p.add_argument("--k-per-parent", metavar="CODE=N,…", help="number of grids of each parent, by parent code")
    p.add_argument("--parents", metavar="CODE,…", help="only these parent grids (default: all)")
    p.add_argument("--weights", default="area=1,roads=1,places=1", metavar="area=1,roads=1,places=1,population=0",
                   help="workload weights (each measure is divided by its mean over the blocks)")
    p.add_argument("--population-layer", metavar="PATH[:LAYER]",
                   help="points with a population field (e.g. buildings, address points) for the population weight")
    p.add_argument("--population-field", default="population", metavar="NAME",
                   help="the population field of that layer, of the plan's places or of its grids (default population)")
    p.add_argument("--method", default="auto", choices=["auto", "grow", "metis"],
                   help="start of the partition: grow (agglomerative), metis (pymetis), auto (default: metis "
                        "from 10 blocks per grid, else grow)")
    p.add_argument("--lock", metavar="CODE,…", help="existing grids of the level kept as they are")
    p.add_argument("--keep-road", action="append", default=[], metavar="NAME",
                   help="a road (by name) that must stay a grid boundary; repeatable")
    p.add_argument("--min-area", type=float, default=0.0, metavar="M2", help="smallest grid area (m²)")
    p.add_argument("--max-area", type=float, default=0.0, metavar="M2", help="largest grid area (m²)")
    p.add_argument("--highway", metavar="CLASS,…",
                   help="use only roads whose highway field is one of these (e.g. motorway,trunk,primary)")
    p.add_argument("-o", "--out", help="write the plan with the proposal applied here (.gpkg)")
    p.add_argument("--force", action="store_true", help="overwrite an existing -o file")
    p.add_argument("--json", action="store_true", help="print one JSON object")


def _codes(plan, text: str | None, what: str) -> list[int]:
    from ..core.messages import bi

    out = []
    for code in [c.strip() for c in (text or "").split(",") if c.strip()]:
        hit = plan.grids.index[plan.grids["code"].astype(str) == code]
        if not len(hit):
            raise UsageError(bi(f"{what}中没有编码为 {code} 的网格", f"no grid with code {code} ({what})"))
        out.append(int(hit[0]))
    return out


def _read(spec: str, plan, missing_zh: str, missing_en: str):
    """The layer ``PATH[:LAYER]`` in the plan's CRS (a clear message when the file is missing)."""
    from pathlib import Path

    from ..core.exchange import ExchangeError
    from ..core.exchange.readers import read_layer
    from ..core.messages import bi

    path, layer = spec, None
    if not Path(spec).exists() and ":" in spec:
        path, layer = spec.rsplit(":", 1)
    if not Path(path).exists():
        raise UsageError(f"{path}: " + bi(missing_zh, missing_en))
    try:
        gdf, _ = read_layer(path, layer, to_crs=plan.crs)
    except ExchangeError as exc:
        raise UsageError(str(exc)) from None
    return gdf, path


def read_points(spec: str, plan, field: str):
    """Points of ``PATH[:LAYER]`` in the plan's CRS with a numeric ``field`` (the population layer)."""
    from ..core.messages import bi

    gdf, path = _read(spec, plan, "人口图层文件不存在", "population layer file not found")
    if field not in gdf.columns:
        raise UsageError(f"{path}: " + bi(f"没有字段 {field}（用 --population-field 指定）",
                                          f"no field {field} (name it with --population-field)"))
    return gdf


def read_roads(spec: str, plan, highway: str | None = None):
    """Road lines of ``PATH[:LAYER]`` in the plan's CRS (optionally only some highway classes)."""
    from ..core.messages import bi

    gdf, path = _read(spec, plan, "道路文件不存在", "road file not found")
    if highway:
        if "highway" not in gdf.columns:
            raise UsageError(f"{path}: " + bi("道路图层没有 highway 字段", "the road layer has no highway field"))
        gdf = gdf[gdf["highway"].astype(str).isin([h.strip() for h in highway.split(",")])]
    return gdf


def run(args) -> int:
    from ..core.editing.buffer import EditBuffer
    from ..core.editing.geometry import EditError
    from ..core.messages import bi
    from ..core.plan import PlanError
    from ..core.proposals.propose import (ProposalError, ProposalSettings, apply_command, measure_existing,
                                          parse_weights, propose)
    from ..core.storage import is_url, open_plan, save_plan

    plan = open_plan(args.project)
    if args.out and not args.force:
        from pathlib import Path

        if Path(args.out).exists():
            raise UsageError(f"{args.out}: " + bi("文件已存在（加 --force 覆盖）", "file exists (--force overwrites it)"))
    if args.out and not is_url(args.out) and not args.out.lower().endswith(".gpkg"):
        raise UsageError(f"{args.out}: " + bi("输出必须是 .gpkg 方案文件", "the output must be a .gpkg plan file"))
    try:
        level = plan.level(args.level).key
        li = plan.level_index(level)
        roads = read_roads(args.roads, plan, args.highway)
        points = read_points(args.population_layer, plan, args.population_field) if args.population_layer else None
        k_per_parent = {}
        if args.k_per_parent:
            for part in args.k_per_parent.split(","):
                code, _, n = part.partition("=")
                try:
                    k_per_parent[_codes(plan, code, "--k-per-parent")[0]] = int(n)
                except ValueError:
                    raise UsageError(bi(f"--k-per-parent 中的 {part} 不是 编码=数量",
                                        f"{part} in --k-per-parent is not CODE=N")) from None
        if args.k is None and not k_per_parent:
            raise UsageError(bi("请用 --k 或 --k-per-parent 指定网格数", "give the number of grids with --k or --k-per-parent"))
        parents = _codes(plan, args.parents, "--parents") or (list(k_per_parent) if k_per_parent else None)
        if li == 0:
            parents = None
        settings = ProposalSettings(
            level=level, k=args.k, k_per_parent=k_per_parent, parents=parents, weights=parse_weights(args.weights),
            method=args.method, locked=_codes(plan, args.lock, "--lock"), keep_roads=list(args.keep_road),
            min_area_m2=args.min_area, max_area_m2=args.max_area, population_field=args.population_field,
            population_points=points)
        proposal = propose(plan, roads, settings)
        used_parents = sorted({None if p is None else int(p) for p in proposal.grids["parent"].astype(object)
                               .where(proposal.grids["parent"].notna(), None)}, key=lambda x: (x is None, x or 0))
        current = measure_existing(plan, roads, level, used_parents, proposal.metrics["weights"],
                                   proposal.metrics["means"], pop_field=args.population_field,
                                   points=points) if proposal.replaced else None
        if args.out:
            buf = EditBuffer(plan)
            buf.push(apply_command(plan, proposal))
            save_plan(plan, args.out, force=args.force)
    except (ProposalError, PlanError, EditError) as exc:
        raise UsageError(str(exc)) from None
    out = proposal.to_json()
    out["current"] = current
    if args.json:
        print(json.dumps(out, ensure_ascii=False, indent=1))
        return 0
    m = proposal.metrics
    print(bi(f"建议 {m['grids']} 个网格（{m['blocks']} 个街区）", f"proposed {m['grids']} grids ({m['blocks']} blocks)"))
    _print_metrics(bi("建议", "proposal"), m)
    if current:
        _print_metrics(bi("现有划分", "current division"), current)
    if args.out:
        print(bi(f"已写入 {args.out}", f"written to {args.out}"))
    else:
        print(bi("未写入文件（用 -o 写出应用建议后的方案）", "nothing written (-o writes the plan with the proposal applied)"),
              file=sys.stderr)
    return 0


def _print_metrics(label: str, m: dict) -> None:
    print(f"  {label}: 工作量偏差 deviation max {m['max_deviation_pct']:.1f} %, mean {m['mean_deviation_pct']:.1f} %; "
          f"紧凑度 compactness mean {m['compactness_mean']:.2f}, min {m['compactness_min']:.2f}; "
          f"边界在道路上 on roads {m['boundary_on_roads_pct']:.1f} %")
