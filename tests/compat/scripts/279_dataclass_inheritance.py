# ruff: noqa: UP045  (the typing forms SQLAlchemy users write are the point)
"""MappedAsDataclass with joined-table inheritance: the subclass's __init__ takes the
parent's fields then its own, the discriminator (init=False) is set at construction and
shown by __repr__; the base class's SELECT returns subclass instances whose own columns
load on access (for the repr)."""

from typing import Optional

from harness import engine, value
from sqlalchemy import ForeignKey, select
from sqlalchemy.orm import DeclarativeBase, Mapped, MappedAsDataclass, Session, mapped_column


class Base(MappedAsDataclass, DeclarativeBase):
    pass


class Employee(Base):
    __tablename__ = "employee"
    id: Mapped[int] = mapped_column(init=False, primary_key=True)
    name: Mapped[str]
    type: Mapped[str] = mapped_column(init=False)
    __mapper_args__ = {"polymorphic_on": "type", "polymorphic_identity": "employee"}


class Manager(Employee):
    __tablename__ = "manager"
    id: Mapped[int] = mapped_column(ForeignKey("employee.id"), init=False, primary_key=True)
    data: Mapped[Optional[str]] = mapped_column(default=None)
    __mapper_args__ = {"polymorphic_identity": "manager"}


m = Manager("boss", data="d")
value("repr", repr(m))
value("dict", sorted(k for k in m.__dict__ if not k.startswith("_")))
eng = engine()
Base.metadata.create_all(eng)
s = Session(eng)
s.add_all([m, Employee("e")])
s.commit()
s.expunge_all()
value("loaded", [repr(x) for x in s.scalars(select(Employee).order_by(Employee.id))])
