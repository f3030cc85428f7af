"""Pending orphans (test_cascade's pending-orphan shapes): a new child with delete-orphan
added without a parent is refused at flush ("is an orphan"), one whose parent is expunged
too, one removed from a pending parent before flush is expunged silently, two levels
(a pending grandchild under a removed child), and a child with a parent on one of two
delete-orphan relationships is not an orphan."""

from harness import check, engine, expect_error, members, value
from sqlalchemy import Column, ForeignKey, Integer, select
from sqlalchemy.orm import Session, declarative_base, relationship

Base = declarative_base()


class User(Base):
    __tablename__ = "users"
    id = Column(Integer, primary_key=True)
    orders = relationship("Order", cascade="all, delete-orphan", backref="user")


class Account(Base):
    __tablename__ = "accounts"
    id = Column(Integer, primary_key=True)
    orders = relationship("Order", cascade="all, delete-orphan", backref="account")


class Order(Base):
    __tablename__ = "orders"
    id = Column(Integer, primary_key=True)
    user_id = Column(Integer, ForeignKey("users.id"))
    account_id = Column(Integer, ForeignKey("accounts.id"))
    items = relationship("Item", cascade="all, delete-orphan", backref="order")


class Item(Base):
    __tablename__ = "items"
    id = Column(Integer, primary_key=True)
    order_id = Column(Integer, ForeignKey("orders.id"))


eng = engine()
Base.metadata.create_all(eng)

s = Session(eng)
lone = Order(id=1)
s.add(lone)
with expect_error("standalone orphan"):
    s.flush()
s.rollback()
check("after", lone=lone)

u = User(id=1)
o = Order(id=2, user=u)
s.add(u)
u.orders.remove(o)
members("new", s.new)
s.commit()
check("removed pending", o=o, u=u)

u = s.get(User, 1)
o3 = Order(id=3, items=[Item(id=1)])
u.orders.append(o3)
s.flush()
u.orders.remove(o3)  # a persistent orphan: deleted with its items
s.commit()
value("two levels", [sorted(tuple(r) for r in s.execute(select(Order.id))),
                     sorted(tuple(r) for r in s.execute(select(Item.id)))])

acc = Account(id=1)
o4 = Order(id=4, account=acc)
s.add(acc)
s.commit()
check("one parent enough", o4=o4)
it = Item(id=5)
o4.items.append(it)
o4.items.remove(it)
members("new after remove", s.new)
s.commit()
check("item", it=it)
s.close()
