"""Many-to-one set to None on a persistent child: the backref removes it from the parent's
loaded collection and the flush UPDATEs the FK to NULL; the child is not deleted."""

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

s = Session(eng)
u = User(name="ed", addresses=[Address(email="a"), Address(email="b")])
s.add(u)
s.commit()
a1, a2 = u.addresses
track(u=u, a1=a1, a2=a2)
a1.user = None
value("u.addresses", names(u.addresses))
s.commit()
check("after commit", a1=a1, a2=a2)
value("a1.user_id", a1.user_id)
value("a1.user", a1.user)
s.close()
