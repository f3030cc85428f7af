# ruff: noqa: UP045  (the typing forms SQLAlchemy users write are the point)
"""Column names other than the attribute name: Column("full_name") and
mapped_column("user_name") keep the table's column key (User.__table__.c.full_name), the
attribute stays fullname / name; a Literal[...] annotation is a non-native Enum, type_= is a
type; INSERT / UPDATE / SELECT / bulk UPDATE use the right columns."""

from typing import Literal, Optional

from harness import engine, value
from sqlalchemy import Column, String, select, update
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column


class Base(DeclarativeBase):
    pass


class User(Base):
    __tablename__ = "users"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column("user_name")
    fullname = Column("full_name", String(30))
    nick: Mapped[Optional[str]] = mapped_column(type_=String(8))
    kind: Mapped[Literal["admin", "user"]]


eng = engine()
Base.metadata.create_all(eng)
value("table keys", [(c.name, c.key) for c in User.__table__.c])
s = Session(eng)
u = User(name="ed", fullname="Ed Jones", nick="eddie", kind="admin")
s.add(u)
s.commit()
u.fullname = "Edward Jones"
s.flush()
value("orm select", s.execute(select(User.name, User.fullname)).all())
value("core select", s.execute(select(User.__table__.c.full_name)).all())
s.execute(update(User), [{"id": 1, "name": "Ed", "fullname": "E. J."}])
value("after bulk update", (u.name, u.fullname))
s.commit()
s.close()
