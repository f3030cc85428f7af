"""One-to-one (uselist=False) with a scalar backref on both sides: assigning from either
side, swapping the one related object (the old one's foreign key nulled, or the old one
deleted with delete-orphan), setting it to None, and moving a child between parents."""

from harness import check, engine, expect_error, track, value
from sqlalchemy import Column, ForeignKey, Integer, String
from sqlalchemy.orm import Session, backref, declarative_base, relationship

Base = declarative_base()


class Person(Base):
    __tablename__ = "person"
    id = Column(Integer, primary_key=True)
    name = Column(String(30))
    passport = relationship("Passport", uselist=False, back_populates="person")
    badge = relationship("Badge", uselist=False, cascade="all, delete-orphan",
                         backref=backref("person"))


class Passport(Base):
    __tablename__ = "passport"
    id = Column(Integer, primary_key=True)
    number = Column(String(30))
    person_id = Column(ForeignKey("person.id"))
    person = relationship("Person", back_populates="passport")


class Badge(Base):
    __tablename__ = "badge"
    id = Column(Integer, primary_key=True)
    code = Column(String(30))
    person_id = Column(ForeignKey("person.id"))


eng = engine()
Base.metadata.create_all(eng)

s = Session(eng)
p1, p2 = Person(name="p1"), Person(name="p2")
pa, pb = Passport(number="A"), Passport(number="B")
b1, b2 = Badge(code="b1"), Badge(code="b2")
track(p1=p1, p2=p2, pa=pa, pb=pb, b1=b1, b2=b2)
p1.passport = pa
value("pa.person", pa.person)
pb.person = p2
value("p2.passport", p2.passport)
p1.badge = b1
value("b1.person", b1.person)
s.add_all([p1, p2])
s.commit()

# swap: the old passport's foreign key is nulled, the new one's set
p1.passport = pb
value("pb.person", pb.person)
value("p2.passport", p2.passport)
value("pa.person", pa.person)
s.flush()
check("after swap", pa=pa, pb=pb)
s.commit()

# swap with delete-orphan: the old badge is deleted
p1.badge = b2
s.flush()
check("old badge deleted", b1=b1, b2=b2)
s.commit()

# set to None from the many-to-one side
b2.person = None
s.flush()
check("orphaned by its many-to-one", b2=b2)
s.commit()

# to None from the one side, the plain one
p1.passport = None
s.commit()
value("pb.person after commit", pb.person)

# move a passport to a person who already has one
pa.person = p2
s.flush()
value("p2.passport", p2.passport)
s.commit()

# a person's badge given to someone else: not an orphan
p3 = Person(name="p3", badge=Badge(code="b3"))
s.add(p3)
s.commit()
b3 = p3.badge
track(p3=p3, b3=b3)
p2.badge = b3
value("p3.badge", p3.badge)
s.commit()
check("moved", b3=b3)
with expect_error("delete person with badge"):
    s.delete(p2)
    s.commit()
check("deleted with its badge", p2=p2, b3=b3)
s.close()
