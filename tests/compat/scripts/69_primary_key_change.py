"""Changing a parent's primary key with the database cascading it (ON UPDATE CASCADE, the
default passive_updates): one UPDATE of the parent; its loaded children get the new key in
memory only, without UPDATEs of their own, now or at commit."""

from harness import check, engine, value
from sqlalchemy import Column, ForeignKey, Integer, select
from sqlalchemy.orm import Session, declarative_base, relationship

Base = declarative_base()


class Order(Base):
    __tablename__ = "orders"
    id = Column(Integer, primary_key=True)
    items = relationship("Item", back_populates="order")


class Item(Base):
    __tablename__ = "items"
    id = Column(Integer, primary_key=True)
    order_id = Column(Integer, ForeignKey("orders.id", onupdate="CASCADE"))
    order = relationship("Order", back_populates="items")


eng = engine()
Base.metadata.create_all(eng)
with Session(eng) as s:
    s.add(Order(id=1, items=[Item(id=1), Item(id=2)]))
    s.add(Order(id=2))
    s.commit()

s = Session(eng)
o1 = s.get(Order, 1)
items = o1.items
o1.id = 10
s.flush()
value("item keys", [i.order_id for i in items])
check("o1", o1=o1)
s.commit()
value("rows", [tuple(r) for r in s.execute(select(Item.__table__))])
o2 = s.get(Order, 2)
o2.id = 20
s.commit()
check("o2", o2=o2)
s.close()
