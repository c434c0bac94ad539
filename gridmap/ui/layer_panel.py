"""The layer panel: a tree of the plan's layers and the base maps (top of the
list is drawn on top), with visibility check boxes, drag-to-reorder within a
group, an opacity slider and a style button.

The panel only shows and asks: it emits what the user did (tick, order, opacity,
style, remove) and the window's :class:`~gridmap.ui.layer_manager.LayerManager`
makes the change (for base maps an undo step) and shows the result again with
:meth:`LayerPanel.show_layer` / :meth:`LayerPanel.set_layers` — also after undo.
The opacity slider records its value when it is released (``opacityChanged``);
while it is dragged it only previews (``opacityPreviewed``)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QPoint, Qt, Signal
from PySide6.QtWidgets import (QAbstractItemView, QHBoxLayout, QLabel, QPushButton, QSlider,
                               QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget)

__all__ = ["LayerPanel", "LayerTree"]

ROLE_ID = Qt.ItemDataRole.UserRole + 1


class LayerTree(QTreeWidget):
    """A tree whose layer items move only inside their own group."""

    orderChanged = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setHeaderHidden(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.invisibleRootItem().setFlags(Qt.ItemFlag.ItemIsEnabled)  # nothing dropped at top level

    def dropEvent(self, event) -> None:
        dragged = self.currentItem()
        target = self.itemAt(event.position().toPoint())
        if dragged is None or dragged.parent() is None or target is None:
            event.ignore()
            return
        group = dragged.parent()
        target_group = target if target.parent() is None else target.parent()
        pos = self.dropIndicatorPosition()
        if target_group is not group or (target.parent() is None and pos != QAbstractItemView.DropIndicatorPosition.OnItem):
            event.ignore()
            return
        super().dropEvent(event)
        self.orderChanged.emit()


class LayerPanel(QWidget):
    """Shows a list of layers (bottom first, as the canvas holds them) grouped
    into the plan's layers and base maps."""

    visibilityChanged = Signal(int, bool)     # layer id, visible
    orderChanged = Signal(list)               # layer ids, bottom first
    opacityChanged = Signal(int, float)       # layer id, opacity (slider released or stepped)
    opacityPreviewed = Signal(int, float)     # layer id, opacity while the slider is dragged
    styleRequested = Signal(int)
    currentLayerChanged = Signal(int)
    removeRequested = Signal(int)
    menuRequested = Signal(int, QPoint)       # layer id, global position (right click)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.tree = LayerTree(self)
        self.opacity_label = QLabel(self)
        self.opacity = QSlider(Qt.Orientation.Horizontal, self)
        self.opacity.setRange(0, 100)
        self.opacity.setValue(100)
        self.opacity.setTracking(False)       # valueChanged on release: one step per drag
        self.style_button = QPushButton(self)
        self.remove_button = QPushButton(self)
        row = QHBoxLayout()
        row.addWidget(self.opacity_label)
        row.addWidget(self.opacity, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.style_button)
        buttons.addWidget(self.remove_button)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(2, 2, 2, 2)
        lay.addWidget(self.tree, 1)
        lay.addLayout(row)
        lay.addLayout(buttons)
        self.groups: dict[str, QTreeWidgetItem] = {}
        for key in ("plan", "base"):
            item = QTreeWidgetItem(self.tree)
            item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsDropEnabled)
            item.setExpanded(True)
            f = item.font(0)
            f.setBold(True)
            item.setFont(0, f)
            self.groups[key] = item
        self._layers: dict[int, object] = {}
        self._updating = False
        self.tree.itemChanged.connect(self._on_item_changed)
        self.tree.orderChanged.connect(self._emit_order)
        self.tree.currentItemChanged.connect(self._on_current)
        self.tree.itemDoubleClicked.connect(lambda item, col: self._style_item(item))
        self.opacity.valueChanged.connect(self._on_opacity)
        self.opacity.sliderMoved.connect(self._on_opacity_moved)
        self.style_button.clicked.connect(lambda: self._style_item(self.tree.currentItem()))
        self.remove_button.clicked.connect(self._remove_current)
        self.tree.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.tree.customContextMenuRequested.connect(self._context_menu)
        self.retranslate()

    # ------------------------------------------------------------------ content
    def set_layers(self, layers) -> None:
        """Fill the tree from layers given bottom first (the current layer stays current)."""
        keep = self.current_layer_id()
        self._updating = True
        self._layers = {l.id: l for l in layers}
        for g in self.groups.values():
            g.takeChildren()
        for layer in reversed(layers):
            group = self.groups["plan" if layer.group == "plan" else "base"]
            item = QTreeWidgetItem(group)
            item.setData(0, ROLE_ID, layer.id)
            item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
                          | Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsDragEnabled)
            item.setCheckState(0, Qt.CheckState.Checked if layer.visible else Qt.CheckState.Unchecked)
            self._decorate(item, layer)
        for g in self.groups.values():
            g.setExpanded(True)
        self._updating = False
        item = self.item_for(keep) if keep is not None else None
        if item is not None:
            self.tree.setCurrentItem(item)

    def show_layer(self, layer) -> None:
        """Show a layer's name, visibility and (if current) opacity as they are now,
        without emitting anything."""
        item = self.item_for(layer.id)
        if item is None:
            return
        self._layers[layer.id] = layer
        self._updating = True
        state = Qt.CheckState.Checked if layer.visible else Qt.CheckState.Unchecked
        if item.checkState(0) != state:
            item.setCheckState(0, state)
        self._decorate(item, layer)
        self._updating = False
        if self.current_layer_id() == layer.id:
            self.opacity.blockSignals(True)
            self.opacity.setValue(int(round(layer.opacity * 100)))
            self.opacity.blockSignals(False)

    def _decorate(self, item, layer) -> None:
        item.setText(0, layer.name)
        tip = layer.error or layer.notice or ""
        item.setToolTip(0, tip)
        if layer.error:
            item.setForeground(0, Qt.GlobalColor.red)

    def refresh_layer(self, layer) -> None:
        item = self.item_for(layer.id)
        if item is not None:
            self._updating = True
            self._decorate(item, layer)
            self._updating = False

    def item_for(self, layer_id: int) -> QTreeWidgetItem | None:
        for g in self.groups.values():
            for i in range(g.childCount()):
                if g.child(i).data(0, ROLE_ID) == layer_id:
                    return g.child(i)
        return None

    def set_checked(self, layer_id: int, visible: bool) -> None:
        """Tick or untick a layer (as a click on its check box does)."""
        item = self.item_for(layer_id)
        if item is not None:
            item.setCheckState(0, Qt.CheckState.Checked if visible else Qt.CheckState.Unchecked)

    def order(self) -> list[int]:
        """Layer ids bottom first (base maps under the plan)."""
        ids = []
        for key in ("base", "plan"):
            g = self.groups[key]
            ids += [g.child(i).data(0, ROLE_ID) for i in reversed(range(g.childCount()))]
        return ids

    def move_layer(self, layer_id: int, steps: int) -> None:
        """Move a layer up (negative) or down (positive) within its group."""
        item = self.item_for(layer_id)
        if item is None:
            return
        g = item.parent()
        i = g.indexOfChild(item)
        j = max(0, min(g.childCount() - 1, i + steps))
        if i == j:
            return
        self._updating = True
        checked = item.checkState(0)
        g.takeChild(i)
        g.insertChild(j, item)
        item.setCheckState(0, checked)
        self._updating = False
        self.tree.setCurrentItem(item)
        self._emit_order()

    def current_layer_id(self) -> int | None:
        item = self.tree.currentItem()
        return item.data(0, ROLE_ID) if item is not None and item.parent() is not None else None

    # ------------------------------------------------------------------ slots
    def _on_item_changed(self, item, column) -> None:
        if self._updating or item.parent() is None:
            return
        lid = item.data(0, ROLE_ID)
        self.visibilityChanged.emit(lid, item.checkState(0) == Qt.CheckState.Checked)

    def _emit_order(self) -> None:
        self.orderChanged.emit(self.order())

    def _on_current(self, cur, prev) -> None:
        lid = self.current_layer_id()
        enabled = lid is not None
        self.opacity.setEnabled(enabled)
        self.style_button.setEnabled(enabled)
        layer = self._layers.get(lid)
        self.remove_button.setEnabled(enabled and layer is not None and layer.group == "base")
        if layer is not None:
            self.opacity.blockSignals(True)
            self.opacity.setValue(int(round(layer.opacity * 100)))
            self.opacity.blockSignals(False)
            self.currentLayerChanged.emit(lid)

    def _on_opacity(self, value: int) -> None:
        lid = self.current_layer_id()
        if lid is not None:
            self.opacityChanged.emit(lid, value / 100.0)

    def _on_opacity_moved(self, value: int) -> None:
        lid = self.current_layer_id()
        if lid is not None:
            self.opacityPreviewed.emit(lid, value / 100.0)

    def _style_item(self, item) -> None:
        if item is not None and item.parent() is not None:
            self.styleRequested.emit(item.data(0, ROLE_ID))

    def _context_menu(self, pos) -> None:
        item = self.tree.itemAt(pos)
        if item is not None and item.parent() is not None:
            self.menuRequested.emit(item.data(0, ROLE_ID), self.tree.viewport().mapToGlobal(pos))

    def _remove_current(self) -> None:
        lid = self.current_layer_id()
        if lid is not None:
            self.removeRequested.emit(lid)

    def retranslate(self) -> None:
        self.groups["plan"].setText(0, self.tr("Plan layers"))
        self.groups["base"].setText(0, self.tr("Base maps"))
        self.opacity_label.setText(self.tr("Opacity"))
        self.style_button.setText(self.tr("Style…"))
        self.remove_button.setText(self.tr("Remove"))

    def changeEvent(self, e) -> None:
        if e.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(e)
