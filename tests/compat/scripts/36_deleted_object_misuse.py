"""An object appended to a collection after delete() (the parent is deleted), and refresh()
of an object that autoflush deleted, raise as in SQLAlchemy."""

from harness import check, engine, expect_error, members, names, value
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
u = User(name="ed", addresses=[Address(email="a")])
s.add(u)
s.commit()
a = u.addresses[0]
s.delete(a)
with expect_error("refresh of a deleted (autoflushed) object"):
    s.refresh(a)
check("a", a=a)
s.rollback()
s.delete(a)
s.flush()
with expect_error("append a deleted object"):
    u.addresses.append(a)
check("after", u=u, a=a)
s.rollback()
s.close()
