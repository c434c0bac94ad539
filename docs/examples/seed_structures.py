"""Build the structures of the five seed documents (../shared/seeds) as gridmap plans and export them.

    python docs/examples/seed_structures.py [OUT_DIR]      (default: docs/examples/out)

Every name and phone number is fictitious (the seeds name real offices).  The
grids are schematic rectangles: the structures — levels, roles, staffing
quotas, stations — are what each document defines.

- ``wengyuan``: 2 large grids split at 建设路, 14 + 14 small grids, each with a
  挂点领导 (patron), 牵头单位 and 责任单位 (001).
- ``one_two_n``: "1+2+N", five levels 市/区/街道/社区/五级网格, 网格长 / 常务副网格长 /
  副网格长 per level, partner forces N, quotas: 街道 2 协管, 社区 2 在编 + 8 协管,
  五级网格 1 协管 网格长 + 2 协管 → 共需在编4人，协管36人 (002).
- ``jishui``: 中队管片、网格责任人管块、队员管段 — a squad on the community, a
  responsible person per grid, a 队员 per street segment (000).
- ``pengjiang``: one community, one 城管服务站, at least 2 进驻城管队员 (003).
- ``zaozhuang``: streets → communities with the community's 负责人 and the
  执法局 person in charge (联系人), as 附件3 lists them (004).

Each plan is saved (``NAME.gpkg``), checked (``NAME.check.json``) and exported
as XLSX annex tables (``NAME.xlsx``).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from shapely import LineString, Point, box

from gridmap.core import staffing as S
from gridmap.core.checks import check_plan
from gridmap.core.exchange.tables import export_xlsx
from gridmap.core.exchange.templates import export_template
from gridmap.core.plan import Plan
from gridmap.core.storage import save_plan

X0, Y0 = 500_000.0, 2_500_000.0
_n = [0]


def B(a, b, c, d):
    return box(X0 + a, Y0 + b, X0 + c, Y0 + d)


def _person(plan, post, category=None, name=None):
    _n[0] += 1
    return plan.add_person(name or f"测试{_n[0]:03d}", post, phone=f"1390000{_n[0]:04d}", category=category)


def wengyuan() -> Plan:
    plan = Plan.new("翁源县城网格（示例）", crs="EPSG:4547", admin_code="440229", levels="县城大网格/小网格")
    plan.set_jurisdiction(B(0, 0, 1400, 400))
    for half in range(2):                     # west / east of 建设路
        big = plan.add_grid(B(700 * half, 0, 700 * half + 700, 400), "large", name=f"第{half + 1}大网格")
        plan.assign(big, "patron", _person(plan, "副县长"))
        for k in range(14):
            x, y = 700 * half + 100 * (k % 7), 200 * (k // 7)
            g = plan.add_grid(B(x, y, x + 100, y + 200), "small", parent=big, name=f"{half + 1}-{k + 1:02d}小网格")
            plan.assign(g, "patron", _person(plan, "县直单位领导"))
            plan.assign(g, "lead_unit", unit=plan.add_unit(f"县直牵头单位{half * 14 + k + 1}"))
            plan.assign(g, "responsible_unit", unit=plan.add_unit(f"责任单位{half * 14 + k + 1}"))
            plan.assign(g, "officer", _person(plan, "城管队员"))
    plan.add_segment(LineString([(X0 + 700, Y0), (X0 + 700, Y0 + 400)]), road_name="建设路")
    plan.auto_number()
    return plan


def one_two_n() -> Plan:
    plan = Plan.new("“1+2+N”试点（示例）", crs="EPSG:4547", admin_code="450305", levels="市/区/街道/社区/五级网格")
    plan.set_jurisdiction(B(0, 0, 600, 200))
    city = plan.add_grid(B(0, 0, 600, 200), "city", code="450300", name="示例市")
    dist = plan.add_grid(B(0, 0, 600, 200), "district", parent=city, code="450305", name="示例区")
    st = plan.add_grid(B(0, 0, 600, 200), "street", parent=dist, name="示例街道")
    for g, (lead, exe, dep) in ((city, ("市城管委主任", "市城管委副主任", None)),
                                (dist, ("区城管专员", "区城管局局长", "城管大队大队长")),
                                (st, ("城管大队副大队长", None, "街道副主任"))):
        plan.assign(g, "leader", _person(plan, lead))
        if exe:
            plan.assign(g, "executive_deputy", _person(plan, exe))
        if dep:
            plan.assign(g, "deputy", _person(plan, dep))
    for force in ("公安分局", "交警大队", "物业公司", "志愿者服务队"):        # N
        plan.assign(st, "partner", unit=plan.add_unit(force))
    for _ in range(2):
        plan.assign(st, "officer", _person(plan, "协管队员"))
    for i, cname in enumerate(("文明示例社区", "五美示例社区")):
        c = plan.add_grid(B(300 * i, 0, 300 * i + 300, 200), "community", parent=st, name=cname)
        plan.assign(c, "leader", _person(plan, "中队长"))
        plan.assign(c, "deputy", _person(plan, "社区副书记"))
        for _ in range(2):
            plan.assign(c, "officer", _person(plan, "城管队员"))
        for _ in range(8):
            plan.assign(c, "officer", _person(plan, "协管队员"))
        for j in range(3):
            u = plan.add_grid(B(300 * i + 100 * j, 0, 300 * i + 100 * j + 100, 200), "unit", parent=c,
                              name=f"{cname}第{j + 1}网格")
            plan.assign(u, "leader", _person(plan, "协管队员"))
            for _ in range(2):
                plan.assign(u, "officer", _person(plan, "协管队员"))
    plan.auto_number()
    plan.settings = S.set_quota(plan.settings, "协管=2", level="street")
    plan.settings = S.set_quota(plan.settings, "网格长=1；在编=2；协管=8", level="community")
    plan.settings = S.set_quota(plan.settings, "网格长[协管]=1；协管=2", level="unit")
    return plan


def jishui() -> Plan:
    plan = Plan.new("吉水县城管进社区（示例）", crs="EPSG:4547", admin_code="360822", levels="社区/网格")
    plan.set_jurisdiction(B(0, 0, 400, 200))
    comm = plan.add_grid(B(0, 0, 400, 200), "large", name="示例社区")
    plan.assign(comm, "squad", unit=plan.add_unit("城管执法一中队"))          # 中队管片
    for k in range(2):
        g = plan.add_grid(B(200 * k, 0, 200 * k + 200, 200), "small", parent=comm, name=f"责任区{k + 1}")
        plan.assign(g, "responsible", _person(plan, "中队副队长"))            # 网格责任人管块
        for r, y in enumerate((50, 150)):                                     # 队员管段
            m = _person(plan, "城管队员")
            plan.assign(g, "member", m)
            plan.add_segment(LineString([(X0 + 200 * k, Y0 + y), (X0 + 200 * k + 200, Y0 + y)]),
                             road_name=f"示例路{r + 1}", grid=g, officer=m)
        plan.add_place(Point(X0 + 200 * k + 100, Y0 + 100), f"示例小区{k + 1}", kind="小区", grid=g,
                       person=_person(plan, "物业经理"))
    plan.auto_number()
    return plan


def pengjiang() -> Plan:
    plan = Plan.new("蓬江城管进社区（示例）", crs="EPSG:4547", admin_code="440703", levels="街道/社区/网格")
    plan.set_jurisdiction(B(0, 0, 200, 200))
    st = plan.add_grid(B(0, 0, 200, 200), "street", name="示例街道")
    c = plan.add_grid(B(0, 0, 200, 200), "community", parent=st, name="示例社区")
    g = plan.add_grid(B(0, 0, 200, 200), "unit", parent=c, name="示例网格")
    for _ in range(2):
        plan.assign(c, "officer", _person(plan, "进驻城管队员"))
    plan.add_place(Point(X0 + 100, Y0 + 100), "示例社区城管服务站", kind="城管服务站", grid=g)
    plan.auto_number()
    plan.settings = S.set_quota(plan.settings, "进驻城管队员>=2；场所:station=1", level="community")
    return plan


def zaozhuang() -> Plan:
    plan = Plan.new("高新区城市管理进社区（示例）", crs="EPSG:4547", admin_code="370471", levels="街道/社区/网格")
    plan.set_jurisdiction(B(0, 0, 600, 200))
    for s in range(2):
        st = plan.add_grid(B(300 * s, 0, 300 * s + 300, 200), "street", name=f"示例{s + 1}街道")
        for k in range(3):
            c = plan.add_grid(B(300 * s + 100 * k, 0, 300 * s + 100 * k + 100, 200), "community", parent=st,
                              name=f"示例{s + 1}-{k + 1}社区")
            plan.assign(c, "leader", _person(plan, "社区书记"))
            plan.assign(c, "contact", _person(plan, "执法中队长"))
            plan.add_grid(B(300 * s + 100 * k, 0, 300 * s + 100 * k + 100, 200), "unit", parent=c)
    plan.auto_number()
    return plan


BUILDERS = {"wengyuan": wengyuan, "one_two_n": one_two_n, "jishui": jishui, "pengjiang": pengjiang,
            "zaozhuang": zaozhuang}


TEMPLATES = {"wengyuan": ("wengyuan_annex1",), "zaozhuang": ("zaozhuang_annex3", "zaozhuang_annex2")}


def build_all(out: Path) -> dict[str, dict]:
    """Build, save, check and export every structure; returns a summary per plan."""
    out.mkdir(parents=True, exist_ok=True)
    summary = {}
    for name, build in BUILDERS.items():
        plan = build()
        path = out / f"{name}.gpkg"
        if path.exists():
            path.unlink()
        save_plan(plan, path)
        result = check_plan(plan)
        (out / f"{name}.check.json").write_text(json.dumps(
            {"problems": [p.to_json() for p in result.problems], "summary": result.summary()},
            ensure_ascii=False, indent=1), encoding="utf-8")
        export_xlsx(plan, out / f"{name}.xlsx", project_path=path)
        for tname in TEMPLATES.get(name, ()):           # the document's own annex tables
            export_template(plan, tname, out / f"{name}.{tname}.xlsx", project=path)
        summary[name] = {"grids": len(plan.grids), "people": len(plan.people), "checks": result.summary(),
                         "staffing": S.totals_text(plan)}
    return summary


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).parent / "out"
    for k, v in build_all(target).items():
        print(k, json.dumps(v, ensure_ascii=False))
