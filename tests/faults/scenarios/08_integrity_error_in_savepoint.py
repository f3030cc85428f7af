"""A real constraint violation inside a SAVEPOINT: the outer transaction has flushed work,
``begin_nested()``, then a flush whose INSERT breaks the unique name of ``pet``.  The
IntegrityError rolls back to the SAVEPOINT only; ``sp.rollback()`` ends it and the outer
transaction, with its flushed work, stays usable: the data is fixed in a new SAVEPOINT and
everything commits.  The injected faults hit every statement up to the violation in turn
(the outer flush, SAVEPOINT, the inner flush)."""

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
p0 = Parent(name="p0", pets=[Pet(name="rex")])
s.add(p0)
s.commit()
(rex,) = p0.pets
p1 = Parent(id=10, name="p1")
dup = Pet(id=10, name="rex")
fixed = Pet(id=11, name="rex 2")


def outer_work():
    p0.name = "outer"
    s.add(p1)


def inner_work(pet):
    p1.name = "inner"
    pet.owner = p1
    rex.owner = p1
    s.add(pet)


objs = dict(p0=p0, rex=rex, p1=p1, dup=dup, fixed=fixed)
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
    with expect_error("inner flush"):
        try:
            inner_work(dup)
            s.flush()
        except Exception:
            failed = "inner"
            raise
disarm()
committed_unchanged("after failure")
state("after failure", s, **objs)
with expect_error("next operation"):
    s.scalars(select(Parent)).all()
if failed == "inner":
    sp.rollback()
    state("after savepoint rollback", s, **objs)
    with expect_error("outer transaction usable"):
        s.scalars(select(Parent).order_by(Parent.id)).all()
else:
    s.rollback()
    state("after rollback", s, **objs)
    p1 = Parent(id=10, name="p1")
    objs["p1"] = p1
    outer_work()
sp = s.begin_nested()
inner_work(fixed)
sp.commit()
s.commit()
state("after commit", s, **objs)
s.close()
