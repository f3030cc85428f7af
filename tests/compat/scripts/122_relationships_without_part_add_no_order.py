"""A relationship takes part in a flush (orders its rows, syncs keys) only when one of the
flushed objects of its class has a value for it, or the related class has objects in the
flush too (never for a self-referential one), as SQLAlchemy decides.  So new rows of
classes whose relationships take no part are saved in class-name order: a Child without a
parent before a Node without a tree before a Toy without a child; then the same with the
relationships set, where the order follows them.  A failure injected at the second INSERT
(a Core before_cursor_execute hook) must find the same statement on both sides."""

import sqlite3

from harness import check, engine, expect_error
from sqlalchemy import Column, ForeignKey, Integer, String, event
from sqlalchemy.orm import Session, declarative_base, relationship

Base = declarative_base()


class Parent(Base):
    __tablename__ = "parent"
    id = Column(Integer, primary_key=True)
    name = Column(String(20))
    children = relationship("Child", backref="parent")


class Child(Base):
    __tablename__ = "child"
    id = Column(Integer, primary_key=True)
    name = Column(String(20))
    parent_id = Column(ForeignKey("parent.id"))
    toys = relationship("Toy", backref="child")


class Toy(Base):
    __tablename__ = "toy"
    id = Column(Integer, primary_key=True)
    name = Column(String(20))
    child_id = Column(ForeignKey("child.id"))


class Node(Base):
    __tablename__ = "node"
    id = Column(Integer, primary_key=True)
    name = Column(String(20))
    parent_id = Column(ForeignKey("node.id"))
    children = relationship("Node", back_populates="parent_node")
    parent_node = relationship("Node", back_populates="children", remote_side=[id])


eng = engine()
Base.metadata.create_all(eng)
s = Session(eng)
toy = Toy(name="toy")
node = Node(name="node")
child = Child(name="child")
s.add_all([toy, node, child])
s.flush()
check("alone", toy=toy, node=node, child=child)
s.commit()

n = {"count": 0}


def fail_second_insert(conn, cursor, statement, parameters, context, executemany):
    if statement.startswith("INSERT"):
        n["count"] += 1
        if n["count"] == 2:
            raise sqlite3.OperationalError("injected fault")


toy2 = Toy(name="toy2")
node2 = Node(name="node2")
child2 = Child(name="child2")
s.add_all([toy2, node2, child2])
event.listen(eng, "before_cursor_execute", fail_second_insert)
with expect_error("flush"):
    s.flush()
event.remove(eng, "before_cursor_execute", fail_second_insert)
check("after failure", toy2=toy2, node2=node2, child2=child2)
s.rollback()

p = Parent(name="p", children=[Child(name="c", toys=[Toy(name="t")])])
s.add(p)
s.commit()
check("related", p=p)
leaf = Node(name="leaf", parent_node=Node(name="root"))
s.add(leaf)
s.commit()
check("tree", leaf=leaf)
s.close()
