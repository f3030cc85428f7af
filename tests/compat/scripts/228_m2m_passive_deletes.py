"""passive_deletes=True on a many-to-many whose association foreign keys cascade in the
database: deleting an end with its collection unloaded leaves the rows to ON DELETE CASCADE
(no SELECT, no DELETE of rows); a loaded collection's rows are still deleted by the ORM."""

from harness import engine, value
from sqlalchemy import Column, ForeignKey, Integer, String, Table, select
from sqlalchemy.orm import Session, declarative_base, relationship

Base = declarative_base()

memberships = Table(
    "memberships", Base.metadata,
    Column("group_id", ForeignKey("groups.id", ondelete="CASCADE"), primary_key=True),
    Column("person_id", ForeignKey("people.id", ondelete="CASCADE"), primary_key=True),
)


class Group(Base):
    __tablename__ = "groups"
    id = Column(Integer, primary_key=True)
    name = Column(String(20))
    people = relationship("Person", secondary=memberships, passive_deletes=True,
                          back_populates="groups")


class Person(Base):
    __tablename__ = "people"
    id = Column(Integer, primary_key=True)
    name = Column(String(20))
    groups = relationship("Group", secondary=memberships, back_populates="people")


def rows(s):
    return [tuple(r) for r in s.execute(select(memberships).order_by(
        memberships.c.group_id, memberships.c.person_id))]


eng = engine()
Base.metadata.create_all(eng)
s = Session(eng)
for name in ("g1", "g2"):  # one group per flush: SQLAlchemy writes a flush's rows in set order
    s.add(Group(name=name, people=[Person(name=name + "a"), Person(name=name + "b")]))
    s.commit()
value("rows", rows(s))

g1 = s.get(Group, 1)
s.delete(g1)  # people not loaded: the database deletes the rows
s.commit()
value("rows after g1", rows(s))

g2 = s.get(Group, 2)
value("g2.people", sorted(p.name for p in g2.people))
s.delete(g2)  # loaded: the ORM deletes the rows it knows
s.commit()
value("rows after g2", rows(s))
s.close()
