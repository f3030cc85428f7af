"""A cycle no order resolves, in a flush where other actions sort before it: SQLAlchemy runs
those first (a class's INSERT/UPDATE, DELETE or post-update action takes the connection even
with no rows: BEGIN, then ROLLBACK), while a cycle that blocks every action fails before any
connection.  A post_update many-to-one whose backref turns post_update off, and a plain
two-class cycle next to an unrelated class with and without rows."""

import re

from harness import check, engine, value
from sqlalchemy import Column, ForeignKey, Integer, String
from sqlalchemy.orm import Session, backref, declarative_base, relationship

Base = declarative_base()


class Person(Base):
    __tablename__ = "people"
    id = Column(Integer, primary_key=True)
    favorite_id = Column(Integer, ForeignKey("balls.id", name="fav"))
    favorite = relationship("Ball", foreign_keys=[favorite_id], post_update=True,
                            backref=backref("fans", post_update=False))


class Ball(Base):
    __tablename__ = "balls"
    id = Column(Integer, primary_key=True)
    person_id = Column(Integer, ForeignKey("people.id"))
    owner = relationship("Person", foreign_keys=[person_id], backref="balls")


class Left(Base):
    __tablename__ = "lefts"
    id = Column(Integer, primary_key=True)
    right_id = Column(Integer, ForeignKey("rights.id"))
    right = relationship("Right", foreign_keys=[right_id])


class Right(Base):
    __tablename__ = "rights"
    id = Column(Integer, primary_key=True)
    left_id = Column(Integer, ForeignKey("lefts.id"))
    left = relationship("Left", foreign_keys=[left_id])


class Pet(Base):
    __tablename__ = "pets"
    id = Column(Integer, primary_key=True)
    name = Column(String(20))


def fails(label, fn):
    try:
        fn()
    except Exception as e:  # noqa: BLE001
        value(label, [type(e).__name__, sorted(
            re.sub(r" at 0x[0-9a-fA-F]+", "", repr(a)) for a in getattr(e, "cycles", ()))])
    else:
        value(label, "no exception raised")


eng = engine()
Base.metadata.create_all(eng)

s = Session(eng)
p = Person(id=1)
b = Ball(id=1, owner=p)
b.fans.append(p)
s.add(p)
fails("post_update off on the backref", s.flush)
s.rollback()
check("after", p=p, b=b)
s.close()

s = Session(eng)
left, right = Left(id=1), Right(id=1)
left.right, right.left = right, left
s.add_all([left, Pet(id=1, name="rex")])
fails("cycle next to a new row", s.flush)
s.rollback()
s.close()

s = Session(eng)
s.add(Pet(id=2, name="tom"))
s.commit()
pet = s.get(Pet, 2)
left, right = Left(id=2), Right(id=2)
left.right, right.left = right, left
s.add(left)
s.delete(pet)
fails("cycle next to a delete", s.flush)
s.rollback()
check("pet", pet=pet)
s.close()
