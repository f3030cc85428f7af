# ruff: noqa: UP006, UP035, UP037, UP045  (the typing forms SQLAlchemy users write are the point)
"""2.x declarative: columns derived from Mapped[...] annotations alone (no mapped_column()),
mapped_column() without a type, nullability from Optional (Mapped[str] is NOT NULL), the
registry's type_annotation_map, a mixin's annotated columns; CREATE TABLE and the INSERTs
must carry every such column, and a missing NOT NULL value is an IntegrityError."""

import datetime
import decimal
from typing import Optional

from harness import check, engine, expect_error, value
from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column


class Base(DeclarativeBase):
    type_annotation_map = {str: String(40)}


class Stamped:
    note: Mapped[Optional[str]]
    version: Mapped[int] = mapped_column(default=1)


class User(Stamped, Base):
    __tablename__ = "users"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str]
    fullname: Mapped[Optional[str]]
    age: Mapped[int | None]
    score: Mapped["float"] = mapped_column(default=0.5)
    born: Mapped[Optional[datetime.date]]
    balance: Mapped[Optional[decimal.Decimal]]
    active: Mapped[bool] = mapped_column(default=True)
    blob: Mapped[Optional[bytes]]


class Tag(Base):
    __tablename__ = "tags"
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id"))
    label: Mapped[str] = mapped_column(String(10), nullable=True)


eng = engine()
Base.metadata.create_all(eng)
value("user columns", [(c.name, str(c.type), c.nullable) for c in User.__table__.c])
value("tag columns", [(c.name, str(c.type), c.nullable) for c in Tag.__table__.c])

s = Session(eng)
u = User(name="ed", fullname="Ed Jones", age=30, born=datetime.date(1990, 1, 2),
         balance=decimal.Decimal("1.50"), blob=b"xy", note="hi")
t = Tag(label=None)
s.add_all([u, t])
s.commit()
check("committed", u=u, t=t)
value("reloaded", (u.name, u.fullname, u.age, u.score, u.active, u.version, u.note))
u.fullname = "Edward Jones"
s.commit()
value("fullname updated", u.fullname)
s.add(User(fullname="no name"))
with expect_error("Mapped[str] is NOT NULL"):
    s.flush()
s.rollback()
s.close()
