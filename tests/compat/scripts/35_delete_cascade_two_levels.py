"""delete() cascades through two levels of 'all, delete-orphan' (loaded and unloaded
collections): the grandchildren are deleted too, children before parents."""

from harness import check, engine, expect_error, members, names, value
from sqlalchemy import Column, ForeignKey, Integer, String, select
from sqlalchemy.orm import Session, declarative_base, relationship

Base = declarative_base()


class A(Base):
    __tablename__ = "a"
    id = Column(Integer, primary_key=True)
    bs = relationship("B", cascade="all, delete-orphan", backref="a")


class B(Base):
    __tablename__ = "b"
    id = Column(Integer, primary_key=True)
    a_id = Column(ForeignKey("a.id"))
    cs = relationship("C", cascade="all, delete-orphan", backref="b")


class C(Base):
    __tablename__ = "c"
    id = Column(Integer, primary_key=True)
    b_id = Column(ForeignKey("b.id"))


eng = engine()
Base.metadata.create_all(eng)

s = Session(eng)
a1 = A(bs=[B(cs=[C()])])
a2 = A(bs=[B(cs=[C()])])
s.add_all([a1, a2])
s.commit()
b = a1.bs[0]
c1 = b.cs[0]
b2 = B(cs=[C()])  # a second child, added to a persistent parent
a1.bs.append(b2)
s.commit()
s.delete(a1)  # loaded collections
members("deleted", s.deleted)
s.commit()
check("after commit", a1=a1, b=b, b2=b2, c1=c1)
s.close()

s = Session(eng)
s.delete(s.get(A, 2))  # nothing loaded
s.commit()
value("c rows", s.scalars(select(C.id)).all())
s.close()
