"""Every file of the bad-file corpus through import --inspect, import -o and check: no traceback."""

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "data" / "badfiles"))
from make_badfiles import make  # noqa: E402



@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    out = tmp_path_factory.mktemp("bad")
    return out, make(out)


def _run(*args, cwd):
    env = {"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"}
    return subprocess.run([sys.executable, "-m", "gridmap", *args], cwd=cwd, capture_output=True, text=True,
                          env=env, timeout=120)


def test_corpus_has_40_files(corpus):
    assert len(corpus[1]) >= 40


REFUSED = {"newer_format.gpkg": "newer gridmap", "format_not_number.gpkg": "not a number",
           "header_truncated.shp": "truncated", "garbage.shp": "not a shapefile", "no_shx.shp": "--repair",
           "dbf_mismatch.shp": "records", "garbage_crs_plan.gpkg": "坐标系", "no_crs_plan.gpkg": "no coordinate reference"}


def test_every_bad_file(corpus):
    folder, made = corpus
    failures = []
    for name in sorted(made):
        for args in (["import", name, "--inspect"],
                     ["import", name, "--as-plan", "--code-field", "code", "-o", str(folder / f"out_{name}.gpkg")],
                     ["check", name]):
            r = _run(*args, cwd=folder)
            text = r.stdout + r.stderr
            if "Traceback" in text or r.returncode not in (0, 1, 2):
                failures.append((name, args[0], r.returncode, text[-300:]))
            if name in REFUSED and args[-1] != "--inspect" and args[0] == "check":
                if r.returncode != 2 or REFUSED[name] not in text:
                    failures.append((name, "check", r.returncode, text[-300:]))
    assert not failures, failures


def test_debug_shows_trace(corpus):
    folder, _ = corpus
    r = _run("import", "garbage.dxf", "--inspect", "--debug", cwd=folder)
    assert r.returncode == 2 and "Traceback" in r.stderr
