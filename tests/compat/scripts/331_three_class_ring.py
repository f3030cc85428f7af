"""Three classes in a ring of many-to-ones (A -> B -> C -> A): no INSERT order works, so
one edge is post_update; inserts of a full ring, changing one link, deleting one row of
the ring (the links to it cleared first), and the same ring without post_update raising
CircularDependencyError."""

import re

from harness import check, engine, value
from sqlalchemy import Column, ForeignKey, Integer, select
from sqlalchemy.orm import Session, declarative_base, relationship

Base = declarative_base()


class A(Base):
    __tablename__ = "a"
    id = Column(Integer, primary_key=True)
    b_id = Column(Integer, ForeignKey("b.id"))
    b = relationship("B")


class B(Base):
    __tablename__ = "b"
    id = Column(Integer, primary_key=True)
    c_id = Column(Integer, ForeignKey("c.id"))
    c = relationship("C")


class C(Base):
    __tablename__ = "c"
    id = Column(Integer, primary_key=True)
    a_id = Column(Integer, ForeignKey("a.id", name="c_a"))
    a = relationship("A", post_update=True)


class X(Base):
    __tablename__ = "x"
    id = Column(Integer, primary_key=True)
    y_id = Column(Integer, ForeignKey("y.id"))
    y = relationship("Y")


class Y(Base):
    __tablename__ = "y"
    id = Column(Integer, primary_key=True)
    z_id = Column(Integer, ForeignKey("z.id"))
    z = relationship("Z")


class Z(Base):
    __tablename__ = "z"
    id = Column(Integer, primary_key=True)
    x_id = Column(Integer, ForeignKey("x.id", name="z_x"))
    x = relationship("X")


def rows():
    return [sorted(tuple(r) for r in s.execute(select(A.id, A.b_id))),
            sorted(tuple(r) for r in s.execute(select(B.id, B.c_id))),
            sorted(tuple(r) for r in s.execute(select(C.id, C.a_id)))]


eng = engine()
Base.metadata.create_all(eng)

s = Session(eng, expire_on_commit=False)
a, b, c = A(id=1), B(id=1), C(id=1)
a.b, b.c, c.a = b, c, a
s.add(a)
s.commit()
value("ring", rows())
a2 = A(id=2, b=b)
c.a = a2
s.commit()
value("relinked", rows())
c.a = None
a2.b = None
s.delete(b)
a.b = None
s.commit()
check("b deleted", b=b)
value("after delete", rows())

x, y, z = X(id=1), Y(id=1), Z(id=1)
x.y, y.z, z.x = y, z, x
s.add(x)
try:
    s.flush()
except Exception as e:  # noqa: BLE001
    value("no post_update", [type(e).__name__, sorted(
        re.sub(r" at 0x[0-9a-fA-F]+", "", repr(a)) for a in e.cycles)])
s.rollback()
s.close()
