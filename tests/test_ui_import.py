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
    assert len(w.document.plan.grids) == before + 1 and w.document.dirty
    w.actions["undo"].trigger()
    assert len(w.document.plan.grids) == before
    # the print layout dialog previews the open plan
    dlg = w.print_layout_dialog()
    qtbot.waitUntil(lambda: dlg._pixmap is not None and not dlg._pixmap.isNull(), timeout=60_000)
    dlg.close()
    assert w.actions["print_layout"].text() and w.actions["import_file"].text()
