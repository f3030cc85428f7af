"""relationship() arguments given as strings, evaluated against the declarative registry
when the mappers configure: foreign_keys="Cls.col", foreign_keys="[Cls.a, Cls.b]",
a primaryjoin string naming Cls.col, remote_side="Cls.id" and "[Cls.id]", order_by
"Cls.col.desc()", and back_populates between them.  Flushes and loads through each."""

from harness import check, engine, value
from sqlalchemy import Column, ForeignKey, Integer, String, select
from sqlalchemy.orm import Session, declarative_base, relationship

Base = declarative_base()


class Person(Base):
    __tablename__ = "people"
    id = Column(Integer, primary_key=True)
    name = Column(String(30))
    home_id = Column(Integer, ForeignKey("addresses.id"))
    work_id = Column(Integer, ForeignKey("addresses.id"))
    home = relationship("Address", foreign_keys="Person.home_id")
    work = relationship("Address", foreign_keys="[Person.work_id]")
    boss_id = Column(Integer, ForeignKey("people.id"))
    boss = relationship("Person", remote_side="Person.id", back_populates="staff",
                        foreign_keys="Person.boss_id")
    staff = relationship("Person", back_populates="boss", order_by="Person.name.desc()",
                         foreign_keys="[Person.boss_id]")
    mentor_id = Column(Integer, ForeignKey("people.id"))
    mentor = relationship("Person", remote_side="[Person.id]",
                          primaryjoin="Person.mentor_id == Person.id")


class Address(Base):
    __tablename__ = "addresses"
    id = Column(Integer, primary_key=True)
    city = Column(String(30))
    residents = relationship("Person", primaryjoin="Address.id == Person.home_id",
                             viewonly=True, order_by="Person.id")
    workers = relationship("Person", primaryjoin="and_(Address.id == Person.work_id, "
                           "Person.name != 'nobody')", viewonly=True)


eng = engine()
Base.metadata.create_all(eng)

s = Session(eng)
home, work = Address(city="Oslo"), Address(city="Bergen")
boss = Person(name="boss", home=home, work=work)
ann = Person(name="ann", home=home, work=work, boss=boss, mentor=boss)
bob = Person(name="bob", home=work, boss=boss, mentor=ann)
s.add_all([ann, bob])
s.commit()
check("saved", boss=boss, ann=ann, bob=bob, home=home, work=work)
value("keys", [(p.name, p.home_id, p.work_id, p.boss_id, p.mentor_id) for p in (boss, ann, bob)])
s.close()

s = Session(eng)
people = {p.name: p for p in s.scalars(select(Person))}
value("staff ordered by name desc", [p.name for p in people["boss"].staff])
value("mentor", [people["bob"].mentor.name, people["ann"].mentor.name, people["boss"].mentor])
oslo = s.scalars(select(Address).where(Address.city == "Oslo")).one()
value("residents", [p.name for p in oslo.residents])
bergen = s.scalars(select(Address).where(Address.city == "Bergen")).one()
value("workers", sorted(p.name for p in bergen.workers))
people["bob"].boss = people["ann"]
people["ann"].work = None
s.commit()
value("after moves", sorted((p.name, p.boss_id, p.work_id) for p in s.scalars(select(Person))))
value("ann's staff", [p.name for p in people["ann"].staff])
s.close()
