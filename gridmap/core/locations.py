"""Where gridmap's files are: its own resources and the sample plan (in a source checkout,
an installed wheel or a frozen bundle), and the user's settings, data and caches
(``%APPDATA%``/``%LOCALAPPDATA%`` on Windows, XDG folders on Linux, ``~/Library`` on macOS).

No Qt here.  The user folders take the platform and the environment as arguments, so the
Windows rules are testable on any machine:

>>> user_dirs("win32", {"APPDATA": r"C:\\Users\\张三\\AppData\\Roaming",
...                     "LOCALAPPDATA": r"C:\\Users\\张三\\AppData\\Local"})["cache"]
'C:\\\\Users\\\\张三\\\\AppData\\\\Local\\\\gridmap\\\\cache'
>>> user_dirs("linux", {"HOME": "/home/zhang"})["config"]
'/home/zhang/.config/gridmap'
"""

from __future__ import annotations

import ntpath
import os
import posixpath
import shutil
import sys
from pathlib import Path

__all__ = ["APP", "package_dir", "resources_dir", "sample_dir", "bundled_fonts_dir", "user_dirs",
           "config_dir", "data_dir", "cache_dir", "SAMPLE_PLAN", "SAMPLE_FILES", "write_sample",
           "user_sample_plan", "is_frozen", "manual_path"]

APP = "gridmap"
SAMPLE_PLAN = "baoan_plan.gpkg"
# the sample plan, the base layers it refers to (relative paths), the plan with deliberate errors,
# and the attribution and licence that must travel with the data
SAMPLE_FILES = ("baoan_plan.gpkg", "baoan_district.gpkg", "baoan_roads.gpkg", "baoan_plan_errors.gpkg",
                "baoan_plan_errors.json", "ATTRIBUTION.md", "LICENSE.ChinaAdminDivisonSHP", "README.md")


def is_frozen() -> bool:
    """True inside a PyInstaller bundle."""
    return bool(getattr(sys, "frozen", False))


def package_dir() -> Path:
    """The ``gridmap`` package folder."""
    return Path(__file__).resolve().parents[1]


def _first_dir(*candidates: Path, probe: str = "") -> Path:
    for c in candidates:
        if (c / probe).exists() if probe else c.is_dir():
            return c
    return candidates[-1]


def resources_dir() -> Path:
    """``resources`` (translations, icons): inside the package when installed
    (``gridmap/resources``), at the repository root in a source checkout."""
    pkg = package_dir()
    return _first_dir(pkg / "resources", pkg.parent / "resources", probe="i18n")


def sample_dir() -> Path:
    """The sample data: ``gridmap/sample_layers`` when installed, ``sample_layers`` in a checkout."""
    pkg = package_dir()
    return _first_dir(pkg / "sample_layers", pkg.parent / "sample_layers", probe=SAMPLE_PLAN)


def bundled_fonts_dir() -> Path | None:
    """CJK fonts shipped inside a bundle (``gridmap/fonts``), or None."""
    d = package_dir() / "fonts"
    return d if d.is_dir() else None


def user_dirs(platform: str | None = None, environ=None) -> dict[str, str]:
    """The user's folders for gridmap: ``config`` (settings), ``data`` (the sample copy …)
    and ``cache`` (map tiles), as strings in the platform's own path syntax."""
    platform = platform or sys.platform
    env = os.environ if environ is None else environ
    if platform == "win32":
        home = env.get("USERPROFILE") or ntpath.join(env.get("HOMEDRIVE", "C:"), env.get("HOMEPATH", "\\"))
        roaming = env.get("APPDATA") or ntpath.join(home, "AppData", "Roaming")
        local = env.get("LOCALAPPDATA") or ntpath.join(home, "AppData", "Local")
        return {"config": ntpath.join(roaming, APP), "data": ntpath.join(roaming, APP),
                "cache": ntpath.join(local, APP, "cache")}
    home = env.get("HOME") or os.path.expanduser("~")
    if platform == "darwin":
        lib = posixpath.join(home, "Library")
        return {"config": posixpath.join(lib, "Preferences", APP),
                "data": posixpath.join(lib, "Application Support", APP),
                "cache": posixpath.join(lib, "Caches", APP)}
    return {"config": posixpath.join(env.get("XDG_CONFIG_HOME") or posixpath.join(home, ".config"), APP),
            "data": posixpath.join(env.get("XDG_DATA_HOME") or posixpath.join(home, ".local", "share"), APP),
            "cache": posixpath.join(env.get("XDG_CACHE_HOME") or posixpath.join(home, ".cache"), APP)}


def config_dir() -> Path:
    return Path(user_dirs()["config"])


def data_dir() -> Path:
    return Path(user_dirs()["data"])


def cache_dir() -> Path:
    return Path(user_dirs()["cache"])


def write_sample(dest, force: bool = False) -> Path:
    """Copy the sample plan with its base layers, attribution and licence into the folder
    ``dest`` (created if needed).  Existing files are never overwritten unless ``force``:
    ``FileExistsError`` names them.  Returns the path of the sample plan."""
    src = sample_dir()
    if not (src / SAMPLE_PLAN).is_file():
        raise FileNotFoundError(2, "sample plan not found", str(src / SAMPLE_PLAN))
    dest = Path(dest)
    files = [n for n in SAMPLE_FILES if (src / n).is_file()]
    if not force:
        existing = [n for n in files if (dest / n).exists()]
        if existing:
            raise FileExistsError(17, "exists", str(dest / existing[0]))
    dest.mkdir(parents=True, exist_ok=True)
    for n in files:
        shutil.copyfile(src / n, dest / n)
    return dest / SAMPLE_PLAN


def user_sample_plan() -> Path:
    """The sample plan the app opens on first start.  In a source checkout: the file in
    ``sample_layers``; installed (wheel, bundle), a copy in the user's data folder, made
    once, because the installation folder is read-only for the user."""
    src = sample_dir()
    if (package_dir().parent / "sample_layers") == src and not is_frozen():
        return src / SAMPLE_PLAN
    copy = data_dir() / "sample" / SAMPLE_PLAN
    if not copy.exists():
        try:
            write_sample(copy.parent, force=True)
        except OSError:
            return src / SAMPLE_PLAN
    return copy


def manual_path() -> Path | None:
    """The manual (the README): next to the program in a bundle (``README.md`` beside
    ``gridmap.exe``), at the repository root in a checkout; installed from a wheel, the README
    is the package's long description, written once into the user's data folder.  None if
    there is none."""
    if is_frozen():
        cands = [Path(sys.executable).resolve().parent / "README.md"]
    else:
        cands = [package_dir().parent / "README.md"]
    for c in cands:
        if c.is_file():
            return c
    try:
        from importlib.metadata import PackageNotFoundError, metadata

        text = metadata(APP).get_payload()
    except (ImportError, PackageNotFoundError, AttributeError):
        text = None
    if not text or not str(text).strip():
        return None
    out = data_dir() / "README.md"
    try:
        if not out.is_file() or out.read_text(encoding="utf-8") != text:
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_text(text, encoding="utf-8")
    except OSError:
        return None
    return out
