"""``gridmap info PROJECT``: levels, grid counts per level, area, CRS, units, people."""

from __future__ import annotations

import json


def add_arguments(p) -> None:
    p.add_argument("project", help="gridmap project file (.gpkg)")
    p.add_argument("--json", action="store_true", help="print one JSON object")


def _km2(m2: float) -> str:
    return f"{m2 / 1e6:,.3f} km²" if m2 >= 1e5 else f"{m2:,.0f} m²"


def run(args) -> int:
    from ..core.storage import open_plan

    plan = open_plan(args.project)
    s = plan.summary()
    if args.json:
        print(json.dumps(s, ensure_ascii=False, indent=2))
        return 0
    print(f"方案 Plan:        {s['name']}")
    print(f"坐标系 CRS:       {s['crs']} ({s['crs_name']})")
    print(f"行政区划代码:     {s['admin_code'] or '-'}")
    print(f"辖区面积 Area:    {_km2(s['jurisdiction_area_m2'])}")
    print("层级 Levels:")
    for i, lv in enumerate(s["levels"], 1):
        print(f"  {i}. {lv['name']} ({lv['key']}): {lv['grids']} 个网格 grids, {_km2(lv['area_m2'])}")
    print(f"单位 Units:       {s['units']}")
    print(f"人员 People:      {s['people']}  (职责 roles: {s['roles']})")
    print(f"路段 Segments:    {s['segments']}  ({s['segment_length_m'] / 1000:,.2f} km)")
    print(f"场所 Places:      {s['places']}")
    return 0
