"""Session.get: an identity-map hit emits no SQL and returns the same object; a miss emits a
SELECT by primary key; a missing row returns None (and a second try queries again)."""

from harness import check, engine, value
from sqlalchemy import Column, Integer, String
from sqlalchemy.orm import Session, declarative_base

Base = declarative_base()


class User(Base):
    __tablename__ = "users"
    id = Column(Integer, primary_key=True)
    name = Column(String(50))


eng = engine()
Base.metadata.create_all(eng)

with Session(eng) as s:
    s.add_all([User(name="ed"), User(name="wendy")])
    s.commit()

s = Session(eng)
u = s.get(User, 1)
check("get miss", u=u)
value("get hit is same", s.get(User, 1) is u)
value("name", u.name)
value("get 99", s.get(User, 99))
value("get 99 again", s.get(User, 99))
w = s.get(User, (2,))
check("get tuple pk", w=w)
s.close()
