"""The editable grid form (定人、定责): code, name, parent, notes, and the grid's
roles — leader, deputy, lead unit, officers (with posts and phones),
responsible units and partners, each with its duty.

Every change is one undo step through :meth:`gridmap.ui.editing.EditController.push`.
The code is proposed from the level's pattern (the ⟳ button), may be typed,
and is checked with :func:`gridmap.core.codes.is_valid_code`: an invalid or
duplicate code is shown in red and refused.  Pick lists come from the plan's
people and units; typing a new name in one of them adds the person or unit.
"""

from __future__ import annotations

import weakref

import numpy as np
import pandas as pd
import shiboken6
from PySide6.QtCore import QAbstractListModel, QEvent, QModelIndex, QSignalBlocker, Qt, Signal
from PySide6.QtWidgets import (QAbstractItemView, QCompleter, QComboBox, QFormLayout, QGroupBox, QHBoxLayout, QHeaderView,
                               QLabel, QLineEdit, QPushButton, QTableWidget, QTableWidgetItem, QToolButton,
                               QVBoxLayout, QWidget)

from ..core import codes as _codes
from ..core.crs import areas_m2
from ..core.editing import commands as C
from ..core.plan import ROLES
from .edit_dialogs import role_label
from .editing import propose_code

__all__ = ["GridForm", "code_problem"]

INVALID = "background:#ffd6d6;"
SINGLE_ROLES = ("leader", "deputy", "lead_unit")
# every other role of the documents, with its own label: 挂点领导 is not 网格长, 常务副网格长 not 副网格长;
# 中队 → 网格责任人 → 队员 (管片/管块/管段); 联系人 of a lead unit; 协作力量 N (issue 13)
LIST_ROLES = ("officer", "responsible", "member", "patron", "executive_deputy", "contact", "squad",
              "responsible_unit", "partner")


def _text(v) -> str:
    if v is None or (not isinstance(v, str) and pd.isna(v)):
        return ""
    return str(v)


def code_problem(plan, grid_id: int, code: str) -> str | None:
    """Why ``code`` cannot be the grid's code: "pattern" (does not follow its
    level's pattern under its parent), "duplicate" (another grid has it), or None."""
    lv = plan.level(str(plan.grids.at[grid_id, "level"]))
    if not _codes.is_valid_code(code, lv.code_pattern, admin=plan.admin_code, parent=plan.parent_code(grid_id)):
        return "pattern"
    codes = plan.grids["code"].to_numpy(dtype=object)
    same = codes == code                     # (a numpy pass: no copy of the column without this grid)
    if int(np.count_nonzero(same)) > int(plan.grids.at[grid_id, "code"] == code):
        return "duplicate"
    return None


def _labels(frame, cols) -> list[str]:
    """" · "-joined non-empty texts of ``cols`` per row (vectorised over the columns)."""
    parts = [frame[c].tolist() for c in cols]
    return [" · ".join(t for t in map(_text, row) if t) for row in zip(*parts)]


def _grid_labels(plan, ids) -> list[str]:
    g = plan.grids.loc[ids]
    codes = [_text(c) or f"#{i}" for c, i in zip(g["code"].tolist(), g.index.tolist())]
    return [c + (f" · {n}" if n else "") for c, n in zip(codes, map(_text, g["name"].tolist()))]


def _person_labels(plan, ids) -> list[str]:
    return _labels(plan.people.loc[ids], ("name", "post", "phone"))


def _unit_labels(plan, ids) -> list[str]:
    return [_text(n) for n in plan.units.loc[ids, "name"].tolist()]


#: what a pick list shows of a row: (table, label function, columns whose change alters a label)
PICK_KINDS = {
    "grid": ("grids", _grid_labels, {"code", "name", "level"}),
    "person": ("people", _person_labels, {"name", "post", "phone"}),
    "unit": ("units", _unit_labels, {"name"}),
}


def _is_partial(plan) -> bool:
    from ..core.storage.gpkg import is_partial

    return plan is not None and is_partial(plan)


def _same_key(a, b) -> bool:
    if a is None or b is None:
        return a is None and b is None
    if isinstance(a, str) or isinstance(b, str):
        return isinstance(a, str) and isinstance(b, str) and a == b
    try:
        return int(a) == int(b)
    except (TypeError, ValueError):
        return False


def _flag_value(f) -> int:
    return int(f.value) if hasattr(f, "value") else int(f)


class PickSource:
    """The rows of one pick list — the ids of one table of the plan (the grids of a level,
    the people, the units) and their labels, made when first asked for — shared by every
    :class:`PlanPickList` that offers them (the grid form's person boxes with and without
    "(none)", the segments panel's officer box …: :func:`pick_source`).  An edit is
    followed once, whichever of its lists hears it first, and each list emits only the
    rows it touched."""

    def __init__(self, kind: str, level: str | None = None):
        self.kind = kind
        self.table, self._make, self._label_columns = PICK_KINDS[kind]
        self.level = level
        self.plan = None
        self.ids = np.zeros(0, dtype=np.int64)
        self.labels: list = []
        self.views = weakref.WeakSet()     # the PlanPickLists over these rows
        self._followed = None              # the last edit followed (each edit once)

    def _current_ids(self) -> np.ndarray:
        df = getattr(self.plan, self.table)
        if self.level is not None:
            df = df[(df["level"] == self.level).to_numpy(dtype=bool)]
        return np.sort(df.index.to_numpy(dtype=np.int64))

    def _views(self) -> list:
        return [v for v in list(self.views) if shiboken6.isValid(v)]

    def set_plan(self, plan) -> None:
        views = self._views()
        for v in views:
            v.beginResetModel()
        self.plan = plan
        self.ids = self._current_ids() if plan is not None else np.zeros(0, dtype=np.int64)
        self.labels = [None] * len(self.ids)
        self._followed = None
        for v in views:
            v.endResetModel()

    def _belongs(self, rid: int) -> bool:
        df = getattr(self.plan, self.table)
        if rid not in df.index:
            return False
        return self.level is None or str(df.at[rid, "level"]) == self.level

    def follow(self, changes) -> None:
        """An edit: its rows of this table removed, inserted in id order, or relabelled."""
        if self.plan is None or changes is self._followed:
            return
        self._followed = changes
        tc = changes.per_table.get(self.table)
        if tc is None:
            return
        from ..core.editing.changes import rows_or_columns_changed

        relabel = rows_or_columns_changed(changes, self.table, self._label_columns)
        touched = sorted(int(i) for i in (tc.ids if relabel or self.level is not None else tc.added | tc.removed))
        views = self._views()
        for rid in touched:
            here = self.position(rid)
            now = self._belongs(rid)
            if here >= 0 and not now:
                for v in views:
                    v.beginRemoveRows(QModelIndex(), len(v.head) + here, len(v.head) + here)
                self.ids = np.delete(self.ids, here)
                del self.labels[here]
                for v in views:
                    v.endRemoveRows()
            elif here < 0 and now:
                at = int(np.searchsorted(self.ids, rid))
                for v in views:
                    v.beginInsertRows(QModelIndex(), len(v.head) + at, len(v.head) + at)
                self.ids = np.insert(self.ids, at, rid)
                self.labels.insert(at, None)
                for v in views:
                    v.endInsertRows()
            elif here >= 0 and relabel and rid in tc.modified:
                self.labels[here] = None
                for v in views:
                    r = len(v.head) + here
                    v.dataChanged.emit(v.index(r), v.index(r))

    def position(self, rid) -> int:
        at = int(np.searchsorted(self.ids, int(rid)))
        return at if at < len(self.ids) and int(self.ids[at]) == int(rid) else -1

    def ensure_labels(self) -> None:
        """Every label at once (vectorised): before somebody searches the whole list."""
        missing = [k for k, t in enumerate(self.labels) if t is None]
        if missing and self.plan is not None:
            made = self._make(self.plan, self.ids[missing].tolist())
            for k, t in zip(missing, made):
                self.labels[k] = t

    def label(self, k: int) -> str:
        t = self.labels[k]
        if t is None:
            t = self.labels[k] = self._make(self.plan, [int(self.ids[k])])[0]
        return t


def pick_source(owner, plan, kind: str, level: str | None = None) -> PickSource:
    """The one :class:`PickSource` of ``kind`` (and level) for ``plan``, kept on ``owner``
    (the window's edit controller, which the grid form and the segments panel share): a
    new plan starts new sources."""
    if owner is None:
        src = PickSource(kind, level)
        src.set_plan(plan)
        return src
    from ..core.storage.gpkg import is_partial

    reg = getattr(owner, "_pick_sources", None)
    if reg is None or reg[0] is not plan or reg[2] != is_partial(plan):   # (stage 1 of an opening: other rows later)
        reg = (plan, {}, is_partial(plan))
        owner._pick_sources = reg
    src = reg[1].get((kind, level))
    if src is None:
        src = reg[1][(kind, level)] = PickSource(kind, level)
        src.set_plan(plan)
    return src


class PlanPickList(QAbstractListModel):
    """A lazy pick list over one table of the plan (the grids of a level, the people, the
    units): a few fixed rows first ("(none)", "(unchanged)" …: :meth:`set_head`), then the
    rows of its :class:`PickSource` — one per id in id order, shared with the other lists
    of that source.  A label is made only when Qt asks for its row (the rows shown, or all
    of them once somebody types to search), and an edit changes only its rows
    (:meth:`follow`: rows inserted, removed, changed) — setting the plan costs one pass
    over the ids, never a label per row.  ``Qt.UserRole``: the id (or the head row's
    value); ``findData`` of an id is a binary search (:meth:`match`)."""

    def __init__(self, kind: str, parent=None, level: str | None = None, source: PickSource | None = None):
        super().__init__(parent)
        self.head: list[tuple[str, object]] = []
        self.src = source if source is not None else PickSource(kind, level)
        self.src.views.add(self)

    # the source's rows, under the names the lists always had
    kind = property(lambda self: self.src.kind)
    plan = property(lambda self: self.src.plan)
    ids = property(lambda self: self.src.ids)
    labels = property(lambda self: self.src.labels)

    @property
    def level(self):
        return self.src.level

    @level.setter
    def level(self, value) -> None:
        self.src.level = value

    def use_source(self, source: PickSource) -> None:
        """Offer the rows of ``source`` (shared with its other lists) from now on."""
        if source is self.src:
            return
        self.beginResetModel()
        self.src.views.discard(self)
        self.src = source
        source.views.add(self)
        self.endResetModel()

    # ------------------------------------------------------------------ content
    def set_head(self, rows) -> None:
        rows = list(rows)
        if [v for _, v in rows] == [v for _, v in self.head]:
            self.head = rows
            if rows:
                self.dataChanged.emit(self.index(0), self.index(len(rows) - 1))
            return
        self.beginResetModel()
        self.head = rows
        self.endResetModel()

    def set_plan(self, plan) -> None:
        """Show ``plan``'s rows (every list of the source shows them anew)."""
        self.src.set_plan(plan)

    def follow(self, changes) -> None:
        """An edit: its rows of this table removed, inserted in id order, or relabelled
        (the source follows each edit once, for all its lists)."""
        self.src.follow(changes)

    def _position(self, rid) -> int:
        return self.src.position(rid)

    def row_of(self, value) -> int:
        """The row of an id (or of a head row's value); -1 if none."""
        for k, (_, v) in enumerate(self.head):
            if _same_key(v, value):
                return k
        if value is None or isinstance(value, str):
            return -1
        try:
            p = self._position(int(value))
        except (TypeError, ValueError):
            return -1
        return len(self.head) + p if p >= 0 else -1

    def ensure_labels(self) -> None:
        """Every label at once (vectorised): before somebody searches the whole list."""
        self.src.ensure_labels()

    def label(self, k: int) -> str:
        return self.src.label(k)

    # ------------------------------------------------------------------ Qt model
    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.head) + len(self.ids)

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        r = index.row()
        h = len(self.head)
        if r < h:
            if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
                return self.head[r][0]
            if role == Qt.ItemDataRole.UserRole:
                return self.head[r][1]
            return None
        k = r - h
        if k >= len(self.ids):
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return self.label(k)
        if role == Qt.ItemDataRole.UserRole:
            return int(self.ids[k])
        return None

    def match(self, start, role, value, hits=1, flags=Qt.MatchFlag.MatchExactly):
        """``findData`` of an id: a binary search instead of asking every row."""
        fl = _flag_value(flags)
        if role == Qt.ItemDataRole.UserRole and not (fl & ~_flag_value(Qt.MatchFlag.MatchExactly
                                                                       | Qt.MatchFlag.MatchCaseSensitive)):
            r = self.row_of(value)
            return [self.index(r)] if r >= 0 else []
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            self.ensure_labels()
        return super().match(start, role, value, hits, flags)


def searchable(combo: QComboBox) -> QComboBox:
    """An editable combo box whose completer lists the rows containing what is typed
    (type-to-search in a long pick list); the labels are made once the typing starts."""
    combo.setEditable(True)
    combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
    comp = combo.completer()
    comp.setFilterMode(Qt.MatchFlag.MatchContains)
    comp.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
    comp.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)

    def typed(*_):
        m = combo.model()
        if isinstance(m, PlanPickList):
            m.ensure_labels()
    combo.lineEdit().textEdited.connect(typed)
    return combo


class GridForm(QWidget):
    """Edit one grid's attributes and responsibilities."""

    quotaRequested = Signal(int)      # the grid's own staffing quota (定额): open the staffing dialog on it

    def __init__(self, controller, parent=None):
        super().__init__(parent)
        self.setObjectName("grid_form")
        self.ctl = controller
        self.plan = None
        # the pick lists, shared by the combo boxes: lazy models that follow each edit row by row
        self.picks = {key: PlanPickList(key[0], self) for key in (("person", True), ("person", False),
                                                                  ("unit", True), ("unit", False))}
        self.parent_picks: dict = {}
        self._picks_plan = None
        self._picks_partial = False
        self.grid_ids: list[int] = []
        self.header = QLabel(self)
        self.header.setWordWrap(True)

        # attributes
        self.attr_box = QGroupBox(self)
        self.code = QLineEdit(self)
        self.code.setObjectName("form_code")
        self.propose = QToolButton(self)
        self.propose.setText("⟳")
        self.name = QLineEdit(self)
        self.level = QLabel(self)
        self.parent_combo = QComboBox(self)
        self.notes = QLineEdit(self)
        self.stats = QLabel(self)
        self.stats.setWordWrap(True)
        self.quota = QLabel(self)
        self.quota.setObjectName("form_quota")
        self.quota.setWordWrap(True)
        self.quota_button = QPushButton(self)
        self.quota_button.setObjectName("form_quota_button")
        quota_row = QHBoxLayout()
        quota_row.setContentsMargins(0, 0, 0, 0)
        quota_row.addWidget(self.quota, 1)
        quota_row.addWidget(self.quota_button)
        code_row = QHBoxLayout()
        code_row.setContentsMargins(0, 0, 0, 0)
        code_row.addWidget(self.code, 1)
        code_row.addWidget(self.propose)
        self.attr_form = QFormLayout(self.attr_box)
        self.attr_labels = [QLabel(self) for _ in range(7)]
        for lab, w in zip(self.attr_labels, (code_row, self.name, self.level, self.parent_combo, self.notes,
                                             self.stats, quota_row)):
            self.attr_form.addRow(lab, w)

        # responsibilities
        self.role_box = QGroupBox(self)
        self.leader = self._who_combo("person")
        self.deputy = self._who_combo("person")
        self.lead_unit = self._who_combo("unit")
        self.roles = QTableWidget(0, 5, self)
        self.roles.setObjectName("form_roles")
        self.roles.verticalHeader().setVisible(False)
        self.roles.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.roles.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.roles.horizontalHeader().setStretchLastSection(True)
        self.add_role = QComboBox(self)
        for r in LIST_ROLES:
            self.add_role.addItem(r, r)
        self.add_who = self._who_combo("person")
        self.add_duty = QLineEdit(self)
        self.add_button = QPushButton(self)
        self.remove_button = QPushButton(self)
        add_row = QHBoxLayout()
        add_row.addWidget(self.add_role)
        add_row.addWidget(self.add_who, 1)
        add_row.addWidget(self.add_button)
        add_row2 = QHBoxLayout()
        add_row2.addWidget(self.add_duty, 1)
        add_row2.addWidget(self.remove_button)
        self.role_form = QFormLayout()
        self.role_labels = [QLabel(self) for _ in range(3)]
        for lab, w in zip(self.role_labels, (self.leader, self.deputy, self.lead_unit)):
            self.role_form.addRow(lab, w)
        rl = QVBoxLayout(self.role_box)
        rl.addLayout(self.role_form)
        rl.addWidget(self.roles, 1)
        rl.addLayout(add_row)
        rl.addLayout(add_row2)

        lay = QVBoxLayout(self)
        lay.setContentsMargins(2, 2, 2, 2)
        lay.addWidget(self.header)
        lay.addWidget(self.attr_box)
        lay.addWidget(self.role_box, 1)

        self.code.textEdited.connect(self._validate_code)
        self.code.editingFinished.connect(self._commit_code)
        self.propose.clicked.connect(self.propose_code)
        self.quota_button.clicked.connect(lambda: self.gid is not None and self.quotaRequested.emit(int(self.gid)))
        self.name.editingFinished.connect(lambda: self._commit_attr("name", self.name.text().strip()))
        self.notes.editingFinished.connect(lambda: self._commit_attr("notes", self.notes.text().strip()))
        self.parent_combo.activated.connect(self._commit_parent)
        for role, combo in (("leader", self.leader), ("deputy", self.deputy), ("lead_unit", self.lead_unit)):
            combo.activated.connect(lambda i, r=role, c=combo: self._commit_single(r, c))
            combo.lineEdit().returnPressed.connect(lambda r=role, c=combo: self._commit_single(r, c))
        self.add_role.currentIndexChanged.connect(self._fill_add_who)
        self.add_button.clicked.connect(self.add_selected_role)
        self.remove_button.clicked.connect(self.remove_selected_role)
        self.roles.itemChanged.connect(self._role_item_changed)
        self.retranslate()
        self._fill()

    def _who_combo(self, kind: str) -> QComboBox:
        c = QComboBox(self)
        c.setProperty("kind", kind)
        # searchable: typing any part of the name, post or phone lists the matching people
        return searchable(c)

    # ------------------------------------------------------------------ showing
    def show_grids(self, plan, ids) -> None:
        if plan is not self._picks_plan or self._picks_partial != _is_partial(plan):
            self._picks_plan, self._picks_partial = plan, _is_partial(plan)
            self.parent_picks = {}
            for (kind, _), model in self.picks.items():     # one source per kind, shared with other panels
                model.use_source(pick_source(self.ctl, plan, kind))
            if plan is not None and len(plan.grids) >= 5000:    # a split names its pieces from an index
                from ..core.naming import warm_up

                warm_up(plan)
        self.plan = plan
        grid_ids = [int(g) for g in ids if plan is not None and int(g) in plan.grids.index]
        shown = getattr(self, "_shown", None)
        self.grid_ids = grid_ids
        if shown is not None and grid_ids and shown[0] is plan and shown[1:] == (grid_ids[0], self._edits):
            # the same grid of the same plan, no edit since it was filled (a split's pieces joining
            # the selection): only the header says how many are selected (issue 21)
            self._fill_header(plan.grids.at[grid_ids[0], "code"], grid_ids[0])
            return
        self._fill()
        self._shown = (plan, grid_ids[0], self._edits) if grid_ids and plan is not None else None

    _edits = 0

    def _fill_header(self, code, gid) -> None:
        n = len(self.grid_ids)
        self.header.setText(self.tr("Grid %1").replace("%1", _text(code) or f"#{gid}") + (
            "  " + self.tr("(%n grid(s) selected; editing the first)", "", n) if n > 1 else ""))

    def on_changes(self, changes) -> None:
        """An edit: the pick lists follow it row by row (before the form shows the grid again)."""
        self._edits += 1
        if self._picks_plan is None:
            return
        for model in (*self.picks.values(), *self.parent_picks.values()):
            model.follow(changes)

    def _update_picks(self) -> None:
        none = self.tr("(none)")
        for (kind, with_none), model in self.picks.items():
            head = [(none, None)] if with_none else []
            if [t for t, _ in model.head] != [t for t, _ in head]:
                model.set_head(head)

    def _use_pick(self, combo: QComboBox, model: PlanPickList) -> None:
        if combo.model() is not model:
            comp = combo.completer()
            combo.setModel(model)
            if comp is not None and combo.completer() is comp:
                comp.setModel(model)

    def refresh(self) -> None:
        if self.plan is not None:
            self.grid_ids = [g for g in self.grid_ids if g in self.plan.grids.index]
        self._fill()

    @property
    def gid(self) -> int | None:
        return self.grid_ids[0] if self.grid_ids else None

    def _fill(self) -> None:
        plan, gid = self.plan, self.gid
        enabled = plan is not None and gid is not None
        self.attr_box.setEnabled(enabled)
        self.role_box.setEnabled(enabled)
        blockers = [QSignalBlocker(w) for w in (self.code, self.name, self.notes, self.parent_combo, self.leader,
                                                 self.deputy, self.lead_unit, self.roles, self.add_who)]
        try:
            if not enabled:
                self.header.setText(self.tr("No grid selected. Click a grid on the map (Shift-click adds)."))
                for w in (self.code, self.name, self.notes):
                    w.clear()
                self.code.setStyleSheet("")
                self.level.clear()
                self.stats.clear()
                self.quota.clear()
                self.parent_combo.setCurrentIndex(-1)
                for combo in (self.leader, self.deputy, self.lead_unit, self.add_who):
                    combo.setCurrentIndex(-1)   # shared pick lists: never cleared here
                self.roles.setRowCount(0)
                return
            g = plan.grids.loc[gid]
            self._fill_header(g["code"], gid)
            self.code.setText(_text(g["code"]))
            self._validate_code(self.code.text())
            self.name.setText(_text(g["name"]))
            self.notes.setText(_text(g["notes"]))
            lv = plan.level(str(g["level"]))
            self.level.setText(lv.name_en if self.ctl.lang() == "en" else lv.name)
            self._fill_parent(g)
            self._fill_stats(gid)
            self._fill_quota(gid)
            for combo in (self.leader, self.deputy, self.lead_unit):
                self._fill_who(combo)
            mine = plan.roles_of(gid)                 # one pass over the roles, not one per role
            for role, combo in (("leader", self.leader), ("deputy", self.deputy), ("lead_unit", self.lead_unit)):
                r = mine[mine["role"] == role]
                col = "person" if ROLES[role] == "person" else "unit"
                who = r[col].dropna()
                m = combo.model()
                combo.setCurrentIndex((m.row_of(int(who.iloc[0])) if isinstance(m, PlanPickList)
                                       else combo.findData(int(who.iloc[0]))) if len(who) else 0)
            self._fill_add_who()
            self._fill_roles(gid, mine)
        finally:
            for b in blockers:
                b.unblock()

    def _fill_parent(self, g) -> None:
        plan = self.plan
        idx = plan.level_index(str(g["level"]))
        key = "__top__" if idx == 0 else plan.levels[idx - 1].key
        model = self.parent_picks.get(key)
        if model is None:
            if idx == 0:
                model = PlanPickList("grid", self)
            else:
                model = PlanPickList("grid", self, source=pick_source(self.ctl, plan, "grid", key))
            self.parent_picks[key] = model
        if idx == 0:
            model.set_head([(self.tr("(top level)"), None)])
        if self.parent_combo.model() is not model:
            self.parent_combo.setModel(model)
        self.parent_combo.setEnabled(idx != 0)
        if idx == 0:
            self.parent_combo.setCurrentIndex(0)
        elif not pd.isna(g["parent"]):
            self.parent_combo.setCurrentIndex(model.row_of(int(g["parent"])))
        else:
            self.parent_combo.setCurrentIndex(-1)

    def _fill_stats(self, gid: int) -> None:
        plan = self.plan
        area = float(areas_m2([plan.grids.geometry[gid]], plan.crs)[0])
        segs = plan.segments
        at = (pd.array(segs["grid"], dtype="Int64") == gid).fillna(False).to_numpy(dtype=bool) if len(segs) else []
        mine = segs.geometry.values[at] if len(segs) else []
        import shapely

        length = float(shapely.length(mine).sum()) if len(mine) else 0.0
        pl = plan.places
        # (the kinds of the grid's places only: not a frame of its rows, issue 21)
        here = (pd.array(pl["grid"], dtype="Int64") == gid).fillna(False).to_numpy(dtype=bool) if len(pl) else []
        places = pd.Series(pl["kind"].to_numpy(dtype=object)[here], dtype=object) if len(pl) else pd.Series(dtype=object)
        kinds = places.value_counts() if len(places) else pd.Series(dtype=int)
        kind_text = "、".join(f"{k or '?'} {v}" for k, v in kinds.items())
        nseg = int(np.count_nonzero(at)) if len(segs) else 0
        self.stats.setText(
            self.tr("%1 m²; %2 road segment(s), %3 m; %4 place(s)").replace("%1", f"{area:,.0f}")
            .replace("%2", str(nseg)).replace("%3", f"{length:,.0f}").replace("%4", str(len(places)))
            + (f" ({kind_text})" if kind_text else ""))
        self.road_length = length
        self.place_count = len(places)

    def _fill_quota(self, gid: int) -> None:
        """The grid's staffing quota (定额): its level's items with its own in their place."""
        from ..core import staffing as S

        own = str(self.plan.settings.get(S.QUOTA_PREFIX + "grid." + _text(self.plan.grids.at[gid, "code"]), "") or "")
        try:
            text = S.format_quota(S.quota_of(self.plan, gid, grids={gid: S.parse_quota(own)} if own else {}))
        except S.StaffingError:
            text = ""
        if not text:
            self.quota.setText(self.tr("(no quota)"))
        else:
            self.quota.setText(text + ("  " + self.tr("(this grid's own)") if own else ""))

    def _fill_who(self, combo: QComboBox, with_none: bool = True) -> None:
        """Give ``combo`` the shared pick list of its kind (people or units)."""
        self._update_picks()
        kind = "person" if combo.property("kind") == "person" else "unit"
        self._use_pick(combo, self.picks[(kind, with_none)])

    def _fill_add_who(self) -> None:
        if self.plan is None:
            return
        role = self.add_role.currentData()
        self.add_who.setProperty("kind", ROLES.get(role, "person"))
        with QSignalBlocker(self.add_who):
            self._fill_who(self.add_who, with_none=False)
            self.add_who.setCurrentIndex(-1)
            self.add_who.setEditText("")

    def _fill_roles(self, gid: int, r=None) -> None:
        plan = self.plan
        r = plan.roles_of(gid) if r is None else r
        lang = self.ctl.lang()
        self.roles.setRowCount(len(r))
        for i, (rid, row) in enumerate(r.iterrows()):
            name = post = phone = ""
            if not pd.isna(row["person"]) and int(row["person"]) in plan.people.index:
                p = plan.people.loc[int(row["person"])]
                name, post, phone = _text(p["name"]), _text(p["post"]), _text(p["phone"])
            elif not pd.isna(row["unit"]) and int(row["unit"]) in plan.units.index:
                u = plan.units.loc[int(row["unit"])]
                name, phone = _text(u["name"]), _text(u["phone"])
            cells = [role_label(str(row["role"]), lang), name, post, phone, _text(row["duty"])]
            for j, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, int(rid))
                editable = j == 4 or (j in (2, 3) and name and (j == 3 or ROLES.get(row["role"]) == "person"))
                if not editable:
                    item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
                self.roles.setItem(i, j, item)

    # ------------------------------------------------------------------ code
    def _validate_code(self, text: str) -> bool:
        gid = self.gid
        if self.plan is None or gid is None:
            return True
        problem = code_problem(self.plan, gid, text) if text else None
        self.code.setStyleSheet(INVALID if problem else "")
        self.code.setProperty("invalid", bool(problem))
        if problem == "pattern":
            lv = self.plan.level(str(self.plan.grids.at[gid, "level"]))
            example = _codes.format_code(lv.code_pattern, 1, admin=self.plan.admin_code,
                                         parent=self.plan.parent_code(gid))
            self.code.setToolTip(self.tr("Does not follow the code pattern %1 (e.g. %2)")
                                 .replace("%1", lv.code_pattern).replace("%2", example))
        elif problem == "duplicate":
            self.code.setToolTip(self.tr("Another grid has this code"))
        else:
            self.code.setToolTip("")
        return problem is None

    def _commit_code(self) -> None:
        gid = self.gid
        if self.plan is None or gid is None:
            return
        text = self.code.text().strip()
        if text == _text(self.plan.grids.at[gid, "code"]):
            self._validate_code(text)
            return
        if text and not self._validate_code(text):
            self.ctl.last_error = self.tr("Code %1 refused: %2").replace("%1", text).replace("%2", self.code.toolTip())
            self.ctl.refused.emit(self.ctl.last_error)
            return
        from ..core import staffing as S

        steps = [lambda p: C.set_grid_attributes(p, gid, code=text)]
        old_key = S.QUOTA_PREFIX + "grid." + _text(self.plan.grids.at[gid, "code"])
        if text and str(self.plan.settings.get(old_key, "") or "").strip():      # its own quota follows the code
            from ..core.editing.layer_commands import set_plan_settings

            own = self.plan.settings[old_key]
            steps.append(lambda p: set_plan_settings(p, {old_key: None, S.QUOTA_PREFIX + "grid." + text: own}))
        self.ctl.push(steps, self.tr("Set code %1").replace("%1", text), kinds=())

    def propose_code(self) -> None:
        gid = self.gid
        if self.plan is None or gid is None:
            return
        code = propose_code(self.plan, gid)
        if code:
            self.code.setText(code)
            self._commit_code()

    def _commit_attr(self, column: str, value: str) -> None:
        gid = self.gid
        if self.plan is None or gid is None or value == _text(self.plan.grids.at[gid, column]):
            return
        label = {"name": self.tr("Set name"), "notes": self.tr("Set notes")}[column]
        self.ctl.push(C.set_grid_attributes(self.plan, gid, **{column: value}), label, kinds=())

    def _commit_parent(self, index: int) -> None:
        gid = self.gid
        pid = self.parent_combo.itemData(index)
        if self.plan is None or gid is None or pid is None:
            return
        old = self.plan.grids.at[gid, "parent"]
        if not pd.isna(old) and int(old) == int(pid):
            return

        def code(p):
            c = propose_code(p, gid)
            return C.set_grid_attributes(p, gid, code=c) if c else None
        self.ctl.push([lambda p: C.set_grid_attributes(p, gid, parent=int(pid)), code],
                      self.tr("Set parent grid"), kinds=("nesting",))
        self._fill()

    # ------------------------------------------------------------------ roles
    def _who_from_combo(self, combo: QComboBox, kind: str):
        """(id or None, steps adding a new person/unit) for what the combo shows."""
        text = combo.currentText().strip()
        idx = combo.currentIndex()
        if idx >= 0 and combo.itemText(idx) == combo.currentText():
            return combo.itemData(idx), []
        if not text:
            return None, []
        hit = combo.findText(text, Qt.MatchFlag.MatchExactly)
        if hit < 0:
            table = self.plan.people if kind == "person" else self.plan.units
            same = table.index[table["name"] == text]
            if len(same):
                return int(same[0]), []
        else:
            return combo.itemData(hit), []
        table = "people" if kind == "person" else "units"
        values = (dict(name=text, post="", unit=None, phone="", notes="") if kind == "person"
                  else dict(name=text, kind="", phone="", notes=""))
        add = C.AddRow("新增 Add", table, values)
        return add, [lambda p, a=add: a]

    def _commit_single(self, role: str, combo: QComboBox) -> None:
        gid = self.gid
        if self.plan is None or gid is None:
            return
        kind = ROLES[role]
        who, adds = self._who_from_combo(combo, kind)
        col = "person" if kind == "person" else "unit"
        existing = self.plan.roles_of(gid, role)
        current = existing[col].dropna()
        if not adds and ((who is None and not len(existing)) or (len(current) and who == int(current.iloc[0]))):
            return

        def new_id(p):
            return who.new_id if isinstance(who, C.AddRow) else who

        steps = list(adds)
        if who is None:
            steps += [lambda p, r=int(r): C.remove_role(p, r) for r in existing.index]
        elif len(existing):
            first = int(existing.index[0])
            steps.append(lambda p: C.SetCells("职责", "roles", first, {col: int(new_id(p))}))
        else:
            steps.append(lambda p: C.assign_role(p, gid, role, **{col: int(new_id(p))}))
        self.ctl.push(steps, self.tr("Set %1").replace("%1", role_label(role, self.ctl.lang())), kinds=())
        self._fill()

    def add_selected_role(self) -> None:
        gid = self.gid
        if self.plan is None or gid is None:
            return
        role = self.add_role.currentData()
        kind = ROLES[role]
        who, adds = self._who_from_combo(self.add_who, kind)
        if who is None:
            self.ctl.refused.emit(self.tr("Choose or type a person or unit first."))
            return
        col = "person" if kind == "person" else "unit"
        duty = self.add_duty.text().strip()
        steps = list(adds) + [lambda p: C.assign_role(
            p, gid, role, duty=duty, **{col: int(who.new_id if isinstance(who, C.AddRow) else who)})]
        if self.ctl.push(steps, self.tr("Add %1").replace("%1", role_label(role, self.ctl.lang())), kinds=()):
            self.add_duty.clear()
        self._fill()

    def remove_selected_role(self) -> None:
        rows = sorted({i.row() for i in self.roles.selectedIndexes()})
        rids = [int(self.roles.item(r, 0).data(Qt.ItemDataRole.UserRole)) for r in rows]
        if not rids:
            return
        self.ctl.push([lambda p, r=r: C.remove_role(p, r) for r in rids],
                      self.tr("Remove %n role(s)", "", len(rids)), kinds=())

    def _role_item_changed(self, item: QTableWidgetItem) -> None:
        plan = self.plan
        rid = int(item.data(Qt.ItemDataRole.UserRole))
        if plan is None or rid not in plan.roles.index:
            return
        text = item.text().strip()
        row = plan.roles.loc[rid]
        col = item.column()
        if col == 4:
            if text != _text(row["duty"]):
                self.ctl.push(C.SetCells("职责", "roles", rid, {"duty": text}), self.tr("Set duty"), kinds=())
        elif col in (2, 3):
            field = "post" if col == 2 else "phone"
            if not pd.isna(row["person"]):
                table, rowid = "people", int(row["person"])
            elif not pd.isna(row["unit"]) and field == "phone":
                table, rowid = "units", int(row["unit"])
            else:
                return
            if text != _text(getattr(plan, table).at[rowid, field]):
                self.ctl.push(C.SetCells("人员", table, rowid, {field: text}),
                              self.tr("Set %1").replace("%1", self.roles.horizontalHeaderItem(col).text()), kinds=())

    # ------------------------------------------------------------------ language
    def retranslate(self) -> None:
        self.attr_box.setTitle(self.tr("Attributes"))
        self.role_box.setTitle(self.tr("Responsibilities"))
        for lab, text in zip(self.attr_labels, (self.tr("Code"), self.tr("Name"), self.tr("Level"),
                                                self.tr("Parent grid"), self.tr("Notes"), self.tr("Summary"),
                                                self.tr("Staffing quota"))):
            lab.setText(text)
        self.quota_button.setText(self.tr("This grid's quota…"))
        self.quota_button.setToolTip(self.tr("Set or override the staffing quota of this grid alone"))
        for lab, role in zip(self.role_labels, SINGLE_ROLES):
            lab.setText(role_label(role, self.ctl.lang()))
        self.propose.setToolTip(self.tr("Propose a code from the level's pattern"))
        self.roles.setHorizontalHeaderLabels([self.tr("Role"), self.tr("Name"), self.tr("Post"), self.tr("Phone"),
                                              self.tr("Duty")])
        for i in range(self.add_role.count()):
            self.add_role.setItemText(i, role_label(self.add_role.itemData(i), self.ctl.lang()))
        self.add_button.setText(self.tr("Add"))
        self.remove_button.setText(self.tr("Remove selected"))
        self.add_duty.setPlaceholderText(self.tr("Duty (optional)"))
        self.add_who.lineEdit().setPlaceholderText(self.tr("Person or unit (type a new name to add one)"))
        self._update_picks()                                # "(none)" and "(top level)" in the new language
        self._fill()

    def changeEvent(self, e) -> None:
        if e.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(e)
