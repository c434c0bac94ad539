"""The new plan wizard on a real county file: guangdong_districts.shp (UTF-8
without .cpg, no .prj, GCJ-02 coordinates — an Amap download; see
../shared/data/PROVENANCE.md, MIT licence): found by name and by adcode,
names decoded, the datum suspected and converted, the county code filled,
no base layers inherited, codes of the scheme's length."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pyogrio
import pytest
import shapely

from gridmap.core.crs import to_crs
from gridmap.core.gcj02 import gcj02_to_wgs84

COUNTIES = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "cn-counties-gcj02" / "guangdong_districts.shp"


def _wengyuan_converted(plan_crs):
    """翁源县 read with pyogrio as UTF-8 and converted GCJ-02 → WGS84 independently of the wizard."""
    df = pyogrio.read_dataframe(COUNTIES, encoding="utf-8")
    geom = df.geometry[df["adcode"].astype(str) == "440229"].iloc[0]
    wgs = shapely.transform(geom, lambda xy: np.column_stack(gcj02_to_wgs84(xy[:, 0], xy[:, 1])))
    return to_crs(wgs, "EPSG:4326", plan_crs)


@pytest.fixture
def wizard(qtbot, settings):
    from gridmap.ui.wizard import NewPlanWizard

    wiz = NewPlanWizard()
    qtbot.addWidget(wiz)
    wiz.show()
    return wiz


def test_wizard_finds_the_county_by_name_and_code_and_converts_gcj02(wizard, qtbot):
    p1 = wizard.page1
    assert p1.load_file(str(COUNTIES))
    assert p1.feature.count() == 125
    labels = [p1.feature.item(i).text() for i in range(p1.feature.count())]
    assert not any("æ" in t or "\ufffd" in t for t in labels)         # names decoded as UTF-8, never garbled
    assert p1.source.chosen_crs() == "gcj02"                          # Amap fields, lon/lat, no .prj: suspected
    assert "GCJ-02" in p1.source.crs_note.text()
    p1.search.setText("翁源")     # typed through an input method (QTest cannot type CJK)
    assert p1.feature.count() == 1 and p1.feature.currentItem().text().startswith("翁源县 440229")
    p1.search.clear()
    qtbot.keyClicks(p1.search, "440229")
    assert p1.current_feature().name == "翁源县"
    assert wizard.page2.admin.text() == "440229"                      # county code from the adcode field
    assert "翁源县" in p1.name.text()
    wizard.next()
    p2 = wizard.page2
    assert wizard.currentPage() is p2
    assert p2.crs.text() == "EPSG:4547"                               # CGCS2000 3° zone, CM 114°E
    p2.level_names.setText("县城大网格/小网格")
    wizard.next()
    opts = wizard.result_options()
    assert opts["admin_code"] == "440229" and opts["levels"] == "县城大网格/小网格"
    assert opts["keep_base_layers"] is False
    got = to_crs(opts["jurisdiction"], opts["jurisdiction_crs"], "EPSG:4547")
    want = _wengyuan_converted("EPSG:4547")
    assert shapely.hausdorff_distance(got, want) < 1.0                # within 1 m of the converted polygon


def test_wizard_plan_has_no_inherited_base_layers_and_full_codes(qtbot, settings, small_plan, tmp_path):
    import geopandas as gpd

    from gridmap.core.editing.steps import propose_code
    from gridmap.core.storage import save_plan
    from gridmap.ui.wizard import NewPlanWizard
    from ui_edit_support import open_window

    gpd.GeoDataFrame({"name": ["宝安路"]}, geometry=[shapely.LineString([(500_000, 2_500_050), (500_300, 2_500_050)])],
                     crs="EPSG:4547").to_file(tmp_path / "road.gpkg")
    small_plan.add_base_layer("道路", "road.gpkg", kind="vector")
    save_plan(small_plan, tmp_path / "old.gpkg")
    win = open_window(qtbot, tmp_path / "old.gpkg", zoom=False)
    assert len(win.document.plan.base_layers) == 1                    # the old plan has a base map
    wiz = NewPlanWizard(win, canvas=win.canvas, current_crs=win.document.plan.crs)
    wiz.show()
    assert wiz.page1.load_file(str(COUNTIES))
    wiz.page1.search.setText("翁源")
    wiz.next()
    opts = wiz.result_options()
    doc = win.create_plan(**opts)
    plan = doc.plan
    assert len(plan.base_layers) == 0                                 # nothing of Bao'an carried over
    assert plan.admin_code == "440229" and [lv.name for lv in plan.levels] == ["大网格", "小网格"]
    assert plan.jurisdiction.area == pytest.approx(2.174e9, rel=0.03)  # 翁源县 ≈ 2,174 km²
    half = shapely.intersection(plan.jurisdiction, shapely.box(*plan.jurisdiction.bounds[:2],
                                                              plan.jurisdiction.centroid.x, plan.jurisdiction.bounds[3]))
    gid = plan.add_grid(half, "large")
    code = propose_code(plan, gid)
    assert code.startswith("440229") and len(code) == 12             # large grid: county + street slot + 000
    small = plan.add_grid(half, "small", parent=gid)
    plan.grids.at[gid, "code"] = code
    assert len(propose_code(plan, small)) == 14                        # GB14 unit code
    win.close()


def test_level_names_from_the_cli(tmp_path):
    import geopandas as gpd

    from gridmap.cli import main
    from gridmap.core.storage import open_plan

    src = tmp_path / "grids.gpkg"
    gpd.GeoDataFrame({"code": ["A", "B"], "name": ["甲", "乙"]},
                     geometry=[shapely.box(500_000, 2_500_000, 500_100, 2_500_100),
                               shapely.box(500_100, 2_500_000, 500_200, 2_500_100)],
                     crs="EPSG:4547").to_file(src)
    out = tmp_path / "plan.gpkg"
    assert main(["import", str(src), "--as-plan", "--code-field", "code", "--name-field", "name",
                 "--levels", "县城大网格/小网格", "-o", str(out)]) == 0
    assert [lv.name for lv in open_plan(out).levels] == ["县城大网格", "小网格"]
    assert main(["import", str(src), "--as-plan", "--code-field", "code", "--levels", "甲/甲",
                 "-o", str(tmp_path / "bad.gpkg")]) == 2
