"""Grid levels (网格层级): the hierarchy a plan divides its jurisdiction into.

A plan has an ordered list of levels, top first.  Every grid belongs to one
level; a grid below the top level has a parent grid on the level above.
Each level carries the code pattern its grids are numbered with (see
:mod:`gridmap.core.codes`), so a code scheme is data stored with the plan.

>>> [lv.name for lv in preset("five")]
['市', '区', '街道', '社区', '单元网格']
>>> [lv.name for lv in preset("two")]
['大网格', '小网格']
>>> preset("two")[1].code_pattern
'{parent}{seq:02d}'
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, replace

__all__ = ["Level", "preset", "named_levels", "PRESETS", "SCHEMES"]


@dataclass(frozen=True)
class Level:
    """One level of the hierarchy.

    ``key`` is a stable identifier (ASCII) used in data; ``name`` is what a
    planner reads.  ``code_pattern`` is a :mod:`gridmap.core.codes` pattern.
    ``min_area_m2``/``max_area_m2`` bound grid areas (0 = no bound) for the
    ``area_range`` check; ``multipart_allowed`` lets grids of this level be
    in several pieces.
    """

    key: str
    name: str
    name_en: str
    code_pattern: str
    min_area_m2: float = 0.0
    max_area_m2: float = 0.0
    multipart_allowed: bool = False

    def to_record(self, order: int) -> dict:
        rec = asdict(self)
        rec["order"] = order
        return rec

    @classmethod
    def from_record(cls, rec: dict) -> "Level":
        return cls(
            key=str(rec["key"]),
            name=str(rec["name"]),
            name_en=str(rec.get("name_en") or rec["key"]),
            code_pattern=str(rec.get("code_pattern") or "{parent}{seq:02d}"),
            min_area_m2=float(rec.get("min_area_m2") or 0.0),
            max_area_m2=float(rec.get("max_area_m2") or 0.0),
            multipart_allowed=bool(int(rec.get("multipart_allowed") or 0)),
        )


# Code schemes (GB/T 30428.1 / CJ/T 213 style).  The unit-grid code is the
# 6-digit county code (GB/T 2260) + 3-digit street + 3-digit community +
# 2-digit (GB14) or 3-digit (GB15) grid sequence.  A city's GB/T 2260 code ends
# in 00 (440300) and its districts count on from it (440301 …), so the city
# and its first district never share a code.
SCHEMES: dict[str, dict[str, dict[str, str]]] = {
    "GB14": {
        "five": {
            "city": "{code:4}00",
            "district": "{parent_prefix:4}{seq:02d}",
            "street": "{parent}{seq:03d}",
            "community": "{parent}{seq:03d}",
            "unit": "{parent}{seq:02d}",
        },
        # Two levels under one county: a large grid takes the street slot
        # (community slot 000), a small grid the 2-digit sequence.
        "two": {
            "large": "{admin}{seq:03d}000",
            "small": "{parent}{seq:02d}",
        },
    },
    "GB15": {
        "five": {
            "city": "{code:4}00",
            "district": "{parent_prefix:4}{seq:02d}",
            "street": "{parent}{seq:03d}",
            "community": "{parent}{seq:03d}",
            "unit": "{parent}{seq:03d}",
        },
        "two": {
            "large": "{admin}{seq:03d}000",
            "small": "{parent}{seq:03d}",
        },
    },
}

_PRESET_LEVELS: dict[str, list[tuple[str, str, str]]] = {
    "five": [
        ("city", "市", "City"),
        ("district", "区", "District"),
        ("street", "街道", "Street"),
        ("community", "社区", "Community"),
        ("unit", "单元网格", "Unit grid"),
    ],
    "two": [
        ("large", "大网格", "Large grid"),
        ("small", "小网格", "Small grid"),
    ],
}

PRESETS = tuple(_PRESET_LEVELS)


def preset(name: str, scheme: str = "GB14") -> list[Level]:
    """The levels of a preset hierarchy (``"five"`` or ``"two"``) numbered
    with a code scheme (``"GB14"`` or ``"GB15"``).

    >>> [lv.code_pattern for lv in preset("five", "GB15")][-1]
    '{parent}{seq:03d}'
    """
    if name not in _PRESET_LEVELS:
        raise ValueError(f"unknown level preset {name!r}; choose one of {', '.join(PRESETS)}")
    if scheme not in SCHEMES:
        raise ValueError(f"unknown code scheme {scheme!r}; choose one of {', '.join(SCHEMES)}")
    patterns = SCHEMES[scheme][name]
    return [Level(key, zh, en, patterns[key]) for key, zh, en in _PRESET_LEVELS[name]]


# The ladder a list of level names is mapped onto, top first: N names take the
# last N rungs (3 names: street / community / unit under the county code).
_LADDER = ("city", "district", "street", "community", "unit")


def named_levels(spec: str, scheme: str = "GB14") -> list[Level]:
    """Levels from a preset name or from level names separated by "/".

    Two names rename the two-level preset, five the five-level one; 1, 3 or 4
    names take the lowest rungs of the five-level ladder (3 names: a street-like
    top level numbered under the county code, then community and unit), so
    codes keep the scheme's length.

    >>> [(lv.key, lv.name) for lv in named_levels("县城大网格/小网格")]
    [('large', '县城大网格'), ('small', '小网格')]
    >>> [lv.name for lv in named_levels("市/区/街道/社区/五级网格")][-1]
    '五级网格'
    >>> [(lv.key, lv.code_pattern) for lv in named_levels("县城/大网格/小网格")]
    [('street', '{admin}{seq:03d}'), ('community', '{parent}{seq:03d}'), ('unit', '{parent}{seq:02d}')]
    >>> [lv.name for lv in named_levels("two")]
    ['大网格', '小网格']
    """
    spec = (spec or "").strip()
    if spec in _PRESET_LEVELS:
        return preset(spec, scheme)
    names = [n.strip() for n in re.split(r"[/／、,，]", spec) if n.strip()]
    if not names or len(names) > len(_LADDER) or len(set(names)) != len(names):
        raise ValueError(f"level names {spec!r}: give 1 to 5 different names separated by '/' "
                         f"(e.g. 大网格/小网格), or a preset ({', '.join(PRESETS)}) / "
                         f"层级名称 {spec!r} 无效：请用“/”分隔 1 至 5 个不同的名称（如 大网格/小网格），或预设 two/five")
    if len(names) == 2:
        return [replace(lv, name=n) for lv, n in zip(preset("two", scheme), names)]
    five = preset("five", scheme)
    rungs = five[len(five) - len(names):]
    if len(names) < 5:      # the new top level is numbered under the county code
        top = rungs[0]
        first = "{admin}{seq:03d}" if len(names) > 1 else "{admin}{seq:03d}000"
        if top.key == "district":
            first = "{code:6}"
        rungs = [replace(top, code_pattern=first)] + rungs[1:]
    return [replace(lv, name=n) for lv, n in zip(rungs, names)]
