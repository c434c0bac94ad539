"""The on-disk tile cache: one file per tile, under a hash of the URL template (with
``{key}`` unexpanded, so no key reaches a file name), with a size cap and an expiry.

* **Size cap**: :meth:`TileCache.enforce` deletes the oldest tiles until the cache is
  back under 90 % of ``cap_bytes``; :meth:`TileCache.put` calls it whenever the
  running total passes the cap.
* **Expiry**: a tile older than ``max_age_s`` is still shown (better than a blank
  map offline) but asked again when the server answers (:meth:`TileCache.fresh`).
* **Refresh / clear**: :meth:`remove` drops given tiles (a view), :meth:`clear` all.

>>> import tempfile
>>> c = TileCache(tempfile.mkdtemp(), cap_bytes=250)
>>> for x in range(4):
...     _ = c.put("http://h/{z}/{x}/{y}.png", 1, x, 0, b"x" * 100)
>>> sorted(p.parent.name for p in c.root.rglob("*.tile"))
['2', '3']
>>> c.size() <= 250
True
"""

from __future__ import annotations

import hashlib
import os
import shutil
import time
from pathlib import Path

__all__ = ["TileCache", "DEFAULT_CAP_MB", "DEFAULT_DAYS"]

DEFAULT_CAP_MB = 500
DEFAULT_DAYS = 30


class TileCache:
    def __init__(self, root, cap_bytes: int | None = DEFAULT_CAP_MB * 1024 * 1024,
                 max_age_s: float | None = DEFAULT_DAYS * 86400.0):
        self.root = Path(root)
        self.cap_bytes = cap_bytes
        self.max_age_s = max_age_s
        self._total: int | None = None

    @staticmethod
    def template_id(template: str) -> str:
        return hashlib.sha1(str(template).encode("utf-8")).hexdigest()[:16]

    def path(self, template: str, z, x: int, y: int) -> Path:
        return self.root / self.template_id(template) / str(z) / str(x) / f"{y}.tile"

    def fresh(self, path: Path, now: float | None = None) -> bool:
        if self.max_age_s is None or self.max_age_s <= 0:
            return True
        try:
            return (now or time.time()) - path.stat().st_mtime < self.max_age_s
        except OSError:
            return False

    def get(self, template: str, z, x: int, y: int) -> tuple[bytes | None, bool]:
        """(data or None, fresh)."""
        p = self.path(template, z, x, y)
        try:
            return p.read_bytes(), self.fresh(p)
        except OSError:
            return None, False

    def put(self, template: str, z, x: int, y: int, data: bytes) -> Path:
        p = self.path(template, z, x, y)
        p.parent.mkdir(parents=True, exist_ok=True)
        old = p.stat().st_size if p.exists() else 0
        tmp = p.with_name(f"{p.name}.{os.getpid()}.part")
        tmp.write_bytes(data)
        tmp.replace(p)
        if self._total is None:
            self._total = self.size()
        else:
            self._total += len(data) - old
        if self.cap_bytes and self._total > self.cap_bytes:
            self.enforce()
        return p

    def _files(self):
        if not self.root.exists():
            return []
        out = []
        for p in self.root.rglob("*.tile"):
            try:
                st = p.stat()
            except OSError:
                continue
            out.append((st.st_mtime, st.st_size, p))
        return out

    def size(self) -> int:
        return sum(s for _, s, _ in self._files())

    def count(self) -> int:
        return len(self._files())

    def enforce(self, cap_bytes: int | None = None) -> int:
        """Delete the oldest tiles until the cache is under 90 % of the cap; the bytes freed."""
        cap = cap_bytes if cap_bytes is not None else self.cap_bytes
        files = self._files()
        total = sum(s for _, s, _ in files)
        freed = 0
        if cap and total > cap:
            target = int(cap * 0.9)
            for _, s, p in sorted(files, key=lambda t: t[0]):
                if total <= target:
                    break
                try:
                    p.unlink()
                except OSError:
                    continue
                total -= s
                freed += s
        self._total = total
        return freed

    def remove(self, template: str, tiles) -> int:
        """Drop tiles ``(z, x, y)`` of a template (refresh a view); how many were cached."""
        n = 0
        for z, x, y in tiles:
            p = self.path(template, z, x, y)
            try:
                size = p.stat().st_size
                p.unlink()
            except OSError:
                continue
            n += 1
            if self._total is not None:
                self._total -= size
        return n

    def clear(self) -> None:
        if self.root.exists():
            shutil.rmtree(self.root, ignore_errors=True)
        self._total = 0
