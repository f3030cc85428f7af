"""A row that matches an object already in the identity map fills only the attributes the
object has no value for (expired or never loaded); modified attributes keep their pending
value.  Checked for select(), legacy Query, a lazy-loaded collection, Session.get() and a
many-to-one lazy load (the last two refresh only an object that was expired as a whole)."""

from harness import engine, value
from sqlalchemy import Column, ForeignKey, Integer, String, select
from sqlalchemy.orm import Session, declarative_base, make_transient_to_detached, relationship

Base = declarative_base()


class User(Base):
    __tablename__ = "users"
    id = Column(Integer, primary_key=True)
    name = Column(String(50))
    email = Column(String(50))
    addresses = relationship("Address", back_populates="user")


class Address(Base):
    __tablename__ = "addresses"
    id = Column(Integer, primary_key=True)
    user_id = Column(Integer, ForeignKey("users.id"))
    street = Column(String(50))
    city = Column(String(50))
    user = relationship("User", back_populates="addresses")


eng = engine()
Base.metadata.create_all(eng)
with Session(eng) as s:
    s.add_all([User(id=1, name="ann", email="ann@x"), User(id=2, name="bob", email="bob@x"),
               Address(id=10, user_id=1, street="main", city="oslo"),
               Address(id=11, user_id=1, street="side", city="rome")])
    s.commit()

s = Session(eng, autoflush=False)

# select(): an expired attribute is filled from the row, a modified one is kept
u1 = s.get(User, 1)
s.expire(u1, ["name"])
u1.email = "changed@x"
value("select", [u.id for u in s.scalars(select(User).order_by(User.id))])
value("u1 after select", [u1.name, u1.email])  # no SQL: name came with the row

# legacy Query: same, and an expired attribute assigned since then keeps the assignment
s.expire(u1, ["name", "email"])
u1.name = "renamed"
value("query", [u.id for u in s.query(User).order_by(User.id).all()])
value("u1 after query", [u1.name, u1.email])

# never loaded: an object given its identity by make_transient_to_detached, then added
s.rollback()
u2 = User(id=2)
s.expunge_all()
make_transient_to_detached(u2)
s.add(u2)
value("select all", len(s.scalars(select(User)).all()))
value("u2 after select", [u2.name, u2.email])

# a lazy-loaded collection whose members are already present with expired attributes
a10 = s.get(Address, 10)
s.expire(a10, ["street"])
a10.city = "paris"
owner = s.get(User, 1)
value("owner.addresses", [a.id for a in owner.addresses])
value("a10 after lazy load", [a10.street, a10.city])

# get() of an object with one expired attribute: the identity map answers
a11 = s.get(Address, 11)
s.expire(a11, ["street"])
value("get is same", s.get(Address, 11) is a11)
value("a11.street", a11.street)

# a fully expired object: get() reloads it
s.expire(a11)
value("get after full expire", s.get(Address, 11) is a11)
value("a11 after get", [a11.street, a11.city])

# a many-to-one lazy load whose target has one expired attribute: no refresh either
s.expire(a10)
owner = s.get(User, 1)
s.expire(owner, ["email"])
value("a10.user", a10.user is owner)
value("owner.email", owner.email)
s.rollback()
s.close()
