"""Languages: Chinese by default, English selectable; Qt translations from ``resources/i18n``.

The source strings in the code are English; ``resources/i18n/gridmap_zh_CN.ts``
holds the Chinese (kept in the repository, compiled to ``.qm`` with
``pyside6-lrelease``; ``tools``-free: :func:`ensure_compiled` rebuilds a
missing or outdated ``.qm`` when lrelease is available).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QSettings, QTranslator

__all__ = ["LANGUAGES", "RESOURCES", "I18N", "install", "current_language", "ensure_compiled", "qm_path"]

LANGUAGES = {"zh_CN": "中文", "en": "English"}
DEFAULT_LANGUAGE = "zh_CN"


def _resources() -> Path:
    # gridmap/resources in a wheel or bundle, resources/ at the root of a source checkout
    from ..core.locations import resources_dir

    return resources_dir()


RESOURCES = _resources()
I18N = RESOURCES / "i18n"

_installed: list[QTranslator] = []


def qm_path(lang: str) -> Path:
    return I18N / f"gridmap_{lang}.qm"


def ensure_compiled(lang: str) -> Path | None:
    """The ``.qm`` of a language, compiled from its ``.ts`` if missing or older."""
    ts = I18N / f"gridmap_{lang}.ts"
    qm = qm_path(lang)
    if ts.exists() and (not qm.exists() or qm.stat().st_mtime < ts.stat().st_mtime):
        exe = shutil.which("pyside6-lrelease") or str(Path(sys.executable).with_name("pyside6-lrelease"))
        try:
            subprocess.run([exe, "-silent", str(ts), "-qm", str(qm)], check=True, timeout=60,
                           capture_output=True)
        except (OSError, subprocess.SubprocessError):
            pass
    return qm if qm.exists() else None


def current_language() -> str:
    lang = str(QSettings().value("language", DEFAULT_LANGUAGE) or DEFAULT_LANGUAGE)
    return lang if lang in LANGUAGES else DEFAULT_LANGUAGE


def install(lang: str | None = None) -> str:
    """Install the translators for ``lang`` (default: the remembered one) into the
    running application; widgets get a ``LanguageChange`` event.  Returns the language."""
    app = QCoreApplication.instance()
    lang = lang if lang in LANGUAGES else current_language()
    for t in _installed:
        app.removeTranslator(t)
    _installed.clear()
    if lang != "en":
        qm = ensure_compiled(lang)
        if qm is not None:
            t = QTranslator(app)
            if t.load(str(qm)):
                app.installTranslator(t)
                _installed.append(t)
        qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
        qt = QTranslator(app)
        if qt.load(QLocale(lang), "qtbase", "_", qt_dir):
            app.installTranslator(qt)
            _installed.append(qt)
    QLocale.setDefault(QLocale(lang if lang != "en" else "en_US"))
    return lang


# EPSG names of the coordinate systems Chinese plans use, in the words of Chinese surveying
# (the EPSG name itself stays in the tooltip of the status bar).
_CRS_WORDS = (
    (r"China Geodetic Coordinate System 2000", "2000国家大地坐标系"),
    (r"New Beijing", "新北京54"), (r"Beijing 1954", "北京54"), (r"Xian 1980", "西安80"),
    (r"Hong Kong 1980 Grid System", "香港1980方格网"), (r"Hong Kong 1980", "香港1980"),
    (r"3-degree Gauss-Kruger", "3度带高斯-克吕格"), (r"(?<!度带)Gauss-Kruger", "6度带高斯-克吕格"),
    (r"\bCM (\d+(?:\.\d+)?)E\b", r"中央经线 \1°E"), (r"\bzone (\d+)([NS])\b", r"第 \1\2 带"),
    (r"\bzone (\d+)\b", r"第 \1 带"), (r"Pseudo-Mercator", "Web 墨卡托"), (r"\bTM2\b", "TM2 投影"),
)


def crs_display_name(name: str, lang: str | None = None) -> str:
    """The name of a CRS as the current language shows it.

    >>> crs_display_name("CGCS2000 / 3-degree Gauss-Kruger CM 114E", "zh_CN")
    'CGCS2000 / 3度带高斯-克吕格 中央经线 114°E'
    >>> crs_display_name("WGS 84 / UTM zone 50N", "zh_CN")
    'WGS 84 / UTM 第 50N 带'
    >>> crs_display_name("WGS 84 / UTM zone 50N", "en")
    'WGS 84 / UTM zone 50N'
    """
    import re

    lang = lang or (current_language() if QCoreApplication.instance() is not None else "en")
    if lang == "en":
        return name
    for pattern, repl in _CRS_WORDS:
        name = re.sub(pattern, repl, name)
    return name
