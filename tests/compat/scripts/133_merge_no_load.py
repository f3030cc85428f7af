"""merge(load=False): no SQL and no autoflush; a transient object or one with unflushed
changes is refused with SQLAlchemy's messages; an identity not in the session becomes a new
*persistent* object (never a pending copy) whose copied values are committed, unloaded columns
expired; relationships cascade the same way."""

from harness import check, engine, expect_error, expect_warnings, members, value
from sqlalchemy import Column, ForeignKey, Integer, String
from sqlalchemy.orm import Session, declarative_base, relationship

Base = declarative_base()


class User(Base):
    __tablename__ = "users"
    id = Column(Integer, primary_key=True)
    name = Column(String(50))
    fullname = Column(String(50))
    addresses = relationship("Address", back_populates="user")


class Address(Base):
    __tablename__ = "addresses"
    id = Column(Integer, primary_key=True)
    email = Column(String(50))
    user_id = Column(ForeignKey("users.id"))
    user = relationship("User", back_populates="addresses")


eng = engine()
Base.metadata.create_all(eng)

s = Session(eng)
s.add_all([User(name="ed", fullname="Ed", addresses=[Address(email="e1"), Address(email="e2")]),
           User(name="wendy", fullname="Wendy")])
s.commit()
ed = s.get(User, 1)
value("loaded", sorted(a.email for a in ed.addresses))
wendy = s.get(User, 2)
s.close()

s2 = Session(eng)
with expect_error("transient refused"):
    s2.merge(User(name="new"), load=False)
pending_obj = User(name="p")
s2.add(pending_obj)
with expect_warnings("pending merged again"), expect_error("pending refused"):
    s2.merge(pending_obj, load=False)
check("no autoflush ran", pending_obj=pending_obj)
s2.expunge(pending_obj)

m = s2.merge(ed, load=False)
check("persistent copy", m=m, ed=ed)
members("new", s2.new)
members("dirty", s2.dirty)
value("merged addresses", sorted(a.email for a in m.addresses))
value("merged address parent", sorted(a.user is m for a in m.addresses))
value("is_modified", s2.is_modified(m))
s2.flush()
members("nothing flushed, new", s2.new)

wendy.fullname = "Wendy W"
with expect_error("dirty refused"):
    s2.merge(wendy, load=False)

# a partially loaded detached object: columns it never loaded are expired on the copy
s3 = Session(eng)
w = s3.get(User, 2)
s3.expire(w, ["fullname"])
s3.expunge(w)
value("fullname not loaded", "fullname" in w.__dict__)
s4 = Session(eng)
w2 = s4.merge(w, load=False)
check("copy", w2=w2)
value("copy has no fullname loaded", "fullname" in w2.__dict__)
value("loads on access", w2.fullname)

# merging onto an object already in the identity map overwrites it without history
w3 = s4.merge(w, load=False)
value("same object", w3 is w2)
s4.commit()
value("after commit", (w2.name, w2.fullname))
s4.close()
s3.close()
