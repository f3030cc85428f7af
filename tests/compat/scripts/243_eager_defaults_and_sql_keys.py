"""eager_defaults=True: server defaults and server_onupdate values fetched in the flush
(RETURNING on INSERT and UPDATE); eager_defaults=False: expired, loaded on access; primary
keys from a SQL expression and from a server default; a composite natural key."""

from harness import check, engine, value
from sqlalchemy import Column, FetchedValue, Integer, String, func, literal_column, select, text
from sqlalchemy.orm import Session, declarative_base

Base = declarative_base()


class Eager(Base):
    __tablename__ = "eager"
    id = Column(Integer, primary_key=True)
    name = Column(String(20))
    created = Column(String(10), server_default=text("'c'"))
    stamp = Column(String(10), server_default=text("'s0'"), server_onupdate=FetchedValue())
    __mapper_args__ = {"eager_defaults": True}


class Lazy(Base):
    __tablename__ = "lazy"
    id = Column(Integer, primary_key=True)
    name = Column(String(20))
    created = Column(String(10), server_default=text("'c'"))
    __mapper_args__ = {"eager_defaults": False}


class Coded(Base):
    __tablename__ = "coded"
    code = Column(String(10), primary_key=True, server_default=text("'auto'"))
    name = Column(String(20))


class Pair(Base):
    __tablename__ = "pairs"
    a = Column(Integer, primary_key=True, autoincrement=False)
    b = Column(String(5), primary_key=True)
    note = Column(String(20))


eng = engine()
Base.metadata.create_all(eng)
s = Session(eng)
e1, e2 = Eager(name="x"), Eager(name="y")
l1 = Lazy(name="z")
s.add_all([e1, e2, l1])
s.flush()
value("eager loaded", [sorted(k for k in e.__dict__ if not k.startswith("_")) for e in (e1, e2)])
value("lazy loaded", sorted(k for k in l1.__dict__ if not k.startswith("_")))
value("lazy", l1.created)
e1.name = "x2"
e2.name = "y2"
s.flush()
value("eager after update", sorted(k for k in e1.__dict__ if not k.startswith("_")))
value("eager values", (e1.created, e1.stamp))
k1 = Coded(name="server key")
k2 = Coded(code=func.upper("abc"), name="sql key")
s.add_all([k1, k2])
s.flush()
check("keys", k1=k1, k2=k2)
value("codes", (k1.code, k2.code))
p1, p2 = Pair(a=1, b="x", note="one"), Pair(a=1, b="y", note="two")
s.add_all([p1, p2])
s.flush()
p1.note = "one!"
p2.b = "z"
s.flush()
check("pairs", p1=p1, p2=p2)
s.delete(p1)
s.flush()
s.commit()
for t in (Eager, Coded, Pair):
    value(t.__tablename__, [tuple(r) for r in s.execute(select(t.__table__))])
s.close()
