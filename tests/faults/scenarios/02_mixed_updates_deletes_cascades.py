"""A flush mixing UPDATEs, DELETEs with cascades and INSERTs over five tables: a committed
parent renamed, another deleted with its children and their toys (cascade "all,
delete-orphan", collections loaded by the delete), a child moved to a new parent, a toy
removed from its child (orphan DELETE) and a new one added, a parent's pet re-owned.
Every statement of ``delete()``'s loads and of the flush fails in turn.  (The orphaned toy is
not compared: SQLAlchemy looks at the many-to-one ``maker`` of the deleted toys one by one,
in ``set`` order, until one has a value, so whether ``ta.maker`` ends up loaded changes
from run to run.)"""

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
p0 = Parent(name="p0", children=[Child(name="c0a", toys=[Toy(name="ta")]), Child(name="c0b")])
p1 = Parent(name="p1", children=[Child(name="c1a", toys=[Toy(name="tb"), Toy(name="tc")])])
pet = Pet(name="rex", owner=p0)
s.add_all([p0, p1, pet])
s.commit()
c0a, c0b = sorted(p0.children, key=lambda c: c.name)
(c1a,) = p1.children
ta = c0a.toys[0]
p2 = Parent(id=10, name="p2")
t_new = Toy(id=10, name="t_new")


def work():
    p0.name = "p0 renamed"
    s.delete(p1)
    c0b.parent = p2
    s.add(p2)
    c0a.toys.remove(ta)
    pet.owner = p2
    c0a.toys.append(t_new)


objs = dict(p0=p0, p1=p1, p2=p2, c0a=c0a, c0b=c0b, c1a=c1a, t_new=t_new,
            pet=pet)
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
        s.scalars(select(Parent)).all()
    s.rollback()
    state("after rollback", s, **objs)
    work()
    state("work redone", s, **objs)
s.commit()
state("after commit", s, **objs)
s.close()
