"""Cycles no INSERT/UPDATE/DELETE order can resolve (no post_update): raise
CircularDependencyError, roll the flush back, and leave the session needing rollback()
(PendingRollbackError) like any failed flush.  Self-referential many-to-one among new
objects, among persistent objects (UPDATE), a DELETE cycle, and two tables whose rows
point at each other.  Not a cycle: a row and the row it references (never loaded as an
object) deleted in one flush, the referring row first."""

from harness import check, engine, members, value
from sqlalchemy import Column, ForeignKey, Integer, String, select
from sqlalchemy.orm import Session, declarative_base, relationship

Base = declarative_base()


class Node(Base):
    __tablename__ = "nodes"
    id = Column(Integer, primary_key=True)
    parent_id = Column(Integer, ForeignKey("nodes.id"))
    name = Column(String(50))
    parent = relationship("Node", remote_side=[id])


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


def fails(label, fn):
    """Record the error's type and how many flush actions its cycle holds (SQLAlchemy's
    message lists them in set order, so the message itself is not compared)."""
    try:
        fn()
    except Exception as e:  # noqa: BLE001
        value(label, [type(e).__name__, len(getattr(e, "cycles", ()))])
    else:
        value(label, "no exception raised")


eng = engine()
Base.metadata.create_all(eng)

# new objects pointing at each other
s = Session(eng)
keep = Node(name="keep")
s.add(keep)
s.commit()
a, b = Node(name="a"), Node(name="b")
a.parent, b.parent = b, a
s.add_all([a, b])
fails("flush with a cycle", lambda: s.flush())
value("is_active", s.is_active)
check("after failed flush", a=a, b=b, keep=keep)
fails("query after the cycle", lambda: s.scalars(select(Node)).all())
fails("commit after the cycle", lambda: s.commit())
s.rollback()
check("after rollback", a=a, b=b, keep=keep)
value("session usable", [n.name for n in s.scalars(select(Node))])

# three new objects in a ring, through autoflush of a query
x, y, z = Node(name="x"), Node(name="y"), Node(name="z")
x.parent, y.parent, z.parent = y, z, x
s.add(x)
fails("autoflush with a ring", lambda: s.scalars(select(Node)).all())
check("ring after failed autoflush", x=x, y=y, z=z)
s.rollback()
members("new after rollback", s.new)
s.close()

# persistent rows made to point at each other: the UPDATEs form a cycle too
s = Session(eng)
p, q = Node(name="p"), Node(name="q")
s.add_all([p, q])
s.commit()
p.parent = q
q.parent = p
fails("update cycle", lambda: s.commit())
s.rollback()
value("after rollback", [p.parent_id, q.parent_id])
# built one flush at a time it works; deleting both at once is a cycle
p.parent = q
s.flush()
q.parent = p
s.commit()
value("linked", [p.parent is q, q.parent is p])
s.delete(p)
s.delete(q)
fails("delete cycle", lambda: s.flush())
check("after delete cycle", p=p, q=q)
s.rollback()
check("after rollback", p=p, q=q)
s.close()

# no cycle: a child and its parent deleted together, the reference never loaded
with Session(eng) as s:
    s.add(Node(id=10, name="root"))
    s.flush()
    s.add(Node(id=11, name="kid", parent_id=10))
    s.commit()
s = Session(eng)
kid, root = s.get(Node, 11), s.get(Node, 10)
s.delete(root)
s.delete(kid)
s.commit()
check("deleted kid and root", kid=kid, root=root)
s.close()

# inside a SAVEPOINT: only the savepoint is rolled back
s = Session(eng)
keep2 = Node(name="keep2")
s.add(keep2)
s.flush()
sp = s.begin_nested()
c, d = Node(name="c"), Node(name="d")
c.parent, d.parent = d, c
s.add_all([c, d])
fails("cycle in a savepoint", lambda: s.flush())
fails("query in the failed savepoint", lambda: s.scalars(select(Node)).all())
sp.rollback()
check("after the savepoint rollback", c=c, d=d, keep2=keep2)
s.commit()
value("committed", sorted(n.name for n in s.scalars(select(Node))))
s.close()

# two tables whose new rows point at each other
s = Session(eng)
left, right = Left(id=1), Right(id=1)
left.right, right.left = right, left
s.add(left)
fails("two-table cycle", lambda: s.commit())
s.rollback()
check("two tables after rollback", left=left, right=right)
s.close()
