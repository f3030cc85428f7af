"""Joined-table inheritance with a versioned base table, a server default in the
subclass table and a many-to-many on the subclass: a change to the subclass table alone
still bumps the version in the base table
the subclass's server default is not fetched
by RETURNING (the base class has none); merge() and deletes table by table."""

from harness import engine, value
from sqlalchemy import Column, ForeignKey, Integer, String, Table, select
from sqlalchemy.orm import Session, declarative_base, relationship

Base = declarative_base()
cm = Table("cm", Base.metadata, Column("club_id", ForeignKey("club.id"), primary_key=True),
           Column("mgr_id", ForeignKey("manager.id"), primary_key=True))


class Employee(Base):
    __tablename__ = "employee"
    id = Column(Integer, primary_key=True)
    name = Column(String(20))
    type = Column(String(20))
    version = Column(Integer, nullable=False)
    __mapper_args__ = {"polymorphic_on": type, "polymorphic_identity": "employee",
                       "version_id_col": version}


class Manager(Employee):
    __tablename__ = "manager"
    id = Column(Integer, ForeignKey("employee.id"), primary_key=True)
    data = Column(String(20), server_default="d0")
    clubs = relationship("Club", secondary=cm, backref="managers")
    __mapper_args__ = {"polymorphic_identity": "manager"}


class Club(Base):
    __tablename__ = "club"
    id = Column(Integer, primary_key=True)
    name = Column(String(20))


eng = engine()
Base.metadata.create_all(eng)
s = Session(eng)
m = Manager(name="m", data="x")
m2 = Manager(name="m2")
em = Employee(name="e")
c = Club(name="c")
m.clubs.append(c)
s.add_all([m, em, m2])
s.commit()
m.data = "y"
s.flush()
m.name = "mm"
s.flush()
value("versions", (m.version, m2.data))
s.expire_all()
got = s.scalars(select(Employee).order_by(Employee.id)).all()
value("loaded", ([type(x).__name__ for x in got], got[0].data))
m3 = s.merge(Manager(id=m.id, name="merged"))
value("merged", (m3 is got[0], m3.name))
s.delete(got[1])
s.delete(got[0])
s.commit()
