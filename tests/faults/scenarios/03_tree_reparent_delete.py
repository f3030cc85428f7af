"""A self-referential tree changed in one flush together with the table it refers to: a
leaf re-parented to the root, the middle node deleted, a new node inserted under the leaf,
the leaf pointed at a new Toy (inserted first).  Every statement fails in turn."""

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
root = Node(name="root")
s.add(root)
s.flush()
mid = Node(name="mid", parent_node=root)
s.add(mid)
s.flush()
leaf = Node(name="leaf", parent_node=mid)
s.add(leaf)
s.commit()
n_new = Node(name="new")
t_new = Toy(name="t_new")


def work():
    leaf.parent_node = root
    leaf.toy = t_new
    s.delete(mid)
    n_new.parent_node = leaf
    s.add_all([n_new, t_new])


objs = dict(root=root, mid=mid, leaf=leaf, n_new=n_new, t_new=t_new)
state("transaction start", s, **objs)
arm(eng)
failed = False
with expect_error("work and flush"):
    try:
        work()
        s.flush()
    except Exception:
        failed = True
        raise
disarm()
committed_unchanged("after flush")
state("after flush", s, **objs)
if failed:
    with expect_error("next operation"):
        s.scalars(select(Node)).all()
    s.rollback()
    state("after rollback", s, **objs)
    work()
    state("work redone", s, **objs)
s.commit()
state("after commit", s, **objs)
s.close()
