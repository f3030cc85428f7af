# ruff: noqa: UP006, UP035, UP037, UP045  (the typing forms SQLAlchemy users write are the point)
"""Declarative mixins: @declared_attr for __tablename__ (from the class name), a foreign-key
column and a relationship per class, __table_args__ as a tuple (a constraint, then the
keyword dict) and as a dict, __mapper_args__ from a declared_attr directive, plain mixin
columns copied into every table; 2.x annotations: nullability from Optional, the registry's
type_annotation_map, Mapped[list["X"]] a collection, Mapped["X"] / Mapped[Optional["X"]] a
many-to-one."""

from typing import Optional

from harness import check, engine, expect_error, value
from sqlalchemy import Column, ForeignKey, Integer, String, UniqueConstraint, select
from sqlalchemy.orm import (
    DeclarativeBase,
    Mapped,
    Session,
    declared_attr,
    mapped_column,
    relationship,
)


class Base(DeclarativeBase):
    type_annotation_map = {str: String(30)}


class Named:
    @declared_attr.directive
    def __tablename__(cls) -> str:
        return cls.__name__.lower() + "s"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str]
    note = Column(String(10))


class HasOwner:
    @declared_attr
    def owner_id(cls) -> Mapped[Optional[int]]:
        return mapped_column(ForeignKey("owners.id"))

    @declared_attr
    def owner(cls) -> Mapped[Optional["Owner"]]:
        return relationship("Owner", back_populates="pets" if cls.__name__ == "Pet" else None)


class Owner(Named, Base):
    __table_args__ = {"sqlite_autoincrement": True}
    pets: Mapped[list["Pet"]] = relationship(back_populates="owner")


class Pet(Named, HasOwner, Base):
    __table_args__ = (UniqueConstraint("name", "owner_id"), {"comment": "pets"})
    weight: Mapped[Optional[float]]


class Toy(Named, HasOwner, Base):
    @declared_attr.directive
    def __mapper_args__(cls):
        return {"eager_defaults": "auto"}


value("tables", sorted(Base.metadata.tables))
value("pet columns", [(c.name, str(c.type), c.nullable) for c in Pet.__table__.c])
value("pet constraints", sorted(type(c).__name__ for c in Pet.__table__.constraints))
value("comment", Pet.__table__.comment)
value("owner autoincrement", Owner.__table__.kwargs)
eng = engine()
Base.metadata.create_all(eng)
s = Session(eng)
o = Owner(name="ann")
p = Pet(name="rex", owner=o, weight=1.5)
t = Toy(name="ball", owner=o)
s.add_all([p, t])
s.commit()
check("committed", o=o, p=p, t=t)
value("pets", [x.name for x in o.pets])
value("toy owner", t.owner.name)
s.add(Pet(name="rex", owner=o))
with expect_error("unique (name, owner_id)"):
    s.commit()
s.rollback()
s.add(Pet())
with expect_error("name is NOT NULL"):
    s.flush()
s.rollback()
value("owners of pets", s.scalars(select(Pet.owner_id)).all())
