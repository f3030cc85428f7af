"""Rolling back a SAVEPOINT: objects inserted inside it become transient, objects deleted
inside it come back, changed objects are expired (and reload the outer value); the outer
transaction's work survives and commits."""

from harness import check, engine, members, value
from sqlalchemy import Column, ForeignKey, Integer, String, select
from sqlalchemy.orm import Session, declarative_base, relationship

Base = declarative_base()


class User(Base):
    __tablename__ = "users"
    id = Column(Integer, primary_key=True)
    name = Column(String(50))
    addresses = relationship("Address", backref="user", cascade="all, delete-orphan")


class Address(Base):
    __tablename__ = "addresses"
    id = Column(Integer, primary_key=True)
    email = Column(String(50))
    user_id = Column(ForeignKey("users.id"))


eng = engine()
Base.metadata.create_all(eng)

s = Session(eng)
u1 = User(name="u1", addresses=[Address(email="a1")])
u2 = User(name="u2")
s.add_all([u1, u2])
s.commit()
u1.name = "outer"
sp = s.begin_nested()
check("in savepoint", u1=u1)
u3 = User(name="u3")
s.add(u3)
u1.name = "inner"
s.delete(u2)
a1 = u1.addresses[0]
u1.addresses.remove(a1)
s.flush()
check("flushed in savepoint", u1=u1, u2=u2, u3=u3, a1=a1)
sp.rollback()
check("after savepoint rollback", u1=u1, u2=u2, u3=u3, a1=a1)
members("new", s.new)
members("dirty", s.dirty)
value("u1.name", u1.name)
value("u1.addresses", [a.email for a in u1.addresses])
sp2 = s.begin_nested()
u1.name = "second"
sp2.commit()
s.commit()
value("names", s.scalars(select(User.name).order_by(User.id)).all())
s.close()
