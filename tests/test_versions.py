"""Plan versions and the diff (issue 16) on the sample plan: split 2 grids, merge 2, move 3
boundaries, swap 4 officers; the diff reports exactly those changes with the areas shapely
measures; versions saved in the file restore the original exactly."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pyogrio
import pytest
import shapely

from gridmap.core import lineage
from gridmap.core.editing.buffer import EditBuffer
from gridmap.core.editing.changeset import plan_differences
from gridmap.core.storage import open_plan, save_plan
from gridmap.core.versions import store as V
from gridmap.core.versions.diff import diff_plans, read_plan_ref

sys.path.insert(0, str(Path(__file__).parent))
from versions_support import edit_scenario  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "sample_layers" / "baoan_plan.gpkg"


@pytest.fixture
def edited():
    plan = open_plan(SAMPLE)
    original = plan.copy()
    done = edit_scenario(plan)
    return original, plan, done


def _role_names(plan):
    """(grid, role, name of the person or unit) of every role of ``plan``."""
    r = plan.roles
    names = []
    for p, u in zip(pd.array(r["person"], dtype="Int64"), pd.array(r["unit"], dtype="Int64")):
        names.append(str(plan.people.at[int(p), "name"]) if p is not pd.NA else str(plan.units.at[int(u), "name"]))
    return pd.DataFrame({"grid": r["grid"].astype(int).to_numpy(), "role": r["role"].astype(str).to_numpy(),
                         "name": names})


def _rel(a, b):
    return abs(a - b) / max(abs(b), 1e-12)


def test_diff_reports_exactly_the_edits_with_shapely_areas(edited):
    old, new, done = edited
    d = diff_plans(old, new)
    assert d["matching"]["method"] == "lineage"
    assert {k: v for k, v in d["summary"].items() if k not in ("people", "segments", "places")} == \
        {"split": 2, "merge": 1, "boundary": 3}
    og, ng = old.grids.geometry, new.grids.geometry
    by_type = {}
    for c in d["changes"]:
        by_type.setdefault(c["type"], []).append(c)
    # splits: the old grid, into itself and its new piece; area cut off = the piece = symmetric difference
    splits = {(c["old"][0]["id"], tuple(x["id"] for x in c["new"])): c for c in by_type["split"]}
    assert set(splits) == {(g, (g, n)) for g, n in done["split"]}
    for (g, (_, n)), c in splits.items():
        assert _rel(c["area_m2"], shapely.symmetric_difference(og[g], ng[g]).area) < 1e-6
        assert _rel(c["area_m2"], ng[n].area) < 1e-6
        assert new.grids.at[n, "lineage"].endswith(f"split:{g}")
    # the merge: the area of the merged-away grid = the kept grid's symmetric difference
    keep, other = done["merge"]
    (m,) = by_type["merge"]
    assert [x["id"] for x in m["old"]] == [keep, other] and [x["id"] for x in m["new"]] == [keep]
    assert _rel(m["area_m2"], og[other].area) < 1e-6
    assert _rel(m["area_m2"], shapely.symmetric_difference(og[keep], ng[keep]).area) < 1e-6
    assert lineage.sources(new.grids.at[keep, "lineage"], "merge") == [other]
    # boundaries: the area moved between each pair = the symmetric difference of either grid
    pairs = {tuple(sorted(x["id"] for x in c["new"])): c for c in by_type["boundary"]}
    assert set(pairs) == {tuple(sorted(p)) for p in done["boundary"]}
    for (a, b), c in pairs.items():
        for g in (a, b):
            assert _rel(c["area_m2"], shapely.symmetric_difference(og[g], ng[g]).area) < 1e-6
        assert {(f["from"]["id"], f["to"]["id"]) for f in c["flows"]} <= {(a, b), (b, a)}
        for f in c["flows"]:
            assert _rel(f["area_m2"], shapely.intersection(og[f["from"]["id"]], ng[f["to"]["id"]]).area) < 1e-6
            assert _rel(f["percent"], 100 * f["area_m2"] / og[f["from"]["id"]].area) < 1e-6
    # people: the four swapped officers, and the people the merged-away grid brought
    people = {e["grid"]["id"]: e for e in d["people"]}
    swapped = {g for p in done["swap"] for g in p}
    # … and the pieces of the splits, which got copies of their grid's people (marked 待确认, issue 21)
    pieces = set(ng.index) - set(og.index)
    assert swapped | {keep} <= set(people) <= swapped | {keep} | pieces
    name = old.people["name"]
    for g1, g2 in done["swap"]:
        for a, b in ((g1, g2), (g2, g1)):
            left = {x["name"] for x in people[a]["left"]}
            came = {x["name"] for x in people[a]["came"]}
            assert len(left) == len(came) == 1
            assert came == {x["name"] for x in people[b]["left"]}
            assert left <= set(name) and all(x["role"] == "officer" for x in people[a]["left"])
    # who came to the kept grid: the roles of the merged-away grid it did not already have
    # (a unit responsible for both grids did not "come")
    rr = _role_names(old)
    brought = {(r, n) for g, r, n in rr.itertuples(index=False) if g == other} - \
        {(r, n) for g, r, n in rr.itertuples(index=False) if g == keep}
    assert {(x["role"], x["name"]) for x in people[keep]["came"]} == brought and not people[keep]["left"]
    assert len(brought) == 4
    # segments and places of the merged-away grid now belong to the kept one
    # (edits may also re-home segments along moved boundaries: each one reported really changed grid)
    merged_away = set(old.segments.index[old.segments["grid"] == other])
    seg = {s["id"]: s for s in d["segments"]}
    assert merged_away <= set(seg)
    assert all(seg[i]["new_grid"]["id"] == keep and not seg[i]["officer_changed"] for i in merged_away)
    really = {int(i) for i in old.segments.index.intersection(new.segments.index)
              if str(old.segments.at[i, "grid"]) != str(new.segments.at[i, "grid"])}
    assert set(seg) == really
    pl = {s["id"]: s for s in d["places"]}
    assert set(old.places.index[old.places["grid"] == other]) <= set(pl)
    assert set(pl) == {int(i) for i in old.places.index.intersection(new.places.index)
                       if str(old.places.at[i, "grid"]) != str(new.places.at[i, "grid"])}


def test_no_change_no_diff():
    plan = open_plan(SAMPLE)
    d = diff_plans(plan, plan.copy())
    assert d["changes"] == [] and d["people"] == [] and d["segments"] == []


def test_versions_in_the_file_restore_the_original_exactly(tmp_path, edited):
    original, _, _ = edited
    path = tmp_path / "plan.gpkg"
    shutil.copy(SAMPLE, path)
    plan = open_plan(path)
    V.save_version(plan, "2024年版", in_force="2024-01-01", author="规划科", note="初版")
    save_plan(plan, path)
    plan = open_plan(path)
    edit_scenario(plan)
    edited_state = plan.copy()
    V.save_version(plan, "2025年调整稿", in_force="2025-03-01")
    save_plan(plan, path)
    # the second version stores only what changed
    reopened = open_plan(path)
    rows = V.list_versions(reopened)
    assert rows["name"].tolist() == ["2024年版", "2025年调整稿"]
    assert rows["in_force"].tolist() == ["2024-01-01", "2025-03-01"]
    sizes = [len(t) for t in reopened.versions["changes"]]
    assert sizes[1] < sizes[0] / 4      # (split pieces carry their segments, places and copied roles)
    assert plan_differences(V.load_version(reopened, "2024年版"), original) == []
    assert plan_differences(V.load_version(reopened, "2025年调整稿"), edited_state) == []
    # restore: one undoable step; identical to the original; undo gives the edited plan back
    buf = EditBuffer(reopened)
    buf.push(V.restore_command(reopened, V.load_version(reopened, "2024年版")))
    assert plan_differences(reopened, original) == []
    buf.undo()
    assert plan_differences(reopened, edited_state) == []
    buf.redo()
    save_plan(reopened, path)
    again = open_plan(path)
    assert plan_differences(again, original) == []
    assert len(V.list_versions(again)) == 2
    # a diff of two versions of the file = the diff of the plans
    d = diff_plans(read_plan_ref(f"{path}@2024年版").plan, read_plan_ref(f"{path}@2025年调整稿").plan, shared=True)
    assert d["summary"]["split"] == 2 and d["summary"]["merge"] == 1 and d["summary"]["boundary"] == 3
    # deleting the first version keeps the second as it was
    V.delete_version(again, "2024年版")
    assert plan_differences(V.load_version(again, "2025年调整稿"), edited_state) == []


def test_lineage_is_undone_with_the_edit_and_survives_saving(tmp_path):
    from gridmap.core.editing.steps import split_grids
    from versions_support import _cut_line

    plan = open_plan(SAMPLE)
    buf = EditBuffer(plan)
    g = int(plan.grids_of_level("small").index[0])
    before = set(plan.grids.index)
    buf.push(split_grids(plan, [g], _cut_line(plan.grids.geometry[g])))
    (n,) = set(plan.grids.index) - before
    assert plan.grids.at[n, "lineage"] == f"split:{g}"
    save_plan(plan, tmp_path / "p.gpkg")
    assert open_plan(tmp_path / "p.gpkg").grids.at[n, "lineage"] == f"split:{g}"
    buf.undo()
    assert n not in plan.grids.index


def test_unrelated_files_are_matched_by_code_then_overlap(edited):
    old, new, done = edited
    # the new plan as another system would write it: other ids, two codes lost
    other = new.copy()
    perm = {int(g): 1000 + k for k, g in enumerate(np.random.default_rng(0).permutation(other.grids.index))}
    g = other.grids.rename(index=perm)
    g["parent"] = [p if p is None or p is pd.NA or p != p else perm.get(int(p), p) for p in g["parent"].astype(object)]
    g.loc[[perm[done["swap"][0][0]], perm[done["swap"][0][1]]], "code"] = ""
    other.grids = g.sort_index()
    other.roles["grid"] = [perm[int(x)] for x in other.roles["grid"]]
    def renumber(col):
        return [x if x is None or x is pd.NA or x != x else perm.get(int(x), x) for x in col.astype(object)]

    other.segments["grid"] = renumber(other.segments["grid"])
    other.places["grid"] = renumber(other.places["grid"])
    other.__post_init__()
    d = diff_plans(old, other)
    assert d["matching"]["method"] == "code+overlap"
    assert d["matching"]["by_overlap"] == 2
    kinds = {c["type"] for c in d["changes"]}
    assert {"split", "merge", "boundary"} <= kinds
    assert d["summary"]["boundary"] == 3 and d["summary"]["merge"] == 1 and d["summary"]["split"] == 2
    assert d["summary"].get("recoded") == 2        # the two codes that were lost


def _cli(*args, cwd=ROOT):
    return subprocess.run([sys.executable, "-m", "gridmap", *map(str, args)], capture_output=True, text=True,
                          cwd=cwd, timeout=300)


def test_cli_versions_and_diff(tmp_path):
    path = tmp_path / "plan.gpkg"
    shutil.copy(SAMPLE, path)
    r = _cli("version", "save", path, "2024年版", "--in-force", "2024-01-01", "--note", "初版")
    assert r.returncode == 0, r.stderr
    plan = open_plan(path)
    edit_scenario(plan)
    save_plan(plan, path)
    assert _cli("version", "save", path, "2025年调整稿").returncode == 0
    r = _cli("version", "list", path, "--json")
    assert [v["name"] for v in json.loads(r.stdout)] == ["2024年版", "2025年调整稿"]
    r = _cli("diff", f"{path}@2024年版", path, "--json", "--out", tmp_path / "c.gpkg", "--table", tmp_path / "c.xlsx",
             "--map", tmp_path / "c.pdf")
    assert r.returncode == 1, r.stderr
    d = json.loads(r.stdout)
    assert d["format"] == "gridmap-diff/1" and d["matching"]["method"] == "lineage"
    assert {k: d["summary"][k] for k in ("split", "merge", "boundary", "people")} == \
        {"split": 2, "merge": 1, "boundary": 3, "people": 7}    # 5 + the 2 split pieces' copied people
    layer = pyogrio.read_dataframe(tmp_path / "c.gpkg", layer="changes")
    assert sorted(layer["type"]) == sorted(c["type"] for c in d["changes"])
    assert (tmp_path / "c.pdf").stat().st_size > 10_000
    from openpyxl import load_workbook

    ws = load_workbook(tmp_path / "c.xlsx").active
    assert [c.value for c in ws[2]][1:6] == ["原网格", "新网格", "变更类型", "面积变化", "责任人变化"]
    # outputs are never overwritten silently
    r = _cli("diff", f"{path}@2024年版", path, "--table", tmp_path / "c.xlsx")
    assert r.returncode == 2 and "已存在" in r.stderr and "exists" in r.stderr
    # restore: the plan is then the original; the present state was saved as 2025年调整稿 already
    r = _cli("version", "restore", path, "2024年版")
    assert r.returncode == 0, r.stderr
    assert plan_differences(open_plan(path), open_plan(SAMPLE)) in ([], ["settings"])
    assert len(V.list_versions(open_plan(path))) == 2
    # a present state that is in no version is kept as one before restoring
    plan = open_plan(path)
    g = int(plan.grids.index[0])
    plan.grids.loc[g, "name"] = "未存版本的名称"
    save_plan(plan, path)
    r = _cli("version", "restore", path, "2024年版")
    assert r.returncode == 0 and "恢复前" in r.stdout, r.stderr
    rows = V.list_versions(open_plan(path))
    assert len(rows) == 3 and rows["name"].iloc[-1].startswith("恢复前自动保存")
    assert V.load_version(open_plan(path), int(rows["id"].iloc[-1])).grids.at[g, "name"] == "未存版本的名称"
    assert open_plan(path).grids.at[g, "name"] != "未存版本的名称"
    assert _cli("diff", f"{path}@2024年版", path).returncode == 0
    r = _cli("version", "delete", path, "nope")
    assert r.returncode == 2 and "没有名为" in r.stderr and "no version called" in r.stderr
    assert "Traceback" not in r.stderr


def test_formula_like_names_stay_text_in_the_change_table(tmp_path, edited):
    from openpyxl import load_workbook

    from gridmap.core.versions.outputs import write_change_table

    old, new, done = edited
    new.grids.loc[done["split"][0][1], "name"] = "=HYPERLINK(\"http://x\")"
    d = diff_plans(old, new)
    write_change_table(d, tmp_path / "t.xlsx")
    ws = load_workbook(tmp_path / "t.xlsx").active
    cells = [c for row in ws.iter_rows() for c in row if isinstance(c.value, str) and c.value.startswith("=")]
    assert all(c.data_type == "s" for c in cells)
    write_change_table(d, tmp_path / "t.csv")
    assert "'=HYPERLINK" in (tmp_path / "t.csv").read_text(encoding="utf-8-sig") or \
        "=HYPERLINK" not in (tmp_path / "t.csv").read_text(encoding="utf-8-sig").split(",")[0]
