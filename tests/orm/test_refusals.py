"""What inspector.orm does not implement raises instead of running with other semantics:
ORM-enabled statements and execution options, Session / sessionmaker arguments, method keywords."""

import pytest
from models import Address, User, new_session
from sqlalchemy import event, func, select, union, update
from sqlalchemy.exc import ArgumentError

from inspector.orm import Session, relationships, sessionmaker


@pytest.fixture
def session():
    s, engine = new_session()
    s.add_all([User(name="ed"), User(name="wendy")])
    s.commit()
    yield s
    s.close()
    engine.dispose()


@pytest.mark.parametrize("run", [
    lambda s: s.execute(update(User), {"id": 1, "name": "x"}),
    lambda s: s.execute(select(User).execution_options(populate_existing=True)),
    lambda s: s.execute(select(User), execution_options={"yield_per": 10}),
    lambda s: s.execute(update(User).where(User.id == 1).values(name="x").returning(User.id)),
    lambda s: s.execute(update(User).where(User.id == 1), [{"id": 1, "name": "x"}]),
    lambda s: s.execute(update(User).values(name="x"), [{"id": 1, "name": "x"}]),
    lambda s: s.execute(update(User).values(name="x"), execution_options={"render_nulls": True}),
    lambda s: s.execute(union(select(User), select(User))),
], ids=["update-one-dict", "populate_existing", "yield_per", "returning",
        "bulk-with-where", "bulk-with-values", "dml-option", "union-of-entities"])
def test_unimplemented_orm_statements_raise(session, run):
    with pytest.raises(NotImplementedError):
        run(session)


def test_core_statements_stay_core(session):
    users = User.__table__
    result = session.execute(update(users).values(name="all"))  # no WHERE: every row, as Core
    assert result.rowcount == 2
    rows = session.execute(union(select(User.name), select(Address.email))).all()
    assert sorted(rows) == [("all",)]
    assert session.execute(select(func.count()).select_from(users),
                           execution_options={"stream_results": True}).scalar() == 2


def test_core_execution_options_pass_through_orm_statements(session):
    # Core's options (and an application's own) go on to Connection.execute(), as in
    # SQLAlchemy; only the ORM's own options this ORM lacks are refused (above)
    seen = []
    event.listen(session.get_bind(), "before_execute",
                            lambda conn, clause, mp, p, opts: seen.append(dict(opts)))
    names = session.scalars(select(User.name).order_by(User.id),
                            execution_options={"stream_results": True, "mine": 1}).all()
    assert names == ["ed", "wendy"]
    assert seen[-1]["stream_results"] is True and seen[-1]["mine"] == 1


@pytest.mark.parametrize("kw", [
    {"close_resets_only": False},
])
def test_session_arguments_not_implemented(kw):
    with pytest.raises(NotImplementedError, match=next(iter(kw))):
        Session(**kw)
    with pytest.raises(NotImplementedError, match=next(iter(kw))):
        sessionmaker(**kw)
    maker = sessionmaker()
    with pytest.raises(NotImplementedError):
        maker(**kw)
    with pytest.raises(NotImplementedError):
        maker.configure(**kw)


def test_session_arguments_refused_as_sqlalchemy_2_does():
    # (autocommit=True and 0.4's transactional= are the seeds' legacy modes, accepted with a
    # DeprecationWarning: tests/orm/test_legacy_transactions.py)
    with pytest.raises(TypeError, match="unexpected keyword argument 'nope'"):
        Session(nope=1)
    Session(autocommit=False, future=True, twophase=False, binds=None,
            enable_baked_queries=False, join_transaction_mode="rollback_only")


def test_join_transaction_mode_with_a_connection():
    s, engine = new_session()
    with engine.connect() as conn:
        for mode in ("conditional_savepoint", "create_savepoint", "rollback_only",
                     "control_fully"):
            assert Session(conn, join_transaction_mode=mode).join_transaction_mode == mode
        with pytest.raises(ArgumentError, match="invalid selection for join_transaction_mode"):
            Session(conn, join_transaction_mode="conservative_savepoint")
    engine.dispose()


@pytest.mark.parametrize("run", [
    lambda s, u: s.get(User, 1, options=[object()]),
    lambda s, u: s.get(User, 1, execution_options={"yield_per": 1}),
    lambda s, u: s.merge(u, options=[object()]),
], ids=["get-options", "get-exec-options", "merge-options"])
def test_method_arguments_not_implemented(session, run):
    u = session.get(User, 1)
    with pytest.raises(NotImplementedError):
        run(session, u)


def test_get_bind_and_query_keywords(session):
    assert session.get_bind(bind="other") == "other"
    # as SQLAlchemy's, get_bind() takes extra keywords (bind_arguments a subclass reads)
    assert session.get_bind(nope=1) is session.bind
    with pytest.raises(TypeError):
        session.query(User).join(Address, nope=True)
    assert session.query(User).join(Address, isouter=True).count() == 2


@pytest.mark.parametrize("kw, error", [
    ({"lazy": "joined"}, NotImplementedError),
    ({"lazy": "dynamic"}, NotImplementedError),
    ({"collection_class": dict}, NotImplementedError),
    ({"no_such_argument": 1}, TypeError),
])
def test_relationship_arguments_we_do_not_implement_are_refused(kw, error):
    with pytest.raises(error, match="lazy|collection_class|"
                                    "no_such_argument"):
        relationships.relationship("User", **kw)


def test_relationship_arguments_that_change_nothing_are_accepted():
    prop = relationships.relationship("User", lazy="select", doc="d", overlaps="x",
                                      post_update=False, passive_updates=True)
    assert not prop.post_update and prop.passive_updates
    assert prop.lazy == "select"
