"""The bundled app (scripts/bundle.sh): built with PyInstaller and self-tested with no Python on PATH
(CLI info/check/export pdf with an embedded CJK font, the app offscreen on the sample).  It takes
six to ten minutes on two cores; test.sh runs the suite on two pytest workers, so it builds beside the rest of
the suite.  GRIDMAP_BUNDLE_TEST=0 leaves it out (a quick local run);
PIP_ARGS="--no-index --find-links WHEELS" builds it offline."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(os.environ.get("GRIDMAP_BUNDLE_TEST") == "0",
                                 reason="GRIDMAP_BUNDLE_TEST=0: the bundle build (minutes) left out")]


@pytest.mark.skipif(not shutil.which("pdffonts"), reason="needs poppler-utils")
def test_bundle_builds_and_runs_without_python():
    r = subprocess.run(["bash", str(ROOT / "scripts" / "bundle.sh")], cwd=ROOT, capture_output=True, text=True,
                       timeout=3600)
    assert r.returncode == 0, (r.stdout + r.stderr)[-4000:]
    assert "bundle test: OK" in r.stdout
    assert (ROOT / "dist" / "bundle" / "gridmap" / "gridmap").is_file()
    assert (ROOT / "dist" / "bundle" / "bundle_screenshot.png").stat().st_size > 10_000
