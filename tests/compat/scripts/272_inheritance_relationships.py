"""Relationships to and from subclasses of a joined-table hierarchy: Manager.reports (a
one-to-many declared on the subclass, its foreign key to the subclass table), Report.manager
(many-to-one to the subclass), Employee.company inherited by every subclass; delete of a
Manager de-associates its reports; expire and refresh of subclass and base columns;
an attribute never set on a new Manager after its flush; a three-level hierarchy
(Boss <- Manager <- Employee) writes three rows."""

from harness import check, engine, value
from sqlalchemy import Column, ForeignKey, Integer, String, select
from sqlalchemy.orm import Session, declarative_base, relationship

Base = declarative_base()


class Company(Base):
    __tablename__ = "companies"
    id = Column(Integer, primary_key=True)
    name = Column(String(50))
    employees = relationship("Employee", back_populates="company",
                             cascade="all, delete-orphan")


class Employee(Base):
    __tablename__ = "employees"
    id = Column(Integer, primary_key=True)
    name = Column(String(50))
    type = Column(String(20))
    company_id = Column(ForeignKey("companies.id"))
    company = relationship("Company", back_populates="employees")
    __mapper_args__ = {"polymorphic_on": type, "polymorphic_identity": "employee"}


class Manager(Employee):
    __tablename__ = "managers"
    id = Column(ForeignKey("employees.id"), primary_key=True)
    manager_data = Column(String(50))
    reports = relationship("Report", back_populates="manager")
    __mapper_args__ = {"polymorphic_identity": "manager"}


class Boss(Manager):
    __tablename__ = "bosses"
    id = Column(ForeignKey("managers.id"), primary_key=True)
    golf = Column(String(20))
    __mapper_args__ = {"polymorphic_identity": "boss"}


class Report(Base):
    __tablename__ = "reports"
    id = Column(Integer, primary_key=True)
    title = Column(String(20))
    manager_id = Column(ForeignKey("managers.id"))
    manager = relationship("Manager", back_populates="reports")


eng = engine()
Base.metadata.create_all(eng)
s = Session(eng)
m = Manager(name="m", manager_data="d", reports=[Report(title="r1"), Report(title="r2")])
b = Boss(name="b", golf="yes")
co = Company(name="c", employees=[m, b, Employee(name="e")])
s.add(co)
s.flush()
check("flushed", m=m, b=b, co=co)
value("never set, after flush", b.manager_data)
s.commit()
value("after commit", (m.name, m.manager_data, b.golf))
s.expire(m, ["manager_data"])
value("expired subclass column", m.manager_data)
s.expire(m, ["name", "manager_data"])
value("expired both", (m.name, m.manager_data))
s.refresh(m)
s.refresh(b, ["golf"])
s.expunge_all()

r = s.get(Report, 1)
value("report's manager", (type(r.manager).__name__, r.manager.name))
value("manager's reports", sorted(x.title for x in r.manager.reports))
value("company of a subclass", r.manager.company.name)
s.expunge_all()

boss = s.scalars(select(Manager).where(Manager.id == 2)).one()
value("boss via Manager", (type(boss).__name__, boss.golf, boss.manager_data))
boss.golf = "no"
boss.manager_data = "md"
boss.name = "bb"
s.flush()
mgr = s.get(Employee, 1)
s.delete(mgr)
s.flush()
check("manager deleted", mgr=mgr)
value("reports left", s.execute(select(Report.title, Report.manager_id)).all())
co = s.get(Company, 1)
co.employees.remove(boss)
s.commit()
value("orphan boss deleted", s.scalars(select(Employee.name)).all())
s.expunge_all()
m3 = Manager(name="m3", manager_data="d3")
s.add(m3)
s.commit()
s.expire(m3, ["manager_data"])
value("expired again", m3.manager_data)
