"""A real, throwaway PostgreSQL/PostGIS cluster for the tests (no mock, no external server).

``pg_server`` (session-scoped) runs ``initdb`` into a temporary folder (as the ``postgres``
user when the tests run as root: initdb refuses root), starts it with ``pg_ctl`` listening
on 127.0.0.1 only, on a free port, with trust authentication (the cluster lives for one
test session and accepts nobody from outside this machine), creates a database with the
PostGIS extension, and stops and removes it at the end, also when tests fail.  Tests that
need it are skipped only when the PostgreSQL binaries are absent; ``bash test.sh`` installs
them (and PostGIS) when run as root, so in CI they run.

``pg_url`` (function-scoped) is a ``postgresql://`` URL with a fresh schema name for one test.
"""

from __future__ import annotations

import atexit
import glob
import itertools
import os
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest

DATABASE = "gridmap_test"
SUPERUSER = "gridmap_admin"


def pg_bindir() -> Path | None:
    """The folder of initdb/pg_ctl: $GRIDMAP_PG_BINDIR, PATH, or Debian's /usr/lib/postgresql/N/bin."""
    cands = [os.environ.get("GRIDMAP_PG_BINDIR", "")]
    if shutil.which("initdb"):
        cands.append(str(Path(shutil.which("initdb")).parent))
    cands += sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(p.split("/")[-2]), reverse=True)
    for c in cands:
        if c and (Path(c) / "initdb").is_file() and (Path(c) / "pg_ctl").is_file():
            return Path(c)
    return None


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class PgServer:
    host: str
    port: int
    database: str
    user: str
    folder: Path

    def url(self, schema: str | None = None, user: str | None = None, database: str | None = None) -> str:
        u = f"postgresql://{user or self.user}@{self.host}:{self.port}/{database or self.database}"
        return u + (f"?schema={schema}" if schema else "")

    def connect(self, **kw):
        import psycopg

        return psycopg.connect(host=self.host, port=self.port, dbname=self.database, user=self.user, **kw)


class _Cluster:
    def __init__(self, bindir: Path):
        self.bindir = bindir
        self.folder = Path(tempfile.mkdtemp(prefix="gridmap-pg-"))
        self.data = self.folder / "data"
        self.port = _free_port()
        self.started = False
        self.as_postgres = os.geteuid() == 0 if hasattr(os, "geteuid") else False
        if self.as_postgres:
            import pwd

            pw = pwd.getpwnam("postgres")
            os.chown(self.folder, pw.pw_uid, pw.pw_gid)
        os.chmod(self.folder, 0o700)

    def _run(self, *args: str) -> None:
        kw = {"user": "postgres", "group": "postgres", "extra_groups": []} if self.as_postgres else {}
        out = subprocess.run([str(self.bindir / args[0]), *args[1:]], capture_output=True, text=True,
                             cwd=self.folder, **kw)
        if out.returncode != 0:
            log = self.folder / "server.log"
            tail = log.read_text(errors="replace")[-2000:] if log.exists() else ""
            raise RuntimeError(f"{args[0]} failed ({out.returncode}): {out.stderr or out.stdout}\n{tail}")

    def start(self) -> None:
        self._run("initdb", "-D", str(self.data), "-U", SUPERUSER, "--auth=trust", "-E", "UTF8",
                  "--locale=C.UTF-8", "--no-sync")
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.folder / "server.log"), "-w", "-t", "60",
                  "-o", f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.folder} -c fsync=off "
                        f"-c synchronous_commit=off -c full_page_writes=off -c max_connections=60", "start")
        self.started = True

    def stop(self) -> None:
        if self.started:
            self.started = False
            try:
                self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
            except RuntimeError:
                pass
        shutil.rmtree(self.folder, ignore_errors=True)


@pytest.fixture(scope="session")
def pg_server():
    bindir = pg_bindir()
    if bindir is None:
        pytest.skip("PostgreSQL binaries (initdb, pg_ctl) not installed; bash test.sh installs them as root")
    import psycopg

    cluster = _Cluster(bindir)
    atexit.register(cluster.stop)        # also if the session dies without running finalizers
    try:
        cluster.start()
        server = PgServer("127.0.0.1", cluster.port, DATABASE, SUPERUSER, cluster.folder)
        with psycopg.connect(host=server.host, port=server.port, dbname="postgres", user=SUPERUSER,
                             autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {DATABASE}")
        with server.connect(autocommit=True) as conn:
            conn.execute("CREATE EXTENSION postgis")
        yield server
    finally:
        cluster.stop()


_schemas = itertools.count(1)


@pytest.fixture
def pg_url(pg_server):
    """A postgresql:// URL naming a schema no other test uses."""
    return pg_server.url(schema=f"plan_{os.getpid()}_{next(_schemas)}")
