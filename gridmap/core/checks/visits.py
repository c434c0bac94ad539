"""The ``no_visit`` rule (每月至少巡查和走访一次, 枣庄 附件2 工作台账): a community (a grid of the
assessed level) with no work-ledger record in the month checked.

The month is the setting ``check.no_visit.month`` (``2026-01``); without it, the latest month the
ledger has records of.  A plan that keeps no ledger gets no finding (the rule has nothing to
read).  Each finding carries ``month``, ``last_visit`` (the community's latest earlier record or
None) and ``measures`` (visits 0, days since the last visit).

>>> from gridmap.core.assessment.scores import demo
>>> from gridmap.core.assessment.ledger import add_record
>>> from gridmap.core.editing.buffer import EditBuffer
>>> plan = demo()
>>> missing_visits(plan)
(None, [])
>>> _ = EditBuffer(plan).push(add_record(plan, "G01", "2026-01-05", "巡查门前三包"))
>>> month, found = missing_visits(plan)
>>> month, [plan.grids.at[f["grid"], "code"] for f in found]
('2026-01', ['G02', 'G03', 'G04'])
"""

from __future__ import annotations

from datetime import date

import pandas as pd

__all__ = ["MONTH_SETTING", "missing_visits"]

MONTH_SETTING = "check.no_visit.month"


def missing_visits(plan, month: str | None = None) -> tuple[str | None, list[dict]]:
    """(month checked, [{grid, month, last_visit, days_since}]) for every community of the
    assessed level without a ledger record in the month."""
    from ..assessment.scores import AssessError, Rules, assessed_grids, parse_period
    from .settings import SettingsError

    ledger = plan.ledger
    dates = ledger["date"].fillna("").astype(str) if len(ledger) else pd.Series(dtype=str)
    text = month if month is not None else str(plan.settings.get(MONTH_SETTING, "") or "").strip()
    if text:
        try:
            month = parse_period(text)
        except AssessError as exc:
            raise SettingsError(f"{MONTH_SETTING}: {exc}") from None
    else:
        months = sorted({d[:7] for d in dates if len(d) >= 7})
        if not months:
            return None, []
        month = months[-1]
    try:
        grids = assessed_grids(plan, Rules.of(plan))
    except AssessError as exc:
        raise SettingsError(str(exc)) from None
    gcol = pd.array(ledger["grid"], dtype="Int64") if len(ledger) else pd.array([], dtype="Int64")
    frame = pd.DataFrame({"grid": gcol, "date": dates.to_numpy()}).dropna(subset=["grid"])
    visited = set(frame.loc[frame["date"].str.startswith(month), "grid"].astype(int))
    earlier = frame[frame["date"] < month]
    last = earlier.groupby("grid")["date"].max().to_dict() if len(earlier) else {}
    y, m = int(month[:4]), int(month[5:7])
    end = date(y + (m == 12), m % 12 + 1, 1)
    out = []
    for gid in grids.index:
        gid = int(gid)
        if gid in visited:
            continue
        lv = last.get(gid)
        days = None
        if lv:
            try:
                days = (end - date.fromisoformat(str(lv)[:10])).days
            except ValueError:
                days = None
        out.append({"grid": gid, "month": month, "last_visit": lv or None, "days_since": days})
    return month, out
