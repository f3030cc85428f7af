"""ORM bulk INSERT: session.execute(insert(User), [dicts]) autoflushes, then one executemany
per run of equal keys (attribute names; unknown keys dropped); the identity map is not
touched; insert(User).values(...) inserts one row."""

from harness import engine, value
from sqlalchemy import Column, Integer, String, insert, select
from sqlalchemy.orm import Session, declarative_base

Base = declarative_base()


class User(Base):
    __tablename__ = "users"
    id = Column(Integer, primary_key=True)
    name = Column(String(50))
    age = Column(Integer, default=7)


eng = engine()
Base.metadata.create_all(eng)
s = Session(eng)
s.add(User(name="pending"))
s.execute(insert(User), [{"name": "a", "age": 1}, {"name": "b", "age": 2}, {"name": "c"},
                         {"name": "d", "bogus": 1}, {"name": "e", "age": 5}])
value("identity map untouched", len(s.identity_map))
r = s.execute(insert(User).values(name="single"))
value("single rowcount", r.rowcount)
value("rows", s.execute(select(User.name, User.age).order_by(User.id)).all())
s.commit()
s.close()
