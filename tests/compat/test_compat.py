"""Differential compat: each script on sqlalchemy.orm (oracle) and on inspector.orm (ours).

Emitted SQL (statement, parameters, executemany), transaction events, object statuses,
recorded values, exception types and final table contents must be equal; differing exception
messages only warn.  A missing or broken inspector.orm fails every test (it never skips).
"""

import collections
import functools
import warnings

import harness
import pytest

SCRIPTS = harness.script_paths()
#: per comparison: "exact" (identical statement order) / "equivalent" / "diff"; the
#: conftest's terminal summary prints the counts
ORDERS = collections.Counter()


class MessageMismatch(UserWarning):
    """Same exception type as the oracle, different message."""


@functools.cache
def _oracle(script):
    return harness.run_script(script, "oracle")


@pytest.mark.parametrize("script", SCRIPTS, ids=[p.stem for p in SCRIPTS])
def test_compat(script):
    expected = _oracle(script)
    assert expected.crash is None, "script fails on sqlalchemy.orm:\n" + expected.crash
    actual = harness.run_script(script, "ours")
    result = harness.compare(expected, actual)
    ORDERS[result.order or "diff"] += 1
    for w in result.warnings:
        warnings.warn(MessageMismatch(f"{script.stem}: {w}"), stacklevel=1)
    if not result.ok:
        pytest.fail(result.report, pytrace=False)
