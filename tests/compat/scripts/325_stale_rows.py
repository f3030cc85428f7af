"""Rows that are not there any more (test_unitofworkv2's stale checks): an UPDATE of a
row deleted behind the session's back (StaleDataError), a DELETE of such a row (a warning
"expected to delete 1 row(s); 0 were matched"), of two such rows at once, and with
confirm_deleted_rows=False (no warning); the session is usable after each."""

from harness import check, engine, expect_error, expect_warnings, value
from sqlalchemy import Column, Integer, String, delete, select
from sqlalchemy.orm import Session, declarative_base

Base = declarative_base()


class Thing(Base):
    __tablename__ = "things"
    id = Column(Integer, primary_key=True)
    data = Column(String(30))


class Loose(Base):
    __tablename__ = "loose"
    id = Column(Integer, primary_key=True)
    data = Column(String(30))
    __mapper_args__ = {"confirm_deleted_rows": False}


def behind_the_back(table, *ids):
    with eng.begin() as conn:
        conn.execute(delete(table).where(table.c.id.in_(ids)))


eng = engine()
Base.metadata.create_all(eng)

s = Session(eng, expire_on_commit=False)
t1, t2, t3, t4 = (Thing(id=i, data="t%d" % i) for i in range(1, 5))
l1 = Loose(id=1, data="l")
s.add_all([t1, t2, t3, t4, l1])
s.commit()

behind_the_back(Thing.__table__, 2)
s.delete(t2)
with expect_warnings("delete of a missing row"):
    s.commit()
check("after missing delete", t2=t2)

behind_the_back(Thing.__table__, 3, 4)
s.delete(t3)
s.delete(t4)
with expect_warnings("delete of two missing rows"):
    s.commit()

behind_the_back(Loose.__table__, 1)
s.delete(l1)
with expect_warnings("confirm_deleted_rows=False"):
    s.commit()
check("loose", l1=l1)

behind_the_back(Thing.__table__, 1)
t1.data = "changed"
with expect_error("update of a missing row"):
    s.flush()
s.rollback()
check("after stale update", t1=t1)

value("left", sorted(tuple(r) for r in s.execute(select(Thing.id))))
s.close()
