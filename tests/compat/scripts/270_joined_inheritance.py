"""Joined-table inheritance with a discriminator: Employee <- Manager / Engineer.

The discriminator is set when an object is constructed; an INSERT writes the base row
(its generated key) and then the subclass row with that key; an UPDATE touches only the
tables whose columns changed; a DELETE removes the subclass row, then the base row.
select(Employee) returns subclass instances (their own columns loaded on access, by the
subclass table alone), select(Manager) joins both tables; Session.get() of the base class
finds a subclass instance and the identity key names the base class."""

from harness import check, engine, names, value
from sqlalchemy import Column, ForeignKey, Integer, String, func, select
from sqlalchemy.orm import Session, declarative_base, relationship

Base = declarative_base()


class Company(Base):
    __tablename__ = "companies"
    id = Column(Integer, primary_key=True)
    name = Column(String(50))
    employees = relationship("Employee", back_populates="company")


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
    __mapper_args__ = {"polymorphic_identity": "manager"}


class Engineer(Employee):
    __tablename__ = "engineers"
    id = Column(ForeignKey("employees.id"), primary_key=True)
    eng_info = Column(String(50))
    __mapper_args__ = {"polymorphic_identity": "engineer"}


eng = engine()
Base.metadata.create_all(eng)
s = Session(eng)
m = Manager(name="m1", manager_data="md")
value("discriminator at construction", m.type)
e1 = Employee(name="e1")
g = Engineer(name="g", eng_info="x")
m2 = Manager(name="m2")
c = Company(name="c", employees=[e1, m, g, m2])
s.add(c)
s.flush()
check("flushed", m=m, e1=e1, g=g, m2=m2)
m.manager_data = "md2"
s.flush()
m.name = "mm"
s.flush()
m.name = "mmm"
m.manager_data = "x"
s.flush()
s.commit()

rows = s.scalars(select(Employee).order_by(Employee.id)).all()
value("polymorphic rows", [type(r).__name__ for r in rows])
value("same objects", names(rows))
s.expunge_all()
rows = s.scalars(select(Employee).order_by(Employee.id)).all()
value("manager data on access", rows[1].manager_data)
value("engineer info on access", rows[2].eng_info)
s.expunge_all()
value("managers", [(r.id, r.name, r.manager_data) for r in s.scalars(select(Manager))])
s.expunge_all()
x = s.get(Employee, 2)
value("get base finds subclass", type(x).__name__)
check("got", x=x)
value("employee 1 is no manager", s.get(Manager, 1))
value("manager 4", s.get(Manager, 4).name)
value("query subclass filtered",
      [r.name for r in s.query(Manager).filter_by(name="m2").all()])
value("subclass column select", s.scalars(select(Manager.name).order_by(Manager.name)).all())
s.delete(x)
s.flush()
check("deleted", x=x)
s.commit()
s.expunge_all()
value("subclass table column", s.scalars(select(Manager.manager_data)).all())
value("both tables' columns",
      s.execute(select(Manager.name, Manager.manager_data).where(Manager.name == "m2")).all())
value("count of managers", s.scalar(select(func.count(Manager.id))))
value("outer join from a subclass",
      s.execute(select(Manager.id, Company.name)
                .join(Company, Manager.company_id == Company.id, isouter=True)).all())
