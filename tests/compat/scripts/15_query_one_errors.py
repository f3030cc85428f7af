"""Query.one() / Result.scalar_one(): exactly one row returns it; no row raises NoResultFound,
several rows raise MultipleResultsFound (compared by type name)."""

from harness import engine, expect_error, track, value
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
ed, ed2, wendy = User(name="ed"), User(name="ed"), User(name="wendy")
s.add_all([ed, ed2, wendy])
s.commit()
track(ed=ed, ed2=ed2, wendy=wendy)
value("one", s.query(User).filter_by(name="wendy").one())
with expect_error("one() no row"):
    s.query(User).filter_by(name="nobody").one()
with expect_error("one() two rows"):
    s.query(User).filter_by(name="ed").one()
with expect_error("scalar_one() no row"):
    s.execute(select(User).where(User.name == "nobody")).scalar_one()
with expect_error("scalars().one() two rows"):
    s.scalars(select(User).where(User.name == "ed")).one()
value("session still usable", s.get(User, 3))
s.close()
