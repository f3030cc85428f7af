"""expire() / refresh() of a pending object is refused with InvalidRequestError; its values
survive and are inserted."""

from harness import check, engine, expect_error, members, names, value
from sqlalchemy import Column, ForeignKey, Integer, String, select
from sqlalchemy.orm import Session, declarative_base, relationship

Base = declarative_base()


class User(Base):
    __tablename__ = "users"
    id = Column(Integer, primary_key=True)
    name = Column(String(50))


eng = engine()
Base.metadata.create_all(eng)

s = Session(eng)
u = User(name="ed")
s.add(u)
with expect_error("expire pending"):
    s.expire(u)
with expect_error("expire pending attribute"):
    s.expire(u, ["name"])
with expect_error("refresh pending"):
    s.refresh(u)
check("still pending", u=u)
s.commit()
value("name", u.name)
t = User(name="transient")
with expect_error("expire transient"):
    s.expire(t)
s.close()
