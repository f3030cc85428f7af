"""declarative_base + Column mapping: create_all, add, flush, commit; transient -> pending ->
persistent; the generated primary key appears on the object; the row is committed."""

from harness import check, engine, members, value
from sqlalchemy import Column, Integer, String
from sqlalchemy.orm import Session, declarative_base

Base = declarative_base()


class User(Base):
    __tablename__ = "users"
    id = Column(Integer, primary_key=True)
    name = Column(String(50), nullable=False)
    fullname = Column(String(100))


eng = engine()
Base.metadata.create_all(eng)

s = Session(eng)
u = User(name="ed", fullname="Ed Jones")
check("new object", u=u)
value("id before flush", u.id)
s.add(u)
check("after add", u=u)
members("new", s.new)
s.flush()
check("after flush", u=u)
value("id after flush", u.id)
members("new after flush", s.new)
s.commit()
check("after commit", u=u)
value("name after commit", u.name)
s.close()
check("after close", u=u)
