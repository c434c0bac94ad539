"""``gridmap check``: the CLI contract (exit codes, --json, --out, foreign files, bad input)."""

from __future__ import annotations

import json
import struct
import subprocess
import sys

import geopandas as gpd
import numpy as np
import pyogrio
import pytest
import shapely
from shapely import box

from gridmap.cli import main
from gridmap.core.storage import save_plan

X0, Y0 = 500_000.0, 2_500_000.0
KEYS = {"rule", "severity", "grids", "area_m2", "width_m", "x", "y"}


def _gridmap(*args):
    return subprocess.run([sys.executable, "-m", "gridmap", *map(str, args)], capture_output=True, text=True)


def _json(capsys, *args):
    code = main(["check", *map(str, args), "--json"])
    return code, json.loads(capsys.readouterr().out)


@pytest.fixture
def project(small_plan, tmp_path):
    """small_plan saved with responsibility and segment rules switched off in its settings."""
    small_plan.settings["check.disabled"] = "no_leader,no_officer,no_unit,segment_crosses_boundary"
    path = tmp_path / "plan.gpkg"
    save_plan(small_plan, path)
    return small_plan, path


def test_clean_project_exits_0(project, capsys):
    _, path = project
    code, out = _json(capsys, path)
    assert code == 0 and out == {"problems": [], "summary": {}}


def test_project_with_overlap_exits_1_with_exact_json(project, tmp_path, capsys):
    plan, _ = project
    gid = plan.grid_by_code("44030600100003")            # x 0..75, y 0..100
    plan.grids.at[gid, "geometry"] = box(X0, Y0, X0 + 77, Y0 + 100)
    path = tmp_path / "overlap.gpkg"
    save_plan(plan, path)
    code, out = _json(capsys, path)
    assert code == 1
    # the widened grid also shares part of its top edge with the two grids above it
    assert set(out) == {"problems", "summary"} and out["summary"] == {"overlap": 1, "edge_mismatch": 2}
    ov = next(p for p in out["problems"] if p["rule"] == "overlap")
    assert set(ov) == KEYS
    assert ov == {"rule": "overlap", "severity": "error", "grids": ["44030600100003", "44030600100004"],
                  "area_m2": 200.0, "width_m": ov["width_m"], "x": ov["x"], "y": ov["y"]}
    assert ov["width_m"] == pytest.approx(2.0, abs=0.01)
    assert X0 + 75 <= ov["x"] <= X0 + 77 and Y0 <= ov["y"] <= Y0 + 100
    # --boundary replaces the stored jurisdiction
    bpath = tmp_path / "boundary.geojson"
    gpd.GeoDataFrame(geometry=[box(X0, Y0, X0 + 300, Y0 + 210)], crs="EPSG:4547").to_file(bpath)
    code, out = _json(capsys, path, "--boundary", bpath)
    assert out["summary"]["gap"] == 1
    gap = next(p for p in out["problems"] if p["rule"] == "gap")
    assert gap["area_m2"] == pytest.approx(3000.0) and gap["width_m"] == pytest.approx(10.0, abs=0.01)


def test_text_output_and_out_layer(project, tmp_path, capsys):
    plan, _ = project
    gid = plan.grid_by_code("44030600100003")
    plan.grids.at[gid, "geometry"] = box(X0, Y0, X0 + 74.8, Y0 + 100)
    path = tmp_path / "sliver.gpkg"
    save_plan(plan, path)
    out_path = tmp_path / "problems.gpkg"
    assert main(["check", str(path), "--out", str(out_path)]) == 1
    text = capsys.readouterr().out
    assert "细缝" in text and "Sliver gap" in text and "1 个错误 errors" in text
    layer = pyogrio.read_dataframe(out_path, layer="problems_polygon")
    assert list(layer.columns[:7]) == ["rule", "severity", "grids", "area_m2", "width_m", "x", "y"]
    assert layer["rule"].tolist() == ["sliver"] and layer.crs.to_epsg() == 4547
    assert pyogrio.read_dataframe(out_path, layer="problems_line")["rule"].tolist() == ["edge_mismatch"]
    assert layer["message_zh"][0].startswith("网格") and layer.geometry[0].area == pytest.approx(20.0)


def _write_grid_file(path, geoms, fields, crs="EPSG:4547"):
    gpd.GeoDataFrame(fields, geometry=geoms, crs=crs).to_file(path)


def test_foreign_file_one_level_with_codes_parents_boundary(tmp_path, capsys):
    f = tmp_path / "grids.geojson"
    geoms = [box(X0, Y0, X0 + 100, Y0 + 100), box(X0 + 99, Y0, X0 + 200, Y0 + 100),
             box(X0 + 200, Y0, X0 + 290, Y0 + 100)]
    _write_grid_file(f, geoms, {"WGBM": ["44030600100001", "44030600100002", "4403060020000"],
                                "SQBM": ["440306001000", "440306001000", "440306001000"]})
    b = tmp_path / "area.gpkg"
    gpd.GeoDataFrame({"name": ["辖区"]}, geometry=[box(X0, Y0, X0 + 300, Y0 + 100)], crs="EPSG:4547").to_file(
        b, layer="boundary")
    gpd.GeoDataFrame({"name": ["x"]}, geometry=[box(0, 0, 1, 1)], crs="EPSG:4547").to_file(b, layer="other")
    code, out = _json(capsys, f, "--code-field", "WGBM", "--parent-field", "SQBM", "--boundary", f"{b}:boundary")
    assert code == 1
    assert out["summary"] == {"overlap": 1, "gap": 1, "bad_code": 1}
    gap = next(p for p in out["problems"] if p["rule"] == "gap")
    assert gap["grids"] == ["4403060020000"] and gap["area_m2"] == pytest.approx(1000.0)
    # without codes: grids are named by feature number; the code field is found by its usual name
    f2 = tmp_path / "plain.geojson"
    _write_grid_file(f2, geoms[:2], {"code": ["A", "B"]})
    code, out = _json(capsys, f2)
    assert out["problems"][0]["grids"] == ["A", "B"]
    f3 = tmp_path / "nocode.geojson"
    _write_grid_file(f3, geoms[:2], {"name": ["甲", "乙"]})
    code, out = _json(capsys, f3)
    assert out["problems"][0]["grids"] == ["#1", "#2"]


def test_lonlat_file_without_crs_reports_degrees_and_true_areas(tmp_path, capsys):
    f = tmp_path / "villages.geojson"
    f.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"code": "A"},
         "geometry": {"type": "Polygon", "coordinates": [[[120, 23.5], [120.01, 23.5], [120.01, 23.51],
                                                          [120, 23.51], [120, 23.5]]]}},
        {"type": "Feature", "properties": {"code": "B"},
         "geometry": {"type": "Polygon", "coordinates": [[[120.0099, 23.5], [120.02, 23.5], [120.02, 23.51],
                                                          [120.0099, 23.51], [120.0099, 23.5]]]}}]}))
    code, out = _json(capsys, f)
    ov = out["problems"][0]
    assert ov["rule"] == "overlap" and 120.0099 <= ov["x"] <= 120.01
    assert ov["area_m2"] == pytest.approx(0.0001 * 0.01 * 111_320 ** 2 * np.cos(np.radians(23.505)), rel=0.01)


def test_unclosed_ring_is_reported_not_fatal(tmp_path, capsys):
    def wkb(coords):
        b = struct.pack("<BII", 1, 3, 1) + struct.pack("<I", len(coords))
        return b + b"".join(struct.pack("<dd", x, y) for x, y in coords)
    path = tmp_path / "unclosed.gpkg"
    geoms = np.array([shapely.to_wkb(box(X0, Y0, X0 + 100, Y0 + 100)),
                      wkb([(X0 + 100, Y0), (X0 + 200, Y0), (X0 + 200, Y0 + 100), (X0 + 100, Y0 + 100)])],
                     dtype=object)
    pyogrio.raw.write(path, geoms, [np.array(["A", "B"], dtype=object)], ["code"], driver="GPKG",
                      geometry_type="Polygon", crs="EPSG:4547", layer="grids")
    code, out = _json(capsys, path, "--code-field", "code")
    assert code == 1 and out["summary"] == {"invalid": 1} and out["problems"][0]["grids"] == ["B"]


@pytest.mark.parametrize("case", ["missing", "garbage", "points", "field", "layer", "boundary"])
def test_unusable_input_is_one_line_exit_2(case, tmp_path):
    good = tmp_path / "g.geojson"
    _write_grid_file(good, [box(X0, Y0, X0 + 10, Y0 + 10)], {"code": ["A"]})
    args = {
        "missing": [tmp_path / "nope.shp"],
        "garbage": [tmp_path / "x.gpkg"],
        "points": [tmp_path / "pts.geojson"],
        "field": [good, "--code-field", "NOPE"],
        "layer": [good, "--layer", "NOPE"],
        "boundary": [good, "--boundary", tmp_path / "nope.gpkg"],
    }[case]
    (tmp_path / "x.gpkg").write_text("not a geopackage")
    gpd.GeoDataFrame({"a": [1]}, geometry=[shapely.Point(X0, Y0)], crs="EPSG:4547").to_file(tmp_path / "pts.geojson")
    out = _gridmap("check", *args)
    assert out.returncode == 2, out.stdout
    assert "Traceback" not in out.stderr
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("gridmap check: ")
