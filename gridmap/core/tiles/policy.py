"""What the tile fetcher does with answers: is it an image, what did a server say
instead, and when to ask a failing server again.

A server that answers HTTP 200 with a login page or a WMTS ``ExceptionReport`` has
*failed*: :func:`sniff_image` says the body is no image and :func:`describe_answer`
gives the planner a line of what came back.  A failing host is asked again only
after a back-off that doubles with each failure (1 s, 2 s, 4 s … at most 60 s), and
then by one probe request at a time — never the whole view again and again.

>>> sniff_image(b"\\x89PNG\\r\\n\\x1a\\n....")
'png'
>>> sniff_image(b"<html><title>Login</title></html>") is None
True
>>> describe_answer("text/html", b"<html><head><title>Intranet login</title></head></html>")
'text/html: Intranet login'
>>> b = Backoff(base=1.0, cap=8.0, clock=lambda: 0.0)
>>> b.failed("h", "down"), b.failed("h", "down"), b.delay("h")
(True, False, 2.0)
>>> b.allowed("h"), b.succeeded("h"), b.allowed("h")
(False, True, True)
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass

__all__ = ["sniff_image", "describe_answer", "Backoff", "HostState"]

_MAGIC = ((b"\x89PNG\r\n\x1a\n", "png"), (b"\xff\xd8\xff", "jpeg"), (b"GIF87a", "gif"), (b"GIF89a", "gif"),
          (b"BM", "bmp"), (b"II*\x00", "tiff"), (b"MM\x00*", "tiff"))


def sniff_image(data: bytes) -> str | None:
    """The image format of ``data`` from its first bytes, or None (not an image)."""
    head = bytes(data[:16])
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    for magic, name in _MAGIC:
        if head.startswith(magic):
            return name
    return None


def describe_answer(content_type: str, data: bytes, limit: int = 120) -> str:
    """One line of what a server sent instead of an image: an XML exception text, an
    HTML title, or the start of the text."""
    ctype = (content_type or "").split(";")[0].strip() or "?"
    text = bytes(data[:20000]).decode("utf-8", "replace")
    m = (re.search(r"<(?:\w+:)?ExceptionText[^>]*>(.*?)</(?:\w+:)?ExceptionText>", text, re.S | re.I)
         or re.search(r"<title[^>]*>(.*?)</title>", text, re.S | re.I))
    if m:
        body = m.group(1)
    else:
        body = re.sub(r"<[^>]+>", " ", text)
    body = " ".join(body.split())
    if not body:
        body = f"{len(data)} bytes"
    if len(body) > limit:
        body = body[:limit - 1] + "…"
    return f"{ctype}: {body}"


@dataclass
class HostState:
    failures: int = 0
    until: float = 0.0
    reason: str = ""
    probing: bool = False


class Backoff:
    """Per-host back-off: after ``n`` failures in a row the host waits ``base·2^(n-1)``
    seconds (at most ``cap``) before one probe may go out."""

    def __init__(self, base: float = 1.0, cap: float = 60.0, clock=time.monotonic):
        self.base, self.cap, self.clock = float(base), float(cap), clock
        self.hosts: dict[str, HostState] = {}

    def state(self, host: str) -> HostState:
        return self.hosts.setdefault(host, HostState())

    def failing(self, host: str) -> bool:
        s = self.hosts.get(host)
        return bool(s and s.failures)

    def delay(self, host: str) -> float:
        s = self.hosts.get(host)
        if not s or not s.failures:
            return 0.0
        return min(self.cap, self.base * 2 ** (s.failures - 1))

    def allowed(self, host: str) -> bool:
        """May a request to ``host`` go out now?  A failing host: one probe after its delay."""
        s = self.hosts.get(host)
        if not s or not s.failures:
            return True
        return not s.probing and self.clock() >= s.until

    def sent(self, host: str) -> None:
        s = self.hosts.get(host)
        if s and s.failures:
            s.probing = True

    def failed(self, host: str, reason: str) -> bool:
        """Record a failure; True when the host was fine until now (a new outage)."""
        s = self.state(host)
        new = s.failures == 0
        s.failures += 1
        s.reason = reason
        s.probing = False
        s.until = self.clock() + self.delay(host)
        return new

    def succeeded(self, host: str) -> bool:
        """Record a success; True when the host had been failing (it is back)."""
        s = self.hosts.get(host)
        back = bool(s and s.failures)
        if s:
            s.failures, s.probing, s.until, s.reason = 0, False, 0.0, ""
        return back

    def retry_at(self) -> float | None:
        """When the earliest failing host may be probed again (clock time), or None."""
        times = [s.until for s in self.hosts.values() if s.failures and not s.probing]
        return min(times) if times else None
