"""The print layout dialog: live preview from the real renderer, export in the background."""

from __future__ import annotations

import subprocess

from gridmap.core.storage import open_plan
from gridmap.ui.layout_dialog import LayoutDialog


def test_layout_dialog_previews_and_exports(qtbot, sample_plan_path, tmp_path):
    plan = open_plan(sample_plan_path)
    dlg = LayoutDialog(plan, str(sample_plan_path))
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.waitUntil(lambda: dlg._pixmap is not None and not dlg._pixmap.isNull(), timeout=60_000)
    portrait = dlg._pixmap.size()
    assert portrait.height() > portrait.width()
    # switching to A3 landscape redraws the preview in landscape
    dlg.paper.setCurrentText("A3")
    dlg.landscape.setChecked(True)
    dlg.title.setText("新安街道网格划分示意图（测试）")
    qtbot.waitUntil(lambda: dlg._pixmap.width() > dlg._pixmap.height(), timeout=60_000)
    out = tmp_path / "annex.pdf"
    dlg.export_to(str(out))
    qtbot.waitUntil(lambda: dlg.export_button.isEnabled() and out.exists(), timeout=60_000)
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True).stdout
    assert "新安街道网格划分示意图（测试）" in text
    info = subprocess.run(["pdfinfo", str(out)], capture_output=True, text=True).stdout
    assert "1190.55 x 841.89" in info or "1191 x 842" in info  # A3 landscape in points
    dlg.close()
