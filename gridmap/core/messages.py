"""Bilingual one-line messages (Chinese and English) for errors and notes.

Which language comes first follows :func:`set_language` (the app calls it with
its language setting) or, for the command line, ``LANG``/``LC_ALL``/``LANGUAGE``:
English first when the locale is English, Chinese first otherwise.
"""

from __future__ import annotations

import os
import re

__all__ = ["bi", "set_language", "language", "detail", "wrap"]

_language: str | None = None


def set_language(lang: str | None) -> None:
    """``"en"`` or ``"zh_CN"`` (None: follow the environment again)."""
    global _language
    _language = lang


def language() -> str:
    if _language:
        return "en" if _language.lower().startswith("en") else "zh_CN"
    for var in ("LC_ALL", "LANGUAGE", "LANG"):
        value = os.environ.get(var, "")
        if value:
            return "en" if value.lower().startswith("en") else "zh_CN"
    return "zh_CN"


def bi(zh: str, en: str) -> str:
    """``"中文 / English"`` (or the other way round in English)."""
    return f"{en} / {zh}" if language() == "en" else f"{zh} / {en}"


_PATH = re.compile(r"(?:[A-Za-z]:)?(?:[\\/][^\\/\s:'\"()\[\],;]+){2,}")
_NOISE = (re.compile(r"\s*It might help to specify the correct driver explicitly.*?(?:'CSV:path'\.|$)"),
          re.compile(r"\bERROR \d+:\s*"))


def detail(exc, limit: int = 120) -> str:
    """A library's (GDAL, PROJ, pandas) error shortened for a one-line message: one line,
    paths reduced to their file name (no build or temp paths), GDAL's driver-prefix
    advice dropped, at most ``limit`` characters."""
    text = " ".join(str(exc).split()) or type(exc).__name__
    text = re.sub(r"\(Internal Proj Error:\s*([^)]*)\)", r"\1", text)
    for pattern in _NOISE:
        text = pattern.sub(" ", text)
    text = _PATH.sub(lambda m: re.split(r"[\\/]", m.group(0))[-1], text)
    text = " ".join(text.split()).strip(" ;.")
    return text if len(text) <= limit else text[:limit - 1] + "…"


def wrap(sentence_zh: str, sentence_en: str, exc) -> str:
    """Our bilingual sentence first, the library's shortened detail after it in brackets."""
    return bi(sentence_zh, sentence_en) + f" ({detail(exc)})"
