"""The seeds' legacy transaction modes, kept as documented compatibility options.

SQLAlchemy 2.x refuses ``autocommit=True``, 0.4's ``transactional=`` and
``begin(subtransactions=True)``, so these cannot be compared against the oracle: the tests
below are written from the seeds' docstrings instead (SQLAlchemy 0.7/0.8 ``session.py``,
0.4 for ``transactional``), each quoted where it is checked.  See docs/transactions.md.
"""

import contextlib
import sqlite3
import warnings

import pytest
from sqlalchemy import Column, Integer, String, create_engine, event, insert, select
from sqlalchemy.exc import IntegrityError, InvalidRequestError

from inspector.orm import Session, declarative_base, sessionmaker

Base = declarative_base()


class Thing(Base):
    __tablename__ = "things"
    id = Column(Integer, primary_key=True)
    name = Column(String(20), nullable=False, unique=True)


@pytest.fixture
def engine(tmp_path):
    eng = create_engine("sqlite:///%s" % (tmp_path / "legacy.db"))
    Base.metadata.create_all(eng)
    yield eng
    eng.dispose()


@pytest.fixture
def log(engine):
    """Core transaction events and INSERT/DELETE statements, in order."""
    out = []
    for name in ("begin", "commit", "rollback"):
        event.listen(engine, name, lambda conn, name=name: out.append(name.upper()))

    @event.listens_for(engine, "before_cursor_execute")
    def _sql(conn, cursor, statement, params, context, many):
        if not statement.startswith(("SELECT", "PRAGMA")):
            out.append(statement.split()[0])

    return out


def committed(engine):
    """The committed names, read through sqlite3 itself (not logged)."""
    with contextlib.closing(sqlite3.connect(engine.url.database)) as conn:
        return sorted(name for (name,) in conn.execute("SELECT name FROM things"))


def legacy(**kw):
    with pytest.warns(DeprecationWarning):
        return Session(**kw)


# -- autocommit=True -------------------------------------------------------------------------

def test_autocommit_warns_naming_the_modern_form(engine):
    with pytest.warns(DeprecationWarning, match=r"autocommit=True.*session\.begin\(\)"):
        Session(engine, autocommit=True)
    maker = sessionmaker(engine, autocommit=True)  # checked, not refused
    with pytest.warns(DeprecationWarning, match="autocommit"):
        assert maker().autocommit is True
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert Session(engine, autocommit=False).autocommit is False


def test_autocommit_no_transaction_until_begin(engine, log):
    # 0.7: "When True, the Session does not keep a persistent transaction running, and will
    # acquire connections from the engine on an as-needed basis"
    s = legacy(bind=engine, autocommit=True)
    t = Thing(name="a")
    s.add(t)
    assert not s.in_transaction() and s.get_transaction() is None
    # 0.8 is_active: "will always be False outside of a flush or begin block in this mode"
    assert s.is_active is False
    assert s.scalars(select(Thing)).all() == [t]  # autoflush: a transaction of its own
    assert not s.in_transaction()
    # the SELECT then runs on the ad-hoc AUTOCOMMIT connection (Core still reports a
    # BEGIN for it; the database sees none and keeps no lock)
    assert log == ["BEGIN", "INSERT", "COMMIT", "BEGIN"]
    assert committed(engine) == ["a"]
    s.begin()
    assert s.is_active is True and s.in_transaction()
    s.rollback()
    assert s.is_active is False
    s.close()


def test_autocommit_each_flush_in_its_own_transaction(engine, log):
    # 0.7: "Flushes will begin and commit (or possibly rollback) their own transaction if no
    # transaction is present."
    s = legacy(bind=engine, autocommit=True)
    a, b = Thing(name="a"), Thing(name="b")
    s.add(a)
    s.flush()
    s.add(b)
    s.flush()
    assert log == ["BEGIN", "INSERT", "COMMIT", "BEGIN", "INSERT", "COMMIT"]
    assert committed(engine) == ["a", "b"]
    # the flush's transaction commits: expire_on_commit expires what it loaded
    assert "name" not in a.__dict__
    assert a.name == "a"
    s.close()


def test_autocommit_expire_on_commit_false_keeps_values(engine):
    s = legacy(bind=engine, autocommit=True, expire_on_commit=False)
    a = Thing(name="a")
    s.add(a)
    s.flush()
    assert a.__dict__["name"] == "a"
    s.close()


def test_autocommit_begin_groups_several_flushes(engine, log):
    # 0.7: "When using this mode, the session.begin() method may be used to begin a
    # transaction explicitly."
    s = legacy(bind=engine, autocommit=True)
    s.begin()
    s.add(Thing(name="a"))
    s.flush()
    s.add(Thing(name="b"))
    s.flush()
    s.rollback()
    assert committed(engine) == []
    assert log == ["BEGIN", "INSERT", "INSERT", "ROLLBACK"]
    with s.begin():
        s.add_all([Thing(name="c"), Thing(name="d")])
        s.flush()
        s.add(Thing(name="e"))
    assert committed(engine) == ["c", "d", "e"]
    assert not s.in_transaction()  # nothing begins again after the commit
    s.close()


def test_autocommit_commit_without_begin_raises(engine):
    # 0.7 commit(): "If no transaction is in progress, this method raises an
    # InvalidRequestError."  rollback(): "If no transaction is in progress, this method is a
    # pass-through."
    s = legacy(bind=engine, autocommit=True)
    s.add(Thing(name="a"))
    with pytest.raises(InvalidRequestError, match="No transaction is begun"):
        s.commit()
    s.rollback()
    assert committed(engine) == []
    with pytest.raises(InvalidRequestError, match="Can't start a SAVEPOINT"):
        s.begin_nested()
    s.close()


def test_autocommit_statements_outside_begin_commit_each(engine):
    # 0.8 connection(): "if this Session is configured with autocommit=True, an ad-hoc
    # Connection is returned" (each statement autocommits)
    s = legacy(bind=engine, autocommit=True)
    s.execute(insert(Thing).values(name="x"))
    assert committed(engine) == ["x"]
    assert s.get(Thing, 1).name == "x"
    assert s.connection().execute(select(Thing.name)).scalar() == "x"
    assert not s.in_transaction()
    with s.begin():  # the ad-hoc connection is closed when a transaction begins
        s.add(Thing(name="y"))
    assert committed(engine) == ["x", "y"]
    s.close()
    assert s._autocommit_conns == {}


def test_autocommit_failed_flush_leaves_no_transaction(engine, log):
    s = legacy(bind=engine, autocommit=True)
    s.add(Thing(name="a"))
    s.flush()
    log.clear()
    dup = Thing(name="a")
    s.add(dup)
    with pytest.raises(IntegrityError):
        s.flush()
    assert log == ["BEGIN", "INSERT", "ROLLBACK"]
    # the flush's own transaction is gone: nothing to roll back, the session goes on
    assert s.get_transaction() is None
    assert s.is_active is False  # (outside a transaction, as in this mode always)
    dup.name = "b"
    s.add(dup)
    s.flush()
    assert committed(engine) == ["a", "b"]
    s.close()


def test_autocommit_expired_load_needs_no_transaction(engine):
    s = legacy(bind=engine, autocommit=True)
    a = Thing(name="a")
    s.add(a)
    s.flush()
    assert a.name == "a" and not s.in_transaction()
    a.name = "b"  # a change begins nothing either
    assert not s.in_transaction()
    s.flush()
    assert committed(engine) == ["b"]
    s.close()


# -- 0.4's transactional= --------------------------------------------------------------------

def test_transactional_true_is_the_default(engine, log):
    # 0.4: "Set up this Session to automatically begin transactions."
    with pytest.warns(DeprecationWarning, match=r"transactional=True is the default"):
        s = Session(engine, transactional=True)
    assert s.autocommit is False
    s.add(Thing(name="a"))
    s.flush()
    assert s.in_transaction()
    s.rollback()
    assert committed(engine) == []
    s.close()


def test_transactional_false_is_autocommit(engine):
    with pytest.warns(DeprecationWarning, match=r"transactional=False is the legacy autocommit"):
        s = Session(engine, transactional=False)
    assert s.autocommit is True
    s.add(Thing(name="a"))
    s.flush()
    assert not s.in_transaction()
    assert committed(engine) == ["a"]
    s.close()


def test_sessionmaker_transactional(engine):
    # 0.4's sessionmaker(transactional=True) default: accepted when given, warned per Session
    maker = sessionmaker(bind=engine, transactional=True)
    with pytest.warns(DeprecationWarning, match="transactional"):
        s = maker()
    assert s.autocommit is False
    s.close()


# -- begin(subtransactions=True) -------------------------------------------------------------

def sub(s):
    with pytest.warns(DeprecationWarning, match="subtransactions=True"):
        return s.begin(subtransactions=True)


def test_begin_inside_a_transaction_needs_subtransactions(engine):
    # 0.7 begin(): "If this Session is already within a transaction ... an error is raised,
    # unless subtransactions=True or nested=True is specified."
    s = Session(engine)
    s.begin()
    with pytest.raises(InvalidRequestError, match="already begun"):
        s.begin()
    t = sub(s)
    assert t.parent is s.get_transaction() and not t.nested
    assert t.origin.name == "SUBTRANSACTION"
    s.close()


def test_subtransaction_commit_only_ends_it(engine, log):
    # 0.7 commit(): "If a subtransaction is in effect (which occurs when begin() is called
    # multiple times), the subtransaction will be closed, and the next call to commit() will
    # operate on the enclosing transaction."
    s = Session(engine)
    s.begin()
    t = sub(s)
    s.add(Thing(name="a"))
    s.commit()  # the subtransaction: flushes, no COMMIT
    assert not t.is_active and s.in_transaction()
    assert log == ["BEGIN", "INSERT"]
    assert committed(engine) == []
    s.commit()
    assert log == ["BEGIN", "INSERT", "COMMIT"]
    assert committed(engine) == ["a"]
    s.close()


def test_subtransaction_without_a_transaction_begins_the_root(engine):
    s = Session(engine, autobegin=False)
    t = sub(s)
    assert t.parent is None and t.origin.name == "BEGIN"
    s.add(Thing(name="a"))
    s.commit()
    assert committed(engine) == ["a"]
    s.close()


def test_subtransaction_rollback_makes_the_outer_inactive(engine, log):
    # 0.7 rollback(): "rolls back the current transaction or nested transaction regardless
    # of subtransactions being in effect"; the enclosing transaction then refuses work:
    # "This Session's transaction has been rolled back by a nested rollback() call.  To
    # begin a new transaction, issue Session.rollback() first."
    s = Session(engine)
    s.begin()
    a = Thing(name="a")
    s.add(a)
    s.flush()
    t = sub(s)
    s.add(Thing(name="b"))
    t.rollback()
    assert log == ["BEGIN", "INSERT", "ROLLBACK"]
    assert s.in_transaction() and not s.is_active
    with pytest.raises(InvalidRequestError, match="rolled back by a nested rollback"):
        s.execute(select(Thing))
    with pytest.raises(InvalidRequestError, match="rolled back by a nested rollback"):
        s.commit()
    s.rollback()
    assert s.is_active and not s.in_transaction()
    assert a not in s and committed(engine) == []
    s.close()


def test_session_rollback_with_a_subtransaction_rolls_back_that_level(engine):
    s = Session(engine)
    s.begin()
    sub(s)
    s.add(Thing(name="a"))
    s.rollback()  # the subtransaction only: the root stays, inactive
    assert s.in_transaction() and not s.is_active
    s.rollback()
    assert not s.in_transaction()
    s.close()


def test_subtransaction_context_managers(engine):
    # the seeds' library pattern: functions that each "begin(subtransactions=True)"
    s = Session(engine)

    def save(name):
        with sub(s):
            s.add(Thing(name=name))

    with s.begin():
        save("a")
        save("b")
        assert committed(engine) == []
    assert committed(engine) == ["a", "b"]
    with pytest.raises(IntegrityError), s.begin():
        save("c")
        save("c")  # UNIQUE: the inner block rolls back, the outer one ends
    assert not s.in_transaction()
    assert committed(engine) == ["a", "b"]
    s.close()


def test_subtransactions_in_autocommit_mode(engine):
    s = legacy(bind=engine, autocommit=True)
    s.begin()
    t = sub(s)
    s.add(Thing(name="a"))
    t.commit()
    assert s.in_transaction()
    s.commit()
    assert not s.in_transaction() and committed(engine) == ["a"]
    s.close()


# -- the seeds' names ------------------------------------------------------------------------

def test_session_transaction_attribute(engine):
    # 0.8: "transaction: The current active or inactive SessionTransaction."
    s = Session(engine)
    with pytest.warns(DeprecationWarning, match=r"get_transaction\(\)"):
        root = s.transaction  # autobegins, as the seeds' Session had always begun
    assert root is s.get_transaction() and root.is_active
    sp = s.begin_nested()
    with pytest.warns(DeprecationWarning):
        assert s.transaction is sp
    s.close()
    a = legacy(bind=engine, autocommit=True)
    with pytest.warns(DeprecationWarning):
        assert a.transaction is None
    a.close()


def test_create_transaction_is_begin(engine):
    s = Session(engine)
    with pytest.warns(DeprecationWarning, match="use begin"):
        t = s.create_transaction()
    assert t is s.get_transaction() and t.origin.name == "BEGIN"
    s.close()
