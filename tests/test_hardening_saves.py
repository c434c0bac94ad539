"""Nothing lost: two processes saving one plan, newer formats, lock files, clear save errors."""

import contextlib
import os
import shutil
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


@contextlib.contextmanager
def small_filesystem(folder: Path, size: str, files=()):
    """A real tmpfs of ``size`` mounted at ``folder`` (root only) with ``files`` copied in;
    yields a function that remounts it read-only.  Skips where mounting is not permitted."""
    folder.mkdir()
    if os.geteuid() != 0:
        pytest.skip("mounting a small filesystem needs root")
    r = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)], capture_output=True)
    if r.returncode:
        pytest.skip(f"cannot mount a tmpfs here: {r.stderr.decode(errors='replace').strip()}")
    try:
        for f in files:
            shutil.copy(f, folder / Path(f).name)
        yield lambda: subprocess.run(["mount", "-o", "remount,ro", str(folder)], check=True)
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)


def test_read_only_folder_clear_message(tmp_path):
    folder = tmp_path / "ro"
    if os.geteuid() != 0:
        folder.mkdir()
        shutil.copy(SAMPLE, folder / "p.gpkg")
        plan = open_plan(folder / "p.gpkg")
        folder.chmod(0o555)
        try:
            with pytest.raises(StoreError, match="read-only"):
                save_plan(plan, folder / "p.gpkg")
        finally:
            folder.chmod(0o755)
        return
    with small_filesystem(folder, "4m", [SAMPLE]) as make_read_only:
        plan = open_plan(folder / "baoan_plan.gpkg")
        before = (folder / "baoan_plan.gpkg").read_bytes()
        make_read_only()
        with pytest.raises(StoreError, match="read-only") as err:
            save_plan(plan, folder / "baoan_plan.gpkg")
        assert "文件夹只读" in str(err.value) and "\n" not in str(err.value)
        assert (folder / "baoan_plan.gpkg").read_bytes() == before
        assert sorted(p.name for p in folder.iterdir()) == ["baoan_plan.gpkg"]


def test_disk_full_for_real_clear_message_nothing_left(tmp_path):
    """A real full disk (a tmpfs just big enough for the plan): one clear line, the file unchanged, no temp file."""
    folder = tmp_path / "full"
    with small_filesystem(folder, "400k", [SAMPLE]):
        plan = open_plan(folder / "baoan_plan.gpkg")
        plan.grids.loc[plan.grids.index[0], "notes"] = "改" * 2000
        before = (folder / "baoan_plan.gpkg").read_bytes()
        with pytest.raises(StoreError) as err:
            save_plan(plan, folder / "baoan_plan.gpkg")
        assert "磁盘空间不足" in str(err.value) and "disk full" in str(err.value)
        assert (folder / "baoan_plan.gpkg").read_bytes() == before
        assert sorted(p.name for p in folder.iterdir()) == ["baoan_plan.gpkg"]
