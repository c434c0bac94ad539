"""Opening in two stages (issue 21): the grids first, the other tables in the background.

The plan the window ends with is the plan one plain read of the file gives (every table, column,
type and value); while the other tables are read nothing can be edited or saved; a failure of the
background read shows the same clear message as a failed opening and leaves no half plan to save;
a whole-plan check stops between the batches of a level when cancelled."""

from __future__ import annotations

import hashlib
import sqlite3
import sys
import threading
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import pytest
import shapely

from gridmap.core.plan import TABLES, Plan
from gridmap.core.storage import StoreError, save_plan
from gridmap.core.storage.gpkg import GpkgStore, is_partial

pytestmark = pytest.mark.ui

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def city_file(tmp_path_factory):
    """A citygen plan (people, roles, segments, places, injected problems) with rows in the
    assessment tables, a text column with missing values and a named version."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import citygen

    plan = citygen.generate(400, seed=5, inject=True).plan
    g = [int(i) for i in plan.grids.index[:3]]
    plan.assess_items = pd.DataFrame({"name": ["巡查", "台账"], "max_points": [10.0, None], "order": [1, 2],
                                      "notes": ["", ""]}, index=pd.Index([1, 2], name="id"))
    plan.ledger = pd.DataFrame({"grid": g, "grid_code": ["a", "b", "c"], "date": ["2026-01-02"] * 3,
                                "matter": ["噪音", "", "占道"], "visitors": ["", "", ""], "contact": [""] * 3,
                                "outcome": [""] * 3, "category": ["x"] * 3, "handled_by": [""] * 3},
                               index=pd.Index([1, 2, 3], name="id"))
    path = tmp_path_factory.mktemp("staged") / "city.gpkg"
    save_plan(plan, path)
    with sqlite3.connect(path) as con:       # a column another GIS added, with NULLs
        con.execute("ALTER TABLE people ADD COLUMN badge TEXT")
        con.execute("UPDATE people SET badge = 'B' || id WHERE id % 3 = 0")
    con.close()
    from gridmap.core.storage import open_plan
    from gridmap.core.versions.store import save_version

    p = open_plan(path)
    save_version(p, "第一版", author="测试")
    save_plan(p, path, force=True)
    return path


def plain_read(path) -> Plan:
    """The reference: every layer read in one pyogrio call, the plan built in one go."""
    from gridmap.core.levels import Level
    from gridmap.core.storage.gpkg import _single, check_project, _plan_crs

    settings, layers = check_project(path)
    crs = _plan_crs(Path(path), settings)
    levels = [Level.from_record(r) for r in
              pd.DataFrame(pyogrio.read_dataframe(path, layer="levels", read_geometry=False))
              .sort_values("order").to_dict("records")]

    def table(name, geometry):
        if name not in layers:
            return None
        df = pyogrio.read_dataframe(path, layer=name, read_geometry=geometry)
        df = (df if geometry else pd.DataFrame(df)).set_index("id")
        if geometry:
            df = gpd.GeoDataFrame(df, geometry="geometry", crs=crs)
            df = df.set_geometry(_single(df.geometry.values), crs=crs)
        return df

    grids = table("grids", True).drop(columns=["parent_code", "level_name", "area_m2"])
    j = pyogrio.read_dataframe(path, layer="jurisdiction")
    jur = _single(np.array([shapely.union_all(j.geometry.values)]))[0] if len(j) else None
    extra = {k: v for k, v in settings.items() if k not in ("application", "format_version", "name", "crs",
                                                            "admin_code", "revision", "saved_by", "saved_at")}
    versions = pd.DataFrame(pyogrio.read_dataframe(path, layer="versions", read_geometry=False)) \
        if "versions" in layers else None
    return Plan(name=settings.get("name"), crs=crs, admin_code=settings.get("admin_code", ""), levels=levels,
                jurisdiction=jur, grids=grids, settings=extra, versions=versions,
                **{a: table(a, geom) for a, _, geom in TABLES if a != "grids"})


def assert_same_plan(a: Plan, b: Plan) -> None:
    assert (a.name, a.admin_code, a.crs, a.settings) == (b.name, b.admin_code, b.crs, b.settings)
    assert [vars(x) for x in a.levels] == [vars(x) for x in b.levels]
    assert shapely.equals_exact(a.jurisdiction, b.jurisdiction, 0)
    for attr, _, geometry in TABLES + (("versions", None, False),):
        x, y = getattr(a, attr), getattr(b, attr)
        assert (x is None) == (y is None), attr
        if x is None:
            continue
        assert list(x.columns) == list(y.columns), attr
        assert list(x.dtypes.astype(str)) == list(y.dtypes.astype(str)), attr
        assert x.index.equals(y.index) and x.index.dtype == y.index.dtype, attr
        if geometry:
            assert x.crs == y.crs, attr
            assert bool(np.all(shapely.equals_exact(x.geometry.values, y.geometry.values, 0))), attr
            x, y = x.drop(columns="geometry"), y.drop(columns="geometry")
        pd.testing.assert_frame_equal(pd.DataFrame(x), pd.DataFrame(y), check_exact=True, obj=attr)


def _window(qtbot):
    from gridmap.ui.main_window import MainWindow

    w = MainWindow()
    w.confirm_close = False
    qtbot.addWidget(w)
    w.resize(1000, 720)
    w.show()
    return w


def test_staged_open_gives_the_plan_of_one_plain_read(qtbot, settings, city_file, monkeypatch):
    from gridmap.ui.main_window import MainWindow

    monkeypatch.setattr(GpkgStore, "CHUNK", 37)         # every table read in many pieces
    monkeypatch.setattr(MainWindow, "DEFER_PANELS", 0)   # hidden panels filled when shown, as at 100k
    monkeypatch.setattr(MainWindow, "STAGED_FROM", 0)    # opened in two stages, as from 5,000 grids
    ref = plain_read(city_file)
    assert len(ref.people) and len(ref.roles) and len(ref.segments) and len(ref.places) and len(ref.ledger)
    assert ref.people["badge"].isna().any() and len(ref.versions)
    w = _window(qtbot)
    w.open_path(city_file)
    assert w.wait_idle(60000)
    assert w.document is not None and not w.document.loading and not is_partial(w.document.plan)
    assert_same_plan(w.document.plan, ref)
    # and the core's own whole read is the same plan too (what the CLI opens)
    from gridmap.core.storage import open_plan
    assert_same_plan(open_plan(city_file), ref)
    # the panels put off while hidden get the plan when shown
    assert w.panel_pending("people") and w.people.plan is None
    w.docks["people"].show()
    w.docks["people"].raise_()
    qtbot.waitUntil(lambda: not w.panel_pending("people"), timeout=10000)
    assert w.people.plan is w.document.plan
    w.close()


def _gate(monkeypatch):
    """Hold the background read (stage 2) until the test lets it go."""
    from gridmap.ui.main_window import MainWindow

    monkeypatch.setattr(MainWindow, "STAGED_FROM", 0)
    go, entered = threading.Event(), threading.Event()
    real = GpkgStore.load_rest

    def held(self, *a, **k):
        entered.set()
        go.wait(60)
        return real(self, *a, **k)

    monkeypatch.setattr(GpkgStore, "load_rest", held)
    return go, entered


def test_while_loading_the_map_shows_and_nothing_can_be_edited_or_saved(qtbot, settings, city_file, monkeypatch):
    from gridmap.core.editing import commands as C

    go, entered = _gate(monkeypatch)
    w = _window(qtbot)
    before = hashlib.sha256(city_file.read_bytes()).hexdigest()
    w.open_path(city_file)
    qtbot.waitUntil(lambda: w.document is not None and entered.is_set(), timeout=30000)
    doc = w.document
    assert doc.loading and is_partial(doc.plan)
    assert len(doc.plan.grids) and not len(doc.plan.roles)          # the grids are there, the rest not yet
    assert any(l.kind == "grids" and len(l) for l in w.plan_layers)
    for key in ("save", "save_as", "split", "merge", "run_checks", "export_plan", "draw_grid"):
        assert not w.actions[key].isEnabled(), key
    assert w.actions["open"].isEnabled()
    assert "…" in w.windowTitle() or "loading" in w.windowTitle().lower() or "载入" in w.windowTitle()
    g = int(doc.plan.grids.index[0])
    assert not w.edit.push(C.set_grid_attributes(doc.plan, g, name="改"), "名称", kinds=())
    assert "载入" in w.edit.last_error or "loading" in w.edit.last_error.lower()
    w.run_checks()                                   # (the problems list's own button)
    assert not w.live.busy() and w.live.plan is None
    assert "载入" in w.status.currentMessage() or "loading" in w.status.currentMessage().lower()
    assert w._save_to(city_file, force=True) is False
    assert w.error_box is not None and w.error_box.isVisible()
    w.error_box.close()
    with pytest.raises(StoreError):                  # the core refuses half a plan too
        save_plan(doc.plan, city_file.with_name("half.gpkg"))
    assert not city_file.with_name("half.gpkg").exists()
    go.set()
    assert w.wait_idle(60000)
    assert not doc.loading and len(doc.plan.roles)
    assert w.actions["save"].isEnabled() and w.actions["split"].isEnabled()
    assert w.edit.push(C.set_grid_attributes(doc.plan, g, name="改"), "名称", kinds=())
    assert hashlib.sha256(city_file.read_bytes()).hexdigest() == before     # nothing was written
    w.close()


def test_failed_background_read_shows_the_message_and_leaves_no_half_plan(qtbot, settings, city_file, tmp_path,
                                                                         monkeypatch):
    from gridmap.ui.main_window import MainWindow

    monkeypatch.setattr(MainWindow, "STAGED_FROM", 0)
    bad = tmp_path / "bad.gpkg"
    bad.write_bytes(city_file.read_bytes())
    with sqlite3.connect(bad) as con:                # stage 2's roles table has lost its id column
        con.execute("ALTER TABLE roles RENAME COLUMN id TO role_id")
    con.close()
    digest = hashlib.sha256(bad.read_bytes()).hexdigest()
    with pytest.raises(StoreError) as whole:          # what a one-step opening says about this file
        GpkgStore(bad).load()
    w = _window(qtbot)
    shown = []
    real = w.set_document
    w.set_document = lambda doc, *a, **k: (shown.append(doc), real(doc, *a, **k))
    w.open_path(bad)
    assert w.wait_idle(60000)
    # the grids were shown (stage 1), the failure came after, in the background read
    assert len(shown) == 1 and len(shown[0].plan.grids) and not len(shown[0].plan.roles)
    assert is_partial(shown[0].plan)
    box = w.error_box
    assert box is not None and box.isVisible()
    text = box.text()
    assert str(whole.value) in text and "roles" in text
    assert any("\u4e00" <= ch <= "\u9fff" for ch in text) and "Traceback" not in text
    assert w.document is None and w.plan_layers == []           # no half plan left in the window
    for key in ("save", "save_as", "split", "export_plan"):
        assert not w.actions[key].isEnabled(), key
    assert w.save() is False
    assert hashlib.sha256(bad.read_bytes()).hexdigest() == digest
    # the window goes on: another plan opens normally
    box.close()
    w.open_path(city_file)
    assert w.wait_idle(60000)
    assert w.document is not None and not w.document.loading and len(w.document.plan.roles)
    w.close()


def test_cancel_stops_a_level_check_between_batches(monkeypatch):
    """A cancelled whole-plan check stops inside the level it is checking (between two batches of
    its edge validation), not at the end of the level."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import citygen

    from gridmap.core.checks import coverage, runner
    from gridmap.core.workers import Cancelled

    plan = citygen.generate(900, seed=2, inject=True).plan
    small = plan.levels[-1].key
    assert (plan.grids["level"] == small).sum() > 20 * 20          # many batches in the lowest level
    monkeypatch.setattr(coverage, "EDGE_BATCH", 10 ** 9)
    full = runner.check_plan(plan)                   # the reference: each level validated in one call
    monkeypatch.setattr(coverage, "EDGE_BATCH", 20)
    seen: list[int] = []
    state = {"cancel": False}

    def progress(p):
        seen.append(p)
        if p >= 50:              # the lowest level runs from 42 % to 80 %: its edges are half done
            state["cancel"] = True

    with pytest.raises(Cancelled):
        runner.check_plan(plan, cancelled=lambda: state["cancel"], progress=progress)
    assert max(seen) < 80, seen                       # it stopped before the level's end
    assert len([p for p in seen if 42 <= p < 80]) >= 3, seen       # progress came batch by batch
    # not cancelled, the batched level check finds what it always did
    again = runner.check_plan(plan, progress=lambda p: None)
    assert again.summary() == full.summary() and len(again.problems) == len(full.problems)


def test_a_small_plan_is_read_whole_before_it_is_shown(qtbot, settings, city_file):
    """Below MainWindow.STAGED_FROM grids the window never shows a plan still loading."""
    w = _window(qtbot)
    shown = []
    real = w.set_document
    w.set_document = lambda doc, *a, **k: (shown.append((doc.plan, is_partial(doc.plan))), real(doc, *a, **k))
    w.open_path(city_file)
    assert w.wait_idle(60000)
    assert [p for _, p in shown] == [False] and len(shown[0][0].roles)
    assert_same_plan(w.document.plan, plain_read(city_file))
    w.close()


def test_cancelled_background_read_gives_no_plan(qtbot, settings, city_file, monkeypatch):
    """Cancel (the status bar's ✕) while the other tables are read: the half plan is closed, with a message."""
    go, entered = _gate(monkeypatch)
    w = _window(qtbot)
    w.open_path(city_file)
    qtbot.waitUntil(lambda: w.document is not None and entered.is_set(), timeout=30000)
    w._cancel_jobs()
    go.set()
    assert w.wait_idle(60000)
    assert w.document is None and not w.actions["save_as"].isEnabled()
    assert w.error_box is not None and city_file.name in w.error_box.text()
    w.close()
