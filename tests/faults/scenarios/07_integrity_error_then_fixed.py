"""A real constraint violation, not injected: a flush whose last INSERT breaks the unique
name of ``pet`` (after INSERTs and UPDATEs of other tables ran).  The flush raises
IntegrityError, the session demands a rollback, ``rollback()`` brings back the transaction's
start, the data is fixed (another name) and the work redone and committed.  The injected
faults then hit every statement before the violation in turn."""

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
objs = {}


def make(pet_name):
    objs.update(p1=Parent(id=10, name="p1"), c1=Child(id=10, name="c1"),
                pet=Pet(id=10, name=pet_name))


def work():
    p0.name = "renamed"
    objs["p1"].children = [objs["c1"]]
    objs["pet"].owner = objs["p1"]
    rex.owner = objs["p1"]
    s.add(objs["p1"])


make("rex")
state("transaction start", s, p0=p0, rex=rex, **objs)
work()
arm(eng)
failed = False
with expect_error("flush"):
    try:
        s.flush()
    except Exception:
        failed = True
        raise
disarm()
committed_unchanged("after failure")
state("after failure", s, p0=p0, rex=rex, **objs)
with expect_error("next operation"):
    s.scalars(select(Parent)).all()
s.rollback()
state("after rollback", s, p0=p0, rex=rex, **objs)
make("rex 2")
work()
s.commit()
state("after commit", s, p0=p0, rex=rex, **objs)
s.close()
