"""Save a screenshot of the main window with a project open (for the README and
for looking at the app without a display):

    QT_QPA_PLATFORM=offscreen python -m gridmap.ui.screenshot PROJECT.gpkg out.png [--lang en]
        [--size 1500x950] [--select CODE] [--scale 5000] [--checks [--problem N]]
"""

from __future__ import annotations

import argparse
import sys
import tempfile

__all__ = ["main"]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m gridmap.ui.screenshot")
    ap.add_argument("project")
    ap.add_argument("out")
    ap.add_argument("--lang", default="zh_CN")
    ap.add_argument("--size", default="1500x950")
    ap.add_argument("--select", help="select (and zoom to) the grid with this code")
    ap.add_argument("--scale", type=float, help="show the map at 1:SCALE")
    ap.add_argument("--checks", action="store_true", help="run the checks first")
    ap.add_argument("--problem", type=int, default=0, help="with --checks: show this problem (row) on the map")
    args = ap.parse_args(argv)
    from PySide6.QtCore import QSettings

    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, tempfile.mkdtemp(prefix="gridmap-shot-"))
    from .app import create_app
    from .main_window import MainWindow

    app = create_app([])
    QSettings().setValue("language", args.lang)
    from . import i18n

    i18n.install(args.lang)
    win = MainWindow()
    win.confirm_close = False
    w, h = (int(v) for v in args.size.lower().split("x"))
    win.resize(w, h)
    win.show()
    win.open_path(args.project)
    if not win.wait_idle(120000) or win.document is None:
        print(f"screenshot: could not open {args.project}: {win.last_error}", file=sys.stderr)
        return 2
    if args.select:
        win.search_grid(args.select)
    if args.scale:
        win.canvas.set_scale(args.scale)
    if args.checks:
        win.run_checks()
        win.wait_idle(120000)
        if len(win.problems.problems) > args.problem:     # show a problem on the map
            win.problems._on_index(win.problems.model.index(args.problem, 0))
    win.wait_idle(120000)
    ok = win.grab().save(args.out)
    win.close()
    del app
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
