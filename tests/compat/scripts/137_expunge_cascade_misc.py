"""expunge() follows the expunge cascade (cascade="all": related pending and persistent
objects are detached too; the default cascade leaves them); make_transient; add_all() with an
unmapped object adds those before it; is_modified(include_collections=); no_autoflush as a
context manager; enable_relationship_loading lets a transient object lazy-load without joining
the session; close_all_sessions."""

from harness import check, engine, expect_error, members, value
from sqlalchemy import Column, ForeignKey, Integer, String
from sqlalchemy.orm import (
    Session,
    close_all_sessions,
    declarative_base,
    make_transient,
    relationship,
)

Base = declarative_base()


class User(Base):
    __tablename__ = "users"
    id = Column(Integer, primary_key=True)
    name = Column(String(50))
    addresses = relationship("Address", backref="user", cascade="all")
    notes = relationship("Note", backref="user")


class Address(Base):
    __tablename__ = "addresses"
    id = Column(Integer, primary_key=True)
    email = Column(String(50))
    user_id = Column(ForeignKey("users.id"))


class Note(Base):
    __tablename__ = "notes"
    id = Column(Integer, primary_key=True)
    text = Column(String(50))
    user_id = Column(ForeignKey("users.id"))


eng = engine()
Base.metadata.create_all(eng)

s = Session(eng)
ed = User(name="ed", addresses=[Address(email="a1")], notes=[Note(text="n1")])
s.add(ed)
s.commit()
a1, n1 = ed.addresses[0], ed.notes[0]
a2 = Address(email="a2")
ed.addresses.append(a2)
check("before expunge", ed=ed, a1=a1, a2=a2, n1=n1)
s.expunge(ed)
check("expunge cascades along cascade='all' only", ed=ed, a1=a1, a2=a2, n1=n1)
members("new", s.new)
with expect_error("expunge of a detached object"):
    s.expunge(ed)

wendy = User(name="wendy", addresses=[Address(email="w1")])
s.add(wendy)
s.flush()
w1 = wendy.addresses[0]
make_transient(wendy)
check("make_transient", wendy=wendy, w1=w1)
value("values kept", (wendy.name, wendy.id))
s.add(wendy)
with expect_error("flush of the transient-again wendy (same key)"):
    s.flush()
s.rollback()

x1, x2 = User(name="x1"), User(name="x2")
with expect_error("add_all with an unmapped object"):
    s.add_all([x1, object(), x2])
check("what add_all left", x1=x1, x2=x2)
s.rollback()

u = s.get(User, 1)
u.notes.append(Note(text="n2"))
value("is_modified", s.is_modified(u))
value("is_modified without collections", s.is_modified(u, include_collections=False))
u.name = "eddie"
value("is_modified without collections, name changed", s.is_modified(u, include_collections=False))
with s.no_autoflush:
    value("no autoflush inside", s.autoflush)
    s.add(User(name="hidden"))
    value("query does not flush", [x.name for x in s.query(User).order_by(User.id)])
value("restored", s.autoflush)
s.commit()

orphan = Address(email="lazy", user_id=1)
s.enable_relationship_loading(orphan)
check("enabled", orphan=orphan)
value("lazy loads through the session", orphan.user.name)
value("not in the session", (orphan in s, len(s.new)))
s.flush()
check("not flushed", orphan=orphan)

s2 = Session(eng)
v = s2.get(User, 1)
close_all_sessions()
check("closed by close_all_sessions", v=v, u=u)
