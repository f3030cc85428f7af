"""Single-table inheritance: Employee <- Manager <- Boss, Employee <- Engineer, one table.

A subclass's columns join the shared table; each class INSERTs only the columns it maps
(its siblings' stay NULL), the discriminator filled in; select(Manager) and
Session.get(Manager, ...) add "type IN (manager, boss)"; a subclass column the base class's
SELECT did not load is loaded on access; get() of the wrong subclass finds nothing."""

from harness import check, engine, value
from sqlalchemy import Column, Integer, String, func, select
from sqlalchemy.orm import Session, declarative_base

Base = declarative_base()


class Employee(Base):
    __tablename__ = "employees"
    id = Column(Integer, primary_key=True)
    name = Column(String(50))
    type = Column(String(20))
    __mapper_args__ = {"polymorphic_on": type, "polymorphic_identity": "employee"}


class Manager(Employee):
    manager_data = Column(String(50))
    __mapper_args__ = {"polymorphic_identity": "manager"}


class Boss(Manager):
    __mapper_args__ = {"polymorphic_identity": "boss"}


class Engineer(Employee):
    eng_info = Column(String(50))
    __mapper_args__ = {"polymorphic_identity": "engineer"}


value("table columns", [c.name for c in Employee.__table__.c])
eng = engine()
Base.metadata.create_all(eng)
s = Session(eng)
e = Employee(name="e")
m = Manager(name="m", manager_data="x")
g = Engineer(name="g")
b = Boss(name="b")
value("discriminators", [e.type, m.type, g.type, b.type])
s.add_all([e, m, g, b])
s.flush()
check("flushed", e=e, m=m, g=g, b=b)
m.manager_data = "y"
b.name = "bb"
s.commit()
s.expunge_all()
rows = s.scalars(select(Employee).order_by(Employee.id))
value("all", [(type(r).__name__, r.name) for r in rows])
s.expunge_all()
value("managers", [(type(r).__name__, r.name) for r in s.scalars(select(Manager))])
value("managers named m", [r.name for r in s.scalars(select(Manager).where(Manager.name == "m"))])
value("engineer 3 is not a manager", s.get(Manager, 3))
value("get base", type(s.get(Employee, 3)).__name__)
s.expunge_all()
value("still not a manager", s.get(Manager, 3))
value("query", [r.name for r in s.query(Manager).all()])
value("query count", s.query(Manager).count())
value("column select", s.scalars(select(Manager.name)).all())
value("count select", s.scalar(select(func.count(Manager.id))))
s.expunge_all()
x = s.get(Employee, 2)
value("loaded as base", sorted(k for k in x.__dict__ if not k.startswith("_")))
value("subclass column on access", x.manager_data)
s.delete(x)
s.commit()
value("left", s.scalars(select(Employee.name).order_by(Employee.name)).all())
