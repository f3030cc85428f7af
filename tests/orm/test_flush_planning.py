"""Failures while a flush is planned: a cycle no order resolves, a SELECT that fails while
collections are loaded for the plan.  Both fail the flush (and a FlushStepper) like an error
in its SQL does: rolled back, session needing rollback()."""

import pytest
import sqlalchemy.exc as sa_exc
from models import Address, User, new_session
from sqlalchemy import Column, ForeignKey, Integer, String, create_engine, event

from inspector import FlushStepper
from inspector.orm import Session, declarative_base, inspect, relationship
from inspector.orm import event as orm_event
from inspector.orm.unitofwork import Action

Base = declarative_base()


class Node(Base):
    __tablename__ = "nodes"
    id = Column(Integer, primary_key=True)
    parent_id = Column(Integer, ForeignKey("nodes.id"))
    name = Column(String(50))
    parent = relationship("Node", remote_side=[id])


def _node_session():
    engine = create_engine("sqlite://")
    Base.metadata.create_all(engine)
    return Session(engine)


def _cycle(s):
    a, b = Node(name="a"), Node(name="b")
    a.parent, b.parent = b, a
    s.add_all([a, b])
    return a, b


def test_cycle_is_circular_dependency_error_with_its_actions():
    s = _node_session()
    a, b = _cycle(s)
    with pytest.raises(sa_exc.CircularDependencyError) as info:
        s.flush()
    err = info.value
    assert str(err).startswith("Circular dependency detected. (")
    # as SQLAlchemy's: the actions' reprs name the objects
    assert "_SaveUpdateState(<Node at 0x" in str(err)
    assert "_ProcessState(_ManyToOneDP(Node.parent), <Node at 0x" in str(err)
    assert len(err.cycles) == 4 and all(isinstance(n, Action) for n in err.cycles)
    assert {n.state for n in err.cycles} == {inspect(a), inspect(b)}
    # edges: every (before, after) pair of the graph; the cycle's own edges are among them
    inside = {(x, y) for x, y in err.edges if x in err.cycles and y in err.cycles}
    assert len(inside) == 4
    assert all(err.graph.edges[x, y]["reason"] for x, y in inside)


def test_cycle_leaves_the_session_needing_rollback():
    s = _node_session()
    a, b = _cycle(s)
    with pytest.raises(sa_exc.CircularDependencyError):
        s.flush()
    assert not s.is_active
    with pytest.raises(sa_exc.PendingRollbackError, match="previous exception during flush"):
        s.query(Node).all()
    s.rollback()
    assert inspect(a).transient and inspect(b).transient
    a.parent = None
    s.add_all([a, b])
    s.commit()
    assert b.parent_id == a.id


def test_cycle_in_a_stepper_fails_the_same_way():
    s = _node_session()
    _cycle(s)
    with pytest.raises(sa_exc.CircularDependencyError):
        FlushStepper(s)
    assert s.flush_stepper is None
    assert not s.is_active
    with pytest.raises(sa_exc.PendingRollbackError):
        s.query(Node).all()
    s.rollback()
    assert list(s.new) == []


def _failing_address_selects(engine, switch):
    @event.listens_for(engine, "before_cursor_execute")
    def fail(conn, cursor, statement, *args):
        if switch["on"] and statement.startswith("SELECT") and "FROM addresses" in statement:
            raise RuntimeError("addresses SELECT failed")


def _user_with_unloaded_addresses():
    s, engine = new_session()
    u = User(name="ann", addresses=[Address(email="a@x")])
    s.add(u)
    s.commit()
    s.close()
    s = Session(engine)
    switch = {"on": False}
    _failing_address_selects(engine, switch)
    return s, s.get(User, 1), switch


@pytest.mark.parametrize("how", ["flush", "stepper"])
def test_failing_select_while_planning_needs_rollback(how):
    s, u, switch = _user_with_unloaded_addresses()
    s.delete(u)  # the plan loads u.addresses to de-associate them
    switch["on"] = True
    with pytest.raises(RuntimeError, match="addresses SELECT failed"):
        if how == "flush":
            s.flush()
        else:
            FlushStepper(s)
    switch["on"] = False
    assert not s.is_active and s.flush_stepper is None
    with pytest.raises(sa_exc.PendingRollbackError,
                       match="rolled back due to a previous exception during flush.*"
                             "addresses SELECT failed"):
        s.get(User, 1)
    s.rollback()
    assert inspect(u).persistent and list(s.deleted) == []
    s.delete(u)
    s.commit()
    assert inspect(u).detached


def test_before_flush_error_is_not_a_failed_flush():
    # as in SQLAlchemy: before_flush runs before the flush's transaction begins
    s, _ = new_session()
    s.add(User(name="ann"))

    def boom(session, ctx, instances):
        raise ValueError("no")

    orm_event.listen(s, "before_flush", boom)
    with pytest.raises(ValueError):
        s.flush()
    assert s.is_active
    orm_event.remove(s, "before_flush", boom)
    s.commit()


def test_no_connection_for_the_flush_fails_it_like_any_error(tmp_path):
    # as SQLAlchemy: the flush's subtransaction rolls back, the pending object is expunged,
    # and a second flush has nothing left to do
    engine = create_engine("sqlite:///%s" % (tmp_path / "missing" / "x.db"))
    s = Session(engine)
    u = User(name="ann")
    s.add(u)
    with pytest.raises(sa_exc.OperationalError):
        s.flush()
    assert not s.is_active and inspect(u).transient
    s.flush()
    s.rollback()
    assert s.is_active and list(s.new) == []


def test_self_referential_rows_are_ordered_object_by_object():
    s = _node_session()
    top = Node(id=3, name="top")
    mid = Node(id=2, name="mid", parent=top)
    low = Node(id=1, name="low", parent=mid)
    s.add(low)
    plan = s._plan_flush()
    assert ["INSERT/UPDATE Node", "sync keys Node.parent"] in plan.cycles
    inserts = [st.states[0] for st in plan.steps if st.kind == "save"]
    assert inserts == [inspect(top), inspect(mid), inspect(low)]  # against the id order
    s.commit()
    for n in (low, mid, top):
        s.delete(n)
    plan = s._plan_flush()
    deletes = [st.states for st in plan.steps if st.kind == "delete"]
    assert deletes == [[inspect(low)], [inspect(mid)], [inspect(top)]]
    assert ["DELETE Node", "DELETE Node"] in plan.cycles
    s.commit()


class Pet(Base):
    __tablename__ = "pets"
    id = Column(Integer, primary_key=True)
    name = Column(String(50))


def test_cycle_after_other_work_runs_that_work_then_fails_at_the_cycle_step():
    """As SQLAlchemy's sort: rows that can be ordered are written first (and rolled back
    with the flush); the plan ends in a step that raises the cycle."""
    s = _node_session()
    pet = Pet(name="rex")
    s.add(pet)
    a, b = _cycle(s)
    stepper = FlushStepper(s)
    last = stepper.plan.steps[-1]
    assert last.kind == "cycle" and len(last.actions) >= 2
    assert [st.kind for st in stepper.plan.steps[:-1]] == ["save"]  # INSERT pets
    record = stepper.step()
    assert record.statements and "INSERT INTO pets" in record.statements[0].sql
    with pytest.raises(sa_exc.CircularDependencyError):
        stepper.step()
    assert not s.is_active
    with pytest.raises(sa_exc.PendingRollbackError, match="previous exception during flush"):
        s.get(Pet, 1)
    s.rollback()
    assert inspect(pet).transient and inspect(a).transient
