# ruff: noqa: UP006, UP035, UP037, UP045  (the typing forms SQLAlchemy users write are the point)
"""2.x declarative inheritance: Mapped[...] columns, polymorphic_on given by name, a joined
subclass whose key column has its own name (engineer.person_id, copied from the parent's
generated id), a single-table subclass under a joined one, a many-to-one from the base
class to a subclass of its own hierarchy (rows of one table depending on each other: saved
object by object), Session.get() of a subclass for a key the identity map holds as
another class, refresh() of a subclass."""

from typing import Optional

from harness import check, engine, value
from sqlalchemy import ForeignKey, String, select
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, relationship


class Base(DeclarativeBase):
    pass


class Person(Base):
    __tablename__ = "people"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(30))
    kind: Mapped[str] = mapped_column(String(20))
    mentor_id: Mapped[Optional[int]] = mapped_column(ForeignKey("engineer.person_id"))
    mentor: Mapped[Optional["Engineer"]] = relationship(
        back_populates="mentees", foreign_keys=[mentor_id])
    __mapper_args__ = {"polymorphic_on": "kind", "polymorphic_identity": "person"}


class Engineer(Person):
    __tablename__ = "engineer"
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), primary_key=True)
    language: Mapped[Optional[str]]
    mentees: Mapped[list["Person"]] = relationship(
        back_populates="mentor", foreign_keys=[Person.mentor_id])
    __mapper_args__ = {"polymorphic_identity": "engineer",
                       "inherit_condition": person_id == Person.id}


class Lead(Engineer):
    team: Mapped[Optional[str]]
    __mapper_args__ = {"polymorphic_identity": "lead"}


value("engineer columns", [(c.name, c.nullable) for c in Engineer.__table__.c])
eng = engine()
Base.metadata.create_all(eng)
s = Session(eng)
boss = Lead(name="boss", language="c", team="core")
e = Engineer(name="eng", language="py", mentor=boss)
p = Person(name="pat", mentor=e)
s.add(p)
s.flush()
check("flushed", boss=boss, e=e, p=p)
value("keys", (boss.id, boss.person_id, e.id, e.person_id))
s.commit()
value("mentees", sorted(x.name for x in boss.mentees))
s.expunge_all()
value("all", [(type(x).__name__, x.name) for x in s.scalars(select(Person).order_by(Person.id))])
value("person 3 as engineer", s.get(Engineer, 3))
value("leads", [x.team for x in s.scalars(select(Lead))])
x = s.get(Engineer, 1)
x.team = "kernel"
s.flush()
s.refresh(x)
value("refreshed", (x.name, x.language, x.team))
p3 = s.get(Person, 3)
p3.mentor = x
s.delete(s.get(Engineer, 2))
s.commit()
value("left", [(x.name, x.mentor_id) for x in s.scalars(select(Person).order_by(Person.id))])
