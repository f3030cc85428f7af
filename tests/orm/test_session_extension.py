"""The 0.4-0.8 SessionExtension, accepted through Session(extension=) / sessionmaker(extension=)
and adapted onto Session events (SQLAlchemy 2.1 has no SessionExtension: no oracle; the
seeds' hooks and signatures are the spec)."""

import warnings

import pytest
from models import User, new_session
from sqlalchemy import create_engine, event
from sqlalchemy.exc import ArgumentError

from inspector.orm import Session, SessionExtension, sessionmaker
from inspector.orm.interfaces import EXTENSION_HOOKS
from inspector.orm.interfaces import SessionExtension as InterfacesSessionExtension


class Recorder(SessionExtension):
    """Every hook of the 0.7 seed, recording its name and arguments."""

    def __init__(self):
        self.calls = []

    def before_commit(self, session):
        self.calls.append(("before_commit", session))

    def after_commit(self, session):
        self.calls.append(("after_commit", session))

    def after_rollback(self, session):
        self.calls.append(("after_rollback", session))

    def before_flush(self, session, flush_context, objects):
        self.calls.append(("before_flush", session, flush_context is not None, objects))

    def after_flush(self, session, flush_context):
        self.calls.append(("after_flush", session, sorted(u.name for u in session.new)))

    def after_flush_postexec(self, session, flush_context):
        self.calls.append(("after_flush_postexec", session, len(session.new)))

    def after_begin(self, session, transaction, connection):
        self.calls.append(("after_begin", session, transaction.parent is None,
                           connection is not None))

    def after_attach(self, session, instance):
        self.calls.append(("after_attach", session, instance.name))

    def after_bulk_update(self, session, query, query_context, result):
        self.calls.append(("after_bulk_update", session, query is not None, query_context,
                           result.rowcount))

    def after_bulk_delete(self, session, query, query_context, result):
        self.calls.append(("after_bulk_delete", session, query is not None, query_context,
                           result.rowcount))

    def names(self):
        return [c[0] for c in self.calls]


@pytest.fixture
def engine():
    s, eng = new_session()
    s.close()
    yield eng
    eng.dispose()


def make(engine, extension, factory=Session):
    with pytest.warns(DeprecationWarning, match="event.listen"):
        return factory(engine, extension=extension) if factory is Session else \
            factory(extension=extension)


def test_exported_under_both_names():
    assert SessionExtension is InterfacesSessionExtension
    assert set(EXTENSION_HOOKS) == {n for n in vars(SessionExtension) if not n.startswith("_")}


def test_every_hook_with_the_seed_signature(engine):
    ext = Recorder()
    s = make(engine, ext)
    s.add(User(name="ed"))
    s.commit()
    assert ext.names() == ["after_attach", "before_commit", "before_flush", "after_begin",
                           "after_flush", "after_flush_postexec", "after_commit"]
    assert all(c[1] is s for c in ext.calls)
    assert ("before_flush", s, True, None) in ext.calls
    assert ("after_flush", s, ["ed"]) in ext.calls  # pre-flush state in after_flush
    assert ("after_flush_postexec", s, 0) in ext.calls
    assert ("after_begin", s, True, True) in ext.calls
    ext.calls.clear()

    assert s.query(User).filter_by(name="ed").update({"name": "eddie"}) == 1
    assert s.query(User).filter_by(name="nobody").delete() == 0
    s.rollback()
    assert [c for c in ext.calls if c[0].startswith("after_bulk")] == [
        ("after_bulk_update", s, True, None, 1), ("after_bulk_delete", s, True, None, 0)]
    assert ext.names()[-1] == "after_rollback"
    s.close()


def test_a_list_of_extensions_in_order(engine):
    order = []

    class First(SessionExtension):
        def before_commit(self, session):
            order.append("first")

    class Second(SessionExtension):
        def before_commit(self, session):
            order.append("second")

    s = make(engine, [First(), Second()])
    s.commit()
    assert order == ["first", "second"]


def test_only_overridden_hooks_listen(engine):
    class OnlyCommit(SessionExtension):
        def after_commit(self, session):
            pass

    ext = OnlyCommit()
    s = make(engine, ext)
    assert event.contains(s, "after_commit", ext.after_commit)
    assert not s.dispatch.before_commit and not s.dispatch.after_attach


def test_sessionmaker_extension_reaches_every_session(engine):
    ext = Recorder()
    with pytest.warns(DeprecationWarning):
        maker = sessionmaker(engine, extension=ext)
        s1, s2 = maker(), maker()
    s1.commit()
    s2.commit()
    assert [c[1] for c in ext.calls if c[0] == "after_commit"] == [s1, s2]


def test_the_hooks_are_session_events(engine):
    """An extension hook is an ordinary listener: removable with event.remove."""
    ext = Recorder()
    s = make(engine, ext)
    event.remove(s, "before_commit", ext.before_commit)
    s.commit()
    assert "before_commit" not in ext.names() and "after_commit" in ext.names()


def test_duck_typed_extension_and_garbage(engine):
    calls = []

    class Duck:
        def after_commit(self, session):
            calls.append(session)

    s = make(engine, Duck())
    s.commit()
    assert calls == [s]
    with warnings.catch_warnings(), pytest.raises(ArgumentError, match="SessionExtension"):
        warnings.simplefilter("ignore", DeprecationWarning)
        Session(engine, extension=object())


def test_no_extension_no_warning():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        Session(create_engine("sqlite://"), extension=None).close()
