# ruff: noqa: UP006, UP035, UP037, UP045  (the typing forms SQLAlchemy users write are the point)
"""MappedAsDataclass: the generated __init__ (positional fields in order, init=False left
out, a missing argument a TypeError), __repr__ (repr=False left out) and __eq__; a scalar
default= is read from the attribute and INSERTed by the column, not put in __dict__;
default_factory= runs per object; relationship defaults (None, an empty list)."""

from typing import Optional

from harness import engine, expect_error, value
from sqlalchemy import ForeignKey, select
from sqlalchemy.orm import (
    DeclarativeBase,
    Mapped,
    MappedAsDataclass,
    Session,
    mapped_column,
    relationship,
)


class Base(MappedAsDataclass, DeclarativeBase):
    pass


class User(Base):
    __tablename__ = "users"
    id: Mapped[int] = mapped_column(init=False, primary_key=True)
    name: Mapped[str]
    fullname: Mapped[Optional[str]] = mapped_column(default=None)
    level: Mapped[int] = mapped_column(default=5)
    tags: Mapped[str] = mapped_column(default_factory=lambda: "t", repr=False)
    addresses: Mapped[list["Address"]] = relationship(default_factory=list,
                                                      back_populates="user")


class Address(Base):
    __tablename__ = "addresses"
    id: Mapped[int] = mapped_column(init=False, primary_key=True)
    email: Mapped[str]
    user_id: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id"), init=False)
    user: Mapped[Optional[User]] = relationship(default=None, back_populates="addresses")


u = User("ed")
value("dict after init", sorted(k for k in u.__dict__ if not k.startswith("_")))
value("repr", repr(u))
value("eq", (u == User("ed"), u == User("ed", level=3), u == User("ed", "Ed")))
a = Address("e@x", user=u)
value("backref", [x.email for x in u.addresses])
with expect_error("missing name"):
    User()
with expect_error("init=False"):
    User("x", id=5)
eng = engine()
Base.metadata.create_all(eng)
s = Session(eng)
s.add(u)
s.commit()
value("committed ids", (u.id, a.id, a.user_id))
value("repr after commit", repr(u))
s.expunge_all()
value("loaded", repr(s.scalars(select(User)).one()))
