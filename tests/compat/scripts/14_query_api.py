"""Legacy Query: all, first, filter, filter_by, order_by, count, get (identity-map hit and
miss); labelled SELECT columns as the legacy query emits them."""

import warnings

from harness import engine, names, track, value
from sqlalchemy import Column, Integer, String
from sqlalchemy.orm import Session, declarative_base

warnings.simplefilter("ignore")  # Query.get() is a legacy API

Base = declarative_base()


class User(Base):
    __tablename__ = "users"
    id = Column(Integer, primary_key=True)
    name = Column(String(50))
    age = Column(Integer)


eng = engine()
Base.metadata.create_all(eng)

s = Session(eng)
users = [User(name="ed", age=30), User(name="wendy", age=25), User(name="mary", age=35)]
s.add_all(users)
s.commit()
track(ed=users[0], wendy=users[1], mary=users[2])
value("all", names(s.query(User).all()))
value("order_by desc", names(s.query(User).order_by(User.age.desc()).all()))
value("filter", names(s.query(User).filter(User.age > 26).order_by(User.name).all()))
value("filter_by", names(s.query(User).filter_by(name="wendy").all()))
value("first", names([s.query(User).order_by(User.name).first()]))
value("first none", s.query(User).filter_by(name="nobody").first())
value("count", s.query(User).count())
value("count filtered", s.query(User).filter(User.age < 31).count())
value("get hit", s.query(User).get(1) is users[0])
s.expunge(users[2])
value("get miss", s.query(User).get(3) is users[2])
s.close()
