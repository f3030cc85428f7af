# ruff: noqa: UP006, UP035, UP037, UP045  (the typing forms SQLAlchemy users write are the point)
"""2.x declarative with ``from __future__ import annotations``: relationship() without a target
takes it from the annotation (Mapped[list["Address"]], Mapped[List[...]], Mapped["User"],
Mapped[Optional[User]]); list annotations give collections, scalar ones a single object even
on a one-to-many (uselist=False); back_populates keeps both sides in step; annotation-only
columns of string annotations are persisted."""

from __future__ import annotations

from typing import List, Optional

from harness import check, engine, names, value
from sqlalchemy import ForeignKey, select
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, relationship


class Base(DeclarativeBase):
    pass


class User(Base):
    __tablename__ = "users"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str]
    fullname: Mapped[Optional[str]]
    addresses: Mapped[list["Address"]] = relationship(back_populates="user")
    notes: Mapped[List[Note]] = relationship(back_populates="author")
    profile: Mapped[Optional[Profile]] = relationship(back_populates="owner")


class Address(Base):
    __tablename__ = "addresses"
    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str]
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    user: Mapped["User"] = relationship(back_populates="addresses")


class Note(Base):
    __tablename__ = "notes"
    id: Mapped[int] = mapped_column(primary_key=True)
    text: Mapped[Optional[str]]
    author_id: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id"))
    author: Mapped[Optional[User]] = relationship(back_populates="notes")


class Profile(Base):
    __tablename__ = "profiles"
    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    owner: Mapped[User] = relationship(back_populates="profile")


eng = engine()
Base.metadata.create_all(eng)
s = Session(eng)
u = User(name="ed", fullname="Ed Jones")
a1, a2 = Address(email="a@x"), Address(email="b@x")
u.addresses.append(a1)
a2.user = u
n = Note(text="hello", author=u)
p = Profile(owner=u)
s.add(u)
check("pending", u=u, a1=a1, a2=a2, n=n, p=p)
value("addresses", names(u.addresses))
value("notes", names(u.notes))
value("profile is p", u.profile is p)
s.commit()
check("committed", u=u, a1=a1, a2=a2, n=n, p=p)
value("a1.user", a1.user)
value("profile again", u.profile)
value("users", [(x.name, x.fullname) for x in s.scalars(select(User))])
p.owner = None
u.profile = None
value("p.owner", p.owner)
s.rollback()
s.close()
