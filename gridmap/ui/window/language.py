"""The interface language: switch it, and re-label what the window shows."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, QSettings

from .. import i18n
from ..layers.vector import GridLayer

__all__ = ["LanguageMixin"]


class LanguageMixin:
    """Retranslates the window (texts of actions and menus come from the action registry)."""

    def retranslate(self) -> None:
        self._retranslate_actions()
        self.inspector_tabs.setTabText(0, QCoreApplication.translate("MainWindow", "Edit"))
        self.inspector_tabs.setTabText(1, QCoreApplication.translate("MainWindow", "Summary"))
        self.level_label.setText(QCoreApplication.translate("MainWindow", "Level:") + " ")
        self._fill_level_combo()
        self.search.setPlaceholderText(QCoreApplication.translate("MainWindow", "Grid code or name…"))
        for layer in self.plan_layers:
            self._name_plan_layer(layer)
        self.layer_panel.set_layers(self.canvas.layers) if self.canvas.layers else None
        self._update_recent_menu()
        self._update_title()

    def changeEvent(self, e) -> None:
        if e.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(e)

    def set_language(self, lang: str) -> None:
        """Switch the UI language now and remember it."""
        QSettings().setValue("language", lang)
        i18n.install(lang)
        # LanguageChange events arrive later; retranslate now so the switch is immediate
        for w in (self, self.layer_panel, self.inspector, self.problems, self.status, self.form, self.people,
                  self.segments, self.history, self.identify_panel):
            w.retranslate()

    def _name_plan_layer(self, layer) -> None:
        if isinstance(layer, GridLayer) and self.document is not None:
            try:
                lv = self.document.plan.level(layer.level_key)
                layer.name = lv.name if i18n.current_language() != "en" else lv.name_en
            except Exception:
                pass
        elif layer.kind == "jurisdiction":
            layer.name = QCoreApplication.translate("MainWindow", "Jurisdiction")
        elif layer.kind == "segments":
            layer.name = QCoreApplication.translate("MainWindow", "Road segments")
        elif layer.kind == "places":
            layer.name = QCoreApplication.translate("MainWindow", "Places")
