"""What add()'s save-update cascade reaches: it does not walk through objects already in the
session (an expunged child behind a pending parent stays out until the parent itself is added
again); from a detached object it follows only loaded attributes, including what a pending change
replaced or removed (a replaced many-to-one, removed collection members: added members first,
then unchanged, then removed); an object deleted by an earlier flush is refused."""

from harness import check, engine, expect_error, names, track, value
from sqlalchemy import Column, ForeignKey, Integer, String
from sqlalchemy.orm import Session, declarative_base, relationship

Base = declarative_base()


class User(Base):
    __tablename__ = "users"
    id = Column(Integer, primary_key=True)
    name = Column(String(50))
    addresses = relationship("Address", back_populates="user")


class Address(Base):
    __tablename__ = "addresses"
    id = Column(Integer, primary_key=True)
    name = Column(String(50))
    user_id = Column(ForeignKey("users.id"))
    user = relationship("User", back_populates="addresses")


class Order(Base):
    __tablename__ = "orders"
    id = Column(Integer, primary_key=True)
    name = Column(String(50))
    user_id = Column(ForeignKey("users.id"))
    user = relationship("User")


eng = engine()
Base.metadata.create_all(eng)

# 1. the walk stops at an object already in the session
s = Session(eng, expire_on_commit=False)
u, a = User(name="u"), Address(name="a")
a.user = u
s.add(u)
s.expunge(a)
o = Order(name="o", user=u)
s.add(o)
check("added o (u pending, a expunged)", u=u, a=a, o=o)
s.add(u)
check("added u again", u=u, a=a, o=o)
s.commit()
s.close()

# 2. from a detached object: replaced many-to-one and changed collection
s = Session(eng, expire_on_commit=False)
u0, x1, x2 = User(name="u0"), Address(name="x1"), Address(name="x2")
u0.addresses = [x1, x2]
s.add(u0)
s.commit()
s.close()
u1, x3, x4 = User(name="u1"), Address(name="x3"), Address(name="x4")
track(u1=u1, x3=x3, x4=x4)
x1.user = u1  # replaces u0 (loaded): u0.addresses loses x1
u0.addresses.append(x3)
u0.addresses.insert(0, x4)
s = Session(eng, expire_on_commit=False)
s.add(u0)
value("new, in order", names(list(s.new)))
check("after add u0", u0=u0, u1=u1, x1=x1, x2=x2, x3=x3, x4=x4)
s.flush()
value("ids", [x.id for x in (u0, u1, x1, x2, x3, x4)])
s.commit()
s.close()

# 3. an unloaded collection is not looked at
s = Session(eng, expire_on_commit=False)
u2 = s.get(User, u0.id)
s.expunge(u2)
p = Address(name="p")
p.user = u2
s2 = Session(eng, expire_on_commit=False)
s2.add(u2)
check("after add of u2 with an unloaded collection", u2=u2, p=p)
s2.commit()
s2.close()
s.close()

# 4. an object deleted by a flush is refused
s = Session(eng, expire_on_commit=False)
v, d = User(name="v"), Address(name="d")
s.add_all([v, d])
s.flush()
s.delete(d)
s.flush()
with expect_error("append deleted"):
    v.addresses.append(d)
check("after refused append", v=v, d=d)
s.close()
