"""The package as a user gets it: the sdist and the wheel are built from a copy of the checkout
(``setuptools.build_meta``, the PEP 517 backend ``python -m build`` calls), the wheel from the
unpacked sdist as ``python -m build`` does; the wheel is installed into a fresh virtual
environment and its entry points are run from a folder outside the checkout: ``gridmap
--version``, ``gridmap sample``, ``info``, ``check``, and the app offscreen on the sample
(Chinese UI from the ``.qm`` inside the wheel).

Which dependencies the fresh venv gets: by default the wheel is installed with ``--no-deps`` and
the venv sees the *dependencies* of the environment running the tests through a ``.pth`` file of
plain paths (so the checkout's own editable install is not executed: gridmap itself comes only from
the wheel — the test asserts it).  That needs no network and no wheel folder, so it runs in every
CI.  With ``GRIDMAP_WHEELHOUSE=DIR`` (a folder made by ``pip download``, see README "Offline
install") the venv is completely clean and everything is installed from DIR with ``--no-index``
(a real offline install; a few minutes, PySide6 is big).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.slow


def _source_copy(dest: Path) -> Path:
    """The checkout as a fresh clone has it (tracked and new, not ignored files)."""
    try:
        files = subprocess.run(["git", "ls-files", "-co", "--exclude-standard", "-z"], cwd=REPO, check=True,
                               capture_output=True, timeout=60).stdout.decode().split("\0")
    except (OSError, subprocess.SubprocessError):  # an unpacked sdist: no git
        shutil.copytree(REPO, dest, ignore=shutil.ignore_patterns(".venv", "build", "dist", "*.egg-info",
                                                                 "__pycache__", ".git"))
        return dest
    for f in filter(None, files):
        src = REPO / f
        if src.is_file():
            (dest / f).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dest / f)
    return dest


def _can_build_wheels() -> bool:
    """setuptools ≥ 70.1 builds wheels itself; older ones need the ``wheel`` package."""
    import importlib.util

    import setuptools

    major, minor = (int(x) for x in setuptools.__version__.split(".")[:2])
    return (major, minor) >= (70, 1) or importlib.util.find_spec("wheel") is not None


def _hook(hook: str, src: Path, out: Path) -> Path:
    """Build with the backend in this environment (no network).  A wheel with an old setuptools
    (before ``bash test.sh`` updated the venv): pip's isolated build, which needs setuptools from
    the package index or pip's cache."""
    if hook == "build_wheel" and not _can_build_wheels():
        r = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-w", str(out), str(src)],
                           capture_output=True, text=True, timeout=600)
        if r.returncode != 0:
            pytest.skip("no wheel builder: setuptools < 70.1 without 'wheel', and pip could not fetch one "
                        f"({r.stderr.strip().splitlines()[-1:]})")
        return next(out.glob("gridmap-*.whl"))
    code = (f"import setuptools.build_meta as b; print(b.{hook}({str(out)!r}))")
    r = subprocess.run([sys.executable, "-c", code], cwd=src, capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr[-3000:]
    return out / r.stdout.strip().splitlines()[-1]


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    pytest.importorskip("setuptools.build_meta")
    tmp = tmp_path_factory.mktemp("pkg")
    src = _source_copy(tmp / "src")
    sdist = _hook("build_sdist", src, tmp / "dist")
    with tarfile.open(sdist) as tf:
        tf.extractall(tmp / "unpacked", filter="data")
    wheel = _hook("build_wheel", next((tmp / "unpacked").iterdir()), tmp / "dist")
    return sdist, wheel


def test_sdist_and_wheel_contents(built):
    import zipfile

    sdist, wheel = built
    with tarfile.open(sdist) as tf:
        snames = {n.split("/", 1)[1] for n in tf.getnames() if "/" in n}
    # everything needed to rebuild and to test, no screenshots
    for need in ("pyproject.toml", "setup.py", "resources/i18n/gridmap_zh_CN.ts", "resources/i18n/update.py",
                 "sample_layers/baoan_plan.gpkg", "sample_layers/ATTRIBUTION.md", "tests/conftest.py"):
        assert need in snames, need
    assert not any(n.startswith("docs/") for n in snames)
    names = set(zipfile.ZipFile(wheel).namelist())
    for need in ("gridmap/resources/i18n/gridmap_zh_CN.qm", "gridmap/resources/icons/gridmap.svg",
                 "gridmap/sample_layers/baoan_plan.gpkg", "gridmap/sample_layers/baoan_roads.gpkg",
                 "gridmap/sample_layers/baoan_district.gpkg", "gridmap/sample_layers/ATTRIBUTION.md",
                 "gridmap/sample_layers/LICENSE.ChinaAdminDivisonSHP",
                 "gridmap/core/outputs/assets/leaflet/leaflet.js"):
        assert need in names, need
    # not in the wheel: screenshots, tests, translation sources and tools
    assert not [n for n in names if n.startswith(("docs/", "tests/")) or n.endswith((".ts", ".png.orig"))
                or "zh_CN_seed" in n or n.endswith("update.py")]
    entry = next(n for n in names if n.endswith("entry_points.txt"))
    text = zipfile.ZipFile(wheel).read(entry).decode()
    assert "gridmap = gridmap.cli:main" in text and "gridmap-gui = gridmap.ui.app:gui_main" in text


def _venv(tmp: Path, wheel: Path) -> Path:
    """A fresh venv with the wheel installed; returns its bin (Scripts) folder."""
    venv = tmp / "venv"
    base = getattr(sys, "_base_executable", sys.executable)
    house = os.environ.get("GRIDMAP_WHEELHOUSE", "")
    bindir = venv / ("Scripts" if os.name == "nt" else "bin")
    if house:
        subprocess.run([base, "-m", "venv", str(venv)], check=True, timeout=300)
        r = subprocess.run([str(bindir / "python"), "-m", "pip", "install", "--no-index", "--find-links", house,
                            f"{wheel}[ui]"], capture_output=True, text=True, timeout=1500)
    else:
        subprocess.run([base, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=300)
        r = subprocess.run([sys.executable, "-m", "pip", "--python", str(bindir / "python"), "install",
                            "--no-deps", "--no-index", str(wheel)], capture_output=True, text=True, timeout=300)
        if r.returncode == 0:
            # the dependencies (not gridmap) of the environment running the tests, as plain paths
            site = subprocess.run([str(bindir / "python"), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
                                  capture_output=True, text=True, check=True).stdout.strip()
            paths = [p for p in sys.path if p.endswith("site-packages") and Path(p).is_dir()]
            (Path(site) / "_gridmap_test_dependencies.pth").write_text("\n".join(paths) + "\n", encoding="utf-8")
    assert r.returncode == 0, (r.stdout + r.stderr)[-3000:]
    return bindir


@pytest.fixture(scope="module")
def installed(built, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("venv")
    bindir = _venv(tmp, built[1])
    work = tmp / "work"
    work.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env.update(HOME=str(tmp / "home"), XDG_CONFIG_HOME=str(tmp / "home" / "config"),
               XDG_DATA_HOME=str(tmp / "home" / "data"), XDG_CACHE_HOME=str(tmp / "home" / "cache"),
               QT_QPA_PLATFORM="offscreen", LANG="C.UTF-8")
    return bindir, work, env


def _run(installed, *args, exe="gridmap", timeout=300):
    bindir, work, env = installed
    return subprocess.run([str(bindir / exe), *args], cwd=work, env=env, capture_output=True, text=True,
                          timeout=timeout)


def test_installed_gridmap_is_the_wheel(installed):
    bindir, work, env = installed
    r = subprocess.run([str(bindir / "python"), "-c",
                        "import gridmap, gridmap.core.locations as L; print(gridmap.__file__); "
                        "print(L.resources_dir()); print(L.sample_dir())"],
                       cwd=work, env=env, capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    pkg, res, sample = [Path(x) for x in r.stdout.split()]
    venv = bindir.parent.resolve()
    assert venv in pkg.resolve().parents and REPO not in pkg.resolve().parents
    assert res == pkg.parent / "resources" and (res / "i18n" / "gridmap_zh_CN.qm").is_file()
    assert sample == pkg.parent / "sample_layers"


def test_cli_smoke(installed):
    from gridmap import __version__

    _, work, _ = installed
    r = _run(installed, "--version")
    assert r.returncode == 0 and r.stdout.strip() == f"gridmap {__version__}", r.stdout + r.stderr

    r = _run(installed, "sample", "-o", "样例 sample")
    assert r.returncode == 0, r.stderr
    folder = work / "样例 sample"
    for f in ("baoan_plan.gpkg", "baoan_roads.gpkg", "baoan_district.gpkg", "ATTRIBUTION.md",
              "LICENSE.ChinaAdminDivisonSHP"):
        assert (folder / f).is_file(), f
    assert "OpenStreetMap" in (folder / "ATTRIBUTION.md").read_text(encoding="utf-8")
    again = _run(installed, "sample", "-o", "样例 sample")          # never a silent overwrite
    assert again.returncode == 2 and "--force" in again.stderr and "Traceback" not in again.stderr

    r = _run(installed, "info", str(folder / "baoan_plan.gpkg"), "--json")
    assert r.returncode == 0, r.stderr
    info = json.loads(r.stdout)
    assert sum(lv["grids"] for lv in info["levels"]) > 10 and info["people"] > 0

    ok = _run(installed, "check", str(folder / "baoan_plan.gpkg"), "--json")
    assert ok.returncode == 0, ok.stderr
    bad = _run(installed, "check", str(folder / "baoan_plan_errors.gpkg"), "--json")
    assert bad.returncode == 1, bad.stderr
    assert json.loads(bad.stdout)["summary"]

    missing = _run(installed, "info", "nowhere.gpkg")
    assert missing.returncode == 2 and "Traceback" not in missing.stderr


APP_SMOKE = r"""
import sys
from PySide6.QtCore import QCoreApplication, QTimer
from gridmap.ui.app import create_app, start_window
app = create_app([])
win = start_window(None)
win.show()
QTimer.singleShot(1500, app.quit)
app.exec()
print(QCoreApplication.translate("MainWindow", "&Project"))
print(win.windowTitle())
from gridmap.core.locations import user_sample_plan
print(user_sample_plan())
"""


def test_app_starts_from_the_wheel_on_the_sample(installed):
    """No argument: the app opens a copy of the sample in the user's data folder (the installed
    package folder is not the user's to write in), in Chinese from the wheel's .qm."""
    bindir, work, env = installed
    pytest.importorskip("PySide6")
    assert (bindir / "gridmap-gui").exists() or (bindir / "gridmap-gui.exe").exists()
    r = subprocess.run([str(bindir / "python"), "-c", APP_SMOKE], cwd=work, env=env, capture_output=True,
                       text=True, timeout=300)
    assert r.returncode == 0, r.stderr[-3000:]
    menu, title, sample = r.stdout.strip().splitlines()[-3:]
    assert menu.startswith("项目"), menu
    assert Path(sample).is_relative_to(Path(env["XDG_DATA_HOME"])) and Path(sample).is_file()
    assert "baoan" in title or "宝安" in title, title
