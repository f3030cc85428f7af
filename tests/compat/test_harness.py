"""Self-tests of the compat harness: it swaps the right imports and it detects differences."""

import harness
import pytest


def test_rewrite_only_orm_import_lines():
    src = (
        '"""Docstring may say sqlalchemy.orm."""\n'
        "from sqlalchemy import Column, select\n"
        "from sqlalchemy.orm import Session, relationship\n"
        "from sqlalchemy.orm.exc import NoResultFound\n"
        "    from sqlalchemy.orm import sessionmaker  # indented\n"
        "x = 'sqlalchemy.orm'  # strings are left alone\n"
    )
    out = harness.rewrite_source(src, "inspector.orm")
    lines = out.splitlines()
    assert lines[0] == src.splitlines()[0]
    assert lines[1] == "from sqlalchemy import Column, select"
    assert lines[2] == "from inspector.orm import Session, relationship"
    assert lines[3] == "from inspector.orm.exc import NoResultFound"
    assert lines[4] == "    from inspector.orm import sessionmaker  # indented"
    assert lines[5] == "x = 'sqlalchemy.orm'  # strings are left alone"
    assert harness.rewrite_source(src, "sqlalchemy.orm") == src


@pytest.mark.parametrize(
    "line",
    [
        "import sqlalchemy.orm\n",
        "import sqlalchemy.orm as orm\n",
        "from sqlalchemy import orm\n",
        "from sqlalchemy import inspect\n",
        "import sqlalchemy\nsqlalchemy.inspect(1)\n",
        "import sqlalchemy\nsqlalchemy.orm.Session\n",
    ],
)
def test_rewrite_refuses_other_orm_access(line):
    with pytest.raises(harness.ScriptError):
        harness.rewrite_source(line, "inspector.orm")


def _trace(events, tables=None, crash=None, flavour="oracle"):
    return harness.Trace("t", flavour, list(events), tables or {"users": [(1, "ed")]}, crash)


BASE = [
    ("tx", "BEGIN"),
    ("sql", "INSERT INTO users (name) VALUES (?)", ["ed"], False),
    ("check", "after flush", (("u", "persistent", " User(1,)"),)),
    ("tx", "COMMIT"),
    ("error", "get", "NoResultFound", "No row was found when one was required"),
]


def test_identical_traces_match():
    res = harness.compare(_trace(BASE), _trace(BASE, flavour="ours"))
    assert res.ok and res.report == "" and res.warnings == []


def test_detects_different_statement():
    other = list(BASE)
    other[1] = ("sql", "INSERT INTO users (name) VALUES (?) RETURNING id", ["ed"], True)
    res = harness.compare(_trace(BASE), _trace(other, flavour="ours"))
    assert not res.ok
    assert "first difference at event #1 (at the start)" in res.report
    assert "expected: SQL  INSERT INTO users (name) VALUES (?)  ['ed']" in res.report
    assert "actual:   SQL* INSERT INTO users (name) VALUES (?) RETURNING id" in res.report
    assert "+SQL* INSERT" in res.report and "-SQL  INSERT" in res.report  # the unified diff


def test_detects_different_status_and_reports_checkpoint():
    other = list(BASE)
    other[2] = ("check", "after flush", (("u", "pending", ""),))
    other.append(("sql", "SELECT 1", [], False))
    res = harness.compare(_trace(BASE), _trace(other, flavour="ours"))
    assert not res.ok
    assert "event #2 (at the start)" in res.report
    assert "u=pending" in res.report


def test_detects_missing_events_tables_and_crash():
    res = harness.compare(
        _trace(BASE),
        _trace(BASE[:3], {"users": []}, crash="Traceback\nKeyError: 'x'\n", flavour="ours"),
    )
    assert not res.ok
    assert "ours run crashed" in res.report
    assert "event #3 (after [after flush])" in res.report
    assert "actual:   (end of trace)" in res.report
    assert "final table users" in res.report


def test_error_type_must_match_message_only_warns():
    other = list(BASE)
    other[4] = ("error", "get", "NoResultFound", "no row")
    res = harness.compare(_trace(BASE), _trace(other, flavour="ours"))
    assert res.ok
    assert len(res.warnings) == 1 and "'no row'" in res.warnings[0]
    other[4] = ("error", "get", "InvalidRequestError", "No row was found when one was required")
    assert not harness.compare(_trace(BASE), _trace(other, flavour="ours")).ok


def test_messages_are_normalised():
    msg = "Instance <User at 0x7f00deadbeef> is x (Background on this error at: https://sqlalche.me/e/20/bhk3)"
    assert harness.norm_message(msg) == "Instance <User at 0x...> is x"


def test_end_to_end_detects_a_wrong_orm(monkeypatch):
    """A Session that does not expire on commit must show up as a difference in script 11."""
    monkeypatch.setitem(harness.FLAVOURS, "mutant", "_mutant_orm")
    script = harness.SCRIPTS_DIR / "11_expire_on_commit_true.py"
    oracle = harness.run_script(script, "oracle")
    mutant = harness.run_script(script, "mutant")
    assert mutant.crash is None, mutant.crash
    res = harness.compare(oracle, mutant)
    assert not res.ok
    assert "after [after commit]" in res.report
    assert "SELECT users.id, users.name, users.fullname FROM users WHERE users.id = ?" in res.report


def test_missing_orm_is_a_crash_not_an_error(monkeypatch):
    monkeypatch.setitem(harness.FLAVOURS, "missing", "no_such_module_for_compat")
    trace = harness.run_script(harness.script_paths()[0], "missing")
    assert trace.crash and "ModuleNotFoundError" in trace.crash
    res = harness.compare(harness.run_script(harness.script_paths()[0], "oracle"), trace)
    assert not res.ok and "missing run crashed" in res.report


def test_write_order_inside_a_flush_is_reported_as_equivalent_not_exact():
    a = ("sql", "INSERT INTO users (name) VALUES (?)", ["ed"], False)
    b = ("sql", "INSERT INTO pets (name) VALUES (?)", ["rex"], False)
    sel = ("sql", "SELECT users.id FROM users", [], False)
    exact = harness.compare(_trace([("tx", "BEGIN"), a, b]), _trace([("tx", "BEGIN"), a, b]))
    assert exact.ok and exact.order == "exact"
    swapped = harness.compare(_trace([("tx", "BEGIN"), a, b]),
                              _trace([("tx", "BEGIN"), b, a], flavour="ours"))
    assert swapped.ok and swapped.order == "equivalent"
    assert "dependency-equivalent" in swapped.warnings[0]
    # a SELECT (or anything else) between them: the order is compared
    across = harness.compare(_trace([a, sel, b]), _trace([b, sel, a], flavour="ours"))
    assert not across.ok and across.order == ""
    # different parameters are no reordering
    other = ("sql", "INSERT INTO users (name) VALUES (?)", ["al"], False)
    assert not harness.compare(_trace([a, b]), _trace([b, other], flavour="ours")).ok
    import collections

    assert harness.order_summary(collections.Counter(exact=3, equivalent=1)) == (
        "compat: 3 scripts with identical statement order, 1 only dependency-equivalent "
        "order, 0 differing")
