"""Modify a persistent object, flush (UPDATE), rollback: the object is expired and the next
access reloads the old committed value; an unflushed change is discarded the same way."""

from harness import check, engine, value
from sqlalchemy import Column, Integer, String
from sqlalchemy.orm import Session, declarative_base

Base = declarative_base()


class User(Base):
    __tablename__ = "users"
    id = Column(Integer, primary_key=True)
    name = Column(String(50))
    age = Column(Integer)


eng = engine()
Base.metadata.create_all(eng)

s = Session(eng)
u = User(name="ed", age=30)
s.add(u)
s.commit()
u.name = "eddie"
s.flush()
u.age = 99
s.rollback()
check("after rollback", u=u)
value("name reloaded", u.name)
value("age reloaded", u.age)
u.age = 31
s.rollback()
value("unflushed change discarded", u.age)
s.close()
