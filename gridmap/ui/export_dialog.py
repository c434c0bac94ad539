"""The Export dialog (导出方案): several formats at once into one folder, with
the text encoding (UTF-8/GBK) and coordinate system (the plan's CGCS2000 zone,
CGCS2000 or WGS84 lon/lat, GCJ-02 for Amap-based platforms) the receiving
system needs, the annex tables to include, a progress bar with cancel, and a
message with "open folder" when it is done.

The export runs on a snapshot of the plan in a worker thread (editing may go on);
cancelling stops the format being written at its next step (its long loops call
:func:`gridmap.core.workers.step`) and removes what it had written.  Nothing is
overwritten without asking.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (QCheckBox, QComboBox, QDialog, QDialogButtonBox, QFileDialog, QFormLayout, QGridLayout,
                               QGroupBox, QHBoxLayout, QLabel, QLineEdit, QMessageBox, QProgressBar, QPushButton,
                               QVBoxLayout)

from .i18n import crs_display_name
__all__ = ["ExportDialog", "ExportJob", "FORMATS", "targets"]

# the formats offered, in the order shown: (registry name, label)
FORMATS = (
    ("shp", QT_TRANSLATE_NOOP("ExportDialog", "Shapefiles (one per layer, with .prj and .cpg)")),
    ("xlsx", QT_TRANSLATE_NOOP("ExportDialog", "Annex tables (Excel .xlsx)")),
    ("csv", QT_TRANSLATE_NOOP("ExportDialog", "Annex tables (CSV)")),
    ("gpkg", QT_TRANSLATE_NOOP("ExportDialog", "GeoPackage (one file, for QGIS)")),
    ("geojson", QT_TRANSLATE_NOOP("ExportDialog", "GeoJSON (web platforms)")),
    ("kml", QT_TRANSLATE_NOOP("ExportDialog", "KML (Google Earth / 奥维)")),
    ("dxf", QT_TRANSLATE_NOOP("ExportDialog", "DXF (CAD drawings)")),
)
_SPATIAL = ("shp", "gpkg", "geojson", "kml", "dxf")


@dataclass
class ExportJob:
    """What to export: formats into ``folder`` named after ``stem``, with options."""

    folder: Path
    stem: str
    formats: list[str]
    encoding: str = "utf-8"
    crs: str | None = None          # None: the plan's own
    tables: list[str] = field(default_factory=list)
    zip: bool = False


def targets(job: ExportJob) -> dict[str, Path]:
    """The file or folder each format of ``job`` writes.

    >>> sorted((k, v.name) for k, v in targets(ExportJob(Path("/o"), "翁源", ["shp", "xlsx"], zip=True)).items())
    [('shp', '翁源_shp.zip'), ('xlsx', '翁源.xlsx')]
    """
    from ..core.exchange.registry import EXPORT_FORMATS

    out = {}
    for name in job.formats:
        fmt = EXPORT_FORMATS[name]
        if name == "shp" and job.zip:
            out[name] = job.folder / f"{job.stem}_shp.zip"
        elif fmt.target == "dir":
            out[name] = job.folder / f"{job.stem}_{name}"
        else:
            out[name] = job.folder / f"{job.stem}{fmt.suffix}"
    return out


def run_job(plan, job: ExportJob, project_path=None, cancelled=lambda: False, progress=lambda p: None):
    """Write every format of ``job`` (in a worker thread); returns (paths, warnings)."""
    from ..core.exchange.registry import export_plan
    from .layers.base import Cancelled

    from ..core.workers import job as running

    job.folder.mkdir(parents=True, exist_ok=True)
    paths, warnings = [], []
    dests = targets(job)
    n = len(job.formats)
    for i, name in enumerate(job.formats):
        if cancelled():
            raise Cancelled()
        options = dict(project_path=project_path)
        if name in _SPATIAL and job.crs:
            options["crs"] = job.crs
        if name == "shp":
            options.update(encoding=job.encoding, zip=job.zip)
        if name in ("xlsx", "csv") and job.tables:
            options["tables"] = list(job.tables)
        before = _entries(job.folder)
        try:
            # the format's own long loops (四至 of every grid, pages, rows) stop at Cancel and report progress
            with running(cancelled, progress, lo=100 * i // n, hi=100 * (i + 1) // n):
                res = export_plan(plan, name, dests[name], **options)
        except BaseException:
            _remove_new(job.folder, before, dests[name])    # no half-written file of the format left behind
            raise
        paths += [str(p) for p in res.paths] or [str(dests[name])]
        warnings += list(res.warnings)
        progress(int(100 * (i + 1) / n))
    return paths, warnings


def _entries(folder: Path) -> dict:
    """What is in ``folder`` now: name → modification time."""
    try:
        return {p.name: p.stat().st_mtime_ns for p in folder.iterdir()}
    except OSError:
        return {}


def _remove_new(folder: Path, before: dict, dest: Path) -> None:
    """Remove what a cancelled or failed format wrote into ``folder``: entries that were not
    there before it started, and ``dest`` if the planner had agreed to overwrite it (it is
    half-written now)."""
    import shutil

    for name, mtime in _entries(folder).items():
        p = folder / name
        if name not in before or (p == dest and before[name] != mtime):
            try:
                shutil.rmtree(p) if p.is_dir() and not p.is_symlink() else p.unlink()
            except OSError:
                pass


class ExportDialog(QDialog):
    """Export the plan for other systems and for the official documents."""

    def __init__(self, window):
        super().__init__(window)
        from ..core.exchange.tables import TABLES, default_tables

        self.window_ = window
        doc = window.document
        self.setWindowTitle(self.tr("Export plan"))
        self.task = None
        self.result_box = None
        self.last_result: tuple[list[str], list[str]] | None = None
        self.folder = QLineEdit(str(Path(window._last_dir()) / "导出"))
        browse = QPushButton(self.tr("Browse…"))
        browse.clicked.connect(self._browse)
        self.stem = QLineEdit(Path(doc.path).stem if doc.path else (doc.plan.name or "plan"))
        row = QHBoxLayout()
        row.addWidget(self.folder, 1)
        row.addWidget(browse)
        where = QFormLayout()
        where.addRow(self.tr("Folder"), row)
        where.addRow(self.tr("File name"), self.stem)

        self.checks = {}
        grid = QGridLayout()
        for i, (name, label) in enumerate(FORMATS):
            cb = QCheckBox(self.tr(label))
            cb.setChecked(name in ("shp", "xlsx"))
            cb.toggled.connect(self._update)
            self.checks[name] = cb
            grid.addWidget(cb, i // 2, i % 2)
        fbox = QGroupBox(self.tr("Formats"))
        fbox.setLayout(grid)

        self.encoding = QComboBox()
        self.encoding.addItem(self.tr("UTF-8 (recommended)"), "utf-8")
        self.encoding.addItem(self.tr("GBK (older platforms, ArcGIS 10.x)"), "gbk")
        self.zip = QCheckBox(self.tr("Pack the shapefiles into one .zip"))
        self.crs = QComboBox()
        epsg = doc.plan.crs.to_epsg()
        self.crs.addItem(self.tr("The plan's: %1").replace("%1", f"EPSG:{epsg} · {crs_display_name(doc.plan.crs.name)}" if epsg
                                                          else crs_display_name(doc.plan.crs.name)), None)
        self.crs.addItem(self.tr("CGCS2000 longitude/latitude (EPSG:4490)"), "EPSG:4490")
        self.crs.addItem(self.tr("WGS84 longitude/latitude (EPSG:4326)"), "EPSG:4326")
        self.crs.addItem(self.tr("GCJ-02 (Amap/Tencent base maps)"), "gcj02")
        self.crs.addItem(self.tr("BD-09 (Baidu base maps)"), "bd09")
        opts = QFormLayout()
        opts.addRow(self.tr("Shapefile text encoding"), self.encoding)
        opts.addRow("", self.zip)
        opts.addRow(self.tr("Coordinate system"), self.crs)
        obox = QGroupBox(self.tr("Options"))
        obox.setLayout(opts)

        self.tables = {}
        tlay = QVBoxLayout()
        wanted = default_tables(doc.plan)       # the staffing totals when the plan has quotas
        for name, (title, _builder, _merge) in TABLES.items():
            cb = QCheckBox(title)
            cb.setChecked(name in wanted)
            self.tables[name] = cb
            tlay.addWidget(cb)
        self.tbox = QGroupBox(self.tr("Annex tables"))
        self.tbox.setLayout(tlay)

        self.progress = QProgressBar()
        self.progress.setRange(0, 100)
        self.progress.setValue(0)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.buttons = QDialogButtonBox()
        self.export_button = self.buttons.addButton(self.tr("Export"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.cancel_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.export_button.clicked.connect(self.start)
        self.cancel_button.clicked.connect(self._cancel)

        lay = QVBoxLayout(self)
        lay.addLayout(where)
        lay.addWidget(fbox)
        lay.addWidget(obox)
        lay.addWidget(self.tbox)
        lay.addWidget(self.progress)
        lay.addWidget(self.message)
        lay.addWidget(self.buttons)
        self._update()

    # ------------------------------------------------------------------ state
    def _browse(self) -> None:
        d = QFileDialog.getExistingDirectory(self, self.tr("Export to folder"), self.folder.text())
        if d:
            self.folder.setText(d)

    def _update(self, *_) -> None:
        on = {k for k, cb in self.checks.items() if cb.isChecked()}
        self.encoding.setEnabled("shp" in on)
        self.zip.setEnabled("shp" in on)
        self.crs.setEnabled(bool(on & set(_SPATIAL)))
        self.tbox.setEnabled(bool(on & {"xlsx", "csv"}))
        self.export_button.setEnabled(bool(on) and self.task is None)

    def job(self) -> ExportJob:
        return ExportJob(folder=Path(self.folder.text().strip()).expanduser(), stem=self.stem.text().strip() or "plan",
                         formats=[k for k, _ in FORMATS if self.checks[k].isChecked()],
                         encoding=self.encoding.currentData(), crs=self.crs.currentData(),
                         tables=[k for k, cb in self.tables.items() if cb.isChecked()], zip=self.zip.isChecked())

    # ------------------------------------------------------------------ run
    def start(self, overwrite: bool | None = None):
        """Export in the background; ``overwrite`` answers the overwrite question
        (None: ask the planner when a target exists)."""
        from ..core.workers import PlanSnapshot

        job = self.job()
        if not self.folder.text().strip():
            self.message.setText(self.tr("Choose a folder."))
            return None
        if "xlsx" in job.formats or "csv" in job.formats:
            if not job.tables:
                self.message.setText(self.tr("Choose at least one annex table."))
                return None
        existing = [p for p in targets(job).values() if p.exists()]
        if existing:
            if overwrite is None:
                names = "\n".join(p.name for p in existing)
                ans = QMessageBox.question(self, self.tr("Export plan"),
                                           self.tr("These already exist in the folder and will be replaced:\n%1")
                                           .replace("%1", names))
                overwrite = ans == QMessageBox.StandardButton.Yes
            if not overwrite:
                self.message.setText(self.tr("Nothing was exported: choose another folder or file name."))
                return None
        win = self.window_
        snap, project = PlanSnapshot(win.document.plan), str(win.document.path or "") or None
        self.progress.setValue(0)
        self.message.setText(self.tr("Exporting…"))
        self.task = win.tasks.submit(QCoreApplication.translate("MainWindow", "Exporting…"),
                                     lambda c, p: run_job(snap.take(), job, project, c, p),
                                     lambda r: self._done(job, r), self._failed, self._cancelled)
        self.task.signals.progress.connect(self.progress.setValue)
        self._update()
        return self.task

    def _cancel(self) -> None:
        if self.task is not None:
            self.task.cancel()
            self.message.setText(self.tr("Cancelling…"))
        else:
            self.reject()

    def _finish(self) -> None:
        self.task = None
        self._update()

    def _done(self, job: ExportJob, result) -> None:
        self._finish()
        paths, warnings = result
        self.last_result = (paths, warnings)
        self.progress.setValue(100)
        text = self.tr("Exported %1 file(s) to %2.").replace("%1", str(len(paths))).replace("%2", str(job.folder))
        if warnings:
            text += "\n" + "\n".join(warnings[:8])
        self.message.setText(text)
        self.window_.status.showMessage(text.splitlines()[0], 8000)
        box = QMessageBox(QMessageBox.Icon.Information, self.tr("Export finished"), text, parent=self)
        opened = box.addButton(self.tr("Open folder"), QMessageBox.ButtonRole.ActionRole)
        box.addButton(QMessageBox.StandardButton.Close)
        opened.clicked.connect(lambda: QDesktopServices.openUrl(QUrl.fromLocalFile(str(job.folder))))
        self.result_box = box
        box.open()

    def _failed(self, msg: str) -> None:
        self._finish()
        self.message.setText(self.tr("Export failed: %1").replace("%1", msg))
        self.window_.show_error(self.tr("Export plan"), msg)

    def _cancelled(self) -> None:
        self._finish()
        self.message.setText(self.tr("Export cancelled; the formats finished before stay in the folder."))
