"""The entry point of the frozen gridmap (PyInstaller one-folder bundle, Linux and Windows).

``gridmap`` with no argument or a plan starts the app; ``gridmap info|check|export|…`` is the CLI,
exactly as the pip-installed ``gridmap``.  ``gridmap --screenshot PLAN OUT.png [options]`` saves a
picture of the main window (offscreen; the bundle's self-test, see scripts/bundle.sh).

Before anything imports GDAL or PROJ, their data folders inside the bundle are named in the
environment, and PROJ's network grid download is off (an intranet PC has no internet).
"""

import os
import sys
from pathlib import Path


def _bundle_env() -> None:
    base = Path(getattr(sys, "_MEIPASS", Path(__file__).resolve().parent))
    for var, cands in (("GDAL_DATA", ("pyogrio/gdal_data", "rasterio/gdal_data")),
                       ("PROJ_DATA", ("pyproj/proj_dir/share/proj", "rasterio/proj_data", "pyogrio/proj_data"))):
        if not os.environ.get(var):
            for c in cands:
                if (base / c).is_dir():
                    os.environ[var] = str(base / c)
                    break
    if os.environ.get("PROJ_DATA"):
        os.environ.setdefault("PROJ_LIB", os.environ["PROJ_DATA"])
    os.environ.setdefault("PROJ_NETWORK", "OFF")
    # the CJK font inside (gridmap/fonts) is found by gridmap.core.outputs.fonts after the system's
    # own Chinese fonts (SimHei … on Windows) and registered with Qt by gridmap.ui.app


def main() -> int:
    _bundle_env()
    if sys.argv[1:2] == ["--screenshot"]:
        from gridmap.ui.screenshot import main as shot

        return shot(sys.argv[2:])
    from gridmap.cli import main as cli

    return cli()


if __name__ == "__main__":
    sys.exit(main())
