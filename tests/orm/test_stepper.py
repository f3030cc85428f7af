"""FlushStepper: plan before SQL, one step at a time, abort, and abandonment."""

import gc
import sqlite3

import pytest
from models import Address, User, new_session

from inspector import FlushStepper
from inspector.orm import inspect
from inspector.orm.exc import FlushInProgressError


def _user():
    u = User(name="ann")
    u.addresses = [Address(email="a@x"), Address(email="b@x")]
    return u


def test_plan_exists_before_any_sql_and_orders_parent_first():
    s, engine = new_session()
    s.add(_user())
    stepper = FlushStepper(s)
    labels = [step.label for step in stepper.plan.steps]
    assert labels.index("INSERT/UPDATE User") < labels.index("INSERT/UPDATE Address")
    assert stepper.executed == [] and stepper.current is stepper.plan.steps[0]
    assert all("reason" in d for _, _, d in stepper.plan.graph.edges(data=True))
    stepper.abort()


def test_step_by_step_then_done():
    s, _ = new_session()
    u = _user()
    s.add(u)
    stepper = FlushStepper(s)
    first = stepper.step()
    assert first.statements[0].sql.startswith("INSERT INTO users")
    assert u.id == 1 and inspect(u).status == "pending"
    stepper.run()
    assert stepper.done and stepper.status == "complete"
    assert [inspect(a).status for a in u.addresses] == ["persistent", "persistent"]
    assert {a.user_id for a in u.addresses} == {1}


def test_operations_blocked_while_open_with_a_helpful_message():
    s, _ = new_session()
    s.add(_user())
    stepper = FlushStepper(s)
    with pytest.raises(FlushInProgressError, match="stepper.abort"):
        s.commit()
    with pytest.raises(FlushInProgressError):
        s.query(User).all()
    stepper.abort()
    s.commit()


def test_abort_restores_objects_and_database(tmp_path):
    s, engine = new_session(tmp_path / "db.sqlite")
    keep = User(name="keep")
    s.add(keep)
    s.commit()
    keep.name = "renamed"
    u = _user()
    s.add(u)
    stepper = FlushStepper(s)
    stepper.step()
    stepper.step()
    stepper.abort()
    assert inspect(u).status == "pending" and u.id is None
    assert keep.name == "renamed" and keep in s.dirty
    assert [inspect(a).status for a in u.addresses] == ["pending", "pending"]
    s.commit()
    rows = sqlite3.connect(tmp_path / "db.sqlite").execute(
        "select name from users order by id").fetchall()
    assert rows == [("renamed",), ("ann",)]


def test_abort_after_an_earlier_flush_keeps_that_flush(tmp_path):
    s, engine = new_session(tmp_path / "db.sqlite")
    first = User(name="first")
    s.add(first)
    s.flush()
    s.add(User(name="second", addresses=[Address(email="second@x")]))  # a plan of 3 steps
    stepper = FlushStepper(s)
    stepper.step()
    stepper.abort()
    assert inspect(first).status == "persistent"
    s.commit()
    rows = sqlite3.connect(tmp_path / "db.sqlite").execute("select name from users").fetchall()
    assert rows == [("first",), ("second",)]


def test_abandoned_stepper_rolls_back_and_releases_the_lock(tmp_path):
    s, engine = new_session(tmp_path / "db.sqlite")
    s.add(_user())
    stepper = FlushStepper(s)
    stepper.step()
    del stepper
    gc.collect()
    other = sqlite3.connect(tmp_path / "db.sqlite", timeout=0.5)
    other.execute("insert into users (name) values ('other')")  # no "database is locked"
    other.commit()
    assert other.execute("select name from users").fetchall() == [("other",)]
    assert s.flush_stepper is None


def test_failed_step_leaves_session_needing_rollback():
    s, _ = new_session()
    s.add(User(name=None))
    stepper = FlushStepper(s)
    with pytest.raises(Exception, match="NOT NULL"):
        stepper.step()
    assert stepper.status == "failed"
    from sqlalchemy.exc import PendingRollbackError

    with pytest.raises(PendingRollbackError, match="previous exception during flush"):
        s.query(User).all()
    s.rollback()
    assert s.query(User).all() == []


def test_planning_a_delete_loads_children_without_flushing_first():
    s, engine = new_session()
    s.add(_user())
    s.commit()
    emitted = []
    from sqlalchemy import event

    event.listen(engine, "before_cursor_execute",
                 lambda conn, cur, stmt, params, ctx, many: emitted.append(stmt))
    s.delete(s.get(User, 1))
    emitted.clear()
    stepper = FlushStepper(s)  # the plan lazy-loads User.addresses to unlink them
    assert [stmt.split()[0] for stmt in emitted] == ["SELECT"]
    records = stepper.run()
    assert [st.sql.split()[0] for r in records for st in r.statements] == ["UPDATE", "DELETE"]
    assert all(st.rowcount for r in records for st in r.statements)
