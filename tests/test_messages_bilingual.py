"""#11 messages: CRS-guess reasons in both languages, the missing-.shx hint, a light CLI start-up and
property tests that cannot flake in CI."""

import re
import subprocess
import sys
from pathlib import Path

import pytest

from gridmap.core import messages
from gridmap.core.exchange.prj import guess_crs

ROOT = Path(__file__).resolve().parents[1]
CJK = re.compile(r"[\u4e00-\u9fff]")

BOUNDS = {  # every branch of guess_crs
    "lonlat China": ((113.8, 22.5, 114.0, 22.7), None),
    "lonlat abroad": ((-74.1, 40.6, -73.9, 40.8), None),
    "Hong Kong 1980": ((830_000, 815_000, 840_000, 825_000), None),
    "Macau": ((18_000, 15_000, 22_000, 20_000), None),
    "TWD97": ((300_000, 2_760_000, 310_000, 2_770_000), 121.5),
    "zone number": ((38_500_000, 2_500_000, 38_510_000, 2_510_000), None),
    "bad zone number": ((50_500_000, 2_500_000, 50_510_000, 2_510_000), None),
    "no zone, hint": ((480_000, 2_490_000, 520_000, 2_510_000), 113.9),
    "no zone, no hint": ((480_000, 2_490_000, 520_000, 2_510_000), None),
    "northings": ((480_000, 7_000_000, 520_000, 7_100_000), None),
    "nothing fits": ((5_000_000, 2_490_000, 5_100_000, 2_510_000), None),
    "not finite": ((float("nan"), 0, 1, 1), None),
}


@pytest.mark.parametrize("case", sorted(BOUNDS))
def test_crs_guess_reason_is_in_chinese_and_english(case):
    bounds, hint = BOUNDS[case]
    g = guess_crs(bounds, hint_lon=hint)
    assert CJK.search(g.reason_zh) and not CJK.search(g.reason_en), (case, g.reason_zh, g.reason_en)
    try:
        messages.set_language("en")
        assert g.reason == f"{g.reason_en} / {g.reason_zh}"
        messages.set_language("zh_CN")
        assert g.reason == f"{g.reason_zh} / {g.reason_en}"
    finally:
        messages.set_language(None)


def test_missing_crs_refusal_has_no_english_in_its_chinese_half(tmp_path):
    import geopandas as gpd
    from shapely import box

    from gridmap.core.exchange import ExchangeError
    from gridmap.core.exchange.readers import read_layer

    shp = tmp_path / "no_prj.shp"
    gpd.GeoDataFrame({"code": ["1"]}, geometry=[box(500_000, 2_500_000, 500_100, 2_500_100)]).to_file(shp)
    messages.set_language("zh_CN")
    try:
        with pytest.raises(ExchangeError) as err:
            read_layer(shp, guess=False)
    finally:
        messages.set_language(None)
    zh, en = str(err.value).split(": ", 1)[1].split(" / ", 1)
    assert "eastings" not in zh and "东坐标" in zh and "eastings" in en and "--crs" in zh


def test_missing_shx_hint_names_repair_not_a_gdal_option(tmp_path):
    import geopandas as gpd
    from shapely import box

    shp = tmp_path / "g.shp"
    gpd.GeoDataFrame({"code": ["1"]}, geometry=[box(0, 0, 1, 1)], crs=4547).to_file(shp)
    shp.with_suffix(".shx").unlink()
    env = {"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"}
    r = subprocess.run([sys.executable, "-m", "gridmap", "import", str(shp), "--inspect"], capture_output=True,
                       text=True, env=env, timeout=120)
    assert r.returncode == 2 and "--repair" in r.stderr and "SHAPE_RESTORE_SHX" not in r.stderr
    assert "重建" in r.stderr and "rebuild" in r.stderr


def test_cli_start_up_does_not_import_pandas_or_geopandas():
    code = ("import sys, gridmap.cli\n"
            "from gridmap.core.storage import StoreError\n"
            "heavy = [m for m in ('geopandas', 'pandas', 'pyogrio') if m in sys.modules]\n"
            "assert not heavy, heavy\n")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                       env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})
    assert r.returncode == 0, r.stderr


def test_ci_hypothesis_profile_is_fixed_seed():
    """CI (CI=1) runs property tests derandomised, with no example database: the same examples every run."""
    hypothesis = pytest.importorskip("hypothesis")
    ci = hypothesis.settings.get_profile("ci")
    assert ci.derandomize is True and ci.database is None and ci.deadline is None
    code = ("import os, sys; sys.path.insert(0, 'tests'); os.environ['CI'] = '1'\n"
            "import conftest, hypothesis\n"
            "assert hypothesis.settings.default.derandomize, 'CI profile not loaded'\n")
    r = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120,
                       env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})
    assert r.returncode == 0, r.stderr
