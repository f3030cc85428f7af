"""Deleting a parent whose children are loaded, default cascade (save-update, merge): the
children's FK is set to NULL by UPDATE before the parent's DELETE; children stay persistent."""

from harness import check, engine, value
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

s = Session(eng, expire_on_commit=False)
u = User(name="ed", addresses=[Address(email="a"), Address(email="b")])
s.add(u)
s.commit()
a1, a2 = u.addresses
s.delete(u)
s.flush()
check("after flush", u=u, a1=a1, a2=a2)
value("fks", [a1.user_id, a2.user_id])
s.commit()
check("after commit", u=u, a1=a1, a2=a2)
value("a1.user", a1.user)
s.close()
