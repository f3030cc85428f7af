"""One-to-many with all, delete-orphan (test_cascade): list assignment of new objects,
replacing a list (the old members deleted), a pending object removed from a pending
parent's collection (expunged, never INSERTed), deleting a parent with unloaded
collections (loaded and deleted two levels deep), the delete of a child removed from the
collection, and a persistent orphan left without parent."""

from harness import check, engine, members, value
from sqlalchemy import Column, ForeignKey, Integer, String, select
from sqlalchemy.orm import Session, declarative_base, relationship

Base = declarative_base()


class User(Base):
    __tablename__ = "users"
    id = Column(Integer, primary_key=True)
    name = Column(String(30))
    orders = relationship("Order", cascade="all, delete-orphan", backref="user",
                          order_by="Order.id")


class Order(Base):
    __tablename__ = "orders"
    id = Column(Integer, primary_key=True)
    user_id = Column(Integer, ForeignKey("users.id"))
    description = Column(String(30))
    items = relationship("Item", cascade="all, delete-orphan", order_by="Item.id")


class Item(Base):
    __tablename__ = "items"
    id = Column(Integer, primary_key=True)
    order_id = Column(Integer, ForeignKey("orders.id"))


def rows():
    return [sorted(tuple(r) for r in s.execute(select(Order.id, Order.user_id))),
            sorted(tuple(r) for r in s.execute(select(Item.id, Item.order_id)))]


eng = engine()
Base.metadata.create_all(eng)

s = Session(eng)
u = User(id=1, name="jack")
u.orders = [Order(id=1, description="a", items=[Item(id=1), Item(id=2)]),
            Order(id=2, description="b")]
s.add(u)
s.commit()
value("assigned", rows())
old = list(u.orders)
u.orders = [Order(id=3, description="c"), old[1]]
s.commit()
check("replaced", o1=old[0], o2=old[1])
value("after replace", rows())

o4 = Order(id=4, description="pending")
u2 = User(id=2, name="pending user", orders=[o4])
s.add(u2)
u2.orders.remove(o4)
members("new", s.new)
s.commit()
check("pending removed", o4=o4, u2=u2)
value("pending", rows())

o5 = Order(id=5)
o5.items = [Item(id=5), Item(id=6)]
u2.orders.append(o5)
s.commit()
s.close()

s = Session(eng)
u2 = s.get(User, 2)
s.delete(u2)  # orders and their items never loaded: loaded and deleted
s.commit()
value("unloaded cascade", rows())

u = s.get(User, 1)
o = u.orders[0]
o.user = None  # backref removal: an orphan
s.commit()
check("orphaned by backref", o=o)
value("end", rows())
s.close()
