"""A child removed from the collection of a parent that is then deleted, with cascade "all"
(no delete-orphan) and with the default cascade: the removed child survives with a NULL key,
the rest follow the cascade."""

from harness import check, engine, value
from sqlalchemy import Column, ForeignKey, Integer, select
from sqlalchemy.orm import Session, declarative_base, relationship

Base = declarative_base()


class Order(Base):
    __tablename__ = "orders"
    id = Column(Integer, primary_key=True)
    items = relationship("Item", back_populates="order", cascade="all", order_by="Item.id")
    notes = relationship("Note", back_populates="order", order_by="Note.id")


class Item(Base):
    __tablename__ = "items"
    id = Column(Integer, primary_key=True)
    order_id = Column(Integer, ForeignKey("orders.id"))
    order = relationship("Order", back_populates="items")


class Note(Base):
    __tablename__ = "notes"
    id = Column(Integer, primary_key=True)
    order_id = Column(Integer, ForeignKey("orders.id"))
    order = relationship("Order", back_populates="notes")


eng = engine()
Base.metadata.create_all(eng)
with Session(eng) as s:
    s.add(Order(id=1, items=[Item(id=1), Item(id=2)], notes=[Note(id=1), Note(id=2)]))
    s.commit()


def rows(s, cls):
    return [tuple(r) for r in s.execute(select(cls.__table__).order_by(cls.__table__.c.id))]


s = Session(eng)
o1 = s.get(Order, 1)
i1, n1 = o1.items[0], o1.notes[0]
o1.items.remove(i1)
o1.notes.remove(n1)
s.delete(o1)
s.flush()
check("after the delete", o1=o1, i1=i1, n1=n1)
value("items", rows(s, Item))
value("notes", rows(s, Note))
s.commit()
s.close()
