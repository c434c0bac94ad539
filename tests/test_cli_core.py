"""The CLI front door and the core/ui split."""

from __future__ import annotations

import json
import subprocess
import sys

from gridmap.core.storage import save_plan


def _gridmap(*args, **kw):
    return subprocess.run([sys.executable, "-m", "gridmap", *map(str, args)], capture_output=True, text=True, **kw)


def test_info_prints_levels_counts_area_crs(small_plan, tmp_path):
    path = tmp_path / "plan.gpkg"
    save_plan(small_plan, path)
    out = _gridmap("info", path)
    assert out.returncode == 0, out.stderr
    assert "EPSG:4547" in out.stdout and "大网格" in out.stdout and "小网格 (small): 8" in out.stdout
    assert "0.060 km²" not in out.stdout and "60,000 m²" in out.stdout
    data = json.loads(_gridmap("info", path, "--json").stdout)
    assert [lv["grids"] for lv in data["levels"]] == [2, 8]
    assert data["people"] == 2


def test_info_on_bad_input_is_one_clear_line(tmp_path):
    bad = tmp_path / "x.gpkg"
    bad.write_text("not a geopackage")
    out = _gridmap("info", bad)
    assert out.returncode == 2
    assert "Traceback" not in out.stderr and str(bad) in out.stderr
    assert len(out.stderr.strip().splitlines()) == 1


def test_core_and_cli_never_import_qt(small_plan, tmp_path):
    """Every core module and the info command run in a process where Qt is absent."""
    path = tmp_path / "plan.gpkg"
    save_plan(small_plan, path)
    code = f"""
import importlib, pathlib, sys
import gridmap
root = pathlib.Path(gridmap.__file__).parent
for f in sorted(root.rglob("*.py")):
    parts = f.relative_to(root.parent).with_suffix("").parts
    if parts[1] in ("ui", "__main__") or "assets" in parts:
        continue
    importlib.import_module(".".join(p for p in parts if p != "__init__"))
from gridmap.cli import main
assert main(["info", {str(path)!r}]) == 0
bad = [m for m in sys.modules if m.startswith(("PySide6", "shiboken6", "PyQt"))]
assert not bad, bad
print("ok")
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip().endswith("ok")
