"""Two tables each with a one-to-many into the other (test_cycles' bidirectional
one-to-many): a row in each pointing at a row of the other is a cycle that post_update on
one side resolves; inserting both, moving one, deleting both; and a third table of
children under one of them."""

from harness import check, engine, value
from sqlalchemy import Column, ForeignKey, Integer, String, select
from sqlalchemy.orm import Session, declarative_base, relationship

Base = declarative_base()


class T1(Base):
    __tablename__ = "t1"
    id = Column(Integer, primary_key=True)
    t2_id = Column(Integer, ForeignKey("t2.id", name="t1_t2"))
    data = Column(String(20))
    t2s = relationship("T2", foreign_keys="T2.t1_id", post_update=True,
                       order_by="T2.id")
    kids = relationship("Kid", cascade="all, delete-orphan", order_by="Kid.id")


class T2(Base):
    __tablename__ = "t2"
    id = Column(Integer, primary_key=True)
    t1_id = Column(Integer, ForeignKey("t1.id"))
    data = Column(String(20))
    t1s = relationship("T1", foreign_keys=[T1.t2_id], order_by="T1.id")


class Kid(Base):
    __tablename__ = "kids"
    id = Column(Integer, primary_key=True)
    t1_id = Column(Integer, ForeignKey("t1.id"))


def rows():
    return [sorted(tuple(r) for r in s.execute(select(T1.id, T1.t2_id))),
            sorted(tuple(r) for r in s.execute(select(T2.id, T2.t1_id))),
            sorted(tuple(r) for r in s.execute(select(Kid.id, Kid.t1_id)))]


eng = engine()
Base.metadata.create_all(eng)

s = Session(eng, expire_on_commit=False)  # (a flush loads expired rows in set order)
a, b = T1(id=1, data="a"), T2(id=1, data="b")
a2, b2 = T1(id=2, data="a2"), T2(id=2, data="b2")
a.t2s.append(b)
b.t1s.append(a)
a.kids = [Kid(id=1), Kid(id=2)]
a2.t2s.append(b2)
b2.t1s.append(a2)
s.add_all([a, a2])
s.commit()
value("start", rows())

a.t2s.append(b2)  # b2 moves to a (post-update UPDATE)
b.t1s.append(a2)  # a2 moves to b
s.commit()
value("moved", rows())

a.t2s.remove(b)
b.t1s.remove(a)
s.delete(a)
s.delete(b)
s.commit()
check("deleted", a=a, b=b)
value("end", rows())
s.close()
