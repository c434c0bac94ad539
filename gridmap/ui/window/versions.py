"""方案 → 版本…: the versions and compare dialog (:mod:`gridmap.ui.versions_dialog`).

Part of the main window (:class:`gridmap.ui.main_window.MainWindow` mixes it in).
"""

from __future__ import annotations

from PySide6.QtCore import Qt

__all__ = ["VersionsMixin"]


class VersionsMixin:
    """Opens the plan's versions and compare dialog."""

    def versions_dialog(self):
        if self.document is None:
            return None
        from ..versions_dialog import VersionsDialog

        dlg = VersionsDialog(self)
        dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        dlg.open()
        return dlg
