"""``commit()`` after a flush: some work is flushed first (``flush()``), more is left
pending, then ``commit()`` flushes the rest and COMMITs.  Every statement of both flushes
and the Core COMMIT itself fail in turn; then the session must demand a rollback (a failed
flush) or report the failed COMMIT as SQLAlchemy does, ``rollback()`` must bring back the
transaction's start, and redoing the work and committing must give the rows of a run
without a fault."""

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
p0 = Parent(name="p0", children=[Child(name="c0", toys=[Toy(name="t0")])])
s.add(p0)
s.commit()
(c0,) = p0.children
(t0,) = c0.toys
objs = {}


def make():
    objs.update(p1=Parent(id=10, name="p1"), c1=Child(id=10, name="c1"),
                t1=Toy(id=10, name="t1"))


def first_work():
    p0.name = "first"
    objs["p1"].children = [objs["c1"]]
    s.add(objs["p1"])


def second_work():
    objs["c1"].toys = [objs["t1"]]
    objs["t1"].maker = p0
    s.delete(t0)
    c0.parent = objs["p1"]


make()
state("transaction start", s, p0=p0, c0=c0, t0=t0, **objs)
arm(eng, commit=True)
failed = False
with expect_error("flush, more work, commit"):
    try:
        first_work()
        s.flush()
        second_work()
        s.commit()
    except Exception:
        failed = True
        raise
disarm()
state("after failure", s, p0=p0, c0=c0, t0=t0, **objs)
if failed:
    committed_unchanged("after failure")
    with expect_error("next operation"):
        s.scalars(select(Parent)).all()
    s.rollback()
    state("after rollback", s, p0=p0, c0=c0, t0=t0, **objs)
    make()  # objects flushed, then rolled back, are transient with expired attributes
    first_work()
    s.flush()
    second_work()
    s.commit()
state("after commit", s, p0=p0, c0=c0, t0=t0, **objs)
s.close()
