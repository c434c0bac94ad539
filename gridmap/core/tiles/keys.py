"""Keys of tile services (Tianditu ``tk`` and intranet mirrors' tokens).

A template takes a key wherever it has ``{key}`` — whatever its host.  A key
typed into a URL (``…&tk=0a1b2c…``) is taken out of it (:func:`split_key`) so the
plan records only the ``{key}`` placeholder; the key itself lives in the user's
settings (the app's QSettings, per host) or, for the CLI, ``--key`` /
``GRIDMAP_TILE_KEY``.  Nothing a plan stores or exports holds it.

>>> split_key("http://10.0.0.8/vec_w/wmts?SERVICE=WMTS&tk=abc123&x=1")
('http://10.0.0.8/vec_w/wmts?SERVICE=WMTS&tk={key}&x=1', 'abc123')
>>> needs_key("http://10.0.0.8/{z}/{x}/{y}.png?token={key}"), host_of("http://10.0.0.8:8080/a")
(True, '10.0.0.8:8080')
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

__all__ = ["KEY_PARAMS", "needs_key", "split_key", "host_of", "redact"]

KEY_PARAMS = ("tk", "key", "token", "apikey", "api_key", "access_token", "ak")
_PARAM = re.compile(r"([?&](?:" + "|".join(KEY_PARAMS) + r")=)([^&#{}]+)", re.I)


def needs_key(template: str) -> bool:
    return "{key}" in str(template or "")


def split_key(url: str) -> tuple[str, str]:
    """(template with ``{key}``, the key found) — a literal key parameter moved out of the URL."""
    found = ""

    def repl(m):
        nonlocal found
        found = found or m.group(2)
        return m.group(1) + "{key}"

    return _PARAM.sub(repl, str(url or "")), found


def host_of(url: str) -> str:
    try:
        return urlsplit(str(url)).netloc.lower()
    except ValueError:
        return ""


def redact(text: str, key: str) -> str:
    """A message with the key replaced by ``***`` (error texts quote URLs)."""
    return str(text).replace(key, "***") if key else str(text)


def key_param(url: str) -> str | None:
    """The name of the query parameter that carries ``{key}`` (or a literal key).

    >>> key_param("http://h/wmts?SERVICE=WMTS&tk={key}")
    'tk'
    """
    m = re.search(r"[?&](\w+)=\{key\}", split_key(url)[0])
    return m.group(1) if m else None


def carry_key(template: str, url: str) -> str:
    """``template`` with the key parameter of ``url`` added when it has none (a WMTS
    GetTile address from capabilities rarely repeats ``tk``).

    >>> carry_key("http://h/wmts?LAYER=vec", "http://h/wmts?request=GetCapabilities&tk=abc")
    'http://h/wmts?LAYER=vec&tk={key}'
    """
    if needs_key(template):
        return template
    p = key_param(url)
    if not p:
        return template
    return template + ("&" if "?" in template else "?") + f"{p}={{key}}"
