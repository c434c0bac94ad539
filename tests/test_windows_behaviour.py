"""What differs on Windows, tested here by simulating the platform where the code branches on it:
paths with backslashes, drive letters and Chinese folder names; a Chinese-Windows locale (GBK, the
cp936 default encoding) for console output, text files and CSV; fonts in ``%WINDIR%\\Fonts``
(SimHei, Microsoft YaHei, SimSun) and per-user fonts; settings and the tile cache under
``%APPDATA%``/``%LOCALAPPDATA%``; a plan another program holds open (a sharing violation on save:
a clear message, nothing lost).

The GBK locale is real: ``localedef`` compiles glibc's zh_CN/GBK definition into a temporary
``LOCPATH`` (no root), so Python's default encoding in the child processes is GBK as on Chinese
Windows.  Without localedef the children run in the plain C locale (ASCII), which is stricter still.
"""

from __future__ import annotations

import ast
import json
import ntpath
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from gridmap.core import locations
from gridmap.core.sources import record_source, resolve_source

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "sample_layers"
WQY = Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")


# ---------------------------------------------------------------- app-data folders
def test_settings_cache_and_data_folders_on_windows():
    env = {"APPDATA": r"D:\Users\张三\AppData\Roaming", "LOCALAPPDATA": r"D:\Users\张三\AppData\Local",
           "USERPROFILE": r"D:\Users\张三"}
    d = locations.user_dirs("win32", env)
    assert d == {"config": r"D:\Users\张三\AppData\Roaming\gridmap", "data": r"D:\Users\张三\AppData\Roaming\gridmap",
                 "cache": r"D:\Users\张三\AppData\Local\gridmap\cache"}
    # no APPDATA (a service account): under the profile
    assert locations.user_dirs("win32", {"USERPROFILE": r"C:\Users\李四"})["cache"] == \
        r"C:\Users\李四\AppData\Local\gridmap\cache"
    # Linux and macOS for comparison
    assert locations.user_dirs("linux", {"HOME": "/home/z", "XDG_CACHE_HOME": "/var/cache/z"})["cache"] == \
        "/var/cache/z/gridmap"
    assert locations.user_dirs("darwin", {"HOME": "/Users/z"})["data"] == "/Users/z/Library/Application Support/gridmap"


def test_tile_cache_is_in_the_user_cache_folder():
    pytest.importorskip("PySide6")
    from gridmap.ui.tiles import default_cache_dir

    assert default_cache_dir() == Path(locations.user_dirs()["cache"]) / "tiles"


SETTINGS_CHILD = r"""
import sys
from PySide6.QtCore import QCoreApplication, QSettings
from gridmap.ui.app import configure_settings
ini = configure_settings("win32", {"APPDATA": sys.argv[1]})
QCoreApplication.setOrganizationName("gridmap"); QCoreApplication.setApplicationName("gridmap")
app = QCoreApplication([])
s = QSettings(); s.setValue("language", "en"); s.setValue("recent", ["D:\\规划科\\宝安.gpkg"]); s.sync()
print(ini); print(s.fileName())
"""


def test_settings_go_to_an_ini_file_under_appdata(tmp_path):
    """On Windows the settings are ``%APPDATA%\\gridmap\\gridmap.ini`` (not the registry); run in a
    child process because Qt's settings paths are global."""
    pytest.importorskip("PySide6")
    appdata = tmp_path / "AppData 张三" / "Roaming"
    r = subprocess.run([sys.executable, "-c", SETTINGS_CHILD, str(appdata)], capture_output=True, text=True,
                       timeout=120, cwd=ROOT, env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert r.returncode == 0, r.stderr
    ini, used = r.stdout.splitlines()[-2:]
    assert Path(ini.replace(chr(92), "/")) == Path(used) == appdata / "gridmap" / "gridmap.ini"
    text = (appdata / "gridmap" / "gridmap.ini").read_text(encoding="utf-8")
    assert "language=en" in text


def test_installed_sample_is_copied_to_the_user_data_folder(tmp_path, monkeypatch):
    """Installed (not a checkout), the app opens a copy of the sample in the user's folder."""
    monkeypatch.setattr(locations, "data_dir", lambda: tmp_path / "Roaming 张三" / "gridmap")
    monkeypatch.setattr(locations, "is_frozen", lambda: True)        # as in the bundle
    plan = locations.user_sample_plan()
    assert plan == tmp_path / "Roaming 张三" / "gridmap" / "sample" / "baoan_plan.gpkg" and plan.is_file()
    assert (plan.parent / "ATTRIBUTION.md").is_file() and (plan.parent / "baoan_roads.gpkg").is_file()


# ---------------------------------------------------------------- paths
def test_base_layer_paths_windows_rules():
    proj = r"D:\规划科\2024 宝安方案"
    assert record_source(r"D:\规划科\2024 宝安方案\底图\道路.gpkg", proj, pathmod=ntpath) == "底图/道路.gpkg"
    assert record_source(r"d:\规划科\共享底图\区界.shp", proj, pathmod=ntpath) == "../共享底图/区界.shp"
    # another drive or a network share: no relative path, recorded as it is, never an exception
    assert record_source(r"E:\数据\区界.shp", proj, pathmod=ntpath) == r"E:\数据\区界.shp"
    assert record_source(r"\\规划服务器\共享\道路.gpkg", proj, pathmod=ntpath) == r"\\规划服务器\共享\道路.gpkg"
    # read back on Windows, with either separator
    assert resolve_source("底图/道路.gpkg", proj, pathmod=ntpath) == r"D:\规划科\2024 宝安方案\底图\道路.gpkg"
    assert resolve_source(r"..\共享底图\区界.shp", proj, pathmod=ntpath) == r"D:\规划科\共享底图\区界.shp"
    assert resolve_source(r"E:\数据\区界.shp", proj, pathmod=ntpath) == r"E:\数据\区界.shp"


def test_a_plan_from_windows_finds_its_base_layers_here(tmp_path):
    """A plan whose base layers were recorded on Windows as ``底图\\道路.gpkg`` (backslashes, Chinese
    folder names) draws them here: the annex map's data reads the roads."""
    from gridmap.core.outputs.mapdata import MapData
    from gridmap.core.storage import open_plan, save_plan

    folder = tmp_path / "规划科" / "宝安 方案"
    (folder / "底图").mkdir(parents=True)
    shutil.copy(SAMPLE / "baoan_roads.gpkg", folder / "底图" / "道路 roads.gpkg")
    shutil.copy(SAMPLE / "baoan_district.gpkg", folder / "底图" / "区界.gpkg")
    plan = open_plan(SAMPLE / "baoan_plan.gpkg")
    bl = plan.base_layers
    bl.loc[bl["source"] == "baoan_roads.gpkg", "source"] = "底图\\道路 roads.gpkg"
    bl.loc[bl["source"] == "baoan_district.gpkg", "source"] = ".\\底图\\区界.gpkg"
    target = folder / "宝安方案.gpkg"
    save_plan(plan, target)
    data = MapData.from_plan(open_plan(target), project=target)
    assert not [w for w in data.warnings if "not found" in w], data.warnings
    assert len(data.base_layers) == 2 and len(data.base_layers[1].gdf) > 100


def test_save_and_open_in_chinese_folders_with_spaces(tmp_path):
    from gridmap.core.storage import lock, open_plan, save_plan

    folder = tmp_path / "网格化 管理" / "宝安区（2024）"
    folder.mkdir(parents=True)
    target = folder / "新安街道 方案.gpkg"
    save_plan(open_plan(SAMPLE / "baoan_plan.gpkg"), target)
    lock.acquire(target)
    assert lock.read_lock(target).is_mine() and lock.lock_path(target).name == ".~lock.新安街道 方案.gpkg#"
    assert len(open_plan(target).grids) == len(open_plan(SAMPLE / "baoan_plan.gpkg").grids)
    lock.release(target)


# ---------------------------------------------------------------- the plan open in another program
def test_save_over_a_plan_another_program_holds_open(tmp_path, monkeypatch):
    """Windows refuses to replace a file QGIS/ArcGIS has open (sharing violation → PermissionError on
    the rename).  The save fails with one bilingual message saying what to do; the file on disk is the
    last saved one, no temporary file is left, the plan in memory still has the change, and the save
    succeeds once the other program lets go."""
    from gridmap.core.storage import StoreError, open_plan, save_plan
    from gridmap.core.storage import gpkg

    target = tmp_path / "宝安方案.gpkg"
    shutil.copy(SAMPLE / "baoan_plan.gpkg", target)
    before = target.read_bytes()
    plan = open_plan(target)
    plan.name = "改过的名字"
    real_replace = os.replace
    held = {"on": True}

    def sharing_violation(src, dst):          # what os.replace does on Windows while another program holds dst
        if held["on"] and Path(dst) == target:
            raise PermissionError(13, "The process cannot access the file because it is being used by another "
                                      "process", str(src))
        return real_replace(src, dst)

    monkeypatch.setattr(gpkg.os, "replace", sharing_violation)
    with pytest.raises(StoreError) as info:
        save_plan(plan, target)
    msg = str(info.value)
    assert isinstance(info.value, gpkg.FileInUseError)
    assert "其他程序" in msg and "another program" in msg and "Save As" in msg and "另存为" in msg
    assert target.read_bytes() == before                                   # last saved file unchanged
    assert sorted(p.name for p in tmp_path.iterdir()) == ["宝安方案.gpkg"]  # no temp file left
    assert plan.name == "改过的名字"                                        # nothing lost in memory
    held["on"] = False                                                     # the other program closed it
    save_plan(plan, target)
    assert open_plan(target).name == "改过的名字"


def test_window_says_so_and_keeps_the_changes(qtbot, settings, tmp_path, monkeypatch):
    pytest.importorskip("PySide6")
    from gridmap.core.editing.commands import SetCells
    from gridmap.core.storage import gpkg
    from test_ui_window import make_window

    target = tmp_path / "规划科" / "宝安方案.gpkg"
    target.parent.mkdir()
    shutil.copy(SAMPLE / "baoan_plan.gpkg", target)
    w = make_window(qtbot, target)
    gid = int(w.document.plan.grids.index[0])
    w.document.push(SetCells("改名", "grids", gid, {"name": "窗口里的名字"}))

    def sharing_violation(src, dst):
        raise PermissionError(13, "being used by another process", str(src))

    real = os.replace
    monkeypatch.setattr(gpkg.os, "replace", sharing_violation)
    assert w.save() is False
    assert "其他程序" in w.last_error and "another program" in w.last_error
    assert w.document.dirty                        # the change is still there, to save again or Save As
    monkeypatch.setattr(gpkg.os, "replace", real)
    assert w.save() is True and not w.document.dirty
    w.close()


# ---------------------------------------------------------------- fonts
def _ttf_from_collection(ttc: Path, out: Path) -> Path:
    """Face 0 of a TrueType collection as a plain .ttf (as simhei.ttf is on Windows)."""
    from fontTools.ttLib import TTFont

    font = TTFont(str(ttc), fontNumber=0)
    font.save(str(out))
    return out


@pytest.mark.skipif(not WQY.is_file(), reason="needs fonts-wqy-microhei (a TrueType CJK font to copy)")
def test_fonts_found_in_windir_fonts(tmp_path):
    from gridmap.core.outputs.fonts import _find, font_candidates

    windir = tmp_path / "Windows"
    (windir / "Fonts").mkdir(parents=True)
    # Microsoft YaHei only (a collection), upper-case name as some Windows installs have it
    shutil.copy(WQY, windir / "Fonts" / "MSYH.TTC")
    env = {"WINDIR": str(windir)}
    assert font_candidates("win32", env)[1] == windir / "Fonts" / "MSYH.TTC"
    assert _find("win32", env).path == windir / "Fonts" / "MSYH.TTC"
    # SimHei comes first when present (black face reads best on maps); then YaHei, then SimSun
    _ttf_from_collection(WQY, windir / "Fonts" / "simhei.ttf")
    assert _find("win32", env).path == windir / "Fonts" / "simhei.ttf"
    names = [p.name.lower() for p in font_candidates("win32", env)[:4]]
    assert names == ["simhei.ttf", "msyh.ttc", "msyh.ttf", "simsun.ttc"]
    # a font installed for one user only (Windows 10 1809+), no system Chinese fonts
    for f in (windir / "Fonts").iterdir():
        f.unlink()
    local = tmp_path / "Local"
    (local / "Microsoft" / "Windows" / "Fonts").mkdir(parents=True)
    shutil.copy(WQY, local / "Microsoft" / "Windows" / "Fonts" / "simsun.ttc")
    env = {"WINDIR": str(windir), "LOCALAPPDATA": str(local)}
    assert _find("win32", env).path == local / "Microsoft" / "Windows" / "Fonts" / "simsun.ttc"


# ---------------------------------------------------------------- the Chinese-Windows default encoding
@pytest.fixture(scope="module")
def gbk_env(tmp_path_factory):
    """An environment whose default encoding is GBK (Chinese Windows: cp936), or ASCII if no GBK
    locale can be made here.  UTF-8 mode off, as on Windows."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LC_", "LANG", "PYTHONUTF8", "PYTHONIO"))}
    env.update(PYTHONUTF8="0", PYTHONCOERCECLOCALE="0", QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT))
    loc = tmp_path_factory.mktemp("locale")
    made = shutil.which("localedef") and subprocess.run(
        ["localedef", "-i", "zh_CN", "-f", "GBK", str(loc / "zh_CN.GBK")], capture_output=True, timeout=120,
    ).returncode in (0, 1) and (loc / "zh_CN.GBK").is_dir()
    if made:
        env.update(LOCPATH=str(loc), LC_ALL="zh_CN.GBK")
    else:
        env.update(LC_ALL="C")
    r = subprocess.run([sys.executable, "-c", "import locale,sys; print(locale.getpreferredencoding(False), "
                        "sys.stdout.encoding)"], env=env, capture_output=True, text=True, timeout=60)
    enc = r.stdout.split()
    assert enc and enc[0].lower() in ("gbk", "ansi_x3.4-1968", "ascii", "gb2312"), r.stdout + r.stderr
    return env, enc[0]


def _gm(env, *args, cwd=None):
    r = subprocess.run([sys.executable, "-m", "gridmap", *args], env=env, capture_output=True, timeout=300,
                       cwd=cwd or ROOT)
    return r.returncode, r.stdout, r.stderr


def test_cli_output_redirected_on_chinese_windows(gbk_env, tmp_path):
    """``gridmap info PLAN > 结果.txt`` on Chinese Windows writes GBK; characters GBK lacks (km²)
    are spelled plainly instead of a UnicodeEncodeError, and Chinese stays Chinese."""
    env, enc = gbk_env
    code, out, err = _gm(env, "info", str(SAMPLE / "baoan_plan.gpkg"))
    assert code == 0, err.decode(enc, "replace")
    if enc.lower() == "gbk":
        text = out.decode("gbk")
        assert "方案" in text and "km2" in text and "Traceback" not in err.decode("gbk")
    code, out, err = _gm(env, "check", str(SAMPLE / "baoan_plan_errors.gpkg"), "--json")
    assert code == 1 and "Traceback" not in err.decode(enc, "replace")
    problems = json.loads(out.decode(enc if enc.lower() == "gbk" else "ascii", "replace"))["problems"]
    assert problems and all("rule" in p for p in problems)
    code, out, err = _gm(env, "info", str(tmp_path / "不存在.gpkg"))
    assert code == 2 and "Traceback" not in err.decode(enc, "replace")


@pytest.mark.slow
def test_csv_and_roster_with_a_gbk_default(gbk_env, tmp_path):
    """Under the GBK default: a roster CSV saved by Excel on Chinese Windows (GBK, no BOM) imports
    with its names right; CSV tables are UTF-8 with BOM whatever the locale (Excel on Chinese Windows
    opens them right); a shapefile export with ``--encoding gbk`` has a GBK .dbf and its .cpg."""
    env, enc = gbk_env
    # file names in ASCII here: a GBK process on Linux sees the UTF-8 bytes of Chinese file names as
    # GBK (on Windows names are Unicode; Chinese folder names are tested above, in this process)
    plan = tmp_path / "plan.gpkg"
    shutil.copy(SAMPLE / "baoan_plan.gpkg", plan)
    from gridmap.core.storage import open_plan

    p = open_plan(plan)
    code0 = str(p.grids["code"].iloc[0])
    roster = tmp_path / "roster.csv"
    roster.write_bytes(f"网格编码,姓名,职务,电话\r\n{code0},欧阳明,网格员,13800001234\r\n".encode("gbk"))
    code, out, err = _gm(env, "import", str(roster), "--roster", "--into", str(plan))
    assert code == 0, err.decode(enc, "replace")
    assert "欧阳明" in set(open_plan(plan).people["name"])

    code, out, err = _gm(env, "export", str(plan), "--format", "csv", "-o", str(tmp_path / "tables"))
    assert code == 0, err.decode(enc, "replace")
    csvs = sorted((tmp_path / "tables").rglob("*.csv"))
    assert csvs and all(f.read_bytes().startswith(b"\xef\xbb\xbf") for f in csvs)
    assert any("欧阳明" in f.read_bytes().decode("utf-8-sig") for f in csvs)
    code, out, err = _gm(env, "export", str(plan), "--format", "csv", "--encoding", "gbk", "-o",
                         str(tmp_path / "tables_gbk"))
    assert code == 0, err.decode(enc, "replace")
    # the tables stay UTF-8 with BOM (--encoding is for the .dbf of shapefiles): never the locale's codec
    gbk_csvs = list((tmp_path / "tables_gbk").rglob("*.csv"))
    assert gbk_csvs and all(f.read_bytes().startswith(b"\xef\xbb\xbf") for f in gbk_csvs)
    code, out, err = _gm(env, "export", str(plan), "--format", "shp", "--encoding", "gbk", "-o",
                         str(tmp_path / "shp"))
    assert code == 0, err.decode(enc, "replace")
    assert {f.read_text(encoding="ascii") for f in (tmp_path / "shp").rglob("*.cpg")} == {"936"}


TEXT_CALLS = {"open", "read_text", "write_text", "TextIOWrapper", "to_csv", "read_csv", "NamedTemporaryFile"}


def _implicit_encoding_calls(path: Path) -> list[str]:
    out = []
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        f = node.func
        name = f.attr if isinstance(f, ast.Attribute) else f.id if isinstance(f, ast.Name) else ""
        if name not in TEXT_CALLS:
            continue
        if isinstance(f, ast.Attribute) and name == "open" and not (
                isinstance(f.value, ast.Name) and f.value.id in ("io", "builtins", "codecs")):
            continue                                          # zf.open, rasterio.open, Image.open …
        kw = {k.arg for k in node.keywords}
        if "encoding" in kw or None in kw:
            continue
        mode = next((k.value for k in node.keywords if k.arg == "mode"), None)
        if mode is None and name == "open" and len(node.args) > 1:
            mode = node.args[1]
        if isinstance(mode, ast.Constant) and "b" in str(mode.value):
            continue
        if name == "NamedTemporaryFile" and mode is None:     # binary by default
            continue
        if name == "to_csv" and node.args and not isinstance(node.args[0], ast.Constant):
            pass
        if name == "read_csv" and node.args and isinstance(node.args[0], ast.Call) and \
                getattr(node.args[0].func, "attr", "") == "StringIO":
            continue                                          # already-decoded text
        out.append(f"{path.relative_to(ROOT)}:{node.lineno}: {name}(…) without encoding=")
    return out


def test_no_text_file_relies_on_the_locale_encoding():
    """Every text file gridmap reads or writes names its encoding: on Chinese Windows the default
    would be GBK (cp936), and a UTF-8 file read that way is garbled."""
    bad = [b for p in sorted((ROOT / "gridmap").rglob("*.py")) for b in _implicit_encoding_calls(p)]
    assert not bad, "\n".join(bad)
