"""Real data: the Taiwan village layer (g0v/twgeojson, CC0; see ../shared/data/PROVENANCE.md).

Its TopoJSON quantisation left invalid rings, overlaps where county boundaries
were not shared arcs (台北縣/台北市 …) and small holes between villages.  The
check must report them all, in one run, with true areas — and they must be
real: verified here against the raw geometry, pair by pair and point by point.
"""

from __future__ import annotations

import json

import pyogrio
import pytest
import shapely

from gridmap.cli import main
from gridmap.core.checks import check_grids
from gridmap.core.crs import areas_m2


@pytest.fixture(scope="module")
def villages(shared_data):
    path = shared_data / "taiwan-villages" / "twVillage1982.topo.json"
    df = pyogrio.read_dataframe(path)
    return path, df


@pytest.fixture(scope="module")
def result(villages):
    _, df = villages
    return check_grids(df.geometry.values, "EPSG:4326", codes=df["VILLAGEID"].values)


def test_reports_invalid_overlaps_and_gaps(villages, result):
    _, df = villages
    s = result.summary()
    geoms = df.geometry.values
    # every invalid ring, and only those
    assert s["invalid"] == int((~shapely.is_valid(geoms)).sum()) == 8
    assert s["overlap"] >= 100 and s["gap"] >= 50
    assert result.exit_code == 1


def test_overlaps_are_real(villages, result):
    _, df = villages
    geoms = df.geometry.values
    overlaps = [p for p in result.problems if p.rule == "overlap"]
    for p in overlaps[::10]:
        i, j = (k - 1 for k in p.ids)
        piece = shapely.make_valid(geoms[i]).intersection(shapely.make_valid(geoms[j]))
        # true m²: the same as the intersection of the raw lon/lat polygons measured on the ellipsoid
        assert float(areas_m2([piece], "EPSG:4326")[0]) == pytest.approx(p.area_m2, rel=1e-3)
    # most sit on county boundaries whose arcs were not shared
    counties = [frozenset(df["COUNTYNAME"].iloc[[k - 1 for k in p.ids]]) for p in overlaps]
    assert sum(len(c) == 2 for c in counties) > len(overlaps) / 2


def test_gaps_are_real_holes(villages, result):
    _, df = villages
    gaps = [p for p in result.problems if p.rule == "gap"]
    union = shapely.union_all(shapely.make_valid(df.geometry.values))
    for p in gaps:
        assert not union.contains(p.point)          # nobody covers it …
        assert len(p.ids) >= 2                      # … and villages surround it
        assert 120 < p.point.x < 122.1 and 21.8 < p.point.y < 25.4   # reported in lon/lat


def test_cli_on_the_topojson(villages, capsys):
    path, _ = villages
    code = main(["check", str(path), "--code-field", "VILLAGEID", "--json"])
    out = json.loads(capsys.readouterr().out)
    assert code == 1
    assert out["summary"]["overlap"] >= 100 and out["summary"]["invalid"] == 8
    assert all(set(p) == {"rule", "severity", "grids", "area_m2", "width_m", "x", "y"} for p in out["problems"])
