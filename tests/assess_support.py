"""Twelve months of generated scores for the sample plan (tests, screenshots, docs).

Month m (1–12), grid i (0–30 in code order): the deduction from 100 is (7·i + 3·m) mod 31 — every
grid a different total each month — except two planted patterns: grid 5 loses 40 in March, April
and May (last three months in a row: flagged), grid 9 loses 39 in January, February and April
(three times in the bottom three, not in a row: not flagged).  Year-end check: (11·i) mod 31.
A deduction is taken from the items in template order, each down to 0.
"""

from __future__ import annotations

from gridmap.core.assessment.scores import assessed_grids, record_scores, template
from gridmap.core.editing.buffer import EditBuffer

YEAR = "2026"


def deduction(i: int, month: int) -> int:
    if i == 5 and month in (3, 4, 5):
        return 40
    if i == 9 and month in (1, 2, 4):
        return 39
    return (7 * i + 3 * month) % 31


def year_end_deduction(i: int) -> int:
    return (11 * i) % 31


def rows_for(plan, deduct) -> list[tuple[str, str, float]]:
    items = template(plan)
    codes = assessed_grids(plan)["code"].tolist()
    rows = []
    for i, code in enumerate(codes):
        left = float(deduct(i))
        for name, mx in zip(items["name"], items["max_points"]):
            take = min(left, float(mx))
            rows.append((code, name, float(mx) - take))
            left -= take
    return rows


def score_year(plan, buffer: EditBuffer | None = None) -> EditBuffer:
    """Record 12 monthly checks and the year-end check, each one undo step."""
    buf = buffer or EditBuffer(plan)
    for m in range(1, 13):
        buf.push(record_scores(plan, f"{YEAR}-{m:02d}", rows_for(plan, lambda i, m=m: deduction(i, m))))
    buf.push(record_scores(plan, YEAR, rows_for(plan, year_end_deduction), kind="year_end"))
    return buf
