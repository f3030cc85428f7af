"""Deleting a child (address) of a loaded collection: DELETE at flush, status deleted, then
detached after commit; the stale collection still holds it until expired by the commit."""

from harness import check, engine, members, names, value
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
u = User(name="ed", addresses=[Address(email="a"), Address(email="b")])
s.add(u)
s.commit()
a1, a2 = u.addresses
check("loaded", u=u, a1=a1, a2=a2)
s.delete(a1)
check("after delete()", a1=a1)
members("deleted", s.deleted)
s.flush()
check("after flush", a1=a1)
value("u.addresses after flush", names(u.addresses))
s.commit()
check("after commit", a1=a1, a2=a2)
value("u.addresses after commit", names(u.addresses))
s.close()
