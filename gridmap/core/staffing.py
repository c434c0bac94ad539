"""Staffing (定人): posts and their categories, quotas per level or per grid, and
the staffing totals a document prints ("共需在编城管4人，协管36人").

A person has a post (职务: 城管队员, 协管员, 中队长 …) and a category (类别:
在编 — established officers with enforcement rights —, 协管 — auxiliaries —,
网格员, 社区工作者, 志愿者 …).  The category defaults to the preset of the
post (:data:`POST_PRESETS`) and can be changed.

A quota is a text kept in the plan settings, one per level
(``staffing.quota.LEVEL``) or per grid (``staffing.quota.grid.CODE``, which
replaces the level's items of the same name), e.g. for a 五级网格
``网格长[协管]=1；协管=2`` and for a community ``在编=2；协管=8；城管队员>=2；场所:station=1``.
An item is ``NAME[CATEGORY] OP COUNT`` with OP ``=`` (exactly; also ``:``), ``>=``/``≥``
(at least) or ``<=``/``≤`` (at most).  NAME is a role label (网格长, 副网格长,
挂点领导, 网格员 …), a category (在编, 协管 …), a place kind (``station`` and
its Chinese names) or else a post; ``角色:``/``类别:``/``职务:``/``场所:``
(``role:``/``category:``/``post:``/``place:``) say which explicitly.  The
optional ``[CATEGORY]`` is the category of the people the item counts (and
the one its required people are summed under in the totals).

People count for the grid whose role rows name them.  A person counted by a
role item is not counted again — a 协管 who is the 网格长 is not also one of
the 2 协管 —; post and category items may count the same person (``在编=2``
and ``城管队员>=2`` are both met by two 在编 城管队员).  Places count in the
grid and its sub-grids.

>>> items = parse_quota("网格长[协管]=1；协管=2")
>>> [(i.kind, i.value, i.op, i.count, i.category) for i in items]
[('role', 'leader', '=', 1, '协管'), ('category', '协管', '=', 2, '协管')]
>>> format_quota(items)
'网格长[协管]=1；协管=2'
>>> preset_category("协管员"), preset_category("城管队员"), preset_category("科长")
('协管', '在编', '')
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pandas as pd

from .messages import bi
from .plan import ROLE_LABELS, ROLES

__all__ = ["CATEGORIES", "POST_PRESETS", "PLACE_KINDS", "QuotaItem", "StaffingError", "preset_category",
           "parse_quota", "format_quota", "level_quotas", "grid_quotas", "quota_of", "set_quota",
           "grid_staffing", "staffing_findings", "has_quotas", "totals_table", "totals_text", "QUOTA_PREFIX",
           "stale_grid_quotas"]

QUOTA_PREFIX = "staffing.quota."

# category → English (the Chinese word is what the plan stores)
CATEGORIES: dict[str, str] = {
    "在编": "established (enforcement rights)",
    "协管": "auxiliary",
    "网格员": "grid worker",
    "社区工作者": "community worker",
    "志愿者": "volunteer",
    "物业": "property management",
    "其他": "other",
}

# post → its usual category (the presets offered in the app and used on import)
POST_PRESETS: dict[str, str] = {
    "城管队员": "在编", "在编城管队员": "在编", "执法队员": "在编", "进驻城管队员": "在编",
    "中队长": "在编", "副中队长": "在编", "大队长": "在编", "副大队长": "在编",
    "协管员": "协管", "协管队员": "协管", "城管协管员": "协管",
    "网格员": "网格员", "专职网格员": "网格员", "兼职网格员": "网格员",
    "社区工作者": "社区工作者", "社区书记": "社区工作者", "社区主任": "社区工作者", "社区副书记": "社区工作者",
    "志愿者": "志愿者", "楼长": "志愿者", "文明劝导员": "志愿者",
    "物业管理员": "物业", "物业经理": "物业",
    "店主": "其他", "业主": "其他",
}

# place kind → the names it goes by in quotas and data
PLACE_KINDS: dict[str, tuple[str, ...]] = {
    "station": ("station", "工作站", "服务站", "城管服务站", "社区城管服务站", "城市管理工作站"),
}

_PREFIX = {"角色": "role", "role": "role", "类别": "category", "category": "category", "职务": "post",
           "post": "post", "岗位": "post", "场所": "place", "place": "place"}
_OPS = {"=": "=", ":": "=", "：": "=", ">=": ">=", "≥": ">=", "<=": "<=", "≤": "<="}
_ITEM = re.compile(r"^(?P<name>.+?)\s*(?:[\[【(（](?P<cat>[^\]】)）]+)[\]】)）])?\s*"
                   r"(?P<op>>=|≥|<=|≤|=|:|：)\s*(?P<n>\d+)\s*(?:人|个|名)?$")
_ROLE_WORDS = {**{zh: k for k, (zh, _) in ROLE_LABELS.items()}, **{en.lower(): k for k, (_, en) in ROLE_LABELS.items()},
               **{k: k for k in ROLES}}


class StaffingError(ValueError):
    """A quota text or setting gridmap cannot read (bilingual message)."""


def preset_category(post) -> str:
    """The category a post usually has ("" when the post has no preset)."""
    post = "" if post is None or (not isinstance(post, str) and pd.isna(post)) else str(post).strip()
    if post in POST_PRESETS:
        return POST_PRESETS[post]
    for p, c in POST_PRESETS.items():     # 某某社区协管员 → 协管
        if len(p) >= 3 and post.endswith(p):
            return c
    return ""


def _place_kind(name: str) -> str | None:
    for kind, names in PLACE_KINDS.items():
        if name in names:
            return kind
    return None


@dataclass(frozen=True)
class QuotaItem:
    """One item of a quota: what is counted (kind: role/category/post/place, value),
    how (op: ``=``, ``>=``, ``<=``), how many, and the category of the people counted."""

    name: str          # as written (网格长, 协管, station …)
    kind: str
    value: str
    op: str
    count: int
    category: str = ""

    @property
    def text(self) -> str:
        prefix = ""
        if self.kind == "place" and self.name == self.value and _place_kind(self.name) is None:
            prefix = "场所:"
        cat = f"[{self.category}]" if self.category and not (self.kind == "category" and self.category == self.value) \
            else ""
        return f"{prefix}{self.name}{cat}{self.op}{self.count}"

    @property
    def label(self) -> str:
        """How tables and messages name the item: 网格长（协管）, 协管, 社区城管服务站."""
        if self.kind == "place":
            return "城管服务站" if self.value == "station" else self.name
        cat = f"（{self.category}）" if self.category and self.category != self.name else ""
        return f"{self.name}{cat}"

    @property
    def key(self) -> tuple:
        return (self.kind, self.value, self.category)

    def short(self, present: int) -> bool:
        return self.op in ("=", ">=") and present < self.count

    def over(self, present: int) -> bool:
        return self.op in ("=", "<=") and present > self.count


def _resolve(name: str) -> tuple[str, str, str]:
    """(kind, value, shown name) of an item name."""
    for sep in (":", "："):
        head, _, rest = name.partition(sep)
        if rest and head.strip() in _PREFIX:
            kind, value = _PREFIX[head.strip()], rest.strip()
            if kind == "role":
                role = _ROLE_WORDS.get(value, _ROLE_WORDS.get(value.lower()))
                if role is None or ROLES[role] != "person":
                    raise StaffingError(bi(f"定额中的角色 {value!r} 不是人员角色", f"quota role {value!r} is not a "
                                           "role held by a person") + "（" + "、".join(
                        ROLE_LABELS[k][0] for k, v in ROLES.items() if v == "person") + "）")
                return "role", role, value
            if kind == "place":
                return "place", _place_kind(value) or value, value
            return kind, value, value
    role = _ROLE_WORDS.get(name, _ROLE_WORDS.get(name.lower()))
    if role is not None:
        if ROLES[role] != "person":
            raise StaffingError(bi(f"定额只统计人员和场所；{name} 是单位角色", f"quotas count people and places; "
                                   f"{name} is a unit role"))
        return "role", role, name
    if name in CATEGORIES:
        return "category", name, name
    kind = _place_kind(name)
    if kind is not None:
        return "place", kind, name
    return "post", name, name


def parse_quota(text: str) -> list[QuotaItem]:
    """Quota items from a text such as ``网格长[协管]=1；协管=2`` (see the module)."""
    items: list[QuotaItem] = []
    seen = set()
    for part in re.split(r"[,，;；\n]+", str(text or "")):
        part = part.strip()
        if not part:
            continue
        m = _ITEM.match(part)
        if not m:
            raise StaffingError(bi(f"定额“{part}”无法识别：应写作 名称=人数，如 协管=8、在编>=2、网格长[协管]=1",
                                   f"quota item {part!r} is not NAME=COUNT, e.g. 协管=8, 在编>=2, "
                                   "网格长[协管]=1"))
        name = m.group("name").strip()
        kind, value, shown = _resolve(name)
        cat = (m.group("cat") or "").strip()
        if cat and cat not in CATEGORIES:
            raise StaffingError(bi(f"定额“{part}”的类别 {cat!r} 未知", f"quota item {part!r}: unknown category "
                                   f"{cat!r}") + "（" + "、".join(CATEGORIES) + "）")
        if kind == "category":
            cat = value
        elif kind == "post" and not cat:
            cat = preset_category(value)
        item = QuotaItem(shown if kind != "role" else name, kind, value, _OPS[m.group("op")], int(m.group("n")), cat)
        if item.key in seen:
            raise StaffingError(bi(f"定额中 {item.label} 出现了两次", f"quota names {item.label} twice"))
        seen.add(item.key)
        items.append(item)
    return items


def format_quota(items) -> str:
    return "；".join(i.text for i in items)


def has_quotas(plan) -> bool:
    """Whether any level or grid of the plan has a staffing quota."""
    return any(str(k).startswith(QUOTA_PREFIX) and str(v).strip() for k, v in plan.settings.items())


def level_quotas(plan) -> dict[str, list[QuotaItem]]:
    """Quota items per level key (levels without a quota are left out)."""
    out = {}
    for lv in plan.levels:
        text = plan.settings.get(QUOTA_PREFIX + lv.key, "")
        if str(text).strip():
            out[lv.key] = parse_quota(text)
    return out


def stale_grid_quotas(plan) -> list[str]:
    """Codes of grid quotas whose grid is gone (deleted, merged, renumbered outside the form)."""
    prefix = QUOTA_PREFIX + "grid."
    codes = set(plan.grids["code"].astype(str))
    return sorted(str(k)[len(prefix):] for k, v in plan.settings.items()
                  if str(k).startswith(prefix) and str(v).strip() and str(k)[len(prefix):] not in codes)


def grid_quotas(plan, strict: bool = False) -> dict[int, list[QuotaItem]]:
    """Quota items of single grids (``staffing.quota.grid.CODE``) by grid id.  A quota whose grid
    is gone is left out (see :func:`stale_grid_quotas`), or refused with ``strict``."""
    out = {}
    prefix = QUOTA_PREFIX + "grid."
    codes = pd.Series(plan.grids.index, index=plan.grids["code"].astype(str))
    for key, text in plan.settings.items():
        if str(key).startswith(prefix) and str(text).strip():
            code = str(key)[len(prefix):]
            if code not in codes.index:
                if not strict:
                    continue
                raise StaffingError(bi(f"设置 {key}：没有编码为 {code} 的网格", f"setting {key}: no grid has code {code}"))
            out[int(codes[code] if not isinstance(codes[code], pd.Series) else codes[code].iloc[0])] = \
                parse_quota(text)
    return out


def quota_of(plan, gid: int, levels=None, grids=None) -> list[QuotaItem]:
    """The quota of one grid: its level's items, replaced or extended by the grid's own."""
    levels = level_quotas(plan) if levels is None else levels
    grids = grid_quotas(plan) if grids is None else grids
    base = list(levels.get(str(plan.grids.at[gid, "level"]), []))
    own = grids.get(int(gid), [])
    keys = {i.key for i in own}
    return [i for i in base if i.key not in keys] + list(own)


def set_quota(settings: dict, text: str, level: str | None = None, code: str | None = None) -> dict:
    """A copy of ``settings`` with the quota of a level (key) or a grid (code) set; an empty text removes it."""
    key = QUOTA_PREFIX + (level if level is not None else f"grid.{code}")
    out = dict(settings)
    items = parse_quota(text)
    if items:
        out[key] = format_quota(items)
    else:
        out.pop(key, None)
    return out


_ORDER = {"role": 0, "post": 1, "category": 2, "place": 3}


def _index(plan) -> dict:
    """Roles by grid, people's posts and categories, children by grid: built once per run."""
    roles = plan.roles[plan.roles["person"].notna() & plan.roles["grid"].notna()]
    people = plan.people
    by_grid: dict[int, dict[int, set]] = {}
    for g, pid, role in zip(roles["grid"].astype(int), roles["person"].astype(int), roles["role"].astype(str)):
        if pid in people.index:
            by_grid.setdefault(int(g), {}).setdefault(int(pid), set()).add(role)
    children: dict[int, list[int]] = {}
    for gid, par in zip(plan.grids.index, plan.grids["parent"]):
        if not pd.isna(par):
            children.setdefault(int(par), []).append(int(gid))
    return {"roles": by_grid, "post": people["post"].astype(str).str.strip().to_dict(),
            "category": people["category"].astype(str).str.strip().to_dict(), "children": children}


def grid_staffing(plan, gid: int, items, index: dict | None = None) -> list[dict]:
    """For each quota item of a grid: required, present and the person (or place) ids counted."""
    ix = index or _index(plan)
    mine = ix["roles"].get(int(gid), {})
    used: set[int] = set()
    out = {}
    for item in sorted(items, key=lambda i: _ORDER[i.kind]):
        ids: list[int] = []
        if item.kind == "place":
            kinds = set(PLACE_KINDS.get(item.value, (item.value,))) | {item.value}
            below, todo = [], [int(gid)]
            while todo:
                g = todo.pop()
                below.append(g)
                todo += ix["children"].get(g, [])
            pl = plan.places[plan.places["grid"].isin(below) & plan.places["kind"].isin(kinds)]
            ids = [int(i) for i in pl.index]
        else:
            for pid in sorted(mine):
                if pid in used:
                    continue
                if item.kind == "role":
                    hit = item.value in mine[pid]
                elif item.kind == "post":
                    hit = ix["post"].get(pid, "") == item.value
                else:
                    hit = ix["category"].get(pid, "") == item.value
                if hit and item.category and item.kind != "category":
                    hit = ix["category"].get(pid, "") == item.category
                if hit:
                    ids.append(pid)
            if item.kind == "role":
                used.update(ids)
        out[item.key] = dict(item=item, required=item.count, present=len(ids),
                             ids=ids, places=item.kind == "place")
    return [out[i.key] for i in items]


def staffing_findings(plan) -> list[dict]:
    """Every grid short of or over an item of its quota: dicts with grid, item, required,
    present, ids (people or places counted) and ``short``/``over``."""
    levels, grids = level_quotas(plan), grid_quotas(plan)
    if not levels and not grids:
        return []              # no quota anywhere (and no per-grid lookups: issue 21, every edit re-checks)
    ix = _index(plan)
    found = []
    has = plan.grids["level"].astype(str).isin(list(levels)).to_numpy() | plan.grids.index.isin(list(grids))
    for gid in plan.grids.index[has]:
        items = quota_of(plan, int(gid), levels, grids)
        if not items:
            continue
        for row in grid_staffing(plan, int(gid), items, ix):
            item = row["item"]
            if item.short(row["present"]) or item.over(row["present"]):
                found.append({**row, "grid": int(gid), "short": item.short(row["present"])})
    return found


def totals_table(plan) -> pd.DataFrame:
    """Staffing totals: per level and quota item (每格定额 × 网格数 = 应配), the people
    present, and per category the totals over all levels (合计 rows), as a document sums
    them up.  Places (stations) are listed with their own unit (个)."""
    levels, grids = level_quotas(plan), grid_quotas(plan)
    ix = _index(plan)
    rows = []
    by_item: dict[tuple, dict] = {}
    for lv in plan.levels:
        ids = [int(g) for g in plan.grids.index[plan.grids["level"] == lv.key]]
        for gid in ids:
            for r in grid_staffing(plan, gid, quota_of(plan, gid, levels, grids), ix):
                it = r["item"]
                k = (lv.key, it.key)
                if k not in by_item:
                    by_item[k] = dict(level=lv, item=it, grids=0, per=set(), required=0, present=0)
                    rows.append(k)
                b = by_item[k]
                b["grids"] += 1
                b["per"].add(it.count)
                b["required"] += it.count
                b["present"] += r["present"]
    out = []
    for k in rows:
        b = by_item[k]
        it = b["item"]
        per = "/".join(str(x) for x in sorted(b["per"]))
        out.append({"层级": b["level"].name, "岗位/项目": it.label, "类别": it.category or ("场所" if it.kind == "place"
                                                                                        else "（未分类）"),
                    "网格数": b["grids"], "每格定额": ("≥" if it.op == ">=" else "≤" if it.op == "<=" else "") + per,
                    "应配": b["required"], "现有": b["present"], "差额": b["present"] - b["required"]})
    df = pd.DataFrame(out, columns=["层级", "岗位/项目", "类别", "网格数", "每格定额", "应配", "现有", "差额"])
    if len(df):
        people = df[df["类别"] != "场所"]
        rank = {c: i for i, c in enumerate(CATEGORIES)}
        cats = sorted(dict.fromkeys(people["类别"]), key=lambda c: rank.get(c, len(rank)))
        for cat in cats:
            grp = people[people["类别"] == cat]
            parts = " + ".join(f"{lv} {n}×{per}" if n > 1 else f"{lv} {per}"
                               for lv, n, per in _composition(grp))
            df = pd.concat([df, pd.DataFrame([{"层级": "合计", "岗位/项目": parts, "类别": cat, "网格数": "",
                                               "每格定额": "", "应配": int(grp["应配"].sum()),
                                               "现有": int(grp["现有"].sum()),
                                               "差额": int(grp["现有"].sum() - grp["应配"].sum())}])],
                           ignore_index=True)
    return df


def _composition(grp: pd.DataFrame):
    """(level, number of grids, per-grid count text) per level of one category's rows."""
    for lv, rows in grp.groupby("层级", sort=False):
        n = int(rows["网格数"].max())
        pers = [str(p).lstrip("≥≤") for p in rows["每格定额"]]
        per = pers[0] if len(pers) == 1 else "(" + "+".join(pers) + ")"
        yield lv, n, per


def totals_text(plan) -> str:
    """The document's sentence: ``共需在编4人，协管36人`` (people required by category;
    items without a category, such as a 网格长 held by an existing post, are left out)."""
    df = totals_table(plan)
    tot = df[(df["层级"] == "合计") & (df["类别"] != "（未分类）")]
    if not len(tot):
        return ""
    return "共需" + "，".join(f"{c}{int(n)}人" for c, n in zip(tot["类别"], tot["应配"]))
