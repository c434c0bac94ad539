"""Staffing rule speed: findings with the per-run index vs. rebuilding it for every grid (the
baseline, what a per-grid lookup of roles costs), measured in the same run; prints the ratio.

    python benchmarks/staffing_bench.py [COMMUNITIES] [UNITS_PER_COMMUNITY]
"""

from __future__ import annotations

import sys
import time

from shapely import box

from gridmap.core import staffing as S
from gridmap.core.plan import Plan

X0, Y0 = 500_000.0, 2_500_000.0


def build(nc: int, nu: int) -> Plan:
    plan = Plan.new("b", crs="EPSG:4547", admin_code="440306", levels="街道/社区/五级网格")
    st = plan.add_grid(box(X0, Y0, X0 + 100 * nc * nu, Y0 + 100), "street")
    for i in range(nc):
        c = plan.add_grid(box(X0 + 100 * nu * i, Y0, X0 + 100 * nu * (i + 1), Y0 + 100), "community", parent=st)
        for _ in range(10):
            plan.assign(c, "officer", plan.add_person("x", "协管员"))
        for j in range(nu):
            u = plan.add_grid(box(X0 + 100 * (nu * i + j), Y0, X0 + 100 * (nu * i + j + 1), Y0 + 100), "unit",
                              parent=c)
            plan.assign(u, "leader", plan.add_person("y", "协管员"))
            plan.assign(u, "officer", plan.add_person("z", "协管员"))
    plan.settings = S.set_quota(plan.settings, "在编=2；协管=8", level="community")
    plan.settings = S.set_quota(plan.settings, "网格长[协管]=1；协管=2", level="unit")
    return plan


def main() -> None:
    nc = int(sys.argv[1]) if len(sys.argv) > 1 else 40
    nu = int(sys.argv[2]) if len(sys.argv) > 2 else 10
    plan = build(nc, nu)
    levels, grids = S.level_quotas(plan), S.grid_quotas(plan)
    t = time.perf_counter()
    base = sum(len(S.grid_staffing(plan, int(g), S.quota_of(plan, int(g), levels, grids))) for g in plan.grids.index)
    t_base = time.perf_counter() - t
    t = time.perf_counter()
    found = S.staffing_findings(plan)
    t_new = time.perf_counter() - t
    print(f"{len(plan.grids)} grids, {len(plan.roles)} roles, {base} quota items, {len(found)} findings")
    print(f"baseline (index per grid) {t_base:.3f} s; staffing_findings {t_new:.3f} s; ratio {t_base / t_new:.1f}×")


if __name__ == "__main__":
    main()
