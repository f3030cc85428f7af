"""`with Session(engine) as s, s.begin():` commits at the end of the block; an exception inside
the block rolls back and propagates; objects are detached once the session closes."""

from harness import check, engine, expect_error, value
from sqlalchemy import Column, Integer, String
from sqlalchemy.orm import Session, declarative_base

Base = declarative_base()


class User(Base):
    __tablename__ = "users"
    id = Column(Integer, primary_key=True)
    name = Column(String(50))


eng = engine()
Base.metadata.create_all(eng)

with Session(eng) as s, s.begin():
    ed = User(name="ed")
    s.add(ed)
check("after block", ed=ed)

with expect_error("raise inside begin()"):
    with Session(eng) as s, s.begin():
        wendy = User(name="wendy")
        s.add(wendy)
        s.flush()
        raise ValueError("boom")
check("after failed block", wendy=wendy)

with Session(eng) as s:
    with s.begin():
        s.add(User(name="mary"))
    value("in transaction after begin block", s.in_transaction())
    value("count", s.query(User).count())
