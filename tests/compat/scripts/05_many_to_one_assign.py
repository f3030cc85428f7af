"""Many-to-one assignment address.user = u on a persistent user: the backref appends to the
(loaded) collection, the FK is synced at flush by an UPDATE of the address."""

from harness import check, engine, names, track, value
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

s = Session(eng, expire_on_commit=False)
u, a = User(name="ed"), Address(email="ed@x")
s.add_all([u, a])
track(u=u, a=a)
s.commit()
value("a.user_id before", a.user_id)
value("u.addresses loaded (lazy load)", names(u.addresses))
a.user = u
value("u.addresses after assignment", names(u.addresses))
value("a.user_id before flush", a.user_id)
s.flush()
value("a.user_id after flush", a.user_id)
check("after flush", u=u, a=a)
s.commit()
s.close()
