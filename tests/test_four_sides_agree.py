"""One 四至 for every output: the XLSX and CSV 划分表, the Word annex and the map book
print the same sides for the same grid (roads from the base layers and segments)."""

from __future__ import annotations

import csv
import shutil

import docx
import pytest
from openpyxl import load_workbook

from gridmap.core.exchange.registry import export_plan
from gridmap.core.outputs.atlas import atlas_figures
from gridmap.core.outputs.docx import save_docx
from gridmap.core.outputs.sides import plan_sides, sides_text
from gridmap.core.outputs.tests_support import add_demo_roads
from gridmap.core.storage import open_plan, save_plan


def _xlsx_sides(path) -> dict[str, str]:
    ws = load_workbook(path)["网格划分表"]
    header = [c.value for c in ws[2]]
    code, four = header.index("网格编号"), header.index("四至范围")
    return {r[code]: r[four] for r in ws.iter_rows(min_row=3, values_only=True) if r[code]}


def _docx_sides(path) -> dict[str, str]:
    table = docx.Document(str(path)).tables[0]
    header = [c.text for c in table.rows[0].cells]
    # the Word table prints code and name in one cell, and names the neighbours in 四至
    # without their codes (the codes are in 网格编码): compare the same text without codes
    code = next(i for i, h in enumerate(header) if h.startswith("网格编码"))
    four = header.index("四至")
    return {row.cells[code].text.split("\n")[0]: _no_codes(row.cells[four].text) for row in table.rows[1:]}


def _no_codes(text: str) -> str:
    import re

    return re.sub(r"\d{6,}\s*", "", str(text or ""))


@pytest.fixture
def saved_small(small_plan, tmp_path):
    add_demo_roads(small_plan, tmp_path)
    path = tmp_path / "plan.gpkg"
    save_plan(small_plan, path)
    return small_plan, path


def test_xlsx_and_docx_print_the_same_four_sides(saved_small, tmp_path):
    plan, path = saved_small
    export_plan(plan, "xlsx", tmp_path / "a.xlsx", project_path=path)
    save_docx(plan, tmp_path / "a.docx", {"project": path})
    x, d = _xlsx_sides(tmp_path / "a.xlsx"), _docx_sides(tmp_path / "a.docx")
    assert set(x) == set(d) == set(plan.grids_of_level("small")["code"])
    assert {k: _no_codes(v) for k, v in x.items()} == d
    # roads from the base layer are named (the Word annex's north road), not only segments
    assert any("北至北环路" in v for v in x.values())


def test_csv_and_map_book_print_the_same_four_sides(saved_small, tmp_path):
    plan, path = saved_small
    export_plan(plan, "csv", tmp_path / "csv", tables=["division"], project_path=path)
    with open(tmp_path / "csv" / "网格划分表.csv", encoding="utf-8-sig") as f:
        rows = list(csv.DictReader(f))
    from_csv = {r["网格编号"]: r["四至范围"] for r in rows}
    _, info = atlas_figures(plan, {"project": path})
    codes = plan.grids["code"]
    from_atlas = {codes[g]: "；".join(v) for g, v in info["sides"].items()}
    assert from_csv == from_atlas
    sides = plan_sides(plan, project=path)
    assert from_csv == {codes[g]: sides_text(v) for g, v in sides.items()}


def test_sample_plan_xlsx_and_docx_agree(sample_plan_path, tmp_path):
    """The real sample (OSM roads of Bao'an as a base layer): every small grid's 四至 is the same text."""
    folder = tmp_path / "sample"
    shutil.copytree(sample_plan_path.parent, folder)
    path = folder / sample_plan_path.name
    plan = open_plan(path)
    export_plan(plan, "xlsx", tmp_path / "s.xlsx", tables=["division"], project_path=path)
    save_docx(plan, tmp_path / "s.docx", {"project": path})
    x, d = _xlsx_sides(tmp_path / "s.xlsx"), _docx_sides(tmp_path / "s.docx")
    assert len(x) == len(plan.grids_of_level(plan.levels[-1].key)) and {k: _no_codes(v) for k, v in x.items()} == d
    assert sum("路" in v for v in x.values()) >= len(x) // 2      # most grids are bounded by named roads


def test_xlsx_lists_the_level_asked_for(saved_small, tmp_path):
    plan, path = saved_small
    export_plan(plan, "xlsx", tmp_path / "l.xlsx", tables=["division"], level="large", project_path=path)
    x = _xlsx_sides(tmp_path / "l.xlsx")
    assert set(x) == set(plan.grids_of_level("large")["code"])
    save_docx(plan, tmp_path / "l.docx", {"project": path, "level": "large"})
    assert {k: _no_codes(v) for k, v in x.items()} == _docx_sides(tmp_path / "l.docx")


@pytest.mark.parametrize("which", ["sample", "city"])
def test_grid_sides_of_a_level_are_each_grids_four_sides(which, sample_plan_path, repo_root):
    """The level's 四至 (each grid grown once, areas cut to the grid's envelope, the
    jurisdiction's boundary grown once) say exactly what :func:`four_sides` says of each grid
    on its own, given its neighbours and roads as they are."""
    import sys

    import numpy as np
    import shapely

    from gridmap.core.outputs.mapdata import MapData
    from gridmap.core.outputs.sides import four_sides, grid_sides, plan_roads

    if which == "sample":
        plan, project = open_plan(sample_plan_path), sample_plan_path
    else:
        sys.path.insert(0, str(repo_root / "benchmarks"))
        import citygen

        plan, project = citygen.generate(400, seed=5, inject=False).plan, None
    data = MapData.from_plan(plan, project, base_layers=True)
    idx = len(plan.levels) - 1
    roads = plan_roads(data)
    fast = grid_sides(data, idx, roads)
    grids = data.grids[data.grids["level_index"] == idx]
    geoms = grids.geometry.values
    labels = [f"{c} {n}".strip() for c, n in zip(grids["code"], grids["name"])]
    names = list(roads)
    assert len(fast) == len(grids) > 30
    for i, gid in enumerate(grids.index):
        g = geoms[i]
        nb = {labels[j]: geoms[j] for j in range(len(geoms)) if j != i and shapely.dwithin(g, geoms[j], 5.0)}
        rd = {n: roads[n] for n in names if shapely.dwithin(g, roads[n], 30.0)}
        plain = four_sides(g, nb, rd, data.jurisdiction)
        assert [s.text for s in fast[int(gid)]] == [s.text for s in plain], gid
    assert any(s.neighbours for v in fast.values() for s in v)
    assert any(s.boundary for v in fast.values() for s in v)
    assert which == "city" or any(s.roads for v in fast.values() for s in v)
