"""A many-to-many on a joined-inheritance subclass whose secondary table references the
base class's table (engineer_projects.employee_id -> employees.id, not engineers.id), given
as a string; the other side's backref to the subclass; a second secondary referencing the
subclass's own table.  Association rows written and deleted, collections loaded."""

from harness import check, engine, value
from sqlalchemy import Column, ForeignKey, Integer, String, Table, select
from sqlalchemy.orm import Session, declarative_base, relationship

Base = declarative_base()

engineer_projects = Table(
    "engineer_projects", Base.metadata,
    Column("employee_id", ForeignKey("employees.id"), primary_key=True),
    Column("project_id", ForeignKey("projects.id"), primary_key=True),
)
engineer_tools = Table(
    "engineer_tools", Base.metadata,
    Column("engineer_id", ForeignKey("engineers.id"), primary_key=True),
    Column("tool_id", ForeignKey("tools.id"), primary_key=True),
)


class Employee(Base):
    __tablename__ = "employees"
    id = Column(Integer, primary_key=True)
    name = Column(String(30))
    type = Column(String(20))
    __mapper_args__ = {"polymorphic_on": type, "polymorphic_identity": "employee"}


class Engineer(Employee):
    __tablename__ = "engineers"
    id = Column(Integer, ForeignKey("employees.id"), primary_key=True)
    language = Column(String(20))
    projects = relationship("Project", secondary="engineer_projects", backref="engineers",
                            order_by="Project.id")
    tools = relationship("Tool", secondary=engineer_tools, order_by="Tool.id")
    __mapper_args__ = {"polymorphic_identity": "engineer"}


class Project(Base):
    __tablename__ = "projects"
    id = Column(Integer, primary_key=True)
    title = Column(String(30))


class Tool(Base):
    __tablename__ = "tools"
    id = Column(Integer, primary_key=True)
    name = Column(String(30))


eng = engine()
Base.metadata.create_all(eng)

s = Session(eng)
p1, p2 = Project(id=1, title="p1"), Project(id=2, title="p2")
hammer = Tool(id=1, name="hammer")
e1 = Engineer(id=10, name="e1", language="py", projects=[p1, p2], tools=[hammer])
e2 = Engineer(id=11, name="e2", language="c")
s.add_all([e1, e2])
s.commit()
# (SQLAlchemy writes one flush's association rows object by object in set order: one
# object's rows per flush here)
p2.engineers.append(e2)
s.commit()
check("saved", e1=e1, e2=e2, p1=p1, p2=p2)
s.close()

s = Session(eng)
e1 = s.get(Engineer, 10)
value("projects", [p.title for p in e1.projects])
value("tools", [t.name for t in e1.tools])
p2 = s.get(Project, 2)
value("engineers of p2", sorted(e.name for e in p2.engineers))
e1.projects.remove(p2)
s.commit()
value("rows", sorted(tuple(r) for r in s.execute(select(engineer_projects))))
s.delete(s.get(Engineer, 11))
s.commit()
value("rows after delete", sorted(tuple(r) for r in s.execute(select(engineer_projects))))
s.close()
