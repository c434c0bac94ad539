"""Names for new grids, proposed from the names their siblings already follow.

Chinese plans number their grids in words — 新安一网格 … 新安二十七网格, 第一网格,
or with digits — 3号网格.  A grid made by a split gets the next free number of the
pattern most of its level follows, not a placeholder like "新安五网格-2".

>>> propose_name(["新安一网格", "新安二网格", "新安二十七网格"])
'新安二十八网格'
>>> propose_name(["第1网格", "第2网格"], taken=["第3网格"])
'第4网格'
>>> propose_name([], fallback="西片")
'西片（2）'
"""

from __future__ import annotations

import re
import threading
from collections import Counter

__all__ = ["propose_name", "propose_level_name", "NameIndex", "warm_up", "cn_number", "parse_cn_number"]

_DIGITS = "零一二三四五六七八九"
_PATTERN = re.compile(r"^(.*?)([零〇一二三四五六七八九十百]+|\d+)([^零〇一二三四五六七八九十百\d]*)$")


def cn_number(n: int) -> str:
    """An integer 1–999 in Chinese words, as grid names write it.

    >>> [cn_number(n) for n in (1, 10, 12, 20, 27, 100, 105, 110, 999)]
    ['一', '十', '十二', '二十', '二十七', '一百', '一百零五', '一百一十', '九百九十九']
    """
    if not 0 < n < 1000:
        return str(n)
    h, rest = divmod(n, 100)
    t, u = divmod(rest, 10)
    out = ""
    if h:
        out += _DIGITS[h] + "百"
        if rest and t == 0:
            return out + "零" + _DIGITS[u]
        if t:
            out += _DIGITS[t] + "十"
    elif t:
        out += ("" if t == 1 else _DIGITS[t]) + "十"
    if u:
        out += _DIGITS[u]
    return out


def parse_cn_number(text: str) -> int | None:
    """The value of Chinese number words (or digits) up to 999; None if not a number.

    >>> [parse_cn_number(t) for t in ("一", "十", "十二", "二十七", "一百零五", "12", "甲")]
    [1, 10, 12, 27, 105, 12, None]
    """
    if text.isdigit():
        return int(text)
    text = text.replace("〇", "零")
    if not text or any(c not in _DIGITS + "十百" for c in text):
        return None
    total, cur = 0, 0
    for c in text:
        if c == "百":
            total += (cur or 1) * 100
            cur = 0
        elif c == "十":
            total += (cur or 1) * 10
            cur = 0
        else:
            cur = _DIGITS.index(c)
    return total + cur


def propose_name(siblings, taken=(), fallback: str = "", k: int = 2) -> str:
    """The next name of the numbering most ``siblings`` follow (prefix, number written in
    words or digits, suffix), not in ``siblings`` or ``taken``; else ``fallback（k）``."""
    names = [str(s) for s in siblings if s]
    used = set(names) | {str(t) for t in taken}
    styles: Counter = Counter()
    top: dict = {}
    for s in names:
        m = _PATTERN.match(s)
        if not m:
            continue
        n = parse_cn_number(m.group(2))
        if n is None:
            continue
        key = (m.group(1), m.group(3), m.group(2).isdigit())
        styles[key] += 1
        top[key] = max(top.get(key, 0), n)
    if styles:
        (prefix, suffix, digits), _ = styles.most_common(1)[0]
        n = top[(prefix, suffix, digits)] + 1
        while True:
            name = f"{prefix}{n if digits else cn_number(n)}{suffix}"
            if name not in used:
                return name
            n += 1
    base = fallback or "网格"
    while f"{base}（{k}）" in used:
        k += 1
    return f"{base}（{k}）"


def _style(name: str):
    """(style key, number) of a name following a numbering, else None."""
    m = _PATTERN.match(name)
    if not m:
        return None
    n = parse_cn_number(m.group(2))
    if n is None:
        return None
    return (m.group(1), m.group(3), m.group(2).isdigit()), n


def _name_text(name) -> str:
    """A name cell as text: missing (None, NaN, NA) → ""."""
    if isinstance(name, str):
        return name
    import pandas as pd

    return "" if name is None or pd.isna(name) else str(name)


def _differ(a, b):
    """``a != b`` for two object arrays of names, as booleans (TypeError when a missing
    value makes the comparison ambiguous: the caller then compares them as "")."""
    import numpy as np

    d = a != b
    if not isinstance(d, np.ndarray) or d.dtype != bool:
        raise TypeError("names do not compare")
    return d


class NameIndex:
    """The names of one level of a plan, counted by numbering style, kept current by
    comparing the level's name column with the last one seen (vectorised) and
    re-parsing only the names that changed: :func:`propose_level_name` costs a column
    comparison, not a regular expression per grid of the level (100k at city scale)."""

    def __init__(self):
        import numpy as np

        self._ids = np.zeros(0, dtype=np.int64)      # the names last seen, by id (sorted)
        self._vals = np.zeros(0, dtype=object)
        self.count: Counter = Counter()            # name → how many grids have it
        self.styles: dict = {}                     # style → {grid id: number}
        self._top: dict = {}                       # style → its highest number (None: to be found again)

    def _drop(self, gid: int, name) -> None:
        name = _name_text(name)
        if not name:
            return
        name = str(name)
        self.count[name] -= 1
        if self.count[name] <= 0:
            del self.count[name]
        st = _style(name)
        if st is not None:
            ids = self.styles.get(st[0])
            if ids is not None:
                ids.pop(gid, None)
                self._top.pop(st[0], None)
                if not ids:
                    del self.styles[st[0]]

    def _add(self, gid: int, name) -> None:
        name = _name_text(name)
        if not name:
            return
        name = str(name)
        self.count[name] += 1
        st = _style(name)
        if st is not None:
            self.styles.setdefault(st[0], {})[gid] = st[1]
            if st[0] in self._top:
                self._top[st[0]] = max(self._top[st[0]], st[1])

    def sync(self, names) -> None:
        """``names``: the level's name column now (index: grid ids).  Aligned with the last
        column seen by id with sorted arrays (no hash joins, no reindex: a split adds a row,
        and this is on the GUI thread at every split — issue 21)."""
        self.sync_arrays(names.index.to_numpy(), names.to_numpy(dtype=object))

    def sync_arrays(self, ids, vals) -> None:
        """As :meth:`sync` from the ids and the names as arrays."""
        import numpy as np

        ids = np.asarray(ids, dtype=np.int64)
        vals = np.asarray(vals, dtype=object)
        try:
            self._sync(ids, vals)
        except TypeError:                      # a missing value (pd.NA) that does not compare: as ""
            import pandas as pd

            self._vals = np.where(pd.isna(self._vals), "", self._vals) if len(self._vals) else self._vals
            self._sync(ids, np.where(pd.isna(vals), "", vals))

    def _sync(self, ids, vals) -> None:
        import numpy as np

        # first every comparison (a TypeError leaves the index as it was), then the changes
        old_ids, old_vals = self._ids, self._vals
        if len(old_ids) == len(ids) and np.array_equal(old_ids, ids):
            gone, new = [], []
            diff = np.flatnonzero(_differ(old_vals, vals))
            changed = [(int(ids[p]), old_vals[p], vals[p]) for p in diff.tolist()]
        else:
            if len(old_ids):
                at = np.minimum(np.searchsorted(old_ids, ids), len(old_ids) - 1)
                here = old_ids[at] == ids                      # ids seen before (at: their old position)
            else:
                at, here = np.zeros(len(ids), dtype=np.int64), np.zeros(len(ids), dtype=bool)
            if len(ids):
                back = np.minimum(np.searchsorted(ids, old_ids), len(ids) - 1)
                gone_mask = ids[back] != old_ids
            else:
                gone_mask = np.ones(len(old_ids), dtype=bool)
            both = np.flatnonzero(here)
            was = old_vals[at[both]]
            diff = np.flatnonzero(_differ(was, vals[both])) if len(both) else np.zeros(0, dtype=np.int64)
            changed = [(int(ids[both[k]]), was[k], vals[both[k]]) for k in diff.tolist()]
            gone = [(int(old_ids[p]), old_vals[p]) for p in np.flatnonzero(gone_mask).tolist()]
            new = [(int(ids[p]), vals[p]) for p in np.flatnonzero(~here).tolist()]
        for gid, name in gone:
            self._drop(gid, name)
        for gid, a, b in changed:
            self._drop(gid, a)
            self._add(gid, b)
        for gid, name in new:
            self._add(gid, name)
        self._ids, self._vals = ids, (vals.copy() if vals.base is not None or not vals.flags.writeable else vals)

    def propose(self, taken=(), fallback: str = "", k: int = 2) -> str:
        """As :func:`propose_name` over the level's names (ties between styles: the
        style of the grid with the smallest id, i.e. the first in the level's order)."""
        taken = {str(t) for t in taken}
        if self.styles:
            most = max(len(v) for v in self.styles.values())
            tied = [k for k, v in self.styles.items() if len(v) == most]
            key = tied[0] if len(tied) == 1 else min(tied, key=lambda k: min(self.styles[k]))
            prefix, suffix, digits = key
            top = self._top.get(key)
            if top is None:
                top = self._top[key] = max(self.styles[key].values())
            n = top + 1
            while True:
                name = f"{prefix}{n if digits else cn_number(n)}{suffix}"
                if name not in self.count and name not in taken:
                    return name
                n += 1
        base = fallback or "网格"
        while f"{base}（{k}）" in self.count or f"{base}（{k}）" in taken:
            k += 1
        return f"{base}（{k}）"


def propose_level_name(plan, level: str, taken=(), fallback: str = "", k: int = 2) -> str:
    """:func:`propose_name` over the names of ``level`` in ``plan``, with an index kept on
    the plan (:class:`NameIndex`): proportional to the names changed since the last call.

    >>> from shapely import box
    >>> from gridmap.core.plan import Plan
    >>> plan = Plan.new("例", "EPSG:4547", levels="one")
    >>> lv = plan.levels[0].key
    >>> for i, n in enumerate(["新安一网格", "新安二网格"]):
    ...     _ = plan.add_grid(box(i, 0, i + 1, 1), lv, name=n)
    >>> propose_level_name(plan, lv)
    '新安三网格'
    >>> plan.grids.loc[plan.grids.index[1], "name"] = "新安五网格"
    >>> propose_level_name(plan, lv, taken=["新安六网格"])
    '新安七网格'
    """
    with _lock_of(plan):
        index = _synced(plan, level)
        return index.propose(taken=taken, fallback=fallback, k=k)


_LOCK = threading.Lock()


def _lock_of(plan):
    with _LOCK:
        return plan.__dict__.setdefault("_name_index_lock", threading.Lock())


def _synced(plan, level: str) -> NameIndex:
    g = plan.grids
    mask = g["level"].to_numpy(dtype=object) == level
    ids, vals = g.index.to_numpy()[mask], g["name"].to_numpy(dtype=object)[mask]
    store = plan.__dict__.setdefault("_name_index", {})
    index = store.get(level)
    if index is None:
        index = store[level] = NameIndex()
    index.sync_arrays(ids, vals)
    return index


def warm_up(plan) -> threading.Thread | None:
    """Build the name indexes of every level of ``plan`` in a background thread (reading
    every name once takes a second at 100k grids: better before the first split than in
    it).  A split meanwhile waits for the level's index; later calls only compare columns.
    Nothing (None) for a plan still being opened (stage 1, ``is_partial``): its first frame is
    being drawn, and the window warms it up once it is read (issue 21)."""
    if getattr(plan, "_gridmap_partial", None) is not None:     # (gridmap.core.storage.gpkg.is_partial)
        return None
    store = plan.__dict__.setdefault("_name_index", {})
    busy = plan.__dict__.get("_name_warming")
    if (busy is not None and busy.is_alive()) or all(lv.key in store for lv in plan.levels):
        return busy if busy is not None and busy.is_alive() else None     # (done, or under way: once)
    g = plan.grids                                # the names read here, in the caller's thread
    snaps = {}
    for lv in plan.levels:
        names = g["name"][(g["level"] == lv.key).to_numpy(dtype=bool)]
        snaps[lv.key] = names.astype(object).where(names.notna(), "") if names.hasnans else names.copy()
    lock = _lock_of(plan)

    def run():
        for key, names in snaps.items():
            try:
                with lock:
                    if key not in store:
                        index = NameIndex()
                        index.sync(names)
                        store[key] = index
            except Exception:  # noqa: BLE001 - a failed warm-up only leaves the work to the first split
                return

    t = threading.Thread(target=run, name="gridmap-name-index", daemon=True)
    plan.__dict__["_name_warming"] = t
    t.start()
    return t
