"""The grid inspector: attributes and roles (定人、定责) of the selected grid (read-only)."""

from __future__ import annotations

import pandas as pd
from PySide6.QtCore import QEvent, QLocale
from PySide6.QtWidgets import QLabel, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget

from ..core.crs import areas_m2
from ..core.plan import ROLE_LABELS

__all__ = ["GridInspector"]


def _count(column, value) -> int:
    """How many cells of an id column (nullable integers) are ``value``."""
    return int((pd.array(column, dtype="Int64") == value).fillna(False).sum())


def _text(v) -> str:
    if v is None or (not isinstance(v, str) and pd.isna(v)):
        return ""
    return str(v)


class GridInspector(QWidget):
    """Shows one grid: code, name, level, parent, area, validity, notes, and who is responsible."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.header = QLabel(self)
        self.header.setWordWrap(True)
        self.tree = QTreeWidget(self)
        self.tree.setColumnCount(2)
        self.tree.setRootIsDecorated(True)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(2, 2, 2, 2)
        lay.addWidget(self.header)
        lay.addWidget(self.tree, 1)
        self.plan = None
        self.grid_ids: list[int] = []
        self.retranslate()

    def lang_zh(self) -> bool:
        return QLocale().language() == QLocale.Language.Chinese

    def show_grids(self, plan, grid_ids) -> None:
        self.plan = plan
        self.grid_ids = [int(g) for g in grid_ids if plan is not None and int(g) in plan.grids.index]
        self._fill()

    def _fill(self) -> None:
        self.tree.clear()
        plan, ids = self.plan, self.grid_ids
        if plan is None or not ids:
            self.header.setText(self.tr("No grid selected. Click a grid on the map (Shift-click adds)."))
            return
        gid = ids[0]
        g = plan.grids.loc[gid]
        if len(ids) > 1:
            self.header.setText(self.tr("%n grid(s) selected; showing the first.", "", len(ids)))
        else:
            self.header.setText(self.tr("Grid %1").replace("%1", _text(g["code"]) or str(gid)))
        zh = self.lang_zh()
        try:
            lv = plan.level(str(g["level"]))
            level_name = lv.name if zh else lv.name_en
        except Exception:
            level_name = _text(g["level"])
        area = float(areas_m2([g.geometry], plan.crs)[0]) if g.geometry is not None else 0.0
        attrs = QTreeWidgetItem(self.tree, [self.tr("Attributes"), ""])
        rows = [
            (self.tr("Code"), _text(g["code"])),
            (self.tr("Name"), _text(g["name"])),
            (self.tr("Level"), level_name),
            (self.tr("Parent grid"), plan.parent_code(gid)),
            (self.tr("Area"), self.tr("%1 m² (%2 km²)").replace("%1", f"{area:,.0f}").replace("%2", f"{area / 1e6:.3f}")),
            (self.tr("Valid from"), _text(g.get("valid_from"))),
            (self.tr("Valid to"), _text(g.get("valid_to"))),
            (self.tr("Notes"), _text(g.get("notes"))),
            (self.tr("Id"), str(gid)),
        ]
        for k, v in rows:
            QTreeWidgetItem(attrs, [k, v])
        roles = QTreeWidgetItem(self.tree, [self.tr("Responsibilities"), ""])
        r = plan.roles_of(gid)
        if not len(r):
            QTreeWidgetItem(roles, [self.tr("(none assigned)"), ""])
        for _, row in r.iterrows():
            label = ROLE_LABELS.get(row["role"], (row["role"], row["role"]))[0 if zh else 1]
            if not pd.isna(row["person"]) and int(row["person"]) in plan.people.index:
                p = plan.people.loc[int(row["person"])]
                unit = ""
                if not pd.isna(p["unit"]) and int(p["unit"]) in plan.units.index:
                    unit = _text(plan.units.at[int(p["unit"]), "name"])
                who = " · ".join(x for x in (_text(p["name"]), _text(p["post"]), unit, _text(p["phone"])) if x)
            elif not pd.isna(row["unit"]) and int(row["unit"]) in plan.units.index:
                u = plan.units.loc[int(row["unit"])]
                who = " · ".join(x for x in (_text(u["name"]), _text(u["phone"])) if x)
            else:
                who = ""
            item = QTreeWidgetItem(roles, [label, who])
            if _text(row["duty"]):
                QTreeWidgetItem(item, [self.tr("Duty"), _text(row["duty"])])
        # counts from the id columns (no frame of the rows filtered out of 100k: issue 21)
        n_children = _count(plan.grids["parent"], gid)
        if n_children:
            QTreeWidgetItem(attrs, [self.tr("Child grids"), str(n_children)])
        n_segs = _count(plan.segments["grid"], gid) if len(plan.segments) else 0
        n_places = _count(plan.places["grid"], gid) if len(plan.places) else 0
        QTreeWidgetItem(attrs, [self.tr("Road segments"), str(n_segs)])
        QTreeWidgetItem(attrs, [self.tr("Places"), str(n_places)])
        self.tree.expandAll()
        self.tree.resizeColumnToContents(0)

    def values(self) -> dict[str, str]:
        """The shown rows as {label: value} (for tests and copying)."""
        out = {}

        def walk(item):
            for j in range(item.childCount()):
                c = item.child(j)
                key = c.text(0)
                while key in out:
                    key += " "
                out[key] = c.text(1)
                walk(c)

        for i in range(self.tree.topLevelItemCount()):
            walk(self.tree.topLevelItem(i))
        return out

    def retranslate(self) -> None:
        self.tree.setHeaderLabels([self.tr("Field"), self.tr("Value")])
        self._fill()

    def changeEvent(self, e) -> None:
        if e.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(e)
