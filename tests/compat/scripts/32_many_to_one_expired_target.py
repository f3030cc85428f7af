"""A many-to-one set to an object expired by commit(): the flush loads the target's key (one
SELECT) and writes it into the foreign key; it never writes NULL."""

from harness import check, engine, expect_error, members, names, value
from sqlalchemy import Column, ForeignKey, Integer, String, select
from sqlalchemy.orm import Session, declarative_base, relationship

Base = declarative_base()


class User(Base):
    __tablename__ = "users"
    id = Column(Integer, primary_key=True)
    name = Column(String(50))


class Address(Base):
    __tablename__ = "addresses"
    id = Column(Integer, primary_key=True)
    email = Column(String(50))
    user_id = Column(ForeignKey("users.id"))
    user = relationship("User")


eng = engine()
Base.metadata.create_all(eng)

s = Session(eng)
u = User(name="ed")
s.add(u)
s.commit()  # u is expired now
a = Address(email="a", user=u)
s.add(a)
s.flush()
value("a.user_id", a.user_id)
a2 = Address(email="b")
s.add(a2)
s.commit()
s.expire(u)
a2.user = u
s.commit()
value("a2.user_id", a2.user_id)
s.close()
