"""A real PostgreSQL server for the tests of this directory, one per pytest session.

The server comes from Debian's ``postgresql`` package (``.ci/run`` installs it): ``initdb``
and ``pg_ctl`` run in a fresh temp dir, listening on 127.0.0.1 on a free port, as the
``postgres`` system user when the tests run as root (PostgreSQL refuses root).  Two databases,
``db_a`` and ``db_b``, are created; ``max_prepared_transactions`` is on (two-phase commit);
every connection gets a statement and a lock timeout so that no test can hang.  The driver is
psycopg 3.

Without a PostgreSQL server (or without psycopg) the tests skip with the reason; under
``CI=true`` or ``REQUIRE_POSTGRES=1`` they fail instead.  ``PG_BIN`` points at another
directory of server binaries (``PG_BIN=/nonexistent`` shows the skip).
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time

import pytest

#: every connection of the tests: nothing can wait forever on a lock or a query
CONNECT_ARGS = {"options": "-c statement_timeout=5000 -c lock_timeout=5000"}

REQUIRED = os.environ.get("REQUIRE_POSTGRES", "") == "1" or os.environ.get(
    "CI", "").strip().lower() in {"1", "true", "yes"}


def _unavailable(reason: str):
    if REQUIRED:
        pytest.fail(f"{reason} (CI=true / REQUIRE_POSTGRES=1: PostgreSQL tests must run)",
                    pytrace=False)
    pytest.skip(reason)


def pg_bindir() -> str | None:
    """The newest ``/usr/lib/postgresql/N/bin`` (or ``$PG_BIN``) holding ``pg_ctl``."""
    d = os.environ.get("PG_BIN")
    if not d:
        found = sorted(glob.glob("/usr/lib/postgresql/*/bin"),
                       key=lambda p: int(p.split("/")[4]) if p.split("/")[4].isdigit() else 0,
                       reverse=True)
        d = found[0] if found else None
    return d if d and os.path.exists(os.path.join(d, "pg_ctl")) else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def pg():
    """Start the server; yields a dict with ``url_a``, ``url_b``, ``base_url`` (TCP),
    ``port`` and ``socket_dir`` (the Unix socket: ``...@/db?host=<socket_dir>&port=<port>``)."""
    try:
        import psycopg
    except ImportError:
        _unavailable("psycopg is not installed (pip install 'psycopg[binary]')")
    bindir = pg_bindir()
    if bindir is None:
        _unavailable("PostgreSQL server not installed (apt-get install -y postgresql)")
    t0 = time.perf_counter()
    tmp = tempfile.mkdtemp(prefix="pgtest-")  # not pytest's tmp_path: root-only parent
    prefix: list[str] = []
    if os.geteuid() == 0:  # initdb and pg_ctl refuse to run as root
        try:
            pw = pwd.getpwnam("postgres")  # created by the Debian package
        except KeyError:
            shutil.rmtree(tmp, ignore_errors=True)
            _unavailable("running as root and there is no 'postgres' user to run the server")
        os.chown(tmp, pw.pw_uid, pw.pw_gid)
        prefix = ["runuser", "-u", "postgres", "--"]
    data, log = f"{tmp}/data", f"{tmp}/server.log"

    def run(*args: str) -> None:  # cwd=tmp: the postgres user may not enter the cwd
        subprocess.run(prefix + [os.path.join(bindir, args[0]), *args[1:]], cwd=tmp,
                       check=True, capture_output=True, text=True, timeout=120)

    started = False
    try:
        try:
            run("initdb", "-D", data, "-U", "postgres", "-E", "UTF8", "--locale=C",
                "--auth=trust", "--no-sync")
        except subprocess.CalledProcessError as e:
            raise RuntimeError(f"initdb failed:\n{e.stdout}\n{e.stderr}") from None
        with open(f"{data}/postgresql.conf", "a") as f:
            f.write(
                "listen_addresses = '127.0.0.1'\n"
                f"unix_socket_directories = '{tmp}'\n"
                "fsync = off\nsynchronous_commit = off\nfull_page_writes = off\n"
                "max_prepared_transactions = 10\n"
                "max_connections = 100\n"
            )
        for attempt in range(5):  # the port can be taken between the probe and the bind
            port = _free_port()
            try:
                run("pg_ctl", "-D", data, "-l", log, "-w", "-t", "30", "-o", f"-p {port}",
                    "start")
                started = True
                break
            except subprocess.CalledProcessError:
                if attempt == 4:
                    with open(log) as f:
                        raise RuntimeError("pg_ctl start failed:\n" + f.read()) from None
        with psycopg.connect(host="127.0.0.1", port=port, user="postgres", dbname="postgres",
                             autocommit=True) as c:
            c.execute("CREATE DATABASE db_a")
            c.execute("CREATE DATABASE db_b")
        base = f"postgresql+psycopg://postgres@127.0.0.1:{port}"
        print(f"\n[pg] server on port {port}, setup {time.perf_counter() - t0:.2f}s")
        yield {"url_a": f"{base}/db_a", "url_b": f"{base}/db_b", "base_url": base,
               "port": port, "bindir": bindir, "socket_dir": tmp}
    finally:
        if started:
            with contextlib.suppress(Exception):
                run("pg_ctl", "-D", data, "stop", "-m", "fast", "-w")
        shutil.rmtree(tmp, ignore_errors=True)


def rollback_prepared(engine) -> None:
    """Roll back prepared transactions a failed test left behind (they keep their locks)."""
    from sqlalchemy import text

    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as c:
        for gid in c.execute(text("SELECT gid FROM pg_prepared_xacts "
                                  "WHERE database = current_database()")).scalars():
            c.execute(text(f"ROLLBACK PREPARED '{gid}'"))


@pytest.fixture(scope="session")
def engines(pg):
    """One engine per database (``db_a``, ``db_b``), with the timeouts."""
    from sqlalchemy import create_engine

    ea = create_engine(pg["url_a"], connect_args=CONNECT_ARGS)
    eb = create_engine(pg["url_b"], connect_args=CONNECT_ARGS)
    yield ea, eb
    ea.dispose()
    eb.dispose()


@pytest.fixture
def clean(engines):
    """Per test: no prepared transaction left over, no tables in either database."""
    from sqlalchemy import MetaData

    for eng in engines:
        rollback_prepared(eng)
        md = MetaData()
        md.reflect(eng)
        md.drop_all(eng)
    yield engines
    for eng in engines:
        rollback_prepared(eng)
