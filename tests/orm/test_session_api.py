"""Session API beyond what the oracle has: the deprecated 0.x names (each warns, naming its
replacement), merge(dont_load=), scoped_session across concurrent threads, identity tokens
through a flush, prune(); plus what the compat scripts cannot see (warning categories)."""

import gc
import threading
import warnings

import pytest
from models import Address, User, new_session
from sqlalchemy import create_engine, event, select
from sqlalchemy.exc import InvalidRequestError, NoResultFound, SADeprecationWarning, SAWarning

import inspector.orm as orm
from inspector.orm import Session, create_session, scoped_session, sessionmaker


@pytest.fixture
def session():
    s, engine = new_session()
    s.add_all([User(name="ed", addresses=[Address(email="e1")]), User(name="wendy")])
    s.commit()
    yield s
    s.close()
    engine.dispose()


# -- the 0.4 names ---------------------------------------------------------------------------
def test_save_adds_transient_only(session):
    u = User(name="new")
    with pytest.warns(SADeprecationWarning, match=r"Session.save\(\).*Session.add\(\)"):
        session.save(u)
    assert u in session.new
    ed = session.get(User, 1)
    with pytest.warns(SADeprecationWarning), \
            pytest.raises(InvalidRequestError, match="already has an identity"):
        session.save(ed)


def test_update_adds_detached_only(session):
    ed = session.get(User, 1)
    session.expunge(ed)
    with pytest.warns(SADeprecationWarning, match=r"Session.update\(\).*Session.add\(\)"):
        session.update(ed)
    assert orm.inspect(ed).persistent
    with pytest.warns(SADeprecationWarning), \
            pytest.raises(InvalidRequestError, match="is not persisted"):
        session.update(User(name="transient"))


def test_save_or_update_is_add(session):
    a = Address(email="x")
    u = User(name="u", addresses=[a])
    with pytest.warns(SADeprecationWarning, match="save_or_update"):
        session.save_or_update(u)
    assert a in session.new and u in session.new  # the save-update cascade, as add()


def test_load_discards_pending_changes_and_raises_when_missing(session):
    ed = session.get(User, 1)
    ed.name = "unsaved"
    session.autoflush = False
    with pytest.warns(SADeprecationWarning, match=r"get_one\(.*populate_existing=True\)"):
        same = session.load(User, 1)
    assert same is ed and ed.name == "ed" and not session.dirty
    with pytest.warns(SADeprecationWarning), pytest.raises(NoResultFound):
        session.load(User, 99)
    assert issubclass(NoResultFound, InvalidRequestError)  # what 0.4's load raised


def test_clear_is_expunge_all(session):
    ed = session.get(User, 1)
    with pytest.warns(SADeprecationWarning, match="expunge_all"):
        session.clear()
    assert orm.inspect(ed).detached and not list(session)


def test_close_all_classmethod(session):
    ed = session.get(User, 1)
    with pytest.warns(SADeprecationWarning, match=r"close_all_sessions\(\)"):
        Session.close_all()
    assert orm.inspect(ed).detached


def test_prune_counts_collected_entries(session):
    ed = session.get(User, 1)
    ed.name = "modified"  # held strongly until flushed: never pruned
    session.get(User, 2)
    gc.collect()
    with pytest.warns(SADeprecationWarning, match="prunes itself"):
        pruned = session.prune()
    assert pruned == 0  # the weak map had already dropped wendy
    assert ed in session and len(session.identity_map) == 1


def test_merge_dont_load_alias(session):
    ed = session.get(User, 1)
    session.expunge(ed)
    s2 = Session(session.bind)
    with pytest.warns(SADeprecationWarning, match="load=False"):
        m = s2.merge(ed, dont_load=True)
    assert orm.inspect(m).persistent and not s2.dirty and not s2.new
    with pytest.raises(TypeError, match="unexpected keyword argument 'nope'"):
        s2.merge(ed, nope=1)
    s2.close()


def test_merge_load_false_emits_no_sql(session):
    ed = session.get(User, 1)
    session.expunge(ed)
    statements = []
    event.listen(session.bind, "before_cursor_execute",
                 lambda *a: statements.append(a[2]))
    s2 = Session(session.bind)
    m = s2.merge(ed, load=False)
    assert statements == [] and m is not ed
    assert orm.inspect(m).key == orm.inspect(ed).key
    s2.close()


def test_create_session_defaults():
    engine = create_engine("sqlite://")
    s = create_session(engine)
    assert (s.autoflush, s.expire_on_commit, s.bind) == (False, False, engine)
    # 0.6's third default is not 2.1's: asked for, it is the warned legacy mode as in Session
    with pytest.warns(DeprecationWarning, match="legacy autocommit mode"):
        legacy = create_session(engine, autocommit=True)
    assert legacy.autocommit and not legacy.in_transaction()


# -- scoped_session --------------------------------------------------------------------------
def test_scoped_session_threads_run_concurrently():
    engine = create_engine("sqlite://")
    registry = scoped_session(sessionmaker(bind=engine))
    barrier = threading.Barrier(4)
    seen = {}

    def work(i):
        barrier.wait()  # all four threads hold their Session at the same time
        first = registry()
        barrier.wait()
        seen[i] = (first, registry() is first)
        registry.remove()

    threads = [threading.Thread(target=work, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    sessions = [s for s, _ in seen.values()]
    assert len({id(s) for s in sessions}) == 4
    assert all(stable for _, stable in seen.values())
    assert not registry.registry.has()


def test_scoped_session_configure_warns_and_reaches_new_sessions():
    registry = scoped_session(sessionmaker())
    registry.configure(autoflush=False)  # no Session yet: no warning
    first = registry()
    with pytest.warns(SAWarning, match="already present"):
        registry.configure(expire_on_commit=False)
    assert first.expire_on_commit
    registry.remove()
    assert registry().expire_on_commit is False and registry().autoflush is False


def test_scoped_session_proxies_everything_sqlalchemy_does():
    import sqlalchemy.orm.scoping as sa_scoping

    ours = {n for n in dir(scoped_session) if not n.startswith("_")}
    theirs = {n for n in dir(sa_scoping.scoped_session) if not n.startswith("_")}
    assert theirs <= ours
    assert scoped_session.add.__doc__ and scoped_session.new.__doc__


def test_scoped_session_proxy_of_a_method_we_lack_says_so():
    registry = scoped_session(sessionmaker())
    missing = [n for n in ("bulk_save_objects", "bulk_insert_mappings", "binds")
               if not hasattr(registry(), n)]
    assert missing, "the test needs a Session method we lack"
    for name in missing:
        with pytest.raises(NotImplementedError, match=name):
            getattr(registry, name)([]) if name != "binds" else registry.binds  # noqa: B018
    registry.remove()


def test_query_property_custom_class_gets_the_class(session):
    registry = scoped_session(sessionmaker(bind=session.bind))
    got = []

    class MyQuery(orm.Query):
        def __init__(self, entities, session=None):
            got.append(entities)
            super().__init__(entities, session=session)

    prop = registry.query_property(MyQuery)
    assert [u.name for u in prop.__get__(None, User).order_by(User.id)] == ["ed", "wendy"]
    assert got == [User]
    registry.remove()


# -- identity tokens and get() options --------------------------------------------------------
def test_identity_token_survives_a_flush(session):
    tok = session.get(User, 1, identity_token="t")
    tok.name = "via token"
    session.flush()
    assert orm.inspect(tok).key == (User, (1,), "t")
    assert session.get(User, 1, identity_token="t") is tok


def test_get_with_for_update_renders_for_update_where_the_dialect_does(session):
    stmt = []
    event.listen(session.bind, "before_cursor_execute", lambda *a: stmt.append(a[2]))
    session.get(User, 1, with_for_update=True)
    assert "FOR UPDATE" not in stmt[-1]  # SQLite has none
    from sqlalchemy.dialects import postgresql

    from inspector.orm.loading import _pk_select

    compiled = _pk_select(User.__mapper__, (1,))[0].with_for_update(nowait=True).compile(
        dialect=postgresql.dialect())
    assert "FOR UPDATE NOWAIT" in str(compiled)
    with pytest.raises(Exception, match="with_for_update must be"):
        session.get(User, 1, with_for_update="yes")


def test_enable_relationship_loading_lazy_loads_collection(session):
    u = User(id=1, name="shadow")
    session.expunge_all()
    session.enable_relationship_loading(u)
    assert [a.email for a in u.addresses] == ["e1"]
    assert u not in session


def test_merge_into_session_with_stepper_refused(session):
    from inspector.orm import FlushStepper

    session.add(User(name="x"))
    stepper = FlushStepper(session)
    with pytest.raises(orm.exc.FlushInProgressError):
        session.merge(User(id=5, name="y"))
    stepper.abort()


def test_populate_existing_autoflushes_first_unless_disabled(session):
    ed = session.get(User, 1)
    ed.name = "changed"
    session.get(User, 1, populate_existing=True)  # the autoflush writes the change first
    assert ed.name == "changed"
    ed.name = "lost"
    with session.no_autoflush:
        session.get(User, 1, populate_existing=True)
    assert ed.name == "changed" and not session.dirty
    assert session.scalars(select(User.name).where(User.id == 1)).one() == "changed"


def test_no_warnings_from_plain_use(session):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        session.merge(User(id=2, name="w"))
        session.flush()
