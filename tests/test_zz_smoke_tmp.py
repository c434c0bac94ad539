import sys
from pathlib import Path
sys.path.insert(0, "/work/wt/staffing-assess/tests")
from test_staffing import one_two_n
from ui_edit_support import open_window
from gridmap.core import staffing as S
from gridmap.core.storage import save_plan
from gridmap.core.checks import check_plan
from PySide6.QtWidgets import QApplication, QDialogButtonBox

def test_smoke(qtbot, settings, tmp_path):
    plan = one_two_n()
    path = tmp_path / "p.gpkg"; save_plan(plan, path)
    w = open_window(qtbot, path, zoom=False)
    gid = int(plan.grids.index[plan.grids["level"] == "community"][0])
    w.document.set_selection([gid])
    print(w.form.quota.text())
    w.form.quota_button.click()
    dlg = next(d for d in QApplication.topLevelWidgets() if type(d).__name__ == "StaffingDialog" and d.isVisible())
    code = str(plan.grids.at[gid, "code"])
    assert dlg.grid_table.rowCount() == 1
    dlg.set_grid_quota(code, "在编=3；协管=8；服务站=1")
    print(dlg.findings.text())
    dlg.resize(900, 760); qtbot.wait(50)
    dlg.grab().save("/tmp/shots/staffing_grid.png")
    dlg.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    p = w.document.plan
    print(p.settings.get(S.QUOTA_PREFIX + "grid." + code))
    print(w.form.quota.text())
    w.inspector_tabs.grab().save("/tmp/shots/form_quota.png")
    probs = [x for x in check_plan(p).problems if x.rule == "staffing"]
    print([x.message_zh for x in probs])
    w.undo_group.undo()
    print(p.settings.get(S.QUOTA_PREFIX + "grid." + code))
    w.close()
