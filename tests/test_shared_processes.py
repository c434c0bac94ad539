"""Two processes commit at once to the same grid, and to neighbouring grids: exactly one wins,
the other is told (never a lost update).  Both read the plan first, then commit on a signal."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from gridmap.core.storage import open_plan, save_plan

CLIENT = textwrap.dedent("""
    import sys
    from gridmap.core.editing.changeset import changeset
    from gridmap.core.editing.commands import SetCells
    from gridmap.core.storage import open_plan
    from gridmap.core.storage.shared import EditConflict, commit
    url, grid, name = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    plan = open_plan(url)
    print("ready", flush=True)
    sys.stdin.readline()
    cmd = SetCells("改名", "grids", grid, {"name": name})
    cmd.redo(plan)
    try:
        commit(plan, changeset(cmd, author=name))
        print("ok", flush=True)
    except EditConflict as exc:
        print("conflict", exc.by, flush=True)
""")


@pytest.mark.parametrize("grids", [(5, 5), (3, 4)], ids=["same grid", "neighbouring grids"])
def test_two_processes_one_wins(small_plan, pg_url, repo_root, grids):
    save_plan(small_plan, pg_url)
    procs = [subprocess.Popen([sys.executable, "-c", CLIENT, pg_url, str(g), f"p{k}"], cwd=repo_root,
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
                              env={**__import__("os").environ, "PYTHONPATH": str(repo_root)})
             for k, g in enumerate(grids)]
    for p in procs:
        assert p.stdout.readline().strip() == "ready"
    for p in procs:
        p.stdin.write("go\n")
        p.stdin.flush()
    results = [p.communicate(timeout=120)[0].strip() for p in procs]
    assert sorted(r.split()[0] for r in results) == ["conflict", "ok"], results
    winner = results.index("ok")
    loser = results[1 - winner]
    assert loser == f"conflict p{winner}"                      # the loser is told whose change won
    final = open_plan(pg_url)
    assert final.grids.at[grids[winner], "name"] == f"p{winner}"
    if grids[0] != grids[1]:
        assert final.grids.at[grids[1 - winner], "name"] == small_plan.grids.at[grids[1 - winner], "name"]
