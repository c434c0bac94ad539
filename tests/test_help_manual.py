"""Help → User manual and Help → Open the sample plan: the manual is the README, found beside the
program in a bundle, at the repository root in a checkout, and written from the package's own
description when installed from a wheel; the sample is the user's copy when installed."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from gridmap.core import locations

ROOT = Path(__file__).resolve().parents[1]


def test_manual_in_a_checkout():
    assert locations.manual_path() == ROOT / "README.md"


def test_manual_beside_the_bundled_program(tmp_path, monkeypatch):
    folder = tmp_path / "Programs" / "网格 gridmap"
    folder.mkdir(parents=True)
    (folder / "README.md").write_text("# gridmap 使用说明\n", encoding="utf-8")
    monkeypatch.setattr(locations, "is_frozen", lambda: True)
    monkeypatch.setattr(sys, "executable", str(folder / "gridmap-gui.exe"))
    assert locations.manual_path() == folder / "README.md"


def test_manual_from_the_installed_package_description(tmp_path, monkeypatch):
    from importlib.metadata import metadata

    text = metadata("gridmap").get_payload()
    if not (text and text.strip()):
        pytest.skip("this installation of gridmap has no long description")
    monkeypatch.setattr(locations, "package_dir", lambda: tmp_path / "site-packages" / "gridmap")
    monkeypatch.setattr(locations, "data_dir", lambda: tmp_path / "Roaming" / "gridmap")
    path = locations.manual_path()
    assert path == tmp_path / "Roaming" / "gridmap" / "README.md"
    assert path.read_text(encoding="utf-8") == text and "gridmap" in text


def test_help_menu_opens_the_manual_and_the_sample(qtbot, settings):
    pytest.importorskip("PySide6")
    from test_ui_window import make_window

    w = make_window(qtbot)
    opened = []
    w._open_local = opened.append                 # not the system's viewer, in a test
    help_menu = next(m for m in w.menuBar().actions() if "Help" in m.text() or "帮助" in m.text()).menu()
    ids = [a for a in help_menu.actions() if not a.isSeparator()]
    assert w.actions["manual"] in ids and w.actions["open_sample"] in ids
    w.actions["manual"].trigger()
    assert opened == [ROOT / "README.md"]
    w.actions["open_sample"].trigger()
    assert w.wait_idle(20000)
    assert w.document.path == locations.user_sample_plan()
    w.close()
