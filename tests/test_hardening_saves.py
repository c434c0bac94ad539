"""Nothing lost: two processes saving one plan, newer formats, lock files, clear save errors."""

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from gridmap.core.storage import ConflictError, StoreError, open_plan, save_plan
from gridmap.core.storage import lock

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "sample_layers" / "baoan_plan.gpkg"

SCRIPT = textwrap.dedent("""
    import sys, time, pathlib
    from gridmap.core.storage import open_plan, save_plan, ConflictError
    path, tag, ready, go = sys.argv[1:5]
    plan = open_plan(path)
    plan.name = tag
    pathlib.Path(ready).write_text("1")
    while not pathlib.Path(go).exists():
        time.sleep(0.01)
    try:
        save_plan(plan, path)
    except ConflictError as exc:
        print("CONFLICT", exc); sys.exit(3)
    print("SAVED")
""")


def test_two_processes_one_conflict_nothing_lost(tmp_path):
    import shutil
    import time

    path = tmp_path / "p.gpkg"
    shutil.copy(SAMPLE, path)
    script = tmp_path / "s.py"
    script.write_text(SCRIPT)
    procs = []
    for tag in ("A", "B"):
        procs.append(subprocess.Popen([sys.executable, str(script), str(path), tag, str(tmp_path / f"r{tag}"),
                                       str(tmp_path / "go")], env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
                                      stdout=subprocess.PIPE, text=True))
    while not all((tmp_path / f"r{t}").exists() for t in "AB"):
        time.sleep(0.02)
    (tmp_path / "go").write_text("1")
    outs = [(p.wait(timeout=120), p.stdout.read()) for p in procs]
    codes = sorted(c for c, _ in outs)
    assert codes == [0, 3], outs
    winner = "A" if outs[0][0] == 0 else "B"
    assert open_plan(path).name == winner
    assert "CONFLICT" in [o for c, o in outs if c == 3][0]


def test_conflict_in_process_and_force(tmp_path):
    import shutil

    path = tmp_path / "p.gpkg"
    shutil.copy(SAMPLE, path)
    a, b = open_plan(path), open_plan(path)
    a.name = "A"
    save_plan(a, path)
    b.name = "B"
    with pytest.raises(ConflictError) as err:
        save_plan(b, path)
    assert "@" in err.value.saved_by
    assert open_plan(path).name == "A"
    save_plan(b, path, force=True)
    assert open_plan(path).name == "B"


def test_newer_format_refused(tmp_path):
    import shutil
    import sqlite3

    path = tmp_path / "p.gpkg"
    shutil.copy(SAMPLE, path)
    con = sqlite3.connect(path)
    con.execute("UPDATE settings SET value='99' WHERE key='format_version'")
    con.commit()
    con.close()
    with pytest.raises(StoreError, match="newer gridmap"):
        open_plan(path)
    for args in (["info", str(path)], ["check", str(path), "--layer", "grids"],
                 ["import", str(path), "-o", str(tmp_path / "o.gpkg")], ["export", str(path), "-f", "csv", "-o",
                                                                          str(tmp_path / "x")]):
        r = subprocess.run([sys.executable, "-m", "gridmap", *args], capture_output=True, text=True,
                           env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})
        assert r.returncode == 2 and "newer gridmap" in r.stderr and "Traceback" not in r.stderr, (args, r.stderr)
    assert not (tmp_path / "o.gpkg").exists()


def test_lock_stale_and_live(tmp_path):
    path = tmp_path / "p.gpkg"
    path.write_bytes(b"")
    lock.acquire(path)
    assert lock.other_holder(path) is None  # mine
    p = subprocess.Popen([sys.executable, "-c", "pass"])
    p.wait()
    import json
    import socket
    lock.lock_path(path).write_text(json.dumps({"user": "u", "host": socket.gethostname(), "pid": p.pid,
                                                "time": "T"}))
    assert lock.other_holder(path) is None and not lock.lock_path(path).exists()  # stale: removed


def test_read_only_folder_clear_message(tmp_path, small_plan=None):
    import os
    import shutil

    if os.geteuid() == 0:
        pytest.skip("root writes into read-only folders")
    folder = tmp_path / "ro"
    folder.mkdir()
    shutil.copy(SAMPLE, folder / "p.gpkg")
    plan = open_plan(folder / "p.gpkg")
    folder.chmod(0o555)
    try:
        with pytest.raises(StoreError, match="read-only"):
            save_plan(plan, folder / "p.gpkg")
    finally:
        folder.chmod(0o755)
