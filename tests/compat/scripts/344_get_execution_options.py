"""Session.get(execution_options=): the options go with the SELECT by primary key when one
is emitted (not with the reload of an expired object found in the identity map);
``populate_existing`` among them SELECTs even when the object is in the identity map and
overwrites it; Core options reach Core (seen by a before_execute listener)."""

from harness import engine, value
from sqlalchemy import Column, Integer, String, event
from sqlalchemy.orm import Session, declarative_base

Base = declarative_base()


class User(Base):
    __tablename__ = "users"
    id = Column(Integer, primary_key=True)
    name = Column(String(50))


eng = engine()
Base.metadata.create_all(eng)
seen = []


@event.listens_for(eng, "before_execute")
def _before(conn, clause, multiparams, params, execution_options):
    seen.append(sorted(k for k in execution_options
                       if k in ("logging_token", "stream_results", "populate_existing")))


def show(label):
    value(label, list(seen))
    seen.clear()


with Session(eng) as s0:
    s0.add_all([User(id=1, name="a"), User(id=2, name="b")])
    s0.commit()
seen.clear()

s = Session(eng)
u = s.get(User, 1, execution_options={"logging_token": "g"})
show("first get: the SELECT carries the options")
value("again from the identity map", s.get(User, 1, execution_options={"logging_token": "g"})
      is u)
show("no SELECT")
s.expire(u)
s.get(User, 1, execution_options={"logging_token": "g"})
show("expired: the reload")
with s.no_autoflush:
    u.name = "unflushed"
    s.get(User, 1, execution_options={"populate_existing": True})
show("populate_existing as an option")
value("overwritten", u.name)
value("missing row", s.get(User, 9, execution_options={"stream_results": True}))
show("stream_results")
s.close()
