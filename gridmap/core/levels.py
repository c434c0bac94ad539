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

from dataclasses import asdict, dataclass

__all__ = ["Level", "preset", "PRESETS", "SCHEMES"]


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
# 2-digit (GB14) or 3-digit (GB15) grid sequence.
SCHEMES: dict[str, dict[str, dict[str, str]]] = {
    "GB14": {
        "five": {
            "city": "{code:6}",
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
            "city": "{code:6}",
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
