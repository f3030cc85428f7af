"""ROLLBACK TO SAVEPOINT itself fails (a Core before_cursor_execute hook raises): the error
propagates, yet the savepoint level is closed and its snapshot restored (objects inserted in
it transient, deleted ones back, changed ones expired); the outer transaction stays usable,
takes a new savepoint and commits."""

import sqlite3

from harness import check, engine, expect_error, members, value
from sqlalchemy import Column, Integer, String, event, select
from sqlalchemy.orm import Session, declarative_base

Base = declarative_base()


class User(Base):
    __tablename__ = "users"
    id = Column(Integer, primary_key=True)
    name = Column(String(50))


eng = engine()
Base.metadata.create_all(eng)
s = Session(eng)
u1 = User(name="u1")
u2 = User(name="u2")
s.add_all([u1, u2])
s.commit()
u1.name = "outer"
sp = s.begin_nested()
u3 = User(name="u3")
s.add(u3)
u1.name = "inner"
s.delete(u2)
s.flush()


def fail_rollback_to(conn, cursor, statement, parameters, context, executemany):
    if statement.startswith("ROLLBACK TO SAVEPOINT"):
        raise sqlite3.OperationalError("injected fault")


event.listen(eng, "before_cursor_execute", fail_rollback_to)
with expect_error("savepoint rollback"):
    sp.rollback()
event.remove(eng, "before_cursor_execute", fail_rollback_to)
check("after failed savepoint rollback", u1=u1, u2=u2, u3=u3)
value("in nested", s.in_nested_transaction())
value("in transaction", s.in_transaction())
value("savepoint active", sp.is_active)
members("new", s.new)
members("deleted", s.deleted)
with expect_error("outer usable"):
    value("names", s.scalars(select(User.name).order_by(User.id)).all())
sp2 = s.begin_nested()
u4 = User(name="u4")
s.add(u4)
sp2.commit()
s.commit()
check("after commit", u1=u1, u2=u2, u3=u3, u4=u4)
value("names", s.scalars(select(User.name).order_by(User.id)).all())
s.close()
