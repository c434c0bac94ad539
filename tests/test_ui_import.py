"""The import dialog: encoding and CRS shown with previews, base layer or grids with a field mapping."""

from __future__ import annotations

import pyogrio

from gridmap.core.editing.buffer import EditBuffer
from gridmap.core.editing.commands import ReplaceTable
from gridmap.core.exchange.importing import convert_to_gpkg, grids_with_layer
from gridmap.core.exchange.readers import read_layer
from gridmap.core.exchange.registry import export_plan
from gridmap.core.exchange.shapefile import write_shapefile
from gridmap.ui.import_dialog import ImportDialog


def test_gbk_shapefile_without_cpg_as_base_layer(qtbot, repo_root, tmp_path):
    src = repo_root / "tests/data/exchange/shaoguan_gbk.shp"
    dlg = ImportDialog(str(src))
    qtbot.addWidget(dlg)
    assert "GBK" in dlg.encoding.currentText()
    assert "韶关市" in dlg.encoding_preview.text()          # the detected encoding decodes Chinese
    dlg.encoding.setCurrentIndex(dlg.encoding.findData("UTF-8"))
    assert "韶关市" not in dlg.encoding_preview.text()       # the alternative shows what would go wrong
    dlg.encoding.setCurrentIndex(0)
    assert "4547" in dlg.crs.currentText()                   # the vendor-named .prj was recognised
    spec = dlg.spec()
    assert not spec.as_grids and spec.encoding is None
    out, report = convert_to_gpkg(spec.path, tmp_path / "imported", spec.layer, encoding=spec.encoding,
                                  crs=spec.crs)
    back = pyogrio.read_dataframe(out)
    assert back.crs.to_epsg() == 4490 and "韶关市" in set(back["ctname"]) | set(back["name"])


def test_grids_imported_into_a_plan_with_a_field_mapping(qtbot, small_plan, tmp_path):
    # the small grids travel through a GBK shapefile (as from another system) and come back as a level
    export_plan(small_plan, "shp", tmp_path / "out", encoding="gbk")
    exported, _ = read_layer(next((tmp_path / "out").glob("*grids*.shp")))
    shp = tmp_path / "small_grids.shp"
    write_shapefile(exported[exported["level"] == "small"], shp, encoding="gbk")
    plan = small_plan.copy()
    smalls = plan.grids_of_level("small")
    plan.grids = plan.grids.drop(index=smalls.index)
    plan.roles = plan.roles.iloc[0:0]
    dlg = ImportDialog(str(shp), plan)
    qtbot.addWidget(dlg)
    dlg.as_grids.setChecked(True)
    dlg.level.setCurrentIndex(dlg.level.findData("small"))
    fields = [dlg.fields["code"].itemData(i) for i in range(dlg.fields["code"].count())]
    assert "code" in fields and "parent_code" in fields
    dlg.fields["code"].setCurrentIndex(dlg.fields["code"].findData("code"))
    dlg.fields["name"].setCurrentIndex(dlg.fields["name"].findData("name"))
    dlg.fields["parent"].setCurrentIndex(dlg.fields["parent"].findData("parent_code"))
    spec = dlg.spec()
    assert spec.as_grids and spec.level == "small"
    table, notes = grids_with_layer(plan, spec.path, spec.level, spec.mapping, spec.layer,
                                    encoding=spec.encoding, crs=spec.crs)
    stack = EditBuffer(plan)
    stack.push(ReplaceTable("导入网格", "grids", table))
    added = plan.grids[plan.grids["level"] == "small"]
    assert len(added) == 8
    got = added
    assert sorted(got["code"]) == sorted(smalls["code"])
    assert set(got["name"]) == set(smalls["name"])  # Chinese names survive GBK
    for gid, row in got.iterrows():
        assert plan.grids.at[int(row["parent"]), "code"] == row["code"][:12]
    stack.undo()
    assert (plan.grids["level"] == "small").sum() == 0


def test_main_window_imports_prints_and_exports(qtbot, small_plan, repo_root, tmp_path):
    from ui_edit_support import open_window, write_project

    w = open_window(qtbot, write_project(small_plan, tmp_path))
    n_layers = len(w.base_layers)
    # a GBK shapefile without .cpg as a base layer: a clean copy beside the project, shown on the map
    from gridmap.ui.import_dialog import ImportSpec

    assert w.import_file(ImportSpec(path=str(repo_root / "tests/data/exchange/shaoguan_gbk.shp")))
    assert w.wait_idle()                    # (read and converted in the background)
    assert len(w.base_layers) == n_layers + 1
    assert (tmp_path / "imported" / "shaoguan_gbk.gpkg").exists()
    # grids of a level from a file, one undo step
    before = len(w.document.plan.grids)
    src = tmp_path / "more.geojson"
    import geopandas as gpd
    from shapely import box

    gpd.GeoDataFrame({"编码": ["44030600100099"], "名称": ["新网格"]},
                     geometry=[box(500_000, 2_500_000, 500_010, 2_500_010)], crs="EPSG:4547").to_file(src)
    assert w.import_file(ImportSpec(path=str(src), as_grids=True, level="small", mapping={"code": "编码", "name": "名称"}))
    assert w.wait_idle()
    assert len(w.document.plan.grids) == before + 1 and w.document.dirty
    w.actions["undo"].trigger()
    assert len(w.document.plan.grids) == before
    # the print layout dialog previews the open plan
    dlg = w.print_layout_dialog()
    qtbot.waitUntil(lambda: dlg._pixmap is not None and not dlg._pixmap.isNull(), timeout=60_000)
    dlg.close()
    assert w.actions["print_layout"].text() and w.actions["import_file"].text()


def _many_grids_file(folder, n: int, x0=500_000.0, y0=2_500_000.0):
    """A shapefile of ``n`` small square grids (GB 2312 names) south of the test plan."""
    import geopandas as gpd
    from shapely import box

    cols = 200
    geoms = [box(x0 + 5 * (i % cols), y0 - 1000 - 5 * (i // cols), x0 + 5 * (i % cols) + 5,
                 y0 - 995 - 5 * (i // cols)) for i in range(n)]
    path = folder / "many.shp"
    gpd.GeoDataFrame({"编码": [f"4403060010{i:05d}" for i in range(n)], "名称": [f"网格{i}" for i in range(n)]},
                     geometry=geoms, crs="EPSG:4547").to_file(path, encoding="utf-8")
    return path


def test_a_large_file_is_read_in_chunks_inside_a_job_with_the_same_result(tmp_path):
    """Inside a job of the window the reader reads 10,000 features at a time (Cancel stops it
    between chunks, the progress moves); the frame is the one a single read gives."""
    import pandas as pd

    from gridmap.core.workers import Cancelled, job

    path = _many_grids_file(tmp_path, 23_456)
    whole, _ = read_layer(path)
    seen = []
    with job(lambda: False, seen.append):
        chunked, _ = read_layer(path)
    pd.testing.assert_frame_equal(pd.DataFrame(whole.drop(columns="geometry")),
                                  pd.DataFrame(chunked.drop(columns="geometry")))
    assert whole.geometry.geom_equals_exact(chunked.geometry, 0).all()
    assert seen[:3] == [0, 42, 85] and seen[-1] == 100
    calls = []
    with job(lambda: calls.append(1) or len(calls) > 1), __import__("pytest").raises(Cancelled):
        read_layer(path)                    # the second chunk never starts
    assert len(calls) == 2


def test_window_imports_in_the_background_cancel_adds_nothing_and_edits_go_on(qtbot, small_plan, tmp_path):
    """Importing 12,000 grids: Cancel adds nothing and leaves no undo step; an edit made
    while an import runs stays, and the imported grids come after it with ids of their own
    (one undo step that removes only them)."""
    from shapely import box

    from gridmap.core.editing import commands as C
    from gridmap.ui.import_dialog import ImportSpec
    from ui_edit_support import open_window, write_project

    w = open_window(qtbot, write_project(small_plan, tmp_path))
    doc = w.document
    src = _many_grids_file(tmp_path, 12_000)
    spec = ImportSpec(path=str(src), as_grids=True, level="small", mapping={"code": "编码", "name": "名称"})
    n0, steps0 = len(doc.plan.grids), doc.undo_stack.count()
    assert w.import_file(spec)
    w.tasks.cancel_all()                    # the status bar's Cancel
    assert w.wait_idle(120_000)
    assert len(doc.plan.grids) == n0 and doc.undo_stack.count() == steps0
    assert "取消" in w.status.currentMessage() or "cancel" in w.status.currentMessage().lower()

    assert w.import_file(spec)              # running; meanwhile the planner adds a grid
    big = int(doc.plan.grids.index[doc.plan.grids["level"] == "large"][0])
    doc.push(C.AddRow("加", "grids", {"geometry": box(499_000, 2_499_000, 499_010, 2_499_010),
                                      "level": "small", "parent": big, "name": "手加的"}))
    mine = int(doc.plan.grids.index.max())
    assert w.wait_idle(120_000)
    g = doc.plan.grids
    assert len(g) == n0 + 1 + 12_000 and g.index.is_unique
    assert g.at[mine, "name"] == "手加的" and int(g.index[g["name"] == "网格0"][0]) > mine
    w.actions["undo"].trigger()             # the import, one step
    assert len(doc.plan.grids) == n0 + 1 and mine in doc.plan.grids.index
