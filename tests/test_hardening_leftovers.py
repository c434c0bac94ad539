"""#11 'Nothing lost': temp files of killed saves are removed at the next open; ``import --into``
without ``-o`` never writes into a file the user did not name."""

import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "data" / "badfiles"))
from make_badfiles import _sample_plan, _shp  # noqa: E402


def test_temp_file_of_a_killed_save_is_removed_at_next_open(tmp_path):
    from gridmap.core.storage import open_plan

    plan = _sample_plan(tmp_path)
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()                                   # a real pid whose process is gone
    left = tmp_path / f".{plan.name}.gridmap-saving-{dead.pid}-abc123.gpkg"
    left.write_bytes(b"half a save")
    live = tmp_path / f".{plan.name}.gridmap-saving-{1}-live.gpkg"   # pid 1 is alive: kept
    live.write_bytes(b"someone else's save in progress")
    open_plan(plan)
    assert not left.exists() and live.exists()


def test_into_without_output_writes_no_sibling_file(tmp_path):
    plan = _sample_plan(tmp_path)
    (tmp_path / "src").mkdir()
    shp = _shp(tmp_path / "src" / "roads.shp")
    archive = tmp_path / "roads.zip"
    with zipfile.ZipFile(archive, "w") as z:
        for p in shp.parent.iterdir():
            z.write(p, p.name)
    sibling = tmp_path / f"{plan.stem}_roads.gpkg"     # an unrelated file that happens to have that name
    sibling.write_bytes(b"not ours")
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir() if p.is_file()}
    r = subprocess.run([sys.executable, "-m", "gridmap", "import", str(archive), "--into", str(plan)],
                       capture_output=True, text=True, timeout=120,
                       env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"})
    assert r.returncode == 2 and "-o LAYER.gpkg" in r.stderr and "请用 -o" in r.stderr
    after = {p.name: p.read_bytes() for p in tmp_path.iterdir() if p.is_file()}
    assert after == before
