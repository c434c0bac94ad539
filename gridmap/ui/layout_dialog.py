"""The print layout dialog: annex map / map book / Word annex / web map with a
live preview — the same layouts as ``gridmap export --format pdf|png|tiff|atlas|docx|html``.

The preview and the export are drawn by :mod:`gridmap.core.outputs` (matplotlib,
no Qt) in a background :class:`~gridmap.core.workers.WorkerThread`; the dialog only
collects options and shows the PNG it gets back, so typing a title never blocks
the window.  Older previews are dropped when a newer one is asked for.
"""

from __future__ import annotations

import datetime as _dt
from pathlib import Path

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (QCheckBox, QComboBox, QDialog, QDialogButtonBox, QFileDialog, QFormLayout,
                               QHBoxLayout, QLabel, QLineEdit, QMessageBox, QSizePolicy, QSpinBox,
                               QVBoxLayout, QWidget)

from ..core.workers import PlanSnapshot, WorkerThread

__all__ = ["LayoutDialog", "FORMATS"]

# format → (file filter, suffix, previewed as)
FORMATS = {
    "pdf": ("PDF (*.pdf)", ".pdf", "annex"),
    "png": ("PNG (*.png)", ".png", "annex"),
    "tiff": ("TIFF (*.tif *.tiff)", ".tif", "annex"),
    "atlas": ("PDF (*.pdf)", ".pdf", "atlas"),
    "docx": ("Word (*.docx)", ".docx", "annex"),
    "html": ("HTML (*.html)", ".html", None),
}


class _Relay(QObject):
    """Carries results from the worker thread to the GUI thread (queued signals)."""

    preview = Signal(int, bytes, str)   # generation, PNG bytes, error text
    exported = Signal(str, str)         # path, error text


#: the texts a planner types once per plan: field → plan setting they are remembered in
REMEMBERED = {"title": "layout.title", "subtitle": "layout.subtitle", "annex": "layout.annex",
              "issuer": "layout.issuer"}


class LayoutDialog(QDialog):
    """Options on the left, the page as it will print on the right.

    The title, subtitle, annex label and issuing unit (编制单位) are remembered in
    the plan: :attr:`remember` carries them (plan setting → text) when an output
    is exported, and the window records them as one undoable settings change."""

    remember = Signal(dict)

    def __init__(self, plan, project_path: str | None = None, parent=None):
        super().__init__(parent)
        self.plan = plan
        self.project_path = project_path
        self.setWindowTitle(self.tr("Print layout"))
        self.resize(1100, 760)
        self._generation = 0
        self._shown = 0
        self._worker = WorkerThread("gridmap-layout")
        self._relay = _Relay()
        self._relay.preview.connect(self._on_preview)
        self._relay.exported.connect(self._on_exported)
        self._timer = QTimer(self, singleShot=True, interval=350)
        self._timer.timeout.connect(self._request_preview)

        self.format = QComboBox()
        for key, label in (("pdf", self.tr("Annex map (PDF, vector)")), ("png", self.tr("Annex map (PNG)")),
                           ("tiff", self.tr("Annex map (TIFF)")), ("atlas", self.tr("Map book, one page per grid (PDF)")),
                           ("docx", self.tr("Word annex (DOCX)")), ("html", self.tr("Web map (HTML, works offline)"))):
            self.format.addItem(label, key)
        self.paper = QComboBox()
        self.paper.addItems(["A4", "A3"])
        self.landscape = QCheckBox(self.tr("Landscape"))
        self.page_layout = QComboBox()
        self.page_layout.addItem(self.tr("Official document (GB/T 9704 margins)"), "gongwen")
        self.page_layout.addItem(self.tr("Full page (to the edges)"), "full")
        self.title = QLineEdit(f"{plan.name}网格化管理划分示意图" if plan.name else "")
        self.subtitle = QLineEdit()
        self.annex = QLineEdit("附件1")
        self.issuer = QLineEdit()
        today = _dt.date.today()
        self.date = QLineEdit(f"{today.year}年{today.month}月{today.day}日")
        self.dpi = QSpinBox(minimum=72, maximum=1200, value=300, singleStep=50)
        self.inset = QCheckBox(self.tr("Locator inset"))
        for attr, key in REMEMBERED.items():
            if plan.settings.get(key):
                getattr(self, attr).setText(str(plan.settings[key]))

        form = QFormLayout()
        form.addRow(self.tr("Output"), self.format)
        form.addRow(self.tr("Paper"), self.paper)
        form.addRow("", self.landscape)
        form.addRow(self.tr("Page layout"), self.page_layout)
        form.addRow(self.tr("Annex label"), self.annex)
        form.addRow(self.tr("Title"), self.title)
        form.addRow(self.tr("Subtitle"), self.subtitle)
        form.addRow(self.tr("Issuing unit"), self.issuer)
        form.addRow(self.tr("Date"), self.date)
        form.addRow(self.tr("Resolution (dpi)"), self.dpi)
        form.addRow("", self.inset)
        left = QWidget()
        left.setLayout(form)
        left.setMaximumWidth(380)

        self.preview = QLabel(self.tr("Preparing preview…"))
        self.preview.setAlignment(Qt.AlignCenter)
        self.preview.setSizePolicy(QSizePolicy.Ignored, QSizePolicy.Ignored)
        self.preview.setStyleSheet("background: #808080; color: white;")
        self.status = QLabel("")
        right = QVBoxLayout()
        right.addWidget(self.preview, 1)
        right.addWidget(self.status)

        top = QHBoxLayout()
        top.addWidget(left)
        top.addLayout(right, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.Close)
        self.export_button = buttons.addButton(self.tr("Export…"), QDialogButtonBox.AcceptRole)
        buttons.accepted.connect(self._choose_and_export)
        buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addLayout(top, 1)
        lay.addWidget(buttons)

        for w in (self.title, self.subtitle, self.annex, self.issuer, self.date):
            w.textChanged.connect(self._changed)
        for w in (self.format, self.paper, self.page_layout):
            w.currentIndexChanged.connect(self._changed)
        for w in (self.landscape, self.inset):
            w.toggled.connect(self._changed)
        self._pixmap: QPixmap | None = None
        self._changed()

    # ------------------------------------------------------------------ options
    def options(self) -> dict:
        """The options as :mod:`gridmap.core.outputs` takes them."""
        return dict(paper=self.paper.currentText(), landscape=self.landscape.isChecked(),
                    title=self.title.text(), subtitle=self.subtitle.text(), annex=self.annex.text(),
                    issuer=self.issuer.text(), date=self.date.text(), dpi=self.dpi.value(),
                    inset=self.inset.isChecked(), project=self.project_path,
                    layout=self.page_layout.currentData())

    def remembered(self) -> dict:
        """The texts to keep in the plan (plan setting → text; None removes an emptied one)."""
        return {key: (getattr(self, attr).text().strip() or None) for attr, key in REMEMBERED.items()}

    def current_format(self) -> str:
        return self.format.currentData()

    # ------------------------------------------------------------------ preview
    def _changed(self, *_):
        self.dpi.setEnabled(self.current_format() in ("png", "tiff"))
        self._timer.start()

    def _request_preview(self):
        kind = FORMATS[self.current_format()][2]
        if kind is None:
            self._pixmap = None
            self.preview.setPixmap(QPixmap())
            self.preview.setText(self.tr("The web map has no page: export it and open it in a browser."))
            return
        self._generation += 1
        gen, snap, opts, relay = self._generation, PlanSnapshot(self.plan), self.options(), self._relay
        self.status.setText(self.tr("Drawing preview…"))

        def job():
            if gen != self._generation:  # a newer preview was asked for meanwhile
                return
            try:
                if kind == "atlas":
                    from ..core.outputs.atlas import atlas_page_preview_png as draw
                else:
                    from ..core.outputs.annex_map import annex_preview_png as draw
                relay.preview.emit(gen, draw(snap.take(), opts, dpi=50), "")
            except Exception as exc:  # shown in the dialog, never a crash
                relay.preview.emit(gen, b"", f"{type(exc).__name__}: {exc}")

        self._worker.start(job)

    def _on_preview(self, gen: int, png: bytes, error: str):
        if gen < self._shown:
            return
        self._shown = gen
        if error:
            self.status.setText(self.tr("Preview failed: %s") % error)
            return
        pm = QPixmap()
        pm.loadFromData(png, "PNG")
        self._pixmap = pm
        self._fit()
        self.status.setText(self.tr("Preview of the page as it will print."))

    def _fit(self):
        if self._pixmap is not None and not self._pixmap.isNull():
            self.preview.setPixmap(self._pixmap.scaled(self.preview.size(), Qt.KeepAspectRatio,
                                                       Qt.SmoothTransformation))

    def resizeEvent(self, event):
        super().resizeEvent(event)
        self._fit()

    def wait_for_preview(self, timeout_ms: int = 30000) -> bool:
        """Block until the queued preview jobs are done (tests and scripts)."""
        return self._worker.waitForDone(timeout_ms)

    # ------------------------------------------------------------------ export
    def _choose_and_export(self):
        fmt = self.current_format()
        filt, suffix, _ = FORMATS[fmt]
        start = str(Path(self.project_path).with_suffix(suffix)) if self.project_path else f"annex{suffix}"
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Export"), start, filt)
        if path:
            self.export_to(path)

    def export_to(self, path: str) -> None:
        """Write the chosen output to ``path`` in the background."""
        fmt, snap, opts, relay = self.current_format(), PlanSnapshot(self.plan), self.options(), self._relay
        self.remember.emit(self.remembered())
        self.export_button.setEnabled(False)
        self.status.setText(self.tr("Exporting %s…") % path)

        def job():
            try:
                from ..core.outputs import write_output

                write_output(snap.take(), fmt, path, opts)
                relay.exported.emit(path, "")
            except Exception as exc:
                relay.exported.emit(path, f"{type(exc).__name__}: {exc}")

        self._worker.start(job)

    def _on_exported(self, path: str, error: str):
        self.export_button.setEnabled(True)
        if error:
            self.status.setText(self.tr("Export failed: %s") % error)
            QMessageBox.warning(self, self.tr("Export"), self.tr("Export failed: %s") % error)
        else:
            self.status.setText(self.tr("Written: %s") % path)

    def done(self, result):
        self._generation += 1
        self._worker.stop()
        super().done(result)
