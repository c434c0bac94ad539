"""A project file's identity, to never overwrite someone else's save silently.

Every save increments ``revision`` in the ``settings`` table and records
``saved_by`` (user@host) and ``saved_at``.  A plan remembers the identity of the
file it was read from (revision, size, mtime); saving over that file when its
identity changed meanwhile (another window, the CLI, QGIS …) raises
:class:`ConflictError` instead of dropping the other change.  The check and the
rename happen under a short exclusive save lock, so two processes saving at the
same instant cannot both pass it.
"""

from __future__ import annotations

import os
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path

from ..messages import bi
from .base import StoreError
from .lock import pid_alive

__all__ = ["FileIdentity", "ConflictError", "identity_of", "read_settings", "save_mutex"]


@dataclass(frozen=True)
class FileIdentity:
    revision: int
    size: int
    mtime_ns: int


class ConflictError(StoreError):
    """The file changed since it was opened (or last saved) by this plan."""

    def __init__(self, path, saved_by: str = "", saved_at: str = ""):
        self.path = Path(path)
        self.saved_by = saved_by
        self.saved_at = saved_at
        who_zh = f"（{saved_by} 于 {saved_at} 保存）" if saved_by else "（被其他程序修改）"
        who_en = f" (saved by {saved_by} at {saved_at})" if saved_by else " (changed by another program)"
        super().__init__(f"{path}: " + bi(
            f"文件在打开后已被他人修改{who_zh}，未覆盖：请重新加载、另存为或确认覆盖",
            f"the file changed since it was opened{who_en}; not overwritten: reload, save as, or overwrite"))


def read_settings(path) -> dict[str, str]:
    """The ``settings`` table of a GeoPackage as text (empty if there is none)."""
    uri = Path(path).resolve().as_uri() + "?mode=ro"
    try:
        con = sqlite3.connect(uri, uri=True, timeout=5)
    except sqlite3.Error:
        return {}
    try:
        rows = con.execute("SELECT key, value FROM settings").fetchall()
    except sqlite3.Error:
        return {}
    finally:
        con.close()
    return {str(k): "" if v is None else str(v) for k, v in rows}


def identity_of(path) -> FileIdentity | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    try:
        rev = int(read_settings(path).get("revision", "0") or 0)
    except ValueError:
        rev = 0
    return FileIdentity(rev, st.st_size, st.st_mtime_ns)


class save_mutex:
    """``with save_mutex(path):`` — exclusive among gridmap processes for a few
    seconds (a ``.NAME.gpkg.saving`` file created with O_EXCL; stale ones of dead
    processes are taken over)."""

    def __init__(self, path, timeout: float = 30.0):
        p = Path(path)
        self.file = p.with_name(f".{p.name}.saving")
        self.timeout = timeout

    def __enter__(self):
        deadline = time.monotonic() + self.timeout
        while True:
            try:
                fd = os.open(self.file, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
            except FileExistsError:
                try:
                    pid = int(self.file.read_text(encoding="ascii").strip() or 0)
                except (OSError, ValueError):
                    pid = 0
                if pid and not pid_alive(pid):
                    try:
                        self.file.unlink()
                    except OSError:
                        pass
                    continue
                if time.monotonic() > deadline:
                    raise StoreError(f"{self.file.parent}: " + bi(
                        "另一个程序正在保存此方案，请稍后再试", "another program is saving this plan; try again"))
                time.sleep(0.02)
                continue
            os.write(fd, str(os.getpid()).encode())
            os.close(fd)
            return self

    def __exit__(self, *exc):
        try:
            self.file.unlink()
        except OSError:
            pass
        return False
