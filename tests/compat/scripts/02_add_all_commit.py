"""add_all of several objects, flush order of INSERTs (executemany / RETURNING batching as
the Core emits it), identity keys after flush, commit, and session.new before and after."""

from harness import check, engine, members, value
from sqlalchemy import Column, Integer, String
from sqlalchemy.orm import Session, declarative_base

Base = declarative_base()


class User(Base):
    __tablename__ = "users"
    id = Column(Integer, primary_key=True)
    name = Column(String(50), nullable=False)


eng = engine()
Base.metadata.create_all(eng)

s = Session(eng)
users = [User(name=n) for n in ("ed", "wendy", "mary")]
s.add_all(users)
check("after add_all", ed=users[0], wendy=users[1], mary=users[2])
members("new", s.new)
s.add(users[0])  # adding twice is a no-op
members("new again", s.new)
s.commit()
check("after commit", ed=users[0], wendy=users[1], mary=users[2])
members("new after commit", s.new)
value("ids", [u.id for u in users])
s.close()
