"""Concrete-table inheritance (__mapper_args__ = {"concrete": True}) without polymorphic
loading: the subclass has its own table with every column, its own identity key (its own
class), and select(Employee) reads the employee table only; relationships to each class."""

from harness import check, engine, value
from sqlalchemy import Column, ForeignKey, Integer, String, select
from sqlalchemy.orm import Session, declarative_base, relationship

Base = declarative_base()


class Company(Base):
    __tablename__ = "companies"
    id = Column(Integer, primary_key=True)
    employees = relationship("Employee")
    managers = relationship("Manager")


class Employee(Base):
    __tablename__ = "employee"
    id = Column(Integer, primary_key=True)
    name = Column(String(50))
    company_id = Column(ForeignKey("companies.id"))


class Manager(Employee):
    __tablename__ = "manager"
    id = Column(Integer, primary_key=True)
    name = Column(String(50))
    manager_data = Column(String(40))
    company_id = Column(ForeignKey("companies.id"))
    __mapper_args__ = {"concrete": True}


eng = engine()
Base.metadata.create_all(eng)
s = Session(eng)
e = Employee(name="e")
m = Manager(name="m", manager_data="d")
c = Company(employees=[e], managers=[m])
s.add(c)
s.flush()
check("flushed", e=e, m=m, c=c)
m.name = "mm"
s.flush()
s.commit()
s.expunge_all()
value("employees", [(type(x).__name__, x.name) for x in s.scalars(select(Employee))])
value("managers", [(type(x).__name__, x.name) for x in s.scalars(select(Manager))])
value("get manager 1", s.get(Manager, 1).manager_data)
value("get employee 1", type(s.get(Employee, 1)).__name__)
s.delete(s.get(Manager, 1))
s.commit()
value("companies' managers", s.get(Company, 1).managers)
