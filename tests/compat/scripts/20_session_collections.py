"""session.new / dirty / deleted through add, modify, delete, flush and commit."""

from harness import engine, members, track
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
a, b, c = User(name="a"), User(name="b"), User(name="c")
track(a=a, b=b, c=c)
s.add_all([a, b])
members("new", s.new)
s.commit()
s.add(c)
a.name = "a2"
s.delete(b)
members("new 2", s.new)
members("dirty 2", s.dirty)
members("deleted 2", s.deleted)
s.flush()
members("after flush", [*s.new, *s.dirty, *s.deleted])
members("identity map", s.identity_map.values())
s.commit()
members("identity map after commit", s.identity_map.values())
s.close()
