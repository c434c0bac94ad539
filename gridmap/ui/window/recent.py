"""Window settings and the recent files (QSettings).

Part of the main window (:class:`gridmap.ui.main_window.MainWindow` mixes it in).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings


__all__ = ["RecentFilesMixin", "MAX_RECENT"]

MAX_RECENT = 10


class RecentFilesMixin:
    """Window settings and the recent files (QSettings)."""

    def _restore_settings(self) -> None:
        s = QSettings()
        geo = s.value("window/geometry")
        if geo is not None:
            self.restoreGeometry(geo)
        state = s.value("window/state")
        self._state_restored = state is not None and bool(self.restoreState(state))
        labels = s.value("view/labels", True)
        labels = labels if isinstance(labels, bool) else str(labels).lower() == "true"
        self.actions["labels"].setChecked(labels)
        self.canvas.show_labels = labels

    def save_settings(self) -> None:
        s = QSettings()
        s.setValue("window/geometry", self.saveGeometry())
        s.setValue("window/state", self.saveState())
        s.setValue("view/labels", self.canvas.show_labels)
        s.sync()

    def recent_files(self) -> list[str]:
        v = QSettings().value("recent", [])
        if isinstance(v, str):
            v = [v]
        return [str(x) for x in (v or [])]

    def _add_recent(self, path: Path) -> None:
        p = str(Path(path).resolve())
        rec = [p] + [r for r in self.recent_files() if r != p]
        QSettings().setValue("recent", rec[:MAX_RECENT])
        self._update_recent_menu()

    def _update_recent_menu(self) -> None:
        m = self.recent_menu
        m.clear()
        rec = self.recent_files()
        for r in rec:
            a = m.addAction(Path(r).name)
            a.setToolTip(r)
            a.setData(r)
            a.triggered.connect(lambda checked=False, r=r: self.open_path(r))
        m.setEnabled(bool(rec))
