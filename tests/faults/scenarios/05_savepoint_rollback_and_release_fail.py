"""Faults while a SAVEPOINT ends: ROLLBACK TO SAVEPOINT of a savepoint whose flushed work
is discarded, then the outer transaction goes on (a query, a second savepoint whose
SAVEPOINT, flush and RELEASE can fail) and commits (the Core COMMIT is a position too).
Whatever fails, the state is compared, the next operation's error too; then ``rollback()``,
the whole work redone without faults (with new objects for the rows the rollback made
transient), committed."""

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
    pets = relationship("Pet", backref="owner")


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


class Pet(Base):
    __tablename__ = "pet"
    id = Column(Integer, primary_key=True)
    name = Column(String(20), unique=True)
    owner_id = Column(ForeignKey("parent.id"))


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
p0 = Parent(name="p0", children=[Child(name="c0")])
s.add(p0)
s.commit()
(c0,) = p0.children
p1 = Parent(id=10, name="p1")
c1 = Child(id=10, name="c1")


def outer_work():
    p0.name = "outer"
    s.add(p1)
    s.flush()


def discarded_work():
    c0.name = "discarded"
    s.delete(p1)
    s.add(c1)
    s.flush()


def inner_work():
    c1.parent = p1
    c0.parent = p1
    s.add(c1)


objs = dict(p0=p0, c0=c0, p1=p1, c1=c1)
state("transaction start", s, **objs)
outer_work()
sp = s.begin_nested()
discarded_work()
state("before savepoint rollback", s, **objs)
arm(eng, commit=True)
failed = False
with expect_error("savepoint rollback, outer goes on, commit"):
    try:
        sp.rollback()
        state("after savepoint rollback", s, **objs)
        s.scalars(select(Parent).order_by(Parent.id)).all()
        sp2 = s.begin_nested()
        inner_work()
        sp2.commit()
        state("after second savepoint", s, **objs)
        s.commit()
    except Exception:
        failed = True
        raise
disarm()
state("after failure", s, **objs)
if failed:
    committed_unchanged("after failure")
    with expect_error("next operation"):
        s.scalars(select(Parent)).all()
    s.rollback()
    state("after rollback", s, **objs)
    # objects flushed and then rolled back are transient with expired attributes: new ones
    p1 = Parent(id=10, name="p1")
    c1 = Child(id=10, name="c1")
    objs.update(p1=p1, c1=c1)
    outer_work()
    sp = s.begin_nested()
    discarded_work()
    sp.rollback()
    sp2 = s.begin_nested()
    inner_work()
    sp2.commit()
    s.commit()
state("after commit", s, **objs)
s.close()
