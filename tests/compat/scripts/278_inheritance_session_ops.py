"""Session operations on a joined-table hierarchy: merge() of a detached subclass object,
rollback of a pending subclass object (transient again, its discriminator kept), a
SAVEPOINT rollback of a subclass column change, expire_all() then a subclass column,
delete() of an object loaded as the base class (both rows), polymorphic query after
expunge_all()."""

from harness import check, engine, value
from sqlalchemy import Column, ForeignKey, Integer, String, select
from sqlalchemy.orm import Session, declarative_base

Base = declarative_base()


class Employee(Base):
    __tablename__ = "employees"
    id = Column(Integer, primary_key=True)
    name = Column(String(50))
    type = Column(String(20))
    __mapper_args__ = {"polymorphic_on": type, "polymorphic_identity": "employee"}


class Manager(Employee):
    __tablename__ = "managers"
    id = Column(ForeignKey("employees.id"), primary_key=True)
    data = Column(String(50))
    __mapper_args__ = {"polymorphic_identity": "manager"}


eng = engine()
Base.metadata.create_all(eng)
s = Session(eng)
m = Manager(name="m", data="d")
s.add(m)
s.commit()
s.close()

m.data = "changed while detached"
s = Session(eng)
merged = s.merge(m)
check("merged", merged=merged, m=m)
value("merged data", merged.data)
s.commit()

p = Manager(name="pending", data="p")
s.add(p)
s.flush()
s.rollback()
check("rolled back", p=p)
value("discriminator kept", p.type)

x = s.get(Employee, 1)
sp = s.begin_nested()
x.data = "in savepoint"
s.flush()
sp.rollback()
value("after savepoint rollback", x.data)
s.expire_all()
value("after expire_all", (x.data, x.name))
s.commit()
s.expunge_all()
y = s.scalars(select(Employee)).one()
s.delete(y)
s.commit()
check("deleted", y=y)
value("rows", s.execute(select(Employee.id)).all())
