"""The window's layers: base maps as plan changes, the plan's own layers as view state.

:class:`LayerManager` keeps the map layers that the canvas draws and the layer
panel lists.  Every change to a **base map** — add (vector/raster/MBTiles file,
tile URL), remove, reorder, style, opacity, visibility — is a core command from
:mod:`gridmap.core.editing.layer_commands` pushed through the document's edit
buffer: one undo step each, and "modified" is simply "not at the saved
position".  The manager never changes the layers directly for a base map: it
follows the buffer's change events (:attr:`PlanDocument.edited`), so a push,
an undo and a redo all bring the canvas and the panel to what
``plan.base_layers`` says.  A layer removed and brought back by undo keeps its
loaded data (no second read of the file).

The plan's own layers (grids per level, segments, places, jurisdiction) are not
recorded in the plan: their visibility, order, opacity and style are view state,
changed directly and never a plan change.
"""

from __future__ import annotations

import json
from pathlib import Path

from PySide6.QtCore import QObject, QSettings, Qt
from PySide6.QtWidgets import QFileDialog, QInputDialog

from ..core.editing import layer_commands as LC
from ..core.editing.geometry import EditError
from ..core.plan import PlanError
from .editing import bilingual
from .layers.base import MapLayer, parse_style
from .layers.vector import layer_from_record

__all__ = ["LayerManager", "vector_filter", "raster_filter"]

from .window.actions import raster_filter, vector_filter  # noqa: E402  (one definition)


def _record_key(row: dict) -> tuple:
    """What a base layer reads: a layer object is reused only for the same data."""
    return (str(row.get("kind") or ""), str(row.get("source") or ""), str(row.get("layer") or ""))


class LayerManager(QObject):
    """Base maps and plan layers of one window (``window.base_layers`` / ``window.plan_layers``)."""

    def __init__(self, window):
        super().__init__(window)
        self.win = window
        self.loading = 0                  # layers being read in worker threads
        self._retired: dict[int, MapLayer] = {}   # record id -> layer removed (kept for undo)
        self._base_style: dict[int, dict] = {}    # layer id -> style once loaded (derived keys kept)
        lp = window.layer_panel
        lp.visibilityChanged.connect(self.set_visible)
        lp.orderChanged.connect(self.set_order)
        lp.opacityChanged.connect(self.set_opacity)
        lp.opacityPreviewed.connect(self.preview_opacity)
        lp.styleRequested.connect(self.edit_style)
        lp.removeRequested.connect(self.remove_base_layer)
        lp.menuRequested.connect(self._show_layer_menu)
        window.tile_fetcher.tileArrived.connect(self._on_tile_arrived)
        window.tile_fetcher.notice.connect(self._on_tile_notice)
        window.tile_fetcher.retryDue.connect(self._retry_tiles)
        window.canvas.viewChanged.connect(lambda _vp: window.tile_fetcher.view_changed())
        window.canvas.layerFailed.connect(self._on_layer_failed)

    # ------------------------------------------------------------------ helpers
    @property
    def document(self):
        return self.win.document

    @property
    def canvas(self):
        return self.win.canvas

    def _message(self, text: str, ms: int = 10000) -> None:
        self.win.status.showMessage(text, ms)

    def _push(self, command, text: str) -> bool:
        """Push a layer command as one undo step (None: nothing to change)."""
        if command is None or self.document is None:
            return False
        try:
            self.document.push(command, text)
        except (PlanError, EditError) as exc:
            lang = "en" if self.win.edit.lang() == "en" else "zh"
            self._message(bilingual(str(exc), lang))
            return False
        return True

    def _layer_of(self, layer_id: int) -> MapLayer | None:
        return self.canvas.layer(layer_id)

    # ------------------------------------------------------------------ document
    def attach(self, doc) -> None:
        """Build the base maps of a newly shown plan (bottom first) and follow its edits."""
        self._retired.clear()
        self._base_style.clear()
        self.win.base_layers = []
        plan = doc.plan
        for rid in LC.base_layer_order(plan):
            layer = self._new_layer(int(rid), plan.base_layers.loc[rid].to_dict())
            if layer is not None:
                self.win.base_layers.append(layer)
        doc.edited.connect(self._on_edited)

    def _new_layer(self, rid: int, row: dict) -> MapLayer | None:
        try:
            layer = layer_from_record(row, self.document.project_dir)
        except ValueError as exc:
            self._message(str(exc))
            return None
        layer.record_id = rid
        layer.record_key = _record_key(row)
        layer.record_style = str(row.get("style") or "")
        self._base_style[layer.id] = dict(layer.style)
        return layer

    def load_all(self) -> None:
        for layer in self.win.base_layers:
            self.load(layer)

    def sync(self) -> None:
        """Give the canvas and the panel the layers, base maps under the plan."""
        layers = list(self.win.base_layers) + list(self.win.plan_layers)
        self.canvas.set_layers(layers)
        self.win.layer_panel.set_layers(layers)

    def load(self, layer: MapLayer) -> None:
        """Read a layer's data in a worker thread (the canvas draws it once ready)."""
        if layer.ready:
            return
        win = self.win
        crs = self.document.plan.crs.to_wkt()  # threads build their own CRS objects
        if hasattr(layer, "fetcher"):
            layer.fetcher = win.tile_fetcher
        self.loading += 1

        def done(_):
            self.loading -= 1
            self._base_style[layer.id] = dict(layer.style)   # e.g. the road classes found on loading
            self.canvas.refresh(layer)
            win.layer_panel.refresh_layer(layer)
            win.segments.refresh_layers()
            if getattr(layer, "needs_overviews", False):
                self.offer_overviews(layer)

        def failed(msg):
            self.loading -= 1
            layer.error = layer.error or msg
            win.layer_panel.refresh_layer(layer)
            self._message(self.tr("Layer %1: %2").replace("%1", layer.name).replace("%2", layer.error), 15000)

        def cancelled():
            self.loading -= 1

        win.tasks.submit(self.tr("Loading %1…").replace("%1", layer.name),
                         lambda c, p: layer.load(crs, c), done, failed, cancelled)

    # ------------------------------------------------------------------ following the buffer
    def _on_edited(self, changes) -> None:
        if "base_layers" in changes.tables:
            self.follow_plan()

    def follow_plan(self) -> None:
        """Bring the base maps on the canvas and in the panel to ``plan.base_layers``."""
        doc = self.document
        if doc is None:
            return
        win = self.win
        plan = doc.plan
        current = {l.record_id: l for l in win.base_layers}
        out, created, redraw = [], [], False
        for rid in LC.base_layer_order(plan):
            row = plan.base_layers.loc[rid].to_dict()
            layer = current.pop(rid, None)
            if layer is None:
                old = self._retired.pop(rid, None)
                layer = old if old is not None and old.record_key == _record_key(row) else None
            if layer is None:
                layer = self._new_layer(int(rid), row)
                if layer is None:
                    continue
                created.append(layer)
            elif self._apply_record(layer, row):
                redraw = True
            out.append(layer)
        for rid, layer in current.items():
            self._retired[rid] = layer
        members_changed = [l.id for l in out] != [l.id for l in win.base_layers]
        win.base_layers = out
        if members_changed:
            layers = list(out) + list(win.plan_layers)
            self.canvas.set_layers(layers)
            if win.layer_panel.order() != [l.id for l in layers]:
                win.layer_panel.set_layers(layers)
            win.segments.refresh_layers()
        for layer in out:
            win.layer_panel.show_layer(layer)
        self.canvas.update()       # opacity applies when compositing
        if redraw:
            self.canvas.schedule(immediate=True)
        for layer in created:
            self.load(layer)

    def _apply_record(self, layer: MapLayer, row: dict) -> bool:
        """Set a layer's name, visibility, opacity and style from its record; True if it
        must be drawn again."""
        redraw = False
        name = str(row.get("name") or layer.name)
        visible = bool(row.get("visible", True))
        if visible != layer.visible:
            layer.visible = visible
            redraw = True
        layer.name = name
        layer.opacity = float(row.get("opacity", 1.0))
        text = str(row.get("style") or "")
        if text != getattr(layer, "record_style", None):
            layer.record_style = text
            layer.style = {**self._base_style.get(layer.id, layer.default_style), **parse_style(text)}
            layer.touch()
            redraw = True
        return redraw

    # ------------------------------------------------------------------ base maps: commands
    def add_base_layer(self, kind: str, source: str, name: str | None = None, style: dict | None = None,
                       layer: str = "") -> MapLayer | None:
        """Add a base map (vector/raster/mbtiles file, or a tiles URL template) as one
        undo step; the layer once added (it loads in the background)."""
        doc = self.document
        if doc is None:
            return None
        if kind == "tiles":
            src, default = source, name or self.tr("Tile map")
        else:
            src, default = doc.relative_source(source), name or Path(source).stem
        try:
            if kind in ("tiles", "mbtiles", "raster"):      # images go under the vector base maps
                cmd = LC.add_base_layer_under_vectors(doc.plan, default, src, kind=kind, layer=layer,
                                                      style=style or {})
            else:
                cmd = LC.add_base_layer(doc.plan, default, src, kind=kind, layer=layer, style=style or {})
        except PlanError as exc:
            self._message(bilingual(str(exc), self.win.edit.lang()))
            return None
        if not self._push(cmd, self.tr("Add base map %1").replace("%1", default)):
            return None
        return next((l for l in self.win.base_layers if l.record_id == cmd.new_id), None)

    def remove_base_layer(self, layer_id: int) -> None:
        layer = self._layer_of(layer_id)
        if layer is None or layer.group != "base" or self.document is None or layer.record_id is None:
            return
        self._push(LC.remove_base_layer(self.document.plan, layer.record_id),
                   self.tr("Remove base map %1").replace("%1", layer.name))

    def set_visible(self, layer_id: int, visible: bool) -> None:
        layer = self._layer_of(layer_id)
        if layer is None:
            return
        if layer.group == "base" and layer.record_id is not None and self.document is not None:
            text = self.tr("Show %1") if visible else self.tr("Hide %1")
            if not self._push(LC.set_base_layer_visibility(self.document.plan, layer.record_id, visible),
                              text.replace("%1", layer.name)):
                self.win.layer_panel.show_layer(layer)   # refused: the box shows the plan again
            return
        layer.visible = visible               # a plan layer: view state
        self.canvas.update()
        self.canvas.schedule(immediate=True)

    def set_order(self, ids: list) -> None:
        """The panel's order (bottom first): base maps as an undo step, plan layers as view."""
        by_id = {l.id: l for l in self.canvas.layers}
        layers = [by_id[i] for i in ids if i in by_id]
        plan_layers = [l for l in layers if l.group != "base"]
        base = [l for l in layers if l.group == "base"]
        if [l.id for l in plan_layers] != [l.id for l in self.win.plan_layers]:
            self.win.plan_layers = plan_layers
            self.canvas.set_layers(list(self.win.base_layers) + plan_layers)
        if self.document is None or [l.id for l in base] == [l.id for l in self.win.base_layers]:
            return
        try:
            cmd = LC.reorder_base_layers(self.document.plan, [l.record_id for l in base])
        except PlanError as exc:
            self._message(bilingual(str(exc), self.win.edit.lang()))
            return
        self._push(cmd, self.tr("Reorder base maps"))

    def preview_opacity(self, layer_id: int, value: float) -> None:
        """While the slider is dragged: show the opacity, record nothing yet."""
        layer = self._layer_of(layer_id)
        if layer is not None:
            layer.opacity = value
            self.canvas.update()

    def set_opacity(self, layer_id: int, value: float) -> None:
        layer = self._layer_of(layer_id)
        if layer is None:
            return
        if layer.group == "base" and layer.record_id is not None and self.document is not None:
            if not self._push(LC.set_base_layer_opacity(self.document.plan, layer.record_id, value),
                              self.tr("Opacity of %1").replace("%1", layer.name)):
                self.follow_plan()   # unchanged or refused: back to the recorded opacity
            return
        layer.opacity = value
        self.canvas.update()  # opacity applies when compositing: no re-render

    def edit_style(self, layer_id: int) -> None:
        from .dialogs import LayerStyleDialog

        layer = self._layer_of(layer_id)
        if layer is None:
            return
        dlg = LayerStyleDialog(layer, self.win)
        if dlg.exec():
            self.apply_style(layer_id, dlg.style())

    def apply_style(self, layer_id: int, style: dict) -> None:
        layer = self._layer_of(layer_id)
        if layer is None:
            return
        if layer.group == "base" and layer.record_id is not None and self.document is not None:
            new = json.loads(layer.style_json())
            new.update(style)
            self._push(LC.set_base_layer_style(self.document.plan, layer.record_id, new),
                       self.tr("Style of %1").replace("%1", layer.name))
            return
        layer.set_style(**style)
        self.canvas.schedule(immediate=True)

    # ------------------------------------------------------------------ dialogs
    def add_vector_dialog(self, path: str | None = None):
        """Add a vector file as a base map.  A file without a coordinate system (a shapefile
        without .prj, a CSV of lon/lat, DXF) is not read as metres of the project CRS: the
        import dialog opens with its CRS detection (guess, GCJ-02/BD-09 among the choices)
        and the file is added through it — one code path with Import."""
        if not path:
            path, _ = QFileDialog.getOpenFileName(self.win, self.tr("Add vector layer"), self.last_dir(),
                                                  vector_filter())
        if not path:
            return None
        self.remember_dir(path)
        if self.lacks_crs(path):
            return self.win.import_dialog(path)
        layers = self.sublayers(path)
        if len(layers) > 1:
            name, ok = QInputDialog.getItem(self.win, self.tr("Choose a layer"), self.tr("Layer:"), layers, 0, False)
            if ok:
                return self.add_base_layer("vector", path, name=f"{Path(path).stem} — {name}", layer=name)
            return None
        return self.add_base_layer("vector", path)

    @staticmethod
    def lacks_crs(path) -> bool:
        """Does a layer of the file come without a coordinate system (so it must be asked)?"""
        try:
            from ..core.exchange.readers import inspect

            info = inspect(path)
        except Exception:
            return False         # unreadable: the layer's own loading reports it
        return any(e.get("crs") is None and str(e.get("geometry")) not in ("None", "table")
                   for e in info.get("layers", []))

    @staticmethod
    def sublayers(path) -> list[str]:
        try:
            import pyogrio

            return [str(n) for n, g in pyogrio.list_layers(path) if g is not None]
        except Exception:
            return []

    def add_raster_dialog(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self.win, self.tr("Add raster layer"), self.last_dir(), raster_filter())
        if path:
            self.remember_dir(path)
            self.add_base_layer("raster", path)

    def add_mbtiles_dialog(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self.win, self.tr("Add MBTiles file"), self.last_dir(),
                                              "MBTiles (*.mbtiles);;*")
        if path:
            self.remember_dir(path)
            self.add_base_layer("mbtiles", path)

    def add_tiles_dialog(self) -> None:
        from .dialogs import TileSourceDialog

        dlg = TileSourceDialog(self.win)
        if dlg.exec():
            name, source = dlg.result_source()
            self.add_base_layer("tiles", source, name=name, style=dlg.options())

    def last_dir(self) -> str:
        doc = self.document
        return str(QSettings().value("last_dir", "") or (doc.project_dir if doc and doc.project_dir else ""))

    @staticmethod
    def remember_dir(path) -> None:
        QSettings().setValue("last_dir", str(Path(path).parent))

    # ------------------------------------------------------------------ view
    def zoom_to_current_layer(self) -> None:
        lid = self.win.layer_panel.current_layer_id()
        layer = self._layer_of(lid) if lid is not None else None
        if layer is not None:
            self.canvas.zoom_to(layer.extent())

    def toggle_labels(self, on: bool) -> None:
        self.canvas.show_labels = bool(on)
        self.canvas.update()
        self.canvas.schedule(immediate=True)

    def _on_tile_arrived(self, layer_id: int) -> None:
        layer = self._layer_of(layer_id)
        if layer is not None:
            layer.touch()
            self.canvas.schedule()

    def tile_layers(self):
        from .layers.tiles import TileLayer

        return [l for l in self.win.base_layers if isinstance(l, TileLayer)]

    def _on_tile_notice(self, kind: str, host: str, detail: str) -> None:
        if kind == "back":
            self._message(self.tr("Tiles: the server %1 answers again").replace("%1", host), 10000)
            self._retry_tiles(all_layers=True)
        elif kind == "not_image":
            self._message(self.tr("Tiles: the server %1 sent no image but “%2” — check the address and the key; "
                                  "asking again later").replace("%1", host).replace("%2", detail), 30000)
        else:
            self._message(self.tr("Tiles: offline, showing cached tiles only (%1)").replace("%1", detail), 15000)

    def _retry_tiles(self, all_layers: bool = False) -> None:
        """Redraw tile layers whose tiles are missing (a backed-off server may be asked again)."""
        touched = False
        for layer in self.tile_layers():
            if layer.visible and (all_layers or layer.missing):
                layer.touch()
                touched = True
        if touched:
            self.canvas.schedule()

    # ------------------------------------------------------------------ rasters: overviews
    def offer_overviews(self, layer):
        """A large raster without overviews: offer to build them (not modal; the map goes on)."""
        from PySide6.QtWidgets import QMessageBox

        w, h = layer.size_px
        box = QMessageBox(QMessageBox.Icon.Question, self.tr("Build overviews"),
                          self.tr("The raster %1 is large (%2 × %3 pixels) and has no overviews, so every zoomed-out "
                                  "view reads it at full resolution. Build overviews now? (A .ovr file is written "
                                  "beside it; the file itself is not changed.)").replace("%1", layer.name)
                          .replace("%2", str(w)).replace("%3", str(h)),
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, self.win)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        box.buttonClicked.connect(lambda b: self.build_overviews(layer.id)
                                  if box.standardButton(b) == QMessageBox.StandardButton.Yes else None)
        box.open()
        self._overview_box = box
        return box

    def build_overviews(self, layer_id: int) -> None:
        from ..core.rasters import build_overviews

        layer = self._layer_of(layer_id)
        if layer is None or not hasattr(layer, "needs_overviews") or getattr(layer, "_building", False):
            return
        layer._building = True
        path = layer.path

        def done(factors):
            layer._building = False
            layer.needs_overviews = False
            layer.reopen()
            self.canvas.schedule(immediate=True)
            self._message(self.tr("Overviews of %1 built (1/%2 … 1/%3)").replace("%1", layer.name)
                          .replace("%2", str(factors[0] if factors else 1)).replace("%3", str(factors[-1] if factors else 1)))

        def failed(msg):
            layer._building = False
            self._message(self.tr("Overviews of %1 could not be built: %2").replace("%1", layer.name).replace("%2", msg),
                          15000)

        self.win.tasks.submit(self.tr("Building overviews of %1…").replace("%1", layer.name),
                              lambda c, p: build_overviews(path), done, failed, lambda: None)

    # ------------------------------------------------------------------ the layer panel's context menu
    def layer_menu(self, layer_id: int):
        """The right-click menu of a layer (tile, raster and base-map commands)."""
        from PySide6.QtWidgets import QMenu

        from .layers.raster import RasterLayer
        from .layers.tiles import TileLayer

        layer = self._layer_of(layer_id)
        menu = QMenu(self.win)
        if isinstance(layer, TileLayer):
            menu.addAction(self.tr("Refresh tiles in this view"), self.refresh_tiles_in_view)
            menu.addAction(self.tr("Save this area for offline use…"), lambda: self.save_offline_dialog(layer_id))
            menu.addAction(self.tr("Tile cache…"), self.tile_cache_dialog)
        if isinstance(layer, RasterLayer):
            menu.addAction(self.tr("Build overviews"), lambda: self.build_overviews(layer_id))
        if layer is not None:
            menu.addAction(self.tr("Zoom to layer"), lambda: self.canvas.zoom_to(layer.extent()))
        if layer is not None and layer.group == "base":
            menu.addAction(self.tr("Remove"), lambda: self.remove_base_layer(layer_id))
        return menu

    def _show_layer_menu(self, layer_id: int, pos) -> None:
        menu = self.layer_menu(layer_id)
        if menu.actions():
            menu.popup(pos)

    # ------------------------------------------------------------------ tile cache and offline areas
    def refresh_tiles_in_view(self) -> int:
        """Drop the cached tiles of the view (disk and memory) and ask them again."""
        n = 0
        cache = self.win.tile_fetcher.cache
        vp = self.canvas.viewport
        for layer in self.tile_layers():
            if not layer.visible or not layer.ready:
                continue
            keys = layer.view_tiles(vp)
            n += cache.remove(layer.template, keys)
            layer.forget(keys)
            layer.touch()
        self.win.tile_fetcher.view_changed()
        self.canvas.schedule(immediate=True)
        self._message(self.tr("Tiles: %1 tile(s) of this view are asked again").replace("%1", str(n)))
        return n

    def clear_tile_cache(self) -> None:
        self.win.tile_fetcher.cache.clear()
        for layer in self.tile_layers():
            layer.forget()
            layer.touch()
        self.canvas.schedule(immediate=True)
        self._message(self.tr("Tiles: the cache is cleared"))

    def tile_cache_dialog(self):
        from .tile_dialogs import TileCacheDialog

        dlg = TileCacheDialog(self.win)
        dlg.open()
        return dlg

    def save_offline_dialog(self, layer_id: int | None = None):
        from .tile_dialogs import OfflineAreaDialog

        layers = [l for l in self.tile_layers() if l.ready]
        if not layers:
            self._message(self.tr("Add a tile base map first (Layers → Add tile base map…)"))
            return None
        dlg = OfflineAreaDialog(self.win, layers, layer_id)
        dlg.open()
        return dlg

    def _on_layer_failed(self, layer_id: int, message: str) -> None:
        layer = self._layer_of(layer_id)
        if layer is not None:
            self.win.layer_panel.refresh_layer(layer)
            self._message(self.tr("Layer %1: %2").replace("%1", layer.name).replace("%2", message))
