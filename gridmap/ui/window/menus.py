"""The main window's actions, menus and toolbars, built from the one registry
(:mod:`.actions`), and retranslated and enabled from it."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QAction, QActionGroup, QIcon, QKeySequence
from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QMenu, QToolBar

from .. import i18n
from .actions import ACTIONS, DOCK_TITLES, EDIT_OPTIONS, MENUS, SUBMENUS, TOOL_GROUP, TOOLBARS

__all__ = ["MenusMixin", "icon"]


def icon(name: str) -> QIcon:
    p = i18n.RESOURCES / "icons" / f"{name}.svg"
    return QIcon(str(p)) if p.exists() else QIcon()


def _tr(text: str) -> str:
    return QCoreApplication.translate("MainWindow", text)


def _shortcuts(spec) -> list[QKeySequence]:
    s = spec.shortcut
    if s is None:
        return []
    if isinstance(s, tuple):
        return [QKeySequence(k) for k in s]
    return [QKeySequence(s)]


class MenusMixin:
    """Builds ``self.actions`` (id → QAction), ``self.menus``, the toolbars; :meth:`update_actions`
    applies each action's enablement rule to the window state."""

    def _slot_for(self, spec):
        if spec.tool:
            return lambda checked=False, n=spec.tool: self.set_tool(n)
        if not spec.run:
            return None
        target = self
        *path, name = spec.run.split(".")
        for attr in path:
            target = getattr(target, attr)
        fn = getattr(target, name)
        if spec.checkable:
            return fn                                  # receives the checked state
        return lambda checked=False, f=fn: f()

    def _make_actions(self) -> None:
        A = {}
        for spec in ACTIONS:
            a = QAction(self)
            a.setObjectName(f"action_{spec.id}")
            keys = _shortcuts(spec)
            if keys:
                a.setShortcuts(keys)
            a.setCheckable(spec.checkable)
            if spec.icon:
                a.setIcon(icon(spec.icon))
            slot = self._slot_for(spec)
            if slot is not None:
                a.triggered.connect(slot)
            if spec.option:
                a.setChecked(bool(getattr(self.edit, spec.option)))
                a.toggled.connect(lambda on, n=spec.option: self._set_edit_option(n, on))
            A[spec.id] = a
        A["labels"].setChecked(True)
        g = self.undo_group
        A["undo"].setEnabled(False)
        A["redo"].setEnabled(False)
        g.canUndoChanged.connect(A["undo"].setEnabled)
        g.canRedoChanged.connect(A["redo"].setEnabled)
        g.undoTextChanged.connect(lambda t: self._update_undo_texts())
        g.redoTextChanged.connect(lambda t: self._update_undo_texts())
        tools = QActionGroup(self)
        for k in TOOL_GROUP:
            tools.addAction(A[k])
        langs = QActionGroup(self)
        langs.addAction(A["lang_zh_CN"])
        langs.addAction(A["lang_en"])
        self.actions = A
        assert set(EDIT_OPTIONS) <= set(A)

    def set_language_zh(self, checked: bool = True) -> None:
        self.set_language("zh_CN")

    def set_language_en(self, checked: bool = True) -> None:
        self.set_language("en")

    def _make_menus(self) -> None:
        A = self.actions
        mb = self.menuBar()
        self.menus: dict[str, QMenu] = {}
        self.recent_menu = QMenu(self)
        self.recent_menu.setObjectName("menu_recent")
        self.snap_layers_menu = QMenu(self)
        self.snap_layers_menu.setObjectName("menu_snap_layers")
        self.snap_layers_menu.aboutToShow.connect(self._fill_snap_layers_menu)
        self.panels_menu = QMenu(self)
        for dock in self.docks.values():
            self.panels_menu.addAction(dock.toggleViewAction())
        self.lang_menu = QMenu(self)
        self.lang_menu.addAction(A["lang_zh_CN"])
        self.lang_menu.addAction(A["lang_en"])
        sub = {"recent": self.recent_menu, "snap_layers": self.snap_layers_menu, "panels": self.panels_menu,
               "language": self.lang_menu}
        for key, _title, items in MENUS:
            m = mb.addMenu("")
            m.setObjectName(f"menu_{key}")
            for it in items:
                if it is None:
                    m.addSeparator()
                elif it.startswith("@"):
                    m.addMenu(sub[it[1:]])
                else:
                    m.addAction(A[it])
            self.menus[key] = m

        self.search = QLineEdit(self)
        self.search.setObjectName("grid_search")
        self.search.setClearButtonEnabled(True)
        self.search.setMaximumWidth(240)
        self.search.returnPressed.connect(lambda: self.search_grid(self.search.text()))
        self.level_label = QLabel(self)
        self.level_combo = QComboBox(self)
        self.level_combo.setObjectName("edit_level")
        self.level_combo.currentIndexChanged.connect(
            lambda i: setattr(self.edit, "level", self.level_combo.itemData(i)))
        widgets = {"search": [self.search], "level": [self.level_label, self.level_combo]}
        self.toolbars: dict[str, QToolBar] = {}
        for n, (name, _title, items) in enumerate(TOOLBARS):
            tb = QToolBar(self)
            tb.setObjectName(name)
            for k in items:
                if k is None:
                    tb.addSeparator()
                elif k.startswith("@"):
                    for w in widgets[k[1:]]:
                        tb.addWidget(w)
                else:
                    tb.addAction(A[k])
            if n:
                self.addToolBarBreak()
            self.addToolBar(tb)
            self.toolbars[name] = tb
        self.toolbar, self.edit_toolbar = self.toolbars["toolbar_main"], self.toolbars["toolbar_edit"]

    def update_actions(self) -> None:
        """Enable each action by its rule over the window state (a plan open, a selection…)."""
        for spec in ACTIONS:
            if spec.id not in ("undo", "redo"):
                self.actions[spec.id].setEnabled(bool(spec.enabled_when(self)))
        from ..shared_session import session_of
        if session_of(self) is not None:
            session_of(self).restrict_actions()     # a viewer of a shared plan: the editing tools are off

    def _retranslate_actions(self) -> None:
        A = self.actions
        for spec in ACTIONS:
            if spec.id in ("undo", "redo"):
                continue
            a = A[spec.id]
            text = _tr(spec.text)
            a.setText(text)
            keys = a.shortcut()
            a.setToolTip(text.replace("&", "").replace("…", "") + (
                f" ({keys.toString(QKeySequence.SequenceFormat.NativeText)})" if not keys.isEmpty() else ""))
        for key, title, _items in MENUS:
            self.menus[key].setTitle(_tr(title))
        for key, menu in (("recent", self.recent_menu), ("language", self.lang_menu), ("panels", self.panels_menu),
                          ("snap_layers", self.snap_layers_menu)):
            menu.setTitle(_tr(SUBMENUS[key]))
        for name, title, _items in TOOLBARS:
            self.toolbars[name].setWindowTitle(_tr(title))
        for key, title in DOCK_TITLES:
            self.docks[key].setWindowTitle(_tr(title))
        self._update_undo_texts()
        lang = i18n.current_language()
        A["lang_zh_CN"].setChecked(lang == "zh_CN")
        A["lang_en"].setChecked(lang == "en")

    def _update_undo_texts(self) -> None:
        g = self.undo_group
        for key, text in (("undo", g.undoText()), ("redo", g.redoText())):
            a = self.actions[key]
            a.setText(_tr(next(s.text for s in ACTIONS if s.id == key)).replace("%1", text).strip())
            keys = ", ".join(k.toString(QKeySequence.SequenceFormat.NativeText) for k in a.shortcuts())
            a.setToolTip(a.text().replace("&", "") + (f" ({keys})" if keys else ""))
