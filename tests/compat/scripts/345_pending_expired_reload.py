"""A pending object with expired attributes: flushed, expired, then made transient by a
rollback of its INSERT and added again.  Flushing or committing it INSERTs the values it
still holds (the expired ones as NULL); reading an expired attribute autoflushes it and
loads the value back; with its primary key expired the read raises InvalidRequestError
("cannot be refreshed").  (With no primary key value at all, SQLAlchemy warns, then fails
with KeyError "Deferred loader ... failed to populate correctly"; we warn and give None:
not compared here.)"""

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


def re_added(how, name="a", pk=1, expire=("name",)):
    s = Session(eng)
    u = User(id=pk, name=name)
    s.add(u)
    s.flush()
    s.expire(u, list(expire))
    s.rollback()
    s.add(u)
    return s, u


for pk, how in ((1, "commit"), (4, "flush")):
    s, u = re_added(how, pk=pk)
    getattr(s, how)()
    check("after " + how, u=u)
    value(how + ": name", u.name)
    s.rollback()
    s.close()

s, u = re_added("read", pk=2)
value("read: name", u.name)
check("read", u=u)
s.close()

s, u = re_added("pk expired", pk=3, expire=("id", "name"))
with expect_error("read with the primary key expired"):
    u.name
s.close()
