"""Small made-up plans for doctests and tests of the outputs package (not real data).

>>> len(demo_plan().grids)
6
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["demo_plan", "add_demo_roads"]


def demo_plan():
    """Two large grids of two small grids each on a 400 m × 200 m jurisdiction."""
    from shapely import box

    from ..plan import Plan

    plan = Plan.new("示例街道", crs="EPSG:4547", admin_code="440306", levels="two")
    x0, y0 = 500_000.0, 2_500_000.0
    plan.set_jurisdiction(box(x0, y0, x0 + 400, y0 + 200))
    for i in range(2):
        big = plan.add_grid(box(x0 + 200 * i, y0, x0 + 200 * (i + 1), y0 + 200), "large", name=f"第{i + 1}片区")
        for j in range(2):
            plan.add_grid(box(x0 + 200 * i + 100 * j, y0, x0 + 200 * i + 100 * (j + 1), y0 + 200), "small",
                          parent=big, name=f"网格{2 * i + j + 1}")
    plan.auto_number()
    return plan


def add_demo_roads(plan, folder, name: str = "roads.gpkg") -> Path:
    """Write made-up named roads along and across ``plan``'s jurisdiction to
    ``folder/name`` (layer ``roads``, a ``name`` and ``highway`` column) and
    record them as a base layer (path relative to the project folder)."""
    import geopandas as gpd
    from shapely import LineString

    x0, y0, x1, y1 = plan.jurisdiction.bounds
    w, h = x1 - x0, y1 - y0
    lines = [LineString([(x0 - 0.3 * w, y0 - 3), (x1 + 0.3 * w, y0 - 3)]),        # along the south edge
             LineString([(x0 - 0.3 * w, y1 + 3), (x1 + 0.3 * w, y1 + 3)]),        # along the north edge
             LineString([(x0 + w / 2 + 2, y0 - 0.3 * h), (x0 + w / 2 + 2, y1 + 0.3 * h)]),   # across the middle
             LineString([(x0 - 4, y0 - 0.3 * h), (x0 - 4, y1 + 0.3 * h)])]         # along the west edge
    gdf = gpd.GeoDataFrame({"name": ["南环路", "北环路", "中心大道", "西环路"],
                            "highway": ["secondary", "secondary", "primary", "tertiary"]},
                           geometry=lines, crs=plan.crs)
    path = Path(folder) / name
    gdf.to_file(path, layer="roads", driver="GPKG")
    plan.add_base_layer("道路", name, kind="vector", layer="roads",
                        style='{"attribution": "示例道路（测试数据）"}')
    return path
