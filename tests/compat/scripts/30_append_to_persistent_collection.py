"""Appending a new child to the collection of a persistent parent: save-update cascade puts it
in the session (session.new) without add(); the flush INSERTs it with the parent's id; removing
a child from the collection nulls its FK."""

from harness import check, engine, members, names, track, value
from sqlalchemy import Column, ForeignKey, Integer, String
from sqlalchemy.orm import Session, declarative_base, relationship

Base = declarative_base()


class User(Base):
    __tablename__ = "users"
    id = Column(Integer, primary_key=True)
    name = Column(String(50))
    addresses = relationship("Address", backref="user")


class Address(Base):
    __tablename__ = "addresses"
    id = Column(Integer, primary_key=True)
    email = Column(String(50))
    user_id = Column(ForeignKey("users.id"))


eng = engine()
Base.metadata.create_all(eng)

s = Session(eng)
u = User(name="ed", addresses=[Address(email="old")])
s.add(u)
s.commit()
old = u.addresses[0]
track(u=u)
new = Address(email="new")
u.addresses.append(new)
check("after append", new=new, old=old)
members("new", s.new)
u.addresses.remove(old)
members("dirty", s.dirty)
s.commit()
value("fks", [old.user_id, new.user_id])
value("new.user", new.user)
value("u.addresses", names(u.addresses))
s.close()
