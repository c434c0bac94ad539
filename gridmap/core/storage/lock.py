"""Who has a project open: a lock file beside it, as office suites keep one.

``.~lock.NAME.gpkg#`` holds one JSON line ``{"user", "host", "pid", "time"}``.
It tells a second user "already open by USER on HOST since T"; it does not stop
anyone (saves are protected by the revision check in :mod:`.identity`).  A lock
whose process is gone (same host, dead pid) is stale and removed.
"""

from __future__ import annotations

import getpass
import json
import os
import socket
import time
from dataclasses import dataclass
from pathlib import Path

__all__ = ["LockInfo", "lock_path", "read_lock", "other_holder", "acquire", "release", "pid_alive",
           "user_host"]


@dataclass(frozen=True)
class LockInfo:
    user: str
    host: str
    pid: int
    time: str  # ISO 8601, local time with offset

    def is_mine(self) -> bool:
        return self.host == socket.gethostname() and self.pid == os.getpid()

    def is_stale(self) -> bool:
        """True when the holder is a dead process on this host."""
        return self.host == socket.gethostname() and not pid_alive(self.pid)


def user_host() -> tuple[str, str]:
    try:
        user = getpass.getuser()
    except Exception:  # no login name (some services, containers)
        user = os.environ.get("USERNAME") or os.environ.get("USER") or "?"
    return user, socket.gethostname()


def pid_alive(pid: int) -> bool:
    if pid <= 0:
        return False
    if os.name == "nt":  # os.kill(pid, 0) would terminate on Windows
        import ctypes

        handle = ctypes.windll.kernel32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
        if not handle:
            return False
        code = ctypes.c_ulong()
        ctypes.windll.kernel32.GetExitCodeProcess(handle, ctypes.byref(code))
        ctypes.windll.kernel32.CloseHandle(handle)
        return code.value == 259  # STILL_ACTIVE
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # exists, owned by someone else
        return True
    return True


def lock_path(project) -> Path:
    p = Path(project)
    return p.with_name(f".~lock.{p.name}#")


def read_lock(project) -> LockInfo | None:
    try:
        data = json.loads(lock_path(project).read_text(encoding="utf-8"))
        return LockInfo(str(data["user"]), str(data["host"]), int(data["pid"]), str(data["time"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def other_holder(project) -> LockInfo | None:
    """The live holder of the project's lock if it is another process; stale locks are removed."""
    info = read_lock(project)
    if info is None or info.is_mine():
        return None
    if info.is_stale():
        try:
            lock_path(project).unlink()
        except OSError:
            pass
        return None
    return info


def acquire(project) -> LockInfo:
    """Write (or take over) the lock as this process."""
    user, host = user_host()
    info = LockInfo(user, host, os.getpid(), time.strftime("%Y-%m-%dT%H:%M:%S%z"))
    try:
        lock_path(project).write_text(json.dumps(info.__dict__, ensure_ascii=False), encoding="utf-8")
    except OSError:  # read-only folder: the plan still opens
        pass
    return info


def release(project) -> None:
    """Remove the lock if this process holds it."""
    info = read_lock(project)
    if info is not None and info.is_mine():
        try:
            lock_path(project).unlink()
        except OSError:
            pass
