"""Autoflush: a pending object and a dirty attribute are flushed before a query runs (INSERT /
UPDATE precede the SELECT); Session.get on a pending PK does not need SQL afterwards."""

from harness import check, engine, names, track, value
from sqlalchemy import Column, Integer, String, select
from sqlalchemy.orm import Session, declarative_base

Base = declarative_base()


class User(Base):
    __tablename__ = "users"
    id = Column(Integer, primary_key=True)
    name = Column(String(50))


eng = engine()
Base.metadata.create_all(eng)

s = Session(eng)
ed = User(name="ed")
s.add(ed)
s.commit()
wendy = User(name="wendy")
s.add(wendy)
ed.name = "eddie"
track(ed=ed, wendy=wendy)
value("query sees both", names(s.scalars(select(User).order_by(User.name))))
check("after autoflush", ed=ed, wendy=wendy)
mary = User(name="mary")
s.add(mary)
track(mary=mary)
value("legacy query count autoflushes", s.query(User).count())
check("mary", mary=mary)
s.rollback()
check("after rollback", mary=mary, wendy=wendy)
s.close()
