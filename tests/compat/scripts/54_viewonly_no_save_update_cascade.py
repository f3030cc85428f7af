"""A viewonly relationship does not cascade save-update, whatever its cascade= says: an object
reachable only through it stays out of the session on add() and on append to a parent already
in the session, while the writable relationship next to it cascades."""

from harness import check, engine, value
from sqlalchemy import Column, ForeignKey, Integer, String
from sqlalchemy.orm import Session, declarative_base, relationship

Base = declarative_base()


class User(Base):
    __tablename__ = "users"
    id = Column(Integer, primary_key=True)
    name = Column(String(50))
    addresses = relationship("Address")
    seen = relationship("Address", viewonly=True)
    seen_all = relationship("Address", viewonly=True, cascade="all")


class Address(Base):
    __tablename__ = "addresses"
    id = Column(Integer, primary_key=True)
    name = Column(String(50))
    user_id = Column(ForeignKey("users.id"))


eng = engine()
Base.metadata.create_all(eng)

s = Session(eng)
u, a, b, c = User(name="u"), Address(name="a"), Address(name="b"), Address(name="c")
u.addresses.append(a)
u.seen.append(b)
s.add(u)
check("after add", u=u, a=a, b=b)
u.seen_all.append(c)
check("after append to a viewonly collection of a pending user", c=c)
value("cascades", [sorted(User.seen.property.cascade), sorted(User.seen_all.property.cascade)])
s.commit()
s.close()
