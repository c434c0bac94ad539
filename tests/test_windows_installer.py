"""The Windows recipe (packaging/windows): the NSIS installer script compiles here — makensis runs on
Linux (Debian: nsis) — into a 64-bit setup .exe that carries the bundle, and the pieces agree with
each other: the spec's program names, the folder build.ps1 hands to makensis, the per-user install
(no admin rights, nothing under HKLM), the Start menu entry and the ``.gpkg`` "Open with".

The installer is compiled from a stand-in bundle (the layout PyInstaller makes, tiny files): about two
seconds; then run silently in Wine (a throwaway prefix) as a plain user, and uninstalled: about 20
seconds.  The real bundle is scripts/bundle.sh's and build.ps1's job.
"""

from __future__ import annotations

import os
import re
import shutil
import struct
import subprocess
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
WIN = ROOT / "packaging" / "windows"
NSI = WIN / "gridmap.nsi"
PS1 = WIN / "build.ps1"
SPEC = ROOT / "packaging" / "gridmap.spec"


def _nsi() -> str:
    return NSI.read_text(encoding="utf-8")


def _defines(text: str) -> dict[str, str]:
    return dict(re.findall(r'^\s*!define\s+(\w+)\s+"([^"]*)"', text, flags=re.M))


def test_the_recipe_is_in_the_repository():
    for f in (NSI, PS1, SPEC, WIN / "gridmap.ico", WIN / "make_icon.py", ROOT / "packaging" / "gridmap_entry.py"):
        assert f.is_file(), f


def test_installer_is_per_user_with_start_menu_and_open_with():
    text = _nsi()
    code = "\n".join(line.split(";", 1)[0] for line in text.splitlines())   # without comments
    assert re.search(r"^RequestExecutionLevel\s+user\s*$", code, flags=re.M)
    assert "HKLM" not in code and "$PROGRAMFILES" not in code           # nothing that needs admin rights
    assert re.search(r'^InstallDir\s+"\$LOCALAPPDATA\\Programs\\gridmap"', code, flags=re.M)
    assert "SetShellVarContext current" in code and "$SMPROGRAMS" in code
    d = _defines(text)
    # the program the Start menu and "Open with" start is the spec's windowed exe
    assert d["APPEXE"] == "gridmap-gui.exe"
    assert re.search(r'name="gridmap-gui",\s*console=False', SPEC.read_text(encoding="utf-8"))
    assert 'CreateShortcut "$SMPROGRAMS\\gridmap\\$(LinkApp).lnk" "$INSTDIR\\${APPEXE}"' in code
    # .gpkg: an "Open with" entry (OpenWithProgids), the file passed quoted, the default program untouched
    assert 'WriteRegStr HKCU "${CLASSES}\\.gpkg\\OpenWithProgids" "${PROGID}" ""' in code
    assert """'"$INSTDIR\\${APPEXE}" "%1"'""" in code
    assert not re.search(r'WriteRegStr HKCU "\$\{CLASSES\}\\\.gpkg" ""', code)
    # the uninstaller removes what the installer wrote, and keeps the user's data
    for key in ("${CLASSES}\\${PROGID}", "${CLASSES}\\Applications\\${APPEXE}", "${UNINSTKEY}"):
        assert f'DeleteRegKey HKCU "{key}"' in code
    assert "APPDATA" not in code.split('Section "Uninstall"', 1)[1]
    # both languages of the app
    assert 'MUI_LANGUAGE "SimpChinese"' in code and 'MUI_LANGUAGE "English"' in code


def test_build_script_hands_the_bundle_to_the_installer():
    ps1 = PS1.read_bytes()
    # Windows PowerShell 5.1 reads a script without a BOM in the ANSI code page: Chinese would break
    assert ps1.startswith(b"\xef\xbb\xbf")
    text = ps1.decode("utf-8-sig")
    for need in ("packaging\\gridmap.spec", "gridmap.nsi", "/DVERSION=$Version", "/DSRCDIR=$Bundle",
                 "/DOUTFILE=$Setup", "--no-deps", '"[ui]"', "GRIDMAP_BUNDLE_FONTS"):
        assert need in text, need
    # the bundle folder: the spec's COLLECT name under --distpath dist\bundle
    assert re.search(r'COLLECT\(.*name="gridmap"\)', SPEC.read_text(encoding="utf-8"))
    assert '$Out = Join-Path $Root "dist\\bundle"' in text and '$Bundle = Join-Path $Out "gridmap"' in text
    assert _defines(_nsi())["SRCDIR"] == "..\\..\\dist\\bundle\\gridmap"
    # every block closed (a crude parse: there is no PowerShell here)
    code = re.sub(r"<#.*?#>", "", text, flags=re.S)
    code = re.sub(r'"[^"\n]*"|\'[^\'\n]*\'', '""', code)
    code = "\n".join(line.split("#", 1)[0] for line in code.splitlines())
    for a, b in ("{}", "()", "[]"):
        assert code.count(a) == code.count(b), (a, b)


def test_icon_has_the_windows_sizes():
    from PIL import Image

    ico = Image.open(WIN / "gridmap.ico")
    assert {(16, 16), (32, 32), (48, 48), (256, 256)} <= set(ico.info["sizes"])


def _stand_in_bundle(dest: Path) -> Path:
    """The layout of PyInstaller's one-folder bundle, with tiny files and Chinese names inside."""
    for rel, data in {"gridmap.exe": b"MZ", "gridmap-gui.exe": b"MZ", "README.md": "# gridmap 使用说明\n".encode(),
                      "DATA-ATTRIBUTION.md": b"data", "_internal/gridmap/sample_layers/baoan_plan.gpkg": b"gpkg",
                      "_internal/gridmap/resources/i18n/gridmap_zh_CN.qm": b"qm",
                      "_internal/gridmap/fonts/说明.txt": "字体".encode()}.items():
        (dest / rel).parent.mkdir(parents=True, exist_ok=True)
        (dest / rel).write_bytes(data)
    return dest


@pytest.mark.skipif(not shutil.which("makensis"), reason="needs NSIS (apt-get install nsis)")
def test_installer_compiles_into_a_64bit_setup_that_carries_the_bundle(tmp_path):
    bundle = _stand_in_bundle(tmp_path / "bundle" / "gridmap")
    setup = tmp_path / "gridmap-9.8.7-windows-x64-setup.exe"
    r = subprocess.run(["makensis", "-V2", "-DVERSION=9.8.7", f"-DSRCDIR={bundle}", f"-DOUTFILE={setup}", NSI.name],
                       cwd=WIN, capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "warning" not in (r.stdout + r.stderr).lower(), r.stdout + r.stderr
    data = setup.read_bytes()
    pe = struct.unpack_from("<I", data, 0x3C)[0]
    assert data[:2] == b"MZ" and data[pe:pe + 4] == b"PE\0\0"
    assert struct.unpack_from("<H", data, pe + 4)[0] == 0x8664                 # x86-64
    # the version is in the file's properties (Explorer → Properties → Details)
    assert "9.8.7".encode("utf-16-le") in data
    if shutil.which("7z"):                                                   # 7-Zip reads NSIS installers
        listing = subprocess.run(["7z", "l", "-slt", str(setup)], capture_output=True, text=True, timeout=60).stdout
        names = {line[7:].replace("\\", "/") for line in listing.splitlines() if line.startswith("Path = ")}
        for need in ("gridmap-gui.exe", "gridmap.exe", "README.md", "gridmap.ico", "uninstall.exe",
                     "_internal/gridmap/sample_layers/baoan_plan.gpkg", "_internal/gridmap/fonts/说明.txt"):
            assert need in names, (need, sorted(names))


@pytest.mark.skipif(not shutil.which("makensis"), reason="needs NSIS (apt-get install nsis)")
def test_installer_needs_a_version(tmp_path):
    r = subprocess.run(["makensis", "-V1", f"-DOUTFILE={tmp_path / 'x.exe'}", NSI.name], cwd=WIN,
                       capture_output=True, text=True, timeout=120)
    assert r.returncode != 0 and "VERSION" in r.stdout + r.stderr


# ---------------------------------------------------------------- the installer run (Wine)
WINE = shutil.which("wine64") or next((p for p in ("/usr/lib/wine/wine64",) if Path(p).is_file()), None)


def _wine_env(tmp: Path) -> dict[str, str]:
    home = tmp / "home"
    home.mkdir(exist_ok=True)
    # a throwaway Wine prefix and home; no menu entries or icons written to the real desktop
    return {**os.environ, "WINEPREFIX": str(tmp / "prefix"), "WINEDEBUG": "-all", "HOME": str(home),
            "XDG_DATA_HOME": str(home / "share"), "XDG_CONFIG_HOME": str(home / "config"),
            "WINEDLLOVERRIDES": "mscoree,mshtml=;winemenubuilder.exe=d", "DISPLAY": ""}


def _wine(env, *args, timeout=300):
    r = subprocess.run([WINE, *args], env=env, capture_output=True, timeout=timeout)
    server = Path(WINE).with_name("wineserver")
    subprocess.run([str(server) if server.is_file() else "wineserver", "-w"], env=env, timeout=timeout)
    return r


@pytest.mark.slow
@pytest.mark.skipif(not (shutil.which("makensis") and WINE), reason="needs NSIS and Wine (apt-get install nsis wine64)")
def test_installer_installs_for_the_user_and_uninstalls_cleanly(tmp_path):
    """The setup .exe run silently (``/S``) in Wine as a plain user: the program goes to
    %LOCALAPPDATA%\\Programs\\gridmap, the Start menu entries and the .gpkg "Open with" are the user's
    (HKCU; nothing in HKLM), and the uninstaller removes them but keeps the user's settings."""
    bundle = _stand_in_bundle(tmp_path / "bundle" / "gridmap")
    setup = tmp_path / "gridmap-9.8.7-windows-x64-setup.exe"
    subprocess.run(["makensis", "-V1", "-DVERSION=9.8.7", f"-DSRCDIR={bundle}", f"-DOUTFILE={setup}", NSI.name],
                   cwd=WIN, check=True, capture_output=True, timeout=120)
    env = _wine_env(tmp_path)
    if _wine(env, "wineboot", "-i").returncode != 0:
        pytest.skip("wineboot failed")
    prefix = tmp_path / "prefix"
    r = _wine(env, str(setup), "/S")
    assert r.returncode == 0, r.stderr[-2000:]
    users = prefix / "drive_c" / "users"
    me = next(p for p in users.iterdir() if (p / "AppData").is_dir() and p.name != "Public")
    inst = me / "AppData" / "Local" / "Programs" / "gridmap"
    for f in ("gridmap-gui.exe", "gridmap.exe", "README.md", "uninstall.exe", "gridmap.ico",
              "_internal/gridmap/sample_layers/baoan_plan.gpkg", "_internal/gridmap/fonts/说明.txt"):
        assert (inst / f).is_file(), f
    menu = me / "AppData" / "Roaming" / "Microsoft" / "Windows" / "Start Menu" / "Programs" / "gridmap"
    links = sorted(p.name for p in menu.iterdir())
    assert len(links) == 3 and any("README" in n for n in links) and all(n.endswith(".lnk") for n in links)
    user_reg = (prefix / "user.reg").read_text(encoding="utf-8", errors="replace")
    for key in (r"[Software\\Classes\\gridmap.plan\\shell\\open\\command]", r"[Software\\Classes\\.gpkg\\OpenWithProgids]",
                r"[Software\\Microsoft\\Windows\\CurrentVersion\\Uninstall\\gridmap]"):
        assert key in user_reg, key
    assert r'gridmap-gui.exe\" \"%1\""' in user_reg                  # the file is passed to the app
    assert '"DisplayVersion"="9.8.7"' in user_reg
    assert "gridmap" not in (prefix / "system.reg").read_text(encoding="utf-8", errors="replace").lower()

    # the user's settings (the app writes them there) survive the uninstall
    settings = me / "AppData" / "Roaming" / "gridmap" / "gridmap.ini"
    settings.parent.mkdir(parents=True)
    settings.write_text("[General]\nlanguage=zh_CN\n", encoding="utf-8")
    r = _wine(env, str(inst / "uninstall.exe"), "/S")
    assert r.returncode == 0
    for _ in range(60):            # the uninstaller copies itself to %TEMP% and runs from there
        if not inst.exists():
            break
        time.sleep(0.5)
    assert not inst.exists() and not menu.exists()
    user_reg = (prefix / "user.reg").read_text(encoding="utf-8", errors="replace")
    assert "gridmap.plan" not in user_reg and "Uninstall\\\\gridmap]" not in user_reg
    assert settings.read_text(encoding="utf-8").endswith("language=zh_CN\n")

    # a folder of the user's choosing, with a Chinese name (/D= must be the last argument and unquoted:
    # Wine quotes an argument with a space, so no space here)
    r = _wine(env, str(setup), "/S", "/D=C:\\规划科软件\\gridmap")
    assert r.returncode == 0
    chosen = prefix / "drive_c" / "规划科软件" / "gridmap"
    assert (chosen / "gridmap-gui.exe").is_file() and (chosen / "_internal/gridmap/fonts/说明.txt").is_file()
