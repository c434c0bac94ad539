"""Offline laptops in the app: 项目 → 签出到本机… (an area of the shared plan into a .gpkg, opened in
the window) and 项目 → 签入到服务器… (the changes made since, as transactions; conflicts listed with
whose change, when and what, kept in the file; re-apply on the server's latest rows, or discard).
The work is :mod:`gridmap.core.storage.checkout` (the same as ``gridmap checkout`` / ``checkin``)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QT_TRANSLATE_NOOP, QSettings, Qt
from PySide6.QtWidgets import (QComboBox, QDialog, QDialogButtonBox, QFileDialog, QFormLayout, QHBoxLayout,
                               QHeaderView, QLabel, QLineEdit, QPushButton, QTableWidget, QTableWidgetItem,
                               QVBoxLayout)

__all__ = ["CheckoutDialog", "CheckinDialog"]


class CheckoutDialog(QDialog):
    """Server address, the area (a parent grid) and the file to write."""

    def __init__(self, window=None):
        super().__init__(window)
        self.window_ = window
        self.path: Path | None = None
        self.setWindowTitle(self.tr("Check out an area to this computer"))
        self.url = QLineEdit(self)
        self.url.setObjectName("checkout_url")
        self.url.setPlaceholderText("postgresql://user@127.0.0.1:5432/gridmap?schema=city")
        self.url.setText(str(QSettings().value("server/url", "") or ""))
        self.list_button = QPushButton(self.tr("List areas"), self)
        self.list_button.clicked.connect(self.list_areas)
        url_row = QHBoxLayout()
        url_row.addWidget(self.url, 1)
        url_row.addWidget(self.list_button)
        self.area = QComboBox(self)
        self.area.setObjectName("checkout_area")
        self.area.setEditable(True)
        self.area.lineEdit().setPlaceholderText(self.tr("code of the parent grid, e.g. 440306001000"))
        self.output = QLineEdit(self)
        self.output.setObjectName("checkout_output")
        browse = QPushButton(self.tr("Browse…"), self)
        browse.clicked.connect(self._browse)
        out_row = QHBoxLayout()
        out_row.addWidget(self.output, 1)
        out_row.addWidget(browse)
        form = QFormLayout()
        form.addRow(self.tr("Server address"), url_row)
        form.addRow(self.tr("Area (parent grid)"), self.area)
        form.addRow(self.tr("Local file"), out_row)
        note = QLabel(self.tr("The file holds the grids under the area (editable) and the grids around it "
                              "(read-only), with their segments, places, people and assessment rows. Edit it "
                              "anywhere, then use Project → Check in to the server."), self)
        note.setWordWrap(True)
        self.status = QLabel(self)
        self.status.setObjectName("checkout_status")
        self.status.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.ok = buttons.addButton(self.tr("Check out"), QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self.run)
        buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addLayout(form)
        lay.addWidget(note)
        lay.addWidget(self.status)
        lay.addWidget(buttons)
        self.resize(640, self.sizeHint().height())

    def _browse(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Local file"), self.output.text(),
                                              self.tr("gridmap project (*.gpkg)"))
        if path:
            self.output.setText(path if path.lower().endswith(".gpkg") else path + ".gpkg")

    def list_areas(self) -> bool:
        """Fill the area list with the server's parent grids (grids that have grids under them)."""
        from ..core.storage import StoreError
        from ..core.storage.postgis import connect, parse_url

        url = self.url.text().strip()
        try:
            _, schema = parse_url(url)
            with connect(url) as conn:
                rows = conn.execute(f'SELECT g.code, g.name FROM "{schema}".grids g WHERE EXISTS (SELECT 1 FROM '
                                    f'"{schema}".grids c WHERE c.parent = g.id) ORDER BY g.code').fetchall()
        except StoreError as exc:
            self.status.setText(str(exc))
            return False
        except Exception as exc:          # no such schema, not a gridmap plan …
            self.status.setText(" ".join(str(exc).split())[:300])
            return False
        QSettings().setValue("server/url", url)
        self.area.clear()
        for code, name in rows:
            self.area.addItem(f"{code}  {name}", code)
        self.status.setText(self.tr("%1 area(s) on the server").replace("%1", str(len(rows))))
        return True

    def _area_code(self) -> str:
        text = self.area.currentText().strip()
        data = self.area.currentData()
        if data and text.startswith(str(data)):
            return str(data)
        return text.split()[0] if text else ""

    def run(self) -> bool:
        """Check out into the file and open it in the window."""
        from ..core.storage import StoreError, save_plan
        from ..core.storage.checkout import checkout

        url, code, out = self.url.text().strip(), self._area_code(), self.output.text().strip()
        if not url or not code or not out:
            self.status.setText(self.tr("Give the server address, the area and the local file."))
            return False
        path = Path(out if out.lower().endswith(".gpkg") else out + ".gpkg")
        if not path.parent.is_dir():
            self.status.setText(self.tr("The folder %1 does not exist.").replace("%1", str(path.parent)))
            return False
        try:
            plan = checkout(url, code)
            save_plan(plan, path, force=True)
        except StoreError as exc:
            self.status.setText(str(exc))
            return False
        QSettings().setValue("server/url", url)
        self.path = path
        if self.window_ is not None:
            self.window_.open_path(path)
        self.accept()
        return True


_STATUS = {"committed": QT_TRANSLATE_NOOP("CheckinDialog", "Checked in"),
           "conflict": QT_TRANSLATE_NOOP("CheckinDialog", "Conflict"),
           "refused": QT_TRANSLATE_NOOP("CheckinDialog", "Refused by the database"),
           "skipped": QT_TRANSLATE_NOOP("CheckinDialog", "Not sent (read-only surroundings)"),
           "discarded": QT_TRANSLATE_NOOP("CheckinDialog", "Local change discarded")}


class CheckinDialog(QDialog):
    """Check in the open checked-out plan and show what happened to each changeset."""

    def __init__(self, window, path: Path):
        super().__init__(window)
        self.window_ = window
        self.path = Path(path)
        self.result = None
        self.setWindowTitle(self.tr("Check in to the server"))
        self.summary = QLabel(self)
        self.summary.setObjectName("checkin_summary")
        self.summary.setWordWrap(True)
        self.table = QTableWidget(0, 3, self)
        self.table.setObjectName("checkin_table")
        self.table.setHorizontalHeaderLabels([self.tr("Result"), self.tr("Changeset"), self.tr("Details")])
        self.table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.setColumnWidth(0, 120)
        self.table.setColumnWidth(1, 260)
        self.table.setWordWrap(True)
        self.reapply_button = QPushButton(self.tr("Re-apply on the server's latest"), self)
        self.reapply_button.setObjectName("checkin_reapply")
        self.discard_button = QPushButton(self.tr("Discard my conflicting changes"), self)
        self.discard_button.setObjectName("checkin_discard")
        self.reapply_button.clicked.connect(lambda: self.run(reapply=True))
        self.discard_button.clicked.connect(lambda: self.run(discard=True))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        row = QHBoxLayout()
        row.addWidget(self.reapply_button)
        row.addWidget(self.discard_button)
        row.addStretch(1)
        lay = QVBoxLayout(self)
        lay.addWidget(self.summary)
        lay.addWidget(self.table, 1)
        lay.addLayout(row)
        lay.addWidget(buttons)
        self.resize(820, 420)

    def run(self, reapply: bool = False, discard: bool = False) -> bool:
        """Check the file in (the window's plan is saved first and reloaded after). False: nothing ran."""
        from ..core.storage import StoreError, open_plan, save_plan
        from ..core.storage.checkout import checkin

        win = self.window_
        if win is not None and win.document is not None and win.document.dirty and not win.save():
            return False
        try:
            plan = open_plan(self.path)
            result = checkin(plan, reapply=reapply, discard=discard, save=lambda: save_plan(plan, self.path))
            save_plan(plan, self.path)
        except StoreError as exc:
            self.summary.setText(str(exc))
            self.reapply_button.setEnabled(False)
            self.discard_button.setEnabled(False)
            return False
        self.result = result
        self._show(result)
        if win is not None:
            win.open_path(self.path)          # the file as checked in: new ids, the server's rows taken
        return True

    def _show(self, result) -> None:
        failed = result.failed
        self.table.setRowCount(len(result.outcomes))
        for r, o in enumerate(result.outcomes):
            status = self.tr(_STATUS.get(o.status, o.status))
            detail = o.message or (f"#{o.seq}" if o.seq else "")
            for c, text in enumerate((status, o.text, detail)):
                item = QTableWidgetItem(text)
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
                item.setToolTip(text)
                self.table.setItem(r, c, item)
        self.table.resizeRowsToContents()
        if not result.outcomes:
            text = self.tr("Nothing to check in: the file has no changes since it was checked out.")
        elif failed:
            text = self.tr("%1 changeset(s) checked in, %2 not: they stay in the local file. Re-apply them on "
                           "the server's latest rows, discard them, or check in again later.") \
                .replace("%1", str(len(result.committed))).replace("%2", str(len(failed)))
        else:
            text = self.tr("All %1 changeset(s) checked in.").replace("%1", str(len(result.committed)))
        notes = "\n".join(result.notes)
        self.summary.setText(text + ("\n" + notes if notes else ""))
        conflicts = any(o.status == "conflict" for o in failed)
        self.reapply_button.setEnabled(conflicts)
        self.discard_button.setEnabled(conflicts)
