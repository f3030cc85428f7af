"""Every differential script of tests/compat, run on PostgreSQL on both ORMs and compared.

The harness gives each ``engine()`` of a script a fresh schema of the ``compat`` database
(``search_path``); the comparison is the one of tests/compat/test_compat.py (SQL, rows,
statuses, exception types, final tables).  Scripts whose behaviour is SQLite's own are
skipped, with the reason, in :data:`SQLITE_ONLY`.
"""

from __future__ import annotations

import sys
import warnings
from pathlib import Path

import pytest

COMPAT = Path(__file__).resolve().parents[1] / "compat"
if str(COMPAT) not in sys.path:
    sys.path.insert(0, str(COMPAT))

import harness  # noqa: E402

#: script stem -> why it cannot run on PostgreSQL as written
SQLITE_ONLY: dict[str, str] = {
    "249_batching": "mixes explicit ids with generated ones; PostgreSQL's sequence does not "
                    "skip the explicit ids, so the script's own INSERT collides on both ORMs",
    "335_batched_inserts_mixed_keys": "mixes explicit ids with generated ones (as 249)",
}

SCRIPTS = harness.script_paths()


class MessageMismatch(UserWarning):
    """Same exception type as the oracle, different message (PostgreSQL run)."""


@pytest.fixture(scope="module")
def compat_url(pg):
    import psycopg

    with psycopg.connect(host="127.0.0.1", port=pg["port"], user="postgres",
                         dbname="postgres", autocommit=True) as c:
        if not c.execute("SELECT 1 FROM pg_database WHERE datname = 'compat'").fetchone():
            c.execute("CREATE DATABASE compat")
    # through the Unix socket: some 15% faster than TCP for these many short statements
    return "postgresql+psycopg://postgres@/compat?host=%s&port=%d" % (pg["socket_dir"],
                                                                      pg["port"])


@pytest.mark.parametrize("script", SCRIPTS, ids=[p.stem for p in SCRIPTS])
def test_compat_on_postgres(script, compat_url):
    if script.stem in SQLITE_ONLY:
        pytest.skip(f"SQLite-specific: {SQLITE_ONLY[script.stem]}")
    expected = harness.run_script(script, "oracle", pg_url=compat_url)
    assert expected.crash is None, "script fails on sqlalchemy.orm:\n" + expected.crash
    actual = harness.run_script(script, "ours", pg_url=compat_url)
    result = harness.compare(expected, actual)
    for w in result.warnings:
        warnings.warn(MessageMismatch(f"{script.stem}: {w}"), stacklevel=1)
    if not result.ok:
        pytest.fail(result.report, pytrace=False)
