"""Moving a child between two parents of a one-to-many *without* a backref."""

from harness import check, engine, value
from sqlalchemy import Column, ForeignKey, Integer, String, select
from sqlalchemy.orm import Session, declarative_base, relationship

Base = declarative_base()


class Order(Base):
    __tablename__ = "orders"
    id = Column(Integer, primary_key=True)
    items = relationship("Item", cascade="all, delete-orphan", order_by="Item.id")
    notes = relationship("Note", order_by="Note.id")


class Item(Base):
    __tablename__ = "items"
    id = Column(Integer, primary_key=True)
    order_id = Column(Integer, ForeignKey("orders.id"), nullable=False)


class Note(Base):
    __tablename__ = "notes"
    id = Column(Integer, primary_key=True)
    order_id = Column(Integer, ForeignKey("orders.id"))


eng = engine()
Base.metadata.create_all(eng)
with Session(eng) as s:
    s.add_all([Order(id=1, items=[Item(id=1), Item(id=2)], notes=[Note(id=1), Note(id=2)]),
               Order(id=2, items=[Item(id=3)], notes=[Note(id=3)])])
    s.commit()


def rows(s, cls):
    return [tuple(r) for r in s.execute(select(cls.__table__).order_by(cls.__table__.c.id))]


s = Session(eng)
o1, o2 = s.get(Order, 1), s.get(Order, 2)
i1, n1 = o1.items[0], o1.notes[0]
o2.items
o2.notes
o1.items.remove(i1)
o2.items.append(i1)
o1.notes.remove(n1)
o2.notes.append(n1)
s.flush()
check("moved", i1=i1, n1=n1)
value("items", rows(s, Item))
value("notes", rows(s, Note))
s.rollback()

# the other way round: appended to o2 first, then removed from o1
o1, o2 = s.get(Order, 1), s.get(Order, 2)
n2 = o1.notes[1]
o2.notes.append(n2)
o1.notes.remove(n2)
s.flush()
value("notes 2", rows(s, Note))
s.rollback()

# from the second parent to the first (the first one's changes are processed first)
o1, o2 = s.get(Order, 1), s.get(Order, 2)
i3, n3 = o2.items[0], o2.notes[0]
o1.items
o1.notes
o2.items.remove(i3)
o1.items.append(i3)
o2.notes.remove(n3)
o1.notes.append(n3)
s.flush()
check("moved back", i3=i3, n3=n3)
value("items 3", rows(s, Item))
value("notes 3", rows(s, Note))
s.rollback()
s.close()
# a child moved to another parent, then its old parent deleted: the child stays
s = Session(eng)
o1, o2 = s.get(Order, 1), s.get(Order, 2)
i2, n2 = o1.items[1], o1.notes[1]
o2.items
o2.notes
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
