"""Text cells that spreadsheets never run as formulas (CSV/formula injection).

A spreadsheet program evaluates a cell whose text starts with ``=``, ``+``,
``-`` or ``@`` (and, after trimming, tab or carriage return) as a formula:
``=HYPERLINK(...)`` or ``=cmd|' /C calc'!A0`` in a grid name would run when
the exported table is opened.

* XLSX: such values are written as string cells (:func:`xlsx_value` tells
  the writer), never as formulas; the text is kept exactly.
* CSV has no cell types, so values are neutralised as OWASP's CSV injection
  guidance says: a single quote ``'`` is put in front.  Values that are only
  a number or a phone number stay as they are, because neither can call a
  function or another program: a leading ``+``/``-`` followed only by digits,
  spaces and dots (``+86 138 0000 0000``, ``-12.5``).  Anything else after a
  leading sign (``+1+1``, ``-1+1``, ``+86-138…``) is prefixed.

>>> [csv_safe(v) for v in ("=1+1", "@SUM(1)", "+1+1", "-1+1", "\\tx", "\\rx")]
["'=1+1", "'@SUM(1)", "'+1+1", "'-1+1", "'\\tx", "'\\rx"]
>>> [csv_safe(v) for v in ("+86 138 0000 0000", "-12.5", "建设路", "", 3)]
['+86 138 0000 0000', '-12.5', '建设路', '', 3]

Reading gridmap's own CSV back, :func:`csv_unsafe` takes the quote off again:

>>> csv_unsafe(csv_safe("=HYPERLINK(1)")), csv_unsafe("'quoted'")
('=HYPERLINK(1)', "'quoted'")
"""

from __future__ import annotations

import re

import pandas as pd

__all__ = ["is_formula_like", "csv_safe", "csv_safe_frame", "write_csv", "csv_unsafe", "csv_unsafe_frame"]

_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-][0-9][0-9 .]*\Z")


def is_formula_like(value) -> bool:
    """True if a spreadsheet could read ``value`` (a string) as a formula."""
    return isinstance(value, str) and value.startswith(_TRIGGERS) and not _PLAIN_NUMBER.match(value)


def csv_safe(value):
    """``value`` with a ``'`` in front when a spreadsheet would run it as a formula."""
    return "'" + value if is_formula_like(value) else value


def _is_text(col: pd.Series) -> bool:
    return col.dtype == object or pd.api.types.is_string_dtype(col.dtype)


def write_csv(df: pd.DataFrame, path) -> None:
    """``df`` as a CSV that Excel opens (UTF-8 with BOM, CRLF so a carriage return inside a cell is
    quoted) with formula-like text neutralised."""
    csv_safe_frame(df).to_csv(path, index=False, encoding="utf-8-sig", lineterminator="\r\n")


def _map_text(df: pd.DataFrame, fn) -> pd.DataFrame:
    """A copy of ``df`` with ``fn`` applied to its text cells and column names."""
    out = df.copy()
    for c in out.columns:
        if _is_text(out[c]):
            out[c] = out[c].astype(object).map(fn)
    out.columns = [fn(c) if isinstance(c, str) else c for c in out.columns]
    return out


def csv_safe_frame(df: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``df`` whose text cells (and column names) are :func:`csv_safe`."""
    return _map_text(df, csv_safe)


def csv_unsafe(value):
    """Undo :func:`csv_safe`: a ``'`` in front of a formula-like text is removed."""
    if isinstance(value, str) and value.startswith("'") and is_formula_like(value[1:]):
        return value[1:]
    return value


def csv_unsafe_frame(df: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``df`` (as read from a CSV) with :func:`csv_unsafe` applied to its text cells."""
    return _map_text(df, csv_unsafe)
