"""The Export dialog through the real window: GBK shapefiles in CGCS2000
lon/lat and the XLSX annex tables in one go, a progress bar, a completion
message with "open folder", no silent overwrite, cancel between formats."""

from __future__ import annotations

import pyogrio
import pytest
from openpyxl import load_workbook

from gridmap.core.storage import save_plan
from ui_edit_support import open_window


@pytest.fixture
def win(qtbot, settings, small_plan, tmp_path):
    save_plan(small_plan, tmp_path / "方案.gpkg")
    w = open_window(qtbot, tmp_path / "方案.gpkg", zoom=False)
    yield w
    w.close()


def test_export_gbk_shapefiles_and_xlsx_with_a_completion_message(win, qtbot, tmp_path):
    from PySide6.QtWidgets import QMessageBox

    dlg = win.export_plan_dialog()
    out = tmp_path / "新文件夹" / "给平台"               # does not exist yet: created
    dlg.folder.setText(str(out))
    assert dlg.checks["shp"].isChecked() and dlg.checks["xlsx"].isChecked()
    dlg.encoding.setCurrentIndex(dlg.encoding.findData("gbk"))
    dlg.crs.setCurrentIndex(dlg.crs.findData("EPSG:4490"))
    dlg.tables["roster"].setChecked(False)
    dlg.start()
    qtbot.waitUntil(lambda: dlg.last_result is not None, timeout=30000)
    assert dlg.progress.value() == 100
    shp = out / "方案_shp"
    grids = next(p for p in shp.glob("*.shp") if "小网格" in p.stem or "grid" in p.stem.lower())
    assert (grids.with_suffix(".cpg")).read_text().strip().upper() in ("GBK", "CP936", "936")
    info = pyogrio.read_info(grids)
    assert "4490" in str(info["crs"])
    df = pyogrio.read_dataframe(grids)
    assert any("网格" in str(v) or "片" in str(v) for v in df.astype(str).to_numpy().ravel())   # Chinese read back
    wb = load_workbook(out / "方案.xlsx")
    assert "人员名单" not in wb.sheetnames and "网格划分表" in wb.sheetnames
    box = dlg.result_box
    assert isinstance(box, QMessageBox) and box.isVisible()
    assert str(out) in box.text()
    assert any(b.text() in ("打开文件夹", "Open folder") for b in box.buttons())
    box.close()

    # the same targets again: nothing overwritten unless the planner says so
    before = (out / "方案.xlsx").stat().st_mtime_ns
    assert dlg.start(overwrite=False) is None
    assert (out / "方案.xlsx").stat().st_mtime_ns == before
    assert dlg.message.text()


def test_run_job_stops_between_formats_when_cancelled(small_plan, tmp_path):
    from gridmap.ui.export_dialog import ExportJob, run_job
    from gridmap.ui.layers.base import Cancelled

    calls = []

    def cancelled():
        calls.append(1)
        return len(calls) > 1            # cancelled after the first format

    job = ExportJob(tmp_path / "o", "p", ["gpkg", "xlsx", "kml"])
    with pytest.raises(Cancelled):
        run_job(small_plan, job, cancelled=cancelled)
    assert (tmp_path / "o" / "p.gpkg").exists() and not (tmp_path / "o" / "p.xlsx").exists()


def test_cancel_button_cancels_the_running_export(win, qtbot, tmp_path):
    dlg = win.export_plan_dialog()
    dlg.folder.setText(str(tmp_path / "c"))
    for cb in dlg.checks.values():
        cb.setChecked(True)
    task = dlg.start()
    dlg.cancel_button.click()
    assert task.is_cancelled()
    qtbot.waitUntil(lambda: dlg.task is None, timeout=60000)
    assert dlg.export_button.isEnabled()


def test_run_job_stops_inside_a_long_format_and_leaves_nothing_half_written(tmp_path, repo_root):
    """Cancel during a format's long loop (the 四至 of every grid of the division table):
    the job stops at the loop's next step, the format's file is not left behind, a file
    of the same name from before (the planner agreed to overwrite it) is kept as it was,
    and the progress bar moved inside the format."""
    import sys

    from gridmap.ui.export_dialog import ExportJob, run_job
    from gridmap.ui.layers.base import Cancelled

    sys.path.insert(0, str(repo_root / "benchmarks"))
    import citygen

    plan = citygen.generate(400, seed=2, inject=False).plan
    for stem in ("new", "old"):
        job = ExportJob(tmp_path / "o", stem, ["xlsx"])
        if stem == "old":
            (tmp_path / "o" / "old.xlsx").write_bytes(b"the earlier export")
        calls, seen = [], []

        def cancelled():
            calls.append(1)
            return len(calls) > 3            # the format starts; two steps of its loop; then Cancel

        with pytest.raises(Cancelled):
            run_job(plan, job, cancelled=cancelled, progress=seen.append)
        assert len(calls) == 4
        assert any(0 < p < 100 for p in seen), seen
        names = sorted(p.name for p in (tmp_path / "o").iterdir())
        assert names == (["old.xlsx"] if stem == "old" else []), names
    assert (tmp_path / "o" / "old.xlsx").read_bytes() == b"the earlier export"
