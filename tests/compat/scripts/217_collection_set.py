"""collection_class=set on a one-to-many (with backref) and on a many-to-many: add, add of a
member again (no change), discard, remove, pop, update, |=, -=, replace by assignment; the
backref fills the set; flushes write what changed."""

from harness import check, engine, expect_error, members, track, value
from sqlalchemy import Column, ForeignKey, Integer, String, Table
from sqlalchemy.orm import Session, declarative_base, relationship

Base = declarative_base()

item_labels = Table(
    "item_labels", Base.metadata,
    Column("bag_id", ForeignKey("bags.id"), primary_key=True),
    Column("label_id", ForeignKey("labels.id"), primary_key=True),
)


class Bag(Base):
    __tablename__ = "bags"
    id = Column(Integer, primary_key=True)
    name = Column(String(20))
    items = relationship("Item", collection_class=set, backref="bag",
                         cascade="all, delete-orphan")
    labels = relationship("Label", secondary=item_labels, collection_class=set)


class Item(Base):
    __tablename__ = "items"
    id = Column(Integer, primary_key=True)
    name = Column(String(20))
    bag_id = Column(ForeignKey("bags.id"))


class Label(Base):
    __tablename__ = "labels"
    id = Column(Integer, primary_key=True)
    name = Column(String(20))


eng = engine()
Base.metadata.create_all(eng)

s = Session(eng)
bag = Bag(name="bag")
i1, i2, i3, i4 = Item(name="i1"), Item(name="i2"), Item(name="i3"), Item(name="i4")
l1, l2 = Label(name="l1"), Label(name="l2")
track(bag=bag, i1=i1, i2=i2, i3=i3, i4=i4, l1=l1, l2=l2)
# one new member per flush: SQLAlchemy's cascade walks a set in its (hash) order
bag.items.add(i1)
value("is a set", isinstance(bag.items, set))
bag.labels.add(l1)
s.add(bag)
s.flush()
bag.items |= {i2}
s.flush()
i3.bag = bag  # a backref does not cascade i3 into the session (2.x)
s.add(i3)
members("bag.items", bag.items)
s.commit()
members("bag.items loaded", bag.items)
bag.items.add(i1)
value("dirty after re-adding a member", len(s.dirty))
bag.items.discard(i2)
check("discarded pending? no: persistent orphan", i2=i2)
bag.items.update([i4])
s.flush()
check("orphan deleted", i2=i2, i4=i4)
bag.items -= {i4}
bag.labels.add(l2)
bag.labels.remove(l1)
s.commit()
check("i4 gone", i4=i4)
members("labels", bag.labels)
with expect_error("remove a non-member"):
    bag.labels.remove(l1)
popped = bag.labels.pop()
track(popped=popped)
s.commit()
members("labels after pop", bag.labels)
i5 = Item(name="i5")
track(i5=i5)
bag.items = {i5}
s.commit()
members("items after assignment", bag.items)
s.close()
