"""One-to-many declared on both sides with back_populates; two users created in one flush,
addresses attached from both sides (append and many-to-one assignment): all user INSERTs come
before address INSERTs and each FK gets the right generated id."""

from harness import check, engine, names, track, value
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
    email = Column(String(50))
    user_id = Column(Integer, ForeignKey("users.id"))
    user = relationship("User", back_populates="addresses")


eng = engine()
Base.metadata.create_all(eng)

with Session(eng) as s:
    u1, u2 = User(name="u1"), User(name="u2")
    a1, a2, a3 = Address(email="a1"), Address(email="a2"), Address(email="a3")
    track(u1=u1, u2=u2, a1=a1, a2=a2, a3=a3)
    u1.addresses.append(a1)
    a2.user = u2
    u2.addresses.append(a3)
    value("a2 in u2.addresses", names(u2.addresses))
    s.add_all([a1, a2, a3])  # users reach the session through the many-to-one cascade
    check("after add", u1=u1, u2=u2, a1=a1, a2=a2, a3=a3)
    s.commit()
    value("fks", [a1.user_id, a2.user_id, a3.user_id])
