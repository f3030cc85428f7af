"""Two binds inside one Session transaction: begin_nested() puts a SAVEPOINT on each
connection the nested part uses (a bind first used inside it is begun there), rollback of
the nested part undoes the changes on both databases only, commit releases; an IntegrityError
on one bind leaves the session needing rollback(), which ends both transactions and restores
both objects."""

from harness import check, engine, expect_error, value
from sqlalchemy import Column, Integer, String, select
from sqlalchemy.orm import Session, declarative_base

Base = declarative_base()


class A(Base):
    __tablename__ = "a"
    id = Column(Integer, primary_key=True)
    v = Column(String(20))


class B(Base):
    __tablename__ = "b"
    id = Column(Integer, primary_key=True)
    v = Column(String(20), nullable=False)


ea, eb = engine(), engine()
A.__table__.create(ea)
B.__table__.create(eb)

s = Session(binds={A: ea, B: eb})
a1 = A(id=1, v="a1")
s.add(a1)
s.flush()  # only ea has a connection yet
sp = s.begin_nested()
b1 = B(id=1, v="b1")
a1.v = "a1 nested"
s.add(b1)
s.flush()  # eb's connection begins inside the SAVEPOINT level
check("in savepoint", a1=a1, b1=b1)
sp.rollback()
check("after savepoint rollback", a1=a1, b1=b1)
value("a1.v", a1.v)
value("b rows", s.scalars(select(B.id)).all())

with s.begin_nested():
    s.add(B(id=2, v="b2"))
    a1.v = "a1 kept"
s.commit()
value("committed a", s.scalars(select(A.v)).all())
value("committed b", s.scalars(select(B.id)).all())

a2, b3 = A(id=2, v="a2"), B(id=3, v=None)
s.add_all([a2, b3])
with expect_error("flush failing on eb"):
    s.flush()
with expect_error("use before rollback"):
    s.scalars(select(A)).all()
s.rollback()
check("after rollback", a2=a2, b3=b3)
value("a after rollback", sorted(s.scalars(select(A.id))))
s.close()
