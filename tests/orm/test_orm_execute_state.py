"""ORMExecuteState: what a do_orm_execute listener can and cannot use (the compat script
193 compares the shared attributes with SQLAlchemy; this covers the refusals)."""

import pytest
from models import User, new_session
from sqlalchemy import event, insert, select, text
from sqlalchemy.exc import InvalidRequestError

from inspector.orm import ORMExecuteState


@pytest.fixture
def session():
    s, engine = new_session()
    s.add(User(name="ed"))
    s.commit()
    yield s
    s.close()
    engine.dispose()


def capture(session):
    seen = []
    event.listen(session, "do_orm_execute", seen.append)
    return seen


def test_sqlalchemy_loader_internals_are_refused(session):
    seen = capture(session)
    session.execute(select(User)).all()
    state = seen[0]
    assert isinstance(state, ORMExecuteState) and "Select" in repr(state)
    for name in ("load_options", "update_delete_options", "loader_strategy_path"):
        with pytest.raises(NotImplementedError, match=name):
            getattr(state, name)
    assert state.user_defined_options == []


def test_not_a_select_has_no_load_options(session):
    seen = capture(session)
    session.execute(text("UPDATE users SET name = 'x'"))
    with pytest.raises(InvalidRequestError, match="not against a SELECT"):
        seen[0].lazy_loaded_from  # noqa: B018


def test_update_execution_options_reaches_the_execution(session):
    @event.listens_for(session, "do_orm_execute")
    def no_autoflush(state):
        state.update_execution_options(autoflush=False)

    session.add(User(name="pending"))
    assert session.scalars(select(User.name)).all() == ["ed"]  # not flushed
    assert [u.name for u in session.new] == ["pending"]


def test_invoke_statement_executemany_needs_as_many_parameter_sets(session):
    @event.listens_for(session, "do_orm_execute")
    def again(state):
        if state.is_insert:
            return state.invoke_statement(params=[{"name": "a"}])
        return None

    with pytest.raises(InvalidRequestError, match=r"number of parameter sets .* \(2\) .* \(1\)"):
        session.execute(insert(User), [{"name": "x"}, {"name": "y"}])


def test_invoke_statement_bind_arguments_are_refused(session):
    @event.listens_for(session, "do_orm_execute")
    def rebind(state):
        return state.invoke_statement(bind_arguments={"mapper": None})

    with pytest.raises(NotImplementedError, match="bind_arguments"):
        session.execute(select(User))


def test_no_listener_no_state(session):
    """Without listeners the execution path builds nothing (the cheap check)."""
    assert not session.dispatch.do_orm_execute
    assert session.scalars(select(User.name)).all() == ["ed"]
