"""Bilingual one-line messages (Chinese and English) for errors and notes.

Which language comes first follows :func:`set_language` (the app calls it with
its language setting) or, for the command line, ``LANG``/``LC_ALL``/``LANGUAGE``:
English first when the locale is English, Chinese first otherwise.
"""

from __future__ import annotations

import os

__all__ = ["bi", "set_language", "language"]

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
