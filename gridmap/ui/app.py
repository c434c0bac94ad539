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
        QCoreApplication.setOrganizationName(ORG)
        QCoreApplication.setApplicationName(APP)
        app = QApplication([sys.argv[0] if sys.argv else "gridmap"] + list(argv or []))
    else:
        QCoreApplication.setOrganizationName(ORG)
        QCoreApplication.setApplicationName(APP)
    from PySide6.QtGui import QIcon

    app.setWindowIcon(QIcon(str(i18n.RESOURCES / "icons" / "gridmap.svg")))
    i18n.install()
    return app


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


def main(argv: list[str]) -> int:
    args = [a for a in argv if not a.startswith("-")]
    if len(args) > 1:
        print("usage: gridmap [PROJECT.gpkg]", file=sys.stderr)
        return 2
    project = args[0] if args else None
    if project is not None and not Path(project).exists():
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
