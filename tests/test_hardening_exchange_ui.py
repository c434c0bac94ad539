"""Issue 11: the import dialog never garbles Hong Kong names silently."""

from __future__ import annotations

import geopandas as gpd
import pyogrio
from shapely import Point

from gridmap.ui.import_dialog import ImportDialog


def test_import_dialog_shows_hkscs_and_undecodable_values(qtbot, tmp_path):
    names = ["石硤尾邨", "鰂魚涌", "鴨脷洲", "綉花街", "栢樹"]
    shp = tmp_path / "hk.shp"
    gdf = gpd.GeoDataFrame({"name": names}, geometry=[Point(830_000 + i, 815_000) for i in range(5)],
                           crs="EPSG:2326")
    pyogrio.write_dataframe(gdf, shp, encoding="big5hkscs")
    shp.with_suffix(".cpg").unlink()
    dbf = shp.with_suffix(".dbf")
    data = bytearray(dbf.read_bytes())
    data[29] = 0x78                                        # language driver id: Big5
    bad = "栢樹".encode("big5hkscs")
    dbf.write_bytes(bytes(data).replace(bad, b"\x80\x80" + bad[2:]))
    dlg = ImportDialog(str(shp))
    qtbot.addWidget(dlg)
    text = dlg.encoding_preview.text()
    assert "石硤尾邨" in text and "鰂魚涌" in text
    assert "⚠" in text and "record 5 field 1" in text
