"""Autoflush and plain loads: pending work, then a query (its autoflush, then its SELECT),
a lazy load of an unloaded collection, a refresh of an expired object and ``get()`` of a
row not in the identity map.  Each statement fails in turn: a failure inside the autoflush
leaves the session needing a rollback (the query reports it with SQLAlchemy's autoflush
note), a failing SELECT outside a flush does not.  Then ``rollback()``, the work redone,
committed."""

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
p0 = Parent(name="p0", children=[Child(name="c0", toys=[Toy(name="t0")])], pets=[Pet(name="rex")])
s.add(p0)
s.commit()
s.close()
s = Session(eng)
p0 = s.get(Parent, 1)
objs = {}


def work():
    objs["c1"] = Child(id=10, name="c1", parent=p0)
    p0.name = "renamed"
    s.add(objs["c1"])
    found = s.scalars(select(Child).where(Child.name == "c1")).all()
    objs["toys"] = list(s.get(Child, 1).toys)
    s.refresh(p0)
    objs["pet"] = s.get(Pet, 1)
    return found


state("transaction start", s, p0=p0)
arm(eng)
failed = False
with expect_error("work"):
    try:
        work()
    except Exception:
        failed = True
        raise
disarm()
committed_unchanged("after failure")
state("after failure", s, p0=p0, **{k: v for k, v in objs.items() if k != "toys"})
if failed:
    with expect_error("next operation"):
        s.scalars(select(Parent)).all()
    s.rollback()
    state("after rollback", s, p0=p0)
    work()
s.commit()
state("after commit", s, p0=p0, c1=objs["c1"], pet=objs["pet"])
s.close()
