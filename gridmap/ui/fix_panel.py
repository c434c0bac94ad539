"""Fixes in the problems list: pick a fix, see it on the map, apply it as one undo step.

:class:`FixBar` sits under the problems table; :class:`FixController` connects
it (and the table's context menu) to the window:

* selecting a problem lists the fixes that apply
  (:func:`gridmap.core.editing.fix_commands.fixes_for`);
* **预览 / Preview** computes the chosen fix and re-checks its neighbourhood
  without changing the plan, then draws the grids as they would become (green)
  over the problem (red) — or says why the fix is refused;
* **应用修复 / Apply** pushes the previewed fix through the document's edit
  buffer as one undo step (Ctrl+Z undoes it) and refreshes the problems list;
* **全部修复此类问题 / Fix all of this kind** fixes every problem of the
  selected rule that can be fixed without creating a new one, shows the count
  (and the changed grids on the map) in a confirmation, and applies them as
  one undo step.

The check session is the live checker's when it is current, otherwise one
made for the open plan (kept until the plan is edited elsewhere).
"""

from __future__ import annotations

import numpy as np
import shapely
from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QMenu, QMessageBox, QPushButton, QWidget

from ..core.editing import fix_commands as FC
from . import i18n

__all__ = ["FixBar", "FixController"]

NEW_COLOR = QColor("#00a86b")      # the grids as the fix makes them
PROBLEM_COLOR = QColor("#ff2d55")  # the problem being fixed


def _lang() -> str:
    return "en" if i18n.current_language() == "en" else "zh"


def _half(message: str) -> str:
    """The half of a "中文 / English" core message in the UI language."""
    from .editing import bilingual

    return bilingual(message, _lang())


class FixBar(QWidget):
    """Fix choice and buttons under the problems table."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.label = QLabel(self)
        self.choice = QComboBox(self)
        self.choice.setMinimumContentsLength(26)
        self.choice.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.preview_button = QPushButton(self)
        self.apply_button = QPushButton(self)
        self.cancel_button = QPushButton(self)
        self.all_button = QPushButton(self)
        self.note = QLabel(self)
        self.note.setWordWrap(True)
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        for w in (self.label, self.choice):
            row.addWidget(w)
        row.addWidget(self.preview_button)
        row.addWidget(self.apply_button)
        row.addWidget(self.cancel_button)
        row.addWidget(self.all_button)
        row.addStretch(1)
        lay = _vbox(self)
        lay.addLayout(row)
        lay.addWidget(self.note)
        self.retranslate()

    def retranslate(self) -> None:
        self.label.setText(self.tr("Fix:"))
        self.preview_button.setText(self.tr("Preview"))
        self.apply_button.setText(self.tr("Apply fix"))
        self.cancel_button.setText(self.tr("Cancel preview"))
        self.all_button.setText(self.tr("Fix all of this kind…"))
        self.preview_button.setToolTip(self.tr("Show on the map what the fix would change; nothing changes yet"))
        self.apply_button.setToolTip(self.tr("Apply the previewed fix as one undo step (Ctrl+Z undoes it)"))

    def changeEvent(self, e) -> None:
        if e.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(e)


def _vbox(w):
    from PySide6.QtWidgets import QVBoxLayout

    lay = QVBoxLayout(w)
    lay.setContentsMargins(0, 0, 0, 0)
    lay.setSpacing(2)
    return lay


class FixController(QObject):
    """Offers, previews and applies fixes for the window's problems list."""

    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self.bar = FixBar(window.problems)
        window.problems.add_bar(self.bar)
        self.problem = None           # the selected core Problem
        self.fixes: list = []          # its fixes (FixCommand options)
        self.preview = None            # (fix, outcome) shown on the map, or None
        self.preview_geoms = None      # (new geometries, problem geometry) for the overlay
        self.confirm_box: QMessageBox | None = None
        self._own = None               # (plan, journal length, session) made here
        self._pushing = False
        self._sticky = False
        window.canvas.overlays.append(self._paint)
        window.problems.selected.connect(self.select)
        window.problems.menuRequested.connect(self.show_menu)
        window.documentChanged.connect(self._on_document)
        b = self.bar
        b.preview_button.clicked.connect(lambda: self.preview_fix(b.choice.currentIndex()))
        b.choice.activated.connect(self.preview_fix)
        b.apply_button.clicked.connect(self.apply_preview)
        b.cancel_button.clicked.connect(self.cancel_preview)
        b.all_button.clicked.connect(lambda: self.fix_all())
        self._update()

    # ------------------------------------------------------------------ the session
    def session(self):
        """A check session that matches the open plan now."""
        doc = self.window.document
        if doc is None:
            return None
        plan = doc.plan
        live = self.window.live
        ids = {int(i) for i in plan.grids.index}
        if live.enabled and live.session is not None and not live.pending() and live.plan is plan \
                and live.session.grid_ids == ids:
            return live.session
        n = len(doc.buffer.journal)
        if self._own is not None and self._own[0] is plan and self._own[1] == n:
            return self._own[2]
        from ..core.checks import CheckSession

        s = CheckSession(plan)
        self._own = (plan, n, s)
        return s

    def _remember_own(self, session) -> None:
        doc = self.window.document
        if self._own is not None and self._own[2] is session:
            self._own = (doc.plan, len(doc.buffer.journal), session)

    # ------------------------------------------------------------------ selection
    def select(self, problem: dict | None) -> None:
        """A problem row was selected: list its fixes."""
        self.cancel_preview()
        self.problem, self.fixes = None, []
        if problem is not None and problem.get("rule") in FC.FIXABLE_RULES and self.window.document is not None:
            s = self.session()
            p = FC.find_problem(s, problem["rule"], problem.get("grids", []), problem.get("geometry"))
            if p is not None:
                self.problem, self.fixes = p, FC.fixes_for(s, p)
        self._selected_rule = problem.get("rule") if problem else None
        self._update()

    def _update(self) -> None:
        b = self.bar
        b.choice.clear()
        for f in self.fixes:
            b.choice.addItem(f.label(_lang()))
        has = bool(self.fixes)
        b.choice.setEnabled(has)
        b.preview_button.setEnabled(has)
        b.apply_button.setEnabled(self.preview is not None)
        b.cancel_button.setEnabled(self.preview is not None)
        rule = getattr(self, "_selected_rule", None)
        b.all_button.setEnabled(rule in FC.FIXABLE_RULES and self.window.document is not None)
        if has:
            b.note.setText(self.tr("%n fix(es) for this problem: choose one and preview it on the map.", "",
                                   len(self.fixes)))
        elif rule is not None:
            b.note.setText(self.tr("This problem has no automatic fix."))
        elif not self._sticky:       # the list refreshed after a fix: its message stays
            b.note.setText(self.tr("Select a problem to see its fixes."))
        if rule is not None:
            self._sticky = False

    # ------------------------------------------------------------------ preview and apply
    def preview_fix(self, index: int) -> bool:
        """Show fix ``index`` of the selected problem on the map (the plan does not change).
        Returns whether the fix can be applied."""
        self.cancel_preview(update=False)
        if not (0 <= index < len(self.fixes)):
            return False
        fix = self.fixes[index]
        s = self.session()
        try:
            out = FC.try_fix(s, fix)
        except FC.FixRefused as exc:
            self._say(self.tr("Cannot apply this fix: %1").replace("%1", _half(str(exc))))
            self._update_buttons()
            return False
        out.revert(s)
        self.preview = (fix, out)
        new = np.asarray(list(out.changes.values()), dtype=object)
        self.preview_geoms = (new, fix.problem.geometry)
        self.bar.choice.setCurrentIndex(index)
        self._say(self.tr("Preview: %1 changes %n grid(s) and removes %2 problem(s). Apply it, or cancel the preview.",
                          "", len(out.changes)).replace("%1", fix.label(_lang())).replace("%2", str(len(out.fixed))))
        self._zoom(new, fix.problem.geometry)
        self._update_buttons()
        return True

    def apply_preview(self) -> bool:
        """Apply the previewed fix as one undo step."""
        if self.preview is None or self.window.document is None:
            return False
        fix, _ = self.preview
        self.cancel_preview(update=False)
        s = self.session()
        try:
            self._pushing = True
            out = FC.apply_fix(self.window.document, s, fix)
        except FC.FixRefused as exc:
            self._say(self.tr("Cannot apply this fix: %1").replace("%1", _half(str(exc))))
            return False
        finally:
            self._pushing = False
        self._remember_own(s)
        self._after_apply(s, self.tr("Fixed: %1 (Ctrl+Z undoes it).").replace("%1", fix.label(_lang())))
        return True

    def cancel_preview(self, update: bool = True) -> None:
        had = self.preview is not None or self.preview_geoms is not None
        self.preview = None
        self.preview_geoms = None
        if had:
            self.window.canvas.update()
        if update:
            self._update_buttons()

    def _after_apply(self, session, message: str) -> None:
        from .problems import normalise_problems

        self.window.problems.set_problems(normalise_problems(session.problems, _lang()))
        self.window.status.showMessage(message, 10000)
        self._say(message)
        self._sticky = True

    # ------------------------------------------------------------------ fix all
    def fix_all(self, rule: str | None = None) -> QMessageBox | None:
        """Fix every problem of ``rule`` (default: the selected problem's) that can be fixed:
        the count in a confirmation first (the changed grids on the map), then one undo step.
        Returns the (open, window-modal) confirmation, or None when nothing can be fixed."""
        rule = rule or getattr(self, "_selected_rule", None)
        if rule is None or self.window.document is None:
            return None
        self.cancel_preview(update=False)
        s = self.session()
        out = FC.try_fix_all(s, rule)
        title = FC._title(rule, _lang())
        if not out.fixed:
            out.revert(s)
            reasons = sorted({_half(r) for _, r in out.left})
            self._say(self.tr("No %1 problem can be fixed automatically. %2").replace("%1", title)
                      .replace("%2", "；".join(reasons)))
            return None
        self.preview_geoms = (np.asarray(list(out.changes.values()), dtype=object), None)
        self.window.canvas.update()
        text = self.tr("Fix %1 of %2 %3 problem(s)? %4 grid(s) change; it is one step, Ctrl+Z undoes it.") \
            .replace("%1", str(len(out.fixed))).replace("%2", str(len(out.fixed) + len(out.left))) \
            .replace("%3", title).replace("%4", str(len(out.changes)))
        if out.left:
            reasons = {}
            for _, r in out.left:
                reasons[_half(r)] = reasons.get(_half(r), 0) + 1
            text += "\n" + self.tr("Left as they are: %1").replace(
                "%1", "；".join(f"{n} × {r}" for r, n in reasons.items()))
        box = QMessageBox(QMessageBox.Icon.Question, self.tr("Fix all of this kind"), text,
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, self.window)
        box.button(QMessageBox.StandardButton.Yes).setText(self.tr("Fix %1").replace("%1", str(len(out.fixed))))
        box.button(QMessageBox.StandardButton.No).setText(self.tr("Cancel"))
        self.confirm_box = box
        self.pending_all = out

        def answered(code):
            self.confirm_box = None
            self.pending_all = None
            self.preview_geoms = None
            self.window.canvas.update()
            if box.clickedButton() is box.button(QMessageBox.StandardButton.Yes):
                try:
                    self._pushing = True
                    FC.apply_outcome(self.window.document, s, out)
                except FC.FixRefused as exc:
                    self._say(_half(str(exc)))
                    return
                finally:
                    self._pushing = False
                self._remember_own(s)
                self._after_apply(s, self.tr("Fixed %1 %2 problem(s) in one step (Ctrl+Z undoes it).")
                                  .replace("%1", str(len(out.fixed))).replace("%2", title))
            else:
                out.revert(s)
                self._say(self.tr("Nothing was changed."))
            box.deleteLater()

        box.finished.connect(answered)
        box.open()
        return box

    # ------------------------------------------------------------------ context menu
    def show_menu(self, problem: dict, pos) -> QMenu:
        self.select(problem)
        menu = QMenu(self.window)
        for k, f in enumerate(self.fixes):
            act = menu.addAction(self.tr("Preview: %1").replace("%1", f.label(_lang())))
            act.triggered.connect(lambda _=False, k=k: self.preview_fix(k))
        if not self.fixes:
            menu.addAction(self.tr("This problem has no automatic fix.")).setEnabled(False)
        menu.addSeparator()
        act = menu.addAction(self.tr("Fix all of this kind…"))
        act.setEnabled(problem.get("rule") in FC.FIXABLE_RULES)
        act.triggered.connect(lambda: self.fix_all(problem.get("rule")))
        menu.popup(pos)
        self.menu = menu
        return menu

    # ------------------------------------------------------------------ drawing
    def _paint(self, painter: QPainter, vp) -> None:
        if self.preview_geoms is None:
            return
        from .fastdraw import draw_geometries

        new, problem = self.preview_geoms
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        if problem is not None and not shapely.is_empty(problem) and shapely.get_dimensions(problem) == 2:
            draw_geometries(painter, vp, np.array([problem], dtype=object), "polygon", PROBLEM_COLOR, 90, 2.0,
                            Qt.PenStyle.SolidLine)
        if len(new):
            draw_geometries(painter, vp, new, "polygon", NEW_COLOR, 70, 2.5, Qt.PenStyle.DashLine)

    def _zoom(self, geoms, problem) -> None:
        parts = [g for g in list(geoms) + [problem] if g is not None and not shapely.is_empty(g)]
        if problem is not None and not shapely.is_empty(problem):
            x0, y0, x1, y1 = shapely.bounds(problem)
            pad = max(x1 - x0, y1 - y0, 60.0)
            self.window.canvas.zoom_to((x0 - pad, y0 - pad, x1 + pad, y1 + pad), margin=0.1)
        elif parts:
            self.window.canvas.zoom_to(tuple(shapely.total_bounds(np.asarray(parts, dtype=object))), margin=0.2)
        self.window.canvas.update()

    # ------------------------------------------------------------------ helpers
    def _say(self, text: str) -> None:
        self.bar.note.setText(text)

    def _update_buttons(self) -> None:
        self.bar.apply_button.setEnabled(self.preview is not None)
        self.bar.cancel_button.setEnabled(self.preview is not None)

    def _on_document(self) -> None:
        self._own = None
        self.problem, self.fixes, self._selected_rule = None, [], None
        self.cancel_preview(update=False)
        doc = self.window.document
        if doc is not None:
            doc.edited.connect(self._on_edited)
        self._update()

    def _on_edited(self, changes) -> None:
        """Any other edit, undo or redo: a shown preview is no longer what a fix would do."""
        if not self._pushing and self.preview is not None:
            self.cancel_preview()
            self._say(self.tr("The plan changed: preview the fix again."))
