"""Deleting a parent whose children collection was never loaded: the flush loads the
collection (SELECT) and nulls the children's FK before deleting the parent."""

from harness import check, engine, value
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

with Session(eng) as s:
    s.add(User(name="ed", addresses=[Address(email="a"), Address(email="b")]))
    s.commit()

with Session(eng) as s:
    u = s.get(User, 1)
    s.delete(u)
    s.commit()
    check("after commit", u=u)
