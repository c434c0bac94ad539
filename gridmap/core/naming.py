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
from collections import Counter

__all__ = ["propose_name", "cn_number", "parse_cn_number"]

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
