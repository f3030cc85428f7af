"""Client-side default= / onupdate= (scalars and callables) are computed by Core and set on
the object; server_default / server_onupdate values are expired after the flush and loaded
on access (or returned by the INSERT: eager_defaults 'auto' with RETURNING); an attribute
set to a SQL expression is rendered into the statement and expired."""

import itertools

from harness import check, engine, value
from sqlalchemy import Column, FetchedValue, Integer, String, func, literal_column, select, text
from sqlalchemy.orm import Session, declarative_base

Base = declarative_base()
_n = itertools.count(100)


class Item(Base):
    __tablename__ = "items"
    id = Column(Integer, primary_key=True)
    name = Column(String(30))
    kind = Column(String(10), default="plain")
    serial = Column(Integer, default=lambda: next(_n))
    edits = Column(Integer, default=0, onupdate=lambda: next(_n))
    flag = Column(String(5), onupdate="upd")
    created = Column(String(20), server_default=text("'srv'"))
    touched = Column(String(20), server_onupdate=FetchedValue())


eng = engine()
Base.metadata.create_all(eng)
s = Session(eng)
a, b = Item(name="a"), Item(name="b", kind="special")
c = Item(id=50, name="c")
s.add_all([a, b, c])
s.flush()
value("dicts", [sorted(k for k in x.__dict__ if not k.startswith("_")) for x in (a, b, c)])
value("a", (a.kind, a.serial, a.edits, a.flag, a.created, a.touched))
value("c", (c.kind, c.serial, c.created))
a.name = "a2"
b.name = "b2"
s.flush()
value("after update", sorted(k for k in a.__dict__ if not k.startswith("_")))
value("a", (a.edits, a.flag, a.touched))
a.name = func.upper("expr")
b.serial = literal_column("7") + 1
s.flush()
check("expr", a=a, b=b)
value("expired", ["name" in a.__dict__, "serial" in b.__dict__])
value("values", (a.name, b.serial))
d = Item(name=func.lower("LOWER"), kind=literal_column("'lit'"))
s.add(d)
s.flush()
value("d", (d.id, d.name, d.kind))
s.commit()
value("rows", [tuple(r) for r in s.execute(select(Item.__table__).order_by(Item.id))])
s.close()
