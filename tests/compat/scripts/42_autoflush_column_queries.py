"""Autoflush before column queries: select(User.name), a join of columns, count() with
select_from(User), session.scalar(select(...)) and even Core statements (select of a Table's
columns, text()) flush pending changes first; an ORM select with execution option
autoflush=False does not (a Core one still does, as SQLAlchemy since #9809)."""

from harness import check, engine, expect_error, track, value
from sqlalchemy import Column, ForeignKey, Integer, String, func, select, text
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
users = User.__table__

s = Session(eng)
ed = User(name="ed")
s.add(ed)
s.commit()
ed.name = "eddie"
value("select(User.name) sees the change", s.execute(select(User.name)).all())
s.add(User(name="wendy", addresses=[Address(email="w@x")]))
value("joined columns", s.execute(
    select(User.name, Address.email).join(Address, Address.user_id == User.id)).all())
s.add(User(name="mary"))
value("count select_from", s.execute(select(func.count()).select_from(User)).scalar())
s.add(User(name="jack"))
value("session.scalar", s.scalar(select(func.max(User.id))))
s.add(User(name="core"))
value("core select of table columns", s.execute(select(users.c.name).order_by(users.c.id)).all())
s.add(User(name="text"))
value("text()", s.execute(text("SELECT count(*) FROM users")).scalar())
with expect_error("a plain string is not a statement"):
    s.execute("SELECT 1")
fred = User(name="fred")
s.add(fred)
track(fred=fred)
value("ORM select, autoflush=False", s.execute(
    select(User.name).order_by(User.id), execution_options={"autoflush": False}).all())
check("fred still pending", fred=fred)
value("statement-level autoflush=False", s.scalars(
    select(User.id).execution_options(autoflush=False)).all())
check("fred still pending 2", fred=fred)
value("Core select ignores autoflush=False", s.execute(
    select(users.c.id), execution_options={"autoflush": False}).all())
check("fred flushed", fred=fred)
s.commit()
s.close()
