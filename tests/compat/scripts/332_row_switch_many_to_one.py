"""Row switches with many-to-ones (test_unitofworkv2's row switch many-to-one): the new
object taking over the deleted one's row sets the many-to-one to None (the UPDATE writes
the NULL), keeps it, or points elsewhere; a row switch of a parent whose children stay;
the deleted and the new object's statuses."""

from harness import check, engine, value
from sqlalchemy import Column, ForeignKey, Integer, String, select
from sqlalchemy.orm import Session, declarative_base, relationship

Base = declarative_base()


class Target(Base):
    __tablename__ = "targets"
    id = Column(Integer, primary_key=True)


class Holder(Base):
    __tablename__ = "holders"
    id = Column(Integer, primary_key=True)
    data = Column(String(20))
    target_id = Column(Integer, ForeignKey("targets.id"))
    target = relationship("Target")
    items = relationship("Item", backref="holder")


class Item(Base):
    __tablename__ = "items"
    id = Column(Integer, primary_key=True)
    holder_id = Column(Integer, ForeignKey("holders.id"))


def rows():
    return [sorted(tuple(r) for r in s.execute(select(Holder.id, Holder.data,
                                                      Holder.target_id))),
            sorted(tuple(r) for r in s.execute(select(Item.id, Item.holder_id)))]


eng = engine()
Base.metadata.create_all(eng)

s = Session(eng)
t1, t2 = Target(id=1), Target(id=2)
h = Holder(id=1, data="h", target=t1, items=[Item(id=1)])
s.add_all([h, t2])
s.commit()

s.delete(h)
h2 = Holder(id=1, data="h2")  # target None: written as NULL
s.add(h2)
s.commit()
check("switched to none", h=h, h2=h2)
value("none", rows())

s.delete(h2)
h3 = Holder(id=1, data="h3", target=t2)
s.add(h3)
s.commit()
value("to t2", rows())

s.delete(h3)
h4 = Holder(id=1, data="h4", target=s.get(Target, 2))
h4.items.append(s.get(Item, 1))
s.add(h4)
s.commit()
check("kept", h3=h3, h4=h4)
value("kept rows", rows())
s.close()
