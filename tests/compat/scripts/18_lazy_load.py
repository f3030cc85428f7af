"""Lazy loading: a one-to-many collection loads on first access (one SELECT, no SQL on the
second access); a many-to-one whose target is already in the identity map needs no SQL, one
that isn't loads it by primary key."""

from harness import engine, names, track, value
from sqlalchemy import Column, ForeignKey, Integer, String, select
from sqlalchemy.orm import Session, declarative_base, relationship

Base = declarative_base()


class User(Base):
    __tablename__ = "users"
    id = Column(Integer, primary_key=True)
    name = Column(String(50))
    addresses = relationship("Address", back_populates="user", order_by="Address.id")


class Address(Base):
    __tablename__ = "addresses"
    id = Column(Integer, primary_key=True)
    email = Column(String(50))
    user_id = Column(Integer, ForeignKey("users.id"))
    user = relationship("User", back_populates="addresses")


eng = engine()
Base.metadata.create_all(eng)

with Session(eng) as s:
    s.add(User(name="ed", addresses=[Address(email="a"), Address(email="b")]))
    s.add(User(name="wendy", addresses=[Address(email="c")]))
    s.commit()

with Session(eng) as s:
    ed = s.get(User, 1)
    addrs = ed.addresses
    track(ed=ed, a1=addrs[0], a2=addrs[1])
    value("ed.addresses", names(addrs))
    value("again (no SQL)", names(ed.addresses))
    value("a1.user is ed (no SQL)", addrs[0].user is ed)
    c = s.scalars(select(Address).where(Address.email == "c")).one()
    wendy = c.user
    track(c=c, wendy=wendy)
    value("c.user", wendy.name)
    value("wendy.addresses", names(wendy.addresses))
