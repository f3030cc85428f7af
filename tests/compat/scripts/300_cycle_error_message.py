"""CircularDependencyError names the flush actions of the cycle as SQLAlchemy does: each
action's repr (_SaveUpdateState(<Node at 0x...>), _ProcessState(_ManyToOneDP(Node.parent),
<Node at 0x...>, delete=False), _DeleteState(...)), compared as a sorted list (SQLAlchemy
lists them in set order).  Insert, update and delete cycles, one and two tables, and a
one-to-many whose rows point at each other."""

import re

from harness import engine, value
from sqlalchemy import Column, ForeignKey, Integer, String
from sqlalchemy.orm import Session, declarative_base, relationship

Base = declarative_base()


class Node(Base):
    __tablename__ = "nodes"
    id = Column(Integer, primary_key=True)
    parent_id = Column(Integer, ForeignKey("nodes.id"))
    name = Column(String(50))
    parent = relationship("Node", remote_side=[id])


class Folder(Base):
    __tablename__ = "folders"
    id = Column(Integer, primary_key=True)
    parent_id = Column(Integer, ForeignKey("folders.id"))
    children = relationship("Folder")


class Left(Base):
    __tablename__ = "lefts"
    id = Column(Integer, primary_key=True)
    right_id = Column(Integer, ForeignKey("rights.id"))
    right = relationship("Right", foreign_keys=[right_id])


class Right(Base):
    __tablename__ = "rights"
    id = Column(Integer, primary_key=True)
    left_id = Column(Integer, ForeignKey("lefts.id"))
    left = relationship("Left", foreign_keys=[left_id])


def cycle(label, fn):
    try:
        fn()
    except Exception as e:  # noqa: BLE001
        text = re.sub(r" at 0x[0-9a-fA-F]+", " at 0x...", str(e))
        head, _, rest = text.partition(" (")
        value(label, [type(e).__name__, head,
                      sorted(re.sub(r" at 0x[0-9a-fA-F]+", "", repr(a)) for a in e.cycles),
                      len(rest) > 0])
    else:
        value(label, "no exception raised")


eng = engine()
Base.metadata.create_all(eng)

s = Session(eng)
a, b = Node(name="a"), Node(name="b")
a.parent, b.parent = b, a
s.add_all([a, b])
cycle("insert cycle", s.flush)
s.rollback()

f1, f2 = Folder(id=1), Folder(id=2)
f1.children.append(f2)
f2.children.append(f1)
s.add(f1)
cycle("one-to-many insert cycle", s.flush)
s.rollback()

left, right = Left(id=1), Right(id=1)
left.right, right.left = right, left
s.add(left)
cycle("two-table cycle", s.flush)
s.rollback()

p, q = Node(name="p"), Node(name="q")
s.add_all([p, q])
s.commit()
p.parent, q.parent = q, p
cycle("update cycle", s.flush)
s.rollback()
s.close()

s = Session(eng, expire_on_commit=False)  # (a flush loads expired rows in set order)
p, q = s.get(Node, 1), s.get(Node, 2)
p.parent = q
s.flush()
q.parent = p
s.commit()
s.delete(p)
s.delete(q)
cycle("delete cycle", s.flush)
s.rollback()
s.close()
