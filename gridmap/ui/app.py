"""``gridmap [PROJECT.gpkg]``: start the desktop app.

Without an argument the sample plan (``sample_layers/baoan_plan.gpkg``) opens;
if it is missing the window starts empty with a quiet notice.
"""

from __future__ import annotations

import sys
from pathlib import Path

__all__ = ["main", "create_app"]

ORG = "gridmap"
APP = "gridmap"


def create_app(argv: list[str] | None = None):
    """The QApplication (created once), with names for QSettings and the saved language installed."""
    from PySide6.QtCore import QCoreApplication
    from PySide6.QtWidgets import QApplication

    from . import i18n

    app = QApplication.instance()
    if app is None:
        configure_settings()
        QCoreApplication.setOrganizationName(ORG)
        QCoreApplication.setApplicationName(APP)
        app = QApplication([sys.argv[0] if sys.argv else "gridmap"] + list(argv or []))
    else:
        QCoreApplication.setOrganizationName(ORG)
        QCoreApplication.setApplicationName(APP)
    from PySide6.QtGui import QIcon

    app.setWindowIcon(QIcon(str(i18n.RESOURCES / "icons" / "gridmap.svg")))
    add_bundled_fonts()
    i18n.install()
    return app


def configure_settings(platform: str | None = None, environ=None) -> str | None:
    """On Windows, settings go into ``%APPDATA%\\gridmap\\gridmap.ini`` (an INI file beside the
    user's other application data, carried by roaming profiles, easy to back up or reset)
    instead of the registry.  Returns the settings file for Windows, else None (Qt's default:
    ``~/.config/gridmap/gridmap.conf`` on Linux)."""
    import ntpath

    from PySide6.QtCore import QSettings

    from ..core.locations import user_dirs

    if (platform or sys.platform) != "win32":
        return None
    folder = user_dirs("win32", environ)["config"]          # %APPDATA%\gridmap
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, ntpath.dirname(folder))
    return ntpath.join(folder, f"{APP}.ini")


def add_bundled_fonts() -> list[str]:
    """Register the CJK fonts shipped inside a bundle (``gridmap/fonts``) with Qt, so the
    Chinese UI shows Chinese on a PC without Chinese fonts.  Returns the families added."""
    from PySide6.QtGui import QFontDatabase

    from ..core.locations import bundled_fonts_dir

    folder = bundled_fonts_dir()
    families: list[str] = []
    for f in sorted(folder.iterdir()) if folder else ():
        if f.suffix.lower() in (".ttf", ".ttc", ".otf"):
            fid = QFontDatabase.addApplicationFont(str(f))
            if fid >= 0:
                families += QFontDatabase.applicationFontFamilies(fid)
    return families


def start_window(project: str | None = None, sample=None):
    """Create the main window and open ``project`` or, without one, the sample plan."""
    from .main_window import MainWindow, sample_plan_path

    win = MainWindow()
    if project:
        win.open_path(project)
    else:
        sample = Path(sample) if sample is not None else sample_plan_path()
        if sample.exists():
            win.open_path(sample)
        else:
            win.status.showMessage(win.tr("Sample plan not found (%1). Use Project → Open or New plan.")
                                   .replace("%1", str(sample)), 20000)
    return win


def gui_main() -> int:
    """The ``gridmap-gui`` entry point (a GUI script: no console window on Windows)."""
    return main(sys.argv[1:])


def main(argv: list[str]) -> int:
    args = [a for a in argv if not a.startswith("-")]
    if len(args) > 1:
        print("usage: gridmap [PROJECT.gpkg | postgresql://USER@HOST/DB?schema=S]", file=sys.stderr)
        return 2
    project = args[0] if args else None
    from ..core.storage import is_url

    if project is not None and not is_url(project) and not Path(project).exists():   # a URL: a shared plan
        print(f"gridmap: {project}: file not found", file=sys.stderr)
        return 2
    try:
        app = create_app([])
    except ImportError as exc:  # PySide6 missing
        print(f"gridmap: the desktop app needs PySide6 ({exc}); pip install 'gridmap[ui]'", file=sys.stderr)
        return 2
    win = start_window(project)
    win.show()
    return int(app.exec())
