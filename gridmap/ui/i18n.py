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
    here = Path(__file__).resolve()
    for cand in (here.parent / "resources", here.parents[2] / "resources"):
        if (cand / "i18n").is_dir():
            return cand
    return here.parents[2] / "resources"


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
