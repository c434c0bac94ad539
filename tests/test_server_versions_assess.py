"""Plan versions and assessment/ledger/survey tables in the shared store (a real throwaway cluster):
publish writes them, open reads them back, ``gridmap version``/``gridmap assess`` work on the URL,
and the database refuses a planner's out-of-area assessment write."""

from __future__ import annotations

import json

import psycopg
import pytest

from gridmap.cli import main
from gridmap.core.assessment.ledger import add_record
from gridmap.core.assessment.scores import record_scores, template
from gridmap.core.assessment.survey import record_tallies
from gridmap.core.editing.buffer import EditBuffer
from gridmap.core.editing.changeset import plan_differences
from gridmap.core.editing.commands import SetCells
from gridmap.core.storage import StoreError, open_plan, save_plan
from gridmap.core.storage.checkout import commit_edit
from gridmap.core.storage.permissions import grant
from gridmap.core.storage.postgis import parse_url
from gridmap.core.versions.store import list_versions, load_version, save_version

WEST = "440306001000"          # grids 3-6 under it, 7-10 under the east


def _scores(plan, codes, base=10.0):
    items = template(plan)
    return [(c, n, min(float(m), base)) for c in codes for n, m in zip(items["name"], items["max_points"])]


def _assessed(plan):
    buf = EditBuffer(plan)
    codes = [plan.grids.at[g, "code"] for g in (3, 4, 7, 8)]
    buf.push(record_scores(plan, "2026-01", _scores(plan, codes)))
    buf.push(add_record(plan, codes[0], "2026-01-05", "入户走访", visitors="张三 13800000000", category="小事"))
    buf.push(record_tallies(plan, "2026-01", [(codes[0], "环卫保洁", 10, 5, 1, "")]))
    return plan


def test_versions_and_assessment_survive_publish_and_open(small_plan, pg_url):
    plan = _assessed(small_plan)
    save_version(plan, "2024年版", in_force="2024-01-01", author="张三", note="初版", time=0)
    plan.grids.at[3, "name"] = "改名后"
    save_version(plan, "2025年调整稿", time=0)
    save_plan(plan, pg_url)
    back = open_plan(pg_url)
    assert plan_differences(plan, back) == []                          # assess_*, ledger, survey included
    assert len(back.assess_scores) == len(plan.assess_scores) > 0 and len(back.ledger) == 1 == len(back.survey)
    assert list_versions(back).to_dict("records") == list_versions(plan).to_dict("records")
    for name in ("2024年版", "2025年调整稿"):
        assert plan_differences(load_version(plan, name), load_version(back, name)) == []
    assert load_version(back, "2024年版").grids.at[3, "name"] != "改名后"


def test_version_commands_on_the_server(small_plan, pg_url, tmp_path, capsys):
    save_plan(small_plan, pg_url)
    assert main(["version", "save", pg_url, "2024年版", "--in-force", "2024-01-01", "--note", "初版"]) == 0
    online = open_plan(pg_url)                     # someone renames a grid online
    cmd = SetCells("改名 Rename", "grids", 3, {"name": "线上改名"})
    commit_edit(online, cmd, author="王五")
    assert main(["version", "save", pg_url, "2025年调整稿"]) == 0
    capsys.readouterr()
    assert main(["version", "list", pg_url, "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [r["name"] for r in rows] == ["2024年版", "2025年调整稿"] and rows[1]["summary"] == "grids ~1"
    assert main(["version", "restore", pg_url, "2024年版"]) == 0
    assert open_plan(pg_url).grids.at[3, "name"] == small_plan.grids.at[3, "name"]   # restored, as a commit
    assert main(["version", "extract", pg_url, "2025年调整稿", "-o", str(tmp_path / "v.gpkg")]) == 0
    assert open_plan(tmp_path / "v.gpkg").grids.at[3, "name"] == "线上改名"
    assert main(["version", "delete", pg_url, "2024年版"]) == 0
    capsys.readouterr()
    assert [r["name"] for r in json.loads((main(["version", "list", pg_url, "--json"]), capsys.readouterr().out)[1])] \
        == ["2025年调整稿"]
    # a stale client cannot overwrite the versions someone else changed meanwhile
    stale = open_plan(pg_url)
    assert main(["version", "save", pg_url, "另一位"]) == 0
    save_version(stale, "过时的")
    from gridmap.core.storage.postgis import save_versions

    with pytest.raises(StoreError, match="someone else changed the versions"):
        save_versions(stale)


def test_assess_commands_on_the_server(small_plan, pg_url, tmp_path, capsys):
    save_plan(small_plan, pg_url)
    assert main(["assess", "sheet", pg_url, "--period", "2026-01", "-o", str(tmp_path / "blank.xlsx")]) == 0
    from gridmap.core.assessment.sheets import write_score_sheet

    scratch = open_plan(pg_url)                    # a filled-in sheet: the scores of the small grids
    EditBuffer(scratch).push(record_scores(scratch, "2026-01", _scores(scratch, list(scratch.grids.loc[
        scratch.grids["level"] == "small", "code"]))))
    sheet = tmp_path / "sheet.xlsx"
    write_score_sheet(scratch, sheet, [("2026-01", "monthly")])
    code = main(["assess", "import", pg_url, str(sheet)])
    io = capsys.readouterr()
    assert code == 0, io.err
    back = open_plan(pg_url)
    assert len(back.assess_scores) > 0 and set(back.assess_scores["period"]) == {"2026-01"}
    assert main(["assess", "rank", pg_url, "--period", "2026-01", "--json"]) == 0
    conninfo, schema = parse_url(pg_url)
    with psycopg.connect(conninfo) as conn:
        texts = [r[0] for r in conn.execute(f"SELECT text FROM {schema}.change_log").fetchall()]
    assert any("Import scores" in t for t in texts)                # one transaction in the change log


def _as(pg_server, user):
    return psycopg.connect(host=pg_server.host, port=pg_server.port, dbname=pg_server.database, user=user,
                           autocommit=True)


def _refused(conn, sql, params=()):
    try:
        return conn.execute(sql, params).rowcount == 0
    except psycopg.Error:
        return True


def test_out_of_area_assessment_writes_are_refused_by_the_database(small_plan, pg_server, pg_url):
    save_plan(_assessed(small_plan), pg_url)
    conninfo, schema = parse_url(pg_url)
    with psycopg.connect(conninfo, autocommit=True) as admin:
        grant(admin, schema, f"{schema}_w", "planner", [small_plan.grid_by_code(WEST)])
    t = schema
    with _as(pg_server, f"{schema}_w") as w:
        assert w.execute(f"UPDATE {t}.assess_scores SET notes = '本区' WHERE grid = 3").rowcount > 0     # own area
        assert _refused(w, f"UPDATE {t}.assess_scores SET score = 0 WHERE grid = 7")                   # east
        assert _refused(w, f"DELETE FROM {t}.assess_scores WHERE grid = 8")
        assert _refused(w, f"INSERT INTO {t}.assess_scores (id, grid, period, item, score) "
                           "VALUES (9999, 9, '2026-02', '环境卫生', 1)")
        assert _refused(w, f"UPDATE {t}.assess_scores SET grid = 7 WHERE grid = 3")                   # move it out
        assert _refused(w, f"INSERT INTO {t}.ledger (id, grid, matter) VALUES (9999, 10, 'x')")
        assert w.execute(f"INSERT INTO {t}.ledger (id, grid, matter) VALUES (9998, 4, '走访')").rowcount == 1
        assert _refused(w, f"UPDATE {t}.survey SET satisfied = 0 WHERE grid <> ALL(ARRAY[3,4,5,6])")
        assert _refused(w, f"UPDATE {t}.assess_items SET max_points = 100")
        assert _refused(w, f"INSERT INTO {t}.versions (id, name) VALUES (99, '私自')")
    with psycopg.connect(conninfo) as conn:
        assert conn.execute(f"SELECT count(*) FROM {t}.assess_scores WHERE grid = 7 AND score = 0").fetchone()[0] == 0
        assert conn.execute(f"SELECT count(*) FROM {t}.ledger WHERE id = 9999").fetchone()[0] == 0
    # through gridmap: own area's scores go in, another area's are refused by the database
    url = pg_url.replace("gridmap_admin@", f"{schema}_w@")
    plan = open_plan(url)
    commit_edit(plan, record_scores(plan, "2026-02", _scores(plan, [plan.grids.at[5, "code"]])))
    plan = open_plan(url)
    with pytest.raises(StoreError, match="outside your assigned area"):
        commit_edit(plan, record_scores(plan, "2026-02", _scores(plan, [plan.grids.at[9, "code"]])))
    final = open_plan(pg_url)
    assert set(final.assess_scores.loc[final.assess_scores["period"] == "2026-02", "grid"]) == {5}
