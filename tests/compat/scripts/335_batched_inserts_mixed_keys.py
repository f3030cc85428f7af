"""INSERT batching with mixed keys (test_unitofworkv2's batch inserts): new rows with and
without explicit primary keys, with a server default and a client SQL expression, and
with a column left out, in one flush: which go together as executemany and which one by
one (keys fetched), in what order."""

from harness import check, engine, value
from sqlalchemy import Column, FetchedValue, Integer, String, func, select, text
from sqlalchemy.orm import Session, declarative_base

Base = declarative_base()


class T(Base):
    __tablename__ = "t"
    id = Column(Integer, primary_key=True)
    data = Column(String(50))
    def_ = Column("def_", String(50), server_default=text("'sdefault'"))


class U(Base):
    __tablename__ = "u"
    id = Column(Integer, primary_key=True)
    data = Column(String(50))
    stamp = Column(String(50), server_default=FetchedValue())
    __mapper_args__ = {"eager_defaults": True}


eng = engine()
Base.metadata.create_all(eng)

s = Session(eng)
rows = [T(id=1, data="t1"), T(id=2, data="t2"), T(data="t3"), T(data="t4"),
        T(id=5, data="t5", def_="t5def"), T(id=6, data="t6", def_="t6def"),
        T(data="t7", def_="t7def"), T(id=8, data=func.lower("T8")),
        T(id=9, data="t9")]
s.add_all(rows)
s.flush()
check("flushed", t3=rows[2], t7=rows[6], t8=rows[7])
s.commit()
value("rows", sorted(tuple(r) for r in s.execute(select(T.id, T.data, T.def_))))
us = [U(id=1, data="a"), U(data="b"), U(id=3, data="c")]
s.add_all(us)
s.commit()
value("u", sorted(tuple(r) for r in s.execute(select(U.id, U.data, U.stamp))))
s.close()
