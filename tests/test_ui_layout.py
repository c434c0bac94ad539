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


def test_layout_texts_are_remembered_in_the_plan(qtbot, settings, small_plan, tmp_path):
    """The issuing unit and title typed once come back in the next layout dialog and
    after save and reopen; remembering them is one undo step."""
    from gridmap.core.storage import save_plan
    from ui_edit_support import open_window

    save_plan(small_plan, tmp_path / "p.gpkg")
    win = open_window(qtbot, tmp_path / "p.gpkg", zoom=False)
    dlg = win.print_layout_dialog()
    dlg.issuer.setText("某县城市管理局")
    dlg.title.setText("某县网格划分示意图")
    out = tmp_path / "a.png"
    dlg.format.setCurrentIndex(dlg.format.findData("png"))
    dlg.dpi.setValue(72)
    dlg.export_to(str(out))
    qtbot.waitUntil(lambda: dlg.export_button.isEnabled() and out.exists(), timeout=60_000)
    dlg.close()
    assert win.document.dirty and win.document.plan.settings["layout.issuer"] == "某县城市管理局"
    again = win.print_layout_dialog()
    assert again.issuer.text() == "某县城市管理局" and again.title.text() == "某县网格划分示意图"
    again.close()
    assert win.save()
    reopened = open_plan(tmp_path / "p.gpkg")
    assert reopened.settings["layout.issuer"] == "某县城市管理局"
    win.document.undo_stack.undo()
    assert "layout.issuer" not in win.document.plan.settings
    win.close()


def test_annex_map_legend_lists_places(sample_plan_path):
    from gridmap.core.outputs.annex_map import annex_figure

    plan = open_plan(sample_plan_path)
    assert len(plan.places)
    fig, info = annex_figure(plan, {"project": str(sample_plan_path)})
    assert "小区/场所" in info["legend"] and "辖区界线" in info["legend"]


def test_page_layout_choice_reaches_the_output(qtbot, sample_plan_path, tmp_path):
    """公文 (GB/T 9704) or full page: the dialog's choice and the CLI's --layout give the same option."""
    import sys

    from gridmap.core.outputs.options import OutputOptions

    plan = open_plan(sample_plan_path)
    dlg = LayoutDialog(plan, str(sample_plan_path))
    qtbot.addWidget(dlg)
    assert dlg.options()["layout"] == "gongwen"
    dlg.page_layout.setCurrentIndex(dlg.page_layout.findData("full"))
    assert OutputOptions.from_dict(dlg.options()).layout == "full"
    dlg.close()
    out = tmp_path / "full.pdf"
    res = subprocess.run([sys.executable, "-m", "gridmap", "export", str(sample_plan_path), "-f", "pdf",
                          "--layout", "full", "-o", str(out)], capture_output=True, text=True, timeout=300)
    assert res.returncode == 0, res.stderr
    assert out.exists()
