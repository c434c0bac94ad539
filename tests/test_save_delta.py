"""Delta save (issue 21): a save writes only the rows changed since the last save, in one SQLite
transaction; the file stays a GeoPackage GDAL reads (R-tree, feature counts, extents), readable
while a save runs, and a save killed at any moment leaves the old or the new state."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pyogrio
import pytest
from shapely import Point, box

from gridmap.core.editing.buffer import EditBuffer
from gridmap.core.editing.changeset import plan_differences
from gridmap.core.editing.commands import AddRow, DeleteRow, SetCells, SetGeometries, SetJurisdiction, SetSetting
from gridmap.core.storage import ConflictError, open_plan, save_plan
from gridmap.core.storage.delta import SaveTracker
from gridmap.core.storage.gpkg import GpkgStore

ROOT = Path(__file__).resolve().parents[1]


def _opened(path):
    plan = open_plan(path)
    buf = EditBuffer(plan)
    return plan, buf, SaveTracker(buf)


def _save(plan, tracker, path, **kw):
    delta = tracker.delta(plan)
    tracker.take()
    return GpkgStore(path).save(plan, delta=delta, **kw)


def _rows(path, table):
    con = sqlite3.connect(path)
    try:
        cols = [r[1] for r in con.execute(f'PRAGMA table_info("{table}")')]
        return {r[cols.index("id")]: r for r in con.execute(f'SELECT * FROM "{table}"')}
    finally:
        con.close()


def _gdal_ok(path):
    """What GDAL needs: integrity, feature counts, the R-tree of every row, the extent covering all."""
    con = sqlite3.connect(path)
    try:
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        for t, in con.execute("SELECT table_name FROM gpkg_ogr_contents"):
            n = con.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0]
            assert con.execute("SELECT feature_count FROM gpkg_ogr_contents WHERE table_name = ?",
                               (t,)).fetchone()[0] == n, t
        for t, g in con.execute("SELECT table_name, column_name FROM gpkg_geometry_columns").fetchall():
            rt = f"rtree_{t}_{g}"
            fids = {r[0] for r in con.execute(f'SELECT fid FROM "{t}" WHERE "{g}" IS NOT NULL')}
            assert {r[0] for r in con.execute(f'SELECT id FROM "{rt}"')} == fids, t
            ext = con.execute("SELECT min_x, min_y, max_x, max_y FROM gpkg_contents WHERE table_name = ?",
                              (t,)).fetchone()
            tree = con.execute(f'SELECT min(minx), min(miny), max(maxx), max(maxy) FROM "{rt}"').fetchone()
            if tree[0] is not None:       # (the R-tree keeps float32 boxes, rounded outwards)
                assert ext[0] <= tree[0] + 1 and ext[1] <= tree[1] + 1
                assert ext[2] >= tree[2] - 1 and ext[3] >= tree[3] - 1
    finally:
        con.close()


@pytest.fixture
def plan_path(tmp_path, small_plan):
    path = tmp_path / "方案.gpkg"
    save_plan(small_plan, path)
    return path


def test_one_edit_writes_only_its_rows(plan_path):
    plan, buf, tracker = _opened(plan_path)
    before = _rows(plan_path, "grids")
    people_before = _rows(plan_path, "people")
    g = int(plan.grids_of_level("small").index[2])
    buf.push(SetCells("改名", "grids", g, {"name": "新名字"}))
    info = _save(plan, tracker, plan_path)
    assert info["mode"] == "delta" and info["rows"] == 1 and info["tables"] == ["grids"]
    after = _rows(plan_path, "grids")
    assert set(after) == set(before)
    changed = {i for i in after if after[i] != before[i]}
    assert changed == {g}                                 # every other row: same fid, same bytes
    assert after[g][0] == before[g][0]                    # the edited row keeps its fid (UPDATE in place)
    assert _rows(plan_path, "people") == people_before
    assert plan_differences(plan, open_plan(plan_path)) == []
    _gdal_ok(plan_path)


def test_every_kind_of_change_round_trips_and_gdal_reads_it(plan_path):
    plan, buf, tracker = _opened(plan_path)
    small = plan.grids_of_level("small")
    a, b = int(small.index[0]), int(small.index[1])
    far = box(520_000, 2_520_000, 520_050, 2_520_050)          # grows the layer's extent
    buf.push(SetGeometries("移动", {a: far}))
    new_id = int(plan.grids.index.max()) + 1
    row = {c: plan.grids.at[b, c] for c in plan.grids.columns if c != "geometry"}
    row.update(name="新网格", code="44030600100099", geometry=box(500_000, 2_500_000, 500_010, 2_500_010))
    buf.push(AddRow("新增", "grids", row, new_id=new_id))
    buf.push(DeleteRow("删除", "grids", b))
    large = int(plan.grids_of_level("large").index[0])
    buf.push(SetCells("改编码", "grids", large, {"code": "44030600199"}))     # its children's parent_code
    buf.push(AddRow("人员", "people", {"name": "王五", "post": "网格员"}, new_id=77))
    buf.push(DeleteRow("删段", "segments", int(plan.segments.index[0])))
    buf.push(AddRow("场所", "places", {"name": "新小区", "kind": "小区", "geometry": Point(500_100, 2_500_100)},
                    new_id=5))
    buf.push(SetSetting("设置", "note", "保存测试"))
    buf.push(SetJurisdiction("辖区", box(499_990, 2_499_990, 500_310, 2_500_210)))
    buf.undo()
    buf.redo()
    info = _save(plan, tracker, plan_path)
    assert info["mode"] == "delta"
    back = open_plan(plan_path)
    assert plan_differences(plan, back) == []
    from gridmap.core.storage.identity import read_settings

    assert back.settings["note"] == "保存测试" and read_settings(plan_path)["revision"] == "2"
    kids = back.grids[back.grids["parent"] == large].index
    assert len(kids) and set(pyogrio.read_dataframe(plan_path, layer="grids").set_index("id").loc[kids, "parent_code"]) \
        == {"44030600199"}
    # GDAL's spatial filter goes through the R-tree: the moved grid is found where it now is
    hit = pyogrio.read_dataframe(plan_path, layer="grids", bbox=(519_990, 2_519_990, 520_060, 2_520_060))
    assert list(hit["id"]) == [a]
    assert pyogrio.read_info(plan_path, layer="grids")["features"] == len(plan.grids)
    _gdal_ok(plan_path)
    # and the next save after it is a delta again
    buf.push(SetCells("改名", "grids", a, {"name": "再改"}))
    assert _save(plan, tracker, plan_path)["rows"] == 1
    assert plan_differences(plan, open_plan(plan_path)) == []


def test_full_rewrite_when_the_delta_cannot_be_known(plan_path, tmp_path, caplog):
    plan, buf, tracker = _opened(plan_path)
    plan.grids["extra"] = "新列"                            # a column the file does not have
    buf.push(SetCells("改名", "grids", int(plan.grids.index[0]), {"name": "乙"}))
    with caplog.at_level("INFO", logger="gridmap.storage"):
        info = _save(plan, tracker, plan_path)
    assert info["mode"] == "full" and "extra" in info["reason"]
    assert "rewrote the whole file" in caplog.text
    back = open_plan(plan_path)
    assert set(back.grids["extra"]) == {"新列"} and back.grids.at[int(plan.grids.index[0]), "name"] == "乙"
    buf.push(SetCells("改名", "grids", int(plan.grids.index[0]), {"name": "甲"}))
    other = tmp_path / "另存.gpkg"
    info = GpkgStore(other).save(plan, delta=tracker.delta(plan))               # Save As
    assert info["mode"] == "full" and "does not exist" in info["reason"]


def test_another_writer_is_never_overwritten_silently(plan_path):
    plan, buf, tracker = _opened(plan_path)
    other = open_plan(plan_path)
    other.grids.loc[other.grids.index[0], "name"] = "别处的名字"
    save_plan(other, plan_path)
    buf.push(SetCells("改名", "grids", int(plan.grids.index[1]), {"name": "窗口里的名字"}))
    delta = tracker.delta(plan)
    with pytest.raises(ConflictError):
        GpkgStore(plan_path).save(plan, delta=delta)
    assert "别处的名字" in set(open_plan(plan_path).grids["name"])
    info = GpkgStore(plan_path).save(plan, delta=delta, force=True)    # told to: the whole file
    assert info["mode"] == "full"
    assert plan_differences(plan, open_plan(plan_path)) == []


def test_file_is_readable_by_gdal_in_another_process_during_a_save(plan_path):
    plan, buf, tracker = _opened(plan_path)
    g = int(plan.grids.index[0])
    buf.push(SetCells("改名", "grids", g, {"name": "保存中"}))
    reads = []

    def hold(con):
        # the transaction has written its rows and not yet committed: another process reads the file
        code = ("import sys, pyogrio; d = pyogrio.read_dataframe(sys.argv[1], layer='grids');"
                "print(len(d), '保存中' in set(d['name']))")
        out = subprocess.run([sys.executable, "-c", code, str(plan_path)], capture_output=True, text=True,
                             timeout=120, env={**os.environ, "PYTHONPATH": str(ROOT)})
        reads.append((out.returncode, out.stdout.strip(), out.stderr[-500:]))

    store = GpkgStore(plan_path)
    store._hold = hold
    store.save(plan, delta=tracker.delta(plan))
    assert reads[0][0] == 0, reads[0][2]
    assert reads[0][1] == f"{len(plan.grids)} False"       # the old state, whole, while the save runs
    assert "保存中" in set(open_plan(plan_path).grids["name"])
    assert not Path(str(plan_path) + "-wal").exists()       # one file again afterwards


_SAVER = textwrap.dedent("""
    import sys
    from gridmap.core.storage import open_plan
    from gridmap.core.storage.gpkg import GpkgStore
    from gridmap.core.storage.delta import SaveTracker
    from gridmap.core.editing.buffer import EditBuffer
    from gridmap.core.editing.commands import Macro, SetCells
    path = sys.argv[1]
    plan = open_plan(path)
    buf = EditBuffer(plan); tracker = SaveTracker(buf)
    k = 0
    while True:
        k += 1
        name = f"第{k}次"
        buf.push(Macro("全部改名", [SetCells("", "grids", int(i), {"name": name}) for i in plan.grids.index]))
        delta = tracker.delta(plan); tracker.take()
        GpkgStore(path).save(plan, delta=delta)
        print(name, flush=True)
""")


def test_a_save_killed_at_any_moment_leaves_a_readable_file(tmp_path):
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import citygen

    path = tmp_path / "城市.gpkg"
    save_plan(citygen.generate(1500, seed=2, inject=False).plan, path)
    n = len(open_plan(path).grids)
    rng = random.Random(21)
    saved = set()
    for trial in range(8):
        p = subprocess.Popen([sys.executable, "-c", _SAVER, str(path)], stdout=subprocess.PIPE, text=True,
                             env={**os.environ, "PYTHONPATH": str(ROOT)})
        try:
            first = p.stdout.readline().strip()          # one save done: now kill it somewhere in the next ones
            assert first, "the saving process did not start"
            time.sleep(rng.uniform(0.0, 1.5))
        finally:
            p.send_signal(signal.SIGKILL)
            p.wait()
        d = pyogrio.read_dataframe(path, layer="grids")          # GDAL opens it (a -wal is applied or dropped)
        names = set(d["name"])
        assert len(d) == n and len(names) == 1, names           # all of one save, never half of one
        saved |= names
        _gdal_ok(path)
        assert plan_differences(open_plan(path), open_plan(path)) == []
    assert len(saved) >= 1


def test_plan_and_level_renames_reach_the_rows_that_carry_them(plan_path):
    import dataclasses

    plan, buf, tracker = _opened(plan_path)
    plan.name = "改名后的方案"
    plan.levels[-1] = dataclasses.replace(plan.levels[-1], name="单元网格")
    buf.push(SetCells("改名", "grids", int(plan.grids.index[0]), {"name": "甲"}))
    assert _save(plan, tracker, plan_path)["mode"] == "delta"
    j = pyogrio.read_dataframe(plan_path, layer="jurisdiction")
    assert list(j["name"]) == ["改名后的方案"]
    g = pyogrio.read_dataframe(plan_path, layer="grids", read_geometry=False)
    small = plan.levels[-1].key
    assert set(g.loc[g["level"] == small, "level_name"]) == {"单元网格"}
    back = open_plan(plan_path)
    assert back.name == "改名后的方案" and back.levels[-1].name == "单元网格"
    _gdal_ok(plan_path)
