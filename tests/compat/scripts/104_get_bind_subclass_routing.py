"""A Session subclass overriding get_bind() (SQLAlchemy's custom vertical/horizontal
partitioning recipe): flushes (writes) go to a "leader" engine, everything else to a
"follower"; queries, get() and lazy loads ask get_bind() with the mapper and the statement.
What get_bind() was asked (kind of call, mapper) is recorded as a set."""

from harness import check, engine, expect_error, value
from sqlalchemy import Column, ForeignKey, Integer, String, select, text
from sqlalchemy.orm import Session, declarative_base, relationship

Base = declarative_base()


class User(Base):
    __tablename__ = "users"
    id = Column(Integer, primary_key=True)
    name = Column(String(50))
    addresses = relationship("Address", backref="user")


class Address(Base):
    __tablename__ = "addresses"
    id = Column(Integer, primary_key=True)
    email = Column(String(50))
    user_id = Column(ForeignKey("users.id"))


leader, follower = engine(), engine()
for e in (leader, follower):
    Base.metadata.create_all(e)
asked = set()


class RoutingSession(Session):
    def get_bind(self, mapper=None, clause=None, **kw):
        who = getattr(mapper, "class_", mapper)
        asked.add(("flush" if self._flushing else "read",
                   getattr(who, "__name__", str(who)),
                   type(clause).__name__ if clause is not None else None))
        if self._flushing:
            return leader
        return follower


s = RoutingSession()
u = User(id=1, name="ann", addresses=[Address(id=1, email="a@x")])
s.add(u)
s.commit()
value("asked by the flush", sorted(x for x in asked if x[0] == "flush"))
with follower.begin() as c:  # the follower is a copy, made by hand here
    c.execute(text("INSERT INTO users VALUES (1, 'ann (copy)')"))
    c.execute(text("INSERT INTO addresses VALUES (1, 'copy@x', 1)"))
asked.clear()
value("name read from the follower", u.name)
value("query", [x.email for x in s.scalars(select(Address))])
value("lazy load", [a.email for a in u.addresses])
value("get", s.get(Address, 1).email)
value("asked by reads", sorted(asked))
s.close()
