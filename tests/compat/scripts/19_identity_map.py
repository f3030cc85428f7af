"""Identity map: the same primary key gives the same object from get(), query() and select();
after expunge a new object is loaded; a dirty attribute is not overwritten by a re-query."""

from harness import check, engine, value
from sqlalchemy import Column, Integer, String, select
from sqlalchemy.orm import Session, declarative_base

Base = declarative_base()


class User(Base):
    __tablename__ = "users"
    id = Column(Integer, primary_key=True)
    name = Column(String(50))


eng = engine()
Base.metadata.create_all(eng)

with Session(eng) as s:
    s.add(User(name="ed"))
    s.commit()

with Session(eng, autoflush=False) as s:
    a = s.get(User, 1)
    b = s.query(User).filter_by(name="ed").one()
    c = s.scalars(select(User)).one()
    value("a is b, b is c", [a is b, b is c])
    a.name = "changed"
    d = s.scalars(select(User)).one()
    value("re-query keeps pending change", [d is a, d.name])
    s.expunge(a)
    e = s.get(User, 1)
    check("after expunge", a=a, e=e)
    value("e is a", e is a)
    value("e.name", e.name)
