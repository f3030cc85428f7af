"""Session(binds={Model: engine, Table: engine}): each mapper's rows are written through its
own engine (one connection and transaction per engine), queries and get() read from the
right one, commit() and rollback() end both transactions; execute() of a text() statement
needs bind_arguments (mapper or bind)."""

from harness import check, engine, expect_error, value
from sqlalchemy import Column, Integer, String, select, text
from sqlalchemy.orm import Session, declarative_base

Base = declarative_base()


class User(Base):
    __tablename__ = "users"
    id = Column(Integer, primary_key=True)
    name = Column(String(50))


class Order(Base):
    __tablename__ = "orders"
    id = Column(Integer, primary_key=True)
    user_id = Column(Integer)  # no ForeignKey: the users table lives in the other database
    item = Column(String(50))


eng_users = engine()
eng_orders = engine()
User.__table__.create(eng_users)
Order.__table__.create(eng_orders)

s = Session(binds={User: eng_users, Order.__table__: eng_orders})
u1 = User(id=1, name="ann")
o1 = Order(id=10, item="book", user_id=1)
s.add_all([u1, o1])
s.flush()
check("after flush", u1=u1, o1=o1)
value("bind of User", s.get_bind(User) is eng_users)
value("bind of Order", s.get_bind(Order) is eng_orders)
value("connections differ", s.connection(bind_arguments={"mapper": User})
      is not s.connection(bind_arguments={"mapper": Order}))
s.commit()
check("after commit", u1=u1, o1=o1)

value("orders", [(o.id, o.item) for o in s.scalars(select(Order))])
value("order's user", s.get(User, s.get(Order, 10).user_id).name)
value("users", s.scalars(select(User.name)).all())
value("text on users", s.execute(text("SELECT count(*) FROM users"),
                                 bind_arguments={"mapper": User}).scalar())
value("text on orders", s.execute(text("SELECT count(*) FROM orders"),
                                  bind_arguments={"bind": eng_orders}).scalar())
with expect_error("text without a bind"):
    s.execute(text("SELECT 1"))

u1.name = "bob"
s.add(Order(id=11, item="pen", user_id=1))
s.flush()
s.rollback()
check("after rollback", u1=u1, o1=o1)
value("name after rollback", u1.name)
value("orders after rollback", sorted(s.scalars(select(Order.id))))
s.delete(o1)
s.commit()
s.close()
