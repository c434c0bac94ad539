"""Code rules: ``duplicate_code`` and ``bad_code``.

Codes are text.  A code is bad when it is missing, does not have its level's
format (:mod:`gridmap.core.codes` patterns) or does not extend its parent's
code.  Findings name grids by position in the input arrays.

>>> dup = duplicate_codes(np.array(["01", "02", "01", ""], dtype=object))
>>> dup
[('01', [0, 2])]
>>> bad_codes(np.array(["4403060010001", "44030600200001"], dtype=object),
...           np.array(["{parent}{seq:02d}"] * 2, dtype=object), "440306",
...           np.array(["440306001000", "440306001000"], dtype=object))
[(0, 'does not match the pattern {parent}{seq:02d}', '不符合编码规则 {parent}{seq:02d}'), (1, 'does not extend the parent code 440306001000', '未以上级网格编码 440306001000 开头')]
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from ..codes import code_regex

__all__ = ["duplicate_codes", "bad_codes", "prefix_codes"]


def duplicate_codes(codes) -> list[tuple[str, list[int]]]:
    """Non-empty codes used more than once, with the positions using them."""
    s = pd.Series(np.asarray(codes, dtype=object)).fillna("").astype(str)
    s = s[s != ""]
    dup = s[s.duplicated(keep=False)]
    out = []
    for code, idx in dup.groupby(dup, sort=True).groups.items():
        out.append((str(code), [int(i) for i in idx]))
    return out


def _uses_parent(pattern: str) -> bool:
    return "{parent}" in pattern or "{parent_prefix" in pattern


def bad_codes(codes, patterns, admin: str = "", parent_codes=None) -> list[tuple[int, str, str]]:
    """(position, reason in English, reason in Chinese) for each bad code.

    ``patterns[i]`` is grid i's level pattern, ``parent_codes[i]`` its parent's
    code ("" at the top level).
    """
    codes = np.asarray(codes, dtype=object)
    patterns = np.asarray(patterns, dtype=object)
    parents = np.full(len(codes), "", dtype=object) if parent_codes is None else np.asarray(parent_codes, dtype=object)
    out = []
    for i, (code, pattern, parent) in enumerate(zip(codes, patterns, parents)):
        code = "" if code is None or (not isinstance(code, str) and pd.isna(code)) else str(code)
        parent = "" if parent is None or (not isinstance(parent, str) and pd.isna(parent)) else str(parent)
        if not code:
            out.append((i, "no code", "缺少编码"))
            continue
        try:
            rx = code_regex(str(pattern), admin, parent)
        except ValueError as exc:
            out.append((i, f"level pattern unusable ({exc})", f"层级编码规则无法使用（{exc}）"))
            continue
        if rx.fullmatch(code):
            continue
        if _uses_parent(str(pattern)) and parent:
            prefix = parent
            m = re.search(r"\{parent_prefix:(\d+)\}", str(pattern))
            if m and "{parent}" not in str(pattern):
                prefix = parent[: int(m.group(1))]
            if not code.startswith(prefix):
                out.append((i, f"does not extend the parent code {parent}", f"未以上级网格编码 {parent} 开头"))
                continue
        out.append((i, f"does not match the pattern {pattern}", f"不符合编码规则 {pattern}"))
    return out


def prefix_codes(codes, parent_codes) -> list[tuple[int, str, str]]:
    """For data without patterns: missing codes, and codes that do not extend
    (start with and be longer than) their parent's code.

    >>> prefix_codes(np.array(["440306001", "4403", ""], dtype=object), np.array(["440306", "440306", ""], dtype=object))
    [(1, 'does not extend the parent code 440306', '未以上级网格编码 440306 开头'), (2, 'no code', '缺少编码')]
    """
    codes = np.asarray(codes, dtype=object)
    parents = np.full(len(codes), "", dtype=object) if parent_codes is None else np.asarray(parent_codes, dtype=object)
    out = []
    for i, (code, parent) in enumerate(zip(codes, parents)):
        code = "" if code is None or (not isinstance(code, str) and pd.isna(code)) else str(code)
        parent = "" if parent is None or (not isinstance(parent, str) and pd.isna(parent)) else str(parent)
        if not code:
            out.append((i, "no code", "缺少编码"))
        elif parent and not (code.startswith(parent) and len(code) > len(parent)):
            out.append((i, f"does not extend the parent code {parent}", f"未以上级网格编码 {parent} 开头"))
    return out
