"""A flush of inserts only, across four tables: a one-to-many + many-to-one chain
Parent -> Child -> Toy (and Toy.maker, a many-to-one to Parent without backref) and a
self-referential Node tree three levels deep, plus a new Child attached to a committed Parent.
Every statement of the flush fails in turn; after the failure the session must demand a
rollback, the rollback must put every object back to pending/persistent as before, and
redoing the work and committing must give the rows of a run without a fault."""

from faultkit import arm, committed_unchanged, disarm, state
from harness import engine, expect_error
from sqlalchemy import Column, ForeignKey, Integer, String, select
from sqlalchemy.orm import Session, backref, declarative_base, relationship

Base = declarative_base()


class Parent(Base):
    __tablename__ = "parent"
    id = Column(Integer, primary_key=True)
    name = Column(String(20))
    children = relationship("Child", back_populates="parent", cascade="all, delete-orphan")


class Child(Base):
    __tablename__ = "child"
    id = Column(Integer, primary_key=True)
    name = Column(String(20))
    parent_id = Column(ForeignKey("parent.id"))
    parent = relationship("Parent", back_populates="children")
    toys = relationship("Toy", backref="child", cascade="all, delete-orphan")


class Toy(Base):
    __tablename__ = "toy"
    id = Column(Integer, primary_key=True)
    name = Column(String(20))
    child_id = Column(ForeignKey("child.id"))
    maker_id = Column(ForeignKey("parent.id"))
    maker = relationship("Parent")


class Node(Base):
    __tablename__ = "node"
    id = Column(Integer, primary_key=True)
    name = Column(String(20))
    parent_id = Column(ForeignKey("node.id"))
    toy_id = Column(ForeignKey("toy.id"))
    toy = relationship("Toy")
    children = relationship("Node", backref=backref("parent_node", remote_side=[id]))


eng = engine()
Base.metadata.create_all(eng)
s = Session(eng)
p0 = Parent(name="p0")
s.add(p0)
s.commit()

p1 = Parent(name="p1")
c1 = Child(name="c1")
c2 = Child(name="c2")
c3 = Child(name="c3")
t1 = Toy(name="t1")
t2 = Toy(name="t2")
root = Node(name="root")
n1 = Node(name="n1")
n2 = Node(name="n2")


def work():
    p1.children = [c1, c2]
    c1.toys = [t1]
    c2.toys = [t2]
    t1.maker = p0
    t2.maker = p1
    c3.parent = p0
    root.toy = t2
    root.children = [n1]
    n1.children = [n2]
    s.add_all([p1, root, c3])


objs = dict(p0=p0, p1=p1, c1=c1, c2=c2, c3=c3, t1=t1, t2=t2, root=root, n1=n1, n2=n2)
state("transaction start", s, **objs)
work()
state("before flush", s, **objs)
arm(eng)
failed = False
with expect_error("flush"):
    try:
        s.flush()
    except Exception:
        failed = True
        raise
disarm()
committed_unchanged("after flush")
state("after flush", s, **objs)
if failed:
    with expect_error("next operation"):
        s.scalars(select(Parent)).all()
    s.rollback()
    state("after rollback", s, **objs)
    work()
    state("work redone", s, **objs)
s.commit()
state("after commit", s, **objs)
s.close()
