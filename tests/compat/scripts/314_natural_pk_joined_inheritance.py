"""A natural primary key changing on a joined-inheritance object (test_naturalpks' joined
inheritance): the subclass table's key follows the base table's (passive_updates=False on
the mapper, inherited by the subclasses), and a one-to-many from another class to the
subclass follows too; with the default passive_updates=True the database cascades it (ON
UPDATE CASCADE) and the subclass table's UPDATE locates its row by the new key."""

from harness import check, engine, value
from sqlalchemy import Column, ForeignKey, String, select
from sqlalchemy.orm import Session, declarative_base, relationship

Base = declarative_base()


class Person(Base):
    __tablename__ = "people"
    name = Column(String(50), primary_key=True)
    type = Column(String(50), nullable=False)
    __mapper_args__ = {"polymorphic_on": type, "polymorphic_identity": "person",
                       "passive_updates": False}


class Engineer(Person):
    __tablename__ = "engineers"
    name = Column(String(50), ForeignKey("people.name", deferrable=True,
                                         initially="DEFERRED"), primary_key=True)
    primary_language = Column(String(50))
    boss_name = Column(String(50), ForeignKey("managers.name", deferrable=True,
                                              initially="DEFERRED"))
    __mapper_args__ = {"polymorphic_identity": "engineer"}


class Manager(Person):
    __tablename__ = "managers"
    name = Column(String(50), ForeignKey("people.name", deferrable=True,
                                         initially="DEFERRED"), primary_key=True)
    paperwork = Column(String(50))
    engineers = relationship("Engineer", foreign_keys=[Engineer.boss_name],
                             passive_updates=False, order_by="Engineer.name")
    __mapper_args__ = {"polymorphic_identity": "manager", "passive_updates": False}


class Animal(Base):
    __tablename__ = "animals"
    name = Column(String(50), primary_key=True)
    kind = Column(String(20))
    __mapper_args__ = {"polymorphic_on": kind, "polymorphic_identity": "animal"}


class Dog(Animal):
    __tablename__ = "dogs"
    name = Column(String(50), ForeignKey("animals.name", onupdate="CASCADE"),
                  primary_key=True)
    bark = Column(String(20))
    __mapper_args__ = {"polymorphic_identity": "dog"}


def rows():
    return [sorted(tuple(r) for r in s.execute(select(Person.__table__))),
            sorted(tuple(r) for r in s.execute(select(Engineer.__table__))),
            sorted(tuple(r) for r in s.execute(select(Manager.__table__)))]


eng = engine()
Base.metadata.create_all(eng)

s = Session(eng)
m = Manager(name="dogbert", paperwork="lots")
e = Engineer(name="dilbert", primary_language="java")
m.engineers.append(e)
s.add(m)
s.commit()
value("start", rows())
e.name = "wally"
s.commit()
check("engineer renamed", e=e)
value("after engineer", rows())
m.name = "pointy"
s.commit()
check("manager renamed", m=m, e=e)
value("after manager", rows())

rex = Dog(name="rex", bark="woof")
s.add(rex)
s.commit()
rex.name = "max"
s.commit()
rex.name = "fido"
rex.bark = "yap"
s.commit()
check("dog", rex=rex)
value("dogs", [sorted(tuple(r) for r in s.execute(select(Animal.__table__))),
               sorted(tuple(r) for r in s.execute(select(Dog.__table__)))])
s.close()
