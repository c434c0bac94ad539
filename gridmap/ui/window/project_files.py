"""Opening, saving and starting plans; showing a plan in the window.

Part of the main window (:class:`gridmap.ui.main_window.MainWindow` mixes it in).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QElapsedTimer, Qt, QTimer
from PySide6.QtWidgets import QFileDialog, QMessageBox

from ...core.storage import ConflictError, StoreError, open_plan
from ...core.storage import lock as project_lock
from ...core.workers import rehome_crs
from ..document import PlanDocument
from ..layers.plan_layers import plan_layers
from ..layers.vector import GridLayer

__all__ = ["ProjectFilesMixin"]


class ProjectFilesMixin:
    """Opening, saving and starting plans; showing a plan in the window."""

    #: opening in two stages: the other tables are read once the grids are drawn, or after this
    FIRST_FRAME_WAIT_MS = 4000
    #: plans of this many grids on open in two stages (smaller ones are read whole, then shown)
    STAGED_FROM = 5000
    #: from this many rows (grids + segments + people) on, hidden panels are filled when first shown
    DEFER_PANELS = 5000

    def _update_title(self) -> None:
        if self.document is None:
            self.setWindowTitle("gridmap")
            return
        name = self.document.plan.name or (self.document.path.stem if self.document.path else QCoreApplication.translate("MainWindow", "Untitled"))
        star = "*" if self.document.dirty else ""
        where = f" — {self.document.path}" if self.document.path else ""
        from ..shared_session import session_of
        if session_of(self) is not None:
            where = " — " + session_of(self).where()       # a shared plan: the server and the user
        ro = " [" + QCoreApplication.translate("MainWindow", "read-only") + "]" if self.document.read_only else ""
        if self.document.loading:
            ro += " [" + QCoreApplication.translate("MainWindow", "loading…") + "]"
        self.setWindowTitle(f"{star}{name}{ro}{where} — gridmap")

    def server_dialog(self):
        """The shared plan on a PostgreSQL/PostGIS server (gridmap.ui.server_dialog)."""
        from ..server_dialog import ServerDialog

        dlg = ServerDialog(self)
        dlg.show()
        return dlg

    def checkout_dialog(self):
        """Check an area of a shared plan out into a .gpkg and open it (gridmap.ui.checkout_dialog)."""
        from ..checkout_dialog import CheckoutDialog

        dlg = CheckoutDialog(self)
        dlg.show()
        return dlg

    def checkin_dialog(self):
        """Check the open checked-out plan in to its server; None (with the reason shown) if it is not one."""
        from ...core.storage.checkout import is_checkout
        from ..checkout_dialog import CheckinDialog

        doc = self.document
        if doc is None or doc.path is None or not is_checkout(doc.plan):
            self.show_error(QCoreApplication.translate("MainWindow", "Check in to the server"),
                            QCoreApplication.translate("MainWindow", "The open plan was not checked out from a "
                                                       "server (Project → Check out to this computer…)."))
            return None
        dlg = CheckinDialog(self, doc.path)
        dlg.show()
        dlg.run()
        return dlg

    def _unsaved_then(self, go, target: str) -> None:
        """Run ``go`` — which replaces the open plan by ``target`` — once the open plan's unsaved
        changes are saved or dropped by the user's choice (Save, Discard; Cancel keeps the plan
        and does nothing).  Non-blocking: a window-modal question.  Without unsaved changes (or
        with :attr:`confirm_close` off, as in scripted runs) ``go`` runs at once."""
        doc = self.document
        if doc is None or not doc.dirty or not getattr(self, "confirm_close", True):
            go()
            return
        name = doc.path.name if doc.path is not None else doc.plan.name
        box = QMessageBox(QMessageBox.Icon.Question, QCoreApplication.translate("MainWindow", "Unsaved changes"),
                          QCoreApplication.translate("MainWindow", "%1 has unsaved changes. Save them before "
                                                     "opening %2?").replace("%1", name).replace("%2", target),
                          QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard
                          | QMessageBox.StandardButton.Cancel, self)
        box.setDefaultButton(QMessageBox.StandardButton.Save)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)

        def act(choice):
            if self.document is not doc:
                return
            if choice == QMessageBox.StandardButton.Save:
                if not self.save():
                    return                        # (the reason is shown; the plan stays open)
                self.finish_saves()
                if doc.dirty:                     # the save failed in the background: keep the plan
                    return
                go()
            elif choice == QMessageBox.StandardButton.Discard:
                go()

        def answered(*_):
            self.unsaved_box = None
            choice = box.standardButton(box.clickedButton())
            # after the box's signal has returned: the save waits in an event loop of its own, and the
            # box (deleted on close) must not be in the middle of emitting while that loop runs
            QTimer.singleShot(0, self, lambda: act(choice))
        box.finished.connect(answered)
        box.open()
        self.unsaved_box = box

    def open_url(self, url: str, ask: bool = True) -> None:
        """Open a shared plan from a postgresql:// URL in a worker thread (``gridmap postgresql://…``).
        ``ask`` False: the open plan is replaced without the unsaved-changes question (the shared
        session reopening its own plan from the server after a conflict)."""
        from ...core.storage.postgis import _shown

        if ask:
            return self._unsaved_then(lambda: self.open_url(url, ask=False), _shown(url))

        def adopt(result):
            plan, wkt = result
            self.tasks.dispose(rehome_crs(plan, wkt))
            self.set_document(PlanDocument(plan, None, self))
            self.status.showMessage(QCoreApplication.translate("MainWindow", "Opened %1").replace("%1", _shown(url)), 5000)

        def failed(msg):
            self.last_error = msg
            self.show_error(QCoreApplication.translate("MainWindow", "Cannot open project"), msg)

        def work(cancelled, progress):
            plan = open_plan(url)
            return plan, plan.crs.to_wkt()

        self.tasks.submit(QCoreApplication.translate("MainWindow", "Opening %1…").replace("%1", _shown(url)),
                          work, adopt, failed, lambda: None)

    def open_path(self, path, ask: bool = True) -> None:
        """Open a project file in worker threads; the window stays responsive (``ask``: first the
        question about the open plan's unsaved changes, :meth:`_unsaved_then`).  In two stages
        (issue 21): the grids first (:meth:`GpkgStore.load_first`) — the map is drawn, the window
        usable, editing and saving off with "Loading…" in the status bar — then the other tables
        (:meth:`GpkgStore.load_rest`, :meth:`_load_rest`), after which the panels, the checks and
        the editing actions come on.  A plan with a crash journal to offer is read whole first (its
        changes replay onto the whole plan)."""
        from ...core.storage import is_url

        if is_url(str(path)):
            return self.open_url(str(path), ask=ask)
        path = Path(path)
        if ask:                                   # (asked once: the plan's changes are saved or dropped)
            return self._unsaved_then(lambda: self.open_path(path, ask=False), path.name)
        label = QCoreApplication.translate("MainWindow", "Opening %1…").replace("%1", path.name)
        self.layer_manager.loading += 1

        built = {}

        def show(plan, restored=False):
            doc = PlanDocument(plan, path, self)
            if restored:
                doc.save_tracker.unknown()        # the restored rows: the next save rewrites the file
                doc.buffer.clean_index = -1       # unsaved, and no undo step leads back to the file
            layers = built.pop("layers", None) if not restored else None
            self.set_document(doc, journal_kept=restored, layers=layers)
            if restored:
                doc._emit_dirty()
                self._update_title()
            self._add_recent(path)
            if doc.loading:
                self._load_rest(doc, path)
                return
            self.status.showMessage((QCoreApplication.translate("MainWindow", "Opened %1 with its unsaved changes "
                                                                "restored") if restored else
                                     QCoreApplication.translate("MainWindow", "Opened %1")).replace("%1", str(path)),
                                    5000)

        def done(plan):
            self.layer_manager.loading -= 1
            if not self._offer_journal(plan, path, show):
                show(plan)

        def failed(msg):
            self.layer_manager.loading -= 1
            self.last_error = msg
            self.status.showMessage(msg, 15000)
            self.show_error(QCoreApplication.translate("MainWindow", "Cannot open project"), msg)

        def cancelled():
            self.layer_manager.loading -= 1

        def work(cancelled, progress):
            from ...core.storage import journal as J
            from ...core.storage.gpkg import GpkgStore

            if J.pending(path) is not None:
                plan = open_plan(path)            # unsaved changes to offer: replayed onto the whole plan
                return plan, plan.crs.to_wkt(), None
            store = GpkgStore(path)
            plan = store.load_first()
            if len(plan.grids) < self.STAGED_FROM:     # a small plan: shown once it is all read
                from ...core.storage.gpkg import complete
                plan = complete(plan, store.load_rest(plan, cancelled=cancelled))
            # the map's layers are built here too (at 100k grids their colours and arrays are
            # ~1 s): the GUI thread only shows them
            return plan, plan.crs.to_wkt(), plan_layers(plan, lang)

        lang = self._lang_code()

        def adopt(result):
            plan, wkt, layers = result
            self.tasks.dispose(rehome_crs(plan, wkt))
            if layers is not None:
                for layer in layers:
                    if isinstance(layer, GridLayer):
                        layer.seen(plan)          # the same rows, in the frame made for this thread
                built["layers"] = layers
            done(plan)

        self.tasks.submit(label, work, adopt, failed, cancelled)

    def _load_rest(self, doc, path: Path) -> None:
        """Stage 2 of opening ``doc`` (its grids are on the map): the other tables in the worker,
        then :meth:`_loaded`.  A failure shows the same message as a failed opening and closes the
        half plan (nothing of it can be saved)."""
        from ...core.storage.gpkg import GpkgStore

        plan = doc.plan
        wkt = plan.crs.to_wkt()
        self.layer_manager.loading += 1
        loading = QCoreApplication.translate("MainWindow", "Loading %1… (editing once loaded)").replace(
            "%1", path.name)
        self.status.showMessage(loading)

        def work(cancelled, progress):
            return GpkgStore(path).load_rest(plan, progress=lambda k, n: progress(int(100 * k / max(n, 1))),
                                             cancelled=cancelled, crs_wkt=wkt)

        def adopt(rest):
            self.layer_manager.loading -= 1
            if self.document is not doc:          # another plan was opened meanwhile
                self.tasks.dispose(rest)
                return
            old = []
            for name in ("segments", "places"):   # CRS objects of this thread (see rehome_crs)
                if rest.get(name) is not None:
                    old.append(rest[name])
                    rest[name] = rest[name].set_crs(plan.crs, allow_override=True)
            self.tasks.dispose(old)
            self._loaded(doc, rest, path)

        def failed(msg):
            self.layer_manager.loading -= 1
            self.last_error = msg
            if self.document is doc:
                self._drop_document(doc)
            self.status.showMessage(msg, 15000)
            self.show_error(QCoreApplication.translate("MainWindow", "Cannot open project"), msg)

        def cancelled():
            if getattr(self, "_closing", False):      # the window is closing: no message
                self.layer_manager.loading -= 1
                return
            failed(QCoreApplication.translate("MainWindow", "Opening %1 was cancelled; the plan is closed (the "
                                              "file is unchanged).").replace("%1", path.name))

        grid_layers = [l for l in self.plan_layers if l.kind == "grids"]
        waited = QElapsedTimer()
        waited.start()

        def start():
            # the grids are drawn first (the read would take the CPU from the first frame), or
            # after FIRST_FRAME_WAIT_MS whatever the canvas is doing
            if self.document is not doc:
                self.layer_manager.loading -= 1
                return
            if not self.canvas.has_drawn(grid_layers) and waited.elapsed() < self.FIRST_FRAME_WAIT_MS:
                QTimer.singleShot(20, self, start)
                return
            self.tasks.submit(loading, work, adopt, failed, cancelled)
            # the grids' indexes, after the tables (one worker); the status bar goes on saying "Loading…"
            self._warm_layers(self.plan_layers, label=loading)

        start()

    def _loaded(self, doc, rest: dict, path: Path) -> None:
        """The other tables of a plan shown with its grids only: into the plan, then what waited
        for them — segment and place layers, the panels, the live check, editing."""
        from ...core.storage.gpkg import complete
        from ..layers.plan_layers import update_plan_layers

        plan = doc.plan
        complete(plan, rest)
        doc.loading = False
        for layer in self.plan_layers:
            if layer.kind in ("segments", "places"):
                update_plan_layers([layer], plan)
        self._warm_layers([l for l in self.plan_layers if l.kind in ("segments", "places")])
        self.canvas.schedule(immediate=True)
        self._start_journal(doc)
        self.live.reset(plan)              # a city-scale plan: its first whole-plan check starts now
        if len(plan.grids) >= 5000:        # the names a split proposes from (not while the first frame is drawn)
            from ...core.naming import warm_up

            warm_up(plan)
        self._plan_to_panels(plan)
        self.inspector_tabs.setEnabled(True)
        self._on_selection(list(doc.selection))
        from ..shared_session import attach
        attach(self, doc)
        self._update_title()
        self.update_actions()
        self.documentChanged.emit()
        self.status.showMessage(QCoreApplication.translate("MainWindow", "Opened %1").replace("%1", str(path)), 5000)

    def _drop_document(self, doc) -> None:
        """The window as before any plan was open (a plan whose opening failed half-way)."""
        if self.document is not doc:
            return
        self._release_lock(doc)
        self.undo_group.removeStack(doc.undo_stack)
        self.document = None
        self.live.reset(None)
        self.plan_layers = []
        self.base_layers = []
        self.layer_manager.sync()
        self.overview.set_layers([])
        self.canvas.set_highlight(None)
        self._pending_panels = {}
        self.inspector_tabs.setEnabled(True)
        doc.deleteLater()
        self._update_title()
        self.update_actions()
        self.documentChanged.emit()

    def _warm_layers(self, layers, label: str | None = None) -> None:
        layers = list(layers)
        self.tasks.submit(label or QCoreApplication.translate("MainWindow", "Indexing the plan…"),
                          lambda c, p: [l.warm(c) for l in layers if hasattr(l, "warm")])

    def _plan_to_panels(self, plan) -> None:
        """The people and segments panels get the plan when they are first shown (at 100k grids
        filling them takes seconds: not at opening while they are behind other tabs); a plan of
        fewer than :attr:`DEFER_PANELS` rows (grids, segments, people) fills them at once."""
        self._pending_panels = {}
        small = len(plan.grids) + len(plan.segments) + len(plan.people) < self.DEFER_PANELS
        for key, panel in (("people", self.people), ("segments", self.segments)):
            if small or (self.docks[key].isVisible() and not self.docks[key].visibleRegion().isEmpty()):
                panel.set_plan(plan)
            else:
                panel.set_plan(None)          # (cheap: empty) until the dock is shown
                self._pending_panels[key] = plan

    def ensure_panel(self, key: str) -> None:
        """Give a panel whose filling was put off (:meth:`_plan_to_panels`) the plan now."""
        pending = getattr(self, "_pending_panels", {})
        if key in pending:
            plan = pending.pop(key)
            if self.document is not None and self.document.plan is plan:
                getattr(self, key).set_plan(plan)

    def panel_pending(self, key: str) -> bool:
        return key in getattr(self, "_pending_panels", {})

    def set_document(self, doc: PlanDocument, journal_kept: bool = False, layers=None) -> None:
        """Show a plan: its layers over its base maps, zoomed to its extent.  ``layers``: its
        :func:`plan_layers`, when they were built in the worker that read it."""
        if self.document is not None:
            self._end_journal(self.document)
            self._release_lock(self.document)
            self.undo_group.removeStack(self.document.undo_stack)
            self.document.deleteLater()
        self.canvas.set_tool(self.pan_tool)
        self.actions["pan"].setChecked(True)
        self.document = doc
        from ...core.storage.gpkg import is_partial
        plan = doc.plan
        doc.loading = is_partial(plan)     # the grids only, for now (see open_path)
        self._take_lock(doc)
        if not doc.loading:
            self._start_journal(doc, keep=journal_kept)
        doc.selectionChanged.connect(self._on_selection)
        doc.dirtyChanged.connect(lambda d: self._update_title())
        doc.pathChanged.connect(lambda p: self._update_title())
        doc.edited.connect(self._on_edited)
        doc.editFailed.connect(lambda msg: self.status.showMessage(msg, 15000))
        self.undo_group.addStack(doc.undo_stack)
        self.undo_group.setActiveStack(doc.undo_stack)
        self.live.reset(None if doc.loading else plan)     # checked once all its tables are in
        self.plan_layers = layers if layers is not None else plan_layers(plan)
        from ...core.editing.commands import set_neighbour_index
        from ..layers.plan_layers import neighbour_finder
        self._layers_pending = None                   # (an edit's layer follow waiting for another plan: dropped)
        set_neighbour_index(plan, neighbour_finder(self.plan_layers, plan, before=self.flush_layers))   # noding uses the layers' index
        for layer in self.plan_layers:
            self._name_plan_layer(layer)
        self.layer_manager.attach(doc)
        self.canvas.set_map_units(111320.0 if plan.crs.is_geographic else 1.0)
        self.status.set_crs(plan.crs)
        self.layer_manager.sync()
        self.canvas.has_extent = True
        ext = self.canvas.full_extent()
        if ext is None and plan.jurisdiction is not None:
            ext = tuple(plan.jurisdiction.bounds)
        self.canvas.zoom_to(ext)
        self.layer_manager.load_all()
        if not doc.loading:                # (else after the other tables are read: _load_rest)
            self._warm_layers(self.plan_layers)
        overview_layers = [l for l in self.plan_layers if l.kind == "jurisdiction"]
        if plan.levels:
            overview_layers = [l for l in self.plan_layers if isinstance(l, GridLayer)
                               and l.level_key == plan.levels[0].key] + overview_layers
        self.overview.set_layers(overview_layers)
        self.inspector.show_grids(plan, [])
        self.form.show_grids(plan, [])
        self._fill_level_combo()
        self.problems.clear()
        self._overlay_lines = None
        self.canvas.set_highlight(None)
        if doc.loading:
            # the grids are on the map; the forms, panels and editing wait for the other tables
            self._pending_panels = {}
            self.people.set_plan(None)
            self.segments.set_plan(None)
            self.inspector_tabs.setEnabled(False)
            from ..shared_session import attach
            attach(self, None)                 # (the session of a shared plan open before ends now)
            self._update_title()
            self.update_actions()
            self.canvas.render_now()           # the first frame: no settle time after zoom_to
            return
        self._plan_to_panels(plan)
        self.inspector_tabs.setEnabled(True)
        from ..shared_session import attach
        attach(self, doc)                      # a plan from a postgresql:// URL: every step a transaction
        self._update_title()
        self.update_actions()
        self.documentChanged.emit()

    def open_dialog(self) -> None:
        start = str(self.document.project_dir) if self.document and self.document.project_dir else ""
        path, _ = QFileDialog.getOpenFileName(self, QCoreApplication.translate("MainWindow", "Open plan"), start,
                                              QCoreApplication.translate("MainWindow", "gridmap project (*.gpkg)") + ";;*")
        if path:
            self.open_path(path)

    def save(self) -> bool:
        if self.document is None:
            return False
        from ..shared_session import session_of
        if session_of(self) is not None:
            return session_of(self).save()           # a shared plan: each step is committed already
        if self.document.path is None:
            return self.save_as()
        if self.document.read_only:
            self.show_error(QCoreApplication.translate("MainWindow", "Cannot save"),
                            QCoreApplication.translate("MainWindow", "This plan was opened read-only because another "
                                                       "gridmap has it open. Use Save As to keep your changes in "
                                                       "another file."))
            return False
        return self._save_to(self.document.path)

    def save_as(self) -> bool:
        if self.document is None:
            return False
        path, _ = QFileDialog.getSaveFileName(self, QCoreApplication.translate("MainWindow", "Save plan as"),
                                              str(self.document.path or (self.document.plan.name + ".gpkg")),
                                              QCoreApplication.translate("MainWindow", "gridmap project (*.gpkg)"))
        if not path:
            return False
        if not path.lower().endswith(".gpkg"):
            path += ".gpkg"
        return self._save_to(Path(path))

    def _save_to(self, path: Path, force: bool = False, wait: bool = True) -> bool:
        """Save the plan to ``path`` in the background (the window stays usable; a second save
        waits for the first).  With ``wait`` (what Save does) the events go on being processed
        until it is written and the result is returned; else True once it is started."""
        from ..saving import Saver

        if self.document is None:
            return False
        if self.document.loading:
            from ..document import LOADING_REFUSED
            from ..editing import bilingual

            msg = bilingual(LOADING_REFUSED, self.edit.lang())
            self.status.showMessage(msg, 10000)
            self.show_error(QCoreApplication.translate("MainWindow", "Cannot save"), msg)
            return False
        if getattr(self, "saver", None) is None:
            self.saver = Saver(self)
        doc = self.document
        old = doc.path
        self.status.showMessage(QCoreApplication.translate("MainWindow", "Saving %1…").replace("%1", Path(path).name))
        job = self.saver.start(doc, Path(path), force, then=lambda j: self._save_finished(j, doc, old))
        if not wait:
            return True
        self.saver.wait(job)
        return job.ok

    def _save_finished(self, job, doc, old) -> None:
        path = job.target
        if job.conflict:
            if doc is self.document:
                self._ask_conflict(path, job.error)
            return
        if not job.ok:
            self.status.showMessage(job.error, 15000)
            self.show_error(QCoreApplication.translate("MainWindow", "Cannot save"), job.error)
            return
        if old is None or Path(old).resolve() != Path(path).resolve():
            self._release_lock_path(old)
            if project_lock.other_holder(path) is None:
                project_lock.acquire(path)
                if doc.read_only:          # saved as a file of its own: editable from now on
                    doc.read_only = False
                    self.update_actions()
        if doc.journal is None:
            self._start_journal(doc)
        if old is None or Path(old).resolve() != Path(path).resolve():
            self._add_recent(path)             # (the file it was opened from is in the list already)
        how = job.info.get("mode")
        if how == "delta":
            msg = QCoreApplication.translate("MainWindow", "Saved %1 (%2 changed rows written)").replace(
                "%1", str(path)).replace("%2", str(job.info.get("rows", 0)))
        else:
            msg = QCoreApplication.translate("MainWindow", "Saved %1").replace("%1", str(path))
        self.last_save = job.info
        self.status.showMessage(msg, 5000)
        self._update_title()

    # ------------------------------------------------------------------ crash journal
    def _start_journal(self, doc, keep: bool = False) -> None:
        """Journal the unsaved edits of ``doc`` beside its file (gridmap.core.storage.journal)."""
        from ...core.storage.journal import CrashJournal

        if doc.path is None or doc.read_only or doc.journal is not None:
            return
        doc.journal = CrashJournal(doc.path, doc.buffer, keep=keep)

    def _end_journal(self, doc) -> None:
        """The plan is closed (saved, or its changes dropped when the window closed or another plan
        replaced it): no journal is left — it is there only for a session that did not end."""
        j = getattr(doc, "journal", None) if doc is not None else None
        if j is not None:
            j.close()
            doc.journal = None

    def finish_saves(self) -> None:
        """Wait (the window processing events) until every save still running is written."""
        if getattr(self, "saver", None) is not None:
            self.saver.shutdown()

    def _offer_journal(self, plan, path: Path, show) -> bool:
        """Unsaved changes of a session that ended without saving are beside ``path``: ask whether to
        restore them (replayed onto the plan read from the file) or discard them; then ``show(plan,
        restored)``.  False when there is nothing to offer."""
        from ...core.storage import journal as J

        info = J.pending(path)
        if info is None:
            return False
        steps = "\n".join("· " + t for t in info.texts[-8:] if t)
        msg = QCoreApplication.translate("MainWindow", "%1 has %2 unsaved changes from a session that ended without saving (last change "
                               "%3). Restore them, or discard them and open the plan as last saved?").replace(
            "%1", path.name).replace("%2", str(info.steps)).replace("%3", info.last)
        if not info.fits:
            msg += "\n\n" + QCoreApplication.translate("MainWindow", "The file was saved again after those changes were made; they are "
                                             "restored only if they still fit it.")
        box = QMessageBox(QMessageBox.Icon.Question, QCoreApplication.translate("MainWindow", "Restore unsaved changes?"),
                          msg + ("\n\n" + steps if steps else ""), QMessageBox.StandardButton.NoButton, self)
        restore = box.addButton(QCoreApplication.translate("MainWindow", "Restore"), QMessageBox.ButtonRole.AcceptRole)
        box.addButton(QCoreApplication.translate("MainWindow", "Discard"), QMessageBox.ButtonRole.DestructiveRole)
        box.setDefaultButton(restore)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)

        def answered(*_):
            self.journal_box = None
            if box.clickedButton() is restore:
                try:
                    J.replay(plan, path)
                except StoreError as exc:
                    bad = info.path.with_name(info.path.name + ".unrestored")
                    try:
                        info.path.replace(bad)
                    except OSError:
                        bad = info.path
                    msg = str(exc) + "\n" + QCoreApplication.translate("MainWindow", "The record of the changes is kept in %1.").replace(
                        "%1", str(bad))
                    show(plan, False)
                    self.show_error(QCoreApplication.translate("MainWindow", "Cannot restore the unsaved changes"), msg)
                    return
                show(plan, True)
            else:
                J.discard(path)
                show(plan, False)
        box.finished.connect(answered)
        box.open()
        self.journal_box = box
        return True

    def new_plan(self) -> None:
        """File → New plan: the wizard, once the open plan's unsaved changes are saved or dropped."""
        self._unsaved_then(self._new_plan_wizard, QCoreApplication.translate("MainWindow", "a new plan"))

    def _new_plan_wizard(self) -> None:
        from ..wizard import NewPlanWizard

        wiz = NewPlanWizard(self, canvas=self.canvas,
                            current_crs=self.document.plan.crs if self.document else None)
        if wiz.exec():
            self.create_plan(**wiz.result_options())

    def create_plan(self, name: str, crs, admin_code: str = "", levels: str = "two", scheme: str = "GB14",
                    jurisdiction=None, jurisdiction_crs=None, draw: bool = False, keep_base_layers: bool = False):
        """Start a new plan (what the wizard does when it finishes); it has no base
        layers unless ``keep_base_layers`` copies the current plan's."""
        from ...core.crs import to_crs
        from ...core.plan import Plan

        plan = Plan.new(name, crs=crs, admin_code=admin_code, levels=levels, scheme=scheme)
        if jurisdiction is not None:
            geom = to_crs(jurisdiction, jurisdiction_crs or crs, crs) if jurisdiction_crs else jurisdiction
            plan.set_jurisdiction(geom)
        if keep_base_layers and self.document is not None:
            for layer in self.base_layers:
                rec = self.document.plan.base_layers
                if layer.record_id in rec.index:
                    row = rec.loc[layer.record_id]
                    src = str(row["source"]) if row["kind"] == "tiles" else str(self.document.resolve(str(row["source"])))
                    plan.add_base_layer(str(row["name"]), src, kind=str(row["kind"]), layer=str(row["layer"]),
                                        style=str(row["style"]), visible=bool(row["visible"]),
                                        opacity=float(row["opacity"]))
        old_view = self.canvas.viewport
        doc = PlanDocument(plan, None, self)
        self.set_document(doc)
        doc.mark_unsaved()
        if draw:
            self.canvas.set_viewport(old_view)
            self.set_tool("draw_polygon")
            self.status.showMessage(QCoreApplication.translate("MainWindow", "Draw the jurisdiction: click the corners, double-click to finish, "
                                            "Esc to cancel."), 30000)
        return doc

    def is_idle(self) -> bool:
        return (self.layer_manager.loading == 0 and not self.tasks.busy and not self.tile_fetcher.busy()
                and not self.live.busy() and self.canvas.is_idle())

    def wait_idle(self, timeout_ms: int = 20000) -> bool:
        """Process events until loading and drawing are finished (tests, screenshots)."""
        from PySide6.QtCore import QCoreApplication, QElapsedTimer

        t = QElapsedTimer()
        t.start()
        while t.elapsed() < timeout_ms:
            QCoreApplication.processEvents()
            if self.layer_manager.loading == 0 and not self.tasks.busy and not self.tile_fetcher.busy() and not self.live.busy():
                if self.canvas.wait_idle(max(1, timeout_ms - t.elapsed())) and self.is_idle():
                    return True
            else:
                self.tasks.wait(10)
        return False
