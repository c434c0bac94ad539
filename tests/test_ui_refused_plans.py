"""The window refuses a plan it cannot show truthfully — a newer format, no CRS, a garbage CRS — with a
clear message, keeps the plan it had, and writes nothing to the refused file."""

from __future__ import annotations

import hashlib
import shutil
import sys
from pathlib import Path

import pytest

from test_ui_window import make_window, plan_file  # noqa: F401  (fixture)

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "data" / "badfiles"))
from make_badfiles import _sql  # noqa: E402

CASES = {
    "newer_format": (["UPDATE settings SET value='99' WHERE key='format_version'"], "newer gridmap"),
    "no_crs": (["DELETE FROM settings WHERE key='crs'", "UPDATE gpkg_geometry_columns SET srs_id=0",
                "UPDATE gpkg_contents SET srs_id=0"], "coordinate reference"),
    "garbage_crs": (["UPDATE settings SET value='" + "9" * 300 + "' WHERE key='crs'"], "坐标系"),
}


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize("case", sorted(CASES))
def test_window_refuses_and_keeps_its_plan(qtbot, settings, plan_file, tmp_path, case):  # noqa: F811
    statements, phrase = CASES[case]
    bad = tmp_path / f"{case}.gpkg"
    shutil.copy(plan_file, bad)
    _sql(bad, *statements)
    before = _digest(bad)

    w = make_window(qtbot, plan_file)
    doc = w.document
    w.open_path(bad)
    assert w.wait_idle(20000)

    box = w.error_box
    assert box is not None and box.isVisible(), "no message for a refused plan"
    text = box.text()
    assert phrase.lower() in text.lower(), text
    assert any("\u4e00" <= ch <= "\u9fff" for ch in text), "the message has no Chinese half: " + text
    assert "Traceback" not in text and len(text) < 600, text      # one clear message, no 300-digit dump
    assert w.document is doc and Path(w.document.path) == Path(plan_file)   # the window keeps its plan
    assert _digest(bad) == before                                  # nothing written to the refused file
