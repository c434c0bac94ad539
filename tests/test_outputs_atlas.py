"""Map book: a contents page, one page per grid with its code, name, area, 四至 and
responsibility table; read back page by page with pdftotext."""

from __future__ import annotations

import re
import subprocess

import pandas as pd
import pytest

from gridmap.core.outputs import OutputError
from gridmap.core.outputs.atlas import atlas_title, save_atlas
from gridmap.core.outputs.records import person_text
from gridmap.core.outputs.tests_support import add_demo_roads
from gridmap.core.storage import save_plan


def _page(path, n: int) -> str:
    out = subprocess.run(["pdftotext", "-f", str(n), "-l", str(n), str(path), "-"], capture_output=True,
                         text=True, check=True).stdout
    return "".join(out.split())


@pytest.fixture
def project(small_plan, tmp_path):
    add_demo_roads(small_plan, tmp_path)
    path = tmp_path / "plan.gpkg"
    save_plan(small_plan, path)
    return small_plan, path


def test_atlas_has_contents_and_a_page_per_grid_with_its_people_and_four_sides(project, tmp_path):
    plan, path = project
    out = tmp_path / "book.pdf"
    info = save_atlas(plan, out, {"project": path, "issuer": "某街道办事处"})
    pdfinfo = subprocess.run(["pdfinfo", str(out)], capture_output=True, text=True, check=True).stdout
    small = plan.grids_of_level("small")
    assert int(re.search(r"Pages:\s+(\d+)", pdfinfo).group(1)) == 1 + len(small) == info["pages"]

    contents = _page(out, 1)
    assert "目录" in contents and atlas_title(plan) == "测试方案网格图册" and "测试方案网格图册" in contents
    assert "共8个小网格" in contents and "某街道办事处" in contents
    for n, code in enumerate(sorted(small["code"]), start=2):
        assert f"{code}" in contents and str(n) in contents

    roles = plan.roles
    for n, gid in enumerate(sorted(small.index, key=lambda g: small.at[g, "code"]), start=2):
        text = _page(out, n)
        g = plan.grids.loc[gid]
        assert g["code"] in text and g["name"] in text and f"第{n}页" in text
        assert "四至" in text and all(f"{d}至" in text for d in "东南西北")
        for side in info["sides"][gid]:
            assert "".join(side.split()) in text
        for _, r in roles[roles["grid"] == gid].iterrows():
            if not pd.isna(r["person"]):
                p = plan.people.loc[int(r["person"])]
                assert person_text(p["name"], p["post"], p["phone"]) in text
        for name in plan.segments.loc[plan.segments["grid"] == gid, "road_name"]:
            assert name in text
        for name in plan.places.loc[plan.places["grid"] == gid, "name"]:
            assert name in text
        if g["code"] == "44030600100001":
            assert "网格长" in text and "13900000000" in text and "区城市管理局" in text


def test_four_sides_come_from_the_geometry(project, tmp_path):
    """Roads along an edge, neighbours across it, the jurisdiction boundary."""
    plan, path = project
    info = save_atlas(plan, tmp_path / "book.pdf", {"project": path})
    small = plan.grids_of_level("small")
    jx0, jy0, jx1, jy1 = plan.jurisdiction.bounds
    for gid, g in small.iterrows():
        x0, y0, x1, y1 = g.geometry.bounds
        sides = dict(zip("东南西北", info["sides"][gid]))
        across = {
            "东": small[(abs(small.geometry.bounds["minx"] - x1) < 1e-6) & (small.geometry.bounds["miny"] == y0)],
            "西": small[(abs(small.geometry.bounds["maxx"] - x0) < 1e-6) & (small.geometry.bounds["miny"] == y0)],
            "北": small[(abs(small.geometry.bounds["miny"] - y1) < 1e-6) & (small.geometry.bounds["minx"] == x0)],
            "南": small[(abs(small.geometry.bounds["maxy"] - y0) < 1e-6) & (small.geometry.bounds["minx"] == x0)],
        }
        for d, nb in across.items():
            for code in nb["code"]:
                assert code in sides[d], (g["code"], d, sides[d])
        # the made-up roads run 3 m outside the north and south edges and 4 m outside the west edge
        if y1 == jy1:
            assert "北环路" in sides["北"] and "辖区边界" in sides["北"]
        if y0 == jy0:
            assert "南环路" in sides["南"]
        if x0 == jx0:
            assert "西环路" in sides["西"]
        if x1 == jx1:
            assert sides["东"] == "东至辖区边界"
        # 示例路 crosses grids 50 m from their edges: it bounds no side
        assert not any("示例路" in s for s in sides.values())
        # 中心大道 runs 2 m east of the line between the two large grids
        if abs(x1 - (jx0 + jx1) / 2) < 1e-6:
            assert "中心大道" in sides["东"]


def test_atlas_per_large_grid_and_clear_errors(project, tmp_path):
    plan, path = project
    info = save_atlas(plan, tmp_path / "large.pdf", {"project": path, "level": "大网格", "paper": "A3",
                                                      "landscape": True})
    assert info["pages"] == 1 + 2
    text = _page(tmp_path / "large.pdf", 2)
    assert "440306001000" in text and "西片" in text
    with pytest.raises(OutputError, match="is a PDF"):
        save_atlas(plan, tmp_path / "book.docx", {})
    with pytest.raises(OutputError, match="atlas level 'street' is not a level of this plan"):
        save_atlas(plan, tmp_path / "x.pdf", {"level": "street"})
