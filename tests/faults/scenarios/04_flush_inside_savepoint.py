"""A flush inside ``begin_nested()``: the outer transaction has pending work that
``begin_nested()`` flushes first, then the SAVEPOINT, then the inner work is flushed inside
it.  The outer flush's statements, SAVEPOINT itself and the inner flush's statements each
fail in turn.  A failure inside the SAVEPOINT is rolled back to it (``sp.rollback()``): the
outer transaction must stay usable, its flushed work kept, and commit with the redone inner
work.  A failure before the SAVEPOINT exists fails the whole transaction: ``rollback()``,
redo everything, commit."""

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
t1 = Toy(id=10, name="t1")


def outer_work():
    p0.name = "outer"
    p1.children = [c1]
    s.add(p1)


def inner_work():
    c1.toys = [t1]
    t1.maker = p0
    c0.parent = p1
    p1.name = "inner"


objs = dict(p0=p0, c0=c0, p1=p1, c1=c1, t1=t1)
state("transaction start", s, **objs)
outer_work()
arm(eng)
sp = None
failed = None
with expect_error("begin_nested"):
    try:
        sp = s.begin_nested()
    except Exception:
        failed = "outer"
        raise
if sp is not None:
    state("in savepoint", s, **objs)
    with expect_error("inner work and flush"):
        try:
            inner_work()
            s.flush()
        except Exception:
            failed = "inner"
            raise
disarm()
committed_unchanged("after failure")
state("after failure", s, **objs)
if failed:
    with expect_error("next operation"):
        s.scalars(select(Parent)).all()
if failed == "inner":
    sp.rollback()
    state("after savepoint rollback", s, **objs)
    with expect_error("outer transaction usable"):
        s.scalars(select(Parent).order_by(Parent.id)).all()
    sp = s.begin_nested()
    inner_work()
    sp.commit()
elif failed == "outer":
    s.rollback()
    state("after rollback", s, **objs)
    outer_work()
    sp = s.begin_nested()
    inner_work()
    sp.commit()
else:
    sp.commit()
state("before commit", s, **objs)
s.commit()
state("after commit", s, **objs)
s.close()
