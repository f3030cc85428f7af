"""An expired row is part of a flush only because a backref changed its unloaded
collection (the new child is not even in the session): there is nothing to write for it,
and SQLAlchemy loads its key when it registers it persistent, after the flush's statements.
A failure of that SELECT (a Core before_cursor_execute hook) fails the flush: the session
needs a rollback, after which the flush is retried."""

import sqlite3

from harness import check, engine, expect_error, value
from sqlalchemy import Column, ForeignKey, Integer, String, event, select
from sqlalchemy.orm import Session, declarative_base, relationship

Base = declarative_base()


class Node(Base):
    __tablename__ = "node"
    id = Column(Integer, primary_key=True)
    name = Column(String(20))
    parent_id = Column(ForeignKey("node.id"))
    children = relationship("Node", back_populates="parent")
    parent = relationship("Node", back_populates="children", remote_side=[id])


eng = engine()
Base.metadata.create_all(eng)
s = Session(eng)
root = Node(name="root")
other = Node(name="other")
s.add_all([root, other])
s.commit()
loose = Node(name="loose")
loose.parent = root
other.name = "renamed"
s.flush()
check("flushed", root=root, other=other, loose=loose)
s.rollback()


def fail_select(conn, cursor, statement, parameters, context, executemany):
    if statement.startswith("SELECT"):
        raise sqlite3.OperationalError("injected fault")


loose2 = Node(name="loose2")
loose2.parent = root
other.name = "renamed"
event.listen(eng, "before_cursor_execute", fail_select)
with expect_error("flush"):
    s.flush()
event.remove(eng, "before_cursor_execute", fail_select)
check("after failure", root=root, other=other, loose2=loose2)
with expect_error("next operation"):
    s.scalars(select(Node)).all()
s.rollback()
other.name = "renamed"
s.commit()
value("names", s.scalars(select(Node.name).order_by(Node.id)).all())
s.close()
