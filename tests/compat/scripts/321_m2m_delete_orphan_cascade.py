"""Many-to-many with cascade (test_cascade's many-to-many): delete-orphan with
single_parent removes a member that leaves its only parent and cascades on to the
member's own children; cascade="all" deletes the members when the parent goes; a member
of two parents under single_parent raises; assigning None into a collection raises at
flush."""

from harness import check, engine, expect_error, value
from sqlalchemy import Column, ForeignKey, Integer, String, Table, select
from sqlalchemy.orm import Session, declarative_base, relationship

Base = declarative_base()

a_b = Table("a_b", Base.metadata,
            Column("a_id", ForeignKey("a.id"), primary_key=True),
            Column("b_id", ForeignKey("b.id"), primary_key=True))
b_c = Table("b_c", Base.metadata,
            Column("b_id", ForeignKey("b.id"), primary_key=True),
            Column("c_id", ForeignKey("c.id"), primary_key=True))


class A(Base):
    __tablename__ = "a"
    id = Column(Integer, primary_key=True)
    bs = relationship("B", secondary=a_b, cascade="all, delete-orphan", single_parent=True,
                      order_by="B.id")


class B(Base):
    __tablename__ = "b"
    id = Column(Integer, primary_key=True)
    name = Column(String(20))
    cs = relationship("C", secondary=b_c, cascade="all, delete-orphan", single_parent=True,
                      order_by="C.id")


class C(Base):
    __tablename__ = "c"
    id = Column(Integer, primary_key=True)


def rows():
    return [sorted(tuple(r) for r in s.execute(select(a_b))),
            sorted(tuple(r) for r in s.execute(select(b_c))),
            sorted(tuple(r) for r in s.execute(select(B.id))),
            sorted(tuple(r) for r in s.execute(select(C.id)))]


eng = engine()
Base.metadata.create_all(eng)

s = Session(eng)
b1 = B(id=1, name="b1", cs=[C(id=1)])
a = A(id=1, bs=[b1])
s.add(a)
s.commit()
b2 = B(id=2, name="b2", cs=[C(id=2)])
a.bs.append(b2)
s.commit()
value("start", rows())
a.bs.remove(b1)
s.commit()
check("orphan cascade", b1=b1)
value("after remove", rows())

a2 = A(id=2)
s.add(a2)
with expect_error("second parent"):
    a2.bs.append(b2)
s.rollback()

a.bs.append(None)
with expect_error("None in collection"):
    s.flush()
s.rollback()

s.delete(a)
s.commit()
check("parent deleted", a=a, b2=b2)
value("end", rows())
s.close()
