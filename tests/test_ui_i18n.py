"""Translations: every UI string has Chinese in resources/i18n, the compiled .qm
matches its .ts source, and the translator switches languages."""

from __future__ import annotations

import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QSettings

REPO = Path(__file__).resolve().parent.parent
I18N = REPO / "resources" / "i18n"
BIN = Path(sys.executable).parent


def test_every_ui_string_has_a_finished_chinese_translation(tmp_path):
    ts = tmp_path / "check.ts"
    shutil.copy(I18N / "gridmap_zh_CN.ts", ts)
    sources = [str(p) for p in sorted((REPO / "gridmap" / "ui").rglob("*.py"))]
    out = subprocess.run([str(BIN / "pyside6-lupdate"), *sources, "-no-obsolete", "-ts", str(ts)],
                         capture_output=True, text=True, check=True)
    assert "0 new" in out.stdout + out.stderr, out.stdout + out.stderr
    unfinished = [m.findtext("source") for m in ET.parse(ts).iter("message")
                  if (m.find("translation") is not None and m.find("translation").get("type") == "unfinished")]
    assert unfinished == []
    n = sum(1 for _ in ET.parse(ts).iter("message"))
    assert n > 150


def test_compiled_qm_matches_the_ts_source(tmp_path):
    qm = tmp_path / "check.qm"
    subprocess.run([str(BIN / "pyside6-lrelease"), "-silent", str(I18N / "gridmap_zh_CN.ts"), "-qm", str(qm)],
                   check=True, capture_output=True)
    assert qm.read_bytes() == (I18N / "gridmap_zh_CN.qm").read_bytes(), \
        "run: python resources/i18n/update.py"


def test_translator_installs_chinese_by_default_and_english_on_request(qapp, tmp_path):
    from gridmap.ui import i18n

    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path))
    QCoreApplication.setOrganizationName("gridmap")
    QCoreApplication.setApplicationName("gridmap")
    QSettings().clear()
    assert i18n.install() == "zh_CN"
    assert QCoreApplication.translate("MainWindow", "&Project") == "项目(&P)"
    assert QCoreApplication.translate("GridInspector", "%n grid(s) selected; showing the first.", "", 3) == \
        "已选择 3 个网格，显示第一个。"
    assert i18n.install("en") == "en"
    assert QCoreApplication.translate("MainWindow", "&Project") == "&Project"
    i18n.install("zh_CN")
