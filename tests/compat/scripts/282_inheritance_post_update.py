"""A post_update many-to-one on a joined subclass (to the base class): the link is its own
UPDATE of the subclass table after both rows exist, cleared before the rows go; the
subclass table's row is deleted before the base table's."""

from harness import engine, value
from sqlalchemy import Column, ForeignKey, Integer, String
from sqlalchemy.orm import Session, declarative_base, relationship

Base = declarative_base()


class Employee(Base):
    __tablename__ = "employee"
    id = Column(Integer, primary_key=True)
    name = Column(String(20))
    type = Column(String(20))
    __mapper_args__ = {"polymorphic_on": type, "polymorphic_identity": "employee"}


class Manager(Employee):
    __tablename__ = "manager"
    id = Column(Integer, ForeignKey("employee.id"), primary_key=True)
    fav_id = Column(Integer, ForeignKey("employee.id"))
    fav = relationship(Employee, foreign_keys=[fav_id], post_update=True)
    __mapper_args__ = {"polymorphic_identity": "manager", "inherit_condition": id == Employee.id}


eng = engine()
Base.metadata.create_all(eng)
s = Session(eng)
m = Manager(name="m")
x = Employee(name="x")
m.fav = x
s.add(m)
s.commit()
value("fav", m.fav_id)
m.fav = None
s.commit()
value("fav after", m.fav_id)
s.delete(m)
s.commit()
