# ruff: noqa: UP045  (the typing forms SQLAlchemy users write are the point)
"""A one-to-many declared scalar by its annotation (Mapped[Optional["Profile"]]: uselist=False):
lazy loading gives the one child; replacing an unloaded child loads the old one and unlinks it
(its foreign key becomes NULL); setting None unlinks; the child side's many-to-one stays in
step through back_populates."""

from typing import Optional

from harness import check, engine, value
from sqlalchemy import ForeignKey
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, relationship


class Base(DeclarativeBase):
    pass


class User(Base):
    __tablename__ = "users"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str]
    profile: Mapped[Optional["Profile"]] = relationship(back_populates="owner")


class Profile(Base):
    __tablename__ = "profiles"
    id: Mapped[int] = mapped_column(primary_key=True)
    bio: Mapped[Optional[str]]
    owner_id: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id"))
    owner: Mapped[Optional[User]] = relationship(back_populates="profile")


eng = engine()
Base.metadata.create_all(eng)
s = Session(eng)
u = User(name="ed", profile=Profile(bio="first"))
p1 = u.profile
s.add(u)
s.commit()
check("committed", u=u, p1=p1)
p2 = Profile(bio="second")
u.profile = p2
s.commit()
value("profile after commit", u.profile is p2)
value("p1 owner", p1.owner)
u.profile = None
s.commit()
value("profile None", u.profile)
p3 = Profile(bio="third", owner=u)
s.add(p3)
s.commit()
value("via the child side", u.profile is p3)
check("end", u=u, p1=p1, p2=p2, p3=p3)
s.close()
