"""One-to-many with "all, delete-orphan" next to a plain one-to-many: removing a child deletes
it (or nulls its key), moving a child to another parent updates it, replacing the collection
deletes the old members, removing and re-adding a child changes nothing, deleting the parent
deletes (or nulls) its unloaded children first."""

from harness import check, engine, members, value
from sqlalchemy import Column, ForeignKey, Integer, String, select
from sqlalchemy.orm import Session, declarative_base, relationship

Base = declarative_base()


class Order(Base):
    __tablename__ = "orders"
    id = Column(Integer, primary_key=True)
    items = relationship("Item", back_populates="order", cascade="all, delete-orphan",
                         order_by="Item.id")
    notes = relationship("Note", back_populates="order", order_by="Note.id")


class Item(Base):
    __tablename__ = "items"
    id = Column(Integer, primary_key=True)
    order_id = Column(Integer, ForeignKey("orders.id"), nullable=False)
    sku = Column(String(20))
    order = relationship("Order", back_populates="items")


class Note(Base):
    __tablename__ = "notes"
    id = Column(Integer, primary_key=True)
    order_id = Column(Integer, ForeignKey("orders.id"))
    text = Column(String(50))
    order = relationship("Order", back_populates="notes")


eng = engine()
Base.metadata.create_all(eng)

with Session(eng) as s:
    s.add_all([
        Order(id=1, items=[Item(id=1, sku="a"), Item(id=2, sku="b"), Item(id=3, sku="c")],
              notes=[Note(id=1, text="n1"), Note(id=2, text="n2")]),
        Order(id=2, items=[Item(id=4, sku="d")]),
    ])
    s.commit()


def rows(s, cls):
    return [tuple(r) for r in s.execute(select(cls.__table__).order_by(cls.__table__.c.id))]


s = Session(eng)
o1, o2 = s.get(Order, 1), s.get(Order, 2)
i1 = o1.items[0]
o1.items.remove(i1)
n1 = o1.notes[0]
o1.notes.remove(n1)
s.flush()
check("removed", i1=i1, n1=n1)
value("items", rows(s, Item))
value("notes", rows(s, Note))
s.rollback()

# moving a child to another parent: an UPDATE, not a delete
o1, o2 = s.get(Order, 1), s.get(Order, 2)
i2 = o1.items[1]
o2.items.append(i2)
s.flush()
check("moved", i2=i2)
value("items after move", rows(s, Item))
s.rollback()

# replacing the collection
o1 = s.get(Order, 1)
old = list(o1.items)
o1.items = [Item(id=9, sku="z"), old[2]]
s.flush()
members("deleted by the replace", [x for x in old if x not in o1.items])
value("items after replace", rows(s, Item))
s.rollback()

# remove and re-add: nothing to do
o1 = s.get(Order, 1)
i3 = o1.items[2]
o1.items.remove(i3)
o1.items.append(i3)
s.flush()
check("re-added", i3=i3)
value("items after re-add", rows(s, Item))
s.rollback()

s.close()

# a child moved to another parent, then its old parent deleted: the child stays
s = Session(eng)
o1, o2 = s.get(Order, 1), s.get(Order, 2)
i2, n2 = o1.items[1], o1.notes[1]
value("o2 before", [len(o2.items), len(o2.notes)])
o1.items.remove(i2)
o2.items.append(i2)
o1.notes.remove(n2)
o2.notes.append(n2)
s.delete(o1)
s.flush()
check("moved before the delete", i2=i2, n2=n2)
value("items after move + delete", rows(s, Item))
value("notes after move + delete", rows(s, Note))
s.rollback()
s.close()

# deleting the parent with nothing loaded: items deleted, notes' keys nulled, then the order
s = Session(eng)
o1 = s.get(Order, 1)
s.delete(o1)
s.flush()
value("items after deleting order 1", rows(s, Item))
value("notes after deleting order 1", rows(s, Note))
value("orders", rows(s, Order))
s.commit()
s.close()
