"""Shared fixtures.  Qt runs offscreen; nothing here mocks a library we ship on."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

# Property tests (hypothesis): CI runs a fixed, derandomised set of examples so it can never turn red at
# random; local runs stay randomised to keep finding new cases.  HYPOTHESIS_PROFILE overrides the choice
# ("ci", "dev", or "thorough" for a long local hunt: 20× the examples).
try:
    from hypothesis import HealthCheck
    from hypothesis import settings as _hyp_settings

    _hyp_settings.register_profile("ci", derandomize=True, database=None, deadline=None, print_blob=True,
                                   suppress_health_check=[HealthCheck.too_slow])
    _hyp_settings.register_profile("dev", deadline=None, print_blob=True)
    _hyp_settings.register_profile("thorough", deadline=None, print_blob=True, max_examples=2000,
                                   suppress_health_check=[HealthCheck.too_slow])
    _ci = os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")
    _hyp_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if _ci else "dev"))
except ImportError:   # hypothesis is a test extra; tests that need it import it themselves
    pass

REPO = Path(__file__).resolve().parent.parent
SAMPLE = REPO / "sample_layers"


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return REPO


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The real third-party data beside the repository (../shared/data)."""
    for cand in (REPO.parent / "shared" / "data", Path(os.environ.get("GRIDMAP_SHARED_DATA", "/nonexistent"))):
        if cand.is_dir():
            return cand
    pytest.fail("../shared/data not found beside the repository (set GRIDMAP_SHARED_DATA)")


@pytest.fixture(scope="session")
def sample_plan_path() -> Path:
    return SAMPLE / "baoan_plan.gpkg"


@pytest.fixture(scope="session")
def sample_errors_path() -> Path:
    return SAMPLE / "baoan_plan_errors.gpkg"


@pytest.fixture
def small_plan():
    """A 2-level plan of 2 large and 8 small grids on a 300 m × 200 m jurisdiction,
    with a unit, two people, roles, a street segment and a place."""
    from shapely import LineString, Point, box

    from gridmap.core.plan import Plan

    plan = Plan.new("测试方案", crs="EPSG:4547", admin_code="440306", levels="two")
    x0, y0 = 500_000.0, 2_500_000.0
    plan.set_jurisdiction(box(x0, y0, x0 + 300, y0 + 200))
    west = plan.add_grid(box(x0, y0, x0 + 150, y0 + 200), "large", name="西片")
    east = plan.add_grid(box(x0 + 150, y0, x0 + 300, y0 + 200), "large", name="东片")
    names = iter("一二三四五六七八")
    for parent, xs in ((west, (0, 75)), (east, (150, 225))):
        for x in xs:
            for y in (0, 100):
                plan.add_grid(box(x0 + x, y0 + y, x0 + x + 75, y0 + y + 100), "small", parent=parent,
                              name=f"第{next(names)}网格")
    plan.auto_number()
    unit = plan.add_unit("区城市管理局", kind="政府部门", phone="0755-00000000")
    leader = plan.add_person("李四", post="副局长", unit=unit, phone="13900000000")
    officer = plan.add_person("张三", post="城管队员", unit=unit, phone="13800000000")
    first = plan.grid_by_code("44030600100001")
    plan.assign(first, "leader", person=leader, duty="每周不少于半天值守")
    plan.assign(first, "officer", person=officer)
    plan.assign(first, "lead_unit", unit=unit)
    plan.add_segment(LineString([(x0 + 10, y0 + 150), (x0 + 140, y0 + 150)]), road_name="示例路", officer=officer)
    plan.add_place(Point(x0 + 30, y0 + 30), name="示例小区", kind="小区")
    plan.assign_by_location()
    return plan


@pytest.fixture
def settings(tmp_path):
    """QSettings in a temporary folder (never the user's), with the Qt application created."""
    from PySide6.QtCore import QSettings

    from gridmap.ui.app import create_app

    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "settings"))
    create_app([])
    QSettings().clear()
    yield tmp_path / "settings"
    QSettings().clear()


@pytest.fixture
def english(settings):
    """The UI in English for the test, back to Chinese after it."""
    from PySide6.QtCore import QSettings

    from gridmap.ui import i18n

    QSettings().setValue("language", "en")
    i18n.install("en")
    yield settings
    i18n.install("zh_CN")


# the throwaway PostgreSQL/PostGIS cluster (pg_server, pg_url): see tests/pg_cluster.py
from pg_cluster import pg_server, pg_url  # noqa: E402,F401
