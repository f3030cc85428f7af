"""delete() then rollback, before and after the flush: the object is persistent again, its row
is still there and session.deleted is empty."""

from harness import check, engine, members, value
from sqlalchemy import Column, Integer, String
from sqlalchemy.orm import Session, declarative_base

Base = declarative_base()


class User(Base):
    __tablename__ = "users"
    id = Column(Integer, primary_key=True)
    name = Column(String(50))


eng = engine()
Base.metadata.create_all(eng)

s = Session(eng)
u, v = User(name="ed"), User(name="wendy")
s.add_all([u, v])
s.commit()
s.delete(u)
check("marked", u=u)
s.rollback()
check("rollback before flush", u=u)
members("deleted", s.deleted)
s.delete(v)
s.flush()
check("flushed", v=v)
s.rollback()
check("rollback after flush", v=v)
value("v.name", v.name)
value("count", s.query(User).count())
s.close()
