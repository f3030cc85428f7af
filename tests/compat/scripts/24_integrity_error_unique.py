"""Unique violation in the middle of a multi-row flush inside commit(): IntegrityError, the
earlier INSERTs of the same flush are rolled back, the pending objects are expunged (transient)
by the rollback; re-adding the good one and committing works."""

from harness import check, engine, expect_error, members, value
from sqlalchemy import Column, Integer, String
from sqlalchemy.orm import Session, declarative_base

Base = declarative_base()


class User(Base):
    __tablename__ = "users"
    id = Column(Integer, primary_key=True)
    name = Column(String(50), unique=True)


eng = engine()
Base.metadata.create_all(eng)

s = Session(eng)
s.add(User(name="ed"))
s.commit()
a, dup = User(name="wendy"), User(name="ed")
s.add_all([a, dup])
with expect_error("commit with duplicate"):
    s.commit()
with expect_error("flush again"):
    s.flush()
s.rollback()
check("after rollback", a=a, dup=dup)
members("new", s.new)
s.add(a)
s.commit()
check("after commit", a=a, dup=dup)
value("a.id", a.id)
s.close()
