"""An expired persistent row that is part of a flush only because a backref changed its
unloaded collection has nothing to UPDATE: its key is not loaded by the save step, but by
the step that copies it into the new child (after the other INSERTs of its class), as
SQLAlchemy does.  A statement failing there (a Core before_cursor_execute hook) leaves the
session needing a rollback, and the retried flush writes the same rows."""

import sqlite3

from harness import check, engine, expect_error
from sqlalchemy import Column, ForeignKey, Integer, String, event, select
from sqlalchemy.orm import Session, declarative_base, relationship

Base = declarative_base()


class Parent(Base):
    __tablename__ = "parent"
    id = Column(Integer, primary_key=True)
    name = Column(String(20))
    children = relationship("Child", back_populates="parent")


class Child(Base):
    __tablename__ = "child"
    id = Column(Integer, primary_key=True)
    name = Column(String(20))
    parent_id = Column(ForeignKey("parent.id"))
    parent = relationship("Parent", back_populates="children")


eng = engine()
Base.metadata.create_all(eng)
s = Session(eng)
p0 = Parent(name="p0")
s.add(p0)
s.commit()


def work():
    p1 = Parent(name="p1", children=[Child(name="c1")])
    c2 = Child(name="c2", parent=p0)
    s.add_all([p1, c2])
    return p1, c2


p1, c2 = work()
s.flush()  # INSERT p1, then SELECT p0 (its key for c2), then the children
s.rollback()
p1, c2 = work()


def fail_loading_p0(conn, cursor, statement, parameters, context, executemany):
    if statement.startswith("SELECT parent"):
        raise sqlite3.OperationalError("injected fault")


event.listen(eng, "before_cursor_execute", fail_loading_p0)
with expect_error("flush"):
    s.flush()
check("after failure", p0=p0, p1=p1, c2=c2)
with expect_error("next operation"):
    s.scalars(select(Parent)).all()
event.remove(eng, "before_cursor_execute", fail_loading_p0)
s.rollback()
check("after rollback", p0=p0, p1=p1, c2=c2)
p1, c2 = work()
s.commit()
check("after commit", p0=p0, p1=p1, c2=c2)
s.close()
